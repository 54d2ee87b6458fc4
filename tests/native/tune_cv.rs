//! Tuning by cross-validation (`tune::cv::tune`): every trial is scored exactly as a direct
//! cross-validation of its settings, a grid covers every level, the best is the best, and a
//! metric where larger is better comes back un-negated; a grid search with fixed folds scores as
//! scikit-learn's `GridSearchCV`; repeated k-fold, the median rule and nested cross-validation.

use ml_playground::data::generate::{generate, DataSpec};
use ml_playground::error::Result;
use ml_playground::evaluate::cross_validation::cross_validate;
use ml_playground::evaluate::scoring::ScoreMetric;
use ml_playground::model::ModelParams;
use ml_playground::pipeline::Pipeline;
use ml_playground::tune::cv::{tune, CvSpec};
use ml_playground::tune::space::Space;
use ml_playground::tune::value::Value;
use ml_playground::tune::Options;

fn to_params(v: &Value) -> Result<ModelParams> {
    serde_json::from_str(&serde_json::to_string(v).unwrap()).map_err(|e| {
        ml_playground::err!(
            InvalidParameter,
            "unreadable",
            what = ml_playground::error::Msg::new("what.model_settings", vec![]),
            reason = ml_playground::error::serde_reason(&e.to_string())
        )
    })
}

/// A model's params with every field filled in, as the page's state holds them.
fn full(json: &str) -> Value {
    let params: ModelParams = serde_json::from_str(json).unwrap();
    serde_json::from_str(&serde_json::to_string(&params).unwrap()).unwrap()
}

fn moons() -> ml_playground::data::Dataset {
    let spec: DataSpec = serde_json::from_str(r#"{"kind": "moons", "n": 300, "noise": 0.3, "seed": 4}"#).unwrap();
    generate(&spec).unwrap()
}

#[test]
fn a_grid_over_a_trees_depth_scores_each_depth_as_cross_validation_does() {
    let data = moons();
    let base = full(r#"{"kind": "tree", "min_samples_leaf": 2}"#);
    let space: Space = serde_json::from_str(r#"[{"path": "max_depth", "type": "int", "low": 1, "high": 8}]"#).unwrap();
    let options: Options =
        serde_json::from_str(r#"{"strategy": {"kind": "grid", "levels": 8}, "trials": 8, "seed": 1}"#).unwrap();
    let cv = CvSpec::new(5, true, ScoreMetric::Accuracy, 3);
    let run = tune(&base, &space, &data, &cv, &options, &to_params, None).unwrap();
    assert!(run.greater_is_better);
    assert_eq!(run.trials.len(), 8);
    let mut depths = Vec::new();
    for trial in &run.trials {
        let depth = trial.params.get("max_depth").and_then(Value::as_f64).unwrap();
        depths.push(depth as usize);
        let params: ModelParams = serde_json::from_value(
            serde_json::json!({ "kind": "tree", "min_samples_leaf": 2, "max_depth": depth as usize }),
        )
        .unwrap();
        let direct =
            cross_validate(&params, &data, 5, true, &Pipeline::default(), ScoreMetric::Accuracy, 3, &mut |_, _| true)
                .unwrap();
        assert_eq!(trial.score, Some(direct.mean), "depth {depth}");
        assert_eq!(trial.std, Some(direct.std));
        assert!(direct.mean > 0.5 && direct.mean <= 1.0);
    }
    depths.sort();
    assert_eq!(depths, (1..=8).collect::<Vec<_>>());
    let best = run.trials[run.best.unwrap()].score.unwrap();
    assert!(run.trials.iter().all(|t| t.score.unwrap() <= best), "the best has the highest accuracy");
    // a stump is worse than the best depth on moons
    let stump = run.trials.iter().find(|t| t.params.get("max_depth").and_then(Value::as_f64) == Some(1.0)).unwrap();
    assert!(stump.score.unwrap() < best);
}

#[test]
fn a_loss_is_minimised_and_failing_trials_are_recorded() {
    let data = moons();
    let base = full(r#"{"kind": "logistic"}"#);
    let space: Space =
        serde_json::from_str(r#"[{"path": "strength", "type": "log_uniform", "low": 0.0001, "high": 1000}]"#).unwrap();
    let options: Options = serde_json::from_str(r#"{"strategy": {"kind": "random"}, "trials": 6, "seed": 2}"#).unwrap();
    let cv = CvSpec::new(3, true, ScoreMetric::LogLoss, 1);
    let base_with_penalty = full(r#"{"kind": "logistic", "penalty": {"kind": "l2"}}"#);
    let run = tune(&base_with_penalty, &space, &data, &cv, &options, &to_params, None).unwrap();
    assert!(!run.greater_is_better);
    let scores: Vec<f64> = run.trials.iter().filter_map(|t| t.score).collect();
    let best = run.trials[run.best.unwrap()].score.unwrap();
    assert!(scores.iter().all(|&s| s >= best && s > 0.0), "the best has the lowest log-loss");
    // strengths past the allowed 100 are refused by the model's check: recorded as failed, the search goes on
    let failed = run.trials.iter().filter(|t| t.error.is_some()).count();
    assert_eq!(failed + scores.len(), 6);
    assert!(run.trials.iter().filter(|t| t.error.is_some()).all(|t| t.score.is_none()));
    // a path the params do not have is refused before any trial
    let space: Space = serde_json::from_str(r#"[{"path": "max_depth", "type": "int", "low": 1, "high": 3}]"#).unwrap();
    assert!(tune(&base, &space, &data, &cv, &options, &to_params, None).is_err());
}

// GridSearchCV parity. Data and numbers from scikit-learn 1.9.1 (numpy 2.4), with the folds fixed
// (KFold(5) without shuffling: test rows 0–11, 12–23, …, passed to GridSearchCV as `cv=`):
//
//   import numpy as np
//   from sklearn.model_selection import GridSearchCV, KFold
//   from sklearn.pipeline import make_pipeline
//   from sklearn.preprocessing import StandardScaler
//   from sklearn.linear_model import LogisticRegression
//   from sklearn.tree import DecisionTreeClassifier
//   rng = np.random.default_rng(7)
//   X = np.round(rng.uniform(-3, 3, (60, 2)), 2)
//   y = ((X[:, 0] + 0.8 * X[:, 1] + rng.normal(0, 1.2, 60)) > 0).astype(int)
//   folds = list(KFold(5).split(X))
//   lams = [0.001, 0.01, 0.1, 1.0]      # ours minimises mean CE + λ·½‖w‖²: C = 1/(n_train·λ), n_train = 48
//   for scoring in ["neg_log_loss", "accuracy"]:
//       g = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression(tol=1e-12, max_iter=100000)),
//                        {"logisticregression__C": [1 / (48 * l) for l in lams]}, cv=folds, scoring=scoring).fit(X, y)
//       print(g.cv_results_["mean_test_score"], g.best_params_)
//   t = GridSearchCV(DecisionTreeClassifier(random_state=0), {"max_depth": [1, 2, 3, 4, 5]}, cv=folds,
//                    scoring="accuracy").fit(X, y)
//   print(t.cv_results_["mean_test_score"], t.cv_results_["std_test_score"], t.best_params_)
const GRID_X: [f64; 120] = [
    0.75, 2.38, 1.65, -1.65, -1.2, 2.24, -2.97, 1.93, 1.78, -0.19, -1.18, -1.33, -1.47, -0.33, 0.03, 0.32, 2.97, 1.76,
    0.73, 2.93, -1.71, -2.04, 0.68, -2.74, -2.79, 0.09, -0.2, 2.5, 0.78, 0.08, -0.02, -1.51, -2.93, -1.85, 1.15, -1.8,
    -0.78, -2.98, 1.98, -2.07, -1.39, 2.28, 0.06, 2.08, 0.84, 1.45, -2.45, 0.25, 0.05, 2.23, -0.83, 0.59, -2.64, -0.67,
    -1.06, -2.1, 1.9, -0.72, 2.87, 0.54, 0.63, 0.83, 1.06, -2.1, -0.36, -1.56, -0.59, -2.42, 2.81, -1.71, 1.03, -1.2,
    2.24, 0.97, -2.21, 2.07, 2.67, 2.42, 0.42, -2.13, -1.85, 2.57, 0.31, -1.92, 2.3, 0.85, 0.42, -0.74, -0.53, -1.56,
    -2.77, 2.26, -0.19, 0.29, -1.07, 1.51, -2.85, -0.77, -2.82, -2.26, 2.8, 0.95, -0.43, 0.14, 2.24, -0.93, 0.54, 1.1,
    -0.87, 0.11, 1.59, 2.46, -2.09, 2.6, -2.97, 1.52, 1.86, -2.18, -0.49, 1.89,
];
const GRID_Y: [f64; 60] = [
    1., 1., 0., 0., 0., 0., 0., 0., 1., 1., 0., 0., 0., 1., 0., 1., 0., 0., 0., 1., 0., 1., 1., 0., 1., 0., 0., 0., 1.,
    1., 1., 0., 0., 0., 1., 0., 1., 0., 1., 1., 0., 0., 1., 1., 0., 0., 0., 0., 0., 0., 1., 0., 1., 1., 0., 1., 0., 0.,
    0., 1.,
];

fn grid_data() -> ml_playground::data::Dataset {
    use ml_playground::data::{Dataset, Task};
    Dataset::from_rows(&GRID_X, 2, &GRID_Y, Task::Classification { n_classes: 2 }).unwrap()
}

/// KFold(5) in row order, as scikit-learn cuts it.
fn fixed_folds(metric: ScoreMetric) -> CvSpec {
    CvSpec { shuffle: false, ..CvSpec::new(5, false, metric, 0) }
}

fn grid(levels: &str, trials: usize) -> Options {
    serde_json::from_str(&format!(r#"{{"strategy": {{"kind": "grid"{levels}}}, "trials": {trials}, "seed": 1}}"#))
        .unwrap()
}

#[test]
fn grid_search_scores_as_scikit_learns_grid_search_cv_with_the_same_folds() {
    let data = grid_data();
    // the folds are scikit-learn's KFold(5): test blocks of 12 rows in order
    let folds = fixed_folds(ScoreMetric::Accuracy).folds(&data).unwrap();
    for (f, fold) in folds.iter().enumerate() {
        assert_eq!(fold.test, (12 * f..12 * (f + 1)).collect::<Vec<_>>());
    }
    // logistic regression, λ over the grid (C = 1/(48·λ)), log-loss and accuracy
    let base = full(r#"{"kind": "logistic", "penalty": {"kind": "l2"}, "tolerance": 1e-10}"#);
    let space: Space =
        serde_json::from_str(r#"[{"path": "strength", "type": "categorical", "choices": [0.001, 0.01, 0.1, 1.0]}]"#)
            .unwrap();
    let run = tune(&base, &space, &data, &fixed_folds(ScoreMetric::LogLoss), &grid("", 4), &to_params, None).unwrap();
    let sklearn_log_loss = [0.3375826743903736, 0.3341958975642142, 0.41098758454550915, 0.5863787498539015];
    for (trial, expected) in run.trials.iter().zip(sklearn_log_loss) {
        let score = trial.score.unwrap();
        assert!((score - expected).abs() < 1e-8, "λ {:?}: {score} vs scikit-learn {expected}", trial.params);
        println!("log-loss {score} vs scikit-learn {expected}: {:.1e}", (score - expected).abs());
    }
    // the best is scikit-learn's best_params_ (C = 2.083 = 1/(48·0.01))
    assert_eq!(run.trials[run.best.unwrap()].params.get("strength").and_then(Value::as_f64), Some(0.01));
    let run = tune(&base, &space, &data, &fixed_folds(ScoreMetric::Accuracy), &grid("", 4), &to_params, None).unwrap();
    let sklearn_accuracy = [0.8666666666666666, 0.8833333333333334, 0.9, 0.6666666666666666];
    for (trial, expected) in run.trials.iter().zip(sklearn_accuracy) {
        assert!((trial.score.unwrap() - expected).abs() < 1e-12, "{:?}", trial.params);
    }
    // a tree's max_depth 1–5
    let base = full(r#"{"kind": "tree"}"#);
    let space: Space = serde_json::from_str(r#"[{"path": "max_depth", "type": "int", "low": 1, "high": 5}]"#).unwrap();
    let run = tune(&base, &space, &data, &fixed_folds(ScoreMetric::Accuracy), &grid("", 5), &to_params, None).unwrap();
    let sklearn_mean = [0.7666666666666667, 0.7833333333333334, 0.75, 0.75, 0.7833333333333333];
    let sklearn_std =
        [0.062360956446232386, 0.11303883305208778, 0.1178511301977579, 0.07453559924999302, 0.08498365855987976];
    for ((trial, mean), std) in run.trials.iter().zip(sklearn_mean).zip(sklearn_std) {
        assert!((trial.score.unwrap() - mean).abs() < 1e-12, "{:?}", trial.params);
        assert!((trial.std.unwrap() - std).abs() < 1e-12, "{:?}", trial.params);
    }
    // depth 2 and 5 tie; like scikit-learn's best_params_, the first wins
    assert_eq!(run.trials[run.best.unwrap()].params.get("max_depth").and_then(Value::as_f64), Some(2.0));
}

#[test]
fn repeated_k_fold_averages_every_fold_of_every_repeat() {
    let data = moons();
    let base = full(r#"{"kind": "tree", "max_depth": 3}"#);
    let space: Space =
        serde_json::from_str(r#"[{"path": "min_samples_leaf", "type": "int", "low": 1, "high": 3}]"#).unwrap();
    let cv = CvSpec { repeats: 3, ..CvSpec::new(4, true, ScoreMetric::Accuracy, 5) };
    let run = tune(&base, &space, &data, &cv, &grid("", 3), &to_params, None).unwrap();
    for trial in &run.trials {
        assert_eq!(trial.folds, 12);
        let leaf = trial.params.get("min_samples_leaf").and_then(Value::as_f64).unwrap() as usize;
        let params: ModelParams =
            serde_json::from_value(serde_json::json!({ "kind": "tree", "max_depth": 3, "min_samples_leaf": leaf }))
                .unwrap();
        // three cross-validations, seeds 5, 6, 7: equal fold counts, so the mean of their means
        let per_fold: Vec<f64> = (5..8)
            .flat_map(|seed| {
                cross_validate(
                    &params,
                    &data,
                    4,
                    true,
                    &Pipeline::default(),
                    ScoreMetric::Accuracy,
                    seed,
                    &mut |_, _| true,
                )
                .unwrap()
                .per_fold
            })
            .collect();
        assert_eq!(per_fold.len(), 12);
        let mean = per_fold.iter().sum::<f64>() / 12.0;
        let std = (per_fold.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / 12.0).sqrt();
        // the seeds of the models differ per fold index (fold f of repeat r is fold 4r + f), which a
        // deterministic tree does not see
        assert!((trial.score.unwrap() - mean).abs() < 1e-12, "leaf {leaf}");
        assert!((trial.std.unwrap() - std).abs() < 1e-12);
    }
    // repeats need shuffling, and at most 10
    let bad = CvSpec { repeats: 2, shuffle: false, ..CvSpec::new(4, true, ScoreMetric::Accuracy, 5) };
    assert!(tune(&base, &space, &data, &bad, &grid("", 3), &to_params, None)
        .unwrap_err()
        .to_string()
        .contains("shuffl"));
    let bad = CvSpec { repeats: 11, ..CvSpec::new(4, true, ScoreMetric::Accuracy, 5) };
    assert!(tune(&base, &space, &data, &bad, &grid("", 3), &to_params, None)
        .unwrap_err()
        .to_string()
        .contains("repeats"));
}

#[test]
fn the_median_rule_stops_hopeless_trials_early_and_keeps_the_good_ones() {
    use ml_playground::tune::cv::MedianPruning;
    let data = moons();
    let base = full(r#"{"kind": "tree"}"#);
    let space: Space = serde_json::from_str(
        r#"[{"path": "max_depth", "type": "int", "low": 1, "high": 10}, {"path": "min_samples_leaf", "type": "int", "low": 1, "high": 60, "log": true}]"#,
    )
    .unwrap();
    // random search suggests the same points whatever the scores, so the runs can be compared
    let options: Options =
        serde_json::from_str(r#"{"strategy": {"kind": "random"}, "trials": 30, "seed": 3}"#).unwrap();
    let full_run =
        tune(&base, &space, &data, &CvSpec::new(5, true, ScoreMetric::Accuracy, 2), &options, &to_params, None)
            .unwrap();
    let cv = CvSpec { prune: Some(MedianPruning::default()), ..CvSpec::new(5, true, ScoreMetric::Accuracy, 2) };
    let pruned_run = tune(&base, &space, &data, &cv, &options, &to_params, None).unwrap();
    let pruned: Vec<_> = pruned_run.trials.iter().filter(|t| t.pruned).collect();
    assert!(!pruned.is_empty(), "no trial was pruned");
    // the first five trials always run every fold (the rule's startup)
    assert!(pruned_run.trials[..5].iter().all(|t| !t.pruned && t.folds == 5));
    for t in &pruned {
        assert!(t.score.is_none() && t.folds < 5 && t.error.as_deref().unwrap().contains("stopped early"));
    }
    let folds_scored: usize = pruned_run.trials.iter().map(|t| t.folds).sum();
    assert!(folds_scored < 30 * 5 * 9 / 10, "pruning saved under 10% of the folds ({folds_scored} of 150)");
    println!("median rule: {} of 30 trials pruned, {folds_scored} of 150 folds scored", pruned.len());
    // the trials that ran to the end score as without pruning, and the best is the same
    for (a, b) in pruned_run.trials.iter().zip(&full_run.trials) {
        assert_eq!(a.params, b.params);
        if !a.pruned {
            assert_eq!(a.score, b.score);
        } else {
            // a pruned trial was no better than the median of the unpruned ones
            assert!(b.score.unwrap() <= full_run.trials[full_run.best.unwrap()].score.unwrap());
        }
    }
    assert_eq!(pruned_run.trials[pruned_run.best.unwrap()].params, full_run.trials[full_run.best.unwrap()].params);
}

#[test]
fn nested_cross_validation_scores_the_picked_settings_on_rows_the_search_never_saw() {
    use ml_playground::evaluate::cross_validation::score_fold;
    use ml_playground::evaluate::folds::folds;
    use ml_playground::tune::cv::nested;
    let data = moons();
    let base = full(r#"{"kind": "tree"}"#);
    let space: Space = serde_json::from_str(r#"[{"path": "max_depth", "type": "int", "low": 1, "high": 8}]"#).unwrap();
    let cv = CvSpec::new(3, true, ScoreMetric::Accuracy, 4);
    let options = grid(r#", "levels": 8"#, 8);
    let result = nested(&base, &space, &data, &cv, &options, 3, &to_params).unwrap();
    assert_eq!((result.picked.len(), result.outer.len(), result.inner_best.len()), (3, 3, 3));
    // each outer score is the picked depth fitted on the outer training rows, scored on its test rows
    let outer = folds(&data, 3, true, Some(4 + 0x5eed)).unwrap();
    for (f, fold) in outer.iter().enumerate() {
        let depth = result.picked[f].get("max_depth").and_then(Value::as_f64).unwrap() as usize;
        let params: ModelParams =
            serde_json::from_value(serde_json::json!({ "kind": "tree", "max_depth": depth })).unwrap();
        let (score, _) = score_fold(&params, &data, fold, f, &Pipeline::default(), ScoreMetric::Accuracy, 4).unwrap();
        assert_eq!(result.outer[f], score);
        // the inner best is the best of the search on the outer training rows alone
        let inner = tune(&base, &space, &data.select(&fold.train), &cv, &options, &to_params, None).unwrap();
        assert_eq!(result.inner_best[f], inner.trials[inner.best.unwrap()].score.unwrap());
    }
    let mean = result.outer.iter().sum::<f64>() / 3.0;
    assert!((result.outer_mean - mean).abs() < 1e-15 && result.outer_mean > 0.7);
    // both estimates, for a person to compare (on these 300 points the outer one came out higher)
    println!("nested: inner best {:.4}, outer {:.4} ± {:.4}", result.inner_mean, result.outer_mean, result.outer_std);
}

#[test]
fn a_trial_scored_alone_as_the_pool_does_matches_tune_and_the_median_rule() {
    // The page's workers score each trial with `score_trial`, given the running medians of the
    // trials finished so far; it must score as `tune` does, fold by fold.
    use ml_playground::tune::cv::{running_medians, score_trial, MedianPruning};
    let data = moons();
    let params: ModelParams = serde_json::from_value(serde_json::json!({ "kind": "tree", "max_depth": 1 })).unwrap();
    let cv = CvSpec { repeats: 2, ..CvSpec::new(3, true, ScoreMetric::Accuracy, 2) };
    let folds = cv.folds(&data).unwrap();
    assert_eq!(folds.len(), 6);
    let (result, scores) = score_trial(&params, &data, &folds, &cv, None);
    let mean = result.unwrap();
    assert_eq!(scores.running.len(), 6);
    assert!((scores.running[5] - mean).abs() < 1e-15 && scores.std.unwrap() >= 0.0 && !scores.pruned);
    // the running mean after each fold is the mean of the folds so far (each fold as score_fold)
    use ml_playground::evaluate::cross_validation::score_fold;
    let per_fold: Vec<f64> = folds
        .iter()
        .enumerate()
        .map(|(f, fold)| score_fold(&params, &data, fold, f, &Pipeline::default(), ScoreMetric::Accuracy, 2).unwrap().0)
        .collect();
    for f in 0..6 {
        let want = per_fold[..=f].iter().sum::<f64>() / (f + 1) as f64;
        assert!((scores.running[f] - want).abs() < 1e-15);
    }
    // with the rule: a median above the stump's running mean stops it after the first fold; one
    // below lets it finish; NaN (no finished trial had that fold) never stops it
    let ruled = CvSpec { prune: Some(MedianPruning::default()), ..cv.clone() };
    let high = vec![0.99; 6];
    let (stopped, s) = score_trial(&params, &data, &folds, &ruled, Some(&high));
    assert!(stopped.unwrap_err().to_string().contains("stopped early after 1 of 6 folds"));
    assert!(s.pruned && s.folds == 1 && s.score.is_none());
    let (kept, _) = score_trial(&params, &data, &folds, &ruled, Some(&[0.01; 6]));
    assert_eq!(kept.unwrap(), mean);
    let (kept, _) = score_trial(&params, &data, &folds, &ruled, Some(&[f64::NAN; 6]));
    assert_eq!(kept.unwrap(), mean);
    // a loss (smaller better): worse means above the median
    let mse = CvSpec { prune: Some(MedianPruning::default()), ..CvSpec::new(3, false, ScoreMetric::Mse, 2) };
    let spec: DataSpec = serde_json::from_str(r#"{"kind": "sine", "n": 90, "seed": 1}"#).unwrap();
    let sine = generate(&spec).unwrap();
    let lin: ModelParams = serde_json::from_value(serde_json::json!({ "kind": "linear", "degree": 1 })).unwrap();
    let f3 = mse.folds(&sine).unwrap();
    assert!(score_trial(&lin, &sine, &f3, &mse, Some(&[1e-9; 3])).1.pruned);
    assert!(!score_trial(&lin, &sine, &f3, &mse, Some(&[1e9; 3])).1.pruned);
    // the medians: per fold, over the trials that have it
    let m = running_medians(&[vec![1.0, 2.0], vec![3.0, 4.0], vec![5.0]], 3);
    assert_eq!(&m[..2], &[3.0, 3.0]);
    assert!(m[2].is_nan());
}

#[test]
fn nested_folds_run_one_by_one_make_the_whole_nested_estimate() {
    use ml_playground::tune::cv::{nested, nested_fold, Nested};
    let data = moons();
    let base = full(r#"{"kind": "tree"}"#);
    let space: Space = serde_json::from_str(r#"[{"path": "max_depth", "type": "int", "low": 1, "high": 6}]"#).unwrap();
    let cv = CvSpec::new(3, true, ScoreMetric::Accuracy, 4);
    let options = grid(r#", "levels": 6"#, 6);
    let whole = nested(&base, &space, &data, &cv, &options, 3, &to_params).unwrap();
    let parts: Vec<_> =
        (0..3).map(|f| nested_fold(&base, &space, &data, &cv, &options, 3, f, &to_params).unwrap()).collect();
    assert_eq!(Nested::from_folds(parts), whole);
    assert!(nested_fold(&base, &space, &data, &cv, &options, 3, 3, &to_params).is_err());
}
