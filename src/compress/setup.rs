//! The Compress panel's setup as data, part of the page's state: which operation with which
//! settings, and after how many epochs of training the original was compressed, so a link
//! reproduces the compressed model (the original is trained that long from its seed, then
//! compressed the same way). [`CompressSetup::apply`] turns it into the compressed model.

use super::distill::{distill, DistillOptions, Targets, MAX_UNLABELED};
use super::prune::{prune, PruneOptions, Scope};
use super::quantize::{quantize_calibrated, QuantizeOptions};
use super::{ensemble, EnsembleOptions};
use crate::data::features::FeatureMap;
use crate::data::Dataset;
use crate::error::{check_count, check_range, Result};
use crate::model::logistic::{LogisticParams, Penalty, Solver};
use crate::model::mlp::{Activation, HiddenLayer, MlpParams};
use crate::model::tree::TreeParams;
use crate::model::view::Growth;
use crate::model::{AnyModel, Model, ModelParams};
use crate::optim::{OptimizerKind, TrainParams};
use crate::tagged::tagged_enum;
use serde::{Deserialize, Serialize};

/// At most this many epochs of training before compressing (what a link replays).
pub const MAX_EPOCHS: u64 = 100_000;
/// A student or ensemble member has at most this many hidden neurons.
pub const MAX_STUDENT_NEURONS: usize = 32;

tagged_enum! {
    /// One compression of the trained model.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Operation("kind") {
        /// Magnitude (or neuron) pruning to `sparsity`, in `steps` prune → fine-tune cycles.
        Prune = "prune" {
            sparsity: f64 = 0.8,
            scope: Scope = Scope::Global,
            structured: bool = false,
            steps: usize = 1,
            fine_tune_epochs: usize = 0,
        },
        /// Weights (and, with `activations`, the hidden layers' outputs) to `bits` bits per
        /// tensor or per output neuron.
        Quantize = "quantize" {
            bits: u8 = 8,
            per_channel: bool = false,
            symmetric: bool = true,
            activations: bool = false,
        },
        /// A student trained on the model's soft targets: a network of one hidden layer of
        /// `neurons`, a logistic model on the polynomial features of `degree`, or a tree of
        /// `depth` (on the soft or `hard` targets).
        Distill = "distill" {
            neurons: usize = 4,
            temperature: f64 = 4.0,
            alpha: f64 = 0.5,
            unlabeled: usize = 1000,
            epochs: usize = 200,
            student: Student = Student::Network,
            degree: usize = 3,
            depth: usize = 3,
            targets: Targets = Targets::Soft,
        },
        /// `members` networks of one hidden layer of `neurons`, their probabilities averaged;
        /// with `student_neurons` above 0, that ensemble distilled into one network of one hidden
        /// layer of `student_neurons` (T = 4, α = 0.5, 1,000 unlabelled points, 200 epochs).
        Ensemble = "ensemble" {
            members: usize = 5,
            neurons: usize = 4,
            bootstrap: bool = true,
            student_neurons: usize = 0,
        },
        /// A decision tree's cost-complexity pruning at `alpha` (the tree's own pruning, shown
        /// in the compare view).
        TreePrune = "tree_prune" {
            alpha: f64 = 0.01,
        },
        /// A gradient-boosted model's first `keep` stages (every class's tree of each, the same
        /// start and learning rate), or a random forest's first `keep` trees (their average).
        Stages = "stages" {
            keep: usize = 10,
        },
    }
}

impl Operation {
    /// The operation's key (`prune`, `quantize`, `distill`, `ensemble`).
    pub fn kind(&self) -> &'static str {
        match self {
            Operation::Prune { .. } => "prune",
            Operation::Quantize { .. } => "quantize",
            Operation::Distill { .. } => "distill",
            Operation::Ensemble { .. } => "ensemble",
            Operation::TreePrune { .. } => "tree_prune",
            Operation::Stages { .. } => "stages",
        }
    }

    /// Checks every setting, naming the first out of range.
    pub fn check(&self) -> Result<()> {
        match self {
            Operation::Prune { .. } => self.prune_options(1).check(),
            Operation::Quantize { .. } => self.quantize_options().check(),
            Operation::Distill { neurons, epochs, degree, depth, .. } => {
                check_count("student neurons", *neurons, 1, MAX_STUDENT_NEURONS)?;
                check_count("student polynomial degree", *degree, 1, MAX_STUDENT_DEGREE)?;
                check_count("student tree depth", *depth, 1, MAX_STUDENT_DEPTH)?;
                check_count("epochs", *epochs, 1, 100_000)?;
                self.distill_options(1).check()
            }
            Operation::Ensemble { members, neurons, student_neurons, .. } => {
                check_count("ensemble members", *members, 1, crate::model::ensemble::MAX_MEMBERS)?;
                check_count("student neurons", *neurons, 1, MAX_STUDENT_NEURONS)?;
                check_count("student neurons", *student_neurons, 0, MAX_STUDENT_NEURONS)
            }
            Operation::TreePrune { alpha } => check_range("ccp_alpha", *alpha, 0.0, 1e9),
            Operation::Stages { keep } => {
                if *keep == 0 {
                    return Err(err!(InvalidParameter, "stages_keep_zero"));
                }
                check_count("stages kept", *keep, 1, MAX_KEPT_STAGES)
            }
        }
    }

    /// The pruning options (defaults for another operation).
    pub fn prune_options(&self, seed: u64) -> PruneOptions {
        match *self {
            Operation::Prune { sparsity, scope, structured, steps, fine_tune_epochs } => {
                PruneOptions { sparsity, scope, structured, steps, fine_tune_epochs, seed }
            }
            _ => PruneOptions { seed, ..PruneOptions::default() },
        }
    }

    pub fn quantize_options(&self) -> QuantizeOptions {
        match *self {
            Operation::Quantize { bits, per_channel, symmetric, activations } => {
                QuantizeOptions { bits, per_channel, symmetric, activations }
            }
            _ => QuantizeOptions::default(),
        }
    }

    pub fn distill_options(&self, seed: u64) -> DistillOptions {
        match *self {
            Operation::Distill { temperature, alpha, unlabeled, epochs, targets, .. } => DistillOptions {
                temperature,
                alpha,
                unlabeled: unlabeled.min(MAX_UNLABELED),
                epochs: Some(epochs),
                seed,
                targets,
            },
            // an ensemble distilled into one network: fixed settings
            Operation::Ensemble { student_neurons, .. } if student_neurons > 0 => DistillOptions {
                temperature: 4.0,
                alpha: 0.5,
                unlabeled: 1000,
                epochs: Some(200),
                seed,
                targets: Targets::Soft,
            },
            _ => DistillOptions { seed, ..DistillOptions::default() },
        }
    }

    /// Whether the operation distils (a student, or an ensemble into one network): then it has a
    /// transfer set, [`Operation::distill_options`]'s.
    pub fn distils(&self) -> bool {
        matches!(self, Operation::Distill { .. })
            || matches!(self, Operation::Ensemble { student_neurons, .. } if *student_neurons > 0)
    }
}

/// Which kind of student distillation trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Student {
    #[default]
    Network,
    Logistic,
    Tree,
}

/// A logistic student's polynomial degree is 1 to this.
pub const MAX_STUDENT_DEGREE: usize = crate::data::features::MAX_FEATURE_DEGREE as usize;
/// A tree student is at most this deep.
pub const MAX_STUDENT_DEPTH: usize = 8;

/// The params of a logistic student on the polynomial features of `degree` (1: `x1, x2`; 2 adds
/// the squares and the product; 3 and up every monomial up to it), trained by Adam (rate 0.05,
/// batches of 32) with a light L2 penalty (λ = 1e-4).
pub fn logistic_student(degree: usize) -> LogisticParams {
    let quadratic = degree >= 2;
    LogisticParams {
        features: FeatureMap {
            x1_squared: quadratic,
            x2_squared: quadratic,
            x1_x2: quadratic,
            degree: degree.min(MAX_STUDENT_DEGREE) as u8,
            ..FeatureMap::default()
        },
        penalty: Penalty::L2,
        strength: 1e-4,
        solver: Solver::Gradient,
        train: TrainParams {
            learning_rate: 0.05,
            batch_size: 32,
            optimizer: OptimizerKind::Adam { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
            ..TrainParams::default()
        },
        ..LogisticParams::default()
    }
}

/// At most this many stages (or trees) kept: the most a boosted model or a forest grows.
pub const MAX_KEPT_STAGES: usize = 1000;

/// A gradient-boosted model's first `keep` stages, or a forest's first `keep` trees, as an
/// ordinary model of that family (see `GradientBoosting::truncated`, `RandomForest::truncated`).
/// Refused for other families (`compress_needs_stages`).
pub fn keep_stages(model: &AnyModel, keep: usize) -> Result<AnyModel> {
    match model {
        AnyModel::Boosting(m) => Ok(AnyModel::Boosting(m.truncated(keep)?)),
        AnyModel::Forest(m) => Ok(AnyModel::Forest(m.truncated(keep)?)),
        _ => Err(err!(InvalidParameter, "compress_needs_stages")),
    }
}

/// How many stages (boosting) or trees (forest) `model` has grown; `None` for other families.
pub fn stage_count(model: &AnyModel) -> Option<usize> {
    match model {
        AnyModel::Boosting(m) => Some(m.stages().len()),
        AnyModel::Forest(m) => Some(m.trees().len()),
        _ => None,
    }
}

/// The params of a tree student of `depth` levels.
pub fn tree_student(depth: usize) -> TreeParams {
    TreeParams { max_depth: Some(depth), ..TreeParams::default() }
}

/// The student the distillation `operation` asks for, given the teacher's settings.
pub fn student_of(operation: &Operation, teacher: &ModelParams) -> ModelParams {
    match *operation {
        Operation::Distill { student: Student::Logistic, degree, .. } => {
            ModelParams::Logistic(logistic_student(degree))
        }
        Operation::Distill { student: Student::Tree, depth, .. } => ModelParams::Tree(tree_student(depth)),
        Operation::Distill { neurons, .. } => ModelParams::Mlp(student_params(teacher, neurons)),
        _ => ModelParams::Mlp(student_params(teacher, 4)),
    }
}

/// The setup the state carries: the operation, the epochs the original had trained when it
/// was compressed, and, when its architecture changed on the way (Net2Net growth, layers frozen
/// part-way), how: a link then replays the changes at their epochs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompressSetup {
    pub operation: Operation,
    #[serde(default)]
    pub epochs: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grown: Option<Grown>,
}

/// How the original came to be what it was when compressed: built from `from` (with the state's
/// seed), then trained, with `changes` applied at the start of their epochs (growth on a plateau
/// replays by itself from `from`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grown {
    pub from: ModelParams,
    #[serde(default)]
    pub changes: Vec<Change>,
}

/// One change of a network's structure made by the learner: a Net2Net growth, or the layers
/// frozen from then on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub epoch: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grow: Option<Growth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frozen: Option<Vec<usize>>,
}

/// At most this many recorded changes.
pub const MAX_CHANGES: usize = 1000;

impl CompressSetup {
    pub fn check(&self) -> Result<()> {
        if self.epochs > MAX_EPOCHS {
            return Err(err!(
                InvalidParameter,
                "param_range",
                param = "training epochs before compressing",
                min = 0,
                max = MAX_EPOCHS,
                got = self.epochs
            ));
        }
        if let Some(grown) = &self.grown {
            check_count("recorded changes", grown.changes.len(), 0, MAX_CHANGES)?;
            let ordered = grown.changes.windows(2).all(|w| w[0].epoch <= w[1].epoch);
            if !ordered || grown.changes.iter().any(|c| c.epoch > self.epochs) {
                return Err(err!(InvalidParameter, "compress_changes_order"));
            }
        }
        self.operation.check()
    }
}

/// A small network's params for a student or an ensemble member: one hidden layer of `neurons`,
/// with the teacher's activation and optimiser settings when the teacher is a network.
pub fn student_params(teacher: &ModelParams, neurons: usize) -> MlpParams {
    match teacher {
        ModelParams::Mlp(t) => MlpParams {
            hidden_layers: vec![HiddenLayer {
                neurons,
                activation: t.hidden_layers.first().map_or(Activation::Tanh, |l| l.activation),
            }],
            frozen: Vec::new(),
            class_weight: None,
            grow_on_plateau: None,
            residual: false,
            ..t.clone()
        },
        _ => MlpParams {
            hidden_layers: vec![HiddenLayer { neurons, activation: Activation::Tanh }],
            ..MlpParams::default()
        },
    }
}

/// The compressed copy of `model` (trained with the settings `params`) as `operation` says, on
/// the training rows `train`; `seed` seeds what is random (fine-tuning order, students, members).
pub fn apply(
    operation: &Operation,
    model: &AnyModel,
    params: &ModelParams,
    train: &Dataset,
    seed: u64,
) -> Result<AnyModel> {
    operation.check()?;
    match operation {
        Operation::Prune { fine_tune_epochs, .. } => {
            let options = operation.prune_options(seed);
            prune(model, &options, (*fine_tune_epochs > 0).then_some(train))
        }
        Operation::Quantize { .. } => quantize_calibrated(model, &operation.quantize_options(), Some(train)),
        Operation::Distill { .. } => {
            let student = student_of(operation, params);
            distill(model, &student, seed, train, &operation.distill_options(seed))
        }
        Operation::Ensemble { members, neurons, bootstrap, student_neurons } => {
            let member = ModelParams::Mlp(student_params(params, *neurons));
            let ensemble =
                ensemble(&member, train, &EnsembleOptions { members: *members, bootstrap: *bootstrap, seed })?;
            if *student_neurons == 0 {
                return Ok(ensemble);
            }
            // the ensemble as the teacher of one network
            let student = ModelParams::Mlp(student_params(params, *student_neurons));
            distill(&ensemble, &student, seed, train, &operation.distill_options(seed))
        }
        Operation::TreePrune { alpha } => match model {
            AnyModel::Tree(tree) if tree.is_trained() => Ok(AnyModel::Tree(tree.pruned(*alpha)?)),
            AnyModel::Tree(_) => Err(err!(InvalidInput, "compress_untrained_tree")),
            _ => Err(err!(InvalidParameter, "compress_needs_tree")),
        },
        Operation::Stages { keep } => keep_stages(model, *keep),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setup_round_trips_and_bad_settings_are_named() {
        let json = r#"{"operation":{"kind":"prune","sparsity":0.8,"steps":5,"fine_tune_epochs":3},"epochs":120}"#;
        let setup: CompressSetup = serde_json::from_str(json).unwrap();
        assert!(setup.check().is_ok());
        assert_eq!(setup.operation.prune_options(1).steps, 5);
        let back: CompressSetup = serde_json::from_str(&serde_json::to_string(&setup).unwrap()).unwrap();
        assert_eq!(back, setup);
        let bad: CompressSetup = serde_json::from_str(&json.replace("0.8", "1.0")).unwrap();
        assert_eq!(bad.check().unwrap_err().code(), "sparsity_range");
        let bad: CompressSetup =
            serde_json::from_str(r#"{"operation":{"kind":"quantize","bits":0},"epochs":1}"#).unwrap();
        assert_eq!(bad.check().unwrap_err().code(), "bits_range");
        let bad: CompressSetup =
            serde_json::from_str(r#"{"operation":{"kind":"distill","neurons":99},"epochs":1}"#).unwrap();
        assert!(bad.check().unwrap_err().to_string().contains("student neurons"));
        assert!(serde_json::from_str::<CompressSetup>(r#"{"operation":{"kind":"prune","sparsty":0.5}}"#)
            .unwrap_err()
            .to_string()
            .contains("sparsity"));
    }

    #[test]
    fn a_stages_setup_round_trips_and_keeping_none_or_too_many_is_named() {
        let setup: CompressSetup = serde_json::from_str(r#"{"operation":{"kind":"stages"},"epochs":40}"#).unwrap();
        assert_eq!(setup.operation, Operation::Stages { keep: 10 });
        assert_eq!(setup.operation.kind(), "stages");
        let back: CompressSetup = serde_json::from_str(&serde_json::to_string(&setup).unwrap()).unwrap();
        assert_eq!(back, setup);
        assert_eq!(Operation::Stages { keep: 0 }.check().unwrap_err().code(), "stages_keep_zero");
        assert_eq!(Operation::Stages { keep: MAX_KEPT_STAGES + 1 }.check().unwrap_err().code(), "param_range");
        assert!(Operation::Stages { keep: MAX_KEPT_STAGES }.check().is_ok());
    }
}
