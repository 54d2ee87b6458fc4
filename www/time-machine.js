// @ts-check
// The training time machine under the plot: a scrubber over the run's snapshots (the worker
// keeps them, src/session/history.rs) that replays the decision surface, the network's weights
// and the scores at an earlier epoch (training pauses; Play goes on from where training stands),
// and "Compare with now", which pins the epoch shown and draws it beside the current model (both
// surfaces and a map of their difference, drawn as the Compress panel draws its maps) with both
// sets of scores. The pinned epoch is part of the state (`state.pin`): a link replays the seeded
// training to it. Hidden for models that fit at once.
import { fitCanvas, fmt, h, dpr } from './util.js';
import { t, wordError } from './i18n.js';
import { metricLabel } from './cv-panel.js';

/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Snapshot} Snapshot */
/** @typedef {import('./types.js').Wasm} Wasm */
/** @typedef {import('./types.js').Request} Request */
/** @typedef {import('./types.js').PinnedReply} PinnedReply */
/** @typedef {import('./types.js').TimeMachineInfo} TimeMachineInfo */
/** @typedef {import('./template.js').Dom} Dom */

/**
 * @typedef {{
 *   state: () => State | null,
 *   snapshot: () => Snapshot | null,
 *   wasm: () => Wasm | null,
 *   playing: () => boolean,
 *   pause: () => void,
 *   post: (request: Request) => number,
 *   send: (msg: Record<string, unknown>) => void,
 *   newId: () => number,
 * }} TimeMachineHost
 */

/** The least time between two refreshes of the compare view while training runs, in ms. */
const REFRESH_MS = 1000;

export class TimeMachinePanel {
  /** @param {Dom} dom @param {TimeMachineHost} host */
  constructor(dom, host) {
    this.dom = dom;
    this.host = host;
    /** @type {number[]} the scrubber's stops (epochs), the last one now */
    this.stops = [];
    /** @type {number | null} the 'pinned' request in flight */
    this.asking = null;
    /** @type {PinnedReply | null} the compare view's data */
    this.compare = null;
    /** The epoch of now the compare view shows. */
    this.shownNow = -1;
    /** When the compare view was last asked for. */
    this.askedAt = 0;
    dom.tmRange.oninput = () => this.scrub();
    dom.tmNow.onclick = () => this.host.post({ type: 'unscrub' });
    dom.tmPin.onclick = () => this.pin();
    dom.tmUnpin.onclick = () => this.host.post({ type: 'unpin' });
  }

  /** The time machine's part of the last report. @returns {TimeMachineInfo | null} */
  info() {
    return this.host.snapshot()?.report.time_machine ?? null;
  }

  /** Shows the epoch at the scrubber's position: training pauses, the worker shows that snapshot. */
  scrub() {
    const epoch = this.stops[Number(this.dom.tmRange.value)];
    if (epoch == null) return;
    this.host.pause();
    this.label(epoch, this.info()?.now ?? epoch);
    this.host.post({ type: 'scrub', epoch });
  }

  /** Pins the epoch shown (the worker answers with a snapshot, then the compare view). */
  pin() {
    const info = this.info();
    if (!info) return;
    const epoch = info.scrubbed ?? this.stops[Number(this.dom.tmRange.value)] ?? info.now;
    this.host.pause();
    this.dom.tmCompare.hidden = false;
    this.dom.tmStatus.textContent = t('tm.working', { epoch });
    this.asking = this.host.post({ type: 'pin', epoch, maps: this.mapSize() });
  }

  /** The scrubber's text: the epoch shown, and of how many. */
  label(/** @type {number} */ epoch, /** @type {number} */ now) {
    const text = epoch >= now ? t('tm.epoch.now', { now }) : t('tm.epoch', { epoch, now });
    this.dom.tmEpoch.textContent = text;
    this.dom.tmRange.setAttribute('aria-valuetext', text);
  }

  /** Brings the scrubber and the compare view up to date with the last snapshot. */
  sync() {
    const { dom } = this;
    const snapshot = this.host.snapshot();
    const info = this.info();
    const usable = Boolean(snapshot && info && !snapshot.report.fits_instantly && info.epochs.length >= 2);
    dom.tm.hidden = !usable;
    if (!snapshot || !info || !usable) {
      this.closeCompare();
      return;
    }
    this.stops = info.epochs;
    const shown = info.scrubbed ?? info.now;
    let index = this.stops.findIndex((e) => e >= shown);
    if (index < 0) index = this.stops.length - 1;
    dom.tmRange.max = String(this.stops.length - 1);
    // (the learner's drag is not undone by a snapshot answering an earlier position)
    if (document.activeElement !== dom.tmRange || info.scrubbed == null) dom.tmRange.value = String(index);
    this.label(shown, info.now);
    dom.tmNow.disabled = info.scrubbed == null;
    dom.tmNote.hidden = info.scrubbed == null;
    if (info.scrubbed != null) dom.tmNote.textContent = t('tm.scrubbing', { epoch: info.scrubbed, now: info.now });
    this.syncCompare(info);
  }

  /** Asks for the compare view when the pin is new (a link's, too) or now has moved on. */
  syncCompare(/** @type {TimeMachineInfo} */ info) {
    if (info.pinned == null) {
      this.closeCompare();
      return;
    }
    this.dom.tmCompare.hidden = false;
    const stale = !this.compare?.report || this.compare.report.pinned !== info.pinned || this.shownNow !== info.now;
    const due = !this.host.playing() || performance.now() - this.askedAt > REFRESH_MS;
    if (stale && due && this.asking === null) {
      this.askedAt = performance.now();
      this.asking = this.host.newId();
      this.host.send({ type: 'pinned', id: this.asking, maps: this.mapSize() });
    }
  }

  closeCompare() {
    this.compare = null;
    this.shownNow = -1;
    this.dom.tmCompare.hidden = true;
  }

  /** The worker's compare view (after Pin, or asked for by `sync`). */
  received(/** @type {PinnedReply} */ msg) {
    if (msg.id === this.asking) this.asking = null;
    if (msg.error) {
      this.dom.tmStatus.textContent = t('tm.refused', { reason: wordError(msg.error) });
      return;
    }
    if (!msg.report) {
      this.closeCompare();
      return;
    }
    this.compare = msg;
    this.shownNow = msg.report.now;
    this.show();
  }

  /** An error answering this panel's Pin (true when it was one): said in the panel too. */
  failed(/** @type {{ id: number, message: string, code?: string, values?: Record<string, unknown> }} */ msg) {
    if (msg.id !== this.asking) return false;
    this.asking = null;
    this.dom.tmStatus.textContent = t('tm.refused', { reason: wordError(msg) });
    if (!this.compare) this.dom.tmCompare.hidden = true;
    return true;
  }

  /** The worker was restarted: requests in flight will not be answered. */
  lost() {
    this.asking = null;
  }

  /** The compare maps' size in device pixels (the plot area of a map canvas). @returns {[number, number] | null} */
  mapSize() {
    const wasm = this.host.wasm();
    const c = this.dom.tmMaps[0];
    this.dom.tmCompare.hidden = false;
    if (!wasm || !fitCanvas(c, dpr())) return null;
    const { plot } = wasm.layout(c.width, c.height, dpr());
    const w = Math.min(600, plot[2] - plot[0]);
    const h = Math.min(600, plot[3] - plot[1]);
    return w >= 2 && h >= 2 ? [w, h] : null;
  }

  /** Draws the compare view: heading, maps with their captions, the scores' table. */
  show() {
    const report = this.compare?.report;
    if (!report) return;
    const { dom } = this;
    dom.tmCompare.hidden = false;
    dom.tmHeading.textContent = t('tm.heading', { pinned: report.pinned, now: report.now });
    dom.tmCaptions[0].textContent = t('tm.map.pinned', { epoch: report.pinned });
    dom.tmCaptions[1].textContent = t('tm.map.now', { epoch: report.now });
    dom.tmCaptions[2].textContent = t('tm.map.difference');
    dom.tmStatus.textContent = this.compare?.maps ? t('compress.legend.difference') : t('tm.no_maps');
    this.drawMaps();
    this.fillTable();
  }

  /** The three maps, each raster under the plot's points (as the Compress panel draws them). */
  drawMaps() {
    const wasm = this.host.wasm();
    const snapshot = this.host.snapshot();
    const maps = this.compare?.maps;
    const box = /** @type {HTMLElement} */ (this.dom.tmMaps[0].closest('.tm-maps'));
    box.hidden = !maps;
    if (!wasm || !snapshot || !maps) return;
    const ratio = dpr();
    const scene = { ...snapshot.scene, contours: [], highlight: null };
    const size = maps.width * maps.height * 4;
    this.dom.tmMaps.forEach((canvas, i) => {
      if (!fitCanvas(canvas, ratio)) return;
      const surface = document.createElement('canvas');
      surface.width = maps.width;
      surface.height = maps.height;
      const pixels = new Uint8ClampedArray(/** @type {ArrayBuffer} */ (maps.pixels.buffer), maps.pixels.byteOffset + i * size, size);
      /** @type {CanvasRenderingContext2D} */ (surface.getContext('2d')).putImageData(new ImageData(pixels, maps.width, maps.height), 0, 0);
      wasm.renderScene(canvas, scene, ratio, surface);
    });
  }

  /** Both sets of scores: accuracy and log-loss (R² and MSE for regression) on train and test. */
  fillTable() {
    const report = this.compare?.report;
    if (!report) return;
    const regression = report.now_train.r2 != null || report.now_test.r2 != null;
    const metrics = regression ? ['r2', 'mse'] : ['accuracy', 'log_loss'];
    /** @type {[string, string, string][]} */
    const rows = [];
    for (const metric of metrics) {
      for (const subset of /** @type {const} */ (['train', 'test'])) {
        const key = /** @type {'accuracy' | 'log_loss' | 'r2' | 'mse'} */ (metric);
        const then = subset === 'train' ? report.then_train : report.then_test;
        const now = subset === 'train' ? report.now_train : report.now_test;
        rows.push([t('compress.row.metric', { metric: metricLabel(metric), subset: t(`page.${subset}`) }), fmt(then[key]), fmt(now[key])]);
      }
    }
    const head = h('thead', {}, h('tr', {},
      h('th', { scope: 'col', textContent: t('page.metric') }),
      h('th', { scope: 'col', textContent: t('tm.map.pinned', { epoch: report.pinned }) }),
      h('th', { scope: 'col', textContent: t('tm.map.now', { epoch: report.now }) })));
    const body = h('tbody', {}, ...rows.map(([label, a, b]) => h('tr', {}, h('th', { scope: 'row', textContent: label }), h('td', { textContent: a }), h('td', { textContent: b }))));
    this.dom.tmTable.replaceChildren(head, body);
  }

  /** The language changed: the texts are worded again. */
  relabel() {
    const snapshot = this.host.snapshot();
    if (snapshot) this.sync();
    if (this.compare) this.show();
  }

  /** The canvases changed size: the maps are drawn again. */
  resize() {
    if (this.compare) this.drawMaps();
  }
}
