//! The colours of every chart, in one place. They are plain `[r, g, b]` triples so the page's own
//! tests can look for them in canvas pixels; [`rgb`] turns one into a plotters colour.

use plotters::style::RGBColor;

/// Training points (and the train loss line): the classic matplotlib blue `#1f77b4`.
pub const TRAIN_COLOUR: [u8; 3] = [31, 119, 180];
/// Test points (and the test loss line): the classic matplotlib orange `#ff7f0e`.
pub const TEST_COLOUR: [u8; 3] = [255, 127, 14];
/// The model's curve: near-black, so it reads over both point colours and the band.
pub const CURVE_COLOUR: [u8; 3] = [40, 40, 46];
/// Residual segments from each point to the model's prediction: a muted red `#d62728`.
pub const RESIDUAL_COLOUR: [u8; 3] = [214, 39, 40];
/// The outline that marks a point the learner placed by hand.
pub const HAND_OUTLINE_COLOUR: [u8; 3] = [0, 0, 0];
/// The error band around the curve (drawn translucent, see `raster::error_band`).
pub const BAND_COLOUR: [u8; 3] = [31, 119, 180];
/// Chart background.
pub const BACKGROUND_COLOUR: [u8; 3] = [255, 255, 255];
/// Grid lines: light grey, so they guide the eye without competing with the data.
pub const GRID_COLOUR: [u8; 3] = [229, 229, 229];
/// Axis lines and tick marks.
pub const AXIS_COLOUR: [u8; 3] = [110, 110, 110];
/// Tick labels, axis titles and legend text.
pub const TEXT_COLOUR: [u8; 3] = [51, 51, 51];
/// Class colours for classification (points and decision surfaces), in class order; class 0 and 1
/// share the train / test hues above. Classes beyond five reuse the palette cyclically.
pub const CLASS_COLOURS: [[u8; 3]; 5] = [
    [31, 119, 180],  // blue
    [255, 127, 14],  // orange
    [44, 160, 44],   // green
    [214, 39, 40],   // red
    [148, 103, 189], // purple
];

/// The outline around class-coloured points, so they stand out over a tinted decision surface.
pub const POINT_OUTLINE_COLOUR: [u8; 3] = [255, 255, 255];
/// Decision boundaries: dark slate, crisp over every surface tint.
pub const BOUNDARY_COLOUR: [u8; 3] = [33, 37, 41];
/// The light halo under decision boundaries, which lifts them off a coloured surface.
pub const BOUNDARY_HALO_COLOUR: [u8; 3] = [255, 255, 255];
/// Dashed reference lines (p = 0.5 and z = 0 on the sigmoid, the chance diagonal on the ROC chart).
pub const GUIDE_COLOUR: [u8; 3] = [150, 150, 150];
/// The ROC curve (and the soft fill under it, drawn translucent).
pub const ROC_COLOUR: [u8; 3] = [31, 119, 180];
/// Horizontal bars (feature importance, per-class recall).
pub const BAR_COLOUR: [u8; 3] = [31, 119, 180];

/// The hue of `class`, cycling through [`CLASS_COLOURS`] beyond five classes.
pub fn class_hue(class: usize) -> [u8; 3] {
    CLASS_COLOURS[class % CLASS_COLOURS.len()]
}

/// A palette triple as a plotters colour.
pub fn rgb(colour: [u8; 3]) -> RGBColor {
    RGBColor(colour[0], colour[1], colour[2])
}

/// The ring marking a point whose missing value was imputed.
pub const IMPUTED_COLOUR: [u8; 3] = [123, 97, 255];
/// The ring marking a point an outlier rule flagged.
pub const OUTLIER_COLOUR: [u8; 3] = [214, 39, 40];
/// Rings a model puts on the plot (a support vector machine's support vectors): near black.
pub const MODEL_RING_COLOUR: [u8; 3] = [20, 20, 24];
