//! Losses and scores, each checked against its textbook definition (and scikit-learn's numbers in
//! the tests).

/// Mean squared error; 0 for empty input.
pub fn mse(y_true: &[f64], y_pred: &[f64]) -> f64 {
    if y_true.is_empty() {
        return 0.0;
    }
    y_true.iter().zip(y_pred).map(|(t, p)| (t - p) * (t - p)).sum::<f64>() / y_true.len() as f64
}

/// Root mean squared error.
pub fn rmse(y_true: &[f64], y_pred: &[f64]) -> f64 {
    mse(y_true, y_pred).sqrt()
}

/// Mean absolute error.
pub fn mae(y_true: &[f64], y_pred: &[f64]) -> f64 {
    if y_true.is_empty() {
        return 0.0;
    }
    y_true.iter().zip(y_pred).map(|(t, p)| (t - p).abs()).sum::<f64>() / y_true.len() as f64
}

/// Coefficient of determination, `1 − SS_res / SS_tot`, as scikit-learn's `r2_score`: 1.0 for a
/// perfect fit of constant targets, 0.0 for an imperfect fit of constant targets; `None` with fewer
/// than two points (undefined).
pub fn r2(y_true: &[f64], y_pred: &[f64]) -> Option<f64> {
    if y_true.len() < 2 {
        return None;
    }
    let mean = y_true.iter().sum::<f64>() / y_true.len() as f64;
    let ss_tot: f64 = y_true.iter().map(|t| (t - mean) * (t - mean)).sum();
    let ss_res: f64 = y_true.iter().zip(y_pred).map(|(t, p)| (t - p) * (t - p)).sum();
    if ss_tot == 0.0 {
        return Some(if ss_res == 0.0 { 1.0 } else { 0.0 });
    }
    Some(1.0 - ss_res / ss_tot)
}

/// The regression scores the page shows for one subset.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct RegressionScores {
    pub n: usize,
    pub mse: f64,
    pub rmse: f64,
    pub mae: f64,
    pub r2: Option<f64>,
}

impl RegressionScores {
    pub fn compute(y_true: &[f64], y_pred: &[f64]) -> Self {
        let mse = mse(y_true, y_pred);
        RegressionScores { n: y_true.len(), mse, rmse: mse.sqrt(), mae: mae(y_true, y_pred), r2: r2(y_true, y_pred) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn against_scikit_learn() {
        // sklearn.metrics on y_true=[3,-0.5,2,7], y_pred=[2.5,0.0,2,8]:
        // mean_squared_error 0.375, mean_absolute_error 0.5, r2_score 0.9486081370449679
        let t = [3.0, -0.5, 2.0, 7.0];
        let p = [2.5, 0.0, 2.0, 8.0];
        assert!((mse(&t, &p) - 0.375).abs() < 1e-15);
        assert!((mae(&t, &p) - 0.5).abs() < 1e-15);
        assert!((r2(&t, &p).unwrap() - 0.9486081370449679).abs() < 1e-15);
        assert!((rmse(&t, &p) - 0.375f64.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn edge_cases() {
        assert_eq!(mse(&[], &[]), 0.0);
        assert_eq!(r2(&[1.0], &[1.0]), None);
        assert_eq!(r2(&[2.0, 2.0], &[2.0, 2.0]), Some(1.0));
        assert_eq!(r2(&[2.0, 2.0], &[2.0, 3.0]), Some(0.0));
    }
}
