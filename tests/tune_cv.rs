//! Tuning by cross-validation (`tune::cv::tune`): every trial is scored exactly as a direct
//! cross-validation of its settings, a grid covers every level, the best is the best, and a
//! metric where larger is better comes back un-negated.

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
    serde_json::from_str(&serde_json::to_string(v).unwrap())
        .map_err(|e| ml_playground::err!(InvalidParameter, "unreadable", what = "settings", detail = e.to_string()))
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
    let cv = CvSpec { k: 5, stratified: true, metric: ScoreMetric::Accuracy, pipeline: Pipeline::default(), seed: 3 };
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
    let cv = CvSpec { k: 3, stratified: true, metric: ScoreMetric::LogLoss, pipeline: Pipeline::default(), seed: 1 };
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
