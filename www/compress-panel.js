// @ts-check
// The Compress panel under the plot: the operation (prune, quantise, distil, ensemble, a tree's
// pruning, a boosted model's or a forest's first stages kept) with its
// settings and Apply, the network's frozen layers (a setting of the network: training goes on
// with them held), and the compare view — the original's and the compressed model's decision
// surfaces side by side with a map of where they differ, the table (parameters, non-zero, bytes
// as stored, scores on train and test, prediction time over the plane), the compressed network's
// diagram (pruned weights gone, frozen layers marked, a quantised neuron's integers on hover)
// and the curves (score against sparsity, bits, temperature, student size, stages kept). The work runs in the
// training worker (`compress`, `compare`, `compress-curve`); the setup is part of the state
// (`state.compress`), so a link reproduces the compressed model and this view.
import { fitCanvas, fmt, h, clone, dpr } from './util.js';
import { t, has, language, wordError } from './i18n.js';
import { helpButton } from './help.js';
import { metricLabel } from './cv-panel.js';
import { toPixel } from './plot-input.js';
import { drawView } from './pictures.js';
import { localNetwork } from './views.js';

/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Snapshot} Snapshot */
/** @typedef {import('./types.js').Wasm} Wasm */
/** @typedef {import('./types.js').CompareReply} CompareReply */
/** @typedef {import('./types.js').CompareReport} CompareReport */
/** @typedef {import('./types.js').CurveReply} CurveReply */
/** @typedef {import('./types.js').Curve} Curve */
/** @typedef {import('./types.js').Request} Request */
/** @typedef {import('./template.js').Dom} Dom */
/**
 * One setting of an operation: a number (with its range), a choice or a checkbox; `value` is
 * its default. Labels: `compress.setting.<key>`, choices that are words `compress.option.<key>.<value>`;
 * a "?" from `help.compress.<key>` when the catalog has one. `when`: shown only for these students.
 * @typedef {{ when?: string[] } & ({ key: string, label?: string, type: 'number', min: number, max: number, step: number, value: number }
 *   | { key: string, label?: string, type: 'select', options: (number | string)[], value: number | string }
 *   | { key: string, label?: string, type: 'check', value: boolean })} Setting
 */

/** @type {Record<string, Setting[]>} */
export const OPERATIONS = {
  prune: [
    { key: 'sparsity', type: 'number', min: 0, max: 0.99, step: 0.05, value: 0.8 },
    { key: 'scope', type: 'select', options: ['global', 'layer'], value: 'global' },
    { key: 'structured', type: 'check', value: false },
    { key: 'steps', type: 'number', min: 1, max: 100, step: 1, value: 1 },
    { key: 'fine_tune_epochs', type: 'number', min: 0, max: 1000, step: 1, value: 0 },
  ],
  quantize: [
    { key: 'bits', type: 'select', options: [1, 2, 3, 4, 5, 6, 7, 8], value: 8 },
    { key: 'per_channel', type: 'check', value: false },
    { key: 'symmetric', type: 'check', value: true },
    { key: 'activations', type: 'check', value: false },
  ],
  distill: [
    { key: 'student', type: 'select', options: ['network', 'logistic', 'tree'], value: 'network' },
    { key: 'neurons', type: 'select', options: [1, 2, 3, 4, 6, 8, 12, 16], value: 4, when: ['network'] },
    { key: 'degree', type: 'select', options: [1, 2, 3, 4, 5, 6], value: 3, when: ['logistic'] },
    { key: 'depth', type: 'select', options: [1, 2, 3, 4, 5, 6, 7, 8], value: 3, when: ['tree'] },
    { key: 'targets', type: 'select', options: ['soft', 'hard'], value: 'soft', when: ['tree'] },
    { key: 'temperature', type: 'number', min: 0.1, max: 100, step: 0.5, value: 4, when: ['network', 'logistic'] },
    { key: 'alpha', type: 'number', min: 0, max: 1, step: 0.1, value: 0.5 },
    { key: 'unlabeled', type: 'number', min: 0, max: 100000, step: 500, value: 1000 },
    { key: 'epochs', type: 'number', min: 1, max: 100000, step: 50, value: 200, when: ['network', 'logistic'] },
  ],
  ensemble: [
    { key: 'members', type: 'number', min: 1, max: 20, step: 1, value: 5 },
    { key: 'neurons', type: 'select', options: [1, 2, 3, 4, 6, 8, 12, 16], value: 4 },
    { key: 'bootstrap', type: 'check', value: true },
    { key: 'student_neurons', type: 'select', options: [0, 1, 2, 3, 4, 6, 8, 12, 16], value: 0 },
  ],
  tree_prune: [{ key: 'alpha', label: 'alpha_tree', type: 'number', min: 0, max: 1e9, step: 0.005, value: 0.01 }],
  stages: [{ key: 'keep', type: 'number', min: 1, max: 1000, step: 1, value: 10 }],
};

/** The curves, in the order offered. */
export const CURVES = ['sparsity', 'bits', 'temperature', 'student_size'];

/** The models made of stages or trees one after another: they offer the curve over the stages kept too. */
const STAGED = ['boosting', 'forest'];

/**
 * The catalog key of the note saying operation `op` does not apply to a model of `kind`, or null
 * when it does (the engine refuses the others too).
 * @param {string} op @param {string} kind
 */
function notApplying(op, kind) {
  if ((op === 'prune' || op === 'quantize') && kind !== 'mlp') return 'compress.network_only';
  if (op === 'tree_prune' && kind !== 'tree') return 'compress.tree_only';
  if (op === 'stages' && !STAGED.includes(kind)) return 'compress.stages_only';
  return null;
}

/** The operation first shown for a model of `kind`: its own compression, else distillation. */
export function defaultOperation(/** @type {string} */ kind) {
  return kind === 'mlp' ? 'prune' : kind === 'tree' ? 'tree_prune' : STAGED.includes(kind) ? 'stages' : 'distill';
}

/** The curves that vary a setting of the network's own compressions (pruning, quantisation). */
const NETWORK_CURVES = ['sparsity', 'bits'];

/** The curves offered for a model of `kind`, the first shown first: a network's four; the
 * distillation curves for every other model, after the stages kept for boosting and forests. */
export function curvesFor(/** @type {string | undefined} */ kind) {
  if (!kind || kind === 'mlp') return CURVES;
  const distill = CURVES.filter((c) => !NETWORK_CURVES.includes(c));
  return STAGED.includes(kind) ? ['stages', ...distill] : distill;
}

/** The map canvases' names, in order (`compress.map.<name>`). */
const MAPS = ['original', 'compressed', 'difference'];

/**
 * @typedef {{
 *   state: () => State | null,
 *   snapshot: () => Snapshot | null,
 *   wasm: () => Wasm | null,
 *   post: (request: Request) => number,
 *   send: (msg: Record<string, unknown>) => void,
 *   newId: () => number,
 *   configure: (next: State) => void,
 * }} CompressHost
 */

export class CompressPanel {
  /** @param {Dom} dom @param {CompressHost} host */
  constructor(dom, host) {
    this.dom = dom;
    this.host = host;
    /** @type {Record<string, Record<string, number | string | boolean>>} the learner's values, per operation */
    this.values = Object.fromEntries(Object.entries(OPERATIONS).map(([op, settings]) => [op, Object.fromEntries(settings.map((s) => [s.key, s.value]))]));
    /** The key of the settings shown (operation, student, language, loading). */
    this.shown = '';
    /** The key of the curves offered (the model's kind decides, and the language). */
    this.curvesShown = '';
    /** The key of the freeze boxes shown. */
    this.freezeShown = '';
    /** The setup last read from a state (a link's setup is shown once, not over the learner's edits). */
    this.adopted = '';
    /** The model kind the operation was last chosen for (another one may need another operation). */
    this.kindSeen = '';
    /** Whether the learner chose the operation (it then stays while it applies to the model). */
    this.opChosen = false;
    /** @type {number | null} the Apply in flight */
    this.applying = null;
    /** @type {number | null} the compare request in flight */
    this.asking = null;
    /** The setup the compare view shows (its JSON), '' for none. */
    this.showing = '';
    /** @type {CompareReply | null} the compare view's data */
    this.compare = null;
    /** @type {[number, number] | null} the hovered neuron of the compressed network */
    this.hover = null;
    /** @type {Curve | null} the curve drawn */
    this.curve = null;
    /** @type {number | null} the curve request in flight */
    this.curving = null;
    dom.compressOp.onchange = () => {
      this.opChosen = true;
      this.renderSettings();
    };
    dom.compressApply.onclick = () => this.apply();
    dom.compressClear.onclick = () => this.host.post({ type: 'compress-clear' });
    dom.compressExportOnnx.onclick = () => this.host.post({ type: 'compress-onnx' });
    dom.compressCopyPython.onclick = () => this.host.post({ type: 'compress-python' });
    dom.compressCurveRun.onclick = () => this.askCurve();
    dom.compressNetwork.onmousemove = (e) => this.hoverNetwork(e);
    dom.compressNetwork.onmouseleave = () => {
      this.hover = null;
      this.drawNetwork();
    };
    this.relabel();
  }

  // ---- settings ----------------------------------------------------------------------------

  /** Labels that depend on the language: the operations, the curves, the settings, the view. */
  relabel() {
    const { dom } = this;
    const op = dom.compressOp.value || 'prune';
    dom.compressOp.replaceChildren(...Object.keys(OPERATIONS).map((k) => h('option', { value: k, textContent: t(`compress.op.${k}`) })));
    dom.compressOp.value = op;
    this.curvesShown = '';
    this.syncCurves();
    this.shown = '';
    this.freezeShown = '';
    this.renderSettings();
    this.syncFreeze();
    if (this.compare) this.show(this.compare);
    if (this.curve) this.drawCurve();
  }

  /** The curves offered for the model (the stages kept only for boosting and forests). */
  syncCurves() {
    const { dom } = this;
    const curves = curvesFor(this.host.state()?.model.kind);
    const key = `${curves.join()}:${language()}`;
    if (key === this.curvesShown) return;
    this.curvesShown = key;
    const curve = dom.compressCurve.value;
    dom.compressCurve.replaceChildren(...curves.map((k) => h('option', { value: k, textContent: t(`compress.curve.${k}`) })));
    dom.compressCurve.value = curves.includes(curve) ? curve : curves[0];
  }

  /** Says when the operation does not apply to the model (the engine would refuse it too). */
  syncApplies() {
    this.syncCurves();
    const op = this.dom.compressOp.value;
    const kind = this.host.state()?.model.kind;
    const note = this.dom.compressNone;
    const key = kind ? notApplying(op, kind) : null;
    note.hidden = !key || !kind;
    if (key) note.textContent = t(key);
  }

  /** The current operation's settings as inputs. */
  renderSettings() {
    this.syncApplies();
    const op = this.dom.compressOp.value;
    const values = this.values[op];
    const student = String(values.student ?? '');
    // while the engine loads `status.js` disables the operation's select: its settings too
    const busy = this.dom.compressOp.disabled;
    const key = `${op}:${student}:${language()}:${busy}`;
    if (key === this.shown) return;
    this.shown = key;
    const rows = (OPERATIONS[op] ?? []).filter((s) => !s.when || s.when.includes(student)).map((s) => {
      const id = `compress-${s.key}`;
      const label = t(`compress.setting.${s.label ?? s.key}`);
      /** @type {HTMLInputElement | HTMLSelectElement} */
      let input;
      if (s.type === 'check') {
        input = h('input', { type: 'checkbox', id, checked: Boolean(values[s.key]), disabled: busy });
        input.onchange = () => (values[s.key] = /** @type {HTMLInputElement} */ (input).checked);
        const help = this.help(s.key, label, busy);
        return h('span', { className: 'compress-setting' }, h('label', {}, input, ' ', label), ...help);
      }
      if (s.type === 'select') {
        input = h('select', { id }, ...s.options.map((v) => h('option', { value: String(v), textContent: typeof v === 'number' ? String(v) : t(`compress.option.${s.key}.${v}`) })));
        input.value = String(values[s.key]);
        input.onchange = () => {
          values[s.key] = typeof s.value === 'number' ? Number(input.value) : input.value;
          // the student's kind decides which of its settings show
          if (s.key === 'student') this.renderSettings();
        };
      } else {
        input = h('input', { type: 'number', id, min: String(s.min), max: String(s.max), step: String(s.step), value: String(values[s.key]) });
        input.onchange = () => (values[s.key] = Number(input.value));
      }
      input.dataset.key = s.key;
      input.disabled = busy;
      const help = this.help(s.key, label, busy);
      return h('span', { className: 'compress-setting' }, h('label', {}, label, ' ', input), ...help);
    });
    this.dom.compressSettings.replaceChildren(...rows);
  }

  /** The "?" of setting `key` (labelled `label`) when the catalog explains it. */
  help(/** @type {string} */ key, /** @type {string} */ label, /** @type {boolean} */ busy) {
    if (!has(`help.compress.${key}`)) return [];
    const b = helpButton(`compress.${key}`, label);
    b.disabled = busy;
    return [' ', b];
  }

  /** The operation as the engine reads it (`compress::setup::Operation`). */
  operation() {
    const op = this.dom.compressOp.value;
    // The inputs' values as they are now (a value typed without leaving the field counts too).
    for (const input of this.dom.compressSettings.querySelectorAll('input, select')) {
      const el = /** @type {HTMLInputElement} */ (input);
      const key = el.dataset.key ?? el.id.replace('compress-', '');
      const setting = (OPERATIONS[op] ?? []).find((s) => s.key === key);
      if (!setting) continue;
      if (setting.type === 'check') this.values[op][key] = el.checked;
      else if (setting.type === 'number' || typeof setting.value === 'number') this.values[op][key] = el.value.trim() === '' ? NaN : Number(el.value);
      else this.values[op][key] = el.value;
    }
    return { kind: op, ...this.values[op] };
  }

  /** Shows a link's setup in the controls. */
  adopt(/** @type {{ kind: string, [key: string]: any }} */ operation) {
    if (!OPERATIONS[operation.kind]) return;
    this.dom.compressOp.value = operation.kind;
    for (const [key, value] of Object.entries(operation)) if (key !== 'kind') this.values[operation.kind][key] = value;
    this.shown = '';
    this.renderSettings();
  }

  // ---- freezing ----------------------------------------------------------------------------

  /** One checkbox per weight layer of a network (`state.model.frozen`); hidden for other models. */
  syncFreeze() {
    const state = this.host.state();
    const box = this.dom.compressFreezeBox;
    const isNetwork = state?.model.kind === 'mlp';
    box.hidden = !isNetwork;
    if (!state || !isNetwork) return;
    const hidden = /** @type {unknown[]} */ (state.model.hidden_layers ?? []).length;
    /** @type {number[]} */
    const frozen = state.model.frozen ?? [];
    const key = `${hidden}:${frozen.join()}:${language()}`;
    if (key === this.freezeShown) return;
    this.freezeShown = key;
    const name = (/** @type {number} */ l) => (l === 0 ? t('compress.freeze.input') : l === hidden + 1 ? t('compress.freeze.output') : t('compress.freeze.hidden', { n: l }));
    const boxes = Array.from({ length: hidden + 1 }, (_, l) => {
      const input = h('input', { type: 'checkbox', checked: frozen.includes(l) });
      input.dataset.layer = String(l);
      input.onchange = () => this.freeze(l, input.checked);
      return h('label', { className: 'compress-setting' }, input, ' ', t('compress.freeze.layer', { from: name(l), to: name(l + 1) }));
    });
    this.dom.compressFreeze.replaceChildren(...boxes);
  }

  /** Freezes or unfreezes weight layer `layer`: the network keeps training from where it is. */
  freeze(/** @type {number} */ layer, /** @type {boolean} */ on) {
    const state = this.host.state();
    if (!state) return;
    const next = clone(state);
    /** @type {number[]} */
    const frozen = (next.model.frozen ?? []).filter((/** @type {number} */ l) => l !== layer);
    if (on) frozen.push(layer);
    frozen.sort((a, b) => a - b);
    if (frozen.length) next.model.frozen = frozen;
    else delete next.model.frozen;
    this.host.configure(next);
  }

  // ---- apply and the compare view ------------------------------------------------------------

  /** The compare maps' size in device pixels (the plot area of a map canvas), once shown. @returns {[number, number] | null} */
  mapSize() {
    const wasm = this.host.wasm();
    const c = this.dom.compressMaps[0];
    if (!wasm || !fitCanvas(c, dpr())) return null;
    const { plot } = wasm.layout(c.width, c.height, dpr());
    const w = Math.min(600, plot[2] - plot[0]);
    const h = Math.min(600, plot[3] - plot[1]);
    return w >= 2 && h >= 2 ? [w, h] : null;
  }

  /** Compresses the model as the panel says (in the worker). */
  apply() {
    this.dom.compressView.hidden = false;
    this.dom.compressStatus.textContent = t('compress.working');
    this.applying = this.host.post({ type: 'compress', operation: this.operation(), maps: this.mapSize() });
  }

  /** An error answering a request of this panel (true when it was one): worded in the panel too. */
  failed(/** @type {{ id: number, message: string, code?: string, values?: Record<string, unknown> }} */ msg) {
    if (msg.id !== this.applying) return false;
    this.applying = null;
    this.dom.compressStatus.textContent = t('compress.refused', { reason: wordError(msg) });
    if (!this.compare) this.dom.compressView.hidden = true;
    return true;
  }

  /** Brings the panel up to date with the state: the settings, freezing, the compare view. */
  sync() {
    const state = this.host.state();
    if (!state) return;
    // another model: its own operation, unless the learner chose one that still applies (a
    // link's setup is shown as it is)
    const kind = state.model.kind;
    if (kind !== this.kindSeen) {
      this.kindSeen = kind;
      const op = this.dom.compressOp.value;
      if (!state.compress && (!this.opChosen || notApplying(op, kind))) {
        this.dom.compressOp.value = defaultOperation(kind);
        this.opChosen = false;
      }
    }
    this.renderSettings();
    this.syncFreeze();
    const setup = state.compress ?? null;
    const key = setup ? JSON.stringify(setup) : '';
    if (setup && key !== this.adopted) this.adopt(setup.operation);
    this.adopted = key;
    this.dom.compressClear.disabled = !setup;
    this.dom.compressExportOnnx.disabled = !setup;
    this.dom.compressCopyPython.disabled = !setup;
    if (!setup) {
      if (this.showing || this.compare) {
        this.showing = '';
        this.compare = null;
        this.dom.compressView.hidden = true;
        if (this.applying === null) this.dom.compressStatus.textContent = '';
      }
      return;
    }
    // A link's setup (or one whose view is not shown yet): ask the worker for the view.
    if (key !== this.showing && this.applying === null && this.asking === null) {
      this.dom.compressView.hidden = false;
      this.asking = this.host.newId();
      this.host.send({ type: 'compare', id: this.asking, maps: this.mapSize() });
    }
  }

  /** The worker's compare view (after Apply, or asked for by `sync`). */
  received(/** @type {CompareReply} */ msg) {
    if (msg.id === this.applying) this.applying = null;
    if (msg.id === this.asking) this.asking = null;
    if (msg.error) {
      this.dom.compressStatus.textContent = t('compress.refused', { reason: wordError(msg.error) });
      return;
    }
    if (!msg.report) {
      this.compare = null;
      this.showing = '';
      this.dom.compressView.hidden = true;
      return;
    }
    this.compare = msg;
    this.showing = JSON.stringify(msg.report.setup);
    this.hover = null;
    this.show(msg);
  }

  /** Draws the compare view: the maps, the table, the changes, the compressed network. */
  show(/** @type {CompareReply} */ msg) {
    const report = msg.report;
    if (!report) return;
    const { dom } = this;
    dom.compressView.hidden = false;
    const operation = /** @type {any} */ (report.setup.operation);
    const op = operation.kind;
    // an ensemble distilled into one network says so (it is a student, with its transfer points)
    const name = op === 'ensemble' && operation.student_neurons > 0
      ? t('compress.op.ensemble_student', { members: operation.members, neurons: operation.student_neurons })
      : t(`compress.op.${op}`);
    dom.compressStatus.textContent = t('compress.done', { operation: name, epochs: report.setup.epochs });
    this.drawMaps();
    this.fillTable(report, msg.times ?? null);
    const parts = [];
    if (report.changed_share != null) parts.push(t('compress.changed', { share: fmt(100 * report.changed_share, 3) }));
    if (report.mean_abs_difference != null) parts.push(t(msg.curves ? 'compress.mean_difference.regression' : 'compress.mean_difference', { value: fmt(report.mean_abs_difference, 3) }));
    dom.compressChanged.textContent = parts.join(language() === 'zh' ? '；' : '; ');
    const legend = msg.maps ? [t('compress.legend.difference')] : msg.curves ? [t('compress.legend.curves')] : [];
    if (msg.maps && report.transfer.length) legend.push(t('compress.legend.transfer', { n: report.transfer.length }));
    dom.compressLegend.textContent = legend.join(' ');
    dom.compressNet.hidden = !report.network;
    this.drawNetwork();
  }

  /** The three maps: each raster under the plot's points (no boundary), the transfer points faint on the compressed one. */
  drawMaps() {
    const wasm = this.host.wasm();
    const snapshot = this.host.snapshot();
    const msg = this.compare;
    const maps = msg?.maps;
    const curves = msg?.curves;
    const mapsBox = /** @type {HTMLElement} */ (this.dom.compressMaps[0].closest('.compress-maps'));
    mapsBox.hidden = !maps && !curves;
    if (!wasm || !snapshot || !msg?.report) return;
    if (curves && !maps) {
      this.drawCurves(curves, snapshot, wasm);
      return;
    }
    if (!maps) return;
    const ratio = dpr();
    const scene = { ...snapshot.scene, contours: [], highlight: null };
    const size = maps.width * maps.height * 4;
    this.dom.compressMaps.forEach((canvas, i) => {
      if (!fitCanvas(canvas, ratio)) return;
      const surface = document.createElement('canvas');
      surface.width = maps.width;
      surface.height = maps.height;
      const pixels = new Uint8ClampedArray(/** @type {ArrayBuffer} */ (maps.pixels.buffer), maps.pixels.byteOffset + i * size, size);
      /** @type {CanvasRenderingContext2D} */ (surface.getContext('2d')).putImageData(new ImageData(pixels, maps.width, maps.height), 0, 0);
      const layout = wasm.renderScene(canvas, scene, ratio, surface);
      const transfer = msg.report?.transfer ?? [];
      if (MAPS[i] === 'compressed' && transfer.length) {
        const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
        ctx.save();
        ctx.beginPath();
        ctx.rect(layout.plot[0], layout.plot[1], layout.plot[2] - layout.plot[0], layout.plot[3] - layout.plot[1]);
        ctx.clip();
        ctx.fillStyle = 'rgba(60, 60, 80, 0.22)';
        const r = 1.3 * ratio;
        for (const [x, y] of transfer) {
          const [px, py] = toPixel(layout, scene, x, y);
          ctx.fillRect(px - r, py - r, 2 * r, 2 * r);
        }
        ctx.restore();
      }
    });
  }

  /**
   * A regression's compare view: the original's curve over the points, the compressed model's
   * with the original's dashed under it, and their difference (compressed − original) on its own scale.
   * @param {import('./types.js').CompareCurves} curves @param {Snapshot} snapshot @param {Wasm} wasm
   */
  drawCurves(curves, snapshot, wasm) {
    const ratio = dpr();
    const base = { ...snapshot.scene, contours: [], highlight: null, band: null, fitted: [], show_residuals: false };
    const spread = curves.difference.reduce((m, [, y]) => (Number.isFinite(y) ? Math.max(m, Math.abs(y)) : m), 0);
    const m = Math.max(spread * 1.2, 1e-6);
    const scenes = [
      { ...base, curve: curves.original },
      { ...base, curve: curves.compressed },
      { ...base, xs: new Float64Array(0), ys: new Float64Array(0), roles: new Uint8Array(0), classes: new Uint8Array(0), points_key: undefined, curve: curves.difference, view: { x: base.view.x, y: /** @type {[number, number]} */ ([-m, m]) }, y_label: t('compress.axis.difference') },
    ];
    this.dom.compressMaps.forEach((canvas, i) => {
      if (!fitCanvas(canvas, ratio)) return;
      const layout = wasm.renderScene(canvas, scenes[i], ratio);
      const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
      /** @param {[number, number][]} line @param {string} colour @param {number[]} dash */
      const stroke = (line, colour, dash) => {
        ctx.save();
        ctx.beginPath();
        ctx.rect(layout.plot[0], layout.plot[1], layout.plot[2] - layout.plot[0], layout.plot[3] - layout.plot[1]);
        ctx.clip();
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.5 * ratio;
        ctx.setLineDash(dash.map((d) => d * ratio));
        ctx.beginPath();
        let drawing = false;
        for (const [x, y] of line) {
          if (!Number.isFinite(y)) {
            drawing = false;
            continue;
          }
          const [px, py] = toPixel(layout, scenes[i], x, y);
          if (drawing) ctx.lineTo(px, py);
          else ctx.moveTo(px, py);
          drawing = true;
        }
        ctx.stroke();
        ctx.restore();
      };
      if (i === 1) stroke(curves.original, 'rgba(70, 70, 90, 0.7)', [5, 4]);
      if (i === 2) stroke([[base.view.x[0], 0], [base.view.x[1], 0]], 'rgba(70, 70, 90, 0.5)', [2, 3]);
    });
  }

  /** The table: parameters, non-zero, bytes, the scores on train and test, the prediction time. */
  fillTable(/** @type {CompareReport} */ report, /** @type {{ original: number, compressed: number } | null} */ times) {
    const { original, compressed } = report;
    const regression = original.test.r2 != null || original.train.r2 != null;
    /** @type {[string, (side: typeof original) => string][]} */
    const rows = [
      [t('compress.row.parameters'), (s) => (s.size ? String(s.size.parameters) : '–')],
      [t('compress.row.nonzero'), (s) => (s.size ? String(s.size.nonzero) : '–')],
      [t('compress.row.bytes'), (s) => String(s.size?.bytes ?? s.tree?.bytes ?? '–')],
    ];
    if (original.tree || compressed.tree) {
      // a tree has no parameter count: its nodes and leaves instead, then its bytes (both kinds of rows when a network became a tree)
      const treeRows = /** @type {typeof rows} */ ([[t('compress.row.nodes'), (s) => String(s.tree?.nodes ?? '–')], [t('compress.row.leaves'), (s) => String(s.tree?.leaves ?? '–')]]);
      // a forest's or a boosted model's trees (a boosted model of more classes grows one per class and stage)
      if ((original.tree?.trees ?? 1) > 1 || (compressed.tree?.trees ?? 1) > 1) treeRows.unshift([t('compress.row.trees'), (s) => String(s.tree?.trees ?? '–')]);
      rows.splice(original.size || compressed.size ? 3 : 0, original.size || compressed.size ? 0 : 2, ...treeRows);
    }
    const metrics = regression ? ['r2', 'mse'] : ['accuracy', 'log_loss'];
    for (const metric of metrics) {
      for (const subset of /** @type {const} */ (['train', 'test'])) {
        const key = /** @type {'accuracy' | 'log_loss' | 'r2' | 'mse'} */ (metric);
        rows.push([t('compress.row.metric', { metric: metricLabel(metric), subset: t(`page.${subset}`) }), (s) => fmt(s[subset][key])]);
      }
    }
    if (times) {
      const ms = { original: times.original, compressed: times.compressed };
      const time = (/** @type {number} */ v) => (v >= 100 ? String(Math.round(v)) : fmt(v, 2));
      rows.push([t('compress.row.time'), (s) => t('compress.ms', { ms: time(s === original ? ms.original : ms.compressed) })]);
    }
    const head = h('thead', {}, h('tr', {}, h('th', { scope: 'col', textContent: t('page.metric') }), h('th', { scope: 'col', textContent: t('compress.map.original') }), h('th', { scope: 'col', textContent: t('compress.map.compressed') })));
    const body = h('tbody', {}, ...rows.map(([label, value]) => h('tr', {}, h('th', { scope: 'row', textContent: label }), h('td', { textContent: value(original) }), h('td', { textContent: value(compressed) }))));
    this.dom.compressTable.replaceChildren(head, body);
  }

  // ---- the compressed network ----------------------------------------------------------------

  drawNetwork() {
    const wasm = this.host.wasm();
    const network = this.compare?.report?.network;
    const canvas = this.dom.compressNetwork;
    if (!wasm || !network || this.dom.compressNet.hidden || !fitCanvas(canvas, dpr())) return;
    drawView(wasm, canvas, 'network', localNetwork(network), dpr(), this.hover?.[0], this.hover ? [this.hover[1]] : undefined);
    this.dom.compressHover.textContent = this.hover ? this.describe(this.hover[0], this.hover[1]) : t('compress.hover.hint');
  }

  hoverNetwork(/** @type {MouseEvent} */ e) {
    const wasm = this.host.wasm();
    const network = this.compare?.report?.network;
    if (!wasm || !network) return;
    const c = this.dom.compressNetwork;
    const rect = c.getBoundingClientRect();
    const px = ((e.clientX - rect.left) * c.width) / rect.width;
    const py = ((e.clientY - rect.top) * c.height) / rect.height;
    const hit = wasm.networkHit(c.width, c.height, dpr(), network, px, py);
    const next = hit ? /** @type {[number, number]} */ ([hit[0], hit[1]]) : null;
    if (String(next) === String(this.hover)) return;
    this.hover = next;
    this.drawNetwork();
  }

  /** What the hovered neuron's incoming weights are: a quantised network's integers, a pruned one's count. */
  describe(/** @type {number} */ layer, /** @type {number} */ neuron) {
    const network = this.compare?.report?.network;
    if (!network) return '';
    const last = network.layer_sizes.length - 1;
    const name = layer === 0 ? t('compress.hover.input', { n: neuron + 1 }) : layer === last ? t('compress.hover.output', { n: neuron + 1 }) : t('compress.hover.hidden', { layer, n: neuron + 1 });
    if (layer === 0) return name;
    /** @type {{ bits: number, integers: number[][][], scales: number[][], zero_points: number[][] } | undefined} */
    const q = network.quantized;
    const incoming = (/** @type {any[][] | undefined} */ matrix) => (matrix ?? []).map((row) => row[neuron]);
    if (q) {
      const scales = q.scales[layer - 1] ?? [];
      const channel = scales.length > 1 ? neuron : 0;
      const zero = (q.zero_points[layer - 1] ?? [])[channel];
      return t(zero == null ? 'compress.hover.quantized' : 'compress.hover.quantized_zero', {
        neuron: name,
        bits: q.bits,
        values: incoming(q.integers[layer - 1]).join(', '),
        scale: fmt(scales[channel], 3),
        zero: zero ?? 0,
      });
    }
    /** @type {boolean[][][] | undefined} */
    const pruned = network.pruned;
    const weights = incoming(network.weights[layer - 1]);
    const gone = incoming(pruned?.[layer - 1]).filter(Boolean).length;
    return t('compress.hover.weights', { neuron: name, total: weights.length, pruned: gone });
  }

  // ---- curves --------------------------------------------------------------------------------

  askCurve() {
    if (this.curving !== null) return;
    const kind = this.dom.compressCurve.value;
    this.curving = this.host.newId();
    this.dom.compressCurveRun.disabled = true;
    this.dom.compressStatus.textContent = t('compress.curve.working', { curve: t(`compress.curve.${kind}`) });
    this.host.send({ type: 'compress-curve', id: this.curving, kind });
  }

  receivedCurve(/** @type {CurveReply} */ msg) {
    if (msg.id !== this.curving) return;
    this.curving = null;
    this.dom.compressCurveRun.disabled = false;
    if (msg.error || !msg.curve) {
      this.dom.compressStatus.textContent = t('compress.refused', { reason: wordError(msg.error ?? { message: '' }) });
      return;
    }
    this.dom.compressStatus.textContent = '';
    this.curve = msg.curve;
    this.drawCurve();
  }

  drawCurve() {
    const wasm = this.host.wasm();
    const curve = this.curve;
    const chart = this.dom.compressCurveChart;
    if (!wasm || !curve) return;
    chart.hidden = false;
    if (!fitCanvas(chart, dpr())) return;
    const reference = (/** @type {string} */ key) => key === 'original' || key === 'teacher' || (curve.kind === 'temperature' && key === 'labels_only');
    const forest = this.host.state()?.model.kind === 'forest';
    const x = curve.kind === 'student_size' ? `compress.axis.student_size.${this.values.distill.student ?? 'network'}`
      : curve.kind === 'stages' ? `compress.axis.stages.${forest ? 'forest' : 'boosting'}` : `compress.axis.${curve.kind}`;
    const y = curve.kind === 'stages' ? 'compress.axis.stages_score' : 'compress.axis.score';
    drawView(wasm, chart, 'compress_curve', {
      series: curve.series.map((s) => ({ name: t(`compress.series.${s.key}`), points: s.points, reference: reference(s.key) })),
      x_title: t(x),
      y_title: t(y, { metric: metricLabel(curve.metric), subset: t(`page.${curve.subset}`) }),
      log_x: curve.kind === 'temperature' || curve.kind === 'student_size',
    }, dpr());
    chart.setAttribute('aria-label', t('compress.curve.aria', { curve: t(`compress.curve.${curve.kind}`) }));
  }

  /** Redraws what depends on the canvases' sizes. */
  resize() {
    if (this.compare) {
      this.drawMaps();
      this.drawNetwork();
    }
    if (this.curve) this.drawCurve();
  }

  /** The worker that held the compressed model is gone (its replacement replays the link's setup). */
  lost() {
    this.applying = null;
    this.asking = null;
    this.curving = null;
    this.showing = '';
    this.dom.compressCurveRun.disabled = false;
  }
}
