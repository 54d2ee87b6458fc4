// @ts-check
// The text around the pictures: the formula, the metrics table and the confusion matrix, the
// transport buttons' labels, the class picker for new points and the live-growth tools.
import { escapeHtml, fmt, h } from './util.js';
import { LIMITS } from './models.js';

/** @typedef {import('./types.js').Report} Report */
/** @typedef {import('./types.js').Scores} Scores */
/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Growth} Growth */
/** @typedef {import('./template.js').Dom} Dom */

/** @type {[label: string, key: string][]} */
const CLASSIFICATION_ROWS = [['accuracy', 'accuracy'], ['balanced acc.', 'balanced_accuracy'], ['precision', 'precision'], ['recall', 'recall'],
  ['F1', 'f1'], ['log-loss', 'log_loss'], ['ROC AUC', 'roc_auc'], ['recall per class', 'per_class_recall'], ['points', 'n']];
/** @type {[label: string, key: string][]} */
const REGRESSION_ROWS = [['MSE', 'mse'], ['RMSE', 'rmse'], ['R²', 'r2'], ['points', 'n']];

/** Shows the report: epoch, formula, metrics, confusion matrix, and what Play and Step do. */
export function showReport(/** @type {Dom} */ dom, /** @type {Report} */ report, /** @type {State} */ state) {
  dom.epoch.textContent = String(report.epoch);
  dom.formula.textContent = report.trained ? report.summary.formula || '–' : 'not trained yet';
  dom.lossName.textContent = `(${report.loss_name})`;
  const classification = report.train.task === 'classification';
  const rows = classification ? CLASSIFICATION_ROWS : REGRESSION_ROWS;
  const cell = (/** @type {Scores} */ s, /** @type {string} */ key) => {
    if (key === 'n') return String(s.n);
    if (s.n === 0 || !report.trained) return '–';
    if (key === 'per_class_recall') return (s.per_class_recall ?? []).map((r) => (r == null ? '–' : fmt(r, 2))).join(' / ');
    return fmt(s[key]);
  };
  dom.metrics.innerHTML = rows
    .map(([label, key]) => `<tr><th>${label}</th><td>${cell(report.train, key)}</td><td>${cell(report.test, key)}</td></tr>`)
    .join('');
  const box = dom.confusion;
  const scores = report.test.n > 0 ? report.test : report.train;
  const confusion = scores.confusion ?? [];
  box.hidden = !classification || !report.trained || !confusion.length;
  if (!box.hidden) {
    const k = confusion.length;
    const names = report.class_names ?? [];
    // Columns carry the chip only (the names would not fit); rows and tooltips carry the names.
    const label = (/** @type {number} */ c) => escapeHtml(names[c] ?? c);
    const head = Array.from({ length: k }, (_, j) => `<th title="${label(j)}"><i class="chip c${j}"></i>${k > 3 || String(names[j] ?? j).length > 4 ? '' : label(j)}</th>`).join('');
    const body = confusion
      .map((row, i) => `<tr><th title="${label(i)}"><i class="chip c${i}"></i>${label(i)}</th>${row.map((v, j) => `<td class="${i === j ? 'hit' : v ? 'miss' : ''}">${v}</td>`).join('')}</tr>`)
      .join('');
    box.innerHTML = `<h3>Confusion <small>(${report.test.n > 0 ? 'test' : 'train'}; rows true, columns predicted)</small></h3>
      <table><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table>`;
  }
  const instant = report.fits_instantly;
  dom.play.disabled = instant;
  // A disabled button says why (it is greyed on the first load of the default, closed-form model).
  dom.play.title = instant ? 'This model fits at once (closed form, refitted on every change): there is nothing to play. Choose gradient descent to watch it train.' : 'Train continuously (steps per frame at each frame)';
  dom.step.textContent = instant ? 'Fit ›' : state.model.kind === 'tree' ? 'Split ›' : 'Step ›';
}

/** The buttons under the plot that choose the class of clicked points. */
export class ClassPicker {
  constructor(/** @type {HTMLElement} */ box) {
    this.box = box;
    /** @type {number | null} the class new points get (null for regression) */
    this.selected = null;
  }

  show(/** @type {number} */ n, /** @type {string[]} */ names) {
    const box = this.box;
    box.hidden = n < 2;
    if (box.hidden) {
      this.selected = null;
      return;
    }
    if (this.selected == null || this.selected >= n) this.selected = 0;
    const name = (/** @type {number} */ c) => names[c] ?? `class ${c}`;
    const key = `${n}:${this.selected}:${names.join('|')}`;
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.innerHTML = 'New points: ';
    for (let c = 0; c < n; c++) {
      const b = h('button', { type: 'button', title: `Clicks add points of ${name(c)}` }, h('i', { className: `chip c${c}` }), name(c));
      b.setAttribute('aria-pressed', String(c === this.selected));
      b.onclick = () => {
        this.selected = c;
        this.show(n, names);
      };
      box.append(b);
    }
  }
}

/** Live growth of a neural network (Net2Net: the predictions stay the same). */
export function showGrowTools(/** @type {HTMLElement} */ box, /** @type {State} */ state, /** @type {(growth: Growth) => void} */ grow) {
  const layers = state.model.kind === 'mlp' ? /** @type {import('./types.js').HiddenLayer[]} */ (state.model.hidden_layers ?? []) : null;
  box.hidden = !layers;
  if (!layers) return;
  const key = JSON.stringify(layers);
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.innerHTML = 'Grow now: ';
  const neuron = h('button', { type: 'button', textContent: '+ neuron', title: 'Split a neuron of the chosen layer in two; the predictions do not change', disabled: layers.length === 0 });
  const which = h('select');
  layers.forEach((l, i) => which.append(h('option', { value: String(i + 1), textContent: `layer ${i + 1} (${l.neurons})` })));
  const layer = h('button', { type: 'button', textContent: '+ layer', title: 'Insert a layer that starts as the identity; the predictions do not change', disabled: layers.length >= LIMITS.hiddenLayers });
  neuron.onclick = () => grow({ op: 'neuron', layer: Number(which.value) });
  layer.onclick = () => grow({ op: 'layer', after: layers.length });
  box.append(neuron, which, layer);
}
