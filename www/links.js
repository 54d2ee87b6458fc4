// @ts-check
// Which entries of the URL's hash belong to which element: the page's own playground (sync-url)
// uses `s` (its state) and `d` (where its imported data comes from); an embedded element with an
// id uses `s-ID` and `d-ID`, so one link can reproduce any element of a page; an element with no
// id has no keys, and so no link.
import { encodeState, hashParams, withHashParams } from './state-url.js';
import { encodeSource } from './data-source.js';

/** @typedef {import('./types.js').State} State */
/** @typedef {import('./data-source.js').Source} Source */
/** @typedef {{ state: string, source: string }} Keys */

/** An element's keys in the hash, or null. @returns {Keys | null} */
export function hashKeys(/** @type {boolean} */ syncUrl, /** @type {string} */ id) {
  if (syncUrl) return { state: 's', source: 'd' };
  return id ? { state: `s-${id}`, source: `d-${id}` } : null;
}

/**
 * The hash entries that reproduce an element: its state, where its imported data comes from
 * (null removes a stale one) and, for the page's own playground, the page's language (`lang`).
 * @param {Keys} keys
 * @param {State} state
 * @param {Source | null} source
 * @param {string | null} [lang]
 * @returns {Record<string, string | null>}
 */
export function hashEntries(keys, state, source, lang = null) {
  /** @type {Record<string, string | null>} */
  const entries = { [keys.state]: encodeState(state), [keys.source]: state.data.kind === 'custom' && source ? encodeSource(source) : null };
  if (lang && keys.state === 's') entries.lang = lang;
  return entries;
}

/**
 * Binds a sync-url element's state to the page's hash: writes it (250 ms after a change, with the
 * data's source) and follows hash changes made by the learner (a pasted link, the back button).
 * A hash navigated to is never overwritten by a write pending from before.
 */
export class UrlSync {
  /**
   * @param {() => Record<string, string | null>} entries the element's hash entries now
   * @param {(stateText: string, sourceText: string | null) => void} load applies a hash navigated to
   * @param {(lang: string) => void} [language] follows a `lang=` navigated to
   * @param {(lesson: string | null, step: string | null, withState: boolean) => void} [lesson]
   *   follows a `lesson=…&step=…` navigated to (`withState`: the link carries a state of its own)
   */
  constructor(entries, load, language = () => {}, lesson = () => {}) {
    this.entries = entries;
    /** @type {ReturnType<typeof setTimeout> | null} the pending write */
    this.timer = null;
    /** @type {string | null} the state text last written */
    this.written = null;
    /** The hash as last read or written here: if it differs, someone else changed it. */
    this.seen = location.hash;
    this.listener = () => {
      this.cancel();
      this.seen = location.hash;
      const params = hashParams(location.hash);
      const lang = params.get('lang');
      if (lang) language(lang);
      const text = params.get('s');
      if (text && text !== this.written) load(text, params.get('d') ?? null);
      lesson(params.get('lesson') ?? null, params.get('step') ?? null, Boolean(text));
    };
    window.addEventListener('hashchange', this.listener);
  }

  /** Writes the state into the hash soon (once for a burst of changes). */
  schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (location.hash !== this.seen) {
        this.seen = location.hash; // changed by someone else: skip this write only
        return;
      }
      const entries = this.entries();
      const hash = withHashParams(location.hash, entries);
      if (`#${hash}` !== location.hash) {
        this.written = entries.s ?? null;
        history.replaceState(null, '', `#${hash}`);
        this.seen = location.hash;
      }
    }, 250);
  }

  cancel() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  stop() {
    this.cancel();
    window.removeEventListener('hashchange', this.listener);
  }
}
