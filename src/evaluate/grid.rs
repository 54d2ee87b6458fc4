//! A model's predictions over a pixel grid, made before anything is drawn: the class
//! probabilities behind decision surfaces (coloured per pixel by `render::raster::surface`) and
//! their boundary contours. The grid is given by its axes (`render::surface::grid_axes` lays
//! them over a view): the x of each column and the y of each row, grid point (0, 0) at the
//! top-left corner, results row-major per pixel.
//!
//! A model on other than two features is drawn as a slice: the plane's coordinates feed the
//! first (one or two) features and every other feature is held at a constant, its training mean
//! ([`slice_inputs`] builds such inputs, for surfaces and regression curves alike).

use crate::model::{AnyModel, Model};
use nalgebra::DMatrix;

/// Most grid points predicted at once on the generic slice path (bounds the memory of a block).
const SLICE_BLOCK_POINTS: usize = 4096;

/// Prediction inputs for points of the drawn plane, for a model on `held.len()` features: column
/// `j` is the plane's column `j` where the plane has one (its first one or two features), else
/// the constant `held[j]` (the training mean, so the picture is a slice through the data). Extra
/// plane columns beyond `held.len()` are left out (a one-feature model ignores the height).
pub fn slice_inputs(plane: &DMatrix<f64>, held: &[f64]) -> DMatrix<f64> {
    let drawn = plane.ncols().min(held.len());
    DMatrix::from_fn(plane.nrows(), held.len(), |i, j| if j < drawn { plane[(i, j)] } else { held[j] })
}

/// The grid's points as rows (x, y), row-major per pixel.
fn plane(xs: &[f64], ys: &[f64]) -> DMatrix<f64> {
    let w = xs.len();
    DMatrix::from_fn(w * ys.len(), 2, |i, j| if j == 0 { xs[i % w] } else { ys[i / w] })
}

/// As [`grid_probabilities`], for a model on `held.len()` features: with two, exactly that (the
/// per-model fast paths); otherwise the slice through the grid where the features past the first
/// two are held at `held` (see [`slice_inputs`]), predicted in blocks of grid rows. `None` when
/// the model is untrained or does not give `n_classes` probabilities for such inputs.
pub fn slice_probabilities(
    model: &AnyModel,
    xs: &[f64],
    ys: &[f64],
    n_classes: usize,
    held: &[f64],
) -> Option<Vec<f64>> {
    if held.len() == 2 {
        return grid_probabilities(model, xs, ys, n_classes);
    }
    let w = xs.len();
    // An untrained model has no picture (as on the fast paths), not a flat one.
    if w < 2 || ys.len() < 2 || held.is_empty() || n_classes == 0 || !model.is_trained() {
        return None;
    }
    let rows_per_block = (SLICE_BLOCK_POINTS / w).max(1);
    let mut out = Vec::with_capacity(w * ys.len() * n_classes);
    for rows in ys.chunks(rows_per_block) {
        let plane = plane(xs, rows);
        let p = model.predict(&slice_inputs(&plane, held)).ok()?;
        if p.ncols() != n_classes || p.nrows() != plane.nrows() {
            return None;
        }
        // nalgebra is column-major: the transpose's storage is the row-major layout.
        out.extend_from_slice(p.transpose().as_slice());
    }
    Some(out)
}

/// The probabilities of `model` at every point of the grid with axes `xs` (columns) and `ys`
/// (rows), row-major per pixel with `n_classes` values each. `None` when the grid is smaller
/// than 2 × 2, or the model cannot predict on two features or does not give `n_classes` columns
/// (e.g. untrained on other data).
pub fn grid_probabilities(model: &AnyModel, xs: &[f64], ys: &[f64], n_classes: usize) -> Option<Vec<f64>> {
    // An untrained model has no picture, not a flat one.
    if xs.len() < 2 || ys.len() < 2 || !model.is_trained() {
        return None;
    }
    // each family's own way (a fast path, or `predict` by default: `Model::grid_values`)
    model.grid_values(xs, ys).filter(|p| p.len() == xs.len() * ys.len() * n_classes)
}
