//! Drawing: plotters code generic over the backend, and the per-pixel raster layer.
//!
//! The page draws with plotters-canvas's `CanvasBackend` (device pixels, scaled by
//! `devicePixelRatio`); native tests draw with `BitMapBackend` into a buffer and check pixels.
//! Text goes to the backend's own `draw_text` (the canvas's `fillText`).
//!
//! - [`geometry`]: the data window [`View`] and the pixel [`Layout`] with data ↔ pixel mapping.
//! - [`scene`]: the regression picture ([`Scene`], [`draw_scene`]).
//! - [`loss`]: the loss chart ([`LossHistory`], [`draw_loss`]).
//! - [`raster`]: RGBA rasters blitted under the vector layer (error band, colour maps).
//! - [`palette`]: every colour, as plain RGB triples.

mod axes;
mod clip;
pub mod charts;
pub mod decision;
pub mod geometry;
pub mod loss;
pub mod palette;
pub mod raster;
pub mod scene;
pub mod surface;
pub mod network;
pub mod tree_diagram;
mod shapes;

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod diagram_testing;

pub use geometry::{Layout, View};
pub use loss::{draw_loss, loss_view, LossHistory, LossView};
pub use palette::*;
pub use scene::{draw_scene, Scene, ROLE_HAND_PLACED, ROLE_TEST};

use crate::error::Error;

/// A plotters failure as the crate's error.
fn render_error(error: impl std::fmt::Display) -> Error {
    Error::Render(error.to_string())
}
