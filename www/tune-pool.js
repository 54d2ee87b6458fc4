// @ts-check
// The Tune panel's pool of Web Workers (tune-worker.js): a few workers, made once and reused for
// every trial of every run, each holding a copy of the data and scoring one trial (or running one
// outer fold of nested cross-validation) at a time. A
// trial is cancelled by ending the worker that runs it (a cross-validation is one synchronous
// call), which is replaced at once; a worker that dies mid-trial has its trial retried once.
import { scriptUrl } from './util.js';
import { sendModule } from './engine.js';

/**
 * What a worker answers (tune-worker.js): a trial's scores, an outer fold of nested
 * cross-validation, or a picture's numbers; `error` (with `code` and `values`) when it failed.
 * @typedef {{ score?: number, std?: number, running?: number[], pruned?: boolean, folds?: number, rungs?: number[], epochs?: number,
 *   picked?: unknown, inner_best?: number, outer?: number, surface?: any, importance?: number[],
 *   error?: string, code?: string, error_values?: unknown, ms: number }} TrialResult
 */
/** @typedef {{ id: number, msg: Record<string, unknown>, resolve: (r: TrialResult) => void, tries: number }} Job */

/** How many workers: one per core but one (the page's own thread and training worker), 1 to 4. */
export function poolSize() {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(4, cores - 1));
}

export class TunePool {
  constructor(size = poolSize()) {
    this.size = size;
    /** @type {{ worker: Worker, job: Job | null }[]} */
    this.slots = [];
    /** @type {Job[]} trials waiting for a free worker */
    this.queue = [];
    /** @type {Record<string, unknown> | null} the data message every worker gets */
    this.data = null;
  }

  /** A new worker in slot `i`, given the data. */
  spawn(/** @type {number} */ i) {
    const worker = new Worker(scriptUrl(new URL('./tune-worker.js', import.meta.url)), { type: 'module' });
    sendModule(worker);
    const slot = { worker, job: /** @type {Job | null} */ (null) };
    worker.onmessage = (e) => {
      const msg = e.data;
      if (msg.type !== 'result' || this.slots[i] !== slot) return;
      const job = slot.job;
      slot.job = null;
      if (job && job.id === msg.id) {
        const { type: _, id: __, ...result } = msg;
        job.resolve(result);
      }
      this.next(i);
    };
    // A worker that fails (a trap that ends it, out of memory): its trial once more on a new one.
    worker.onerror = (e) => {
      e.preventDefault();
      if (this.slots[i] !== slot) return;
      const job = slot.job;
      worker.terminate();
      this.spawn(i);
      if (job) {
        if (job.tries < 2) {
          job.tries += 1;
          this.queue.unshift(job);
        } else job.resolve({ error: e.message || 'the worker stopped', ms: 0 });
      }
      this.next(i);
    };
    if (this.data) worker.postMessage(this.data);
    this.slots[i] = slot;
  }

  /** Gives every worker (made now if need be) the data the trials are scored on. */
  setData(/** @type {Record<string, unknown>} */ data) {
    this.data = { ...data, type: 'data' };
    for (let i = 0; i < this.size; i++) {
      if (!this.slots[i]) this.spawn(i);
      else this.slots[i].worker.postMessage(this.data);
    }
  }

  /**
   * Sends `msg` (a trial: `{ type: 'trial', params, medians }`, or any other job of
   * tune-worker.js) to the next free worker; resolves with its answer.
   */
  run(/** @type {number} */ id, /** @type {Record<string, unknown>} */ msg) {
    return new Promise((/** @type {(r: TrialResult) => void} */ resolve) => {
      this.queue.push({ id, msg, resolve, tries: 1 });
      const free = this.slots.findIndex((s) => s && !s.job);
      if (free >= 0) this.next(free);
    });
  }

  /** Starts the next waiting trial on worker `i` if it is free. */
  next(/** @type {number} */ i) {
    const slot = this.slots[i];
    if (!slot || slot.job) return;
    const job = this.queue.shift();
    if (!job) return;
    slot.job = job;
    slot.worker.postMessage({ ...job.msg, id: job.id });
  }

  /** Drops the waiting trials and ends the running ones (their workers are replaced). */
  cancel() {
    this.queue = [];
    this.slots.forEach((slot, i) => {
      if (slot?.job) {
        slot.worker.terminate();
        this.spawn(i);
      }
    });
  }

  /** Ends every worker. */
  stop() {
    this.queue = [];
    for (const slot of this.slots) slot?.worker.terminate();
    this.slots = [];
  }
}
