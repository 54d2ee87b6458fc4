// @ts-check
// The element's shadow DOM: its markup (built as nodes; static text from the catalog, everything
// from data added later with textContent) and typed references to the parts the modules use.

import { t } from './i18n.js';
import { helpButton } from './help.js';
import { lessonMarkup } from './lesson-runner.js';

const STYLESHEET = new URL('./ml-playground.css', import.meta.url).href;

/**
 * An element with attributes (not properties: `data-*`, `aria-*`, `role`…) and children.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | boolean>} [attrs] `true` sets an empty attribute
 * @param {(Node | string)[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== false) node.setAttribute(name, value === true ? '' : value);
  node.append(...children);
  return node;
}

/** Options of a select, one per value. */
const options = (/** @type {number[]} */ values, /** @type {number | null} */ selected = null) =>
  values.map((v) => el('option', { selected: v === selected }, String(v)));

/** A tuning picture: its canvas (hidden until there is something to draw) under a caption. */
const figure = (/** @type {string} */ id, /** @type {string} */ key) =>
  el('figure', { class: 'tune-figure' },
    el('figcaption', { id: `${id}-caption`, 'data-i18n': key }),
    el('canvas', { id, class: 'view-chart', hidden: true, role: 'img', 'data-i18n-aria': key }));

// Static text carries its catalog key: `data-i18n` (text), `data-i18n-title`, `data-i18n-aria`
// (aria-label); `labelStatic` fills them in the page's language (again when it changes). The
// markup is built as nodes (no HTML parsing), so the page works under Trusted Types.
/** The element's markup. */
function markup() {
  const text = (/** @type {string} */ key) => el('span', { 'data-i18n': key });
  /** A "?" explaining `key`, named by the label under `nameKey` (relabelled with the page). */
  const help = (/** @type {string} */ key, nameKey = key) => helpButton(key, t(nameKey), nameKey);
  return [
    el('link', { rel: 'stylesheet', href: STYLESHEET }),
    el('div', { class: 'app', id: 'app', 'aria-busy': 'true' },
      el('section', { class: 'stage', id: 'stage', 'data-i18n-aria': 'page.training' },
        lessonMarkup(),
        el('div', { class: 'toolbar', role: 'toolbar', 'data-i18n-aria': 'page.training' },
          el('button', { id: 'reset', 'data-i18n': 'page.reset', 'data-i18n-title': 'page.reset.title', 'aria-keyshortcuts': 'R' }),
          el('button', { id: 'play', class: 'primary', 'aria-pressed': 'false', 'aria-keyshortcuts': 'Space' }),
          el('button', { id: 'step', 'data-i18n-title': 'page.step.title', 'aria-keyshortcuts': 'S' }),
          el('span', { class: 'epoch' }, text('page.epoch'), ' ', el('b', { id: 'epoch' }, '0'), ' ', help('page.epoch')),
          el('span', { class: 'spf' }, el('label', {}, text('page.steps_per_frame'), ' ', el('select', { id: 'spf' }, ...options([1, 2, 5, 10, 20, 50, 100, 500, 1000]))), help('page.steps_per_frame')),
          el('span', { class: 'spacer' }),
          el('span', { class: 'langs', role: 'group', 'data-i18n-aria': 'page.language' },
            el('button', { id: 'lang-en', type: 'button', lang: 'en', 'data-i18n-title': 'page.language.en', 'aria-pressed': 'false' }, 'EN'),
            el('button', { id: 'lang-zh', type: 'button', lang: 'zh', 'data-i18n-title': 'page.language.zh', 'aria-pressed': 'false' }, '中文')),
          el('button', { id: 'copy', 'data-i18n': 'page.copy', 'data-i18n-title': 'page.copy.title' })),
        el('p', { id: 'loading', class: 'loading', role: 'status' }),
        el('div', { class: 'canvas-wrap' }, el('canvas', { id: 'plot', role: 'img', tabindex: '0', 'data-i18n-aria': 'page.plot.empty' })),
        el('div', { class: 'under' },
          el('span', { id: 'classes', class: 'classes', hidden: true }),
          el('span', { id: 'grow', class: 'grow', hidden: true }),
          el('p', { class: 'hint', id: 'hint', 'data-i18n': 'page.hint' }),
          el('p', { class: 'hint', id: 'hint-keys', 'data-i18n': 'page.hint.keys' }),
          el('p', { class: 'hint', id: 'slice-note', hidden: true }),
          el('p', { class: 'hint', id: 'rings-note', hidden: true }),
          el('p', { class: 'sr-only', id: 'plot-status', 'aria-live': 'polite' })),
        el('div', { class: 'time-machine', id: 'tm', role: 'group', hidden: true, 'data-i18n-aria': 'tm.label' },
          el('label', { for: 'tm-range' }, text('tm.label')),
          el('input', { id: 'tm-range', type: 'range', min: '0', max: '0', step: '1', value: '0', 'data-i18n-aria': 'tm.range.aria' }),
          el('output', { id: 'tm-epoch', for: 'tm-range' }),
          help('tm.label'),
          el('button', { id: 'tm-now', type: 'button', disabled: true, 'data-i18n': 'tm.now', 'data-i18n-title': 'tm.now.title' }),
          el('button', { id: 'tm-pin', type: 'button', 'data-i18n': 'tm.pin', 'data-i18n-title': 'tm.pin.title' }),
          help('tm.pin'),
          el('p', { id: 'tm-note', class: 'hint', hidden: true, 'aria-live': 'polite' })),
        el('section', { id: 'tm-compare', class: 'tm-compare', hidden: true, 'aria-labelledby': 'tm-heading' },
          el('h2', { id: 'tm-heading' }),
          el('div', { class: 'compress-maps tm-maps' },
            ...['pinned', 'now', 'difference'].map((name) => el('figure', {},
              el('canvas', { id: `tm-map-${name}`, class: 'tm-map', role: 'img', 'data-i18n-aria': `tm.map.${name}.aria` }),
              el('figcaption', { id: `tm-caption-${name}` })))),
          el('p', { id: 'tm-status', class: 'note', 'aria-live': 'polite' }),
          el('div', { class: 'tune-table-wrap' }, el('table', { id: 'tm-table', class: 'metrics compress-table' })),
          el('button', { id: 'tm-unpin', type: 'button', 'data-i18n': 'tm.unpin' })),
        // (each formula scrolls sideways when wider than the stage: focusable, so a keyboard can scroll it)
        el('div', { class: 'maths', id: 'maths', role: 'group', hidden: true, 'data-i18n-aria': 'page.maths' },
          el('div', { class: 'tex', id: 'model-tex', tabindex: '0' }),
          el('div', { class: 'tex', id: 'path-tex', tabindex: '0', hidden: true }),
          el('div', { class: 'tex', id: 'training-tex', tabindex: '0', hidden: true })),
        el('div', { id: 'message', class: 'message', role: 'alert', hidden: true }),
        el('section', { id: 'diagram', class: 'diagram', hidden: true },
          el('h2', { id: 'diagram-title' }),
          el('canvas', { id: 'diagram-canvas', role: 'img' }),
          el('div', { id: 'thumbs', class: 'thumbs' }))),
      el('aside', { class: 'panel controls', id: 'controls', 'data-i18n-aria': 'page.settings' }),
      el('aside', { class: 'panel results', id: 'results', 'data-i18n-aria': 'page.results' },
        el('h2', {}, text('page.model'), ' ', help('page.model')),
        el('div', { class: 'formula', id: 'formula' }, '–'),
        el('div', { class: 'exports', role: 'group', 'data-i18n-aria': 'export.group' },
          el('button', { id: 'save-model', type: 'button', 'data-i18n': 'export.save', 'data-i18n-title': 'export.save.title' }),
          el('button', { id: 'open-model', type: 'button', 'data-i18n': 'export.open', 'data-i18n-title': 'export.open.title' }),
          el('button', { id: 'export-onnx', type: 'button', 'data-i18n': 'export.onnx', 'data-i18n-title': 'export.onnx.title' }),
          el('button', { id: 'copy-python', type: 'button', 'data-i18n': 'export.python', 'data-i18n-title': 'export.python.title' }),
          el('button', { id: 'save-png', type: 'button', 'data-i18n': 'export.png', 'data-i18n-title': 'export.png.title' }),
          el('button', { id: 'save-svg', type: 'button', 'data-i18n': 'export.svg', 'data-i18n-title': 'export.svg.title' }),
          help('export.svg'),
          el('button', { id: 'copy-embed', type: 'button', 'data-i18n': 'export.embed', 'data-i18n-title': 'export.embed.title' }),
          el('input', { id: 'model-input', type: 'file', accept: '.json,application/json', hidden: true, tabindex: '-1' })),
        el('table', { class: 'metrics' },
          el('thead', {}, el('tr', {}, ...['page.metric', 'page.train', 'page.test'].map((key) => el('th', { scope: 'col', 'data-i18n': key })))),
          el('tbody', { id: 'metrics' })),
        el('div', { id: 'confusion', class: 'confusion', hidden: true }),
        el('div', { id: 'views', class: 'views' }),
        el('h2', {}, text('page.loss_heading'), ' ', el('small', { id: 'loss-name' }), ' ', help('page.loss_heading')),
        el('canvas', { id: 'loss', class: 'loss', role: 'img' }),
        el('h2', {}, text('view.cv'), ' ', help('view.cv')),
        el('div', { class: 'cv' },
          el('label', {}, text('view.cv.folds'), ' ', el('select', { id: 'cv-k' }, ...options([2, 3, 4, 5, 6, 8, 10], 5))),
          el('label', {}, el('input', { type: 'checkbox', id: 'cv-strat', checked: true }), ' ', text('view.cv.stratified')),
          el('select', { id: 'cv-metric', 'data-i18n-aria': 'view.cv.metric', 'data-i18n-title': 'view.cv.metric' }),
          el('button', { id: 'cv-run', type: 'button' })),
        el('progress', { id: 'cv-progress', max: '1', value: '0', hidden: true, 'data-i18n-aria': 'view.cv.progress' }),
        el('p', { id: 'cv-result', class: 'note', 'aria-live': 'polite' }),
        el('canvas', { id: 'cv-chart', class: 'view-chart', hidden: true, role: 'img', 'data-i18n-aria': 'view.cv.chart' })),
      el('div', { class: 'lower' },
      el('section', { class: 'tune', id: 'tune', 'aria-labelledby': 'tune-heading' },
        el('h2', {}, el('span', { id: 'tune-heading', 'data-i18n': 'tune.heading' }), ' ', help('tune.heading')),
        el('p', { class: 'note', 'data-i18n': 'tune.hint' }),
        el('fieldset', { class: 'tune-params' },
          el('legend', { 'data-i18n': 'tune.params' }),
          el('div', { id: 'tune-params' }),
          el('p', { id: 'tune-none', class: 'note', hidden: true, 'data-i18n': 'tune.nothing_to_search' })),
        el('div', { class: 'cv tune-setup' },
          el('label', {}, text('tune.strategy'), ' ', el('select', { id: 'tune-strategy' })),
          el('label', {}, text('tune.trials'), ' ', el('input', { id: 'tune-trials', type: 'number', min: '1', max: '500', step: '1', value: '20' })),
          el('label', {}, text('view.cv.folds'), ' ', el('select', { id: 'tune-k' }, ...options([2, 3, 4, 5, 6, 8, 10], 5))),
          el('select', { id: 'tune-metric', 'data-i18n-aria': 'view.cv.metric', 'data-i18n-title': 'view.cv.metric' })),
        el('div', { class: 'cv tune-setup' },
          el('label', { 'data-i18n-title': 'tune.repeats.title' }, text('tune.repeats'), ' ', el('select', { id: 'tune-repeats' }, ...options([1, 2, 3, 5], 1))),
          el('label', { 'data-i18n-title': 'tune.prune.title' }, text('tune.prune'), ' ', el('select', { id: 'tune-prune' })),
          el('span', { id: 'tune-halving', class: 'tune-halving', hidden: true },
            el('label', { 'data-i18n-title': 'tune.halving.min_epochs.title' }, text('tune.halving.min_epochs'), ' ',
              el('input', { id: 'tune-min-epochs', type: 'number', min: '1', max: '10000', step: '1', value: '10' })),
            el('label', { 'data-i18n-title': 'tune.halving.eta.title' }, text('tune.halving.eta'), ' ', el('select', { id: 'tune-eta' }, ...options([2, 3, 4], 3)))),
          el('label', { 'data-i18n-title': 'tune.nested.title' }, el('input', { type: 'checkbox', id: 'tune-nested' }), ' ', text('tune.nested'))),
        el('div', { class: 'cv' },
          el('button', { id: 'tune-start', type: 'button', class: 'primary' }),
          el('button', { id: 'tune-best', type: 'button', disabled: true, 'data-i18n': 'tune.use_best', 'data-i18n-title': 'tune.use_best.title' })),
        el('progress', { id: 'tune-progress', max: '1', value: '0', hidden: true, 'data-i18n-aria': 'tune.progress' }),
        el('p', { id: 'tune-status', class: 'note', 'aria-live': 'polite' }),
        el('p', { id: 'tune-nested-result', class: 'note tune-nested', hidden: true, 'aria-live': 'polite' }),
        el('div', { class: 'cv tune-axes', id: 'tune-axes', hidden: true },
          el('label', {}, text('tune.axis.x'), ' ', el('select', { id: 'tune-axis-x' })),
          el('label', {}, text('tune.axis.y'), ' ', el('select', { id: 'tune-axis-y' }))),
        el('div', { class: 'tune-charts' },
          figure('tune-history', 'tune.history'),
          figure('tune-scatter', 'tune.scatter'),
          figure('tune-uncertainty', 'tune.uncertainty'),
          figure('tune-parallel', 'tune.parallel'),
          figure('tune-importance', 'tune.importance'),
          figure('tune-generations', 'tune.generations')),
        el('div', { class: 'tune-table-wrap' }, el('table', { id: 'tune-table', class: 'metrics tune-table', hidden: true }))),
      el('section', { class: 'compress', id: 'compress', 'aria-labelledby': 'compress-heading' },
        el('h2', { id: 'compress-heading', 'data-i18n': 'compress.heading' }),
        el('p', { class: 'note', 'data-i18n': 'compress.hint' }),
        el('p', { id: 'compress-none', class: 'note', hidden: true }),
        el('div', { class: 'cv compress-setup' },
          el('label', {}, text('compress.operation'), ' ', el('select', { id: 'compress-op' })),
          el('div', { id: 'compress-settings', class: 'compress-settings' })),
        el('fieldset', { class: 'compress-freeze', id: 'compress-freeze-box' },
          el('legend', { 'data-i18n': 'compress.freeze' }),
          el('div', { id: 'compress-freeze' })),
        el('div', { class: 'cv' },
          el('button', { id: 'compress-apply', type: 'button', class: 'primary', 'data-i18n': 'compress.apply', 'data-i18n-title': 'compress.apply.title' }),
          el('button', { id: 'compress-clear', type: 'button', disabled: true, 'data-i18n': 'compress.clear' }),
          el('button', { id: 'compress-export-onnx', type: 'button', disabled: true, 'data-i18n': 'compress.export_onnx', 'data-i18n-title': 'compress.export_onnx.title' }),
          el('button', { id: 'compress-copy-python', type: 'button', disabled: true, 'data-i18n': 'compress.copy_python', 'data-i18n-title': 'compress.copy_python.title' })),
        el('p', { id: 'compress-status', class: 'note', 'aria-live': 'polite' }),
        el('div', { id: 'compress-view', class: 'compress-view', hidden: true },
          el('div', { class: 'compress-maps' },
            ...['original', 'compressed', 'difference'].map((name) => el('figure', {},
              el('canvas', { id: `compress-map-${name}`, class: 'compress-map', role: 'img', 'data-i18n-aria': `compress.map.${name}.aria` }),
              el('figcaption', { 'data-i18n': `compress.map.${name}` })))),
          el('p', { id: 'compress-legend', class: 'note' }),
          el('div', { class: 'tune-table-wrap' }, el('table', { id: 'compress-table', class: 'metrics compress-table' })),
          el('p', { id: 'compress-changed', class: 'note' }),
          el('div', { id: 'compress-net', class: 'compress-net', hidden: true },
            el('h3', { 'data-i18n': 'compress.network' }),
            el('canvas', { id: 'compress-network', role: 'img', 'data-i18n-aria': 'compress.network' }),
            el('p', { id: 'compress-hover', class: 'note', 'aria-live': 'polite' }))),
        el('div', { class: 'cv compress-curves' },
          el('label', {}, text('compress.curve'), ' ', el('select', { id: 'compress-curve' })),
          el('button', { id: 'compress-curve-run', type: 'button', 'data-i18n': 'compress.curve.draw' })),
        el('canvas', { id: 'compress-curve-chart', class: 'view-chart', hidden: true, role: 'img', 'data-i18n-aria': 'compress.curve' })))),
  ];
}

/**
 * Puts the catalog's text (current language) into every element of `root` that names a key.
 * @param {ParentNode} root
 */
export function labelStatic(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(/** @type {string} */ (el.getAttribute('data-i18n')));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.setAttribute('title', t(/** @type {string} */ (el.getAttribute('data-i18n-title'))));
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(/** @type {string} */ (el.getAttribute('data-i18n-aria'))));
}

/**
 * The element of `root` with this id, checked to be of the expected class.
 * @template {HTMLElement} T
 * @param {ShadowRoot} root
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
function part(root, id, type) {
  const el = root.getElementById(id);
  if (!(el instanceof type)) throw new Error(`the page's markup has no ${type.name} #${id}`);
  return el;
}

/**
 * Fills `root` with the element's markup; resolves the parts, and a promise that settles when the
 * stylesheet has loaded (or failed to), so the first drawing has the final layout.
 * @param {ShadowRoot} root
 */
export function renderTemplate(root) {
  root.replaceChildren(...markup());
  labelStatic(root);
  const link = /** @type {HTMLLinkElement} */ (root.querySelector('link[rel=stylesheet]'));
  /** @type {Promise<void>} */
  const styled = new Promise((resolve) => {
    link.addEventListener('load', () => resolve(), { once: true });
    link.addEventListener('error', () => resolve(), { once: true });
  });
  const dom = {
    app: part(root, 'app', HTMLElement),
    loading: part(root, 'loading', HTMLElement),
    controls: part(root, 'controls', HTMLElement),
    results: part(root, 'results', HTMLElement),
    tune: part(root, 'tune', HTMLElement),
    stage: part(root, 'stage', HTMLElement),
    reset: part(root, 'reset', HTMLButtonElement),
    play: part(root, 'play', HTMLButtonElement),
    step: part(root, 'step', HTMLButtonElement),
    epoch: part(root, 'epoch', HTMLElement),
    spf: part(root, 'spf', HTMLSelectElement),
    copy: part(root, 'copy', HTMLButtonElement),
    langEn: part(root, 'lang-en', HTMLButtonElement),
    langZh: part(root, 'lang-zh', HTMLButtonElement),
    plot: part(root, 'plot', HTMLCanvasElement),
    classes: part(root, 'classes', HTMLElement),
    grow: part(root, 'grow', HTMLElement),
    sliceNote: part(root, 'slice-note', HTMLElement),
    ringsNote: part(root, 'rings-note', HTMLElement),
    message: part(root, 'message', HTMLElement),
    diagram: part(root, 'diagram', HTMLElement),
    diagramTitle: part(root, 'diagram-title', HTMLElement),
    diagramCanvas: part(root, 'diagram-canvas', HTMLCanvasElement),
    thumbs: part(root, 'thumbs', HTMLElement),
    formula: part(root, 'formula', HTMLElement),
    maths: part(root, 'maths', HTMLElement),
    modelTex: part(root, 'model-tex', HTMLElement),
    pathTex: part(root, 'path-tex', HTMLElement),
    trainingTex: part(root, 'training-tex', HTMLElement),
    saveModel: part(root, 'save-model', HTMLButtonElement),
    openModel: part(root, 'open-model', HTMLButtonElement),
    exportOnnx: part(root, 'export-onnx', HTMLButtonElement),
    copyPython: part(root, 'copy-python', HTMLButtonElement),
    savePng: part(root, 'save-png', HTMLButtonElement),
    saveSvg: part(root, 'save-svg', HTMLButtonElement),
    copyEmbed: part(root, 'copy-embed', HTMLButtonElement),
    modelInput: part(root, 'model-input', HTMLInputElement),
    metrics: part(root, 'metrics', HTMLElement),
    confusion: part(root, 'confusion', HTMLElement),
    views: part(root, 'views', HTMLElement),
    lossName: part(root, 'loss-name', HTMLElement),
    loss: part(root, 'loss', HTMLCanvasElement),
    cvK: part(root, 'cv-k', HTMLSelectElement),
    cvStrat: part(root, 'cv-strat', HTMLInputElement),
    cvMetric: part(root, 'cv-metric', HTMLSelectElement),
    cvRun: part(root, 'cv-run', HTMLButtonElement),
    cvProgress: part(root, 'cv-progress', HTMLProgressElement),
    cvResult: part(root, 'cv-result', HTMLElement),
    cvChart: part(root, 'cv-chart', HTMLCanvasElement),
    tuneParams: part(root, 'tune-params', HTMLElement),
    tuneNone: part(root, 'tune-none', HTMLElement),
    tuneStrategy: part(root, 'tune-strategy', HTMLSelectElement),
    tuneTrials: part(root, 'tune-trials', HTMLInputElement),
    tuneK: part(root, 'tune-k', HTMLSelectElement),
    tuneMetric: part(root, 'tune-metric', HTMLSelectElement),
    tuneStart: part(root, 'tune-start', HTMLButtonElement),
    tuneBest: part(root, 'tune-best', HTMLButtonElement),
    tuneProgress: part(root, 'tune-progress', HTMLProgressElement),
    tuneStatus: part(root, 'tune-status', HTMLElement),
    tuneHistory: part(root, 'tune-history', HTMLCanvasElement),
    tuneScatter: part(root, 'tune-scatter', HTMLCanvasElement),
    tuneScatterCaption: part(root, 'tune-scatter-caption', HTMLElement),
    tuneUncertainty: part(root, 'tune-uncertainty', HTMLCanvasElement),
    tuneParallel: part(root, 'tune-parallel', HTMLCanvasElement),
    tuneImportance: part(root, 'tune-importance', HTMLCanvasElement),
    tuneGenerations: part(root, 'tune-generations', HTMLCanvasElement),
    tuneAxes: part(root, 'tune-axes', HTMLElement),
    tuneAxisX: part(root, 'tune-axis-x', HTMLSelectElement),
    tuneAxisY: part(root, 'tune-axis-y', HTMLSelectElement),
    tuneRepeats: part(root, 'tune-repeats', HTMLSelectElement),
    tunePrune: part(root, 'tune-prune', HTMLSelectElement),
    tuneHalving: part(root, 'tune-halving', HTMLElement),
    tuneMinEpochs: part(root, 'tune-min-epochs', HTMLInputElement),
    tuneEta: part(root, 'tune-eta', HTMLSelectElement),
    tuneNested: part(root, 'tune-nested', HTMLInputElement),
    tuneNestedResult: part(root, 'tune-nested-result', HTMLElement),
    tuneTable: part(root, 'tune-table', HTMLTableElement),
    lesson: part(root, 'lesson', HTMLElement),
    lessonTitle: part(root, 'lesson-title', HTMLElement),
    lessonProgress: part(root, 'lesson-progress', HTMLElement),
    lessonText: part(root, 'lesson-text', HTMLElement),
    lessonTask: part(root, 'lesson-task', HTMLElement),
    lessonTaskText: part(root, 'lesson-task-text', HTMLElement),
    lessonStatus: part(root, 'lesson-status', HTMLElement),
    lessonBack: part(root, 'lesson-back', HTMLButtonElement),
    lessonNext: part(root, 'lesson-next', HTMLButtonElement),
    lessonExit: part(root, 'lesson-exit', HTMLButtonElement),
    tm: part(root, 'tm', HTMLElement),
    tmRange: part(root, 'tm-range', HTMLInputElement),
    tmEpoch: part(root, 'tm-epoch', HTMLOutputElement),
    tmNow: part(root, 'tm-now', HTMLButtonElement),
    tmPin: part(root, 'tm-pin', HTMLButtonElement),
    tmNote: part(root, 'tm-note', HTMLElement),
    tmCompare: part(root, 'tm-compare', HTMLElement),
    tmHeading: part(root, 'tm-heading', HTMLElement),
    tmMaps: ['pinned', 'now', 'difference'].map((name) => part(root, `tm-map-${name}`, HTMLCanvasElement)),
    tmCaptions: ['pinned', 'now', 'difference'].map((name) => part(root, `tm-caption-${name}`, HTMLElement)),
    tmStatus: part(root, 'tm-status', HTMLElement),
    tmTable: part(root, 'tm-table', HTMLTableElement),
    tmUnpin: part(root, 'tm-unpin', HTMLButtonElement),
    compress: part(root, 'compress', HTMLElement),
    compressNone: part(root, 'compress-none', HTMLElement),
    compressOp: part(root, 'compress-op', HTMLSelectElement),
    compressSettings: part(root, 'compress-settings', HTMLElement),
    compressFreezeBox: part(root, 'compress-freeze-box', HTMLFieldSetElement),
    compressFreeze: part(root, 'compress-freeze', HTMLElement),
    compressApply: part(root, 'compress-apply', HTMLButtonElement),
    compressClear: part(root, 'compress-clear', HTMLButtonElement),
    compressExportOnnx: part(root, 'compress-export-onnx', HTMLButtonElement),
    compressCopyPython: part(root, 'compress-copy-python', HTMLButtonElement),
    compressStatus: part(root, 'compress-status', HTMLElement),
    compressView: part(root, 'compress-view', HTMLElement),
    compressMaps: ['original', 'compressed', 'difference'].map((name) => part(root, `compress-map-${name}`, HTMLCanvasElement)),
    compressLegend: part(root, 'compress-legend', HTMLElement),
    compressTable: part(root, 'compress-table', HTMLTableElement),
    compressChanged: part(root, 'compress-changed', HTMLElement),
    compressNet: part(root, 'compress-net', HTMLElement),
    compressNetwork: part(root, 'compress-network', HTMLCanvasElement),
    compressHover: part(root, 'compress-hover', HTMLElement),
    compressCurve: part(root, 'compress-curve', HTMLSelectElement),
    compressCurveRun: part(root, 'compress-curve-run', HTMLButtonElement),
    compressCurveChart: part(root, 'compress-curve-chart', HTMLCanvasElement),
  };
  return { dom, styled };
}

/** @typedef {ReturnType<typeof renderTemplate>['dom']} Dom */
