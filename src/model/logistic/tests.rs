//! Tests of logistic regression: against scikit-learn on fixed data, gradient descent against
//! Newton, feature maps, serde, and bad input.

use super::*;
use crate::data::generate::{generate, DataSpec, DatasetKind};
use crate::data::rng;
use crate::error::Error;
use crate::model::{AnyModel, ModelParams};
use crate::optim::OptimizerKind;

// Reference data and numbers from scikit-learn 1.9.1 (numpy 2.4). The script:
//
//   import numpy as np
//   from sklearn.pipeline import make_pipeline
//   from sklearn.preprocessing import FunctionTransformer, StandardScaler
//   from sklearn.linear_model import LogisticRegression
//   rng = np.random.default_rng(0)
//   Xb = np.round(rng.uniform(-3, 3, (40, 2)), 2)
//   pb = 1/(1+np.exp(-(0.8*Xb[:,0] - 0.5*Xb[:,1] + 0.6*Xb[:,0]*Xb[:,1])))
//   yb = (rng.uniform(size=40) < pb).astype(int)
//   C = np.array([[-1.5, 0.0], [1.5, 1.0], [0.5, -1.5]]); ym = np.arange(45) % 3
//   Xm = np.round(C[ym] + rng.normal(0, 1.1, (45, 2)), 2)
//   phi_b = lambda X: np.c_[X[:,0], X[:,1], X[:,0]*X[:,1]]     # features x1, x2, x1·x2
//   phi_m = lambda X: np.c_[X[:,0], X[:,1], X[:,0]**2]         # features x1, x2, x1²
//   def run(X, y, phi, lam, l1_ratio, solver):
//       C = np.inf if lam == 0 else 1/(len(y)*lam)
//       m = make_pipeline(FunctionTransformer(phi), StandardScaler(),
//           LogisticRegression(C=C, l1_ratio=l1_ratio, solver=solver, tol=1e-12, max_iter=1000000)).fit(X, y)
//       print(m[-1].coef_, m[-1].intercept_, m.predict_proba(X[:5]))
//   for (X, y, phi) in [(Xb, yb, phi_b), (Xm, ym, phi_m)]:
//       for lam, r, solver in [(0.05, 0, "lbfgs"), (0, 0, "lbfgs"), (0.05, 1, "saga"), (0.05, 0.5, "saga")]:
//           run(X, y, phi, lam, r, solver)

const XB: [f64; 80] = [
    0.82, -1.38, -2.75, -2.9, 1.88, 2.48, 0.64, 1.38, 0.26, 2.61, 1.9, -2.98, 2.14, -2.8, 1.38, -1.95, 2.18, 0.25,
    -1.2, -0.46, -2.83, -2.25, 1.02, 0.88, 0.69, -0.7, 2.98, 2.89, 1.11, 0.9, 1.13, -0.67, -2.19, 1.33, 0.15, -1.14,
    -0.08, 2.34, 2.6, -0.85, 0.43, -1.07, 0.57, -0.97, -0.65, 2.34, -1.64, 0.74, -2.5, 2.0, 1.72, -1.56, 2.26, -2.65,
    -0.98, -2.1, -0.3, 1.78, -1.62, -2.69, -0.57, -1.81, -2.46, 0.48, -1.21, 1.03, -1.8, 2.65, -0.81, -2.37, 0.77,
    2.56, -0.36, 2.73, -0.0, -0.45, 0.72, 2.97, 2.69, -0.24,
];
const YB: [f64; 40] = [
    0., 1., 1., 0., 0., 0., 0., 0., 1., 0., 1., 0., 1., 1., 0., 0., 0., 0., 0., 0., 1., 1., 0., 0., 0., 1., 0., 0., 1.,
    1., 1., 1., 0., 0., 1., 1., 0., 1., 0., 1.,
];
const XM: [f64; 90] = [
    -0.57, 1.28, 2.37, 1.93, 0.58, -3.07, -1.65, -0.85, -0.07, 1.28, -0.13, -2.63, -2.65, 0.3, 1.89, 2.45, 0.48, -0.35,
    0.04, 1.27, -1.1, 2.35, 0.87, -1.03, -1.09, 0.42, 1.85, 0.61, -1.59, -1.62, -2.38, 1.19, 1.18, 1.09, -0.43, -2.06,
    -1.51, -1.63, 1.83, 0.88, -0.8, -4.14, -0.94, -0.33, 0.92, 0.74, 2.5, -1.55, -1.4, -1.64, 3.31, 2.01, 1.67, -1.45,
    -0.49, 0.41, 2.17, 0.83, -1.12, -0.37, -3.63, -0.26, 1.28, -0.15, 1.17, -1.72, -1.98, 0.57, 0.98, 2.53, 0.89,
    -2.02, -3.64, -1.44, 2.7, 0.94, 0.19, 0.31, -2.91, -0.64, 0.98, 1.64, -0.23, -2.17, -3.27, 0.8, 2.39, 0.48, 0.68,
    -2.92,
];

fn binary_data() -> Dataset {
    Dataset::from_rows(&XB, 2, &YB, Task::Classification { n_classes: 2 }).unwrap()
}

fn multi_data() -> Dataset {
    let y: Vec<f64> = (0..45).map(|i| (i % 3) as f64).collect();
    Dataset::from_rows(&XM, 2, &y, Task::Classification { n_classes: 3 }).unwrap()
}

fn binary_features() -> FeatureMap {
    FeatureMap { x1_x2: true, ..FeatureMap::default() }
}

fn multi_features() -> FeatureMap {
    FeatureMap { x1_squared: true, ..FeatureMap::default() }
}

fn params(features: FeatureMap, penalty: Penalty, strength: f64) -> LogisticParams {
    LogisticParams { features, penalty, strength, tolerance: 1e-11, max_iter: 200, ..LogisticParams::default() }
}

struct Reference {
    penalty: Penalty,
    strength: f64,
    coef: &'static [f64],
    intercept: &'static [f64],
    /// `predict_proba` of the first five points, row by row.
    proba: &'static [f64],
    /// Agreement expected: lbfgs converges to 1e-12; saga's stopping rule is looser.
    tolerance: f64,
}

const BINARY: [Reference; 4] = [
    Reference {
        penalty: Penalty::L2,
        strength: 0.05,
        coef: &[0.12784639629573388, -0.4380695403337361, 1.0573569732757246],
        intercept: &[-0.32774778844060315],
        proba: &[
            0.5734189438010575,
            0.4265810561989425,
            0.06295457573000185,
            0.9370454242699982,
            0.31488486355689804,
            0.685115136443102,
            0.5718967331625058,
            0.4281032668374943,
            0.6606618365880688,
            0.3393381634119313,
        ],
        tolerance: 1e-8,
    },
    Reference {
        penalty: Penalty::None,
        strength: 0.0,
        coef: &[0.27663318954647326, -0.7786119062130605, 1.8076126734836686],
        intercept: &[-0.3372459147716768],
        proba: &[
            0.5589504566211569,
            0.44104954337884306,
            0.008336234255655661,
            0.9916637657443443,
            0.17126306930182833,
            0.8287369306981717,
            0.568433817147852,
            0.43156618285214793,
            0.7215573390016987,
            0.27844266099830123,
        ],
        tolerance: 1e-8,
    },
    Reference {
        penalty: Penalty::L1,
        strength: 0.05,
        coef: &[0.0, -0.27535817948144375, 1.0187684804407218],
        intercept: &[-0.31744317630418145],
        proba: &[
            0.6092558362297295,
            0.39074416377027055,
            0.06900469541114107,
            0.9309953045888589,
            0.30946379926971457,
            0.6905362007302854,
            0.553215350049566,
            0.44678464995043393,
            0.6114436581522953,
            0.38855634184770477,
        ],
        tolerance: 1e-6,
    },
    Reference {
        penalty: Penalty::ElasticNet { l1_ratio: 0.5 },
        strength: 0.05,
        coef: &[0.008261480664046786, -0.36809249059017907, 1.035002458177835],
        intercept: &[-0.31480301987295745],
        proba: &[
            0.59297876606276,
            0.40702123393724,
            0.058973406870276746,
            0.9410265931297233,
            0.32772368384483097,
            0.672276316155169,
            0.567059557146635,
            0.43294044285336497,
            0.639198107961808,
            0.360801892038192,
        ],
        tolerance: 1e-6,
    },
];

const MULTI: [Reference; 4] = [
    Reference {
        penalty: Penalty::L2,
        strength: 0.05,
        coef: &[
            -1.1635262708742118,
            0.12240577883060502,
            0.1912007942577897,
            0.8523016545722863,
            1.055689872148794,
            0.18961059521712925,
            0.3112246163019255,
            -1.1780956509793994,
            -0.38081138947491877,
        ],
        intercept: &[0.1665742002225284, -0.1750309620326898, 0.008456761810161478],
        proba: &[
            0.46678989876668137,
            0.41236902982122026,
            0.12084107141209838,
            0.02606954399978335,
            0.9542758643822425,
            0.01965459161797401,
            0.04076710764328015,
            0.010490780172629418,
            0.9487421121840905,
            0.6754753739912378,
            0.050203977193554496,
            0.2743206488152077,
            0.33621454708779386,
            0.5248337921878071,
            0.13895166072439893,
        ],
        tolerance: 1e-8,
    },
    Reference {
        penalty: Penalty::None,
        strength: 0.0,
        coef: &[
            -5.833465187307918,
            -2.2095582143236023,
            -1.3606449553843065,
            7.062969602447834,
            7.392745291781208,
            2.3156882288884435,
            -1.2295044151398715,
            -5.183187077457572,
            -0.9550432735041726,
        ],
        intercept: &[1.0116302470364509, -3.0988000279928074, 2.087169780956365],
        proba: &[
            0.8839603982375231,
            0.08630098306687019,
            0.029738618695606726,
            4.3856451662285874e-13,
            0.9999999999827953,
            1.676605829447167e-11,
            0.00045268793357792044,
            8.454320313644937e-13,
            0.9995473120655767,
            0.8765399706351683,
            1.0685182595718245e-09,
            0.12346002829631354,
            0.2635117223510793,
            0.7051270731635019,
            0.03136120448541875,
        ],
        // Large weights of a nearly separable problem, where lbfgs stops on its `ftol` test with a
        // gradient of 2.2e-9 (ours: 5e-14, and a lower objective, 0.20425265955782293 against
        // 0.20425265955782404): the coefficients then agree to about 1e-6.
        tolerance: 5e-6,
    },
    Reference {
        penalty: Penalty::L1,
        strength: 0.05,
        coef: &[
            -1.8538727041106633,
            0.0,
            0.0,
            0.375811354588451,
            0.833838621406177,
            0.0,
            0.0,
            -1.5443455850574626,
            0.0,
        ],
        intercept: &[0.058204714622868164, -0.1632463399584771, 0.10504162533562815],
        proba: &[
            0.5015325672647866,
            0.4262944621595358,
            0.07217297057567762,
            0.01960055947512716,
            0.9477432290558925,
            0.032656211468980546,
            0.029773865528234203,
            0.011105763881068879,
            0.959120370590697,
            0.6962468695062877,
            0.04995416677522528,
            0.2537989637184871,
            0.3523520691067872,
            0.5620679595600879,
            0.08557997133312478,
        ],
        tolerance: 1e-6,
    },
    Reference {
        penalty: Penalty::ElasticNet { l1_ratio: 0.5 },
        strength: 0.05,
        coef: &[
            -1.4414367202570388,
            0.0,
            0.0,
            0.6613730754142326,
            0.9922144803824501,
            0.0,
            0.0,
            -1.299357867855941,
            -0.2757094955027457,
        ],
        intercept: &[0.14581033565355866, -0.23633904056977767, 0.09052870491621337],
        proba: &[
            0.4762978203564449,
            0.41429789635655445,
            0.10940428328700072,
            0.022353010257409642,
            0.9556618189136181,
            0.021985170828972105,
            0.04674657938326666,
            0.010674055343409197,
            0.9425793652733241,
            0.6611755533558332,
            0.04246223934927146,
            0.29636220729489543,
            0.34144675750121917,
            0.537775971303357,
            0.12077727119542389,
        ],
        tolerance: 1e-6,
    },
];

fn check_against(reference: &Reference, data: &Dataset, features: FeatureMap) {
    check_weighted_against(reference, data, features, None);
}

fn check_weighted_against(
    reference: &Reference,
    data: &Dataset,
    features: FeatureMap,
    class_weight: Option<ClassWeight>,
) {
    let mut model =
        LogisticParams { class_weight, ..params(features, reference.penalty, reference.strength) }.build(0).unwrap();
    model.fit(data).unwrap();
    assert!(model.converged(), "{:?}: not converged after {} iterations", reference.penalty, model.iterations());
    let c = model.standardized_coefficients();
    let coef: Vec<f64> = c.weights.concat();
    let label = format!("{:?} with {} classes", reference.penalty, data.task_classes());
    for (got, want) in coef.iter().zip(reference.coef).chain(c.intercepts.iter().zip(reference.intercept)) {
        assert!((got - want).abs() < reference.tolerance, "{label}: coef {coef:?} intercepts {:?}", c.intercepts);
    }
    // L1 zeros are exact zeros.
    for (got, want) in coef.iter().zip(reference.coef) {
        if *want == 0.0 {
            assert_eq!(*got, 0.0, "{label}: {coef:?}");
        }
    }
    assert_eq!(coef.len(), reference.coef.len());
    let proba = model.predict(&data.x.rows(0, 5).into_owned()).unwrap();
    for i in 0..5 {
        for k in 0..proba.ncols() {
            let want = reference.proba[i * proba.ncols() + k];
            assert!((proba[(i, k)] - want).abs() < reference.tolerance, "{label}: proba {proba}");
        }
    }
}

trait Classes {
    fn task_classes(&self) -> usize;
}

impl Classes for Dataset {
    fn task_classes(&self) -> usize {
        match self.task {
            Task::Classification { n_classes } => n_classes,
            Task::Regression => 0,
        }
    }
}

#[test]
fn binary_matches_scikit_learn() {
    for reference in &BINARY {
        check_against(reference, &binary_data(), binary_features());
    }
}

#[test]
fn multinomial_matches_scikit_learn() {
    for reference in &MULTI {
        check_against(reference, &multi_data(), multi_features());
    }
}

// Class weights, from scikit-learn 1.9.1 with the data above (the multinomial rows thinned to
// classes of 15, 15 and 5 rows). Ours minimises Σ w·CE / Σ w + λ·penalty, so C = 1/(λ·Σ w).
// L2 with solver "newton-cholesky" (lbfgs stops ~1e-8 short of the optimum with class weights),
// L1 with "saga":
//
//   keep = [i for i in range(45) if i % 3 != 2 or i < 15]
//   Xm, ym = Xm[keep], ym[keep]
//   def run(X, y, phi, lam, l1_ratio, solver, cw):
//       w = (len(y)/(len(np.unique(y))*np.bincount(y)))[y] if cw == "balanced" else np.array([cw[c] for c in y])
//       m = make_pipeline(FunctionTransformer(phi), StandardScaler(),
//           LogisticRegression(C=1/(w.sum()*lam), l1_ratio=l1_ratio, solver=solver, tol=1e-12,
//                              max_iter=1000000, class_weight=cw)).fit(X, y)
//       print(m[-1].coef_.ravel().tolist(), m[-1].intercept_.tolist(), m.predict_proba(X[:5]).ravel().tolist())
//   for cw in ["balanced", {0: 1, 1: 3}]:
//       for lam, r, solver in [(0.05, 0, "newton-cholesky"), (0.05, 1, "saga")]:
//           run(Xb, yb, phi_b, lam, r, solver, cw)
//   for cw in ["balanced", {0: 1, 1: 3, 2: 2}]:
//       run(Xm, ym, phi_m, 0.05, 0, "newton-cholesky", cw)
const BINARY_BALANCED: [Reference; 2] = [
    Reference {
        penalty: Penalty::L2,
        strength: 0.05,
        coef: &[0.12464683330166616, -0.44218751515503535, 1.0614633781101663],
        intercept: &[-0.04497142218588423],
        proba: &[
            0.5031785166748717,
            0.4968214833251283,
            0.04719013088135848,
            0.9528098691186415,
            0.2578178292269411,
            0.7421821707730589,
            0.5023805830314163,
            0.49761941696858364,
            0.5958739761480933,
            0.4041260238519067,
        ],
        tolerance: 1e-10,
    },
    Reference {
        penalty: Penalty::L1,
        strength: 0.05,
        coef: &[0.0, -0.2842024915475686, 1.025565224392432],
        intercept: &[-0.03385547665359561],
        proba: &[
            0.5390159021559451,
            0.4609840978440549,
            0.05138062003763855,
            0.9486193799623615,
            0.2526212794045821,
            0.7473787205954179,
            0.4836029840738152,
            0.5163970159261848,
            0.5449246807301326,
            0.45507531926986744,
        ],
        tolerance: 1e-6,
    },
];

const BINARY_ONE_THREE: [Reference; 2] = [
    Reference {
        penalty: Penalty::L2,
        strength: 0.05,
        coef: &[0.1102705994999795, -0.42672798129854117, 1.0275653746641777],
        intercept: &[0.6973344111199997],
        proba: &[
            0.3266785199202781,
            0.6733214800797219,
            0.024916252886455825,
            0.9750837471135442,
            0.14742853543930845,
            0.8525714645606915,
            0.3253199317939862,
            0.6746800682060138,
            0.40948938361150533,
            0.5905106163884947,
        ],
        tolerance: 1e-10,
    },
    Reference {
        penalty: Penalty::L1,
        strength: 0.05,
        coef: &[0.0, -0.23541483077467465, 0.9789242823285861],
        intercept: &[0.7079932330652349],
        proba: &[
            0.3623602311954758,
            0.6376397688045242,
            0.030201561142584876,
            0.9697984388574151,
            0.13922315480073189,
            0.8607768451992681,
            0.30395914298513327,
            0.6960408570148667,
            0.3505003027443985,
            0.6494996972556015,
        ],
        tolerance: 1e-6,
    },
];

const MULTI_BALANCED: Reference = Reference {
    penalty: Penalty::L2,
    strength: 0.05,
    coef: &[
        -1.141434349774485,
        0.17687313248617018,
        0.19544224893855225,
        0.9119046049883084,
        0.9935973758524705,
        0.27300221363107163,
        0.2295297447861762,
        -1.1704705083386404,
        -0.46844446256962385,
    ],
    intercept: &[0.35542442654701634, 0.16106742158247522, -0.5164918481294914],
    proba: &[
        0.4797365542171808,
        0.418920075563263,
        0.1013433702195562,
        0.02809687038524461,
        0.9615714708163203,
        0.010331658798434968,
        0.028530469681096054,
        0.006567512268870493,
        0.9649020180500334,
        0.6288241439871751,
        0.050917316221709294,
        0.32025853979111574,
        0.35599163549318996,
        0.5299200077291171,
        0.11408835677769295,
    ],
    tolerance: 1e-10,
};

const MULTI_ONE_THREE_TWO: Reference = Reference {
    penalty: Penalty::L2,
    strength: 0.05,
    coef: &[
        -1.0372882087788797,
        0.0031428049593492714,
        0.2038154559212471,
        0.9647114866131761,
        0.9890331701973349,
        0.18390575268747295,
        0.07257672216570331,
        -0.9921759751566842,
        -0.38772120860871995,
    ],
    intercept: &[0.14705939626924236, 0.6680326396046044, -0.8150920358738469],
    proba: &[
        0.28848200898941273,
        0.6403359625133657,
        0.07118202849722151,
        0.012939579657807369,
        0.9822115079479766,
        0.00484891239421599,
        0.08031203520657165,
        0.02671471709924681,
        0.8929732476941815,
        0.6357644184478024,
        0.09752913575039489,
        0.26670644580180264,
        0.19564038285368598,
        0.7364021356785851,
        0.06795748146772883,
    ],
    tolerance: 1e-10,
};

/// The multinomial data without every third row of class 2 after the first 15 rows (classes of
/// 15, 15 and 5 rows).
fn thinned_multi_data() -> Dataset {
    let data = multi_data();
    let keep: Vec<usize> = (0..45).filter(|i| i % 3 != 2 || *i < 15).collect();
    let x = data.x.select_rows(keep.iter());
    let y: Vec<f64> = keep.iter().map(|&i| data.y[i]).collect();
    let rows: Vec<f64> = (0..keep.len()).flat_map(|r| [x[(r, 0)], x[(r, 1)]]).collect();
    Dataset::from_rows(&rows, 2, &y, Task::Classification { n_classes: 3 }).unwrap()
}

#[test]
fn class_weights_match_scikit_learn() {
    for reference in &BINARY_BALANCED {
        check_weighted_against(reference, &binary_data(), binary_features(), Some(ClassWeight::Balanced));
    }
    for reference in &BINARY_ONE_THREE {
        let weights = Some(ClassWeight::Weights(vec![1.0, 3.0]));
        check_weighted_against(reference, &binary_data(), binary_features(), weights);
    }
    let data = thinned_multi_data();
    assert_eq!(data.len(), 35);
    check_weighted_against(&MULTI_BALANCED, &data, multi_features(), Some(ClassWeight::Balanced));
    let weights = Some(ClassWeight::Weights(vec![1.0, 3.0, 2.0]));
    check_weighted_against(&MULTI_ONE_THREE_TWO, &data, multi_features(), weights);
}

#[test]
fn newton_converges_in_few_iterations() {
    let mut model = params(binary_features(), Penalty::L2, 0.05).build(0).unwrap();
    model.fit(&binary_data()).unwrap();
    assert!(model.iterations() <= 10, "{} iterations", model.iterations());
}

/// Runs `epochs` full-batch or mini-batch epochs and returns the objective.
fn descend(p: &LogisticParams, data: &Dataset, epochs: usize) -> f64 {
    let mut model = p.build(0).unwrap();
    let mut r = rng(3);
    for _ in 0..epochs {
        model.step(data, &mut r).unwrap();
    }
    assert!(model.is_trained() && !model.converged());
    model.objective(data).unwrap()
}

#[test]
fn gradient_descent_reaches_the_newton_objective() {
    for (data, features) in [(binary_data(), binary_features()), (multi_data(), multi_features())] {
        for penalty in [Penalty::L2, Penalty::L1, Penalty::ElasticNet { l1_ratio: 0.5 }] {
            let mut p = params(features, penalty, 0.05);
            let mut newton = p.build(0).unwrap();
            newton.fit(&data).unwrap();
            let best = newton.objective(&data).unwrap();
            // Full-batch gradient descent (proximal for the L1 part) with a safe step.
            p.train = TrainParams { learning_rate: 0.5, batch_size: 0, ..TrainParams::default() };
            let gd = descend(&p, &data, 3000);
            assert!(gd >= best - 1e-12, "{penalty:?}: below the minimum? {gd} < {best}");
            assert!(gd - best < 1e-8, "{penalty:?}: gradient descent {gd} vs Newton {best}");
            // Adam on mini-batches gets close too.
            p.train = TrainParams {
                learning_rate: 0.01,
                batch_size: 16,
                optimizer: OptimizerKind::Adam { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
                ..TrainParams::default()
            };
            let adam = descend(&p, &data, 500);
            assert!(adam - best < 0.01, "{penalty:?}: Adam {adam} vs Newton {best}");
        }
    }
}

#[test]
fn weighted_gradient_descent_reaches_the_weighted_newton_objective() {
    for (data, features, class_weight) in [
        (binary_data(), binary_features(), ClassWeight::Weights(vec![1.0, 3.0])),
        (thinned_multi_data(), multi_features(), ClassWeight::Balanced),
    ] {
        let mut p = LogisticParams { class_weight: Some(class_weight.clone()), ..params(features, Penalty::L2, 0.05) };
        let mut newton = p.build(0).unwrap();
        newton.fit(&data).unwrap();
        let best = newton.objective(&data).unwrap();
        // The unweighted model is worse on the weighted objective: the weights moved the optimum.
        let mut plain = LogisticParams { class_weight: None, ..p.clone() }.build(0).unwrap();
        plain.fit(&data).unwrap();
        let mut judged = plain.clone();
        judged.params.class_weight = Some(class_weight.clone());
        assert!(judged.objective(&data).unwrap() > best + 1e-4, "{class_weight:?}");
        p.train = TrainParams { learning_rate: 0.5, batch_size: 0, ..TrainParams::default() };
        let gd = descend(&p, &data, 3000);
        assert!(gd >= best - 1e-12 && gd - best < 1e-8, "{class_weight:?}: gradient descent {gd} vs Newton {best}");
        // Mini-batches divide by the batch size times the mean weight: Adam still gets close.
        p.train = TrainParams {
            learning_rate: 0.01,
            batch_size: 8,
            optimizer: OptimizerKind::Adam { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
            ..TrainParams::default()
        };
        let adam = descend(&p, &data, 500);
        assert!(adam - best < 0.01, "{class_weight:?}: Adam {adam} vs Newton {best}");
    }
}

#[test]
fn balanced_weights_raise_the_minority_recall() {
    let spec =
        |seed| DataSpec { kind: DatasetKind::Imbalanced, n: 400, ratio: 0.1, noise: 0.5, seed, ..DataSpec::default() };
    let (train, test) = (generate(&spec(1)).unwrap(), generate(&spec(2)).unwrap());
    let recall = |class_weight: Option<ClassWeight>, solver: Solver| {
        let p = LogisticParams { class_weight, solver, ..LogisticParams::default() };
        let mut model = p.build(0).unwrap();
        if solver == Solver::Newton {
            model.fit(&train).unwrap();
        } else {
            let mut r = rng(1);
            for _ in 0..200 {
                model.step(&train, &mut r).unwrap();
            }
        }
        let predicted = crate::metrics::predicted_classes(&model.predict(&test.x).unwrap());
        crate::metrics::recall(test.y.as_slice(), &predicted, 1)
    };
    for solver in [Solver::Newton, Solver::Gradient] {
        let (plain, balanced) = (recall(None, solver), recall(Some(ClassWeight::Balanced), solver));
        assert!(balanced > plain + 0.2, "{solver:?}: minority recall {plain} → {balanced}");
    }
}

#[test]
fn class_weights_must_match_the_classes() {
    let p =
        LogisticParams { class_weight: Some(ClassWeight::Weights(vec![1.0, 2.0, 3.0])), ..LogisticParams::default() };
    let data = binary_data();
    let mut model = p.build(0).unwrap();
    for err in [model.fit(&data).unwrap_err(), model.step(&data, &mut rng(0)).unwrap_err()] {
        assert!(matches!(err, Error::InvalidParameter(_)) && err.to_string().contains("one weight per class"), "{err}");
    }
    let bad = LogisticParams { class_weight: Some(ClassWeight::Weights(vec![1.0, -2.0])), ..LogisticParams::default() };
    assert!(matches!(bad.build(0).unwrap_err(), Error::InvalidParameter(_)));
    // The JSON form, and the default (null) when the field is absent.
    let p = LogisticParams { class_weight: Some(ClassWeight::Weights(vec![1.0, 2.5])), ..LogisticParams::default() };
    let json = serde_json::to_string(&p).unwrap();
    assert!(json.contains(r#""class_weight":{"weights":[1.0,2.5]}"#), "{json}");
    assert_eq!(serde_json::from_str::<LogisticParams>(&json).unwrap(), p);
    let p: LogisticParams = serde_json::from_str(r#"{"class_weight":"balanced"}"#).unwrap();
    assert_eq!(p.class_weight, Some(ClassWeight::Balanced));
    assert_eq!(serde_json::from_str::<LogisticParams>("{}").unwrap().class_weight, None);
}

#[test]
fn a_step_lowers_the_objective_from_zero() {
    let data = binary_data();
    let p = params(binary_features(), Penalty::L2, 0.05);
    let untrained = p.build(0).unwrap();
    assert!((untrained.objective(&data).unwrap() - 2f64.ln()).abs() < 1e-15);
    assert!(descend(&p, &data, 1) < 2f64.ln());
}

#[test]
fn xor_is_separable_with_the_product_feature() {
    let data = generate(&DataSpec {
        kind: DatasetKind::Xor,
        n: 400,
        noise: 0.1,
        seed: 4,
        classes: 2,
        ratio: 1.0,
        ..DataSpec::default()
    })
    .unwrap();
    let accuracy = |features: FeatureMap| {
        let mut model = params(features, Penalty::L2, 0.001).build(0).unwrap();
        model.fit(&data).unwrap();
        let proba = model.predict(&data.x).unwrap();
        crate::metrics::accuracy(data.y.as_slice(), &crate::metrics::predicted_classes(&proba))
    };
    let plain = accuracy(FeatureMap::default());
    let with_product = accuracy(binary_features());
    assert!(plain < 0.7, "a line cannot separate xor: {plain}");
    assert!(with_product > 0.95, "x1·x2 separates xor: {with_product}");
}

#[test]
fn circle_and_blobs_fit_well() {
    let circle =
        generate(&DataSpec { kind: DatasetKind::Circle, n: 300, noise: 0.1, seed: 2, ..DataSpec::default() }).unwrap();
    let squares = FeatureMap { x1_squared: true, x2_squared: true, ..FeatureMap::default() };
    let mut model = params(squares, Penalty::L2, 0.001).build(0).unwrap();
    model.fit(&circle).unwrap();
    let scores = crate::metrics::ClassificationScores::compute(circle.y.as_slice(), &model.predict(&circle.x).unwrap());
    assert!(scores.accuracy > 0.97, "{}", scores.accuracy);

    let blobs = generate(&DataSpec {
        kind: DatasetKind::Blobs,
        n: 500,
        noise: 0.1,
        seed: 2,
        classes: 5,
        ratio: 1.0,
        ..DataSpec::default()
    })
    .unwrap();
    let mut model = params(FeatureMap::default(), Penalty::L2, 0.001).build(0).unwrap();
    model.fit(&blobs).unwrap();
    let proba = model.predict(&blobs.x).unwrap();
    assert_eq!(proba.shape(), (500, 5));
    assert!(proba.row_iter().all(|r| (r.sum() - 1.0).abs() < 1e-12));
    let scores = crate::metrics::ClassificationScores::compute(blobs.y.as_slice(), &proba);
    assert!(scores.accuracy > 0.95, "{}", scores.accuracy);
}

#[test]
fn logits_and_coefficients_describe_the_same_scores() {
    for (data, features) in [(binary_data(), binary_features()), (multi_data(), multi_features())] {
        let mut model = params(features, Penalty::L2, 0.05).build(0).unwrap();
        model.fit(&data).unwrap();
        let z = model.logits(&data.x).unwrap();
        let proba = model.predict(&data.x).unwrap();
        let raw = model.coefficients();
        let phi = features.apply(&data.x).unwrap();
        assert_eq!(z.ncols(), raw.weights.len());
        for i in 0..data.len() {
            for (r, (w, b)) in raw.weights.iter().zip(&raw.intercepts).enumerate() {
                let by_hand: f64 = w.iter().enumerate().map(|(j, w)| w * phi[(i, j)]).sum::<f64>() + b;
                assert!((by_hand - z[(i, r)]).abs() < 1e-10);
            }
            if z.ncols() == 1 {
                assert!((proba[(i, 1)] - 1.0 / (1.0 + (-z[(i, 0)]).exp())).abs() < 1e-15);
                assert!((proba[(i, 0)] + proba[(i, 1)] - 1.0).abs() < 1e-15);
            }
        }
        assert_eq!(raw.feature_names, features.names());
    }
}

#[test]
fn summary_names_the_features() {
    let mut model = params(binary_features(), Penalty::L2, 0.05).build(0).unwrap();
    assert_eq!(model.summary().code, "logistic.untrained");
    model.fit(&binary_data()).unwrap();
    let summary = model.summary();
    assert_eq!(summary.code, "logistic");
    let crate::model::Formula::Logistic { scores } = &summary.formula else { panic!("{:?}", summary.formula) };
    let features: Vec<&str> = scores[0].terms.iter().map(|t| t.feature.as_str()).collect();
    assert_eq!(features, vec!["x1", "x2", "x1·x2"]);
    assert_eq!(scores[0].terms[2].coefficient, model.coefficients().weights[0][2]);
    assert_eq!(scores[0].intercept, model.coefficients().intercepts[0]);
    let names: Vec<&str> = summary.parameters.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, vec!["x1", "x2", "x1·x2", "intercept"]);
    let raw = model.coefficients();
    assert_eq!(summary.parameters[2].1, raw.weights[0][2]);

    let mut multi = params(multi_features(), Penalty::L2, 0.05).build(0).unwrap();
    multi.fit(&multi_data()).unwrap();
    let summary = multi.summary();
    assert_eq!(summary.code, "logistic.softmax");
    let crate::model::Formula::Logistic { scores } = &summary.formula else { panic!("{:?}", summary.formula) };
    assert_eq!(scores.len(), 3);
    assert_eq!(summary.parameters.len(), 12);
}

#[test]
fn one_class_and_regression_data_are_refused() {
    let one_class =
        Dataset::from_rows(&[0.0, 1.0, 2.0, 3.0], 2, &[1.0, 1.0], Task::Classification { n_classes: 2 }).unwrap();
    let mut model = LogisticParams::default().build(0).unwrap();
    let fit = model.fit(&one_class).unwrap_err();
    assert!(matches!(&fit, Error::InvalidData(m) if m.to_string().contains("one class")), "{fit}");
    assert!(model.step(&one_class, &mut rng(1)).is_err());
    assert!(!model.is_trained());

    let regression = generate(&DataSpec::default()).unwrap();
    let err = model.fit(&regression).unwrap_err();
    assert!(err.to_string().contains("linear regression"), "{err}");
    assert!(model.fit(&binary_data().select(&[])).is_err());
}

#[test]
fn nan_and_bad_input_never_panic() {
    let mut model = LogisticParams::default().build(0).unwrap();
    // A dataset built field by field can bypass `Dataset::new`'s checks.
    let mut nan = binary_data();
    nan.x[(3, 1)] = f64::NAN;
    assert!(matches!(model.fit(&nan), Err(Error::InvalidData(m)) if m.to_string().contains("row 4")));
    assert!(model.step(&nan, &mut rng(1)).is_err());
    let mut bad_label = binary_data();
    bad_label.y[0] = 7.0;
    assert!(model.fit(&bad_label).is_err());
    bad_label.y[0] = f64::NAN;
    assert!(model.fit(&bad_label).is_err());
    let mut too_many = binary_data();
    too_many.task = Task::Classification { n_classes: 1000 };
    assert!(model.fit(&too_many).is_err());

    model.fit(&binary_data()).unwrap();
    assert!(model.predict(&DMatrix::from_element(2, 2, f64::NAN)).is_err());
    assert!(model.predict(&DMatrix::from_element(2, 2, 1e300)).is_ok());
    assert!(model.predict(&DMatrix::zeros(2, 3)).is_err());
    assert!(model.objective(&nan).is_err());
    assert_eq!(model.predict(&DMatrix::zeros(0, 2)).unwrap().shape(), (0, 2));
    // Data with another number of classes than the model was trained on.
    assert!(model.objective(&multi_data()).is_err());

    for bad in [
        LogisticParams { strength: f64::NAN, ..LogisticParams::default() },
        LogisticParams { strength: -1.0, ..LogisticParams::default() },
        LogisticParams { tolerance: 0.0, ..LogisticParams::default() },
        LogisticParams { max_iter: 0, ..LogisticParams::default() },
        LogisticParams { penalty: Penalty::ElasticNet { l1_ratio: 1.5 }, ..LogisticParams::default() },
        LogisticParams {
            features: FeatureMap { x1: false, x2: false, ..FeatureMap::default() },
            ..LogisticParams::default()
        },
    ] {
        assert!(matches!(bad.build(0), Err(Error::InvalidParameter(_))), "{bad:?}");
    }

    // An imported model whose weights do not match its features is refused, not indexed.
    let mut json: serde_json::Value = serde_json::to_value(&model).unwrap();
    json["weights"] = serde_json::json!([1.0, 2.0]);
    let broken: LogisticRegression = serde_json::from_value(json).unwrap();
    assert!(matches!(broken.predict(&binary_data().x), Err(Error::InvalidInput(_))));
    assert!(broken.objective(&binary_data()).is_err());
    assert!(broken.standardized_coefficients().weights.is_empty());
    let _ = broken.summary();
}

#[test]
fn untrained_model_predicts_even_odds() {
    let model = LogisticParams::default().build(0).unwrap();
    let proba = model.predict(&DMatrix::zeros(3, 2)).unwrap();
    assert_eq!(proba, DMatrix::from_element(3, 2, 0.5));
    assert_eq!(model.logits(&DMatrix::zeros(3, 2)).unwrap(), DMatrix::zeros(3, 1));
    assert!(model.n_classes().is_none() && !model.is_trained());
}

#[test]
fn runaway_learning_rate_is_reported_as_divergence() {
    // With λ = 100 and a learning rate of 100 each update multiplies the weights by about −10⁴.
    let p = LogisticParams {
        strength: 100.0,
        train: TrainParams { learning_rate: 100.0, ..TrainParams::default() },
        ..LogisticParams::default()
    };
    let mut model = p.build(0).unwrap();
    let data = binary_data();
    let mut r = rng(1);
    let outcome = (0..200).map(|_| model.step(&data, &mut r)).find(|s| s.is_err());
    assert!(matches!(outcome, Some(Err(Error::Diverged(_)))), "{outcome:?}");
}

#[test]
fn serde_round_trip_and_registry() {
    let mut model = params(multi_features(), Penalty::L1, 0.02).build(0).unwrap();
    model.fit(&multi_data()).unwrap();
    let json = serde_json::to_string(&model).unwrap();
    let back: LogisticRegression = serde_json::from_str(&json).unwrap();
    // serde_json's float parsing may be off by an ulp, so compare to rounding.
    let (a, b) = (back.predict(&multi_data().x).unwrap(), model.predict(&multi_data().x).unwrap());
    assert!(a.iter().zip(b.iter()).all(|(x, y)| (x - y).abs() < 1e-12));
    assert_eq!(back.standardized_coefficients().feature_names, model.standardized_coefficients().feature_names);

    let params: ModelParams = serde_json::from_str(
        r#"{"kind": "logistic", "features": {"x1_x2": true}, "penalty": {"kind": "elastic_net", "l1_ratio": 0.3}, "strength": 0.1}"#,
    )
    .unwrap();
    assert_eq!(params.kind(), "logistic");
    let ModelParams::Logistic(p) = &params else { panic!("not logistic") };
    assert_eq!(p.penalty, Penalty::ElasticNet { l1_ratio: 0.3 });
    assert_eq!(p.features, binary_features());
    let mut any = params.build(1).unwrap();
    any.fit(&binary_data()).unwrap();
    assert!(matches!(any, AnyModel::Logistic(_)) && any.is_trained() && any.is_finite());
    assert_eq!(any.predict(&binary_data().x).unwrap().ncols(), 2);
    let solver: Solver = serde_json::from_str("\"gradient\"").unwrap();
    assert_eq!(solver, Solver::Gradient);
}

#[test]
fn absent_classes_and_separable_data_are_handled() {
    // A three-class task whose data only hold classes 0 and 1.
    let data = Dataset::from_rows(&XB, 2, &YB, Task::Classification { n_classes: 3 }).unwrap();
    let mut model = params(FeatureMap::default(), Penalty::L2, 0.01).build(0).unwrap();
    model.fit(&data).unwrap();
    let proba = model.predict(&data.x).unwrap();
    assert_eq!(proba.ncols(), 3);
    assert!(proba.column(2).iter().all(|&p| p < 1e-3), "the absent class gets almost no probability");

    // Separable data without penalty: the weights grow but stay finite.
    let separable =
        generate(&DataSpec { kind: DatasetKind::Separable, n: 100, noise: 0.0, seed: 1, ..DataSpec::default() })
            .unwrap();
    let mut model = params(FeatureMap::default(), Penalty::None, 0.0).build(0).unwrap();
    model.fit(&separable).unwrap();
    assert!(model.is_finite());
    let proba = model.predict(&separable.x).unwrap();
    assert_eq!(crate::metrics::accuracy(separable.y.as_slice(), &crate::metrics::predicted_classes(&proba)), 1.0);
}

#[test]
fn balanced_weights_come_from_the_training_fold_only() {
    use crate::evaluate::scoring::ScoreMetric;
    use crate::evaluate::{cross_validation::score_fold, folds::Fold};
    use crate::pipeline::Pipeline;
    // Training rows: the first 24 (class 1 is rarer there than in all 40 rows).
    let data = binary_data();
    let fold = Fold { train: (0..24).collect(), test: (24..40).collect() };
    let train = data.select(&fold.train);
    let ones = train.y.iter().filter(|&&y| y == 1.0).count() as f64;
    let fold_weights = vec![24.0 / (2.0 * (24.0 - ones)), 24.0 / (2.0 * ones)];
    let all_ones = data.y.iter().filter(|&&y| y == 1.0).count() as f64;
    let all_weights = vec![40.0 / (2.0 * (40.0 - all_ones)), 40.0 / (2.0 * all_ones)];
    assert!((fold_weights[1] - all_weights[1]).abs() > 0.05, "{fold_weights:?} vs {all_weights:?}");
    let score = |class_weight| {
        let params =
            ModelParams::Logistic(LogisticParams { class_weight: Some(class_weight), ..LogisticParams::default() });
        score_fold(&params, &data, &fold, 0, &Pipeline::default(), ScoreMetric::LogLoss, 1).unwrap().0
    };
    let balanced = score(ClassWeight::Balanced);
    assert_eq!(balanced, score(ClassWeight::Weights(fold_weights)));
    assert_ne!(balanced, score(ClassWeight::Weights(all_weights)));
}

/// Deterministic `rows` × `features` data with `classes` classes decided by the first columns.
fn wide(rows: usize, features: usize, classes: usize) -> Dataset {
    let x: Vec<f64> =
        (0..rows * features).map(|i| ((i * 7919) % 1013) as f64 / 101.3 - 5.0 + (i as f64 * 0.37).sin()).collect();
    let y: Vec<f64> = (0..rows).map(|r| (r % classes) as f64).collect();
    Dataset::from_rows(&x, features, &y, Task::Classification { n_classes: classes }).unwrap()
}

#[test]
fn more_features_than_rows_solves_in_the_row_space_at_the_full_optimum() {
    // Issue 10 item 17: 5 rows × 10,000 features took over 15 minutes (a 10,001² Newton system).
    // The row-space solution must be the full problem's optimum: the full objective's gradient
    // (an independent check: it uses the whole p-dimensional design) vanishes there.
    for (rows, features, classes, penalty) in
        [(6, 40, 2, Penalty::L2), (9, 25, 3, Penalty::L2), (6, 40, 2, Penalty::ElasticNet { l1_ratio: 0.0 })]
    {
        let data = wide(rows, features, classes);
        let params = LogisticParams { penalty, strength: 0.05, tolerance: 1e-10, ..Default::default() };
        let mut model = params.build(0).unwrap();
        model.fit(&data).unwrap();
        let (scaler, s, _) = model.layout().unwrap().unwrap();
        let design = model.design(&data.x, scaler).unwrap();
        let (labels, l2) = (class_labels(&data).unwrap().1, model.penalty_terms().0);
        let objective = Objective::new(&design, &labels, s, l2, 0.0);
        let mut work = Work::new(rows, s);
        objective.value(&model.weights, &mut work);
        let grad = objective.gradient(&model.weights, &work);
        let optimality = objective.optimality(&model.weights, &grad);
        assert!(optimality < 1e-8, "{rows} × {features}, {classes} classes: optimality {optimality}");
        assert!(model.converged);
    }
}

#[test]
fn five_rows_by_ten_thousand_features_fit_at_once_or_are_refused_with_a_message() {
    let data = wide(5, 10_000, 2);
    let start = std::time::Instant::now();
    let mut model = LogisticParams::default().build(0).unwrap();
    model.fit(&data).unwrap();
    eprintln!("logistic (L2, Newton) on 5 × 10,000: {:?}", start.elapsed());
    let p = model.predict(&data.x).unwrap();
    for (i, y) in data.y.iter().enumerate() {
        assert!((p[(i, 1)] > 0.5) == (*y == 1.0), "row {i}: {}", p[(i, 1)]);
    }
    // L1 has no row-space form: Newton's system would be 10,001² numbers, refused with a message.
    let mut lasso = LogisticParams { penalty: Penalty::L1, ..Default::default() }.build(0).unwrap();
    let err = lasso.fit(&data).unwrap_err().to_string();
    assert!(err.contains("gradient-descent solver"), "{err}");
    // Gradient descent handles the width (one epoch is O(n·p)).
    let gradient = LogisticParams { penalty: Penalty::L1, solver: Solver::Gradient, ..Default::default() };
    let mut lasso = AnyModel::Logistic(gradient.build(0).unwrap());
    let mut r = rng(1);
    for _ in 0..5 {
        lasso.guarded_step(&data, &mut r).unwrap();
    }
}
