//! The objective logistic regression minimises, with its gradient and Hessian, on a fixed design
//! matrix: mean cross-entropy plus an elastic-net penalty on the weights (never the intercepts).
//!
//! For `k` classes the model has `s` linear scores: `s = 1` for two classes (the score of class 1,
//! through the sigmoid) and `s = k` for more (through the softmax). The parameters are a `q × s`
//! matrix `Θ` stored column by column in one flat slice, where `q = p + 1` and the last row holds
//! the intercepts; the design matrix `X` (n × q) ends with a column of ones, so the scores are
//! `Z = X Θ`. The objective is
//!
//! `F(Θ) = (1/S) Σ_i w_i · CE_i(Θ) + l2/2 · ‖W‖² + l1 · ‖W‖₁`
//!
//! with `W` the first `p` rows of `Θ`, `w_i` the example weights (class weights; all 1 without
//! them) and `S` their normaliser: `S = n` unweighted, `S = Σ_i w_i` weighted (the weighted mean,
//! so an integer weight counts like that many copies of the row), and for a mini-batch of `m`
//! rows `S = m · w̄` with `w̄` the mean weight over the whole training set (an unbiased estimate of
//! the full gradient). The batch work is matrix products: `Z = X Θ`, gradient
//! `Xᵀ diag(w) (P − Y) / S`, Hessian blocks `Xᵀ diag(w ⊙ ·) X / S`.

use nalgebra::{DMatrix, DMatrixView};

/// The penalised mean cross-entropy on one design matrix and its labels.
pub(crate) struct Objective<'a> {
    design: &'a DMatrix<f64>,
    labels: &'a [usize],
    /// Number of linear scores: 1 for two classes, `k` for more.
    scores: usize,
    /// Coefficient of the squared-L2 term (`l2/2 · ‖W‖²`).
    pub l2: f64,
    /// Coefficient of the L1 term (`l1 · ‖W‖₁`).
    pub l1: f64,
    /// One weight per row, or `None` for all 1.
    row_weights: Option<&'a [f64]>,
    /// What the weighted loss sum is divided by (`S` in the module comment); at least 1 row's worth.
    normaliser: f64,
    /// Distillation's soft targets, when the loss mixes them in (see [`Soft`]).
    soft: Option<Soft<'a>>,
}

/// Knowledge distillation's term (see `compress::distill`): row `i`'s loss becomes
/// `α · [labelled_i] · CE(y_i, p_i) + (1 − α) · T² · CE(q_i, softmax(z_i / T))` (for one score
/// `σ(z/T)`), with `q_i` the teacher's probabilities at temperature `T` (n × scores: the class-1
/// probability for one score). Its gradient per score is
/// `α · [labelled] · (p − y) + (1 − α) · T · (σ(z/T) − q)`. With `α = 1` and every row labelled
/// this is the plain loss, computed in the same order, so training is the same bit for bit.
/// Row weights are not combined with it (a student has no class weights).
#[derive(Clone, Copy)]
pub(crate) struct Soft<'a> {
    pub targets: &'a DMatrix<f64>,
    pub labelled: &'a [bool],
    pub alpha: f64,
    pub temperature: f64,
}

/// Buffers reused between evaluations: the scores, the class probabilities (σ(z) for one score,
/// softmax for several) and the residuals `P − Y`, all n × s.
pub(crate) struct Work {
    logits: DMatrix<f64>,
    proba: DMatrix<f64>,
    residual: DMatrix<f64>,
}

impl Work {
    pub fn new(n: usize, scores: usize) -> Self {
        Work {
            logits: DMatrix::zeros(n, scores),
            proba: DMatrix::zeros(n, scores),
            residual: DMatrix::zeros(n, scores),
        }
    }
}

/// `ln(1 + eᶻ)` without overflow or loss of precision.
#[cfg(test)]
pub(crate) fn softplus(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}

/// `ln(1 + eᶻ)` with the standard functions (distillation's soft term).
fn softplus_exact(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}

/// The logistic sigmoid `1 / (1 + e⁻ᶻ)`, stable for large |z|.
pub(crate) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `aᵀ b` into `out`: a matrix product through nalgebra's blocked kernel when every dimension is
/// large enough for it, column dot products otherwise.
pub(crate) fn transpose_product(a: &DMatrix<f64>, b: &DMatrix<f64>, out: &mut DMatrix<f64>) {
    let (n, m) = a.shape();
    if m > 5 && b.ncols() > 5 && n > 5 {
        // aᵀ as a view with swapped strides (no copy), so gemm can hand it to matrixmultiply.
        let a_transposed = DMatrixView::from_slice_with_strides(a.as_slice(), m, n, n, 1);
        out.gemm(1.0, &a_transposed, b, 0.0);
    } else {
        a.tr_mul_to(b, out);
    }
}

impl<'a> Objective<'a> {
    /// `design` is n × q with a final column of ones; `labels` are class indices below
    /// `max(2, scores)`.
    pub fn new(design: &'a DMatrix<f64>, labels: &'a [usize], scores: usize, l2: f64, l1: f64) -> Self {
        Objective {
            design,
            labels,
            scores,
            l2,
            l1,
            row_weights: None,
            normaliser: design.nrows().max(1) as f64,
            soft: None,
        }
    }

    /// The same objective with distillation's soft term mixed in (see [`Soft`]; one target row
    /// and one flag per design row).
    pub fn distilled(self, soft: Soft<'a>) -> Self {
        Objective { soft: Some(soft), ..self }
    }

    /// The same objective with row `i`'s loss multiplied by `row_weights[i]` (one per row,
    /// positive) and the sum divided by `normaliser` (positive; `Σ row_weights` for the weighted
    /// mean).
    pub fn weighted(self, row_weights: &'a [f64], normaliser: f64) -> Self {
        Objective { row_weights: Some(row_weights), normaliser, ..self }
    }

    /// Number of examples.
    pub fn rows(&self) -> usize {
        self.design.nrows()
    }

    /// Number of linear scores.
    pub fn scores(&self) -> usize {
        self.scores
    }

    /// Number of parameters, `q · s`.
    pub fn len(&self) -> usize {
        self.design.ncols() * self.scores
    }

    fn q(&self) -> usize {
        self.design.ncols()
    }

    /// True when flat parameter `index` is a weight (penalised), false for an intercept.
    pub fn is_penalised(&self, index: usize) -> bool {
        index % self.q() != self.q() - 1
    }

    /// `Σ |w|` over the weights.
    pub fn l1_norm(&self, theta: &[f64]) -> f64 {
        theta.iter().enumerate().filter(|(i, _)| self.is_penalised(*i)).map(|(_, w)| w.abs()).sum()
    }

    fn squared_norm(&self, theta: &[f64]) -> f64 {
        theta.iter().enumerate().filter(|(i, _)| self.is_penalised(*i)).map(|(_, w)| w * w).sum()
    }

    /// The objective at `theta` (all of it, L1 included). Leaves the probabilities and residuals
    /// of `theta` in `work` for [`Objective::gradient`] and [`Objective::hessian`].
    pub fn value(&self, theta: &[f64], work: &mut Work) -> f64 {
        if let Some(soft) = self.soft {
            return self.value_distilled(theta, work, soft);
        }
        match self.row_weights {
            // `|_| 1.0` folds away, so the unweighted loop is as before.
            None => self.value_with(theta, work, |_| 1.0),
            Some(w) => self.value_with(theta, work, |i| w.get(i).copied().unwrap_or(1.0)),
        }
    }

    /// [`Objective::value`] with row `i` weighing `row_weight(i)`.
    #[inline(always)]
    fn value_with(&self, theta: &[f64], work: &mut Work, row_weight: impl Fn(usize) -> f64) -> f64 {
        let n = self.design.nrows();
        let parameters = DMatrixView::from_slice(theta, self.q(), self.scores);
        work.logits.gemm(1.0, self.design, &parameters, 0.0);
        let mut total = 0.0;
        if self.scores == 1 {
            for i in 0..n {
                let z = work.logits[(i, 0)];
                let positive = self.labels[i] == 1;
                let weight = row_weight(i);
                // −ln σ(z) = softplus(−z) for class 1, −ln(1 − σ(z)) = softplus(z) for class 0.
                // Both, and σ(z), need only e^(−|z|): one exp per row. It and ln(1 + e) are the
                // branch-free polynomials of `fast_math` (within 1e-15 relative of the standard
                // functions, and in WebAssembly several times faster than its software libm).
                let e = crate::model::fast_math::exp(-z.abs());
                let loss = if positive { (-z).max(0.0) } else { z.max(0.0) } + crate::model::fast_math::ln_1p_unit(e);
                total += weight * loss;
                let p = if z >= 0.0 { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
                work.proba[(i, 0)] = p;
                work.residual[(i, 0)] = weight * (p - f64::from(u8::from(positive)));
            }
        } else {
            for i in 0..n {
                let mut max = f64::NEG_INFINITY;
                for c in 0..self.scores {
                    max = max.max(work.logits[(i, c)]);
                }
                let mut sum = 0.0;
                for c in 0..self.scores {
                    let e = (work.logits[(i, c)] - max).exp();
                    work.proba[(i, c)] = e;
                    sum += e;
                }
                let label = self.labels[i];
                let weight = row_weight(i);
                // −ln softmax_y = log-sum-exp − z_y = (max − z_y) + ln Σ e^(z − max).
                total += weight * ((max - work.logits[(i, label)]) + sum.ln());
                for c in 0..self.scores {
                    let p = work.proba[(i, c)] / sum;
                    work.proba[(i, c)] = p;
                    work.residual[(i, c)] = weight * if c == label { p - 1.0 } else { p };
                }
            }
        }
        let mean = total / self.normaliser;
        mean + 0.5 * self.l2 * self.squared_norm(theta) + self.l1 * self.l1_norm(theta)
    }

    /// [`Objective::value`] with distillation's term (see [`Soft`]): the hard part is computed
    /// exactly as in `value_with`, so `α = 1` gives the same numbers.
    fn value_distilled(&self, theta: &[f64], work: &mut Work, soft: Soft) -> f64 {
        let n = self.design.nrows();
        let parameters = DMatrixView::from_slice(theta, self.q(), self.scores);
        work.logits.gemm(1.0, self.design, &parameters, 0.0);
        let (alpha, tt) = (soft.alpha, soft.temperature);
        let lab = |i: usize| if soft.labelled.get(i).copied().unwrap_or(false) { 1.0 } else { 0.0 };
        let q = |i: usize, c: usize| soft.targets.get((i, c)).copied().unwrap_or(0.0);
        let mut total = 0.0;
        if self.scores == 1 {
            for i in 0..n {
                let z = work.logits[(i, 0)];
                let positive = self.labels[i] == 1;
                let e = crate::model::fast_math::exp(-z.abs());
                let loss = if positive { (-z).max(0.0) } else { z.max(0.0) } + crate::model::fast_math::ln_1p_unit(e);
                let p = if z >= 0.0 { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
                let zt = z / tt;
                let soft_loss = tt * tt * (softplus_exact(zt) - q(i, 0) * zt);
                total += alpha * loss * lab(i) + (1.0 - alpha) * soft_loss;
                work.proba[(i, 0)] = p;
                let soft_grad = tt * (sigmoid(zt) - q(i, 0));
                work.residual[(i, 0)] =
                    alpha * (p - f64::from(u8::from(positive))) * lab(i) + (1.0 - alpha) * soft_grad;
            }
        } else {
            let mut tempered = vec![0.0; self.scores];
            for i in 0..n {
                let mut max = f64::NEG_INFINITY;
                for c in 0..self.scores {
                    max = max.max(work.logits[(i, c)]);
                }
                let mut sum = 0.0;
                for c in 0..self.scores {
                    let e = (work.logits[(i, c)] - max).exp();
                    work.proba[(i, c)] = e;
                    sum += e;
                }
                let label = self.labels[i];
                let loss = (max - work.logits[(i, label)]) + sum.ln();
                let max_t = max / tt;
                let mut sum_t = 0.0;
                for (c, v) in tempered.iter_mut().enumerate() {
                    *v = (work.logits[(i, c)] / tt - max_t).exp();
                    sum_t += *v;
                }
                let log_sum_t = max_t + sum_t.ln();
                let soft_loss =
                    tt * tt * (0..self.scores).map(|c| q(i, c) * (log_sum_t - work.logits[(i, c)] / tt)).sum::<f64>();
                total += alpha * loss * lab(i) + (1.0 - alpha) * soft_loss;
                for c in 0..self.scores {
                    let p = work.proba[(i, c)] / sum;
                    work.proba[(i, c)] = p;
                    let hard = if c == label { p - 1.0 } else { p };
                    let soft_grad = tt * (tempered[c] / sum_t - q(i, c));
                    work.residual[(i, c)] = alpha * hard * lab(i) + (1.0 - alpha) * soft_grad;
                }
            }
        }
        let mean = total / self.normaliser;
        mean + 0.5 * self.l2 * self.squared_norm(theta) + self.l1 * self.l1_norm(theta)
    }

    /// Gradient of the smooth part (cross-entropy and L2) at the `theta` last passed to
    /// [`Objective::value`] with this `work`.
    pub fn gradient(&self, theta: &[f64], work: &Work) -> Vec<f64> {
        let n = self.normaliser;
        let mut grad = DMatrix::zeros(self.q(), self.scores);
        transpose_product(self.design, &work.residual, &mut grad);
        let mut grad: Vec<f64> = grad.as_slice().iter().map(|g| g / n).collect();
        for (i, g) in grad.iter_mut().enumerate() {
            if self.is_penalised(i) {
                *g += self.l2 * theta[i];
            }
        }
        grad
    }

    /// Hessian of the smooth part at the `theta` last passed to [`Objective::value`]:
    /// `Xᵀ diag(w ⊙ p(1 − p)) X / S` for one score; for several, the block `(c, c')` is
    /// `Xᵀ diag(w ⊙ p_c (δ_cc' − p_c')) X / S`, formed as `blockdiag(Xᵀ M_c) − Mᵀ M` with
    /// `M_c = diag(p_c) X`. The L2 term adds `l2` on the weights' diagonal.
    pub fn hessian(&self, work: &Work) -> DMatrix<f64> {
        let (n, q) = self.design.shape();
        let s = self.scores;
        let scale = 1.0 / self.normaliser;
        let mut hessian = DMatrix::zeros(q * s, q * s);
        if s == 1 {
            let mut curvature = work.proba.column(0).map(|p| p * (1.0 - p));
            if let Some(weights) = self.row_weights {
                curvature.iter_mut().zip(weights).for_each(|(c, w)| *c *= w);
            }
            let mut weighted = self.design.clone();
            for mut column in weighted.column_iter_mut() {
                column.component_mul_assign(&curvature);
            }
            transpose_product(self.design, &weighted, &mut hessian);
        } else {
            let mut scaled = DMatrix::zeros(n, q * s);
            for c in 0..s {
                for j in 0..q {
                    let source = self.design.column(j);
                    let mut target = scaled.column_mut(c * q + j);
                    for i in 0..n {
                        target[i] = work.proba[(i, c)] * source[i];
                    }
                }
            }
            // With weights: Xᵀ diag(w ⊙ p_c (δ_cc' − p_c')) X = blockdiag(Xᵀ D M_c) − Mᵀ D M, D = diag(w).
            let weighted_scaled = self.row_weights.map(|weights| {
                let mut copy = scaled.clone();
                for mut column in copy.column_iter_mut() {
                    column.iter_mut().zip(weights).for_each(|(v, w)| *v *= w);
                }
                copy
            });
            let left = weighted_scaled.as_ref().unwrap_or(&scaled);
            transpose_product(left, &scaled, &mut hessian);
            hessian.neg_mut();
            let mut diagonal_blocks = DMatrix::zeros(q, q * s);
            transpose_product(self.design, left, &mut diagonal_blocks);
            for c in 0..s {
                let mut block = hessian.view_mut((c * q, c * q), (q, q));
                block += diagonal_blocks.view((0, c * q), (q, q));
            }
        }
        hessian *= scale;
        for i in 0..q * s {
            if self.is_penalised(i) {
                hessian[(i, i)] += self.l2;
            }
        }
        hessian
    }

    /// How far `theta` is from optimal: the largest entry of the smallest subgradient of the
    /// whole objective (the gradient itself without L1). Zero exactly at the minimum.
    pub fn optimality(&self, theta: &[f64], grad: &[f64]) -> f64 {
        let mut worst: f64 = 0.0;
        for (i, (&w, &g)) in theta.iter().zip(grad).enumerate() {
            let v = if self.l1 > 0.0 && self.is_penalised(i) {
                if w != 0.0 {
                    (g + self.l1 * w.signum()).abs()
                } else {
                    (g.abs() - self.l1).max(0.0)
                }
            } else {
                g.abs()
            };
            // NaN propagates as "not optimal".
            worst = if v.is_nan() { f64::INFINITY } else { worst.max(v) };
        }
        worst
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::gaussian;
    use crate::data::rng;

    /// A random design with a final ones column and random labels in `0..k`.
    fn problem(n: usize, p: usize, k: usize, seed: u64) -> (DMatrix<f64>, Vec<usize>) {
        let mut r = rng(seed);
        let design = DMatrix::from_fn(n, p + 1, |_, j| if j == p { 1.0 } else { gaussian(&mut r) });
        let labels = (0..n).map(|i| (i * 7 + i / 3) % k).collect();
        (design, labels)
    }

    fn random_theta(len: usize, seed: u64) -> Vec<f64> {
        let mut r = rng(seed);
        // Keep every entry away from 0 so |w| is differentiable at it.
        (0..len)
            .map(|_| {
                let g = gaussian(&mut r);
                g.signum() * (0.2 + g.abs())
            })
            .collect()
    }

    /// Central finite differences of `f` at `x`.
    fn numeric_gradient(f: impl Fn(&[f64]) -> f64, x: &[f64]) -> Vec<f64> {
        let h = 1e-6;
        (0..x.len())
            .map(|i| {
                let mut plus = x.to_vec();
                let mut minus = x.to_vec();
                plus[i] += h;
                minus[i] -= h;
                (f(&plus) - f(&minus)) / (2.0 * h)
            })
            .collect()
    }

    const PENALTIES: [(&str, f64, f64); 4] =
        [("none", 0.0, 0.0), ("l2", 0.3, 0.0), ("l1", 0.0, 0.2), ("elastic net", 0.15, 0.1)];

    #[test]
    fn gradient_matches_finite_differences() {
        for (k, scores) in [(2, 1), (3, 3), (5, 5)] {
            let (design, labels) = problem(40, 3, k, 11);
            for (name, l2, l1) in PENALTIES {
                let objective = Objective::new(&design, &labels, scores, l2, l1);
                let theta = random_theta(objective.len(), 5);
                let mut work = Work::new(40, scores);
                objective.value(&theta, &mut work);
                let mut analytic = objective.gradient(&theta, &work);
                // The L1 term is differentiable away from 0: add l1 · sign(w).
                for (i, g) in analytic.iter_mut().enumerate() {
                    if objective.is_penalised(i) {
                        *g += l1 * theta[i].signum();
                    }
                }
                let numeric = numeric_gradient(|t| objective.value(t, &mut Work::new(40, scores)), &theta);
                for (a, b) in analytic.iter().zip(&numeric) {
                    assert!((a - b).abs() < 1e-7 * (1.0 + b.abs()), "{k} classes, {name}: {analytic:?} vs {numeric:?}");
                }
            }
        }
    }

    #[test]
    fn hessian_matches_finite_differences_of_the_gradient() {
        for (k, scores) in [(2, 1), (4, 4)] {
            // p = 6 so the multiclass Hessian goes through the blocked matrix product.
            let (design, labels) = problem(30, 6, k, 3);
            let objective = Objective::new(&design, &labels, scores, 0.4, 0.0);
            let theta = random_theta(objective.len(), 9);
            let mut work = Work::new(30, scores);
            objective.value(&theta, &mut work);
            let hessian = objective.hessian(&work);
            for j in 0..objective.len() {
                let column = numeric_gradient(
                    |t| {
                        let mut w = Work::new(30, scores);
                        objective.value(t, &mut w);
                        objective.gradient(t, &w)[j]
                    },
                    &theta,
                );
                for (i, numeric) in column.iter().enumerate() {
                    assert!(
                        (hessian[(i, j)] - numeric).abs() < 1e-6,
                        "{k} classes, ({i}, {j}): {} vs {numeric}",
                        hessian[(i, j)]
                    );
                }
            }
        }
    }

    /// Weights 1, 2 or 3 per row (a weighted mean needs no particular sum).
    fn integer_weights(n: usize) -> Vec<f64> {
        (0..n).map(|i| (1 + (i * 5) % 3) as f64).collect()
    }

    #[test]
    fn weighted_gradient_and_hessian_match_finite_differences() {
        for (k, scores) in [(2, 1), (4, 4)] {
            // p = 6 so the multiclass Hessian goes through the blocked matrix product.
            let (design, labels) = problem(30, 6, k, 7);
            let weights: Vec<f64> = (0..30).map(|i| 0.3 + (i % 7) as f64 * 0.45).collect();
            let total: f64 = weights.iter().sum();
            let objective = Objective::new(&design, &labels, scores, 0.4, 0.0).weighted(&weights, total);
            let theta = random_theta(objective.len(), 2);
            let mut work = Work::new(30, scores);
            objective.value(&theta, &mut work);
            let grad = objective.gradient(&theta, &work);
            let hessian = objective.hessian(&work);
            let numeric = numeric_gradient(|t| objective.value(t, &mut Work::new(30, scores)), &theta);
            for (a, b) in grad.iter().zip(&numeric) {
                assert!((a - b).abs() < 1e-7 * (1.0 + b.abs()), "{k} classes: {grad:?} vs {numeric:?}");
            }
            for j in 0..objective.len() {
                let column = numeric_gradient(
                    |t| {
                        let mut w = Work::new(30, scores);
                        objective.value(t, &mut w);
                        objective.gradient(t, &w)[j]
                    },
                    &theta,
                );
                for (i, numeric) in column.iter().enumerate() {
                    assert!((hessian[(i, j)] - numeric).abs() < 1e-6, "{k} classes, ({i}, {j})");
                }
            }
        }
    }

    #[test]
    fn integer_weights_count_like_repeated_rows() {
        for (k, scores) in [(2, 1), (3, 3)] {
            let (design, labels) = problem(25, 6, k, 4);
            let weights = integer_weights(25);
            let rows: Vec<usize> = (0..25).flat_map(|i| std::iter::repeat_n(i, weights[i] as usize)).collect();
            let repeated = design.select_rows(rows.iter());
            let repeated_labels: Vec<usize> = rows.iter().map(|&i| labels[i]).collect();
            let weighted = Objective::new(&design, &labels, scores, 0.3, 0.2).weighted(&weights, weights.iter().sum());
            let plain = Objective::new(&repeated, &repeated_labels, scores, 0.3, 0.2);
            let theta = random_theta(weighted.len(), 8);
            let (mut w1, mut w2) = (Work::new(25, scores), Work::new(rows.len(), scores));
            let (v1, v2) = (weighted.value(&theta, &mut w1), plain.value(&theta, &mut w2));
            assert!((v1 - v2).abs() < 1e-13, "{k} classes: {v1} vs {v2}");
            for (a, b) in weighted.gradient(&theta, &w1).iter().zip(plain.gradient(&theta, &w2)) {
                assert!((a - b).abs() < 1e-13, "{k} classes: gradient {a} vs {b}");
            }
            let difference = (weighted.hessian(&w1) - plain.hessian(&w2)).abs().max();
            assert!(difference < 1e-13, "{k} classes: Hessians differ by {difference}");
            // Not the unweighted objective: the weights matter.
            let unweighted = Objective::new(&design, &labels, scores, 0.3, 0.2);
            assert!((unweighted.value(&theta, &mut Work::new(25, scores)) - v1).abs() > 1e-3);
        }
    }

    #[test]
    fn weights_of_one_change_nothing() {
        let (design, labels) = problem(20, 3, 3, 5);
        let ones = vec![1.0; 20];
        let plain = Objective::new(&design, &labels, 3, 0.3, 0.0);
        let weighted = Objective::new(&design, &labels, 3, 0.3, 0.0).weighted(&ones, 20.0);
        let theta = random_theta(plain.len(), 1);
        let (mut w1, mut w2) = (Work::new(20, 3), Work::new(20, 3));
        assert_eq!(plain.value(&theta, &mut w1).to_bits(), weighted.value(&theta, &mut w2).to_bits());
        assert_eq!(plain.gradient(&theta, &w1), weighted.gradient(&theta, &w2));
        assert_eq!(plain.hessian(&w1), weighted.hessian(&w2));
    }

    #[test]
    fn value_at_zero_is_ln_k_and_extremes_stay_finite() {
        for (k, scores) in [(2, 1), (3, 3)] {
            let (design, labels) = problem(12, 2, k, 1);
            let objective = Objective::new(&design, &labels, scores, 1.0, 1.0);
            let mut work = Work::new(12, scores);
            assert!((objective.value(&vec![0.0; objective.len()], &mut work) - (k as f64).ln()).abs() < 1e-15);
            // Scores of ±1e300: the loss is finite or +∞, never NaN.
            let huge = vec![1e300; objective.len()];
            let v = objective.value(&huge, &mut work);
            assert!(!v.is_nan());
            assert!(objective.gradient(&huge, &work).iter().all(|g| !g.is_nan()));
        }
        assert_eq!(softplus(-800.0), 0.0f64.max(-800.0) + (-800f64).exp().ln_1p());
        assert!((softplus(800.0) - 800.0).abs() < 1e-12 && sigmoid(-800.0) >= 0.0 && sigmoid(800.0) == 1.0);
    }

    #[test]
    fn optimality_measures_the_smallest_subgradient() {
        let (design, labels) = problem(4, 1, 2, 1);
        let objective = Objective::new(&design, &labels, 1, 0.0, 0.5);
        // Weight at 0 with |g| below l1: optimal; the intercept's gradient counts in full.
        assert_eq!(objective.optimality(&[0.0, 1.0], &[0.3, 0.0]), 0.0);
        assert!((objective.optimality(&[0.0, 1.0], &[0.8, 0.1]) - 0.3).abs() < 1e-15);
        assert!((objective.optimality(&[2.0, 1.0], &[-0.5, 0.0])).abs() < 1e-15);
        assert_eq!(objective.optimality(&[f64::NAN, 0.0], &[f64::NAN, 0.0]), f64::INFINITY);
    }
}
