//! Feature maps and scaling: polynomial expansion and standardisation.

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
    pub fn fit(x: &DMatrix<f64>) -> Self {
        let n = x.nrows().max(1) as f64;
        let mut mean = Vec::with_capacity(x.ncols());
        let mut scale = Vec::with_capacity(x.ncols());
        for col in x.column_iter() {
            let m = col.sum() / n;
            let var = col.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n;
            let s = var.sqrt();
            mean.push(m);
            // Treat relative spreads below ~1e-12 as constant: the column carries no information.
            scale.push(if s > 1e-12 * m.abs().max(1e-300) && s > 0.0 { s } else { 1.0 });
        }
        Standardizer { mean, scale }
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

    /// True when column `j` was constant in the fitted data.
    pub fn is_constant(&self, j: usize) -> bool {
        self.scale[j] == 1.0 && self.mean.get(j).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
