// @ts-check
// Pictures of what the element shows: every drawn canvas (the plot, the diagram under it and each
// chart beside it) as a PNG at the canvas's own resolution, which is the screen's (device pixels).
// Each chart also as SVG: `drawView` records what a chart canvas was drawn with, `viewSvg` draws
// it again through plotters' SVG backend (text as text).

/**
 * The canvases worth saving under `root`: drawn (a size), shown, and named by their id or chart.
 * @param {ParentNode} root
 * @returns {{ canvas: HTMLCanvasElement, name: string }[]}
 */
export function pictures(root) {
  /** @type {{ canvas: HTMLCanvasElement, name: string }[]} */
  const out = [];
  for (const canvas of root.querySelectorAll('canvas')) {
    const name = canvas.id || canvas.dataset.key || '';
    if (!name || !canvas.width || !canvas.height || canvas.closest('[hidden]') || !canvas.getClientRects().length) continue;
    out.push({ canvas, name });
  }
  return out;
}

/** The canvas's pixels as a PNG. @param {HTMLCanvasElement} canvas @returns {Promise<Blob>} */
export const png = (canvas) =>
  new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no PNG'))), 'image/png'));

/**
 * What each chart canvas was last drawn with (`drawView`), so Save SVG can draw it again as SVG.
 * @type {WeakMap<HTMLCanvasElement, { kind: string, data: unknown, ratio: number, highlight?: number, path?: Uint32Array | number[] }>}
 */
const drawn = new WeakMap();

/**
 * Draws a chart beside the plot (`wasm.renderView`) and remembers what with, for `viewSvg`.
 * @param {import('./types.js').Wasm} wasm @param {HTMLCanvasElement} canvas @param {string} kind
 * @param {unknown} data @param {number} ratio @param {number} [highlight] @param {Uint32Array | number[]} [path]
 */
export function drawView(wasm, canvas, kind, data, ratio, highlight, path) {
  drawn.delete(canvas);
  wasm.renderView(canvas, kind, data, ratio, highlight, path);
  drawn.set(canvas, { kind, data, ratio, highlight, path });
}

/**
 * The chart on `canvas` as SVG text, as it was last drawn (`drawView`) at the canvas's size;
 * `null` for a canvas `drawView` did not draw (raw pixels, such as a neuron's thumbnail).
 * @param {import('./types.js').Wasm} wasm @param {HTMLCanvasElement} canvas @returns {string | null}
 */
export function viewSvg(wasm, canvas) {
  const d = drawn.get(canvas);
  return d ? wasm.viewSvg(d.kind, d.data, canvas.width, canvas.height, d.ratio, d.highlight, d.path) : null;
}
