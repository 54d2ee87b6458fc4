//! scikit-learn reference tests
