//! Fuzz target: model files (`Model.fromJSON`). Arbitrary bytes are read as the JSON of an
//! `AnyModel` and validated; a file that is accepted must summarise itself, predict finite
//! numbers on a probe of every input width it takes, and round-trip (what it writes reads back
//! and is accepted). A panic or a NaN prediction from an accepted file is a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ml_playground::model::{AnyModel, Model};
use nalgebra::DMatrix;

fuzz_target!(|data: &[u8]| {
    let Ok(model) = serde_json::from_slice::<AnyModel>(data) else { return };
    if model.validate().is_err() {
        return;
    }
    let _ = model.summary();
    for width in 1..=4 {
        let probe = DMatrix::from_fn(3, width, |i, j| [0.0, 1.5, -2.0][i] * (j as f64 + 1.0));
        if let Ok(p) = model.predict(&probe) {
            assert!(!model.is_trained() || p.iter().all(|v| v.is_finite()), "an accepted file predicts {p:?}");
        }
    }
    let written = serde_json::to_string(&model).expect("an accepted model writes");
    let again: AnyModel = serde_json::from_str(&written).expect("what an accepted model writes reads back");
    assert!(again.validate().is_ok(), "what an accepted model writes is accepted");
});
