//! The Gaussian-process surrogate of Bayesian search: a Matérn 5/2 kernel with one length scale per
//! feature (ARD), an amplitude and a noise variance, fitted by maximising the log marginal
//! likelihood on normalised targets; the posterior mean and variance; and expected improvement.
//!
//! The posterior follows scikit-learn's `GaussianProcessRegressor` (`normalize_y=True`: targets
//! centred and scaled by their standard deviation; Cholesky of K + noise·I; the predictive variance
//! excludes the noise), so with fixed kernel parameters both agree to rounding (tests/native/tune.rs).
//! Hyper-parameters live in log space, mapped into their bounds through a logistic so that an
//! unconstrained L-BFGS climbs the likelihood with its analytic gradient, from a few starts.

use crate::data::Rng;
use crate::error::Result;
use nalgebra::{Cholesky, DMatrix, DVector, Dyn};
use rand::RngExt;

const SQRT5: f64 = 2.236_067_977_499_79;

/// Bounds of the fitted hyper-parameters (features live in [0, 1], targets are normalised).
pub const LENGTH_SCALE_BOUNDS: (f64, f64) = (0.01, 100.0);
pub const AMPLITUDE_BOUNDS: (f64, f64) = (0.01, 100.0);
pub const NOISE_BOUNDS: (f64, f64) = (1e-6, 1.0);

/// The kernel's parameters: `amplitude · Matérn52(‖(x − x′) / length_scales‖)`, plus `noise` on
/// the diagonal of the training covariance.
#[derive(Debug, Clone, PartialEq)]
pub struct Kernel {
    pub length_scales: Vec<f64>,
    pub amplitude: f64,
    pub noise: f64,
}

impl Kernel {
    /// Every length scale `length`, unit amplitude, the given noise.
    pub fn isotropic(dim: usize, length: f64, noise: f64) -> Kernel {
        Kernel { length_scales: vec![length; dim], amplitude: 1.0, noise }
    }

    /// The covariance of two points.
    pub fn cov(&self, a: &[f64], b: &[f64]) -> f64 {
        let r2: f64 = a.iter().zip(b).zip(&self.length_scales).map(|((x, y), l)| ((x - y) / l).powi(2)).sum();
        let r = r2.sqrt();
        self.amplitude * (1.0 + SQRT5 * r + 5.0 / 3.0 * r2) * (-SQRT5 * r).exp()
    }

    /// `[ln ℓ₁ … ln ℓ_d, ln amplitude, ln noise]`.
    fn theta(&self) -> Vec<f64> {
        let mut t: Vec<f64> = self.length_scales.iter().map(|l| l.ln()).collect();
        t.push(self.amplitude.ln());
        t.push(self.noise.ln());
        t
    }

    fn from_theta(t: &[f64]) -> Kernel {
        let d = t.len() - 2;
        Kernel { length_scales: t[..d].iter().map(|x| x.exp()).collect(), amplitude: t[d].exp(), noise: t[d + 1].exp() }
    }
}

/// Targets centred and scaled as scikit-learn's `normalize_y=True` does (a constant target keeps
/// scale 1).
fn normalise(y: &[f64]) -> (Vec<f64>, f64, f64) {
    let n = y.len().max(1) as f64;
    let mean = y.iter().sum::<f64>() / n;
    let var = y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let std = if var.sqrt() > 0.0 { var.sqrt() } else { 1.0 };
    (y.iter().map(|v| (v - mean) / std).collect(), mean, std)
}

/// The covariance matrix of the training points without noise.
fn gram(x: &[Vec<f64>], kernel: &Kernel) -> DMatrix<f64> {
    let n = x.len();
    let mut k = DMatrix::zeros(n, n);
    for i in 0..n {
        for j in 0..=i {
            let c = kernel.cov(&x[i], &x[j]);
            k[(i, j)] = c;
            k[(j, i)] = c;
        }
    }
    k
}

/// The Cholesky factor of `k + noise·I`, adding jitter (1e-10 up to 1e-4 of the mean diagonal)
/// only if it is needed for the factorisation to succeed.
fn cholesky(k: &DMatrix<f64>, noise: f64) -> Result<Cholesky<f64, Dyn>> {
    let n = k.nrows();
    let scale = (0..n).map(|i| k[(i, i)]).sum::<f64>() / n.max(1) as f64;
    let mut jitter = 0.0;
    loop {
        let mut m = k.clone();
        for i in 0..n {
            m[(i, i)] += noise + jitter;
        }
        if let Some(c) = Cholesky::new(m) {
            return Ok(c);
        }
        jitter = if jitter == 0.0 { 1e-10 * scale.max(1e-300) } else { jitter * 10.0 };
        if !jitter.is_finite() || jitter > 1e-4 * scale.max(1e-300) {
            return Err(err!(
                Singular,
                "internal",
                detail = "the surrogate's covariance matrix is not positive definite even with jitter"
            ));
        }
    }
}

/// A fitted Gaussian process.
#[derive(Debug, Clone)]
pub struct Gp {
    x: Vec<Vec<f64>>,
    kernel: Kernel,
    chol: Cholesky<f64, Dyn>,
    alpha: DVector<f64>,
    y_mean: f64,
    y_std: f64,
}

impl Gp {
    /// Conditions the process with kernel `kernel` on points `x` (rows) and targets `y`, with
    /// targets normalised when `normalise_y` (scikit-learn's `normalize_y`).
    pub fn fit(x: &[Vec<f64>], y: &[f64], kernel: Kernel, normalise_y: bool) -> Result<Gp> {
        if x.is_empty() || x.len() != y.len() || y.iter().any(|v| !v.is_finite()) {
            return Err(err!(InvalidData, "internal", detail = "the surrogate needs as many finite targets as points"));
        }
        if x.iter().any(|r| r.len() != kernel.length_scales.len()) {
            return Err(err!(InvalidData, "internal", detail = "each point needs one coordinate per length scale"));
        }
        let (yn, y_mean, y_std) = if normalise_y { normalise(y) } else { (y.to_vec(), 0.0, 1.0) };
        let chol = cholesky(&gram(x, &kernel), kernel.noise)?;
        let alpha = chol.solve(&DVector::from_vec(yn));
        Ok(Gp { x: x.to_vec(), kernel, chol, alpha, y_mean, y_std })
    }

    /// Fits the kernel's hyper-parameters by maximising the log marginal likelihood on normalised
    /// targets (L-BFGS from `start`, or a default, and from `restarts` random starts), then
    /// conditions on the data.
    pub fn fit_optimised(
        x: &[Vec<f64>],
        y: &[f64],
        start: Option<&Kernel>,
        restarts: usize,
        rng: &mut Rng,
    ) -> Result<Gp> {
        let d = x.first().map_or(0, Vec::len);
        let (yn, _, _) = normalise(y);
        let bounds = bounds(d);
        // The previous fit (warm start), or a default; then random starts.
        let mut starts = vec![match start.filter(|k| k.length_scales.len() == d) {
            Some(k) => k.theta(),
            None => Kernel::isotropic(d, 0.5, 1e-4).theta(),
        }];
        for _ in 0..restarts {
            starts.push(bounds.iter().map(|(lo, hi)| lo + (hi - lo) * rng.random::<f64>()).collect());
        }
        let mut best: Option<(f64, Vec<f64>)> = None;
        for s in starts {
            if let Some((v, t)) = maximise_lml(x, &yn, &s, &bounds) {
                if best.as_ref().is_none_or(|(b, _)| v > *b) {
                    best = Some((v, t));
                }
            }
        }
        let theta = best.map(|(_, t)| t).unwrap_or_else(|| Kernel::isotropic(d, 0.5, 1e-4).theta());
        Gp::fit(x, y, Kernel::from_theta(&theta), true)
    }

    /// The fitted kernel.
    pub fn kernel(&self) -> &Kernel {
        &self.kernel
    }

    /// The posterior mean and variance (of the latent function, without noise) at `x`.
    pub fn predict(&self, x: &[f64]) -> (f64, f64) {
        // On plain slices (L column-major): this runs for every acquisition candidate.
        let n = self.x.len();
        let ls = self.chol.l_dirty().as_slice();
        let mut v: Vec<f64> = self.x.iter().map(|xi| self.kernel.cov(xi, x)).collect();
        let mean: f64 = v.iter().zip(self.alpha.as_slice()).map(|(k, a)| k * a).sum();
        // v ← L⁻¹ k by forward substitution.
        for i in 0..n {
            let mut sum = v[i];
            for j in 0..i {
                sum -= ls[i + j * n] * v[j];
            }
            v[i] = sum / ls[i + i * n];
        }
        let var = (self.kernel.amplitude - v.iter().map(|t| t * t).sum::<f64>()).max(0.0);
        (mean * self.y_std + self.y_mean, var * self.y_std * self.y_std)
    }

    /// The posterior mean and standard deviation at `x` with their gradients in `x` (for the
    /// acquisition's L-BFGS): with k(x) the covariances to the training points,
    /// ∂k_i/∂x_j = −5/3 · amplitude · (1 + √5 r) e^{−√5 r} · (x_j − x_ij) / ℓ_j², so
    /// ∂μ/∂x_j = Σ α_i ∂k_i/∂x_j and ∂σ²/∂x_j = −2 Σ (K⁻¹k)_i ∂k_i/∂x_j. Where the variance is 0
    /// (at a training point without noise) the standard deviation's gradient is taken as 0.
    pub fn predict_with_gradient(&self, x: &[f64]) -> Prediction {
        let n = self.x.len();
        let d = x.len();
        let ls = self.chol.l_dirty().as_slice();
        let amp = self.kernel.amplitude;
        let mut k = Vec::with_capacity(n);
        // dk[i * d + j] = ∂k_i/∂x_j
        let mut dk = vec![0.0; n * d];
        for (i, xi) in self.x.iter().enumerate() {
            let r2: f64 =
                x.iter().zip(xi).zip(&self.kernel.length_scales).map(|((a, b), l)| ((a - b) / l).powi(2)).sum();
            let r = r2.sqrt();
            let e = (-SQRT5 * r).exp();
            k.push(amp * (1.0 + SQRT5 * r + 5.0 / 3.0 * r2) * e);
            let c = -5.0 / 3.0 * amp * (1.0 + SQRT5 * r) * e;
            for j in 0..d {
                dk[i * d + j] = c * (x[j] - xi[j]) / (self.kernel.length_scales[j] * self.kernel.length_scales[j]);
            }
        }
        let alpha = self.alpha.as_slice();
        let mean: f64 = k.iter().zip(alpha).map(|(k, a)| k * a).sum();
        // v = L⁻¹ k (forward), w = L⁻ᵀ v = K⁻¹ k (backward).
        let mut v = k.clone();
        for i in 0..n {
            let mut sum = v[i];
            for j in 0..i {
                sum -= ls[i + j * n] * v[j];
            }
            v[i] = sum / ls[i + i * n];
        }
        let mut w = v.clone();
        for i in (0..n).rev() {
            let mut sum = w[i];
            for j in i + 1..n {
                sum -= ls[j + i * n] * w[j];
            }
            w[i] = sum / ls[i + i * n];
        }
        let var = amp - v.iter().map(|t| t * t).sum::<f64>();
        let mut mean_grad = vec![0.0; d];
        let mut var_grad = vec![0.0; d];
        for i in 0..n {
            for j in 0..d {
                mean_grad[j] += alpha[i] * dk[i * d + j];
                var_grad[j] -= 2.0 * w[i] * dk[i * d + j];
            }
        }
        let (std, std_grad) = if var > 0.0 {
            let s = var.sqrt();
            (s * self.y_std, var_grad.iter().map(|g| g / (2.0 * s) * self.y_std).collect())
        } else {
            (0.0, vec![0.0; d])
        };
        Prediction {
            mean: mean * self.y_std + self.y_mean,
            std,
            mean_grad: mean_grad.iter().map(|g| g * self.y_std).collect(),
            std_grad,
        }
    }
}

/// The posterior at one point with its gradients ([`Gp::predict_with_gradient`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub mean: f64,
    pub std: f64,
    pub mean_grad: Vec<f64>,
    pub std_grad: Vec<f64>,
}

fn bounds(d: usize) -> Vec<(f64, f64)> {
    let ln = |(a, b): (f64, f64)| (a.ln(), b.ln());
    let mut b = vec![ln(LENGTH_SCALE_BOUNDS); d];
    b.push(ln(AMPLITUDE_BOUNDS));
    b.push(ln(NOISE_BOUNDS));
    b
}

/// The log marginal likelihood of targets `y` (already normalised if wanted) under the kernel with
/// log-parameters `theta` = `[ln ℓ₁ … ln ℓ_d, ln amplitude, ln noise]`, and its gradient in `theta`.
pub fn log_marginal_likelihood(x: &[Vec<f64>], y: &[f64], theta: &[f64]) -> Result<(f64, Vec<f64>)> {
    let n = x.len();
    let d = theta.len().saturating_sub(2);
    if n == 0 || theta.len() < 2 || y.len() != n || x.iter().any(|r| r.len() != d) {
        return Err(err!(
            InvalidData,
            "internal",
            detail = "the likelihood needs one target per point and one length scale per feature"
        ));
    }
    let kernel = Kernel::from_theta(theta);
    let kf = gram(x, &kernel);
    let chol = cholesky(&kf, kernel.noise)?;
    let yv = DVector::from_column_slice(y);
    let alpha = chol.solve(&yv);
    let log_det: f64 = chol.l_dirty().diagonal().iter().map(|v| v.ln()).sum();
    let lml = -0.5 * yv.dot(&alpha) - log_det - 0.5 * n as f64 * (2.0 * std::f64::consts::PI).ln();
    // ∂L/∂θ = ½ tr(W ∂K/∂θ) with W = ααᵀ − K⁻¹.
    let k_inv = inverse_from_cholesky(chol.l_dirty());
    let w = |a: usize, b: usize| alpha[a] * alpha[b] - k_inv[a * n + b];
    let mut grad = vec![0.0; d + 2];
    for a in 0..n {
        for b in 0..a {
            // ∂k/∂ln ℓ_i = amplitude · 5/3 · (1 + √5 r) e^{−√5 r} · (Δ_i / ℓ_i)², both triangles.
            let scaled = |i: usize| ((x[a][i] - x[b][i]) / kernel.length_scales[i]).powi(2);
            let r = (0..d).map(scaled).sum::<f64>().sqrt();
            let c = w(a, b) * kernel.amplitude * 5.0 / 3.0 * (1.0 + SQRT5 * r) * (-SQRT5 * r).exp();
            for (i, g) in grad[..d].iter_mut().enumerate() {
                *g += c * scaled(i);
            }
            grad[d] += w(a, b) * kf[(a, b)];
        }
        grad[d] += 0.5 * w(a, a) * kf[(a, a)];
        grad[d + 1] += 0.5 * w(a, a) * kernel.noise;
    }
    Ok((lml, grad))
}

/// K⁻¹ (row-major, full) from the lower Cholesky factor L of K: L⁻¹ by forward substitution, then
/// K⁻¹ = L⁻ᵀ L⁻¹. On plain slices, which is several times faster than nalgebra's generic `inverse`
/// in debug builds (the likelihood's gradient needs it at every step of the fit).
fn inverse_from_cholesky(l: &DMatrix<f64>) -> Vec<f64> {
    let n = l.nrows();
    let ls = l.as_slice(); // column-major: L[i, j] = ls[i + j n]
    let mut inv = vec![0.0; n * n]; // L⁻¹, column-major, lower triangle
    for j in 0..n {
        inv[j + j * n] = 1.0 / ls[j + j * n];
        for i in j + 1..n {
            let mut sum = 0.0;
            for k in j..i {
                sum += ls[i + k * n] * inv[k + j * n];
            }
            inv[i + j * n] = -sum / ls[i + i * n];
        }
    }
    let mut k_inv = vec![0.0; n * n];
    for a in 0..n {
        for b in 0..=a {
            let (col_a, col_b) = (&inv[a * n..(a + 1) * n], &inv[b * n..(b + 1) * n]);
            let v: f64 = (a..n).map(|k| col_a[k] * col_b[k]).sum();
            k_inv[a * n + b] = v;
            k_inv[b * n + a] = v;
        }
    }
    k_inv
}

/// Maximises the log marginal likelihood from `start` within `bounds` (log space): θ is written as
/// `lo + (hi − lo)·σ(z)` and L-BFGS runs on z. Returns the best value and θ, or `None` if the
/// start itself cannot be evaluated.
fn maximise_lml(x: &[Vec<f64>], y: &[f64], start: &[f64], bounds: &[(f64, f64)]) -> Option<(f64, Vec<f64>)> {
    let to_theta = |z: &[f64]| -> Vec<f64> {
        z.iter().zip(bounds).map(|(z, (lo, hi))| lo + (hi - lo) / (1.0 + (-z).exp())).collect()
    };
    // The objective to minimise: −L in z, with the chain rule through the logistic.
    let f = |z: &[f64]| -> Option<(f64, Vec<f64>)> {
        let theta = to_theta(z);
        let (v, g) = log_marginal_likelihood(x, y, &theta).ok()?;
        if !v.is_finite() {
            return None;
        }
        let gz = g
            .iter()
            .zip(z)
            .zip(bounds)
            .map(|((g, z), (lo, hi))| {
                let s = 1.0 / (1.0 + (-z).exp());
                -g * (hi - lo) * s * (1.0 - s)
            })
            .collect();
        Some((-v, gz))
    };
    let z0: Vec<f64> = start
        .iter()
        .zip(bounds)
        .map(|(t, (lo, hi))| {
            let p = ((t - lo) / (hi - lo)).clamp(1e-6, 1.0 - 1e-6);
            (p / (1.0 - p)).ln()
        })
        .collect();
    let (z, v) = lbfgs(f, z0, 60)?;
    Some((-v, to_theta(&z)))
}

/// Minimises `f` (value and gradient; `None` where it cannot be evaluated) by L-BFGS with memory 6
/// and a backtracking (Armijo) line search, for at most `iterations` steps.
fn lbfgs<F: Fn(&[f64]) -> Option<(f64, Vec<f64>)>>(f: F, x0: Vec<f64>, iterations: usize) -> Option<(Vec<f64>, f64)> {
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let (mut fx, mut g) = f(&x0)?;
    let mut x = x0;
    let mut history: Vec<(Vec<f64>, Vec<f64>, f64)> = Vec::new();
    for _ in 0..iterations {
        if dot(&g, &g).sqrt() < 1e-6 {
            break;
        }
        // Two-loop recursion for the direction −H g.
        let mut q = g.clone();
        let mut alphas = Vec::with_capacity(history.len());
        for (s, yv, rho) in history.iter().rev() {
            let a = rho * dot(s, &q);
            q.iter_mut().zip(yv).for_each(|(q, y)| *q -= a * y);
            alphas.push(a);
        }
        if let Some((s, yv, _)) = history.last() {
            let gamma = dot(s, yv) / dot(yv, yv);
            q.iter_mut().for_each(|q| *q *= gamma);
        } else {
            let norm = dot(&g, &g).sqrt();
            q.iter_mut().for_each(|q| *q /= norm.max(1.0));
        }
        for ((s, yv, rho), a) in history.iter().zip(alphas.iter().rev()) {
            let b = rho * dot(yv, &q);
            q.iter_mut().zip(s).for_each(|(q, s)| *q += (a - b) * s);
        }
        let mut direction: Vec<f64> = q.iter().map(|v| -v).collect();
        let mut slope = dot(&g, &direction);
        if !(slope < 0.0) {
            history.clear();
            direction = g.iter().map(|v| -v).collect();
            slope = dot(&g, &direction);
        }
        let mut step = 1.0;
        let mut accepted = None;
        for _ in 0..30 {
            let trial: Vec<f64> = x.iter().zip(&direction).map(|(x, d)| x + step * d).collect();
            if let Some((ft, gt)) = f(&trial) {
                if ft <= fx + 1e-4 * step * slope {
                    accepted = Some((trial, ft, gt));
                    break;
                }
            }
            step *= 0.5;
        }
        let Some((xn, fnew, gn)) = accepted else { break };
        let s: Vec<f64> = xn.iter().zip(&x).map(|(a, b)| a - b).collect();
        let yv: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &yv);
        if sy > 1e-12 {
            history.push((s, yv, 1.0 / sy));
            if history.len() > 6 {
                history.remove(0);
            }
        }
        let improvement = fx - fnew;
        x = xn;
        fx = fnew;
        g = gn;
        if improvement < 1e-9 * (1.0 + fx.abs()) {
            break;
        }
    }
    Some((x, fx))
}

/// The standard normal density.
pub fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// The standard normal distribution function.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// The complementary error function, to about 1e-14 relative: the Taylor series of erf near 0,
/// a continued fraction (evaluated backwards) in the tails.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < 1.5 {
        // erf x = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1)).
        let mut term = x;
        let mut sum = x;
        let x2 = x * x;
        for n in 1..200 {
            term *= -x2 / n as f64;
            let add = term / (2 * n + 1) as f64;
            sum += add;
            if add.abs() < 1e-17 * sum.abs() {
                break;
            }
        }
        return 1.0 - 2.0 / std::f64::consts::PI.sqrt() * sum;
    }
    if x > 27.0 {
        return 0.0;
    }
    // erfc x = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))).
    let mut fraction = x;
    for k in (1..=120).rev() {
        fraction = x + (k as f64 / 2.0) / fraction;
    }
    (-x * x).exp() / std::f64::consts::PI.sqrt() / fraction
}

/// Expected improvement below `best` of a normal with `mean` and standard deviation `std`, with
/// exploration margin `xi`: E[max(best − xi − Y, 0)] = (best − xi − μ) Φ(z) + σ φ(z), z = (best − xi − μ)/σ.
pub fn expected_improvement(mean: f64, std: f64, best: f64, xi: f64) -> f64 {
    let gain = best - xi - mean;
    if !(std > 1e-12) {
        return gain.max(0.0);
    }
    let z = gain / std;
    (gain * normal_cdf(z) + std * normal_pdf(z)).max(0.0)
}

/// Expected improvement (as [`expected_improvement`]) and its gradient in `x`, from the posterior
/// and its gradients: ∂EI/∂μ = −Φ(z) and ∂EI/∂σ = φ(z), so ∇EI = −Φ(z) ∇μ + φ(z) ∇σ.
pub fn expected_improvement_with_gradient(p: &Prediction, best: f64, xi: f64) -> (f64, Vec<f64>) {
    let gain = best - xi - p.mean;
    if !(p.std > 1e-12) {
        if gain > 0.0 {
            return (gain, p.mean_grad.iter().map(|g| -g).collect());
        }
        return (0.0, vec![0.0; p.mean_grad.len()]);
    }
    let z = gain / p.std;
    let (cdf, pdf) = (normal_cdf(z), normal_pdf(z));
    let ei = gain * cdf + p.std * pdf;
    if !(ei > 0.0) {
        return (0.0, vec![0.0; p.mean_grad.len()]);
    }
    (ei, p.mean_grad.iter().zip(&p.std_grad).map(|(m, s)| -cdf * m + pdf * s).collect())
}

/// Minimises `f` (value and gradient; `None` where it cannot be evaluated) over the box
/// `[0, 1]^d` by projected L-BFGS: the quasi-Newton direction with the coordinates held at a bound
/// (gradient pushing outward) left out, steps projected back into the box, an Armijo backtracking
/// line search on the projected step. At most `iterations` steps.
pub fn lbfgs_box<F: Fn(&[f64]) -> Option<(f64, Vec<f64>)>>(
    f: F,
    x0: Vec<f64>,
    iterations: usize,
) -> Option<(Vec<f64>, f64)> {
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let project = |x: &mut [f64]| x.iter_mut().for_each(|v| *v = v.clamp(0.0, 1.0));
    let mut x = x0;
    project(&mut x);
    let (mut fx, mut g) = f(&x)?;
    let mut history: Vec<(Vec<f64>, Vec<f64>, f64)> = Vec::new();
    for _ in 0..iterations {
        // Free coordinates: not at a bound the gradient pushes against.
        let free: Vec<bool> =
            x.iter().zip(&g).map(|(&xi, &gi)| !((xi <= 0.0 && gi > 0.0) || (xi >= 1.0 && gi < 0.0))).collect();
        let gf: Vec<f64> = g.iter().zip(&free).map(|(g, &f)| if f { *g } else { 0.0 }).collect();
        let gnorm = dot(&gf, &gf).sqrt();
        if !(gnorm > 1e-10) {
            break;
        }
        let mut q = gf.clone();
        let mut alphas = Vec::with_capacity(history.len());
        for (s, yv, rho) in history.iter().rev() {
            let a = rho * dot(s, &q);
            q.iter_mut().zip(yv).for_each(|(q, y)| *q -= a * y);
            alphas.push(a);
        }
        if let Some((s, yv, _)) = history.last() {
            let gamma = dot(s, yv) / dot(yv, yv);
            q.iter_mut().for_each(|q| *q *= gamma);
        } else {
            // A first step of at most 0.1 of the box.
            q.iter_mut().for_each(|q| *q *= 0.1 / gnorm);
        }
        for ((s, yv, rho), a) in history.iter().zip(alphas.iter().rev()) {
            let b = rho * dot(yv, &q);
            q.iter_mut().zip(s).for_each(|(q, s)| *q += (a - b) * s);
        }
        let mut direction: Vec<f64> = q.iter().zip(&free).map(|(v, &f)| if f { -v } else { 0.0 }).collect();
        if !(dot(&gf, &direction) < 0.0) {
            history.clear();
            direction = gf.iter().map(|v| -v * 0.1 / gnorm).collect();
        }
        let mut step = 1.0;
        let mut accepted = None;
        for _ in 0..30 {
            let mut trial: Vec<f64> = x.iter().zip(&direction).map(|(x, d)| x + step * d).collect();
            project(&mut trial);
            let moved: Vec<f64> = trial.iter().zip(&x).map(|(a, b)| a - b).collect();
            let decrease = dot(&g, &moved);
            if decrease < 0.0 {
                if let Some((ft, gt)) = f(&trial) {
                    if ft <= fx + 1e-4 * decrease {
                        accepted = Some((trial, ft, gt));
                        break;
                    }
                }
            }
            step *= 0.5;
        }
        let Some((xn, fnew, gn)) = accepted else { break };
        let s: Vec<f64> = xn.iter().zip(&x).map(|(a, b)| a - b).collect();
        let yv: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &yv);
        if sy > 1e-12 * dot(&s, &s).sqrt() * dot(&yv, &yv).sqrt() && sy > 0.0 {
            history.push((s, yv, 1.0 / sy));
            if history.len() > 6 {
                history.remove(0);
            }
        }
        let improvement = fx - fnew;
        x = xn;
        fx = fnew;
        g = gn;
        if improvement < 1e-10 * (1.0 + fx.abs()) {
            break;
        }
    }
    Some((x, fx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erfc_matches_reference_values() {
        // Values from scipy.special.erfc (SciPy 1.x), printed with repr.
        for (x, want) in [
            (0.0, 1.0),
            (0.5, 0.4795001221869535),
            (1.0, 0.15729920705028516),
            (1.5, 0.03389485352468927),
            (2.0, 0.004677734981047266),
            (2.4, 0.0006885138966450789),
            (2.6, 0.000236034416529349),
            (3.0, 2.2090496998585445e-05),
            (5.0, 1.5374597944280347e-12),
            (-1.0, 1.8427007929497148),
        ] {
            let got = erfc(x);
            assert!((got - want).abs() <= 1e-13 * want.abs().max(1e-300), "erfc({x}) = {got}, want {want}");
        }
    }

    #[test]
    fn lbfgs_minimises_a_quadratic() {
        let f = |x: &[f64]| {
            Some(((x[0] - 1.0).powi(2) + 10.0 * (x[1] + 2.0).powi(2), vec![2.0 * (x[0] - 1.0), 20.0 * (x[1] + 2.0)]))
        };
        let (x, v) = lbfgs(f, vec![5.0, 5.0], 100).unwrap();
        assert!((x[0] - 1.0).abs() < 1e-4 && (x[1] + 2.0).abs() < 1e-4 && v < 1e-8, "{x:?} {v}");
    }
}
