//! Gradient boosting (`src/model/boosting.rs`): staged predictions equal scikit-learn's
//! `GradientBoostingRegressor` / `GradientBoostingClassifier` (binary and three classes), one
//! stage per step, bad parameters and damaged model files.

use ml_playground::data::{rng, Dataset, Task};
use ml_playground::model::boosting::BoostingParams;
use ml_playground::model::{AnyModel, Hyperparams, Model, ModelParams};
use nalgebra::DMatrix;
use serde_json::json;

// Reference data and numbers from scikit-learn 1.9.1 (`python3 tests/parity/boosting.py`, which
// prints this block): 40 points in 2-D, 6 queries; staged_predict (regression) and
// staged_predict_proba (classification) after each of the 6 stages, row-major per stage. The
// script takes the first data seed on which scikit-learn's random tie-breaking between equally
// good splits changes nothing (10 random_states agree).
// data seed 139; n_estimators=6, learning_rate=0.3, max_depth=2
pub(crate) const X: [f64; 80] = [
    1.6477, -0.0588, -0.297, -0.304, -1.0072, -0.8402, -0.278, -0.2123, -0.1591, -0.7552, -1.311, 0.2073, -1.6902,
    1.7182, -0.0221, 0.0633, -2.8348, 0.4519, 1.2666, 0.0825, -0.8309, -0.1586, -1.1417, 0.2936, 0.6159, -1.7762,
    0.7035, 0.3942, 0.1097, 0.6771, 1.6646, -0.7259, -0.7368, 0.5495, 1.1692, -0.1216, -0.1882, -0.5231, -1.3223,
    2.4308, 1.0901, -0.2445, -0.0755, 0.3815, 0.2921, -0.4984, -1.731, -1.2653, -0.7171, 0.807, -0.143, -0.7167,
    0.1907, -0.2492, 0.1578, 0.1911, -1.4139, 0.1036, -0.4979, -1.2719, 0.4009, 0.8466, 0.4204, 1.29, 0.5238, 0.5389,
    -0.0039, 0.6955, 1.2051, 1.1999, 1.0506, 1.7283, 0.51, 0.2264, 0.264, 0.0905, 0.2133, 0.2766, 1.4473, -1.8947,
];
pub(crate) const Y_REG: [f64; 40] = [
    0.0563, -0.6238, -1.1687, -0.5853, -0.4546, -0.3264, 1.3449, -0.2951, 0.9668, 0.4927, -1.2716, -0.6551, -0.0193,
    1.0742, 0.8328, -0.4366, -0.2502, 0.7369, -0.8093, 0.6864, 0.5024, 0.1454, 0.2378, -0.1643, -0.6424, -0.448,
    0.2522, 0.4883, -0.2038, -1.4691, 1.0701, 1.576, 0.8995, 0.307, 1.3485, 1.8817, 1.2785, 0.6185, 0.5786, -0.9141,
];
pub(crate) const Y_BINARY: [f64; 40] = [
    1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0,
    1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0,
];
pub(crate) const Y_THREE: [f64; 40] = [
    2.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 2.0, 1.0, 0.0, 2.0, 1.0, 2.0, 2.0, 1.0, 2.0, 1.0, 0.0, 2.0, 1.0, 2.0,
    0.0, 0.0, 1.0, 1.0, 2.0, 0.0, 1.0, 2.0, 2.0, 2.0, 1.0, 2.0, 2.0, 2.0, 1.0, 1.0, 2.0,
];
pub(crate) const Q: [f64; 12] =
    [0.2525, 0.7718, -0.9234, 0.1296, 2.8985, -0.9442, 2.0497, -1.0994, -0.1904, -1.2147, -0.6154, -1.2313];
const STAGED_REG: [f64; 36] = [
    0.2125167631578947,
    0.2125167631578947,
    0.06815399999999996,
    0.06815399999999996,
    -0.14492850000000002,
    -0.14492850000000002,
    0.37439093596491224,
    0.011173100751879661,
    -0.09616847631578951,
    -0.09616847631578951,
    -0.34627216240601505,
    -0.34627216240601505,
    0.40353438681590337,
    -0.13195538930451134,
    -0.10321667002392347,
    -0.10321667002392347,
    -0.48940065246240605,
    -0.48940065246240605,
    0.5169888402900759,
    -0.15743474595310078,
    -0.16140255573393714,
    -0.16140255573393714,
    -0.5475865381724198,
    -0.5475865381724198,
    0.5248962091029071,
    -0.26053544288563696,
    -0.15349518692110592,
    -0.15349518692110592,
    -0.5396791693595885,
    -0.650687235104956,
    0.5624401033050505,
    -0.36612348803707445,
    -0.15980277598572223,
    -0.15980277598572223,
    -0.5459867584242049,
    -0.7562752802563935,
];
const STAGED_BINARY: [f64; 72] = [
    0.4948277707084088,
    0.5051722292915912,
    0.4948277707084088,
    0.5051722292915912,
    0.4948277707084088,
    0.5051722292915912,
    0.4948277707084088,
    0.5051722292915912,
    0.4948277707084088,
    0.5051722292915912,
    0.4948277707084088,
    0.5051722292915912,
    0.4454955423132704,
    0.5545044576867296,
    0.4454955423132704,
    0.5545044576867296,
    0.545613972426769,
    0.454386027573231,
    0.545613972426769,
    0.454386027573231,
    0.4454955423132704,
    0.5545044576867296,
    0.4454955423132704,
    0.5545044576867296,
    0.452190561434336,
    0.547809438565664,
    0.452190561434336,
    0.547809438565664,
    0.41826307965485876,
    0.5817369203451412,
    0.41826307965485876,
    0.5817369203451412,
    0.32480864622354544,
    0.6751913537764546,
    0.32480864622354544,
    0.6751913537764546,
    0.36662196709413464,
    0.6333780329058654,
    0.5717533497554779,
    0.42824665024452213,
    0.45802549746226495,
    0.541974502537735,
    0.45802549746226495,
    0.541974502537735,
    0.36120306620536047,
    0.6387969337946395,
    0.23166728736818498,
    0.768332712631815,
    0.37944260498869964,
    0.6205573950113004,
    0.670504885466351,
    0.329495114533649,
    0.47166223571829236,
    0.5283377642817076,
    0.47166223571829236,
    0.5283377642817076,
    0.2469485172329391,
    0.7530514827670609,
    0.16688748216444105,
    0.833112517835559,
    0.3191249554810066,
    0.6808750445189934,
    0.7136356230930373,
    0.2863643769069627,
    0.6004281046663817,
    0.3995718953336182,
    0.6004281046663817,
    0.3995718953336182,
    0.17737413532101365,
    0.8226258646789864,
    0.1163831879274978,
    0.8836168120725022,
];
const STAGED_THREE: [f64; 108] = [
    0.13787387384839744,
    0.5080590095145194,
    0.35406711663708323,
    0.19832579880891127,
    0.5346805248020069,
    0.26699367638908184,
    0.14136096102825318,
    0.2601167252813556,
    0.5985223136903913,
    0.14136096102825318,
    0.2601167252813556,
    0.5985223136903913,
    0.15325567746660773,
    0.5647402624066213,
    0.282004060126771,
    0.19832579880891127,
    0.5346805248020069,
    0.26699367638908184,
    0.1116130710028367,
    0.48773245258533615,
    0.4006544764118271,
    0.15106706512960202,
    0.6524177777939135,
    0.1965151570764845,
    0.10803277377913052,
    0.21243704963347587,
    0.6795301765873936,
    0.10803277377913052,
    0.21243704963347587,
    0.6795301765873936,
    0.1153842001145132,
    0.6811133050338518,
    0.20350249485163505,
    0.15106706512960202,
    0.6524177777939135,
    0.1965151570764845,
    0.09418112170801594,
    0.418403099739799,
    0.4874157785521852,
    0.1566324677969676,
    0.7041289380751865,
    0.1392385941278458,
    0.08201135538549298,
    0.17427115617924227,
    0.7437174884352648,
    0.08201135538549298,
    0.17427115617924227,
    0.7437174884352648,
    0.08703753317254481,
    0.7632510401596264,
    0.14971142666782883,
    0.1566324677969676,
    0.7041289380751865,
    0.1392385941278458,
    0.1474229957317573,
    0.3597449215283915,
    0.49283208273985135,
    0.12094876193125469,
    0.761225637553484,
    0.11782560051526127,
    0.05590245349412718,
    0.11634254870512348,
    0.8277549978007493,
    0.05590245349412718,
    0.11634254870512348,
    0.8277549978007493,
    0.06595315999520436,
    0.8097258730337549,
    0.12432096697104086,
    0.12094876193125469,
    0.761225637553484,
    0.11782560051526127,
    0.12304414659007636,
    0.3184713398666281,
    0.5584845135432954,
    0.13040267780201578,
    0.7829524778927776,
    0.08664484430520673,
    0.0421104124173873,
    0.12035720210733204,
    0.8375323854752806,
    0.0421104124173873,
    0.12035720210733204,
    0.8375323854752806,
    0.05073158000236832,
    0.855373280708734,
    0.09389513928889764,
    0.1828854509156442,
    0.7356989776725407,
    0.08141557141181514,
    0.14656077749382365,
    0.3701472644935723,
    0.4832919580126039,
    0.10708499123206588,
    0.8126611997745646,
    0.0802538089933695,
    0.028351760616953915,
    0.08002042109218063,
    0.8916278182908653,
    0.028351760616953915,
    0.08002042109218063,
    0.8916278182908653,
    0.04098551975011981,
    0.8734534507329418,
    0.08556102951693852,
    0.15182160740516512,
    0.7719454409217154,
    0.07623295167311955,
];
const DECISION_THREE: [f64; 18] = [
    -0.9276331328520271,
    -0.0011724001189382,
    0.26554760025423996,
    -0.7896474939299674,
    1.2370439705735798,
    -1.0780760986986588,
    -1.8221920395666777,
    -0.7845993049510077,
    1.6261676307380213,
    -1.8221920395666777,
    -0.7845993049510077,
    1.6261676307380213,
    -1.8221920395666777,
    1.2370439705735798,
    -1.0861809502314126,
    -0.38916370846811876,
    1.2370439705735798,
    -1.0780760986986588,
];

fn params() -> BoostingParams {
    BoostingParams { n_estimators: 6, learning_rate: 0.3, max_depth: Some(2), min_samples_leaf: 1 }
}

fn staged_equal(y: &[f64], task: Task, want: &[f64]) {
    let data = Dataset::from_rows(&X, 2, y, task).unwrap();
    let mut m = params().build(0).unwrap();
    m.fit(&data).unwrap();
    let staged = m.staged_predict(&DMatrix::from_row_slice(6, 2, &Q)).unwrap();
    assert_eq!(staged.len(), 6);
    let width = want.len() / 36;
    for (s, p) in staged.iter().enumerate() {
        assert_eq!(p.shape(), (6, width));
        for i in 0..6 {
            for c in 0..width {
                let w = want[s * 6 * width + i * width + c];
                assert!((p[(i, c)] - w).abs() <= 1e-12, "{task:?} stage {} [{i},{c}]: {} vs {w}", s + 1, p[(i, c)]);
            }
        }
    }
}

#[test]
fn staged_predictions_match_scikit_learn() {
    staged_equal(&Y_REG, Task::Regression, &STAGED_REG);
    staged_equal(&Y_BINARY, Task::Classification { n_classes: 2 }, &STAGED_BINARY);
    staged_equal(&Y_THREE, Task::Classification { n_classes: 3 }, &STAGED_THREE);
    let data = Dataset::from_rows(&X, 2, &Y_THREE, Task::Classification { n_classes: 3 }).unwrap();
    let mut m = params().build(0).unwrap();
    m.fit(&data).unwrap();
    let raw = m.decision_function(&DMatrix::from_row_slice(6, 2, &Q)).unwrap();
    for i in 0..6 {
        for k in 0..3 {
            assert!((raw[(i, k)] - DECISION_THREE[i * 3 + k]).abs() <= 1e-9, "decision_function[{i},{k}]");
        }
    }
}

#[test]
fn each_step_adds_a_stage_lowers_the_training_loss_and_ends_as_fit() {
    let data = Dataset::from_rows(&X, 2, &Y_BINARY, Task::Classification { n_classes: 2 }).unwrap();
    let mut stepped = params().build(0).unwrap();
    let mut r = rng(0);
    let mut last = f64::INFINITY;
    for s in 1..=6 {
        stepped.step(&data, &mut r).unwrap();
        assert_eq!(stepped.stages().len(), s);
        let loss = stepped.objective(&data).unwrap();
        assert!(loss < last, "stage {s}: {loss} after {last}");
        last = loss;
    }
    assert!(stepped.is_complete());
    stepped.step(&data, &mut r).unwrap();
    assert_eq!(stepped.stages().len(), 6);
    let mut fitted = params().build(0).unwrap();
    fitted.fit(&data).unwrap();
    let q = DMatrix::from_row_slice(6, 2, &Q);
    assert_eq!(stepped.predict(&q).unwrap(), fitted.predict(&q).unwrap());
    // three classes: three trees per stage
    let three = Dataset::from_rows(&X, 2, &Y_THREE, Task::Classification { n_classes: 3 }).unwrap();
    stepped.step(&three, &mut r).unwrap();
    assert_eq!((stepped.stages().len(), stepped.stages()[0].len()), (1, 3));
}

#[test]
fn bad_parameters_are_refused_and_damaged_files_too() {
    let read =
        |v: serde_json::Value| serde_json::from_value::<ModelParams>(v).unwrap().check().map_err(|e| e.to_string());
    assert!(read(json!({"kind": "boosting", "n_estimators": 0}))
        .unwrap_err()
        .contains("n_estimators must be at least 1"));
    assert!(read(json!({"kind": "boosting", "learning_rate": 0.0}))
        .unwrap_err()
        .contains("learning_rate must be above 0"));
    assert!(read(json!({"kind": "boosting", "learning_rate": 50.0})).unwrap_err().contains("learning_rate"));
    assert!(read(json!({"kind": "boosting", "max_depth": 1000})).unwrap_err().contains("max_depth"));
    let data = Dataset::from_rows(&X, 2, &Y_REG, Task::Regression).unwrap();
    let mut any = ModelParams::Boosting(params()).build(0).unwrap();
    any.fit(&data).unwrap();
    let file = serde_json::to_value(&any).unwrap();
    let back: AnyModel = serde_json::from_value(file.clone()).unwrap();
    let q = DMatrix::from_row_slice(6, 2, &Q);
    assert_eq!(back.predict(&q).unwrap(), any.predict(&q).unwrap());
    let damaged = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut f = file.clone();
        edit(&mut f);
        serde_json::from_value::<AnyModel>(f).unwrap_err().to_string()
    };
    let says = |edit: &dyn Fn(&mut serde_json::Value), what: &str| {
        let e = damaged(edit);
        assert!(e.contains(what), "{e}");
    };
    says(&|f| f["params"]["n_estimators"] = json!(3), "stages has 6 entries where 3 are needed");
    says(&|f| f["init"] = json!([0.0, 1.0]), "init has 2 entries where 1 are needed");
    says(&|f| f["stages"][0][0]["leaf_values"] = json!([1.0]), "stages[0][0].leaf_values has 1 entries");
    says(&|f| f["stages"][1] = json!([]), "stages[1] has 0 entries where 1 are needed");
    says(&|f| f["n_features"] = json!(3), "stages[0][0].tree.tree.n_features does not match n_features");
    assert!(any.predict(&DMatrix::zeros(1, 3)).is_err());
}
