// @ts-check
// The element's parts, made once it is connected: the shadow DOM from the template, the settings
// panel, the CSV chooser, the plot's input, the painter, the class picker, cross-validation, tuning and
// the compress panel, the toolbar's buttons, each wired to the element (the host) that owns the state and the worker.
import { renderTemplate } from './template.js';
import { ControlPanel } from './control-panel.js';
import { PlotInput } from './plot-input.js';
import { Painter } from './views.js';
import { FormulaView } from './formula-view.js';
import { ClassPicker } from './readout.js';
import { CsvChooser } from './csv-chooser.js';
import { CvPanel } from './cv-panel.js';
import { TunePanel } from './tune-panel.js';
import { CompressPanel } from './compress-panel.js';
import { TimeMachinePanel } from './time-machine.js';
import { isClassification } from './controls.js';
import { isClustering } from './models.js';
import { setSetting } from './state-edits.js';
import { sourceOf } from './data-source.js';
import { readCsv } from './csv-reader.js';
import { clone } from './util.js';
import { HelpPopover } from './help.js';
import { LessonRunner } from './lesson-runner.js';
import { loadLanguage } from './i18n.js';

/** @typedef {import('./types.js').State} State */
/** @typedef {import('./ml-playground.js').MlPlayground} Host */

/**
 * Makes the parts inside `root`, wired to `host`.
 * @param {Host} host
 * @param {ShadowRoot} root
 */
export function buildParts(host, root) {
  const { dom, styled } = renderTemplate(root);
  const csv = new CsvChooser({
    read: (bytes) => readCsv(bytes),
    importData: (choice) => host.postImport(choice, sourceOf(choice)),
    download: () => host.post({ type: 'export' }),
    fail: (text) => host.showMessage(text, 'error', false, true),
    // The previous file's error does not stay over the next file's chooser.
    // (and on a phone, the chooser's group opens to show it)
    opened: () => {
      host.clearMessage();
      panel.reveal(csv.panel);
    },
  });
  const panel = new ControlPanel(dom.controls, {
    state: () => /** @type {State} */ (host.state),
    snapshot: () => host.snapshot,
    commit: (path, value) => {
      if (!host.state) return;
      const next = clone(host.state);
      setSetting(next, path, value);
      host.configure(next);
    },
    configure: (next) => host.configure(next),
    csvRow: () => csv.row(),
  });
  const classes = new ClassPicker(dom.classes);
  const help = new HelpPopover(root, dom.app, () => host.state?.model.kind);
  const lesson = new LessonRunner(dom, {
    root,
    setState: (state) => host.setLessonState(state),
    changed: () => host.scheduleHash(),
  });
  const input = new PlotInput(
    {
      layout: () => host.layout,
      snapshot: () => host.snapshot,
      state: () => host.state,
      wasm: () => host.wasm,
      busy: () => host.inflight > 0,
      edit: (edit) => host.post({ type: 'edit', edit }),
      draw: () => host.draw(),
      chooseColumns: (bytes, name) => csv.chooseColumns(bytes, name),
      openModel: (file) => host.openModelFile(file),
      selectedClass: () => classes.selected,
    },
    dom.plot,
    dom.diagramCanvas,
    host,
  );
  const painter = new Painter(dom);
  painter.onThumbnailHover = (hover) => {
    input.diagramHover = hover;
    host.draw();
  };
  const cv = new CvPanel(dom, {
    classification: () => Boolean(host.state && isClassification(host.state, host.snapshot?.scene)),
    clustering: () => Boolean(host.state && isClustering(host.state.model.kind)),
    send: (msg) => host.client.send(msg),
    newId: () => host.client.newId(),
    wasm: () => host.wasm,
  });
  const tune = new TunePanel(dom, {
    state: () => host.state,
    classification: () => Boolean(host.state && isClassification(host.state, host.snapshot?.scene)),
    clustering: () => Boolean(host.state && isClustering(host.state.model.kind)),
    wasm: () => host.wasm,
    send: (msg) => host.client.send(msg),
    newId: () => host.client.newId(),
    configure: (next) => host.configure(next),
  });
  const compress = new CompressPanel(dom, {
    state: () => host.state,
    snapshot: () => host.snapshot,
    wasm: () => host.wasm,
    post: (request) => host.post(request),
    send: (msg) => host.client.send(msg),
    newId: () => host.client.newId(),
    configure: (next) => host.configure(next),
  });
  const timeMachine = new TimeMachinePanel(dom, {
    state: () => host.state,
    snapshot: () => host.snapshot,
    wasm: () => host.wasm,
    playing: () => host.playing,
    pause: () => host.pause(),
    post: (request) => host.post(request),
    send: (msg) => host.client.send(msg),
    newId: () => host.client.newId(),
  });
  dom.play.onclick = () => (host.playing ? host.pause() : host.play());
  dom.step.onclick = () => host.step();
  dom.reset.onclick = () => host.reset();
  dom.copy.onclick = () => {
    host.copyLink();
    lesson.noteAction('link');
  };
  dom.saveModel.onclick = () => host.post({ type: 'save-model' });
  dom.openModel.onclick = () => dom.modelInput.click();
  dom.exportOnnx.onclick = () => host.post({ type: 'onnx' });
  dom.copyPython.onclick = () => host.post({ type: 'python' });
  dom.savePng.onclick = () => host.savePictures();
  dom.saveSvg.onclick = () => host.saveSvg();
  dom.copyEmbed.onclick = () => host.showEmbedCode();
  dom.modelInput.onchange = () => {
    const file = dom.modelInput.files?.[0];
    dom.modelInput.value = '';
    if (file) host.openModelFile(file);
  };
  dom.langEn.onclick = () => host.useLanguage('en');
  dom.langZh.onclick = () => host.useLanguage('zh');
  // (its catalog is fetched when first chosen: from the pointer's arrival on, to be there by the click)
  dom.langZh.onpointerenter = () => void loadLanguage('zh').catch(() => {});
  // An embedded element without an id has no key of its own in the URL, so no link reproduces it.
  dom.copy.hidden = !host.hashKeys();
  dom.spf.onchange = () => {
    if (!host.state) return;
    const next = clone(host.state);
    next.steps_per_frame = Number(dom.spf.value);
    host.configure(next);
  };
  // Shortcuts, anywhere in the element but in a field or on a button: Space plays or pauses,
  // S steps, R resets (the buttons' tooltips say so).
  root.addEventListener('keydown', (event) => {
    const e = /** @type {KeyboardEvent} */ (event);
    const target = /** @type {HTMLElement} */ (e.target);
    if (e.altKey || e.ctrlKey || e.metaKey || target.closest('input, select, textarea, button, summary')) return;
    const key = e.key.toLowerCase();
    if (key === ' ' && !dom.play.disabled) dom.play.click();
    else if (key === 's' && !dom.step.disabled) dom.step.click();
    else if (key === 'r' && !dom.reset.disabled) dom.reset.click();
    else return;
    e.preventDefault();
  });
  // The stylesheet decides the layout (one column when the element is narrow, as on a phone);
  // the settings' groups follow it: all open beside the plot, the model's only under it.
  const followLayout = () => {
    const columns = getComputedStyle(dom.app).gridTemplateColumns;
    if (columns && columns !== 'none') panel.setNarrow(columns.trim().split(/\s+/).length === 1);
  };
  const resizeObserver = new ResizeObserver((entries) => {
    followLayout();
    // (the app's size alone changes with its content: the canvases are redrawn when theirs does)
    if (entries.some((e) => e.target !== dom.app)) host.resize();
  });
  resizeObserver.observe(dom.app);
  resizeObserver.observe(dom.plot);
  resizeObserver.observe(dom.loss);
  const formula = new FormulaView(dom);
  return { dom, panel, input, painter, formula, classes, csv, cv, tune, help, lesson, compress, timeMachine, resizeObserver, styled };
}

/** @typedef {ReturnType<typeof buildParts>} Parts */
