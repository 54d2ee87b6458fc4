//! What the page prints: scores of the train and test sets, the model's summary, messages and
//! advice, and the names of features and classes as the learner knows them.

use super::Session;
use crate::data::generate::DatasetKind;
use crate::data::resample::Resampling;
use crate::data::{Dataset, Task};
use crate::error::Error;
use crate::metrics::{ClassificationScores, ClusteringScores, RegressionScores};
use crate::model::weights::ClassWeight;
use crate::model::{Model, Summary};
use serde::{Deserialize, Serialize};

/// A message for the learner: the error kind it came from, its code and values (the page words
/// it from its catalog, `err.<code>`), and the English text (for logs and the Node API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub kind: String,
    pub text: String,
    pub code: String,
    #[serde(default)]
    pub values: std::collections::BTreeMap<String, crate::error::Value>,
}

impl From<&Error> for Message {
    fn from(e: &Error) -> Self {
        Message { kind: e.kind().into(), text: e.to_string(), code: e.code().into(), values: e.msg().values.clone() }
    }
}

impl Message {
    /// A message that is not an error (advice), from a code with an English template.
    fn advice(code: &str) -> Self {
        let msg = crate::error::Msg::new(code, vec![]);
        Message { kind: "advice".into(), text: msg.to_string(), code: code.into(), values: msg.values }
    }
}

/// The scores of one subset, by task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "snake_case")]
pub enum Scores {
    Regression(RegressionScores),
    Classification(ClassificationScores),
    /// A model that clusters (on data of any task): inertia, silhouette, and the adjusted Rand
    /// index against the classes when the data has them.
    Clustering(ClusteringScores),
}

/// What the page prints after each step or change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub epoch: u64,
    pub trained: bool,
    /// True while `step` would train further (false after divergence until something changes).
    pub can_train: bool,
    pub fits_instantly: bool,
    pub summary: Summary,
    pub train: Scores,
    pub test: Scores,
    /// What the loss history measures ("mean squared error", "log-loss").
    pub loss_name: String,
    pub n_points: usize,
    pub message: Option<Message>,
    /// Every feature of the generated or imported data (before any is left out), in column
    /// order, and whether it is kept (`state.data.drop_features` lists the others by index).
    pub features: Vec<FeatureInfo>,
    /// The classes' names in class order (imported text labels, or `class 0`, …); empty for
    /// regression.
    pub class_names: Vec<String>,
    /// The time machine: the snapshots' epochs, the scrubbed and pinned ones.
    #[serde(default)]
    pub time_machine: super::TimeMachine,
}

/// One feature of the base data, for the page's include / leave-out toggles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureInfo {
    pub name: String,
    pub kept: bool,
}

impl Session {
    /// True while the data is the learner's imported table.
    pub(super) fn is_custom(&self) -> bool {
        self.custom.is_some() && self.state.data.kind == DatasetKind::Custom
    }

    /// A feature's name as the page shows it: the imported column's name, or x (regression) and
    /// x₁, x₂ (classification) for generated data.
    pub(super) fn display_name(&self, name: &str) -> String {
        match (self.is_custom(), self.data.task) {
            (true, _) => name.to_string(),
            (false, Task::Regression) if name == "x1" => "x".into(),
            (false, _) => match name {
                "x1" => "x₁".into(),
                "x2" => "x₂".into(),
                other => other.to_string(),
            },
        }
    }

    /// A model's summary in the data's own words: its inputs' names as the plot shows them (`x`,
    /// `x₁`, `x₂`, or an imported table's columns), and on an imported table the parameters'
    /// `x1` … `xd` (or `x` for one feature) become the columns' names. Models number their
    /// inputs; only the session knows what they are called.
    pub(super) fn named(&self, mut summary: Summary) -> Summary {
        let names = &self.data.feature_names;
        summary.inputs = names.iter().map(|n| self.display_name(n)).collect();
        if self.is_custom() && !names.is_empty() {
            for (name, _) in &mut summary.parameters {
                *name = name_variables(name, names);
            }
        }
        summary
    }

    /// The classes' names: an imported file's own (its text labels), or `class 0`, `class 1`, …;
    /// empty for regression.
    pub fn class_names(&self) -> Vec<String> {
        let Task::Classification { n_classes } = self.data.task else { return Vec::new() };
        let imported = match (&self.custom, self.state.data.kind) {
            (Some(c), DatasetKind::Custom) if c.class_names.len() == n_classes => Some(&c.class_names),
            _ => None,
        };
        (0..n_classes)
            .map(|c| imported.and_then(|names| names.get(c).cloned()).unwrap_or_else(|| format!("class {c}")))
            .collect()
    }

    /// Every feature of the generated or imported data (before any is left out), with whether it
    /// is kept: the page draws one include / leave-out toggle per feature.
    pub fn features(&self) -> Vec<FeatureInfo> {
        self.base_features
            .iter()
            .enumerate()
            .map(|(j, name)| FeatureInfo {
                name: self.display_name(name),
                kept: !self.state.data.drop_features.contains(&j),
            })
            .collect()
    }

    /// The names of the base data's features, before any is left out (the data's own names:
    /// x1, x2 for generated data).
    pub fn base_feature_names(&self) -> &[String] {
        &self.base_features
    }

    /// True while the model is of a family that clusters: trained on the features alone, scored
    /// and drawn by its clusters (the data's classes, if any, shown beside them).
    pub fn clustering(&self) -> bool {
        self.state.model.is_clustering()
    }

    pub(super) fn score(&self, data: &Dataset) -> Scores {
        if self.clustering() {
            let empty = ClusteringScores { n: data.len(), ..Default::default() };
            let clusters =
                if data.is_empty() || !self.model.is_trained() { None } else { self.model.clusters(&data.x) };
            return Scores::Clustering(match clusters {
                Some(Ok((labels, distances))) => {
                    let d = data.n_features();
                    let mut x = Vec::with_capacity(data.len() * d);
                    for i in 0..data.len() {
                        x.extend(data.x.row(i).iter());
                    }
                    let classes = matches!(data.task, Task::Classification { .. }).then(|| data.y.as_slice());
                    ClusteringScores::compute(&x, d, &labels, &distances, classes)
                }
                _ => empty,
            });
        }
        let prediction = if data.is_empty() { None } else { self.model.predict(&data.x).ok() };
        match (data.task, prediction) {
            (Task::Regression, Some(p)) => {
                Scores::Regression(RegressionScores::compute(data.y.as_slice(), p.as_slice()))
            }
            (Task::Regression, None) => Scores::Regression(RegressionScores { n: data.len(), ..Default::default() }),
            (Task::Classification { n_classes }, Some(p)) if p.ncols() == n_classes => {
                Scores::Classification(ClassificationScores::compute(data.y.as_slice(), &p))
            }
            (Task::Classification { n_classes }, _) => {
                Scores::Classification(ClassificationScores { n: data.len(), n_classes, ..Default::default() })
            }
        }
    }

    pub(super) fn train_rmse(&self) -> Option<f64> {
        match self.score(&self.train) {
            Scores::Regression(r) if r.n > 0 && r.rmse.is_finite() => Some(r.rmse),
            _ => None,
        }
    }

    pub fn report(&self) -> Report {
        // The curves go to the page through `views` (once, for one subset): the report carries
        // the numbers only, so a 100k-point dataset does not ship its thresholds every frame.
        let without_curves = |scores: Scores| match scores {
            Scores::Classification(c) => {
                Scores::Classification(ClassificationScores { roc: None, precision_recall: None, ..c })
            }
            other => other,
        };
        Report {
            epoch: self.epoch,
            trained: self.model.is_trained(),
            can_train: !self.halted,
            fits_instantly: self.state.model.fits_instantly(),
            summary: if self.model.is_trained() { self.named(self.model.summary()) } else { Summary::default() },
            train: without_curves(self.score(&self.train)),
            test: without_curves(self.score(&self.test)),
            loss_name: match self.data.task {
                _ if self.clustering() => "inertia".into(),
                Task::Regression => "mean squared error".into(),
                Task::Classification { .. } => "log-loss".into(),
            },
            n_points: self.data.len(),
            message: self.message.clone().or_else(|| self.advice()),
            features: self.features(),
            class_names: self.class_names(),
            time_machine: self.time_machine(),
        }
    }

    /// A hint about settings that work against each other, shown when nothing else is said.
    pub(super) fn advice(&self) -> Option<Message> {
        let rebalanced =
            self.state.data.resample != Resampling::None && matches!(self.data.task, Task::Classification { .. });
        match self.state.model.class_weight() {
            Some(ClassWeight::Balanced) if rebalanced => Some(Message::advice("advice_balanced_resampled")),
            _ => None,
        }
    }
}

/// `text` with each variable `x1` … `xd` (a whole word: not part of a longer name or number)
/// replaced by `names[j - 1]`, and a lone `x` by `names[0]` when there is one name only.
pub(crate) fn name_variables(text: &str, names: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == 'x' && (i == 0 || !word(chars[i - 1])) {
            let digits: String = chars[i + 1..].iter().take_while(|d| d.is_ascii_digit()).collect();
            let end = i + 1 + digits.len();
            let whole = end >= chars.len() || !(chars[end].is_alphabetic() || chars[end] == '_');
            let index = if digits.is_empty() {
                (names.len() == 1).then_some(0)
            } else {
                digits.parse::<usize>().ok().and_then(|j| j.checked_sub(1)).filter(|&j| j < names.len())
            };
            if let (true, Some(j)) = (whole, index) {
                out.push_str(&names[j]);
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::name_variables;

    #[test]
    fn variables_become_column_names_and_nothing_else_changes() {
        let names: Vec<String> = (1..=10).map(|j| format!("c{j}")).collect();
        assert_eq!(
            name_variables("y = 2·x1² − 0.5·x10 + 3·x2·x1 + exp(x3) + max_x1 + x11", &names),
            "y = 2·c1² − 0.5·c10 + 3·c2·c1 + exp(c3) + max_x1 + x11"
        );
        let one = vec!["petal length".to_string()];
        assert_eq!(name_variables("y = 1.2·x² + 3·x − 1", &one), "y = 1.2·petal length² + 3·petal length − 1");
        assert_eq!(name_variables("y = 3·x − 1", &names), "y = 3·x − 1", "a lone x is named only with one column");
        assert_eq!(name_variables("sin(x1) → softmax over 3 classes", &names), "sin(c1) → softmax over 3 classes");
    }
}
