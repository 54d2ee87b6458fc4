//! A model's class probabilities over a pixel grid covering a view: the input of decision
//! surfaces (coloured per pixel by `raster::surface`) and of their boundary contours.
//!
//! A model on other than two features is drawn as a slice: the plane's coordinates feed the
//! first (one or two) features and every other feature is held at a constant, its training mean
//! ([`slice_inputs`] builds such inputs, for surfaces and regression curves alike).

use super::surface::grid_points;
use super::View;
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

/// As [`grid_probabilities`], for a model on `held.len()` features: with two, exactly that (the
/// per-model fast paths); otherwise the slice through the grid where the features past the first
/// two are held at `held` (see [`slice_inputs`]), predicted in blocks of grid rows. `None` when
/// the model is untrained or does not give `n_classes` probabilities for such inputs.
pub fn slice_probabilities(
    model: &AnyModel,
    view: &View,
    width: u32,
    height: u32,
    n_classes: usize,
    held: &[f64],
) -> Option<Vec<f64>> {
    if held.len() == 2 {
        return grid_probabilities(model, view, width, height, n_classes);
    }
    let (w, h) = (width as usize, height as usize);
    // An untrained model has no picture (as on the fast paths), not a flat one.
    if w < 2 || h < 2 || held.is_empty() || n_classes == 0 || !model.is_trained() {
        return None;
    }
    let (xs, ys) = grid_axes(view, w, h);
    let rows_per_block = (SLICE_BLOCK_POINTS / w).max(1);
    let mut out = Vec::with_capacity(w * h * n_classes);
    for rows in ys.chunks(rows_per_block) {
        let plane = DMatrix::from_fn(rows.len() * w, 2, |i, j| if j == 0 { xs[i % w] } else { rows[i / w] });
        let p = model.predict(&slice_inputs(&plane, held)).ok()?;
        if p.ncols() != n_classes || p.nrows() != plane.nrows() {
            return None;
        }
        // nalgebra is column-major: the transpose's storage is the row-major layout.
        out.extend_from_slice(p.transpose().as_slice());
    }
    Some(out)
}

/// The x of each column and the y of each row of a `width × height` grid over `view`: the same
/// points as `grid_points` (columns from x_min to x_max, rows from y_max down), as two axes.
pub fn grid_axes(view: &View, width: usize, height: usize) -> (Vec<f64>, Vec<f64>) {
    let step = |n: usize| (n.max(2) - 1) as f64;
    let xs = (0..width).map(|c| view.x.0 + (view.x.1 - view.x.0) * c as f64 / step(width)).collect();
    let ys = (0..height).map(|r| view.y.1 - (view.y.1 - view.y.0) * r as f64 / step(height)).collect();
    (xs, ys)
}

/// The probabilities of `model` on a `width × height` grid over `view` (grid point (0, 0) at the
/// view's top-left corner, (width − 1, height − 1) at its bottom-right, as `grid_points` lays
/// them), row-major per pixel with `n_classes` values each. `None` when the model cannot predict
/// on two features or does not give `n_classes` columns (e.g. untrained on other data).
pub fn grid_probabilities(
    model: &AnyModel,
    view: &View,
    width: u32,
    height: u32,
    n_classes: usize,
) -> Option<Vec<f64>> {
    let (w, h) = (width as usize, height as usize);
    if w < 2 || h < 2 {
        return None;
    }
    let (xs, ys) = grid_axes(view, w, h);
    let p = match model {
        // Logistic regression scores each point in place, row-major already.
        AnyModel::Logistic(m) => {
            return m.grid_probabilities(&xs, &ys).filter(|p| p.len() == w * h * n_classes);
        }
        // Networks run the grid in blocks with fast single-precision activations (drawing only:
        // within `GRID_TOLERANCE` = 1e-5 of `predict`).
        AnyModel::Mlp(m) => {
            return m.grid_probabilities(&xs, &ys).filter(|p| p.len() == w * h * n_classes);
        }
        // Trees fill whole runs of pixels per leaf instead of walking the tree per pixel.
        AnyModel::Tree(tree) if tree.is_trained() => {
            return tree.grid_values(&xs, &ys).ok().filter(|p| p.len() == w * h * n_classes);
        }
        _ => model.predict(&grid_points(view.x.0, view.x.1, view.y.0, view.y.1, w, h)).ok()?,
    };
    if p.ncols() != n_classes || p.nrows() != w * h {
        return None;
    }
    // nalgebra is column-major: the transpose's storage is the row-major layout.
    Some(p.transpose().as_slice().to_vec())
}
