//! Training: one epoch at a time (`step`, so the page animates) or to the end at once
//! (`fit_now`), with divergence caught (the last good model is kept and training halts until
//! something changes), the loss history, and growth of families that can grow (`Model::grow`).

use super::{Message, Session};
use crate::data::{Dataset, Task};
use crate::error::{Error, Result};
use crate::model::view::Growth;
use crate::model::Model;

/// Most loss-history points kept; older ones are thinned (every other dropped) past this.
const MAX_HISTORY: usize = 2000;

impl Session {
    /// Models that solve instantly follow every change at once.
    pub(super) fn after_data_change(&mut self) {
        if self.state.model.fits_instantly() {
            self.fit_now();
        }
    }

    /// Trains to the end in one call (closed form or solver); the old model stays on failure.
    pub fn fit_now(&mut self) {
        self.unscrub();
        let mut candidate = self.model.clone();
        match candidate.fit(&self.train) {
            Ok(()) if candidate.is_finite() => {
                self.model = candidate;
                self.message = None;
                self.epoch += 1;
                self.record_history();
            }
            Ok(()) => self.message = Some(Message::from(&err!(Diverged, "solver_not_finite"))),
            Err(e) => self.message = Some(Message::from(&e)),
        }
    }

    /// Runs up to `epochs` training epochs (or one instant fit). On divergence the last good model
    /// is restored, a message is set, and training halts until something changes.
    pub fn step(&mut self, epochs: u32) {
        let mut done = 0;
        while done < epochs.max(1) {
            if self.advance(usize::MAX) {
                done += 1;
            }
            if self.halted || self.state.model.fits_instantly() {
                break;
            }
        }
    }

    /// Part of a training epoch: mini-batches of about `max_rows` rows (a batch at least) of the
    /// epoch under way ([`Model::step_part`]), so the worker can answer within its time budget
    /// even when one epoch takes seconds (a wide network on thousands of points, batch size 1).
    /// True when this ended an epoch, or when there is nothing to go on with (an instant fit, a
    /// halted or complete model): what the worker counts as one epoch done. An epoch ended in
    /// parts is the epoch [`Session::step`] runs, to the bit.
    pub fn advance(&mut self, max_rows: usize) -> bool {
        // Play from a scrubbed epoch resumes from now: the live model comes back first.
        self.unscrub();
        if self.state.model.fits_instantly() {
            self.fit_now();
            return true;
        }
        if self.halted {
            return true;
        }
        if self.model.is_complete() {
            self.halted = true;
            return true;
        }
        match self.model.guarded_step_part(&self.train, &mut self.rng, max_rows, &mut self.epoch_start) {
            Ok(false) => false,
            Ok(true) => {
                self.epoch += 1;
                self.record_history();
                self.record_snapshot();
                self.sync_pin_now();
                self.sync_state_model();
                self.message = None;
                true
            }
            Err(e) => {
                let e = match e {
                    Error::Diverged(m) => err!(Diverged, "stopped", cause = m, epoch = self.epoch),
                    other => other,
                };
                self.message = Some(Message::from(&e));
                self.halted = true;
                true
            }
        }
    }

    /// Keeps `state.model` naming what the model grew into while training (a network's
    /// architecture).
    pub(super) fn sync_state_model(&mut self) {
        if let Some(params) = self.model.grown_into().filter(|p| *p != self.state.model) {
            self.state.model = params;
        }
    }

    /// Grows the model without changing its predictions (a network's Net2Net neuron or layer;
    /// [`Model::grow`]); the state then names the new architecture. Training goes on from the
    /// grown model.
    pub fn grow(&mut self, growth: Growth) -> Result<()> {
        self.unscrub();
        // Then the epoch under way is finished first, so a link can replay the growth at its epoch.
        self.finish_epoch();
        self.model.grow(growth, &self.train, &mut self.rng)?;
        self.changes.push(crate::compress::setup::Change { epoch: self.epoch, grow: Some(growth), frozen: None });
        self.epoch_start = None;
        // A link could not replay a compression made before the growth.
        self.clear_compressed();
        self.sync_state_model();
        self.halted = false;
        self.message = None;
        Ok(())
    }

    pub(super) fn record_history(&mut self) {
        let train = self.loss(&self.train);
        let test = if self.test.is_empty() { f64::NAN } else { self.loss(&self.test) };
        let h = &mut self.history;
        h.refits = self.state.model.fits_instantly();
        h.epochs.push(self.epoch);
        h.train.push(train);
        h.test.push(test);
        if h.epochs.len() > MAX_HISTORY {
            for v in [&mut h.train, &mut h.test] {
                let kept: Vec<f64> = v.iter().step_by(2).copied().collect();
                *v = kept;
            }
            h.epochs = h.epochs.iter().step_by(2).copied().collect();
        }
    }

    /// The loss the history records: MSE for regression, log-loss for classification, the
    /// inertia for clustering.
    pub(super) fn loss(&self, data: &Dataset) -> f64 {
        if self.clustering() {
            // the inertia: what Lloyd's iterations lower
            return self.model.objective(data).unwrap_or(f64::NAN);
        }
        match self.model.predict(&data.x) {
            Ok(p) if data.task == Task::Regression => crate::metrics::mse(data.y.as_slice(), p.as_slice()),
            Ok(p) if p.ncols() >= 2 => crate::metrics::log_loss(data.y.as_slice(), &p),
            _ => f64::NAN,
        }
    }
}
