//! The decision-tree diagram: every node as a rounded box laid out top-down, with its split (or
//! prediction), impurity, sample count and class distribution, edges labelled yes / no, and the
//! hovered node and a decision path emphasised.
//!
//! [`TreeDiagram`] is plain data (serde) the tree builds (`model::tree::view`), so a Web Worker can build it
//! and post it to the page; [`draw_tree`] draws it on any plotters backend and [`tree_hit`] says
//! which node is under a pixel, from the same layout ([`tree_node_boxes`]).
//!
//! The layout is the classic tidy one: leaves evenly spaced left to right, each parent centred over
//! its two children, one row per depth. A tree too big for the area (more than
//! [`MAX_FULL_LEAVES`] leaves, or boxes below a minimum size) is drawn compact: each node gets as
//! much width as its subtree's leaves own, so the top levels stay full boxes while deep nodes
//! become small chips (with a one-line label where it fits) or dots.

use super::geometry::Layout;
use super::palette::{rgb, BACKGROUND_COLOUR, CLASS_COLOURS, CURVE_COLOUR, TEXT_COLOUR, TRAIN_COLOUR};
use super::render_error;
use super::shapes::{self, draw_text, TextLook};
use super::words::{word, word_with};
use crate::error::Result;
use crate::model::tree::NodeInfo;
use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DrawingArea, DrawingBackend, Rectangle};
use plotters::style::text_anchor::{HPos, VPos};
use serde::{Deserialize, Serialize};

/// Trees with more leaves than this are always drawn compact.
pub const MAX_FULL_LEAVES: usize = 31;

/// Sizes in CSS pixels.
mod size {
    /// Margin around the diagram.
    pub const MARGIN: f64 = 10.0;
    /// A full node box, and the smallest box that still holds all its text.
    pub const BOX_WIDTH: f64 = 136.0;
    pub const BOX_HEIGHT: f64 = 74.0;
    pub const MIN_BOX_WIDTH: f64 = 96.0;
    pub const MIN_BOX_HEIGHT: f64 = 62.0;
    /// Leaves are at most this far apart, rows at most this tall (small trees stay compact).
    pub const MAX_SLOT: f64 = 200.0;
    pub const MAX_ROW: f64 = 128.0;
    /// Share of a leaf slot a box may take, and of a row.
    pub const SLOT_SHARE: f64 = 0.92;
    pub const ROW_SHARE: f64 = 0.64;
    /// Chips (compact nodes with a line of text where it fits, and a class bar below it where
    /// there is room for a second row).
    pub const MIN_CHIP_WIDTH: f64 = 14.0;
    pub const CHIP_HEIGHT: f64 = 18.0;
    pub const TALL_CHIP_HEIGHT: f64 = 32.0;
    pub const MIN_CHIP_HEIGHT: f64 = 9.0;
    pub const CHIP_BAR_HEIGHT: f64 = 5.0;
    /// Dots (the smallest nodes).
    pub const DOT_RADIUS: f64 = 4.0;
    pub const CORNER: f64 = 7.0;
    pub const PAD_X: f64 = 8.0;
    pub const PAD_Y: f64 = 6.0;
    pub const BAR_HEIGHT: f64 = 8.0;
    pub const HEAD_FONT: f64 = 12.5;
    pub const FONT: f64 = 11.0;
    pub const CHIP_FONT: f64 = 10.0;
    pub const EDGE_FONT: f64 = 10.0;
    pub const EDGE: f64 = 1.25;
    pub const PATH_EDGE: f64 = 3.0;
    pub const BORDER: f64 = 1.0;
    pub const PATH_BORDER: f64 = 2.0;
    pub const HALO: f64 = 5.0;
    /// Hovering within this distance of a dot counts as on it.
    pub const DOT_HIT: f64 = 6.0;
}

/// Colours of the parts that are not data.
const EDGE_COLOUR: [u8; 3] = [176, 176, 184];
const BORDER_COLOUR: [u8; 3] = [150, 150, 158];
const MUTED_TEXT_COLOUR: [u8; 3] = [110, 110, 118];
/// The glow around the hovered node.
const HALO_COLOUR: [u8; 3] = [255, 196, 0];
/// Regression nodes are tinted in this hue, stronger for a larger mean.
const REGRESSION_COLOUR: [u8; 3] = TRAIN_COLOUR;

pub use crate::model::view::TreeDiagram;

/// Words and numbers of a diagram's nodes, as drawn.
impl TreeDiagram {
    fn feature_name(&self, feature: usize) -> String {
        self.feature_names.get(feature).cloned().unwrap_or_else(|| format!("x{}", feature + 1))
    }

    fn class_name(&self, class: usize) -> String {
        self.class_names.get(class).cloned().unwrap_or_else(|| word_with("class", &[("n", &class.to_string())]))
    }

    /// The largest class fraction of a node and its class (`None` for regression or no data).
    fn majority(&self, node: &NodeInfo) -> Option<(usize, f64)> {
        if self.regression {
            return None;
        }
        let total: f64 = node.value.iter().filter(|v| v.is_finite() && **v > 0.0).sum();
        if total <= 0.0 {
            return None;
        }
        node.value
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
            .map(|(c, v)| (c, v.max(0.0) / total))
    }

    /// The first line of a node: its split, or its prediction for a leaf.
    fn headline(&self, node: &NodeInfo, is_split: bool) -> String {
        match (is_split, node.feature, node.threshold) {
            (true, Some(feature), Some(threshold)) => {
                format!("{} ≤ {}", self.feature_name(feature), shapes::number(threshold))
            }
            _ if self.regression => format!("ŷ = {}", shapes::number(node.value.first().copied().unwrap_or(f64::NAN))),
            _ => match self.majority(node) {
                Some((class, _)) => self.class_name(class),
                None => word("tree.leaf"),
            },
        }
    }

    /// A shorter first line for small chips: the feature name or the predicted class.
    fn short_headline(&self, node: &NodeInfo, is_split: bool) -> String {
        match (is_split, node.feature) {
            (true, Some(feature)) => self.feature_name(feature),
            _ if self.regression => shapes::number(node.value.first().copied().unwrap_or(f64::NAN)),
            _ => self.headline(node, false),
        }
    }
}

/// How a node is drawn: a full box with all its text, a chip (small box, one line of text where it
/// fits), or a dot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeShape {
    Box,
    Chip,
    Dot,
}

/// Where a node is drawn, in device pixels: its centre and half sizes (for a dot, both are the
/// radius).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NodeBox {
    pub id: usize,
    pub centre: (f64, f64),
    pub half_width: f64,
    pub half_height: f64,
    pub shape: NodeShape,
}

impl NodeBox {
    fn top(&self) -> (f64, f64) {
        (self.centre.0, self.centre.1 - self.half_height)
    }

    fn bottom(&self) -> (f64, f64) {
        (self.centre.0, self.centre.1 + self.half_height)
    }
}

/// The tree's shape as drawn: which nodes are reachable from the root and how they connect. An
/// imported diagram may be damaged: children must come after their parent and belong to one
/// parent, or they are ignored, so walking it always ends.
struct Structure {
    /// The two children of each node that has valid ones.
    children: Vec<Option<(usize, usize)>>,
    depth: Vec<usize>,
    /// The reachable nodes, root first, each before its children, left subtrees before right.
    preorder: Vec<usize>,
}

impl Structure {
    fn of(nodes: &[NodeInfo]) -> Structure {
        let n = nodes.len();
        let mut children = vec![None; n];
        let mut depth = vec![0; n];
        let mut claimed = vec![false; n];
        let mut preorder = Vec::with_capacity(n);
        let mut stack = if n > 0 { vec![0] } else { Vec::new() };
        if let Some(root) = claimed.first_mut() {
            *root = true;
        }
        while let Some(i) = stack.pop() {
            preorder.push(i);
            let Some(node) = nodes.get(i) else { continue };
            let (Some(left), Some(right)) = (node.left, node.right) else { continue };
            let valid = |c: usize| c > i && c < n && !claimed[c];
            if node.is_leaf || left == right || !valid(left) || !valid(right) {
                continue;
            }
            claimed[left] = true;
            claimed[right] = true;
            children[i] = Some((left, right));
            depth[left] = depth[i] + 1;
            depth[right] = depth[i] + 1;
            stack.push(right);
            stack.push(left);
        }
        Structure { children, depth, preorder }
    }
}

/// The diagram's layout: one box per reachable node (indexed by node id) and the structure.
struct TreeLayout {
    boxes: Vec<Option<NodeBox>>,
    structure: Structure,
    compact: bool,
    dpr: f64,
}

fn tree_layout(width: u32, height: u32, dpr: f64, diagram: &TreeDiagram) -> TreeLayout {
    let dpr = Layout::new(width, height, dpr).dpr;
    let structure = Structure::of(&diagram.nodes);
    let n = diagram.nodes.len();
    let mut boxes = vec![None; n];
    // Leaf slots in left-to-right order, then parents over the middle of their children.
    let mut x = vec![0.0; n];
    let mut first_leaf = vec![0usize; n];
    let mut last_leaf = vec![0usize; n];
    let mut leaves = 0usize;
    for &i in &structure.preorder {
        if structure.children[i].is_none() {
            x[i] = leaves as f64 + 0.5;
            first_leaf[i] = leaves;
            last_leaf[i] = leaves;
            leaves += 1;
        }
    }
    for &i in structure.preorder.iter().rev() {
        if let Some((left, right)) = structure.children[i] {
            x[i] = 0.5 * (x[left] + x[right]);
            first_leaf[i] = first_leaf[left];
            last_leaf[i] = last_leaf[right];
        }
    }
    let max_depth = structure.preorder.iter().map(|&i| structure.depth[i]).max().unwrap_or(0);
    let css = |length: f64| length * dpr;
    let margin = css(size::MARGIN);
    let (area_width, area_height) = ((width as f64 - 2.0 * margin).max(0.0), (height as f64 - 2.0 * margin).max(0.0));
    if leaves == 0 || area_width < 1.0 || area_height < 1.0 {
        return TreeLayout { boxes, structure, compact: true, dpr };
    }
    let slot = (area_width / leaves as f64).min(css(size::MAX_SLOT));
    let row = (area_height / (max_depth + 1) as f64).min(css(size::MAX_ROW));
    let left = margin + 0.5 * (area_width - slot * leaves as f64);
    let top = margin;
    let box_width = css(size::BOX_WIDTH).min(slot * size::SLOT_SHARE);
    let box_height = css(size::BOX_HEIGHT).min(row * size::ROW_SHARE);
    let compact =
        leaves > MAX_FULL_LEAVES || box_width < css(size::MIN_BOX_WIDTH) || box_height < css(size::MIN_BOX_HEIGHT);
    for &i in &structure.preorder {
        let centre = (left + x[i] * slot, top + (structure.depth[i] as f64 + 0.5) * row);
        let node_box =
            |half: (f64, f64), shape| NodeBox { id: i, centre, half_width: half.0, half_height: half.1, shape };
        boxes[i] = Some(if !compact {
            node_box((0.5 * box_width, 0.5 * box_height), NodeShape::Box)
        } else {
            // The widest box centred here that stays over this subtree's own leaf slots.
            let (span_left, span_right) = (left + first_leaf[i] as f64 * slot, left + (last_leaf[i] + 1) as f64 * slot);
            let room = 2.0 * (centre.0 - span_left).min(span_right - centre.0) * size::SLOT_SHARE;
            let tall = row * size::ROW_SHARE;
            if room >= css(size::MIN_BOX_WIDTH) && tall >= css(size::MIN_BOX_HEIGHT) {
                let half = (0.5 * room.min(css(size::BOX_WIDTH)), 0.5 * tall.min(css(size::BOX_HEIGHT)));
                node_box(half, NodeShape::Box)
            } else if room >= css(size::MIN_CHIP_WIDTH) && tall >= css(size::MIN_CHIP_HEIGHT) {
                let chip = if tall >= css(size::TALL_CHIP_HEIGHT) { size::TALL_CHIP_HEIGHT } else { size::CHIP_HEIGHT };
                let half = (0.5 * room.min(css(size::BOX_WIDTH)), 0.5 * tall.min(css(chip)));
                node_box(half, NodeShape::Chip)
            } else {
                let radius = (0.42 * slot).min(0.22 * row).min(css(size::DOT_RADIUS)).max(1.0);
                node_box((radius, radius), NodeShape::Dot)
            }
        });
    }
    TreeLayout { boxes, structure, compact, dpr }
}

/// Where each node of `diagram` is drawn on a `layout.width`×`layout.height` canvas, indexed by
/// node id (`None` for nodes not reachable from the root).
pub fn tree_node_boxes(layout: &Layout, diagram: &TreeDiagram) -> Vec<Option<NodeBox>> {
    tree_layout(layout.width, layout.height, layout.dpr, diagram).boxes
}

/// Whether the diagram of `diagram` on `layout` is drawn compact (see the module documentation).
pub fn tree_is_compact(layout: &Layout, diagram: &TreeDiagram) -> bool {
    tree_layout(layout.width, layout.height, layout.dpr, diagram).compact
}

/// The id of the node under device pixel `(px, py)` (inside its box, or near its dot), if any.
pub fn tree_hit(layout: &Layout, diagram: &TreeDiagram, px: f64, py: f64) -> Option<usize> {
    let tree = tree_layout(layout.width, layout.height, layout.dpr, diagram);
    let dot_hit = size::DOT_HIT * tree.dpr;
    tree.boxes
        .iter()
        .flatten()
        .filter_map(|b| {
            let (dx, dy) = (px - b.centre.0, py - b.centre.1);
            let inside = match b.shape {
                NodeShape::Dot => dx.hypot(dy) <= b.half_width.max(dot_hit),
                _ => dx.abs() <= b.half_width + 1.0 && dy.abs() <= b.half_height + 1.0,
            };
            inside.then(|| (b.id, dx.hypot(dy)))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// Draws the tree diagram on `root` (background included): nodes top-down with edges labelled
/// yes (`≤`, left) and no (`>`, right); `highlight` (a node id, e.g. the hovered one) gets a glow
/// and `path` (node ids from the root, e.g. [`DecisionTree::decision_path`] of a point) is drawn
/// emphasised. An empty diagram shows a short message. Ids that do not exist are ignored.
///
/// The size is that of `root`; `layout` supplies the device-pixel ratio.
pub fn draw_tree<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    diagram: &TreeDiagram,
    highlight: Option<usize>,
    path: &[usize],
) -> Result<()> {
    let (width, height) = root.dim_in_pixel();
    root.fill(&rgb(BACKGROUND_COLOUR)).map_err(render_error)?;
    let tree = tree_layout(width, height, layout.dpr, diagram);
    let css = |length: f64| length * tree.dpr;
    if tree.structure.preorder.is_empty() {
        let look = TextLook { size: css(size::HEAD_FONT), colour: MUTED_TEXT_COLOUR, bold: false };
        let centre = (0.5 * width as f64, 0.5 * height as f64);
        draw_text(root, &word("tree.not_grown"), centre, look, HPos::Center, VPos::Center)?;
        return root.present().map_err(render_error);
    }
    let on_path = path_flags(&tree, path);
    let means = diagram.nodes.iter().filter_map(|n| n.value.first()).filter(|v| v.is_finite());
    let value_range = means.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let painter = Painter { root, diagram, tree: &tree, value_range };

    // Edges: plain ones first, the path's over them, then the yes / no labels.
    for emphasised in [false, true] {
        for &parent in &tree.structure.preorder {
            let Some((left, right)) = tree.structure.children[parent] else { continue };
            for child in [left, right] {
                if (on_path[parent] && on_path[child]) == emphasised {
                    painter.edge(parent, child, emphasised)?;
                }
            }
        }
    }
    for &parent in &tree.structure.preorder {
        painter.edge_labels(parent)?;
    }
    // Nodes: plain ones, then the path's, then the highlighted one.
    let highlight = highlight.filter(|&h| tree.boxes.get(h).is_some_and(|b| b.is_some()));
    for emphasised in [false, true] {
        for &i in &tree.structure.preorder {
            if on_path[i] == emphasised && Some(i) != highlight {
                painter.node(i, on_path[i], false)?;
            }
        }
    }
    if let Some(h) = highlight {
        painter.node(h, on_path[h], true)?;
    }
    root.present().map_err(render_error)
}

/// Which nodes lie on `path`: the root-first chain of ids, followed while each id is a child of
/// the one before (the rest is ignored).
fn path_flags(tree: &TreeLayout, path: &[usize]) -> Vec<bool> {
    let mut flags = vec![false; tree.boxes.len()];
    let mut previous: Option<usize> = None;
    for &id in path {
        let follows = match previous {
            None => id == 0,
            Some(p) => tree.structure.children.get(p).copied().flatten().is_some_and(|(l, r)| id == l || id == r),
        };
        if !follows || id >= flags.len() {
            break;
        }
        flags[id] = true;
        previous = Some(id);
    }
    flags
}

/// Draws the parts of the diagram.
struct Painter<'a, DB: DrawingBackend> {
    root: &'a DrawingArea<DB, Shift>,
    diagram: &'a TreeDiagram,
    tree: &'a TreeLayout,
    /// The smallest and largest finite node mean (regression colours).
    value_range: (f64, f64),
}

impl<DB: DrawingBackend> Painter<'_, DB> {
    fn css(&self, length: f64) -> f64 {
        length * self.tree.dpr
    }

    fn width(&self, css: f64) -> u32 {
        self.css(css).round().max(1.0) as u32
    }

    fn node_box(&self, id: usize) -> Option<NodeBox> {
        self.tree.boxes.get(id).copied().flatten()
    }

    /// The curve from the bottom of `parent` to the top of `child`.
    fn edge_curve(&self, parent: usize, child: usize) -> Option<Vec<(f64, f64)>> {
        let (from, to) = (self.node_box(parent)?.bottom(), self.node_box(child)?.top());
        let middle = 0.5 * (from.1 + to.1);
        let samples = ((to.0 - from.0).hypot(to.1 - from.1) / 6.0).clamp(2.0, 20.0) as usize;
        Some(shapes::cubic(from, (from.0, middle), (to.0, middle), to, samples))
    }

    fn edge(&self, parent: usize, child: usize, emphasised: bool) -> Result<()> {
        let Some(curve) = self.edge_curve(parent, child) else { return Ok(()) };
        let style = if emphasised {
            rgb(CURVE_COLOUR).stroke_width(self.width(size::PATH_EDGE))
        } else {
            rgb(EDGE_COLOUR).stroke_width(self.width(size::EDGE))
        };
        shapes::draw_line(self.root, &curve, style)
    }

    /// "yes" and "no" half-way down the edges of a split drawn as a full box, where they fit.
    fn edge_labels(&self, parent: usize) -> Result<()> {
        let Some((left, right)) = self.tree.structure.children[parent] else { return Ok(()) };
        if self.node_box(parent).map(|b| b.shape) != Some(NodeShape::Box) {
            return Ok(());
        }
        let font = self.css(size::EDGE_FONT);
        let (Some(left_curve), Some(right_curve)) = (self.edge_curve(parent, left), self.edge_curve(parent, right))
        else {
            return Ok(());
        };
        let middle = |curve: &[(f64, f64)]| curve.get(curve.len() / 2).copied();
        let (Some(yes_at), Some(no_at)) = (middle(&left_curve), middle(&right_curve)) else { return Ok(()) };
        let look = TextLook { size: font, colour: MUTED_TEXT_COLOUR, bold: false };
        let (yes, no) = (word("tree.yes"), word("tree.no"));
        let label_width = look.width(&yes).max(look.width(&no)) + self.css(6.0);
        if no_at.0 - yes_at.0 < 2.0 * label_width {
            return Ok(());
        }
        for (text, at) in [(yes.as_str(), yes_at), (no.as_str(), no_at)] {
            let half = (0.5 * (look.width(text) + self.css(6.0)), 0.5 * font + self.css(2.0));
            let fill = rgb(BACKGROUND_COLOUR).to_rgba();
            shapes::draw_rounded_box(self.root, at, half, half.1, Some(fill), None)?;
            draw_text(self.root, text, at, look, HPos::Center, VPos::Center)?;
        }
        Ok(())
    }

    /// The fill colour of a node: its majority class (or, for regression, its mean relative to
    /// the other nodes') mixed into white, stronger the purer (larger) it is; `solid` for dots.
    fn node_colour(&self, node: &NodeInfo, solid: bool) -> [u8; 3] {
        let (base, strength) = if solid { (0.45, 0.55) } else { (0.10, 0.50) };
        if self.diagram.regression {
            let (low, high) = self.value_range;
            let value = node.value.first().copied().unwrap_or(f64::NAN);
            let share = if high > low && value.is_finite() { (value - low) / (high - low) } else { 0.5 };
            return shapes::tint(REGRESSION_COLOUR, base + strength * share);
        }
        match self.diagram.majority(node) {
            Some((class, fraction)) => {
                let k = node.value.len().max(2) as f64;
                let purity = ((fraction - 1.0 / k) / (1.0 - 1.0 / k)).clamp(0.0, 1.0);
                shapes::tint(CLASS_COLOURS[class % CLASS_COLOURS.len()], base + strength * purity)
            }
            None => shapes::tint(BORDER_COLOUR, base),
        }
    }

    fn node(&self, id: usize, on_path: bool, highlighted: bool) -> Result<()> {
        let (Some(b), Some(node)) = (self.node_box(id), self.diagram.nodes.get(id)) else { return Ok(()) };
        let is_split = self.tree.structure.children[id].is_some();
        let border = if on_path || highlighted {
            rgb(CURVE_COLOUR).stroke_width(self.width(size::PATH_BORDER))
        } else {
            rgb(BORDER_COLOUR).stroke_width(self.width(size::BORDER))
        };
        let halo = self.css(size::HALO);
        match b.shape {
            NodeShape::Dot => {
                let emphasis = if on_path || highlighted { self.css(1.5) } else { 0.0 };
                let radius = (b.half_width + emphasis).round().max(1.0) as u32;
                let at = (b.centre.0.round() as i32, b.centre.1.round() as i32);
                if highlighted {
                    let glow = rgb(HALO_COLOUR).mix(0.6).filled();
                    self.root.draw(&Circle::new(at, radius + halo.round() as u32, glow)).map_err(render_error)?;
                }
                let fill = rgb(self.node_colour(node, true)).filled();
                self.root.draw(&Circle::new(at, radius, fill)).map_err(render_error)?;
                if on_path || highlighted {
                    self.root.draw(&Circle::new(at, radius, border)).map_err(render_error)?;
                }
                Ok(())
            }
            NodeShape::Box | NodeShape::Chip => {
                let half = (b.half_width, b.half_height);
                let corner = self.css(size::CORNER).min(0.35 * half.1.min(half.0) * 2.0);
                if highlighted {
                    let glow = rgb(HALO_COLOUR).mix(0.6);
                    shapes::draw_rounded_box(
                        self.root,
                        b.centre,
                        (half.0 + halo, half.1 + halo),
                        corner + halo,
                        Some(glow),
                        None,
                    )?;
                }
                let fill = rgb(self.node_colour(node, false)).to_rgba();
                shapes::draw_rounded_box(self.root, b.centre, half, corner, Some(fill), Some(border))?;
                if b.shape == NodeShape::Box {
                    self.box_text(&b, node, is_split)
                } else {
                    self.chip_text(&b, node, is_split)
                }
            }
        }
    }

    /// The four rows of a full box: headline, impurity, samples, class bar (or mean).
    fn box_text(&self, b: &NodeBox, node: &NodeInfo, is_split: bool) -> Result<()> {
        let (pad_x, pad_y) = (self.css(size::PAD_X), self.css(size::PAD_Y));
        let inner_width = 2.0 * b.half_width - 2.0 * pad_x;
        let (top, inner_height) = (b.centre.1 - b.half_height + pad_y, 2.0 * b.half_height - 2.0 * pad_y);
        let row = |i: usize| top + inner_height * (2 * i + 1) as f64 / 8.0;
        let head = TextLook { size: self.css(size::HEAD_FONT), colour: TEXT_COLOUR, bold: true };
        let body = TextLook { size: self.css(size::FONT), colour: TEXT_COLOUR, bold: false };
        let line = |text: String, i: usize, look: TextLook| {
            let (text, look) = look.shrink_to_fit(&text, inner_width, 0.8);
            draw_text(self.root, &text, (b.centre.0, row(i)), look, HPos::Center, VPos::Center)
        };
        line(self.diagram.headline(node, is_split), 0, head)?;
        // the name is data (gini, entropy, mse); its word comes from the catalog
        let impurity_name = match self.diagram.impurity_name.as_str() {
            name @ ("gini" | "entropy" | "mse") => word(&format!("tree.{name}")),
            _ => word("tree.impurity"),
        };
        line(format!("{impurity_name} = {}", shapes::number(node.impurity)), 1, body)?;
        line(word_with("tree.samples", &[("n", &node.n_samples.to_string())]), 2, body)?;
        if self.diagram.regression {
            if is_split {
                let mean = node.value.first().copied().unwrap_or(f64::NAN);
                line(word_with("tree.mean", &[("value", &shapes::number(mean))]), 3, body)?;
            }
            return Ok(());
        }
        let bar_height = self.css(size::BAR_HEIGHT).min(inner_height / 4.0);
        self.class_bar(node, (b.centre.0 - 0.5 * inner_width, row(3) - 0.5 * bar_height), inner_width, bar_height)
    }

    /// The class distribution as a stacked bar, one segment per class in the class colours.
    fn class_bar(&self, node: &NodeInfo, (left, top): (f64, f64), width: f64, height: f64) -> Result<()> {
        let total: f64 = node.value.iter().filter(|v| v.is_finite() && **v > 0.0).sum();
        if total <= 0.0 || width < 2.0 || height < 1.0 {
            return Ok(());
        }
        let (y0, y1) = (top.round() as i32, (top + height).round() as i32);
        let mut start = 0.0;
        for (class, &v) in node.value.iter().enumerate() {
            if !(v.is_finite() && v > 0.0) {
                continue;
            }
            let end = start + v / total;
            let (x0, x1) = ((left + start * width).round() as i32, (left + end * width).round() as i32);
            if x1 > x0 {
                let colour = rgb(CLASS_COLOURS[class % CLASS_COLOURS.len()]).filled();
                self.root.draw(&Rectangle::new([(x0, y0), (x1, y1)], colour)).map_err(render_error)?;
            }
            start = end;
        }
        let frame = rgb(BORDER_COLOUR).stroke_width(1);
        let (x0, x1) = (left.round() as i32, (left + width).round() as i32);
        self.root.draw(&Rectangle::new([(x0, y0), (x1, y1)], frame)).map_err(render_error)
    }

    /// A chip's line: the headline, or a shorter one, if either fits; in a tall chip, the class
    /// bar (or the sample count, for regression) below it.
    fn chip_text(&self, b: &NodeBox, node: &NodeInfo, is_split: bool) -> Result<()> {
        let look = TextLook { size: self.css(size::CHIP_FONT), colour: TEXT_COLOUR, bold: false };
        let pad = self.css(size::PAD_X) * 0.75;
        let (room_x, height) = (2.0 * b.half_width - 2.0 * pad, 2.0 * b.half_height);
        if height < look.size {
            return Ok(());
        }
        let tall = height >= self.css(size::TALL_CHIP_HEIGHT) - 0.5;
        let text_row = if tall { b.centre.1 - 0.2 * height } else { b.centre.1 };
        let fitting = [self.diagram.headline(node, is_split), self.diagram.short_headline(node, is_split)]
            .into_iter()
            .find(|text| look.width(text) <= room_x);
        if let Some(text) = fitting {
            draw_text(self.root, &text, (b.centre.0, text_row), look, HPos::Center, VPos::Center)?;
        }
        if !tall {
            return Ok(());
        }
        let second_row = b.centre.1 + 0.24 * height;
        if self.diagram.regression {
            let count = format!("n = {}", node.n_samples);
            let small = TextLook { colour: MUTED_TEXT_COLOUR, ..look };
            if small.width(&count) <= room_x {
                draw_text(self.root, &count, (b.centre.0, second_row), small, HPos::Center, VPos::Center)?;
            }
            return Ok(());
        }
        let bar_height = self.css(size::CHIP_BAR_HEIGHT);
        self.class_bar(node, (b.centre.0 - 0.5 * room_x, second_row - 0.5 * bar_height), room_x, bar_height)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::diagram_testing::{render, Rendered};
    use super::super::tests::testing::Picture;
    use super::*;
    use crate::data::{Dataset, Task};
    use crate::model::tree::{DecisionTree, TreeParams};
    use crate::model::{Hyperparams, Model};

    fn fitted(params: TreeParams, data: &Dataset) -> DecisionTree {
        let mut tree = params.build(0).unwrap();
        tree.fit(data).unwrap();
        tree
    }

    /// Two classes split at x1 = 0.5: a root and two pure leaves.
    fn three_nodes() -> TreeDiagram {
        let x = [0.1, 0.3, 0.2, 0.9, 0.8, 0.1, 0.9, 0.6];
        let data = Dataset::from_rows(&x, 2, &[0.0, 0.0, 1.0, 1.0], Task::Classification { n_classes: 2 }).unwrap();
        let names = vec!["setosa".to_string(), "virginica".to_string()];
        TreeDiagram::new(&fitted(TreeParams::default(), &data), &[], &names)
    }

    /// Three classes in diagonal bands over a 12 × 12 grid, grown to depth `depth`.
    fn bands(depth: usize) -> TreeDiagram {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for i in 0..12 {
            for j in 0..12 {
                let (a, b) = (i as f64 / 11.0, j as f64 / 11.0);
                x.extend([a, b]);
                y.push(((2.2 * a + 1.3 * b + 0.3 * (7.0 * a).sin()) as usize % 3) as f64);
            }
        }
        let data = Dataset::from_rows(&x, 2, &y, Task::Classification { n_classes: 3 }).unwrap();
        let params = TreeParams { max_depth: Some(depth), ..TreeParams::default() };
        let names = ["width", "height"].map(String::from);
        TreeDiagram::new(&fitted(params, &data), &names, &[])
    }

    /// A wiggly regression surface on a 30 × 30 grid grown to `leaves` leaves.
    fn wiggly(leaves: usize) -> TreeDiagram {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for i in 0..30 {
            for j in 0..30 {
                let (a, b) = (i as f64 / 29.0, j as f64 / 29.0);
                x.extend([a, b]);
                y.push((7.0 * a).sin() * (5.0 * b).cos() + 0.1 * ((i * 7 + j * 13) % 10) as f64);
            }
        }
        let data = Dataset::from_rows(&x, 2, &y, Task::Regression).unwrap();
        TreeDiagram::new(&fitted(TreeParams { max_leaf_nodes: Some(leaves), ..TreeParams::default() }, &data), &[], &[])
    }

    fn draw(layout: &Layout, diagram: &TreeDiagram, highlight: Option<usize>, path: &[usize]) -> Rendered {
        render(layout.width, layout.height, |root| draw_tree(root, layout, diagram, highlight, path))
    }

    /// Whether `colour` is within a pixel of `at`.
    fn near(picture: &Picture, at: (f64, f64), colour: [u8; 3]) -> bool {
        let (x, y) = (at.0.round() as i32, at.1.round() as i32);
        (-1..=1).any(|dx| (-1..=1).any(|dy| picture.at(x + dx, y + dy) == colour))
    }

    fn centre(b: &NodeBox) -> (i32, i32) {
        (b.centre.0.round() as i32, b.centre.1.round() as i32)
    }

    #[test]
    fn diagram_holds_the_tree_with_names() {
        let diagram = three_nodes();
        assert_eq!(diagram.nodes.len(), 3);
        assert_eq!(diagram.feature_names, ["x1", "x2"]);
        assert_eq!(diagram.class_names, ["setosa", "virginica"]);
        assert_eq!(diagram.impurity_name, "gini");
        assert!(!diagram.regression);
        assert_eq!(diagram.nodes[0].threshold, Some(0.5));
        let regression = wiggly(4);
        assert!(regression.regression && regression.class_names.is_empty());
        assert_eq!(regression.impurity_name, "mse");
        // Plain data: it survives JSON (the Worker → page trip).
        let json = serde_json::to_string(&diagram).unwrap();
        assert_eq!(serde_json::from_str::<TreeDiagram>(&json).unwrap(), diagram);
    }

    #[test]
    fn root_box_sits_above_and_between_its_children() {
        let layout = Layout::new(600, 400, 1.0);
        let diagram = three_nodes();
        let boxes = tree_node_boxes(&layout, &diagram);
        let (root, left, right) = (boxes[0].unwrap(), boxes[1].unwrap(), boxes[2].unwrap());
        assert!(!tree_is_compact(&layout, &diagram));
        assert_eq!(root.shape, NodeShape::Box);
        assert!(root.centre.1 + root.half_height < left.centre.1 - left.half_height, "root above the children");
        assert_eq!(left.centre.1, right.centre.1);
        assert!(left.centre.0 < root.centre.0 && root.centre.0 < right.centre.0);
        assert!((root.centre.0 - 0.5 * (left.centre.0 + right.centre.0)).abs() < 1e-9, "centred over them");
        // The leaves do not overlap.
        assert!(left.centre.0 + left.half_width < right.centre.0 - right.half_width);

        let rendered = draw(&layout, &diagram, None, &[]);
        let picture = &rendered.picture;
        // Boxes are filled where the layout puts them: the pure leaves in their class hue, the
        // 50/50 root barely tinted; white between them.
        let blue_leaf = shapes::tint(CLASS_COLOURS[0], 0.6);
        let orange_leaf = shapes::tint(CLASS_COLOURS[1], 0.6);
        let inside = |b: &NodeBox| (b.centre.0 - 0.8 * b.half_width, b.centre.1);
        assert_eq!(picture.at_f(inside(&left)), blue_leaf);
        assert_eq!(picture.at_f(inside(&right)), orange_leaf);
        let root_fill = picture.at_f(inside(&root));
        assert!(root_fill != [255, 255, 255] && root_fill.iter().all(|&c| c > 220), "{root_fill:?}");
        let between = (root.centre.0, 0.5 * (root.centre.1 + root.half_height + left.centre.1 - left.half_height));
        assert_eq!(picture.at_f((between.0, between.1)), [255, 255, 255]);
        // The root's class bar: half blue on the left, half orange on the right.
        let blue: Vec<(i32, i32)> = picture.find(CLASS_COLOURS[0]);
        let orange: Vec<(i32, i32)> = picture.find(CLASS_COLOURS[1]);
        let in_root = |p: &&(i32, i32)| (p.1 as f64 - root.centre.1).abs() < root.half_height;
        let (blue, orange): (Vec<_>, Vec<_>) =
            (blue.iter().filter(in_root).collect(), orange.iter().filter(in_root).collect());
        assert!(blue.len() > 100 && orange.len() > 100);
        assert!(blue.iter().map(|p| p.0).max() <= orange.iter().map(|p| p.0).min());
        assert!((blue.len() as f64 / orange.len() as f64 - 1.0).abs() < 0.1);
    }

    #[test]
    fn boxes_show_the_split_impurity_samples_and_edge_labels() {
        let layout = Layout::new(600, 400, 1.0);
        let diagram = three_nodes();
        let boxes = tree_node_boxes(&layout, &diagram);
        let rendered = draw(&layout, &diagram, None, &[]);
        let within = |text: &str, b: &NodeBox| {
            let found = rendered.texts_equal(text);
            assert_eq!(found.len(), 1, "{text:?} drawn once: {:?}", rendered.texts);
            let (x0, y0, x1, y1) = found[0].bounds();
            assert!(
                x0 >= b.centre.0 - b.half_width
                    && x1 <= b.centre.0 + b.half_width
                    && y0 >= b.centre.1 - b.half_height
                    && y1 <= b.centre.1 + b.half_height,
                "{text:?} at {:?} inside {b:?}",
                found[0].bounds()
            );
        };
        let (root, left, right) = (boxes[0].unwrap(), boxes[1].unwrap(), boxes[2].unwrap());
        within("x1 ≤ 0.5", &root);
        within("gini = 0.5", &root);
        within("samples = 4", &root);
        within("setosa", &left);
        within("virginica", &right);
        assert_eq!(rendered.texts_equal("gini = 0").len(), 2);
        let (yes, no) = (rendered.texts_equal("yes"), rendered.texts_equal("no"));
        assert_eq!((yes.len(), no.len()), (1, 1));
        assert!(yes[0].at.0 < root.centre.0 as i32 && no[0].at.0 > root.centre.0 as i32);
        assert!(yes[0].at.1 as f64 > root.centre.1 && (yes[0].at.1 as f64) < left.centre.1);
    }

    #[test]
    fn hit_test_finds_the_node_under_the_pointer() {
        let layout = Layout::new(600, 400, 1.0);
        let diagram = three_nodes();
        let boxes = tree_node_boxes(&layout, &diagram);
        for (id, b) in boxes.iter().enumerate() {
            let b = b.unwrap();
            assert_eq!(tree_hit(&layout, &diagram, b.centre.0, b.centre.1), Some(id));
            assert_eq!(
                tree_hit(&layout, &diagram, b.centre.0 + 0.9 * b.half_width, b.centre.1 - 0.9 * b.half_height),
                Some(id)
            );
            assert_eq!(tree_hit(&layout, &diagram, b.centre.0, b.centre.1 + b.half_height + 6.0), None);
        }
        assert_eq!(tree_hit(&layout, &diagram, 2.0, 2.0), None);
        assert_eq!(tree_hit(&layout, &diagram, f64::NAN, 10.0), None);
        // Same maths at another device-pixel ratio.
        let sharp = Layout::new(1200, 800, 2.0);
        let root = tree_node_boxes(&sharp, &diagram)[0].unwrap();
        assert_eq!(root.centre, (2.0 * boxes[0].unwrap().centre.0, 2.0 * boxes[0].unwrap().centre.1));
        assert_eq!(tree_hit(&sharp, &diagram, root.centre.0, root.centre.1), Some(0));
    }

    #[test]
    fn path_and_highlight_are_emphasised() {
        let layout = Layout::new(800, 500, 1.0);
        let diagram = bands(3);
        let boxes = tree_node_boxes(&layout, &diagram);
        let leaf = (0..diagram.nodes.len()).rev().find(|&i| diagram.nodes[i].is_leaf).unwrap();
        // The path from the root to that leaf, by parents.
        let mut path = vec![leaf];
        while let Some(parent) = diagram.nodes[*path.last().unwrap()].parent {
            path.push(parent);
        }
        path.reverse();
        let plain = draw(&layout, &diagram, None, &[]).picture;
        let emphasised = draw(&layout, &diagram, Some(leaf), &path).picture;
        // Half-way along each edge of the path: grey before, dark after.
        for pair in path.windows(2) {
            // A quarter of the way down the curve (the middle holds the yes / no label).
            let (from, to) = (boxes[pair[0]].unwrap().bottom(), boxes[pair[1]].unwrap().top());
            let middle = 0.5 * (from.1 + to.1);
            let quarter = shapes::cubic(from, (from.0, middle), (to.0, middle), to, 4)[1];
            assert!(near(&plain, quarter, EDGE_COLOUR), "edge {pair:?}");
            assert!(!near(&plain, quarter, CURVE_COLOUR), "edge {pair:?}");
            assert_eq!(emphasised.at_f(quarter), CURVE_COLOUR, "edge {pair:?}");
        }
        assert!(emphasised.find(CURVE_COLOUR).len() > plain.find(CURVE_COLOUR).len() + 100);
        // The highlighted leaf glows just outside its box, yellow-ish.
        let b = boxes[leaf].unwrap();
        let glow = emphasised.at_f((b.centre.0, b.centre.1 + b.half_height + 3.0));
        assert!(glow[0] > 200 && glow[2] < 160, "{glow:?}");
        assert_eq!(plain.at_f((b.centre.0, b.centre.1 + b.half_height + 3.0)), [255, 255, 255]);
        // A path that does not follow the tree is ignored after its first wrong step.
        // Only the root is on it: its border is dark, no edge is.
        let bogus = draw(&layout, &diagram, Some(10_000), &[0, 10_000, 3]).picture;
        let root = boxes[0].unwrap();
        assert_eq!(bogus.at_f((root.centre.0, root.centre.1 - root.half_height)), CURVE_COLOUR);
        let (from, to) = (root.bottom(), boxes[path[1]].unwrap().top());
        let middle = 0.5 * (from.1 + to.1);
        assert!(near(&bogus, shapes::cubic(from, (from.0, middle), (to.0, middle), to, 4)[1], EDGE_COLOUR));
    }

    #[test]
    fn big_trees_are_drawn_compact() {
        let layout = Layout::new(900, 500, 1.0);
        let diagram = wiggly(200);
        assert_eq!(diagram.nodes.iter().filter(|n| n.is_leaf).count(), 200);
        assert!(tree_is_compact(&layout, &diagram));
        let boxes: Vec<NodeBox> = tree_node_boxes(&layout, &diagram).into_iter().flatten().collect();
        assert_eq!(boxes.len(), 399);
        let count = |shape| boxes.iter().filter(|b| b.shape == shape).count();
        assert_ne!(boxes[0].shape, NodeShape::Dot, "the root keeps a box");
        assert!(count(NodeShape::Dot) >= 200, "the leaves at least are dots");
        assert!(count(NodeShape::Chip) >= 10);
        // No two nodes of a row overlap; everything is inside the canvas.
        for a in &boxes {
            assert!(a.centre.0 - a.half_width >= 0.0 && a.centre.0 + a.half_width <= 900.0);
            assert!(a.centre.1 - a.half_height >= 0.0 && a.centre.1 + a.half_height <= 500.0);
            for b in boxes.iter().filter(|b| b.id != a.id && b.centre.1 == a.centre.1) {
                assert!((a.centre.0 - b.centre.0).abs() >= a.half_width + b.half_width - 1e-9, "{a:?} overlaps {b:?}");
            }
        }
        let rendered = draw(&layout, &diagram, Some(150), &[0]);
        // Text only where it fits: each inside the chip or box it labels.
        assert!(rendered.texts.len() >= 10);
        assert!(rendered
            .texts
            .iter()
            .any(|t| t.text == format!("x1 ≤ {}", shapes::number(diagram.nodes[0].threshold.unwrap()))));
        for text in &rendered.texts {
            let (x0, y0, x1, y1) = text.bounds();
            let owner = boxes.iter().find(|b| {
                b.shape != NodeShape::Dot
                    && x0 >= b.centre.0 - b.half_width
                    && x1 <= b.centre.0 + b.half_width
                    && y0 >= b.centre.1 - b.half_height - 1.0
                    && y1 <= b.centre.1 + b.half_height + 1.0
            });
            assert!(owner.is_some(), "{text:?} is not inside a node");
        }
        // The dots are drawn: a leaf's centre is tinted.
        let leaf = boxes.iter().find(|b| b.shape == NodeShape::Dot).unwrap();
        assert_ne!(rendered.picture.at(centre(leaf).0, centre(leaf).1), [255, 255, 255]);
        // A dot is found by the hit test.
        assert_eq!(tree_hit(&layout, &diagram, leaf.centre.0, leaf.centre.1), Some(leaf.id));
        // A small tree in a small area is compact too.
        let small = Layout::new(300, 200, 1.0);
        assert!(tree_is_compact(&small, &bands(4)));
        draw(&small, &bands(4), None, &[]);
    }

    #[test]
    fn regression_nodes_show_means() {
        let layout = Layout::new(900, 500, 1.0);
        let diagram = wiggly(4);
        let rendered = draw(&layout, &diagram, None, &[]);
        let texts: Vec<&str> = rendered.texts.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts.iter().filter(|t| t.starts_with("ŷ = ")).count(), 4, "{texts:?}");
        assert_eq!(texts.iter().filter(|t| t.starts_with("mean = ")).count(), 3, "{texts:?}");
        assert_eq!(texts.iter().filter(|t| t.starts_with("mse = ")).count(), 7);
    }

    #[test]
    fn empty_and_damaged_diagrams_draw_without_panicking() {
        let layout = Layout::new(400, 300, 1.0);
        let empty = TreeDiagram::default();
        let rendered = draw(&layout, &empty, Some(0), &[0]);
        assert_eq!(rendered.texts.len(), 1);
        assert_eq!(tree_hit(&layout, &empty, 200.0, 150.0), None);
        assert!(tree_node_boxes(&layout, &empty).is_empty());

        let mut damaged = bands(3);
        damaged.nodes[0].threshold = Some(f64::NAN);
        damaged.nodes[0].impurity = f64::INFINITY;
        damaged.nodes[1].value = vec![f64::NAN, -1.0];
        damaged.nodes[2].left = Some(0); // a cycle back to the root
        damaged.nodes[3].right = Some(99_999); // out of range
        damaged.nodes[4].left = damaged.nodes[4].right; // both children the same
        damaged.feature_names.clear();
        damaged.class_names.clear();
        draw(&layout, &damaged, Some(3), &[0, 2, 0]);
        let boxes = tree_node_boxes(&layout, &damaged);
        let root = boxes[0].unwrap();
        assert_eq!(tree_hit(&layout, &damaged, root.centre.0, root.centre.1), Some(0));
        // The subtrees hanging from the broken links are not drawn.
        let original = bands(3);
        for (i, node) in original.nodes.iter().enumerate() {
            if matches!(node.parent, Some(2..=4)) {
                assert!(boxes[i].is_none(), "node {i}");
            } else {
                assert!(boxes[i].is_some(), "node {i}");
            }
        }
        // A long chain (a very deep tree) and tiny or absurd canvases.
        let mut chain = bands(2);
        chain.nodes.truncate(1);
        for canvas in [Layout::new(0, 0, 1.0), Layout::new(3, 2, 1.0), Layout::new(400, 300, f64::NAN)] {
            draw(&canvas, &bands(3), Some(1), &[0, 1]);
            draw(&canvas, &chain, None, &[]);
        }
    }

    /// Pictures for a person to look at: `cargo test -- --ignored dump_tree_pictures`, then
    /// `python3 ppm2png.py /tmp/diagram-tree-*.ppm` (text from the `.txt` next to each).
    #[test]
    #[ignore]
    fn dump_tree_pictures() {
        let wide = Layout::new(1000, 520, 1.0);
        let diagram = bands(3);
        let leaf = (0..diagram.nodes.len()).rev().find(|&i| diagram.nodes[i].is_leaf).unwrap();
        let mut path = vec![leaf];
        while let Some(parent) = diagram.nodes[*path.last().unwrap()].parent {
            path.push(parent);
        }
        path.reverse();
        draw(&wide, &diagram, Some(path[1]), &path).dump("/tmp/diagram-tree-bands");
        draw(&Layout::new(1200, 700, 2.0), &three_nodes(), Some(1), &[0, 1]).dump("/tmp/diagram-tree-three");
        draw(&Layout::new(1000, 560, 1.0), &wiggly(200), Some(40), &[0, 1, 2]).dump("/tmp/diagram-tree-compact");
        draw(&Layout::new(1000, 520, 1.0), &wiggly(12), None, &[]).dump("/tmp/diagram-tree-regression");
        draw(&Layout::new(1000, 560, 1.0), &bands(6), None, &[]).dump("/tmp/diagram-tree-deep");
    }
}
