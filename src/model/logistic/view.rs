//! Logistic regression's picture as plain data: the sigmoid view (every point at its score z
//! under σ(z)), for two classes. `render::sigmoid` draws it.

use super::LogisticRegression;
use crate::data::Task;
use crate::model::view::{FamilyView, SigmoidScene, ViewContext, ViewKind};
use crate::model::Model;

/// The x axis never shows less than ±this: σ goes from 0.0025 to 0.9975 over [−6, 6].
const MIN_Z: f64 = 6.0;

/// A symmetric score range for the x axis: ±1.1 times the 98th percentile of `|z|` (so a few
/// outliers do not squash the rest), never narrower than ±6. Non-finite scores are ignored.
pub fn z_range_for(z: &[f64]) -> (f64, f64) {
    let mut magnitudes: Vec<f64> = z.iter().filter(|v| v.is_finite()).map(|v| v.abs()).collect();
    if magnitudes.is_empty() {
        return (-MIN_Z, MIN_Z);
    }
    // Nearest rank: the smallest value with at least 98% of the scores at or below it.
    let rank = ((0.98 * magnitudes.len() as f64).ceil() as usize).clamp(1, magnitudes.len()) - 1;
    let (_, &mut percentile, _) = magnitudes.select_nth_unstable_by(rank, f64::total_cmp);
    let half = (1.1 * percentile).clamp(MIN_Z, 1e12);
    (-half, half)
}

impl LogisticRegression {
    /// The sigmoid view of every point, for a trained binary model.
    pub(super) fn family_view(&self, kind: ViewKind, ctx: &ViewContext) -> Option<FamilyView> {
        if kind != ViewKind::Sigmoid || !self.is_trained() || ctx.data.task != (Task::Classification { n_classes: 2 }) {
            return None;
        }
        let z = self.logits(&ctx.data.x).ok()?;
        let z: Vec<f64> = z.column(0).iter().copied().collect();
        Some(FamilyView::Sigmoid(SigmoidScene {
            z_range: z_range_for(&z),
            z,
            classes: ctx.data.y.iter().map(|&c| c as u8).collect(),
            roles: ctx.roles.to_vec(),
            highlight: None,
        }))
    }
}
