//! Drawing: plotters code generic over the backend, and the per-pixel raster layer.
//!
//! The page draws with plotters-canvas's `CanvasBackend` (device pixels, scaled by
//! `devicePixelRatio`); native tests draw with `BitMapBackend` into a buffer and check pixels.
//! Text goes to the backend's own `draw_text` (the canvas's `fillText`).
//!
//! - [`geometry`]: the data window [`View`] and the pixel [`Layout`] with data ↔ pixel mapping.
//! - [`scene`]: the data picture ([`Scene`], [`draw_scene`]): regression curves and residuals, or
//!   class-coloured points and decision boundaries.
//! - [`loss`]: the loss chart ([`LossHistory`], [`draw_loss`]).
//! - [`sigmoid`]: a binary classifier's scores against σ(z) ([`SigmoidScene`], [`draw_sigmoid`]).
//! - [`curves`]: the ROC chart ([`draw_roc`]) and horizontal bars ([`draw_bars`]).
//! - [`raster`]: RGBA rasters blitted under the vector layer (error band, decision surface,
//!   colour maps).
//! - [`point_layer`]: many data points as one raster layer, composited where the points go.
//! - [`surface`]: evaluation grids, marching squares and decision boundaries.
//! - [`tune_charts`]: a tuning run's history (best so far) and its trials over one or two settings.
//! - [`palette`]: every colour, as plain RGB triples.

mod axes;
pub mod charts;
mod clip;
pub mod compress_charts;
pub mod curves;
pub mod geometry;
pub mod loss;
mod marks;
pub mod network;
pub mod palette;
pub mod point_layer;
pub mod raster;
pub mod scene;
mod shapes;
pub mod sigmoid;
pub mod surface;
pub mod svg;
pub mod tree_diagram;
pub mod tune_charts;
pub mod words;

/// The font stack of every canvas text: the system's UI font, then fonts that have Chinese
/// characters on each platform, so a zh label never falls back to boxes.
pub(crate) const FONT_FAMILY: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans CJK SC', \
     'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', \
     'WenQuanYi Micro Hei', sans-serif";

#[cfg(test)]
mod tests;

pub use curves::{draw_bars, draw_precision_recall, draw_roc};
pub use geometry::{Layout, View};
pub use loss::{draw_loss, loss_view, LossHistory, LossView};
pub use palette::*;
pub use scene::{draw_scene, draw_scene_layered, Scene, ROLE_HAND_PLACED, ROLE_TEST};
pub use sigmoid::{draw_sigmoid, draw_sigmoid_layered, SigmoidScene};

use crate::error::Error;

/// A plotters failure as the crate's error.
fn render_error(error: impl std::fmt::Display) -> Error {
    err!(Render, "render", detail = error.to_string())
}

/// Starts a chart on `root`: the layout for its size at `dpr`, the background filled. `None` (the
/// background already presented) when the area is too small to hold a plot.
fn begin_chart<DB: plotters::prelude::DrawingBackend>(
    root: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    dpr: f64,
) -> crate::error::Result<Option<geometry::Layout>> {
    let (width, height) = root.dim_in_pixel();
    let layout = geometry::Layout::new(width, height, dpr);
    root.fill(&rgb(BACKGROUND_COLOUR)).map_err(render_error)?;
    if !layout.has_plot() {
        root.present().map_err(render_error)?;
        return Ok(None);
    }
    Ok(Some(layout))
}
