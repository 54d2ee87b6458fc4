// <ml-playground>: the playground as a custom element. Each element owns its state (one plain
// object, the single source of truth, serialisable into the URL), its own training Web Worker and
// its canvases. The main thread only renders (with its own wasm instance) and handles input.
//
// Attributes (all optional): dataset, points, noise, seed, model, solver, degree, ridge,
// learning-rate, steps-per-frame, state (an encoded state, as in a link's #s=…), sync-url (bind the
// state to location.hash), autoplay.
import { encodeState, decodeState, stateFromHash } from './state-url.js';
import { CONTROLS, STYLE, ACTIVATIONS, MODELS, isClassification, attributePatch } from './controls.js';

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
/** Text for HTML (names come from the learner's files). */
const esc = (text) => String(text).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const fmt = (v, digits = 4) => (v == null || !Number.isFinite(v) ? '–' : Number(v).toPrecision(digits));

const HIT_RADIUS_CSS = 10;

/** Real datasets that ship with the page (sources and licences in www/data/README.md). */
const SAMPLES = [
  { label: 'Iris: petal length × width, 3 species', file: 'iris.csv', x: ['petal_length_cm', 'petal_width_cm'], target: 'species', hint: 'classification' },
  { label: 'Iris: sepal length × width, 3 species', file: 'iris.csv', x: ['sepal_length_cm', 'sepal_width_cm'], target: 'species', hint: 'classification' },
  { label: 'Diabetes: BMI → disease progression', file: 'diabetes.csv', x: ['bmi'], target: 'progression', hint: 'regression' },
  { label: 'Iris: all four measurements (pick features), 3 species', file: 'iris.csv', x: ['petal_length_cm', 'petal_width_cm', 'sepal_length_cm', 'sepal_width_cm'], target: 'species', hint: 'classification' },
  { label: 'Diabetes: all ten features → progression (pick features)', file: 'diabetes.csv', x: ['bmi', 's5', 'age', 'sex', 'bp', 's1', 's2', 's3', 's4', 's6'], target: 'progression', hint: 'regression' },
  { label: 'Breast cancer (imbalanced): radius × texture', file: 'breast_cancer.csv', x: ['mean_radius', 'mean_texture'], target: 'diagnosis', hint: 'classification' },
];

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
    let problem = null;
    if (encoded) {
      try {
        initial = this.wasm.checkState(decodeState(encoded));
      } catch (err) {
        problem = err;
      }
    }
    try {
      this.state = this.wasm.checkState(initial);
    } catch (err) {
      problem ??= err;
      this.state = this.wasm.checkState({});
    }
    const id = this.post({ type: 'init', state: this.state });
    if (problem) {
      // Shown until the learner's next action, not cleared by the first snapshot.
      this.showMessage(`${problem.message}. The default playground was loaded instead.`, 'error');
      this.errorId = id;
    }
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
    msg.surface = this.surfaceSize();
    this.requests.set(msg.id, { type: msg.type, surface: msg.surface });
    this.inflight++;
    this.worker?.postMessage(msg);
    return msg.id;
  }

  onWorkerMessage(msg) {
    if (msg.type === 'ready') return;
    if (msg.type === 'imported') {
      const r = msg.report;
      const parts = [`Imported ${r.n_rows} rows from ${this.importName ?? 'the file'}`];
      if (r.class_names?.length) parts.push(`classes: ${r.class_names.join(', ')}`);
      if (r.rows_with_missing) parts.push(`${r.rows_with_missing} rows with missing values (see “Missing”)`);
      if (r.dropped_missing_target?.length) parts.push(`${r.dropped_missing_target.length} rows without a target left out`);
      this.importNote = `${parts.join('; ')}. Your own data stays in this page: a copied link cannot carry it.`;
      return;
    }
    if (msg.type === 'cv') {
      this.onCv(msg);
      return;
    }
    if (msg.type === 'csv') {
      const url = URL.createObjectURL(new Blob([msg.text], { type: 'text/csv' }));
      const a = Object.assign(document.createElement('a'), { href: url, download: 'ml-playground-data.csv' });
      this.shadowRoot.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      return;
    }
    if (msg.type === 'error') {
      // An error answers one request; it stays on screen until a later user action succeeds.
      this.showMessage(msg.message, 'error');
      this.errorId = msg.id;
      return;
    }
    if (msg.type !== 'snapshot') return;
    this.inflight = Math.max(0, this.inflight - 1);
    const { type: request, surface: askedSurface } = this.requests.get(msg.id) ?? {};
    this.requests.delete(msg.id);
    this.snapshot = msg;
    this.state = msg.state;
    this.syncControls();
    this.draw();
    this.updateReadout();
    // The answer to a request that failed keeps the failure on screen.
    const m = msg.report.message;
    if (msg.id === this.errorId) {
      // leave the error shown
    } else if (m) this.showMessage(`${m.text[0]?.toUpperCase() ?? ''}${m.text.slice(1)}`, m.kind === 'diverged' ? 'error' : 'warning');
    else if (this.importNote && request === 'import') {
      this.showMessage(this.importNote, 'info');
      this.importNote = null;
    }
    else if (!['step', 'import', 'snapshot'].includes(request)) this.clearMessage();
    if (!msg.report.can_train && this.playing) this.pause();
    // The request went out before the data became classes (an import, a dataset change): ask
    // once more, now with the decision surface the new task needs.
    if (!askedSurface && !msg.surface && this.surfaceSize() && !this.playing) this.post({ type: 'snapshot' });
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
      return;
    }
    const wasClassification = state.data && isClassification(state);
    set(state, path, value);
    // Left-out features are indices into one dataset's columns: another dataset starts with all.
    if (path === 'data.kind' && state.data) state.data.drop_features = [];
    if (path === 'data.kind' && value !== 'custom') {
      // A model that cannot learn this task is swapped for the task's default one.
      const task = isClassification(state) ? 'classification' : 'regression';
      if (!MODELS[task].some(([k]) => k === state.model?.kind)) state.model = { kind: MODELS[task][0][0] };
      if (wasClassification !== isClassification(state)) state.edits = [];
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
    const was = this.playing;
    this.playing = false;
    cancelAnimationFrame(this.raf);
    if (was && this.state && isClassification(this.state, this.snapshot?.scene)) this.post({ type: 'snapshot' });
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
          <div class="under">
            <span id="classes" class="classes" hidden></span>
            <span id="grow" class="grow" hidden></span>
            <p class="hint" id="hint">Click to add a point · drag a point to move it · Shift-click removes the nearest</p>
            <p class="hint" id="slice-note" hidden></p>
          </div>
          <div id="message" class="message" role="alert" hidden></div>
          <section id="diagram" class="diagram" hidden>
            <h3 id="diagram-title"></h3>
            <canvas id="diagram-canvas" aria-label="The model's structure"></canvas>
            <div id="thumbs" class="thumbs"></div>
          </section>
        </main>
        <aside class="panel results" aria-label="Results">
          <h3>Model</h3>
          <div class="formula" id="formula">–</div>
          <table class="metrics">
            <thead><tr><th></th><th>train</th><th>test</th></tr></thead>
            <tbody id="metrics"></tbody>
          </table>
          <div id="confusion" class="confusion" hidden></div>
          <div id="views" class="views"></div>
          <h3>Loss <small id="loss-name">(mean squared error)</small></h3>
          <canvas id="loss" class="loss" aria-label="Loss per epoch"></canvas>
          <h3>Cross-validation</h3>
          <div class="cv">
            <label>folds <select id="cv-k">${[2, 3, 4, 5, 6, 8, 10].map((k) => `<option${k === 5 ? ' selected' : ''}>${k}</option>`).join('')}</select></label>
            <label><input type="checkbox" id="cv-strat" checked> stratified</label>
            <select id="cv-metric"></select>
            <button id="cv-run" type="button">Run</button>
          </div>
          <progress id="cv-progress" max="1" value="0" hidden></progress>
          <p id="cv-result" class="note"></p>
          <canvas id="cv-chart" class="view-chart" hidden aria-label="Score per fold"></canvas>
        </aside>
      </div>`;
    this.buildControls();
    this.$('play').onclick = () => (this.playing ? this.pause() : this.play());
    this.$('step').onclick = () => this.step();
    this.$('reset').onclick = () => this.reset();
    this.$('copy').onclick = () => this.copyLink();
    this.$('cv-run').onclick = () => this.runCv();
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
        const control = this.makeControl(c);
        fs.append(control.row);
        this.controls.push(control);
      }
      root.append(fs);
    }
  }

  /** One control: its row element and how it shows a state. */
  makeControl(c) {
    const row = document.createElement(['layers', 'toggles', 'feature-toggles', 'csv'].includes(c.type) ? 'div' : 'label');
    row.className = `row ${c.type === 'feature-toggles' ? 'toggles' : c.type}`;
    if (c.title && c.type !== 'button') row.title = c.title;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = c.label;
    const commit = (value) => {
      const next = clone(this.state);
      this.setPath(next, c.key, value);
      this.configure(next);
    };
    const control = { c, row, update: () => {} };
    if (c.type === 'select') {
      const input = document.createElement('select');
      let optionsKey = null;
      const fill = (state, scene) => {
        const groups = c.groups ?? [[null, typeof c.options === 'function' ? c.options(state, scene) : c.options]];
        const key = JSON.stringify(groups);
        if (key === optionsKey) return;
        optionsKey = key;
        input.innerHTML = '';
        for (const [label, options] of groups) {
          const parent = label ? Object.assign(document.createElement('optgroup'), { label }) : input;
          for (const [value, text] of options) {
            parent.append(Object.assign(document.createElement('option'), { value: JSON.stringify(value), textContent: text }));
          }
          if (label) input.append(parent);
        }
      };
      input.onchange = () => commit(JSON.parse(input.value));
      row.append(name, input);
      control.update = (state, scene) => {
        fill(state, scene);
        input.value = JSON.stringify(get(state, c.key) ?? null);
      };
    } else if (c.type === 'checkbox') {
      const input = Object.assign(document.createElement('input'), { type: 'checkbox' });
      input.onchange = () => commit(input.checked);
      row.append(input, document.createTextNode(c.label));
      control.update = (state) => (input.checked = Boolean(get(state, c.key)));
    } else if (c.type === 'button') {
      const input = Object.assign(document.createElement('button'), { type: 'button', textContent: c.label, title: c.title ?? '' });
      input.onclick = () => this.configure(c.apply(clone(this.state)));
      row.append(input);
    } else if (c.type === 'range') {
      const input = Object.assign(document.createElement('input'), { type: 'range', min: 0, max: 1000, step: 1 });
      const out = document.createElement('output');
      const show = (v) => (out.textContent = c.format ? c.format(v) : String(v));
      input.oninput = () => show(c.fromSlider(Number(input.value)));
      input.onchange = () => commit(c.fromSlider(Number(input.value)));
      row.append(name, input, out);
      control.update = (state) => {
        if (this.shadowRoot.activeElement === input) return;
        const v = get(state, c.key);
        input.value = String(c.toSlider(v));
        show(v);
      };
    } else if (c.type === 'number') {
      const input = Object.assign(document.createElement('input'), { type: 'number', min: c.min, max: c.max, step: c.step ?? 1 });
      input.onchange = () => {
        const v = Number(input.value);
        if (Number.isFinite(v)) commit(v);
      };
      row.append(name, input);
      control.update = (state) => (input.value = String(get(state, c.key)));
    } else if (c.type === 'feature-toggles') {
      // One checkbox per feature of the data (from the report): unticked ones are left out.
      const box = document.createElement('div');
      box.className = 'toggles';
      row.append(name, box);
      control.update = () => {
        const features = this.snapshot?.report?.features ?? [];
        const key = features.map((f) => `${f.name}:${f.kept}`).join('|');
        if (box.dataset.key === key) return;
        box.dataset.key = key;
        box.innerHTML = '';
        const kept = features.filter((f) => f.kept).length;
        features.forEach((f, i) => {
          const label = document.createElement('label');
          label.title = f.kept ? `Leave ${f.name} out of the model` : `Use ${f.name} again`;
          const input = Object.assign(document.createElement('input'), { type: 'checkbox', checked: f.kept, disabled: f.kept && kept === 1 });
          input.onchange = () => commit(features.map((g, j) => ((j === i ? input.checked : g.kept) ? null : j)).filter((j) => j != null));
          label.append(input, document.createTextNode(f.name));
          box.append(label);
        });
      };
    } else if (c.type === 'toggles') {
      const box = document.createElement('div');
      box.className = 'toggles';
      const inputs = c.options.map(([key, text]) => {
        const label = document.createElement('label');
        const input = Object.assign(document.createElement('input'), { type: 'checkbox' });
        input.onchange = () => commit({ ...get(this.state, c.key), [key]: input.checked });
        label.append(input, document.createTextNode(text));
        box.append(label);
        return [key, input];
      });
      row.append(name, box);
      control.update = (state) => {
        const v = get(state, c.key) ?? {};
        for (const [key, input] of inputs) input.checked = Boolean(v[key]);
      };
    } else if (c.type === 'csv') {
      row.className = 'row csv-row';
      const box = document.createElement('div');
      box.className = 'csv';
      const open = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Open CSV…', title: 'Or drop a file on the plot, or paste CSV text' });
      const save = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Download CSV', title: 'The current points, with your clicks marked' });
      const file = Object.assign(document.createElement('input'), { type: 'file', accept: '.csv,.tsv,.txt,text/csv', hidden: true });
      open.onclick = () => file.click();
      file.onchange = async () => {
        if (file.files[0]) this.chooseColumns(new Uint8Array(await file.files[0].arrayBuffer()), file.files[0].name);
        file.value = '';
      };
      save.onclick = () => this.post({ type: 'export' });
      const samples = document.createElement('select');
      samples.innerHTML = `<option value="">Built-in real data…</option>${SAMPLES.map((d, i) => `<option value="${i}">${d.label}</option>`).join('')}`;
      samples.onchange = () => {
        const sample = SAMPLES[Number(samples.value)];
        samples.value = '';
        if (sample) this.loadSample(sample);
      };
      const panel = document.createElement('div');
      panel.className = 'csv-panel';
      panel.hidden = true;
      this.csvPanel = panel;
      box.append(open, save, file, samples);
      row.append(box, panel);
      row.style.display = 'block';
    } else if (c.type === 'layers') {
      row.append(name);
      const list = document.createElement('div');
      list.className = 'layers';
      row.append(list);
      control.update = (state) => this.renderLayers(list, get(state, c.key) ?? [], commit);
    }
    return control;
  }

  /** Starts a k-fold cross-validation in the worker, or cancels the running one. */
  runCv() {
    if (this.cvRunning) {
      this.worker.postMessage({ type: 'cv-cancel' });
      return;
    }
    const spec = { k: Number(this.$('cv-k').value), stratified: this.$('cv-strat').checked, metric: this.$('cv-metric').value };
    if (!isClassification(this.state, this.snapshot?.scene)) spec.stratified = false;
    this.cvRunning = true;
    this.$('cv-run').textContent = 'Cancel';
    this.$('cv-result').textContent = '';
    this.worker.postMessage({ type: 'cv', id: this.nextId++, spec });
  }

  onCv(msg) {
    const bar = this.$('cv-progress');
    bar.hidden = false;
    bar.max = msg.total;
    bar.value = msg.scores.length;
    const finished = msg.done || msg.cancelled || msg.error;
    if (finished) {
      this.cvRunning = false;
      this.$('cv-run').textContent = 'Run';
      bar.hidden = true;
    }
    const metric = this.$('cv-metric').selectedOptions[0]?.textContent ?? '';
    if (msg.error) this.$('cv-result').textContent = `Stopped: ${msg.error}`;
    else if (msg.cancelled) this.$('cv-result').textContent = `Cancelled after ${msg.scores.length} of ${msg.total} folds.`;
    else if (msg.done) {
      const mean = msg.scores.reduce((a, b) => a + b, 0) / msg.scores.length;
      const std = Math.sqrt(msg.scores.reduce((a, b) => a + (b - mean) ** 2, 0) / msg.scores.length);
      this.$('cv-result').textContent = `${metric}: ${fmt(mean)} ± ${fmt(std, 2)} over ${msg.total} folds (each transform fitted on its training folds only)`;
    } else this.$('cv-result').textContent = `fold ${msg.scores.length + 1} of ${msg.total}…`;
    const chart = this.$('cv-chart');
    chart.hidden = msg.scores.length === 0;
    if (!chart.hidden) {
      const dpr = window.devicePixelRatio || 1;
      Object.assign(chart, { width: Math.round(chart.clientWidth * dpr), height: Math.round(chart.clientHeight * dpr) });
      this.wasm.renderView(chart, 'bars', { labels: msg.scores.map((_, i) => `fold ${i + 1}`), values: msg.scores, title: metric }, dpr);
    }
  }

  /** The metrics cross-validation can score, for the current task. */
  syncCvMetrics() {
    const select = this.$('cv-metric');
    const classification = isClassification(this.state, this.snapshot?.scene);
    const options = classification
      ? [['accuracy', 'accuracy'], ['balanced_accuracy', 'balanced accuracy'], ['f1', 'F1'], ['log_loss', 'log-loss']]
      : [['r2', 'R²'], ['mse', 'MSE'], ['rmse', 'RMSE'], ['mae', 'MAE']];
    const key = options.map(([v]) => v).join();
    if (select.dataset.key === key) return;
    select.dataset.key = key;
    select.innerHTML = options.map(([v, t]) => `<option value="${v}">${t}</option>`).join('');
    this.$('cv-strat').parentElement.hidden = !classification;
  }

  /** Imports one of the datasets that ship with the page (www/data/), with preset columns. */
  async loadSample(sample) {
    try {
      const response = await fetch(new URL(`./data/${sample.file}`, import.meta.url));
      if (!response.ok) throw new Error(`${sample.file} could not be loaded (${response.status})`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const { columns } = this.wasm.parseCsv(bytes);
      const index = (name) => columns.findIndex((c) => c.name === name);
      this.importName = sample.label;
      this.post({ type: 'import', bytes, xColumns: sample.x.map(index), target: index(sample.target), hint: sample.hint });
    } catch (err) {
      this.showMessage(`${err.message}. Your current data is unchanged.`, 'error');
    }
  }

  /** A CSV file's columns: the learner picks the features and the target, then imports. */
  chooseColumns(bytes, name = 'pasted text') {
    let summary;
    try {
      summary = this.wasm.parseCsv(bytes);
    } catch (err) {
      this.showMessage(`${name}: ${err.message}. Your current data is unchanged.`, 'error');
      return;
    }
    const panel = this.csvPanel;
    const numeric = summary.columns.map((c, i) => [c, i]).filter(([c]) => c.numeric);
    if (numeric.length === 0) {
      this.showMessage(`${name}: no column holds numbers, so there is nothing to plot. Your current data is unchanged.`, 'error');
      return;
    }
    const option = ([c, i]) => `<option value="${i}">${c.name.replace(/[<&"]/g, '')}${c.missing ? ` (${c.missing} missing)` : ''}</option>`;
    const all = summary.columns.map((c, i) => [c, i]);
    panel.innerHTML = `<p><b>${name.replace(/[<&]/g, '')}</b>: ${summary.rows} rows, ${summary.columns.length} columns</p>
      <label>x / x₁ <select data-role="x1">${numeric.map(option).join('')}</select></label>
      <label>x₂ <select data-role="x2"><option value="">none (1-D regression)</option>${numeric.map(option).join('')}</select></label>
      ${numeric.length > 2 ? `<details data-role="more"><summary>more features <small>(the model uses them; the plot shows a slice)</small></summary>${numeric
        .map(([c, i]) => `<label class="check"><input type="checkbox" value="${i}"> ${c.name.replace(/[<&"]/g, '')}</label>`)
        .join('')}</details>` : ''}
      <label>target <select data-role="target">${all.map(option).join('')}</select></label>
      <label>task <select data-role="hint"><option value="auto">auto (text = classes)</option><option value="regression">predict a number</option><option value="classification">classes</option></select></label>
      <div class="csv"><button type="button" data-role="go" class="primary">Import</button><button type="button" data-role="cancel">Cancel</button></div>`;
    const pick = (role) => panel.querySelector(`[data-role="${role}"]`);
    pick('x1').value = String(numeric[0][1]);
    if (numeric.length > 2 || (numeric.length === 2 && !summary.columns.at(-1).numeric)) pick('x2').value = String(numeric[1][1]);
    pick('target').value = String(summary.columns.length - 1);
    panel.hidden = false;
    pick('cancel').onclick = () => (panel.hidden = true);
    pick('go').onclick = () => {
      const xColumns = [Number(pick('x1').value)];
      if (pick('x2').value !== '') xColumns.push(Number(pick('x2').value));
      const target = Number(pick('target').value);
      for (const box of panel.querySelectorAll('[data-role="more"] input:checked')) {
        const column = Number(box.value);
        if (column !== target && !xColumns.includes(column)) xColumns.push(column);
      }
      this.importName = name;
      this.post({ type: 'import', bytes, xColumns, target, hint: pick('hint').value });
      panel.hidden = true;
    };
  }

  /** The hidden-layer editor of a neural network: width and activation per layer. */
  renderLayers(list, layers, commit) {
    const key = JSON.stringify(layers);
    if (list.dataset.key === key) return;
    list.dataset.key = key;
    list.innerHTML = '';
    layers.forEach((layer, i) => {
      const line = document.createElement('div');
      line.className = 'layer';
      const minus = Object.assign(document.createElement('button'), { type: 'button', textContent: '−', title: 'One neuron fewer' });
      const plus = Object.assign(document.createElement('button'), { type: 'button', textContent: '+', title: 'One neuron more' });
      const width = Object.assign(document.createElement('span'), { className: 'width', textContent: String(layer.neurons) });
      const act = document.createElement('select');
      for (const [value, text] of ACTIVATIONS) act.append(Object.assign(document.createElement('option'), { value, textContent: text }));
      act.value = layer.activation;
      const change = (f) => {
        const next = clone(layers);
        f(next);
        commit(next);
      };
      minus.disabled = layer.neurons <= 1;
      plus.disabled = layer.neurons >= 32;
      minus.onclick = () => change((n) => (n[i].neurons -= 1));
      plus.onclick = () => change((n) => (n[i].neurons += 1));
      act.onchange = () => change((n) => (n[i].activation = act.value));
      line.append(Object.assign(document.createElement('span'), { className: 'index', textContent: `${i + 1}` }), minus, width, plus, act);
      list.append(line);
    });
    const tools = document.createElement('div');
    tools.className = 'layer-tools';
    const add = Object.assign(document.createElement('button'), { type: 'button', textContent: '+ layer' });
    const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: '− layer' });
    add.disabled = layers.length >= 8;
    remove.disabled = layers.length === 0;
    add.onclick = () => commit([...layers, { neurons: layers.at(-1)?.neurons ?? 4, activation: layers.at(-1)?.activation ?? 'tanh' }]);
    remove.onclick = () => commit(layers.slice(0, -1));
    tools.append(add, remove);
    list.append(tools);
  }

  syncControls() {
    if (!this.controls) return;
    for (const control of this.controls) {
      const scene = this.snapshot?.scene;
      const shown = control.c.show ? control.c.show(this.state, scene, this.snapshot?.report) : true;
      control.row.hidden = !shown;
      if (shown) control.update(this.state, scene);
    }
    this.$('spf').value = String(this.state.steps_per_frame);
    this.renderClassPicker();
    this.renderGrowTools();
    this.syncCvMetrics();
  }

  updateReadout() {
    const { report } = this.snapshot;
    this.$('epoch').textContent = String(report.epoch);
    this.$('formula').textContent = report.trained ? report.summary.formula || '–' : 'not trained yet';
    this.$('loss-name').textContent = `(${report.loss_name})`;
    const classification = report.train.task === 'classification';
    const rows = classification
      ? [['accuracy', 'accuracy'], ['balanced acc.', 'balanced_accuracy'], ['precision', 'precision'], ['recall', 'recall'],
        ['F1', 'f1'], ['log-loss', 'log_loss'], ['ROC AUC', 'roc_auc'], ['recall per class', 'per_class_recall'], ['points', 'n']]
      : [['MSE', 'mse'], ['RMSE', 'rmse'], ['R²', 'r2'], ['points', 'n']];
    const cell = (s, key) => {
      if (key === 'n') return String(s.n);
      if (s.n === 0 || !report.trained) return '–';
      if (key === 'per_class_recall') return (s[key] ?? []).map((r) => (r == null ? '–' : fmt(r, 2))).join(' / ');
      return fmt(s[key]);
    };
    this.$('metrics').innerHTML = rows
      .map(([label, key]) => `<tr><th>${label}</th><td>${cell(report.train, key)}</td><td>${cell(report.test, key)}</td></tr>`)
      .join('');
    const box = this.$('confusion');
    const scores = report.test.n > 0 ? report.test : report.train;
    box.hidden = !classification || !report.trained || !scores.confusion?.length;
    if (!box.hidden) {
      const k = scores.confusion.length;
      const names = report.class_names ?? [];
      // Columns carry the chip only (the names would not fit); rows and tooltips carry the names.
      const label = (c) => esc(names[c] ?? c);
      const head = Array.from({ length: k }, (_, j) => `<th title="${label(j)}"><i class="chip c${j}"></i>${k > 3 || String(names[j] ?? j).length > 4 ? '' : label(j)}</th>`).join('');
      const body = scores.confusion
        .map((row, i) => `<tr><th title="${label(i)}"><i class="chip c${i}"></i>${label(i)}</th>${row.map((v, j) => `<td class="${i === j ? 'hit' : v ? 'miss' : ''}">${v}</td>`).join('')}</tr>`)
        .join('');
      box.innerHTML = `<h3>Confusion <small>(${report.test.n > 0 ? 'test' : 'train'}; rows true, columns predicted)</small></h3>
        <table><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table>`;
    }
    const instant = report.fits_instantly;
    this.$('play').disabled = instant;
    this.$('step').textContent = instant ? 'Fit ›' : this.state.model.kind === 'tree' ? 'Split ›' : 'Step ›';
  }

  renderClassPicker() {
    const box = this.$('classes');
    const n = this.snapshot?.scene.n_classes ?? 0;
    box.hidden = n < 2;
    if (box.hidden) {
      this.selectedClass = null;
      return;
    }
    if (this.selectedClass == null || this.selectedClass >= n) this.selectedClass = 0;
    const names = this.snapshot?.report?.class_names ?? [];
    const name = (c) => names[c] ?? `class ${c}`;
    const key = `${n}:${this.selectedClass}:${names.join('|')}`;
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.innerHTML = 'New points: ';
    for (let c = 0; c < n; c++) {
      const b = Object.assign(document.createElement('button'), { type: 'button', title: `Clicks add points of ${name(c)}` });
      b.innerHTML = `<i class="chip c${c}"></i>${esc(name(c))}`;
      b.setAttribute('aria-pressed', String(c === this.selectedClass));
      b.onclick = () => {
        this.selectedClass = c;
        this.renderClassPicker();
      };
      box.append(b);
    }
  }

  /** Live growth of a neural network (Net2Net: the predictions stay the same). */
  renderGrowTools() {
    const box = this.$('grow');
    const layers = this.state.model.kind === 'mlp' ? this.state.model.hidden_layers ?? [] : null;
    box.hidden = !layers;
    if (!layers) return;
    const key = JSON.stringify(layers);
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.innerHTML = 'Grow now: ';
    const neuron = Object.assign(document.createElement('button'), { type: 'button', textContent: '+ neuron', title: 'Split a neuron of the chosen layer in two; the predictions do not change' });
    const which = document.createElement('select');
    layers.forEach((l, i) => which.append(Object.assign(document.createElement('option'), { value: i + 1, textContent: `layer ${i + 1} (${l.neurons})` })));
    const layer = Object.assign(document.createElement('button'), { type: 'button', textContent: '+ layer', title: 'Insert a layer that starts as the identity; the predictions do not change' });
    neuron.disabled = layers.length === 0;
    neuron.onclick = () => this.post({ type: 'grow', growth: { op: 'neuron', layer: Number(which.value) } });
    layer.disabled = layers.length >= 8;
    layer.onclick = () => this.post({ type: 'grow', growth: { op: 'layer', after: layers.length } });
    box.append(neuron, which, layer);
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

  /** The decision surface's size in pixels: the plot at full device resolution when still,
   * at CSS resolution (capped) while playing so frames stay fast; null for regression. */
  surfaceSize() {
    if (!this.state || !isClassification(this.state, this.snapshot?.scene) || !this.wasm) return null;
    const c = this.$('plot');
    if (!c || !c.width) return null;
    const dpr = window.devicePixelRatio || 1;
    const { plot } = this.wasm.layout(c.width, c.height, dpr);
    let w = plot[2] - plot[0];
    let h = plot[3] - plot[1];
    if (this.playing || this.drag) {
      const scale = Math.min(1 / dpr, Math.sqrt(160000 / (w * h)));
      if (scale < 1) {
        w = Math.round(w * scale);
        h = Math.round(h * scale);
      }
    }
    return w >= 2 && h >= 2 ? [w, h] : null;
  }

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
    const surface = this.snapshot.surface;
    if (surface && surface !== this.drawnSurface) {
      this.surfaceCanvas ??= document.createElement('canvas');
      this.surfaceCanvas.width = surface.width;
      this.surfaceCanvas.height = surface.height;
      const pixels = new Uint8ClampedArray(surface.pixels.buffer, surface.pixels.byteOffset, surface.pixels.byteLength);
      this.surfaceCanvas.getContext('2d').putImageData(new ImageData(pixels, surface.width, surface.height), 0, 0);
      this.drawnSurface = surface;
    }
    try {
      this.layout = this.wasm.renderScene(this.$('plot'), scene, dpr, surface ? this.surfaceCanvas : undefined);
      const slice = this.$('slice-note');
      slice.hidden = !scene.slice_note;
      slice.textContent = scene.slice_note ? `${scene.slice_note[0].toUpperCase()}${scene.slice_note.slice(1)}.` : '';
      this.drawRegionOverlay();
      this.wasm.renderLoss(this.$('loss'), this.snapshot.history, dpr, this.state.view.log_loss);
      this.drawViews(dpr);
    } catch (err) {
      this.showMessage(`drawing failed: ${err.message}`, 'error');
    }
  }

  /** The model-specific pictures beside the main one, each on its own canvas. */
  drawViews(dpr) {
    const box = this.$('views');
    const views = this.snapshot.views ?? {};
    const hover = this.drag ? this.drag.index : this.hover;
    const wanted = [];
    if (views.sigmoid) {
      views.sigmoid.highlight = hover;
      const z = hover != null ? views.sigmoid.z[hover] : null;
      const note = z != null ? `point ${hover}: z = ${fmt(z, 3)}, p = ${fmt(1 / (1 + Math.exp(-z)), 3)}` : 'hover a point to see its z and p';
      wanted.push(['sigmoid', 'Sigmoid <small>P(class 1) = σ(z)</small>', views.sigmoid, note]);
    }
    if (views.roc) wanted.push(['roc', `ROC curve <small>(${views.roc.subset})</small>`, views.roc]);
    if (views.precision_recall) {
      const pr = views.precision_recall;
      const positive = this.snapshot.report.class_names?.[1] ?? 'class 1';
      const note = `dashed: the precision of guessing (${fmt(100 * pr.positive_share, 3)} % of the ${pr.subset} points are ${positive})`;
      wanted.push(['precision_recall', `Precision-recall <small>(${pr.subset}, ${esc(positive)})</small>`, pr, note]);
    }
    if (views.importances) wanted.push(['bars', 'Feature importance <small>(impurity)</small>', views.importances]);
    if (views.permutation) wanted.push(['bars', 'Permutation importance <small>(shuffle one feature)</small>', views.permutation, null, 'permutation']);
    if (views.pruning) wanted.push(['pruning', 'Pruning path <small>(score against α)</small>', views.pruning]);
    if (views.schedule) wanted.push(['schedule', 'Learning-rate schedule', views.schedule]);
    const keys = wanted.map(([kind, title, , , key]) => `${key ?? kind}:${title}`).join('\n');
    if (box.dataset.keys !== keys) {
      box.dataset.keys = keys;
      box.innerHTML = wanted
        .map(([kind, title, , , key]) => `<h3>${title}</h3><canvas class="view" data-kind="${kind}" data-key="${key ?? kind}"></canvas><p class="note" data-note="${key ?? kind}"></p>`)
        .join('');
    }
    for (const [kind, , data, note, key] of wanted) {
      const c = box.querySelector(`canvas[data-key="${key ?? kind}"]`);
      // A bar chart grows with its bars, so every feature keeps a readable label.
      const bars = kind === 'bars' ? data.values.length : 0;
      const ratio = bars > 5 ? `5 / ${Math.min(12, 3 + 0.45 * (bars - 5)).toFixed(2)}` : '';
      if (c.style.aspectRatio !== ratio) c.style.aspectRatio = ratio;
      const w = Math.round(c.clientWidth * dpr);
      const h = Math.round(c.clientHeight * dpr);
      if (!w || !h) continue;
      if (c.width !== w || c.height !== h) Object.assign(c, { width: w, height: h });
      this.wasm.renderView(c, kind, data, dpr);
      box.querySelector(`[data-note="${key ?? kind}"]`).textContent = note ?? '';
    }
    this.drawDiagram(dpr, views, hover);
  }

  /** The tree or network diagram under the canvas, linked both ways with the plot. */
  drawDiagram(dpr, views, hover) {
    const section = this.$('diagram');
    const kind = views.tree ? 'tree' : views.network ? 'network' : null;
    section.hidden = !kind;
    if (!kind) return;
    const c = this.$('diagram-canvas');
    c.dataset.kind = kind;
    const w = Math.round(c.clientWidth * dpr);
    const h = Math.round(c.clientHeight * dpr);
    if (!w || !h) return;
    if (c.width !== w || c.height !== h) Object.assign(c, { width: w, height: h });
    if (kind === 'tree') {
      this.$('diagram-title').innerHTML = 'Tree <small>hover a node to see its region; hover the plot to see the path</small>';
      const tree = views.tree;
      const nodes = tree.diagram.nodes;
      let leaf = this.diagramHover ?? null;
      if (leaf == null && hover != null) leaf = tree.leaves[hover];
      if (leaf == null && this.plotHover && tree.regions.length) {
        const [x, y] = this.plotHover;
        leaf = nodes.findIndex((n, i) => n.is_leaf && tree.regions[i]?.length === 2 &&
          x >= tree.regions[i][0][0] && x <= tree.regions[i][0][1] && y >= tree.regions[i][1][0] && y <= tree.regions[i][1][1]);
        if (leaf < 0) leaf = null;
      }
      const path = [];
      for (let n = leaf; n != null && nodes[n]; n = nodes[n].parent) path.unshift(n);
      this.wasm.renderView(c, 'tree', tree, dpr, leaf ?? undefined, path);
      this.$('thumbs').innerHTML = '';
    } else {
      this.$('diagram-title').innerHTML = 'Network <small>line width |w|, blue positive, orange negative; hover a neuron</small>';
      const hl = this.diagramHover;
      this.wasm.renderView(c, 'network', views.network, dpr, hl ? hl[0] : undefined, hl ? [hl[1]] : undefined);
      this.drawThumbnails(views.network);
    }
  }

  /** One thumbnail per hidden neuron: its output over the input plane. */
  drawThumbnails(network) {
    const box = this.$('thumbs');
    const t = this.snapshot.thumbnails;
    if (!t) {
      box.innerHTML = '';
      return;
    }
    const sizes = network.layer_sizes.slice(1, -1);
    const key = JSON.stringify(sizes);
    if (box.dataset.key !== key) {
      box.dataset.key = key;
      box.innerHTML = sizes
        .map((n, l) => `<div class="thumb-layer"><span>layer ${l + 1}</span>${Array.from({ length: n }, (_, i) =>
          `<canvas width="${t.size}" height="${t.size}" data-layer="${l + 1}" data-neuron="${i}" title="layer ${l + 1}, neuron ${i + 1}"></canvas>`).join('')}</div>`)
        .join('');
      for (const cv of box.querySelectorAll('canvas')) {
        cv.onpointerenter = () => {
          this.diagramHover = [Number(cv.dataset.layer), Number(cv.dataset.neuron)];
          this.draw();
        };
        cv.onpointerleave = () => {
          this.diagramHover = null;
          this.draw();
        };
      }
    }
    const px = t.size * t.size * 4;
    const canvases = box.querySelectorAll('canvas');
    canvases.forEach((cv, k) => {
      if ((k + 1) * px > t.pixels.length) return;
      const data = new Uint8ClampedArray(t.pixels.buffer, t.pixels.byteOffset + k * px, px);
      cv.getContext('2d').putImageData(new ImageData(data, t.size, t.size), 0, 0);
      const hl = this.diagramHover;
      cv.classList.toggle('on', Boolean(hl && hl[0] === Number(cv.dataset.layer) && hl[1] === Number(cv.dataset.neuron)));
    });
  }

  /** The hovered tree node's region, outlined on the plot. */
  drawRegionOverlay() {
    const tree = this.snapshot?.views?.tree;
    const node = this.diagramHover;
    if (!tree || typeof node !== 'number' || !tree.regions[node] || tree.regions[node].length !== 2) return;
    const [[x0, x1], [y0, y1]] = tree.regions[node];
    const [px0, py0] = this.toPixel(x0, y1);
    const [px1, py1] = this.toPixel(x1, y0);
    const ctx = this.$('plot').getContext('2d');
    const dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.fillStyle = 'rgba(255, 221, 87, 0.28)';
    ctx.strokeStyle = '#b8860b';
    ctx.lineWidth = 2.5 * dpr;
    ctx.fillRect(px0, py0, px1 - px0, py1 - py0);
    ctx.strokeRect(px0, py0, px1 - px0, py1 - py0);
    ctx.restore();
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
      if ((!showTest && roles[i] & 1) || roles[i] & 4) continue; // synthetic points are not editable
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

  bindDiagram() {
    const c = this.$('diagram-canvas');
    c.addEventListener('pointermove', (e) => {
      const views = this.snapshot?.views;
      if (!views || !this.wasm) return;
      const r = c.getBoundingClientRect();
      const px = ((e.clientX - r.left) * c.width) / r.width;
      const py = ((e.clientY - r.top) * c.height) / r.height;
      const dpr = window.devicePixelRatio || 1;
      let hit = null;
      if (c.dataset.kind === 'tree' && views.tree) hit = this.wasm.treeHit(c.width, c.height, dpr, views.tree, px, py) ?? null;
      if (c.dataset.kind === 'network' && views.network) hit = this.wasm.networkHit(c.width, c.height, dpr, views.network, px, py) ?? null;
      if (JSON.stringify(hit) !== JSON.stringify(this.diagramHover)) {
        this.diagramHover = hit;
        this.draw();
      }
    });
    c.addEventListener('pointerleave', () => {
      this.diagramHover = null;
      this.draw();
    });
  }

  bindCanvas() {
    this.bindDiagram();
    const c = this.$('plot');
    const wrap = c.parentElement;
    wrap.addEventListener('dragover', (e) => {
      e.preventDefault();
      wrap.classList.add('drop');
    });
    wrap.addEventListener('dragleave', () => wrap.classList.remove('drop'));
    wrap.addEventListener('drop', async (e) => {
      e.preventDefault();
      wrap.classList.remove('drop');
      const f = e.dataTransfer?.files?.[0];
      if (f) this.chooseColumns(new Uint8Array(await f.arrayBuffer()), f.name);
    });
    this.addEventListener('paste', (e) => {
      const text = e.clipboardData?.getData('text');
      if (text && /[,;\t]/.test(text) && text.includes('\n')) {
        e.preventDefault();
        this.chooseColumns(new TextEncoder().encode(text), 'pasted text');
      }
    });
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
      if (this.snapshot.views?.tree) {
        this.plotHover = this.insidePlot(pos) ? this.toData(pos) : null;
        this.draw();
      }
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
      this.plotHover = null;
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
