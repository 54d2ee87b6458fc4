//! Test support: render into an in-memory RGB picture with plotters' `BitMapBackend` and read
//! pixels back. Native plotters has no font here, so [`NoText`] wraps the backend to drop text
//! (the page's canvas draws it with `fillText`).

use super::{draw_loss, draw_scene, raster, Layout, LossHistory, Scene};
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, IntoDrawingArea};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};

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
        _text: &str,
        _style: &S,
        _pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        _style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
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
