// @ts-check
// Typesets TeX with KaTeX, served from this site (www/vendor/katex, copied from npm by
// scripts/vendor.mjs; no CDN). KaTeX's code (62 KiB brotli) is loaded on the first formula, not
// with the page. Its stylesheet is linked into the root the formula lives in (the element's
// shadow root or the document) and into the document too: fonts declared by @font-face inside a
// shadow root are not used by browsers, so the document's copy provides them. Nodes are built
// with KaTeX's DOM renderer (styles set through the CSSOM), so a strict policy (style-src 'self')
// refuses nothing.
//
//   import { renderTex, texText } from './math.js';
//   await renderTex(element, String.raw`\hat y = ${w}\,x + ${b}`);       // inline
//   await renderTex(element, tex, { display: true });                       // centred block
//   texText('中文 & words')  // a piece of text inside a formula, escaped: \text{…}

const BASE = new URL('./vendor/katex/', import.meta.url).href;

/** @typedef {{ render: (tex: string, element: HTMLElement, options?: Record<string, unknown>) => void }} Katex */

/** @type {Promise<Katex> | null} */
let loading = null;
/** @type {Katex | null} KaTeX, once loaded */
let katex = null;

/** Loads KaTeX once (the specifier is a URL string: the file is made by the build). */
export function loadKatex() {
  loading ??= import(/* @vite-ignore */ `${BASE}katex.js`).then((m) => (katex = /** @type {Katex} */ (m.default)));
  return loading;
}

/** Roots (documents and shadow roots) that link KaTeX's stylesheet: resolves once it is loaded. */
const styled = new WeakMap();
/** Roots whose KaTeX stylesheet has loaded (or failed: the formula is drawn anyway). */
const styledNow = new WeakSet();

/**
 * Links KaTeX's stylesheet into `root` (once), and into the document for its fonts. Resolves
 * when both are loaded: a formula drawn before would show KaTeX's HTML and MathML both, unstyled.
 * @param {Document | ShadowRoot} root
 * @returns {Promise<void>}
 */
export function linkStyles(root) {
  const loads = [document, root].map((r) => {
    let ready = styled.get(r);
    if (!ready) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = `${BASE}katex.min.css`;
      link.dataset.katex = '';
      ready = new Promise((resolve) => {
        link.addEventListener('load', resolve, { once: true });
        link.addEventListener('error', resolve, { once: true });
      }).then(() => { styledNow.add(r); });
      styled.set(r, ready);
      (r === document ? document.head : r).append(link);
    }
    return ready;
  });
  return Promise.all(loads).then(() => {});
}

/** @param {HTMLElement} element */
const rootOf = (element) => {
  const root = element.getRootNode();
  return root instanceof ShadowRoot ? root : document;
};

/**
 * Typesets `tex` into `element`, replacing its content. A formula KaTeX cannot parse shows its
 * source in red instead of throwing. Resolves when it is drawn (with KaTeX's stylesheet loaded).
 * @param {HTMLElement} element
 * @param {string} tex
 * @param {{ display?: boolean }} [options] display: a centred block instead of inline maths
 */
export async function renderTex(element, tex, options = {}) {
  const k = katex ?? (await loadKatex());
  await linkStyles(rootOf(element));
  renderTexNow(k, element, tex, options);
}

/**
 * `renderTex` without waiting when KaTeX and its stylesheet are already loaded: true if it was
 * drawn now.
 * @param {HTMLElement} element
 * @param {string} tex
 * @param {{ display?: boolean }} [options]
 */
export function renderTexSync(element, tex, options = {}) {
  const root = rootOf(element);
  if (!katex || !styledNow.has(root) || !styledNow.has(document)) return false;
  renderTexNow(katex, element, tex, options);
  return true;
}

/**
 * A display formula made of clauses joined by `, \quad` (the SVM's `f(x) = …, \quad K(u, v) = …`)
 * is typeset clause by clause into boxes that wrap: side by side where they fit, one under the other
 * on a phone, instead of one line cut off at the panel's edge.
 * @param {Katex} k @param {HTMLElement} element @param {string} tex @param {{ display?: boolean }} options
 */
function renderTexNow(k, element, tex, options) {
  const settings = { displayMode: !!options.display, throwOnError: false, output: 'htmlAndMathml', strict: 'ignore' };
  const clauses = options.display ? topLevelClauses(tex) : [tex];
  if (clauses.length < 2) {
    element.classList.remove('tex-clauses');
    k.render(tex, element, settings);
    return;
  }
  element.classList.add('tex-clauses');
  element.replaceChildren(
    ...clauses.map((clause, i) => {
      const box = document.createElement('span');
      box.className = 'tex-clause';
      // the comma stays with the clause it ends, as in the one-line form
      k.render(i < clauses.length - 1 ? `${clause},` : clause, box, settings);
      return box;
    }),
  );
}

/**
 * `tex` split at each `, \quad` outside braces, `\left…\right` and environments; one piece when
 * it has none.
 * @param {string} tex
 */
export function topLevelClauses(tex) {
  if (/\\begin\b/.test(tex)) return [tex];
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === '\\') {
      if (tex.startsWith('\\left', i)) depth += 1;
      else if (tex.startsWith('\\right', i)) depth -= 1;
      i += 1;
    } else if (c === '{') depth += 1;
    else if (c === '}') depth -= 1;
    else if (c === ',' && depth === 0) {
      const rest = /^,\s*\\quad\b\s*/.exec(tex.slice(i));
      if (rest) {
        parts.push(tex.slice(start, i).trim());
        start = i + rest[0].length;
        i = start - 1;
      }
    }
  }
  parts.push(tex.slice(start).trim());
  return parts.filter((p) => p.length);
}

/** `text` as a piece of words inside a formula (`\text{…}`), its TeX specials escaped. */
export function texText(/** @type {string} */ text) {
  const escaped = text.replace(/[\\{}$&#^_%~]/g, (c) => ({
    '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}', $: '\\$', '&': '\\&', '#': '\\#', '^': '\\textasciicircum{}', _: '\\_', '%': '\\%', '~': '\\textasciitilde{}',
  })[c] ?? c);
  return `\\text{${escaped}}`;
}
