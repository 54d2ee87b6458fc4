//! Fuzz target: the page's URL state. Arbitrary bytes are read as the JSON of a `State` (what
//! `#s=` carries after decoding); a state that reads and passes `check` builds a session, which
//! trains a few epochs, draws its scene and reports. Each step returns `Ok` or `Err`, never
//! panics; a session that was built reports finite metrics or none.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ml_playground::session::Session;
use ml_playground::state::State;

fuzz_target!(|data: &[u8]| {
    let Ok(mut state) = serde_json::from_slice::<State>(data) else { return };
    if state.check().is_err() {
        return;
    }
    // Keep each run short: the point is what the values do, not how long 5000 points take.
    state.data.n = state.data.n.min(200);
    state.steps_per_frame = state.steps_per_frame.min(5);
    let Ok(mut session) = Session::new(state) else { return };
    session.step(3);
    session.fit_now();
    let _ = session.scene(32, Some((16, 12)));
    let _ = session.views();
    let report = session.report();
    let _ = serde_json::to_string(&report);
});
