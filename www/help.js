// @ts-check
// The "?" beside every control and every metric: a small button that opens a short explanation
// from the message catalog (`help.<key>`: what it is, what moving it does, one sentence of
// intuition). One popover per element shows the text of the button last pressed; it sits in the
// top layer (so it never widens the page), Escape or a click elsewhere closes it, and focus goes
// back to its button. A family's own meaning of a shared setting (`help.model.<kind>.<path>`)
// comes before the shared one (`help.model.<path>`). A text's formulas (`$…$`) are typeset by
// KaTeX (lesson-text.js → math.js, loaded on the first one).
import { t, has } from './i18n.js';
import { h } from './util.js';
import { renderText } from './lesson-text.js';

/**
 * The catalog key of the explanation of `key` (a control's state path or name, `report.<metric>`,
 * `page.<part>`), for a model of family `kind`; null when the catalog has none.
 * @param {string} key @param {string | undefined} [kind]
 * @returns {string | null}
 */
export function helpKey(key, kind) {
  if (kind && key.startsWith('model.')) {
    const own = `help.model.${kind}.${key.slice('model.'.length)}`;
    if (has(own)) return own;
  }
  return has(`help.${key}`) ? `help.${key}` : null;
}

/**
 * A "?" button explaining `key`, named for what it explains (`name`, the control's label; or
 * the catalog key `nameKey` of that label, for static markup relabelled by `relabelHelp`).
 * @param {string} key @param {string} name @param {string} [nameKey]
 */
export function helpButton(key, name, nameKey) {
  const b = h('button', { type: 'button', className: 'help', textContent: '?' });
  b.dataset.help = key;
  b.dataset.name = name;
  if (nameKey) b.dataset.nameKey = nameKey;
  b.setAttribute('aria-label', t('help.about', { name }));
  b.setAttribute('aria-expanded', 'false');
  b.setAttribute('aria-controls', 'help-pop');
  return b;
}

/** Relabels the "?" buttons under `root` in the current language (their names are labels). */
export function relabelHelp(/** @type {ParentNode} */ root) {
  for (const b of root.querySelectorAll('button.help')) {
    const el = /** @type {HTMLElement} */ (b);
    if (el.dataset.nameKey) el.dataset.name = t(el.dataset.nameKey);
    el.setAttribute('aria-label', t('help.about', { name: el.dataset.name ?? '' }));
  }
}

/** The element's one explanation popover, opened by any "?" button inside `root`. */
export class HelpPopover {
  /**
   * @param {ShadowRoot} root where the buttons are (clicks are caught here, so buttons made later work too)
   * @param {HTMLElement} parent where the popover goes
   * @param {() => string | undefined} modelKind the current model's family (for its own explanations)
   */
  constructor(root, parent, modelKind) {
    this.modelKind = modelKind;
    /** @type {HTMLButtonElement | null} the button whose text is shown */
    this.opener = null;
    /** @type {Promise<void>} the last text's typesetting */
    this.typeset = Promise.resolve();
    this.title = h('strong', { className: 'help-title' });
    this.text = h('div', { className: 'help-text' });
    const close = h('button', { type: 'button', className: 'help-close', textContent: '×' });
    close.dataset.i18nAria = 'help.close';
    close.setAttribute('aria-label', t('help.close'));
    close.onclick = () => this.close();
    this.close_ = close;
    this.pop = h('div', { id: 'help-pop', className: 'help-pop' }, h('div', { className: 'help-head' }, this.title, close), this.text);
    this.pop.setAttribute('popover', 'auto');
    this.pop.setAttribute('role', 'dialog');
    this.pop.setAttribute('aria-labelledby', 'help-pop-title');
    this.title.id = 'help-pop-title';
    parent.append(this.pop);
    this.pop.addEventListener('toggle', (event) => {
      const e = /** @type {Event & { newState?: string }} */ (event);
      if (e.newState !== 'closed') return;
      let opener = this.opener;
      this.opener = null;
      if (!opener) return;
      opener.setAttribute('aria-expanded', 'false');
      // A panel drawn again while the explanation was open (a model's controls after a change)
      // has a new "?" for the same setting: focus goes to that one.
      if (!opener.isConnected && opener.dataset.help) {
        const again = root.querySelector(`button.help[data-help="${CSS.escape(opener.dataset.help)}"]`);
        if (again instanceof HTMLButtonElement) opener = again;
      }
      // Closed by Escape or the close button: focus goes back to the "?" (not to the page's start).
      const active = /** @type {ShadowRoot} */ (this.pop.getRootNode()).activeElement;
      if (!active || this.pop.contains(active) || active === document.body) opener.focus();
    });
    root.addEventListener('click', (event) => {
      const b = /** @type {HTMLElement} */ (event.target).closest?.('button.help');
      if (!(b instanceof HTMLButtonElement)) return;
      event.preventDefault();
      event.stopPropagation();
      if (this.opener === b) this.close();
      else this.open(b);
    });
  }

  /** Whether the popover is shown. */
  get isOpen() {
    return this.pop.matches(':popover-open');
  }

  /** Shows the explanation of `button`'s key beside it. */
  open(/** @type {HTMLButtonElement} */ button) {
    if (this.isOpen) this.close();
    const key = helpKey(button.dataset.help ?? '', this.modelKind());
    this.title.textContent = button.dataset.name ?? '';
    this.show(key);
    this.close_.setAttribute('aria-label', t('help.close'));
    this.opener = button;
    button.setAttribute('aria-expanded', 'true');
    try {
      /** @type {any} */ (this.pop).showPopover({ source: button });
    } catch {
      /** @type {any} */ (this.pop).showPopover();
    }
    this.place(button);
  }

  /** Puts the popover under its button, inside the viewport (it is fixed, in the top layer). */
  place(/** @type {HTMLElement} */ button) {
    const r = button.getBoundingClientRect();
    const width = Math.min(320, window.innerWidth - 16);
    const style = this.pop.style;
    style.width = `${width}px`;
    style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - width - 8))}px`;
    const height = this.pop.offsetHeight;
    const below = r.bottom + 6;
    style.top = `${below + height > window.innerHeight - 8 && r.top - height - 6 > 8 ? r.top - height - 6 : below}px`;
  }

  close() {
    if (this.isOpen) /** @type {any} */ (this.pop).hidePopover();
  }

  /** Relabels the open popover (after a change of language). */
  relabel() {
    const b = this.opener;
    if (!b) return;
    const key = helpKey(b.dataset.help ?? '', this.modelKind());
    this.show(key);
    this.close_.setAttribute('aria-label', t('help.close'));
  }

  /** Writes the text of `key`; its formulas are typeset (then the popover is placed again, taller or shorter). */
  show(/** @type {string | null} */ key) {
    const text = key ? t(key) : '';
    if (!text.includes('$')) {
      this.text.replaceChildren(h('p', { textContent: text }));
      return;
    }
    /** Typesets done (tests wait for it). */
    this.typeset = renderText(this.text, text).then(() => {
      if (this.opener && this.isOpen) this.place(this.opener);
    });
  }
}
