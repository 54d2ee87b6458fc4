//! Save SVG (issue 15): the plot and the loss chart through plotters' SVG backend parse as XML
//! (python3's `xml.etree`, an independent parser), are sized as the canvas (`viewBox` in device
//! pixels, `width` / `height` in CSS pixels), keep their words as `<text>` (in the language the
//! page set), and carry the decision surface as a PNG `<image>` over the plot area only when it
//! is a PNG `data:` URL; every chart beside the plot (`view_svg`, the dispatch `renderView`
//! shares) likewise, and a chart of no kind or of unreadable data is an error code.
use ml_playground::render::svg::{loss_svg, scene_svg};
use ml_playground::render::{words, Layout};
use ml_playground::session::pictures::{view_svg, ViewPicture, ViewSource};
use ml_playground::session::Session;
use ml_playground::state::State;
use serde_json::json;
use std::process::Command;

/// The document's root attributes and every `<text>`'s content, read by python3's XML parser.
fn parse(svg: &str) -> serde_json::Value {
    let script = r#"
import json, sys
import xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
ns = "{http://www.w3.org/2000/svg}"
texts = ["".join(t.itertext()).strip() for t in root.iter(ns + "text")]
images = [dict(i.attrib) for i in root.iter(ns + "image")]
print(json.dumps(dict(attrib=dict(root.attrib), texts=texts, images=images, circles=len(list(root.iter(ns + "circle"))), rects=len(list(root.iter(ns + "rect"))))))
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(svg.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the SVG does not parse:\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn trained() -> Session {
    let state: State = serde_json::from_value(json!({
        "data": { "kind": "moons", "n": 80, "seed": 3 }, "model": { "kind": "logistic" }
    }))
    .unwrap();
    let mut s = Session::new(state).unwrap();
    s.step(20);
    s
}

#[test]
fn the_plot_as_svg_parses_is_sized_as_the_canvas_and_keeps_text_and_the_surface() {
    let s = trained();
    let (scene, _) = s.scene(200, None);
    // a 1×1 PNG is enough: the SVG only carries it
    let png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    let (w, h, dpr) = (1200, 800, 2.0);
    let svg = scene_svg(&scene, w, h, dpr, Some(png)).unwrap();
    let doc = parse(&svg);
    assert_eq!(doc["attrib"]["viewBox"], "0 0 1200 800");
    assert_eq!((doc["attrib"]["width"].as_str(), doc["attrib"]["height"].as_str()), (Some("600"), Some("400")));
    let texts: Vec<String> = serde_json::from_value(doc["texts"].clone()).unwrap();
    for label in [&scene.x_label, &scene.y_label] {
        assert!(texts.iter().any(|t| t == label), "the axis label {label:?} is a <text>: {texts:?}");
    }
    assert!(texts.len() > 6, "tick labels are text too: {texts:?}");
    assert!(doc["circles"].as_u64().unwrap() as usize >= scene.xs.len(), "every point is a vector circle");
    let (x0, y0, x1, y1) = Layout::new(w, h, dpr).plot;
    let image = &doc["images"][0];
    assert_eq!(image["href"], png);
    let at: Vec<i32> =
        ["x", "y", "width", "height"].iter().map(|k| image[*k].as_str().unwrap().parse().unwrap()).collect();
    assert_eq!(at, vec![x0, y0, x1 - x0, y1 - y0], "the surface fills the plot area");
    // the image comes before (under) the points
    assert!(svg.find("<image").unwrap() < svg.find("<circle").unwrap());
    // anything but a PNG data URL is refused (no markup can be slipped in)
    for bad in ["data:image/png;base64,\"/><script>", "https://example.com/a.png", "data:image/png;base64,"] {
        assert_eq!(scene_svg(&scene, w, h, dpr, Some(bad)).unwrap_err().code(), "svg_surface", "{bad}");
    }
    assert!(parse(&scene_svg(&scene, w, h, dpr, None).unwrap())["images"].as_array().unwrap().is_empty());
}

#[test]
fn the_loss_chart_as_svg_has_its_words_in_the_language_set() {
    let s = trained();
    let zh = [("axis.refit", "重新拟合"), ("axis.loss", "损失"), ("legend.train", "训练"), ("legend.test", "测试")];
    words::set_words(zh);
    let svg = loss_svg(s.history(), 700, 300, 1.0, false).unwrap();
    words::set_words(zh.map(|(k, _)| (k, "")));
    let doc = parse(&svg);
    let texts: Vec<String> = serde_json::from_value(doc["texts"].clone()).unwrap();
    for (_, word) in zh {
        assert!(texts.iter().any(|t| t == word), "{word} in {texts:?}");
    }
    assert!(!texts.iter().any(|t| t == "refit" || t == "train"), "{texts:?}");
    assert_eq!(doc["attrib"]["viewBox"], "0 0 700 300");
}

/// A chart's data as JSON, for `ViewPicture::read` (the page gives JS values).
struct Json(serde_json::Value);

impl ViewSource for Json {
    type Error = ml_playground::error::Error;
    fn read<T: serde::de::DeserializeOwned>(self, what: &str) -> Result<T, Self::Error> {
        serde_json::from_value(self.0)
            .map_err(|e| ml_playground::err!(InvalidInput, "unreadable", what = what, reason = e.to_string()))
    }
    fn error(e: ml_playground::error::Error) -> Self::Error {
        e
    }
}

/// Every chart kind the session's views give (by training each family that draws one), plus the
/// tuning and compression charts from the data the page sends, as `(kind, data)`.
fn every_view() -> Vec<(&'static str, serde_json::Value)> {
    let views = |data: serde_json::Value, model: serde_json::Value, steps: u32| {
        let state: State = serde_json::from_value(json!({ "data": data, "model": model })).unwrap();
        let mut s = Session::new(state).unwrap();
        s.step(steps);
        serde_json::to_value(s.views()).unwrap()
    };
    let moons = json!({ "kind": "moons", "n": 80, "seed": 3 });
    let logistic = views(moons.clone(), json!({ "kind": "logistic" }), 20);
    let tree = views(moons.clone(), json!({ "kind": "tree", "max_depth": 3 }), 200);
    let mlp = views(moons.clone(), json!({ "kind": "mlp" }), 5);
    let kmeans =
        views(json!({ "kind": "blobs", "n": 90, "classes": 3 }), json!({ "kind": "kmeans", "n_clusters": 3 }), 5);
    let mut out = vec![];
    for (kind, from, key) in [
        ("sigmoid", &logistic, "sigmoid"),
        ("roc", &logistic, "roc"),
        ("precision_recall", &logistic, "precision_recall"),
        ("bars", &logistic, "permutation"),
        ("schedule", &mlp, "schedule"),
        ("tree", &tree, "tree"),
        ("pruning", &tree, "pruning"),
        ("bars", &tree, "importances"),
        ("network", &mlp, "network"),
        ("elbow", &kmeans, "elbow"),
        ("silhouette", &kmeans, "silhouette"),
    ] {
        let data = from[key].clone();
        assert!(!data.is_null(), "the session gives a {key} view");
        out.push((kind, data));
    }
    let scores = json!([0.7, null, 0.8, 0.75, 0.9]);
    out.push(("tune_history", json!({ "scores": scores, "greater_is_better": true, "title": "accuracy" })));
    let surface = json!({ "x_range": [-3.0, 0.0], "y_range": [1.0, 8.0], "nx": 8, "ny": 6,
        "values": (0..48).map(|i| 0.6 + 0.006 * i as f64).collect::<Vec<_>>() });
    out.push((
        "tune_scatter",
        json!({ "x": [0.001, 0.01, 0.1, 0.3, 1.0], "y": [1.0, 2.0, 4.0, 6.0, 8.0], "scores": scores,
            "greater_is_better": true, "log_x": true, "x_title": "learning rate", "y_title": "depth",
            "surface": surface, "next": [-1.5, 3.0] }),
    ));
    out.push((
        "tune_parallel",
        json!({ "axes": [{ "title": "depth", "values": [1.0, 2.0, 3.0, 4.0, 5.0] }], "scores": scores,
            "greater_is_better": true, "score_title": "accuracy" }),
    ));
    out.push((
        "tune_generations",
        json!({ "generations": [[{ "score": 0.7 }, { "score": 0.8, "elite": true }], [{ "score": 0.85 }]],
            "greater_is_better": true, "title": "accuracy" }),
    ));
    out.push((
        "compress_curve",
        json!({ "series": [{ "name": "test", "points": [[2.0, 0.6], [4.0, 0.8], [8.0, 0.9]] },
            { "name": "full", "points": [[2.0, 0.92], [8.0, 0.92]], "reference": true }],
            "x_title": "bits", "y_title": "accuracy" }),
    ));
    out
}

#[test]
fn every_chart_beside_the_plot_is_svg_with_its_words_as_text() {
    let (w, h, dpr) = (640, 400, 2.0);
    let mut kinds = vec![];
    for (kind, data) in every_view() {
        let picture = ViewPicture::read(kind, Json(data.clone())).unwrap_or_else(|e| panic!("{kind}: {e}"));
        let svg = view_svg(&picture, w, h, dpr, None, &[]).unwrap_or_else(|e| panic!("{kind}: {e}"));
        let doc = parse(&svg);
        assert_eq!(doc["attrib"]["viewBox"], "0 0 640 400", "{kind}");
        assert_eq!((doc["attrib"]["width"].as_str(), doc["attrib"]["height"].as_str()), (Some("320"), Some("200")));
        let texts: Vec<String> = serde_json::from_value(doc["texts"].clone()).unwrap();
        assert!(texts.iter().filter(|t| !t.is_empty()).count() >= 2, "{kind}: its words are <text>: {texts:?}");
        assert!(doc["images"].as_array().unwrap().is_empty(), "{kind}: no raster image");
        // words the data carries are drawn as they are
        for title in ["title", "x_title", "score_title"].iter().filter_map(|k| data[*k].as_str()) {
            assert!(texts.iter().any(|t| t.contains(title)), "{kind}: {title:?} in {texts:?}");
        }
        if kind == "tree" {
            let nodes = data["diagram"]["nodes"].as_array().unwrap().len();
            assert!(texts.len() >= nodes, "{kind}: words in every one of {nodes} nodes: {texts:?} {}", doc["rects"]);
        }
        if kind == "sigmoid" {
            let n = data["z"].as_array().unwrap().len();
            assert!(doc["circles"].as_u64().unwrap() as usize >= n, "the sigmoid's points are vector circles");
        }
        if kind == "tune_scatter" {
            // the surface as cells of 4 CSS pixels: far fewer than a rect per pixel
            let rects = doc["rects"].as_u64().unwrap() as usize;
            let (pw, ph) = Layout::new(w, h, dpr).plot_size();
            let cells = (pw as usize).div_ceil(8) * (ph as usize).div_ceil(8);
            assert!(rects >= cells && rects < cells + 200, "{rects} rects for {cells} cells");
            assert!(svg.len() < 1_000_000, "{} bytes", svg.len());
        }
        kinds.push(kind);
    }
    assert_eq!(kinds.len(), 16);
}

#[test]
fn a_chart_of_no_kind_or_bad_data_is_an_error_code() {
    let e = ViewPicture::read("pie", Json(json!({}))).err().unwrap();
    assert_eq!((e.code(), e.to_string().contains("pie")), ("no_view", true));
    for kind in ["roc", "tree", "sigmoid", "tune_scatter", "compress_curve", "bars", "elbow"] {
        let e = ViewPicture::read(kind, Json(json!("not a chart"))).err().unwrap_or_else(|| panic!("{kind} reads"));
        assert_eq!(e.code(), "unreadable", "{kind}");
    }
    // data that reads but has little to draw still draws (no points, labels without values, a
    // 1×1 canvas, a highlight that is not there)
    let empty = ViewPicture::read("roc", Json(json!({ "points": [], "auc": null, "subset": "test" }))).unwrap();
    parse(&view_svg(&empty, 300, 200, 1.0, None, &[]).unwrap());
    let bars = ViewPicture::read("bars", Json(json!({ "labels": ["a", "b"], "values": [], "title": "t" }))).unwrap();
    parse(&view_svg(&bars, 300, 200, 1.0, None, &[]).unwrap());
    parse(&view_svg(&empty, 1, 1, 1.0, Some(7), &[99]).unwrap());
}
