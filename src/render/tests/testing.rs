//! Test support: render into an in-memory RGB picture with plotters' `BitMapBackend` and read
//! pixels back. Native plotters has no font here, so [`NoText`] wraps the backend to drop text
//! (the page's canvas draws it with `fillText`). For pictures a person looks at,
//! [`show_text_boxes`] makes it outline where each text would go instead.

use crate::error::Result;
use crate::render::curves::{draw_bars, draw_precision_recall, draw_roc};
use crate::render::sigmoid::{draw_sigmoid, SigmoidScene};
use crate::render::{draw_loss, draw_scene, raster, Layout, LossHistory, Scene};
use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, IntoDrawingArea};
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontTransform,
};
use std::cell::Cell;

thread_local! {
    static TEXT_BOXES: Cell<bool> = const { Cell::new(false) };
}

/// On this thread, make [`NoText`] outline each text's box (sized from the font: 0.55 em per
/// character by 1 em) instead of skipping it, and estimate text sizes the same way.
pub(crate) fn show_text_boxes(on: bool) {
    TEXT_BOXES.with(|boxes| boxes.set(on));
}

fn text_boxes() -> bool {
    TEXT_BOXES.with(|boxes| boxes.get())
}

/// The size of `text` in the font of `style` when text boxes are shown.
fn boxed_text_size<S: BackendTextStyle>(text: &str, style: &S) -> (u32, u32) {
    let size = style.size();
    ((0.55 * size * text.chars().count() as f64).round() as u32, size.round() as u32)
}

/// A backend that forwards everything to `B` except text, which it skips; text is estimated as
/// 6 px per character by 10 px.
pub(crate) struct NoText<B>(pub B);

impl<B: DrawingBackend> DrawingBackend for NoText<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vertices, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if !text_boxes() {
            return Ok(());
        }
        let (mut width, mut height) = boxed_text_size(text, style);
        let rotated = matches!(style.transform(), FontTransform::Rotate90 | FontTransform::Rotate270);
        let anchor = style.anchor();
        let offset = |length: u32, start: bool, centre: bool| {
            if start {
                0
            } else if centre {
                length as i32 / 2
            } else {
                length as i32
            }
        };
        let mut dx = offset(width, matches!(anchor.h_pos, HPos::Left), matches!(anchor.h_pos, HPos::Center));
        let mut dy = offset(height, matches!(anchor.v_pos, VPos::Top), matches!(anchor.v_pos, VPos::Center));
        if rotated {
            (width, height, dx, dy) = (height, width, dy, dx);
        }
        let colour = BackendColor { alpha: 1.0, rgb: (120, 120, 200) };
        let corner = (pos.0 - dx, pos.1 - dy);
        self.0.draw_rect(corner, (corner.0 + width as i32, corner.1 + height as i32), &colour, false)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        if text_boxes() {
            return Ok(boxed_text_size(text, style));
        }
        Ok((6 * text.chars().count() as u32, 10))
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }
}

/// The drawing area tests draw on.
pub(crate) type TestArea<'a> = DrawingArea<NoText<BitMapBackend<'a>>, Shift>;

/// An RGB picture, white to start with.
pub(crate) struct Picture {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Picture {
    pub(crate) fn white(width: u32, height: u32) -> Picture {
        Picture { width, height, rgb: vec![255; width as usize * height as usize * 3] }
    }

    /// Runs `draw` on a drawing area over this picture.
    pub(crate) fn draw(&mut self, draw: impl FnOnce(&TestArea<'_>) -> Result<()>) -> Result<()> {
        let root = NoText(BitMapBackend::with_buffer(&mut self.rgb, (self.width, self.height))).into_drawing_area();
        draw(&root)
    }

    /// The pixel at `(x, y)`; white outside the picture.
    pub(crate) fn at(&self, x: i32, y: i32) -> [u8; 3] {
        if x < 0 || y < 0 || x >= self.width as i32 || y >= self.height as i32 {
            return [255, 255, 255];
        }
        let at = (y as usize * self.width as usize + x as usize) * 3;
        [self.rgb[at], self.rgb[at + 1], self.rgb[at + 2]]
    }

    /// The pixel nearest to a fractional device position.
    pub(crate) fn at_f(&self, (x, y): (f64, f64)) -> [u8; 3] {
        self.at(x.round() as i32, y.round() as i32)
    }

    /// All pixels of exactly `colour`.
    pub(crate) fn find(&self, colour: [u8; 3]) -> Vec<(i32, i32)> {
        let mut found = Vec::new();
        for y in 0..self.height as i32 {
            for x in 0..self.width as i32 {
                if self.at(x, y) == colour {
                    found.push((x, y));
                }
            }
        }
        found
    }

    /// Writes the picture as a binary PPM (P6), viewable with most image tools.
    pub(crate) fn write_ppm(&self, path: &str) -> std::io::Result<()> {
        let mut bytes = format!("P6\n{} {}\n255\n", self.width, self.height).into_bytes();
        bytes.extend_from_slice(&self.rgb);
        std::fs::write(path, bytes)
    }
}

/// The scene as the page composes it: the band raster first, then the vector layer over it.
pub(crate) fn render_scene(layout: &Layout, scene: &Scene) -> Picture {
    let mut picture = Picture::white(layout.width, layout.height);
    if let Some(band) = raster::error_band(layout, scene) {
        band.blit_over_rgb(&mut picture.rgb, layout.width, layout.height, layout.plot.0, layout.plot.1);
    }
    picture.draw(|root| draw_scene(root, layout, scene, false)).unwrap();
    picture
}

pub(crate) fn render_loss(layout: &Layout, history: &LossHistory, log_scale: bool) -> Picture {
    let mut picture = Picture::white(layout.width, layout.height);
    picture.draw(|root| draw_loss(root, layout, history, log_scale)).unwrap();
    picture
}

/// A classification scene as the page composes it: the decision surface of `probabilities`
/// (sampled on the plot's pixel grid, `n_classes` per pixel) blitted at the plot's corner, then the
/// vector layer over it.
pub(crate) fn render_classification(layout: &Layout, scene: &Scene, probabilities: &[f64]) -> Picture {
    let mut picture = Picture::white(layout.width, layout.height);
    let (width, height) = layout.plot_size();
    let surface = raster::surface(probabilities, scene.n_classes, width, height);
    surface.blit_over_rgb(&mut picture.rgb, layout.width, layout.height, layout.plot.0, layout.plot.1);
    picture.draw(|root| draw_scene(root, layout, scene, false)).unwrap();
    picture
}

pub(crate) fn render_sigmoid(layout: &Layout, scene: &SigmoidScene) -> Picture {
    let mut picture = Picture::white(layout.width, layout.height);
    picture.draw(|root| draw_sigmoid(root, layout, scene)).unwrap();
    picture
}

pub(crate) fn render_roc(layout: &Layout, points: &[(f64, f64)], auc: Option<f64>) -> Picture {
    let mut picture = Picture::white(layout.width, layout.height);
    picture.draw(|root| draw_roc(root, layout, points, auc)).unwrap();
    picture
}

pub(crate) fn render_precision_recall(
    layout: &Layout,
    points: &[(f64, f64)],
    average_precision: Option<f64>,
    share: f64,
) -> Picture {
    let mut picture = Picture::white(layout.width, layout.height);
    picture.draw(|root| draw_precision_recall(root, layout, points, average_precision, share)).unwrap();
    picture
}

pub(crate) fn render_bars(layout: &Layout, labels: &[String], values: &[f64], title: &str) -> Picture {
    let mut picture = Picture::white(layout.width, layout.height);
    picture.draw(|root| draw_bars(root, layout, labels, values, title)).unwrap();
    picture
}
