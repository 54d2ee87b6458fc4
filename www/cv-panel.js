// @ts-check
// Cross-validation in the results column: the settings (folds, stratified, metric), Run / Cancel,
// the progress bar, the result line and the per-fold chart. The folds run in the worker.
import { fitCanvas, fmt, h } from './util.js';
import { t, language, wordError } from './i18n.js';
import { drawView } from './pictures.js';

/** @typedef {import('./types.js').CvReply} CvReply */
/** @typedef {import('./types.js').CvSpec} CvSpec */
/** @typedef {import('./types.js').Wasm} Wasm */
/** @typedef {import('./template.js').Dom} Dom */

/** The metrics cross-validation scores, by key (labels: `report.<key>`, `.long` where there is one). */
export const CLASSIFICATION_METRICS = ['accuracy', 'balanced_accuracy', 'f1', 'log_loss'];
export const REGRESSION_METRICS = ['r2', 'mse', 'rmse', 'mae'];
/** A clustering's metrics on held-out rows (the adjusted Rand index needs the data's classes). */
export const CLUSTERING_METRICS = ['silhouette', 'inertia', 'adjusted_rand'];
/** The labels with a long form (`report.<key>.long`) in the metric selects. */
const LONG = new Set(['balanced_accuracy', 'inertia', 'adjusted_rand']);
export const metricLabel = (/** @type {string} */ key) => t(LONG.has(key) ? `report.${key}.long` : `report.${key}`);

/**
 * The metrics offered for a model on data: its task's, or a clustering's.
 * @param {boolean} classification @param {boolean} clustering
 */
export function metricsFor(classification, clustering) {
  if (clustering) return classification ? CLUSTERING_METRICS : CLUSTERING_METRICS.filter((m) => m !== 'adjusted_rand');
  return classification ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
}

export class CvPanel {
  /**
   * @param {Dom} dom
   * @param {{ classification: () => boolean, clustering: () => boolean, send: (msg: Record<string, unknown>) => void, newId: () => number, wasm: () => Wasm | null }} host
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
    dom.cvRun.textContent = t('view.cv.cancel');
    dom.cvResult.textContent = '';
    this.host.send({ type: 'cv', id: this.host.newId(), spec });
  }

  /** A fold's score, the end, a cancel or an error. */
  progress(/** @type {CvReply} */ msg) {
    const { dom } = this;
    const bar = dom.cvProgress;
    bar.hidden = false;
    bar.max = msg.total;
    bar.value = msg.scores.length + (msg.fraction ?? 0);
    // Within a fold: the bar moves, the text and chart stay as the last fold left them.
    if (msg.fraction !== undefined) return;
    if (msg.done || msg.cancelled || msg.error) this.finish();
    const metric = dom.cvMetric.selectedOptions[0]?.textContent ?? '';
    if (msg.error) dom.cvResult.textContent = t('view.cv.stopped', { reason: wordError(msg.error) });
    else if (msg.cancelled) dom.cvResult.textContent = t('view.cv.cancelled', { done: msg.scores.length, total: msg.total });
    else if (msg.done) {
      const mean = msg.scores.reduce((a, b) => a + b, 0) / msg.scores.length;
      const std = Math.sqrt(msg.scores.reduce((a, b) => a + (b - mean) ** 2, 0) / msg.scores.length);
      dom.cvResult.textContent = t('view.cv.result', { metric, mean: fmt(mean), std: fmt(std, 2), total: msg.total });
    } else dom.cvResult.textContent = t('view.cv.fold_running', { n: msg.scores.length + 1, total: msg.total });
    const chart = dom.cvChart;
    chart.hidden = msg.scores.length === 0;
    const wasm = this.host.wasm();
    if (!chart.hidden && wasm) {
      const ratio = window.devicePixelRatio || 1;
      fitCanvas(chart, ratio);
      drawView(wasm, chart, 'bars', { labels: msg.scores.map((_, i) => t('view.cv.fold', { n: i + 1 })), values: msg.scores, title: metric }, ratio);
    }
  }

  /** Back to Run (the run ended, or the worker that ran it is gone). */
  finish() {
    this.running = false;
    this.dom.cvRun.textContent = t('view.cv.run');
    this.dom.cvProgress.hidden = true;
  }

  /** The Run / Cancel button in the current language. */
  relabel() {
    this.dom.cvRun.textContent = t(this.running ? 'view.cv.cancel' : 'view.cv.run');
  }

  /** The metrics cross-validation can score, for the current task. */
  sync() {
    const select = this.dom.cvMetric;
    const classification = this.host.classification();
    const options = metricsFor(classification, this.host.clustering());
    const key = `${language()}:${options.join()}`;
    if (select.dataset.key === key) return;
    select.dataset.key = key;
    const chosen = select.value;
    select.replaceChildren(...options.map((v) => h('option', { value: v, textContent: metricLabel(v) })));
    if (options.includes(chosen)) select.value = chosen;
    /** @type {HTMLElement} */ (this.dom.cvStrat.parentElement).hidden = !classification;
  }
}
