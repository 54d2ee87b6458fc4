// @ts-check
// A lesson's text on the page: paragraphs (separated by a blank line) with formulas between
// dollar signs (`$\hat y = ax + b$`), typeset by math.js (KaTeX); the TeX itself is shown until
// KaTeX has drawn it, and stays if it cannot.
import { h } from './util.js';

/** @type {Promise<typeof import('./math.js') | null> | null} */
let math = null;
/** math.js, loaded on the first formula (null if it cannot load: the TeX stays as text). */
function loadMath() {
  math ??= import('./math.js').catch(() => null);
  return math;
}

/**
 * The text split into its pieces: plain text and formulas (`$…$`; `\$` is a dollar sign).
 * @param {string} text
 * @returns {{ tex: boolean, text: string }[]}
 */
export function pieces(text) {
  const out = [];
  const re = /\$((?:\\\$|[^$])+)\$/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push({ tex: false, text: text.slice(last, m.index) });
    out.push({ tex: true, text: m[1] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ tex: false, text: text.slice(last) });
  return out;
}

/**
 * Fills `parent` with `text`'s paragraphs; resolves when the formulas are typeset.
 * @param {HTMLElement} parent
 * @param {string} text
 */
export async function renderText(parent, text) {
  /** @type {[HTMLElement, string][]} */
  const formulas = [];
  parent.replaceChildren(...text.split(/\n\s*\n/).map((para) => {
    const p = h('p');
    for (const piece of pieces(para.trim())) {
      if (!piece.tex) p.append(piece.text);
      else {
        const span = h('span', { className: 'tex', textContent: piece.text });
        formulas.push([span, piece.text]);
        p.append(span);
      }
    }
    return p;
  }));
  if (!formulas.length) return;
  const m = await loadMath();
  if (!m) return;
  await Promise.all(formulas.map(async ([span, tex]) => {
    try {
      await m.renderTex(span, tex);
      span.classList.add('typeset');
    } catch {
      // the TeX stays as text
    }
  }));
}
