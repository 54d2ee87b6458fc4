// @ts-check
// The element's side of the training worker (www/worker.js): starts it, numbers every request,
// counts the requests not yet answered by a snapshot, and hands each reply to the element with
// the request it answers.

/** @typedef {import('./types.js').Request} Request */
/** @typedef {import('./types.js').WorkerReply} WorkerReply */
/** @typedef {import('./types.js').Snapshot} Snapshot */
/** @typedef {{ type: string, surface: [number, number] | null }} Sent */

/**
 * @typedef {{
 *   snapshot: (msg: Snapshot, request: Sent | undefined) => void,
 *   error: (msg: { id: number, kind: string, message: string }) => void,
 *   other: (msg: WorkerReply) => void,
 *   failed: (text: string) => void,
 * }} Handlers
 */

export class WorkerClient {
  /**
   * @param {Handlers} handlers what to do with each kind of reply
   * @param {() => { samples: number, surface: [number, number] | null }} wants what every request
   *   asks for besides its own fields: curve samples and the decision surface's size
   */
  constructor(handlers, wants) {
    /** @type {Handlers} */
    this.handlers = handlers;
    this.wants = wants;
    /** @type {Worker | null} */
    this.worker = null;
    /** The id of the next request. */
    this.nextId = 1;
    /** Requests sent and not yet answered by a snapshot. */
    this.inflight = 0;
    /** @type {Map<number, Sent>} what each request in flight asked for */
    this.requests = new Map();
  }

  start() {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (e) => this.receive(e.data);
    worker.onerror = (e) => this.handlers.failed(`the training worker failed: ${e.message}`);
    this.worker = worker;
  }

  stop() {
    this.worker?.terminate();
    this.worker = null;
  }

  /** Sends a request with a fresh id and what the canvas wants; returns the id. */
  post(/** @type {Request} */ request) {
    const { samples, surface } = this.wants();
    const msg = { ...request, id: this.nextId++, samples, surface };
    this.requests.set(msg.id, { type: msg.type, surface });
    this.inflight++;
    this.worker?.postMessage(msg);
    return msg.id;
  }

  /** Sends a message outside the request/snapshot cycle (cross-validation). */
  send(/** @type {Record<string, unknown>} */ msg) {
    this.worker?.postMessage(msg);
  }

  /** A fresh id for a message sent with `send`. */
  newId() {
    return this.nextId++;
  }

  receive(/** @type {WorkerReply} */ msg) {
    if (msg.type === 'snapshot') {
      this.inflight = Math.max(0, this.inflight - 1);
      const request = this.requests.get(msg.id);
      this.requests.delete(msg.id);
      this.handlers.snapshot(msg, request);
    } else if (msg.type === 'error') {
      this.handlers.error(msg);
    } else {
      this.handlers.other(msg);
    }
  }
}
