// @ts-check
// Which entries of the URL's hash belong to which element: the page's own playground (sync-url)
// uses `s` (its state) and `d` (where its imported data comes from); an embedded element with an
// id uses `s-ID` and `d-ID`, so one link can reproduce any element of a page; an element with no
// id has no keys, and so no link.
import { encodeState } from './state-url.js';
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
 * The hash entries that reproduce an element: its state, and where its imported data comes from
 * (null removes a stale one).
 * @param {Keys} keys
 * @param {State} state
 * @param {Source | null} source
 * @returns {Record<string, string | null>}
 */
export function hashEntries(keys, state, source) {
  return { [keys.state]: encodeState(state), [keys.source]: state.data.kind === 'custom' && source ? encodeSource(source) : null };
}
