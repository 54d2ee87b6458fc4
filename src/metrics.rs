//! Losses and scores, each checked against its textbook definition (and scikit-learn's numbers in
//! the tests): regression errors first, then classification scores and curves.

use nalgebra::DMatrix;

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

// ---------------------------------------------------------------------------------------------
// Classification metrics.
//
// Labels are class indices stored as `f64` (`0.0, 1.0, …`), as in [`crate::data::Dataset`]; a
// label that is not one of `0..n_classes` (impossible for a checked dataset) is ignored rather
// than trusted as an index. Where scikit-learn would divide by zero (`zero_division="warn"`) the
// score is 0, as scikit-learn returns.
// ---------------------------------------------------------------------------------------------

/// `label` as a class index when it is one of `0..n_classes`.
fn class_index(label: f64, n_classes: usize) -> Option<usize> {
    (label >= 0.0 && label.fract() == 0.0 && label < n_classes as f64).then_some(label as usize)
}

/// The most probable class of each row of an n × k probability matrix (the first on ties; NaN
/// entries never win; an all-NaN row gives class 0).
pub fn predicted_classes(proba: &DMatrix<f64>) -> Vec<f64> {
    proba
        .row_iter()
        .map(|row| {
            let mut best = (0, f64::NEG_INFINITY);
            for (c, &p) in row.iter().enumerate() {
                if p > best.1 {
                    best = (c, p);
                }
            }
            best.0 as f64
        })
        .collect()
}

/// Confusion matrix: `matrix[true_class][predicted_class]` counts.
pub fn confusion_matrix(y_true: &[f64], y_pred: &[f64], n_classes: usize) -> Vec<Vec<usize>> {
    let mut matrix = vec![vec![0; n_classes]; n_classes];
    for (&t, &p) in y_true.iter().zip(y_pred) {
        if let (Some(t), Some(p)) = (class_index(t, n_classes), class_index(p, n_classes)) {
            matrix[t][p] += 1;
        }
    }
    matrix
}

/// Fraction of predictions equal to the truth; 0 for empty input.
pub fn accuracy(y_true: &[f64], y_pred: &[f64]) -> f64 {
    let n = y_true.len().min(y_pred.len());
    if n == 0 {
        return 0.0;
    }
    y_true.iter().zip(y_pred).filter(|(t, p)| t == p).count() as f64 / n as f64
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

fn harmonic(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// Per-class precision, recall and F1 from a confusion matrix, with the support (true count) and
/// the number of predictions of each class.
struct PerClass {
    precision: Vec<f64>,
    recall: Vec<f64>,
    f1: Vec<f64>,
    support: Vec<usize>,
    predicted: Vec<usize>,
}

impl PerClass {
    fn from_confusion(matrix: &[Vec<usize>]) -> Self {
        let k = matrix.len();
        let support: Vec<usize> = matrix.iter().map(|row| row.iter().sum()).collect();
        let predicted: Vec<usize> =
            (0..k).map(|c| matrix.iter().map(|row| row.get(c).copied().unwrap_or(0)).sum()).collect();
        let diagonal: Vec<usize> = (0..k).map(|c| matrix[c].get(c).copied().unwrap_or(0)).collect();
        let precision: Vec<f64> = (0..k).map(|c| ratio(diagonal[c], predicted[c])).collect();
        let recall: Vec<f64> = (0..k).map(|c| ratio(diagonal[c], support[c])).collect();
        let f1 = (0..k).map(|c| harmonic(precision[c], recall[c])).collect();
        PerClass { precision, recall, f1, support, predicted }
    }

    /// Mean of `values` over the classes that occur in the truth or the predictions
    /// (scikit-learn's default label set for `average="macro"`).
    fn macro_average(&self, values: &[f64]) -> f64 {
        let present: Vec<f64> =
            (0..values.len()).filter(|&c| self.support[c] + self.predicted[c] > 0).map(|c| values[c]).collect();
        if present.is_empty() {
            0.0
        } else {
            present.iter().sum::<f64>() / present.len() as f64
        }
    }
}

/// True positives, false positives and false negatives of class `positive`.
fn binary_counts(y_true: &[f64], y_pred: &[f64], positive: usize) -> (usize, usize, usize) {
    let positive = positive as f64;
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for (&t, &p) in y_true.iter().zip(y_pred) {
        match (t == positive, p == positive) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => {}
        }
    }
    (tp, fp, fn_)
}

/// Binary precision of class `positive`: TP / (TP + FP).
pub fn precision(y_true: &[f64], y_pred: &[f64], positive: usize) -> f64 {
    let (tp, fp, _) = binary_counts(y_true, y_pred, positive);
    ratio(tp, tp + fp)
}

/// Binary recall (sensitivity, true-positive rate) of class `positive`: TP / (TP + FN).
pub fn recall(y_true: &[f64], y_pred: &[f64], positive: usize) -> f64 {
    let (tp, _, fn_) = binary_counts(y_true, y_pred, positive);
    ratio(tp, tp + fn_)
}

/// Binary F1 of class `positive`: the harmonic mean of precision and recall.
pub fn f1(y_true: &[f64], y_pred: &[f64], positive: usize) -> f64 {
    harmonic(precision(y_true, y_pred, positive), recall(y_true, y_pred, positive))
}

/// Macro-averaged precision over the classes present in the truth or the predictions.
pub fn macro_precision(y_true: &[f64], y_pred: &[f64], n_classes: usize) -> f64 {
    let per = PerClass::from_confusion(&confusion_matrix(y_true, y_pred, n_classes));
    per.macro_average(&per.precision)
}

/// Macro-averaged recall over the classes present in the truth or the predictions.
pub fn macro_recall(y_true: &[f64], y_pred: &[f64], n_classes: usize) -> f64 {
    let per = PerClass::from_confusion(&confusion_matrix(y_true, y_pred, n_classes));
    per.macro_average(&per.recall)
}

/// Macro-averaged F1 (the mean of per-class F1s) over the classes present in the truth or the
/// predictions.
pub fn macro_f1(y_true: &[f64], y_pred: &[f64], n_classes: usize) -> f64 {
    let per = PerClass::from_confusion(&confusion_matrix(y_true, y_pred, n_classes));
    per.macro_average(&per.f1)
}

/// Recall of each class (the fraction of its points predicted as it); `None` for a class with no
/// points in the truth.
pub fn per_class_recall(y_true: &[f64], y_pred: &[f64], n_classes: usize) -> Vec<Option<f64>> {
    let per = PerClass::from_confusion(&confusion_matrix(y_true, y_pred, n_classes));
    (0..n_classes).map(|c| (per.support[c] > 0).then(|| per.recall[c])).collect()
}

/// Balanced accuracy: the mean recall over the classes present in the truth; 0 for empty input.
pub fn balanced_accuracy(y_true: &[f64], y_pred: &[f64], n_classes: usize) -> f64 {
    let recalls: Vec<f64> = per_class_recall(y_true, y_pred, n_classes).into_iter().flatten().collect();
    if recalls.is_empty() {
        0.0
    } else {
        recalls.iter().sum::<f64>() / recalls.len() as f64
    }
}

/// Mean cross-entropy (log-loss) of n × k class probabilities against the true classes, with
/// probabilities clipped to [ε, 1 − ε] (ε = machine epsilon) as scikit-learn does; 0 for empty
/// input.
pub fn log_loss(y_true: &[f64], proba: &DMatrix<f64>) -> f64 {
    let k = proba.ncols();
    let mut total = 0.0;
    let mut count = 0;
    for (i, &t) in y_true.iter().enumerate().take(proba.nrows()) {
        if let Some(c) = class_index(t, k) {
            total -= proba[(i, c)].clamp(f64::EPSILON, 1.0 - f64::EPSILON).ln();
            count += 1;
        }
    }
    if count == 0 {
        0.0
    } else {
        total / count as f64
    }
}

/// Cumulative false and true positives at each distinct score, from the highest score down
/// (scikit-learn's `confusion_matrix_at_thresholds`): `(fps, tps, thresholds)`. NaN scores are
/// ranked lowest.
type Counts = (Vec<f64>, Vec<f64>, Vec<f64>);

fn counts_at_thresholds(y_true: &[f64], scores: &[f64], positive: usize) -> Counts {
    let n = y_true.len().min(scores.len());
    let key = |i: usize| if scores[i].is_nan() { f64::NEG_INFINITY } else { scores[i] };
    // Descending by score (NaN last): ascending by the negated key, with the radix sort (the order
    // within a tie does not change the curve).
    let negated: Vec<f64> = (0..n).map(|i| -key(i)).collect();
    let order: Vec<usize> = crate::data::order::order_by_value(&negated).into_iter().map(|i| i as usize).collect();
    let (mut fps, mut tps, mut thresholds) = (Vec::new(), Vec::new(), Vec::new());
    let (mut fp, mut tp) = (0.0, 0.0);
    for (rank, &i) in order.iter().enumerate() {
        if y_true[i] == positive as f64 {
            tp += 1.0;
        } else {
            fp += 1.0;
        }
        let last_of_tie = order.get(rank + 1).is_none_or(|&next| key(next) != key(i));
        if last_of_tie {
            fps.push(fp);
            tps.push(tp);
            thresholds.push(scores[i]);
        }
    }
    (fps, tps, thresholds)
}

/// Points of a ROC curve, from (0, 0) to (1, 1). `thresholds[0]` is +∞ (nothing predicted
/// positive), as in scikit-learn (it serialises to JSON `null`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct RocCurve {
    pub fpr: Vec<f64>,
    pub tpr: Vec<f64>,
    pub thresholds: Vec<f64>,
}

/// Binary ROC curve of `scores` (higher = more likely `positive`), with scikit-learn's
/// `drop_intermediate=True` (points collinear with their neighbours are dropped). `None` unless
/// both classes are present.
pub fn roc_curve(y_true: &[f64], scores: &[f64], positive: usize) -> Option<RocCurve> {
    roc_from_counts(&counts_at_thresholds(y_true, scores, positive))
}

/// [`roc_curve`] from the counts of one sort (shared with the precision-recall curve).
fn roc_from_counts((fps, tps, thresholds): &Counts) -> Option<RocCurve> {
    let (&total_fp, &total_tp) = (fps.last()?, tps.last()?);
    if total_fp <= 0.0 || total_tp <= 0.0 {
        return None;
    }
    let m = fps.len();
    let keep: Vec<usize> = (0..m)
        .filter(|&i| {
            i == 0
                || i == m - 1
                || fps[i + 1] - 2.0 * fps[i] + fps[i - 1] != 0.0
                || tps[i + 1] - 2.0 * tps[i] + tps[i - 1] != 0.0
        })
        .collect();
    let mut curve = RocCurve { fpr: vec![0.0], tpr: vec![0.0], thresholds: vec![f64::INFINITY] };
    for i in keep {
        curve.fpr.push(fps[i] / total_fp);
        curve.tpr.push(tps[i] / total_tp);
        curve.thresholds.push(thresholds[i]);
    }
    Some(curve)
}

/// Area under the ROC curve (trapezoids; ties count one half). `None` unless both classes are
/// present.
pub fn roc_auc(y_true: &[f64], scores: &[f64], positive: usize) -> Option<f64> {
    roc_curve(y_true, scores, positive).map(|curve| area_under_roc(&curve))
}

/// The trapezoid area under a ROC curve's points.
fn area_under_roc(curve: &RocCurve) -> f64 {
    curve.fpr.windows(2).zip(curve.tpr.windows(2)).map(|(x, y)| (x[1] - x[0]) * (y[1] + y[0]) / 2.0).sum()
}

/// One-vs-rest ROC AUC of each class's probability column, macro-averaged (scikit-learn's
/// `roc_auc_score(multi_class="ovr")`); for two classes it is the binary AUC of class 1. `None`
/// unless every class is present.
pub fn roc_auc_ovr(y_true: &[f64], proba: &DMatrix<f64>) -> Option<f64> {
    let k = proba.ncols();
    if k == 2 {
        let scores: Vec<f64> = proba.column(1).iter().copied().collect();
        return roc_auc(y_true, &scores, 1);
    }
    let mut total = 0.0;
    for c in 0..k {
        let scores: Vec<f64> = proba.column(c).iter().copied().collect();
        total += roc_auc(y_true, &scores, c)?;
    }
    (k > 0).then(|| total / k as f64)
}

/// Points of a precision-recall curve, ordered by increasing threshold (recall decreasing), ending
/// at (recall 0, precision 1) which has no threshold, as in scikit-learn.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct PrecisionRecallCurve {
    pub precision: Vec<f64>,
    pub recall: Vec<f64>,
    pub thresholds: Vec<f64>,
}

/// Binary precision-recall curve of `scores` for class `positive` (scikit-learn's
/// `precision_recall_curve`, no points dropped). `None` when there are no points of class
/// `positive` (recall is undefined).
pub fn precision_recall_curve(y_true: &[f64], scores: &[f64], positive: usize) -> Option<PrecisionRecallCurve> {
    precision_recall_from_counts(&counts_at_thresholds(y_true, scores, positive))
}

/// [`precision_recall_curve`] from the counts of one sort (shared with the ROC curve).
fn precision_recall_from_counts((fps, tps, thresholds): &Counts) -> Option<PrecisionRecallCurve> {
    let total_tp = *tps.last()?;
    if total_tp <= 0.0 {
        return None;
    }
    let mut curve = PrecisionRecallCurve::default();
    for i in (0..tps.len()).rev() {
        let predicted = tps[i] + fps[i];
        curve.precision.push(if predicted > 0.0 { tps[i] / predicted } else { 0.0 });
        curve.recall.push(tps[i] / total_tp);
        curve.thresholds.push(thresholds[i]);
    }
    curve.precision.push(1.0);
    curve.recall.push(0.0);
    Some(curve)
}

/// Average precision, `Σ (R_i − R_{i−1}) P_i` over the precision-recall curve (scikit-learn's
/// `average_precision_score`). `None` when there are no points of class `positive`.
pub fn average_precision(y_true: &[f64], scores: &[f64], positive: usize) -> Option<f64> {
    precision_recall_curve(y_true, scores, positive).map(|curve| area_under_precision_recall(&curve))
}

/// `Σ (R_i − R_{i+1}) P_i` over a precision-recall curve's points.
fn area_under_precision_recall(curve: &PrecisionRecallCurve) -> f64 {
    -(0..curve.recall.len().saturating_sub(1))
        .map(|i| (curve.recall[i + 1] - curve.recall[i]) * curve.precision[i])
        .sum::<f64>()
}

/// The classification scores the page shows for one subset (train or test).
///
/// `precision`, `recall` and `f1` are those of class 1 for two classes and macro averages for
/// more; the macro averages are always given too. The curves and `average_precision` are for two
/// classes only (class 1 positive); `roc_auc` is binary for two classes and one-vs-rest macro for
/// more. Undefined values are `None`.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ClassificationScores {
    pub n: usize,
    pub n_classes: usize,
    pub accuracy: f64,
    pub balanced_accuracy: f64,
    pub log_loss: f64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub macro_precision: f64,
    pub macro_recall: f64,
    pub macro_f1: f64,
    pub per_class_recall: Vec<Option<f64>>,
    /// `confusion[true_class][predicted_class]`.
    pub confusion: Vec<Vec<usize>>,
    pub roc_auc: Option<f64>,
    pub average_precision: Option<f64>,
    pub roc: Option<RocCurve>,
    pub precision_recall: Option<PrecisionRecallCurve>,
}

impl ClassificationScores {
    /// Scores of n × k class probabilities `proba` against the true classes; predictions are the
    /// most probable class of each row.
    pub fn compute(y_true: &[f64], proba: &DMatrix<f64>) -> Self {
        let k = proba.ncols();
        let n = y_true.len().min(proba.nrows());
        let y_true = &y_true[..n];
        let y_pred = predicted_classes(proba);
        let confusion = confusion_matrix(y_true, &y_pred, k);
        let per = PerClass::from_confusion(&confusion);
        let (macro_precision, macro_recall, macro_f1) =
            (per.macro_average(&per.precision), per.macro_average(&per.recall), per.macro_average(&per.f1));
        let (precision, recall, f1) = if k == 2 {
            (per.precision[1], per.recall[1], per.f1[1])
        } else {
            (macro_precision, macro_recall, macro_f1)
        };
        // Two classes: one sort of the scores serves the ROC curve, its area, the
        // precision-recall curve and average precision (four sorts before).
        let (roc, precision_recall) = if k == 2 {
            let positive_scores: Vec<f64> = proba.column(1).iter().copied().collect();
            let counts = counts_at_thresholds(y_true, &positive_scores, 1);
            (roc_from_counts(&counts), precision_recall_from_counts(&counts))
        } else {
            (None, None)
        };
        ClassificationScores {
            n,
            n_classes: k,
            accuracy: accuracy(y_true, &y_pred),
            balanced_accuracy: balanced_accuracy(y_true, &y_pred, k),
            log_loss: log_loss(y_true, proba),
            precision,
            recall,
            f1,
            macro_precision,
            macro_recall,
            macro_f1,
            per_class_recall: (0..k).map(|c| (per.support[c] > 0).then(|| per.recall[c])).collect(),
            confusion,
            roc_auc: if k == 2 { roc.as_ref().map(area_under_roc) } else { roc_auc_ovr(y_true, proba) },
            average_precision: precision_recall.as_ref().map(area_under_precision_recall),
            roc,
            precision_recall,
        }
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

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    fn all_close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y || close(*x, *y))
    }

    // Binary reference, from scikit-learn 1.9 (the script, abridged):
    //   y = [0,1,1,0,1,0,0,1,1,0,1,1,0,0,1,0,1,0,0,1]
    //   s = [0.1,0.8,0.65,0.3,0.4,0.4,0.55,0.9,0.4,0.2,0.75,0.3,0.6,0.05,0.95,0.52,0.7,0.35,0.4,0.85]
    //   P = np.c_[1-s, s]; pred = P.argmax(1)
    //   log_loss(y, P) = 0.4645842281754729; accuracy 0.7; balanced 0.7; precision/recall/f1 0.7 (both classes)
    //   confusion_matrix -> [[7,3],[3,7]]; roc_auc_score(y, s) = 0.855
    //   roc_curve(y, s) -> fpr [0,0,0,.3,.5,.6,.7,1], tpr [0,.1,.7,.7,.9,.9,1,1],
    //                      thresholds [inf,.95,.65,.52,.4,.35,.3,.05]
    //   precision_recall_curve(y, s), average_precision_score(y, s) = 0.8873949579831933
    const Y: [f64; 20] = [0., 1., 1., 0., 1., 0., 0., 1., 1., 0., 1., 1., 0., 0., 1., 0., 1., 0., 0., 1.];
    const S: [f64; 20] =
        [0.1, 0.8, 0.65, 0.3, 0.4, 0.4, 0.55, 0.9, 0.4, 0.2, 0.75, 0.3, 0.6, 0.05, 0.95, 0.52, 0.7, 0.35, 0.4, 0.85];

    fn binary_proba() -> DMatrix<f64> {
        DMatrix::from_fn(20, 2, |i, c| if c == 1 { S[i] } else { 1.0 - S[i] })
    }

    #[test]
    fn binary_scores_against_scikit_learn() {
        let proba = binary_proba();
        let pred = predicted_classes(&proba);
        assert!(close(log_loss(&Y, &proba), 0.4645842281754729));
        assert!(close(accuracy(&Y, &pred), 0.7));
        assert!(close(balanced_accuracy(&Y, &pred, 2), 0.7));
        for positive in [0, 1] {
            assert!(close(precision(&Y, &pred, positive), 0.7));
            assert!(close(recall(&Y, &pred, positive), 0.7));
            assert!(close(f1(&Y, &pred, positive), 0.7));
        }
        assert_eq!(confusion_matrix(&Y, &pred, 2), vec![vec![7, 3], vec![3, 7]]);

        let roc = roc_curve(&Y, &S, 1).unwrap();
        assert!(all_close(&roc.fpr, &[0.0, 0.0, 0.0, 0.3, 0.5, 0.6, 0.7, 1.0]), "{:?}", roc.fpr);
        assert!(all_close(&roc.tpr, &[0.0, 0.1, 0.7, 0.7, 0.9, 0.9, 1.0, 1.0]), "{:?}", roc.tpr);
        assert!(all_close(&roc.thresholds, &[f64::INFINITY, 0.95, 0.65, 0.52, 0.4, 0.35, 0.3, 0.05]));
        assert!(close(roc_auc(&Y, &S, 1).unwrap(), 0.855));

        let pr = precision_recall_curve(&Y, &S, 1).unwrap();
        let expected_precision = [
            0.5,
            0.5263157894736842,
            0.5555555555555556,
            0.5882352941176471,
            0.6,
            0.6428571428571429,
            0.7,
            0.7777777777777778,
            0.875,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
        ];
        let expected_recall = [1.0, 1.0, 1.0, 1.0, 0.9, 0.9, 0.7, 0.7, 0.7, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0];
        let expected_thresholds =
            [0.05, 0.1, 0.2, 0.3, 0.35, 0.4, 0.52, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
        assert!(all_close(&pr.precision, &expected_precision), "{:?}", pr.precision);
        assert!(all_close(&pr.recall, &expected_recall), "{:?}", pr.recall);
        assert!(all_close(&pr.thresholds, &expected_thresholds), "{:?}", pr.thresholds);
        assert!(close(average_precision(&Y, &S, 1).unwrap(), 0.8873949579831933));

        let scores = ClassificationScores::compute(&Y, &proba);
        assert_eq!((scores.n, scores.n_classes), (20, 2));
        assert!(close(scores.f1, 0.7) && close(scores.macro_f1, 0.7) && close(scores.log_loss, 0.4645842281754729));
        assert_eq!(scores.roc_auc, roc_auc(&Y, &S, 1));
        assert_eq!(scores.roc.as_ref(), Some(&roc));
        assert_eq!(scores.per_class_recall, vec![Some(0.7), Some(0.7)]);
        // Serialises for the page (the +∞ threshold becomes null).
        let json = serde_json::to_string(&scores).unwrap();
        assert!(json.contains("\"thresholds\":[null,0.95"), "{json}");
    }

    // Multiclass reference (scikit-learn 1.9):
    //   y3 = [0,1,2,2,1,0,1,1,0,2,1,0]; P3 = the rows below; pred3 = P3.argmax(1) = [0,1,2,2,0,0,2,1,2,2,0,0]
    //   log_loss 0.8554037870316037; accuracy 0.6666666666666666; balanced_accuracy 0.7166666666666667
    //   precision/recall/f1 (average="macro") 0.7333333333333334 / 0.7166666666666667 / 0.6626984126984127
    //   recall_score(average=None) [0.75, 0.4, 1.0]; confusion [[3,0,1],[2,2,1],[0,0,3]]
    //   roc_auc_score(y3, P3, multi_class="ovr") 0.8242008377425044
    //   y=[0,0,1,1], pred=[0,2,1,1] (zero_division=0): macro precision 0.6666666666666666, recall 0.5,
    //   f1 0.5555555555555555; balanced_accuracy 0.75
    #[test]
    fn multiclass_scores_against_scikit_learn() {
        let y3 = [0., 1., 2., 2., 1., 0., 1., 1., 0., 2., 1., 0.];
        let rows = [
            0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.3, 0.6, 0.3, 0.3, 0.4, 0.5, 0.4, 0.1, 0.4, 0.35, 0.25, 0.1, 0.1, 0.8,
            0.2, 0.6, 0.2, 0.3, 0.3, 0.4, 0.2, 0.2, 0.6, 0.6, 0.3, 0.1, 0.8, 0.1, 0.1,
        ];
        let proba = DMatrix::from_row_slice(12, 3, &rows);
        let pred = predicted_classes(&proba);
        assert_eq!(pred, vec![0., 1., 2., 2., 0., 0., 2., 1., 2., 2., 0., 0.]);
        assert!(close(log_loss(&y3, &proba), 0.8554037870316037));
        assert!(close(accuracy(&y3, &pred), 0.6666666666666666));
        // A fourth class that never occurs changes no macro average (scikit-learn's label set).
        for k in [3, 4] {
            assert!(close(balanced_accuracy(&y3, &pred, k), 0.7166666666666667));
            assert!(close(macro_precision(&y3, &pred, k), 0.7333333333333334));
            assert!(close(macro_recall(&y3, &pred, k), 0.7166666666666667));
            assert!(close(macro_f1(&y3, &pred, k), 0.6626984126984127));
        }
        assert_eq!(per_class_recall(&y3, &pred, 4), vec![Some(0.75), Some(0.4), Some(1.0), None]);
        assert_eq!(confusion_matrix(&y3, &pred, 3), vec![vec![3, 0, 1], vec![2, 2, 1], vec![0, 0, 3]]);
        assert!(close(roc_auc_ovr(&y3, &proba).unwrap(), 0.8242008377425044));
        let scores = ClassificationScores::compute(&y3, &proba);
        assert!(close(scores.f1, 0.6626984126984127) && close(scores.balanced_accuracy, 0.7166666666666667));
        assert!(scores.roc.is_none() && scores.precision_recall.is_none() && scores.average_precision.is_none());

        let (t, p) = ([0., 0., 1., 1.], [0., 2., 1., 1.]);
        assert!(close(macro_precision(&t, &p, 3), 0.6666666666666666));
        assert!(close(macro_recall(&t, &p, 3), 0.5));
        assert!(close(macro_f1(&t, &p, 3), 0.5555555555555555));
        assert!(close(balanced_accuracy(&t, &p, 3), 0.75));
    }

    #[test]
    fn classification_edge_cases_do_not_panic() {
        let empty = DMatrix::<f64>::zeros(0, 2);
        let scores = ClassificationScores::compute(&[], &empty);
        assert_eq!((scores.n, scores.accuracy, scores.log_loss), (0, 0.0, 0.0));
        assert!(scores.roc_auc.is_none());
        // One class only: AUC and curves are undefined, not NaN.
        assert!(roc_auc(&[1.0, 1.0], &[0.2, 0.9], 1).is_none());
        assert!(precision_recall_curve(&[0.0, 0.0], &[0.2, 0.9], 1).is_none());
        // Certain and wrong: log-loss is finite thanks to clipping (−ln ε ≈ 36.04).
        let wrong = DMatrix::from_row_slice(1, 2, &[0.0, 1.0]);
        assert!(close(log_loss(&[0.0], &wrong), -f64::EPSILON.ln()));
        // NaN probabilities and out-of-range labels are ignored, never used as indices.
        let nan = DMatrix::from_row_slice(2, 2, &[f64::NAN, f64::NAN, 0.3, 0.7]);
        assert_eq!(predicted_classes(&nan), vec![0.0, 1.0]);
        let s = ClassificationScores::compute(
            &[7.0, 1.0, -1.0],
            &DMatrix::from_row_slice(3, 2, &[0.5, 0.5, 0.2, 0.8, 0.9, 0.1]),
        );
        assert_eq!(s.confusion, vec![vec![0, 0], vec![0, 1]]);
        assert_eq!(precision(&[1.0], &[1.0], usize::MAX), 0.0);
        assert!(roc_curve(&[0.0, 1.0, 0.0], &[f64::NAN, 0.5, 0.1], 1).is_some());
    }
}

// ---------------------------------------------------------------------------------------------
// Clustering metrics (scikit-learn's `silhouette_score` and `adjusted_rand_score`).
// ---------------------------------------------------------------------------------------------

/// The clustering scores the page shows for one subset: the inertia (sum of squared distances
/// to the assigned centres), the silhouette score (on at most [`SILHOUETTE_ROWS`] evenly spaced
/// rows) and, when the data has classes, the adjusted Rand index of the clusters against them.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ClusteringScores {
    pub n: usize,
    pub inertia: f64,
    pub silhouette: Option<f64>,
    pub adjusted_rand: Option<f64>,
}

/// The silhouette of a subset larger than this is that of this many evenly spaced rows (as
/// scikit-learn's `sample_size`, without its random draw): the score costs n² distances.
pub const SILHOUETTE_ROWS: usize = 1000;

impl ClusteringScores {
    /// The scores of rows `x` (row-major, `d` wide) in clusters `labels` at squared distances
    /// `distances`, against the classes `classes` when there are some.
    pub fn compute(x: &[f64], d: usize, labels: &[usize], distances: &[f64], classes: Option<&[f64]>) -> Self {
        let n = labels.len();
        let silhouette = if n <= SILHOUETTE_ROWS {
            silhouette(x, d, labels)
        } else {
            let rows: Vec<usize> = (0..SILHOUETTE_ROWS).map(|i| i * n / SILHOUETTE_ROWS).collect();
            let xs: Vec<f64> = rows.iter().flat_map(|&i| x[i * d..(i + 1) * d].iter().copied()).collect();
            let ls: Vec<usize> = rows.iter().map(|&i| labels[i]).collect();
            silhouette(&xs, d, &ls)
        };
        let adjusted_rand = classes.filter(|c| c.len() == n && n > 0).map(|c| {
            let truth: Vec<usize> = c.iter().map(|&v| v.max(0.0) as usize).collect();
            adjusted_rand(&truth, labels)
        });
        ClusteringScores { n, inertia: distances.iter().sum(), silhouette, adjusted_rand }
    }
}

/// The mean silhouette coefficient of rows `x` (row-major, `d` wide) in clusters `labels`, as
/// scikit-learn's `silhouette_score` (Euclidean): per row `(b − a) / max(a, b)`, `a` the mean
/// distance to the other rows of its cluster, `b` the lowest mean distance to another cluster's
/// rows; 0 for a row alone in its cluster. `None` unless there are 2 to n − 1 clusters.
pub fn silhouette(x: &[f64], d: usize, labels: &[usize]) -> Option<f64> {
    let n = labels.len();
    if d == 0 || x.len() != n * d {
        return None;
    }
    let k = labels.iter().max().map_or(0, |m| m + 1);
    let mut sizes = vec![0usize; k];
    labels.iter().for_each(|&l| sizes[l] += 1);
    let present = sizes.iter().filter(|&&s| s > 0).count();
    if present < 2 || present > n.saturating_sub(1) {
        return None;
    }
    let mut sums = vec![0.0; k];
    let mut total = 0.0;
    for i in 0..n {
        sums.iter_mut().for_each(|s| *s = 0.0);
        let row = &x[i * d..(i + 1) * d];
        for (j, other) in x.chunks_exact(d).enumerate() {
            if j != i {
                sums[labels[j]] += row.iter().zip(other).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt();
            }
        }
        let own = labels[i];
        if sizes[own] <= 1 {
            continue;
        }
        let a = sums[own] / (sizes[own] - 1) as f64;
        let b = (0..k)
            .filter(|&c| c != own && sizes[c] > 0)
            .map(|c| sums[c] / sizes[c] as f64)
            .fold(f64::INFINITY, f64::min);
        let s = (b - a) / a.max(b);
        total += if s.is_finite() { s } else { 0.0 };
    }
    Some(total / n as f64)
}

/// The adjusted Rand index of two labellings of the same rows, as scikit-learn's
/// `adjusted_rand_score` (from the pair confusion matrix, in exact integers): 1 for the same
/// partition (whatever the names), about 0 for a random one.
pub fn adjusted_rand(truth: &[usize], predicted: &[usize]) -> f64 {
    let n = truth.len().min(predicted.len());
    let mut table: std::collections::HashMap<(usize, usize), i128> = std::collections::HashMap::new();
    let mut rows: std::collections::HashMap<usize, i128> = std::collections::HashMap::new();
    let mut cols: std::collections::HashMap<usize, i128> = std::collections::HashMap::new();
    for i in 0..n {
        *table.entry((truth[i], predicted[i])).or_default() += 1;
        *rows.entry(truth[i]).or_default() += 1;
        *cols.entry(predicted[i]).or_default() += 1;
    }
    let n = n as i128;
    let squares: i128 = table.values().map(|v| v * v).sum();
    // C[0][1]: Σ_ij n_ij · n_.j − Σ n_ij²; C[1][0]: Σ_ij n_ij · n_i. − Σ n_ij².
    let fp: i128 = table.iter().map(|(&(_, c), v)| v * cols[&c]).sum::<i128>() - squares;
    let fn_: i128 = table.iter().map(|(&(r, _), v)| v * rows[&r]).sum::<i128>() - squares;
    let tp = squares - n;
    let tn = n * n - fp - fn_ - squares;
    if fn_ == 0 && fp == 0 {
        return 1.0;
    }
    let numerator = 2 * (tp * tn - fn_ * fp);
    let denominator = (tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn);
    numerator as f64 / denominator as f64
}
