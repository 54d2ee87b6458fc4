//! Test support for the diagrams and small charts: render into a [`Picture`] while recording every
//! piece of text drawn (what, where, how big, anchored how), so tests can check labels and the
//! dump tests can write them next to the picture for a person to look at.

use super::testing::Picture;
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, IntoDrawingArea};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle,
    FontTransform,
};
use std::cell::RefCell;
use std::rc::Rc;

/// One piece of text as the backend received it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DrawnText {
    pub text: String,
    pub at: (i32, i32),
    pub size: f64,
    /// Horizontal anchor: `l`, `c` or `r`.
    pub h: char,
    /// Vertical anchor: `t`, `c` or `b`.
    pub v: char,
    pub colour: [u8; 3],
    pub bold: bool,
    /// Clockwise rotation in degrees (0, 90, 180 or 270).
    pub rotation: u16,
}

impl DrawnText {
    /// The estimated box of the text (as `TextLook::width` estimates it), `(x0, y0, x1, y1)`.
    pub(crate) fn bounds(&self) -> (f64, f64, f64, f64) {
        let look = crate::render::shapes::TextLook { size: self.size, colour: self.colour, bold: self.bold };
        let width = look.width(&self.text);
        let x0 = match self.h {
            'l' => self.at.0 as f64,
            'r' => self.at.0 as f64 - width,
            _ => self.at.0 as f64 - 0.5 * width,
        };
        let y0 = match self.v {
            't' => self.at.1 as f64,
            'b' => self.at.1 as f64 - self.size,
            _ => self.at.1 as f64 - 0.5 * self.size,
        };
        (x0, y0, x0 + width, y0 + self.size)
    }
}

/// A backend that forwards shapes to `B` and records text instead of drawing it.
pub(crate) struct Recording<B> {
    inner: B,
    texts: Rc<RefCell<Vec<DrawnText>>>,
}

impl<B: DrawingBackend> DrawingBackend for Recording<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vertices, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        let anchor = style.anchor();
        let colour = style.color().rgb;
        self.texts.borrow_mut().push(DrawnText {
            text: text.to_string(),
            at: pos,
            size: style.size(),
            h: match anchor.h_pos {
                HPos::Left => 'l',
                HPos::Center => 'c',
                HPos::Right => 'r',
            },
            v: match anchor.v_pos {
                VPos::Top => 't',
                VPos::Center => 'c',
                VPos::Bottom => 'b',
            },
            colour: [colour.0, colour.1, colour.2],
            bold: matches!(style.style(), FontStyle::Bold),
            rotation: match style.transform() {
                FontTransform::None => 0,
                FontTransform::Rotate90 => 90,
                FontTransform::Rotate180 => 180,
                FontTransform::Rotate270 => 270,
            },
        });
        Ok(())
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> std::result::Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let look = crate::render::shapes::TextLook { size: style.size(), colour: [0, 0, 0], bold: false };
        Ok((look.width(text).ceil() as u32, style.size().ceil() as u32))
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }
}

/// The drawing area the diagram tests draw on.
pub(crate) type RecordingArea<'a> = DrawingArea<Recording<BitMapBackend<'a>>, Shift>;

/// A picture and the text drawn on it.
pub(crate) struct Rendered {
    pub picture: Picture,
    pub texts: Vec<DrawnText>,
}

impl Rendered {
    /// The texts equal to `text`.
    pub(crate) fn texts_equal(&self, text: &str) -> Vec<&DrawnText> {
        self.texts.iter().filter(|t| t.text == text).collect()
    }

    /// Writes the picture to `path.ppm` and its texts to `path.txt`, one per line:
    /// `x y size h v r g b bold rotation text` (h, v: l/c/r and t/c/b), for a converter that
    /// draws the text onto the picture.
    pub(crate) fn dump(&self, path: &str) {
        self.picture.write_ppm(&format!("{path}.ppm")).unwrap();
        let lines: Vec<String> = self
            .texts
            .iter()
            .map(|t| {
                let [r, g, b] = t.colour;
                let bold = u8::from(t.bold);
                format!("{} {} {} {} {} {r} {g} {b} {bold} {} {}", t.at.0, t.at.1, t.size, t.h, t.v, t.rotation, t.text)
            })
            .collect();
        std::fs::write(format!("{path}.txt"), lines.join("\n")).unwrap();
    }
}

/// Runs `draw` on a white `width`×`height` picture, recording the text.
pub(crate) fn render(width: u32, height: u32, draw: impl FnOnce(&RecordingArea<'_>) -> Result<()>) -> Rendered {
    let mut picture = Picture::white(width, height);
    let texts = Rc::new(RefCell::new(Vec::new()));
    {
        let backend = Recording {
            inner: BitMapBackend::with_buffer(&mut picture.rgb, (width, height)),
            texts: Rc::clone(&texts),
        };
        let root = backend.into_drawing_area();
        draw(&root).unwrap();
    }
    let texts = texts.borrow().clone();
    Rendered { picture, texts }
}
