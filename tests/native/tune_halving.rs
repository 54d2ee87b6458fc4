//! Successive halving over epochs (`tune::cv::Halving`, asynchronous as Optuna's
//! `SuccessiveHalvingPruner`): on learning curves given as numbers, the trials it stops are those
//! worked out by hand; on networks, each trial's value at a rung is the cross-validation score of
//! the same network trained for that many epochs, the stopped trials are those the rule picks from
//! those independent scores, the trials that go on score as without halving, and a seed
//! reproduces the run.

use ml_playground::data::generate::{generate, DataSpec};
use ml_playground::error::Result;
use ml_playground::evaluate::cross_validation::cross_validate;
use ml_playground::evaluate::scoring::ScoreMetric;
use ml_playground::model::ModelParams;
use ml_playground::pipeline::Pipeline;
use ml_playground::tune::cv::{record_rungs, tune, CvSpec, Halving};
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

/// Runs trials with the given learning curves (the value at rungs 0, 1, 2, … ; a curve ends at
/// `end` epochs) one after another through the rule; the rung each was stopped at.
fn replay(halving: &Halving, curves: &[&[f64]], end: usize, greater: bool) -> Vec<Option<usize>> {
    let mut rungs: Vec<Vec<f64>> = Vec::new();
    curves
        .iter()
        .map(|curve| {
            let mut k = 0;
            let run = halving
                .run(&rungs, greater, |epoch| {
                    assert_eq!(epoch, halving.rung(k), "rung {k} is not at min_epochs·η^k");
                    let v = curve.get(k).copied().unwrap_or(f64::NAN);
                    k += 1;
                    Ok((v, epoch >= end))
                })
                .unwrap();
            record_rungs(&mut rungs, &run.values);
            run.stopped
        })
        .collect()
}

#[test]
fn successive_halving_stops_the_trials_worked_out_by_hand() {
    // η = 2, rungs at 2, 4, 8 epochs; the fits end at 10 epochs (the rung at 16 is never reached).
    // At a rung with n values so far (this trial's included), a trial goes on when it is within
    // the best max(⌊n/2⌋, 1):
    // T0 0.60 alone → on; 0.70 → on; 0.80 → on; complete.
    // T1 0.50 of {0.60, 0.50}: best 1 is 0.60 → stopped at rung 0.
    // T2 0.70 of {.60 .50 .70}: best 1 → on; 0.75 of {.70 .75} → on; 0.85 → on; complete.
    // T3 0.55 of 4 values: best 2 are .70 .60 → stopped at rung 0.
    // T4 0.65 of 5: best 2 are .70 .65 → on; 0.72 of {.70 .75 .72}: best 1 is .75 → stopped at rung 1.
    // T5 0.40 of 6: best 3 are .70 .65 .60 → stopped at rung 0.
    let halving = Halving { min_epochs: 2, reduction_factor: 2 };
    let curves: [&[f64]; 6] = [
        &[0.60, 0.70, 0.80],
        &[0.50, 0.90, 0.95],
        &[0.70, 0.75, 0.85],
        &[0.55, 0.99, 0.99],
        &[0.65, 0.72, 0.99],
        &[0.40, 0.99, 0.99],
    ];
    let expected = vec![None, Some(0), None, Some(0), Some(1), Some(0)];
    assert_eq!(replay(&halving, &curves, 10, true), expected);
    // the same curves as losses (1 − accuracy), minimised: the same trials stop
    let losses: Vec<Vec<f64>> = curves.iter().map(|c| c.iter().map(|v| 1.0 - v).collect()).collect();
    let losses: Vec<&[f64]> = losses.iter().map(Vec::as_slice).collect();
    assert_eq!(replay(&halving, &losses, 10, false), expected);
    // η = 3 keeps the best third: T1 (0.50 of 2, best 1 is .60) stops, T3 (0.55 of 4: best 1) stops,
    // T4 (0.65 of 5: best 1 is .70) stops, T5 (0.40 of 6: best 2) stops; T2 then goes through
    // rung 1 (0.75 of {.70 .75}) and rung 2 (at 18 epochs, past the end: complete)
    let third = Halving { min_epochs: 2, reduction_factor: 3 };
    assert_eq!(replay(&third, &curves, 10, true), vec![None, Some(0), None, Some(0), Some(0), Some(0)]);
    // a curve that ends before the first rung is never stopped, and a NaN at a rung stops a trial
    assert_eq!(replay(&halving, &[&[0.9], &[0.1]], 1, true), vec![None, None]);
    assert_eq!(replay(&halving, &[&[0.9], &[f64::NAN]], 10, true)[1], Some(0));
}

#[test]
fn successive_halving_refuses_bad_settings_and_models_not_trained_by_epochs() {
    let data = moons();
    let space: Space = serde_json::from_str(r#"[{"path": "max_depth", "type": "int", "low": 1, "high": 6}]"#).unwrap();
    let options: Options = serde_json::from_str(r#"{"strategy": {"kind": "random"}, "trials": 3}"#).unwrap();
    let run = |base: &str, cv: CvSpec| tune(&full(base), &space, &data, &cv, &options, &to_params, None);
    let halving = CvSpec { halving: Some(Halving::default()), ..CvSpec::new(3, true, ScoreMetric::Accuracy, 1) };
    let e = run(r#"{"kind": "tree"}"#, halving.clone()).unwrap_err();
    assert_eq!(e.code(), "halving_needs_epochs");
    assert_eq!(e.to_string(), "successive halving stops trials between epochs, and tree is not trained by epochs: choose the network, or the median rule");
    let both = CvSpec { prune: Some(Default::default()), ..halving.clone() };
    assert_eq!(run(r#"{"kind": "tree"}"#, both).unwrap_err().code(), "prune_one_rule");
    for bad in [Halving { min_epochs: 0, reduction_factor: 3 }, Halving { min_epochs: 5, reduction_factor: 1 }] {
        let cv = CvSpec { halving: Some(bad), ..halving.clone() };
        assert_eq!(run(r#"{"kind": "tree"}"#, cv).unwrap_err().code(), "param_range");
    }
}

fn full(json: &str) -> Value {
    let params: ModelParams = serde_json::from_str(json).unwrap();
    serde_json::from_str(&serde_json::to_string(&params).unwrap()).unwrap()
}

fn moons() -> ml_playground::data::Dataset {
    let spec: DataSpec = serde_json::from_str(r#"{"kind": "moons", "n": 240, "noise": 0.3, "seed": 4}"#).unwrap();
    generate(&spec).unwrap()
}

/// Optuna's rule written out again for the check: within the best max(⌊n/η⌋, 1) of `competing`.
fn promoted(value: f64, competing: &[f64], eta: usize) -> bool {
    let mut sorted = competing.to_vec();
    sorted.sort_by(|a, b| b.partial_cmp(a).unwrap());
    value >= sorted[(competing.len() / eta).max(1) - 1]
}

#[test]
fn networks_tuned_with_successive_halving_stop_at_rungs_scored_as_shorter_fits() {
    let data = moons();
    let base = full(
        r#"{"kind": "mlp", "hidden_layers": [{"neurons": 4, "activation": "tanh"}], "max_epochs": 24, "patience": 1000,
            "train": {"batch_size": 32, "optimizer": {"kind": "sgd"}}}"#,
    );
    let space: Space =
        serde_json::from_str(r#"[{"path": "train.learning_rate", "type": "log_uniform", "low": 0.0003, "high": 1.0}]"#)
            .unwrap();
    let options: Options =
        serde_json::from_str(r#"{"strategy": {"kind": "random"}, "trials": 10, "seed": 7}"#).unwrap();
    let halving = Halving { min_epochs: 3, reduction_factor: 2 };
    let cv = CvSpec { halving: Some(halving), ..CvSpec::new(3, true, ScoreMetric::Accuracy, 2) };
    let run = tune(&base, &space, &data, &cv, &options, &to_params, None).unwrap();
    // a seed reproduces the run, and random search tries the same points without halving
    assert_eq!(tune(&base, &space, &data, &cv, &options, &to_params, None).unwrap(), run);
    let plain = tune(&base, &space, &data, &CvSpec::new(3, true, ScoreMetric::Accuracy, 2), &options, &to_params, None)
        .unwrap();
    // rungs at 3, 6, 12 epochs (24 is the end of the fit)
    let rungs = [3, 6, 12];
    let mut record: Vec<Vec<f64>> = Vec::new();
    let mut stopped = 0;
    for (t, p) in run.trials.iter().zip(&plain.trials) {
        assert_eq!(t.params, p.params);
        // the trial's value at each rung it reached: its settings trained for that many epochs,
        // cross-validated on the same folds
        let mut expected_stop = None;
        for (k, &epochs) in rungs.iter().enumerate() {
            let mut at: ModelParams = to_params(&base_with(&base, &t.params)).unwrap();
            if let ModelParams::Mlp(m) = &mut at {
                m.max_epochs = epochs;
            }
            let cvd =
                cross_validate(&at, &data, 3, true, &Pipeline::default(), ScoreMetric::Accuracy, 2, &mut |_, _| true)
                    .unwrap();
            if k >= t.rungs.len() {
                break;
            }
            assert!((t.rungs[k] - cvd.mean).abs() < 1e-12, "rung {k}: {} vs {}", t.rungs[k], cvd.mean);
            let mut competing = record.get(k).cloned().unwrap_or_default();
            competing.push(cvd.mean);
            if !promoted(cvd.mean, &competing, 2) {
                expected_stop = Some(epochs);
                break;
            }
        }
        record_rungs(&mut record, &t.rungs);
        assert_eq!(t.pruned, expected_stop.is_some(), "trial {:?}", t.params);
        if t.pruned {
            stopped += 1;
            assert_eq!(t.epochs, expected_stop);
            assert!(t.score.is_none() && t.error.as_deref().unwrap().contains("successive halving"));
        } else {
            // it reached every rung, and scored as the trial without halving
            assert_eq!(t.rungs.len(), rungs.len());
            assert_eq!(t.score, p.score);
        }
    }
    println!("successive halving: {stopped} of 10 trials stopped");
    assert!((3..10).contains(&stopped), "{stopped} of 10 stopped");
}

/// `base` with a trial's settings (path → value) written in.
fn base_with(base: &Value, values: &Value) -> Value {
    let mut out = base.clone();
    if let Value::Map(entries) = values {
        for (path, v) in entries {
            out.set(path, v.clone(), false).unwrap();
        }
    }
    out
}
