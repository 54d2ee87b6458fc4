//! Students other than networks (`compress::distill`): a logistic model on a polynomial feature
//! map and a shallow tree. The logistic student's distillation gradient matches finite
//! differences at several temperatures (two and three classes); with α = 1 it trains exactly as
//! a logistic model trained by `step` alone (bit for bit); on moons a degree-3 student comes
//! within 0.02 of its (16, 16) teacher's test accuracy. A tree student on soft targets is a
//! regression tree on the teacher's probabilities: its predictions equal scikit-learn's
//! `DecisionTreeRegressor(max_depth=d)` fitted by this test (python3) on the teacher's `p`; on
//! hard targets it is a classification tree on the teacher's classes; with α = 1 it is the tree
//! grown on the labels alone.

use ml_playground::compress::distill::{self, DistillOptions, Targets};
use ml_playground::compress::setup::{logistic_student, tree_student};
use ml_playground::data::generate::{generate, DataSpec, DatasetKind};
use ml_playground::data::{rng, Dataset};
use ml_playground::model::logistic::{distillation_objective_and_gradient, DistillTargets};
use ml_playground::model::mlp::{Activation, HiddenLayer, MlpParams};
use ml_playground::model::{AnyModel, Hyperparams, Model, ModelParams};
use ml_playground::optim::{OptimizerKind, TrainParams};
use nalgebra::DMatrix;
use serde_json::json;

use crate::support::python;

fn moons(n: usize, seed: u32) -> Dataset {
    generate(&DataSpec { kind: DatasetKind::Moons, n, noise: 0.2, seed, ..DataSpec::default() }).unwrap()
}

fn teacher(hidden: &[usize], data: &Dataset, seed: u64, epochs: usize) -> AnyModel {
    let p = MlpParams {
        hidden_layers: hidden.iter().map(|&neurons| HiddenLayer { neurons, activation: Activation::Tanh }).collect(),
        train: TrainParams {
            learning_rate: 0.01,
            batch_size: 32,
            optimizer: OptimizerKind::Adam { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
            ..TrainParams::default()
        },
        max_epochs: epochs,
        ..MlpParams::default()
    };
    let mut model = ModelParams::Mlp(p).build(seed).unwrap();
    model.fit(data).unwrap();
    model
}

fn accuracy(model: &AnyModel, data: &Dataset) -> f64 {
    let p = model.predict(&data.x).unwrap();
    let hits = (0..data.len())
        .filter(|&i| {
            let best = (0..p.ncols()).fold(0, |b, c| if p[(i, c)] > p[(i, b)] { c } else { b });
            best as f64 == data.y[i]
        })
        .count();
    hits as f64 / data.len() as f64
}

#[test]
fn the_logistic_students_gradient_matches_finite_differences_at_several_temperatures() {
    let mut r = rng(5);
    for scores in [1usize, 3] {
        let (n, q) = (9, 4);
        let design =
            DMatrix::from_fn(n, q, |i, j| if j == q - 1 { 1.0 } else { ((i * 7 + j * 3) % 11) as f64 / 4.0 - 1.2 });
        let labels: Vec<usize> = (0..n).map(|i| i % scores.max(2)).collect();
        let targets = DMatrix::from_fn(n, scores, |i, c| match scores {
            1 => 0.05 + 0.1 * i as f64,
            _ => [0.2, 0.5, 0.3][(c + i) % 3],
        });
        let theta: Vec<f64> = (0..q * scores).map(|_| ml_playground::data::gaussian(&mut r)).collect();
        for temperature in [0.5, 1.0, 2.0, 4.0, 10.0] {
            let soft = DistillTargets {
                targets: targets.clone(),
                labelled: (0..n).map(|i| i < 6).collect(),
                alpha: 0.3,
                temperature,
            };
            let (_, grad) = distillation_objective_and_gradient(&design, &labels, &theta, &soft).unwrap();
            for i in 0..theta.len() {
                let h = 1e-6;
                let at = |delta: f64| {
                    let mut t = theta.clone();
                    t[i] += delta;
                    distillation_objective_and_gradient(&design, &labels, &t, &soft).unwrap().0
                };
                let numeric = (at(h) - at(-h)) / (2.0 * h);
                assert!(
                    (numeric - grad[i]).abs() < 1e-6 * (1.0 + numeric.abs()),
                    "{scores} scores T={temperature} param {i}: {numeric} vs {}",
                    grad[i]
                );
            }
        }
    }
}

#[test]
fn with_alpha_one_the_logistic_student_trains_exactly_as_a_logistic_model_alone() {
    let two = moons(200, 5);
    let three =
        generate(&DataSpec { kind: DatasetKind::Blobs, n: 150, classes: 3, seed: 2, ..DataSpec::default() }).unwrap();
    for data in [two, three] {
        let t = teacher(&[8], &data, 1, 30);
        let student = logistic_student(3);
        let options = DistillOptions {
            temperature: 3.0,
            alpha: 1.0,
            unlabeled: 0,
            epochs: Some(15),
            seed: 1,
            ..Default::default()
        };
        let distilled = distill::distill(&t, &ModelParams::Logistic(student.clone()), 7, &data, &options).unwrap();
        let mut plain = student.build(7).unwrap();
        let mut r = rng(7);
        for _ in 0..15 {
            plain.step(&data, &mut r).unwrap();
        }
        let AnyModel::Logistic(d) = &distilled else { panic!("a logistic student") };
        let (a, b) = (d.standardized_coefficients(), plain.standardized_coefficients());
        assert!(!a.weights.is_empty());
        let bits = |c: &ml_playground::model::logistic::Coefficients| {
            c.weights.iter().flatten().chain(&c.intercepts).map(|v| v.to_bits()).collect::<Vec<_>>()
        };
        assert_eq!(bits(&a), bits(&b), "{:?}", data.task);
        // With α < 1 the soft targets move it.
        let mixed = DistillOptions { alpha: 0.2, ..options };
        let moved = distill::distill(&t, &ModelParams::Logistic(student), 7, &data, &mixed).unwrap();
        let AnyModel::Logistic(m) = &moved else { unreachable!() };
        assert_ne!(bits(&m.standardized_coefficients()), bits(&b));
    }
}

#[test]
fn a_degree_three_logistic_student_comes_within_two_points_of_its_teacher_on_moons() {
    let data = moons(1000, 1);
    let (train_rows, test_rows) = ml_playground::data::split::train_test_split(data.len(), 0.3, &mut rng(1));
    let (train, test) = (data.select(&train_rows), data.select(&test_rows));
    let t = teacher(&[16, 16], &train, 1, 200);
    let options = DistillOptions {
        temperature: 4.0,
        alpha: 0.5,
        unlabeled: 2000,
        epochs: Some(100),
        seed: 2,
        ..Default::default()
    };
    let s = distill::distill(&t, &ModelParams::Logistic(logistic_student(3)), 3, &train, &options).unwrap();
    let (ta, sa) = (accuracy(&t, &test), accuracy(&s, &test));
    eprintln!("teacher {ta} logistic student {sa}");
    assert!(ta > 0.93, "teacher {ta}");
    assert!(sa >= ta - 0.02, "teacher {ta}, student {sa}");
    // A degree-1 student (a line) cannot: moons are not linearly separable.
    let line = distill::distill(&t, &ModelParams::Logistic(logistic_student(1)), 3, &train, &options).unwrap();
    assert!(accuracy(&line, &test) < ta - 0.05);
}

#[test]
fn a_soft_tree_student_is_sklearns_regression_tree_on_the_teachers_probabilities() {
    let data = moons(300, 4);
    let t = teacher(&[8], &data, 2, 60);
    for depth in [1usize, 3, 5] {
        let options = DistillOptions { alpha: 0.0, unlabeled: 0, targets: Targets::Soft, ..Default::default() };
        let s = distill::distill(&t, &ModelParams::Tree(tree_student(depth)), 1, &data, &options).unwrap();
        let p = t.predict(&data.x).unwrap();
        let x: Vec<Vec<f64>> = (0..data.len()).map(|i| vec![data.x[(i, 0)], data.x[(i, 1)]]).collect();
        let target: Vec<f64> = (0..data.len()).map(|i| p[(i, 1)]).collect();
        let reference = python(
            "import json, sys, numpy as np\n\
             from sklearn.tree import DecisionTreeRegressor\n\
             d = json.load(sys.stdin)\n\
             m = DecisionTreeRegressor(max_depth=d['depth'], random_state=0).fit(np.array(d['x']), np.array(d['p']))\n\
             print(json.dumps({'p': m.predict(np.array(d['x'])).tolist(), 'leaves': int(m.get_n_leaves())}))",
            &json!({ "x": x, "p": target, "depth": depth }),
        );
        let ours = s.predict(&data.x).unwrap();
        let expected = reference["p"].as_array().unwrap();
        for i in 0..data.len() {
            let e = expected[i].as_f64().unwrap();
            assert!((ours[(i, 1)] - e).abs() < 1e-9, "depth {depth} row {i}: {} vs {e}", ours[(i, 1)]);
            assert!((ours[(i, 0)] + ours[(i, 1)] - 1.0).abs() < 1e-12);
        }
        let AnyModel::Tree(tree) = &s else { panic!("a tree student") };
        assert_eq!(tree.n_leaves() as u64, reference["leaves"].as_u64().unwrap(), "depth {depth}");
    }
}

#[test]
fn a_hard_tree_student_learns_the_teachers_classes_and_alpha_one_is_the_plain_tree() {
    let data = moons(300, 6);
    let t = teacher(&[8], &data, 3, 60);
    let hard = DistillOptions { unlabeled: 500, targets: Targets::Hard, ..Default::default() };
    let s = distill::distill(&t, &ModelParams::Tree(tree_student(4)), 1, &data, &hard).unwrap();
    let transfer = distill::transfer_set(&data, 500, hard.seed).unwrap();
    let pt = t.predict(&transfer.x).unwrap();
    let labels = nalgebra::DVector::from_fn(transfer.len(), |i, _| f64::from(u8::from(pt[(i, 1)] > pt[(i, 0)])));
    let relabelled = Dataset::new(transfer.x.clone(), labels, transfer.task).unwrap();
    let mut plain = tree_student(4).build(0).unwrap();
    plain.fit(&relabelled).unwrap();
    assert_eq!(s.predict(&transfer.x).unwrap(), plain.predict(&transfer.x).unwrap());
    // α = 1 on soft targets: only the true labels count, the tree grown on them alone.
    let only_labels = DistillOptions { alpha: 1.0, unlabeled: 500, ..Default::default() };
    let s = distill::distill(&t, &ModelParams::Tree(tree_student(4)), 1, &data, &only_labels).unwrap();
    let mut plain = tree_student(4).build(0).unwrap();
    plain.fit(&data).unwrap();
    assert_eq!(s.predict(&transfer.x).unwrap(), plain.predict(&transfer.x).unwrap());
}

#[test]
fn a_logistic_student_larger_than_its_teacher_and_a_regression_logistic_student_are_refused() {
    let data = moons(100, 2);
    let t = teacher(&[2], &data, 1, 5);
    // (2, 2, 1) has 9 parameters; degree 3 has 9 features + 1 intercept.
    let e = distill::distill(&t, &ModelParams::Logistic(logistic_student(3)), 1, &data, &DistillOptions::default())
        .unwrap_err();
    assert_eq!(e.code(), "distill_student_larger");
}
