//! Gaussian naive Bayes, as scikit-learn's `GaussianNB`: the same per-class means (`theta`),
//! variances (`var`), class priors and `predict_proba` on the same data.
//!
//! Each class c is modelled by independent normal distributions per feature, N(μ_cj, σ²_cj), with
//! μ and σ² the class's mean and (biased, 1/n) variance of each feature, and a prior P(c): the
//! class's share of the training points, or the `priors` given. A point's class probabilities
//! are `P(c | x) ∝ P(c) · Πⱼ N(xⱼ; μ_cj, σ²_cj)`, computed in logs and normalised with
//! log-sum-exp.
//!
//! Variance smoothing: every σ² gets `ε = var_smoothing × the largest variance of any feature over
//! all training points` added (scikit-learn's `epsilon_`), so a feature that is constant within a
//! class (zero variance) still has a usable, narrow Gaussian. Where scikit-learn would divide by
//! zero — every feature constant over the whole training set, so ε = 0 — ε is `var_smoothing`
//! itself (as if the largest variance were 1).
//!
//! A class with no training points (possible here, where the task fixes the classes) has prior 0
//! and probability 0; scikit-learn would not know the class at all. `priors` giving such a class
//! a positive share is refused.

use super::{Hyperparams, Model, Summary};
use crate::data::{Dataset, Rng, Task};
use crate::error::{check_range, Error, Result};
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// Hyper-parameters of [`GaussianNaiveBayes`] (scikit-learn's names and defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NaiveBayesParams {
    /// The class priors, one per class, each in [0, 1], summing to 1 (within 1e-8 + 1e-5, numpy's
    /// `isclose`); `None` takes each class's share of the training points.
    pub priors: Option<Vec<f64>>,
    /// The share of the largest feature variance added to every variance, 1e-15 to 1.
    pub var_smoothing: f64,
}

impl Default for NaiveBayesParams {
    fn default() -> Self {
        NaiveBayesParams { priors: None, var_smoothing: 1e-9 }
    }
}

/// The most classes and features a model (or model file) may have.
pub const MAX_CLASSES: usize = 10_000;
pub const MAX_FEATURES: usize = 10_000;

/// Checks a list of priors: each in [0, 1], summing to 1 as numpy's `isclose` does.
fn check_priors(priors: &[f64]) -> Result<()> {
    if priors.is_empty() || priors.len() > MAX_CLASSES {
        return Err(err!(InvalidParameter, "priors_count", MAX_CLASSES = MAX_CLASSES, priors = priors.len()));
    }
    for (c, &p) in priors.iter().enumerate() {
        check_range(&format!("priors[{c}]"), p, 0.0, 1.0)?;
    }
    let sum: f64 = priors.iter().sum();
    if (sum - 1.0).abs() > 1e-8 + 1e-5 {
        return Err(err!(InvalidParameter, "priors_sum", sum = sum));
    }
    Ok(())
}

impl Hyperparams for NaiveBayesParams {
    type Model = GaussianNaiveBayes;

    fn check(&self) -> Result<()> {
        check_range("var_smoothing", self.var_smoothing, 1e-15, 1.0)?;
        if let Some(priors) = &self.priors {
            check_priors(priors)?;
        }
        Ok(())
    }

    fn build(&self, _seed: u64) -> Result<GaussianNaiveBayes> {
        self.check()?;
        Ok(GaussianNaiveBayes {
            params: self.clone(),
            n_classes: 0,
            n_features: 0,
            theta: Vec::new(),
            var: Vec::new(),
            class_prior: Vec::new(),
            class_count: Vec::new(),
            epsilon: 0.0,
        })
    }

    fn fits_instantly(&self) -> bool {
        true
    }

    fn describe() -> super::describe::Family {
        use super::describe::{numbers, Animation, Control, Family, Show, TaskKind};
        Family {
            kind: "naive_bayes",
            tasks: vec![TaskKind::Classification],
            class_weight: false,
            gradient: Show::Never,
            animation: Animation::Epochs,
            // `priors` is a list per class: set through the JS API or the state, not offered here
            controls: vec![Control::select("var_smoothing", numbers(&[1e-9, 1e-6, 1e-3, 0.01, 0.1, 1.0]))],
            ..Family::default()
        }
    }
}

/// A Gaussian naive Bayes classifier (untrained until the first `fit`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "NaiveBayesFile")]
pub struct GaussianNaiveBayes {
    params: NaiveBayesParams,
    /// 0 until trained.
    n_classes: usize,
    n_features: usize,
    /// Per-class feature means, row-major `n_classes × n_features` (scikit-learn's `theta_`).
    theta: Vec<f64>,
    /// Per-class feature variances with ε added, same layout (scikit-learn's `var_`).
    var: Vec<f64>,
    class_prior: Vec<f64>,
    class_count: Vec<f64>,
    /// The variance added to every σ² (scikit-learn's `epsilon_`).
    epsilon: f64,
}

/// What a saved model file holds; checked by [`GaussianNaiveBayes::validate`] before use.
#[derive(Deserialize)]
struct NaiveBayesFile {
    params: NaiveBayesParams,
    n_classes: usize,
    n_features: usize,
    theta: Vec<f64>,
    var: Vec<f64>,
    class_prior: Vec<f64>,
    class_count: Vec<f64>,
    epsilon: f64,
}

impl TryFrom<NaiveBayesFile> for GaussianNaiveBayes {
    type Error = Error;

    fn try_from(f: NaiveBayesFile) -> Result<Self> {
        let model = GaussianNaiveBayes {
            params: f.params,
            n_classes: f.n_classes,
            n_features: f.n_features,
            theta: f.theta,
            var: f.var,
            class_prior: f.class_prior,
            class_count: f.class_count,
            epsilon: f.epsilon,
        };
        model.validate()?;
        Ok(model)
    }
}

impl GaussianNaiveBayes {
    pub fn params(&self) -> &NaiveBayesParams {
        &self.params
    }

    /// The number of classes (0 untrained).
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Per-class feature means, `n_classes × n_features` row-major.
    pub fn theta(&self) -> &[f64] {
        &self.theta
    }

    /// Per-class feature variances (ε included), `n_classes × n_features` row-major.
    pub fn var(&self) -> &[f64] {
        &self.var
    }

    pub fn class_prior(&self) -> &[f64] {
        &self.class_prior
    }

    /// The number of training points per class.
    pub fn class_count(&self) -> &[f64] {
        &self.class_count
    }

    /// The variance added to every σ².
    pub fn epsilon(&self) -> f64 {
        self.epsilon
    }

    /// Checks the model's consistency: parameters in range, sizes within [`MAX_CLASSES`] and
    /// [`MAX_FEATURES`] and matching each other, finite means, positive variances, priors that
    /// sum to 1. A model file that fails is refused, naming the field.
    pub fn validate(&self) -> Result<()> {
        self.params.check()?;
        use super::file::{out_of_range, refuse, Damage};
        let (k, d) = (self.n_classes, self.n_features);
        if k == 0 {
            if self.theta.is_empty()
                && self.var.is_empty()
                && self.class_prior.is_empty()
                && self.class_count.is_empty()
            {
                return Ok(());
            }
            return refuse("naive_bayes", "n_classes", out_of_range(0, 2, MAX_CLASSES));
        }
        if !(2..=MAX_CLASSES).contains(&k) {
            return refuse("naive_bayes", "n_classes", out_of_range(k, 2, MAX_CLASSES));
        }
        if !(1..=MAX_FEATURES).contains(&d) {
            return refuse("naive_bayes", "n_features", out_of_range(d, 1, MAX_FEATURES));
        }
        for (name, len, want) in [
            ("theta", self.theta.len(), k * d),
            ("var", self.var.len(), k * d),
            ("class_prior", self.class_prior.len(), k),
            ("class_count", self.class_count.len(), k),
        ] {
            if len != want {
                return refuse("naive_bayes", name, Damage::Length { got: len, expected: want });
            }
        }
        if self.theta.iter().any(|v| !v.is_finite()) {
            return refuse("naive_bayes", "theta", Damage::NotFinite);
        }
        if self.var.iter().any(|v| !v.is_finite() || *v <= 0.0) {
            return refuse("naive_bayes", "var", Damage::NotPositive);
        }
        if let Some(c) = self.class_count.iter().position(|v| !v.is_finite() || *v < 0.0) {
            return refuse("naive_bayes", format!("class_count[{c}]"), Damage::Negative);
        }
        if !self.epsilon.is_finite() || self.epsilon < 0.0 {
            return refuse("naive_bayes", "epsilon", Damage::Negative);
        }
        check_priors(&self.class_prior)
            .map_err(|_| super::file::damaged("naive_bayes", "class_prior", Damage::Invalid("not_probabilities")))
    }

    fn check_inputs(&self, x: &DMatrix<f64>) -> Result<()> {
        if self.n_classes == 0 {
            return Err(err!(InvalidData, "not_fitted"));
        }
        if x.ncols() != self.n_features {
            return Err(err!(InvalidData, "feature_count", expected = self.n_features, got = x.ncols()));
        }
        if let Some(row) = (0..x.nrows()).find(|&i| x.row(i).iter().any(|v| !v.is_finite())) {
            return Err(err!(InvalidData, "row_not_finite", row = row + 1));
        }
        Ok(())
    }

    /// The joint log-likelihood `log P(c) + Σⱼ log N(xⱼ; μ_cj, σ²_cj)` of each row and class
    /// (scikit-learn's `_joint_log_likelihood`), `n × n_classes`.
    pub fn joint_log_likelihood(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        self.check_inputs(x)?;
        let (k, d) = (self.n_classes, self.n_features);
        let mut out = DMatrix::from_element(x.nrows(), k, f64::NEG_INFINITY);
        for c in 0..k {
            if self.class_prior[c] <= 0.0 {
                continue;
            }
            let mean = &self.theta[c * d..(c + 1) * d];
            let var = &self.var[c * d..(c + 1) * d];
            let norm = -0.5 * var.iter().map(|v| (2.0 * PI * v).ln()).sum::<f64>();
            let prior = self.class_prior[c].ln();
            for i in 0..x.nrows() {
                let dist: f64 = (0..d).map(|j| (x[(i, j)] - mean[j]).powi(2) / var[j]).sum();
                out[(i, c)] = prior + (norm - 0.5 * dist);
            }
        }
        Ok(out)
    }
}

impl Model for GaussianNaiveBayes {
    /// Per-class means and variances, ε, and the priors, in one pass over the classes.
    fn fit(&mut self, data: &Dataset) -> Result<()> {
        self.params.check()?;
        let Task::Classification { n_classes: k } = data.task else {
            return Err(err!(InvalidData, "nb_needs_classes"));
        };
        data.require_len(1)?;
        let (n, d) = (data.len(), data.n_features());
        if k > MAX_CLASSES || d > MAX_FEATURES {
            return Err(err!(InvalidData, "nb_limits", MAX_CLASSES = MAX_CLASSES, MAX_FEATURES = MAX_FEATURES));
        }
        if let Some(p) = &self.params.priors {
            if p.len() != k {
                return Err(err!(InvalidParameter, "priors_classes", p = p.len(), k = k));
            }
        }
        // ε from the largest variance over all points (two passes, as numpy's var)
        let mut largest: f64 = 0.0;
        for j in 0..d {
            let column = data.x.column(j);
            let mean = column.sum() / n as f64;
            largest = largest.max(column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64);
        }
        let epsilon = if largest > 0.0 { self.params.var_smoothing * largest } else { self.params.var_smoothing };
        let mut count = vec![0.0; k];
        let mut theta = vec![0.0; k * d];
        // `Dataset::new` checked every label is a class below k; a hand-built dataset might not be
        if let Some(row) = data.y.iter().position(|&c| c < 0.0 || c.fract() != 0.0 || c >= k as f64) {
            return Err(err!(InvalidData, "row_class_outside", row = row + 1, k = k));
        }
        for i in 0..n {
            let c = data.y[i] as usize;
            count[c] += 1.0;
            for j in 0..d {
                theta[c * d + j] += data.x[(i, j)];
            }
        }
        for c in 0..k {
            if count[c] > 0.0 {
                theta[c * d..(c + 1) * d].iter_mut().for_each(|v| *v /= count[c]);
            }
        }
        let mut var = vec![0.0; k * d];
        for i in 0..n {
            let c = data.y[i] as usize;
            for j in 0..d {
                var[c * d + j] += (data.x[(i, j)] - theta[c * d + j]).powi(2);
            }
        }
        for c in 0..k {
            for v in &mut var[c * d..(c + 1) * d] {
                *v = if count[c] > 0.0 { *v / count[c] } else { 0.0 } + epsilon;
            }
        }
        let prior = match &self.params.priors {
            Some(p) => {
                if let Some(c) = (0..k).find(|&c| count[c] == 0.0 && p[c] > 0.0) {
                    return Err(err!(InvalidParameter, "priors_empty_class", c = c + 1, c2 = p[c]));
                }
                p.clone()
            }
            None => count.iter().map(|c| c / n as f64).collect(),
        };
        if var.iter().any(|v| !v.is_finite() || *v <= 0.0) || theta.iter().any(|v| !v.is_finite()) {
            return Err(err!(InvalidData, "features_too_large"));
        }
        *self = GaussianNaiveBayes {
            params: self.params.clone(),
            n_classes: k,
            n_features: d,
            theta,
            var,
            class_prior: prior,
            class_count: count,
            epsilon,
        };
        Ok(())
    }

    /// The same as `fit`: the estimates are one closed-form pass.
    fn step(&mut self, data: &Dataset, _rng: &mut Rng) -> Result<()> {
        self.fit(data)
    }

    /// `n × n_classes` posterior class probabilities (scikit-learn's `predict_proba`). A point so
    /// far from every class that all likelihoods underflow gets the priors.
    fn predict(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        let mut jll = self.joint_log_likelihood(x)?;
        for i in 0..jll.nrows() {
            let mut row = jll.row_mut(i);
            let top = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if !top.is_finite() {
                row.iter_mut().zip(&self.class_prior).for_each(|(v, p)| *v = *p);
                continue;
            }
            // exp(v − top) / Σ exp(· − top): the log-sum-exp of scikit-learn without adding
            // `top` back, which would round away small differences when `top` is huge
            row.iter_mut().for_each(|v| *v = (*v - top).exp());
            let total: f64 = row.iter().sum();
            row.iter_mut().for_each(|v| *v /= total);
        }
        Ok(jll)
    }

    /// The posterior surface from per-axis parts: `(x − μ_c1)²/σ²_c1` once per grid column and
    /// `(y − μ_c2)²/σ²_c2` once per grid row (the same terms `joint_log_likelihood` adds), then
    /// the same normalisation as `predict`; `exp` from `fast_math`, which vectorises (two classes:
    /// the logistic function of the difference).
    fn grid_values(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        let (k, d) = (self.n_classes, self.n_features);
        if k == 0 || d != 2 {
            return super::predict_grid(self, xs, ys);
        }
        let part = |axis: &[f64], j: usize| -> Vec<f64> {
            axis.iter()
                .flat_map(|&v| (0..k).map(move |c| (v - self.theta[c * d + j]).powi(2) / self.var[c * d + j]))
                .collect()
        };
        let (px, py) = (part(xs, 0), part(ys, 1));
        // prior + norm per class (−∞ for a class with no prior)
        let base: Vec<f64> = (0..k)
            .map(|c| {
                if self.class_prior[c] <= 0.0 {
                    return f64::NEG_INFINITY;
                }
                let var = &self.var[c * d..(c + 1) * d];
                let norm = -0.5 * var.iter().map(|v| (2.0 * PI * v).ln()).sum::<f64>();
                self.class_prior[c].ln() + norm
            })
            .collect();
        let (w, h) = (xs.len(), ys.len());
        let mut out = vec![0.0; w * h * k];
        // Two classes: P(class 1) is the logistic function of the log-likelihoods' difference,
        // a row at a time through `fast_math` (vectorised; within 1e-15 of the normalised exps);
        // a row with a non-finite difference goes the general way below.
        let binary = k == 2 && base.iter().all(|b| b.is_finite());
        let mut z = vec![0.0; if binary { w } else { 0 }];
        for r in 0..h {
            let row = &py[r * k..(r + 1) * k];
            if binary {
                let (l0, l1) = (base[0] + -0.5 * row[0], base[1] + -0.5 * row[1]);
                for (zc, col) in z.iter_mut().zip(px.chunks_exact(2)) {
                    *zc = (l1 + -0.5 * col[1]) - (l0 + -0.5 * col[0]);
                }
                if z.iter().all(|v| v.is_finite()) {
                    super::fast_math::sigmoid_in_place(&mut z);
                    for (pixel, &p1) in out[r * w * 2..(r + 1) * w * 2].chunks_exact_mut(2).zip(&z) {
                        pixel[0] = 1.0 - p1;
                        pixel[1] = p1;
                    }
                    continue;
                }
            }
            for c in 0..w {
                let col = &px[c * k..(c + 1) * k];
                let pixel = &mut out[(r * w + c) * k..(r * w + c + 1) * k];
                for j in 0..k {
                    pixel[j] = base[j] + -0.5 * (col[j] + row[j]);
                }
                let top = pixel.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                if !top.is_finite() {
                    pixel.copy_from_slice(&self.class_prior);
                    continue;
                }
                pixel.iter_mut().for_each(|v| *v = super::fast_math::exp(*v - top));
                let total: f64 = pixel.iter().sum();
                pixel.iter_mut().for_each(|v| *v /= total);
            }
        }
        Some(out)
    }

    /// Mean log-loss on `data` (what the page's loss chart shows).
    fn objective(&self, data: &Dataset) -> Result<f64> {
        if data.is_empty() {
            return Ok(0.0);
        }
        let p = self.predict(&data.x)?;
        Ok(crate::metrics::log_loss(data.y.as_slice(), &p))
    }

    fn is_trained(&self) -> bool {
        self.n_classes > 0
    }

    fn is_complete(&self) -> bool {
        self.is_trained()
    }

    fn summary(&self) -> Summary {
        if !self.is_trained() {
            return Summary::new("naive_bayes.untrained");
        }
        let d = self.n_features;
        let mut parameters = Vec::new();
        // at most 64 rows: priors, then μ and σ² per class and feature
        'all: for c in 0..self.n_classes {
            parameters.push((format!("P(class {})", c + 1), self.class_prior[c]));
            for j in 0..d {
                if parameters.len() >= 64 {
                    break 'all;
                }
                parameters.push((format!("μ class {} x{}", c + 1, j + 1), self.theta[c * d + j]));
                parameters.push((format!("σ² class {} x{}", c + 1, j + 1), self.var[c * d + j]));
            }
        }
        Summary::new("naive_bayes")
            .with("classes", self.n_classes)
            .with("features", d)
            .with("epsilon", self.epsilon)
            .parameters(parameters)
    }

    fn is_finite(&self) -> bool {
        self.theta.iter().chain(&self.var).chain(&self.class_prior).all(|v| v.is_finite())
    }

    fn validate(&self) -> Result<()> {
        GaussianNaiveBayes::validate(self)
    }
}
