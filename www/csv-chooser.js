// @ts-check
// The learner's own data: the CSV buttons (open, download, built-in real datasets), the column
// chooser shown for a file, and the import note. Decoding and parsing for the chooser run in the
// CSV worker (www/csv-reader.js), so a large file does not pause the page; the import itself is
// a request to the training worker.
import { h } from './util.js';
import { t, wordError } from './i18n.js';
import { className } from './readout.js';

/** @typedef {import('./types.js').CsvSummary} CsvSummary */
/** @typedef {import('./types.js').ImportReport} ImportReport */
/**
 * The columns chosen for an import, with where they come from: a built-in sample's id, or the
 * file's size in cells (a small file travels in links).
 * @typedef {{ bytes: Uint8Array, xColumns: number[], target: number, hint: string, name: string, sample?: string, cells?: number }} ImportChoice
 */
/** @typedef {{ id: string, file: string, x: string[], target: string, hint: string }} Sample */

/** A built-in dataset's name in the page's language. */
export const sampleLabel = (/** @type {Sample} */ d) => t(`data.sample.${d.id}`);

/** Real datasets that ship with the page (sources and licences in www/data/README.md). */
/** @type {Sample[]} */
export const SAMPLES = [
  { id: 'iris', file: 'iris.csv', x: ['petal_length_cm', 'petal_width_cm'], target: 'species', hint: 'classification' },
  { id: 'iris-sepals', file: 'iris.csv', x: ['sepal_length_cm', 'sepal_width_cm'], target: 'species', hint: 'classification' },
  { id: 'diabetes', file: 'diabetes.csv', x: ['bmi'], target: 'progression', hint: 'regression' },
  { id: 'iris-all', file: 'iris.csv', x: ['petal_length_cm', 'petal_width_cm', 'sepal_length_cm', 'sepal_width_cm'], target: 'species', hint: 'classification' },
  { id: 'diabetes-all', file: 'diabetes.csv', x: ['bmi', 's5', 'age', 'sex', 'bp', 's1', 's2', 's3', 's4', 's6'], target: 'progression', hint: 'regression' },
  { id: 'breast-cancer', file: 'breast_cancer.csv', x: ['mean_radius', 'mean_texture'], target: 'diagnosis', hint: 'classification' },
];

/** What the import did, said in one sentence, and how links and reloads bring the data back. */
export function importNote(/** @type {ImportReport} */ r, /** @type {string} */ name, /** @type {string} */ kept) {
  const parts = [t('data.import.rows', { n: r.n_rows, name })];
  if (r.class_names?.length) parts.push(t('data.import.classes', { names: r.class_names.map((_, c) => className(r.class_names ?? [], c)).join(', ') }));
  if (r.rows_with_missing) parts.push(t('data.import.missing', { n: r.rows_with_missing }));
  if (r.dropped_missing_target?.length) parts.push(t('data.import.no_target', { n: r.dropped_missing_target.length }));
  return t('data.import.note', { parts: parts.join(t('data.import.separator')), kept });
}

export class CsvChooser {
  /**
   * @param {{
   *   read: (bytes: Uint8Array) => Promise<{ bytes: Uint8Array, summary: CsvSummary }>,
   *   importData: (choice: ImportChoice) => void,
   *   download: () => void,
   *   fail: (text: string) => void,
   *   opened: () => void,
   * }} actions read a file (as UTF-8, with its summary; rejects with a readable error), import
   *   the chosen columns, download the current points, show an error, and clear it (a new file's
   *   chooser is open)
   */
  constructor(actions) {
    this.actions = actions;
    /** Files asked for so far: a file read after a later one was asked for is not shown. */
    this.reads = 0;
    /** The column chooser, shown while a file waits for its columns. */
    this.panel = h('div', { className: 'csv-panel', hidden: true });
  }

  /** The buttons and the chooser, for the settings panel's row. */
  row() {
    const open = h('button', { type: 'button', textContent: t('data.csv.open'), title: t('data.csv.open.title') });
    const save = h('button', { type: 'button', textContent: t('data.csv.download'), title: t('data.csv.download.title') });
    const file = h('input', { type: 'file', accept: '.csv,.tsv,.txt,text/csv', hidden: true });
    open.onclick = () => file.click();
    file.onchange = async () => {
      const chosen = file.files?.[0];
      if (chosen) this.chooseColumns(new Uint8Array(await chosen.arrayBuffer()), chosen.name);
      file.value = '';
    };
    save.onclick = () => this.actions.download();
    const samples = h('select', { title: t('data.csv.samples') }, h('option', { value: '', textContent: t('data.csv.samples') }),
      ...SAMPLES.map((d, i) => h('option', { value: String(i), textContent: sampleLabel(d) })));
    samples.setAttribute('aria-label', t('data.csv.samples'));
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
      if (!response.ok) throw new Error(t('data.csv.not_loaded', { file: sample.file, status: response.status }));
      const { bytes, summary: { columns } } = await this.actions.read(new Uint8Array(await response.arrayBuffer()));
      const index = (/** @type {string} */ name) => columns.findIndex((c) => c.name === name);
      this.actions.importData({ bytes, xColumns: sample.x.map(index), target: index(sample.target), hint: sample.hint, name: sampleLabel(sample), sample: sample.id });
    } catch (err) {
      this.actions.fail(t('data.csv.unchanged', { reason: wordError(/** @type {Error} */ (err)) }));
    }
  }

  /** A CSV file's columns: the learner picks the features and the target, then imports. */
  async chooseColumns(/** @type {Uint8Array} */ raw, name = t('data.csv.pasted')) {
    const ticket = ++this.reads;
    /** @type {CsvSummary} */
    let summary;
    /** @type {Uint8Array} */
    let bytes;
    try {
      ({ bytes, summary } = await this.actions.read(raw)); // a GBK / GB18030 file too
    } catch (err) {
      if (ticket === this.reads) this.actions.fail(t('data.csv.failed', { name, reason: wordError(/** @type {Error} */ (err)) }));
      return;
    }
    if (ticket !== this.reads) return;
    const panel = this.panel;
    /** @type {[CsvSummary['columns'][number], number][]} */
    const all = summary.columns.map((c, i) => [c, i]);
    const numeric = all.filter(([c]) => c.numeric);
    if (numeric.length === 0) {
      this.actions.fail(t('data.csv.no_numbers', { name }));
      return;
    }
    const option = (/** @type {[CsvSummary['columns'][number], number]} */ [c, i]) =>
      h('option', { value: String(i), textContent: c.missing ? t('data.csv.missing', { name: c.name, n: c.missing }) : c.name });
    const choice = (/** @type {string} */ role, /** @type {Node[]} */ options) => {
      const s = h('select', {}, ...options);
      s.dataset.role = role;
      return s;
    };
    const labelled = (/** @type {string} */ text, /** @type {Node} */ input) => h('label', {}, `${text} `, input);
    const button = (/** @type {string} */ role, /** @type {string} */ text, primary = false) => {
      const b = h('button', { type: 'button', textContent: text, className: primary ? 'primary' : '' });
      b.dataset.role = role;
      return b;
    };
    /** @type {Node[]} */
    const more = [];
    if (numeric.length > 2) {
      const details = h('details', {}, h('summary', {}, `${t('data.csv.more')} `, h('small', { textContent: t('data.csv.more.note') })),
        ...numeric.map(([c, i]) => h('label', { className: 'check' }, h('input', { type: 'checkbox', value: String(i) }), ` ${c.name}`)));
      details.dataset.role = 'more';
      more.push(details);
    }
    panel.replaceChildren(
      h('p', {}, h('b', { textContent: name }), `: ${t('data.csv.summary', { rows: t('data.csv.rows', { n: summary.rows }), columns: t('data.csv.columns', { n: summary.columns.length }) })}`),
      labelled(t('data.csv.x1'), choice('x1', numeric.map(option))),
      labelled(t('data.csv.x2'), choice('x2', [h('option', { value: '', textContent: t('data.csv.x2.none') }), ...numeric.map(option)])),
      ...more,
      labelled(t('data.csv.target'), choice('target', all.map(option))),
      labelled(t('data.csv.task'), choice('hint', [['auto', 'data.csv.task.auto'], ['regression', 'data.csv.task.regression'], ['classification', 'data.csv.task.classification']]
        .map(([value, key]) => h('option', { value, textContent: t(key) })))),
      h('div', { className: 'csv' }, button('go', t('data.csv.import'), true), button('cancel', t('data.csv.cancel'))),
    );
    const select = (/** @type {string} */ role) => /** @type {HTMLSelectElement} */ (panel.querySelector(`select[data-role="${role}"]`));
    select('x1').value = String(numeric[0][1]);
    if (numeric.length > 2 || (numeric.length === 2 && !summary.columns[summary.columns.length - 1].numeric)) select('x2').value = String(numeric[1][1]);
    select('target').value = String(summary.columns.length - 1);
    panel.hidden = false;
    this.actions.opened();
    /** @type {HTMLButtonElement} */ (panel.querySelector('button[data-role="cancel"]')).onclick = () => {
      panel.hidden = true;
    };
    /** @type {HTMLButtonElement} */ (panel.querySelector('button[data-role="go"]')).onclick = () => {
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
