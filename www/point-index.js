// @ts-check
// A grid over the plot's device pixels holding the points of each cell, so the point nearest to
// the pointer is found by looking at the cells around it, not at every point: hovering a plot of
// 100k imported points stalled up to 215 ms per pointer move with the full scan.

/** Side of a cell in device pixels. */
const CELL = 16;
/** Most cells per side (a wide spread of points gets larger cells). */
const MAX_CELLS = 512;

export class PointIndex {
  /**
   * @param {Float64Array} px the points' x in device pixels
   * @param {Float64Array} py their y
   * @param {(i: number) => boolean} keep which points can be found
   */
  constructor(px, py, keep) {
    this.px = px;
    this.py = py;
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    /** @type {number[]} */
    const kept = [];
    for (let i = 0; i < px.length; i++) {
      if (!keep(i) || !Number.isFinite(px[i]) || !Number.isFinite(py[i])) continue;
      kept.push(i);
      x0 = Math.min(x0, px[i]);
      x1 = Math.max(x1, px[i]);
      y0 = Math.min(y0, py[i]);
      y1 = Math.max(y1, py[i]);
    }
    this.empty = kept.length === 0;
    this.x0 = this.empty ? 0 : x0;
    this.y0 = this.empty ? 0 : y0;
    this.cell = Math.max(CELL, (x1 - x0) / MAX_CELLS, (y1 - y0) / MAX_CELLS) || CELL;
    this.cols = this.empty ? 1 : Math.floor((x1 - x0) / this.cell) + 1;
    this.rows = this.empty ? 1 : Math.floor((y1 - y0) / this.cell) + 1;
    // cell → its points, as offsets into one array (counting sort)
    this.start = new Uint32Array(this.cols * this.rows + 1);
    const cellOf = kept.map((i) => this.cellAt(px[i], py[i]));
    for (const c of cellOf) this.start[c + 1] += 1;
    for (let c = 0; c < this.cols * this.rows; c++) this.start[c + 1] += this.start[c];
    this.points = new Uint32Array(kept.length);
    const fill = this.start.slice(0, -1);
    kept.forEach((i, k) => (this.points[fill[cellOf[k]]++] = i));
  }

  /** The cell of a position inside the grid. @param {number} x @param {number} y */
  cellAt(x, y) {
    const col = Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.x0) / this.cell)));
    const row = Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.y0) / this.cell)));
    return row * this.cols + col;
  }

  /**
   * The kept point nearest to (x, y) and its distance in device pixels, or null when none is kept.
   * Searches rings of cells around the position's cell (the position projected onto the grid when
   * it is outside: that projection is no farther from any point), until no nearer point can lie
   * in the next ring.
   * @param {number} x @param {number} y
   * @returns {{ i: number, d: number } | null}
   */
  nearest(x, y) {
    if (this.empty) return null;
    const home = this.cellAt(x, y);
    const [hc, hr] = [home % this.cols, Math.floor(home / this.cols)];
    /** @type {{ i: number, d: number } | null} */
    let best = null;
    const span = Math.max(this.cols, this.rows);
    for (let r = 0; r <= span; r++) {
      if (best && (r - 1) * this.cell > best.d) break;
      for (let row = hr - r; row <= hr + r; row++) {
        if (row < 0 || row >= this.rows) continue;
        const edge = row === hr - r || row === hr + r;
        for (let col = hc - r; col <= hc + r; col += edge || r === 0 ? 1 : 2 * r) {
          if (col < 0 || col >= this.cols) continue;
          const c = row * this.cols + col;
          for (let k = this.start[c]; k < this.start[c + 1]; k++) {
            const i = this.points[k];
            const d = Math.hypot(this.px[i] - x, this.py[i] - y);
            if (!best || d < best.d || (d === best.d && i < best.i)) best = { i, d };
          }
        }
      }
    }
    return best;
  }
}
