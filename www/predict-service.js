// @ts-check
// The prediction service: an element with an `allow-origins` attribute answers other windows'
// postMessage requests (a page that has the playground in an iframe, or scripts of its own page)
// with the current model's predictions on raw feature rows (the fitted preparation, then the
// model: what an ONNX export computes). Only the origins listed are answered with predictions;
// a request from any other origin, or a malformed one, gets an error reply and changes nothing.
//
//   caller → element: { type: 'predict', id, rows: number[][], element? }   (`element`: an element's
//                     id, when the page has more than one service; else the first one answers)
//   element → caller: { type: 'predictions', id, task: 'regression' | 'classification',
//                       classes: string[] | null, values: number[][] }   (a value per row, or the
//                       probability of each class)
//                     { type: 'predict-error', id, code, values, message }   (message: worded in the
//                       element's language from the catalog, err.<code>)
//                     { type: 'ml-playground-ready', element }   (sent once to each allowed origin
//                       of the parent window when the element has its first model)

/** The error codes of the service's own checks (err.<code> in the catalogs); a wrong feature count is the wasm's `model_width`. */
export const PREDICT_CODES = ['predict_origin', 'predict_rows', 'predict_too_many_rows', 'predict_ragged', 'predict_not_number', 'predict_not_ready'];

/** The most rows one request may ask for (a 1000 × 1000 grid). */
export const MAX_PREDICT_ROWS = 1_000_000;

/**
 * The origins an `allow-origins` attribute lists (space or comma separated), normalised
 * (`https://Example.org/` → `https://example.org`); anything that is not an http(s) origin is left out.
 * @param {string | null} text
 * @returns {Set<string>}
 */
export function allowedOrigins(text) {
  const out = new Set();
  for (const word of (text ?? '').split(/[\s,]+/)) {
    if (!word) continue;
    try {
      const url = new URL(word);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== 'null') out.add(url.origin);
    } catch {
      // not a URL: never matches
    }
  }
  return out;
}

/** An error reply's code and values. */
export class PredictError extends Error {
  /** @param {string} code @param {Record<string, string | number>} [values] */
  constructor(code, values = {}) {
    super(code);
    this.code = code;
    this.values = values;
  }
}

/**
 * The rows of a request as one row-major Float64Array, checked: a list (at most MAX_PREDICT_ROWS,
 * checked before any row is read) of rows of the same length, each value a number (null or NaN:
 * a missing value, which the imputer fills).
 * @param {unknown} rows
 * @returns {{ x: Float64Array, n: number, features: number }}
 */
export function rowsMatrix(rows) {
  if (!Array.isArray(rows)) throw new PredictError('predict_rows');
  const n = rows.length;
  if (n > MAX_PREDICT_ROWS) throw new PredictError('predict_too_many_rows', { rows: n, max: MAX_PREDICT_ROWS });
  if (n === 0) return { x: new Float64Array(0), n: 0, features: 0 };
  const first = rows[0];
  if (!isRow(first)) throw new PredictError('predict_rows');
  const features = first.length;
  const x = new Float64Array(n * features);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!isRow(row)) throw new PredictError('predict_rows');
    if (row.length !== features) throw new PredictError('predict_ragged', { row: i, got: row.length, expected: features });
    for (let j = 0; j < features; j++) {
      const v = row[j];
      if (v === null) x[i * features + j] = NaN;
      else if (typeof v === 'number' && !(v === Infinity || v === -Infinity)) x[i * features + j] = v;
      else throw new PredictError('predict_not_number', { row: i, column: j });
    }
  }
  return { x, n, features };
}

/** @returns {row is ArrayLike<unknown>} */
const isRow = (/** @type {unknown} */ row) => Array.isArray(row) || (ArrayBuffer.isView(row) && !(row instanceof DataView));

/**
 * The predictions as rows: `k` values per row from the worker's row-major array.
 * @param {Float64Array} values @param {number} n
 * @returns {number[][]}
 */
export function predictionRows(values, n) {
  const k = n ? values.length / n : 0;
  return Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * k, (i + 1) * k)));
}
