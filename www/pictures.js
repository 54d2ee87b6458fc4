// @ts-check
// Pictures of what the element shows: every drawn canvas (the plot, the diagram under it and each
// chart beside it) as a PNG at the canvas's own resolution, which is the screen's (device pixels).

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
