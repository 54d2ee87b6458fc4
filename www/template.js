// @ts-check
// The element's shadow DOM: its markup (static text only; everything from data is added later
// with textContent or escapeHtml) and typed references to the parts the modules use.

import { t } from './i18n.js';

const STYLESHEET = new URL('./ml-playground.css', import.meta.url).href;

// Static text carries its catalog key: `data-i18n` (text), `data-i18n-title`, `data-i18n-aria`
// (aria-label); `labelStatic` fills them in the page's language (again when it changes).
const MARKUP = `
  <link rel="stylesheet" href="${STYLESHEET}">
  <div class="app" id="app" aria-busy="true">
    <section class="stage" data-i18n-aria="page.training">
      <div class="toolbar" role="toolbar" data-i18n-aria="page.training">
        <button id="reset" data-i18n="page.reset" data-i18n-title="page.reset.title" aria-keyshortcuts="R"></button>
        <button id="play" class="primary" aria-pressed="false" aria-keyshortcuts="Space"></button>
        <button id="step" data-i18n-title="page.step.title" aria-keyshortcuts="S"></button>
        <span class="epoch"><span data-i18n="page.epoch"></span> <b id="epoch">0</b></span>
        <label class="spf"><span data-i18n="page.steps_per_frame"></span>
          <select id="spf">${[1, 2, 5, 10, 20, 50, 100, 500, 1000].map((v) => `<option>${v}</option>`).join('')}</select>
        </label>
        <span class="spacer"></span>
        <span class="langs" role="group" data-i18n-aria="page.language">
          <button id="lang-en" type="button" lang="en" data-i18n-title="page.language.en" aria-pressed="false">EN</button>
          <button id="lang-zh" type="button" lang="zh" data-i18n-title="page.language.zh" aria-pressed="false">中文</button>
        </span>
        <button id="copy" data-i18n="page.copy" data-i18n-title="page.copy.title"></button>
      </div>
      <p id="loading" class="loading" role="status"></p>
      <div class="canvas-wrap">
        <canvas id="plot" role="img" tabindex="0" data-i18n-aria="page.plot.empty"></canvas>
      </div>
      <div class="under">
        <span id="classes" class="classes" hidden></span>
        <span id="grow" class="grow" hidden></span>
        <p class="hint" id="hint" data-i18n="page.hint"></p>
        <p class="hint" id="hint-keys" data-i18n="page.hint.keys"></p>
        <p class="hint" id="slice-note" hidden></p>
      </div>
      <div id="message" class="message" role="alert" hidden></div>
      <section id="diagram" class="diagram" hidden>
        <h2 id="diagram-title"></h2>
        <canvas id="diagram-canvas" role="img"></canvas>
        <div id="thumbs" class="thumbs"></div>
      </section>
    </section>
    <aside class="panel controls" id="controls" data-i18n-aria="page.settings"></aside>
    <aside class="panel results" data-i18n-aria="page.results">
      <h2 data-i18n="page.model"></h2>
      <div class="formula" id="formula">–</div>
      <table class="metrics">
        <thead><tr><th scope="col" data-i18n="page.metric"></th><th scope="col" data-i18n="page.train"></th><th scope="col" data-i18n="page.test"></th></tr></thead>
        <tbody id="metrics"></tbody>
      </table>
      <div id="confusion" class="confusion" hidden></div>
      <div id="views" class="views"></div>
      <h2><span data-i18n="page.loss_heading"></span> <small id="loss-name"></small></h2>
      <canvas id="loss" class="loss" role="img"></canvas>
      <h2 data-i18n="view.cv"></h2>
      <div class="cv">
        <label><span data-i18n="view.cv.folds"></span> <select id="cv-k">${[2, 3, 4, 5, 6, 8, 10].map((k) => `<option${k === 5 ? ' selected' : ''}>${k}</option>`).join('')}</select></label>
        <label><input type="checkbox" id="cv-strat" checked> <span data-i18n="view.cv.stratified"></span></label>
        <select id="cv-metric" data-i18n-aria="view.cv.metric" data-i18n-title="view.cv.metric"></select>
        <button id="cv-run" type="button"></button>
      </div>
      <progress id="cv-progress" max="1" value="0" hidden data-i18n-aria="view.cv.progress"></progress>
      <p id="cv-result" class="note" aria-live="polite"></p>
      <canvas id="cv-chart" class="view-chart" hidden role="img" data-i18n-aria="view.cv.chart"></canvas>
    </aside>
  </div>`;

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
  root.innerHTML = MARKUP;
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
    message: part(root, 'message', HTMLElement),
    diagram: part(root, 'diagram', HTMLElement),
    diagramTitle: part(root, 'diagram-title', HTMLElement),
    diagramCanvas: part(root, 'diagram-canvas', HTMLCanvasElement),
    thumbs: part(root, 'thumbs', HTMLElement),
    formula: part(root, 'formula', HTMLElement),
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
  };
  return { dom, styled };
}

/** @typedef {ReturnType<typeof renderTemplate>['dom']} Dom */
