//! The training time machine (issue 12): snapshots within a memory budget, thinned evenly;
//! scrubbing shows exactly the model a fresh seeded run stopped at that epoch has; a pinned
//! epoch round-trips through the state (a link replays the run) and tampered values are refused
//! with a message; a divergence names its epoch and the block (layer) that exploded.
use ml_playground::model::{Model, ModelParams};
use ml_playground::session::{Session, SNAPSHOT_BUDGET};
use ml_playground::state::{Pin, State};

fn network_state(hidden: &str, extra: &str) -> State {
    serde_json::from_str(&format!(
        r#"{{"data":{{"kind":"moons","n":200,"noise":0.2,"seed":3}},"seed":4,
            "model":{{"kind":"mlp","hidden_layers":[{hidden}]{extra}}}}}"#
    ))
    .unwrap()
}

fn layers(widths: &[usize]) -> String {
    let layer = |n: &usize| format!(r#"{{"neurons":{n},"activation":"tanh"}}"#);
    widths.iter().map(layer).collect::<Vec<_>>().join(",")
}

/// The model as JSON: every learned number written in its shortest exact form, so equal strings
/// are equal bits.
fn bits(m: &impl serde::Serialize) -> String {
    serde_json::to_string(m).unwrap()
}

#[test]
fn snapshots_stay_within_the_budget_and_are_thinned_evenly() {
    // four layers of 32 (the widest): 3 × 32 + 3 × 33 × 32 + 33 = 3,297 parameters, about
    // 79 kB a snapshot as counted (3 × 8 bytes a number, and the bookkeeping); 1 MB holds 13
    let mut s = Session::new(network_state(&layers(&[32, 32, 32, 32]), "")).unwrap();
    s.set_snapshot_budget(1 << 20);
    let mut most = 0;
    for _ in 0..60 {
        s.step(1);
        let snaps = s.snapshots();
        assert!(snaps.bytes() <= 1 << 20, "{} bytes at epoch {}", snaps.bytes(), s.report().epoch);
        most = most.max(snaps.items.len());
    }
    let snaps = s.snapshots();
    let epochs = snaps.epochs();
    // the first is kept, the rest every `interval` epochs, evenly
    assert_eq!(epochs[0], 1);
    assert!(snaps.interval >= 8, "interval {}", snaps.interval);
    assert!(epochs[1..].iter().all(|e| e % snaps.interval == 0), "{epochs:?}");
    let gaps: Vec<u64> = epochs[1..].windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.iter().all(|&g| g == snaps.interval), "{epochs:?}");
    // and the latest is never more than one interval behind now
    assert!(60 - epochs.last().unwrap() < snaps.interval, "{epochs:?}");
    assert!(most >= 5, "the budget holds several snapshots: {most}");
    // the per-snapshot size: 3 × (3,297 numbers × 8 bytes + fields)
    let one = snaps.items[0].bytes;
    assert!((3 * 3297 * 8..3 * 3297 * 8 + 3000).contains(&one), "{one}");
    // the page's budget
    assert_eq!(SNAPSHOT_BUDGET, 8 << 20);
}

#[test]
fn a_small_model_keeps_every_epoch_up_to_the_count_limit() {
    let mut s = Session::new(network_state(&layers(&[4]), "")).unwrap();
    s.step(40);
    assert_eq!(s.snapshots().epochs(), (1..=40).collect::<Vec<u64>>());
    s.step(260);
    let snaps = s.snapshots();
    assert!(snaps.items.len() <= ml_playground::session::MAX_SNAPSHOTS);
    assert_eq!(snaps.interval, 2);
    assert_eq!(snaps.epochs()[..3], [1, 2, 4]);
}

#[test]
fn scrubbing_shows_exactly_the_model_a_fresh_run_stopped_there_has() {
    let state = network_state(&layers(&[16, 16]), "");
    let mut s = Session::new(state.clone()).unwrap();
    s.step(30);
    let now_bits = bits(s.model());
    let now_report = s.report();
    for e in [1u64, 7, 18, 29] {
        let mut fresh = Session::new(state.clone()).unwrap();
        fresh.step(e as u32);
        assert_eq!(s.scrub(e), e);
        assert_eq!(bits(s.model()), bits(fresh.model()), "epoch {e}");
        // the report and the picture are the fresh run's
        let (r, f) = (s.report(), fresh.report());
        assert_eq!((r.epoch, &r.train, &r.test, &r.summary), (f.epoch, &f.train, &f.test, &f.summary));
        assert_eq!(r.time_machine.scrubbed, Some(e));
        assert_eq!(r.time_machine.now, 30);
        let (a, b) = (s.scene(64, Some((40, 30))).1.unwrap(), fresh.scene(64, Some((40, 30))).1.unwrap());
        assert_eq!(a.rgba, b.rgba, "epoch {e}");
        assert_eq!(s.history().mark, Some(e));
    }
    // an earlier surface differs from now's
    s.scrub(1);
    let then = s.scene(64, Some((40, 30))).1.unwrap();
    s.unscrub();
    assert_eq!(s.history().mark, None);
    let now = s.scene(64, Some((40, 30))).1.unwrap();
    assert_ne!(then.rgba, now.rgba);
    assert_eq!(bits(s.model()), now_bits);
    assert_eq!(s.report(), now_report);
    // Play from a scrubbed epoch resumes from now: 31 epochs, as a run that never scrubbed
    s.scrub(5);
    s.step(1);
    let mut straight = Session::new(state).unwrap();
    straight.step(31);
    assert_eq!(s.report().epoch, 31);
    assert_eq!(bits(s.model()), bits(straight.model()));
    // beyond now shows now
    assert_eq!(s.scrub(999), 31);
    assert_eq!(s.report().time_machine.scrubbed, None);
}

#[test]
fn a_thinned_epoch_is_replayed_for_the_pin() {
    let state = network_state(&layers(&[8]), "");
    let mut s = Session::new(state.clone()).unwrap();
    s.set_snapshot_budget(20_000);
    s.step(40);
    let kept = s.snapshots().epochs();
    let missing = (2..40).find(|e| !kept.contains(e)).expect("thinned");
    s.pin(missing).unwrap();
    let mut fresh = Session::new(state).unwrap();
    fresh.step(missing as u32);
    let r = s.pin_report().unwrap().unwrap();
    assert_eq!((r.pinned, r.now), (missing, 40));
    assert_eq!(r.then_train, ml_playground::compress::compare::scores(fresh.model(), fresh.train_set()).unwrap());
}

#[test]
fn a_pin_round_trips_through_the_state_and_a_link_replays_it() {
    let state = network_state(&layers(&[16, 16]), "");
    let mut s = Session::new(state).unwrap();
    s.step(25);
    s.pin(10).unwrap();
    s.step(5);
    assert_eq!(s.state().pin, Some(Pin { epoch: 10.0, now: 30.0 }));
    let report = s.pin_report().unwrap().unwrap();
    assert_eq!((report.pinned, report.now), (10, 30));
    assert_ne!(report.then_train, report.now_train);
    let maps = s.pin_surfaces(40, 30).unwrap();
    assert_ne!(maps[0].rgba, maps[1].rgba, "epoch 10 and 30 differ");

    let json = serde_json::to_string(s.state()).unwrap();
    assert!(json.contains(r#""pin":{"epoch":10.0,"now":30.0}"#), "{json}");
    let link = Session::new(serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(link.report().epoch, 30);
    assert_eq!(bits(link.model()), bits(s.model()));
    assert_eq!(link.pin_report().unwrap().unwrap(), report);
    let again = link.pin_surfaces(40, 30).unwrap();
    for (a, b) in maps.iter().zip(&again) {
        assert_eq!(a.rgba, b.rgba);
    }

    // a link opened in a page already running something else: the pin is replayed there too
    let mut elsewhere = Session::new(network_state(&layers(&[4]), "")).unwrap();
    elsewhere.step(3);
    elsewhere.set_state(serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(elsewhere.pin_report().unwrap().unwrap(), report);

    // the page's copy of the state lags behind: its `now` changes nothing
    let mut page = s.state().clone();
    page.pin = Some(Pin { epoch: 10.0, now: 12.0 });
    s.set_state(page).unwrap();
    assert_eq!(s.state().pin, Some(Pin { epoch: 10.0, now: 30.0 }));
    // another model drops the pin
    let mut other = s.state().clone();
    if let ModelParams::Mlp(p) = &mut other.model {
        p.train.learning_rate = 0.02;
    }
    s.set_state(other).unwrap();
    assert!(s.state().pin.is_none() && s.pin_report().unwrap().is_none());
}

#[test]
fn a_tampered_pin_is_refused_with_a_message() {
    let state = network_state(&layers(&[4]), "");
    for (pin, code) in [
        (r#"{"epoch":-3,"now":10}"#, "pin_epoch"),
        (r#"{"epoch":2.5,"now":10}"#, "pin_epoch"),
        (r#"{"epoch":0,"now":10}"#, "pin_epoch"),
        (r#"{"epoch":11,"now":10}"#, "pin_beyond_run"),
        (r#"{"epoch":3,"now":1e300}"#, "pin_epoch"),
    ] {
        let mut json = serde_json::to_value(&state).unwrap();
        json["pin"] = serde_json::from_str(pin).unwrap();
        let tampered: State = serde_json::from_value(json).unwrap();
        let err = Session::new(tampered).expect_err(pin);
        assert_eq!(err.code(), code, "{pin}: {err}");
    }
    // NaN cannot be written in JSON; as a string or null it is refused by the reader
    let mut json = serde_json::to_value(&state).unwrap();
    json["pin"] = serde_json::json!({"epoch": "NaN", "now": 10});
    assert!(serde_json::from_value::<State>(json).is_err());
    // a pin beyond what the run can train (it halts first) is dropped with a message
    let mut s = Session::new(state).unwrap();
    s.step(3);
    let err = s.pin(7).expect_err("beyond the run");
    assert_eq!(err.code(), "pin_beyond_run");
    assert!(s.state().pin.is_none());
    // a model that fits at once has nothing to pin
    let mut instant = Session::new(State::default()).unwrap();
    assert!(instant.pin(1).is_err());
    assert!(instant.report().time_machine.epochs.is_empty());
}

#[test]
fn a_divergence_names_its_epoch_and_the_layer_whose_gradient_exploded() {
    let extra = r#","train":{"learning_rate":100,"optimizer":{"kind":"sgd"}}"#;
    let relu = r#"{"neurons":8,"activation":"relu"},{"neurons":8,"activation":"relu"}"#;
    let mut s = Session::new(network_state(relu, extra)).unwrap();
    s.step(200);
    let r = s.report();
    let msg = r.message.expect("rate 100 diverges");
    assert_eq!((msg.kind.as_str(), msg.code.as_str()), ("diverged", "stopped"), "{}", msg.text);
    let epoch = msg.values["epoch"].to_string();
    assert_eq!(epoch, r.epoch.to_string());
    let cause = msg.values["cause"].to_string();
    assert!(msg.text.contains("the gradient of layer"), "{}", msg.text);
    assert!(msg.text.contains("lower the learning rate") && msg.text.contains("another optimiser"), "{}", msg.text);
    eprintln!("{}  ({cause})", msg.text);
    assert!(s.model().is_finite());

    // a linear model names its block
    let mut lin = State::default();
    lin.data.n = 200;
    lin.model =
        serde_json::from_str(r#"{"kind":"linear","solver":"gradient_descent","train":{"learning_rate":5}}"#).unwrap();
    let mut s = Session::new(lin).unwrap();
    s.step(200);
    let msg = s.report().message.expect("rate 5 diverges");
    assert!(msg.text.contains("the weights exploded") || msg.text.contains("the intercept exploded"), "{}", msg.text);
}

/// The time machine's cost per epoch on a (16, 16) network (run by hand: `cargo test --release
/// --test native time_machine::overhead -- --ignored --nocapture`): an epoch's time, and a snapshot's
/// (the clone of the model and its weighing), taken every epoch at first.
#[test]
#[ignore]
fn overhead_per_epoch_of_a_16_16_network() {
    use ml_playground::session::snapshot_bytes;
    use std::time::Instant;
    let mut s = Session::new(network_state(&layers(&[16, 16]), "")).unwrap();
    s.step(5);
    let epochs = 400;
    let start = Instant::now();
    s.step(epochs);
    let per_epoch = start.elapsed().as_secs_f64() / epochs as f64;
    let model = s.model().clone();
    let reps = 2000;
    let start = Instant::now();
    let mut total = 0;
    for _ in 0..reps {
        let copy = std::hint::black_box(model.clone());
        total += snapshot_bytes(&copy);
    }
    let per_snapshot = start.elapsed().as_secs_f64() / reps as f64;
    eprintln!(
        "(16,16) on 160 training points: {:.1} µs an epoch (snapshots included), {:.2} µs a snapshot ({} bytes): {:.2} % of an epoch",
        per_epoch * 1e6,
        per_snapshot * 1e6,
        total / reps,
        100.0 * per_snapshot / per_epoch
    );
}
