// @ts-check
// Small helpers shared by the page's modules: state paths, the one HTML-escaping function,
// number formatting and a typed element builder.

/** The value at a dotted path (`model.train.learning_rate`), or undefined. */
export const get = (/** @type {any} */ obj, /** @type {string} */ path) =>
  path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);

/**
 * Sets the value at a dotted path, creating the objects on the way.
 * @param {any} obj
 * @param {string} path
 * @param {unknown} value
 */
export function set(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[/** @type {string} */ (keys.at(-1))] = value;
}

/** @template T @param {T} v @returns {T} */
export const clone = (v) => structuredClone(v);

/** Text made safe inside HTML text and attribute values (names come from the learner's files). */
export const escapeHtml = (/** @type {unknown} */ text) => String(text).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A number with `digits` significant digits, or an en dash when there is none. */
export const fmt = (/** @type {number | null | undefined} */ v, digits = 4) =>
  v == null || !Number.isFinite(v) ? '–' : Number(v).toPrecision(digits);

/** A mean and its spread, `0.9900 ± 0.0082`; a spread of exactly 0 (every fold scored the same) as `± 0`, not `± 0.0`. */
export const fmtSpread = (/** @type {number | null | undefined} */ mean, /** @type {number | null | undefined} */ spread) =>
  `${fmt(mean)} ± ${spread === 0 ? '0' : fmt(spread, 2)}`;

/** A count with its noun, singular for one: `plural(1, 'row')` is "1 row", `plural(3, 'row')` "3 rows". */
export const plural = (/** @type {number} */ n, /** @type {string} */ noun, nouns = `${noun}s`) => `${n} ${n === 1 ? noun : nouns}`;

/** The first letter upper-cased. */
export const capitalise = (/** @type {string} */ text) => `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;

/**
 * An element with properties set: `h('button', { type: 'button', textContent: 'Go' })`.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Partial<HTMLElementTagNameMap[K]>} [props]
 * @param {(Node | string)[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props, ...children) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

/** The device pixel ratio (1 when unknown). */
export const dpr = () => window.devicePixelRatio || 1;

/**
 * Sizes a canvas's backing store to its CSS box at device resolution; false when it has no size.
 * @param {HTMLCanvasElement} c
 * @param {number} ratio
 */
export function fitCanvas(c, ratio) {
  const w = Math.round(c.clientWidth * ratio);
  const h = Math.round(c.clientHeight * ratio);
  if (!w || !h) return false;
  if (c.width !== w || c.height !== h) Object.assign(c, { width: w, height: h });
  return true;
}

/** @type {{ createScriptURL: (url: string) => unknown } | null} */
let scriptPolicy = null;
/**
 * A script URL of the page's own (the training worker, the service worker) in the form the
 * browser takes where Trusted Types are enforced (`require-trusted-types-for 'script'`): through
 * the `ml-playground` policy, which passes same-origin URLs only. Elsewhere, the URL itself.
 * @param {URL} url
 * @returns {URL}
 */
export function scriptUrl(url) {
  const tt = /** @type {any} */ (globalThis).trustedTypes;
  if (!tt?.createPolicy) return url;
  scriptPolicy ??= tt.createPolicy('ml-playground', {
    createScriptURL: (/** @type {string} */ text) => {
      if (new URL(text, location.href).origin !== location.origin) throw new TypeError(`not a script of this page: ${text}`);
      return text;
    },
  });
  return /** @type {URL} */ (/** @type {{ createScriptURL: (url: string) => unknown }} */ (scriptPolicy).createScriptURL(url.href));
}

/**
 * A text file's bytes as UTF-8: UTF-8 (with or without a BOM) as it is, anything else read as
 * GB18030 (a superset of GBK and GB2312: what spreadsheet programs save in a Chinese locale) by
 * the browser's own decoder and written back as UTF-8, so the wasm's CSV reader (UTF-8 only, to
 * keep the encoding tables out of the wasm) reads it.
 * @param {Uint8Array} bytes
 * @returns {Uint8Array}
 */
export function asUtf8(bytes) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return bytes;
  } catch {
    return new TextEncoder().encode(new TextDecoder('gb18030').decode(bytes));
  }
}
