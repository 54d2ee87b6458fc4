//! The charts beside the plot, by kind: one dispatch for every backend. The page's `renderView`
//! (a canvas) and `viewSvg` (SVG text, [`view_svg`]) both read a kind's data with
//! [`ViewPicture::read`] and draw it with [`draw_view`], so a chart saved as SVG is the one the
//! canvas shows. It lives in the session, not in `render`, because it reads the session's view
//! types (`Roc`, `Bars`, …); render draws the values it is handed.
//!
//! Kinds: "sigmoid", "roc", "precision_recall", "bars", "tree", "network", "schedule",
//! "pruning", "elbow", "silhouette", "tune_history", "tune_scatter", "tune_parallel",
//! "tune_generations", "compress_curve"; any other is refused (`no_view`).

use super::{Bars, PrecisionRecall, PruningPath, Roc, ScheduleView, TreeView};
use crate::error::{Error, Result};
use crate::model::view::KCurve;
use crate::render::network::NetworkDiagram;
use crate::render::raster::Raster;
use crate::render::scene::Compositor;
use crate::render::sigmoid::SigmoidScene;
use crate::render::tune_charts::{RasterSink, TuneGenerations, TuneHistory, TuneParallel, TuneScatter};
use crate::render::{charts, compress_charts, curves, network, sigmoid, svg, tree_diagram, tune_charts, Layout};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use serde::de::DeserializeOwned;

/// Where a chart's data comes from (a JS value in the page, JSON in tests), and its errors.
pub trait ViewSource: Sized {
    type Error;
    /// The data read as `T`; `what` names it in the error (a `what.<code>` message).
    fn read<T: DeserializeOwned>(self, what: &str) -> std::result::Result<T, Self::Error>;
    /// The sigmoid view's data (the page gives its per-point arrays as typed arrays).
    fn sigmoid(self) -> std::result::Result<SigmoidScene, Self::Error> {
        self.read("sigmoid_view")
    }
    /// The crate's error as this source's.
    fn error(e: Error) -> Self::Error;
}

/// One chart's data, read for its kind.
pub enum ViewPicture {
    Sigmoid(SigmoidScene),
    Roc(Roc),
    PrecisionRecall(PrecisionRecall),
    Bars(Bars),
    Tree(TreeView),
    Network(NetworkDiagram),
    Schedule(ScheduleView),
    Pruning(PruningPath),
    /// The chart over k: inertia ("elbow") or silhouette.
    KCurve {
        curve: KCurve,
        elbow: bool,
    },
    TuneHistory(TuneHistory),
    TuneScatter(TuneScatter),
    TuneParallel(TuneParallel),
    TuneGenerations(TuneGenerations),
    CompressCurve(compress_charts::CompressCurve),
}

impl ViewPicture {
    /// Reads `data` as the chart `kind` draws; an unknown kind is refused (`no_view`).
    pub fn read<S: ViewSource>(kind: &str, data: S) -> std::result::Result<ViewPicture, S::Error> {
        Ok(match kind {
            "sigmoid" => ViewPicture::Sigmoid(data.sigmoid()?),
            "roc" => ViewPicture::Roc(data.read("roc")?),
            "precision_recall" => ViewPicture::PrecisionRecall(data.read("precision_recall")?),
            "bars" => ViewPicture::Bars(data.read("bar_chart")?),
            "tree" => ViewPicture::Tree(data.read("tree")?),
            "network" => ViewPicture::Network(data.read("network")?),
            "schedule" => ViewPicture::Schedule(data.read("schedule")?),
            "pruning" => ViewPicture::Pruning(data.read("pruning_path")?),
            "elbow" | "silhouette" => {
                ViewPicture::KCurve { curve: data.read("the chart over k")?, elbow: kind == "elbow" }
            }
            "tune_history" => ViewPicture::TuneHistory(data.read("tuning_history")?),
            "tune_scatter" => ViewPicture::TuneScatter(data.read("tuning_trials")?),
            "tune_parallel" => ViewPicture::TuneParallel(data.read("tuning_trials")?),
            "tune_generations" => ViewPicture::TuneGenerations(data.read("generations")?),
            "compress_curve" => ViewPicture::CompressCurve(data.read("the compression curve")?),
            other => return Err(S::error(err!(InvalidInput, "no_view", other = other))),
        })
    }
}

/// What a backend does with a chart's raster layers: the sigmoid view's many points as one
/// layer (`points`; without, each point a vector circle) and the tuning surface (`surface`;
/// without, pixel by pixel).
#[derive(Default)]
pub struct Layers<'a> {
    pub points: Option<Compositor<'a>>,
    pub surface: RasterSink<'a>,
}

/// Draws `picture` on `root` (background included). For a tree, `highlight` is a node and `path`
/// the node ids to emphasise; for a network, `highlight` is a layer and `path[0]` a neuron in it.
pub fn draw_view<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    picture: &ViewPicture,
    highlight: Option<u32>,
    path: &[usize],
    layers: Layers<'_>,
) -> Result<()> {
    match picture {
        ViewPicture::Sigmoid(scene) => match layers.points {
            Some(composite) => sigmoid::draw_sigmoid_layered(root, layout, scene, composite),
            None => sigmoid::draw_sigmoid(root, layout, scene),
        },
        ViewPicture::Roc(roc) => curves::draw_roc(root, layout, &roc.points, roc.auc),
        ViewPicture::PrecisionRecall(pr) => {
            curves::draw_precision_recall(root, layout, &pr.points, pr.average_precision, pr.positive_share)
        }
        ViewPicture::Bars(bars) => curves::draw_bars(root, layout, &bars.labels, &bars.values, &bars.title),
        ViewPicture::Tree(tree) => {
            tree_diagram::draw_tree(root, layout, &tree.diagram, highlight.map(|h| h as usize), path)
        }
        ViewPicture::Network(diagram) => {
            let neuron = highlight.zip(path.first().copied()).map(|(layer, neuron)| (layer as usize, neuron));
            network::draw_network(root, layout, diagram, neuron)
        }
        ViewPicture::Schedule(s) => charts::draw_schedule(root, layout, &s.rates, s.current),
        ViewPicture::Pruning(p) => {
            charts::draw_pruning_path(root, layout, &p.alphas, &p.train, &p.test, Some(p.chosen))
        }
        ViewPicture::KCurve { curve, elbow } => {
            let y_title = if *elbow { "axis.inertia" } else { "axis.silhouette" };
            charts::draw_k_curve(root, layout, &curve.ks, &curve.values, curve.chosen, y_title)
        }
        ViewPicture::TuneHistory(run) => tune_charts::draw_tune_history(root, layout, run),
        ViewPicture::TuneScatter(run) => tune_charts::draw_tune_scatter(root, layout, run, layers.surface),
        ViewPicture::TuneParallel(run) => tune_charts::draw_tune_parallel(root, layout, run),
        ViewPicture::TuneGenerations(run) => tune_charts::draw_tune_generations(root, layout, run),
        ViewPicture::CompressCurve(curve) => compress_charts::draw_compress_curve(root, layout, curve),
    }
}

/// A chart beside the plot as SVG (`kind` and its data as `renderView` takes them): the sigmoid
/// view's points as vector circles, the tuning surface as a grid of cells
/// ([`svg::chart_svg`]). `highlight` and `path` as in [`draw_view`].
pub fn view_svg(
    picture: &ViewPicture,
    width: u32,
    height: u32,
    dpr: f64,
    highlight: Option<u32>,
    path: &[usize],
) -> Result<String> {
    svg::chart_svg(width, height, dpr, |root, layout, cells: &mut dyn FnMut(&Raster, i32, i32) -> Result<()>| {
        draw_view(root, layout, picture, highlight, path, Layers { points: None, surface: Some(cells) })
    })
}
