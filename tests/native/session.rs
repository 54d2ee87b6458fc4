//! The page's training loop: state changes, the learner's edits, divergence, bad states.
use ml_playground::model::linear::{LinearParams, Solver};
use ml_playground::model::{AnyModel, Formula, Model, ModelParams};
use ml_playground::optim::TrainParams;
use ml_playground::session::{Scores, Session};
use ml_playground::state::{Edit, State};

fn gd_state(learning_rate: f64) -> State {
    let mut s = State::default();
    s.data.n = 200;
    s.model = ModelParams::Linear(LinearParams {
        solver: Solver::GradientDescent,
        train: TrainParams { learning_rate, ..Default::default() },
        ..Default::default()
    });
    s
}

#[test]
fn closed_form_follows_every_edit() {
    let mut s = Session::new(State::default()).unwrap();
    let before = s.report();
    assert!(before.trained && before.fits_instantly);
    let Formula::Linear { score } = &before.summary.formula else { panic!("{:?}", before.summary.formula) };
    assert!((0.6..0.8).contains(&score.terms[0].coefficient), "{:?}", score);
    assert_eq!(score.terms[0].coefficient, before.summary.parameters[0].1);
    assert_eq!(before.summary.inputs, vec!["x"]);
    // A far point above the right end pulls the slope up.
    s.edit(Edit::Add { x: 5.0, y: 30.0, label: None }).unwrap();
    let after = s.report();
    assert!(after.summary.parameters[0].1 > before.summary.parameters[0].1 + 0.1);
    assert_eq!(after.n_points, before.n_points + 1);
    // Hand-placed points are training points, marked in the scene.
    let (scene, _) = s.scene(100, None);
    assert_eq!(*scene.roles.last().unwrap(), 2);
    assert_eq!(scene.curve.len(), 100);
    // Removing it restores the fit exactly.
    let last = s.data().len() - 1;
    s.edit(Edit::Remove { i: last }).unwrap();
    assert_eq!(s.report().summary, before.summary);
    assert_eq!(s.state().edits.len(), 2);
}

#[test]
fn drags_merge_into_one_edit_and_replay_from_state() {
    let mut s = Session::new(State::default()).unwrap();
    for k in 0..10 {
        s.edit(Edit::Move { i: 3, x: 1.0, y: k as f64 }).unwrap();
    }
    assert_eq!(s.state().edits, vec![Edit::Move { i: 3, x: 1.0, y: 9.0 }]);
    let replayed = Session::new(s.state().clone()).unwrap();
    assert_eq!(replayed.data(), s.data());
    assert_eq!(replayed.report().summary, s.report().summary);
}

#[test]
fn gradient_descent_lowers_the_loss_and_records_history() {
    let mut s = Session::new(gd_state(0.05)).unwrap();
    assert!(!s.report().fits_instantly);
    s.step(50);
    let h = s.history();
    assert_eq!(h.epochs.len(), 50);
    assert!(h.train[49] < h.train[0] * 0.5);
    assert!(h.test.iter().all(|v| v.is_finite()));
    assert_eq!(s.report().epoch, 50);
}

#[test]
fn divergence_stops_training_and_keeps_the_last_good_model() {
    let mut s = Session::new(gd_state(5.0)).unwrap();
    s.step(200);
    let r = s.report();
    let msg = r.message.expect("a divergence message");
    assert_eq!(msg.kind, "diverged");
    assert!(msg.text.contains("learning rate"), "{}", msg.text);
    assert!(!r.can_train);
    assert!(r.summary.parameters.iter().all(|(_, v)| v.is_finite()));
    let epoch = r.epoch;
    s.step(10);
    assert_eq!(s.report().epoch, epoch, "halted until something changes");
    // Lowering the learning rate lets training go on.
    s.set_state(gd_state(0.05)).unwrap();
    s.step(10);
    assert!(s.report().can_train && s.report().message.is_none());
}

#[test]
fn a_bad_state_is_refused_and_nothing_changes() {
    let mut s = Session::new(State::default()).unwrap();
    let data = s.data().clone();
    let mut bad = State::default();
    bad.edits.push(Edit::Remove { i: 10_000 });
    let err = s.set_state(bad.clone()).unwrap_err();
    assert!(err.to_string().contains("edit 1"), "{err}");
    assert_eq!(s.data(), &data);
    assert_eq!(s.state(), &State::default());
    assert!(Session::new(bad).is_err());
    let mut nan = State::default();
    nan.edits.push(Edit::Add { x: f64::NAN, y: 0.0, label: None });
    assert!(Session::new(nan).is_err());
    assert!(s.edit(Edit::Add { x: f64::INFINITY, y: 0.0, label: None }).is_err());
    assert_eq!(s.data(), &data);
}

#[test]
fn degenerate_data_is_a_message_not_a_failure() {
    let mut one = State::default();
    one.data.n = 1;
    one.test_ratio = 0.0;
    let s = Session::new(one).unwrap();
    let m = s.report().message.expect("a message");
    assert_eq!(m.kind, "invalid_data");
    let mut empty = State::default();
    empty.data.n = 0;
    let mut s = Session::new(empty).unwrap();
    assert!(s.report().message.is_some());
    s.step(3);
    assert!(s.scene(10, None).0.xs.is_empty());
    // Two points at the same x: singular, with advice.
    for _ in 0..2 {
        s.edit(Edit::Add { x: 1.0, y: 2.0, label: None }).unwrap();
    }
    let m = s.report().message.unwrap();
    assert_eq!(m.kind, "singular");
    assert!(m.text.contains("ridge"));
}

fn classification_state(model: &str) -> State {
    let json = format!(r#"{{"data":{{"kind":"xor","n":200,"noise":0.1,"seed":2}},"model":{{"kind":"{model}"}}}}"#);
    serde_json::from_str(&json).unwrap()
}

#[test]
fn classification_scene_has_classes_a_surface_and_contours_on_the_half_probability_line() {
    let mut state = classification_state("logistic");
    if let ModelParams::Logistic(p) = &mut state.model {
        p.features.x1_x2 = true;
    }
    let s = Session::new(state).unwrap();
    let r = s.report();
    assert!(r.trained && r.fits_instantly);
    let ml_playground::session::Scores::Classification(train) = &r.train else { panic!("classification scores") };
    assert!(train.accuracy > 0.95, "xor with x1·x2: accuracy {}", train.accuracy);
    assert_eq!(r.loss_name, "log-loss");
    let (scene, raster) = s.scene(10, Some((120, 90)));
    assert_eq!(scene.n_classes, 2);
    assert_eq!(scene.classes.len(), 200);
    let raster = raster.expect("a surface");
    assert_eq!((raster.width, raster.height, raster.rgba.len()), (120, 90, 120 * 90 * 4));
    // Every contour vertex lies where the model's probability is one half.
    assert!(!scene.contours.is_empty());
    let vertices: Vec<(f64, f64)> = scene.contours.iter().flatten().copied().collect();
    let x = nalgebra::DMatrix::from_fn(vertices.len(), 2, |i, j| if j == 0 { vertices[i].0 } else { vertices[i].1 });
    let p = s.model().predict(&x).unwrap();
    for i in 0..vertices.len() {
        assert!((p[(i, 1)] - 0.5).abs() < 0.05, "p = {} at {:?}", p[(i, 1)], vertices[i]);
    }
    // Absurd surface sizes are refused, not attempted.
    assert!(s.scene(10, Some((100_000, 100_000))).1.is_none());
    // The ROC and precision-recall curves come with the views (test points), not with the report.
    let Scores::Classification(test) = &r.test else { panic!("classification scores") };
    assert!(test.roc.is_none() && test.precision_recall.is_none() && test.average_precision.is_some());
    let views = s.views();
    let pr = views.precision_recall.expect("a precision-recall curve for two classes");
    assert_eq!((pr.subset.as_str(), views.roc.map(|r| r.subset)), ("test", Some("test".to_string())));
    assert_eq!(pr.average_precision, test.average_precision);
    let positives = s.test_set().y.iter().filter(|&&c| c == 1.0).count() as f64;
    assert_eq!(pr.positive_share, positives / s.test_set().len() as f64);
    let area: f64 = pr.points.windows(2).map(|w| (w[1].0 - w[0].0) * w[1].1).sum();
    assert!((area - test.average_precision.unwrap_or(f64::NAN)).abs() < 1e-12, "area {area}");
}

#[test]
fn a_tree_grows_one_split_per_step_and_stops_when_complete() {
    let mut state = classification_state("tree");
    if let ModelParams::Tree(p) = &mut state.model {
        p.max_leaf_nodes = Some(4);
    }
    let mut s = Session::new(state).unwrap();
    assert!(!s.report().fits_instantly);
    s.step(1);
    let leaves = |s: &Session| match s.model() {
        ml_playground::model::AnyModel::Tree(t) => t.n_leaves(),
        _ => unreachable!(),
    };
    assert_eq!(leaves(&s), 2);
    s.step(1);
    assert_eq!(leaves(&s), 3);
    s.step(100);
    assert_eq!(leaves(&s), 4);
    assert!(!s.report().can_train, "a complete tree stops the play loop");
    assert!(s.report().message.is_none());
}

#[test]
fn a_growing_network_keeps_its_predictions_and_the_state_names_its_new_shape() {
    let mut s = Session::new(classification_state("mlp")).unwrap();
    s.step(5);
    let x = s.data().x.clone();
    let before = s.model().predict(&x).unwrap();
    s.grow(ml_playground::session::Growth::Neuron { layer: 1 }).unwrap();
    s.grow(ml_playground::session::Growth::Layer { after: 2 }).unwrap();
    let after = s.model().predict(&x).unwrap();
    assert!((&before - after).abs().max() < 1e-12);
    let ModelParams::Mlp(p) = &s.state().model else { panic!() };
    assert_eq!(p.hidden_layers.iter().map(|l| l.neurons).collect::<Vec<_>>(), vec![9, 8, 8]);
    // The grown state is what the page echoes back: adopting it keeps the trained network.
    let state = s.state().clone();
    s.set_state(state).unwrap();
    assert!((s.model().predict(&x).unwrap() - &before).abs().max() < 1e-12);
    s.step(5);
    assert!(s.report().can_train);
    assert!(s.grow(ml_playground::session::Growth::Layer { after: 9 }).is_err());
    let mut linear = Session::new(State::default()).unwrap();
    assert!(linear.grow(ml_playground::session::Growth::Neuron { layer: 1 }).is_err());
}

#[test]
fn moving_a_trees_pruning_alpha_reprunes_at_once_and_reports_the_path() {
    let mut state = classification_state("tree");
    state.data.noise = 0.6;
    let mut s = Session::new(state.clone()).unwrap();
    s.step(1000);
    let full = match s.model() {
        ml_playground::model::AnyModel::Tree(t) => t.n_leaves(),
        _ => unreachable!(),
    };
    let path = s.views().pruning().cloned().expect("a pruning path for a grown tree");
    assert!(path.alphas.len() >= 3 && path.alphas.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(path.train.len(), path.alphas.len());
    assert!((path.train[0] - 1.0).abs() < 1e-12, "the unpruned tree fits its training set");
    assert!(path.train.last().unwrap() < &0.8, "the root alone does not");
    if let ModelParams::Tree(p) = &mut state.model {
        p.ccp_alpha = path.alphas[path.alphas.len() / 2];
    }
    s.set_state(state).unwrap();
    let pruned = match s.model() {
        ml_playground::model::AnyModel::Tree(t) => t.n_leaves(),
        _ => unreachable!(),
    };
    assert!(s.model().is_trained() && pruned < full && pruned >= 1, "{pruned} vs {full} leaves");
}

#[test]
fn smote_balances_the_training_rows_only_and_its_points_are_drawn_as_synthetic() {
    let mut state: State = serde_json::from_str(
        r#"{"data":{"kind":"imbalanced","n":400,"ratio":0.2,"seed":3},"model":{"kind":"logistic"}}"#,
    )
    .unwrap();
    let plain = Session::new(state.clone()).unwrap();
    let count = |d: &ml_playground::data::Dataset, c: f64| d.y.iter().filter(|&&v| v == c).count();
    let (major, minor) = (
        count(plain.train_set(), 0.0).max(count(plain.train_set(), 1.0)),
        count(plain.train_set(), 0.0).min(count(plain.train_set(), 1.0)),
    );
    assert!(minor * 3 < major, "imbalanced: {minor} vs {major}");
    state.data.resample = ml_playground::data::resample::Resampling::Smote { neighbours: 5 };
    let s = Session::new(state).unwrap();
    assert_eq!(count(s.train_set(), 0.0), count(s.train_set(), 1.0), "balanced training rows");
    assert_eq!(s.test_set(), plain.test_set(), "the test rows are untouched");
    assert_eq!(s.data(), plain.data(), "the data itself is untouched");
    let (scene, _) = s.scene(10, None);
    let synthetic = scene.roles.iter().filter(|&&r| r == ml_playground::render::scene::ROLE_SYNTHETIC).count();
    assert_eq!(synthetic, major - minor);
    assert_eq!(scene.xs.len(), plain.data().len() + synthetic);
    assert_eq!(scene.classes.len(), scene.xs.len());
}

#[test]
fn practice_data_with_missing_cells_and_outliers_is_imputed_and_flagged_on_training_rows() {
    use ml_playground::render::scene::{ROLE_IMPUTED, ROLE_OUTLIER};
    let mut state: State = serde_json::from_str(r#"{"data":{"kind":"moons","n":300,"seed":2,"missing":0.1,"impute":{"kind":"median"}},"model":{"kind":"logistic"}}"#).unwrap();
    let s = Session::new(state.clone()).unwrap();
    assert!(s.data().x.iter().all(|v| v.is_finite()), "every cell filled");
    let (scene, _) = s.scene(10, None);
    let imputed = scene.roles.iter().filter(|&&r| r & ROLE_IMPUTED != 0).count();
    assert!(imputed > 20 && imputed < 120, "{imputed} imputed points");
    assert!(s.report().trained);
    state.data.impute = ml_playground::data::cleaning::ImputeStrategy::DropRows;
    let dropped = Session::new(state).unwrap();
    assert_eq!(dropped.data().len(), 300 - imputed);

    // Outliers thrown into a line's targets are flagged by the IQR rule; clipping pulls them in.
    let mut state: State = serde_json::from_str(r#"{"data":{"kind":"linear","n":300,"seed":2,"noise":0.1,"outliers":0.05,"outlier_rule":{"kind":"iqr","factor":1.5}}}"#).unwrap();
    let keep = Session::new(state.clone()).unwrap();
    let flagged = keep.scene(10, None).0.roles.iter().filter(|&&r| r & ROLE_OUTLIER != 0).count();
    assert!(flagged >= 5, "{flagged} flagged");
    state.data.outlier_action = ml_playground::data::cleaning::OutlierAction::Remove;
    let removed = Session::new(state.clone()).unwrap();
    assert!(
        removed.data().len() < 300 && removed.test_set().len() == keep.test_set().len(),
        "only training rows are left out"
    );
    // Issue 10 item 11: the rows left out do not vanish from the picture: the scene draws them
    // after the data's points, marked removed and outlier, where the kept picture has them.
    use ml_playground::render::scene::ROLE_REMOVED;
    let (scene, _) = removed.scene(10, None);
    let left_out = 300 - removed.data().len();
    assert_eq!(scene.xs.len(), 300);
    assert!(scene.roles[..removed.data().len()].iter().all(|&r| r & ROLE_REMOVED == 0));
    assert!(scene.roles[removed.data().len()..].iter().all(|&r| r == ROLE_REMOVED | ROLE_OUTLIER));
    let kept_scene = keep.scene(10, None).0;
    for k in removed.data().len()..300 {
        let (x, y) = (scene.xs[k], scene.ys[k]);
        let found =
            (0..300).any(|j| kept_scene.roles[j] & ROLE_OUTLIER != 0 && kept_scene.xs[j] == x && kept_scene.ys[j] == y);
        assert!(found, "left-out point {k} ({x}, {y}) is a flagged point of the kept picture");
    }
    assert!(left_out >= 5);
    state.data.outlier_action = ml_playground::data::cleaning::OutlierAction::Clip;
    let clipped = Session::new(state).unwrap();
    let spread = |d: &ml_playground::data::Dataset| d.y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    assert!(spread(clipped.data()) < spread(keep.data()));
}

#[test]
fn rescaling_is_fitted_on_training_rows_and_permutation_importance_finds_the_useful_feature() {
    let state: State = serde_json::from_str(
        r#"{"data":{"kind":"separable","n":300,"seed":2,"scaling":"min_max"},"model":{"kind":"logistic"}}"#,
    )
    .unwrap();
    let s = Session::new(state).unwrap();
    for j in 0..2 {
        let column = s.train_set().x.column(j);
        let (lo, hi) = column.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        assert!(lo.abs() < 1e-12 && (hi - 1.0).abs() < 1e-12, "training feature {j} spans [{lo}, {hi}]");
    }
    let view = s.view();
    assert!(view.x.0 > -1.0 && view.x.1 < 2.0, "the view follows the rescaled data: {view:?}");
    // A tree on the circle uses both features; on a line y = f(x) the one feature matters.
    let linear = Session::new(State::default()).unwrap();
    let bars = linear.views().permutation.expect("permutation importance");
    assert_eq!(bars.values.len(), 1);
    assert!(bars.values[0] > 0.5, "shuffling x destroys the fit: {:?}", bars.values);
}

#[test]
fn balanced_class_weights_on_rebalanced_points_get_advice_and_weights_alone_raise_minority_recall() {
    let make = |resample: &str, weights: &str| {
        let json = format!(
            r#"{{"data":{{"kind":"imbalanced","n":600,"ratio":0.1,"noise":0.6,"seed":4,"resample":{resample}}},"test_ratio":0.3,"model":{{"kind":"logistic","class_weight":{weights}}}}}"#
        );
        Session::new(serde_json::from_str(&json).unwrap()).unwrap()
    };
    let both = make(r#"{"kind":"smote","neighbours":5}"#, r#""balanced""#);
    let advice = both.report().message.unwrap_or_else(|| {
        panic!("advice when both correct the imbalance: {:?} {:?}", both.state().data.resample, both.state().model)
    });
    assert_eq!(advice.kind, "advice");
    assert!(advice.text.contains("one or the other"), "{}", advice.text);
    // Either alone: no advice; balanced weights raise the minority class's recall on the test set.
    let minority_recall = |s: &Session| match s.report().test {
        Scores::Classification(c) => c.per_class_recall[1].unwrap_or(0.0),
        Scores::Regression(_) | Scores::Clustering(_) => f64::NAN,
    };
    let plain = make(r#"{"kind":"none"}"#, "null");
    let weighted = make(r#"{"kind":"none"}"#, r#""balanced""#);
    assert!(plain.report().message.is_none() && weighted.report().message.is_none());
    assert!(
        minority_recall(&weighted) > minority_recall(&plain) + 0.15,
        "{} vs {}",
        minority_recall(&weighted),
        minority_recall(&plain)
    );
}

/// True when the session's model is what its settings give on its current training rows: untrained
/// (a fresh start), or trained and predicting as a fresh model fitted on them to the end.
fn model_matches_current_data(s: &Session) -> bool {
    let model = s.model();
    if !model.is_trained() {
        return true;
    }
    let mut fresh = s.state().model.build(s.state().seed as u64).unwrap();
    fresh.fit(s.train_set()).unwrap();
    match (model.predict(&s.data().x), fresh.predict(&s.data().x)) {
        (Ok(a), Ok(b)) => a.shape() == b.shape() && a.iter().zip(b.iter()).all(|(p, q)| (p - q).abs() < 1e-9),
        _ => false,
    }
}

/// Issue 10 item 2: a tree grown to the end on XOR was still drawn after the data changed, and
/// Play / Step did nothing until Reset; a regression tree survived a switch to class labels.
#[test]
fn a_change_of_data_task_or_features_resets_or_refits_every_model() {
    let accuracy = |s: &Session| match s.report().train {
        Scores::Classification(c) => c.accuracy,
        Scores::Regression(_) | Scores::Clustering(_) => f64::NAN,
    };
    // XOR → tree grown to the end → Circle.
    let mut s = Session::new(classification_state("tree")).unwrap();
    s.step(1000);
    assert!(!s.report().can_train && accuracy(&s) > 0.99);
    let mut state = s.state().clone();
    state.data.kind = ml_playground::data::generate::DatasetKind::Circle;
    s.set_state(state.clone()).unwrap();
    assert!(model_matches_current_data(&s), "XOR's partition is still drawn on circle data");
    assert!(s.report().can_train, "Play must work after a change of data");
    s.step(1000);
    assert!(accuracy(&s) > 0.99, "the tree grows on the circle: accuracy {}", accuracy(&s));
    // A new sample of the same kind.
    state.data.seed += 1;
    s.set_state(state).unwrap();
    assert!(model_matches_current_data(&s));
    s.step(1000);
    assert!(accuracy(&s) > 0.99);
    // An edit: a complete tree cannot take in a new point, so it is regrown at once.
    s.edit(Edit::Add { x: 0.1, y: 0.1, label: Some(1) }).unwrap();
    assert!(model_matches_current_data(&s), "the tree drawn was grown without the new point");
    assert!(s.report().summary.formula == s.model().summary().formula || !s.model().is_trained());

    // Sine → regression tree grown → Spiral: no regression tree on class labels.
    let mut state = State::default();
    state.data.kind = ml_playground::data::generate::DatasetKind::Sine;
    state.model = serde_json::from_str(r#"{"kind":"tree"}"#).unwrap();
    let mut s = Session::new(state.clone()).unwrap();
    s.step(1000);
    state.data.kind = ml_playground::data::generate::DatasetKind::Spiral;
    s.set_state(state).unwrap();
    assert!(model_matches_current_data(&s), "a regression tree is drawn on class labels");
    let (_, raster) = s.scene(10, Some((20, 20)));
    assert!(raster.is_none() || s.model().is_trained());
    s.step(1000);
    assert!(accuracy(&s) > 0.9, "the tree grows on the spiral: accuracy {}", accuracy(&s));

    // A network trained on two features, then one left out: it restarts on one input.
    let mut s = Session::new(classification_state("mlp")).unwrap();
    s.step(20);
    let mut state = s.state().clone();
    state.data.drop_features = vec![1];
    s.set_state(state).unwrap();
    assert!(model_matches_current_data(&s));
    s.step(5);
    assert!(s.report().message.is_none(), "{:?}", s.report().message);
    assert_eq!(s.report().epoch, 5);
}

/// Issue 11 item 1: the session's cross-validation used its hold-out data, already rescaled and
/// cleaned of outliers with statistics of the hold-out training rows (rows that lie in the CV's
/// test folds) and with those outliers already removed, so no test fold held them. Every step
/// must be fitted on each fold's training rows only: the session's folds score as a
/// cross-validation of the raw points with the whole pipeline inside each fold.
#[test]
fn session_cross_validation_fits_every_preparation_step_on_the_training_folds_only() {
    use ml_playground::evaluate::cross_validation::cross_validate;
    use ml_playground::evaluate::scoring::ScoreMetric;
    use ml_playground::pipeline::Pipeline;
    use ml_playground::session::CvSpec;
    let json = r#"{"data":{"kind":"moons","n":300,"seed":4,"noise":0.2,"outliers":0.1,
        "outlier_rule":{"kind":"iqr","factor":1.5},"outlier_action":"remove","scaling":"standardize"},
        "model":{"kind":"logistic","strength":1}}"#;
    let state: State = serde_json::from_str(json).unwrap();
    let session = Session::new(state.clone()).unwrap();
    // The raw points: the same data with no preparation step.
    let mut raw_state = state.clone();
    raw_state.data.outlier_rule = None;
    raw_state.data.scaling = Default::default();
    let raw = Session::new(raw_state).unwrap().data().clone();
    assert_eq!(raw.len(), 300);
    let pipeline = Pipeline {
        imputer: state.data.impute,
        outliers: state.data.outlier_rule,
        outlier_action: state.data.outlier_action,
        scaling: state.data.scaling,
        resampling: state.data.resample,
    };
    let mut leaks = Vec::new();
    for metric in [ScoreMetric::Accuracy, ScoreMetric::LogLoss] {
        let spec = CvSpec { k: 5, stratified: false, metric };
        let per_fold: Vec<f64> = (0..5).map(|f| session.cv_fold(&spec, f).unwrap()).collect();
        let reference =
            cross_validate(&state.model, &raw, 5, false, &pipeline, metric, state.seed as u64, &mut |_, _| true)
                .unwrap();
        let mean = per_fold.iter().sum::<f64>() / 5.0;
        eprintln!(
            "{metric:?}: session {mean:.4} {per_fold:.4?}; fitted per fold {:.4} {:.4?}",
            reference.mean, reference.per_fold
        );
        if per_fold.iter().zip(&reference.per_fold).any(|(a, b)| (a - b).abs() > 1e-12) {
            leaks.push(format!("{metric:?}: session folds {per_fold:?}, fitted per fold {:?}", reference.per_fold));
        }
    }
    assert!(leaks.is_empty(), "{leaks:#?}");
}

/// Points placed or moved on a rescaled picture stand for raw values: the cross-validation,
/// which rescales in every fold afresh, sees them in the raw units.
#[test]
fn edits_on_rescaled_data_reach_the_cross_validation_in_raw_units() {
    use ml_playground::evaluate::cross_validation::cross_validate;
    use ml_playground::evaluate::scoring::ScoreMetric;
    use ml_playground::pipeline::Pipeline;
    use ml_playground::session::CvSpec;
    let json = r#"{"data":{"kind":"moons","n":120,"seed":3,"noise":0.3,"scaling":"standardize"},"model":{"kind":"logistic","strength":1}}"#;
    let state: State = serde_json::from_str(json).unwrap();
    let mut scaled = Session::new(state.clone()).unwrap();
    let mut raw_state = state.clone();
    raw_state.data.scaling = Default::default();
    let mut raw = Session::new(raw_state).unwrap();
    // The same edits made on each picture, in its own units: move point 0 onto point 5, add a
    // class-1 point onto point 3, remove point 7.
    let at = |s: &Session, i: usize| (s.data().x[(i, 0)], s.data().x[(i, 1)]);
    for s in [&mut scaled, &mut raw] {
        let (x, y) = at(s, 5);
        s.edit(Edit::Move { i: 0, x, y }).unwrap();
        let (x, y) = at(s, 3);
        s.edit(Edit::Add { x, y, label: Some(1) }).unwrap();
        s.edit(Edit::Remove { i: 7 }).unwrap();
    }
    let pipeline = Pipeline { scaling: state.data.scaling, ..Pipeline::default() };
    let spec = CvSpec { k: 4, stratified: true, metric: ScoreMetric::LogLoss };
    let reference =
        cross_validate(&state.model, raw.data(), 4, true, &pipeline, spec.metric, state.seed as u64, &mut |_, _| true)
            .unwrap();
    for (f, expected) in reference.per_fold.iter().enumerate() {
        let got = scaled.cv_fold(&spec, f).unwrap();
        assert!((got - expected).abs() < 1e-9, "fold {f}: {got} against {expected}");
    }
}

/// The importance chart comes from any family that measures importances (`Model::
/// feature_importances`): a tree and a forest have one (summing to 1), k nearest neighbours none.
#[test]
fn the_importance_chart_is_drawn_for_every_family_that_measures_importances() {
    for (kind, has) in [("tree", true), ("forest", true), ("knn", false)] {
        let state: State = serde_json::from_str(&format!(
            r#"{{"data": {{"kind": "moons", "n": 200, "seed": 3}}, "model": {{"kind": "{kind}"}}}}"#
        ))
        .unwrap();
        let mut s = Session::new(state).unwrap();
        s.fit_now();
        assert!(s.model().is_trained(), "{kind}");
        let views = s.views();
        assert_eq!(views.importances.is_some(), has, "{kind}");
        if let Some(bars) = views.importances {
            assert_eq!(bars.values.len(), 2);
            assert!((bars.values.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{kind}: {:?}", bars.values);
        }
    }
}

/// A network state on `n` spiral points with mini-batches of `batch` rows.
fn network_state(n: usize, batch: usize, extra: &str) -> State {
    let json = format!(
        r#"{{"data":{{"kind":"spiral","n":{n},"noise":0.1,"seed":3}},"model":{{"kind":"mlp","hidden_layers":[{{"neurons":6,"activation":"tanh"}},{{"neurons":5,"activation":"relu"}}],"train":{{"learning_rate":0.05,"batch_size":{batch},"optimizer":{{"kind":"adam"}}}}{extra}}}}}"#
    );
    serde_json::from_str(&json).unwrap()
}

#[test]
fn an_epoch_run_in_parts_is_the_epoch_run_whole_to_the_bit() {
    // Issue 10 item 16: the worker stops within its time slice in the middle of an epoch
    // (`advance`); the batches are the same, in the same order, so the model is the same to
    // the bit as whole epochs give, and so is the loss history. Batch 7 does not divide the
    // training rows, so the short last batch is crossed too.
    for batch in [7, 1, 0] {
        let state = network_state(300, batch, r#","l2":0.001,"max_epochs":50"#);
        let mut whole = Session::new(state.clone()).unwrap();
        whole.step(4);
        let mut parts = Session::new(state).unwrap();
        let (mut calls, mut epochs) = (0, 0);
        while epochs < 4 {
            calls += 1;
            if parts.advance(20) {
                epochs += 1;
            }
        }
        let json = |s: &Session| serde_json::to_string(s.model()).unwrap();
        assert_eq!(json(&parts), json(&whole), "batch {batch}");
        assert_eq!(parts.history().train, whole.history().train);
        assert_eq!(parts.history().epochs, vec![1, 2, 3, 4]);
        // A part stops after about 20 rows: an epoch of ~240 training rows takes many calls
        // (full batches cannot be cut: one call per epoch).
        let train = whole.train_set().len();
        let per_epoch = if batch == 0 { 1 } else { train.div_ceil(20usize.div_ceil(batch) * batch) };
        assert_eq!(calls, 4 * per_epoch, "batch {batch}: {calls} calls for {train} rows");
    }
}

#[test]
fn a_step_that_diverges_mid_parts_puts_back_the_model_of_the_epochs_start() {
    let mut s = network_state(300, 1, "");
    if let ModelParams::Mlp(p) = &mut s.model {
        p.train.learning_rate = 100.0;
        p.train.optimizer = Default::default();
    }
    let mut whole = Session::new(s.clone()).unwrap();
    whole.step(20);
    let mut parts = Session::new(s).unwrap();
    for _ in 0..20_000 {
        parts.advance(30);
        if parts.report().message.is_some() {
            break;
        }
    }
    let message = |s: &Session| s.report().message.map(|m| m.kind);
    assert_eq!(message(&whole).as_deref(), Some("diverged"), "rate 100 must diverge");
    assert_eq!(message(&parts), message(&whole));
    let json = |s: &Session| serde_json::to_string(s.model()).unwrap();
    assert_eq!(json(&parts), json(&whole));
    assert!(parts.model().is_finite());
}

#[test]
fn a_fold_fitted_in_parts_scores_as_the_whole_fold_and_can_be_dropped_mid_fit() {
    use ml_playground::evaluate::scoring::ScoreMetric;
    use ml_playground::session::CvSpec;
    let spec = CvSpec { k: 3, stratified: true, metric: ScoreMetric::LogLoss };
    let mut s = Session::new(network_state(240, 16, r#","max_epochs":30"#)).unwrap();
    for fold in 0..3 {
        let whole = s.cv_fold(&spec, fold).unwrap();
        let mut calls = 0;
        let mut progress = Vec::new();
        let parted = loop {
            calls += 1;
            if let Some(score) = s.cv_fold_part(&spec, fold, 50).unwrap() {
                break score;
            }
            progress.push(s.cv_fold_progress());
        };
        assert_eq!(parted.to_bits(), whole.to_bits(), "fold {fold}");
        // 160 training rows, 30 epochs at most, 64 rows (4 batches of 16) a call.
        assert!(calls > 30, "fold {fold}: {calls} calls");
        assert!(progress.windows(2).all(|w| w[0] <= w[1]) && progress.iter().all(|p| (0.0..=1.0).contains(p)));
    }
    // A fit of 100,000 epochs (hours, whole) answers after about 50 rows, and a cancel drops it.
    let mut long = Session::new(network_state(3000, 1, r#","max_epochs":100000,"patience":10000"#)).unwrap();
    for _ in 0..10 {
        assert_eq!(long.cv_fold_part(&spec, 0, 50).unwrap(), None);
    }
    let p = long.cv_fold_progress();
    assert!(p > 0.0 && p < 1e-4, "{p}");
    long.cv_forget();
    assert_eq!(long.cv_fold_progress(), 0.0);
}

/// Every family makes exactly the pictures its descriptor lists (issue 11: a family carries its own
/// views): on two-class data, after training, the views hold each listed kind that applies and no
/// other family kind; rings go into the scene, thumbnails come on their own.
#[test]
fn each_family_makes_the_views_its_descriptor_lists() {
    use ml_playground::model::describe::TaskKind;
    use ml_playground::model::view::ViewKind;
    let family_keys =
        ["sigmoid", "tree", "pruning", "network", "rings", "thumbnails", "centroids", "elbow", "silhouette"];
    for family in ml_playground::model::descriptor().families {
        if !TaskKind::serves(&family.tasks, TaskKind::Classification) {
            continue;
        }
        let json = format!(
            r#"{{"data":{{"kind":"moons","n":120,"noise":0.2,"seed":2}},"model":{{"kind":"{}"}}}}"#,
            family.kind
        );
        let mut s = Session::new(serde_json::from_str(&json).unwrap()).unwrap();
        s.step(400);
        s.fit_now();
        let views = serde_json::to_value(s.views()).unwrap();
        let listed: Vec<&str> = family.views.iter().map(|k| k.key()).collect();
        for key in family_keys {
            let made = views.get(key).is_some();
            let expected = listed.contains(&key) && !matches!(key, "rings" | "thumbnails" | "centroids");
            assert_eq!(made, expected, "{}: view {key}", family.kind);
        }
        let (scene, _) = s.scene(10, None);
        assert_eq!(!scene.rings.is_empty(), family.views.contains(&ViewKind::Rings), "{}: rings", family.kind);
        assert_eq!(
            !scene.centroids.is_empty(),
            family.views.contains(&ViewKind::Centroids),
            "{}: centroids",
            family.kind
        );
        assert_eq!(
            !s.thumbnails(8).is_empty(),
            family.views.contains(&ViewKind::Thumbnails),
            "{}: thumbnails",
            family.kind
        );
    }
}

#[test]
fn a_support_vector_machine_rings_its_support_vectors_and_steps_in_smo_batches() {
    let mut s = Session::new(classification_state("svm")).unwrap();
    s.step(1);
    assert!(s.model().is_trained() && !s.model().is_complete());
    for _ in 0..200 {
        s.step(10);
    }
    assert!(s.model().is_complete());
    let AnyModel::Svm(m) = s.model() else { panic!() };
    let (scene, _) = s.scene(10, None);
    assert_eq!(scene.rings.len(), m.support_indices().len());
    // each ring is on a training point
    let train = s.train_set();
    for (&row, &(x, y)) in m.support_indices().iter().zip(&scene.rings) {
        assert_eq!((train.x[(row, 0)], train.x[(row, 1)]), (x, y));
    }
    assert!(s.grow(ml_playground::session::Growth::Layer { after: 0 }).is_err(), "an SVM does not grow");
}
