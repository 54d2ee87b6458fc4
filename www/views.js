// @ts-check
// Drawing: the plot (scene and decision surface), the loss chart, the views beside the plot (the
// shared ROC, precision-recall, importances and schedule, and the family's own kinds as its
// descriptor lists them: sigmoid, pruning, …), the diagram under the plot (tree or network, with
// thumbnails), the note on the family's rings, and the hovered tree node's region on the plot.
// A family's view of a kind the page has no special handling for is drawn as a chart titled
// `view.<kind>` from the catalog.
import { fitCanvas, fmt, capitalise, h } from './util.js';
import { t, has, language, wordError } from './i18n.js';
import { className } from './readout.js';
import { drawView } from './pictures.js';
import { optionLabel } from './model-controls.js';
import { toPixel } from './plot-input.js';
import { familyViews } from './models.js';

/**
 * A network diagram's words (activations, the output's class names) in the page's language: the
 * wasm names them in English (`tanh`, `P(class 1)`). The Compress panel's diagram uses it too.
 * @param {any} net
 */
export function localNetwork(net) {
  const output = (/** @type {string} */ name) => name.replace(/class \d+/, (m) => className([m], 0));
  return {
    ...net,
    activations: (net.activations ?? []).map((/** @type {string} */ a) => optionLabel('hidden_layers', a)),
    output_activation: has(`view.output.${net.output_activation}`) ? t(`view.output.${net.output_activation}`) : net.output_activation,
    output_names: (net.output_names ?? []).map(output),
  };
}

/** @typedef {import('./types.js').Snapshot} Snapshot */
/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Layout} Layout */
/** @typedef {import('./types.js').Views} ViewData */
/** @typedef {import('./types.js').DiagramHover} DiagramHover */
/** @typedef {import('./types.js').Wasm} Wasm */
/** @typedef {import('./template.js').Dom} Dom */
/** @typedef {{ highlighted: number | null, plotHover: [number, number] | null, diagramHover: DiagramHover }} Pointer */
/** @typedef {{ kind: string, title: string, small?: string, data: unknown, note?: string, key: string }} Wanted */

/** A subset's name (the wasm says `train` or `test`). */
const subsetName = (/** @type {string} */ s) => (has(`view.subset.${s}`) ? t(`view.subset.${s}`) : s);

/** A heading with its small note: `Title <small>note</small>`, built as nodes. */
const heading = (/** @type {string} */ title, /** @type {string | undefined} */ small) =>
  small ? [`${title} `, h('small', { textContent: small })] : [title];

/** The last `Scene.points_key` given out: one count for every element of the page, which share
 * the main thread's wasm instance (and its point layer), so two plots never share a key. */
let lastPointsKey = 0;

/** The kinds drawn as the diagram under the plot, linked with it (hover a node, see its region). */
const DIAGRAMS = new Set(['tree', 'network']);

export class Painter {
  constructor(/** @type {Dom} */ dom) {
    this.dom = dom;
    /** @type {number | null} the tree node whose path the diagram shows (hovered, or a hovered point's leaf) */
    this.treeLeaf = null;
    /** @type {Layout | null} the plot's layout as last drawn (maps pointer positions to data) */
    this.layout = null;
    /** @type {HTMLCanvasElement | null} the decision surface at its own resolution, scaled when drawn */
    this.surfaceCanvas = null;
    /** @type {Snapshot['surface']} the surface now in surfaceCanvas */
    this.drawnSurface = null;
    /** @type {((hover: DiagramHover) => void) | null} called when the pointer enters or leaves a thumbnail */
    this.onThumbnailHover = null;
    /** @type {{ key: number, arrays: ArrayLike<number>[] } | null} the point arrays last drawn and their key */
    this.points = null;
  }

  /**
   * The number the wasm knows the scene's points by (`Scene.points_key`): the same as the last
   * scene's when its arrays hold the same values (a training frame moves no point), so the
   * wasm reuses its point layer without going over 100,000 points; a new one otherwise. The
   * comparison costs well under a millisecond for 100k points.
   * @param {Snapshot['scene']} scene
   */
  pointsKey(scene) {
    const arrays = [scene.xs, scene.ys, scene.roles, scene.classes];
    const last = this.points;
    const same = (/** @type {ArrayLike<number>} */ a, /** @type {ArrayLike<number>} */ b) => {
      if (a === b) return true;
      if (!a || !b || a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
      return true;
    };
    if (last && arrays.every((a, k) => same(a, last.arrays[k]))) return last.key;
    this.points = { key: ++lastPointsKey, arrays };
    return this.points.key;
  }

  /**
   * Draws everything a snapshot shows. Returns an error message when the wasm could not draw.
   * @param {Wasm} wasm
   * @param {Snapshot} snapshot
   * @param {State} state
   * @param {Pointer} pointer
   * @param {number} ratio device pixels per CSS pixel
   */
  draw(wasm, snapshot, state, pointer, ratio) {
    const failure = this.drawPlot(wasm, snapshot, pointer, ratio);
    if (failure) return failure;
    const { dom } = this;
    try {
      this.drawRegionOverlay(snapshot, pointer.diagramHover, ratio);
      wasm.renderLoss(dom.loss, snapshot.history, ratio, Boolean(state.view.log_loss));
      this.drawViews(wasm, snapshot, pointer, ratio, familyViews(state.model.kind));
      this.noteRings(snapshot, state);
      return null;
    } catch (err) {
      return t('page.drawing_failed', { reason: /** @type {Error} */ (err).message });
    }
  }

  /**
   * The plot alone (the decision surface, the points and the model: what the first frame shows);
   * `draw` draws it and the rest. Returns a message when it could not be drawn.
   * @param {Wasm} wasm @param {Snapshot} snapshot @param {Pointer} pointer @param {number} ratio
   * @returns {string | null}
   */
  drawPlot(wasm, snapshot, pointer, ratio) {
    const { dom } = this;
    const scene = snapshot.scene;
    scene.highlight = pointer.highlighted;
    scene.points_key = this.pointsKey(scene);
    const surface = snapshot.surface;
    if (surface && surface !== this.drawnSurface) {
      const canvas = (this.surfaceCanvas ??= document.createElement('canvas'));
      canvas.width = surface.width;
      canvas.height = surface.height;
      const pixels = new Uint8ClampedArray(/** @type {ArrayBuffer} */ (surface.pixels.buffer), surface.pixels.byteOffset, surface.pixels.byteLength);
      /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d')).putImageData(new ImageData(pixels, surface.width, surface.height), 0, 0);
      // the canvas holds them now: the snapshot lets its copy go (5 MB for a full-resolution plot)
      surface.pixels = new Uint8Array(0);
      this.drawnSurface = surface;
    }
    try {
      this.layout = wasm.renderScene(dom.plot, scene, ratio, surface && this.surfaceCanvas ? this.surfaceCanvas : undefined);
      dom.sliceNote.hidden = !scene.slice_note;
      dom.sliceNote.textContent = scene.slice_note ? `${capitalise(wordError(scene.slice_note))}${t('page.full_stop')}` : '';
      return null;
    } catch (err) {
      return t('page.drawing_failed', { reason: /** @type {Error} */ (err).message });
    }
  }

  /**
   * The pictures beside the main one, each on its own canvas: the family's kinds (`kinds`, from
   * its descriptor) and the shared charts.
   * @param {Wasm} wasm @param {Snapshot} snapshot @param {Pointer} pointer @param {number} ratio
   * @param {string[]} kinds
   */
  drawViews(wasm, snapshot, pointer, ratio, kinds) {
    const box = this.dom.views;
    const views = /** @type {Record<string, any>} */ (snapshot.views ?? {});
    const hover = pointer.highlighted;
    /** @type {Wanted[]} the family's charts: the sigmoid view leads, the others follow the shared charts */
    const first = [];
    /** @type {Wanted[]} */
    const after = [];
    for (const kind of kinds) {
      const data = views[kind];
      // drawn elsewhere: the diagram under the plot, the thumbnails on it, rings on the plot
      if (!data || DIAGRAMS.has(kind) || kind === 'thumbnails' || kind === 'rings' || kind === 'centroids') continue;
      if (kind === 'sigmoid') {
        data.highlight = hover;
        const z = hover != null ? data.z[hover] : null;
        const note = z != null ? t('view.sigmoid.note', { i: hover ?? 0, z: fmt(z, 3), p: fmt(1 / (1 + Math.exp(-z)), 3) }) : t('view.sigmoid.hover');
        first.push({ kind, title: t('view.sigmoid'), small: t('canvas.axis.sigmoid_y'), data, note, key: kind });
      } else {
        const small = has(`view.${kind}.small`) ? t(`view.${kind}.small`) : undefined;
        after.push({ kind, title: t(`view.${kind}`), small, data, key: kind });
      }
    }
    /** @type {Wanted[]} */
    const wanted = [...first];
    if (views.roc) wanted.push({ kind: 'roc', title: t('view.roc'), small: `(${subsetName(views.roc.subset)})`, data: views.roc, key: 'roc' });
    if (views.precision_recall) {
      const pr = views.precision_recall;
      const positive = className(snapshot.report.class_names ?? [], 1);
      const subset = subsetName(pr.subset);
      const note = t('view.precision_recall.note', { share: fmt(100 * pr.positive_share, 3), subset, positive });
      wanted.push({ kind: 'precision_recall', title: t('view.precision_recall'), small: `(${subset}, ${positive})`, data: pr, note, key: 'precision_recall' });
    }
    // The bar charts' titles are drawn on the canvas: the page's words, not the wasm's English.
    if (views.importances) {
      const data = { ...views.importances, title: t('view.importances.axis') };
      wanted.push({ kind: 'bars', title: t('view.importances'), small: t('view.importances.small'), data, key: 'bars' });
    }
    if (views.permutation) {
      // the wasm scores permutations by R² for regression and by accuracy for classes
      const metric = t(snapshot.report.train.task === 'classification' ? 'report.accuracy' : 'report.r2');
      const data = { ...views.permutation, title: t('view.permutation.axis', { metric }) };
      wanted.push({ kind: 'bars', title: t('view.permutation'), small: t('view.permutation.small'), data, key: 'permutation' });
    }
    wanted.push(...after);
    if (views.schedule) wanted.push({ kind: 'schedule', title: t('view.schedule'), data: views.schedule, key: 'schedule' });
    const keys = wanted.map((w) => `${w.key}:${w.title}:${w.small}`).join('\n');
    if (box.dataset.keys !== keys) {
      box.dataset.keys = keys;
      box.replaceChildren(...wanted.flatMap((w) => {
        const canvas = h('canvas', { className: 'view' });
        Object.assign(canvas.dataset, { kind: w.kind, key: w.key });
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', t('view.chart', { title: w.title }));
        const note = h('p', { className: 'note' });
        note.dataset.note = w.key;
        return [h('h2', {}, ...heading(w.title, w.small)), canvas, note];
      }));
    }
    for (const w of wanted) {
      const c = /** @type {HTMLCanvasElement} */ (box.querySelector(`canvas[data-key="${w.key}"]`));
      // A bar chart grows with its bars, so every feature keeps a readable label.
      const bars = w.kind === 'bars' ? /** @type {{ values: number[] }} */ (w.data).values.length : 0;
      const aspect = bars > 5 ? `5 / ${Math.min(12, 3 + 0.45 * (bars - 5)).toFixed(2)}` : '';
      if (c.style.aspectRatio !== aspect) c.style.aspectRatio = aspect;
      if (!fitCanvas(c, ratio)) continue;
      drawView(wasm, c, w.kind, w.data, ratio);
      /** @type {HTMLElement} */ (box.querySelector(`[data-note="${w.key}"]`)).textContent = w.note ?? '';
    }
    this.drawDiagram(wasm, snapshot, pointer, ratio, kinds);
  }

  /**
   * Under the plot, what the family's marks on it are (`view.rings.<family>`, e.g. the support
   * vectors; `view.centroids.<family>`, k-means' centroids and trails).
   */
  noteRings(/** @type {Snapshot} */ snapshot, /** @type {State} */ state) {
    const note = this.dom.ringsNote;
    const centroids = snapshot.scene.centroids?.length ?? 0;
    const n = centroids || (snapshot.scene.rings?.length ?? 0);
    const tube = snapshot.scene.tube != null;
    const key = `view.${centroids ? 'centroids' : tube ? 'tube' : 'rings'}.${state.model.kind}`;
    note.hidden = !n || !has(key);
    note.textContent = note.hidden ? '' : t(key, { n });
  }

  /**
   * The family's diagram under the canvas (a tree or a network, as its `kinds` say), linked both
   * ways with the plot.
   * @param {Wasm} wasm @param {Snapshot} snapshot @param {Pointer} pointer @param {number} ratio
   * @param {string[]} kinds
   */
  drawDiagram(wasm, snapshot, pointer, ratio, kinds) {
    const { dom } = this;
    this.treeLeaf = null;
    const views = snapshot.views ?? {};
    const kind = kinds.find((k) => DIAGRAMS.has(k) && /** @type {Record<string, unknown>} */ (views)[k]) ?? null;
    dom.diagram.hidden = !kind;
    if (!kind) return;
    const c = dom.diagramCanvas;
    c.dataset.kind = kind;
    if (!fitCanvas(c, ratio)) return;
    const over = pointer.diagramHover;
    if (kind === 'tree' && views.tree) {
      dom.diagramTitle.replaceChildren(...heading(t('view.tree'), t('view.tree.small')));
      c.setAttribute('aria-label', t('page.diagram', { model: t('view.tree') }));
      const tree = views.tree;
      const nodes = tree.diagram.nodes;
      /** @type {number | null} */
      let leaf = over?.kind === 'tree' ? over.node : null;
      if (leaf == null && pointer.highlighted != null) leaf = tree.leaves[pointer.highlighted];
      if (leaf == null && pointer.plotHover && tree.regions.length) {
        const [x, y] = pointer.plotHover;
        leaf = nodes.findIndex((n, i) => n.is_leaf && tree.regions[i]?.length === 2 &&
          x >= tree.regions[i][0][0] && x <= tree.regions[i][0][1] && y >= tree.regions[i][1][0] && y <= tree.regions[i][1][1]);
        if (leaf < 0) leaf = null;
      }
      this.treeLeaf = leaf;
      const path = [];
      for (let n = leaf; n != null && nodes[n]; n = nodes[n].parent) path.unshift(n);
      // The generated data's classes are named `class n` by the wasm: drawn in the page's words.
      const names = /** @type {string[] | undefined} */ (/** @type {any} */ (tree.diagram).class_names);
      const drawn = names ? { ...tree, diagram: { ...tree.diagram, class_names: names.map((_, i) => className(names, i)) } } : tree;
      drawView(wasm, c, 'tree', drawn, ratio, leaf ?? undefined, new Uint32Array(path));
      dom.thumbs.replaceChildren();
    } else if (kind === 'network' && views.network) {
      dom.diagramTitle.replaceChildren(...heading(t('view.network'), t('view.network.small')));
      c.setAttribute('aria-label', t('page.diagram', { model: t('view.network') }));
      const neuron = over?.kind === 'network' ? over : null;
      // The diagram's words (activations, the output's class names) in the page's language.
      const drawn = localNetwork(views.network);
      drawView(wasm, c, 'network', drawn, ratio, neuron ? neuron.layer : undefined, neuron ? new Uint32Array([neuron.neuron]) : undefined);
      this.drawThumbnails(snapshot, views.network, kinds.includes('thumbnails') ? neuron : null);
    }
  }

  /**
   * One thumbnail per hidden neuron: its output over the input plane.
   * @param {Snapshot} snapshot
   * @param {import('./types.js').NetworkView} network
   * @param {{ layer: number, neuron: number } | null} neuron the hovered neuron
   */
  drawThumbnails(snapshot, network, neuron) {
    const box = this.dom.thumbs;
    const thumbs = snapshot.thumbnails;
    if (!thumbs) {
      box.replaceChildren();
      return;
    }
    const sizes = network.layer_sizes.slice(1, -1);
    const key = language() + JSON.stringify(sizes);
    if (box.dataset.key !== key) {
      box.dataset.key = key;
      box.replaceChildren(...sizes.map((n, l) => h('div', { className: 'thumb-layer' }, h('span', { textContent: t('view.layer', { n: l + 1 }) }),
        ...Array.from({ length: n }, (_, i) => {
          const label = t('view.neuron', { layer: l + 1, n: i + 1 });
          const cv = h('canvas', { width: thumbs.size, height: thumbs.size, title: label });
          Object.assign(cv.dataset, { layer: String(l + 1), neuron: String(i) });
          cv.setAttribute('role', 'img');
          cv.setAttribute('aria-label', label);
          return cv;
        }))));
      for (const cv of box.querySelectorAll('canvas')) {
        cv.onpointerenter = () => this.onThumbnailHover?.({ kind: 'network', layer: Number(cv.dataset.layer), neuron: Number(cv.dataset.neuron) });
        cv.onpointerleave = () => this.onThumbnailHover?.(null);
      }
    }
    const px = thumbs.size * thumbs.size * 4;
    box.querySelectorAll('canvas').forEach((cv, k) => {
      if ((k + 1) * px > thumbs.pixels.length) return;
      const data = new Uint8ClampedArray(/** @type {ArrayBuffer} */ (thumbs.pixels.buffer), thumbs.pixels.byteOffset + k * px, px);
      /** @type {CanvasRenderingContext2D} */ (cv.getContext('2d')).putImageData(new ImageData(data, thumbs.size, thumbs.size), 0, 0);
      cv.classList.toggle('on', Boolean(neuron && neuron.layer === Number(cv.dataset.layer) && neuron.neuron === Number(cv.dataset.neuron)));
    });
  }

  /** The hovered tree node's region, outlined on the plot. */
  drawRegionOverlay(/** @type {Snapshot} */ snapshot, /** @type {DiagramHover} */ over, /** @type {number} */ ratio) {
    const tree = snapshot.views?.tree;
    if (!tree || over?.kind !== 'tree' || !this.layout) return;
    const region = tree.regions[over.node];
    if (!region || region.length !== 2) return;
    const [[x0, x1], [y0, y1]] = region;
    const [px0, py0] = toPixel(this.layout, snapshot.scene, x0, y1);
    const [px1, py1] = toPixel(this.layout, snapshot.scene, x1, y0);
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.dom.plot.getContext('2d'));
    ctx.save();
    ctx.fillStyle = 'rgba(255, 221, 87, 0.28)';
    ctx.strokeStyle = '#b8860b';
    ctx.lineWidth = 2.5 * ratio;
    ctx.fillRect(px0, py0, px1 - px0, py1 - py0);
    ctx.strokeRect(px0, py0, px1 - px0, py1 - py0);
    ctx.restore();
  }
}
