// @ts-check
// The page's state <-> a URL-safe string (base64url of its JSON), for links and embeds; and the
// location hash as `key=value` pairs joined by `&` (`#s=…&d=…`), so one page's hash can carry
// the state and data source of each of its elements under its own keys.
import { t } from './i18n.js';

/** The state as base64url text of its JSON. */
export function encodeState(/** @type {unknown} */ state) {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes what encodeState made; throws an Error with a readable message on anything else. */
/** @returns {Record<string, unknown>} */
export function decodeState(/** @type {unknown} */ text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length === 0) {
    throw new Error(t('msg.link.not_base64'));
  }
  let json;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    json = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    throw new Error(t('msg.link.not_decoded'));
  }
  let value;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(t('msg.link.not_json'));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(t('msg.link.not_object'));
  }
  return value;
}

/** The `key=value` pairs of a location hash (`#s=…&d=…`). */
export function hashParams(/** @type {string | null | undefined} */ hash) {
  /** @type {Map<string, string>} */
  const params = new Map();
  for (const part of (hash || '').replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return params;
}

/** A hash with the given keys set (or removed, for null), the others kept. */
export function withHashParams(/** @type {string} */ hash, /** @type {Record<string, string | null>} */ entries) {
  const params = hashParams(hash);
  for (const [key, value] of Object.entries(entries)) {
    if (value == null) params.delete(key);
    else params.set(key, value);
  }
  return [...params].map(([k, v]) => `${k}=${v}`).join('&');
}

/** The state string under `key` (`s` by default) in a location hash, or null. */
export function stateFromHash(/** @type {string | null | undefined} */ hash, key = 's') {
  return hashParams(hash).get(key) ?? null;
}
