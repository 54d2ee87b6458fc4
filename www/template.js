// @ts-check
// The element's shadow DOM: its markup (static text only; everything from data is added later
// with textContent or escapeHtml) and typed references to the parts the modules use.

const STYLESHEET = new URL('./ml-playground.css', import.meta.url).href;

const MARKUP = `
  <link rel="stylesheet" href="${STYLESHEET}">
  <div class="app" id="app" aria-busy="true">
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
      <p id="loading" class="loading" role="status">Loading the model engine…</p>
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
