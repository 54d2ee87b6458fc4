//! Drawing: plotters code generic over the backend, and the per-pixel raster layer.
//! (Temporary stand-in types; the renderer lands from its branch.)
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct View { pub x: (f64, f64), pub y: (f64, f64) }
impl Default for View { fn default() -> Self { View { x: (-6.0, 6.0), y: (-6.0, 6.0) } } }
impl View {
    pub fn around(xs: &[f64], ys: &[f64]) -> View {
        let f = |v: &[f64]| v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
        let (x, y) = (f(xs), f(ys));
        if !(x.0 < x.1 && y.0 < y.1) { return View::default(); }
        let px = (x.1 - x.0) * 0.1; let py = (y.1 - y.0) * 0.1;
        View { x: (x.0 - px, x.1 + px), y: (y.0 - py, y.1 + py) }
    }
}
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Layout { pub width: u32, pub height: u32, pub dpr: f64, pub plot: (i32, i32, i32, i32) }
impl Layout {
    pub fn new(width: u32, height: u32, dpr: f64) -> Layout { Layout { width, height, dpr, plot: (50, 10, width as i32 - 10, height as i32 - 40) } }
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Scene {
  pub view: View,
  pub xs: Vec<f64>, pub ys: Vec<f64>,
  pub roles: Vec<u8>,
  pub fitted: Vec<f64>,
  pub curve: Vec<(f64, f64)>,
  pub band: Option<f64>,
  pub show_residuals: bool,
  pub show_test: bool,
  pub highlight: Option<usize>,
  pub x_label: String, pub y_label: String,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LossHistory { pub epochs: Vec<u64>, pub train: Vec<f64>, pub test: Vec<f64> }
use plotters::prelude::*;
use plotters::coord::Shift;
pub fn draw_scene<DB: DrawingBackend>(_root: &DrawingArea<DB, Shift>, _layout: &Layout, _scene: &Scene, _fill: bool) -> crate::Result<()> { Ok(()) }
pub fn draw_loss<DB: DrawingBackend>(_root: &DrawingArea<DB, Shift>, _layout: &Layout, _h: &LossHistory, _log: bool) -> crate::Result<()> { Ok(()) }
pub mod raster {
    pub struct Raster { pub width: u32, pub height: u32, pub rgba: Vec<u8> }
    pub fn error_band(_layout: &super::Layout, _scene: &super::Scene) -> Option<Raster> { None }
}
