// @ts-check
// Hyper-parameter tuning in the results column: which settings to search (built from the model
// descriptor, tune-space.js) with their ranges, the strategy, the budget, the folds and metric,
// Start / Cancel and "Use best". The search itself is the engine's (`Search`: suggest / observe,
// on this thread); each trial is scored by cross-validation in the pool of workers
// (tune-pool.js) on the training worker's data (`tune-data`). Results show as they come: the
// table of trials (sortable, the best highlighted), the history with the best so far, and for one
// or two settings the score over them. The setup is part of the page's state (`state.tune`), so
// a link reproduces it.
import { fitCanvas, fmt, h, clone } from './util.js';
import { t, language } from './i18n.js';
import { metricsFor, metricLabel } from './cv-panel.js';
import { candidates, toParam } from './tune-space.js';
import { optionLabel } from './model-controls.js';
import { TunePool, poolSize } from './tune-pool.js';
import { DESCRIPTOR } from './models.js';

/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Wasm} Wasm */
/** @typedef {import('./types.js').TuneData} TuneData */
/** @typedef {import('./types.js').TuneDataReply} TuneDataReply */
/** @typedef {import('./template.js').Dom} Dom */
/** @typedef {import('./tune-space.js').Candidate} Candidate */
/**
 * One finished trial: its number (in order of suggestion), the searched values, the whole model
 * params, and its score (mean over the folds), spread and time; `error` when it failed.
 * @typedef {{ n: number, values: Record<string, unknown>, params: any, score?: number, std?: number, error?: string, ms: number }} Trial
 */
/**
 * @typedef {{ space: any[], strategy: { kind: string }, trials: number, k: number, metric?: string | null, seed: number }} TuneSetup
 */

const STRATEGIES = ['grid', 'random', 'bayes', 'tpe', 'genetic', 'nelder_mead'];

/**
 * @typedef {{
 *   state: () => State | null,
 *   classification: () => boolean,
 *   clustering: () => boolean,
 *   wasm: () => Wasm | null,
 *   send: (msg: Record<string, unknown>) => void,
 *   newId: () => number,
 *   configure: (next: State) => void,
 * }} TuneHost
 */

export class TunePanel {
  /** @param {Dom} dom @param {TuneHost} host */
  constructor(dom, host) {
    this.dom = dom;
    this.host = host;
    /** @type {TunePool | null} made at the first Start, reused after */
    this.pool = null;
    /** How many workers the pool has (one per core but one, 1 to 4; the page benchmark sets it). */
    this.workers = poolSize();
    /** @type {Map<string, { on: boolean, low?: number, high?: number, log?: boolean }>} the learner's choices, by path */
    this.choices = new Map();
    /** @type {Candidate[]} the settings offered for the current model */
    this.offered = [];
    /** The key of what the rows show (model kind, task, layers, language). */
    this.shown = '';
    /** The setup last read from a state (so a link's setup is shown once, not over the learner's edits). */
    this.adopted = '';
    /** @type {Trial[]} */
    this.trials = [];
    /** @type {Candidate[]} the settings of the run shown */
    this.searched = [];
    this.greater = true;
    /** The metric of the run shown (its key, and its label in the current language). */
    this.metricKey = '';
    this.metric = '';
    /** The seed of the search (a link's, else 1). */
    this.seed = 1;
    /** @type {{ token: number, search: any, launched: number, running: number, total: number, exhausted: boolean, cancelled: boolean } | null} */
    this.run = null;
    this.token = 0;
    /** @type {{ col: string, up: boolean }} the table's order */
    this.sort = { col: 'n', up: true };
    /** @type {Map<number, (reply: TuneDataReply) => void>} */
    this.waiting = new Map();
    dom.tuneStart.onclick = () => (this.run ? this.cancel() : this.start());
    dom.tuneBest.onclick = () => this.useBest();
    this.fillStrategies();
  }

  fillStrategies() {
    const select = this.dom.tuneStrategy;
    const chosen = select.value || 'random';
    select.replaceChildren(...STRATEGIES.map((s) => h('option', { value: s, textContent: t(`tune.strategy.${s}`) })));
    select.value = chosen;
  }

  /** The metrics offered, for the current task (as the cross-validation panel's). */
  syncMetrics() {
    const select = this.dom.tuneMetric;
    const options = metricsFor(this.host.classification(), this.host.clustering());
    const key = `${language()}:${options.join()}`;
    if (select.dataset.key === key) return;
    select.dataset.key = key;
    const chosen = select.value;
    select.replaceChildren(...options.map((v) => h('option', { value: v, textContent: metricLabel(v) })));
    if (options.includes(chosen)) select.value = chosen;
  }

  /** Brings the panel up to date with the state: the settings offered, a link's setup. */
  sync() {
    const state = this.host.state();
    const descriptor = DESCRIPTOR.current;
    if (!state || !descriptor) return;
    this.syncMetrics();
    const setup = /** @type {TuneSetup | undefined} */ (state.tune);
    const setupKey = setup ? JSON.stringify(setup) : '';
    if (setup && setupKey !== this.adopted && !this.run) this.adopt(setup);
    this.adopted = setupKey;
    const classification = this.host.classification();
    this.offered = candidates(descriptor, state.model, classification);
    const key = `${state.model.kind}:${classification}:${language()}:${this.offered.map((c) => c.path).join()}`;
    if (key !== this.shown) {
      this.shown = key;
      this.renderRows();
    }
  }

  /** Shows a saved setup: its settings checked with their ranges, its strategy, budget, folds. */
  adopt(/** @type {TuneSetup} */ setup) {
    this.choices.clear();
    for (const p of setup.space) {
      this.choices.set(p.path, { on: true, low: p.low, high: p.high, log: p.type === 'log_uniform' || p.log === true });
    }
    this.dom.tuneStrategy.value = setup.strategy.kind;
    this.dom.tuneTrials.value = String(setup.trials);
    this.dom.tuneK.value = String(setup.k);
    if (setup.metric) this.dom.tuneMetric.value = setup.metric;
    this.seed = setup.seed;
    this.shown = '';
  }

  /** A candidate's label in the current language. */
  label(/** @type {Candidate} */ c) {
    return t(c.label, c.n ? { n: c.n } : undefined);
  }

  /** One row per setting offered: a checkbox, and for numbers the range and the log scale. */
  renderRows() {
    const rows = this.offered.map((c, i) => {
      const choice = this.choices.get(c.path) ?? { on: false };
      const id = `tune-p${i}`;
      const box = h('input', { type: 'checkbox', id, checked: choice.on });
      box.dataset.path = c.path;
      box.onchange = () => {
        this.choose(c, { on: box.checked });
        if (range) range.hidden = !box.checked;
      };
      /** @type {HTMLElement | null} the range of a number, shown while it is searched */
      let range = null;
      const row = h('div', { className: 'tune-param' }, h('label', { htmlFor: id }, box, ' ', this.label(c)));
      if (c.type === 'categorical') {
        const values = (c.choices ?? []).map((v) => this.valueText(c.path, v)).join(language() === 'zh' ? '、' : ', ');
        row.append(h('span', { className: 'tune-choices' }, values));
      } else {
        const number = (/** @type {'low' | 'high'} */ end) => {
          const input = h('input', { type: 'number', step: 'any', className: `tune-${end}`, value: String(choice[end] ?? c[end]) });
          input.setAttribute('aria-label', t(`tune.${end}`, { name: this.label(c) }));
          input.onchange = () => this.choose(c, { [end]: Number(input.value) });
          return input;
        };
        const log = h('input', { type: 'checkbox', className: 'tune-log', checked: choice.log ?? (c.type === 'log_uniform' || !!c.log) });
        log.onchange = () => this.choose(c, { log: log.checked });
        range = h('span', { className: 'tune-range', hidden: !choice.on }, number('low'), h('span', {}, '–'), number('high'), h('label', {}, log, ' ', t('tune.log')));
        row.append(range);
      }
      return row;
    });
    this.dom.tuneParams.replaceChildren(...rows);
    this.dom.tuneNone.hidden = rows.length > 0;
  }

  /** Keeps a change of a row. */
  choose(/** @type {Candidate} */ c, /** @type {{ on?: boolean, low?: number, high?: number, log?: boolean }} */ change) {
    const before = this.choices.get(c.path) ?? { on: false };
    this.choices.set(c.path, { ...before, ...change });
  }

  /** The setup the panel shows, for the state and the engine. @returns {{ setup: TuneSetup, chosen: Candidate[] }} */
  setup() {
    const chosen = this.offered.filter((c) => this.choices.get(c.path)?.on);
    const space = chosen.map((c) => toParam(c, this.choices.get(c.path)));
    const metric = this.dom.tuneMetric.value || null;
    const setup = {
      space,
      strategy: { kind: this.dom.tuneStrategy.value },
      trials: Math.round(Number(this.dom.tuneTrials.value)),
      k: Number(this.dom.tuneK.value),
      metric,
      seed: this.seed,
    };
    return { setup, chosen };
  }

  /** Asks the training worker for its data (the rows, the pipeline, the seed of the folds). */
  requestData() {
    const id = this.host.newId();
    return new Promise((/** @type {(reply: TuneDataReply) => void} */ resolve) => {
      this.waiting.set(id, resolve);
      this.host.send({ type: 'tune-data', id });
    });
  }

  /** The training worker's answer to `requestData`. */
  received(/** @type {TuneDataReply} */ msg) {
    const resolve = this.waiting.get(msg.id);
    this.waiting.delete(msg.id);
    resolve?.(msg);
  }

  /** The training worker died: a request for its data will not be answered. */
  lostData() {
    for (const [id, resolve] of this.waiting) resolve({ id, type: 'tune-data', error: t('msg.worker_restarted') });
    this.waiting.clear();
  }

  status(/** @type {string} */ text) {
    this.dom.tuneStatus.textContent = text;
  }

  /** Starts a search with the setup shown; its setup goes into the state (and so into links). */
  async start() {
    const state = this.host.state();
    const wasm = this.host.wasm();
    if (!state || !wasm) return;
    const { setup, chosen } = this.setup();
    if (chosen.length === 0) {
      this.status(t('tune.none_chosen'));
      return;
    }
    const classification = this.host.classification();
    const metric = setup.metric ?? (this.host.clustering() ? 'silhouette' : classification ? 'accuracy' : 'r2');
    const greater = ['accuracy', 'balanced_accuracy', 'f1', 'r2', 'silhouette', 'adjusted_rand'].includes(metric);
    /** @type {any} */
    let search;
    try {
      search = new wasm.Search(setup.space, { strategy: setup.strategy, trials: setup.trials, seed: setup.seed }, state.model, greater);
    } catch (err) {
      this.status(t('tune.failed', { reason: /** @type {Error} */ (err).message }));
      return;
    }
    const next = clone(state);
    next.tune = setup;
    this.adopted = JSON.stringify(setup);
    this.host.configure(next);
    const token = ++this.token;
    this.run = { token, search, launched: 0, running: 0, total: setup.trials, exhausted: false, cancelled: false };
    this.trials = [];
    this.searched = chosen;
    this.greater = greater;
    this.metricKey = metric;
    this.metric = metricLabel(metric);
    this.sort = { col: 'n', up: true };
    this.setRunning(true);
    this.show();
    const reply = await this.requestData();
    if (this.run?.token !== token) return;
    if (!reply.data) {
      this.finish(t('tune.failed', { reason: reply.error ?? '' }));
      return;
    }
    const data = reply.data;
    if (this.pool && this.pool.size !== this.workers) this.pool.stop();
    if (!this.pool || this.pool.size !== this.workers) this.pool = new TunePool(this.workers);
    const stratified = classification;
    this.pool.setData({ x: data.x, y: data.y, n_features: data.n_features, n_classes: data.n_classes,
      cv: { k: setup.k, stratified, metric, seed: data.seed, pipeline: data.pipeline } });
    this.pump();
  }

  /** Hands out trials while workers are free and the budget lasts; ends the run when all are in. */
  pump() {
    const run = this.run;
    const pool = this.pool;
    if (!run || !pool || run.cancelled) return;
    while (run.running < pool.size && run.launched < run.total && !run.exhausted) {
      /** @type {{ id: number, values: Record<string, unknown>, params: any }[]} */
      const [suggestion] = run.search.suggest(1);
      if (!suggestion) {
        // a grid has run out, or a generation waits for its last results
        if (run.running === 0) run.exhausted = true;
        break;
      }
      run.launched += 1;
      run.running += 1;
      const n = run.launched;
      pool.run(suggestion.id, suggestion.params).then((result) => {
        if (this.run !== run || run.cancelled) return;
        run.running -= 1;
        run.search.observe(BigInt(suggestion.id), result.error ? undefined : result.score);
        this.trials.push({ n, values: suggestion.values, params: suggestion.params, ...result });
        this.show();
        this.pump();
      });
    }
    if (run.running === 0 && (run.launched >= run.total || run.exhausted)) this.finish();
  }

  /** Stops the run: waiting trials are dropped, running ones ended. */
  cancel() {
    const run = this.run;
    if (!run) return;
    run.cancelled = true;
    this.pool?.cancel();
    this.finish(t('tune.cancelled', { done: this.trials.length, total: run.total }));
  }

  /** The end of a run (its summary, or `text`). */
  finish(/** @type {string | undefined} */ text = undefined) {
    const run = this.run;
    this.run = null;
    run?.search.free();
    this.setRunning(false);
    this.show(text);
  }

  setRunning(/** @type {boolean} */ running) {
    this.dom.tuneStart.textContent = t(running ? 'tune.cancel' : 'tune.start');
    this.dom.tuneProgress.hidden = !running;
  }

  /** The best trial so far. */
  best() {
    /** @type {Trial | null} */
    let best = null;
    for (const trial of this.trials) {
      if (trial.score == null || !Number.isFinite(trial.score)) continue;
      if (!best || (this.greater ? trial.score > /** @type {number} */ (best.score) : trial.score < /** @type {number} */ (best.score))) best = trial;
    }
    return best;
  }

  /** Applies the best trial's settings to the model (which retrains on them). */
  useBest() {
    const best = this.best();
    const state = this.host.state();
    if (!best || !state) return;
    const next = clone(state);
    next.model = clone(best.params);
    this.host.configure(next);
  }

  /** The progress, the summary, the table and the charts. */
  show(/** @type {string | undefined} */ text = undefined) {
    const run = this.run;
    const best = this.best();
    const dom = this.dom;
    dom.tuneBest.disabled = !best || !!run;
    if (run) {
      dom.tuneProgress.max = run.total;
      dom.tuneProgress.value = this.trials.length;
      this.status(t('tune.running', { done: this.trials.length, total: run.total, workers: this.pool?.size ?? this.workers }));
    } else if (text) this.status(text);
    else if (best) this.status(t('tune.done', { total: this.trials.length, metric: this.metric, score: fmt(best.score), n: best.n }));
    this.renderTable(best);
    this.draw();
  }

  /** A searched value as the table shows it. */
  valueText(/** @type {string} */ path, /** @type {unknown} */ v) {
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : fmt(v, 3);
    if (typeof v === 'boolean') return t(`tune.bool.${v}`);
    return optionLabel(path, /** @type {any} */ (v));
  }

  /** The table of trials, in the chosen order, the best highlighted. */
  renderTable(/** @type {Trial | null} */ best) {
    const table = this.dom.tuneTable;
    table.hidden = this.trials.length === 0;
    if (table.hidden) return;
    const columns = [
      { key: 'n', label: t('tune.col.trial'), value: (/** @type {Trial} */ r) => r.n },
      ...this.searched.map((c) => ({ key: c.path, label: this.label(c), value: (/** @type {Trial} */ r) => r.values[c.path] })),
      { key: 'score', label: this.metric, value: (/** @type {Trial} */ r) => r.score ?? null },
      { key: 'ms', label: t('tune.col.ms'), value: (/** @type {Trial} */ r) => r.ms },
    ];
    const column = columns.find((c) => c.key === this.sort.col) ?? columns[0];
    const sign = this.sort.up ? 1 : -1;
    const order = [...this.trials].sort((a, b) => {
      const [x, y] = [column.value(a), column.value(b)];
      if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
      return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)));
    });
    const head = h('tr', {}, ...columns.map((c) => {
      const button = h('button', { type: 'button', textContent: c.label, title: t('tune.sort') });
      button.onclick = () => {
        this.sort = { col: c.key, up: this.sort.col === c.key ? !this.sort.up : c.key !== 'score' || !this.greater };
        this.renderTable(this.best());
      };
      const th = h('th', { scope: 'col' }, button);
      if (this.sort.col === c.key) th.setAttribute('aria-sort', this.sort.up ? 'ascending' : 'descending');
      return th;
    }));
    const rows = order.map((r) => {
      const score = r.error ? t('tune.trial_failed') : `${fmt(r.score)} ± ${fmt(r.std, 2)}`;
      const tr = h('tr', {}, h('td', {}, String(r.n)), ...this.searched.map((c) => h('td', {}, this.valueText(c.path, r.values[c.path]))),
        h('td', { title: r.error ?? '' }, score), h('td', {}, String(Math.round(r.ms))));
      if (r === best) {
        tr.className = 'best';
        tr.title = t('tune.best_trial');
      }
      return tr;
    });
    table.replaceChildren(h('thead', {}, head), h('tbody', {}, ...rows));
  }

  /** The history and, for one or two settings, the score over them. */
  draw() {
    const wasm = this.host.wasm();
    const { tuneHistory, tuneScatter } = this.dom;
    const byOrder = [...this.trials].sort((a, b) => a.n - b.n);
    tuneHistory.hidden = byOrder.length === 0;
    const numeric = this.searched.length >= 1 && this.searched.length <= 2;
    tuneScatter.hidden = byOrder.length === 0 || !numeric;
    if (!wasm || byOrder.length === 0) return;
    const ratio = window.devicePixelRatio || 1;
    const scores = byOrder.map((r) => (r.error || r.score == null ? null : r.score));
    if (fitCanvas(tuneHistory, ratio)) {
      wasm.renderView(tuneHistory, 'tune_history', { scores, greater_is_better: this.greater, title: this.metric }, ratio);
    }
    if (!tuneScatter.hidden && fitCanvas(tuneScatter, ratio)) {
      /** The values of a setting as numbers (a categorical's by the index of its choice). */
      const axis = (/** @type {Candidate} */ c) =>
        byOrder.map((r) => {
          const v = r.values[c.path];
          if (typeof v === 'number') return v;
          const i = (c.choices ?? []).findIndex((x) => JSON.stringify(x) === JSON.stringify(v));
          return i;
        });
      const [cx, cy] = this.searched;
      const logOf = (/** @type {Candidate} */ c) => toParam(c, this.choices.get(c.path)).type === 'log_uniform' || !!toParam(c, this.choices.get(c.path)).log;
      wasm.renderView(tuneScatter, 'tune_scatter', {
        x: axis(cx),
        y: cy ? axis(cy) : null,
        scores,
        greater_is_better: this.greater,
        log_x: logOf(cx),
        log_y: cy ? logOf(cy) : false,
        x_title: this.label(cx),
        y_title: cy ? this.label(cy) : this.metric,
      }, ratio);
    }
  }

  /** Every text in the current language. */
  relabel() {
    this.fillStrategies();
    this.shown = '';
    this.sync();
    if (!this.run) this.setRunning(false);
    else this.setRunning(true);
    if (this.trials.length) {
      this.metric = metricLabel(this.metricKey);
      this.show();
    }
  }

  /** Ends the workers (the element left the page). */
  stop() {
    if (this.run) this.cancel();
    this.pool?.stop();
    this.pool = null;
  }
}
