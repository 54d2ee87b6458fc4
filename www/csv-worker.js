// @ts-check
// Reads a CSV file off the main thread (issue 10 item 23): decodes it (UTF-8 as it is, anything
// else read as GB18030 and written back as UTF-8: util.js asUtf8) and parses it for the column
// chooser with the wasm's `parseCsv` (its own wasm instance), so a 100,000-row file does not
// pause the page. Started on demand by www/csv-reader.js and ended when idle.
//
// main → worker: { type: 'wasm', module? }   (first: the page's compiled wasm, engine.js)   { id, bytes }
// worker → main: { id, bytes, summary }   (bytes: the file as UTF-8, what the import takes)
//                { id, error: { message, ...fields } }   (a file the reader refuses, the line named)
import init, { parseCsv } from './pkg/ml_playground.js';
import { asUtf8 } from './util.js';
import { workerModule } from './engine.js';

/** This worker's global scope (typed loosely: the page's DOM types are not a worker's). */
const scope = /** @type {{ postMessage: (msg: unknown, transfer?: Transferable[]) => void, onmessage: ((event: MessageEvent) => void) | null }} */ (
  /** @type {unknown} */ (self)
);

const wasm = workerModule(init);
const ready = wasm.ready;

scope.onmessage = async (event) => {
  if (wasm.receive(event.data)) return;
  const { id, bytes } = event.data;
  try {
    await ready;
    const utf8 = asUtf8(bytes);
    const summary = parseCsv(utf8);
    scope.postMessage({ id, bytes: utf8, summary }, [utf8.buffer]);
  } catch (err) {
    // An Error loses its own fields (the wasm's `kind`, any code and values) in postMessage:
    // they travel as a plain object.
    const e = /** @type {Error & Record<string, unknown>} */ (err);
    scope.postMessage({ id, error: { ...e, name: e?.name, message: e?.message ?? String(err) } });
  }
};
