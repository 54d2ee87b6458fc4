//! Feature maps and scaling: polynomial expansion, the toggled 2-D feature map of the
//! classification page, and standardisation.

use crate::error::Result;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// Powers `x, x², …, x^degree` of every input column, grouped by column:
/// `[x1, x1², …, x1^degree, x2, …]`. `degree` ≥ 1.
pub fn polynomial(x: &DMatrix<f64>, degree: usize) -> DMatrix<f64> {
    let degree = degree.max(1);
    let (n, d) = x.shape();
    let mut out = DMatrix::zeros(n, d * degree);
    for j in 0..d {
        for i in 0..n {
            let v = x[(i, j)];
            let mut p = v;
            for k in 0..degree {
                out[(i, j * degree + k)] = p;
                p *= v;
            }
        }
    }
    out
}

/// Per-column mean and standard deviation (population, like scikit-learn's StandardScaler).
/// A constant column gets scale 1, so it maps to zeros instead of NaN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standardizer {
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
}

impl Standardizer {
    /// Fits the mean and spread of each column. The plain sums are taken first (two passes, as
    /// fast as it gets); only when they overflow are they taken again in a form that cannot
    /// overflow for any finite data (values divided by `n` and by the largest deviation before
    /// they are added or squared), so columns of values near 1e200 get a finite mean and scale.
    pub fn fit(x: &DMatrix<f64>) -> Self {
        let n = x.nrows().max(1) as f64;
        let mut mean = Vec::with_capacity(x.ncols());
        let mut scale = Vec::with_capacity(x.ncols());
        for col in x.column_iter() {
            let plain_mean = col.sum() / n;
            let plain_spread = (col.iter().map(|v| (v - plain_mean) * (v - plain_mean)).sum::<f64>() / n).sqrt();
            let (m, s) = if plain_mean.is_finite() && plain_spread.is_finite() {
                (plain_mean, plain_spread)
            } else {
                let m = col.iter().map(|v| v / n).sum::<f64>();
                let largest = col.iter().fold(0.0f64, |a, v| a.max((v - m).abs()));
                let s = if largest > 0.0 && largest.is_finite() {
                    largest * (col.iter().map(|v| ((v - m) / largest).powi(2)).sum::<f64>() / n).sqrt()
                } else {
                    largest
                };
                (m, s)
            };
            mean.push(m);
            // Treat relative spreads below ~1e-12 as constant: the column carries no information.
            scale.push(if s > 1e-12 * m.abs().max(1e-300) && s > 0.0 { s } else { 1.0 });
        }
        Standardizer { mean, scale }
    }

    /// [`Standardizer::fit`] for a model's training features, refusing what cannot be
    /// standardised: a feature that is not a finite number (a polynomial feature of a large input
    /// overflows: 1e40⁹ is beyond f64) or a column whose mean or spread is not finite. Without this
    /// a model trains on zeros or infinities and predicts nonsense (0.5 everywhere, or NaN).
    pub fn fit_checked(x: &DMatrix<f64>) -> Result<Self> {
        if let Some(at) = x.iter().position(|v| !v.is_finite()) {
            let (row, col) = (at % x.nrows().max(1), at / x.nrows().max(1));
            return Err(err!(InvalidData, "feature_overflow", col = col + 1, row = row + 1));
        }
        let fitted = Standardizer::fit(x);
        if let Some(j) = (0..fitted.mean.len()).find(|&j| !(fitted.mean[j].is_finite() && fitted.scale[j].is_finite()))
        {
            return Err(err!(InvalidData, "feature_too_large", j = j + 1));
        }
        Ok(fitted)
    }

    /// `(x - mean) / scale`, column by column.
    pub fn transform(&self, x: &DMatrix<f64>) -> DMatrix<f64> {
        let mut z = x.clone();
        for (j, mut col) in z.column_iter_mut().enumerate() {
            let (m, s) = (self.mean[j], self.scale[j]);
            for v in col.iter_mut() {
                *v = (*v - m) / s;
            }
        }
        z
    }

    /// Rows on which an imported model's predictions are checked ([`probe_rows`] at this
    /// scaler's columns).
    pub fn probe(&self) -> DMatrix<f64> {
        probe_rows(&self.mean, &self.scale)
    }

    /// True when column `j` was constant in the fitted data.
    pub fn is_constant(&self, j: usize) -> bool {
        self.scale[j] == 1.0 && self.mean.get(j).is_some()
    }
}

/// The largest weight a logistic-regression or network model file may hold. Training never
/// comes near it (Newton without penalty on separable data stops in the hundreds; gradient descent
/// is halted by the divergence guard), while from about 1e300 on, scores overflow to ±∞ for
/// ordinary inputs and the probabilities become NaN.
pub const MAX_WEIGHT: f64 = 1e100;

/// Where a model read from a file must predict finite numbers: every column at `mean`, and at
/// `mean ± 1` and `± 4` times `scale` (all columns together), 5 rows. A weight of −1e308 that
/// passes every shape check predicts ∞ or NaN there.
pub fn probe_rows(mean: &[f64], scale: &[f64]) -> DMatrix<f64> {
    let steps = [0.0, 1.0, -1.0, 4.0, -4.0];
    // and one unit either side in the inputs' own units: a spread edited to a tiny number (1e-320)
    // keeps the steps above on the mean, yet blows up any real input
    let units = [1.0, -1.0];
    DMatrix::from_fn(steps.len() + units.len(), mean.len(), |i, j| match steps.get(i) {
        Some(step) => mean[j] + step * scale.get(j).copied().unwrap_or(1.0),
        None => mean[j] + units[i - steps.len()],
    })
}

/// Refuses a model (read from a file; `model` its family's key) whose `predictions` on
/// [`probe_rows`] are not all finite.
pub fn check_probe(predictions: &DMatrix<f64>, model: &str) -> Result<()> {
    if predictions.iter().all(|v| v.is_finite()) {
        return Ok(());
    }
    Err(err!(InvalidInput, "file_predicts_not_finite", model = model))
}

/// Which features of a 2-D input `(x1, x2)` a classifier sees, as toggles:
/// `x1, x2, x1², x2², x1·x2, sin(x1), sin(x2)`. The default is the raw inputs `x1, x2`.
/// Features appear in that fixed order in [`FeatureMap::apply`] and [`FeatureMap::names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeatureMap {
    pub x1: bool,
    pub x2: bool,
    pub x1_squared: bool,
    pub x2_squared: bool,
    pub x1_x2: bool,
    pub sin_x1: bool,
    pub sin_x2: bool,
    /// Adds every monomial `x1^a · x2^b` of total degree 3 to `degree` (`a + b`, `b` rising),
    /// after the toggles: with the squares and the product on, degree 3 is the full cubic.
    /// 0 to 2 add nothing; at most [`MAX_FEATURE_DEGREE`]. Left out of the state when 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub degree: u8,
}

/// The highest polynomial degree of a [`FeatureMap`].
pub const MAX_FEATURE_DEGREE: u8 = 6;

fn is_zero(v: &u8) -> bool {
    *v == 0
}

fn superscript(power: u32) -> String {
    const DIGITS: [&str; 10] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"];
    match power {
        1 => String::new(),
        p => p.to_string().chars().map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize]).collect(),
    }
}

impl Default for FeatureMap {
    fn default() -> Self {
        FeatureMap {
            x1: true,
            x2: true,
            x1_squared: false,
            x2_squared: false,
            x1_x2: false,
            sin_x1: false,
            sin_x2: false,
            degree: 0,
        }
    }
}

/// One feature: its display name, the input columns it reads (highest first) and its formula.
pub(crate) struct FeatureDef {
    name: &'static str,
    needs_column: usize,
    pub(crate) value: fn(f64, f64) -> f64,
}

const FEATURES: [FeatureDef; 7] = [
    FeatureDef { name: "x1", needs_column: 0, value: |a, _| a },
    FeatureDef { name: "x2", needs_column: 1, value: |_, b| b },
    FeatureDef { name: "x1²", needs_column: 0, value: |a, _| a * a },
    FeatureDef { name: "x2²", needs_column: 1, value: |_, b| b * b },
    FeatureDef { name: "x1·x2", needs_column: 1, value: |a, b| a * b },
    FeatureDef { name: "sin(x1)", needs_column: 0, value: |a, _| a.sin() },
    FeatureDef { name: "sin(x2)", needs_column: 1, value: |_, b| b.sin() },
];

impl FeatureMap {
    /// Every feature switched on.
    pub fn all() -> Self {
        FeatureMap {
            x1: true,
            x2: true,
            x1_squared: true,
            x2_squared: true,
            x1_x2: true,
            sin_x1: true,
            sin_x2: true,
            degree: 0,
        }
    }

    fn toggles(&self) -> [bool; 7] {
        [self.x1, self.x2, self.x1_squared, self.x2_squared, self.x1_x2, self.sin_x1, self.sin_x2]
    }

    pub(crate) fn enabled(&self) -> impl Iterator<Item = &'static FeatureDef> {
        let on = self.toggles();
        FEATURES.iter().zip(on).filter(|(_, on)| *on).map(|(f, _)| f)
    }

    /// Number of features switched on.
    pub fn len(&self) -> usize {
        self.toggles().iter().filter(|&&on| on).count()
    }

    /// True when every feature is off (which [`FeatureMap::check`] rejects).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Fails unless at least one feature is on, or when the degree is above
    /// [`MAX_FEATURE_DEGREE`].
    pub fn check(&self) -> Result<()> {
        if self.is_empty() {
            return Err(err!(InvalidParameter, "no_feature_on"));
        }
        crate::error::check_count("polynomial degree", self.degree as usize, 0, MAX_FEATURE_DEGREE as usize)?;
        Ok(())
    }

    /// The powers `(a, b)` of the monomials `x1^a · x2^b` the degree adds, in column order, for
    /// `n_inputs` input columns (with one column only the powers of `x1`).
    pub fn monomials(&self, n_inputs: usize) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for total in 3..=self.degree as u32 {
            for b in 0..=total {
                if b == 0 || n_inputs >= 2 {
                    out.push((total - b, b));
                }
            }
        }
        out
    }

    /// The display name of `x1^a · x2^b` (`x1³`, `x1²·x2`).
    pub fn monomial_name(a: u32, b: u32) -> String {
        let part = |name: &str, p: u32| if p == 0 { String::new() } else { format!("{name}{}", superscript(p)) };
        [part("x1", a), part("x2", b)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("·")
    }

    /// Display names of the features switched on, in column order (`x1`, `x1²`, `x1·x2`,
    /// `sin(x1)`, …, then the monomials of the degree).
    pub fn names(&self) -> Vec<String> {
        self.enabled()
            .map(|f| f.name.to_string())
            .chain(self.monomials(2).into_iter().map(|(a, b)| Self::monomial_name(a, b)))
            .collect()
    }

    /// The features switched on that `n_inputs` input columns can feed: all of them for two or
    /// more inputs, only those of `x1` for one.
    fn available(&self, n_inputs: usize) -> impl Iterator<Item = &'static FeatureDef> {
        self.enabled().filter(move |f| f.needs_column < n_inputs)
    }

    /// How many columns [`FeatureMap::apply`] makes from `n_inputs` input columns: the features
    /// switched on that the inputs can feed, then every input past the second as it is.
    pub fn output_len(&self, n_inputs: usize) -> usize {
        self.available(n_inputs).count() + self.monomials(n_inputs).len() + n_inputs.saturating_sub(2)
    }

    /// The names of [`FeatureMap::apply`]'s columns for `n_inputs` input columns (`x1`, `x1·x2`,
    /// …, then `x3`, `x4`, … for the inputs past the second).
    pub fn names_for(&self, n_inputs: usize) -> Vec<String> {
        self.available(n_inputs)
            .map(|f| f.name.to_string())
            .chain(self.monomials(n_inputs).into_iter().map(|(a, b)| Self::monomial_name(a, b)))
            .chain((2..n_inputs).map(|j| format!("x{}", j + 1)))
            .collect()
    }

    /// The n × [`output_len`](FeatureMap::output_len) matrix of the features switched on, from
    /// the inputs: the map acts on the first two columns `(x1, x2)`; a third and later column
    /// (data with more features than the plane shows) is passed on as a linear feature; with one
    /// column, the features of `x2` are left out. Fails when no feature is left.
    pub fn apply(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        self.check()?;
        let (n, d) = x.shape();
        let width = self.output_len(d);
        if d == 0 || width == 0 {
            return Err(err!(InvalidData, "features_need_x2", d = d));
        }
        let mut out = DMatrix::zeros(n, width);
        let x1 = x.column(0);
        for (k, feature) in self.available(d).enumerate() {
            let mut column = out.column_mut(k);
            if d >= 2 {
                let x2 = x.column(1);
                for i in 0..n {
                    column[i] = (feature.value)(x1[i], x2[i]);
                }
            } else {
                for i in 0..n {
                    column[i] = (feature.value)(x1[i], 0.0);
                }
            }
        }
        let toggled = self.available(d).count();
        let monomials = self.monomials(d);
        for (k, &(a, b)) in monomials.iter().enumerate() {
            let mut column = out.column_mut(toggled + k);
            for i in 0..n {
                let x2 = if d >= 2 { x[(i, 1)].powi(b as i32) } else { 1.0 };
                column[i] = x1[i].powi(a as i32) * x2;
            }
        }
        let mapped = toggled + monomials.len();
        for j in 2..d {
            out.set_column(mapped + j - 2, &x.column(j));
        }
        Ok(out)
    }
}

/// [`FeatureMap::apply`] one row at a time (the same values, for a caller that walks rows in
/// place): made once by [`FeatureMap::row_map`] for a number of input columns.
pub struct RowMap {
    defs: Vec<&'static FeatureDef>,
    monomials: Vec<(u32, u32)>,
    d: usize,
}

impl FeatureMap {
    /// The map of one row of `d` inputs; fails as [`FeatureMap::apply`] fails.
    pub fn row_map(&self, d: usize) -> Result<RowMap> {
        self.check()?;
        if d == 0 || self.output_len(d) == 0 {
            return Err(err!(InvalidData, "features_need_x2", d = d));
        }
        Ok(RowMap { defs: self.available(d).collect(), monomials: self.monomials(d), d })
    }
}

impl RowMap {
    /// The number of values [`RowMap::apply`] writes.
    pub fn width(&self) -> usize {
        self.defs.len() + self.monomials.len() + self.d.saturating_sub(2)
    }

    /// True when [`RowMap::apply`] copies the row as it is: `x1` (and `x2` when there are two
    /// inputs or more) in that order, no monomials, the inputs past the second after them.
    pub fn is_identity(&self) -> bool {
        let names: Vec<&str> = self.defs.iter().map(|f| f.name).collect();
        let plain: &[&str] = if self.d >= 2 { &["x1", "x2"] } else { &["x1"] };
        self.monomials.is_empty() && names == plain
    }

    /// Writes the features of `row` (`d` inputs) into `out` ([`RowMap::width`] values), each
    /// as [`FeatureMap::apply`] computes it.
    pub fn apply(&self, row: &[f64], out: &mut [f64]) {
        let x1 = row[0];
        let x2 = if self.d >= 2 { row[1] } else { 0.0 };
        let mut slots = out.iter_mut();
        // (the definitions first in each zip: a slot is taken only when there is a value for it)
        for (f, slot) in self.defs.iter().zip(slots.by_ref()) {
            *slot = (f.value)(x1, x2);
        }
        for (&(a, b), slot) in self.monomials.iter().zip(slots.by_ref()) {
            let x2 = if self.d >= 2 { x2.powi(b as i32) } else { 1.0 };
            *slot = x1.powi(a as i32) * x2;
        }
        for (slot, &v) in slots.zip(row.iter().take(self.d).skip(2)) {
            *slot = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The identity is the raw inputs in order (logistic regression's batch path then reads the
    /// rows in place): the default map on one, two or three inputs; not a map that drops,
    /// reorders or adds a feature.
    #[test]
    fn is_identity_is_the_raw_inputs_in_order() {
        let x2_only = FeatureMap { x1: false, ..FeatureMap::default() };
        let cubic = FeatureMap { degree: 3, ..FeatureMap::default() };
        for d in 1..=3 {
            let map = FeatureMap::default().row_map(d).unwrap();
            assert!(map.is_identity(), "default on {d}");
            let row = [1.5, -2.0, 7.0];
            let mut out = vec![0.0; map.width()];
            map.apply(&row[..d], &mut out);
            assert_eq!(out, row[..d].to_vec());
        }
        for (map, d) in [
            (FeatureMap::all(), 2),
            (x2_only, 2),
            (cubic, 2),
            (FeatureMap { x1_squared: true, ..FeatureMap::default() }, 1),
        ] {
            assert!(!map.row_map(d).unwrap().is_identity(), "{map:?} on {d}");
        }
    }

    /// A row's map gives, row by row, exactly the columns of `apply` (toggles, monomials of a
    /// degree, inputs past the second, one input), and refuses what `apply` refuses.
    #[test]
    fn row_map_gives_apply_row_by_row() {
        let all = FeatureMap { degree: 4, ..FeatureMap::all() };
        let some = FeatureMap {
            x1: false,
            x2: true,
            x1_squared: false,
            x2_squared: false,
            x1_x2: true,
            sin_x1: true,
            sin_x2: false,
            degree: 3,
        };
        for map in [FeatureMap::default(), all, some] {
            for d in 1..=4 {
                let n = 7;
                let x = DMatrix::from_fn(n, d, |i, j| (i as f64 - 3.0) * 0.7 + j as f64 * 1.3);
                let Ok(whole) = map.apply(&x) else {
                    assert!(map.row_map(d).is_err(), "{map:?} d {d}");
                    continue;
                };
                let rows = map.row_map(d).unwrap();
                assert_eq!(rows.width(), whole.ncols(), "{map:?} d {d}");
                let mut out = vec![f64::NAN; rows.width()];
                for i in 0..n {
                    let row: Vec<f64> = x.row(i).iter().copied().collect();
                    rows.apply(&row, &mut out);
                    for (j, v) in out.iter().enumerate() {
                        assert_eq!(v.to_bits(), whole[(i, j)].to_bits(), "{map:?} d {d} row {i} column {j}");
                    }
                }
            }
        }
    }
    use crate::error::Error;

    #[test]
    fn feature_map_columns_and_names() {
        let x = DMatrix::from_row_slice(2, 2, &[2.0, -1.0, 0.5, 3.0]);
        let all = FeatureMap::all();
        assert_eq!(all.names(), vec!["x1", "x2", "x1²", "x2²", "x1·x2", "sin(x1)", "sin(x2)"]);
        let phi = all.apply(&x).unwrap();
        assert_eq!(phi.shape(), (2, 7));
        let expected_row0 = [2.0, -1.0, 4.0, 1.0, -2.0, 2f64.sin(), (-1f64).sin()];
        let expected_row1 = [0.5, 3.0, 0.25, 9.0, 1.5, 0.5f64.sin(), 3f64.sin()];
        assert_eq!(phi.row(0).iter().copied().collect::<Vec<_>>(), expected_row0);
        assert_eq!(phi.row(1).iter().copied().collect::<Vec<_>>(), expected_row1);

        let default = FeatureMap::default();
        assert_eq!(default.names(), vec!["x1", "x2"]);
        assert_eq!(default.apply(&x).unwrap(), x);

        let product = FeatureMap { x1: false, x2: false, x1_x2: true, ..FeatureMap::default() };
        assert_eq!(product.names(), vec!["x1·x2"]);
        assert_eq!(product.apply(&x).unwrap().as_slice(), &[-2.0, 1.5]);
    }

    #[test]
    fn feature_map_checks() {
        let none = FeatureMap { x1: false, x2: false, ..FeatureMap::default() };
        assert!(none.is_empty());
        assert!(matches!(none.check(), Err(Error::InvalidParameter(m)) if m.to_string().contains("at least one")));
        assert!(none.apply(&DMatrix::zeros(3, 2)).is_err());
        // One input column feeds the x1 features only; the x2 ones are left out.
        let x1_only = FeatureMap { x2: false, x1_squared: true, ..FeatureMap::default() };
        assert_eq!(
            x1_only.apply(&DMatrix::from_column_slice(2, 1, &[3.0, -2.0])).unwrap().as_slice(),
            &[3.0, -2.0, 9.0, 4.0]
        );
        let one = DMatrix::from_column_slice(2, 1, &[3.0, -2.0]);
        assert_eq!(FeatureMap::default().apply(&one).unwrap(), one);
        assert_eq!(
            (FeatureMap::default().output_len(1), FeatureMap::default().names_for(1)),
            (1, vec!["x1".to_string()])
        );
        let x2_only = FeatureMap { x1: false, x2_squared: true, ..FeatureMap::default() };
        assert!(matches!(x2_only.apply(&one), Err(Error::InvalidData(m)) if m.to_string().contains("feature of x1")));
        assert!(FeatureMap::default().apply(&DMatrix::zeros(2, 0)).is_err());
        // Inputs past the second pass through as linear features, after the mapped ones.
        let wide = DMatrix::from_row_slice(2, 4, &[2.0, -1.0, 7.0, 8.0, 0.5, 3.0, 9.0, 10.0]);
        let product = FeatureMap { x1_x2: true, ..FeatureMap::default() };
        let phi = product.apply(&wide).unwrap();
        assert_eq!(phi.row(0).iter().copied().collect::<Vec<_>>(), [2.0, -1.0, -2.0, 7.0, 8.0]);
        assert_eq!(phi.row(1).iter().copied().collect::<Vec<_>>(), [0.5, 3.0, 1.5, 9.0, 10.0]);
        assert_eq!(product.names_for(4), ["x1", "x2", "x1·x2", "x3", "x4"]);
        assert_eq!(product.output_len(4), 5);
        // NaN passes through without panicking; the dataset or model rejects it.
        assert!(FeatureMap::all().apply(&DMatrix::from_element(1, 2, f64::NAN)).unwrap()[(0, 4)].is_nan());
        // serde: missing toggles take their defaults.
        let parsed: FeatureMap = serde_json::from_str(r#"{"x1_x2": true}"#).unwrap();
        assert_eq!(parsed, FeatureMap { x1_x2: true, ..FeatureMap::default() });
    }

    #[test]
    fn polynomial_powers() {
        let x = DMatrix::from_row_slice(2, 2, &[2.0, -1.0, 3.0, 0.5]);
        let p = polynomial(&x, 3);
        assert_eq!(p.row(0).iter().copied().collect::<Vec<_>>(), vec![2.0, 4.0, 8.0, -1.0, 1.0, -1.0]);
        assert_eq!(p.row(1).iter().copied().collect::<Vec<_>>(), vec![3.0, 9.0, 27.0, 0.5, 0.25, 0.125]);
    }

    #[test]
    fn standardizer_matches_population_std() {
        // scikit-learn: StandardScaler().fit([[1],[2],[3],[4]]) -> mean_ 2.5, scale_ 1.118033988749895
        let x = DMatrix::from_column_slice(4, 2, &[1.0, 2.0, 3.0, 4.0, 7.0, 7.0, 7.0, 7.0]);
        let s = Standardizer::fit(&x);
        assert!((s.mean[0] - 2.5).abs() < 1e-15);
        assert!((s.scale[0] - 1.118033988749895).abs() < 1e-15);
        assert_eq!(s.scale[1], 1.0);
        let z = s.transform(&x);
        assert!(z.column(1).iter().all(|&v| v == 0.0));
        assert!((z[(0, 0)] + 1.3416407864998738).abs() < 1e-15);
    }
}
