//! Hyper-parameter tuning (issue 13's engine).
pub mod gp;
pub mod space;
pub mod value;
