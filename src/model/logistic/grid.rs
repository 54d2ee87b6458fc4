//! Drawing-only evaluation of logistic regression over a pixel grid: the class probabilities
//! behind a decision surface ([`LogisticRegression::grid_probabilities`]).
//!
//! Every feature of the plane is a function of `x1` alone (`x1`, `x1²`, `sin x1`), of `x2` alone
//! (`x2`, `x2²`, `sin x2`), or the product `x1·x2`. With the standardisation folded into the
//! weights, each score is therefore `z(x, y) = u(x) + v(y) + m·x·y`: `u` is computed once per
//! grid column, `v` once per grid row, and a row of scores is `u[c] + (v + m·y)·…` — one
//! multiply-add per pixel and score (for linear features, `z` moves by a constant step along a
//! row), with no feature functions, `sin`s or matrices per pixel. The sigmoid or softmax is then
//! applied to a whole row at once with the branch-free functions of `model::fast_math` (absolute
//! error ≤ 1e-15), which vectorise where the standard `exp` (a libm call per value, a software
//! routine in WebAssembly) does not. Probabilities agree with `predict` to about 1e-14 on
//! windows of moderate size (tested to 1e-12); training and `predict` are untouched.

use super::{score_count, LogisticRegression};
use crate::data::features::FeatureMap;
use crate::model::fast_math;
use crate::model::Model;
use nalgebra::DMatrix;

/// How a feature of the plane depends on the grid point.
#[derive(Clone, Copy)]
enum Part {
    /// A function of `x1` alone.
    Column(fn(f64) -> f64),
    /// A function of `x2` alone.
    Row(fn(f64) -> f64),
    /// `x1·x2`.
    Product,
}

/// The parts of the features switched on in `map`, in their column order (that of
/// `FeatureMap::enabled`).
fn feature_parts(map: &FeatureMap) -> Vec<Part> {
    [
        (map.x1, Part::Column(|a| a)),
        (map.x2, Part::Row(|b| b)),
        (map.x1_squared, Part::Column(|a| a * a)),
        (map.x2_squared, Part::Row(|b| b * b)),
        (map.x1_x2, Part::Product),
        (map.sin_x1, Part::Column(f64::sin)),
        (map.sin_x2, Part::Row(f64::sin)),
    ]
    .into_iter()
    .filter_map(|(on, part)| on.then_some(part))
    .collect()
}

impl Part {
    fn value(self, x: f64, y: f64) -> f64 {
        match self {
            Part::Column(f) => f(x),
            Part::Row(f) => f(y),
            Part::Product => x * y,
        }
    }
}

/// Whether `parts` are the features `map` computes, in the same order (checked at a few points,
/// so a change to the feature list cannot silently draw the wrong surface).
fn parts_match(map: &FeatureMap, parts: &[Part]) -> bool {
    let features: Vec<fn(f64, f64) -> f64> = map.enabled().map(|f| f.value).collect();
    features.len() == parts.len()
        && [(1.25, -0.75), (-2.5, 3.5), (0.5, 0.25)]
            .iter()
            .all(|&(x, y)| features.iter().zip(parts).all(|(f, part)| f(x, y).to_bits() == part.value(x, y).to_bits()))
}

impl LogisticRegression {
    /// Class probabilities at every grid point `(xs[c], ys[r])` of two inputs, row-major per point
    /// (`xs` fastest) with `n_classes` values each, as `predict` gives them row by row (to within
    /// 1e-12 on windows of moderate size: see the module comment); `None` untrained, for a model
    /// on other than two inputs or for non-finite coordinates.
    pub fn grid_probabilities(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        let (scaler, s, p) = self.layout().ok()??;
        if self.n_inputs != 2 || xs.iter().chain(ys).any(|v| !v.is_finite()) {
            return None;
        }
        let k = self.n_classes;
        let width = xs.len();
        let parts = feature_parts(&self.params.features);
        if parts.len() != p || !parts_match(&self.params.features, &parts) || s != score_count(k) {
            // Not the plane's features as this file knows them: the generic path.
            let points =
                DMatrix::from_fn(width * ys.len(), 2, |i, j| if j == 0 { xs[i % width] } else { ys[i / width] });
            let probabilities = self.predict(&points).ok()?;
            return Some(probabilities.transpose().as_slice().to_vec());
        }
        // z_c = Σ_j w_cj (φ_j − m_j) / s_j + b_c = Σ_j a_cj φ_j + c_c, split into the parts of
        // x1 alone (per column: `columns`), of x2 alone and the intercept (per row: `base`), and
        // the coefficient of x1·x2 (`product`).
        let mut columns = vec![0.0; s * width];
        let (mut intercept, mut product) = (vec![0.0; s], vec![0.0; s]);
        let mut row_parts: Vec<Vec<(fn(f64) -> f64, f64)>> = vec![Vec::new(); s];
        for score in 0..s {
            let w = &self.weights[score * (p + 1)..(score + 1) * (p + 1)];
            intercept[score] = w[p];
            let column = &mut columns[score * width..(score + 1) * width];
            for (j, part) in parts.iter().enumerate() {
                let a = w[j] / scaler.scale[j];
                intercept[score] -= w[j] * scaler.mean[j] / scaler.scale[j];
                match *part {
                    Part::Column(f) => column.iter_mut().zip(xs).for_each(|(u, &x)| *u += a * f(x)),
                    Part::Row(f) => row_parts[score].push((f, a)),
                    Part::Product => product[score] += a,
                }
            }
        }
        let mut out = vec![0.0; width * ys.len() * k];
        if width == 0 {
            return Some(out);
        }
        // One row of scores, score by score (`width` values each), then of probabilities.
        let mut z = vec![0.0; s * width];
        let (mut max, mut total) = (vec![0.0; width], vec![0.0; width]);
        for (&y, row_out) in ys.iter().zip(out.chunks_exact_mut(width * k)) {
            for score in 0..s {
                let base = intercept[score] + row_parts[score].iter().map(|&(f, a)| a * f(y)).sum::<f64>();
                let slope = product[score] * y;
                let row = &mut z[score * width..(score + 1) * width];
                let column = &columns[score * width..(score + 1) * width];
                row.iter_mut().zip(column).zip(xs).for_each(|((z, &u), &x)| *z = u + base + slope * x);
            }
            if s == 1 {
                fast_math::sigmoid_in_place(&mut z);
                for (pixel, &p1) in row_out.chunks_exact_mut(2).zip(&z) {
                    pixel[0] = 1.0 - p1;
                    pixel[1] = p1;
                }
                continue;
            }
            // Softmax, vectorised across the row: subtract each pixel's largest score, exponentiate,
            // normalise.
            max.fill(f64::NEG_INFINITY);
            for row in z.chunks_exact(width) {
                max.iter_mut().zip(row).for_each(|(m, &v)| *m = if v > *m { v } else { *m });
            }
            total.fill(0.0);
            for row in z.chunks_exact_mut(width) {
                row.iter_mut().zip(&max).for_each(|(v, &m)| *v -= m);
                fast_math::exp_in_place(row);
                total.iter_mut().zip(row.iter()).for_each(|(t, &e)| *t += e);
            }
            for (score, row) in z.chunks_exact(width).enumerate() {
                for (pixel, (&e, &t)) in row_out.chunks_exact_mut(k).zip(row.iter().zip(&total)) {
                    pixel[score] = e / t;
                }
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::generate::{generate, DataSpec, DatasetKind};
    use crate::data::{Dataset, Task};
    use crate::model::{AnyModel, ModelParams};

    const FEATURES: [&str; 7] = ["x1", "x2", "x1_squared", "x2_squared", "x1_x2", "sin_x1", "sin_x2"];

    fn data(kind: DatasetKind, classes: usize) -> Dataset {
        generate(&DataSpec { kind, n: 300, noise: 0.3, seed: 5, classes, ..DataSpec::default() }).unwrap()
    }

    /// Logistic regression with the named features on, fitted to `data`.
    fn fitted(features: &[&str], data: &Dataset) -> LogisticRegression {
        let toggles: Vec<String> = FEATURES.iter().map(|f| format!(r#""{f}":{}"#, features.contains(f))).collect();
        let params = format!(r#"{{"kind":"logistic","strength":0.001,"features":{{{}}}}}"#, toggles.join(","));
        let mut model = serde_json::from_str::<ModelParams>(&params).unwrap().build(1).unwrap();
        model.fit(data).unwrap();
        match model {
            AnyModel::Logistic(m) => m,
            _ => unreachable!(),
        }
    }

    fn axes(w: usize, h: usize, x: (f64, f64), y: (f64, f64)) -> (Vec<f64>, Vec<f64>) {
        let xs = (0..w).map(|c| x.0 + (x.1 - x.0) * c as f64 / (w.max(2) - 1) as f64).collect();
        let ys = (0..h).map(|r| y.1 - (y.1 - y.0) * r as f64 / (h.max(2) - 1) as f64).collect();
        (xs, ys)
    }

    /// The grid path against `predict` on the same points, value by value.
    fn assert_matches_predict(model: &LogisticRegression, xs: &[f64], ys: &[f64], tolerance: f64) {
        let fast = model.grid_probabilities(xs, ys).expect("a surface");
        let points =
            DMatrix::from_fn(xs.len() * ys.len(), 2, |i, j| if j == 0 { xs[i % xs.len()] } else { ys[i / xs.len()] });
        let slow = model.predict(&points).unwrap().transpose();
        assert_eq!(fast.len(), slow.len());
        for (i, (a, b)) in fast.iter().zip(slow.as_slice()).enumerate() {
            assert!((a - b).abs() <= tolerance, "{:?}: value {i}: {a} vs {b}", model.params.features);
        }
    }

    #[test]
    fn every_feature_alone_and_together_matches_predict() {
        let (xs, ys) = axes(37, 23, (-6.0, 6.0), (-5.5, 6.5));
        for classes in [2, 3, 4] {
            let data = data(DatasetKind::Blobs, classes);
            for feature in FEATURES {
                assert_matches_predict(&fitted(&[feature], &data), &xs, &ys, 1e-12);
            }
            assert_matches_predict(&fitted(&FEATURES, &data), &xs, &ys, 1e-12);
            assert_matches_predict(&fitted(&["x1", "x1_x2", "sin_x2"], &data), &xs, &ys, 1e-12);
        }
    }

    #[test]
    fn saturated_scores_far_from_the_data_stay_probabilities() {
        // Far out the scores are large: probabilities of 0 and 1 (to double precision), no NaN.
        let data = data(DatasetKind::Circle, 2);
        let model = fitted(&["x1", "x2", "x1_squared", "x2_squared"], &data);
        let (xs, ys) = axes(16, 9, (-400.0, 400.0), (-300.0, 300.0));
        assert_matches_predict(&model, &xs, &ys, 1e-12);
        let p = model.grid_probabilities(&xs, &ys).unwrap();
        assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
        let three = fitted(&FEATURES, &data_three());
        assert_matches_predict(&three, &xs, &ys, 1e-12);
    }

    fn data_three() -> Dataset {
        data(DatasetKind::Blobs, 3)
    }

    #[test]
    fn tiny_grids_and_bad_input() {
        let model = fitted(&["x1", "x2", "x1_x2"], &data_three());
        // One pixel, one row, one column, and nothing at all.
        assert_matches_predict(&model, &[0.5], &[1.0], 1e-12);
        assert_matches_predict(&model, &[-1.0, 0.0, 2.0], &[1.0], 1e-12);
        assert_matches_predict(&model, &[0.5], &[3.0, -1.0], 1e-12);
        assert_eq!(model.grid_probabilities(&[], &[1.0]), Some(Vec::new()));
        assert_eq!(model.grid_probabilities(&[1.0], &[]), Some(Vec::new()));
        // Non-finite coordinates, an untrained model, a model on three inputs: no surface.
        assert!(model.grid_probabilities(&[0.0, f64::NAN], &[1.0]).is_none());
        assert!(model.grid_probabilities(&[0.0], &[f64::INFINITY]).is_none());
        let untrained = match serde_json::from_str::<ModelParams>(r#"{"kind":"logistic"}"#).unwrap().build(1).unwrap() {
            AnyModel::Logistic(m) => m,
            _ => unreachable!(),
        };
        assert!(untrained.grid_probabilities(&[0.0], &[0.0]).is_none());
        let wide = Dataset::from_rows(
            &[0.0, 1.0, 2.0, 1.0, 0.5, 0.0, 2.0, 1.0, 1.0, 3.0, 0.0, 2.0],
            3,
            &[0.0, 1.0, 0.0, 1.0],
            Task::Classification { n_classes: 2 },
        )
        .unwrap();
        let mut on_three = fitted(&["x1"], &data(DatasetKind::Blobs, 2));
        on_three.fit(&wide).unwrap();
        assert!(on_three.grid_probabilities(&[0.0], &[0.0]).is_none());
    }

    #[test]
    fn nan_weights_give_nan_pixels_not_a_panic() {
        // An imported file with a NaN weight: the pixels are NaN (drawn transparent).
        let mut model = fitted(&["x1", "x2"], &data_three());
        model.weights[0] = f64::NAN;
        let p = model.grid_probabilities(&[0.0, 1.0], &[0.0]).unwrap();
        assert_eq!(p.len(), 6);
        assert!(p.iter().all(|v| v.is_nan()));
    }

    #[test]
    fn the_feature_parts_are_the_feature_map() {
        let all = FeatureMap::all();
        let parts = feature_parts(&all);
        assert_eq!(parts.len(), 7);
        assert!(parts_match(&all, &parts));
        // Wrong order: detected.
        let mut swapped = parts.clone();
        swapped.swap(0, 2);
        assert!(!parts_match(&all, &swapped));
    }
}
