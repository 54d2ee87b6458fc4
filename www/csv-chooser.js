// @ts-check
// The learner's own data: the CSV buttons (open, download, built-in real datasets), the column
// chooser shown for a file, and the import note. Parsing for the chooser uses the main thread's
// wasm; the import itself is a request to the worker.
import { escapeHtml, h, plural } from './util.js';

/** @typedef {import('./types.js').CsvSummary} CsvSummary */
/** @typedef {import('./types.js').ImportReport} ImportReport */
/**
 * The columns chosen for an import, with where they come from: a built-in sample's id, or the
 * file's size in cells (a small file travels in links).
 * @typedef {{ bytes: Uint8Array, xColumns: number[], target: number, hint: string, name: string, sample?: string, cells?: number }} ImportChoice
 */
/** @typedef {{ id: string, label: string, file: string, x: string[], target: string, hint: string }} Sample */

/** Real datasets that ship with the page (sources and licences in www/data/README.md). */
/** @type {Sample[]} */
export const SAMPLES = [
  { id: 'iris', label: 'Iris: petal length × width, 3 species', file: 'iris.csv', x: ['petal_length_cm', 'petal_width_cm'], target: 'species', hint: 'classification' },
  { id: 'iris-sepals', label: 'Iris: sepal length × width, 3 species', file: 'iris.csv', x: ['sepal_length_cm', 'sepal_width_cm'], target: 'species', hint: 'classification' },
  { id: 'diabetes', label: 'Diabetes: BMI → disease progression', file: 'diabetes.csv', x: ['bmi'], target: 'progression', hint: 'regression' },
  { id: 'iris-all', label: 'Iris: all four measurements (pick features), 3 species', file: 'iris.csv', x: ['petal_length_cm', 'petal_width_cm', 'sepal_length_cm', 'sepal_width_cm'], target: 'species', hint: 'classification' },
  { id: 'diabetes-all', label: 'Diabetes: all ten features → progression (pick features)', file: 'diabetes.csv', x: ['bmi', 's5', 'age', 'sex', 'bp', 's1', 's2', 's3', 's4', 's6'], target: 'progression', hint: 'regression' },
  { id: 'breast-cancer', label: 'Breast cancer (imbalanced): radius × texture', file: 'breast_cancer.csv', x: ['mean_radius', 'mean_texture'], target: 'diagnosis', hint: 'classification' },
];

/** What the import did, said in one sentence, and how links and reloads bring the data back. */
export function importNote(/** @type {ImportReport} */ r, /** @type {string} */ name, /** @type {string} */ kept) {
  const parts = [`Imported ${plural(r.n_rows, 'row')} from ${name}`];
  if (r.class_names?.length) parts.push(`classes: ${r.class_names.join(', ')}`);
  if (r.rows_with_missing) parts.push(`${plural(r.rows_with_missing, 'row')} with missing values (see “Missing”)`);
  if (r.dropped_missing_target?.length) parts.push(`${plural(r.dropped_missing_target.length, 'row')} without a target left out`);
  return `${parts.join('; ')}. ${kept}`;
}

export class CsvChooser {
  /**
   * @param {{
   *   parse: (bytes: Uint8Array) => CsvSummary,
   *   importData: (choice: ImportChoice) => void,
   *   download: () => void,
   *   fail: (text: string) => void,
   *   opened: () => void,
   * }} actions parse a file (throws a readable error), import the chosen columns, download the
   *   current points, show an error, and clear it (a new file's chooser is open)
   */
  constructor(actions) {
    this.actions = actions;
    /** The column chooser, shown while a file waits for its columns. */
    this.panel = h('div', { className: 'csv-panel', hidden: true });
  }

  /** The buttons and the chooser, for the settings panel's row. */
  row() {
    const open = h('button', { type: 'button', textContent: 'Open CSV…', title: 'Or drop a file on the plot, or paste CSV text' });
    const save = h('button', { type: 'button', textContent: 'Download CSV', title: 'The current points, with your clicks marked' });
    const file = h('input', { type: 'file', accept: '.csv,.tsv,.txt,text/csv', hidden: true });
    open.onclick = () => file.click();
    file.onchange = async () => {
      const chosen = file.files?.[0];
      if (chosen) this.chooseColumns(new Uint8Array(await chosen.arrayBuffer()), chosen.name);
      file.value = '';
    };
    save.onclick = () => this.actions.download();
    const samples = h('select');
    samples.innerHTML = `<option value="">Built-in real data…</option>${SAMPLES.map((d, i) => `<option value="${i}">${escapeHtml(d.label)}</option>`).join('')}`;
    samples.onchange = () => {
      const sample = SAMPLES[Number(samples.value)];
      samples.value = '';
      if (sample) this.loadSample(sample);
    };
    return [h('div', { className: 'csv' }, open, save, file, samples), this.panel];
  }

  /** Imports one of the datasets that ship with the page (www/data/), with preset columns. */
  async loadSample(/** @type {Sample} */ sample) {
    try {
      const response = await fetch(new URL(`./data/${sample.file}`, import.meta.url));
      if (!response.ok) throw new Error(`${sample.file} could not be loaded (${response.status})`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const { columns } = this.actions.parse(bytes);
      const index = (/** @type {string} */ name) => columns.findIndex((c) => c.name === name);
      this.actions.importData({ bytes, xColumns: sample.x.map(index), target: index(sample.target), hint: sample.hint, name: sample.label, sample: sample.id });
    } catch (err) {
      this.actions.fail(`${/** @type {Error} */ (err).message}. Your current data is unchanged.`);
    }
  }

  /** A CSV file's columns: the learner picks the features and the target, then imports. */
  chooseColumns(/** @type {Uint8Array} */ bytes, name = 'pasted text') {
    /** @type {CsvSummary} */
    let summary;
    try {
      summary = this.actions.parse(bytes);
    } catch (err) {
      this.actions.fail(`${name}: ${/** @type {Error} */ (err).message}. Your current data is unchanged.`);
      return;
    }
    const panel = this.panel;
    /** @type {[CsvSummary['columns'][number], number][]} */
    const all = summary.columns.map((c, i) => [c, i]);
    const numeric = all.filter(([c]) => c.numeric);
    if (numeric.length === 0) {
      this.actions.fail(`${name}: no column holds numbers, so there is nothing to plot. Your current data is unchanged.`);
      return;
    }
    const option = (/** @type {[CsvSummary['columns'][number], number]} */ [c, i]) =>
      `<option value="${i}">${escapeHtml(c.name)}${c.missing ? ` (${c.missing} missing)` : ''}</option>`;
    panel.innerHTML = `<p><b>${escapeHtml(name)}</b>: ${plural(summary.rows, 'row')}, ${plural(summary.columns.length, 'column')}</p>
      <label>x / x₁ <select data-role="x1">${numeric.map(option).join('')}</select></label>
      <label>x₂ <select data-role="x2"><option value="">none (1-D regression)</option>${numeric.map(option).join('')}</select></label>
      ${numeric.length > 2 ? `<details data-role="more"><summary>more features <small>(the model uses them; the plot shows a slice)</small></summary>${numeric
        .map(([c, i]) => `<label class="check"><input type="checkbox" value="${i}"> ${escapeHtml(c.name)}</label>`)
        .join('')}</details>` : ''}
      <label>target <select data-role="target">${all.map(option).join('')}</select></label>
      <label>task <select data-role="hint"><option value="auto">auto (text = classes)</option><option value="regression">predict a number</option><option value="classification">classes</option></select></label>
      <div class="csv"><button type="button" data-role="go" class="primary">Import</button><button type="button" data-role="cancel">Cancel</button></div>`;
    const select = (/** @type {string} */ role) => /** @type {HTMLSelectElement} */ (panel.querySelector(`select[data-role="${role}"]`));
    const button = (/** @type {string} */ role) => /** @type {HTMLButtonElement} */ (panel.querySelector(`button[data-role="${role}"]`));
    select('x1').value = String(numeric[0][1]);
    if (numeric.length > 2 || (numeric.length === 2 && !summary.columns[summary.columns.length - 1].numeric)) select('x2').value = String(numeric[1][1]);
    select('target').value = String(summary.columns.length - 1);
    panel.hidden = false;
    this.actions.opened();
    button('cancel').onclick = () => {
      panel.hidden = true;
    };
    button('go').onclick = () => {
      const xColumns = [Number(select('x1').value)];
      if (select('x2').value !== '') xColumns.push(Number(select('x2').value));
      const target = Number(select('target').value);
      for (const box of panel.querySelectorAll('[data-role="more"] input:checked')) {
        const column = Number(/** @type {HTMLInputElement} */ (box).value);
        if (column !== target && !xColumns.includes(column)) xColumns.push(column);
      }
      this.actions.importData({ bytes, xColumns, target, hint: select('hint').value, name, cells: summary.rows * summary.columns.length });
      panel.hidden = true;
    };
  }
}
