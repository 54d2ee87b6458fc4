//! The plot, the loss chart and the charts beside the plot ([`view_svg`]) as SVG (plotters' SVG backend): the same drawing code as the
//! canvas, so the same picture, with text as `<text>` (the words the page set, in its language).
//! Sizes: the drawing is in device pixels (its `viewBox`), the file's `width` / `height` in CSS
//! pixels, as the page shows it. The plot's decision surface is a raster the page holds: it comes
//! in as a PNG `data:` URL and goes in as an `<image>` under the points, as on the canvas.

use super::raster::Raster;
use super::{draw_loss, draw_scene, Layout, LossHistory, Scene};
use crate::error::Result;
use plotters::prelude::*;

/// The white background, and what goes on it before the drawing.
fn wrap(mut body: String, layout: &Layout, under: &str) -> Result<String> {
    let (w, h) = (layout.width, layout.height);
    let open = body.find('>').map(|i| i + 1).ok_or_else(|| err!(Render, "render", detail = "no <svg> element"))?;
    let css = |px: u32| format!("{}", px as f64 / layout.dpr);
    // plotters writes width="w" height="h" viewBox="0 0 w h": the size becomes CSS pixels
    let tag = body[..open].replacen(
        &format!("width=\"{w}\" height=\"{h}\""),
        &format!("width=\"{}\" height=\"{}\"", css(w), css(h)),
        1,
    );
    let background = format!("\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#FFFFFF\"/>{under}");
    body.replace_range(..open, &(tag + &background));
    Ok(body)
}

/// Draws with `paint` on an SVG drawing of `layout`'s size.
fn paint(
    layout: &Layout,
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<()>,
) -> Result<String> {
    let mut body = String::new();
    {
        let root = SVGBackend::with_string(&mut body, (layout.width, layout.height)).into_drawing_area();
        draw(&root)?;
        root.present().map_err(|e| err!(Render, "render", detail = e.to_string()))?;
    }
    Ok(body)
}

/// The plot as SVG: `scene` drawn at `width`×`height` device pixels, ratio `dpr`, over the
/// decision surface `surface_png` (a `data:image/png;base64,` URL; anything else is refused).
pub fn scene_svg(scene: &Scene, width: u32, height: u32, dpr: f64, surface_png: Option<&str>) -> Result<String> {
    let layout = Layout::new(width, height, dpr);
    let body = paint(&layout, |root| draw_scene(root, &layout, scene, false))?;
    let image = match surface_png {
        None => String::new(),
        Some(url) => {
            let data = url.strip_prefix("data:image/png;base64,").unwrap_or("");
            if data.is_empty() || !data.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)) {
                return Err(err!(InvalidInput, "svg_surface"));
            }
            let (x0, y0, x1, y1) = layout.plot;
            format!(
                "\n<image x=\"{x0}\" y=\"{y0}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" href=\"{url}\"/>",
                x1 - x0,
                y1 - y0
            )
        }
    };
    wrap(body, &layout, &image)
}

/// The loss chart as SVG (its words, "epoch" and "loss", in the page's language).
pub fn loss_svg(history: &LossHistory, width: u32, height: u32, dpr: f64, log_scale: bool) -> Result<String> {
    let layout = Layout::new(width, height, dpr);
    let body = paint(&layout, |root| draw_loss(root, &layout, history, log_scale))?;
    wrap(body, &layout, "")
}

/// The side of a cell of the tuning surface in SVG, in CSS pixels: the surface is smooth (an
/// interpolated grid), so cells this size show it as the canvas does at a fraction of the size
/// of one `<rect>` per pixel.
const SURFACE_CELL: f64 = 4.0;

/// A chart as SVG, drawn by `draw` at `width`×`height` device pixels, ratio `dpr`; `draw` is
/// handed the layout and a raster sink that writes a raster layer (the tuning surface) as a grid
/// of cells of [`SURFACE_CELL`] CSS pixels (one `<rect>` per pixel would be megabytes).
pub fn chart_svg(
    width: u32,
    height: u32,
    dpr: f64,
    draw: impl FnOnce(
        &DrawingArea<SVGBackend, plotters::coord::Shift>,
        &Layout,
        &mut dyn FnMut(&Raster, i32, i32) -> Result<()>,
    ) -> Result<()>,
) -> Result<String> {
    let layout = Layout::new(width, height, dpr);
    let cell = (SURFACE_CELL * layout.dpr).round().max(1.0) as u32;
    let body = paint(&layout, |root| {
        let mut cells = |raster: &Raster, x: i32, y: i32| -> Result<()> {
            for j in (0..raster.height).step_by(cell as usize) {
                for i in (0..raster.width).step_by(cell as usize) {
                    let (w, h) = (cell.min(raster.width - i), cell.min(raster.height - j));
                    let Some([r, g, b, a]) = raster.pixel(i + w / 2, j + h / 2) else { continue };
                    if a == 0 {
                        continue;
                    }
                    let (x0, y0) = (x + i as i32, y + j as i32);
                    let colour = RGBColor(r, g, b).mix(a as f64 / 255.0).filled();
                    root.draw(&Rectangle::new([(x0, y0), (x0 + w as i32, y0 + h as i32)], colour))
                        .map_err(|e| err!(Render, "render", detail = e.to_string()))?;
                }
            }
            Ok(())
        };
        draw(root, &layout, &mut cells)
    })?;
    wrap(body, &layout, "")
}
