//! The web layer in a real browser (wasm-bindgen-test in headless Chromium): JS values in and out,
//! errors as JS `Error`s with a `kind`, and drawing onto a real canvas.
#![cfg(target_arch = "wasm32")]

use ml_playground::web::{
    check_state, cross_validate, render_scene, render_view, view_svg, Dataset, Model, Search, Session,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn kind_of(err: JsValue) -> String {
    js_sys::Reflect::get(&err, &"kind".into()).unwrap().as_string().unwrap_or_default()
}

fn canvas(w: u32, h: u32) -> HtmlCanvasElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let c: HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_width(w);
    c.set_height(h);
    doc.body().unwrap().append_child(&c).unwrap();
    c
}

#[wasm_bindgen_test]
fn fit_predict_and_round_trip_a_model() {
    let x: Vec<f64> = (0..20).map(|i| i as f64 / 4.0).collect();
    let y: Vec<f64> = x.iter().map(|v| 3.0 * v - 1.0).collect();
    let data = Dataset::from_arrays(&x, 1, &y, None).unwrap();
    let mut model = Model::new(js(r#"{"kind":"linear"}"#), None).unwrap();
    model.fit(&data).unwrap();
    let p = model.predict(&[0.0, 2.0], 1).unwrap();
    assert!((p[0] + 1.0).abs() < 1e-9 && (p[1] - 5.0).abs() < 1e-9, "{p:?}");
    let copy = Model::from_json(model.to_json().unwrap()).unwrap();
    assert_eq!(copy.predict(&[2.0], 1).unwrap(), model.predict(&[2.0], 1).unwrap());
}

#[wasm_bindgen_test]
fn bad_input_is_a_js_error_with_a_kind() {
    let err = Model::new(js(r#"{"kind":"linear","degree":40}"#), None).err().unwrap();
    assert_eq!(kind_of(err), "invalid_parameter");
    let err = Dataset::from_arrays(&[1.0, f64::NAN], 1, &[1.0, 2.0], None).err().unwrap();
    assert_eq!(kind_of(err), "invalid_data");
    let one = Dataset::from_arrays(&[1.0], 1, &[1.0], None).unwrap();
    let mut model = Model::new(js(r#"{"kind":"linear"}"#), None).unwrap();
    assert_eq!(kind_of(model.fit(&one).err().unwrap()), "invalid_data");
    let same_x = Dataset::from_arrays(&[2.0, 2.0, 2.0], 1, &[1.0, 2.0, 3.0], None).unwrap();
    assert_eq!(kind_of(model.fit(&same_x).err().unwrap()), "singular");
    let tampered = js(
        r#"{"format":"ml-playground/model","version":1,"model":{"kind":"linear","params":{"degree":1},"scaler":{"mean":[0],"scale":[1]},"weights":[1],"trained":true}}"#,
    );
    assert_eq!(kind_of(Model::from_json(tampered).err().unwrap()), "invalid_input");
    assert_eq!(kind_of(Model::from_json("not json".into()).err().unwrap()), "invalid_input");
    assert_eq!(kind_of(check_state(js(r#"{"data":{"n":-4}}"#)).err().unwrap()), "invalid_input");
    assert_eq!(kind_of(check_state(js(r#"{"test_ratio":5}"#)).err().unwrap()), "invalid_parameter");
}

#[wasm_bindgen_test]
fn a_session_renders_its_fitted_line_on_a_canvas() {
    let mut session =
        Session::new(js(r#"{"data":{"kind":"linear","n":200,"noise":0.0,"seed":4},"view":{"band":false}}"#)).unwrap();
    let c = canvas(400, 300);
    let layout = render_scene(&c, session.scene(400, None, None).unwrap(), 1.0, None).unwrap();
    let plot: Vec<f64> =
        serde_wasm_bindgen::from_value(js_sys::Reflect::get(&layout, &"plot".into()).unwrap()).unwrap();
    let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    // The line y = 0.7x + 0.5 passes through (5.7, 4.49), beyond the data (x in [-5, 5]) where no
    // point covers it: look for dark curve pixels there.
    let view_x = (-6.0f64, 6.0f64);
    let view_y = (-6.0f64, 6.0f64);
    let px = plot[0] + (5.7 - view_x.0) / (view_x.1 - view_x.0) * (plot[2] - plot[0]);
    let py = plot[1] + (view_y.1 - (0.7 * 5.7 + 0.5)) / (view_y.1 - view_y.0) * (plot[3] - plot[1]);
    let near = ctx.get_image_data(px - 3.0, py - 3.0, 7.0, 7.0).unwrap().data().0;
    let far = ctx.get_image_data(px - 3.0, py + 60.0, 7.0, 7.0).unwrap().data().0;
    let darkest = |d: &[u8]| d.chunks(4).map(|p| p[0] as u32 + p[1] as u32 + p[2] as u32).min().unwrap();
    assert!(darkest(&near) < 300, "no curve pixels at the line's position");
    assert!(darkest(&far) > 600, "dark pixels far from the line");
}

#[wasm_bindgen_test]
fn cross_validation_and_the_precision_recall_chart_cross_the_boundary() {
    let data = Dataset::generate(js(r#"{"kind":"imbalanced","n":300,"ratio":0.2,"noise":0.4,"seed":3}"#)).unwrap();
    let result = cross_validate(
        js(r#"{"kind":"logistic","class_weight":"balanced"}"#),
        &data,
        js(r#"{"k":4,"metric":"balanced_accuracy"}"#),
    )
    .unwrap();
    let per_fold: Vec<f64> =
        serde_wasm_bindgen::from_value(js_sys::Reflect::get(&result, &"per_fold".into()).unwrap()).unwrap();
    assert_eq!(per_fold.len(), 4);
    assert!(per_fold.iter().all(|s| (0.5..=1.0).contains(s)), "{per_fold:?}");
    let err = cross_validate(js(r#"{"kind":"logistic"}"#), &data, js(r#"{"k":20}"#)).err().unwrap();
    assert_eq!(kind_of(err), "invalid_parameter");

    let session =
        Session::new(js(r#"{"data":{"kind":"imbalanced","n":300,"ratio":0.2,"seed":3},"model":{"kind":"logistic"}}"#))
            .unwrap();
    let views = session.views().unwrap();
    let pr = js_sys::Reflect::get(&views, &"precision_recall".into()).unwrap();
    assert!(pr.is_object(), "binary data have a precision-recall curve");
    let c = canvas(300, 200);
    render_view(&c, "precision_recall", pr, 1.0, None, None).unwrap();
    let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let pixels = ctx.get_image_data(0.0, 0.0, 300.0, 200.0).unwrap().data().0;
    // The curve's colour (31, 119, 180) is on the canvas.
    let curve =
        pixels.chunks(4).filter(|p| p[0].abs_diff(31) < 4 && p[1].abs_diff(119) < 4 && p[2].abs_diff(180) < 4).count();
    assert!(curve > 50, "{curve} curve pixels");
    let err = render_view(&c, "precision_recall", js(r#"{"points":"nonsense"}"#), 1.0, None, None).err().unwrap();
    assert_eq!(kind_of(err), "invalid_input");
}

#[wasm_bindgen_test]
fn a_chart_as_svg_from_the_views_js_gets_reads_its_typed_arrays_and_keeps_its_text() {
    let mut session =
        Session::new(js(r#"{"data":{"kind":"moons","n":80,"seed":3},"model":{"kind":"logistic"}}"#)).unwrap();
    session.step(10);
    let views = session.views().unwrap();
    // the sigmoid view's per-point arrays come as typed arrays, as renderView takes them
    let sigmoid = js_sys::Reflect::get(&views, &"sigmoid".into()).unwrap();
    let z = js_sys::Reflect::get(&sigmoid, &"z".into()).unwrap();
    assert!(z.is_instance_of::<js_sys::Float64Array>());
    let n = js_sys::Float64Array::from(z).length() as usize;
    let svg = view_svg("sigmoid", sigmoid.clone(), 600, 400, 2.0, None, None).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("viewBox=\"0 0 600 400\""), "{}", &svg[..200.min(svg.len())]);
    assert!(svg.matches("<circle").count() >= n, "every point a vector circle");
    assert!(svg.matches("<text").count() > 4, "the words are text");
    // the data is read, not consumed: the canvas can still be drawn from it
    render_view(&canvas(300, 200), "sigmoid", sigmoid, 1.0, None, None).unwrap();
    let err = view_svg("pie", js("{}"), 300, 200, 1.0, None, None).err().unwrap();
    assert_eq!(js_sys::Reflect::get(&err, &"code".into()).unwrap().as_string().unwrap(), "no_view");
    let roc = js_sys::Reflect::get(&views, &"roc".into()).unwrap();
    let err = view_svg("tree", roc, 300, 200, 1.0, None, None).err().unwrap();
    assert_eq!(kind_of(err), "invalid_input");
}

#[wasm_bindgen_test]
fn a_search_driven_from_js_hands_out_a_grid_and_the_session_its_data() {
    let space = js(r#"[{"path":"max_depth","type":"int","low":1,"high":3}]"#);
    let options = js(r#"{"strategy":{"kind":"grid"},"trials":3,"seed":1}"#);
    let mut search = Search::new(space, options, js(r#"{"kind":"tree"}"#), true).unwrap();
    let first = search.suggest(2).unwrap();
    let first: js_sys::Array = first.dyn_into().unwrap();
    assert_eq!(first.length(), 2);
    // every suggestion carries the whole params with the searched value written in
    let params = js_sys::Reflect::get(&first.get(0), &"params".into()).unwrap();
    assert_eq!(js_sys::Reflect::get(&params, &"kind".into()).unwrap().as_string().as_deref(), Some("tree"));
    assert_eq!(js_sys::Reflect::get(&params, &"max_depth".into()).unwrap().as_f64(), Some(1.0));
    let id = |v: JsValue| js_sys::Reflect::get(&v, &"id".into()).unwrap().as_f64().unwrap() as u64;
    search.observe(id(first.get(1)), Some(0.9));
    search.observe(id(first.get(0)), None);
    search.observe(999, Some(1.0)); // not suggested: ignored
    let rest: js_sys::Array = search.suggest(5).unwrap().dyn_into().unwrap();
    assert_eq!(rest.length(), 1, "a grid of three points has one left");
    let done: js_sys::Array = search.suggest(1).unwrap().dyn_into().unwrap();
    assert_eq!(done.length(), 0);
    // a path the model does not have, and a grid larger than the budget, are refused
    let bad = Search::new(
        js(r#"[{"path":"no_such","type":"int","low":1,"high":3}]"#),
        js(r#"{"strategy":{"kind":"random"},"trials":3}"#),
        js(r#"{"kind":"tree"}"#),
        true,
    );
    assert!(bad.is_err());
    let small = js(r#"{"strategy":{"kind":"grid"},"trials":2}"#);
    let too_big = Search::new(
        js(r#"[{"path":"max_depth","type":"int","low":1,"high":3}]"#),
        small,
        js(r#"{"kind":"tree"}"#),
        true,
    );
    assert_eq!(kind_of(too_big.err().unwrap()), "invalid_parameter");

    let session = Session::new(js(r#"{"data":{"kind":"circle","n":50,"seed":2},"model":{"kind":"tree"}}"#)).unwrap();
    let data = session.tune_data().unwrap();
    let x: js_sys::Float64Array = js_sys::Reflect::get(&data, &"x".into()).unwrap().dyn_into().unwrap();
    let y: js_sys::Float64Array = js_sys::Reflect::get(&data, &"y".into()).unwrap().dyn_into().unwrap();
    assert_eq!((x.length(), y.length()), (100, 50));
    assert_eq!(js_sys::Reflect::get(&data, &"n_classes".into()).unwrap().as_f64(), Some(2.0));
    assert_eq!(js_sys::Reflect::get(&data, &"seed".into()).unwrap().as_f64(), Some(1.0));
}
