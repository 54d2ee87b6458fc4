//! The training time machine: snapshots of the model every `interval` epochs within a memory
//! budget (when full, the interval doubles and every other snapshot goes: the first, the latest
//! model and evenly spaced ones stay), scrubbing (the session shows a snapshot's model: scene,
//! report, views and diagram are drawn from it, and any training or change first brings the live
//! model back: Play resumes from now), and a pinned snapshot compared side by side with now
//! (the state's [`Pin`]: a link replays the seeded training to both epochs).

mod size;

use super::Session;
use crate::compress::compare::{scores, Scores};
use crate::data::Task;
use crate::error::Result;
use crate::evaluate::grid::slice_probabilities;
use crate::model::AnyModel;
use crate::render::raster::{self, Raster};
use crate::render::surface::grid_axes;
use crate::state::Pin;
use serde::{Deserialize, Serialize};

/// Bytes of snapshots a session keeps at most (see [`snapshot_bytes`]).
pub const SNAPSHOT_BUDGET: usize = 8 << 20;
/// Snapshots a session keeps at most, however small.
pub const MAX_SNAPSHOTS: usize = 256;

/// The model as it was after `epoch` epochs, with its losses then.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub epoch: u64,
    pub model: AnyModel,
    pub train_loss: f64,
    pub test_loss: f64,
    /// What it counts against the budget.
    pub bytes: usize,
}

/// The snapshots of one training run.
#[derive(Debug, Clone)]
pub struct Snapshots {
    /// A snapshot is taken at every epoch that is a multiple of this (and at the first).
    pub interval: u64,
    pub items: Vec<Snapshot>,
    pub budget: usize,
}

impl Default for Snapshots {
    fn default() -> Self {
        Snapshots { interval: 1, items: Vec::new(), budget: SNAPSHOT_BUDGET }
    }
}

impl Snapshots {
    /// Bytes kept.
    pub fn bytes(&self) -> usize {
        self.items.iter().map(|s| s.bytes).sum()
    }

    /// The epochs kept, in order.
    pub fn epochs(&self) -> Vec<u64> {
        self.items.iter().map(|s| s.epoch).collect()
    }

    /// Whether a snapshot is due after `epoch` (the first epoch of a run, or a multiple of the
    /// interval).
    fn due(&self, epoch: u64) -> bool {
        self.items.is_empty() || epoch.is_multiple_of(self.interval)
    }

    /// Keeps `snapshot`, thinning while over budget: the interval doubles and the snapshots off
    /// it go, except the first.
    fn push(&mut self, snapshot: Snapshot) {
        self.items.retain(|s| s.epoch < snapshot.epoch);
        self.items.push(snapshot);
        while self.items.len() > 2 && (self.bytes() > self.budget || self.items.len() > MAX_SNAPSHOTS) {
            self.interval = self.interval.saturating_mul(2);
            let (interval, first) = (self.interval, self.items[0].epoch);
            self.items.retain(|s| s.epoch == first || s.epoch.is_multiple_of(interval));
        }
    }

    /// The snapshot at `epoch`, or the latest before it.
    pub fn at(&self, epoch: u64) -> Option<&Snapshot> {
        self.items.iter().rev().find(|s| s.epoch <= epoch)
    }
}

/// What a snapshot counts against the budget: three times the bytes its learned numbers and
/// fields take ([`size::bytes_of`]: 8 a number): the weights, and the optimiser's moments kept
/// beside them (Adam's two per weight; training memory, not serialised, so not counted there).
pub fn snapshot_bytes(model: &AnyModel) -> usize {
    3 * size::bytes_of(model)
}

/// What the page needs to draw the scrubber and the compare view.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TimeMachine {
    /// The epochs of the snapshots kept, then the current one (the scrubber's stops).
    pub epochs: Vec<u64>,
    /// The epoch trained so far.
    pub now: u64,
    /// The epoch shown while scrubbing.
    pub scrubbed: Option<u64>,
    /// The pinned epoch.
    pub pinned: Option<u64>,
    pub interval: u64,
    pub bytes: usize,
}

/// The compare view of a pinned snapshot and now: both metric sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PinReport {
    pub pinned: u64,
    pub now: u64,
    pub then_train: Scores,
    pub then_test: Scores,
    pub now_train: Scores,
    pub now_test: Scores,
}

/// While scrubbing: the live model and epoch, put back before anything changes.
#[derive(Debug, Clone)]
pub(super) struct Scrubbed {
    model: AnyModel,
    epoch: u64,
}

impl Session {
    /// Takes a snapshot if one is due after the epoch just ended.
    pub(super) fn record_snapshot(&mut self) {
        if !self.snapshots.due(self.epoch) || self.state.model.fits_instantly() {
            return;
        }
        let (train_loss, test_loss) = match (self.history.train.last(), self.history.test.last()) {
            (Some(&a), Some(&b)) => (a, b),
            _ => (f64::NAN, f64::NAN),
        };
        let model = self.model.clone();
        let bytes = snapshot_bytes(&model);
        self.snapshots.push(Snapshot { epoch: self.epoch, model, train_loss, test_loss, bytes });
    }

    /// The snapshots of this run.
    pub fn snapshots(&self) -> &Snapshots {
        &self.snapshots
    }

    /// Sets the snapshots' memory budget (tests; the page keeps the default).
    pub fn set_snapshot_budget(&mut self, bytes: usize) {
        self.snapshots.budget = bytes;
    }

    /// Shows the model as it was at `epoch` (the latest snapshot at or before it; the live model
    /// from the current epoch on): scene, report and views are drawn from it until
    /// [`Session::unscrub`] or any training or change. Returns the epoch shown.
    pub fn scrub(&mut self, epoch: u64) -> u64 {
        self.unscrub();
        let Some(snapshot) = self.snapshots.at(epoch).filter(|_| epoch < self.epoch) else {
            return self.epoch;
        };
        let model = snapshot.model.clone();
        let shown = snapshot.epoch;
        let live = std::mem::replace(&mut self.model, model);
        self.scrubbed = Some(Scrubbed { model: live, epoch: self.epoch });
        self.epoch = shown;
        self.history.mark = Some(shown);
        shown
    }

    /// Puts the live model back after scrubbing (nothing when not scrubbing).
    pub fn unscrub(&mut self) {
        if let Some(live) = self.scrubbed.take() {
            self.model = live.model;
            self.epoch = live.epoch;
        }
        self.history.mark = None;
    }

    /// The epoch shown while scrubbing.
    pub fn scrubbed(&self) -> Option<u64> {
        self.scrubbed.as_ref().map(|_| self.epoch)
    }

    /// The epoch trained so far (the live one, while scrubbing).
    pub fn trained_epochs(&self) -> u64 {
        self.scrubbed.as_ref().map_or(self.epoch, |s| s.epoch)
    }

    /// The model training had at `epoch`: its snapshot, or (thinned away) the seeded training
    /// replayed from the start to that epoch. `None` beyond the run.
    pub fn model_at(&self, epoch: u64) -> Option<AnyModel> {
        let now = self.trained_epochs();
        if epoch > now {
            return None;
        }
        if epoch == now {
            return Some(self.scrubbed.as_ref().map_or(&self.model, |s| &s.model).clone());
        }
        if let Some(s) = self.snapshots.items.iter().find(|s| s.epoch == epoch) {
            return Some(s.model.clone());
        }
        let mut model = self.state.model.build(self.state.seed as u64).ok()?;
        let mut rng = crate::data::rng(self.state.seed as u64);
        for _ in 0..epoch {
            model.guarded_step(&self.train, &mut rng).ok()?;
        }
        Some(model)
    }

    /// What the scrubber and compare view need.
    pub fn time_machine(&self) -> TimeMachine {
        let now = self.trained_epochs();
        let mut epochs = self.snapshots.epochs();
        epochs.retain(|&e| e < now);
        if now > 0 && !self.state.model.fits_instantly() {
            epochs.push(now);
        }
        TimeMachine {
            epochs,
            now,
            scrubbed: self.scrubbed(),
            pinned: self.pinned.as_ref().map(|p| p.epoch),
            interval: self.snapshots.interval,
            bytes: self.snapshots.bytes(),
        }
    }

    /// Pins the model of `epoch` for the compare view (the state records it). Beyond the run, or
    /// for a model that fits at once, it is refused with a message.
    pub fn pin(&mut self, epoch: u64) -> Result<()> {
        let now = self.trained_epochs();
        let pin = Pin { epoch: epoch as f64, now: now as f64 };
        pin.check()?;
        if self.state.model.fits_instantly() {
            return Err(err!(InvalidInput, "pin_instant"));
        }
        let model =
            self.model_at(epoch).ok_or_else(|| err!(InvalidInput, "pin_beyond_run", epoch = epoch, now = now))?;
        let bytes = snapshot_bytes(&model);
        self.pinned = Some(Snapshot { epoch, model, train_loss: f64::NAN, test_loss: f64::NAN, bytes });
        self.state.pin = Some(pin);
        Ok(())
    }

    /// Forgets the pinned snapshot.
    pub fn unpin(&mut self) {
        self.pinned = None;
        self.state.pin = None;
    }

    /// Keeps the state's pin saying how far the run has trained (a link replays to there).
    pub(super) fn sync_pin_now(&mut self) {
        let now = self.trained_epochs() as f64;
        if let Some(pin) = &mut self.state.pin {
            pin.now = now;
        }
    }

    /// Brings the pinned snapshot in line with `state.pin` (a link's): the seeded training is
    /// replayed to the pin's `now` when the run is shorter, then the pinned epoch is taken. A pin
    /// that cannot be honoured is dropped and the error returned.
    pub(super) fn sync_pin(&mut self) -> Result<()> {
        let Some(pin) = self.state.pin else {
            self.pinned = None;
            return Ok(());
        };
        if self.pinned.as_ref().is_some_and(|p| p.epoch as f64 == pin.epoch) {
            self.sync_pin_now();
            return Ok(());
        }
        let outcome = pin.check().and_then(|()| {
            let mut guard = 0u64;
            while (self.trained_epochs() as f64) < pin.now && !self.halted && guard <= pin.now as u64 {
                self.step(1);
                guard += 1;
            }
            self.pin(pin.epoch as u64)
        });
        if outcome.is_err() {
            self.pinned = None;
            self.state.pin = None;
        }
        outcome
    }

    /// The compare view's numbers: the pinned model's and the live model's scores.
    pub fn pin_report(&self) -> Result<Option<PinReport>> {
        let Some(p) = &self.pinned else { return Ok(None) };
        let live = self.scrubbed.as_ref().map_or(&self.model, |s| &s.model);
        Ok(Some(PinReport {
            pinned: p.epoch,
            now: self.trained_epochs(),
            then_train: scores(&p.model, &self.train)?,
            then_test: scores(&p.model, &self.test)?,
            now_train: scores(live, &self.train)?,
            now_test: scores(live, &self.test)?,
        }))
    }

    /// The compare view's maps over the plot's view, each `width × height` RGBA: the pinned
    /// model's decision surface, the live model's, and where they differ. `None` for regression
    /// or when nothing is pinned.
    pub fn pin_surfaces(&self, width: u32, height: u32) -> Option<[Raster; 3]> {
        maps_from_bands(width, height, |sink| self.pin_surfaces_in_bands(width, height, sink))
    }

    /// [`pin_surfaces`](Session::pin_surfaces) handing each band of rows of each map to
    /// `sink(map, rows, rgba)` instead of holding the maps (the page keeps them outside the
    /// wasm's memory, which only grows). False when there are no maps.
    pub fn pin_surfaces_in_bands(&self, width: u32, height: u32, sink: &mut BandSink) -> bool {
        let Some(p) = self.pinned.as_ref() else { return false };
        let live = self.scrubbed.as_ref().map_or(&self.model, |s| &s.model);
        self.compare_maps_in_bands(&p.model, live, width, height, sink)
    }

    /// The three compare maps of models `a` and `b` (a's surface, b's, where they differ) over the
    /// plot's view, a band of rows at a time to `sink`; false for regression or a size out of
    /// bounds. The time machine's pin and the Compress panel both draw through it.
    pub(super) fn compare_maps_in_bands(
        &self,
        a: &AnyModel,
        b: &AnyModel,
        width: u32,
        height: u32,
        sink: &mut BandSink,
    ) -> bool {
        let Task::Classification { n_classes } = self.data.task else { return false };
        if width < 2 || height < 2 || width as u64 * height as u64 > super::MAX_SURFACE_PIXELS {
            return false;
        }
        let (xs, ys) = grid_axes(&self.view, width as usize, height as usize);
        let held = self.training_means();
        raster::compare_maps_in_bands(
            n_classes,
            width,
            height,
            |rows| {
                let pa = slice_probabilities(a, &xs, &ys[rows.clone()], n_classes, &held)?;
                let pb = slice_probabilities(b, &xs, &ys[rows], n_classes, &held)?;
                Some((pa, pb))
            },
            sink,
        )
        .is_some()
    }
}

/// Where a band of a compare map goes: `sink(map, rows, rgba)`, map 0, 1 or 2.
pub type BandSink<'a> = dyn FnMut(usize, std::ops::Range<usize>, &[u8]) + 'a;

/// The three `width × height` compare maps put together from the bands `bands` hands its sink
/// (made once a band comes, so a refused size allocates nothing); `None` when it drew none.
pub(super) fn maps_from_bands(
    width: u32,
    height: u32,
    bands: impl FnOnce(&mut BandSink) -> bool,
) -> Option<[Raster; 3]> {
    let w = width as usize;
    let mut maps: Option<[Raster; 3]> = None;
    let drawn = bands(&mut |map, rows, rgba| {
        let maps = maps.get_or_insert_with(|| [0, 1, 2].map(|_| Raster::new(width, height)));
        maps[map].rgba[rows.start * w * 4..rows.end * w * 4].copy_from_slice(rgba);
    });
    maps.filter(|_| drawn)
}
