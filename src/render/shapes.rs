//! Drawing helpers shared by the diagrams (tree, network) and the small charts: rounded boxes,
//! smooth and dashed curves, text with an anchor, a text-width estimate, compact number labels and
//! colour mixing.
//!
//! Text widths are *estimated* from the character count instead of asking the backend: plotters'
//! browser font measurement inserts a DOM element per call (slow for a big tree, and unavailable in
//! a Web Worker), and the diagrams' hit tests must agree with the drawing without a backend.

use super::palette::rgb;
use super::render_error;
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::{Color, DrawingArea, DrawingBackend, IntoFont, PathElement, Polygon, ShapeStyle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, RGBAColor};

/// Average advance of a character of a sans-serif font, as a fraction of the font size, regular
/// and bold (a little generous, so estimated text fits in practice).
const CHAR_WIDTH_EM: f64 = 0.58;
const BOLD_CHAR_WIDTH_EM: f64 = 0.64;
/// A wide (CJK, full-width) character takes a whole em, bold a little more.
const WIDE_CHAR_WIDTH_EM: f64 = 1.0;
const BOLD_WIDE_CHAR_WIDTH_EM: f64 = 1.04;

/// Whether `c` is drawn a full em wide: CJK ideographs and syllables, kana, full-width forms and
/// CJK punctuation (East Asian Width W or F, in the ranges a Chinese label uses).
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// How a piece of text is written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextLook {
    /// Font size in device pixels.
    pub size: f64,
    pub colour: [u8; 3],
    pub bold: bool,
}

impl TextLook {
    /// The estimated advance of one (narrow) character, in pixels.
    fn char_width(&self) -> f64 {
        self.size * if self.bold { BOLD_CHAR_WIDTH_EM } else { CHAR_WIDTH_EM }
    }

    /// The estimated advance of `c`, in pixels.
    fn advance(&self, c: char) -> f64 {
        if is_wide(c) {
            self.size * if self.bold { BOLD_WIDE_CHAR_WIDTH_EM } else { WIDE_CHAR_WIDTH_EM }
        } else {
            self.char_width()
        }
    }

    /// The estimated width of `text` in pixels (counted by kind, so it scales exactly with the
    /// font size).
    pub(crate) fn width(&self, text: &str) -> f64 {
        let (wide, narrow) =
            text.chars().fold((0usize, 0usize), |(w, n), c| if is_wide(c) { (w + 1, n) } else { (w, n + 1) });
        let wide_em = if self.bold { BOLD_WIDE_CHAR_WIDTH_EM } else { WIDE_CHAR_WIDTH_EM };
        narrow as f64 * self.char_width() + wide as f64 * self.size * wide_em
    }

    /// `text` cut (with an ellipsis) to at most `width` pixels; empty when not even one character
    /// and the ellipsis fit.
    pub(crate) fn fit(&self, text: &str, width: f64) -> String {
        if self.width(text) <= width {
            return text.to_string();
        }
        // as many characters as fit beside the ellipsis
        let room = width - self.char_width();
        if room.is_nan() || room < self.char_width() {
            return String::new();
        }
        let mut used = 0.0;
        let mut cut: String = text
            .chars()
            .take_while(|&c| {
                used += self.advance(c);
                used <= room
            })
            .collect();
        if cut.is_empty() {
            return String::new();
        }
        cut.push('…');
        cut
    }

    /// `text` in this look, or in a font down to `min_scale` times smaller so that it fits in
    /// `width` pixels, else cut with an ellipsis at the smallest size.
    pub(crate) fn shrink_to_fit(&self, text: &str, width: f64, min_scale: f64) -> (String, TextLook) {
        let needed = self.width(text);
        if needed <= width {
            return (text.to_string(), *self);
        }
        let scale = (width / needed).max(min_scale.clamp(0.1, 1.0));
        let smaller = TextLook { size: self.size * scale, ..*self };
        (smaller.fit(text, width), smaller)
    }
}

/// Draws `text` with its anchor point `(h, v)` at `at` (device pixels).
pub(crate) fn draw_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    at: (f64, f64),
    look: TextLook,
    h: HPos,
    v: VPos,
) -> Result<()> {
    if text.is_empty() || !(at.0.is_finite() && at.1.is_finite()) || look.size.is_nan() || look.size < 1.0 {
        return Ok(());
    }
    let font = (super::FONT_FAMILY, look.size).into_font();
    let font = if look.bold { font.style(FontStyle::Bold) } else { font };
    let colour = rgb(look.colour);
    let style = font.color(&colour).pos(Pos::new(h, v));
    root.draw(&Text::new(text, (at.0.round() as i32, at.1.round() as i32), style)).map_err(render_error)
}

/// The outline of a rectangle with rounded corners, clockwise from the top-left corner's end, as a
/// polygon (each corner a quarter circle of `radius`, clamped to half the shorter side).
pub(crate) fn rounded_rect(centre: (f64, f64), half: (f64, f64), radius: f64) -> Vec<(i32, i32)> {
    let radius = radius.min(half.0).min(half.1).max(0.0);
    let (left, right, top, bottom) = (centre.0 - half.0, centre.0 + half.0, centre.1 - half.1, centre.1 + half.1);
    let corners = [
        (right - radius, top + radius, -90.0),
        (right - radius, bottom - radius, 0.0),
        (left + radius, bottom - radius, 90.0),
        (left + radius, top + radius, 180.0),
    ];
    const STEPS: usize = 6;
    let mut points = Vec::with_capacity(4 * (STEPS + 1));
    for (cx, cy, start) in corners {
        for step in 0..=STEPS {
            let angle = (start + 90.0 * step as f64 / STEPS as f64).to_radians();
            let point = ((cx + radius * angle.cos()).round() as i32, (cy + radius * angle.sin()).round() as i32);
            if points.last() != Some(&point) {
                points.push(point);
            }
        }
    }
    points
}

/// A rounded box: filled with `fill` (if any), then outlined with `border` (if any).
pub(crate) fn draw_rounded_box<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    centre: (f64, f64),
    half: (f64, f64),
    radius: f64,
    fill: Option<RGBAColor>,
    border: Option<ShapeStyle>,
) -> Result<()> {
    let mut outline = rounded_rect(centre, half, radius);
    if let Some(fill) = fill {
        root.draw(&Polygon::new(outline.clone(), fill.filled())).map_err(render_error)?;
    }
    if let (Some(border), Some(&first)) = (border, outline.first()) {
        outline.push(first);
        root.draw(&PathElement::new(outline, border)).map_err(render_error)?;
    }
    Ok(())
}

/// Samples of the cubic Bézier curve `a → b` with control points `c1`, `c2`.
pub(crate) fn cubic(a: (f64, f64), c1: (f64, f64), c2: (f64, f64), b: (f64, f64), samples: usize) -> Vec<(f64, f64)> {
    let samples = samples.max(1);
    (0..=samples)
        .map(|i| {
            let t = i as f64 / samples as f64;
            let s = 1.0 - t;
            let (w0, w1, w2, w3) = (s * s * s, 3.0 * s * s * t, 3.0 * s * t * t, t * t * t);
            (w0 * a.0 + w1 * c1.0 + w2 * c2.0 + w3 * b.0, w0 * a.1 + w1 * c1.1 + w2 * c2.1 + w3 * b.1)
        })
        .collect()
}

/// Samples of the quadratic Bézier curve `a → b` with control point `c`.
pub(crate) fn quadratic(a: (f64, f64), c: (f64, f64), b: (f64, f64), samples: usize) -> Vec<(f64, f64)> {
    let samples = samples.max(1);
    (0..=samples)
        .map(|i| {
            let t = i as f64 / samples as f64;
            let s = 1.0 - t;
            (s * s * a.0 + 2.0 * s * t * c.0 + t * t * b.0, s * s * a.1 + 2.0 * s * t * c.1 + t * t * b.1)
        })
        .collect()
}

/// A polyline rounded to whole pixels without repeated points (nothing if any point is not
/// finite).
pub(crate) fn to_pixels(points: &[(f64, f64)]) -> Vec<(i32, i32)> {
    if points.iter().any(|p| !(p.0.is_finite() && p.1.is_finite())) {
        return Vec::new();
    }
    let mut pixels: Vec<(i32, i32)> = points.iter().map(|p| (p.0.round() as i32, p.1.round() as i32)).collect();
    pixels.dedup();
    pixels
}

/// Draws a polyline (device pixels).
pub(crate) fn draw_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    points: &[(f64, f64)],
    style: ShapeStyle,
) -> Result<()> {
    let pixels = to_pixels(points);
    if pixels.len() >= 2 {
        root.draw(&PathElement::new(pixels, style)).map_err(render_error)?;
    }
    Ok(())
}

/// Cuts a polyline into dashes of length `dash` separated by gaps of length `gap` (pixels along
/// the line).
pub(crate) fn dashes(points: &[(f64, f64)], dash: f64, gap: f64) -> Vec<Vec<(f64, f64)>> {
    let (dash, gap) = (dash.max(1.0), gap.max(1.0));
    let mut runs = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    // Distance left in the current dash (drawing) or gap (not drawing).
    let (mut drawing, mut left) = (true, dash);
    if let Some(&first) = points.first() {
        current.push(first);
    }
    for pair in points.windows(2) {
        let (mut from, to) = (pair[0], pair[1]);
        let mut length = (to.0 - from.0).hypot(to.1 - from.1);
        if !length.is_finite() {
            return Vec::new();
        }
        while length > left {
            let t = left / length;
            let cut = (from.0 + t * (to.0 - from.0), from.1 + t * (to.1 - from.1));
            if drawing {
                current.push(cut);
                runs.push(std::mem::take(&mut current));
            } else {
                current.push(cut);
            }
            length -= left;
            from = cut;
            drawing = !drawing;
            left = if drawing { dash } else { gap };
        }
        left -= length;
        if drawing {
            current.push(to);
        } else {
            current.clear();
        }
    }
    if drawing && current.len() >= 2 {
        runs.push(current);
    }
    runs
}

/// `colour` mixed into white: `strength` 0 is white, 1 the colour itself.
pub(crate) fn tint(colour: [u8; 3], strength: f64) -> [u8; 3] {
    let strength = if strength.is_finite() { strength.clamp(0.0, 1.0) } else { 0.0 };
    let mix = |c: u8| (255.0 + (c as f64 - 255.0) * strength).round() as u8;
    [mix(colour[0]), mix(colour[1]), mix(colour[2])]
}

/// A compact label for a number: three significant digits (all digits of whole numbers below a
/// million), no trailing zeros, scientific notation for very large or small magnitudes.
pub(crate) fn number(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "∞".into() } else { "−∞".into() };
    }
    if value == 0.0 {
        return "0".into();
    }
    let magnitude = value.abs();
    let text = if !(1e-3..1e6).contains(&magnitude) {
        let text = format!("{value:.2e}");
        match text.split_once('e') {
            Some((mantissa, exponent)) => {
                format!("{}e{exponent}", mantissa.trim_end_matches('0').trim_end_matches('.'))
            }
            None => text,
        }
    } else {
        let decimals = (2 - magnitude.log10().floor() as i32).clamp(0, 6) as usize;
        let text = format!("{value:.decimals$}");
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        }
    };
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        "0".into()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_readable() {
        assert_eq!(number(0.53), "0.53");
        assert_eq!(number(0.5349999), "0.535");
        assert_eq!(number(0.05172), "0.0517");
        assert_eq!(number(12.26), "12.3");
        assert_eq!(number(1234.5678), "1235");
        assert_eq!(number(-2.0), "-2");
        assert_eq!(number(0.0001234), "1.23e-4");
        assert_eq!(number(2.5e7), "2.5e7");
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(-0.0), "0");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let look = TextLook { size: 10.0, colour: [0, 0, 0], bold: false };
        assert_eq!(look.fit("abc", 100.0), "abc");
        let cut = look.fit("petal length (cm)", 40.0);
        assert!(cut.ends_with('…') && look.width(&cut) <= 40.0, "{cut}");
        assert_eq!(look.fit("abc", 5.0), "");
        let bold = TextLook { bold: true, ..look };
        assert!(bold.width("abc") > look.width("abc"));
        // A little too long: a smaller font; far too long: the smallest font, cut.
        let (text, smaller) = look.shrink_to_fit("abcdefghij", 0.9 * look.width("abcdefghij"), 0.8);
        assert_eq!(text, "abcdefghij");
        assert!((smaller.size - 9.0).abs() < 1e-9);
        let (text, smallest) = look.shrink_to_fit("abcdefghij", 0.5 * look.width("abcdefghij"), 0.8);
        assert!(text.ends_with('…') && smallest.size == 8.0 && smallest.width(&text) <= 0.5 * look.width("abcdefghij"));
        let (text, same) = look.shrink_to_fit("abc", 100.0, 0.8);
        assert_eq!((text.as_str(), same.size), ("abc", 10.0));
    }

    #[test]
    fn chinese_characters_are_a_full_em_wide_and_cut_by_their_width() {
        let look = TextLook { size: 10.0, colour: [0, 0, 0], bold: false };
        assert_eq!(look.width("隐藏层"), 30.0);
        assert!((look.width("隐藏层 2") - (30.0 + 2.0 * 5.8)).abs() < 1e-9);
        // room for the ellipsis (5.8) and two full-width characters in 26 px, not four
        assert_eq!(look.fit("特征重要性", 26.0), "特征…");
        assert!(look.width(&look.fit("学习率调节器", 40.0)) <= 40.0);
        assert!(!is_wide('a') && is_wide('学') && is_wide('，') && is_wide('Ａ'));
    }

    #[test]
    fn dashes_alternate_along_the_line() {
        let runs = dashes(&[(0.0, 0.0), (20.0, 0.0)], 5.0, 3.0);
        // 0–5, 8–13, 16–20.
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[0], vec![(0.0, 0.0), (5.0, 0.0)]);
        assert_eq!(runs[1], vec![(8.0, 0.0), (13.0, 0.0)]);
        assert_eq!(runs[2], vec![(16.0, 0.0), (20.0, 0.0)]);
        assert!(dashes(&[(0.0, 0.0), (f64::NAN, 1.0)], 5.0, 3.0).is_empty());
    }

    #[test]
    fn curves_start_and_end_at_their_ends() {
        let c = cubic((0.0, 0.0), (0.0, 5.0), (10.0, 5.0), (10.0, 10.0), 8);
        assert_eq!((c[0], c[8]), ((0.0, 0.0), (10.0, 10.0)));
        assert_eq!(c[4], (5.0, 5.0));
        let q = quadratic((0.0, 0.0), (5.0, -10.0), (10.0, 0.0), 4);
        assert_eq!(q[2], (5.0, -5.0));
        let r = rounded_rect((10.0, 10.0), (5.0, 3.0), 2.0);
        assert!(r.iter().all(|&(x, y)| (5..=15).contains(&x) && (7..=13).contains(&y)));
    }
}
