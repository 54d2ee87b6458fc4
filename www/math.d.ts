export type Katex = {
    render: (tex: string, element: HTMLElement, options?: Record<string, unknown>) => void;
};
/** Loads KaTeX once (the specifier is a URL string: the file is made by the build). */
export declare function loadKatex(): Promise<Katex>;
/** Links KaTeX's stylesheet into `root` (once), and into the document for its fonts. */
export declare function linkStyles(/** @type {Document | ShadowRoot} */ root: Document | ShadowRoot): void;
/**
 * Typesets `tex` into `element`, replacing its content. A formula KaTeX cannot parse shows its
 * source in red instead of throwing. Resolves when it is drawn.
 * @param {HTMLElement} element
 * @param {string} tex
 * @param {{ display?: boolean }} [options] display: a centred block instead of inline maths
 */
export declare function renderTex(element: HTMLElement, tex: string, options?: {
    display?: boolean;
}): Promise<void>;
/**
 * `renderTex` without waiting when KaTeX is already loaded: true if it was drawn now.
 * @param {HTMLElement} element
 * @param {string} tex
 * @param {{ display?: boolean }} [options]
 */
export declare function renderTexSync(element: HTMLElement, tex: string, options?: {
    display?: boolean;
}): boolean;
/** `text` as a piece of words inside a formula (`\text{…}`), its TeX specials escaped. */
export declare function texText(/** @type {string} */ text: string): string;
