//! Drawing on canvases: the plot, the loss chart, the views beside the plot, their SVG text,
//! and hit tests that map a pointer back to a tree node or a neuron.

use super::canvas::MeasuredCanvas;
use super::convert::{from_js, js_error, scene_from_js, sigmoid_from_js, to_js};
use crate::render::{self, point_layer::PointLayer, raster::Raster, Layout, LossHistory};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    canvas
        .get_context("2d")?
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        .ok_or_else(|| js_error(err!(Render, "render", detail = "this canvas has no 2-D context")))
}

fn blit(ctx: &CanvasRenderingContext2d, raster: &Raster, x: i32, y: i32) -> Result<(), JsValue> {
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&raster.rgba), raster.width, raster.height)?;
    ctx.put_image_data(&image, x as f64, y as f64)
}

/// An off-screen canvas `blit_over` composites through, and the version of the layer it holds.
type Scratch = Option<(HtmlCanvasElement, CanvasRenderingContext2d, Option<u64>)>;

thread_local! {
    /// The off-screen canvases `blit_over` composites through, made on first use: one for the
    /// plot's cached layer (kept while its version stays), one for layers made afresh (version 0:
    /// the sigmoid view's), so drawing one does not push the other out.
    static SCRATCH: [std::cell::RefCell<Scratch>; 2] =
        const { [std::cell::RefCell::new(None), std::cell::RefCell::new(None)] };
}

/// Draws a point layer over what `ctx` shows, blending with alpha (where `blit`'s `putImageData`
/// replaces pixels): through an off-screen canvas and `drawImage`. The pixels are uploaded only
/// when the layer's version differs from the one the off-screen canvas holds.
fn blit_over(ctx: &CanvasRenderingContext2d, layer: &PointLayer) -> Result<(), JsValue> {
    SCRATCH.with(|slots| {
        let mut cell = slots[usize::from(layer.version == 0)].borrow_mut();
        if cell.is_none() {
            // `document.createElement("canvas")` through js-sys (web-sys's `Document` is not enabled).
            let document = js_sys::Reflect::get(&js_sys::global(), &"document".into())?;
            let create: js_sys::Function = js_sys::Reflect::get(&document, &"createElement".into())?.dyn_into()?;
            let canvas: HtmlCanvasElement = create.call1(&document, &"canvas".into())?.dyn_into()?;
            let scratch = context(&canvas)?;
            *cell = Some((canvas, scratch, None));
        }
        let Some((canvas, scratch, holds)) = cell.as_mut() else { return Ok(()) };
        // (version 0: a layer made afresh, never the same as the one held)
        if layer.version == 0 || *holds != Some(layer.version) {
            *holds = None;
            let raster = &layer.raster;
            if canvas.width() != raster.width || canvas.height() != raster.height {
                canvas.set_width(raster.width);
                canvas.set_height(raster.height);
            }
            blit(scratch, raster, 0, 0)?;
            *holds = Some(layer.version);
        }
        ctx.draw_image_with_html_canvas_element(canvas, layer.x as f64, layer.y as f64)
    })
}

fn clear(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    let ctx = context(canvas)?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    Ok(ctx)
}

fn backend(canvas: &HtmlCanvasElement) -> Result<DrawingArea<MeasuredCanvas, plotters::coord::Shift>, JsValue> {
    let ctx = context(canvas)?;
    CanvasBackend::with_canvas_object(canvas.clone())
        .map(|inner| MeasuredCanvas { inner, ctx }.into_drawing_area())
        .ok_or_else(|| js_error(err!(Render, "render", detail = "the canvas could not be drawn on")))
}

/// Draws a scene (from `Session.scene`) on `canvas` (sized in device pixels) and returns the layout
/// used, so the page can map pointer positions back to data.
/// A classifier's decision surface (a canvas holding its pixels, from `Session.takeSurface`) is
/// scaled into the plot area under the points.
#[wasm_bindgen(js_name = renderScene)]
pub fn render_scene(
    canvas: &HtmlCanvasElement,
    scene: JsValue,
    dpr: f64,
    surface: Option<HtmlCanvasElement>,
) -> Result<JsValue, JsValue> {
    let scene = scene_from_js(&scene)?;
    let layout = Layout::new(canvas.width(), canvas.height(), dpr);
    let ctx = clear(canvas)?;
    if let Some(band) = render::raster::error_band(&layout, &scene) {
        blit(&ctx, &band, layout.plot.0, layout.plot.1)?;
    }
    if let Some(surface) = surface {
        let (x0, y0, x1, y1) = layout.plot;
        ctx.set_image_smoothing_enabled(true);
        ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
            &surface,
            x0 as f64,
            y0 as f64,
            (x1 - x0) as f64,
            (y1 - y0) as f64,
        )?;
    }
    let root = backend(canvas)?;
    // Many points come as one raster layer, composited (with alpha) where the points go.
    let mut composite = |layer: &PointLayer| {
        blit_over(&ctx, layer)
            .map_err(|e| err!(Render, "render", detail = format!("the points could not be drawn: {e:?}")))
    };
    render::draw_scene_layered(&root, &layout, &scene, false, &mut composite).map_err(js_error)?;
    root.present().map_err(|e| js_error(err!(Render, "render", detail = e.to_string())))?;
    to_js(&layout)
}

/// The plot as SVG text (plotters' SVG backend; text as `<text>`): `scene` as `renderScene`
/// draws it on a `width`×`height` device-pixel canvas at ratio `dpr`, over the decision surface
/// given as a PNG `data:` URL (the surface canvas's `toDataURL()`). See `render::svg`.
#[wasm_bindgen(js_name = sceneSvg)]
pub fn scene_svg(
    scene: JsValue,
    width: u32,
    height: u32,
    dpr: f64,
    surface_png: Option<String>,
) -> Result<String, JsValue> {
    let scene = scene_from_js(&scene)?;
    render::svg::scene_svg(&scene, width, height, dpr, surface_png.as_deref()).map_err(js_error)
}

/// The loss chart (from `Session.history`) as SVG text, as `renderLoss` draws it.
#[wasm_bindgen(js_name = lossSvg)]
pub fn loss_svg(history: JsValue, width: u32, height: u32, dpr: f64, log_scale: bool) -> Result<String, JsValue> {
    let history: LossHistory = from_js(history, "loss_history")?;
    render::svg::loss_svg(&history, width, height, dpr, log_scale).map_err(js_error)
}

/// Draws the loss history (from `Session.history`) on `canvas`.
#[wasm_bindgen(js_name = renderLoss)]
pub fn render_loss(canvas: &HtmlCanvasElement, history: JsValue, dpr: f64, log_scale: bool) -> Result<(), JsValue> {
    let history: LossHistory = from_js(history, "loss_history")?;
    let layout = Layout::new(canvas.width(), canvas.height(), dpr);
    clear(canvas)?;
    let root = backend(canvas)?;
    render::draw_loss(&root, &layout, &history, log_scale).map_err(js_error)?;
    root.present().map_err(|e| js_error(err!(Render, "render", detail = e.to_string())))
}

/// A chart's data from the page, for [`crate::session::pictures::ViewPicture::read`].
struct JsView(JsValue);

impl crate::session::pictures::ViewSource for JsView {
    type Error = JsValue;
    fn read<T: serde::de::DeserializeOwned>(self, what: &str) -> Result<T, JsValue> {
        from_js(self.0, what)
    }
    fn sigmoid(self) -> Result<render::SigmoidScene, JsValue> {
        sigmoid_from_js(&self.0)
    }
    fn error(e: crate::error::Error) -> JsValue {
        js_error(e)
    }
}

/// Draws one of the pictures beside the main one (from `Session.views`): `kind` is "sigmoid",
/// "roc", "precision_recall", "bars", "tree", "network", "schedule", "pruning", "elbow",
/// "silhouette", "tune_history", "tune_scatter" (with Bayesian search's surface),
/// "tune_parallel", "tune_generations" or "compress_curve", `data` the matching part of the
/// views (or the tuning run, see `render::tune_charts`); the dispatch is `session::pictures`, shared
/// with `viewSvg`. For "tree", `highlight` is a node and `path` the node ids to emphasise; for
/// "network", `highlight` is a layer and `path[0]` a neuron in it.
#[wasm_bindgen(js_name = renderView)]
pub fn render_view(
    canvas: &HtmlCanvasElement,
    kind: &str,
    data: JsValue,
    dpr: f64,
    highlight: Option<u32>,
    path: Option<Vec<usize>>,
) -> Result<(), JsValue> {
    let picture = crate::session::pictures::ViewPicture::read(kind, JsView(data))?;
    let path = path.unwrap_or_default();
    let layout = Layout::new(canvas.width(), canvas.height(), dpr);
    let ctx = clear(canvas)?;
    let root = backend(canvas)?;
    let mut composite = |layer: &PointLayer| {
        blit_over(&ctx, layer)
            .map_err(|e| err!(Render, "render", detail = format!("the points could not be drawn: {e:?}")))
    };
    let mut sink = |raster: &Raster, x: i32, y: i32| {
        blit(&ctx, raster, x, y)
            .map_err(|e| err!(Render, "render", detail = format!("the surface could not be drawn: {e:?}")))
    };
    let layers = crate::session::pictures::Layers { points: Some(&mut composite), surface: Some(&mut sink) };
    crate::session::pictures::draw_view(&root, &layout, &picture, highlight, &path, layers).map_err(js_error)?;
    root.present().map_err(|e| js_error(err!(Render, "render", detail = e.to_string())))
}

/// A chart beside the plot as SVG text (plotters' SVG backend; text as `<text>`): `kind`, `data`,
/// `highlight` and `path` as `renderView` takes them, drawn at `width`×`height` device pixels,
/// ratio `dpr`. See `session::pictures::view_svg`.
#[wasm_bindgen(js_name = viewSvg)]
pub fn view_svg(
    kind: &str,
    data: JsValue,
    width: u32,
    height: u32,
    dpr: f64,
    highlight: Option<u32>,
    path: Option<Vec<usize>>,
) -> Result<String, JsValue> {
    let picture = crate::session::pictures::ViewPicture::read(kind, JsView(data))?;
    let path = path.unwrap_or_default();
    crate::session::pictures::view_svg(&picture, width, height, dpr, highlight, &path).map_err(js_error)
}

/// The tree node under device pixel `(px, py)` of a tree diagram drawn on a canvas of that size.
#[wasm_bindgen(js_name = treeHit)]
pub fn tree_hit(width: u32, height: u32, dpr: f64, tree: JsValue, px: f64, py: f64) -> Result<Option<usize>, JsValue> {
    let tree: crate::session::TreeView = from_js(tree, "tree")?;
    Ok(render::tree_diagram::tree_hit(&Layout::new(width, height, dpr), &tree.diagram, px, py))
}

/// `[layer, neuron]` under device pixel `(px, py)` of a network diagram, or `undefined`.
#[wasm_bindgen(js_name = networkHit)]
pub fn network_hit(
    width: u32,
    height: u32,
    dpr: f64,
    network: JsValue,
    px: f64,
    py: f64,
) -> Result<Option<Vec<usize>>, JsValue> {
    let diagram: render::network::NetworkDiagram = from_js(network, "network")?;
    Ok(render::network::network_hit(&Layout::new(width, height, dpr), &diagram, px, py).map(|(l, n)| vec![l, n]))
}

/// A hovered neuron's weighted sum and activation (`NeuronSum`: inputs, weights, bias, z, a) at
/// `point` (the plot's coordinates; the training data's mean when absent), from the network's
/// diagram; `undefined` for a neuron the diagram does not have.
#[wasm_bindgen(js_name = neuronSum)]
pub fn neuron_sum(network: JsValue, layer: usize, neuron: usize, point: Option<Vec<f64>>) -> Result<JsValue, JsValue> {
    let diagram: render::network::NetworkDiagram = from_js(network, "network")?;
    match diagram.neuron_sum(layer, neuron, point.as_deref()) {
        Some(sum) => to_js(&sum),
        None => Ok(JsValue::UNDEFINED),
    }
}
