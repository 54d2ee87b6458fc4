//! The native tests of the core, as one test binary (`cargo test --test native`, or a module's
//! tests alone with `cargo test --test native knn::`).
//!
//! One binary instead of one per file: each integration-test binary links the whole crate again,
//! and 38 of them took 2.7 GB of `target/debug/deps` (about 60 MB each) plus their link time, on
//! CI machines whose free disk is not guaranteed (a run failed with "No space left on device" while
//! linking them). Each file below is a module with the same tests it had as its own binary.

mod support;

mod architecture;
mod boosting;
mod cleaning;
mod compress;
mod compress_export;
mod compress_more;
mod compress_session;
mod compress_stages;
mod compress_students;
mod csv_bad;
mod describe;
mod features;
mod folds;
mod forest;
mod hostile_input;
mod kmeans;
mod knn;
mod linear;
mod model_file;
mod naive_bayes;
mod new_families;
mod onnx;
mod perf_frames;
mod predict_rows;
mod python_export;
mod resample;
mod session;
mod state_robustness;
mod surface_bands;
mod surface_paths;
mod surface_speed;
mod surfaces;
mod svg;
mod svm;
mod svr;
mod time_machine;
mod transforms;
mod tune;
mod tune_cv;
mod tune_halving;
