// @ts-check
// Where imported data comes from, so that a reload or a link brings it back: a built-in dataset
// (named; it ships with the page), a file kept in this browser's IndexedDB under its content hash,
// or, for a small file (≤ 2,000 cells), the file itself carried in the link, compressed
// (deflate-raw, base64url).
import { encodeState, decodeState } from './state-url.js';
import { SAMPLES, sampleLabel } from './csv-chooser.js';
import { t } from './i18n.js';

/** @typedef {import('./csv-chooser.js').ImportChoice} ImportChoice */
/** @typedef {import('./types.js').CsvSummary} CsvSummary */
/**
 * @typedef {{ kind: 'sample', id: string }
 *   | { kind: 'file', name: string, sha256: string, x: number[], target: number, hint: string }
 *   | { kind: 'inline', name: string, csv: string, x: number[], target: number, hint: string }} Source
 */

/** Files with at most this many cells travel in the link itself. */
export const INLINE_CELLS = 2000;

const DB = 'ml-playground';
const STORE = 'files';

/** @returns {Promise<IDBDatabase>} */
function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Keeps a file's bytes in this browser under its hash (best effort: private modes may refuse). */
async function storeFile(/** @type {string} */ sha256, /** @type {Uint8Array} */ bytes) {
  try {
    const db = await openDb();
    await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(bytes, sha256);
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  } catch {
    // the link still works on this page until it is closed
  }
}

/** The bytes kept under a hash, or null. @returns {Promise<Uint8Array | null>} */
async function loadFile(/** @type {string} */ sha256) {
  try {
    const db = await openDb();
    const bytes = await new Promise((resolve, reject) => {
      const request = db.transaction(STORE, 'readonly').objectStore(STORE).get(sha256);
      request.onsuccess = () => resolve(request.result ?? null);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return bytes instanceof Uint8Array ? bytes : null;
  } catch {
    return null;
  }
}

/** Hex SHA-256 of the bytes. */
async function hash(/** @type {Uint8Array} */ bytes) {
  const digest = await crypto.subtle.digest('SHA-256', /** @type {Uint8Array<ArrayBuffer>} */ (bytes));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Bytes through a compression or decompression stream. */
async function pipe(/** @type {Uint8Array} */ bytes, /** @type {CompressionStream | DecompressionStream} */ stream) {
  const out = new Response(new Blob([/** @type {Uint8Array<ArrayBuffer>} */ (bytes)]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

const toBase64url = (/** @type {Uint8Array} */ bytes) => {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const fromBase64url = (/** @type {string} */ text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/** A file's bytes, deflated, as base64url text. */
export async function compress(/** @type {Uint8Array} */ bytes) {
  return toBase64url(await pipe(bytes, new CompressionStream('deflate-raw')));
}

/** The bytes `compress` made. */
export async function decompress(/** @type {string} */ text) {
  return pipe(fromBase64url(text), new DecompressionStream('deflate-raw'));
}

/**
 * The source to name in links for an import: the sample's id, or the file (kept in IndexedDB,
 * and carried in the link when small).
 * @param {ImportChoice & { sample?: string, cells?: number }} choice
 * @returns {Promise<Source>}
 */
export async function sourceOf(choice) {
  if (choice.sample) return { kind: 'sample', id: choice.sample };
  const common = { name: choice.name, x: choice.xColumns, target: choice.target, hint: choice.hint };
  if ((choice.cells ?? Infinity) <= INLINE_CELLS) return { kind: 'inline', csv: await compress(choice.bytes), ...common };
  const sha256 = await hash(choice.bytes);
  await storeFile(sha256, choice.bytes);
  return { kind: 'file', sha256, ...common };
}

/** How the imported data will come back, said after the import. */
export function keptNote(/** @type {ImportChoice} */ choice) {
  if (choice.sample) return t('data.kept.sample');
  if ((choice.cells ?? Infinity) <= INLINE_CELLS) return t('data.kept.inline');
  return t('data.kept.file');
}

/** A source as text for the URL. */
export const encodeSource = (/** @type {Source} */ source) => encodeState(source);

/** The source in a link's text, or null when it is not one. @returns {Source | null} */
export function decodeSource(/** @type {string | null} */ text) {
  if (!text) return null;
  try {
    const v = /** @type {any} */ (decodeState(text));
    if (v.kind === 'sample' && typeof v.id === 'string') return v;
    const columns = Array.isArray(v.x) && v.x.every(Number.isInteger) && Number.isInteger(v.target) && typeof v.hint === 'string' && typeof v.name === 'string';
    if (v.kind === 'file' && typeof v.sha256 === 'string' && columns) return v;
    if (v.kind === 'inline' && typeof v.csv === 'string' && columns) return v;
  } catch {
    // not a source: ignored
  }
  return null;
}

/**
 * The data a source names, ready for an import request; null when it is not here (a file kept in
 * another browser) or cannot be read.
 * @param {Source} source
 * @param {(bytes: Uint8Array) => Promise<CsvSummary>} parse
 * @returns {Promise<ImportChoice | null>}
 */
export async function loadSource(source, parse) {
  try {
    if (source.kind === 'sample') {
      const sample = SAMPLES.find((s) => s.id === source.id);
      if (!sample) return null;
      const response = await fetch(new URL(`./data/${sample.file}`, import.meta.url));
      if (!response.ok) return null;
      const bytes = new Uint8Array(await response.arrayBuffer());
      const { columns } = await parse(bytes);
      const index = (/** @type {string} */ name) => columns.findIndex((c) => c.name === name);
      return { bytes, xColumns: sample.x.map(index), target: index(sample.target), hint: sample.hint, name: sampleLabel(sample) };
    }
    const bytes = source.kind === 'inline' ? await decompress(source.csv) : await loadFile(source.sha256);
    if (!bytes) return null;
    return { bytes, xColumns: source.x, target: source.target, hint: source.hint, name: source.name };
  } catch {
    return null;
  }
}
