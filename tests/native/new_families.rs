//! The families added by issue 16 work in the page's session with no code of their own outside
//! their model file: each trains on classification and regression data (`step` until complete, or
//! an instant fit), reports scores, and draws a decision surface through the generic `predict`
//! path of `evaluate::grid`.

use ml_playground::model::Model;
use ml_playground::session::{Scores, Session};
use ml_playground::state::State;

fn state(data: &str, model: &str) -> State {
    serde_json::from_str(&format!(r#"{{"data":{data},"model":{model}}}"#)).unwrap()
}

const MOONS: &str = r#"{"kind":"moons","n":200,"noise":0.2,"seed":2}"#;
const SINE: &str = r#"{"kind":"sine","n":150,"noise":0.2,"seed":3}"#;

/// Trains `model` on moons and on a sine wave in the session and checks what the page shows.
fn trains_scores_and_draws(model: &str, min_accuracy: f64, min_r2: f64) {
    let mut s = Session::new(state(MOONS, model)).unwrap();
    s.step(200);
    let r = s.report();
    assert!(r.trained && r.message.is_none(), "{model}: {:?}", r.message);
    let Scores::Classification(train) = &r.train else { panic!("{model}: classification scores") };
    assert!(train.accuracy >= min_accuracy, "{model}: train accuracy {}", train.accuracy);
    let (scene, raster) = s.scene(10, Some((64, 48)));
    assert_eq!(scene.n_classes, 2);
    let raster = raster.unwrap_or_else(|| panic!("{model}: no decision surface"));
    assert_eq!(raster.rgba.len(), 64 * 48 * 4);
    assert!(!s.model().summary().code.is_empty());

    let mut s = Session::new(state(SINE, model)).unwrap();
    s.step(200);
    let r = s.report();
    assert!(r.trained && r.message.is_none(), "{model}: {:?}", r.message);
    let Scores::Regression(train) = &r.train else { panic!("{model}: regression scores") };
    assert!(train.r2.unwrap_or(f64::NAN) >= min_r2, "{model}: train R² {:?}", train.r2);
}

#[test]
fn k_nearest_neighbours_trains_and_draws_in_the_session() {
    trains_scores_and_draws(r#"{"kind":"knn","n_neighbors":5}"#, 0.9, 0.8);
}

#[test]
fn naive_bayes_trains_and_draws_in_the_session() {
    let mut s = Session::new(state(MOONS, r#"{"kind":"naive_bayes"}"#)).unwrap();
    let r = s.report();
    assert!(r.trained && r.fits_instantly && r.message.is_none(), "{:?}", r.message);
    let Scores::Classification(train) = &r.train else { panic!("classification scores") };
    assert!(train.accuracy >= 0.8, "train accuracy {}", train.accuracy);
    assert!(s.scene(10, Some((64, 48))).1.is_some(), "no decision surface");
    s.step(1);
    assert!(s.report().message.is_none());
    // on regression data it says it is a classifier instead of failing
    let s = Session::new(state(SINE, r#"{"kind":"naive_bayes"}"#)).unwrap();
    let message = s.report().message.map(|m| m.text).unwrap_or_default();
    assert!(message.contains("classifier"), "{message}");
}

#[test]
fn a_random_forest_grows_one_tree_per_step_and_draws_in_the_session() {
    let model = r#"{"kind":"forest","n_estimators":10,"max_depth":6}"#;
    let mut s = Session::new(state(MOONS, model)).unwrap();
    assert!(!s.report().fits_instantly);
    let trees = |s: &Session| match s.model() {
        ml_playground::model::AnyModel::Forest(f) => f.trees().len(),
        _ => unreachable!(),
    };
    s.step(1);
    assert_eq!(trees(&s), 1);
    s.step(3);
    assert_eq!(trees(&s), 4);
    trains_scores_and_draws(model, 0.9, 0.8);
    s.step(100);
    assert_eq!(trees(&s), 10);
    assert!(!s.report().can_train, "a complete forest stops the play loop");
}

#[test]
fn gradient_boosting_adds_one_stage_per_step_and_draws_in_the_session() {
    let model = r#"{"kind":"boosting","n_estimators":50}"#;
    let mut s = Session::new(state(MOONS, model)).unwrap();
    s.step(1);
    let stages = |s: &Session| match s.model() {
        ml_playground::model::AnyModel::Boosting(b) => b.stages().len(),
        _ => unreachable!(),
    };
    assert_eq!(stages(&s), 1);
    s.step(2);
    assert_eq!(stages(&s), 3);
    trains_scores_and_draws(model, 0.9, 0.8);
    // three classes: a stage of three trees
    let mut s = Session::new(state(r#"{"kind":"blobs","n":150,"classes":3,"seed":1}"#, model)).unwrap();
    s.step(5);
    assert!(s.report().message.is_none(), "{:?}", s.report().message);
    assert!(s.scene(10, Some((32, 24))).1.is_some());
}

#[test]
fn an_ensemble_of_small_networks_trains_and_draws_in_the_session() {
    trains_scores_and_draws(r#"{"kind":"ensemble","members":3}"#, 0.85, 0.8);
}
