//! Native timings of the decision-surface pipeline on the models and windows of `bench/run.mjs`
//! (probabilities on a 512 × 512 grid, then colours, then colours with boundaries):
//! `cargo test --release --test native surface_speed:: -- --ignored --nocapture`.
//! Also the neuron thumbnails of `Session::thumbnails` (40 × 40, 16 and 64 neurons). Times are
//! the thread's mean CPU time where Linux gives it, else the least wall-clock time of several runs.
use ml_playground::data::{Dataset, Task};
use ml_playground::model::{AnyModel, Model, ModelParams};
use ml_playground::render::surface::grid_axes;
use ml_playground::render::{raster, View};
use ml_playground::session::Session;
use ml_playground::state::State;
use std::time::Instant;

/// The model's probabilities over a `w × h` grid covering `view` (axes laid by `grid_axes`).
fn grid_probabilities(model: &AnyModel, view: &View, w: u32, h: u32, k: usize) -> Option<Vec<f64>> {
    let (xs, ys) = grid_axes(view, w as usize, h as usize);
    ml_playground::evaluate::grid::grid_probabilities(model, &xs, &ys, k)
}

/// mulberry32, as the bench's `uniform`.
struct Uniform(u32);
impl Uniform {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x6d2b79f5);
        let mut t = self.0;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        ((t ^ (t >> 14)) as f64) / 4294967296.0
    }
    fn normal(&mut self) -> f64 {
        (-2.0 * (1.0 - self.next()).ln()).sqrt() * (2.0 * std::f64::consts::PI * self.next()).cos()
    }
}

fn dataset(x: Vec<f64>, y: Vec<f64>, k: usize) -> Dataset {
    Dataset::from_rows(&x, 2, &y, Task::Classification { n_classes: k }).unwrap()
}

fn blobs(n: usize) -> Dataset {
    let mut r = Uniform(2);
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let c = if r.next() < 0.5 { 0.0 } else { 1.0 };
        x.push(2.0 * c + 1.5 * r.normal());
        x.push(2.0 + 3.0 * c + 3.0 * r.normal());
        y.push(c);
    }
    dataset(x, y, 2)
}

fn checkerboard(n: usize) -> Dataset {
    let mut r = Uniform(3);
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let (a, b) = (r.next() * 6.0 - 3.0, r.next() * 6.0 - 3.0);
        x.extend([a, b]);
        let c = ((a.floor() + b.floor()) as i64 & 1) as f64;
        y.push(if r.next() < 0.2 { 1.0 - c } else { c });
    }
    dataset(x, y, 2)
}

fn moons(n: usize) -> Dataset {
    let mut r = Uniform(4);
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let c = if r.next() < 0.5 { 0.0 } else { 1.0 };
        let t = std::f64::consts::PI * r.next();
        let (a, b) = if c == 1.0 { (1.0 - t.cos(), 0.5 - t.sin()) } else { (t.cos(), t.sin()) };
        x.push(a + 0.2 * r.normal());
        x.push(b + 0.2 * r.normal());
        y.push(c);
    }
    dataset(x, y, 2)
}

fn trained(params: &str, data: &Dataset, epochs: usize) -> AnyModel {
    let params: ModelParams = serde_json::from_str(params).unwrap();
    let mut model = params.build(1).unwrap();
    if epochs == 0 {
        model.fit(data).unwrap();
    } else {
        let mut rng = ml_playground::data::rng(1);
        for _ in 0..epochs {
            model.step(data, &mut rng).unwrap();
        }
    }
    model
}

/// This thread's time on a CPU in ms, where Linux tells it (`/proc/thread-self/schedstat`): on a
/// machine shared with other work it counts only this thread's time, not the waits.
fn cpu_ms() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(text.split_whitespace().next()?.parse::<f64>().ok()? / 1e6)
}

/// The least wall-clock time of `runs` calls of `f`, in ms; where the thread's CPU time is known,
/// its mean over the calls instead (the CPU time counter moves in scheduler ticks: a mean over many
/// calls, not the least of short ones).
fn min_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    if let Some(start) = cpu_ms() {
        (0..runs).for_each(|_| f());
        if let Some(end) = cpu_ms() {
            return (end - start) / runs as f64;
        }
    }
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[0]
}

fn time(label: &str, model: &AnyModel, view: View, k: usize) {
    let (w, h) = (512, 512);
    let p = grid_probabilities(model, &view, w, h, k).unwrap();
    let probabilities = min_ms(15, || {
        std::hint::black_box(grid_probabilities(model, &view, w, h, k));
    });
    let colours = min_ms(15, || {
        std::hint::black_box(raster::surface(&p, k, w, h));
    });
    let both = min_ms(15, || {
        std::hint::black_box(raster::decision_surface(&p, k, w, h, &view));
    });
    let whole = min_ms(15, || {
        let p = grid_probabilities(model, &view, w, h, k).unwrap();
        std::hint::black_box(raster::surface(&p, k, w, h));
    });
    println!(
        "{label:<28} probabilities {probabilities:6.2} ms, colours {colours:6.2} ms, colours+boundaries {both:6.2} ms, decisionSurface {whole:6.2} ms"
    );
}

#[test]
#[ignore]
fn surface_speed_on_the_bench_models() {
    let logistic = trained(
        r#"{"kind":"logistic","penalty":{"kind":"l2"},"strength":0.01,"tolerance":1e-6,"max_iter":1000}"#,
        &blobs(10000),
        0,
    );
    time("logistic (blobs)", &logistic, View { x: (-5.0, 7.0), y: (-8.0, 16.0) }, 2);
    let board = checkerboard(10000);
    for depth in ["8", "null"] {
        let tree = trained(&format!(r#"{{"kind":"tree","criterion":"gini","max_depth":{depth}}}"#), &board, 0);
        time(&format!("tree (max_depth {depth})"), &tree, View { x: (-3.0, 3.0), y: (-3.0, 3.0) }, 2);
    }
    let moons = moons(1000);
    for activation in ["relu", "tanh"] {
        let mlp = trained(
            &format!(
                r#"{{"kind":"mlp","hidden_layers":[{{"neurons":8,"activation":"{activation}"}},{{"neurons":8,"activation":"{activation}"}}],"l1":0,"l2":1.5625e-6,"train":{{"learning_rate":0.001,"batch_size":32,"optimizer":{{"kind":"adam","beta1":0.9,"beta2":0.999,"epsilon":1e-8}}}}}}"#
            ),
            &moons,
            50,
        );
        time(&format!("MLP (8,8) {activation}"), &mlp, View { x: (-1.5, 2.5), y: (-1.0, 1.5) }, 2);
    }
}

/// The bench's surface rows (`bench/run.mjs` `surfaceRows`, issue 16: ≤ 16 ms each but k-NN at
/// 100k points), natively: `cargo test --release --test native
/// surface_speed::surface_speed_of_the_families -- --ignored --nocapture` (`SURFACE=knn` keeps
/// only the rows whose name holds it).
#[test]
#[ignore]
fn surface_speed_of_the_families() {
    let only = std::env::var("SURFACE").unwrap_or_default();
    let view = View { x: (-7.0, 9.0), y: (-8.0, 16.0) };
    for (name, params, n) in [
        ("svm rbf C 1 (1k blobs)", r#"{"kind":"svm","kernel":"rbf","c":1}"#, 1000),
        ("svm poly 3 (1k blobs)", r#"{"kind":"svm","kernel":"poly","degree":3,"c":1}"#, 1000),
        ("svm linear (1k blobs)", r#"{"kind":"svm","kernel":"linear","c":1}"#, 1000),
        ("naive Bayes (10k blobs)", r#"{"kind":"naive_bayes"}"#, 10000),
        ("k-NN k 5 (1k blobs)", r#"{"kind":"knn"}"#, 1000),
        ("k-NN k 5 (10k blobs)", r#"{"kind":"knn"}"#, 10000),
        ("k-NN k 5 (100k blobs)", r#"{"kind":"knn"}"#, 100000),
        ("forest 100 trees (10k blobs)", r#"{"kind":"forest"}"#, 10000),
        ("forest 100 trees depth 8 (10k blobs)", r#"{"kind":"forest","max_depth":8}"#, 10000),
        ("boosting 100 stages (10k blobs)", r#"{"kind":"boosting"}"#, 10000),
        ("k-means k 5 (10k blobs)", r#"{"kind":"kmeans","n_clusters":5}"#, 10000),
    ] {
        if !name.contains(only.as_str()) {
            continue;
        }
        let model = trained(params, &blobs(n), 0);
        let k = if name.starts_with("k-means") { 5 } else { 2 };
        time(name, &model, view, k);
        // what the family's own grid path saves: `predict` at every pixel
        let (xs, ys) = grid_axes(&view, 512, 512);
        let per_pixel = min_ms(3, || {
            std::hint::black_box(ml_playground::model::predict_grid(&model, &xs, &ys));
        });
        println!("{:<28} predict per pixel {per_pixel:6.2} ms", "");
    }
}

#[test]
#[ignore]
fn thumbnail_speed() {
    for (label, layers) in [
        ("(8,8) tanh: 16 thumbnails", "[8,8]"),
        ("(32,32) tanh: 64 thumbnails", "[32,32]"),
        ("8 × 8 relu: 64 thumbnails", "[8,8,8,8,8,8,8,8]"),
    ] {
        let activation = if label.contains("relu") { "relu" } else { "tanh" };
        let layers: Vec<usize> = serde_json::from_str(layers).unwrap();
        let hidden: Vec<String> =
            layers.iter().map(|n| format!(r#"{{"neurons":{n},"activation":"{activation}"}}"#)).collect();
        let state = format!(
            r#"{{"data":{{"kind":"spiral","n":1000,"noise":0.1,"seed":1}},
                "model":{{"kind":"mlp","hidden_layers":[{}],
                         "train":{{"learning_rate":0.01,"batch_size":32,"optimizer":{{"kind":"adam"}}}}}}}}"#,
            hidden.join(",")
        );
        let mut s = Session::new(serde_json::from_str::<State>(&state).unwrap()).unwrap();
        s.step(20);
        assert!(!s.thumbnails(40).is_empty());
        let thumbnails = min_ms(30, || {
            std::hint::black_box(s.thumbnails(40));
        });
        let AnyModel::Mlp(mlp) = s.model() else { panic!("a network") };
        let (xs, ys) = grid_axes(&s.view(), 40, 40);
        let outputs = min_ms(30, || {
            std::hint::black_box(mlp.grid_neuron_outputs(&xs, &ys));
        });
        println!("thumbnails 40×40, {label:<28} {thumbnails:6.3} ms (of which the neuron outputs {outputs:6.3} ms)");
    }
}
