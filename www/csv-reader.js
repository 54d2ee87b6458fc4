// @ts-check
// The page's side of the CSV worker (www/csv-worker.js): `readCsv(bytes)` resolves to the file as
// UTF-8 and its summary for the column chooser ({ rows, columns: [{ name, numeric, missing }] }),
// or rejects with the reader's error (its message names the line). One worker serves every
// element of the page; it starts on the first file and ends when no file is waiting, so the
// memory a large file took is given back.
import { scriptUrl } from './util.js';
import { sendModule } from './engine.js';
import { t } from './i18n.js';

/** @typedef {import('./types.js').CsvSummary} CsvSummary */

/** @type {Worker | null} */
let worker = null;
let nextId = 1;
/** @type {Map<number, { resolve: (v: { bytes: Uint8Array, summary: CsvSummary }) => void, reject: (e: Error) => void }>} */
const waiting = new Map();

function start() {
  const w = new Worker(scriptUrl(new URL('./csv-worker.js', import.meta.url)), { type: 'module' });
  w.onmessage = (event) => {
    const { id, bytes, summary, error } = event.data;
    const job = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) stop();
    if (!job) return;
    if (error) job.reject(Object.assign(new Error(error.message), error));
    else job.resolve({ bytes, summary });
  };
  sendModule(w);
  w.onerror = (event) => {
    const reason = new Error(t('data.csv.reader_failed'));
    for (const job of waiting.values()) job.reject(reason);
    waiting.clear();
    stop();
  };
  return w;
}

function stop() {
  worker?.terminate();
  worker = null;
}

/**
 * Decodes and parses CSV bytes in the CSV worker (the caller's bytes are copied, not moved).
 * @param {Uint8Array} bytes
 * @returns {Promise<{ bytes: Uint8Array, summary: CsvSummary }>}
 */
export function readCsv(bytes) {
  worker ??= start();
  const id = nextId++;
  const w = worker;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ id, bytes });
  });
}
