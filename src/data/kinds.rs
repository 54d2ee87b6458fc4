//! The kinds of built-in data (and `custom`, the learner's imported table), and the task each one
//! poses. Its own file so the generators ([`super::generate`] for regression,
//! [`super::classification`]) can both name it without importing each other.

use super::Task;
use serde::{Deserialize, Serialize};

/// The built-in generators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatasetKind {
    /// y = 0.7·x + 0.5 + noise
    Linear,
    /// y = 3·sin(x) + noise
    Sine,
    /// y = 0.06·x³ − 0.15·x² − 0.9·x + 1 + noise
    Polynomial,
    /// the linear set with about 8 % of points thrown far off the line
    Outliers,
    /// class 0 in a disc around the origin, class 1 in a ring around it
    Circle,
    /// class 1 where x1 and x2 share a sign, class 0 where they differ
    Xor,
    /// 2–5 Gaussian clouds, one per class
    Blobs,
    /// 2–5 interleaved spiral arms, one per class
    Spiral,
    /// two interleaving half circles
    Moons,
    /// two classes on either side of a line, with a gap between them
    Separable,
    /// two overlapping clouds, the minority class `ratio` times the size of the majority
    Imbalanced,
    /// The learner's own data (imported from a CSV file); it lives only in the page, not in links.
    Custom,
}

impl DatasetKind {
    /// The task this kind generates. For `blobs` and `spiral` the number of classes is set by
    /// [`DataSpec::classes`](super::generate::DataSpec::classes); this answers their smallest case (2 classes): use
    /// [`DataSpec::task`](super::generate::DataSpec::task) for the exact task of a spec.
    pub fn task(&self) -> Task {
        self.task_with(2)
    }

    /// The task this kind generates when asked for `classes` classes (used by `blobs` and
    /// `spiral` only; the others have a fixed count).
    pub fn task_with(&self, classes: usize) -> Task {
        match self {
            DatasetKind::Linear | DatasetKind::Sine | DatasetKind::Polynomial | DatasetKind::Outliers => {
                Task::Regression
            }
            DatasetKind::Blobs | DatasetKind::Spiral => Task::Classification { n_classes: classes.clamp(2, 5) },
            DatasetKind::Circle
            | DatasetKind::Xor
            | DatasetKind::Moons
            | DatasetKind::Separable
            | DatasetKind::Imbalanced => Task::Classification { n_classes: 2 },
            // The imported table decides; the session knows it.
            DatasetKind::Custom => Task::Regression,
        }
    }

    /// True for the kinds that generate class labels.
    pub fn is_classification(&self) -> bool {
        matches!(self.task(), Task::Classification { .. })
    }

    /// True when [`DataSpec::classes`](super::generate::DataSpec::classes) changes the data (so the page shows that control).
    pub fn uses_classes(&self) -> bool {
        matches!(self, DatasetKind::Blobs | DatasetKind::Spiral)
    }

    /// True when [`DataSpec::ratio`](super::generate::DataSpec::ratio) changes the data (so the page shows that control).
    pub fn uses_ratio(&self) -> bool {
        matches!(self, DatasetKind::Imbalanced)
    }
}
