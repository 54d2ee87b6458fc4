//! The neural-network diagram: neurons as circles in columns (inputs, hidden layers, output),
//! weights as lines whose width grows with |w| and whose hue gives the sign (blue positive,
//! orange negative), skip connections as dashed arcs, and the hovered neuron emphasised with its
//! own connections. Also the small per-neuron pictures ([`neuron_thumbnail`]) the page places on
//! the hidden neurons (at [`neuron_centres`], [`neuron_radii`] big).
//!
//! [`NetworkDiagram`] is plain data (serde) the network builds (`model::mlp::view`), so a Web Worker can build it and
//! post it to the page; [`draw_network`] draws it on any plotters backend and [`network_hit`] says
//! which neuron is under a pixel, from the same layout.

use super::geometry::Layout;
use super::palette::{rgb, BACKGROUND_COLOUR, CURVE_COLOUR, TEST_COLOUR, TEXT_COLOUR, TRAIN_COLOUR};
use super::raster::{diverging, Raster};
use super::render_error;
use super::shapes::{self, draw_text, TextLook};
use super::words::{word, word_with};
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, VPos};

/// Weight lines drawn at most; beyond this only the strongest are drawn.
pub const MAX_WEIGHT_LINES: usize = 3000;
/// Layers wider than this make the diagram undrawable (a damaged file, not a real network).
const MAX_LAYER_WIDTH: usize = 10_000;
/// Thumbnails are at most this many pixels on a side.
pub const MAX_THUMBNAIL_SIDE: u32 = 1024;

/// Colour of a positive weight (blue) and of a negative one (orange).
pub const POSITIVE_COLOUR: [u8; 3] = TRAIN_COLOUR;
pub const NEGATIVE_COLOUR: [u8; 3] = TEST_COLOUR;
/// Skip connections, neuron outlines, input neurons' fill, secondary text, the hover glow.
const SKIP_COLOUR: [u8; 3] = [128, 96, 176];
const NEURON_BORDER_COLOUR: [u8; 3] = [120, 120, 132];
const INPUT_FILL_COLOUR: [u8; 3] = [240, 240, 244];
const MUTED_TEXT_COLOUR: [u8; 3] = [110, 110, 118];
const HALO_COLOUR: [u8; 3] = [255, 196, 0];
/// The weights of a frozen layer (grey: training leaves them as they are), and its label.
pub const FROZEN_COLOUR: [u8; 3] = [150, 156, 170];
const FROZEN_TEXT_COLOUR: [u8; 3] = [70, 90, 130];

/// Sizes in CSS pixels.
mod size {
    pub const MARGIN: f64 = 12.0;
    /// Room above the columns for their titles.
    pub const HEADER: f64 = 40.0;
    /// The widest input / output label.
    pub const MAX_LABEL: f64 = 96.0;
    pub const LABEL_GAP: f64 = 6.0;
    pub const MAX_RADIUS: f64 = 16.0;
    /// Neurons of a column are at most this far apart.
    pub const MAX_SPACING: f64 = 64.0;
    pub const MIN_LINE: f64 = 0.6;
    pub const MAX_LINE: f64 = 5.0;
    pub const SKIP_LINE: f64 = 1.5;
    pub const DASH: f64 = 5.0;
    pub const DASH_GAP: f64 = 4.0;
    pub const BORDER: f64 = 1.25;
    pub const HIGHLIGHT_BORDER: f64 = 2.5;
    pub const HALO: f64 = 5.0;
    pub const TITLE_FONT: f64 = 11.5;
    pub const FONT: f64 = 10.5;
    /// Labels need neurons at least this far apart.
    pub const MIN_LABEL_SPACING: f64 = 11.0;
    /// Hovering within this distance of a neuron's edge counts as on it.
    pub const HIT_SLACK: f64 = 3.0;
}

pub use crate::model::view::NetworkDiagram;

impl NetworkDiagram {
    /// Whether the diagram can be drawn (some layers, none absurdly wide).
    fn is_drawable(&self) -> bool {
        !self.layer_sizes.is_empty() && self.layer_sizes.iter().all(|&n| n <= MAX_LAYER_WIDTH)
    }
}

/// Where the neurons go, in device pixels.
struct NetLayout {
    centres: Vec<Vec<(f64, f64)>>,
    radii: Vec<f64>,
    /// Horizontal distance between columns (the canvas width for a single column).
    gap: f64,
    /// Vertical distance between neurons of each column.
    spacing: Vec<f64>,
    /// Where the column titles go.
    title_y: f64,
    dpr: f64,
}

fn net_layout(width: u32, height: u32, dpr: f64, diagram: &NetworkDiagram) -> NetLayout {
    let dpr = Layout::new(width, height, dpr).dpr;
    let css = |length: f64| length * dpr;
    let empty = NetLayout { centres: Vec::new(), radii: Vec::new(), gap: 0.0, spacing: Vec::new(), title_y: 0.0, dpr };
    if !diagram.is_drawable() {
        return empty;
    }
    let label_room = |names: &[String]| {
        let look = TextLook { size: css(size::FONT), colour: TEXT_COLOUR, bold: false };
        let widest = names.iter().map(|n| look.width(n)).fold(0.0, f64::max);
        if widest > 0.0 {
            widest.min(css(size::MAX_LABEL)) + css(size::LABEL_GAP)
        } else {
            0.0
        }
    };
    let sizes = &diagram.layer_sizes;
    let max_radius = css(size::MAX_RADIUS);
    let left = css(size::MARGIN) + label_room(&diagram.input_names) + max_radius;
    let right = width as f64 - css(size::MARGIN) - label_room(&diagram.output_names) - max_radius;
    let (top, bottom) = (css(size::HEADER), height as f64 - css(size::MARGIN));
    let (area_width, area_height) = ((right - left).max(0.0), (bottom - top).max(0.0));
    let columns = sizes.len();
    let gap = if columns > 1 { area_width / (columns - 1) as f64 } else { width as f64 };
    let mut layout = NetLayout { gap, title_y: 0.5 * css(size::HEADER), ..empty };
    for (l, &n) in sizes.iter().enumerate() {
        let x = if columns > 1 { left + l as f64 * gap } else { 0.5 * width as f64 };
        let spacing = (area_height / n.max(1) as f64).min(css(size::MAX_SPACING));
        let middle = top + 0.5 * area_height;
        layout.centres.push((0..n).map(|j| (x, middle + (j as f64 - 0.5 * (n as f64 - 1.0)) * spacing)).collect());
        layout.radii.push((0.38 * spacing).min(0.2 * gap).min(max_radius).max(0.5));
        layout.spacing.push(spacing);
    }
    layout
}

/// The centre of every neuron in device pixels, `[layer][neuron]`, layer 0 being the inputs (for
/// placing thumbnails and tooltips). Empty for an empty or undrawable diagram.
pub fn neuron_centres(layout: &Layout, diagram: &NetworkDiagram) -> Vec<Vec<(f64, f64)>> {
    net_layout(layout.width, layout.height, layout.dpr, diagram).centres
}

/// The radius of the neurons of each layer in device pixels.
pub fn neuron_radii(layout: &Layout, diagram: &NetworkDiagram) -> Vec<f64> {
    net_layout(layout.width, layout.height, layout.dpr, diagram).radii
}

/// The neuron under device pixel `(px, py)` as `(layer, neuron)` (layer 0 = the inputs), if any.
pub fn network_hit(layout: &Layout, diagram: &NetworkDiagram, px: f64, py: f64) -> Option<(usize, usize)> {
    let net = net_layout(layout.width, layout.height, layout.dpr, diagram);
    let slack = size::HIT_SLACK * net.dpr;
    net.centres
        .iter()
        .enumerate()
        .flat_map(|(l, column)| column.iter().enumerate().map(move |(j, c)| (l, j, *c)))
        .filter_map(|(l, j, (x, y))| {
            let distance = (px - x).hypot(py - y);
            let radius = net.radii.get(l).copied().unwrap_or(0.0);
            (distance <= radius + slack).then_some(((l, j), distance))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(hit, _)| hit)
}

/// One weight line.
#[derive(Debug, Clone, Copy)]
struct WeightLine {
    layer: usize,
    from: usize,
    to: usize,
    weight: f64,
}

/// The weight lines to draw, weakest first (strong lines on top), at most [`MAX_WEIGHT_LINES`]
/// (the strongest), and the largest |w| (the scale of the line widths).
fn weight_lines(diagram: &NetworkDiagram) -> (Vec<WeightLine>, f64) {
    let sizes = &diagram.layer_sizes;
    let mut lines = Vec::new();
    // Over the weights given (not the sizes), so a damaged diagram costs no more than its data.
    for (layer, matrix) in diagram.weights.iter().enumerate().take(sizes.len().saturating_sub(1)) {
        for (from, row) in matrix.iter().enumerate().take(sizes[layer]) {
            for (to, &weight) in row.iter().enumerate().take(sizes[layer + 1]) {
                let pruned = diagram.pruned.get(layer).and_then(|m| m.get(from)).and_then(|r| r.get(to)) == Some(&true);
                if weight.is_finite() && !pruned {
                    lines.push(WeightLine { layer, from, to, weight });
                }
            }
        }
    }
    let scale = lines.iter().map(|l| l.weight.abs()).fold(0.0, f64::max);
    lines.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
    lines.truncate(MAX_WEIGHT_LINES);
    lines.reverse();
    (lines, scale)
}

/// Draws the network diagram on `root` (background included): column titles, weight lines (width
/// ∝ |w| between a hairline and 5 CSS pixels, relative to the largest |w|; blue for positive,
/// orange for negative; translucent), dashed skip-connection arcs, the neurons, and the names of
/// the inputs and outputs where they fit. With `highlight = Some((layer, neuron))` that neuron
/// glows and its own connections stand out while the others fade. Missing or non-finite weights
/// are not drawn; an empty diagram shows a short message.
///
/// The size is that of `root`; `layout` supplies the device-pixel ratio.
pub fn draw_network<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    diagram: &NetworkDiagram,
    highlight: Option<(usize, usize)>,
) -> Result<()> {
    let (width, height) = root.dim_in_pixel();
    root.fill(&rgb(BACKGROUND_COLOUR)).map_err(render_error)?;
    let net = net_layout(width, height, layout.dpr, diagram);
    let css = |length: f64| length * net.dpr;
    let stroke = |length: f64| css(length).round().max(1.0) as u32;
    if net.centres.iter().all(|c| c.is_empty()) {
        let look = TextLook { size: css(size::TITLE_FONT), colour: MUTED_TEXT_COLOUR, bold: false };
        let message = word("network.not_set_up");
        draw_text(root, &message, (0.5 * width as f64, 0.5 * height as f64), look, HPos::Center, VPos::Center)?;
        return root.present().map_err(render_error);
    }
    let centre = |layer: usize, neuron: usize| net.centres.get(layer).and_then(|c| c.get(neuron)).copied();
    let highlight = highlight.filter(|&(l, j)| centre(l, j).is_some());
    let touches = |line: &WeightLine| {
        highlight.is_some_and(|(l, j)| (line.layer == l && line.from == j) || (line.layer + 1 == l && line.to == j))
    };

    column_titles(root, &net, diagram)?;
    frozen_labels(root, &net, diagram)?;

    // Weights: faded ones first when a neuron is highlighted, then the rest.
    let (lines, scale) = weight_lines(diagram);
    let scale = if scale > 0.0 { scale } else { 1.0 };
    for emphasised in [false, true] {
        for line in lines.iter().filter(|line| (highlight.is_none() || touches(line)) == emphasised) {
            let (Some(from), Some(to)) = (centre(line.layer, line.from), centre(line.layer + 1, line.to)) else {
                continue;
            };
            let strength = (line.weight.abs() / scale).clamp(0.0, 1.0);
            let width = css(size::MIN_LINE) + (css(size::MAX_LINE) - css(size::MIN_LINE)) * strength;
            let mut alpha = 0.35 + 0.6 * strength;
            if highlight.is_some() && !emphasised {
                alpha *= 0.2;
            }
            let colour = if diagram.frozen.contains(&line.layer) {
                FROZEN_COLOUR
            } else if line.weight >= 0.0 {
                POSITIVE_COLOUR
            } else {
                NEGATIVE_COLOUR
            };
            let style = rgb(colour).mix(alpha).stroke_width(width.round().max(1.0) as u32);
            shapes::draw_line(root, &[from, to], style)?;
        }
    }

    // Skip connections: dashed arcs bulging upwards from the source to the neuron they feed.
    let skip_style = rgb(SKIP_COLOUR).stroke_width(stroke(size::SKIP_LINE));
    for (hidden, sources) in diagram.skip_connections.iter().enumerate() {
        for (neuron, source) in sources.iter().enumerate() {
            let (Some(source), Some(to)) = (source, centre(hidden + 1, neuron)) else { continue };
            let Some(from) = centre(hidden, *source) else { continue };
            let bulge = (0.3 * net.gap).min(css(48.0)) + 0.15 * (to.1 - from.1).abs();
            let control = (0.5 * (from.0 + to.0), 0.5 * (from.1 + to.1) - bulge);
            let arc = shapes::quadratic(from, control, to, 24);
            for dash in shapes::dashes(&arc, css(size::DASH), css(size::DASH_GAP)) {
                shapes::draw_line(root, &dash, skip_style)?;
            }
        }
    }

    // Neurons, the highlighted one last with its glow.
    for (layer, column) in net.centres.iter().enumerate() {
        let radius = net.radii.get(layer).copied().unwrap_or(1.0);
        let fill = if layer == 0 { INPUT_FILL_COLOUR } else { BACKGROUND_COLOUR };
        for (neuron, &at) in column.iter().enumerate() {
            if highlight != Some((layer, neuron)) {
                neuron_disc(root, at, radius, fill, rgb(NEURON_BORDER_COLOUR).stroke_width(stroke(size::BORDER)))?;
            }
        }
    }
    if let Some((layer, neuron)) = highlight {
        if let Some(at) = centre(layer, neuron) {
            let radius = net.radii.get(layer).copied().unwrap_or(1.0);
            let glow = rgb(HALO_COLOUR).mix(0.6).filled();
            let pixel = (at.0.round() as i32, at.1.round() as i32);
            root.draw(&Circle::new(pixel, (radius + css(size::HALO)).round() as u32, glow)).map_err(render_error)?;
            let fill = if layer == 0 { INPUT_FILL_COLOUR } else { BACKGROUND_COLOUR };
            neuron_disc(root, at, radius, fill, rgb(CURVE_COLOUR).stroke_width(stroke(size::HIGHLIGHT_BORDER)))?;
        }
    }

    neuron_labels(root, &net, diagram)?;
    root.present().map_err(render_error)
}

/// A neuron: a filled disc with an outline (just a dot when tiny).
fn neuron_disc<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    at: (f64, f64),
    radius: f64,
    fill: [u8; 3],
    border: plotters::style::ShapeStyle,
) -> Result<()> {
    let pixel = (at.0.round() as i32, at.1.round() as i32);
    let r = radius.round().max(1.0) as u32;
    if radius < 2.5 {
        return root.draw(&Circle::new(pixel, r, rgb(NEURON_BORDER_COLOUR).filled())).map_err(render_error);
    }
    root.draw(&Circle::new(pixel, r, rgb(fill).filled())).map_err(render_error)?;
    root.draw(&Circle::new(pixel, r, border)).map_err(render_error)
}

/// Each column's title ("input", "hidden 1", "output") and, below it, what it does.
fn column_titles<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    net: &NetLayout,
    diagram: &NetworkDiagram,
) -> Result<()> {
    let css = |length: f64| length * net.dpr;
    let title = TextLook { size: css(size::TITLE_FONT), colour: TEXT_COLOUR, bold: true };
    let detail = TextLook { size: css(size::FONT), colour: MUTED_TEXT_COLOUR, bold: false };
    let columns = net.centres.len();
    let room = net.gap - css(8.0);
    for (layer, column) in net.centres.iter().enumerate() {
        let Some(&(x, _)) = column.first() else { continue };
        let n = column.len();
        let (long, short, what) = if layer == 0 {
            (
                word("network.input"),
                word("network.input_short"),
                if n == 1 { word("network.feature") } else { word_with("network.features", &[("n", &n.to_string())]) },
            )
        } else if layer + 1 == columns {
            (word("network.output"), word("network.output_short"), diagram.output_activation.clone())
        } else {
            let activation = diagram.activations.get(layer - 1).cloned().unwrap_or_default();
            let n = layer.to_string();
            (word_with("network.hidden", &[("n", &n)]), word_with("network.hidden_short", &[("n", &n)]), activation)
        };
        let Some(name) = [long, short].into_iter().find(|t| title.width(t) <= room) else { continue };
        draw_text(root, &name, (x, net.title_y - 0.55 * detail.size), title, HPos::Center, VPos::Center)?;
        if detail.width(&what) <= room {
            draw_text(root, &what, (x, net.title_y + 0.65 * title.size), detail, HPos::Center, VPos::Center)?;
        }
    }
    Ok(())
}

/// "frozen" between the columns a frozen weight layer joins, at the height of the titles.
fn frozen_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    net: &NetLayout,
    diagram: &NetworkDiagram,
) -> Result<()> {
    let css = |length: f64| length * net.dpr;
    let look = TextLook { size: css(size::FONT), colour: FROZEN_TEXT_COLOUR, bold: true };
    let text = word("network.frozen");
    for &layer in &diagram.frozen {
        let (Some(a), Some(b)) =
            (net.centres.get(layer).and_then(|c| c.first()), net.centres.get(layer + 1).and_then(|c| c.first()))
        else {
            continue;
        };
        let room = (b.0 - a.0).abs() - css(4.0);
        let label = look.fit(&text, room.max(0.0));
        if !label.is_empty() {
            draw_text(root, &label, (0.5 * (a.0 + b.0), net.title_y + css(10.0)), look, HPos::Center, VPos::Center)?;
        }
    }
    Ok(())
}

/// The input names left of the inputs and the output names right of the outputs, where the
/// neurons are far enough apart.
fn neuron_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    net: &NetLayout,
    diagram: &NetworkDiagram,
) -> Result<()> {
    let css = |length: f64| length * net.dpr;
    let look = TextLook { size: css(size::FONT), colour: TEXT_COLOUR, bold: false };
    let last = net.centres.len().saturating_sub(1);
    let sides = [(0, &diagram.input_names, HPos::Right, -1.0), (last, &diagram.output_names, HPos::Left, 1.0)];
    for (layer, names, anchor, side) in sides {
        let (Some(column), Some(&spacing), Some(&radius)) =
            (net.centres.get(layer), net.spacing.get(layer), net.radii.get(layer))
        else {
            continue;
        };
        if spacing < css(size::MIN_LABEL_SPACING) || (layer == 0 && last == 0 && side > 0.0) {
            continue;
        }
        for (&(x, y), name) in column.iter().zip(names.iter()) {
            let text = look.fit(name, css(size::MAX_LABEL));
            let at = (x + side * (radius + css(size::LABEL_GAP)), y);
            draw_text(root, &text, at, look, anchor, VPos::Center)?;
        }
    }
    Ok(())
}

/// A small picture of one hidden neuron's output over the input plane: `values` row-major
/// (`width` per row, row 0 at the top), coloured with the diverging map where the top of
/// `activation_range` is blue and the bottom orange (the weight colours: blue positive), its
/// middle white. Values outside the range are clamped; missing and non-finite values are
/// transparent, and a range that is not finite and increasing paints every value white. Sides
/// are capped at [`MAX_THUMBNAIL_SIDE`]. Colours come from a table of [`THUMBNAIL_LEVELS`] steps
/// of `diverging` (ends and middle exact), so every channel is within one unit of
/// `diverging((high − v)/(high − low))` (tested).
pub fn neuron_thumbnail(values: &[f64], width: u32, height: u32, activation_range: (f64, f64)) -> Raster {
    let (width, height) = (width.min(MAX_THUMBNAIL_SIDE), height.min(MAX_THUMBNAIL_SIDE));
    let (low, high) = activation_range;
    let valid = low.is_finite() && high.is_finite() && high > low;
    let table = thumbnail_colours();
    let last = (THUMBNAIL_LEVELS - 1) as f64;
    // Level = (high − v)·steps/(high − low), clamped to the table; a bad range maps to its middle.
    let (scale, middle) = if valid { (last / (high - low), 0.0) } else { (0.0, 0.5 * last) };
    let mut rgba = vec![0; width as usize * height as usize * 4];
    for (pixel, &v) in rgba.chunks_exact_mut(4).zip(values) {
        if v.is_finite() {
            let level = ((high - v) * scale + middle).clamp(0.0, last) + 0.5;
            // In 0.5 ..= last + 0.5: the cast truncates to a level; `get` cannot miss.
            if let Some(colour) = table.get(level as usize) {
                pixel.copy_from_slice(colour);
            }
        }
    }
    Raster { width, height, rgba }
}

/// Steps of the colour table of [`neuron_thumbnail`]: odd, so both ends and the middle (white)
/// are exact, and fine enough (a step moves `diverging`'s tint by at most 0.55·2·255/1024 ≈ 0.27 of
/// a channel unit) that every colour is within one unit of the exact one.
pub const THUMBNAIL_LEVELS: usize = 1025;

/// `diverging(i/(THUMBNAIL_LEVELS − 1))` for every level, computed once.
fn thumbnail_colours() -> &'static [[u8; 4]; THUMBNAIL_LEVELS] {
    static TABLE: std::sync::OnceLock<[[u8; 4]; THUMBNAIL_LEVELS]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|i| diverging(i as f64 / (THUMBNAIL_LEVELS - 1) as f64)))
}

#[cfg(test)]
mod tests {
    use super::super::tests::diagram_testing::{render, Rendered};
    use super::super::tests::testing::Picture;
    use super::*;
    use crate::data::{Dataset, Task};
    use crate::model::mlp::view::activation_range;
    use crate::model::mlp::{Activation, HiddenLayer, MlpParams};
    use crate::model::{Hyperparams, Model};

    /// A hand-made diagram with the given sizes and weights (no biases, tanh layers).
    fn diagram(sizes: &[usize], weights: Vec<Vec<Vec<f64>>>) -> NetworkDiagram {
        NetworkDiagram {
            layer_sizes: sizes.to_vec(),
            weights,
            activations: vec!["tanh".into(); sizes.len().saturating_sub(2)],
            output_activation: "sigmoid".into(),
            input_names: (1..=sizes[0]).map(|f| format!("x{f}")).collect(),
            output_names: vec!["P(class 1)".into()],
            ..NetworkDiagram::default()
        }
    }

    fn draw(layout: &Layout, diagram: &NetworkDiagram, highlight: Option<(usize, usize)>) -> Rendered {
        render(layout.width, layout.height, |root| draw_network(root, layout, diagram, highlight))
    }

    /// The vertical run of non-white pixels through `(x, y)`.
    fn thickness(picture: &Picture, (x, y): (f64, f64)) -> usize {
        let (x, y) = (x.round() as i32, y.round() as i32);
        let inked = |y: i32| picture.at(x, y) != [255, 255, 255];
        let up = (1..40).take_while(|d| inked(y - d)).count();
        let down = (1..40).take_while(|d| inked(y + d)).count();
        if inked(y) {
            up + down + 1
        } else {
            0
        }
    }

    fn midpoint(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
        (0.5 * (a.0 + b.0), 0.5 * (a.1 + b.1))
    }

    #[test]
    fn diagram_holds_the_networks_numbers() {
        let x = [0.0, 1.0, 1.0, 0.0, 0.5, 0.5, 2.0, 1.0];
        let data = Dataset::from_rows(&x, 2, &[0.0, 1.0, 0.0, 1.0], Task::Classification { n_classes: 2 }).unwrap();
        let layer = HiddenLayer { neurons: 3, activation: Activation::Relu };
        let params = MlpParams { hidden_layers: vec![layer; 2], residual: true, ..MlpParams::default() };
        let mut mlp = params.build(1).unwrap();
        assert_eq!(NetworkDiagram::new(&mlp, &[], &[]), NetworkDiagram::default());
        mlp.initialize(&data).unwrap();
        let names = ["no".to_string(), "yes".to_string()];
        let diagram = NetworkDiagram::new(&mlp, &["a".to_string()], &names);
        assert_eq!(diagram.layer_sizes, [2, 3, 3, 1]);
        assert_eq!(diagram.input_names, ["a", "x2"]);
        assert_eq!(diagram.output_names, ["P(yes)"]);
        assert_eq!(diagram.activations, ["relu", "relu"]);
        assert_eq!(diagram.output_activation, "sigmoid");
        // Residual: the second hidden layer adds the first, neuron for neuron.
        assert_eq!(diagram.skip_connections, vec![vec![None; 3], vec![Some(0), Some(1), Some(2)]]);
        let weights = mlp.layer_weights();
        for (l, matrix) in weights.iter().enumerate() {
            for i in 0..matrix.nrows() {
                for j in 0..matrix.ncols() {
                    assert_eq!(diagram.weights[l][i][j], matrix[(i, j)]);
                }
            }
        }
        assert_eq!(diagram.biases.len(), 3);
        let json = serde_json::to_string(&diagram).unwrap();
        assert_eq!(serde_json::from_str::<NetworkDiagram>(&json).unwrap(), diagram);
    }

    #[test]
    fn neurons_stand_in_columns_from_inputs_to_outputs() {
        let layout = Layout::new(700, 400, 1.0);
        let net = diagram(&[2, 4, 1], vec![vec![vec![0.5; 4]; 2], vec![vec![0.5]; 4]]);
        let centres = neuron_centres(&layout, &net);
        let radii = neuron_radii(&layout, &net);
        assert_eq!(centres.iter().map(Vec::len).collect::<Vec<_>>(), [2, 4, 1]);
        assert_eq!(radii.len(), 3);
        for l in 0..3 {
            assert!(centres[l].iter().all(|c| c.0 == centres[l][0].0), "a column shares its x");
            if l > 0 {
                assert!(centres[l][0].0 > centres[l - 1][0].0 + 2.0 * radii[l]);
            }
            for pair in centres[l].windows(2) {
                assert!(pair[1].1 - pair[0].1 > 2.0 * radii[l], "neurons do not touch");
            }
        }
        // Columns are centred on the same height.
        let mean = |column: &[(f64, f64)]| column.iter().map(|c| c.1).sum::<f64>() / column.len() as f64;
        assert!((mean(&centres[1]) - centres[2][0].1).abs() < 1e-9);
        // Everything is on the canvas.
        for (l, column) in centres.iter().enumerate() {
            for c in column {
                assert!(
                    c.0 - radii[l] >= 0.0
                        && c.0 + radii[l] <= 700.0
                        && c.1 - radii[l] >= 0.0
                        && c.1 + radii[l] <= 400.0
                );
            }
        }
        let rendered = draw(&layout, &net, None);
        // A neuron is an outlined disc: white inside, the outline at its edge.
        let (x, y) = centres[1][2];
        assert_eq!(rendered.picture.at_f((x, y)), [255, 255, 255]);
        assert_eq!(rendered.picture.at_f((x + radii[1], y)), NEURON_BORDER_COLOUR);
        assert_eq!(rendered.picture.at_f((centres[0][0].0, centres[0][0].1)), INPUT_FILL_COLOUR);
        // Titles over the columns and names beside the inputs and the output.
        for (title, column) in [("input", 0), ("hidden 1", 1), ("output", 2)] {
            let found = rendered.texts_equal(title);
            assert_eq!(found.len(), 1, "{title}");
            assert_eq!(found[0].at.0, centres[column][0].0.round() as i32);
            assert!((found[0].at.1 as f64) < centres[column][0].1 - radii[column]);
        }
        assert_eq!(rendered.texts_equal("tanh").len(), 1);
        assert_eq!(rendered.texts_equal("2 features").len(), 1);
        let x2 = rendered.texts_equal("x2");
        assert_eq!(x2.len(), 1);
        assert!(x2[0].bounds().2 < centres[0][1].0 - radii[0] && (x2[0].at.1 as f64 - centres[0][1].1).abs() <= 1.0);
        let output = rendered.texts_equal("P(class 1)");
        assert!(output[0].bounds().0 > centres[2][0].0 + radii[2]);
    }

    #[test]
    fn pruned_weights_are_not_drawn_and_frozen_layers_are_grey() {
        let layout = Layout::new(500, 400, 1.0);
        let mut net = diagram(&[1, 2], vec![vec![vec![2.0, -2.0]]]);
        let centres = neuron_centres(&layout, &net);
        let white = |p: [u8; 3]| p.iter().all(|&c| c > 245);
        net.pruned = vec![vec![vec![true, false]]];
        let picture = draw(&layout, &net, None).picture;
        assert!(white(picture.at_f(midpoint(centres[0][0], centres[1][0]))), "the pruned weight is gone");
        assert!(!white(picture.at_f(midpoint(centres[0][0], centres[1][1]))), "the kept one is drawn");
        net.pruned.clear();
        net.frozen = vec![0];
        let picture = draw(&layout, &net, None).picture;
        for to in 0..2 {
            let p = picture.at_f(midpoint(centres[0][0], centres[1][to]));
            let distance = (0..3).map(|k| (p[k] as i32 - FROZEN_COLOUR[k] as i32).abs()).max().unwrap();
            assert!(distance < 20, "a frozen layer's weight is grey: {p:?}");
        }
    }

    #[test]
    fn weight_lines_are_blue_when_positive_orange_when_negative_and_thicker_when_larger() {
        let layout = Layout::new(500, 400, 1.0);
        let net = diagram(&[1, 2], vec![vec![vec![2.0, -2.0]]]);
        let centres = neuron_centres(&layout, &net);
        let picture = draw(&layout, &net, None).picture;
        let positive = picture.at_f(midpoint(centres[0][0], centres[1][0]));
        let negative = picture.at_f(midpoint(centres[0][0], centres[1][1]));
        assert!(positive[2] as i32 > positive[0] as i32 + 80, "positive is blue: {positive:?}");
        assert!(negative[0] as i32 > negative[2] as i32 + 80, "negative is orange: {negative:?}");
        // The strongest weight is drawn almost opaque in its hue.
        let distance = |a: [u8; 3], b: [u8; 3]| (0..3).map(|k| (a[k] as i32 - b[k] as i32).abs()).max().unwrap();
        assert!(distance(positive, POSITIVE_COLOUR) < 20 && distance(negative, NEGATIVE_COLOUR) < 20);

        // |w| = 3 against |w| = 0.5, mirror images of each other: the larger is thicker.
        let net = diagram(&[1, 2], vec![vec![vec![3.0, 0.5]]]);
        let picture = draw(&layout, &net, None).picture;
        let (strong, weak) = (
            thickness(&picture, midpoint(centres[0][0], centres[1][0])),
            thickness(&picture, midpoint(centres[0][0], centres[1][1])),
        );
        assert!(weak >= 1 && strong >= 3 * weak, "strong {strong} vs weak {weak}");
        // The weak one is also paler.
        let pale = picture.at_f(midpoint(centres[0][0], centres[1][1]));
        assert!(pale[0] > 120, "{pale:?}");
        // The same doubled at twice the pixel density.
        let sharp = Layout::new(1000, 800, 2.0);
        let sharp_centres = neuron_centres(&sharp, &net);
        let sharp_picture = draw(&sharp, &net, None).picture;
        let sharp_strong = thickness(&sharp_picture, midpoint(sharp_centres[0][0], sharp_centres[1][0]));
        assert!(sharp_strong >= 2 * strong - 2, "{sharp_strong} vs {strong}");
    }

    #[test]
    fn hit_test_finds_neurons() {
        let layout = Layout::new(700, 400, 1.5);
        let net = diagram(&[3, 5, 5, 1], vec![vec![vec![0.1; 5]; 3], vec![vec![0.1; 5]; 5], vec![vec![0.1]; 5]]);
        let centres = neuron_centres(&layout, &net);
        let radii = neuron_radii(&layout, &net);
        for (l, column) in centres.iter().enumerate() {
            for (j, &(x, y)) in column.iter().enumerate() {
                assert_eq!(network_hit(&layout, &net, x, y), Some((l, j)));
                assert_eq!(network_hit(&layout, &net, x + 0.9 * radii[l], y), Some((l, j)));
            }
        }
        let between = midpoint(centres[1][0], centres[2][1]);
        assert_eq!(network_hit(&layout, &net, between.0, between.1), None);
        assert_eq!(network_hit(&layout, &net, f64::NAN, 3.0), None);
        assert_eq!(network_hit(&layout, &NetworkDiagram::default(), 100.0, 100.0), None);
    }

    #[test]
    fn highlighted_neuron_glows_and_its_connections_stand_out() {
        let layout = Layout::new(600, 400, 1.0);
        let net = diagram(&[2, 2], vec![vec![vec![1.0, 1.0], vec![1.0, 1.0]]]);
        let centres = neuron_centres(&layout, &net);
        let radii = neuron_radii(&layout, &net);
        let plain = draw(&layout, &net, None).picture;
        let lit = draw(&layout, &net, Some((1, 0))).picture;
        let (x, y) = centres[1][0];
        let glow = lit.at_f((x + radii[1] + 3.0, y));
        assert!(glow[0] > 200 && glow[2] < 170, "{glow:?}");
        assert_eq!(lit.at_f((x + radii[1], y)), CURVE_COLOUR, "a dark outline");
        assert_eq!(plain.at_f((x + radii[1] + 3.0, y)), [255, 255, 255]);
        // The line into the highlighted neuron keeps its colour; another one fades.
        let into = (centres[0][1], centres[1][0]);
        let other = (centres[0][1], centres[1][1]);
        let point = |(a, b): ((f64, f64), (f64, f64))| (a.0 + 0.25 * (b.0 - a.0), a.1 + 0.25 * (b.1 - a.1));
        assert_eq!(lit.at_f(point(into)), plain.at_f(point(into)));
        let (faded, full) = (lit.at_f(point(other)), plain.at_f(point(other)));
        assert!(faded[0] > full[0] + 60, "{faded:?} vs {full:?}");
    }

    #[test]
    fn skip_connections_are_dashed_arcs_above_the_straight_line() {
        let layout = Layout::new(600, 400, 1.0);
        let mut net = diagram(&[1, 2, 2, 1], vec![vec![vec![0.0; 2]], vec![vec![0.0; 2]; 2], vec![vec![0.0]; 2]]);
        let without = draw(&layout, &net, None).picture;
        assert!(without.find(SKIP_COLOUR).is_empty());
        net.skip_connections = vec![vec![None, None], vec![Some(0), Some(1)]];
        let with = draw(&layout, &net, None).picture;
        let centres = neuron_centres(&layout, &net);
        let dashes = with.find(SKIP_COLOUR);
        assert!(dashes.len() > 40, "{}", dashes.len());
        // Between the two hidden columns and above the chords, with gaps along the way.
        let (left, right) = (centres[1][0].0, centres[2][0].0);
        assert!(dashes.iter().all(|p| (p.0 as f64) > left && (p.0 as f64) < right));
        let lowest_chord = centres[1][1].1;
        assert!(dashes.iter().all(|p| (p.1 as f64) <= lowest_chord));
        let columns: std::collections::BTreeSet<i32> = dashes.iter().map(|p| p.0).collect();
        let span = (columns.iter().next_back().unwrap() - columns.iter().next().unwrap()) as usize;
        assert!(columns.len() < span, "dashed, so some columns are skipped");
        // A damaged skip (source out of range) is ignored.
        net.skip_connections = vec![vec![Some(7), None], vec![Some(9), None]];
        assert!(draw(&layout, &net, None).picture.find(SKIP_COLOUR).is_empty());
    }

    #[test]
    fn only_the_strongest_weights_of_a_huge_layer_are_drawn() {
        let weights =
            vec![(0..100).map(|i| (0..100).map(|j| ((i * 100 + j) as f64 - 5000.0) / 100.0).collect()).collect()];
        let net = diagram(&[100, 100], weights);
        let (lines, scale) = weight_lines(&net);
        assert_eq!(lines.len(), MAX_WEIGHT_LINES);
        assert_eq!(scale, 50.0);
        let weakest_kept = lines[0].weight.abs();
        assert!(lines.windows(2).all(|w| w[0].weight.abs() <= w[1].weight.abs()), "weakest first");
        assert!((weakest_kept - 35.0).abs() < 0.02, "{weakest_kept}");
        draw(&Layout::new(800, 600, 1.0), &net, Some((0, 50)));
    }

    #[test]
    fn empty_and_damaged_diagrams_draw_without_panicking() {
        let layout = Layout::new(500, 300, 1.0);
        let rendered = draw(&layout, &NetworkDiagram::default(), Some((0, 0)));
        assert_eq!(rendered.texts.len(), 1);
        assert!(neuron_centres(&layout, &NetworkDiagram::default()).is_empty());
        // Ragged and non-finite weights, too few names, a highlight out of range.
        let mut net = diagram(&[2, 3, 1], vec![vec![vec![f64::NAN, 1.0], vec![]], vec![vec![f64::INFINITY]]]);
        net.input_names.clear();
        net.activations.clear();
        net.skip_connections = vec![vec![Some(0)]];
        let picture = draw(&layout, &net, Some((7, 7))).picture;
        let centres = neuron_centres(&layout, &net);
        // The only finite weight (input 0 → hidden 1) is drawn, the NaN one (→ hidden 0) is not.
        let drawn = picture.at_f(midpoint(centres[0][0], centres[1][1]));
        assert!(drawn[2] > drawn[0] + 80, "{drawn:?}");
        assert_eq!(picture.at_f(midpoint(centres[0][0], centres[1][0])), [255, 255, 255]);
        // An absurd layer width is refused, not allocated.
        let absurd = NetworkDiagram { layer_sizes: vec![2, usize::MAX, 1], ..NetworkDiagram::default() };
        assert!(neuron_centres(&layout, &absurd).is_empty());
        draw(&layout, &absurd, None);
        // A single column, zero-width layers, tiny canvases and odd pixel ratios.
        for net in [diagram(&[3], vec![]), diagram(&[2, 0, 1], vec![]), diagram(&[1, 1], vec![vec![vec![0.0]]])] {
            for canvas in [Layout::new(0, 0, 1.0), Layout::new(5, 4, 1.0), Layout::new(300, 200, f64::NAN), layout] {
                draw(&canvas, &net, Some((0, 0)));
                let _ = network_hit(&canvas, &net, 1.0, 1.0);
            }
        }
    }

    #[test]
    fn thumbnails_map_the_activation_range_to_the_weight_colours() {
        let raster = neuron_thumbnail(&[-1.0, 0.0, 1.0, f64::NAN, 5.0, -7.0], 3, 2, (-1.0, 1.0));
        assert_eq!((raster.width, raster.height, raster.rgba.len()), (3, 2, 24));
        let (low, middle, high) =
            (raster.pixel(0, 0).unwrap(), raster.pixel(1, 0).unwrap(), raster.pixel(2, 0).unwrap());
        assert_eq!(low, diverging(1.0), "the bottom of the range is orange");
        assert!(low[0] > low[2] + 80 && low[3] == 255);
        assert_eq!(middle, diverging(0.5));
        assert!(middle[..3].iter().all(|&c| c >= 250), "the middle is white: {middle:?}");
        assert_eq!(high, diverging(0.0), "the top of the range is blue");
        assert!(high[2] > high[0] + 80);
        assert_eq!(raster.pixel(0, 1).unwrap()[3], 0, "NaN is transparent");
        assert_eq!(raster.pixel(1, 1).unwrap(), high, "clamped above");
        assert_eq!(raster.pixel(2, 1).unwrap(), low, "clamped below");
        // Row 0 is the top: the values fill rows in order.
        let gradient = neuron_thumbnail(&[1.0, 1.0, -1.0, -1.0], 2, 2, (-1.0, 1.0));
        assert_eq!(gradient.pixel(1, 0), Some(high));
        assert_eq!(gradient.pixel(0, 1), Some(low));
        // Too few values leave the rest transparent; a bad range paints white; sizes are capped.
        let short = neuron_thumbnail(&[0.3], 2, 2, (0.0, 1.0));
        assert_eq!(short.pixel(1, 1).unwrap()[3], 0);
        assert_eq!(neuron_thumbnail(&[0.3], 1, 1, (1.0, 1.0)).pixel(0, 0), Some(diverging(0.5)));
        assert_eq!(neuron_thumbnail(&[0.3], 1, 1, (f64::NAN, 1.0)).pixel(0, 0), Some(diverging(0.5)));
        let huge = neuron_thumbnail(&[], u32::MAX, 2, (0.0, 1.0));
        assert_eq!(huge.width, MAX_THUMBNAIL_SIDE);
        assert_eq!(neuron_thumbnail(&[], 0, 0, (0.0, 1.0)).rgba.len(), 0);
    }

    /// The thumbnail colours as they were computed per pixel before the colour table.
    fn exact_thumbnail(values: &[f64], (low, high): (f64, f64)) -> Vec<[u8; 4]> {
        values.iter().map(|&v| if v.is_finite() { diverging((high - v) / (high - low)) } else { [0; 4] }).collect()
    }

    fn assert_within_one_unit(fast: &Raster, exact: &[[u8; 4]], what: &str) {
        assert_eq!(fast.rgba.len(), exact.len() * 4, "{what}");
        for (i, (a, b)) in fast.rgba.chunks_exact(4).zip(exact).enumerate() {
            let close = a.iter().zip(b).all(|(&a, &b)| a.abs_diff(b) <= 1);
            assert!(close && a[3] == b[3], "{what}: pixel {i}: {a:?} vs {b:?}");
        }
    }

    #[test]
    fn the_colour_table_is_within_one_unit_of_the_exact_colours() {
        // A fine sweep across the range and beyond, with a range not centred on 0.
        let values: Vec<f64> =
            (0..=100_000).map(|i| -1.7 + 4.4 * i as f64 / 100_000.0).chain([f64::NAN, f64::INFINITY]).collect();
        let side = 317; // 317² ≥ 100 003 values
        let mut exact = exact_thumbnail(&values, (-1.5, 2.5));
        exact.resize(side * side, [0; 4]);
        assert_within_one_unit(&neuron_thumbnail(&values, side as u32, side as u32, (-1.5, 2.5)), &exact, "sweep");
        let differs = neuron_thumbnail(&values, side as u32, side as u32, (-1.5, 2.5))
            .rgba
            .chunks_exact(4)
            .zip(&exact)
            .filter(|(a, b)| a != b)
            .count();
        assert!(differs < values.len() / 4, "mostly identical: {differs} differ");
    }

    #[test]
    fn network_thumbnails_are_within_one_unit_of_the_exact_neuron_outputs() {
        // The page's pipeline (`Session::thumbnails`): single-precision neuron outputs over
        // a 40 × 40 grid, coloured from the table, against `neuron_outputs` (double precision,
        // `predict`'s forward pass) coloured per pixel.
        let x: Vec<f64> = (0..60).flat_map(|i| [(i as f64 * 0.7).sin() * 2.0, (i as f64 * 1.3).cos() + 1.0]).collect();
        let y: Vec<f64> = (0..60).map(|i| (i % 3) as f64).collect();
        let data = Dataset::from_rows(&x, 2, &y, Task::Classification { n_classes: 3 }).unwrap();
        let (xs, ys): (Vec<f64>, Vec<f64>) = (
            (0..40).map(|c| -3.0 + 6.0 * c as f64 / 39.0).collect(),
            (0..40).map(|r| 3.0 - 4.0 * r as f64 / 39.0).collect(),
        );
        let points = nalgebra::DMatrix::from_fn(1600, 2, |p, j| if j == 0 { xs[p % 40] } else { ys[p / 40] });
        for activation in Activation::ALL {
            let layers = vec![HiddenLayer { neurons: 8, activation }, HiddenLayer { neurons: 8, activation }];
            let mut mlp = MlpParams { hidden_layers: layers, residual: true, ..MlpParams::default() }.build(5).unwrap();
            mlp.fit(&data).unwrap();
            let (fast, exact) = (mlp.grid_neuron_outputs(&xs, &ys), mlp.neuron_outputs(&points));
            assert_eq!(fast.len(), 2);
            for (layer, (fast, exact)) in fast.iter().zip(&exact).enumerate() {
                for neuron in 0..exact.ncols() {
                    let exact: Vec<f64> = exact.column(neuron).iter().copied().collect();
                    let fast: Vec<f64> = fast.column(neuron).iter().copied().collect();
                    let range = activation_range(activation, &exact);
                    let what = format!("{activation:?}, layer {layer}, neuron {neuron}");
                    assert_within_one_unit(
                        &neuron_thumbnail(&fast, 40, 40, activation_range(activation, &fast)),
                        &exact_thumbnail(&exact, range),
                        &what,
                    );
                }
            }
        }
    }

    #[test]
    fn activation_ranges_centre_the_neutral_value() {
        assert_eq!(activation_range(Activation::Sigmoid, &[0.2, 0.9]), (0.0, 1.0));
        assert_eq!(activation_range(Activation::Sigmoid, &[1.5]), (-0.5, 1.5));
        assert_eq!(activation_range(Activation::Tanh, &[0.3, f64::NAN]), (-1.0, 1.0));
        assert_eq!(activation_range(Activation::Tanh, &[-2.5]), (-2.5, 2.5));
        assert_eq!(activation_range(Activation::Relu, &[0.0, 3.0]), (-3.0, 3.0));
        assert_eq!(activation_range(Activation::Linear, &[]), (-1.0, 1.0));
    }

    /// Pictures for a person to look at: `cargo test -- --ignored dump_network_pictures`.
    #[test]
    #[ignore]
    fn dump_network_pictures() {
        let x: Vec<f64> = (0..40).flat_map(|i| [(i as f64 * 0.7).sin(), (i as f64 * 1.3).cos()]).collect();
        let y: Vec<f64> = (0..40).map(|i| (i % 2) as f64).collect();
        let data = Dataset::from_rows(&x, 2, &y, Task::Classification { n_classes: 2 }).unwrap();
        let layers = vec![
            HiddenLayer { neurons: 6, activation: Activation::Tanh },
            HiddenLayer { neurons: 6, activation: Activation::Tanh },
            HiddenLayer { neurons: 4, activation: Activation::Relu },
        ];
        let mut mlp = MlpParams { hidden_layers: layers, residual: true, ..MlpParams::default() }.build(3).unwrap();
        mlp.initialize(&data).unwrap();
        let names = ["petal length".to_string(), "petal width".to_string()];
        let net = NetworkDiagram::new(&mlp, &names, &["setosa".to_string(), "versicolor".to_string()]);
        draw(&Layout::new(1000, 520, 1.0), &net, None).dump("/tmp/diagram-network");
        draw(&Layout::new(1600, 900, 2.0), &net, Some((2, 3))).dump("/tmp/diagram-network-highlight");
        let weights = vec![
            (0..40).map(|i| (0..8).map(|j| ((i * 8 + j) as f64 * 0.37).sin()).collect()).collect(),
            vec![vec![0.5]; 8],
        ];
        let wide = diagram(&[40, 8, 1], weights);
        draw(&Layout::new(800, 450, 1.0), &wide, Some((1, 2))).dump("/tmp/diagram-network-wide");
        let values: Vec<f64> =
            (0..64 * 64).map(|k| ((k % 64) as f64 / 32.0 - 1.0 + (k / 64) as f64 / 64.0).tanh()).collect();
        let thumb = neuron_thumbnail(&values, 64, 64, (-1.0, 1.0));
        let mut picture = Picture::white(64, 64);
        thumb.blit_over_rgb(&mut picture.rgb, 64, 64, 0, 0);
        picture.write_ppm("/tmp/diagram-thumbnail.ppm").unwrap();
    }
}
