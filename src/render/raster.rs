//! The raster layer: per-pixel pictures (the error band, decision surfaces) as an RGBA buffer the
//! page blits with `putImageData` under the vector layer. Going through plotters pixel by pixel
//! would cost one canvas `fillRect` per pixel; this is one copy.
//!
//! Also the colour maps for such pictures: [`diverging`] for a probability and [`class_colour`]
//! for a predicted class, which [`surface`] applies to a whole grid of class probabilities.

use super::geometry::{Layout, View};
use super::palette::{class_hue, BAND_COLOUR, CLASS_COLOURS};
use super::surface::{boundaries_of_corners, boundaries_of_winners, mixed_in_row, NO_WINNER};
use super::Scene;
use std::collections::HashMap;

/// A `width`×`height` picture, row-major RGBA with straight (not premultiplied) alpha, as
/// `ImageData` wants it.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl Raster {
    /// A fully transparent raster.
    pub fn new(width: u32, height: u32) -> Raster {
        Raster { width, height, rgba: vec![0; width as usize * height as usize * 4] }
    }

    /// A raster whose pixel `(x, y)` (x to the right, y down) is `colour(x, y)`.
    pub fn from_fn(width: u32, height: u32, mut colour: impl FnMut(u32, u32) -> [u8; 4]) -> Raster {
        let mut rgba = Vec::with_capacity(width as usize * height as usize * 4);
        for y in 0..height {
            for x in 0..width {
                rgba.extend_from_slice(&colour(x, y));
            }
        }
        Raster { width, height, rgba }
    }

    /// The pixel at `(x, y)`, or `None` outside the raster.
    pub fn pixel(&self, x: u32, y: u32) -> Option<[u8; 4]> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let at = (y as usize * self.width as usize + x as usize) * 4;
        let slice = self.rgba.get(at..at + 4)?;
        Some([slice[0], slice[1], slice[2], slice[3]])
    }

    /// Composites this raster onto an RGB buffer of `buf_width`×`buf_height` pixels (such as
    /// plotters' `BitMapBackend` buffer) with its top-left corner at `(x0, y0)`: alpha over what
    /// is there. Parts outside the buffer are skipped.
    pub fn blit_over_rgb(&self, rgb: &mut [u8], buf_width: u32, buf_height: u32, x0: i32, y0: i32) {
        let (buf_width, buf_height) = (buf_width as i64, buf_height as i64);
        for row in 0..self.height as i64 {
            let y = y0 as i64 + row;
            if y < 0 || y >= buf_height {
                continue;
            }
            for column in 0..self.width as i64 {
                let x = x0 as i64 + column;
                if x < 0 || x >= buf_width {
                    continue;
                }
                let source_at = ((row * self.width as i64 + column) * 4) as usize;
                let target_at = ((y * buf_width + x) * 3) as usize;
                let (Some(source), Some(target)) =
                    (self.rgba.get(source_at..source_at + 4), rgb.get_mut(target_at..target_at + 3))
                else {
                    continue;
                };
                let alpha = source[3] as u32;
                for channel in 0..3 {
                    let blended = (source[channel] as u32 * alpha + target[channel] as u32 * (255 - alpha) + 127) / 255;
                    target[channel] = blended as u8;
                }
            }
        }
    }
}

/// Opacity of the band at the curve and at its edge: a soft fill, stronger near the curve.
const BAND_ALPHA_CENTRE: f64 = 0.34;
const BAND_ALPHA_EDGE: f64 = 0.10;

/// The shaded band `|y − f(x)| ≤ band` around the curve, the size of `layout.plot` (place it at
/// the plot's top-left corner), with `f` interpolated linearly between the curve's samples at each
/// pixel column. Translucent [`BAND_COLOUR`], strongest on the curve and fading towards the
/// band's edge; transparent elsewhere and where the curve is missing (NaN, or outside its
/// x-range). `None` when there is no band to draw (no band, non-positive or non-finite width, no
/// curve, or an empty plot).
pub fn error_band(layout: &Layout, scene: &Scene) -> Option<Raster> {
    let band = scene.band.filter(|b| b.is_finite() && *b > 0.0)?;
    if !layout.has_plot() {
        return None;
    }
    let view = scene.view.sanitized();
    let mut curve: Vec<(f64, f64)> = scene.curve.iter().copied().filter(|(x, _)| x.is_finite()).collect();
    if curve.iter().all(|(_, y)| !y.is_finite()) {
        return None;
    }
    curve.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (width, height) = layout.plot_size();
    let (x0, y0, _, _) = layout.plot;
    let mut raster = Raster::new(width, height);
    // Half a pixel column in data units: how far past the curve's ends a column still counts.
    let slack = 0.5 * (view.x.1 - view.x.0) / width.max(1) as f64;
    for column in 0..width {
        let (x, _) = layout.to_data(&view, (x0 + column as i32) as f64, 0.0);
        let Some(centre) = interpolate(&curve, x, slack) else { continue };
        let (_, top) = layout.to_pixel(&view, x, centre + band);
        let (_, bottom) = layout.to_pixel(&view, x, centre - band);
        let first_row = ((top - y0 as f64).ceil().max(0.0) as u32).min(height);
        let last_row = ((bottom - y0 as f64).floor().min(height as f64 - 1.0).max(-1.0)) as i64;
        for row in first_row as i64..=last_row {
            let (_, y) = layout.to_data(&view, 0.0, (y0 as i64 + row) as f64);
            let distance = ((y - centre).abs() / band).min(1.0);
            let alpha = BAND_ALPHA_EDGE + (BAND_ALPHA_CENTRE - BAND_ALPHA_EDGE) * (1.0 - distance);
            let at = ((row as usize) * width as usize + column as usize) * 4;
            if let Some(pixel) = raster.rgba.get_mut(at..at + 4) {
                pixel.copy_from_slice(&[BAND_COLOUR[0], BAND_COLOUR[1], BAND_COLOUR[2], (alpha * 255.0).round() as u8]);
            }
        }
    }
    Some(raster)
}

/// The curve's value at `x` by linear interpolation between the samples around it (sorted by x),
/// `None` if `x` is outside the sampled range (beyond `slack`) or next to a missing sample.
fn interpolate(curve: &[(f64, f64)], x: f64, slack: f64) -> Option<f64> {
    let (first, last) = (curve.first()?, curve.last()?);
    if x < first.0 - slack || x > last.0 + slack {
        return None;
    }
    let x = x.clamp(first.0, last.0);
    let after = curve.partition_point(|p| p.0 < x);
    let value = match (after.checked_sub(1).and_then(|i| curve.get(i)), curve.get(after)) {
        (_, Some(&(xb, yb))) if xb == x => yb,
        (Some(&(xa, ya)), Some(&(xb, yb))) => ya + (yb - ya) * (x - xa) / (xb - xa),
        (Some(&(_, ya)), None) => ya,
        (None, Some(&(_, yb))) => yb,
        (None, None) => return None,
    };
    value.is_finite().then_some(value)
}

/// Mixes `colour` into white by `strength` in [0, 1] (0 = white).
fn tint(colour: [u8; 3], strength: f64) -> [u8; 4] {
    let mix = |c: u8| (255.0 + (c as f64 - 255.0) * strength).round() as u8;
    [mix(colour[0]), mix(colour[1]), mix(colour[2]), 255]
}

/// How strongly decision surfaces are tinted at full certainty: light enough for points on top
/// to stand out.
const SURFACE_STRENGTH: f64 = 0.55;

/// Diverging colour map for a probability `p` of class 1: the class-0 hue (`CLASS_COLOURS[0]`,
/// blue) at 0, white at 0.5, the class-1 hue (`CLASS_COLOURS[1]`, orange) at 1, opaque. The
/// strength is `|2p − 1|`, the margin between the two classes. Out-of-range values are clamped;
/// NaN is transparent.
pub fn diverging(p: f64) -> [u8; 4] {
    if p.is_nan() {
        return [0, 0, 0, 0];
    }
    let p = p.clamp(0.0, 1.0);
    let hue = if p < 0.5 { CLASS_COLOURS[0] } else { CLASS_COLOURS[1] };
    tint(hue, SURFACE_STRENGTH * (2.0 * p - 1.0).abs())
}

/// Colour of a region predicted as `class` with strength `confidence` in [0, 1]: the class's hue
/// from [`CLASS_COLOURS`] (cycling beyond five), from white at 0 to the full surface tint at 1,
/// opaque. Non-finite confidence counts as 0. [`surface`] passes the margin between the winning
/// class's probability and the runner-up's, so near-ties are pale.
pub fn class_colour(class: usize, confidence: f64) -> [u8; 4] {
    let confidence = if confidence.is_finite() { confidence.clamp(0.0, 1.0) } else { 0.0 };
    tint(class_hue(class), SURFACE_STRENGTH * confidence)
}

/// Steps of the colour look-up tables [`surface`] uses instead of mixing colours per pixel: fine
/// enough that neighbouring steps differ by at most one unit per channel.
const LEVELS: usize = 256;

/// The look-up table step of a value in [0, 1] (clamped; the caller has ruled out NaN).
fn level(value: f64) -> usize {
    ((value.clamp(0.0, 1.0) * (LEVELS - 1) as f64 + 0.5) as usize).min(LEVELS - 1)
}

/// The decision surface: a `width`×`height` raster coloured by the class probabilities of each
/// pixel. `probabilities` is row-major per pixel, `k = n_classes` values each: pixel `(x, y)`
/// (row 0 at the top) has its probabilities at `(y·width + x)·k ..`; evaluate the model on
/// `surface::grid_points(view.x.0, view.x.1, view.y.0, view.y.1, width, height)` to get them in
/// this order.
///
/// - Two classes: [`diverging`] of P(class 1), so the surface agrees with the class colours of
///   the points: blue where class 0 is sure, orange where class 1 is, white on the boundary.
/// - More classes: [`class_colour`] of the most probable class, as strong as its lead over the
///   runner-up (`p_max − p_second`): saturated where the model is sure, pale near a tie, white
///   on a boundary.
///
/// Opaque, at most 55% of the way from white to the hue, so points drawn over it stay clear.
/// Pixels with a NaN probability, or beyond the end of `probabilities`, are transparent; fewer
/// than two classes give a transparent raster. Colours come from small look-up tables: no
/// allocation or transcendental function per pixel.
pub fn surface(probabilities: &[f64], n_classes: usize, width: u32, height: u32) -> Raster {
    paint(probabilities, n_classes, width, height, None)
}

/// [`surface`] and `surface::boundary_contours` of the same probabilities in one pass over them
/// (they are megabytes for a large plot, so reading them once matters): the raster to blit and
/// the boundaries for `Scene::contours`.
pub fn decision_surface(
    probabilities: &[f64],
    n_classes: usize,
    width: u32,
    height: u32,
    view: &View,
) -> (Raster, Vec<Vec<(f64, f64)>>) {
    let mut winners = Vec::new();
    let raster = paint(probabilities, n_classes, width, height, Some(&mut winners));
    let (width, height) = (width as usize, height as usize);
    let contours = if n_classes < NO_WINNER as usize {
        boundaries_of_winners(probabilities, n_classes, width, height, &winners, view)
    } else {
        Vec::new()
    };
    (raster, contours)
}

/// Pixels per band of rows that [`decision_surface_in_bands`] asks for at a time.
const BAND_PIXELS: usize = 65_536;

/// Rows a band of [`BAND_PIXELS`] holds on a grid `width` wide: at least two (a grid of one row
/// has no picture).
fn band_rows(width: usize) -> usize {
    (BAND_PIXELS / width.max(1)).max(2)
}

/// The bands of rows of a `width × height` grid, top first: [`band_rows`] each, a last row left
/// alone joined to the band before.
fn bands_of_rows(width: usize, height: usize) -> Vec<std::ops::Range<usize>> {
    let rows = band_rows(width);
    let mut bands = Vec::new();
    let mut start = 0;
    while start < height {
        let mut end = (start + rows).min(height);
        if height - end == 1 {
            end = height;
        }
        bands.push(start..end);
        start = end;
    }
    bands
}

/// [`decision_surface`] of a grid whose probabilities come a band of whole rows at a time, top
/// first: `band(rows)` gives the probabilities of rows `rows` as [`surface`] takes them (or None:
/// no surface). The same raster and contours as [`decision_surface`] of all the bands together,
/// collected into one raster (see [`decision_surface_in_bands`], which hands the bands out).
pub fn decision_surface_by_rows(
    n_classes: usize,
    width: u32,
    height: u32,
    view: &View,
    band: impl FnMut(std::ops::Range<usize>) -> Option<Vec<f64>>,
) -> Option<(Raster, Vec<Vec<(f64, f64)>>)> {
    let mut raster = Raster::new(width, height);
    let w = width as usize;
    let contours = decision_surface_in_bands(n_classes, width, height, view, band, |rows, rgba| {
        raster.rgba[rows.start * w * 4..rows.end * w * 4].copy_from_slice(rgba);
    })?;
    Some((raster, contours))
}

/// [`decision_surface`] a band of whole rows at a time, top first: `band(rows)` gives the
/// probabilities of rows `rows` (or None: no surface, and the bands given out so far are void),
/// `sink(rows, rgba)` takes the band's colours; returns the boundaries. The same pixels and lines
/// as [`decision_surface`] of all the bands together, but only one band's probabilities, colours
/// and winners (and the row above it), and every class's probability at the corners of the cells
/// a boundary crosses, are held at a time: a wasm instance's memory only grows, so a
/// full-resolution plot's peak stayed for the element's life (24 MB for a 1,300 × 950 plot, 9.9 MB
/// with the whole raster and winners kept; embeds, issue 15). The caller keeps the pixels where it
/// likes (the page: in a JavaScript array, outside the wasm's memory).
pub fn decision_surface_in_bands(
    n_classes: usize,
    width: u32,
    height: u32,
    view: &View,
    mut band: impl FnMut(std::ops::Range<usize>) -> Option<Vec<f64>>,
    mut sink: impl FnMut(std::ops::Range<usize>, &[u8]),
) -> Option<Vec<Vec<(f64, f64)>>> {
    let (w, h, k) = (width as usize, height as usize, n_classes);
    if k < 2 || k >= NO_WINNER as usize {
        // no classes to tell apart (a transparent picture), or more than winners can name
        let (raster, contours) = decision_surface(&band(0..h)?, n_classes, width, height, view);
        sink(0..h, &raster.rgba);
        return Some(contours);
    }
    let rows = band_rows(w);
    let bands = bands_of_rows(w, h);
    // the winners of the row above the band, then the band's
    let mut winners: Vec<u16> = Vec::with_capacity((rows + 2) * w);
    // the cells a boundary can cross, and every class's probability at their corners (at
    // `corners[i]` in `values`): all the lines need
    let mut mixed = Vec::new();
    let mut corners: HashMap<usize, usize> = HashMap::new();
    let mut values: Vec<f64> = Vec::new();
    // the probabilities of the row above the band
    let mut above: Vec<f64> = Vec::new();
    for rows in bands {
        let p = band(rows.clone())?;
        if p.len() != rows.len() * w * k {
            return None;
        }
        // rows `first..` are in `winners`: the row above the band (none for the first) and the band
        let first = rows.start.saturating_sub(1);
        winners.drain(..winners.len().saturating_sub(w));
        let part = paint(&p, k, width, rows.len() as u32, Some(&mut winners));
        sink(rows.clone(), &part.rgba);
        drop(part);
        let point = |i: usize| {
            if i < rows.start * w {
                &above[(i % w) * k..(i % w + 1) * k]
            } else {
                &p[(i - rows.start * w) * k..(i - rows.start * w + 1) * k]
            }
        };
        // the cells between each row and the next whose lower row is in this band
        for row in first..rows.end - 1 {
            let from = mixed.len();
            let local = row - first;
            mixed_in_row(w, row, &winners[local * w..(local + 2) * w], &mut mixed);
            for &cell in &mixed[from..] {
                for i in [cell, cell + 1, cell + w, cell + w + 1] {
                    corners.entry(i).or_insert_with(|| {
                        values.extend_from_slice(point(i));
                        values.len() / k - 1
                    });
                }
            }
        }
        above = p[(rows.len() - 1) * w * k..].to_vec();
    }
    let point = |i: usize| corners.get(&i).map_or(&[][..], |&at| &values[at * k..(at + 1) * k]);
    Some(boundaries_of_corners(&point, k, w, h, mixed, view))
}

/// The compare view's three maps (two models' [`surface`]s and their [`difference_map`]) of a
/// grid whose probabilities come a band of whole rows at a time: `band(rows)` gives both models'
/// probabilities of rows `rows` (or None: no maps, and the bands given so far are void);
/// `sink(map, rows, rgba)` takes each band of each map (map 0, 1, 2: the first model's surface,
/// the second's, their difference). The same pixels as painting the whole grid at once (each
/// pixel's colour is its own probabilities'), but only one band's probabilities and colours are
/// held: two models' k values per pixel in f64 were 5.5 MB for a 600 × 600 two-class plot, in a
/// wasm memory that only grows (issue 15); the caller keeps the pixels where it likes (the page:
/// outside the wasm's memory).
pub fn compare_maps_in_bands(
    n_classes: usize,
    width: u32,
    height: u32,
    mut band: impl FnMut(std::ops::Range<usize>) -> Option<(Vec<f64>, Vec<f64>)>,
    mut sink: impl FnMut(usize, std::ops::Range<usize>, &[u8]),
) -> Option<()> {
    for rows in bands_of_rows(width as usize, height as usize) {
        let (a, b) = band(rows.clone())?;
        let n = rows.len() as u32;
        sink(0, rows.clone(), &surface(&a, n_classes, width, n).rgba);
        sink(1, rows.clone(), &surface(&b, n_classes, width, n).rgba);
        sink(2, rows, &difference_map(&a, &b, n_classes, width, n).rgba);
    }
    Some(())
}

/// Colours the surface; also records each pixel's winning class (see `surface::winner`) in
/// `winners` when given, one per pixel with probabilities.
fn paint(
    probabilities: &[f64],
    n_classes: usize,
    width: u32,
    height: u32,
    mut winners: Option<&mut Vec<u16>>,
) -> Raster {
    let mut raster = Raster::new(width, height);
    if n_classes < 2 {
        return raster;
    }
    if let Some(winners) = winners.as_deref_mut() {
        winners.reserve(raster.rgba.len() / 4);
    }
    let pixels = raster.rgba.chunks_exact_mut(4).zip(probabilities.chunks_exact(n_classes));
    if n_classes == 2 {
        let table: Vec<[u8; 4]> = (0..LEVELS).map(|i| diverging(i as f64 / (LEVELS - 1) as f64)).collect();
        // Neighbouring pixels often share their probability (a tree's leaves, saturated
        // regions): the colour of the last one is kept for the next.
        let (mut last, mut colour) = (f64::NAN, [0u8; 4]);
        match winners {
            None => {
                for (pixel, p) in pixels {
                    let p1 = p[1];
                    if p1 != last {
                        (last, colour) = (p1, if p1.is_nan() { [0; 4] } else { table[level(p1)] });
                    }
                    pixel.copy_from_slice(&colour);
                }
            }
            Some(winners) => {
                for (pixel, p) in pixels {
                    let (p0, p1) = (p[0], p[1]);
                    if p1 != last {
                        (last, colour) = (p1, if p1.is_nan() { [0; 4] } else { table[level(p1)] });
                    }
                    pixel.copy_from_slice(&colour);
                    winners.push(if p0.is_nan() || p1.is_nan() { NO_WINNER } else { u16::from(p1 >= 0.5) });
                }
            }
        }
        return raster;
    }
    let tables: Vec<Vec<[u8; 4]>> = (0..CLASS_COLOURS.len())
        .map(|class| (0..LEVELS).map(|i| class_colour(class, i as f64 / (LEVELS - 1) as f64)).collect())
        .collect();
    // The last pixel's probabilities, colour (None: transparent) and winner, kept for
    // neighbours with equal probabilities.
    let mut last: (&[f64], Option<[u8; 4]>, u16) = (&[], None, NO_WINNER);
    for (pixel, p) in pixels {
        if p != last.0 {
            let (mut best, mut best_p, mut second_p, mut sum) = (0, f64::NEG_INFINITY, f64::NEG_INFINITY, 0.0);
            for (class, &value) in p.iter().enumerate() {
                sum += value;
                if value > best_p {
                    (best, best_p, second_p) = (class, value, best_p);
                } else if value > second_p {
                    second_p = value;
                }
            }
            // A NaN anywhere makes the sum NaN (the comparisons alone would pass over it).
            let nan = sum.is_nan() && p.iter().any(|v| v.is_nan());
            last = if nan {
                (p, None, NO_WINNER)
            } else {
                (p, Some(tables[best % CLASS_COLOURS.len()][level(best_p - second_p)]), best as u16)
            };
        }
        if let Some(colour) = last.1 {
            pixel.copy_from_slice(&colour);
        }
        if let Some(winners) = winners.as_deref_mut() {
            winners.push(last.2);
        }
    }
    raster
}

/// The hue of pixels where two models predict different classes (the compare view's third map).
pub const CHANGED_COLOUR: [u8; 3] = [214, 39, 40];
/// The hue of how far two models' probabilities are apart where they agree on the class.
pub const MOVED_COLOUR: [u8; 3] = [80, 80, 96];

/// Where two models' predictions differ, pixel by pixel (both `probabilities` as [`surface`]
/// takes them): red where the most probable class changed, else grey as dark as the total
/// variation `½ Σ |pa − pb|` (white where they agree exactly, full grey at a distance of 0.25 or
/// more, so small moves show). NaN or missing values are transparent.
pub fn difference_map(a: &[f64], b: &[f64], n_classes: usize, width: u32, height: u32) -> Raster {
    let mut raster = Raster::new(width, height);
    if n_classes < 2 {
        return raster;
    }
    let argmax =
        |p: &[f64]| p.iter().enumerate().fold((0, f64::NEG_INFINITY), |m, (c, &v)| if v > m.1 { (c, v) } else { m }).0;
    for ((pixel, pa), pb) in
        raster.rgba.chunks_exact_mut(4).zip(a.chunks_exact(n_classes)).zip(b.chunks_exact(n_classes))
    {
        let distance = 0.5 * pa.iter().zip(pb).map(|(x, y)| (x - y).abs()).sum::<f64>();
        if distance.is_nan() {
            continue;
        }
        let colour = if argmax(pa) != argmax(pb) {
            tint(CHANGED_COLOUR, 0.75)
        } else {
            tint(MOVED_COLOUR, 0.85 * (distance / 0.25).min(1.0))
        };
        pixel.copy_from_slice(&colour);
    }
    raster
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::surface::boundary_contours;

    #[test]
    fn from_fn_is_row_major_and_pixel_reads_it_back() {
        let raster = Raster::from_fn(3, 2, |x, y| [x as u8, y as u8, 7, 255]);
        assert_eq!(raster.rgba.len(), 24);
        assert_eq!(raster.pixel(2, 1), Some([2, 1, 7, 255]));
        assert_eq!(&raster.rgba[4..8], &[1, 0, 7, 255]);
        assert_eq!(raster.pixel(3, 0), None);
        assert!(Raster::new(4, 5).rgba.iter().all(|&b| b == 0));
    }

    #[test]
    fn blit_composites_alpha_over_white_and_clips_to_the_buffer() {
        let mut rgb = vec![255u8; 4 * 3 * 3];
        // Opaque red, half-transparent blue, fully transparent green; 3×1 at (2, 1): last clipped.
        let raster = Raster { width: 3, height: 1, rgba: vec![255, 0, 0, 255, 0, 0, 255, 128, 0, 255, 0, 0] };
        raster.blit_over_rgb(&mut rgb, 4, 3, 2, 1);
        let at = |x: usize, y: usize| [rgb[(y * 4 + x) * 3], rgb[(y * 4 + x) * 3 + 1], rgb[(y * 4 + x) * 3 + 2]];
        assert_eq!(at(2, 1), [255, 0, 0]);
        assert_eq!(at(3, 1), [127, 127, 255]);
        assert_eq!(at(1, 1), [255, 255, 255]);
        // Negative offsets and short buffers do not panic.
        raster.blit_over_rgb(&mut rgb, 4, 3, -2, -1);
        raster.blit_over_rgb(&mut rgb[..5], 4, 3, 0, 0);
    }

    fn flat_scene(band: Option<f64>) -> Scene {
        // The curve y = 1 across the view, sampled coarsely (interpolation fills the columns).
        Scene {
            view: View { x: (0.0, 10.0), y: (-4.0, 6.0) },
            curve: (0..=10).map(|i| (i as f64, 1.0)).collect(),
            band,
            ..Scene::default()
        }
    }

    #[test]
    fn band_is_tinted_within_and_transparent_outside() {
        let layout = Layout::new(400, 300, 1.0);
        let raster = error_band(&layout, &flat_scene(Some(2.0))).unwrap();
        assert_eq!((raster.width, raster.height), layout.plot_size());
        let view = flat_scene(None).view;
        let row_of = |y: f64| (layout.to_pixel(&view, 0.0, y).1 - layout.plot.1 as f64).round() as u32;
        let column = 150;
        let on_curve = raster.pixel(column, row_of(1.0)).unwrap();
        let near_edge = raster.pixel(column, row_of(2.9)).unwrap();
        assert_eq!(&on_curve[..3], &BAND_COLOUR);
        assert!(on_curve[3] > near_edge[3] && near_edge[3] > 0, "{on_curve:?} vs {near_edge:?}");
        assert_eq!(raster.pixel(column, row_of(3.2)).unwrap()[3], 0);
        assert_eq!(raster.pixel(column, row_of(-1.2)).unwrap()[3], 0);
        assert!(raster.pixel(column, row_of(-0.8)).unwrap()[3] > 0);
    }

    #[test]
    fn band_skips_missing_curve_and_needs_a_positive_width() {
        let layout = Layout::new(400, 300, 1.0);
        assert!(error_band(&layout, &flat_scene(None)).is_none());
        assert!(error_band(&layout, &flat_scene(Some(0.0))).is_none());
        assert!(error_band(&layout, &flat_scene(Some(f64::NAN))).is_none());
        assert!(error_band(&Layout::new(20, 20, 1.0), &flat_scene(Some(1.0))).is_none());
        // A NaN sample at x = 5 leaves the columns next to it empty; the rest is drawn.
        let mut scene = flat_scene(Some(1.0));
        scene.curve[5].1 = f64::NAN;
        let raster = error_band(&layout, &scene).unwrap();
        let view = scene.view;
        let column_of = |x: f64| (layout.to_pixel(&view, x, 0.0).0 - layout.plot.0 as f64).round() as u32;
        let row = (layout.to_pixel(&view, 0.0, 1.0).1 - layout.plot.1 as f64).round() as u32;
        assert_eq!(raster.pixel(column_of(4.5), row).unwrap()[3], 0);
        assert!(raster.pixel(column_of(2.0), row).unwrap()[3] > 0);
        assert!(raster.pixel(column_of(8.0), row).unwrap()[3] > 0);
    }

    #[test]
    fn colour_maps_have_the_promised_ends() {
        let white_ish = diverging(0.5);
        assert!(white_ish[..3].iter().all(|&c| c >= 250));
        let (zero, one) = (diverging(0.0), diverging(1.0));
        assert!(zero[2] > zero[0], "p = 0 is blue: {zero:?}");
        assert!(one[0] > one[2], "p = 1 is orange: {one:?}");
        assert_eq!(diverging(-3.0), zero);
        assert_eq!(diverging(f64::NAN)[3], 0);
        // Confidence deepens the colour; classes cycle through five hues.
        let (weak, strong) = (class_colour(2, 0.4), class_colour(2, 1.0));
        assert!(strong[0] < weak[0] && strong[1] < weak[1]);
        assert_eq!(class_colour(7, 0.8), class_colour(2, 0.8));
        assert_ne!(class_colour(0, 0.9), class_colour(1, 0.9));
    }

    /// The colour of one pixel as `surface` promises it, computed on its own.
    fn reference(p: &[f64]) -> [u8; 4] {
        if p.iter().any(|v| v.is_nan()) && (p.len() > 2 || p[1].is_nan()) {
            return [0; 4];
        }
        let quantised = |v: f64| level(v) as f64 / (LEVELS - 1) as f64;
        if let [_, p1] = *p {
            return diverging(quantised(p1));
        }
        let mut sorted: Vec<(f64, usize)> = p.iter().enumerate().map(|(c, &v)| (v, c)).collect();
        // Highest first, the first class of equals ahead.
        sorted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        class_colour(sorted[0].1, quantised(sorted[0].0 - sorted[1].0))
    }

    #[test]
    fn surface_colours_every_pixel_as_promised_with_runs_nan_and_ties() {
        let view = View { x: (0.0, 1.0), y: (0.0, 1.0) };
        for k in [2usize, 3, 4, 7] {
            let (width, height) = (13u32, 11u32);
            // Runs of equal pixels (as a tree gives), smooth values, ties, NaN, out of range.
            let mut probabilities = Vec::new();
            for i in 0..(width * height) as usize {
                let run = (i / 5) as f64;
                let mut p: Vec<f64> =
                    (0..k).map(|c| ((run * 0.37 + c as f64 * 0.61).sin() * 0.5 + 0.5) / k as f64).collect();
                match i % 17 {
                    3 => p[k - 1] = f64::NAN,
                    7 => p[0] = 1.7,
                    11 => p[1] = -0.3,
                    13 => {
                        let top = p.iter().copied().fold(0.0, f64::max);
                        p[0] = top;
                        p[k - 1] = top;
                    }
                    _ => {}
                }
                probabilities.extend(p);
            }
            let raster = surface(&probabilities, k, width, height);
            let (both, contours) = decision_surface(&probabilities, k, width, height, &view);
            assert_eq!(raster, both);
            for (i, p) in probabilities.chunks_exact(k).enumerate() {
                let (x, y) = (i as u32 % width, i as u32 / width);
                assert_eq!(raster.pixel(x, y), Some(reference(p)), "{k} classes, pixel {i}: {p:?}");
            }
            assert_eq!(contours, boundary_contours(&probabilities, k, width, height, &view));
        }
    }

    #[test]
    fn difference_map_marks_changed_classes_red_and_equal_pixels_white() {
        let a = [0.9, 0.1, 0.4, 0.6, 0.8, 0.2];
        let b = [0.9, 0.1, 0.6, 0.4, 0.7, 0.3];
        let r = difference_map(&a, &b, 2, 3, 1);
        assert_eq!(r.pixel(0, 0), Some([255, 255, 255, 255]));
        assert_eq!(r.pixel(1, 0), Some(tint(CHANGED_COLOUR, 0.75)));
        // the same class, moved by 0.1: grey at 0.4 of full
        assert_eq!(r.pixel(2, 0), Some(tint(MOVED_COLOUR, 0.85 * 0.4)));
    }
}
