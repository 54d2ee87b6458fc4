// @ts-check
// The wasm, downloaded and compiled once per page and shared. `wasmModule()` compiles it while it
// downloads (WebAssembly.compileStreaming); the main thread's instance (drawing, state checks) and
// every worker's (training, tuning, CSV) are made from that one WebAssembly.Module, which the page
// hands to each worker by postMessage (`sendModule`), so a page with any number of elements
// fetches and compiles the file once. A worker that gets no module (`{ type: 'wasm' }` without
// one) loads the file itself, as before.
/** @typedef {import('./types.js').Wasm} Wasm */

/** @type {Promise<WebAssembly.Module> | null} */
let compiled = null;

/** The compiled wasm module, made once per page (again after a failure). */
export function wasmModule() {
  if (!compiled) {
    const url = new URL('./pkg/ml_playground_bg.wasm', import.meta.url);
    compiled = (async () => {
      try {
        return await WebAssembly.compileStreaming(fetch(url));
      } catch (err) {
        // A server that sends the file with another MIME type than application/wasm: compile its bytes.
        if (!(err instanceof TypeError)) throw err;
        const response = await fetch(url);
        if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
        return WebAssembly.compile(await response.arrayBuffer());
      }
    })();
    compiled.catch(() => {
      compiled = null;
    });
  }
  return compiled;
}

/** Gives `worker` the page's compiled module (first message it acts on); without one, it loads its own. */
export function sendModule(/** @type {Worker} */ worker) {
  wasmModule().then(
    (module) => worker.postMessage({ type: 'wasm', module }),
    () => worker.postMessage({ type: 'wasm' }),
  );
}

/** @type {Worker | null} a training worker started with the page, not yet taken by an element */
let early = null;
/** Whether an element has started its worker (then none is started early: it would go unused). */
let claimed = false;

/**
 * Starts a training worker now (`make` makes it), for the first element that starts one to take
 * (`takeEarlyWorker`): index.html's element is at the top of its page, and a worker started while
 * the element's script is still on its way boots while the main thread is idle (a worker's start
 * waits for the page's main thread, which is busy once the element runs). It gets the compiled
 * module as soon as there is one.
 */
export function startEarlyWorker(/** @type {() => Worker} */ make) {
  // (the element's script may run first: its worker is then started already)
  if (early || claimed) return;
  early = make();
  sendModule(early);
}

/** The worker `startEarlyWorker` started (it has its module, or will), once; else null. Called
 * by every worker start, so a later `startEarlyWorker` starts none. */
export function takeEarlyWorker() {
  claimed = true;
  const worker = early;
  early = null;
  return worker;
}

/** @type {Promise<Wasm> | null} */
let enginePromise = null;
/** The main thread's wasm instance (rendering and state checks only), made once per page. */
export function engine() {
  if (!enginePromise) {
    enginePromise = import('./pkg/ml_playground.js').then(async (m) => {
      await m.default({ module_or_path: await wasmModule() });
      return m;
    });
  }
  return enginePromise;
}

/**
 * In a worker: a promise of the wasm's initialisation from the module the page sends in its
 * `{ type: 'wasm', module }` message; call `receive(msg)` on each message (true when it was that one).
 * @param {(input?: { module_or_path: WebAssembly.Module | URL }) => Promise<unknown>} init the glue's default export
 */
export function workerModule(init) {
  /** @type {(module: WebAssembly.Module | undefined) => void} */
  let got = () => {};
  /** @type {Promise<WebAssembly.Module | undefined>} */
  const module = new Promise((resolve) => {
    got = resolve;
  });
  // (without a module the worker fetches the file itself, named here rather than by the glue:
  // in the worker's bundle the glue's own URL is not www/pkg/'s)
  const ready = module.then((m) => init({ module_or_path: m ?? new URL('./pkg/ml_playground_bg.wasm', import.meta.url) }));
  return {
    ready,
    /** @param {any} msg */
    receive(msg) {
      if (msg?.type !== 'wasm') return false;
      got(msg.module instanceof WebAssembly.Module ? msg.module : undefined);
      return true;
    },
  };
}
