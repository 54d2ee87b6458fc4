// @ts-check
// The Tune panel's pictures (issue 13), drawn with plotters by the main thread's wasm as the trials
// come in: the history with the best so far; the score over one or two chosen settings, which for
// Bayesian search has the Gaussian-process surrogate's mean beneath the trials and EI's next pick
// marked, with its uncertainty beside it; parallel coordinates of every trial; the settings'
// importances (fANOVA on a random forest of the trials); a genetic search's populations. What
// takes more than a moment (fitting the surrogate over a grid, the forest) runs in a picture
// worker of its own (tune-worker.js), newest request first; the drawing waits for nothing.
// Everything is computed from the trials alone, so a link's saved trials give the same pictures.
import { fitCanvas, h, scriptUrl } from './util.js';
import { t } from './i18n.js';
import { toParam } from './tune-space.js';
import { sendModule } from './engine.js';
import { drawView } from './pictures.js';

/** @typedef {import('./types.js').Wasm} Wasm */
/** @typedef {import('./tune-space.js').Candidate} Candidate */
/**
 * A finished trial as the pictures take it (its number, searched values and score; `score` absent
 * when it failed or was stopped).
 * @typedef {{ n: number, values: Record<string, unknown>, score?: number, error?: string }} PictureTrial
 */
/**
 * What to draw: the trials, the settings searched (in the space's order) and the engine's space,
 * the metric, the strategy, a genetic search's generations (trial numbers), how the panel
 * labels a setting and a value, and whether the search is still running.
 * @typedef {{
 *   running?: boolean, trials: PictureTrial[], searched: Candidate[], space: any[], greater: boolean, metric: string,
 *   strategy: string, generations: number[][],
 *   label: (c: Candidate) => string, valueText: (path: string, v: unknown) => string,
 * }} PictureRun
 */

/** The surrogate's grid (cells per side; the picture interpolates between their centres). */
const GRID = { nx: 72, ny: 54 };

/**
 * While a search runs, the picture worker works at most this share of the time: after a job of
 * d ms it rests d·(1 − share)/share ms, so it leaves the cores to the pool of workers (on two
 * cores, fitting the importances after every trial took a core from the pool).
 */
const SHARE_WHILE_RUNNING = 0.2;

/** One picture worker, asked for one thing of each kind at a time, the newest request first. */
class PictureWorker {
  constructor() {
    /** @type {Worker | null} */
    this.worker = null;
    this.busy = false;
    /** Whether a search is running (the worker then paces itself), when its last job started, and
     * when it may start the next one. */
    this.paced = false;
    this.started = 0;
    this.restUntil = 0;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.resting = null;
    this.id = 0;
    /** @type {Map<string, { msg: Record<string, unknown>, done: (reply: any) => void }>} requests waiting, by kind */
    this.wanted = new Map();
    /** @type {((reply: any) => void) | null} */
    this.current = null;
  }

  /** Asks for `msg` (a `surface` or `importance` message); `done` gets the reply. A request of
   * the same kind still waiting is replaced. */
  ask(/** @type {string} */ kind, /** @type {Record<string, unknown>} */ msg, /** @type {(reply: any) => void} */ done) {
    this.wanted.set(kind, { msg, done });
    this.pump();
  }

  /** Paces the worker while a search runs; a search's end lets a waiting request go at once. */
  pace(/** @type {boolean} */ on) {
    if (this.paced === on) return;
    this.paced = on;
    if (!on) {
      this.restUntil = 0;
      if (this.resting) clearTimeout(this.resting);
      this.resting = null;
      this.pump();
    }
  }

  pump() {
    if (this.busy || this.resting) return;
    const rest = this.paced ? this.restUntil - performance.now() : 0;
    if (rest > 0 && this.wanted.size) {
      this.resting = setTimeout(() => {
        this.resting = null;
        this.pump();
      }, rest);
      return;
    }
    const next = this.wanted.entries().next();
    if (next.done) return;
    const [kind, { msg, done }] = next.value;
    this.wanted.delete(kind);
    if (!this.worker) {
      this.worker = new Worker(scriptUrl(new URL('./tune-worker.js', import.meta.url)), { type: 'module' });
      sendModule(this.worker);
      this.worker.onmessage = (e) => {
        if (e.data.type !== 'result' || e.data.id !== this.id) return;
        this.busy = false;
        const took = performance.now() - this.started;
        this.restUntil = performance.now() + (took * (1 - SHARE_WHILE_RUNNING)) / SHARE_WHILE_RUNNING;
        const finish = this.current;
        this.current = null;
        finish?.(e.data);
        this.pump();
      };
      // a worker that dies: drop it (its request is lost); the next request makes a new one
      this.worker.onerror = (e) => {
        e.preventDefault();
        this.stop();
      };
    }
    this.busy = true;
    this.current = done;
    this.started = performance.now();
    this.worker.postMessage({ ...msg, id: ++this.id });
  }

  stop() {
    this.worker?.terminate();
    this.worker = null;
    this.busy = false;
    this.current = null;
    if (this.resting) clearTimeout(this.resting);
    this.resting = null;
  }
}

export class TunePictures {
  /**
   * @param {import('./template.js').Dom} dom
   * @param {{ wasm: () => Wasm | null }} host
   */
  constructor(dom, host) {
    this.dom = dom;
    this.host = host;
    this.worker = new PictureWorker();
    /** @type {PictureRun | null} the run drawn last */
    this.run = null;
    /** @type {{ key: string, slice: any, trials: number } | null} the surrogate fitted last, to what and to how many trials */
    this.surface = null;
    /** @type {{ key: string, values: number[] } | null} */
    this.importance = null;
    /** The chosen settings of the two-setting pictures, by path. */
    this.axes = { x: '', y: '' };
    dom.tuneAxisX.onchange = () => this.chooseAxes();
    dom.tuneAxisY.onchange = () => this.chooseAxes();
  }

  chooseAxes() {
    this.axes = { x: this.dom.tuneAxisX.value, y: this.dom.tuneAxisY.value };
    if (this.run) this.draw(this.run);
  }

  /**
   * The indices (into the searched settings) of the picture's x and y: the chosen ones, else the
   * first two numbers (a categorical only when there are fewer than two).
   */
  pair(/** @type {Candidate[]} */ searched) {
    const order = searched.map((_, i) => i).sort((a, b) =>
      Number(searched[a].type === 'categorical') - Number(searched[b].type === 'categorical') || a - b);
    const at = (/** @type {string} */ path) => searched.findIndex((c) => c.path === path);
    let x = at(this.axes.x);
    if (x < 0) x = order[0] ?? 0;
    let y = searched.length > 1 ? at(this.axes.y) : -1;
    if (searched.length > 1 && (y < 0 || y === x)) y = order.find((i) => i !== x) ?? -1;
    return { x, y };
  }

  /** The axis choosers, shown when more than two settings are searched. */
  fillAxes(/** @type {PictureRun} */ run, /** @type {{ x: number, y: number }} */ pair) {
    const { tuneAxes, tuneAxisX, tuneAxisY } = this.dom;
    tuneAxes.hidden = run.searched.length < 3;
    if (tuneAxes.hidden) return;
    for (const [select, chosen] of /** @type {[HTMLSelectElement, number][]} */ ([[tuneAxisX, pair.x], [tuneAxisY, pair.y]])) {
      const key = run.searched.map((c) => `${c.path}=${run.label(c)}`).join();
      if (select.dataset.key !== key) {
        select.dataset.key = key;
        select.replaceChildren(...run.searched.map((c) => h('option', { value: c.path, textContent: run.label(c) })));
      }
      select.value = run.searched[chosen].path;
    }
  }

  /** Whether a setting is on a log scale in the run's space. */
  logOf(/** @type {PictureRun} */ run, /** @type {number} */ i) {
    const p = run.space[i] ?? toParam(run.searched[i]);
    return p.type === 'log_uniform' || p.log === true;
  }

  /** A setting's value as a number on its axis: the value, or a categorical's choice index. */
  axisValue(/** @type {Candidate} */ c, /** @type {unknown} */ v) {
    if (typeof v === 'number') return v;
    if (v === undefined) return null;
    const i = (c.choices ?? []).findIndex((x) => JSON.stringify(x) === JSON.stringify(v));
    return i >= 0 ? i : null;
  }

  /** Draws every picture that applies to `run` and asks the picture worker for what it needs. */
  draw(/** @type {PictureRun} */ run) {
    this.run = run;
    this.worker.pace(!!run.running);
    const wasm = this.host.wasm();
    const { tuneHistory, tuneScatter, tuneUncertainty, tuneParallel, tuneImportance, tuneGenerations, tuneScatterCaption } = this.dom;
    const trials = [...run.trials].sort((a, b) => a.n - b.n);
    const scores = trials.map((r) => (r.error || r.score == null || !Number.isFinite(r.score) ? null : r.score));
    const scored = scores.filter((s) => s != null).length;
    const any = trials.length > 0;
    const pair = this.pair(run.searched);
    this.fillAxes(run, pair);
    const bayes = run.strategy === 'bayes' && run.searched.length >= 2;
    const surfaceKey = JSON.stringify([run.space, trials.map((r) => [r.n, r.score ?? null]), pair, run.greater]);
    if (bayes && scored >= 2 && this.surface?.key !== surfaceKey) this.askSurface(run, trials, pair, surfaceKey);
    const importanceKey = JSON.stringify([run.space, trials.map((r) => [r.n, r.score ?? null])]);
    if (run.searched.length >= 2 && scored >= 3 && this.importance?.key !== importanceKey) this.askImportance(run, trials, importanceKey);

    tuneHistory.hidden = !any;
    tuneScatter.hidden = !any || run.searched.length === 0;
    const slice = bayes && this.surface && this.surface.slice && this.surface.slice.x === pair.x && this.surface.slice.y === pair.y ? this.surface.slice : null;
    tuneUncertainty.hidden = !slice;
    tuneParallel.hidden = !any || run.searched.length === 0;
    tuneImportance.hidden = !(run.searched.length >= 2 && this.importance?.key === importanceKey);
    const generations = run.strategy === 'genetic' ? run.generations.filter((g) => g.length > 0) : [];
    tuneGenerations.hidden = generations.length === 0 || !any;
    tuneScatterCaption.textContent = t(slice ? 'tune.surrogate' : 'tune.scatter');
    tuneScatter.setAttribute('aria-label', tuneScatterCaption.textContent);
    if (!wasm || !any) return;
    const ratio = window.devicePixelRatio || 1;
    const drawn = (/** @type {HTMLCanvasElement} */ c) => (c.dataset.trials = String(trials.length));

    if (fitCanvas(tuneHistory, ratio)) {
      drawView(wasm, tuneHistory, 'tune_history', { scores, greater_is_better: run.greater, title: run.metric }, ratio);
      drawn(tuneHistory);
    }

    if (!tuneScatter.hidden && fitCanvas(tuneScatter, ratio)) {
      const cx = run.searched[pair.x];
      const cy = pair.y >= 0 ? run.searched[pair.y] : null;
      const axis = (/** @type {Candidate} */ c) => trials.map((r) => this.axisValue(c, r.values[c.path]) ?? NaN);
      const scatter = {
        x: axis(cx),
        y: cy ? axis(cy) : null,
        scores,
        greater_is_better: run.greater,
        log_x: this.logOf(run, pair.x),
        log_y: cy ? this.logOf(run, pair.y) : false,
        x_title: run.label(cx),
        y_title: cy ? run.label(cy) : run.metric,
        surface: null,
        next: null,
      };
      const surface = (/** @type {number[]} */ values, /** @type {boolean} */ uncertainty) => ({
        x_range: slice.x_range, y_range: slice.y_range, nx: slice.nx, ny: slice.ny, values, uncertainty,
      });
      drawView(wasm, tuneScatter, 'tune_scatter', slice ? { ...scatter, surface: surface(slice.mean, false), next: slice.next } : scatter, ratio);
      drawn(tuneScatter);
      // how many trials the surface drawn was fitted to (for tests and a person's inspection)
      tuneScatter.dataset.surface = slice && this.surface ? String(this.surface.trials) : '';
      if (slice && fitCanvas(tuneUncertainty, ratio)) {
        drawView(wasm, tuneUncertainty, 'tune_scatter', { ...scatter, surface: surface(slice.std, true), next: slice.next }, ratio);
        drawn(tuneUncertainty);
      }
    }

    if (!tuneParallel.hidden && fitCanvas(tuneParallel, ratio)) {
      const axes = run.searched.map((c, i) => {
        const log = this.logOf(run, i);
        const values = trials.map((r) => {
          const v = this.axisValue(c, r.values[c.path]);
          return v == null ? null : log ? Math.log10(v) : v;
        });
        const labels = c.type === 'categorical' ? (c.choices ?? []).map((v) => run.valueText(c.path, v)) : [];
        return { title: run.label(c), values, log, labels };
      });
      drawView(wasm, tuneParallel, 'tune_parallel', { axes, scores, greater_is_better: run.greater, score_title: run.metric }, ratio);
      drawn(tuneParallel);
    }

    if (!tuneImportance.hidden && this.importance && fitCanvas(tuneImportance, ratio)) {
      const values = this.importance.values;
      const order = run.searched.map((_, i) => i).sort((a, b) => values[b] - values[a]);
      drawView(wasm, tuneImportance, 'bars', {
        labels: order.map((i) => run.label(run.searched[i])),
        values: order.map((i) => values[i]),
        title: t('tune.importance.axis'),
      }, ratio);
      drawn(tuneImportance);
    }

    if (!tuneGenerations.hidden && fitCanvas(tuneGenerations, ratio)) {
      const byN = new Map(trials.map((r, i) => [r.n, scores[i]]));
      /** @type {Set<number>} */
      const seen = new Set();
      const members = generations.map((g) => {
        const out = g.map((n) => ({ score: byN.get(n) ?? null, elite: seen.has(n) }));
        g.forEach((n) => seen.add(n));
        return out;
      });
      drawView(wasm, tuneGenerations, 'tune_generations', { generations: members, greater_is_better: run.greater, title: run.metric }, ratio);
      drawn(tuneGenerations);
    }
  }

  /** The trials as the wasm's picture functions take them. */
  input(/** @type {PictureRun} */ run, /** @type {PictureTrial[]} */ trials) {
    return {
      space: run.space,
      trials: trials.map((r) => ({ values: r.values, score: r.error || r.score == null ? null : r.score })),
      greater_is_better: run.greater,
    };
  }

  askSurface(/** @type {PictureRun} */ run, /** @type {PictureTrial[]} */ trials, /** @type {{ x: number, y: number }} */ pair, /** @type {string} */ key) {
    const msg = { type: 'surface', input: this.input(run, trials), x: pair.x, y: pair.y, ...GRID };
    this.worker.ask('surface', msg, (reply) => {
      if (reply.error || !reply.surface) return;
      this.surface = { key, slice: reply.surface, trials: trials.length };
      if (this.run) this.draw(this.run);
    });
  }

  askImportance(/** @type {PictureRun} */ run, /** @type {PictureTrial[]} */ trials, /** @type {string} */ key) {
    this.worker.ask('importance', { type: 'importance', input: this.input(run, trials), seed: 1 }, (reply) => {
      if (reply.error || !reply.importance) return;
      this.importance = { key, values: reply.importance };
      if (this.run) this.draw(this.run);
    });
  }

  /** Forgets the pictures of the last run (a new run starts). */
  clear() {
    this.surface = null;
    this.importance = null;
  }

  stop() {
    this.worker.stop();
  }
}
