//! The learner's edits: points added, removed and moved on the picture. Each is applied to the
//! prepared points drawn and, in raw units, to the raw points cross-validation prepares afresh;
//! the state records it so a link replays it.

use super::Session;
use crate::data::{Dataset, Task};
use crate::error::Result;
use crate::model::Model;
use crate::state::{Edit, MAX_EDITS};

impl Session {
    /// Feature `j`'s value `v` as drawn (rescaled, when a scaler is on) in the raw points' units.
    pub(super) fn unscaled(&self, j: usize, v: f64) -> f64 {
        self.fitted.as_ref().map_or(v, |f| f.scaler.invert(j, v))
    }

    /// Applies one edit to the data (not to `state.edits`).
    pub(super) fn apply_edit(&mut self, edit: &Edit) -> Result<()> {
        edit.check()?;
        let n = self.data.len();
        let d = self.data.n_features();
        let classification = matches!(self.data.task, Task::Classification { .. });
        match *edit {
            Edit::Add { .. } if classification && d != 2 => {
                return Err(err!(InvalidData, "place_needs_two", d = d));
            }
            Edit::Add { .. } if !classification && d != 1 => {
                return Err(err!(InvalidData, "place_needs_one", d = d));
            }
            _ => {}
        }
        match *edit {
            Edit::Add { x, y, label } => {
                let (row, target) = if classification {
                    let n_classes = match self.data.task {
                        Task::Classification { n_classes } => n_classes,
                        Task::Regression => 1,
                    };
                    let c = label.unwrap_or(0);
                    if c >= n_classes {
                        return Err(err!(InvalidData, "class_missing", c = c, n_classes = n_classes - 1));
                    }
                    (vec![x, y], c as f64)
                } else {
                    (vec![x], y)
                };
                if row.len() != self.data.n_features() {
                    return Err(err!(InvalidData, "point_features"));
                }
                let mut xm = self.data.x.clone().insert_row(n, 0.0);
                for (j, v) in row.iter().enumerate() {
                    xm[(n, j)] = *v;
                }
                let y = self.data.y.clone().push(target);
                self.data = Dataset { x: xm, y, ..self.data.clone() };
                let raw_row: Vec<f64> = row.iter().enumerate().map(|(j, &v)| self.unscaled(j, v)).collect();
                let r = self.raw.len();
                let mut raw_x = self.raw.x.clone().insert_row(r, 0.0);
                for (j, v) in raw_row.iter().enumerate() {
                    raw_x[(r, j)] = *v;
                }
                self.raw = Dataset { x: raw_x, y: self.raw.y.clone().push(target), ..self.raw.clone() };
                self.raw_rows.push(r);
                self.by_hand.push(true);
                self.marks.push(0);
                self.is_test.push(false);
            }
            Edit::Remove { i } => {
                if i >= n {
                    return Err(err!(InvalidData, "no_point_remove", i = i, n = n));
                }
                let x = self.data.x.clone().remove_row(i);
                let y = self.data.y.clone().remove_row(i);
                self.data = Dataset { x, y, ..self.data.clone() };
                let r = self.raw_rows.remove(i);
                let (x, y) = (self.raw.x.clone().remove_row(r), self.raw.y.clone().remove_row(r));
                self.raw = Dataset { x, y, ..self.raw.clone() };
                for k in self.raw_rows.iter_mut().filter(|k| **k > r) {
                    *k -= 1;
                }
                self.by_hand.remove(i);
                if i < self.marks.len() {
                    self.marks.remove(i);
                }
                self.is_test.remove(i);
            }
            Edit::Move { i, x, y } => {
                if i >= n {
                    return Err(err!(InvalidData, "no_point_move", i = i, n = n));
                }
                let r = self.raw_rows[i];
                self.data.x[(i, 0)] = x;
                self.raw.x[(r, 0)] = self.unscaled(0, x);
                if classification {
                    // The drawn features move; with one feature the height means nothing.
                    if d > 1 {
                        self.data.x[(i, 1)] = y;
                        self.raw.x[(r, 1)] = self.unscaled(1, y);
                    }
                } else {
                    self.data.y[i] = y;
                    self.raw.y[r] = y;
                }
            }
        }
        Ok(())
    }

    /// Applies an edit the learner made, records it in the state (consecutive moves of one point
    /// are merged, so a drag is one edit), and lets the model follow.
    pub fn edit(&mut self, edit: Edit) -> Result<()> {
        self.unscrub();
        if self.state.edits.len() >= MAX_EDITS {
            return Err(err!(InvalidInput, "too_many_edits", MAX_EDITS = MAX_EDITS));
        }
        self.apply_edit(&edit)?;
        match (self.state.edits.last_mut(), &edit) {
            (Some(Edit::Move { i: last, x: lx, y: ly }), Edit::Move { i, x, y }) if last == i => {
                *lx = *x;
                *ly = *y;
            }
            _ => self.state.edits.push(edit),
        }
        self.split();
        self.message = None;
        self.halted = false;
        // A compressed model was made on the points before the edit.
        self.clear_compressed();
        // A model that had finished (a tree grown to the end) cannot take in the change step by
        // step: it is refitted at once, so what is drawn was fitted on the points shown.
        if self.model.is_complete() && !self.state.model.fits_instantly() {
            self.fit_now();
        }
        self.after_data_change();
        Ok(())
    }
}
