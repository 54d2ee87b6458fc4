export type Language = 'en' | 'zh';
/** @typedef {'en' | 'zh'} Language */
/** @type {Record<Language, Record<string, string>>} */
export declare const CATALOGS: Record<Language, Record<string, string>>;
export declare const LANGUAGES: Language[];
/**
 * The first supported language among the candidates (an element's `lang`, the state's, the
 * browser's `navigator.language`); 'en' when none is.
 * @param {...(string | null | undefined)} candidates
 * @returns {Language}
 */
export declare function pickLanguage(...candidates: (string | null | undefined)[]): Language;
/** @param {Language} lang */
export declare function setLanguage(lang: Language): void;
export declare function language(): Language;
/** Whether the catalog has `key`. @param {string} key */
export declare const has: (key: string) => boolean;
/**
 * The message `key` in the current language, with `{name}` filled from `values` (and its
 * singular form `key.one` when `values.n` is 1 and the language has one); the English
 * text where the language lacks it, and the key itself where both do (a test keeps that from
 * shipping).
 * @param {string} key
 * @param {Record<string, string | number>} [values]
 * @param {Language} [lang]
 */
export declare function t(key: string, values?: Record<string, string | number>, lang?: Language): string;
/**
 * The words the wasm draws on canvases, in the current language: an object of key → text for
 * `setCanvasWords`, from the wasm's `canvasWords()` list of [key, English] pairs.
 * @param {[string, string][]} pairs
 * @returns {Record<string, string>}
 */
export declare function canvasWords(pairs: [string, string][]): Record<string, string>;
/** A parameter name as the page labels it: the control's label where there is one, else `err.param.<name>`. @param {string} name */
export declare function paramLabel(name: string): string;
/**
 * An error (or advice) from the wasm in the current language: `err.<code>` filled with its
 * values; its English `message` / `text` when it carries no code the catalog knows (an error
 * from outside the wasm).
 * @param {{ code?: string, kind?: string, values?: Record<string, unknown>, message?: string, text?: string } | string | null | undefined} e
 * @returns {string}
 */
export declare function wordError(e: {
    code?: string;
    kind?: string;
    values?: Record<string, unknown>;
    message?: string;
    text?: string;
} | string | null | undefined): string;
