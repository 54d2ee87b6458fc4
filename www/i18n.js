// @ts-check
// The message catalog: every string a person sees, by key, in English and Simplified Chinese
// (www/i18n/en.js, www/i18n/zh.js; the zh terms follow the primer's usage). `t(key, values)`
// formats one; `{name}` in a message is replaced by `values.name`. A test fails when a key is in
// one language and not the other, or when a model control from the wasm's descriptor has no label.
// English comes with the page; another language's catalog is loaded when it is chosen
// (`loadLanguage`): zh.js is 29 KB on the wire that an English page does not need (issue 15).
import en from './i18n/en.js';

/** @typedef {'en' | 'zh'} Language */

/** @type {Language[]} the languages the page speaks */
export const LANGUAGES = ['en', 'zh'];

/** @type {{ en: Record<string, string> } & Partial<Record<Language, Record<string, string>>>} the catalogs loaded */
export const CATALOGS = { en };

/** @type {Partial<Record<Language, Promise<void>>>} */
const loading = {};

/**
 * Loads the catalog of `lang` (once; English is always there). Resolves when `t` can speak it;
 * rejects when the file could not be fetched (a later call tries again).
 * @param {Language} lang
 * @returns {Promise<void>}
 */
export function loadLanguage(lang) {
  if (CATALOGS[lang] || !LANGUAGES.includes(lang)) return Promise.resolve();
  loading[lang] ??= import(`./i18n/${lang}.js`).then(
    (m) => { CATALOGS[lang] = m.default; },
    (err) => { delete loading[lang]; throw err; },
  );
  return /** @type {Promise<void>} */ (loading[lang]);
}

/** Whether the catalog of `lang` is loaded. @param {Language} lang */
export const hasLanguage = (lang) => Boolean(CATALOGS[lang]);

/** @type {Language} */
let current = 'en';

/**
 * The first supported language among the candidates (an element's `lang`, the state's, the
 * browser's `navigator.language`); 'en' when none is.
 * @param {...(string | null | undefined)} candidates
 * @returns {Language}
 */
export function pickLanguage(...candidates) {
  for (const c of candidates) {
    const base = String(c ?? '').toLowerCase().split(/[-_]/)[0];
    if (LANGUAGES.includes(/** @type {Language} */ (base))) return /** @type {Language} */ (base);
  }
  return 'en';
}

/** Makes `lang` the page's language (its catalog loaded first: else `t` says it in English). @param {Language} lang */
export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : 'en';
}

export function language() {
  return current;
}

/** Whether the catalog has `key`. @param {string} key */
export const has = (key) => key in CATALOGS.en;

/**
 * The message `key` in the current language, with `{name}` filled from `values` (and its
 * singular form `key.one` when `values.n` is 1 and the language has one); the English
 * text where the language lacks it, and the key itself where both do (a test keeps that from
 * shipping).
 * @param {string} key
 * @param {Record<string, string | number>} [values]
 * @param {Language} [lang]
 */
export function t(key, values, lang = current) {
  // A count of one takes the singular form where the language has one (`key.one`).
  const one = values?.n === 1 && `${key}.one` in (CATALOGS[lang] ?? {}) ? `${key}.one` : key;
  const text = CATALOGS[lang]?.[one] ?? CATALOGS.en[key] ?? key;
  return values ? text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m)) : text;
}

/**
 * The words the wasm draws on canvases, in the current language: an object of key → text for
 * `setCanvasWords`, from the wasm's `canvasWords()` list of [key, English] pairs.
 * @param {[string, string][]} pairs
 * @returns {Record<string, string>}
 */
export function canvasWords(pairs) {
  return Object.fromEntries(pairs.map(([key, english]) => [key, has(`canvas.${key}`) ? t(`canvas.${key}`) : english]));
}

/** A parameter name as the page labels it: the control's label where there is one, else `err.param.<name>`. @param {string} name */
export function paramLabel(name) {
  const slug = name.replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^_|_$/g, '');
  for (const key of [`err.param.${slug}`, `model.${name}`, `model.train.${name}`, `data.${name}`]) if (has(key)) return t(key);
  return name;
}

/** A number in a message: whole numbers as they are, others to 4 significant digits. @param {number} v */
const messageNumber = (v) => (Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(4))));

/**
 * One value of an error message for the page: a nested message is worded in turn, a parameter
 * name becomes its label, a model family its name, a task its word.
 * @param {string} name @param {unknown} v
 * @returns {string}
 */
function messageValue(name, v) {
  if (v && typeof v === 'object') return wordError(/** @type {any} */ (v));
  if (typeof v === 'number') return messageNumber(v);
  const s = String(v);
  if (name === 'param') return paramLabel(s);
  if (name === 'model' && has(`family.${s}`)) return t(`family.${s}`);
  if ((name === 'task' || name === 'metric_task' || name === 'data_task') && has(`err.task.${s}`)) return t(`err.task.${s}`);
  if ((name === 'scaling' || name === 'data_scaling') && has(`data.scaling.${s}`)) return t(`data.scaling.${s}`);
  if (name === 'doing' && has(`err.doing.${s}`)) return t(`err.doing.${s}`);
  if (name === 'why' && has(`err.file_why.${s}`)) return t(`err.file_why.${s}`);
  if ((name === 'found' || name === 'expected') && has(`err.value_kind.${s}`)) return t(`err.value_kind.${s}`);
  return s;
}

/**
 * An error (or advice) from the wasm in the current language: `err.<code>` filled with its
 * values; its English `message` / `text` when it carries no code the catalog knows (an error
 * from outside the wasm).
 * @param {{ code?: string, kind?: string, values?: Record<string, unknown>, message?: string, text?: string } | string | null | undefined} e
 * @returns {string}
 */
export function wordError(e) {
  if (e == null) return '';
  if (typeof e !== 'object') return String(e);
  if (e.code && has(`err.${e.code}`)) {
    /** @type {Record<string, string>} */
    const values = {};
    for (const [k, v] of Object.entries(e.values ?? {})) values[k] = messageValue(k, v);
    const message = t(`err.${e.code}`, values);
    // A divergence says so first, as the wasm's English does ("training diverged: …").
    return /** @type {{ kind?: string }} */ (e).kind === 'diverged' ? t('err.kind.diverged', { message }) : message;
  }
  return String(e.message ?? e.text ?? e);
}
