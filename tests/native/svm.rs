//! The support vector machine against scikit-learn's `SVC` (libsvm) on fixed data: support vector
//! indices, dual coefficients, intercepts and the decision function, for the linear, RBF (given γ
//! and "scale"), polynomial and sigmoid kernels, several C, balanced class weights and three
//! classes (one-vs-one). Reference numbers from `/tmp/svmref/ref.py` (kept in the comment below),
//! run once with scikit-learn 1.9.1: `SVC(tol=1e-12, decision_function_shape="ovo", …)` so both
//! solvers stop at the optimum, where the solution is unique. Probabilities are not compared:
//! `SVC(probability=True)` fits Platt scaling on random cross-validation folds (see `model/svm.rs`).
//!
//! The data: `rng = np.random.RandomState(0)`; two classes of 15 points around (−1, −0.5) and
//! (1, 0.5) (σ 0.9), three of 10 around (−1.5, 0), (1.5, 0), (0, 1.8) (σ 0.8), rounded to 3 digits.

use ml_playground::data::{Dataset, Task};
use ml_playground::model::svm::Svm;
use ml_playground::model::{AnyModel, Model, ModelParams};
use nalgebra::DMatrix;

struct Case {
    name: &'static str,
    multi: bool,
    params: &'static str,
    /// The first five points of class 0 become class 1 (an imbalanced set for class weights).
    relabel: bool,
    support: &'static [usize],
    n_support: &'static [usize],
    dual_coef: &'static [f64],
    intercept: &'static [f64],
    decision: &'static [f64],
}

const XB: [f64; 60] = [
    0.588, -0.14, -0.119, 1.517, 0.681, -1.38, -0.145, -0.636, -1.093, -0.13, -0.87, 0.809, -0.315, -0.39, -0.601,
    -0.2, 0.345, -0.685, -0.718, -1.269, -3.298, 0.088, -0.222, -1.168, 1.043, -1.809, -0.959, -0.668, 0.38, 0.822,
    1.139, 0.84, 0.201, -1.283, 0.687, 0.641, 2.107, 1.582, 0.651, 0.228, 0.056, -0.778, -0.536, 2.256, 0.541, 0.106,
    -0.128, 1.2, -0.453, 0.309, 0.194, 0.848, 0.54, -0.563, 0.975, 0.885, 1.06, 0.772, 0.429, 0.174,
];
const YB: [f64; 30] = [
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
    1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
];
const XM: [f64; 60] = [
    -2.038, -0.288, -2.151, -1.381, -1.358, -0.321, -2.804, 0.37, -2.226, 0.042, -0.917, 0.103, -0.588, -0.988, -1.178,
    -0.548, -2.197, -0.463, -1.749, 0.045, 0.568, 0.721, 1.873, -1.229, 2.691, 1.517, 2.443, -0.144, 0.643, 0.844,
    1.177, 0.978, 1.667, 0.781, 1.785, 0.565, 1.508, 1.429, 1.602, 0.322, 1.507, 0.722, -1.016, 2.576, -0.938, 3.355,
    -0.331, 1.202, 1.538, 2.984, 1.494, 2.525, -0.689, 3.328, -0.214, 2.442, 0.758, 1.676, 0.491, 2.538,
];
const YM: [f64; 30] = [
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0,
    2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0,
];
const QUERY: [f64; 10] = [0.1, 0.2, -1.0, 1.0, 2.0, -0.5, 0.0, 0.0, -2.2, -1.3];

const CASES: &[Case] = &[
    // linear_c1: SVC(tol=1e-12, decision_function_shape='ovo', kernel='linear', C=1.0)
    Case {
        name: "linear_c1",
        multi: false,
        params: r#"{"kind":"svm","tol":1e-12,"kernel":"linear","c":1.0}"#,
        relabel: false,
        support: &[0, 1, 2, 3, 5, 6, 7, 8, 12, 14, 16, 19, 20, 22, 23, 24, 25, 26, 29],
        n_support: &[10, 9],
        dual_coef: &[
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -0.19200673885821998,
            -1.0,
            -0.5585803463768823,
            -1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            0.7505870852351021,
            1.0,
            1.0,
            1.0,
            1.0,
        ],
        intercept: &[-0.15380078390458876],
        decision: &[
            0.16598691561258147,
            -0.13094468912765125,
            1.4108535715158554,
            -0.15380078390458876,
            -3.861039313668739,
        ],
    },
    // rbf_g05_c10: SVC(tol=1e-12, decision_function_shape='ovo', kernel='rbf', gamma=0.5, C=10.0)
    Case {
        name: "rbf_g05_c10",
        multi: false,
        params: r#"{"kind":"svm","tol":1e-12,"kernel":"rbf","gamma":0.5,"c":10.0}"#,
        relabel: false,
        support: &[0, 1, 2, 3, 5, 6, 8, 10, 11, 14, 16, 18, 20, 21, 22, 23, 24, 25, 26, 27],
        n_support: &[10, 10],
        dual_coef: &[
            -10.0,
            -10.0,
            -7.423616288464425,
            -8.869045066341796,
            -7.961112946560051,
            -5.707813263320472,
            -10.0,
            -0.5183126212090485,
            -2.002256624938544,
            -10.0,
            10.0,
            1.2793345167615853,
            10.0,
            4.74990797118322,
            10.0,
            10.0,
            10.0,
            5.152279784750049,
            10.0,
            1.3006345381394857,
        ],
        intercept: &[-0.2666311353684511],
        decision: &[
            0.780138407598048,
            -1.219027455673758,
            -0.38509068650455885,
            0.2945314525429759,
            -0.9265491407095139,
        ],
    },
    // poly3_c05: SVC(tol=1e-12, decision_function_shape='ovo', kernel='poly', degree=3, gamma=0.5, coef0=1.0, C=0.5)
    Case {
        name: "poly3_c05",
        multi: false,
        params: r#"{"kind":"svm","tol":1e-12,"kernel":"poly","degree":3,"gamma":0.5,"coef0":1.0,"c":0.5}"#,
        relabel: false,
        support: &[0, 1, 2, 3, 5, 6, 7, 8, 14, 16, 19, 20, 21, 22, 23, 24, 25, 26, 29],
        n_support: &[9, 10],
        dual_coef: &[
            -0.5,
            -0.5,
            -0.443305688948615,
            -0.5,
            -0.4838795454389533,
            -0.5,
            -0.5,
            -0.5,
            -0.5,
            0.5,
            0.3006705194735268,
            0.5,
            0.12651471491404148,
            0.5,
            0.5,
            0.5,
            0.5,
            0.5,
            0.5,
        ],
        intercept: &[0.06534908474535318],
        decision: &[
            0.3289594771438174,
            -1.1713328821823061,
            0.8360014836030404,
            0.06534908474535274,
            -4.529581175385363,
        ],
    },
    // rbf_scale: SVC(tol=1e-12, decision_function_shape='ovo', kernel='rbf', gamma='scale', C=1.0)
    Case {
        name: "rbf_scale",
        multi: false,
        params: r#"{"kind":"svm","tol":1e-12,"kernel":"rbf","c":1.0}"#,
        relabel: false,
        support: &[0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 29],
        n_support: &[13, 11],
        dual_coef: &[
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -0.9802182042537855,
            -1.0,
            -0.004312210408736035,
            -0.8014734140460303,
            -0.09283179382500045,
            -0.5582148665875958,
            -1.0,
            1.0,
            1.0,
            0.4370504891211477,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
        ],
        intercept: &[-0.15634070410630185],
        decision: &[
            0.4278386411876576,
            -0.3189193998378943,
            -0.007571287073161487,
            0.034008691779510714,
            -0.5145077356814909,
        ],
    },
    // sigmoid: SVC(tol=1e-12, decision_function_shape='ovo', kernel='sigmoid', gamma=0.1, coef0=0.0, C=1.0)
    Case {
        name: "sigmoid",
        multi: false,
        params: r#"{"kind":"svm","tol":1e-12,"kernel":"sigmoid","gamma":0.1,"coef0":0.0,"c":1.0}"#,
        relabel: false,
        support: &[0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 16, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29],
        n_support: &[13, 13],
        dual_coef: &[
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -1.0,
            -0.10611570154835284,
            -1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            0.10611570154835284,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
        ],
        intercept: &[-0.0954771947647586],
        decision: &[
            0.08054203913399813,
            0.00806621765306699,
            0.6183182312615774,
            -0.0954771947647586,
            -1.9952933650568114,
        ],
    },
    // rbf_balanced: SVC(tol=1e-12, decision_function_shape='ovo', kernel='rbf', gamma=1.0, C=2.0, class_weight='balanced')
    Case {
        name: "rbf_balanced",
        multi: false,
        params: r#"{"kind":"svm","tol":1e-12,"kernel":"rbf","gamma":1.0,"c":2.0,"class_weight":"balanced"}"#,
        relabel: true,
        support: &[5, 6, 7, 8, 10, 11, 12, 13, 14, 0, 1, 2, 3, 4, 16, 18, 20, 21, 23, 24, 25, 26, 27, 29],
        n_support: &[9, 15],
        dual_coef: &[
            -2.7219875046916218,
            -2.4301162052404695,
            -1.245778312850746,
            -3.0,
            -0.9444657699007204,
            -2.4689710499735726,
            -2.249068410758071,
            -0.05772229388041153,
            -3.0,
            0.17062673548594587,
            0.143131250259721,
            1.5,
            1.5,
            1.5,
            1.5,
            0.9266456788308873,
            1.5,
            0.8631373754747286,
            1.5,
            1.5,
            1.5,
            1.5,
            1.0145685072443311,
            1.5,
        ],
        intercept: &[-0.06142016788149816],
        decision: &[
            0.5017445478888986,
            -1.0611263282056882,
            0.08163015612237315,
            0.08817069083502296,
            -0.08293915493122218,
        ],
    },
    // multi_rbf: SVC(tol=1e-12, decision_function_shape='ovo', kernel='rbf', gamma=1.0, C=1.0)
    Case {
        name: "multi_rbf",
        multi: true,
        params: r#"{"kind":"svm","tol":1e-12,"kernel":"rbf","gamma":1.0,"c":1.0}"#,
        relabel: false,
        support: &[1, 3, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29],
        n_support: &[6, 9, 10],
        dual_coef: &[
            0.9010715816330463,
            0.9295417495340346,
            0.7596970481660679,
            0.7790354817433904,
            0.08354980610291493,
            0.18848506055920852,
            -0.8142123075841576,
            -0.7826987304389176,
            -0.7674393737611331,
            -0.6093363489668024,
            -0.0,
            -0.0,
            -0.0,
            -0.4651646014864716,
            -0.20252936550118,
            -0.7736022898647991,
            -0.3941762630730316,
            -0.46510510367817043,
            -0.9350718285570666,
            -0.6257567941369131,
            -0.11919032212393083,
            -0.14782064290090366,
            -0.0,
            -0.1780053327821643,
            -0.3759983270107866,
            0.9706583005337166,
            1.0,
            1.0,
            0.7919174170988209,
            0.11652134133401852,
            0.13562984516121054,
            0.620335969195184,
            0.7889218939814155,
            0.8017619891150355,
            0.5758225768112356,
            1.0,
            0.10992773192212243,
            0.2849246060678818,
            1.0,
            0.4446867534067794,
            -1.0,
            -0.47407449852396066,
            -0.5017878313096512,
            -1.0,
            -0.40428378744029236,
            -0.7599057319505238,
            -0.26212384343206524,
            -0.0811427254313718,
            -1.0,
            -0.14306310241178954,
        ],
        intercept: &[-0.0625617510103942, -0.14928896024943875, 0.046800278955264875],
        decision: &[
            -0.21016115458440843,
            -0.052287336070790724,
            0.5500155637405949,
            0.29271804726289946,
            -0.2504410934602723,
            -0.5293257616542806,
            -1.0840494380602095,
            -0.28523655105010687,
            1.1000556256348184,
            0.10273102950787528,
            0.24575312751714182,
            0.4010563999333757,
            1.009838583287595,
            1.011677097194117,
            0.046750193162473176,
        ],
    },
    // multi_linear: SVC(tol=1e-12, decision_function_shape='ovo', kernel='linear', C=0.3)
    Case {
        name: "multi_linear",
        multi: true,
        params: r#"{"kind":"svm","tol":1e-12,"kernel":"linear","c":0.3}"#,
        relabel: false,
        support: &[5, 6, 9, 10, 11, 12, 14, 15, 18, 20, 21, 23, 24, 25, 28],
        n_support: &[3, 6, 6],
        dual_coef: &[
            0.3,
            0.26361603497598535,
            0.0,
            -0.3,
            -0.07544700559031828,
            -0.0,
            -0.188169029385667,
            -0.0,
            -0.0,
            -0.06855401991401025,
            -0.1088232688483736,
            -0.3,
            -0.0,
            -0.0,
            -0.0,
            0.3,
            0.0,
            0.17737728876238387,
            0.3,
            0.0,
            0.25580475652732515,
            0.3,
            0.3,
            0.3,
            -0.3,
            -0.0,
            -0.3,
            -0.25580475652732515,
            -0.3,
            -0.3,
        ],
        intercept: &[-0.01313257220954117, 0.19193433372644356, 1.3776005664112763],
        decision: &[
            -0.20180227450014918,
            0.013747846248452322,
            1.2169017392737596,
            0.3377356502347129,
            0.019170913695300357,
            -0.07890789569031575,
            -1.4827834173289625,
            -0.4398529736167974,
            2.758869123876081,
            -0.01313257220954117,
            0.19193433372644356,
            1.3776005664112763,
            2.5505777843732815,
            2.0922544869374935,
            1.7473614721773243,
        ],
    },
];

fn svm(params: &str, data: &Dataset) -> Svm {
    let params: ModelParams = serde_json::from_str(params).unwrap();
    let mut model = params.build(1).unwrap();
    model.fit(data).unwrap();
    match model {
        AnyModel::Svm(m) => m,
        _ => unreachable!(),
    }
}

fn data(case: &Case) -> Dataset {
    let (x, y, k): (&[f64], &[f64], usize) = if case.multi { (&XM, &YM, 3) } else { (&XB, &YB, 2) };
    let mut y = y.to_vec();
    if case.relabel {
        y[..5].fill(1.0);
    }
    Dataset::from_rows(x, 2, &y, Task::Classification { n_classes: k }).unwrap()
}

fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max)
}

#[test]
fn svc_matches_scikit_learn_on_every_kernel() {
    let query = DMatrix::from_row_slice(5, 2, &QUERY);
    let mut worst = [0.0f64; 3];
    for case in CASES {
        let data = data(case);
        let m = svm(case.params, &data);
        assert_eq!(m.support_indices(), case.support, "{}: support_", case.name);
        assert_eq!(m.n_support(), case.n_support, "{}: n_support_", case.name);
        let dual: Vec<f64> = m.dual_coef().concat();
        let d = [
            max_diff(&dual, case.dual_coef),
            max_diff(&m.intercepts(), case.intercept),
            max_diff(m.decision_function(&query).unwrap().transpose().as_slice(), case.decision),
        ];
        for (w, d) in worst.iter_mut().zip(d) {
            *w = w.max(d);
        }
        assert!(d.iter().all(|&d| d < 1e-9), "{}: dual, intercept, decision differ by {d:?}", case.name);
    }
    println!(
        "max abs diffs over {} cases: dual_coef {:.1e}, intercept {:.1e}, decision {:.1e}",
        CASES.len(),
        worst[0],
        worst[1],
        worst[2]
    );
}

fn binary() -> Dataset {
    Dataset::from_rows(&XB, 2, &YB, Task::Classification { n_classes: 2 }).unwrap()
}

#[test]
fn steps_run_smo_in_batches_and_reach_the_fit() {
    let data = binary();
    let params: ModelParams = serde_json::from_str(r#"{"kind":"svm","kernel":"rbf","gamma":0.5,"c":10.0}"#).unwrap();
    let fitted = svm(r#"{"kind":"svm","kernel":"rbf","gamma":0.5,"c":10.0}"#, &data);
    let mut stepped = params.build(1).unwrap();
    let mut rng = ml_playground::data::rng(1);
    stepped.step(&data, &mut rng).unwrap();
    assert!(stepped.is_trained() && !stepped.is_complete(), "one batch of 10 iterations does not finish");
    let mut steps = 1;
    while !stepped.is_complete() {
        stepped.step(&data, &mut rng).unwrap();
        steps += 1;
        assert!(steps < 1000);
    }
    let AnyModel::Svm(stepped) = stepped else { unreachable!() };
    // the same iterations in batches: the same machine
    assert_eq!(stepped.support_indices(), fitted.support_indices());
    assert_eq!(stepped.dual_coef(), fitted.dual_coef());
    assert_eq!(stepped.intercepts(), fitted.intercepts());
}

#[test]
fn probabilities_are_platt_scaled_decision_values() {
    let data = binary();
    let m = svm(r#"{"kind":"svm","kernel":"rbf","gamma":0.5,"c":1.0}"#, &data);
    let grid = DMatrix::from_fn(200, 2, |i, j| if j == 0 { -3.0 + 0.03 * i as f64 } else { 0.4 - 0.002 * i as f64 });
    let p = m.predict(&grid).unwrap();
    let f = m.decision_function(&grid).unwrap();
    for i in 0..grid.nrows() {
        assert!((p[(i, 0)] + p[(i, 1)] - 1.0).abs() < 1e-12);
        // P(class 1) rises with the decision value, and is above ½ where it is positive (A < 0, B ≈ 0)
        for k in 0..grid.nrows() {
            if f[(i, 0)] < f[(k, 0)] {
                assert!(p[(i, 1)] <= p[(k, 1)] + 1e-12);
            }
        }
    }
    // three classes: coupled probabilities sum to 1; the most probable class wins the vote here
    let multi = data_of(&XM, &YM, 3);
    let m = svm(r#"{"kind":"svm","kernel":"rbf","gamma":1.0,"c":1.0}"#, &multi);
    let p = m.predict(&multi.x).unwrap();
    let correct = (0..multi.len())
        .filter(|&i| {
            assert!((p.row(i).sum() - 1.0).abs() < 1e-9 && p.row(i).iter().all(|&v| (0.0..=1.0).contains(&v)));
            p.row(i).transpose().imax() == multi.y[i] as usize
        })
        .count();
    assert!(correct >= 27, "{correct} of 30 on the training points");
}

fn data_of(x: &[f64], y: &[f64], k: usize) -> Dataset {
    Dataset::from_rows(x, 2, y, Task::Classification { n_classes: k }).unwrap()
}

#[test]
fn bad_settings_and_data_are_refused_with_the_parameter_named() {
    for (json, needle) in [
        (r#"{"kind":"svm","c":0}"#, "c must be above 0"),
        (r#"{"kind":"svm","c":-1}"#, "c must be above 0"),
        (r#"{"kind":"svm","gamma":-0.5}"#, "gamma must be above 0"),
        (r#"{"kind":"svm","degree":0}"#, "degree"),
        (r#"{"kind":"svm","tol":0}"#, "tol"),
    ] {
        let params: ModelParams = serde_json::from_str(json).unwrap();
        let err = params.check().unwrap_err();
        assert_eq!(err.kind(), "invalid_parameter", "{json}");
        assert!(err.to_string().contains(needle), "{json}: {err}");
    }
    assert!(serde_json::from_str::<ModelParams>(r#"{"kind":"svm","C":1}"#).is_err(), "unknown fields are refused");
    let mut m = ModelParams::default_of("svm").unwrap().build(1).unwrap();
    let one_class = data_of(&XB[..20], &[0.0; 10], 2);
    assert!(m.fit(&one_class).unwrap_err().to_string().contains("two classes"));
    assert!(!m.is_trained());
}

#[test]
fn a_model_file_round_trips_and_a_damaged_one_is_refused() {
    let data = data_of(&XM, &YM, 3);
    let params: ModelParams =
        serde_json::from_str(r#"{"kind":"svm","kernel":"poly","gamma":0.5,"coef0":1.0}"#).unwrap();
    let mut m = params.build(1).unwrap();
    m.fit(&data).unwrap();
    let json = serde_json::to_string(&m).unwrap();
    let back: AnyModel = serde_json::from_str(&json).unwrap();
    back.validate().unwrap();
    assert_eq!(back.predict(&data.x).unwrap(), m.predict(&data.x).unwrap());
    for (from, to) in [
        (r#""rho":"#, r#""rho":1e999,"x":"#),
        (r#""sv":["#, r#""sv":[99999,"#),
        (r#""n_classes":3"#, r#""n_classes":1"#),
    ] {
        let damaged = json.replacen(from, to, 1);
        let refused = match serde_json::from_str::<AnyModel>(&damaged) {
            Ok(model) => model.validate().is_err(),
            Err(_) => true,
        };
        assert!(refused, "{to}");
    }
}
