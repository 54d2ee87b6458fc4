//! Linear (and polynomial) least-squares regression with optional ridge (L2) penalty.
//!
//! The model is `y = Σ_k w_k · z_k + b`, where `z` are the polynomial features `x, x², …, x^degree`
//! of each input column, standardised (zero mean, unit variance) on the training data. The
//! objective, for both solvers, is
//!
//! `L(w, b) = (1/n) Σ_i (ŷ_i − y_i)² + λ ‖w‖²`
//!
//! so the converged gradient descent agrees with the closed form. (In scikit-learn terms this is
//! `make_pipeline(PolynomialFeatures(degree, include_bias=False), StandardScaler(), Ridge(alpha=λ·n))`.)
//! The closed form solves the ridge-augmented least-squares system by Householder QR, which stays
//! accurate where the normal equations would square the condition number.

use super::{Formula, Hyperparams, Model, Score, Summary, Term};
use crate::data::features::{polynomial, Standardizer};
use crate::data::{Dataset, Rng, Task};
use crate::error::{check_count, check_range, Error, Result};
use crate::optim::{Optimizer, TrainParams};
use nalgebra::{DMatrix, DVector};
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

/// How `fit` and `step` train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Solver {
    /// Least squares in closed form (QR); the page refits instantly on every change.
    #[default]
    ClosedForm,
    /// Gradient descent with the shared optimisers; the page animates convergence.
    GradientDescent,
}

/// Hyper-parameters of [`LinearRegression`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinearParams {
    /// Polynomial degree, 1 (a line) to 9.
    pub degree: usize,
    /// Ridge (L2) strength λ ≥ 0 on the standardised weights.
    pub ridge: f64,
    pub solver: Solver,
    /// Gradient-descent settings (learning rate, batch size, optimiser, schedule).
    pub train: TrainParams,
}

impl Default for LinearParams {
    fn default() -> Self {
        LinearParams { degree: 1, ridge: 0.0, solver: Solver::ClosedForm, train: TrainParams::default() }
    }
}

impl Hyperparams for LinearParams {
    type Model = LinearRegression;

    fn check(&self) -> Result<()> {
        check_count("polynomial degree", self.degree, 1, 9)?;
        check_range("ridge strength", self.ridge, 0.0, 1000.0)?;
        self.train.check()
    }

    fn build(&self, _seed: u64) -> Result<LinearRegression> {
        self.check()?;
        Ok(LinearRegression {
            params: self.clone(),
            scaler: None,
            weights: Vec::new(),
            optimizer: None,
            loss_memory: Default::default(),
            trained: false,
        })
    }

    fn fits_instantly(&self) -> bool {
        self.solver == Solver::ClosedForm
    }

    fn describe() -> super::describe::Family {
        use super::describe::{numbers, Animation, Control, Family, Show, TaskKind, Widget};
        Family {
            kind: "linear",
            tasks: vec![TaskKind::Regression],
            class_weight: false,
            gradient: Show::Equals("solver", "gradient_descent".into()),
            animation: Animation::Epochs,
            controls: vec![
                Control::select("solver", vec!["closed_form".into(), "gradient_descent".into()]),
                Control::new("degree", Widget::Range { min: 1.0, max: 9.0, step: 1.0 }),
                Control::select("ridge", numbers(&[0.0, 0.0001, 0.001, 0.01, 0.1, 1.0, 10.0])),
            ],
            ..Family::default()
        }
    }
    fn train_params(&self) -> Option<&TrainParams> {
        Some(&self.train)
    }
}

/// A trained (or untrained) linear / polynomial regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearRegression {
    params: LinearParams,
    /// Standardisation of the polynomial features, fixed at the first fit or step.
    scaler: Option<Standardizer>,
    /// `[w_1, …, w_p, b]` on the standardised features; empty until trained.
    weights: Vec<f64>,
    #[serde(skip)]
    optimizer: Option<Optimizer>,
    /// The divergence guard's memory (see [`crate::optim::LossMemory`]).
    #[serde(skip)]
    pub(crate) loss_memory: crate::optim::LossMemory,
    trained: bool,
}

impl LinearRegression {
    pub fn params(&self) -> &LinearParams {
        &self.params
    }

    /// The scaler of the polynomial features and the weights `[w_1, …, w_p, b]` on them, once
    /// trained (what an export writes).
    pub fn standardized(&self) -> Option<(&Standardizer, &[f64])> {
        self.scaler.as_ref().filter(|_| self.trained && !self.weights.is_empty()).map(|s| (s, &self.weights[..]))
    }

    fn check_task(data: &Dataset) -> Result<()> {
        if data.task != Task::Regression {
            return Err(err!(InvalidData, "linear_needs_numbers"));
        }
        Ok(())
    }

    fn check_inputs(&self, x: &DMatrix<f64>) -> Result<()> {
        self.check_width(x.ncols())
    }

    fn check_width(&self, d: usize) -> Result<()> {
        if let Some(s) = &self.scaler {
            let expected = s.mean.len() / self.params.degree;
            if d != expected {
                return Err(err!(InvalidData, "feature_count", expected = expected, got = d));
            }
        }
        Ok(())
    }

    /// Standardised polynomial features of `x` (the scaler must be set).
    fn design(&self, x: &DMatrix<f64>) -> DMatrix<f64> {
        let phi = polynomial(x, self.params.degree);
        match &self.scaler {
            Some(s) => s.transform(&phi),
            None => phi,
        }
    }

    /// Coefficients in the learner's units: `(intercept, [a_feature_power...])` with powers grouped
    /// by feature, so that `y = intercept + Σ a_jk · x_j^k`.
    pub fn raw_coefficients(&self) -> (f64, Vec<f64>) {
        let (Some(s), false) = (&self.scaler, self.weights.is_empty()) else {
            return (self.weights.last().copied().unwrap_or(0.0), Vec::new());
        };
        let p = s.mean.len();
        let mut intercept = self.weights[p];
        let coefs: Vec<f64> = (0..p)
            .map(|k| {
                let a = self.weights[k] / s.scale[k];
                intercept -= a * s.mean[k];
                a
            })
            .collect();
        (intercept, coefs)
    }

    fn init_for(&mut self, data: &Dataset) -> Result<()> {
        let phi = polynomial(&data.x, self.params.degree);
        self.scaler = Some(Standardizer::fit_checked(&phi)?);
        self.weights = vec![0.0; phi.ncols() + 1];
        self.optimizer = Some(Optimizer::new(&self.params.train, phi.ncols() + 1));
        Ok(())
    }
}

/// The most numbers (rows × polynomial features) the closed form's design matrix may hold:
/// 2^25, 256 MiB of f64. Beyond it the page would run out of memory; the message says so instead.
pub const MAX_DESIGN_VALUES: usize = 1 << 25;

impl LinearRegression {
    /// The ridge solution in its dual (kernel) form, for more features than rows:
    /// `w = Zᵀ (Z Zᵀ + nλ I)⁻¹ (y − ȳ)`, which equals the primal `(ZᵀZ + nλ I)⁻¹ Zᵀ (y − ȳ)` (push-
    /// through identity) but solves an n × n system instead of a p × p one: 5 rows × 10,000
    /// features is a 5 × 5 Cholesky (the primal QR built a 10,005 × 10,000 matrix, 800 MB).
    fn fit_dual(&mut self, data: &Dataset, scaler: Standardizer, z: DMatrix<f64>, y_mean: f64) -> Result<()> {
        let (n, p) = z.shape();
        let mut gram = &z * z.transpose();
        let shift = n as f64 * self.params.ridge;
        for i in 0..n {
            gram[(i, i)] += shift;
        }
        let centred = DVector::from_iterator(n, data.y.iter().map(|y| y - y_mean));
        let alpha = gram.cholesky().ok_or_else(|| singular(data, self.params.degree))?.solve(&centred);
        let w = z.transpose() * alpha;
        let mut weights: Vec<f64> = w.iter().copied().collect();
        weights.push(y_mean);
        if weights.iter().any(|v| !v.is_finite()) {
            return Err(singular(data, self.params.degree));
        }
        self.weights = weights;
        self.optimizer = Some(Optimizer::new(&self.params.train, p + 1));
        self.scaler = Some(scaler);
        self.trained = true;
        Ok(())
    }
}

/// `k` as a superscript (nothing for 1): `x²`, `x¹²`.
fn superscript(k: usize) -> String {
    if k == 1 {
        return String::new();
    }
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    k.to_string().bytes().map(|d| DIGITS[usize::from(d - b'0')]).collect()
}

/// [`linear_rows`] as a function pointer.
type LinearRows = fn(&[f64], usize, usize, &[f64], &[f64], &[f64], f64, &mut Vec<f64>);

/// [`Model::predict_rows`] of a linear model on some rows: `w`, `mean`, `scale` of the
/// standardised polynomial features, `b` the intercept; the answers pushed onto `out`.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn linear_rows(x: &[f64], d: usize, degree: usize, w: &[f64], mean: &[f64], scale: &[f64], b: f64, out: &mut Vec<f64>) {
    let p = w.len();
    if degree == 1 && d == 2 && p == 2 {
        // two inputs (the plane's case): the loop below with the column loop unrolled, the
        // same operations in the same order, which the compiler pairs into vector operations
        let (w, mean, scale) = ([w[0], w[1]], [mean[0], mean[1]], [scale[0], scale[1]]);
        out.extend(x.chunks_exact(2).map(|row| {
            let acc = w[0] * ((row[0] - mean[0]) / scale[0]);
            (acc + w[1] * ((row[1] - mean[1]) / scale[1])) + b
        }));
    } else if degree == 1 {
        out.extend(x.chunks_exact(d).map(|row| {
            let mut acc = w[0] * ((row[0] - mean[0]) / scale[0]);
            for j in 1..p {
                acc += w[j] * ((row[j] - mean[j]) / scale[j]);
            }
            acc + b
        }));
    } else {
        out.extend(x.chunks_exact(d).map(|row| {
            let mut acc = 0.0;
            for (j, &v) in row.iter().enumerate() {
                let mut power = v;
                for k in j * degree..(j + 1) * degree {
                    let term = w[k] * ((power - mean[k]) / scale[k]);
                    acc = if k == 0 { term } else { acc + term };
                    power *= v;
                }
            }
            acc + b
        }));
    }
}

impl Model for LinearRegression {
    fn fit(&mut self, data: &Dataset) -> Result<()> {
        Self::check_task(data)?;
        data.require_len(2)?;
        let phi = polynomial(&data.x, self.params.degree);
        let scaler = Standardizer::fit_checked(&phi)?;
        let z = scaler.transform(&phi);
        let (n, p) = z.shape();
        let y_mean = data.y.mean();
        let lambda = self.params.ridge;
        if n.saturating_mul(p) > MAX_DESIGN_VALUES {
            return Err(err!(InvalidData, "linear_too_large", n = n, p = p, MAX_DESIGN_VALUES = MAX_DESIGN_VALUES));
        }
        if lambda > 0.0 && p > n {
            return self.fit_dual(data, scaler, z, y_mean);
        }
        // The features are centred, so the intercept is ȳ and the weights solve the ridge system
        // min ‖Z w − (y − ȳ)‖² + n λ ‖w‖², i.e. least squares on [Z; √(nλ) I].
        let rows = if lambda > 0.0 { n + p } else { n };
        let mut a = DMatrix::zeros(rows, p);
        a.view_mut((0, 0), (n, p)).copy_from(&z);
        let mut rhs = DVector::zeros(rows);
        for i in 0..n {
            rhs[i] = data.y[i] - y_mean;
        }
        if lambda > 0.0 {
            let s = (n as f64 * lambda).sqrt();
            for k in 0..p {
                a[(n + k, k)] = s;
            }
        }
        if rows < p {
            return Err(singular(data, self.params.degree));
        }
        let qr = a.qr();
        let r = qr.r();
        let max_diag = (0..p).map(|k| r[(k, k)].abs()).fold(0.0, f64::max);
        if max_diag == 0.0 || (0..p).any(|k| r[(k, k)].abs() <= 1e-10 * max_diag.max(1.0)) {
            return Err(singular(data, self.params.degree));
        }
        qr.q_tr_mul(&mut rhs);
        let w =
            r.solve_upper_triangular(&rhs.rows(0, p).into_owned()).ok_or_else(|| singular(data, self.params.degree))?;
        let mut weights: Vec<f64> = w.iter().copied().collect();
        weights.push(y_mean);
        if weights.iter().any(|v| !v.is_finite()) {
            return Err(singular(data, self.params.degree));
        }
        self.weights = weights;
        self.optimizer = Some(Optimizer::new(&self.params.train, p + 1));
        self.scaler = Some(scaler);
        self.trained = true;
        Ok(())
    }

    fn step(&mut self, data: &Dataset, rng: &mut Rng) -> Result<()> {
        Self::check_task(data)?;
        data.require_len(1)?;
        if self.scaler.is_none() || self.weights.is_empty() {
            self.init_for(data)?;
        }
        self.check_inputs(&data.x)?;
        let z = self.design(&data.x);
        let (n, p) = z.shape();
        let lambda = self.params.ridge;
        let batch = match self.params.train.batch_size {
            0 => n,
            b => b.min(n),
        };
        let mut order: Vec<usize> = (0..n).collect();
        if batch < n {
            order.shuffle(rng);
        }
        let optimizer = self.optimizer.get_or_insert_with(|| Optimizer::new(&self.params.train, p + 1));
        let mut grad = vec![0.0; p + 1];
        for chunk in order.chunks(batch) {
            grad.iter_mut().for_each(|g| *g = 0.0);
            let m = chunk.len() as f64;
            for &i in chunk {
                let row = z.row(i);
                let mut pred = self.weights[p];
                for k in 0..p {
                    pred += self.weights[k] * row[k];
                }
                let r = 2.0 * (pred - data.y[i]) / m;
                for k in 0..p {
                    grad[k] += r * row[k];
                }
                grad[p] += r;
            }
            for k in 0..p {
                grad[k] += 2.0 * lambda * self.weights[k];
            }
            optimizer.update(&mut self.weights, &grad);
        }
        self.trained = true;
        if !self.is_finite() {
            return Err(err!(Diverged, "diverged_weights"));
        }
        Ok(())
    }

    fn predict(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        self.check_inputs(x)?;
        let n = x.nrows();
        if self.weights.is_empty() || self.scaler.is_none() {
            return Ok(DMatrix::zeros(n, 1));
        }
        let z = self.design(x);
        let p = z.ncols();
        let w = DVector::from_column_slice(&self.weights[..p]);
        let mut out = z * w;
        out.add_scalar_mut(self.weights[p]);
        Ok(DMatrix::from_column_slice(n, 1, out.as_slice()))
    }

    /// `predict` row by row, straight from the caller's rows: each row's standardised polynomial
    /// features taken in the order `predict`'s matrix-vector product adds them (the same sums,
    /// to the bit), with no design matrix, no per-block copies and no transpose.
    fn predict_rows(&self, x: &[f64], d: usize) -> Result<Vec<f64>> {
        let n = super::row_count(x, d)?;
        self.check_width(d)?;
        let Some(s) = self.scaler.as_ref().filter(|_| !self.weights.is_empty()) else {
            return super::predict_rows_in_blocks(self, x, d, super::ROW_BLOCK);
        };
        let degree = self.params.degree.max(1);
        let p = d * degree;
        if s.mean.len() != p || self.weights.len() <= p {
            return Err(err!(InvalidInput, "model_inconsistent"));
        }
        let (w, b) = (&self.weights[..p], self.weights[p]);
        let (mean, scale) = (&s.mean[..p], &s.scale[..p]);
        let mut out = Vec::with_capacity(n);
        // block by block through a function of its own (see `opaque`), so the blocks after the
        // first few of even a caller's first batch run a wasm engine's optimised code
        let rows_of: LinearRows = super::opaque(linear_rows);
        for rows in x.chunks(super::ROW_BLOCK * d) {
            rows_of(rows, d, degree, w, mean, scale, b, &mut out);
        }
        Ok(out)
    }

    fn objective(&self, data: &Dataset) -> Result<f64> {
        let pred = self.predict(&data.x)?;
        let mse = crate::metrics::mse(data.y.as_slice(), pred.as_slice());
        let p = self.weights.len().saturating_sub(1);
        let penalty: f64 = self.weights[..p].iter().map(|w| w * w).sum::<f64>() * self.params.ridge;
        Ok(mse + penalty)
    }

    fn is_trained(&self) -> bool {
        self.trained
    }

    fn is_finite(&self) -> bool {
        self.weights.iter().all(|w| w.is_finite())
    }

    fn blocks(&self) -> Vec<super::Block> {
        // [w_1, …, w_p, b]
        let Some((b, w)) = self.weights.split_last() else { return Vec::new() };
        super::linear_blocks(w.iter().map(|v| v * v).sum::<f64>().sqrt(), b.abs())
    }

    fn validate(&self) -> Result<()> {
        use super::file::{refuse, Damage};
        self.params.check()?;
        if !self.is_finite() {
            return refuse("linear", "weights", Damage::NotFinite);
        }
        match &self.scaler {
            None if !self.weights.is_empty() => refuse("linear", "weights", Damage::Without("scaler".into())),
            None => Ok(()),
            Some(s) => {
                let p = s.mean.len();
                if p == 0 || p % self.params.degree != 0 {
                    return refuse("linear", "scaler.mean", Damage::Mismatch("params.degree".into()));
                }
                if s.scale.len() != p {
                    return refuse("linear", "scaler.scale", Damage::Length { got: s.scale.len(), expected: p });
                }
                if self.weights.len() != p + 1 {
                    return refuse("linear", "weights", Damage::Length { got: self.weights.len(), expected: p + 1 });
                }
                if s.mean.iter().any(|v| !v.is_finite()) {
                    return refuse("linear", "scaler.mean", Damage::NotFinite);
                }
                if s.scale.iter().any(|&v| !(v.is_finite() && v > 0.0)) {
                    return refuse("linear", "scaler.scale", Damage::NotPositive);
                }
                // The inputs' own mean and spread are the degree-1 features' (every `degree`-th).
                let d = p / self.params.degree;
                let at = |v: &[f64]| (0..d).map(|j| v[j * self.params.degree]).collect::<Vec<_>>();
                let probe = crate::data::features::probe_rows(&at(&s.mean), &at(&s.scale));
                crate::data::features::check_probe(&self.predict(&probe)?, "linear")
            }
        }
    }

    fn summary(&self) -> Summary {
        let (intercept, coefs) = self.raw_coefficients();
        let degree = self.params.degree.max(1);
        let n_features = coefs.len() / degree;
        let mut score = Score { terms: Vec::new(), intercept };
        let mut parameters = Vec::new();
        for j in 0..n_features {
            let var = if n_features == 1 { "x".to_string() } else { format!("x{}", j + 1) };
            for k in (1..=degree).rev() {
                let a = coefs[j * degree + k - 1];
                let feature = format!("{var}{}", superscript(k));
                parameters.push((feature.clone(), a));
                score.terms.push(Term { coefficient: a, feature });
            }
        }
        parameters.push(("intercept".into(), intercept));
        Summary::new("linear").formula(Formula::Linear { score }).parameters(parameters)
    }
    fn loss_memory(&mut self) -> Option<&mut crate::optim::LossMemory> {
        Some(&mut self.loss_memory)
    }
}

fn singular(data: &Dataset, degree: usize) -> Error {
    let (n, d) = (data.x.nrows(), data.x.ncols());
    if d > 1 && d * degree >= n {
        // With several features the usual cause is their count, not the spread of the x values.
        return if degree > 1 {
            err!(Singular, "underdetermined_degree", n = n, coefficients = d * degree, d = d, degree = degree)
        } else {
            err!(Singular, "underdetermined", n = n, coefficients = d, d = d)
        };
    }
    let mut xs: Vec<f64> = data.x.iter().copied().collect();
    xs.sort_by(|a, b| a.total_cmp(b));
    xs.dedup();
    if xs.len() <= 1 {
        err!(Singular, "same_x")
    } else {
        err!(Singular, "singular_degree", xs = xs.len(), degree = degree)
    }
}
