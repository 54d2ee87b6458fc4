// @ts-check
// The page's state <-> a URL-safe string (base64url of its JSON), for links and embeds.

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
    throw new Error('the saved state in the link is damaged (it is not base64url text)');
  }
  let json;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    json = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    throw new Error('the saved state in the link is damaged (it does not decode)');
  }
  let value;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('the saved state in the link is damaged (it is not valid JSON)');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('the saved state in the link is damaged (it is not an object)');
  }
  return value;
}

/** The state string in a location hash of the form `#s=…`, or null. */
export function stateFromHash(/** @type {string | null | undefined} */ hash) {
  const m = /^#?s=(.*)$/.exec(hash || '');
  return m ? m[1] : null;
}
