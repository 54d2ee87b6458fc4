// @ts-check
// <ml-playground>: the playground as a custom element. Each element owns its state (one plain
// object, the single source of truth, serialisable into the URL), its own training Web Worker and
// its canvases. The main thread only renders (with its own wasm instance) and handles input.
//
// Attributes (all optional): dataset, points, noise, seed, model, solver, degree, ridge,
// learning-rate, steps-per-frame, state (an encoded state, as in a link's #s=…), sync-url (bind the
// state to location.hash), autoplay, lang (en or zh: the page's language; the EN / 中文 switch sets it),
// lesson and step (a lesson of www/lessons/ and its step, 1-based; a sync-url element also reads
// `#lesson=…&step=…` from the link).
//
// This file is the element and its lifecycle; the parts live beside it: parts.js wires them
// (template.js the markup, control-panel.js with controls.js and model-controls.js the settings,
// plot-input.js, views.js the drawing, readout.js the text, csv-chooser.js, cv-panel.js, tune-panel.js,
// compress-panel.js);
// worker-client.js talks to the worker; state-edits.js, links.js and data-source.js change,
// name and restore states; status.js shows messages; models.js holds the kinds and limits.
import { decodeState, hashParams, withHashParams } from './state-url.js';
import { decodeSource, encodeSource, keptNote, loadSource } from './data-source.js';
import { UrlSync, hashEntries, hashKeys } from './links.js';
import { isClassification } from './controls.js';
import { applyAttributes, fallbacksFor, initialState } from './state-edits.js';
import { LIMITS, isClustering, useDescriptor } from './models.js';
import { canvasWords, hasLanguage, language, loadLanguage, pickLanguage, setLanguage, t, wordError } from './i18n.js';
import { labelControls } from './controls.js';
import { labelStatic } from './template.js';
import { relabelHelp } from './help.js';
import { loadLessons } from './lesson-runner.js';
import { buildParts } from './parts.js';
import { setLoading, showMessage } from './status.js';
import { WorkerClient } from './worker-client.js';
import { toPixel } from './plot-input.js';
import { className, lossName, showGrowTools, showReport } from './readout.js';
import { importNote } from './csv-chooser.js';
import { readCsv } from './csv-reader.js';
import { capitalise, dpr, fitCanvas } from './util.js';
import { pictures, png, viewSvg } from './pictures.js';
import { engine } from './engine.js';
import { embedCode, showEmbedDialog } from './embed-code.js';
import { PredictError, allowedOrigins, predictionRows, rowsMatrix } from './predict-service.js';

/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Snapshot} Snapshot */
/** @typedef {import('./types.js').Request} Request */
/** @typedef {import('./types.js').WorkerReply} WorkerReply */
/** @typedef {import('./types.js').Layout} Layout */
/** @typedef {import('./types.js').Wasm} Wasm */
/** @typedef {'error' | 'warning' | 'info'} Level */
/** @typedef {import('./state-edits.js').Fallback} Fallback */
/** @typedef {import('./data-source.js').Source} Source */
/** @typedef {import('./csv-chooser.js').ImportChoice} ImportChoice */


/** The panels an embed's `controls` attribute can name. */
const PANELS = ['data', 'model', 'view', 'results', 'tune', 'compress'];

/** How near the viewport an element starts its worker: within a screen above or below it. */
const NEAR = '100% 0px';

/** Says that a link's imported data is not in this browser. */
function notKept(/** @type {Source | null} */ source) {
  return source && source.kind !== 'sample' ? t('data.not_kept.named', { name: source.name }) : t('data.not_kept');
}

/** @typedef {import('./parts.js').Parts} Parts the parts of an element that exist once it is connected */

export class MlPlayground extends HTMLElement {
  static observedAttributes = [
    'dataset', 'points', 'noise', 'seed', 'model', 'solver', 'degree', 'ridge',
    'learning-rate', 'steps-per-frame', 'state', 'lang', 'lesson', 'step', 'compact', 'controls',
  ];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    /** @type {State | null} the current state (the single source of truth) */
    this.state = null;
    /** @type {Snapshot | null} the worker's latest answer */
    this.snapshot = null;
    /** @type {Wasm | null} the main thread's wasm module, once loaded */
    this.wasm = null;
    /** Whether Play is on. */
    this.playing = false;
    /** The animation frame of the Play loop. */
    this.raf = 0;
    /** @type {number | null} the request whose error message stays shown over its snapshot */
    this.errorId = null;
    /** @type {string | null} the name of the file or dataset being imported */
    this.importName = null;
    /** @type {{ id: number, source: Promise<Source>, kept: string } | null} the import in flight: its request, where its data comes from, how it is kept */
    this.importing = null;
    /** @type {Source | null} where the imported data shown comes from (named in links), or null */
    this.source = null;
    /** @type {string | null} what the last import did, shown with its snapshot */
    this.importNote = null;
    /** @type {UrlSync | null} binds the state to the URL's hash (sync-url) */
    this.urlSync = null;
    /** @type {Parts | null} the shadow DOM's parts, once connected */
    this.parts = null;
    /** @type {{ id: number, fallbacks: Fallback[] } | null} the worker's first session being built, and what to try if it fails */
    this.booting = null;
    /** @type {{ id: number, name: string } | null} the model file being opened: its request and file name */
    this.openingModel = null;
    /** @type {number[]} when the worker was restarted after dying (a worker that keeps dying is not restarted) */
    this.restarts = [];
    /** Whether the worker has been started (the element came near the viewport). */
    this.waking = false;
    /** Whether the element is on screen (Play steps only then). */
    this.visible = false;
    /** @type {import('./i18n.js').Language | null} the language last chosen (its catalog may still be loading) */
    this.wantedLanguage = null;
    /** @type {IntersectionObserver | null} starts the element when it comes within a screen of the viewport */
    this.nearObserver = null;
    /** @type {IntersectionObserver | null} follows whether the element is on screen */
    this.screenObserver = null;
    /** @type {IntersectionObserver | null} marks the element `far` (not rendered) beyond a screen from the viewport */
    this.farObserver = null;
    this.onTabVisibility = () => this.resumePlay();
    /** @type {Map<number, { reply: (msg: Record<string, unknown>) => void, id: unknown, n: number }>} prediction requests sent to the worker, by the worker's id */
    this.predicting = new Map();
    /** @type {(() => void) | null} finishes the first snapshot, whose plot alone is drawn (onSnapshot) */
    this.finishFirst = null;
    /** Whether the parent window has been told that the prediction service is ready. */
    this.announced = false;
    this.onWindowMessage = (/** @type {MessageEvent} */ event) => this.answerPredict(event);
    /** The training worker. */
    this.client = new WorkerClient(
      {
        snapshot: (msg, request, stale) => {
          // A reply to a request older than the latest edit shows a state the page has left.
          if (stale) this.parts?.input.flushMove();
          else this.onSnapshot(msg, request);
        },
        error: (msg) => {
          if (this.booting && msg.id === this.booting.id) {
            this.fallBack(wordError(msg));
            return;
          }
          // An error answers one request; it stays on screen until a later user action succeeds.
          this.parts?.compress.failed(msg);
          this.parts?.timeMachine.failed(msg);
          if (this.openingModel?.id === msg.id) {
            this.showMessage(t('export.refused', { name: this.openingModel.name, reason: wordError(msg) }), 'error', true);
            this.openingModel = null;
          } else this.showMessage(capitalise(wordError(msg)), 'error', false);
          this.errorId = msg.id;
        },
        other: (msg) => this.onOtherReply(msg),
        failed: (text) => this.showMessage(text, 'error'),
        died: () => this.restartWorker(),
      },
      () => ({ samples: this.curveSamples(), surface: this.surfaceSize() }),
    );
  }

  // ---- what the tests and embedding pages read -------------------------------------------

  /** The worker (one per element). */
  get worker() {
    return this.client.worker;
  }

  /** Requests not yet answered by a snapshot. */
  get inflight() {
    return this.client.inflight + (this.finishFirst ? 1 : 0);
  }

  /** @returns {Layout | null} the plot's layout as last drawn */
  get layout() {
    return this.parts?.painter.layout ?? null;
  }

  /** Device pixels of data point (x, y) on the plot. */
  toPixel(/** @type {number} */ x, /** @type {number} */ y) {
    if (!this.layout || !this.snapshot) throw new Error('nothing is drawn yet');
    return toPixel(this.layout, this.snapshot.scene, x, y);
  }

  // ---- lifecycle -------------------------------------------------------------------------

  // Polite on a page of many (distill.pub's and Observable's conventions): the element draws its
  // frame at once (so the page does not jump) but starts its worker and wasm only when it comes
  // within a screen of the viewport; Play steps only while the element is on screen and the tab
  // is visible, and goes on by itself when it is back.
  connectedCallback() {
    if (this.client.worker || this.waking) return;
    // Already near the viewport (the page's own playground, a figure at the top): starts now
    // rather than on the observer's first report, a frame later, behind the wasm's compilation;
    // and asked before the shadow DOM is built, whose first layout would delay the worker's start.
    const near = this.nearViewport();
    this.render();
    this.applyLayout();
    if (near) this.wake();
    else {
      this.nearObserver = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) this.wake();
      }, { rootMargin: NEAR });
      this.nearObserver.observe(this);
    }
    this.screenObserver = new IntersectionObserver((entries) => {
      const entry = entries.at(-1);
      if (entry) this.setOnScreen(entry.isIntersecting);
    });
    this.screenObserver.observe(this);
    // Far from the viewport the element is not rendered (`:host([far])`: content-visibility
    // hidden, at its last size): seven idle figures on a page made each frame of the one playing
    // 4× slower (66.7 ms against 16.7 alone), though none of them drew anything.
    this.farObserver = new IntersectionObserver((entries) => {
      const entry = entries.at(-1);
      if (entry) this.toggleAttribute('far', !entry.isIntersecting);
    }, { rootMargin: NEAR });
    this.farObserver.observe(this);
    document.addEventListener('visibilitychange', this.onTabVisibility);
    window.addEventListener('message', this.onWindowMessage);
  }

  /**
   * Whether the element is within a screen of the viewport now (as the observer's NEAR margin
   * counts it): its top, since before its shadow DOM it may have no size yet. One not displayed
   * (no box) is not, nor one in a frame: the observer decides.
   */
  nearViewport() {
    // (in a frame the observer measures against the top page's viewport, which is not this one's)
    if (window.top !== window || this.getClientRects().length === 0) return false;
    const r = this.getBoundingClientRect();
    const h = innerHeight;
    return r.top >= -h && r.top <= 2 * h && r.left >= 0 && r.left <= innerWidth;
  }

  /** Starts the worker and the session (once, when the element first comes near the viewport). */
  wake() {
    this.nearObserver?.disconnect();
    this.nearObserver = null;
    if (this.client.worker || this.waking) return;
    this.waking = true;
    this.client.start();
    this.start();
  }

  /** Whether training may run now: the element is on screen and its tab is visible. */
  get onScreen() {
    return this.visible && document.visibilityState !== 'hidden';
  }

  setOnScreen(/** @type {boolean} */ visible) {
    this.visible = visible;
    this.resumePlay();
  }

  /** Play was on while the element was off screen or its tab hidden: it goes on now. */
  resumePlay() {
    if (this.playing && this.onScreen && !this.raf) this.loop();
  }

  disconnectedCallback() {
    this.finishFirst = null;
    this.pause();
    this.waking = false;
    this.nearObserver?.disconnect();
    this.screenObserver?.disconnect();
    this.farObserver?.disconnect();
    this.removeAttribute('far');
    document.removeEventListener('visibilitychange', this.onTabVisibility);
    window.removeEventListener('message', this.onWindowMessage);
    this.failPredictions();
    this.client.stop();
    this.parts?.resizeObserver.disconnect();
    this.parts?.tune.stop();
    this.urlSync?.stop();
  }

  /** @param {string} name @param {string | null} oldValue @param {string | null} newValue */
  attributeChangedCallback(name, oldValue, newValue) {
    if (name === 'lang') {
      if (newValue && pickLanguage(newValue) !== language()) this.useLanguage(pickLanguage(newValue));
      return;
    }
    if (name === 'compact' || name === 'controls') {
      this.applyLayout();
      return;
    }
    if (!this.state || oldValue === newValue) return;
    if (name === 'lesson' || name === 'step') {
      const id = this.getAttribute('lesson');
      if (id) this.startLesson(id, Number(this.getAttribute('step') ?? 1));
      else this.parts?.lesson.stop();
      return;
    }
    if (name === 'state') {
      if (newValue) this.loadEncoded(newValue);
    } else {
      const { state, problems } = applyAttributes(/** @type {Wasm} */ (this.wasm), this.state, { [name]: newValue });
      if (problems.length) this.showMessage(t('msg.left_as_it_was', { reason: problems.join('; ') }), 'error', false);
      else this.configure(state);
    }
  }

  async start() {
    // The page's language: the element's `lang`, or `lang=` in the hash of a page whose URL the
    // element follows, or the browser's; English when none is one the catalog has.
    const hashLang = this.hasAttribute('sync-url') ? hashParams(location.hash).get('lang') : null;
    const lang = pickLanguage(this.getAttribute('lang'), hashLang, navigator.language);
    // (a catalog that failed to load is asked for again by useLanguage; English meanwhile)
    const [m] = await Promise.all([engine(), this.parts?.styled, loadLanguage(lang).catch(() => {})]);
    this.wasm = m;
    // The wasm's own description of its models, their controls and limits, labelled in the
    // page's language, and the words it draws on canvases.
    this.useLanguage(lang);
    this.setLoading(t('page.starting'));
    // The state: the link's (this element's keys in the hash), else the state attribute, else the
    // attributes; and where imported data comes from.
    const keys = this.hashKeys();
    const params = hashParams(location.hash);
    const encoded = (keys && params.get(keys.state)) ?? (this.hasAttribute('sync-url') ? null : this.getAttribute('state'));
    const attrs = Object.fromEntries([...this.attributes].map((a) => [a.name, a.value]));
    delete attrs.lesson;
    delete attrs.step;
    const start = initialState(m, attrs, encoded);
    let state = start.state;
    // A lesson (the link's, else the attribute's) starts from its step's state, unless the link
    // carries the learner's own state too.
    const lessonId = (this.hasAttribute('sync-url') ? params.get('lesson') : null) ?? this.getAttribute('lesson');
    const lessonStep = Number((this.hasAttribute('sync-url') ? params.get('step') : null) ?? this.getAttribute('step') ?? 1);
    let lessonProblem = false;
    if (lessonId) {
      const lesson = (await loadLessons()).lessonById(lessonId);
      const step = lesson?.steps[Math.max(0, Math.min(lesson.steps.length - 1, Math.round(lessonStep) - 1 || 0))];
      if (!lesson || !step) {
        this.showMessage(t('lesson.unknown', { id: lessonId }), 'error', true);
        lessonProblem = true;
      } else if (!encoded) {
        try {
          state = m.checkState(step.state);
        } catch (err) {
          this.showMessage(capitalise(wordError(/** @type {Error} */ (err))), 'error', false);
          lessonProblem = true;
        }
      }
    }
    if (start.problems.length) this.showMessage(t('msg.attributes_applied', { problems: start.problems.join('; ') }), 'error', false);
    const sourceText = (keys && params.get(keys.source)) ?? (encoded ? this.getAttribute('source') : null) ?? start.sourceText;
    const id = state.data.kind === 'custom' ? await this.bootImported(state, sourceText) : this.boot(state);
    if (start.problems.length && !start.problem) this.errorId = id;
    if (lessonProblem) this.errorId = id; // (shown until the learner's next action)
    if (start.problem) {
      // Shown until the learner's next action, not cleared by the first snapshot.
      this.showMessage(t('msg.default_loaded', { reason: capitalise(wordError(start.problem)) }), 'error', false);
      this.errorId = id;
    }
    if (lessonId) await this.parts?.lesson.start(lessonId, lessonStep, { keepState: true });
    if (this.hasAttribute('sync-url')) {
      this.urlSync = new UrlSync(() => this.hashEntries(), (text, sourceText) => this.loadEncoded(text, sourceText), (lang) => {
        if (pickLanguage(lang) !== language()) this.useLanguage(pickLanguage(lang));
      }, (id, step, withState) => this.followLesson(id, step, withState));
    }
    if (this.hasAttribute('autoplay')) this.play();
  }

  // ---- lessons ---------------------------------------------------------------------------

  /** Starts lesson `id` at `step` (1-based) from the step's state; an unknown id is named. */
  async startLesson(/** @type {string} */ id, step = 1) {
    if (!(await this.parts?.lesson.start(id, step))) this.showMessage(t('lesson.unknown', { id }), 'error', true);
  }

  /**
   * A link navigated to names a lesson and step (or none): the runner follows it; the state is
   * the link's own when it carries one (already loaded), else the step's.
   * @param {string | null} id @param {string | null} step @param {boolean} withState
   */
  followLesson(id, step, withState) {
    const runner = this.parts?.lesson;
    if (!runner) return;
    const position = runner.position;
    if (!id) {
      if (position) runner.stop();
      return;
    }
    const k = Number(step ?? 1);
    if (position?.lesson === id && position.step === k) return;
    runner.start(id, k, { keepState: withState }).then((ok) => {
      if (!ok) this.showMessage(t('lesson.unknown', { id }), 'error', true);
    });
  }

  /** A lesson step's state (partial: defaults filled) becomes the state; false if refused. */
  setLessonState(/** @type {Record<string, any>} */ partial) {
    if (!this.wasm) return false;
    let state;
    try {
      state = this.wasm.checkState(partial);
    } catch (err) {
      this.showMessage(capitalise(wordError(/** @type {Error} */ (err))), 'error', false);
      return false;
    }
    this.pause();
    this.configure(state);
    return true;
  }

  /**
   * Starts from a state whose data was imported: the data named by the link's source (a built-in
   * dataset, a file kept in this browser, or a small file carried in the link) is imported again;
   * when it is not here, the default data is shown with a note, and the rest of the state kept.
   * Resolves to the id of the first request.
   * @param {State} state
   * @param {string | null} sourceText
   */
  async bootImported(state, sourceText) {
    const wasm = /** @type {Wasm} */ (this.wasm);
    const source = decodeSource(sourceText);
    const data = source ? await loadSource(source, async (bytes) => (await readCsv(bytes)).summary) : null;
    if (!source || !data) {
      const fallbacks = fallbacksFor(wasm, state).filter((f) => f.state.data.kind !== 'custom');
      const first = fallbacks.shift();
      const id = this.boot(first?.state ?? wasm.checkState({}));
      if (this.booting) this.booting.fallbacks = fallbacks;
      this.showMessage(t('data.not_kept.default', { note: notKept(source) }), 'warning', true);
      this.errorId = id;
      return id;
    }
    const id = this.boot(wasm.checkState({}));
    this.postImport(data, Promise.resolve(source));
    this.configure(state);
    return id;
  }

  /** Starts the worker's session from `state`; if it cannot be built, `fallBack` tries less of it. */
  boot(/** @type {State} */ state) {
    this.state = state;
    const id = this.post({ type: 'init', state });
    this.booting = { id, fallbacks: this.wasm ? fallbacksFor(this.wasm, state) : [] };
    return id;
  }

  /** The session of the state being booted could not be built: tries the next fallback. */
  fallBack(/** @type {string} */ reason) {
    const booting = this.booting;
    const next = booting?.fallbacks.shift();
    if (!booting || !next) {
      this.booting = null;
      this.showMessage(t('msg.could_not_start', { reason: capitalise(reason) }), 'error', false);
      return;
    }
    this.state = next.state;
    booting.id = this.post({ type: 'init', state: next.state });
    this.showMessage(t('msg.fallback', { reason: capitalise(reason), note: next.note }), 'error', false);
    this.errorId = booting.id;
  }

  /**
   * Applies an encoded state (a link's s=, the state attribute); a state of imported data
   * imports the data its source names first (d=, when that is not the data shown already).
   * @param {string} text
   * @param {string | null} [sourceText]
   */
  async loadEncoded(text, sourceText = null) {
    const wasm = this.wasm;
    if (!wasm) return;
    /** @type {State} */
    let state;
    try {
      state = wasm.checkState(decodeState(text));
    } catch (err) {
      this.showMessage(t('msg.left_as_it_was', { reason: capitalise(wordError(/** @type {Error} */ (err))) }), 'error', false);
      return;
    }
    const current = this.source ? encodeSource(this.source) : null;
    if (state.data.kind === 'custom' && sourceText && sourceText !== current) {
      const source = decodeSource(sourceText);
      const data = source ? await loadSource(source, async (bytes) => (await readCsv(bytes)).summary) : null;
      if (!source || !data) {
        this.showMessage(notKept(source), 'warning', true);
        return;
      }
      this.postImport(data, Promise.resolve(source));
    }
    this.configure(state);
  }

  // ---- worker ----------------------------------------------------------------------------

  /** Sends a request to the worker; returns its id. */
  post(/** @type {Request} */ request) {
    return this.client.post(request);
  }

  /**
   * Asks the worker to import data; `source` (where the data comes from, for links) is known
   * when the import has succeeded.
   * @param {ImportChoice} choice
   * @param {Promise<Source>} source
   */
  postImport(choice, source) {
    this.importName = choice.name;
    const id = this.post({ type: 'import', bytes: choice.bytes, xColumns: choice.xColumns, target: choice.target, hint: choice.hint });
    this.importing = { id, source, kept: keptNote(choice) };
  }

  /** The worker died (terminated, crashed, out of memory): a new one starts from the last good state. */
  restartWorker() {
    this.pause();
    this.failPredictions();
    this.parts?.cv.finish();
    this.parts?.tune.lostData();
    this.parts?.compress.lost();
    this.parts?.timeMachine.lost();
    const now = Date.now();
    this.restarts = [...this.restarts.filter((t) => now - t < 60000), now];
    if (this.restarts.length > 3) {
      this.showMessage(t('msg.worker_keeps_stopping'), 'error');
      return;
    }
    const state = this.snapshot?.state ?? this.state;
    this.client.start();
    if (!state) return;
    const said = t('msg.worker_restarted');
    if (state.data.kind === 'custom' && this.source) {
      // The new worker needs the imported data again: from where it came (it is still here).
      this.bootImported(state, encodeSource(this.source)).then((id) => {
        this.showMessage(said, 'error');
        this.errorId = id;
      });
      return;
    }
    const id = this.boot(state);
    this.showMessage(said, 'error');
    this.errorId = id;
  }

  /** Replies other than snapshots and errors: imports, CSV downloads, cross-validation. */
  onOtherReply(/** @type {WorkerReply} */ msg) {
    if (msg.type === 'imported') {
      const importing = this.importing;
      if (importing?.id === msg.id) {
        this.importNote = importNote(msg.report, this.importName ?? t('data.csv.the_file'), importing.kept);
        importing.source.then((source) => {
          if (this.importing !== importing) return;
          this.importing = null;
          this.source = source;
          this.scheduleHash();
        }, () => {});
      }
    } else if (msg.type === 'cv') {
      this.parts?.cv.progress(msg);
    } else if (msg.type === 'compare') {
      this.parts?.compress.received(msg);
    } else if (msg.type === 'pinned') {
      this.parts?.timeMachine.received(msg);
    } else if (msg.type === 'compress-curve') {
      this.parts?.compress.receivedCurve(msg);
    } else if (msg.type === 'tune-data') {
      this.parts?.tune.received(msg);
    } else if (msg.type === 'csv') {
      this.download(new Blob([msg.text], { type: 'text/csv' }), 'ml-playground-data.csv');
    } else if (msg.type === 'model-file') {
      this.parts?.lesson.noteAction('export');
      const text = `${JSON.stringify(msg.file, null, 1)}\n`;
      this.download(new Blob([text], { type: 'application/json' }), `ml-playground-${msg.file.model.kind}.json`);
    } else if (msg.type === 'python') {
      this.parts?.lesson.noteAction('export');
      this.copyPython(msg.text, msg.kind);
    } else if (msg.type === 'predictions') {
      this.answerPredictions(msg);
    } else if (msg.type === 'onnx') {
      this.parts?.lesson.noteAction('onnx');
      this.download(new Blob([/** @type {Uint8Array<ArrayBuffer>} */ (msg.bytes)], { type: 'application/octet-stream' }), `ml-playground-${msg.kind}.onnx`);
    }
  }

  /** Copies the Python script to the clipboard; where the page may not, downloads it. */
  async copyPython(/** @type {string} */ text, /** @type {string} */ kind) {
    const lines = text.split('\n').length;
    try {
      await navigator.clipboard.writeText(text);
      this.showMessage(t('export.python.copied', { lines }), 'info', true);
    } catch {
      this.download(new Blob([text], { type: 'text/x-python' }), `ml-playground-${kind}.py`);
      this.showMessage(t('export.python.saved', { lines }), 'info', true);
    }
  }

  /** Downloads every drawn canvas (plot, diagram, charts) as a PNG at device resolution. */
  async savePictures() {
    const root = /** @type {ShadowRoot} */ (this.shadowRoot);
    const shown = pictures(root);
    for (const { canvas, name } of shown) this.download(await png(canvas), `ml-playground-${name}.png`);
    this.showMessage(t('export.png.saved', { n: shown.length }), 'info', true);
  }

  /**
   * Saves the plot, the loss chart and every chart shown (the diagram, the views beside the plot,
   * the tuning, cross-validation and compression charts) as SVG, one file each named as Save
   * pictures names its PNG (plotters' SVG backend: text stays text, in the page's language). The
   * plot's decision surface goes in as a PNG image under the points; a canvas of raw pixels (a
   * neuron's thumbnail) has no SVG and is left out.
   */
  saveSvg() {
    const parts = this.parts;
    const wasm = this.wasm;
    if (!wasm || !this.snapshot || !this.state || !parts) return;
    const { dom, painter } = parts;
    const ratio = dpr();
    const surface = this.snapshot.surface && painter.surfaceCanvas ? painter.surfaceCanvas.toDataURL('image/png') : undefined;
    const snapshot = this.snapshot;
    const logLoss = Boolean(this.state.view.log_loss);
    try {
      /** @type {{ name: string, text: string }[]} */
      const files = [];
      for (const { canvas, name } of pictures(/** @type {ShadowRoot} */ (this.shadowRoot))) {
        const text = canvas === dom.plot
          ? wasm.sceneSvg({ ...snapshot.scene, highlight: null }, canvas.width, canvas.height, ratio, surface)
          : canvas === dom.loss
            ? wasm.lossSvg(snapshot.history, canvas.width, canvas.height, ratio, logLoss)
            : viewSvg(wasm, canvas);
        if (text != null) files.push({ name, text });
      }
      for (const { name, text } of files) this.download(new Blob([text], { type: 'image/svg+xml' }), `ml-playground-${name}.svg`);
      this.showMessage(t('export.svg.saved', { n: files.length }), 'info', true);
    } catch (err) {
      this.showMessage(capitalise(wordError(/** @type {Error} */ (err))), 'error', true);
    }
  }

  /** Saves `blob` as a file called `name` (the browser's download). */
  download(/** @type {Blob} */ blob, /** @type {string} */ name) {
    const url = URL.createObjectURL(blob);
    const a = Object.assign(document.createElement('a'), { href: url, download: name });
    this.shadowRoot?.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /**
   * Opens a model file (Open model, or a .json file dropped on the plot): the worker checks it
   * against the current data and, when it fits, makes it the model; otherwise it says why and
   * nothing changes.
   * @param {Blob & { name: string }} file
   */
  async openModelFile(file) {
    this.pause();
    let parsed;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      this.showMessage(t('export.refused', { name: file.name, reason: t('export.not_json') }), 'error', true);
      return;
    }
    const id = this.post({ type: 'open-model', file: parsed });
    this.openingModel = { id, name: file.name };
  }

  /**
   * The worker's answer. The first one's plot (points and model) is drawn at once and alone, so
   * the frame that paints it does not wait for the panels, the charts and the text (~40 % of the
   * drawing, 4× that on a slow phone); those follow once that frame is painted (`finishFirst`,
   * counted in `inflight` until then, and run first if another answer comes sooner).
   * @param {Snapshot} msg @param {{ type: string, surface: [number, number] | null } | undefined} sent
   */
  onSnapshot(msg, sent) {
    this.finishFirst?.();
    const parts = this.parts;
    if (this.snapshot || !parts || !this.wasm) {
      this.showSnapshot(msg, sent, !this.snapshot);
      return;
    }
    this.snapshot = msg;
    this.state = msg.state;
    const failure = parts.painter.drawPlot(this.wasm, msg, { highlighted: null, plotHover: null, diagramHover: null }, dpr());
    if (failure) this.showMessage(failure, 'error');
    const finish = () => {
      if (this.finishFirst !== finish) return;
      this.finishFirst = null;
      this.showSnapshot(msg, sent, true);
    };
    this.finishFirst = finish;
    // (a frame callback runs before the frame is painted; a task queued from it, after)
    requestAnimationFrame(() => setTimeout(finish, 0));
  }

  /** @param {Snapshot} msg @param {{ type: string, surface: [number, number] | null } | undefined} sent @param {boolean} first */
  showSnapshot(msg, sent, first) {
    const { type: request, surface: askedSurface } = sent ?? {};
    if (this.booting && msg.id >= this.booting.id) this.booting = null;
    if (first) this.setLoading(null);
    if (first) this.announceService();
    this.snapshot = msg;
    this.state = msg.state;
    if (msg.state.data.kind !== 'custom') this.source = null;
    this.syncControls();
    this.draw();
    this.updateReadout();
    // The answer to a request that failed keeps the failure on screen.
    const m = msg.report.message;
    if (msg.id === this.errorId) {
      // leave the error shown
    } else if (m) this.showMessage(capitalise(wordError(m)), m.kind === 'diverged' ? 'error' : 'warning', false);
    else if (this.openingModel?.id === msg.id) {
      this.showMessage(t('export.opened', { name: this.openingModel.name }), 'info', true);
      this.openingModel = null;
    } else if (this.importNote && request === 'import') {
      this.showMessage(this.importNote, 'info');
      this.importNote = null;
    } else if (!['step', 'import', 'snapshot', 'save-model', 'onnx', 'python', 'compress-onnx', 'compress-python'].includes(request ?? '')) this.clearMessage(); // (exports only read the model: their note stays)
    if (!msg.report.can_train && this.playing) this.pause();
    // The request went out before the data became classes (an import, a dataset change): ask
    // once more, now with the decision surface the new task needs.
    if (!askedSurface && !msg.surface && this.surfaceSize() && !this.playing) this.post({ type: 'snapshot' });
    this.parts?.lesson.update(msg.report, msg.state);
    this.scheduleHash();
    this.parts?.input.flushMove();
    this.dispatchEvent(new CustomEvent('snapshot', { detail: msg.report }));
  }

  configure(/** @type {State} */ next) {
    this.state = next;
    this.post({ type: 'configure', state: next });
  }

  // ---- transport -------------------------------------------------------------------------

  play() {
    if (this.playing || !this.state) return;
    this.playing = true;
    this.setPlayButton(true);
    this.loop();
  }

  /** Play's loop: a step per frame when the last one is answered; it stops (Play stays on) when
   * the element leaves the screen or its tab is hidden, and `resumePlay` starts it again. */
  loop() {
    cancelAnimationFrame(this.raf);
    const tick = () => {
      this.raf = 0;
      if (!this.playing || !this.state || !this.onScreen) return;
      if (this.inflight === 0) this.post({ type: 'step', epochs: this.state.steps_per_frame });
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  pause() {
    const was = this.playing;
    this.playing = false;
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    if (was && this.state && isClassification(this.state, this.snapshot?.scene)) this.post({ type: 'snapshot' });
    this.setPlayButton(false);
  }

  setPlayButton(/** @type {boolean} */ on) {
    const b = this.parts?.dom.play;
    if (!b) return;
    // (the tooltip says the key; readout.js sets it with the report)
    b.textContent = t(on ? 'page.pause' : 'page.play');
    b.setAttribute('aria-pressed', String(on));
  }

  step() {
    this.post({ type: 'step', epochs: this.state?.steps_per_frame ?? 1 });
  }

  reset() {
    this.pause();
    this.post({ type: 'reset' });
  }

  // ---- the prediction service (predict-service.js) --------------------------------------

  /**
   * Answers a `{ type: 'predict', id, rows }` message from another window (or this page) when this
   * element is the service it asks: the first element with `allow-origins`, or the one whose id
   * the message names. Only a listed origin gets predictions; every refusal is an error reply,
   * and nothing of the element changes.
   * @param {MessageEvent} event
   */
  answerPredict(event) {
    const msg = event.data;
    if (!msg || typeof msg !== 'object' || msg.type !== 'predict' || !this.hasAttribute('allow-origins')) return;
    if (msg.element != null ? msg.element !== this.id : document.querySelector('ml-playground[allow-origins]') !== this) return;
    const source = /** @type {Window | null} */ (event.source);
    if (!source || typeof source.postMessage !== 'function') return;
    const origin = event.origin;
    const id = msg.id ?? null;
    const reply = (/** @type {Record<string, unknown>} */ data) => {
      try {
        source.postMessage({ ...data, id }, origin);
      } catch {
        // the caller's window is gone, or its origin is opaque: nobody to answer
      }
    };
    const fail = (/** @type {string} */ code, /** @type {Record<string, unknown>} */ values = {}, message = '') =>
      reply({ type: 'predict-error', code, values, message: wordError({ code, values, message }) });
    if (!allowedOrigins(this.getAttribute('allow-origins')).has(origin)) return fail('predict_origin', { origin });
    let rows;
    try {
      rows = rowsMatrix(msg.rows);
    } catch (err) {
      if (err instanceof PredictError) return fail(err.code, err.values);
      throw err;
    }
    this.wake();
    if (!this.snapshot || !this.client.worker) return fail('predict_not_ready');
    if (rows.n === 0) return reply(this.predictionReply(new Float64Array(0), 0));
    const wid = this.client.newId();
    this.predicting.set(wid, { reply, id, n: rows.n });
    this.client.send({ type: 'predict', id: wid, x: rows.x, features: rows.features }, [rows.x.buffer]);
  }

  /** The worker's predictions (or its error, worded) go back to the window that asked. */
  answerPredictions(/** @type {{ id: number, values?: Float64Array, error?: import('./types.js').WasmError }} */ msg) {
    const job = this.predicting.get(msg.id);
    if (!job) return;
    this.predicting.delete(msg.id);
    if (msg.error || !msg.values) {
      const e = msg.error ?? { message: 'no predictions' };
      job.reply({ type: 'predict-error', code: e.code ?? 'internal', values: e.values ?? {}, message: wordError(e) });
    } else job.reply(this.predictionReply(msg.values, job.n));
  }

  /** A predictions reply: the rows' values, with the task and the class names. */
  predictionReply(/** @type {Float64Array} */ values, /** @type {number} */ n) {
    const classification = Boolean(this.state && isClassification(this.state, this.snapshot?.scene));
    const k = n ? values.length / n : 0;
    const names = this.snapshot?.report.class_names ?? [];
    return {
      type: 'predictions',
      task: classification ? 'classification' : 'regression',
      classes: classification ? Array.from({ length: k }, (_, c) => names[c] ?? `class ${c}`) : null,
      values: predictionRows(values, n),
    };
  }

  /** The worker is gone: the predictions it was asked for will not come. */
  failPredictions() {
    for (const job of this.predicting.values()) {
      const code = 'predict_not_ready';
      job.reply({ type: 'predict-error', code, values: {}, message: wordError({ code, values: {} }) });
    }
    this.predicting.clear();
  }

  /** In an iframe, tells the parent window (each allowed origin) that predictions can be asked for. */
  announceService() {
    if (this.announced || !this.hasAttribute('allow-origins') || window.parent === window) return;
    this.announced = true;
    for (const origin of allowedOrigins(this.getAttribute('allow-origins'))) {
      window.parent.postMessage({ type: 'ml-playground-ready', element: this.id || null }, origin);
    }
  }

  // ---- embed code ------------------------------------------------------------------------

  /** Shows the HTML that puts this picture on another page (the script tag and the element's tag). */
  showEmbedCode() {
    if (!this.state || !this.shadowRoot) return;
    /** @type {Record<string, string>} */
    const attributes = {};
    for (const name of ['compact', 'controls']) {
      const value = this.getAttribute(name);
      if (value != null) attributes[name] = value;
    }
    const code = embedCode({ state: this.state, source: this.source, lang: language(), attributes });
    const note = this.state.data.kind === 'custom' && this.source?.kind === 'file' ? t('embed.note.file') : null;
    showEmbedDialog(this.shadowRoot, code, note, (text) => navigator.clipboard.writeText(text));
  }

  // ---- language --------------------------------------------------------------------------

  /**
   * Shows the page in `lang`: the catalog, the settings (the data and view sections, and the model
   * controls from the wasm's descriptor), the static text, the canvases' words; then redraws. The
   * element's `lang` follows, and for a sync-url element the page's `<html lang>` and its own
   * labelled text (`[data-i18n]` in the document) and the link's `lang=`.
   * @param {import('./i18n.js').Language} lang
   */
  useLanguage(lang) {
    // A language's catalog is loaded when first chosen: the page speaks it once it has come
    // (unless another was chosen meanwhile); a failed load is said, in the language shown.
    this.wantedLanguage = lang;
    if (!hasLanguage(lang)) {
      loadLanguage(lang).then(
        () => { if (this.wantedLanguage === lang) this.useLanguage(lang); },
        () => { if (this.wantedLanguage === lang) this.showMessage(t('msg.language_failed'), 'error', true); },
      );
      return;
    }
    setLanguage(lang);
    labelControls();
    const parts = this.parts;
    if (this.wasm) {
      useDescriptor(this.wasm.models());
      this.wasm.setCanvasWords(canvasWords(this.wasm.canvasWords()));
    }
    if (this.getAttribute('lang') !== lang) this.setAttribute('lang', lang);
    if (this.hasAttribute('sync-url')) {
      document.documentElement.lang = lang === 'zh' ? 'zh-CN' : lang;
      labelStatic(document);
      const title = document.querySelector('title[data-i18n]');
      if (title) document.title = title.textContent ?? '';
    }
    if (!parts) return;
    parts.help.close();
    labelStatic(parts.dom.app);
    relabelHelp(parts.dom.app);
    parts.dom.langEn.setAttribute('aria-pressed', String(lang === 'en'));
    parts.dom.langZh.setAttribute('aria-pressed', String(lang === 'zh'));
    parts.panel.rebuild();
    parts.lesson.relabel();
    parts.cv.relabel();
    parts.tune.relabel();
    parts.compress.relabel();
    parts.timeMachine.relabel();
    this.setPlayButton(this.playing);
    if (!this.snapshot) return;
    this.syncControls();
    this.updateReadout();
    this.draw();
    this.scheduleHash();
  }

  // ---- UI --------------------------------------------------------------------------------

  /**
   * Which panels show: a `controls` attribute names them (`data`, `model`, `view`: the settings'
   * sections; `results`; `tune`; `compress`), a `compact` element shows only those named (none: the figure
   * alone, 400 px tall), and otherwise every panel shows. A name not known is said in a message.
   */
  applyLayout() {
    const parts = this.parts;
    if (!parts) return;
    const { dom } = parts;
    const named = this.getAttribute('controls');
    const words = (named ?? '').split(/[\s,]+/).filter(Boolean).map((w) => w.toLowerCase());
    const unknown = words.filter((w) => !PANELS.includes(w));
    /** @type {Set<string> | null} */
    const panels = named != null || this.hasAttribute('compact') ? new Set(words) : null;
    parts.panel.showSections(panels);
    dom.controls.classList.toggle('off', Boolean(panels && !['data', 'model', 'view'].some((p) => panels.has(p))));
    dom.results.classList.toggle('off', Boolean(panels && !panels.has('results')));
    dom.tune.classList.toggle('off', Boolean(panels && !panels.has('tune')));
    dom.compress.classList.toggle('off', Boolean(panels && !panels.has('compress')));
    // (their wrapper under the plot too, when neither shows: an empty grid cell still takes a gap)
    dom.tune.parentElement?.classList.toggle('off', Boolean(panels && !panels.has('tune') && !panels.has('compress')));
    dom.app.classList.toggle('figure', Boolean(panels));
    if (unknown.length) {
      this.showMessage(t('msg.attribute', { name: 'controls', text: named ?? '', error: t('embed.controls.unknown', { names: unknown.join(', '), known: PANELS.join(', ') }) }), 'error', true);
    }
  }

  render() {
    this.parts = buildParts(this, /** @type {ShadowRoot} */ (this.shadowRoot));
    this.setLoading(t('page.loading'));
  }

  /** Until the worker has answered, the controls are disabled under a note (null: ready). */
  setLoading(/** @type {string | null} */ note) {
    if (this.parts) setLoading(this.parts.dom, note);
  }

  syncControls() {
    const parts = this.parts;
    if (!parts || !this.state) return;
    parts.panel.sync(this.state, this.snapshot);
    parts.dom.spf.value = String(this.state.steps_per_frame);
    parts.classes.show(this.snapshot?.scene.n_classes ?? 0, this.snapshot?.report?.class_names ?? []);
    showGrowTools(parts.dom.grow, this.state, (growth) => this.post({ type: 'grow', growth }));
    parts.cv.sync();
    parts.tune.sync();
    parts.compress.sync();
    parts.timeMachine.sync();
  }

  updateReadout() {
    if (!this.parts || !this.snapshot || !this.state) return;
    showReport(this.parts.dom, this.snapshot.report, this.state);
    this.describeCanvases();
  }

  /** The canvases' text alternatives: what the plot and the loss chart show, in words. */
  describeCanvases() {
    const parts = this.parts;
    const snapshot = this.snapshot;
    if (!parts || !snapshot || !this.state) return;
    const { dom } = parts;
    const state = this.state;
    const dataKey = `data.kind.${state.data.kind}`;
    const data = state.data.kind === 'custom' ? (this.importName ?? t('data.kind.custom')) : t(dataKey);
    const names = snapshot.report.class_names ?? [];
    const classes = names.length ? ` (${names.map((_, c) => className(names, c)).join(', ')})` : '';
    dom.plot.setAttribute('aria-label', t('page.plot', { data: `${data}${classes}`, points: snapshot.report.n_points, model: t(`family.${state.model.kind}`) }));
    dom.loss.setAttribute('aria-label', t(/** @type {{ refits?: boolean }} */ (snapshot.history).refits ? 'page.loss_refits' : 'page.loss', { loss: lossName(snapshot.report.loss_name) }));
  }

  /** Shows a message over the plot; a dismissable one has a button that hides it. */
  showMessage(/** @type {string} */ text, /** @type {Level} */ level = 'warning', dismissable = false, fromWasm = false) {
    if (this.parts) showMessage(this.parts.dom, text, level, dismissable, fromWasm);
  }

  clearMessage() {
    if (this.parts) this.parts.dom.message.hidden = true;
  }

  // ---- drawing ---------------------------------------------------------------------------

  /** The decision surface's size in pixels: the plot at full device resolution when still,
   * at CSS resolution (capped) while playing so frames stay fast; null for regression (unless the
   * model clusters: its surface is coloured by cluster on any data).
   * @returns {[number, number] | null} */
  surfaceSize() {
    if (!this.state || !this.wasm || !this.parts) return null;
    if (!isClassification(this.state, this.snapshot?.scene) && !isClustering(this.state.model.kind)) return null;
    const c = this.parts.dom.plot;
    if (!c.width) return null;
    const ratio = dpr();
    const { plot } = this.wasm.layout(c.width, c.height, ratio);
    let w = plot[2] - plot[0];
    let h = plot[3] - plot[1];
    if (this.playing || this.parts.input.drag) {
      const scale = Math.min(1 / ratio, Math.sqrt(160000 / (w * h)));
      if (scale < 1) {
        w = Math.round(w * scale);
        h = Math.round(h * scale);
      }
    }
    return w >= 2 && h >= 2 ? [Math.min(w, LIMITS.surfaceSide), Math.min(h, LIMITS.surfaceSide)] : null;
  }

  curveSamples() {
    const c = this.parts?.dom.plot;
    return c ? Math.min(LIMITS.curveSamples, Math.max(64, c.width)) : 512;
  }

  resize() {
    if (!this.parts) return;
    const ratio = dpr();
    fitCanvas(this.parts.dom.plot, ratio);
    fitCanvas(this.parts.dom.loss, ratio);
    this.draw();
    this.parts.compress.resize();
    this.parts.timeMachine.resize();
  }

  draw() {
    const parts = this.parts;
    if (!this.wasm || !this.snapshot || !this.state || !parts) return;
    const { input } = parts;
    const failure = parts.painter.draw(this.wasm, this.snapshot, this.state, {
      highlighted: input.highlighted(),
      plotHover: input.plotHover,
      diagramHover: input.diagramHover,
    }, dpr());
    if (failure) this.showMessage(failure, 'error');
    else input.drawCursor(dpr());
    parts.formula.update(this.snapshot, this.state, this.state.model.kind === 'tree' ? parts.painter.treeLeaf : null,
      { wasm: /** @type {any} */ (this.wasm), hover: input.diagramHover, point: input.plotHover });
  }

  // ---- links -----------------------------------------------------------------------------

  /** This element's keys in the URL's hash, or null when it has none (see links.js). */
  hashKeys() {
    return hashKeys(this.hasAttribute('sync-url'), this.id);
  }

  /** The hash entries that reproduce this element. */
  hashEntries() {
    const keys = this.hashKeys();
    if (!keys || !this.state) return {};
    const entries = hashEntries(keys, this.state, this.source, language());
    // the page's own playground names its lesson and step (`#lesson=linear&step=2`)
    if (keys.state === 's') {
      const position = this.parts?.lesson.position;
      entries.lesson = position?.lesson ?? null;
      entries.step = position ? String(position.step) : null;
    }
    return entries;
  }

  /** A link that reproduces this element's picture (other elements' entries in the hash are kept). */
  link() {
    const url = new URL(location.href);
    url.hash = withHashParams(url.hash, this.hashEntries());
    return url.toString();
  }

  scheduleHash() {
    this.urlSync?.schedule();
  }

  async copyLink() {
    const url = this.link();
    try {
      await navigator.clipboard.writeText(url);
      this.showMessage(t('page.copied'), 'info');
    } catch {
      this.showMessage(t('page.copy_this', { url }), 'info');
    }
  }
}

if (!customElements.get('ml-playground')) customElements.define('ml-playground', MlPlayground);
