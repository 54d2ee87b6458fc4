// @ts-check
// Hyper-parameter tuning in the results column: which settings to search (built from the model
// descriptor, tune-space.js) with their ranges, the strategy, the budget, the folds and metric,
// Start / Cancel and "Use best". The search itself is the engine's (`Search`: suggest / observe,
// on this thread); each trial is scored by cross-validation in the pool of workers
// (tune-pool.js) on the training worker's data (`tune-data`). Results show as they come: the
// table of trials (sortable, the best highlighted), the history with the best so far, and for one
// or two chosen settings the score over them (for Bayesian search over the surrogate's mean and
// uncertainty), parallel coordinates, the settings' importances and a genetic search's
// populations (tune-pictures.js). Options: repeated k-fold, early stopping by the median rule over
// the folds or, for a network, by successive halving over its epochs (each trial is sent the values
// the trials before it reached at each rung), and nested cross-validation after the run (its outer folds in the pool), whose honest estimate is
// shown beside the optimistic best. The setup and, once run, the results (every trial's values and
// scores, the generations, the nested scores) are part of the page's state (`state.tune`), so a
// link shows the same table and pictures without running the search again.
import { fmt, fmtSpread, h, clone } from './util.js';
import { t, language, wordError } from './i18n.js';
import { metricsFor, metricLabel } from './cv-panel.js';
import { candidates, toParam } from './tune-space.js';
import { optionLabel } from './model-controls.js';
import { TunePool, poolSize } from './tune-pool.js';
import { TunePictures } from './tune-pictures.js';
import { DESCRIPTOR } from './models.js';

/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Wasm} Wasm */
/** @typedef {import('./types.js').TuneData} TuneData */
/** @typedef {import('./types.js').TuneDataReply} TuneDataReply */
/** @typedef {import('./template.js').Dom} Dom */
/** @typedef {import('./tune-space.js').Candidate} Candidate */
/**
 * One finished trial: its number (in order of suggestion), the searched values, the whole model
 * params, and its score (mean over the folds), spread and time; `error` when it failed, `pruned`
 * (with the folds it scored) when the median rule stopped it, `running` its mean after each fold;
 * with successive halving, `rungs` its value at each rung it reached and `epochs` where it stopped.
 * @typedef {{ n: number, values: Record<string, unknown>, params: any, score?: number, std?: number, error?: string,
 *   ms: number, pruned?: boolean, folds?: number, running?: number[], rungs?: number[], epochs?: number }} Trial
 */
/**
 * The results a link keeps (src/state.rs `TuneResults`).
 * @typedef {{ trials: { n: number, values: Record<string, unknown>, score?: number, std?: number, ms: number, pruned?: boolean, folds?: number, epochs?: number }[],
 *   generations?: number[][], nested?: { inner: number[], outer: number[] } }} TuneResults
 */
/**
 * @typedef {{ space: any[], strategy: { kind: string }, trials: number, k: number, metric?: string | null, seed: number,
 *   prune?: boolean, halving?: Halving, repeats?: number, nested?: boolean, results?: TuneResults }} TuneSetup
 */

/** Successive halving's settings (src/tune/cv.rs `Halving`). @typedef {{ min_epochs: number, reduction_factor: number }} Halving */

/** The families whose fit runs epochs, which successive halving can stop between them. */
const EPOCH_FAMILIES = ['mlp'];

/** While a search runs, its table and pictures are redrawn at most this often (ms): 30 times a second. */
const SHOW_EVERY = 33;

/** Outer folds of nested cross-validation. */
const OUTER_FOLDS = 3;
/** Trials finished before the median rule stops any (Optuna's `MedianPruner` default). */
const PRUNE_STARTUP = 5;

/** `obj` with `value` written at a `.`-separated path (a number steps into a list). */
function setPath(/** @type {any} */ obj, /** @type {string} */ path, /** @type {unknown} */ value) {
  const keys = path.split('.');
  let at = obj;
  for (const key of keys.slice(0, -1)) {
    if (at == null || typeof at !== 'object') return obj;
    at = at[key];
  }
  if (at != null && typeof at === 'object') at[keys[keys.length - 1]] = value;
  return obj;
}

/**
 * A setup as text that two equal setups share whichever side wrote them (the page, or the wasm's
 * checked state, which leaves out false, null and default entries and orders keys its own way).
 */
function canonical(/** @type {unknown} */ value) {
  return JSON.stringify(value, (_, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      /** @type {Record<string, unknown>} */
      const out = {};
      for (const k of Object.keys(v).sort()) {
        if (v[k] !== false && v[k] != null && !(k === 'repeats' && v[k] === 1)) out[k] = v[k];
      }
      return out;
    }
    return v;
  });
}

/** The median of numbers (NaN for none). */
function median(/** @type {number[]} */ values) {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

const STRATEGIES = ['grid', 'random', 'bayes', 'tpe', 'genetic', 'nelder_mead'];
/** The ways to stop hopeless trials (the select's values). */
const STOPS = ['', 'median', 'halving'];

/**
 * Successive halving's record of the trials so far: at each rung, the values the trials reached
 * there (those stopped there included), in the order they finished (src/tune/cv.rs `record_rungs`).
 */
export function rungTable(/** @type {{ rungs?: number[] }[]} */ trials) {
  /** @type {number[][]} */
  const table = [];
  for (const trial of trials) {
    (trial.rungs ?? []).forEach((v, k) => {
      (table[k] ??= []).push(v);
    });
  }
  return table;
}

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
    /** @type {{ token: number, search: any, launched: number, running: number, total: number, exhausted: boolean,
     *   cancelled: boolean, setup: TuneSetup, ids: Map<number, number>, phase: 'trials' | 'nested', nested: any[] } | null} */
    this.run = null;
    /** The setup of the run shown (its strategy, space, options). @type {TuneSetup | null} */
    this.shownSetup = null;
    /** A genetic search's generations, as trial numbers. @type {number[][]} */
    this.generations = [];
    /** Nested cross-validation's scores per outer fold, once run. @type {{ inner: number[], outer: number[] } | null} */
    this.nested = null;
    this.pictures = new TunePictures(dom, { wasm: () => host.wasm() });
    /** @type {{ kind: string } | null} the strategy with its settings as a link gave it */
    this.strategySettings = null;
    /** Results restored from a link wait for the page to be able to draw them. */
    this.pendingDraw = false;
    this.token = 0;
    /** A redraw is waiting (`showSoon`), and when the last one was. */
    this.showing = false;
    this.shownAt = -Infinity;
    /** @type {{ col: string, up: boolean }} the table's order */
    this.sort = { col: 'n', up: true };
    /** @type {Map<number, (reply: TuneDataReply) => void>} */
    this.waiting = new Map();
    dom.tuneStart.onclick = () => (this.run ? this.cancel() : this.start());
    dom.tuneBest.onclick = () => this.useBest();
    dom.tunePrune.onchange = () => this.showStop();
    this.fillStrategies();
  }

  /** Successive halving's settings shown while it is chosen. */
  showStop() {
    this.dom.tuneHalving.hidden = this.dom.tunePrune.value !== 'halving';
  }

  fillStrategies() {
    const select = this.dom.tuneStrategy;
    const chosen = select.value || 'random';
    select.replaceChildren(...STRATEGIES.map((s) => h('option', { value: s, textContent: t(`tune.strategy.${s}`) })));
    select.value = chosen;
    const stop = this.dom.tunePrune;
    const stopped = stop.value;
    stop.replaceChildren(...STOPS.map((s) => h('option', { value: s, textContent: t(s ? `tune.prune.${s}` : 'tune.prune.none'), title: s ? t(`tune.prune.${s}.title`) : '' })));
    stop.value = stopped;
    this.syncStop();
  }

  /** Successive halving is offered for a model trained by epochs only. */
  syncStop() {
    const kind = this.host.state()?.model.kind ?? '';
    const option = /** @type {HTMLOptionElement | undefined} */ ([...this.dom.tunePrune.options].find((o) => o.value === 'halving'));
    if (!option) return;
    const epochs = EPOCH_FAMILIES.includes(kind);
    option.disabled = !epochs;
    option.title = t(epochs ? 'tune.prune.halving.title' : 'tune.prune.halving.off');
    if (!epochs && this.dom.tunePrune.value === 'halving' && !this.run) this.dom.tunePrune.value = '';
    this.showStop();
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
    const classification = this.host.classification();
    this.offered = candidates(descriptor, state.model, classification);
    const setup = /** @type {TuneSetup | undefined} */ (state.tune);
    const setupKey = setup ? canonical(setup) : '';
    if (setup && setupKey !== this.adopted && !this.run) this.adopt(setup);
    this.adopted = setupKey;
    // a link's results are drawn once the page can draw
    if (this.pendingDraw && this.host.wasm()) {
      this.pendingDraw = false;
      this.show();
    }
    const key = `${state.model.kind}:${classification}:${language()}:${this.offered.map((c) => c.path).join()}`;
    if (key !== this.shown) {
      this.shown = key;
      this.renderRows();
      this.syncStop();
    }
  }

  /** Shows a saved setup: its settings checked with their ranges, its strategy, budget, folds. */
  adopt(/** @type {TuneSetup} */ setup) {
    this.choices.clear();
    for (const p of setup.space) {
      this.choices.set(p.path, { on: true, low: p.low, high: p.high, log: p.type === 'log_uniform' || p.log === true });
    }
    this.dom.tuneStrategy.value = setup.strategy.kind;
    this.strategySettings = setup.strategy;
    this.dom.tuneTrials.value = String(setup.trials);
    this.dom.tuneK.value = String(setup.k);
    if (setup.metric) this.dom.tuneMetric.value = setup.metric;
    this.dom.tuneRepeats.value = String(setup.repeats ?? 1);
    this.dom.tunePrune.value = setup.halving ? 'halving' : setup.prune ? 'median' : '';
    if (setup.halving) {
      this.dom.tuneMinEpochs.value = String(setup.halving.min_epochs);
      this.dom.tuneEta.value = String(setup.halving.reduction_factor);
    }
    this.showStop();
    this.dom.tuneNested.checked = !!setup.nested;
    this.seed = setup.seed;
    this.shown = '';
    if (setup.results) this.restore(setup, setup.results);
  }

  /** The searched settings of a setup's space, as the panel offers them (in the space's order). */
  searchedOf(/** @type {TuneSetup} */ setup) {
    return setup.space.map((p) => this.offered.find((c) => c.path === p.path)
      ?? /** @type {Candidate} */ ({ ...p, label: `model.${p.path}` }));
  }

  /** Shows a link's results: its trials, generations and nested scores, without running anything. */
  restore(/** @type {TuneSetup} */ setup, /** @type {TuneResults} */ results) {
    const state = this.host.state();
    if (!state) return;
    const metric = setup.metric ?? (this.host.classification() ? 'accuracy' : 'r2');
    this.greater = ['accuracy', 'balanced_accuracy', 'f1', 'r2'].includes(metric);
    this.metricKey = metric;
    this.metric = metricLabel(metric);
    this.searched = this.searchedOf(setup);
    this.shownSetup = setup;
    this.trials = results.trials.map((r) => {
      const params = clone(state.model);
      for (const [path, v] of Object.entries(r.values)) setPath(params, path, v);
      return { ...r, params, ...(r.score == null ? { error: r.pruned ? t('tune.pruned_short') : t('tune.trial_failed') } : {}) };
    });
    this.pendingDraw = true;
    this.generations = results.generations ?? [];
    this.nested = results.nested ?? null;
    this.pictures.clear();
    this.sort = { col: 'n', up: true };
    this.show();
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
    /** @type {TuneSetup} */
    const setup = {
      space,
      // a link's settings of the strategy (a genetic search's population…) while its kind is chosen
      strategy: this.strategySettings?.kind === this.dom.tuneStrategy.value ? clone(this.strategySettings) : { kind: this.dom.tuneStrategy.value },
      trials: Math.round(Number(this.dom.tuneTrials.value)),
      k: Number(this.dom.tuneK.value),
      metric,
      seed: this.seed,
    };
    const repeats = Number(this.dom.tuneRepeats.value) || 1;
    if (repeats > 1) setup.repeats = repeats;
    if (this.dom.tunePrune.value === 'median') setup.prune = true;
    if (this.dom.tunePrune.value === 'halving') {
      setup.halving = { min_epochs: Math.round(Number(this.dom.tuneMinEpochs.value)) || 1, reduction_factor: Number(this.dom.tuneEta.value) || 3 };
    }
    if (this.dom.tuneNested.checked) setup.nested = true;
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
    if (setup.halving && !EPOCH_FAMILIES.includes(state.model.kind)) {
      this.status(t('tune.failed', { reason: wordError({ code: 'halving_needs_epochs', values: { model: state.model.kind } }) }));
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
    const asked = this.requestData();
    // The setup goes into the state when the run ends (`keepResults`, with its results): a new
    // state now would have the training worker answer with a snapshot and the page redraw the
    // plot while the pool works, for a change only of the tuning setup.
    this.adopted = canonical(setup);
    const token = ++this.token;
    this.run = { token, search, launched: 0, running: 0, total: setup.trials, exhausted: false, cancelled: false, setup,
      ids: new Map(), phase: 'trials', nested: [] };
    this.shownSetup = setup;
    this.generations = [];
    this.nested = null;
    this.pictures.clear();
    this.trials = [];
    this.searched = chosen;
    this.greater = greater;
    this.metricKey = metric;
    this.metric = metricLabel(metric);
    this.sort = { col: 'n', up: true };
    this.setRunning(true);
    this.show();
    const reply = await asked;
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
      scoring: { cv: { k: setup.k, stratified, metric, seed: data.seed, pipeline: data.pipeline },
        repeats: setup.repeats ?? 1, prune: !!setup.prune, ...(setup.halving ? { halving: setup.halving } : {}) } });
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
      run.ids.set(Number(suggestion.id), n);
      const bars = run.setup.halving ? { rungs: rungTable(this.trials) } : { medians: this.medians(run.setup) };
      pool.run(suggestion.id, { type: 'trial', params: suggestion.params, ...bars }).then((result) => {
        if (this.run !== run || run.cancelled) return;
        run.running -= 1;
        const failed = result.error != null || result.pruned || result.score == null;
        run.search.observe(BigInt(suggestion.id), failed ? undefined : result.score);
        const { code, error_values: values, error, ...rest } = result;
        /** @type {Trial} */
        const trial = { n, values: suggestion.values, params: suggestion.params, ...rest };
        if (error != null) trial.error = wordError({ code, values: /** @type {Record<string, unknown> | undefined} */ (values), message: error });
        else if (result.pruned) trial.error = t('tune.pruned_short');
        this.trials.push(trial);
        this.readGenerations(run);
        // the freed worker gets its next trial first; the table and pictures follow once a frame
        this.pump();
        this.showSoon(run);
      });
    }
    if (run.running === 0 && (run.launched >= run.total || run.exhausted)) this.trialsDone();
  }

  /**
   * Shows the run's progress soon: at most every `SHOW_EVERY` ms, once however many trials
   * finished meanwhile (a redraw of the table and every picture per trial kept the main thread
   * busy, and the pool waiting for it, when trials are short). The end of a run shows at once
   * (`finish`).
   */
  showSoon(/** @type {NonNullable<TunePanel['run']>} */ run) {
    if (this.showing) return;
    this.showing = true;
    const wait = Math.max(0, this.shownAt + SHOW_EVERY - performance.now());
    setTimeout(() => {
      this.showing = false;
      if (this.run === run) this.show();
    }, wait);
  }

  /**
   * The median rule's bar for the next trial: after each fold, the median of the running means of
   * the trials finished so far (not stopped, not failed); null without the rule or before
   * `PRUNE_STARTUP` of them.
   */
  medians(/** @type {TuneSetup} */ setup) {
    if (!setup.prune) return null;
    const finished = this.trials.filter((r) => !r.error && r.running?.length);
    if (finished.length < PRUNE_STARTUP) return null;
    const folds = Math.max(...finished.map((r) => r.running?.length ?? 0));
    return Array.from({ length: folds }, (_, f) => {
      const m = median(finished.map((r) => r.running?.[f]).filter((v) => v != null && Number.isFinite(v)).map(Number));
      return Number.isFinite(m) ? m : null;
    });
  }

  /** A genetic search's generations so far, as trial numbers. */
  readGenerations(/** @type {NonNullable<TunePanel['run']>} */ run) {
    if (run.setup.strategy.kind !== 'genetic') return;
    /** @type {{ id: number, elite: boolean }[][]} */
    const generations = run.search.generations();
    this.generations = generations
      .map((g) => g.map((m) => run.ids.get(Number(m.id))).filter((n) => n != null).map(Number))
      .filter((g) => g.length > 0);
  }

  /** Every trial is in: nested cross-validation next if asked for, else the end of the run. */
  trialsDone() {
    const run = this.run;
    if (!run || !run.setup.nested || !this.best()) {
      this.finish();
      return;
    }
    const state = this.host.state();
    const pool = this.pool;
    if (!state || !pool) return this.finish();
    run.phase = 'nested';
    this.show();
    const base = clone(state.model);
    for (let fold = 0; fold < OUTER_FOLDS; fold++) {
      const msg = { type: 'nested', params: base, space: run.setup.space, outer_k: OUTER_FOLDS, fold,
        search: { strategy: run.setup.strategy, trials: run.setup.trials, seed: run.setup.seed } };
      pool.run(-1 - fold, msg).then((result) => {
        if (this.run !== run || run.cancelled) return;
        run.nested[fold] = result;
        this.show();
        if (run.nested.filter(Boolean).length < OUTER_FOLDS) return;
        const failed = run.nested.find((r) => r.error != null);
        if (failed) {
          this.finish(t('tune.nested.failed', { reason: wordError({ code: failed.code, values: /** @type {Record<string, unknown> | undefined} */ (failed.error_values), message: failed.error }) }));
          return;
        }
        this.nested = { inner: run.nested.map((r) => Number(r.inner_best)), outer: run.nested.map((r) => Number(r.outer)) };
        this.finish();
      });
    }
  }

  /** The results as the state keeps them (src/state.rs `TuneResults`). @returns {TuneResults} */
  results() {
    /** @type {TuneResults} */
    const results = {
      trials: this.trials.map((r) => {
        /** @type {TuneResults['trials'][number]} */
        const out = { n: r.n, values: r.values, ms: Math.round(r.ms * 10) / 10 };
        if (!r.error && r.score != null && Number.isFinite(r.score)) {
          out.score = r.score;
          if (r.std != null && Number.isFinite(r.std)) out.std = r.std;
        }
        if (r.pruned) {
          out.pruned = true;
          if (r.epochs != null) out.epochs = r.epochs;
          else out.folds = r.running?.length ?? r.folds;
        }
        return out;
      }),
    };
    if (this.generations.length) results.generations = this.generations;
    if (this.nested) results.nested = this.nested;
    return results;
  }

  /** Puts the run's setup and results into the state (and so into a copied link). */
  keepResults() {
    const state = this.host.state();
    const setup = this.shownSetup;
    if (!state || !setup) return;
    const next = clone(state);
    const { results: _, ...plain } = setup;
    next.tune = this.trials.length ? { ...plain, results: this.results() } : plain;
    this.adopted = canonical(next.tune);
    this.shownSetup = next.tune;
    this.host.configure(next);
  }

  /** Stops the run: waiting trials are dropped, running ones ended. */
  cancel() {
    const run = this.run;
    if (!run) return;
    run.cancelled = true;
    this.pool?.cancel();
    this.finish(t('tune.cancelled', { done: this.trials.length, total: run.total }));
  }

  /** The end of a run (its summary, or `text`); its results go into the state. */
  finish(/** @type {string | undefined} */ text = undefined) {
    const run = this.run;
    this.run = null;
    if (run) {
      this.readGenerations(run);
      run.search.free();
    }
    this.setRunning(false);
    this.keepResults();
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
    this.shownAt = performance.now();
    const run = this.run;
    const best = this.best();
    const dom = this.dom;
    dom.tuneBest.disabled = !best || !!run;
    if (run?.phase === 'nested') {
      dom.tuneProgress.max = OUTER_FOLDS;
      dom.tuneProgress.value = run.nested.filter(Boolean).length;
      this.status(t('tune.nested.running', { done: run.nested.filter(Boolean).length, total: OUTER_FOLDS }));
    } else if (run) {
      dom.tuneProgress.max = run.total;
      dom.tuneProgress.value = this.trials.length;
      this.status(t('tune.running', { done: this.trials.length, total: run.total, workers: this.pool?.size ?? this.workers }));
    } else if (text) this.status(text);
    else if (best) {
      const pruned = this.trials.filter((r) => r.pruned).length;
      const by = this.shownSetup?.halving ? 'tune.pruned_count_halving' : 'tune.pruned_count';
      this.status(t('tune.done', { total: this.trials.length, metric: this.metric, score: fmt(best.score), n: best.n })
        + (pruned ? ` ${t(by, { n: pruned })}` : ''));
    }
    this.showNested(best);
    this.renderTable(best);
    this.draw();
  }

  /** Nested cross-validation's honest estimate beside the optimistic best of the run. */
  showNested(/** @type {Trial | null} */ best) {
    const line = this.dom.tuneNestedResult;
    const nested = this.nested;
    line.hidden = !nested || !best;
    if (!nested || !best) return;
    const mean = (/** @type {number[]} */ v) => v.reduce((a, b) => a + b, 0) / v.length;
    const outer = mean(nested.outer);
    const spread = Math.sqrt(mean(nested.outer.map((v) => (v - outer) ** 2)));
    line.textContent = t('tune.nested.result', {
      metric: this.metric, honest: fmt(outer), spread: fmt(spread, 2), optimistic: fmt(best.score), inner: fmt(mean(nested.inner)), k: nested.outer.length,
    });
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
      const total = (this.shownSetup?.k ?? 0) * (this.shownSetup?.repeats ?? 1);
      const score = r.pruned && r.epochs != null ? t('tune.pruned_epochs', { epochs: r.epochs })
        : r.pruned ? t('tune.pruned', { done: r.running?.length ?? r.folds ?? '?', total })
        : r.error ? t('tune.trial_failed') : fmtSpread(r.score, r.std);
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

  /** The pictures of the run shown (tune-pictures.js). */
  draw() {
    const setup = this.shownSetup;
    if (!setup) return;
    this.pictures.draw({
      running: !!this.run,
      trials: this.trials,
      searched: this.searched,
      space: setup.space,
      greater: this.greater,
      metric: this.metric,
      strategy: setup.strategy.kind,
      generations: this.generations,
      label: (c) => this.label(c),
      valueText: (path, v) => this.valueText(path, v),
    });
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
    this.pictures.stop();
  }
}
