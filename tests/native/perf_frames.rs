//! Timings of one page frame's work, natively (the page benchmark's scenarios, `bench/page.mjs`):
//! the worker's epoch, scene, decision surface and neuron thumbnails. (The main thread's drawing
//! is timed in `render::tests::points`.)
//! Times are this thread's CPU time (the machine is shared). Ignored by default; run in release:
//!
//! `cargo test --release --test native perf_frames:: -- --ignored --nocapture`
use ml_playground::model::{AnyModel, Model};
use ml_playground::render::surface::grid_axes;
use ml_playground::render::surface::grid_points;
use ml_playground::render::{raster, View};
use ml_playground::session::Session;
use ml_playground::state::State;

/// The model's probabilities over a `w × h` grid covering `view` (axes laid by `grid_axes`).
fn grid_probabilities(model: &AnyModel, view: &View, w: u32, h: u32, k: usize) -> Option<Vec<f64>> {
    let (xs, ys) = grid_axes(view, w as usize, h as usize);
    ml_playground::evaluate::grid::grid_probabilities(model, &xs, &ys, k)
}

#[repr(C)]
struct Timespec {
    seconds: i64,
    nanoseconds: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
}

/// This thread's CPU time in seconds (the machine is shared, so wall time says little).
fn cpu_seconds() -> f64 {
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec { seconds: 0, nanoseconds: 0 };
    // SAFETY: `t` is a valid, writable timespec; the clock id exists on Linux.
    unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.seconds as f64 + t.nanoseconds as f64 * 1e-9
}

/// The median CPU time of `runs` calls of `f`, in milliseconds.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = cpu_seconds();
            f();
            (cpu_seconds() - t) * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn session(json: &str) -> Session {
    Session::new(serde_json::from_str::<State>(json).unwrap()).unwrap()
}

/// Width of the plot canvas in device pixels in the page benchmark (curve samples).
const CANVAS: (u32, u32) = (1600, 1000);

#[test]
#[ignore]
fn frame_timings() {
    // GD linear regression on 5000 points: the main thread's draw dominates.
    let mut s = session(
        r#"{"data":{"kind":"sine","n":5000,"noise":0.2,"seed":1},
            "model":{"kind":"linear","degree":5,"solver":"gradient_descent","train":{"learning_rate":0.05,"batch_size":0}}}"#,
    );
    s.step(3);
    let epoch = median_ms(20, || s.step(1));
    let scene = median_ms(20, || {
        s.scene(CANVAS.0 as usize, None);
    });
    println!("GD linear, 5000 points: epoch {epoch:.2} ms; scene {scene:.2} ms");

    // An (8, 8) tanh network on 1000 spiral points with a 400 × 400 surface and 40 × 40 thumbnails.
    let mut s = session(
        r#"{"data":{"kind":"spiral","n":1000,"noise":0.1,"seed":1},
            "model":{"kind":"mlp","hidden_layers":[{"neurons":8,"activation":"tanh"},{"neurons":8,"activation":"tanh"}],
                     "train":{"learning_rate":0.01,"batch_size":32,"optimizer":{"kind":"adam"}}}}"#,
    );
    s.step(20);
    let epoch = median_ms(20, || s.step(1));
    let scene = median_ms(10, || {
        s.scene(512, Some((400, 400)));
    });
    let scene_without_surface = median_ms(10, || {
        s.scene(512, None);
    });
    let model = s.model().clone();
    let view = s.view();
    let k = s.scene(2, None).0.n_classes;
    let probabilities = median_ms(10, || {
        grid_probabilities(&model, &view, 400, 400, k);
    });
    let p = grid_probabilities(&model, &view, 400, 400, k).unwrap();
    let colours = median_ms(10, || {
        raster::decision_surface(&p, k, 400, 400, &view);
    });
    let points = grid_points(view.x.0, view.x.1, view.y.0, view.y.1, 400, 400);
    let predict = median_ms(10, || {
        model.predict(&points).unwrap();
    });
    println!(
        "  of which grid probabilities {probabilities:.2} ms (predict on the grid points {predict:.2} ms), \
         colours and contours {colours:.2} ms"
    );
    let thumbnails = median_ms(10, || {
        s.thumbnails(40);
    });
    let views = median_ms(10, || {
        s.views();
    });
    println!(
        "MLP (8, 8) tanh, 1000 points: epoch {epoch:.2} ms; scene with 400×400 surface {scene:.2} ms \
         (without {scene_without_surface:.2} ms); thumbnails 40×40 {thumbnails:.2} ms; views {views:.2} ms"
    );
}
