// @ts-check
// index.html's first script (async, in its head; embeds do not load it): while the element's
// bundle is still on its way, it starts what the first picture waits for — the wasm's
// compilation as it downloads (engine.js; index.html preloads the file) and the training worker
// the page's element will take (the element sits at the top of the page) — and registers the
// service worker (offline.js).
import { scriptUrl } from './util.js';
import { startEarlyWorker, wasmModule } from './engine.js';
import './offline.js';

wasmModule().catch(() => {}); // (a failure is the element's to report)
startEarlyWorker(() => new Worker(scriptUrl(new URL('./worker.bundle.js', import.meta.url)), { type: 'module' }));
