// @ts-check
// The text around the pictures: the formula, the metrics table and the confusion matrix, the
// transport buttons' labels, the class picker for new points and the live-growth tools.
import { fmt, h } from './util.js';
import { t, has, language } from './i18n.js';
import { FAMILIES, LIMITS } from './models.js';
import { helpButton } from './help.js';
import { summaryText } from './summary.js';

/** @typedef {import('./types.js').Report} Report */
/** @typedef {import('./types.js').Scores} Scores */
/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Growth} Growth */
/** @typedef {import('./template.js').Dom} Dom */

/** The metrics shown for each task, by their key in the report's scores (labels: `report.<key>`). */
export const CLASSIFICATION_ROWS = ['accuracy', 'balanced_accuracy', 'precision', 'recall', 'f1', 'log_loss', 'roc_auc', 'per_class_recall', 'n'];
export const REGRESSION_ROWS = ['mse', 'rmse', 'r2', 'n'];
/** A clustering's (on data of any task): the adjusted Rand index only where the data has classes. */
export const CLUSTERING_ROWS = ['inertia', 'silhouette', 'adjusted_rand', 'n'];

/**
 * A class's name as the page shows it: the generated data's `class 3` (named so by the wasm) in
 * the page's language, an imported file's own names as they are.
 * @param {string[]} names @param {number} c
 */
export function className(names, c) {
  const name = names[c] ?? `class ${c}`;
  const generated = /^class (\d+)$/.exec(name);
  return generated ? t('page.class', { n: generated[1] }) : name;
}

/** The loss's name (the wasm says it in English; the known ones are in the catalog). */
export const lossName = (/** @type {string} */ name) => (has(`page.loss.${name}`) ? t(`page.loss.${name}`) : name);

/** Shows the report: epoch, formula, metrics, confusion matrix, and what Play and Step do. */
export function showReport(/** @type {Dom} */ dom, /** @type {Report} */ report, /** @type {State} */ state) {
  dom.epoch.textContent = String(report.epoch);
  dom.formula.textContent = report.trained ? summaryText(report.summary) || '–' : t('page.not_trained');
  dom.lossName.textContent = `(${lossName(report.loss_name)})`;
  const classification = report.train.task === 'classification';
  const clustering = report.train.task === 'clustering';
  const labelled = (report.class_names ?? []).length > 0;
  const rows = clustering ? CLUSTERING_ROWS.filter((k) => k !== 'adjusted_rand' || labelled) : classification ? CLASSIFICATION_ROWS : REGRESSION_ROWS;
  const cell = (/** @type {Scores} */ s, /** @type {string} */ key) => {
    if (key === 'n') return String(s.n);
    if (s.n === 0 || !report.trained || s[key] == null) return '–';
    if (key === 'per_class_recall') return (s.per_class_recall ?? []).map((r) => (r == null ? '–' : fmt(r, 2))).join(' / ');
    return fmt(s[key]);
  };
  // The rows (a name and its "?") are made once per task and language; each report only
  // rewrites the numbers, so a focused or open "?" survives training.
  const rowsKey = `${language()}:${rows.join(',')}`;
  if (dom.metrics.dataset.key !== rowsKey) {
    dom.metrics.dataset.key = rowsKey;
    const name = (/** @type {string} */ key) => t(has(`report.${key}.long`) ? `report.${key}.long` : `report.${key}`);
    dom.metrics.replaceChildren(...rows.map((key) =>
      h('tr', {}, h('th', { scope: 'row' }, t(`report.${key}`), ' ', helpButton(`report.${key}`, name(key))), h('td'), h('td'))));
  }
  rows.forEach((key, i) => {
    const cells = dom.metrics.children[i].children;
    cells[1].textContent = cell(report.train, key);
    cells[2].textContent = cell(report.test, key);
  });
  const box = dom.confusion;
  const scores = report.test.n > 0 ? report.test : report.train;
  const confusion = scores.confusion ?? [];
  box.hidden = !classification || !report.trained || !confusion.length;
  if (!box.hidden) {
    const k = confusion.length;
    const names = report.class_names ?? [];
    const label = (/** @type {number} */ c) => className(names, c);
    // Columns carry the chip only (the names would not fit); rows and tooltips carry the names.
    const chip = (/** @type {number} */ c) => h('i', { className: `chip c${c}` });
    const head = Array.from({ length: k }, (_, j) => {
      const short = k <= 3 && label(j).length <= 4;
      return h('th', { scope: 'col', title: label(j) }, chip(j), short ? label(j) : h('span', { className: 'sr-only', textContent: label(j) }));
    });
    const body = confusion.map((row, i) =>
      h('tr', {}, h('th', { scope: 'row', title: label(i) }, chip(i), label(i)),
        ...row.map((v, j) => h('td', { className: i === j ? 'hit' : v ? 'miss' : '', textContent: String(v) }))));
    const subset = t(report.test.n > 0 ? 'view.subset.test' : 'view.subset.train');
    box.replaceChildren(
      h('h2', {}, `${t('page.confusion')} `, h('small', { textContent: t('page.confusion.note', { subset }) })),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col', textContent: t('page.confusion.true') }), ...head)), h('tbody', {}, ...body)),
    );
  }
  const instant = report.fits_instantly;
  dom.play.disabled = instant;
  // A disabled button says why (it is greyed on the first load of the default, closed-form model).
  dom.play.title = instant ? t('page.play.instant') : t('page.play.title');
  dom.step.textContent = t(instant ? 'page.fit' : state.model.kind === 'tree' ? 'page.split' : clustering ? 'page.lloyd' : 'page.step');
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
    const name = (/** @type {number} */ c) => className(names, c);
    const key = `${language()}:${n}:${this.selected}:${names.join('|')}`;
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.replaceChildren(`${t('page.new_points')} `);
    for (let c = 0; c < n; c++) {
      const b = h('button', { type: 'button', title: t('page.new_points.title', { name: name(c) }) }, h('i', { className: `chip c${c}` }), name(c));
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
  // a family that grows names the layer list its growth adds to (a network's hidden_layers)
  const path = FAMILIES.get(state.model.kind)?.growth;
  const layers = path ? /** @type {import('./types.js').HiddenLayer[]} */ (/** @type {any} */ (state.model)[path] ?? []) : null;
  box.hidden = !layers;
  if (!layers) return;
  const key = language() + JSON.stringify(layers);
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.replaceChildren(`${t('page.grow')} `);
  const neuron = h('button', { type: 'button', textContent: t('page.grow.neuron'), title: t('page.grow.neuron.title'), disabled: layers.length === 0 });
  const which = h('select', { title: t('page.grow.which') });
  which.setAttribute('aria-label', t('page.grow.which'));
  layers.forEach((l, i) => which.append(h('option', { value: String(i + 1), textContent: t('page.grow.option', { n: i + 1, neurons: l.neurons }) })));
  const layer = h('button', { type: 'button', textContent: t('page.grow.layer'), title: t('page.grow.layer.title'), disabled: layers.length >= LIMITS.hiddenLayers });
  neuron.onclick = () => grow({ op: 'neuron', layer: Number(which.value) });
  layer.onclick = () => grow({ op: 'layer', after: layers.length });
  box.append(neuron, which, layer);
}
