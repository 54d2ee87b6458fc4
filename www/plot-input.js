// @ts-check
// Pointer input on the plot and the diagram: click adds a point, drag moves one, Shift-click
// removes the nearest; hovering links points, tree nodes and neurons; a dropped or pasted CSV
// opens the column chooser (a dropped .json file opens as a model file). Also the mapping between data and device pixels.
import { dpr } from './util.js';
import { PointIndex } from './point-index.js';
import { t } from './i18n.js';

/** @typedef {import('./types.js').Layout} Layout */
/** @typedef {import('./types.js').Scene} Scene */
/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Snapshot} Snapshot */
/** @typedef {import('./types.js').Edit} Edit */
/** @typedef {import('./types.js').DiagramHover} DiagramHover */
/** @typedef {import('./types.js').Wasm} Wasm */
/** @typedef {[number, number]} Point */

/** How near (in CSS pixels) a press must be to a point to grab it. */
const HIT_RADIUS_CSS = 10;
/** How long a touch must be held, still, to remove the nearest point. */
const LONG_PRESS_MS = 550;
/** How far (CSS pixels) a touch may wander and still be a press. */
const PRESS_SLOP_CSS = 8;
/** One arrow key moves the keyboard cursor this share of the view (Shift: five times as far). */
const KEY_STEP = 0.02;

/** Device pixels of data point (x, y). */
export function toPixel(/** @type {Layout} */ layout, /** @type {Scene} */ scene, /** @type {number} */ x, /** @type {number} */ y) {
  const { plot } = layout;
  const { view } = scene;
  return /** @type {Point} */ ([
    plot[0] + ((x - view.x[0]) / (view.x[1] - view.x[0])) * (plot[2] - plot[0]),
    plot[1] + ((view.y[1] - y) / (view.y[1] - view.y[0])) * (plot[3] - plot[1]),
  ]);
}

/** Data coordinates of a device-pixel position. */
export function toData(/** @type {Layout} */ layout, /** @type {Scene} */ scene, /** @type {Point} */ [px, py]) {
  const { plot } = layout;
  const { view } = scene;
  const x = view.x[0] + ((px - plot[0]) / (plot[2] - plot[0])) * (view.x[1] - view.x[0]);
  const y = view.y[1] - ((py - plot[1]) / (plot[3] - plot[1])) * (view.y[1] - view.y[0]);
  return /** @type {Point} */ ([x, y]);
}

const insidePlot = (/** @type {Layout} */ { plot }, /** @type {Point} */ [px, py]) => px >= plot[0] && px <= plot[2] && py >= plot[1] && py <= plot[3];

/** Device-pixel position of a pointer event on a canvas. */
function devicePos(/** @type {HTMLCanvasElement} */ c, /** @type {MouseEvent} */ e) {
  const r = c.getBoundingClientRect();
  return /** @type {Point} */ ([((e.clientX - r.left) * c.width) / r.width, ((e.clientY - r.top) * c.height) / r.height]);
}

/**
 * What the input handlers need from the element.
 * @typedef {{
 *   layout: () => Layout | null,
 *   snapshot: () => Snapshot | null,
 *   state: () => State | null,
 *   wasm: () => Wasm | null,
 *   busy: () => boolean,
 *   edit: (edit: Edit) => void,
 *   draw: () => void,
 *   chooseColumns: (bytes: Uint8Array, name: string) => void,
 *   openModel: (file: File) => void,
 *   selectedClass: () => number | null,
 * }} InputHost
 */

export class PlotInput {
  /**
   * @param {InputHost} host
   * @param {HTMLCanvasElement} plot
   * @param {HTMLCanvasElement} diagram
   * @param {HTMLElement} pasteTarget where pasted CSV text is caught (the element)
   */
  constructor(host, plot, diagram, pasteTarget) {
    this.host = host;
    this.plot = plot;
    this.diagram = diagram;
    /** @type {number | null} the point under the pointer */
    this.hover = null;
    /** @type {{ index: number, moved: boolean } | null} the point being dragged */
    this.drag = null;
    /** @type {Point | null} the data position under the pointer (for a tree's path) */
    this.plotHover = null;
    /** @type {DiagramHover} the tree node or neuron under the pointer on the diagram */
    this.diagramHover = null;
    /** @type {Edit | null} the latest move of a drag, sent when the worker is free */
    this.pendingMove = null;
    /** @type {Point | null} the keyboard cursor on the plot, in data coordinates */
    this.cursor = null;
    /** @type {{ timer: ReturnType<typeof setTimeout>, at: Point, add: Edit | null } | null} a touch being held */
    this.press = null;
    /** The points' spatial index and what it was made for. @type {{ snapshot: Snapshot, key: string, index: PointIndex } | null} */
    this.indexCache = null;
    this.bindPlot();
    this.bindKeys();
    this.bindDrop(pasteTarget);
    this.bindDiagram();
  }

  /** The point to emphasise: the dragged one, else the hovered one. */
  highlighted() {
    return this.drag ? this.drag.index : this.hover;
  }

  /** Sends the drag's latest move once the worker has answered everything. */
  flushMove() {
    if (this.pendingMove && !this.host.busy()) {
      const edit = this.pendingMove;
      this.pendingMove = null;
      this.host.edit(edit);
    }
  }

  /** Index and device-pixel distance of the drawn point nearest to a device-pixel position. */
  nearestPoint(/** @type {Layout} */ layout, /** @type {Snapshot} */ snapshot, /** @type {Point} */ [px, py]) {
    return this.pointIndex(layout, snapshot).nearest(px, py);
  }

  /**
   * The spatial index of the drawn points (point-index.js), made once per snapshot, plot area and
   * test-point setting: a pointer move looks at a few cells, not every point.
   * @param {Layout} layout @param {Snapshot} snapshot
   */
  pointIndex(layout, snapshot) {
    const showTest = Boolean(this.host.state()?.view.show_test);
    const key = `${layout.plot.join()}|${showTest}`;
    const cached = this.indexCache;
    if (cached && cached.snapshot === snapshot && cached.key === key) return cached.index;
    const { xs, ys, roles } = snapshot.scene;
    const px = new Float64Array(xs.length);
    const py = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) [px[i], py[i]] = toPixel(layout, snapshot.scene, xs[i], ys[i]);
    // test points only when shown; synthetic points are not editable
    const index = new PointIndex(px, py, (i) => !((!showTest && roles[i] & 1) || roles[i] & 4));
    this.indexCache = { snapshot, key, index };
    return index;
  }

  bindPlot() {
    const c = this.plot;
    const host = this.host;
    c.addEventListener('pointerdown', (e) => {
      const layout = host.layout();
      const snapshot = host.snapshot();
      if (!layout || !snapshot || e.button !== 0) return;
      const pos = devicePos(c, e);
      if (!insidePlot(layout, pos)) return;
      const near = this.nearestPoint(layout, snapshot, pos);
      if (e.shiftKey) {
        if (near) host.edit({ op: 'remove', i: near.i });
        return;
      }
      const grabbed = near && near.d <= HIT_RADIUS_CSS * dpr();
      if (grabbed) {
        this.drag = { index: near.i, moved: false };
        try {
          c.setPointerCapture(e.pointerId);
        } catch {
          // a pointer the browser no longer tracks: the drag goes on without capture
        }
      }
      const add = grabbed ? null : this.addAt(toData(layout, snapshot.scene, pos));
      if (e.pointerType === 'mouse') {
        if (add) host.edit(add);
        return;
      }
      // A touch or pen: held still, it removes the nearest point; let go sooner, it adds (or drags).
      this.cancelPress();
      this.press = {
        at: pos,
        add,
        timer: setTimeout(() => {
          this.press = null;
          this.drag = null;
          const now = host.layout() && host.snapshot() ? this.nearestPoint(/** @type {Layout} */ (host.layout()), /** @type {Snapshot} */ (host.snapshot()), pos) : null;
          if (now) host.edit({ op: 'remove', i: now.i });
        }, LONG_PRESS_MS),
      };
    });
    c.addEventListener('pointermove', (e) => {
      const layout = host.layout();
      const snapshot = host.snapshot();
      if (!layout || !snapshot) return;
      const pos = devicePos(c, e);
      if (this.press && Math.hypot(pos[0] - this.press.at[0], pos[1] - this.press.at[1]) > PRESS_SLOP_CSS * dpr()) this.cancelPress();
      if (this.drag) {
        const [x, y] = toData(layout, snapshot.scene, pos);
        this.drag.moved = true;
        /** @type {Edit} */
        const edit = { op: 'move', i: this.drag.index, x, y };
        if (!host.busy()) host.edit(edit);
        else this.pendingMove = edit;
        return;
      }
      const near = this.nearestPoint(layout, snapshot, pos);
      const hover = near && near.d <= HIT_RADIUS_CSS * dpr() ? near.i : null;
      if (snapshot.views?.tree) {
        this.plotHover = insidePlot(layout, pos) ? toData(layout, snapshot.scene, pos) : null;
        host.draw();
      }
      if (hover !== this.hover) {
        this.hover = hover;
        c.style.cursor = hover == null ? 'crosshair' : 'grab';
        host.draw();
      }
    });
    const end = (/** @type {PointerEvent} */ e) => {
      // a touch let go before the long press: the point it would add is added now
      const add = this.press?.add;
      this.cancelPress();
      if (add && e.type === 'pointerup') host.edit(add);
      if (!this.drag) return;
      this.drag = null;
      host.draw();
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
    c.addEventListener('pointerleave', () => {
      this.plotHover = null;
      if (this.hover != null) {
        this.hover = null;
        host.draw();
      }
    });
  }

  /** The edit that adds a point at data position (x, y), of the class chosen under the plot. */
  addAt(/** @type {Point} */ [x, y]) {
    /** @type {Edit} */
    const edit = { op: 'add', x, y };
    const label = this.host.selectedClass();
    if (label != null) edit.label = label;
    return edit;
  }

  cancelPress() {
    if (this.press) clearTimeout(this.press.timer);
    this.press = null;
  }

  /**
   * The plot from the keyboard: the arrow keys move a cursor (Shift: further), Enter or + adds a
   * point of the chosen class at it, Delete, Backspace or − removes the point nearest to it.
   */
  bindKeys() {
    const c = this.plot;
    c.addEventListener('keydown', (e) => {
      const snapshot = this.host.snapshot();
      const layout = this.host.layout();
      if (!snapshot || !layout || e.altKey || e.ctrlKey || e.metaKey) return;
      const { view } = snapshot.scene;
      const cursor = this.cursor ?? [(view.x[0] + view.x[1]) / 2, (view.y[0] + view.y[1]) / 2];
      const step = KEY_STEP * (e.shiftKey ? 5 : 1);
      const moves = /** @type {Record<string, Point>} */ ({ ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] });
      if (e.key in moves) {
        const [dx, dy] = moves[e.key];
        const clamp = (/** @type {number} */ v, /** @type {number[]} */ [lo, hi]) => Math.min(hi, Math.max(lo, v));
        this.cursor = [clamp(cursor[0] + dx * step * (view.x[1] - view.x[0]), view.x), clamp(cursor[1] + dy * step * (view.y[1] - view.y[0]), view.y)];
      } else if (e.key === 'Enter' || e.key === '+') {
        this.cursor = cursor;
        this.host.edit(this.addAt(cursor));
      } else if (e.key === 'Delete' || e.key === 'Backspace' || e.key === '-') {
        this.cursor = cursor;
        const near = this.nearestPoint(layout, snapshot, toPixel(layout, snapshot.scene, cursor[0], cursor[1]));
        if (near) this.host.edit({ op: 'remove', i: near.i });
      } else return;
      e.preventDefault();
      this.say();
      this.host.draw();
    });
    c.addEventListener('focus', () => this.host.draw());
    c.addEventListener('blur', () => this.host.draw());
  }

  /** Says where the keyboard cursor is (a live region read by screen readers). */
  say() {
    const status = /** @type {ShadowRoot} */ (this.plot.getRootNode()).getElementById?.('plot-status');
    if (status && this.cursor) status.textContent = t('page.plot.cursor', { x: this.cursor[0].toFixed(2), y: this.cursor[1].toFixed(2) });
  }

  /** The keyboard cursor, drawn on the plot while the plot has the focus. */
  drawCursor(/** @type {number} */ ratio) {
    const layout = this.host.layout();
    const snapshot = this.host.snapshot();
    const root = this.plot.getRootNode();
    if (!layout || !snapshot || !(root instanceof ShadowRoot) || root.activeElement !== this.plot) return;
    const { view } = snapshot.scene;
    const at = this.cursor ?? [(view.x[0] + view.x[1]) / 2, (view.y[0] + view.y[1]) / 2];
    const [px, py] = toPixel(layout, snapshot.scene, at[0], at[1]);
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.plot.getContext('2d'));
    const r = 9 * ratio;
    ctx.save();
    ctx.lineWidth = 2 * ratio;
    for (const [colour, width] of [['#fff', 4 * ratio], ['#1d2433', 2 * ratio]]) {
      ctx.strokeStyle = /** @type {string} */ (colour);
      ctx.lineWidth = /** @type {number} */ (width);
      ctx.beginPath();
      ctx.arc(px, py, r, 0, 2 * Math.PI);
      ctx.moveTo(px - 2 * r, py);
      ctx.lineTo(px - r, py);
      ctx.moveTo(px + r, py);
      ctx.lineTo(px + 2 * r, py);
      ctx.moveTo(px, py - 2 * r);
      ctx.lineTo(px, py - r);
      ctx.moveTo(px, py + r);
      ctx.lineTo(px, py + 2 * r);
      ctx.stroke();
    }
    ctx.restore();
  }

  /** A CSV file (or a model file, .json) dropped on the plot, or CSV text pasted into the element. */
  bindDrop(/** @type {HTMLElement} */ pasteTarget) {
    const wrap = /** @type {HTMLElement} */ (this.plot.parentElement);
    wrap.addEventListener('dragover', (e) => {
      e.preventDefault();
      wrap.classList.add('drop');
    });
    wrap.addEventListener('dragleave', () => wrap.classList.remove('drop'));
    wrap.addEventListener('drop', async (e) => {
      e.preventDefault();
      wrap.classList.remove('drop');
      const f = e.dataTransfer?.files?.[0];
      if (f && /\.json$/i.test(f.name)) this.host.openModel(f);
      else if (f) this.host.chooseColumns(new Uint8Array(await f.arrayBuffer()), f.name);
    });
    pasteTarget.addEventListener('paste', (e) => {
      const text = e.clipboardData?.getData('text');
      if (text && /[,;\t]/.test(text) && text.includes('\n')) {
        e.preventDefault();
        this.host.chooseColumns(new TextEncoder().encode(text), 'pasted text');
      }
    });
  }

  /** Hovering a tree node outlines its region; hovering a neuron shows its thumbnail. */
  bindDiagram() {
    const c = this.diagram;
    c.addEventListener('pointermove', (e) => {
      const views = this.host.snapshot()?.views;
      const wasm = this.host.wasm();
      if (!views || !wasm) return;
      const [px, py] = devicePos(c, e);
      /** @type {DiagramHover} */
      let hit = null;
      if (c.dataset.kind === 'tree' && views.tree) {
        const node = wasm.treeHit(c.width, c.height, dpr(), views.tree, px, py);
        if (node != null) hit = { kind: 'tree', node };
      }
      if (c.dataset.kind === 'network' && views.network) {
        const neuron = wasm.networkHit(c.width, c.height, dpr(), views.network, px, py);
        if (neuron) hit = { kind: 'network', layer: neuron[0], neuron: neuron[1] };
      }
      if (JSON.stringify(hit) !== JSON.stringify(this.diagramHover)) {
        this.diagramHover = hit;
        this.host.draw();
      }
    });
    c.addEventListener('pointerleave', () => {
      this.diagramHover = null;
      this.host.draw();
    });
  }
}
