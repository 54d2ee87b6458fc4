// @ts-check
// Cross-validation in the results column: the settings (folds, stratified, metric), Run / Cancel,
// the progress bar, the result line and the per-fold chart. The folds run in the worker.
import { escapeHtml, fitCanvas, fmt } from './util.js';

/** @typedef {import('./types.js').CvReply} CvReply */
/** @typedef {import('./types.js').CvSpec} CvSpec */
/** @typedef {import('./types.js').Wasm} Wasm */
/** @typedef {import('./template.js').Dom} Dom */

/** @type {[string, string][]} */
const CLASSIFICATION_METRICS = [['accuracy', 'accuracy'], ['balanced_accuracy', 'balanced accuracy'], ['f1', 'F1'], ['log_loss', 'log-loss']];
/** @type {[string, string][]} */
const REGRESSION_METRICS = [['r2', 'R²'], ['mse', 'MSE'], ['rmse', 'RMSE'], ['mae', 'MAE']];

export class CvPanel {
  /**
   * @param {Dom} dom
   * @param {{ classification: () => boolean, send: (msg: Record<string, unknown>) => void, newId: () => number, wasm: () => Wasm | null }} host
   */
  constructor(dom, host) {
    this.dom = dom;
    this.host = host;
    /** Whether a cross-validation is running (the button cancels it). */
    this.running = false;
    dom.cvRun.onclick = () => this.run();
  }

  /** Starts a k-fold cross-validation in the worker, or cancels the running one. */
  run() {
    const { dom } = this;
    if (this.running) {
      this.host.send({ type: 'cv-cancel' });
      return;
    }
    /** @type {CvSpec} */
    const spec = { k: Number(dom.cvK.value), stratified: dom.cvStrat.checked, metric: dom.cvMetric.value };
    if (!this.host.classification()) spec.stratified = false;
    this.running = true;
    dom.cvRun.textContent = 'Cancel';
    dom.cvResult.textContent = '';
    this.host.send({ type: 'cv', id: this.host.newId(), spec });
  }

  /** A fold's score, the end, a cancel or an error. */
  progress(/** @type {CvReply} */ msg) {
    const { dom } = this;
    const bar = dom.cvProgress;
    bar.hidden = false;
    bar.max = msg.total;
    bar.value = msg.scores.length;
    if (msg.done || msg.cancelled || msg.error) this.finish();
    const metric = dom.cvMetric.selectedOptions[0]?.textContent ?? '';
    if (msg.error) dom.cvResult.textContent = `Stopped: ${msg.error}`;
    else if (msg.cancelled) dom.cvResult.textContent = `Cancelled after ${msg.scores.length} of ${msg.total} folds.`;
    else if (msg.done) {
      const mean = msg.scores.reduce((a, b) => a + b, 0) / msg.scores.length;
      const std = Math.sqrt(msg.scores.reduce((a, b) => a + (b - mean) ** 2, 0) / msg.scores.length);
      dom.cvResult.textContent = `${metric}: ${fmt(mean)} ± ${fmt(std, 2)} over ${msg.total} folds (each transform fitted on its training folds only)`;
    } else dom.cvResult.textContent = `fold ${msg.scores.length + 1} of ${msg.total}…`;
    const chart = dom.cvChart;
    chart.hidden = msg.scores.length === 0;
    const wasm = this.host.wasm();
    if (!chart.hidden && wasm) {
      const ratio = window.devicePixelRatio || 1;
      fitCanvas(chart, ratio);
      wasm.renderView(chart, 'bars', { labels: msg.scores.map((_, i) => `fold ${i + 1}`), values: msg.scores, title: metric }, ratio);
    }
  }

  /** Back to Run (the run ended, or the worker that ran it is gone). */
  finish() {
    this.running = false;
    this.dom.cvRun.textContent = 'Run';
    this.dom.cvProgress.hidden = true;
  }

  /** The metrics cross-validation can score, for the current task. */
  sync() {
    const select = this.dom.cvMetric;
    const classification = this.host.classification();
    const options = classification ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
    const key = options.map(([v]) => v).join();
    if (select.dataset.key === key) return;
    select.dataset.key = key;
    select.innerHTML = options.map(([v, t]) => `<option value="${v}">${escapeHtml(t)}</option>`).join('');
    /** @type {HTMLElement} */ (this.dom.cvStrat.parentElement).hidden = !classification;
  }
}
