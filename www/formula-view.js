// @ts-check
// The model's maths beside its summary, typeset by KaTeX (math.js) with the current numbers: the
// model's formula, a hovered point's path down a tree, and the training objective with the
// optimiser's update rule at the current learning rate. The TeX is rebuilt on every draw (cheap
// strings) but typeset again only when it changed, at most every THROTTLE_MS while training runs.
import { renderTex, renderTexSync, loadKatex } from './math.js';
import { formulaTex, neuronTex, trainingTex, treePathTex, updateTex } from './summary.js';

/** @typedef {import('./types.js').Snapshot} Snapshot */
/** @typedef {import('./types.js').State} State */
/** @typedef {import('./template.js').Dom} Dom */

const THROTTLE_MS = 250;

export class FormulaView {
  constructor(/** @type {Dom} */ dom) {
    this.dom = dom;
    /** @type {Map<HTMLElement, string>} the TeX each element shows */
    this.shown = new Map();
    /** @type {Map<HTMLElement, string>} the TeX each element is to show */
    this.wanted = new Map();
    this.last = 0;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    /** Typesets done so far (tests read it to see the maths follow training). */
    this.renders = 0;
    /** True when KaTeX could not be loaded. */
    this.failed = false;
    /** True while typesetting. */
    this.busy = false;
    /** @type {{ layer: number, neuron: number } | null} the network's neuron last hovered (kept while the pointer moves to the plot) */
    this.neuron = null;
  }

  /**
   * Works out the TeX for `snapshot` and typesets what changed.
   * @param {Snapshot} snapshot @param {State} state @param {number | null} leaf the tree node under the pointer
   * @param {{ wasm: { neuronSum: (network: unknown, layer: number, neuron: number, point?: Float64Array) => any },
   *   hover: { kind: string, layer?: number, neuron?: number } | null, point: number[] | null }} [pointer]
   *   the network's hovered neuron (its weighted sum is worked out by the wasm at the plot's hovered point, else at the data mean)
   */
  update(snapshot, state, leaf, pointer) {
    const { report, views } = snapshot;
    const { dom } = this;
    const trained = report.trained;
    const model = trained ? formulaTex(report.summary) : '';
    let path = '';
    if (trained && leaf != null && views.tree) path = treePathTex(report.summary, views.tree, leaf, report.class_names ?? []);
    const network = /** @type {{ layer_sizes?: number[] } | undefined} */ (views.network);
    if (!network) this.neuron = null;
    const hover = pointer?.hover;
    if (hover?.kind === 'network' && hover.layer != null && hover.neuron != null) this.neuron = hover.layer > 0 ? { layer: hover.layer, neuron: hover.neuron } : null;
    if (trained && network && this.neuron && pointer && !path) {
      const point = pointer.point && pointer.point.length === network.layer_sizes?.[0] ? new Float64Array(pointer.point) : undefined;
      const sum = pointer.wasm.neuronSum(network, this.neuron.layer, this.neuron.neuron, point);
      if (sum) path = neuronTex(sum, (network.layer_sizes?.length ?? 1) - 1);
    }
    let training = '';
    if (!report.fits_instantly) {
      const schedule = views.schedule;
      const rate = schedule ? schedule.rates[Math.min(schedule.current, schedule.rates.length - 1)] ?? null : null;
      const classes = report.class_names?.length ?? 0;
      const objective = lastLoss(snapshot.history);
      training = trainingTex(state, report.train.task, classes, rate, trained ? objective : null);
      const update = report.summary.update;
      const model = /** @type {Record<string, any>} */ (state.model);
      if (training && update && trained) {
        const inputs = report.summary.formula.kind === 'network' ? report.summary.formula.layers[0]?.inputs ?? 1 : 1;
        training = `\\begin{gathered} ${training} \\\\ ${updateTex(update, model.train?.optimizer ?? { kind: 'sgd' }, inputs)} \\end{gathered}`;
      }
    }
    this.want(dom.modelTex, model);
    this.want(dom.pathTex, path);
    this.want(dom.trainingTex, training);
    dom.maths.hidden = this.failed || (!model && !path && !training);
    this.schedule();
  }

  /** @param {HTMLElement} el @param {string} tex */
  want(el, tex) {
    this.wanted.set(el, tex);
    el.hidden = !tex;
  }

  schedule() {
    if (this.timer || this.busy) return;
    const changed = [...this.wanted].some(([el, tex]) => this.shown.get(el) !== tex);
    if (!changed) return;
    const wait = Math.max(0, this.last + THROTTLE_MS - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.last = performance.now();
      void this.typeset();
    }, wait);
  }

  /** True when everything wanted is typeset (nothing waits). */
  get settled() {
    return !this.timer && !this.busy;
  }

  async typeset() {
    this.busy = true;
    try {
      await this.typesetNow();
    } finally {
      this.busy = false;
    }
    this.schedule();
  }

  async typesetNow() {
    try {
      await loadKatex();
    } catch {
      // KaTeX could not be loaded (offline before it was stored): the summary's text stands alone
      this.failed = true;
      this.dom.maths.hidden = true;
      return;
    }
    for (const [el, tex] of this.wanted) {
      if (this.shown.get(el) === tex) continue;
      this.shown.set(el, tex);
      if (!tex) el.replaceChildren();
      else if (!renderTexSync(el, tex, { display: true })) await renderTex(el, tex, { display: true });
      this.renders += 1;
    }
  }
}

/** The training loss's last value in the history, if it has one. @param {unknown} history */
function lastLoss(history) {
  const h = /** @type {{ train?: number[] } | null} */ (history);
  const losses = h?.train;
  return Array.isArray(losses) && losses.length ? losses[losses.length - 1] : null;
}
