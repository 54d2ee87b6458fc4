//! A model's class probabilities over a pixel grid covering a view: the input of decision
//! surfaces (coloured per pixel by `raster::surface`) and of their boundary contours.

use super::surface::grid_points;
use super::View;
use crate::model::{AnyModel, Model};

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
pub fn grid_probabilities(model: &AnyModel, view: &View, width: u32, height: u32, n_classes: usize) -> Option<Vec<f64>> {
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
        // Networks run the grid in blocks with fast activations (drawing only, within 1e-12).
        AnyModel::Mlp(m) => {
            return m.grid_probabilities(&xs, &ys).filter(|p| p.len() == w * h * n_classes);
        }
        // Trees fill whole runs of pixels per leaf instead of walking the tree per pixel.
        AnyModel::Tree(tree) if tree.is_trained() => tree.predict_grid(&xs, &ys).ok()?,
        _ => model.predict(&grid_points(view.x.0, view.x.1, view.y.0, view.y.1, w, h)).ok()?,
    };
    if p.ncols() != n_classes || p.nrows() != w * h {
        return None;
    }
    // nalgebra is column-major: the transpose's storage is the row-major layout.
    Some(p.transpose().as_slice().to_vec())
}
