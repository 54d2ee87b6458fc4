// <ml-playground>: the playground as a custom element. Each element owns its state (one plain
// object, the single source of truth, serialisable into the URL), its own training Web Worker and
// its canvases. The main thread only renders (with its own wasm instance) and handles input.
//
// Attributes (all optional): dataset, points, noise, seed, model, solver, degree, ridge,
// learning-rate, steps-per-frame, state (an encoded state, as in a link's #s=…), sync-url (bind the
// state to location.hash), autoplay.
import { encodeState, decodeState, stateFromHash } from './state-url.js';
import { CONTROLS, STYLE, attributePatch } from './controls.js';

let enginePromise = null;
/** The main thread's wasm instance (rendering and state checks only), loaded once per page. */
function engine() {
  if (!enginePromise) {
    enginePromise = import('./pkg/ml_playground.js').then(async (m) => {
      await m.default();
      return m;
    });
  }
  return enginePromise;
}

const get = (obj, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
function set(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys.at(-1)] = value;
}
const clone = (v) => structuredClone(v);
const fmt = (v, digits = 4) => (v == null || !Number.isFinite(v) ? '–' : Number(v).toPrecision(digits));

const HIT_RADIUS_CSS = 10;

export class MlPlayground extends HTMLElement {
  static observedAttributes = [
    'dataset', 'points', 'noise', 'seed', 'model', 'solver', 'degree', 'ridge',
    'learning-rate', 'steps-per-frame', 'state',
  ];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.state = null;
    this.snapshot = null;
    this.layout = null;
    this.playing = false;
    this.inflight = 0;
    this.nextId = 1;
    this.hover = null;
    this.drag = null;
    this.pendingMove = null;
    this.hashTimer = null;
    this.requests = new Map();
  }

  // ---- lifecycle -------------------------------------------------------------------------

  connectedCallback() {
    if (this.worker) return;
    this.render();
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e) => this.onWorkerMessage(e.data);
    this.worker.onerror = (e) => this.showMessage(`the training worker failed: ${e.message}`, 'error');
    this.start();
  }

  disconnectedCallback() {
    this.pause();
    this.worker?.terminate();
    this.worker = null;
    this.resizeObserver?.disconnect();
    if (this.hashListener) window.removeEventListener('hashchange', this.hashListener);
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (!this.state || oldValue === newValue) return;
    if (name === 'state') {
      this.loadEncoded(newValue);
    } else {
      const next = clone(this.state);
      for (const [path, value] of attributePatch({ [name]: newValue })) this.setPath(next, path, value);
      this.configure(next);
    }
  }

  async start() {
    const m = await engine();
    this.wasm = m;
    let initial = { data: { kind: 'linear' } };
    for (const [path, value] of attributePatch(Object.fromEntries([...this.attributes].map((a) => [a.name, a.value])))) {
      this.setPath(initial, path, value);
    }
    const encoded = this.hasAttribute('sync-url') ? stateFromHash(location.hash) : this.getAttribute('state');
    if (encoded) {
      try {
        initial = this.wasm.checkState(decodeState(encoded));
      } catch (err) {
        this.showMessage(`${err.message}. The default playground was loaded instead.`, 'error');
      }
    }
    try {
      this.state = this.wasm.checkState(initial);
    } catch (err) {
      this.showMessage(`${err.message}. The default playground was loaded instead.`, 'error');
      this.state = this.wasm.checkState({});
    }
    this.post({ type: 'init', state: this.state });
    if (this.hasAttribute('sync-url')) {
      this.hashListener = () => {
        const text = stateFromHash(location.hash);
        if (text && text !== this.lastHash) this.loadEncoded(text);
      };
      window.addEventListener('hashchange', this.hashListener);
    }
    if (this.hasAttribute('autoplay')) this.play();
  }

  loadEncoded(text) {
    try {
      this.configure(this.wasm.checkState(decodeState(text)));
    } catch (err) {
      this.showMessage(`${err.message}. The playground was left as it was.`, 'error');
    }
  }

  // ---- worker ----------------------------------------------------------------------------

  post(msg) {
    msg.id = this.nextId++;
    msg.samples = this.curveSamples();
    this.requests.set(msg.id, msg.type);
    this.inflight++;
    this.worker?.postMessage(msg);
    return msg.id;
  }

  onWorkerMessage(msg) {
    if (msg.type === 'ready') return;
    if (msg.type === 'error') {
      // An error answers one request; it stays on screen until a later user action succeeds.
      this.showMessage(msg.message, 'error');
      this.errorId = msg.id;
      return;
    }
    if (msg.type !== 'snapshot') return;
    this.inflight = Math.max(0, this.inflight - 1);
    const request = this.requests.get(msg.id);
    this.requests.delete(msg.id);
    this.snapshot = msg;
    this.state = msg.state;
    this.syncControls();
    this.draw();
    this.updateReadout();
    const m = msg.report.message;
    if (m) this.showMessage(m.text, m.kind === 'diverged' ? 'error' : 'warning');
    else if (request !== 'step' && msg.id !== this.errorId) this.clearMessage();
    if (!msg.report.can_train && this.playing) this.pause();
    this.scheduleHash();
    if (this.pendingMove && this.inflight === 0) {
      const edit = this.pendingMove;
      this.pendingMove = null;
      this.post({ type: 'edit', edit });
    }
    this.dispatchEvent(new CustomEvent('snapshot', { detail: msg.report }));
  }

  configure(next) {
    this.state = next;
    this.post({ type: 'configure', state: next });
  }

  setPath(state, path, value) {
    if (path === 'model.kind') {
      state.model = { kind: value };
    } else {
      set(state, path, value);
    }
  }

  // ---- transport -------------------------------------------------------------------------

  play() {
    if (this.playing || !this.state) return;
    this.playing = true;
    this.$('play').textContent = '❚❚ Pause';
    this.$('play').setAttribute('aria-pressed', 'true');
    const tick = () => {
      if (!this.playing) return;
      if (this.inflight === 0) this.post({ type: 'step', epochs: this.state.steps_per_frame });
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  pause() {
    this.playing = false;
    cancelAnimationFrame(this.raf);
    const b = this.$('play');
    if (b) {
      b.textContent = '▶ Play';
      b.setAttribute('aria-pressed', 'false');
    }
  }

  step() {
    this.post({ type: 'step', epochs: this.state?.steps_per_frame ?? 1 });
  }

  reset() {
    this.pause();
    this.post({ type: 'reset' });
  }

  // ---- UI --------------------------------------------------------------------------------

  $(id) {
    return this.shadowRoot.getElementById(id);
  }

  render() {
    this.shadowRoot.innerHTML = `
      <style>${STYLE}</style>
      <div class="app">
        <aside class="panel controls" id="controls" aria-label="Settings"></aside>
        <main class="stage">
          <div class="toolbar" role="toolbar" aria-label="Training">
            <button id="reset" title="Start training again from scratch">⟲ Reset</button>
            <button id="play" class="primary" aria-pressed="false">▶ Play</button>
            <button id="step" title="Train one frame's worth of epochs">Step ›</button>
            <span class="epoch">epoch <b id="epoch">0</b></span>
            <label class="spf">steps / frame
              <select id="spf">${[1, 2, 5, 10, 20, 50, 100, 500, 1000].map((v) => `<option>${v}</option>`).join('')}</select>
            </label>
            <span class="spacer"></span>
            <button id="copy" title="Copy a link that reproduces this picture">Copy link</button>
          </div>
          <div class="canvas-wrap">
            <canvas id="plot" aria-label="The data and the model" tabindex="0"></canvas>
          </div>
          <p class="hint" id="hint">Click to add a point · drag a point to move it · Shift-click removes the nearest</p>
          <div id="message" class="message" role="alert" hidden></div>
        </main>
        <aside class="panel results" aria-label="Results">
          <h3>Model</h3>
          <div class="formula" id="formula">–</div>
          <table class="metrics">
            <thead><tr><th></th><th>train</th><th>test</th></tr></thead>
            <tbody id="metrics"></tbody>
          </table>
          <h3>Loss <small>(mean squared error)</small></h3>
          <canvas id="loss" class="loss" aria-label="Loss per epoch"></canvas>
        </aside>
      </div>`;
    this.buildControls();
    this.$('play').onclick = () => (this.playing ? this.pause() : this.play());
    this.$('step').onclick = () => this.step();
    this.$('reset').onclick = () => this.reset();
    this.$('copy').onclick = () => this.copyLink();
    this.$('spf').onchange = (e) => {
      const next = clone(this.state);
      next.steps_per_frame = Number(e.target.value);
      this.configure(next);
    };
    this.bindCanvas();
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.$('plot'));
    this.resizeObserver.observe(this.$('loss'));
  }

  buildControls() {
    const root = this.$('controls');
    root.innerHTML = '';
    this.controls = [];
    for (const section of CONTROLS) {
      const fs = document.createElement('fieldset');
      fs.innerHTML = `<legend>${section.section}</legend>`;
      for (const c of section.items) {
        const row = document.createElement('label');
        row.className = `row ${c.type}`;
        const id = `c-${c.key.replace(/\./g, '-')}`;
        let input;
        if (c.type === 'select') {
          input = document.createElement('select');
          for (const [value, text] of c.options) {
            const o = document.createElement('option');
            o.value = JSON.stringify(value);
            o.textContent = text;
            input.append(o);
          }
        } else if (c.type === 'checkbox') {
          input = document.createElement('input');
          input.type = 'checkbox';
        } else if (c.type === 'button') {
          input = document.createElement('button');
          input.type = 'button';
          input.textContent = c.label;
        } else {
          input = document.createElement('input');
          input.type = c.type;
          if (c.type === 'range') Object.assign(input, { min: 0, max: 1000, step: 1 });
          if (c.type === 'number') Object.assign(input, { min: c.min, max: c.max, step: c.step ?? 1 });
        }
        input.id = id;
        input.dataset.key = c.key;
        const value = document.createElement('output');
        if (c.type === 'button') {
          row.append(input);
        } else if (c.type === 'checkbox') {
          row.append(input, document.createTextNode(c.label));
        } else {
          const name = document.createElement('span');
          name.className = 'name';
          name.textContent = c.label;
          row.append(name, input);
          if (c.type === 'range') row.append(value);
        }
        const commit = () => this.onControl(c, input, value, true);
        if (c.type === 'range') {
          input.oninput = () => this.onControl(c, input, value, false);
          input.onchange = commit;
        } else if (c.type === 'button') {
          input.onclick = () => this.configure(c.apply(clone(this.state)));
        } else {
          input.onchange = commit;
        }
        fs.append(row);
        this.controls.push({ c, input, value, row });
      }
      root.append(fs);
    }
  }

  onControl(c, input, out, commit) {
    let value;
    if (c.type === 'select') value = JSON.parse(input.value);
    else if (c.type === 'checkbox') value = input.checked;
    else if (c.type === 'range') value = c.fromSlider(Number(input.value));
    else if (c.type === 'number') {
      value = Number(input.value);
      if (!Number.isFinite(value)) return;
    }
    if (out) out.textContent = c.format ? c.format(value) : String(value);
    if (!commit) return;
    const next = clone(this.state);
    this.setPath(next, c.key, value);
    this.configure(next);
  }

  syncControls() {
    if (!this.controls) return;
    for (const { c, input, value, row } of this.controls) {
      row.hidden = c.show ? !c.show(this.state) : false;
      if (c.type === 'button') continue;
      const v = get(this.state, c.key);
      if (this.shadowRoot.activeElement === input && c.type === 'range') continue;
      if (c.type === 'select') input.value = JSON.stringify(v);
      else if (c.type === 'checkbox') input.checked = Boolean(v);
      else if (c.type === 'range') {
        input.value = String(c.toSlider(v));
        value.textContent = c.format ? c.format(v) : String(v);
      } else input.value = String(v);
    }
    this.$('spf').value = String(this.state.steps_per_frame);
  }

  updateReadout() {
    const { report } = this.snapshot;
    this.$('epoch').textContent = String(report.epoch);
    this.$('formula').textContent = report.trained ? report.summary.formula : 'not trained yet';
    const rows = [
      ['MSE', 'mse'],
      ['RMSE', 'rmse'],
      ['R²', 'r2'],
      ['points', 'n'],
    ];
    this.$('metrics').innerHTML = rows
      .map(([label, key]) => {
        const cell = (s) => (key === 'n' ? String(s.n) : s.n === 0 ? '–' : fmt(s[key]));
        return `<tr><th>${label}</th><td>${cell(report.train)}</td><td>${cell(report.test)}</td></tr>`;
      })
      .join('');
    const instant = report.fits_instantly;
    this.$('play').disabled = instant;
    this.$('step').textContent = instant ? 'Fit ›' : 'Step ›';
  }

  showMessage(text, level = 'warning') {
    const box = this.$('message');
    if (!box) return;
    box.textContent = text;
    box.className = `message ${level}`;
    box.hidden = false;
  }

  clearMessage() {
    const box = this.$('message');
    if (box) box.hidden = true;
  }

  // ---- drawing ---------------------------------------------------------------------------

  curveSamples() {
    const c = this.$('plot');
    return c ? Math.max(64, c.width) : 512;
  }

  resize() {
    const dpr = window.devicePixelRatio || 1;
    for (const id of ['plot', 'loss']) {
      const c = this.$(id);
      const w = Math.round(c.clientWidth * dpr);
      const h = Math.round(c.clientHeight * dpr);
      if (w > 0 && h > 0 && (c.width !== w || c.height !== h)) {
        c.width = w;
        c.height = h;
      }
    }
    this.draw();
  }

  draw() {
    if (!this.wasm || !this.snapshot) return;
    const dpr = window.devicePixelRatio || 1;
    const scene = this.snapshot.scene;
    scene.highlight = this.drag ? this.drag.index : this.hover;
    try {
      this.layout = this.wasm.renderScene(this.$('plot'), scene, dpr);
      this.wasm.renderLoss(this.$('loss'), this.snapshot.history, dpr, this.state.view.log_loss);
    } catch (err) {
      this.showMessage(`drawing failed: ${err.message}`, 'error');
    }
  }

  // ---- pointer input ---------------------------------------------------------------------

  /** Device-pixel position of a pointer event on the plot canvas. */
  devicePos(e) {
    const c = this.$('plot');
    const r = c.getBoundingClientRect();
    return [((e.clientX - r.left) * c.width) / r.width, ((e.clientY - r.top) * c.height) / r.height];
  }

  toData([px, py]) {
    const { plot } = this.layout;
    const { view } = this.snapshot.scene;
    const x = view.x[0] + ((px - plot[0]) / (plot[2] - plot[0])) * (view.x[1] - view.x[0]);
    const y = view.y[1] - ((py - plot[1]) / (plot[3] - plot[1])) * (view.y[1] - view.y[0]);
    return [x, y];
  }

  toPixel(x, y) {
    const { plot } = this.layout;
    const { view } = this.snapshot.scene;
    return [
      plot[0] + ((x - view.x[0]) / (view.x[1] - view.x[0])) * (plot[2] - plot[0]),
      plot[1] + ((view.y[1] - y) / (view.y[1] - view.y[0])) * (plot[3] - plot[1]),
    ];
  }

  /** Index and device-pixel distance of the drawn point nearest to a device-pixel position. */
  nearestPoint([px, py]) {
    const { xs, ys, roles } = this.snapshot.scene;
    const showTest = this.state.view.show_test;
    let best = null;
    for (let i = 0; i < xs.length; i++) {
      if (!showTest && roles[i] & 1) continue;
      const [qx, qy] = this.toPixel(xs[i], ys[i]);
      const d = Math.hypot(qx - px, qy - py);
      if (!best || d < best.d) best = { i, d };
    }
    return best;
  }

  insidePlot([px, py]) {
    const { plot } = this.layout;
    return px >= plot[0] && px <= plot[2] && py >= plot[1] && py <= plot[3];
  }

  bindCanvas() {
    const c = this.$('plot');
    const dpr = () => window.devicePixelRatio || 1;
    c.addEventListener('pointerdown', (e) => {
      if (!this.layout || !this.snapshot || e.button !== 0) return;
      const pos = this.devicePos(e);
      if (!this.insidePlot(pos)) return;
      const near = this.nearestPoint(pos);
      if (e.shiftKey) {
        if (near) this.post({ type: 'edit', edit: { op: 'remove', i: near.i } });
        return;
      }
      if (near && near.d <= HIT_RADIUS_CSS * dpr()) {
        this.drag = { index: near.i, moved: false };
        c.setPointerCapture(e.pointerId);
        return;
      }
      const [x, y] = this.toData(pos);
      const edit = { op: 'add', x, y };
      if (this.selectedClass != null) edit.label = this.selectedClass;
      this.post({ type: 'edit', edit });
    });
    c.addEventListener('pointermove', (e) => {
      if (!this.layout || !this.snapshot) return;
      const pos = this.devicePos(e);
      if (this.drag) {
        const [x, y] = this.toData(pos);
        this.drag.moved = true;
        const edit = { op: 'move', i: this.drag.index, x, y };
        if (this.inflight === 0) this.post({ type: 'edit', edit });
        else this.pendingMove = edit;
        return;
      }
      const near = this.nearestPoint(pos);
      const hover = near && near.d <= HIT_RADIUS_CSS * dpr() ? near.i : null;
      if (hover !== this.hover) {
        this.hover = hover;
        c.style.cursor = hover == null ? 'crosshair' : 'grab';
        this.draw();
      }
    });
    const end = () => {
      if (!this.drag) return;
      this.drag = null;
      this.draw();
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
    c.addEventListener('pointerleave', () => {
      if (this.hover != null) {
        this.hover = null;
        this.draw();
      }
    });
  }

  // ---- links -----------------------------------------------------------------------------

  link() {
    const url = new URL(location.href);
    url.hash = `s=${encodeState(this.state)}`;
    return url.toString();
  }

  scheduleHash() {
    if (!this.hasAttribute('sync-url') || this.hashTimer) return;
    this.hashTimer = setTimeout(() => {
      this.hashTimer = null;
      const text = encodeState(this.state);
      if (text !== this.lastHash) {
        this.lastHash = text;
        history.replaceState(null, '', `#s=${text}`);
      }
    }, 250);
  }

  async copyLink() {
    const url = this.link();
    try {
      await navigator.clipboard.writeText(url);
      this.showMessage('Link copied: opening it reproduces this picture.', 'info');
    } catch {
      this.showMessage(`Copy this link: ${url}`, 'info');
    }
  }
}

if (!customElements.get('ml-playground')) customElements.define('ml-playground', MlPlayground);
