// @ts-check
// "Copy embed code": the HTML that puts the element's current picture on another page (the
// module's script tag and an <ml-playground> tag whose `state` is the encoded state, with its
// data's source, language and layout attributes), and the dialog that shows it with a Copy button.
import { encodeState } from './state-url.js';
import { encodeSource } from './data-source.js';
import { escapeHtml, h } from './util.js';
import { t } from './i18n.js';

/** @typedef {import('./types.js').State} State */
/** @typedef {import('./data-source.js').Source} Source */

/** The element's module, as another page loads it (an absolute URL). */
export const SCRIPT_URL = new URL('./ml-playground.js', import.meta.url).href;

/**
 * The embed code for `state`: the script tag, then the element's tag.
 * @param {{ state: State, source: Source | null, lang: string, attributes: Record<string, string> }} what
 *   `attributes`: the layout attributes to keep (compact, controls), an empty value for a flag
 */
export function embedCode({ state, source, lang, attributes }) {
  /** @type {[string, string][]} */
  const attrs = [['state', encodeState(state)]];
  if (state.data.kind === 'custom' && source) attrs.push(['source', encodeSource(source)]);
  if (lang !== 'en') attrs.push(['lang', lang]);
  attrs.push(...Object.entries(attributes));
  const tag = attrs.map(([name, value]) => (value === '' ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`)).join('');
  return `<script type="module" src="${escapeHtml(SCRIPT_URL)}"></script>\n<ml-playground${tag}></ml-playground>\n`;
}

/**
 * Shows the embed code in a modal dialog inside `root` (made once), selected, with Copy and Close;
 * `note` (if any) says what another page will lack.
 * @param {ShadowRoot} root
 * @param {string} code
 * @param {string | null} note
 * @param {(text: string) => Promise<void>} copy writes the clipboard; rejects where the page may not
 */
export function showEmbedDialog(root, code, note, copy) {
  /** @type {HTMLDialogElement | null} */
  let dialog = root.querySelector('dialog.embed');
  if (!dialog) {
    const text = h('textarea', { readOnly: true, rows: 5, spellcheck: false, className: 'embed-code' });
    const status = h('p', { className: 'note embed-status' });
    status.setAttribute('aria-live', 'polite');
    const copyButton = h('button', { type: 'button', className: 'primary embed-copy', textContent: t('embed.copy') });
    const close = h('button', { type: 'button', className: 'embed-close', textContent: t('embed.close') });
    const title = h('h2', { id: 'embed-title', textContent: t('embed.title') });
    const intro = h('p', { className: 'note embed-intro', textContent: t('embed.intro') });
    const warn = h('p', { className: 'note embed-note' });
    dialog = h('dialog', { className: 'embed' }, title, intro, text, warn, h('div', { className: 'embed-buttons' }, copyButton, close), status);
    dialog.setAttribute('aria-labelledby', 'embed-title');
    const d = dialog;
    copyButton.onclick = async () => {
      try {
        await copy(text.value);
        status.textContent = t('embed.copied');
      } catch {
        text.select();
        status.textContent = t('embed.select');
      }
    };
    close.onclick = () => d.close();
    root.append(dialog);
  }
  const parts = {
    text: /** @type {HTMLTextAreaElement} */ (dialog.querySelector('textarea')),
    warn: /** @type {HTMLElement} */ (dialog.querySelector('.embed-note')),
    status: /** @type {HTMLElement} */ (dialog.querySelector('.embed-status')),
  };
  // (labelled again each time: the language may have changed since it was made)
  /** @type {HTMLElement} */ (dialog.querySelector('#embed-title')).textContent = t('embed.title');
  /** @type {HTMLElement} */ (dialog.querySelector('.embed-intro')).textContent = t('embed.intro');
  /** @type {HTMLElement} */ (dialog.querySelector('.embed-copy')).textContent = t('embed.copy');
  /** @type {HTMLElement} */ (dialog.querySelector('.embed-close')).textContent = t('embed.close');
  parts.text.value = code;
  parts.warn.textContent = note ?? '';
  parts.warn.hidden = !note;
  parts.status.textContent = '';
  if (!dialog.open) dialog.showModal();
  parts.text.focus();
  parts.text.select();
  return dialog;
}
