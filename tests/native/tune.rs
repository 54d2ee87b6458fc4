//! Tests of the tuning engine (src/tune/): the Gaussian process against scikit-learn, its
//! likelihood gradient against finite differences, expected improvement against integration, the
//! search space's validation and encodings, and each strategy on standard test functions.

use ml_playground::tune::gp::{self, expected_improvement, Gp, Kernel};
use ml_playground::tune::space::{Param, Setting, Space};
use ml_playground::tune::value::Value;
use ml_playground::Error;

// ---------------------------------------------------------------------------------------------
// Gaussian process

/// Fixed data shared by the GP tests; y = sin(3 x₁) + x₂² − ½ x₁ x₂, printed by NumPy.
fn gp_data() -> (Vec<Vec<f64>>, Vec<f64>) {
    let x = [[0.1, 0.2], [0.4, 0.9], [0.8, 0.3], [0.25, 0.6], [0.9, 0.85], [0.55, 0.1], [0.6, 0.55], [0.05, 0.95]];
    let y = vec![
        0.32552020666133963,
        1.5620390859672264,
        0.6454631805511506,
        0.9666387600233342,
        0.7673798802338296,
        0.9793650284539189,
        1.1113476308781953,
        1.0281881324735993,
    ];
    (x.iter().map(|r| r.to_vec()).collect(), y)
}

const GP_QUERIES: [[f64; 2]; 5] = [[0.5, 0.5], [0.0, 0.0], [1.0, 1.0], [0.3, 0.25], [0.75, 0.7]];

/// Posterior mean and variance agree with scikit-learn 1.9.1:
/// `GaussianProcessRegressor(kernel=Matern(length_scale=[0.3, 0.7], nu=2.5), alpha=1e-6,
/// optimizer=None, normalize_y=...)`, `predict(X*, return_std=True)` (variance = std²).
#[test]
fn gp_posterior_matches_scikit_learn() {
    let (x, y) = gp_data();
    let cases: [(bool, [(f64, f64); 5]); 2] = [
        (
            true,
            [
                (1.2131232553228017, 0.007132274893974396),
                (0.3325918926552601, 0.02322003461923903),
                (0.7927440250395765, 0.020758277133597097),
                (0.7403040559255769, 0.017607977712173976),
                (0.874604029783705, 0.010896176452623463),
            ],
        ),
        (
            false,
            [
                (1.2144049171403133, 0.0621401698652494),
                (0.15680508859652198, 0.2023052836529754),
                (0.6186300110216947, 0.18085714395016092),
                (0.7129719573763968, 0.1534100609249378),
                (0.9080250409093396, 0.09493328085542285),
            ],
        ),
    ];
    for (normalise, want) in cases {
        let kernel = Kernel { length_scales: vec![0.3, 0.7], amplitude: 1.0, noise: 1e-6 };
        let gp = Gp::fit(&x, &y, kernel, normalise).unwrap();
        for (q, (m, v)) in GP_QUERIES.iter().zip(want) {
            let (gm, gv) = gp.predict(q);
            assert!((gm - m).abs() < 1e-8, "normalise {normalise}, mean at {q:?}: {gm} vs {m}");
            assert!((gv - v).abs() < 1e-8, "normalise {normalise}, variance at {q:?}: {gv} vs {v}");
        }
    }
}

/// The log marginal likelihood agrees with scikit-learn's `log_marginal_likelihood_value_`
/// (-11.299681138511536 on normalised targets, -6.73185186121826 on raw ones), and its analytic
/// gradient with central differences.
#[test]
fn gp_log_marginal_likelihood_and_gradient() {
    let (x, y) = gp_data();
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let std = (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    let yn: Vec<f64> = y.iter().map(|v| (v - mean) / std).collect();
    let theta = [0.3f64.ln(), 0.7f64.ln(), 0.0, 1e-6f64.ln()];
    let (lml, _) = gp::log_marginal_likelihood(&x, &yn, &theta).unwrap();
    assert!((lml - -11.299681138511536).abs() < 1e-8, "{lml}");
    let (lml, _) = gp::log_marginal_likelihood(&x, &y, &theta).unwrap();
    assert!((lml - -6.73185186121826).abs() < 1e-8, "{lml}");

    for theta in [[0.3f64.ln(), 0.7f64.ln(), 0.4, 0.05f64.ln()], [-0.5, 1.0, -0.3, -3.0]] {
        let (_, grad) = gp::log_marginal_likelihood(&x, &yn, &theta).unwrap();
        for i in 0..theta.len() {
            let h = 1e-5;
            let (mut up, mut down) = (theta, theta);
            up[i] += h;
            down[i] -= h;
            let fd = (gp::log_marginal_likelihood(&x, &yn, &up).unwrap().0
                - gp::log_marginal_likelihood(&x, &yn, &down).unwrap().0)
                / (2.0 * h);
            assert!((grad[i] - fd).abs() < 1e-6 * (1.0 + fd.abs()), "θ{i}: analytic {} vs FD {fd}", grad[i]);
        }
    }
}

/// Fitting the hyper-parameters reaches at least the likelihood of the fixed kernel above.
#[test]
fn gp_fit_raises_the_likelihood() {
    let (x, y) = gp_data();
    let gp = Gp::fit_optimised(&x, &y, None, 2, &mut ml_playground::data::rng(1)).unwrap();
    let k = gp.kernel();
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let std = (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    let yn: Vec<f64> = y.iter().map(|v| (v - mean) / std).collect();
    let theta = [k.length_scales[0].ln(), k.length_scales[1].ln(), k.amplitude.ln(), k.noise.ln()];
    let (fitted, grad) = gp::log_marginal_likelihood(&x, &yn, &theta).unwrap();
    assert!(fitted > -11.299681138511536, "fitted likelihood {fitted}, kernel {k:?}");
    // At an interior optimum the gradient vanishes (a bound may hold some components).
    let interior = |v: f64, (lo, hi): (f64, f64)| v > lo * 1.01 && v < hi * 0.99;
    for (i, l) in k.length_scales.iter().enumerate() {
        if interior(*l, gp::LENGTH_SCALE_BOUNDS) {
            assert!(grad[i].abs() < 1e-3, "gradient {grad:?} at {k:?}");
        }
    }
}

/// Expected improvement equals E[max(best − ξ − Y, 0)] for Y ~ N(μ, σ²), integrated by Simpson's
/// rule over μ ± 12σ.
#[test]
fn expected_improvement_matches_integration() {
    for (mean, std, best, xi) in
        [(0.0, 1.0, 0.0, 0.0), (1.0, 0.5, 0.2, 0.01), (-2.0, 3.0, 1.0, 0.0), (5.0, 0.1, 4.0, 0.0)]
    {
        let steps = 20_000;
        let (a, b) = (mean - 12.0 * std, mean + 12.0 * std);
        let h = (b - a) / steps as f64;
        let f = |y: f64| {
            let z = (y - mean) / std;
            (best - xi - y).max(0.0) * (-0.5 * z * z).exp() / (std * (2.0 * std::f64::consts::PI).sqrt())
        };
        let mut integral = f(a) + f(b);
        for i in 1..steps {
            integral += f(a + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        integral *= h / 3.0;
        let ei = expected_improvement(mean, std, best, xi);
        assert!((ei - integral).abs() < 1e-9 + 1e-7 * integral, "EI({mean}, {std}, {best}) = {ei} vs {integral}");
    }
    // No uncertainty: the plain improvement.
    assert_eq!(expected_improvement(1.0, 0.0, 3.0, 0.0), 2.0);
    assert_eq!(expected_improvement(4.0, 0.0, 3.0, 0.0), 0.0);
}

/// The posterior's gradients (mean and standard deviation, [`Gp::predict_with_gradient`]) and EI's
/// agree with central differences of `predict` and `expected_improvement`, with normalised and raw
/// targets and with a noisy kernel; the values agree with `predict` itself.
#[test]
fn gp_and_ei_gradients_match_finite_differences() {
    let (x, y) = gp_data();
    let kernels = [
        Kernel { length_scales: vec![0.3, 0.7], amplitude: 1.0, noise: 1e-6 },
        Kernel { length_scales: vec![0.15, 1.4], amplitude: 2.5, noise: 0.05 },
    ];
    for (kernel, normalise) in kernels.iter().flat_map(|k| [(k, true), (k, false)]) {
        let gp = Gp::fit(&x, &y, kernel.clone(), normalise).unwrap();
        let best = y.iter().copied().fold(f64::INFINITY, f64::min);
        for q in [[0.5, 0.5], [0.3, 0.25], [0.75, 0.7], [0.12, 0.93], [0.97, 0.02]] {
            let p = gp.predict_with_gradient(&q);
            let (m, v) = gp.predict(&q);
            assert!((p.mean - m).abs() < 1e-12 && (p.std - v.sqrt()).abs() < 1e-12, "{q:?}: {p:?} vs {m} {v}");
            for xi in [0.0, 0.05] {
                let (ei, ei_grad) = gp::expected_improvement_with_gradient(&p, best + 0.3, xi);
                assert!((ei - expected_improvement(m, v.sqrt(), best + 0.3, xi)).abs() < 1e-14, "EI at {q:?}");
                for j in 0..2 {
                    let h = 1e-6;
                    let (mut up, mut down) = (q, q);
                    up[j] += h;
                    down[j] -= h;
                    let (mu, vu) = gp.predict(&up);
                    let (md, vd) = gp.predict(&down);
                    let fd_mean = (mu - md) / (2.0 * h);
                    let fd_std = (vu.sqrt() - vd.sqrt()) / (2.0 * h);
                    let fd_ei = (expected_improvement(mu, vu.sqrt(), best + 0.3, xi)
                        - expected_improvement(md, vd.sqrt(), best + 0.3, xi))
                        / (2.0 * h);
                    let close = |a: f64, b: f64| (a - b).abs() < 1e-6 * (1.0 + b.abs());
                    assert!(close(p.mean_grad[j], fd_mean), "∂μ/∂x{j} at {q:?}: {} vs FD {fd_mean}", p.mean_grad[j]);
                    assert!(close(p.std_grad[j], fd_std), "∂σ/∂x{j} at {q:?}: {} vs FD {fd_std}", p.std_grad[j]);
                    assert!(close(ei_grad[j], fd_ei), "∂EI/∂x{j} at {q:?}: {} vs FD {fd_ei}", ei_grad[j]);
                }
            }
        }
    }
}

/// The projected L-BFGS of the acquisition finds a box-constrained minimum: interior in one
/// coordinate, on a bound in the other.
#[test]
fn lbfgs_box_stops_at_the_bounds() {
    let f = |x: &[f64]| {
        Some(((x[0] - 0.3).powi(2) + 4.0 * (x[1] - 1.7).powi(2), vec![2.0 * (x[0] - 0.3), 8.0 * (x[1] - 1.7)]))
    };
    let (x, _) = gp::lbfgs_box(f, vec![0.9, 0.1], 100).unwrap();
    assert!((x[0] - 0.3).abs() < 1e-5 && x[1] == 1.0, "{x:?}");
}

// ---------------------------------------------------------------------------------------------
// Search space

fn read_space(json: &str) -> Result<Space, String> {
    serde_json::from_str::<Space>(json).map_err(|e| e.to_string())
}

#[test]
fn space_reads_json_and_refuses_bad_input() {
    let space = read_space(
        r#"[{"path": "train.learning_rate", "type": "log_uniform", "low": 1e-4, "high": 1},
            {"path": "max_depth", "type": "int", "low": 1, "high": 12},
            {"path": "train.optimizer.kind", "type": "categorical", "choices": ["sgd", "momentum", null, {"a": 1}]},
            {"path": "train.optimizer.beta", "type": "uniform", "low": 0.5, "high": 0.99,
             "when": {"path": "train.optimizer.kind", "equals": "momentum"}}]"#,
    )
    .unwrap();
    assert_eq!(space.dim(), 4);
    assert_eq!(space.feature_dim(), 1 + 1 + 4 + 1);

    // Each refusal is a code with values (worded by the page): read back from the text serde keeps,
    // as the page does (error::serde_reason), and straight from Space::new.
    let json_bad: &[(&str, &str, &[(&str, &str)])] = &[
        ("[]", "space_empty", &[]),
        (
            r#"[{"path": "a", "type": "uniform", "low": 1, "high": 1}]"#,
            "space_range_empty",
            &[("path", "a"), ("low", "1"), ("high", "1")],
        ),
        (
            r#"[{"path": "a", "type": "uniform", "low": 2, "high": 1}]"#,
            "space_range_empty",
            &[("low", "2"), ("high", "1")],
        ),
        (
            r#"[{"path": "d", "type": "int", "low": 5, "high": 2}]"#,
            "space_range_empty",
            &[("path", "d"), ("low", "5"), ("high", "2")],
        ),
        (
            r#"[{"path": "a", "type": "log_uniform", "low": 0, "high": 1}]"#,
            "space_log_low",
            &[("path", "a"), ("low", "0")],
        ),
        (r#"[{"path": "a", "type": "log_uniform", "low": -1.5, "high": 1}]"#, "space_log_low", &[("low", "-1.5")]),
        (
            r#"[{"path": "n", "type": "int", "low": 0, "high": 10, "log": true}]"#,
            "space_log_low_int",
            &[("path", "n"), ("low", "0")],
        ),
        (r#"[{"path": "n", "type": "int", "low": 0, "high": 9e15}]"#, "space_int_range", &[("low", "0")]),
        (r#"[{"path": "a", "type": "int", "low": 0.5, "high": 3}]"#, "space_int_bounds", &[("got", "0.5")]),
        (
            r#"[{"path": "a", "type": "uniform", "low": 0}]"#,
            "space_range_missing",
            &[("path", "a"), ("kind", "uniform")],
        ),
        (
            r#"[{"path": "a", "type": "normal", "low": 0, "high": 1}]"#,
            "space_unknown_type",
            &[("path", "a"), ("kind", "normal")],
        ),
        (
            r#"[{"path": "a", "type": "int", "low": 0, "high": 1, "choices": [1]}]"#,
            "space_choices_numeric",
            &[("kind", "int")],
        ),
        (
            r#"[{"path": "c", "type": "categorical", "choices": [1], "low": 0}]"#,
            "space_categorical_range",
            &[("path", "c")],
        ),
        (
            r#"[{"path": "a", "type": "uniform", "low": 1, "high": 2, "log": true}]"#,
            "space_log_field",
            &[("path", "a")],
        ),
        (r#"[{"path": "c", "type": "categorical", "choices": []}]"#, "space_choices_empty", &[("path", "c")]),
        (
            r#"[{"path": "c", "type": "categorical", "choices": ["x", "y", "x"]}]"#,
            "space_choice_twice",
            &[("choice", "\"x\"")],
        ),
        (
            r#"[{"path": "a", "type": "uniform", "low": 0, "high": 1}, {"path": "a", "type": "int", "low": 0, "high": 3}]"#,
            "space_path_twice",
            &[("path", "a")],
        ),
        (r#"[{"path": "", "type": "uniform", "low": 0, "high": 1}]"#, "space_path_empty", &[("path", "")]),
        (
            r#"[{"path": "train..lr", "type": "uniform", "low": 0, "high": 1}]"#,
            "space_path_empty",
            &[("path", "train..lr")],
        ),
        (
            r#"[{"path": "a", "type": "uniform", "low": 0, "high": 1, "when": {"path": "b", "equals": 1}}]"#,
            "space_condition_unknown",
            &[("path", "a"), ("parent", "b")],
        ),
        (
            r#"[{"path": "k", "type": "categorical", "choices": ["x"]}, {"path": "a", "type": "uniform", "low": 0, "high": 1, "when": {"path": "k", "in": []}}]"#,
            "space_condition_empty",
            &[("path", "a"), ("parent", "k")],
        ),
        (
            r#"[{"path": "k", "type": "categorical", "choices": ["x"]}, {"path": "a", "type": "uniform", "low": 0, "high": 1, "when": {"path": "k", "equals": "y"}}]"#,
            "space_condition_value",
            &[("path", "a"), ("parent", "k"), ("value", "\"y\"")],
        ),
        (
            r#"[{"path": "k", "type": "categorical", "choices": ["x"]}, {"path": "a", "type": "uniform", "low": 0, "high": 1, "when": {"path": "k", "equals": "x", "in": ["x"]}}]"#,
            "space_condition_form",
            &[("path", "a")],
        ),
        (
            r#"[{"path": "a", "type": "uniform", "low": 0, "high": 1, "step": 2}]"#,
            "serde_unknown_field",
            &[("field", "step")],
        ),
    ];
    for (json, code, values) in json_bad {
        let err = read_space(json).expect_err(json);
        let msg = ml_playground::error::serde_reason(&err);
        assert_eq!(msg.code, *code, "{json}: {err}");
        assert!(ml_playground::error::english(code).is_some(), "{code} has no English template");
        for (name, want) in *values {
            assert_eq!(msg.value(name).map(|v| v.to_string()).as_deref(), Some(*want), "{json}: {name} in {err}");
        }
    }
    // Bounds that JSON cannot write, through the Rust API.
    let err = Space::new(vec![Param::uniform("a", 0.0, f64::INFINITY)]).unwrap_err();
    assert_eq!((err.code(), err.msg().value("path").map(|v| v.to_string())), ("space_not_finite", Some("a".into())));
    let err = Space::new(vec![Param::uniform("a", 3.0, 3.0)]).unwrap_err();
    assert_eq!(err.code(), "space_range_empty");
    assert!(matches!(err, Error::InvalidParameter(_)), "{err:?}");
}

#[test]
fn points_decode_encode_and_apply() {
    let space = Space::new(vec![
        Param::log_uniform("train.learning_rate", 1e-4, 1.0),
        Param::int("max_depth", 1, 4),
        Param::log_int("neurons", 1, 32),
        Param::categorical("train.optimizer.kind", vec![Value::Text("sgd".into()), Value::Text("momentum".into())]),
        Param::uniform("train.optimizer.beta", 0.5, 0.99)
            .when("train.optimizer.kind", vec![Value::Text("momentum".into())]),
    ])
    .unwrap();
    // Unit coordinates: the log scale maps 0.5 to the geometric mean; an integer cell's centre
    // and a choice's centre read back to themselves.
    match space.decode(0, &[0.5, 0.0, 1.0, 0.9, 0.0]).values[0] {
        Some(Setting::Real(x)) => assert!((x - 1e-2).abs() < 1e-15),
        ref other => panic!("{other:?}"),
    }
    let p = space.decode(7, &[0.0, 0.0, 1.0, 0.9, 0.0]);
    assert_eq!(p.id, 7);
    assert_eq!(p.values[0], Some(Setting::Real(1e-4)));
    assert_eq!(&p.values[1..4], &[Some(Setting::Int(1)), Some(Setting::Int(32)), Some(Setting::Choice(1))]);
    assert_eq!(p.values[4], Some(Setting::Real(0.5)));
    for d in 0..4 {
        // Every integer of 1..=4 decodes from its own cell centre.
        let q = space.decode(0, &[0.5, (d as f64 + 0.5) / 4.0, 0.5, 0.1, 0.5]);
        assert_eq!(q.values[1], Some(Setting::Int(d + 1)));
        assert_eq!(q.values[4], None, "β is inactive for sgd");
        assert_eq!(space.decode(0, &space.to_unit(&q.values)).values, q.values);
        assert_eq!(space.from_features(0, &space.features(&q.values)).values, q.values);
    }
    for n in 1..=32 {
        let q = space.decode(0, &[0.5, 0.5, 0.5, 0.9, 0.5]);
        let mut values = q.values.clone();
        values[2] = Some(Setting::Int(n));
        assert_eq!(space.decode(0, &space.to_unit(&values)).values, values, "log int {n}");
    }
    // One-hot features: the categorical takes two columns.
    let f = space.features(&p.values);
    assert_eq!(f.len(), 6);
    assert_eq!(&f[3..5], &[0.0, 1.0]);

    let base: Value = serde_json::from_str(
        r#"{"kind": "mlp", "max_depth": 3, "neurons": 4, "train": {"learning_rate": 0.1, "optimizer": {"kind": "sgd"}}}"#,
    )
    .unwrap();
    space.check_paths(&base).unwrap();
    let applied = space.apply(&p, &base).unwrap();
    let json = serde_json::to_string(&applied).unwrap();
    assert_eq!(
        json,
        r#"{"kind":"mlp","max_depth":1,"neurons":32,"train":{"learning_rate":0.0001,"optimizer":{"kind":"momentum","beta":0.5}}}"#
    );
    // An unconditional path missing from the params is refused, naming it.
    let bad: Value = serde_json::from_str(r#"{"kind": "tree", "train": {}}"#).unwrap();
    match space.check_paths(&bad) {
        Err(Error::InvalidParameter(m)) => {
            assert_eq!(m.code, "space_unknown_path", "{m}");
            assert_eq!(m.value("path").map(|v| v.to_string()).as_deref(), Some("train.learning_rate"), "{m}");
            assert_eq!(m.value("missing").map(|v| v.to_string()).as_deref(), Some("train.learning_rate"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    let deeper: Value = serde_json::from_str(r#"{"kind": "tree"}"#).unwrap();
    match space.check_paths(&deeper) {
        Err(e) => assert_eq!(e.msg().value("missing").map(|v| v.to_string()).as_deref(), Some("train"), "{e}"),
        Ok(()) => panic!("a missing path was accepted"),
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies on standard test functions

mod functions {
    //! Standard test functions (Surjanovic & Bingham's Virtual Library of Simulation Experiments),
    //! with their known minima.
    use std::f64::consts::PI;

    /// Branin on [−5, 10] × [0, 15]; minimum 0.397887 at (−π, 12.275), (π, 2.275), (9.42478, 2.475).
    pub fn branin(x: &[f64]) -> f64 {
        let (a, b, c, r, s, t) = (1.0, 5.1 / (4.0 * PI * PI), 5.0 / PI, 6.0, 10.0, 1.0 / (8.0 * PI));
        a * (x[1] - b * x[0] * x[0] + c * x[0] - r).powi(2) + s * (1.0 - t) * x[0].cos() + s
    }
    pub const BRANIN_MIN: f64 = 0.397887;

    /// Hartmann-6 on [0, 1]^6; minimum −3.32237.
    pub fn hartmann6(x: &[f64]) -> f64 {
        const ALPHA: [f64; 4] = [1.0, 1.2, 3.0, 3.2];
        const A: [[f64; 6]; 4] = [
            [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
            [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
            [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
            [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
        ];
        const P: [[f64; 6]; 4] = [
            [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
            [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
            [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
            [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
        ];
        -(0..4)
            .map(|i| ALPHA[i] * (-(0..6).map(|j| A[i][j] * (x[j] - P[i][j]).powi(2)).sum::<f64>()).exp())
            .sum::<f64>()
    }
    pub const HARTMANN6_MIN: f64 = -3.32237;

    /// Rosenbrock in any dimension; minimum 0 at (1, …, 1).
    pub fn rosenbrock(x: &[f64]) -> f64 {
        x.windows(2).map(|w| 100.0 * (w[1] - w[0] * w[0]).powi(2) + (1.0 - w[0]).powi(2)).sum()
    }

    /// A mixed function of a categorical `c` (three choices), a real `x` in [0, 1] and an integer
    /// `k` in 0..=10: each choice has its own offset and optimum in x; minimum 0 at (c = 1, x = 0.7, k = 3).
    pub fn mixed(c: usize, x: f64, k: i64) -> f64 {
        let offset = [1.0, 0.0, 0.5][c];
        let centre = [0.2, 0.7, 0.4][c];
        offset + 4.0 * (x - centre).powi(2) + 0.05 * ((k - 3) as f64).powi(2)
    }
}

use ml_playground::tune::strategy::StrategySpec;
use ml_playground::tune::{minimize, Options};

/// A benchmark problem: a space and an objective over its points.
struct Problem {
    name: &'static str,
    space: Space,
    f: fn(&[Option<Setting>]) -> f64,
    budget: usize,
    /// The known minimum, for the report.
    minimum: f64,
}

fn reals(values: &[Option<Setting>]) -> Vec<f64> {
    values
        .iter()
        .map(|v| match v {
            Some(Setting::Real(x)) => *x,
            other => panic!("expected a real, got {other:?}"),
        })
        .collect()
}

fn problems() -> Vec<Problem> {
    let box_space = |d: usize, low: f64, high: f64| {
        Space::new((0..d).map(|i| Param::uniform(&format!("x{i}"), low, high)).collect()).unwrap()
    };
    vec![
        Problem {
            name: "branin",
            space: Space::new(vec![Param::uniform("x0", -5.0, 10.0), Param::uniform("x1", 0.0, 15.0)]).unwrap(),
            f: |v| functions::branin(&reals(v)),
            budget: 30,
            minimum: functions::BRANIN_MIN,
        },
        Problem {
            name: "hartmann6",
            space: box_space(6, 0.0, 1.0),
            f: |v| functions::hartmann6(&reals(v)),
            budget: 60,
            minimum: functions::HARTMANN6_MIN,
        },
        Problem {
            name: "rosenbrock2",
            space: box_space(2, -2.0, 2.0),
            f: |v| functions::rosenbrock(&reals(v)),
            budget: 60,
            minimum: 0.0,
        },
        Problem {
            name: "rosenbrock5",
            space: box_space(5, -2.0, 2.0),
            f: |v| functions::rosenbrock(&reals(v)),
            budget: 100,
            minimum: 0.0,
        },
        Problem {
            name: "mixed",
            space: Space::new(vec![
                Param::categorical(
                    "c",
                    vec![Value::Text("a".into()), Value::Text("b".into()), Value::Text("c".into())],
                ),
                Param::uniform("x", 0.0, 1.0),
                Param::int("k", 0, 10),
            ])
            .unwrap(),
            f: |v| match (v[0], v[1], v[2]) {
                (Some(Setting::Choice(c)), Some(Setting::Real(x)), Some(Setting::Int(k))) => functions::mixed(c, x, k),
                other => panic!("{other:?}"),
            },
            budget: 40,
            minimum: 0.0,
        },
    ]
}

fn strategies() -> Vec<(&'static str, StrategySpec)> {
    vec![
        ("random", StrategySpec::Random),
        ("bayes", StrategySpec::Bayes { initial: None, candidates: None, xi: None }),
        ("tpe", StrategySpec::Tpe { startup: None, candidates: None }),
        (
            "genetic",
            StrategySpec::Genetic { population: None, tournament: None, crossover: None, mutation: None, elite: None },
        ),
        ("nelder_mead", StrategySpec::NelderMead { step: None }),
    ]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// The median over `seeds` of the best score each strategy finds on each problem at its budget.
fn median_bests(seeds: u64, only: &[&str]) -> Vec<(&'static str, &'static str, f64)> {
    let mut out = Vec::new();
    for problem in problems().into_iter().filter(|p| only.is_empty() || only.contains(&p.name)) {
        for (name, spec) in strategies() {
            let bests: Vec<f64> = (0..seeds)
                .map(|seed| {
                    let options = Options::new(spec.clone(), problem.budget, seed);
                    let outcome = minimize(|p| Ok((problem.f)(&p.values)), &problem.space, &options).unwrap();
                    assert_eq!(outcome.trials.len(), problem.budget, "{} {name}", problem.name);
                    outcome.best_trial().and_then(|t| t.score).unwrap()
                })
                .collect();
            let m = median(bests);
            let gap = m - problem.minimum;
            println!(
                "{:<12} {:<12} budget {:>3}: median best {m:.6} (optimum + {gap:.6})",
                problem.name, name, problem.budget
            );
            out.push((problem.name, name, m));
        }
    }
    out
}

fn check_ranking(results: &[(&str, &str, f64)]) {
    let get = |problem: &str, strategy: &str| {
        results.iter().find(|r| r.0 == problem && r.1 == strategy).map(|r| r.2).unwrap()
    };
    for problem in ["branin", "hartmann6", "rosenbrock2", "rosenbrock5", "mixed"] {
        let random = get(problem, "random");
        for better in ["bayes", "nelder_mead"] {
            let m = get(problem, better);
            assert!(m < random, "{problem}: {better} median best {m} is not below random search's {random}");
        }
    }
}

/// The full sweep: 20 seeds. Too slow for a debug build (the GP is fitted once per suggestion);
/// run with `cargo test --release --test native tune:: -- --ignored --nocapture` (about 2–7 minutes on the
/// shared 2-core machine). Medians measured at commit time (best found; optimum in brackets):
///
/// | function (budget)       | random  | bayes   | tpe     | genetic | nelder_mead |
/// |-------------------------|---------|---------|---------|---------|-------------|
/// | Branin (30) [0.397887]  | 1.1875  | 0.4251  | 0.8958  | 1.1720  | 0.4005      |
/// | Hartmann-6 (60) [−3.32237] | −2.1236 | −3.2294 | −2.7174 | −2.6136 | −3.0331  |
/// | Rosenbrock 2-D (60) [0] | 1.0937  | 0.0329  | 0.5315  | 0.3656  | 0.0415      |
/// | Rosenbrock 5-D (100) [0]| 105.39  | 5.968   | 12.82   | 30.45   | 4.565       |
/// | mixed (40) [0]          | 0.0895  | 0.000016| 0.0027  | 0.1069  | 0.00064     |
///
/// Bayesian search on Branin: median 0.425077 after 30 evaluations, 0.027 above the optimum.
///
/// (The bayes column predates the L-BFGS acquisition and its defaults, xi 0, 10,000 candidates;
/// the same 20 seeds through the wasm, `BENCH_ONLY=bo`, now give Branin (30) 0.3989 and
/// Hartmann-6 (60) −3.2600: see bench/results.json. Not re-run natively yet.)
#[test]
#[ignore]
fn strategies_beat_random_search_over_20_seeds() {
    // TUNE_PROBLEMS=branin,mixed runs only those (the ranking check then needs all five).
    let only = std::env::var("TUNE_PROBLEMS").unwrap_or_default();
    let only: Vec<&str> = only.split(',').filter(|s| !s.is_empty()).collect();
    let results = median_bests(20, &only);
    if only.is_empty() {
        check_ranking(&results);
    }
    let Some(branin) = results.iter().find(|r| r.0 == "branin" && r.1 == "bayes").map(|r| r.2) else { return };
    assert!(
        branin - functions::BRANIN_MIN < 0.05,
        "Bayesian search on Branin: median best {branin} after 30 evaluations"
    );
}

/// Bayesian search on Branin within 30 evaluations, three seeds (the debug-build version of the
/// 20-seed sweep above): each run's best and the median, printed.
#[test]
fn bayes_on_branin_three_seeds() {
    let problem = problems().into_iter().next().unwrap();
    let spec = StrategySpec::Bayes { initial: None, candidates: None, xi: None };
    let bests: Vec<f64> = (0..3)
        .map(|seed| {
            let t = std::time::Instant::now();
            let outcome =
                minimize(|p| Ok((problem.f)(&p.values)), &problem.space, &Options::new(spec.clone(), 30, seed))
                    .unwrap();
            let best = outcome.best_trial().and_then(|t| t.score).unwrap();
            println!("seed {seed}: best {best:.6} in {:?}", t.elapsed());
            best
        })
        .collect();
    let m = median(bests);
    assert!(m - functions::BRANIN_MIN < 0.05, "median best {m}");
}

// ---------------------------------------------------------------------------------------------
// The search loop: budgets, failures, reproducibility, batches

use ml_playground::tune::{minimize_params, minimize_timed};

fn square_space() -> Space {
    Space::new(vec![Param::uniform("x", 0.0, 1.0), Param::uniform("y", 0.0, 1.0)]).unwrap()
}

fn xy(values: &[Option<Setting>]) -> (f64, f64) {
    let r = reals(values);
    (r[0], r[1])
}

#[test]
fn budget_is_checked() {
    for trials in [0, 10_001, 1_000_000] {
        let err = minimize(|_| Ok(0.0), &square_space(), &Options::new(StrategySpec::Random, trials, 0)).unwrap_err();
        assert!(err.to_string().contains("between 1 and 10000 trials"), "{trials}: {err}");
    }
    let mut batch = Options::new(StrategySpec::Random, 10, 0);
    batch.batch = 0;
    assert!(minimize(|_| Ok(0.0), &square_space(), &batch).is_err());
}

/// Every strategy records a trial that errs (as training diverging does) or returns NaN as failed,
/// with the reason, and goes on to spend the whole budget; the best is the lowest score.
#[test]
fn failed_trials_are_recorded_and_the_search_goes_on() {
    for (name, spec) in strategies() {
        let mut calls = 0;
        let objective = |p: &ml_playground::tune::space::Point| {
            calls += 1;
            let (x, y) = xy(&p.values);
            if x > 0.7 {
                Err(ml_playground::err!(Diverged, "diverged_loss"))
            } else if y < 0.2 {
                Ok(f64::NAN)
            } else {
                Ok((x - 0.3).powi(2) + (y - 0.6).powi(2))
            }
        };
        let outcome = minimize(objective, &square_space(), &Options::new(spec, 25, 1)).unwrap();
        assert_eq!(outcome.trials.len(), 25, "{name}");
        assert_eq!(calls, 25, "{name}");
        let failed: Vec<_> = outcome.trials.iter().filter(|t| t.score.is_none()).collect();
        assert!(!failed.is_empty(), "{name}: no trial failed");
        for t in &failed {
            let e = t.error.as_deref().unwrap();
            assert!(e.contains("diverged") || e.contains("NaN"), "{name}: {e}");
        }
        let best = outcome.best_trial().unwrap().score.unwrap();
        let lowest = outcome.trials.iter().filter_map(|t| t.score).fold(f64::INFINITY, f64::min);
        assert_eq!(best, lowest, "{name}");
        assert_eq!(outcome.best_so_far().last().copied().flatten(), Some(best), "{name}");
    }
}

#[test]
fn strategies_are_reproducible() {
    let f = |p: &ml_playground::tune::space::Point| {
        Ok(functions::branin(&[xy(&p.values).0 * 15.0 - 5.0, xy(&p.values).1 * 15.0]))
    };
    for (name, spec) in strategies() {
        let run = |seed| minimize(f, &square_space(), &Options::new(spec.clone(), 12, seed)).unwrap();
        assert_eq!(run(4), run(4), "{name}");
        assert_ne!(run(4).trials, run(5).trials, "{name}");
    }
}

#[test]
fn grid_enumerates_and_refuses_when_larger_than_budget() {
    let space = Space::new(vec![
        Param::categorical("criterion", vec![Value::Text("gini".into()), Value::Text("entropy".into()), Value::Null]),
        Param::int("max_depth", 1, 4),
        Param::log_uniform("alpha", 1e-3, 1e-1),
    ])
    .unwrap();
    let grid = StrategySpec::Grid { levels: Some(3) };
    let outcome = minimize(|_| Ok(1.0), &space, &Options::new(grid.clone(), 27, 0)).unwrap();
    // max_depth has more values than levels: 3 evenly spaced ones, 1, 3 and 4.
    assert_eq!(outcome.trials.len(), 27);
    let mut seen: Vec<String> = outcome.trials.iter().map(|t| serde_json::to_string(&t.params).unwrap()).collect();
    assert_eq!(seen[0], r#"{"criterion":"gini","max_depth":1,"alpha":0.001}"#);
    assert_eq!(seen[2], r#"{"criterion":"gini","max_depth":1,"alpha":0.1}"#);
    let middle = outcome.trials[1].params.get("alpha").and_then(Value::as_f64).unwrap();
    assert!((middle - 0.01).abs() < 1e-15, "the log scale's middle level: {middle}");
    assert_eq!(seen[26], r#"{"criterion":null,"max_depth":4,"alpha":0.1}"#);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 27);
    let err = minimize(|_| Ok(1.0), &space, &Options::new(grid, 26, 0)).unwrap_err();
    assert!(err.to_string().contains("the grid has 27 points, more than the budget of 26 trials"), "{err}");

    // A conditional parameter adds levels only where it is active; a small grid ends early.
    let momentum = Value::Text("momentum".into());
    let space = Space::new(vec![
        Param::categorical("optimizer", vec![Value::Text("sgd".into()), momentum.clone()]),
        Param::uniform("beta", 0.5, 0.9).when("optimizer", vec![momentum]),
    ])
    .unwrap();
    let outcome = minimize(|_| Ok(1.0), &space, &Options::new(StrategySpec::Grid { levels: Some(5) }, 100, 0)).unwrap();
    let seen: Vec<String> = outcome.trials.iter().map(|t| serde_json::to_string(&t.params).unwrap()).collect();
    assert_eq!(seen.len(), 6, "{seen:?}");
    assert_eq!(seen[0], r#"{"optimizer":"sgd"}"#);
    assert_eq!(seen[5], r#"{"optimizer":"momentum","beta":0.9}"#);
}

/// Asked for a batch while trials run, Bayesian search spreads the points (constant liar), and
/// results may come back in any order.
#[test]
fn bayes_batches_are_spread_and_observed_out_of_order() {
    let space = square_space();
    let spec = StrategySpec::Bayes { initial: Some(5), candidates: Some(300), xi: None };
    let mut s = spec.build(&space, 40, 2).unwrap();
    let f = |p: &ml_playground::tune::space::Point| {
        let (x, y) = xy(&p.values);
        (x - 0.3).powi(2) + (y - 0.6).powi(2)
    };
    let first = s.suggest(5);
    assert_eq!(first.len(), 5);
    for p in first.iter().rev() {
        s.observe(p, Ok(f(p)));
    }
    for _ in 0..3 {
        let batch = s.suggest(4);
        assert_eq!(batch.len(), 4);
        for (i, a) in batch.iter().enumerate() {
            for b in &batch[..i] {
                let ((ax, ay), (bx, by)) = (xy(&a.values), xy(&b.values));
                let d = ((ax - bx).powi(2) + (ay - by).powi(2)).sqrt();
                assert!(d > 1e-3, "two points of a batch coincide: {a:?} {b:?}");
            }
        }
        for p in [&batch[2], &batch[0], &batch[3], &batch[1]] {
            s.observe(p, Ok(f(p)));
        }
    }
    // An unknown point is ignored.
    let stranger = space.decode(999, &[0.5, 0.5]);
    s.observe(&stranger, Ok(0.0));
    assert_eq!(s.suggest(1).len(), 1);
}

#[test]
fn genetic_keeps_its_generations() {
    let spec = StrategySpec::Genetic {
        population: Some(8),
        tournament: None,
        crossover: None,
        mutation: None,
        elite: Some(2),
    };
    let space = square_space();
    let mut s = spec.build(&space, 100, 3).unwrap();
    let f = |p: &ml_playground::tune::space::Point| {
        let (x, y) = xy(&p.values);
        (x - 0.3).powi(2) + (y - 0.6).powi(2)
    };
    // A pool of 3 workers: the strategy hands out at most what the generation has left.
    let mut evaluated = 0;
    while evaluated < 50 {
        let batch = s.suggest(3);
        assert!(!batch.is_empty());
        for p in &batch {
            s.observe(p, Ok(f(p)));
        }
        evaluated += batch.len();
    }
    let generations = s.generations();
    assert!(generations.len() >= 7, "{}", generations.len());
    let mut previous_best = f64::INFINITY;
    for (g, members) in generations.iter().enumerate() {
        assert_eq!(members.len(), 8);
        assert_eq!(members.iter().filter(|m| m.elite).count(), if g == 0 { 0 } else { 2 });
        if members.iter().all(|m| m.observed) {
            let best = members.iter().filter_map(|m| m.score).fold(f64::INFINITY, f64::min);
            assert!(best <= previous_best, "elitism keeps the best: generation {g}");
            previous_best = best;
        }
    }
}

#[test]
fn nelder_mead_converges_on_a_quadratic() {
    let outcome = minimize(
        |p| {
            let (x, y) = xy(&p.values);
            Ok((x - 0.3).powi(2) + 3.0 * (y - 0.6).powi(2))
        },
        &square_space(),
        &Options::new(StrategySpec::NelderMead { step: None }, 80, 0),
    )
    .unwrap();
    let best = outcome.best_trial().unwrap().score.unwrap();
    assert!(best < 1e-6, "{best}");
}

#[test]
fn options_read_from_json() {
    let o: Options =
        serde_json::from_str(r#"{"strategy": {"kind": "bayes", "initial": 5}, "trials": 30, "seed": 3}"#).unwrap();
    assert_eq!(o.strategy, StrategySpec::Bayes { initial: Some(5), candidates: None, xi: None });
    assert_eq!((o.trials, o.seed, o.batch), (30, 3, 1));
    assert!(serde_json::from_str::<Options>(r#"{"strategy": {"kind": "random"}, "trials": 3, "speed": 1}"#).is_err());
    assert!(serde_json::from_str::<Options>(r#"{"strategy": {"kind": "bayes", "levels": 3}, "trials": 3}"#).is_err());
    let bad =
        StrategySpec::Genetic { population: Some(1), tournament: None, crossover: None, mutation: None, elite: None };
    let err = minimize(|_| Ok(0.0), &square_space(), &Options::new(bad, 10, 0)).unwrap_err();
    assert!(err.to_string().contains("population must be between 2"), "{err}");
}

/// The objective sees the model's params with the point written in; a clock times each trial.
#[test]
fn minimize_over_params_with_a_clock() {
    let space: Space = serde_json::from_str(
        r#"[{"path": "train.learning_rate", "type": "log_uniform", "low": 1e-3, "high": 1},
            {"path": "hidden_layers.0.neurons", "type": "int", "low": 1, "high": 8}]"#,
    )
    .unwrap();
    let base: Value = serde_json::from_str(
        r#"{"kind": "mlp", "hidden_layers": [{"neurons": 4, "activation": "tanh"}], "train": {"learning_rate": 0.1}}"#,
    )
    .unwrap();
    let options = Options::new(StrategySpec::Random, 12, 9);
    let outcome = minimize_params(
        |params| {
            let lr = params.get("train.learning_rate").and_then(Value::as_f64).unwrap();
            let neurons = params.get("hidden_layers.0.neurons").and_then(Value::as_f64).unwrap();
            assert_eq!(params.get("hidden_layers.0.activation"), Some(&Value::Text("tanh".into())));
            Ok((lr.log10() + 2.0).powi(2) + (neurons - 5.0).abs())
        },
        &space,
        &base,
        &options,
    )
    .unwrap();
    assert_eq!(outcome.trials.len(), 12);
    let bad_base: Value = serde_json::from_str(r#"{"kind": "tree", "max_depth": 3}"#).unwrap();
    let err = minimize_params(|_| Ok(0.0), &space, &bad_base, &options).unwrap_err();
    assert!(err.to_string().contains("no `train`"), "{err}");

    let mut now = 0.0;
    let mut clock = || {
        now += 2.5;
        now
    };
    let timed = minimize_timed(|_| Ok(1.0), &space, &options, Some(&mut clock)).unwrap();
    assert!(timed.trials.iter().all(|t| t.ms == Some(2.5)));
}

/// A space and a strategy write themselves back as the JSON they are read from (for the state
/// in the URL), and a setting of another strategy is refused by name.
#[test]
fn space_and_strategy_round_trip_through_json() {
    let json = r#"[{"path":"train.learning_rate","type":"log_uniform","low":0.0001,"high":1.0},{"path":"neurons","type":"int","low":1,"high":32,"log":true},{"path":"train.optimizer.kind","type":"categorical","choices":["sgd","momentum",null,{"a":1}]},{"path":"train.optimizer.beta","type":"uniform","low":0.5,"high":0.99,"when":{"path":"train.optimizer.kind","in":["momentum"]}}]"#;
    let space: Space = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_string(&space).unwrap(), json);
    for spec in strategies() {
        let text = serde_json::to_string(&spec.1).unwrap();
        assert_eq!(serde_json::from_str::<StrategySpec>(&text).unwrap(), spec.1, "{text}");
    }
    let err = serde_json::from_str::<StrategySpec>(r#"{"kind": "random", "population": 4}"#).unwrap_err();
    assert!(err.to_string().contains("`population` is not a setting of the random strategy"), "{err}");
    let err = serde_json::from_str::<StrategySpec>(r#"{"kind": "annealing"}"#).unwrap_err();
    assert!(err.to_string().contains("unknown strategy `annealing`"), "{err}");
    assert!(serde_json::from_str::<StrategySpec>(r#"{"kind": "grid", "level": 3}"#).is_err());
}

/// Bayesian search's surrogate, for the picture: it interpolates the observed scores, and asking
/// for it does not change the search.
#[test]
fn bayes_surrogate_is_drawn_without_changing_the_search() {
    let space = square_space();
    let spec = StrategySpec::Bayes { initial: Some(5), candidates: Some(200), xi: None };
    let f = |p: &ml_playground::tune::space::Point| {
        let (x, y) = xy(&p.values);
        (3.0 * x).sin() + (y - 0.6).powi(2)
    };
    let run = |draw: bool| {
        let mut s = spec.build(&space, 20, 6).unwrap();
        let mut seen = Vec::new();
        for _ in 0..9 {
            let p = s.suggest(1).remove(0);
            s.observe(&p, Ok(f(&p)));
            if draw {
                if let Some(gp) = s.surrogate() {
                    let (mean, var) = gp.predict(&space.features(&p.values));
                    assert!((mean - f(&p)).abs() < 1e-2 && var < 1e-2, "{mean} {var} at an observed point");
                }
            }
            seen.push(p);
        }
        seen
    };
    assert_eq!(run(true), run(false));
    assert!(StrategySpec::Random.build(&space, 5, 0).unwrap().surrogate().is_none());
}
