//! Save SVG (issue 15): the plot and the loss chart through plotters' SVG backend parse as XML
//! (python3's `xml.etree`, an independent parser), are sized as the canvas (`viewBox` in device
//! pixels, `width` / `height` in CSS pixels), keep their words as `<text>` (in the language the
//! page set), and carry the decision surface as a PNG `<image>` over the plot area only when it
//! is a PNG `data:` URL.
use ml_playground::render::svg::{loss_svg, scene_svg};
use ml_playground::render::{words, Layout};
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
print(json.dumps(dict(attrib=dict(root.attrib), texts=texts, images=images, circles=len(list(root.iter(ns + "circle"))))))
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
