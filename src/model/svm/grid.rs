//! Drawing-only evaluation of a support vector classifier over a pixel grid: each pair's decision
//! values at every pixel, from per-column and per-row parts instead of a kernel per pixel and
//! support vector (`Model::grid_values`; `predict` and training are untouched).
//!
//! - Linear: `f = w·x − ρ` with `w = Σₜ coefₜ sₜ`: one multiply-add per pixel.
//! - Polynomial: with `u = γ x sₓ` (per column) and `v = γ y s_y + r` (per row),
//!   `(u + v)^d = Σₖ C(d, k) uᵏ v^(d−k)`, so `f = Σₖ C(d, k) (γx)ᵏ Gₖ(y) − ρ` with
//!   `Gₖ(y) = Σₜ coefₜ sₓₜᵏ vₜ(y)^(d−k)` computed once per row: `d + 1` terms per pixel.
//! - RBF: `exp(−γ‖p − s‖²) = exp(−γ(x − sₓ)²)·exp(−γ(y − s_y)²)`, a column table `A` (w × m) times
//!   a row table `B` (h × m): `F = A·diag(coef)·Bᵀ`, no `exp` per pixel. The columns of `A` (and
//!   of `B`) are smooth bumps over the window, so both have a small numerical rank: a pivoted
//!   Gram–Schmidt keeps `A ≈ Q_A P_A` to [`RANK_TOLERANCE`] of the largest column, and
//!   `F ≈ Q_A (P_A diag(coef) P_Bᵀ) Q_Bᵀ` costs `rank` multiply-adds per pixel instead of `m`.
//!   When the rank is not small (γ large for the window), the exact product is taken directly.
//!   The basis is found without the `w × m` table: each column `x ↦ exp(−γ(x − s)²)` is its
//!   Chebyshev interpolant on `n + 1` nodes spanning the axis to [`CHEBYSHEV_TOLERANCE`] (`n` from
//!   the bound `4Mρ⁻ⁿ/(ρ − 1)` for a function bounded by `M` on the Bernstein ellipse `E_ρ`,
//!   Trefethen, *Approximation Theory and Approximation Practice*, Theorem 8.2; here
//!   `M = exp(γ b²)` with `b` the ellipse's half-height, whatever the centre `s`), so `A ≈ L N`
//!   with `L` the `w × (n + 1)` Lagrange basis (barycentric form) and `N` the `(n + 1) × m` values at
//!   the nodes; Gram–Schmidt then runs on `N` (`n + 1` rows, not `w`) and the basis is `L Q_N`.
//!   Fewer nodes than pixels or not, the table is taken as it is when that is no cheaper.
//! - Sigmoid: not separable; the default path (`predict` per pixel).
//!
//! Decision values agree with `decision_function` to about 1e-9 of the coefficients' scale
//! (tests: below).

use super::{Kernel, Svm};

/// A column of `A` or `B` is left out of the basis once its remainder is below this fraction of
/// the largest column's norm.
const RANK_TOLERANCE: f64 = 1e-12;

/// The largest error of a Chebyshev interpolant of a kernel column (values at most 1).
const CHEBYSHEV_TOLERANCE: f64 = 1e-13;

/// The fewest Chebyshev nodes less one (`n`) whose interpolant of every `x ↦ exp(−γ(x − s)²)` over
/// an interval of half-width `h` is within [`CHEBYSHEV_TOLERANCE`], by the Bernstein-ellipse bound
/// over a range of ellipses; `None` past `max`.
fn chebyshev_degree(gamma: f64, h: f64, max: usize) -> Option<usize> {
    if h <= 0.0 || gamma <= 0.0 {
        return Some(0);
    }
    let log_tolerance = CHEBYSHEV_TOLERANCE.ln();
    // ln of the bound for ρ and n: ln 4 + γ b² − n ln ρ − ln(ρ − 1), b = h (ρ − 1/ρ) / 2
    (1..=max).find(|&n| {
        (1..=200).any(|i| {
            let rho = 1.0 + 0.05 * i as f64;
            let b = h * (rho - 1.0 / rho) / 2.0;
            4f64.ln() + gamma * b * b - n as f64 * rho.ln() - (rho - 1.0).ln() <= log_tolerance
        })
    })
}

/// The kernel columns `exp(−γ(v − s)²)` over `axis` for each centre `s`, column-major (`len × m`).
fn kernel_table(axis: &[f64], centres: &[f64], gamma: f64) -> Vec<f64> {
    let mut t = Vec::with_capacity(axis.len() * centres.len());
    for &s in centres {
        t.extend(axis.iter().map(|&v| super::super::fast_math::exp(-gamma * (v - s) * (v - s))));
    }
    t
}

/// A basis `Q` (`len × rank`, column-major) and coordinates `P` (`rank × m`, row-major) of the
/// kernel table over `axis` (see [`low_rank`]), through Chebyshev nodes when there are fewer of
/// them than half the axis's points; `None` when the rank would pass `max_rank`.
fn kernel_basis(axis: &[f64], centres: &[f64], gamma: f64, max_rank: usize) -> Option<(Vec<f64>, Vec<f64>)> {
    let (len, m) = (axis.len(), centres.len());
    let (lo, hi) = axis.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let (mid, h) = (lo + (hi - lo) / 2.0, (hi - lo) / 2.0);
    let Some(n) = chebyshev_degree(gamma, h, len / 2).filter(|&n| n + 1 < len / 2) else {
        return low_rank(&kernel_table(axis, centres, gamma), len, m, max_rank);
    };
    // Chebyshev points of the second kind and their barycentric weights
    let nodes: Vec<f64> = (0..=n)
        .map(|j| if n == 0 { mid } else { mid + h * (std::f64::consts::PI * j as f64 / n as f64).cos() })
        .collect();
    let weights: Vec<f64> = (0..=n)
        .map(|j| {
            let sign = if j % 2 == 0 { 1.0 } else { -1.0 };
            if j == 0 || j == n {
                sign / 2.0
            } else {
                sign
            }
        })
        .collect();
    let (qn, p) = low_rank(&kernel_table(&nodes, centres, gamma), n + 1, m, max_rank)?;
    let rank = p.len() / m.max(1);
    // L (len × (n + 1)), row by row: the Lagrange basis at each axis point
    let mut lagrange = vec![0.0; len * (n + 1)];
    for (row, &v) in lagrange.chunks_exact_mut(n + 1).zip(axis) {
        if let Some(j) = nodes.iter().position(|&x| x == v) {
            row[j] = 1.0;
            continue;
        }
        let mut total = 0.0;
        for ((l, &x), &w) in row.iter_mut().zip(&nodes).zip(&weights) {
            *l = w / (v - x);
            total += *l;
        }
        row.iter_mut().for_each(|l| *l /= total);
    }
    // Q = L Q_N, column-major
    let mut q = vec![0.0; len * rank];
    for (i, column) in q.chunks_exact_mut(len).enumerate() {
        let basis = &qn[i * (n + 1)..(i + 1) * (n + 1)];
        for (value, row) in column.iter_mut().zip(lagrange.chunks_exact(n + 1)) {
            *value = dot(row, basis);
        }
    }
    Some((q, p))
}

/// `Σ aᵢbᵢ` in four running sums (they vectorise; a sum in order does not).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut sums = [0.0; 4];
    let (head_a, head_b) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = head_a.remainder().iter().zip(head_b.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in head_a.zip(head_b) {
        for ((s, x), y) in sums.iter_mut().zip(x).zip(y) {
            *s += x * y;
        }
    }
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail
}

/// A basis `Q` (`len × rank`, column-major) with coordinates `P` (`rank × m`, row-major) such that
/// column `s` of the table is `Σₖ P[k][s]·Q[:, k]` to the tolerance; `None` when the rank would pass
/// `max_rank`.
fn low_rank(table: &[f64], len: usize, m: usize, max_rank: usize) -> Option<(Vec<f64>, Vec<f64>)> {
    // residual columns, column-major (column s is table[s*len..])
    let mut r = table.to_vec();
    let mut norms: Vec<f64> = r.chunks_exact(len).map(|c| c.iter().map(|v| v * v).sum()).collect();
    let largest = norms.iter().copied().fold(0.0, f64::max);
    let stop = largest * RANK_TOLERANCE * RANK_TOLERANCE;
    let (mut q, mut p) = (Vec::new(), Vec::new());
    let mut rank = 0;
    loop {
        let (pivot, &norm) = norms.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
        if norm <= stop || rank == m {
            break;
        }
        if rank == max_rank {
            return None;
        }
        // the pivot's remainder (recomputed: the running norms drift) becomes the next direction
        let column = &r[pivot * len..(pivot + 1) * len];
        let exact = column.iter().map(|v| v * v).sum::<f64>().sqrt();
        if exact * exact <= stop {
            norms[pivot] = 0.0;
            continue;
        }
        let direction: Vec<f64> = column.iter().map(|v| v / exact).collect();
        let mut row = vec![0.0; m];
        for (s, (col, coord)) in r.chunks_exact_mut(len).zip(row.iter_mut()).enumerate() {
            let proj = dot(col, &direction);
            // the remainder and its norm in one pass, four running sums (they vectorise)
            let mut norm = [0.0; 4];
            let (mut head, mut tail) = (col.chunks_exact_mut(4), direction.chunks_exact(4));
            for (a, b) in (&mut head).zip(&mut tail) {
                for ((a, b), n) in a.iter_mut().zip(b).zip(&mut norm) {
                    *a -= proj * b;
                    *n += *a * *a;
                }
            }
            for (a, b) in head.into_remainder().iter_mut().zip(tail.remainder()) {
                *a -= proj * b;
                norm[0] += *a * *a;
            }
            *coord = proj;
            norms[s] = (norm[0] + norm[1]) + (norm[2] + norm[3]);
        }
        q.extend_from_slice(&direction);
        p.extend_from_slice(&row);
        rank += 1;
    }
    Some((q, p))
}

impl Svm {
    /// Each pair's decision value at every point of the grid with axes `xs` (columns) and `ys`
    /// (rows): `out[pixel · pairs + p]`, pixels row-major. `None` for a kernel without a fast path
    /// (sigmoid), other than two features, or an untrained model.
    pub(super) fn grid_decisions(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        if self.n_features != 2 || self.pairs.is_empty() {
            return None;
        }
        let (w, h, n_pairs) = (xs.len(), ys.len(), self.pairs.len());
        let m = self.support_index.len();
        let sx: Vec<f64> = self.support.chunks_exact(2).map(|s| s[0]).collect();
        let sy: Vec<f64> = self.support.chunks_exact(2).map(|s| s[1]).collect();
        let gamma = self.gamma;
        let mut out = vec![0.0; w * h * n_pairs];
        match self.params.kernel {
            Kernel::Linear => {
                for (p, pair) in self.pairs.iter().enumerate() {
                    let (mut wx, mut wy) = (0.0, 0.0);
                    for (&s, &c) in pair.sv.iter().zip(&pair.coef) {
                        wx += c * sx[s];
                        wy += c * sy[s];
                    }
                    for (r, &y) in ys.iter().enumerate() {
                        let base = wy * y - pair.rho;
                        for (c, &x) in xs.iter().enumerate() {
                            out[(r * w + c) * n_pairs + p] = wx * x + base;
                        }
                    }
                }
            }
            Kernel::Poly => {
                let d = self.params.degree;
                let binomial: Vec<f64> = (0..=d)
                    .scan(1.0, |b, k| {
                        let v = *b;
                        *b = *b * (d - k) as f64 / (k + 1) as f64;
                        Some(v)
                    })
                    .collect();
                for (p, pair) in self.pairs.iter().enumerate() {
                    let mut g = vec![0.0; d + 1];
                    let mut ux = vec![0.0; d + 1];
                    for (r, &y) in ys.iter().enumerate() {
                        g.iter_mut().for_each(|v| *v = 0.0);
                        for (&s, &c) in pair.sv.iter().zip(&pair.coef) {
                            let v = gamma * y * sy[s] + self.params.coef0;
                            // coef·sₓᵏ·v^(d−k) for k = 0..=d
                            let mut sxk = c;
                            for (k, gk) in g.iter_mut().enumerate() {
                                *gk += sxk * v.powi((d - k) as i32);
                                sxk *= sx[s];
                            }
                        }
                        for (k, gk) in g.iter_mut().enumerate() {
                            *gk *= binomial[k];
                        }
                        for (c, &x) in xs.iter().enumerate() {
                            let gx = gamma * x;
                            let mut pow = 1.0;
                            for u in ux.iter_mut() {
                                *u = pow;
                                pow *= gx;
                            }
                            let f: f64 = g.iter().zip(&ux).map(|(a, b)| a * b).sum();
                            out[(r * w + c) * n_pairs + p] = f - pair.rho;
                        }
                    }
                }
            }
            Kernel::Rbf => {
                // low rank pays when rank·(w + rank) per row is well under m·w
                let max_rank = (m / 3).min(96);
                match (kernel_basis(xs, &sx, gamma, max_rank), kernel_basis(ys, &sy, gamma, max_rank)) {
                    (Some((qa, pa)), Some((qb, pb))) => {
                        let (ra, rb) = (pa.len() / m.max(1), pb.len() / m.max(1));
                        let mut core = vec![0.0; ra * rb];
                        let mut t = vec![0.0; ra];
                        let mut row = vec![0.0; w];
                        for (p, pair) in self.pairs.iter().enumerate() {
                            // core = P_A[:, sv] diag(coef) P_B[:, sv]ᵀ (ra × rb, row-major)
                            core.iter_mut().for_each(|v| *v = 0.0);
                            for (&s, &c) in pair.sv.iter().zip(&pair.coef) {
                                for i in 0..ra {
                                    let left = c * pa[i * m + s];
                                    for (j, v) in core[i * rb..(i + 1) * rb].iter_mut().enumerate() {
                                        *v += left * pb[j * m + s];
                                    }
                                }
                            }
                            for r in 0..h {
                                // t = core · Q_B[r, :]ᵀ
                                for (i, ti) in t.iter_mut().enumerate() {
                                    *ti = (0..rb).map(|j| core[i * rb + j] * qb[j * h + r]).sum();
                                }
                                // the row Q_A · t, one basis column at a time (contiguous: vectorises)
                                row.iter_mut().for_each(|v| *v = -pair.rho);
                                for (i, &ti) in t.iter().enumerate() {
                                    for (v, q) in row.iter_mut().zip(&qa[i * w..(i + 1) * w]) {
                                        *v += ti * q;
                                    }
                                }
                                for (c, &f) in row.iter().enumerate() {
                                    out[(r * w + c) * n_pairs + p] = f;
                                }
                            }
                        }
                    }
                    _ => {
                        // column-major tables: A's column s over the grid's columns, B's over its rows
                        let (a, b) = (kernel_table(xs, &sx, gamma), kernel_table(ys, &sy, gamma));
                        // the exact product, row by row: v = coef ⊙ B[r, sv], then A[c, sv]·v
                        let mut at = vec![0.0; w * m]; // A row-major: the SVs of column c together
                        for s in 0..m {
                            for c in 0..w {
                                at[c * m + s] = a[s * w + c];
                            }
                        }
                        let mut v = vec![0.0; m];
                        for (p, pair) in self.pairs.iter().enumerate() {
                            for r in 0..h {
                                v.iter_mut().for_each(|x| *x = 0.0);
                                for (&s, &c) in pair.sv.iter().zip(&pair.coef) {
                                    v[s] = c * b[s * h + r];
                                }
                                for c in 0..w {
                                    let f: f64 = at[c * m..(c + 1) * m].iter().zip(&v).map(|(a, b)| a * b).sum();
                                    out[(r * w + c) * n_pairs + p] = f - pair.rho;
                                }
                            }
                        }
                    }
                }
            }
            Kernel::Sigmoid => return None,
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::data::{Dataset, Task};
    use crate::model::svm::{Kernel, SvmParams};
    use crate::model::{Hyperparams, Model};
    use nalgebra::DMatrix;

    /// Three classes (so three pairs) on a wavy pattern, fitted with `kernel`, γ and C.
    fn model(kernel: Kernel, gamma: f64, classes: usize) -> super::Svm {
        let n = 150;
        let x: Vec<f64> = (0..2 * n).map(|i| ((i * 7919 % 1009) as f64 / 1009.0 - 0.5) * 8.0).collect();
        let y: Vec<f64> = (0..n)
            .map(|i| {
                let (a, b) = (x[2 * i], x[2 * i + 1]);
                ((a.sin() + 0.3 * b > 0.0) as usize + usize::from(classes == 3 && b > 2.0)) as f64
            })
            .collect();
        let data = Dataset::from_rows(&x, 2, &y, Task::Classification { n_classes: classes }).unwrap();
        let params = SvmParams { kernel, gamma: Some(gamma), c: 2.0, coef0: 0.5, ..SvmParams::default() };
        let mut m = params.build(0).unwrap();
        m.fit(&data).unwrap();
        m
    }

    #[test]
    fn grid_decisions_equal_the_decision_function() {
        let xs: Vec<f64> = (0..37).map(|i| -6.0 + 12.0 * i as f64 / 36.0).collect();
        let ys: Vec<f64> = (0..23).map(|i| 5.0 - 11.0 * i as f64 / 22.0).collect();
        let points = DMatrix::from_fn(xs.len() * ys.len(), 2, |i, j| if j == 0 { xs[i % 37] } else { ys[i / 37] });
        // γ 0.2: low rank; γ 40: bumps narrower than the grid, the exact product
        for (kernel, gamma) in [(Kernel::Rbf, 0.2), (Kernel::Rbf, 40.0), (Kernel::Linear, 1.0), (Kernel::Poly, 0.3)] {
            for classes in [2, 3] {
                let m = model(kernel, gamma, classes);
                let fast = m.grid_decisions(&xs, &ys).unwrap();
                let exact = m.pair_values(&points).unwrap();
                let scale: f64 = m.pairs.iter().flat_map(|p| &p.coef).map(|c| c.abs()).sum::<f64>().max(1.0);
                let pairs = m.pairs.len();
                for i in 0..points.nrows() {
                    for p in 0..pairs {
                        let (a, b) = (fast[i * pairs + p], exact[(i, p)]);
                        assert!((a - b).abs() <= 1e-9 * scale, "{kernel:?} γ {gamma} {classes} classes: {a} vs {b}");
                    }
                }
                // and the surface: the probabilities predict gives
                let grid = m.grid_values(&xs, &ys).unwrap();
                let want = m.predict(&points).unwrap();
                for i in 0..points.nrows() {
                    for k in 0..classes {
                        assert!((grid[i * classes + k] - want[(i, k)]).abs() < 1e-7, "{kernel:?} γ {gamma}");
                    }
                }
            }
        }
        assert!(model(Kernel::Sigmoid, 0.1, 2).grid_decisions(&xs, &ys).is_none());
    }

    /// RBF on grids with more pixels than Chebyshev nodes (γ 0.05: 25 to 30 nodes an axis, γ 0.2:
    /// about 40), so the basis comes from the interpolants, and an axis given high to low (rows
    /// run downwards on the page): the decision function to 1e-9 of the coefficients' scale, and
    /// the probabilities.
    #[test]
    fn rbf_through_chebyshev_nodes_equals_the_decision_function() {
        let xs: Vec<f64> = (0..160).map(|i| -6.5 + 13.0 * i as f64 / 159.0).collect();
        let ys: Vec<f64> = (0..130).map(|i| 6.0 - 11.5 * i as f64 / 129.0).collect();
        assert!(super::chebyshev_degree(0.2, 6.5, 80).is_some_and(|n| n + 1 < 65));
        let w = xs.len();
        let points = DMatrix::from_fn(w * ys.len(), 2, |i, j| if j == 0 { xs[i % w] } else { ys[i / w] });
        for gamma in [0.05, 0.2] {
            for classes in [2, 3] {
                let m = model(Kernel::Rbf, gamma, classes);
                let fast = m.grid_decisions(&xs, &ys).unwrap();
                let exact = m.pair_values(&points).unwrap();
                let scale: f64 = m.pairs.iter().flat_map(|p| &p.coef).map(|c| c.abs()).sum::<f64>().max(1.0);
                let pairs = m.pairs.len();
                let worst = (0..points.nrows() * pairs)
                    .map(|i| (fast[i] - exact[(i / pairs, i % pairs)]).abs())
                    .fold(0.0, f64::max);
                assert!(worst <= 1e-9 * scale, "γ {gamma} {classes} classes: off by {worst:e} (scale {scale})");
                let grid = m.grid_values(&xs, &ys).unwrap();
                let want = m.predict(&points).unwrap();
                for i in 0..points.nrows() {
                    for k in 0..classes {
                        assert!((grid[i * classes + k] - want[(i, k)]).abs() < 1e-7, "γ {gamma} {classes} classes");
                    }
                }
            }
        }
    }
}
