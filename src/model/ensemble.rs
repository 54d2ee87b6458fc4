//! An ensemble of small neural networks: `members` networks of the same shape, each trained from
//! its own initial weights on its own bootstrap sample of the training points (or on all of them,
//! so only the seeds differ), predicting the mean of their probabilities (or values). The primer's
//! recipe for a strong model from weak ones, and a teacher to distil into one small network
//! (`crate::compress::distill`).
//!
//! Member `m` is built with seed `seed + m` and draws its sample from a generator seeded by the
//! ensemble's seed and `m`, so `fit` and stepping give the same members. `step` runs one epoch of
//! every member.

use super::mlp::{HiddenLayer, Mlp, MlpParams, MAX_HIDDEN_LAYERS, MAX_NEURONS};
use super::{Hyperparams, Model, Summary};
use crate::data::{rng, Dataset, Rng};
use crate::error::{check_count, check_range, Result};
use crate::optim::TrainParams;
use nalgebra::DMatrix;
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// At most this many members.
pub const MAX_MEMBERS: usize = 20;

/// Hyper-parameters of [`Ensemble`]: how many members, whether they see bootstrap samples, and
/// the members' network settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EnsembleParams {
    /// Networks in the ensemble, 1 to [`MAX_MEMBERS`].
    pub members: usize,
    /// Each member learns from a bootstrap sample (n draws with replacement).
    pub bootstrap: bool,
    /// Each member's hidden layers.
    pub hidden_layers: Vec<HiddenLayer>,
    /// Each member's L2 strength.
    pub l2: f64,
    /// Each member's optimiser settings.
    pub train: TrainParams,
    /// Each member's most epochs in `fit`.
    pub max_epochs: usize,
}

impl Default for EnsembleParams {
    fn default() -> Self {
        let network = MlpParams::default();
        EnsembleParams {
            members: 5,
            bootstrap: true,
            hidden_layers: vec![HiddenLayer { neurons: 4, activation: super::mlp::Activation::Tanh }],
            l2: 0.0,
            train: network.train,
            max_epochs: network.max_epochs,
        }
    }
}

impl EnsembleParams {
    /// The settings every member is built from.
    pub fn member_params(&self) -> MlpParams {
        MlpParams {
            hidden_layers: self.hidden_layers.clone(),
            l2: self.l2,
            train: self.train,
            max_epochs: self.max_epochs,
            ..MlpParams::default()
        }
    }
}

impl Hyperparams for EnsembleParams {
    type Model = Ensemble;

    fn check(&self) -> Result<()> {
        check_count("ensemble members", self.members, 1, MAX_MEMBERS)?;
        check_range("L2 strength", self.l2, 0.0, 10.0)?;
        self.member_params().check()
    }

    fn build(&self, seed: u64) -> Result<Ensemble> {
        self.check()?;
        Ok(Ensemble { params: self.clone(), seed, members: Vec::new(), data: None, loss_memory: Default::default() })
    }

    fn describe() -> super::describe::Family {
        use super::describe::{numbers, Animation, Control, Family, Show, TaskKind, Widget};
        let activations = vec!["tanh", "relu", "leaky_relu", "sigmoid", "linear"];
        Family {
            kind: "ensemble",
            tasks: vec![TaskKind::Regression, TaskKind::Classification],
            class_weight: false,
            gradient: Show::Always,
            animation: Animation::Epochs,
            controls: vec![
                Control::select("members", numbers(&[2.0, 3.0, 5.0, 10.0, 20.0])),
                Control::new("bootstrap", Widget::Checkbox),
                Control::new(
                    "hidden_layers",
                    Widget::Layers { max_layers: MAX_HIDDEN_LAYERS, max_neurons: MAX_NEURONS, activations },
                ),
                Control::select("l2", numbers(&[0.0, 0.0001, 0.001, 0.01, 0.1])),
            ],
            ..Family::default()
        }
    }

    fn train_params(&self) -> Option<&TrainParams> {
        Some(&self.train)
    }
}

/// Trained (or untrained) members and the data they were set up on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ensemble {
    params: EnsembleParams,
    seed: u64,
    members: Vec<Mlp>,
    /// The fingerprint of the data the members step on (other data starts them afresh).
    #[serde(default)]
    data: Option<u64>,
    #[serde(skip)]
    loss_memory: crate::optim::LossMemory,
}

impl Ensemble {
    /// The settings it was built with.
    pub fn params(&self) -> &EnsembleParams {
        &self.params
    }

    /// The member networks.
    pub fn members(&self) -> &[Mlp] {
        &self.members
    }

    /// Member `m`'s training rows: a bootstrap sample of `n`, or all of them.
    fn sample(&self, m: usize, n: usize) -> Vec<usize> {
        if !self.params.bootstrap {
            return (0..n).collect();
        }
        let mut r = rng(self.seed ^ (m as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        (0..n).map(|_| r.random_range(0..n)).collect()
    }

    fn member_data(&self, m: usize, data: &Dataset) -> Dataset {
        data.select(&self.sample(m, data.len()))
    }

    /// New, untrained members for `data`.
    fn restart(&mut self, data: &Dataset) -> Result<()> {
        let params = self.params.member_params();
        self.members = (0..self.params.members)
            .map(|m| params.build(self.seed.wrapping_add(m as u64)))
            .collect::<Result<Vec<_>>>()?;
        self.data = Some(data.fingerprint());
        Ok(())
    }
}

impl Model for Ensemble {
    fn fit(&mut self, data: &Dataset) -> Result<()> {
        data.require_len(1)?;
        let mut next = self.clone();
        next.restart(data)?;
        for m in 0..next.members.len() {
            let sample = next.member_data(m, data);
            next.members[m].fit(&sample)?;
        }
        *self = next;
        Ok(())
    }

    fn step(&mut self, data: &Dataset, rng: &mut Rng) -> Result<()> {
        data.require_len(1)?;
        let mut next = self.clone();
        if next.data != Some(data.fingerprint()) || next.members.len() != next.params.members {
            next.restart(data)?;
        }
        for m in 0..next.members.len() {
            let sample = next.member_data(m, data);
            next.members[m].step(&sample, rng)?;
        }
        *self = next;
        Ok(())
    }

    fn predict(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        let mut sum: Option<DMatrix<f64>> = None;
        for member in &self.members {
            let p = member.predict(x)?;
            sum = Some(match sum {
                Some(s) if s.shape() == p.shape() => s + p,
                Some(_) => {
                    return Err(super::file::damaged(
                        "ensemble",
                        "members",
                        super::file::Damage::Invalid("members_disagree"),
                    ))
                }
                None => p,
            });
        }
        Ok(match sum {
            Some(s) => s / self.members.len() as f64,
            None => DMatrix::zeros(x.nrows(), 1),
        })
    }

    fn objective(&self, data: &Dataset) -> Result<f64> {
        super::prediction_loss(self, data)
    }

    fn is_trained(&self) -> bool {
        !self.members.is_empty() && self.members.iter().all(Model::is_trained)
    }

    fn summary(&self) -> Summary {
        let Some(first) = self.members.first().filter(|_| self.is_trained()) else {
            return Summary::new("ensemble.untrained");
        };
        let k = self.members.len();
        let weights: usize = self.members.iter().filter_map(|m| m.network()).map(|n| n.params().len()).sum();
        let member = first.summary();
        let mut summary = Summary::new("ensemble").with("members", k).with("n", k).with("member", member.code.as_str());
        summary.values.extend(member.values.into_iter().filter(|(name, _)| name != "n"));
        summary
            .formula(member.formula)
            .parameters(vec![("members".into(), k as f64), ("weights and biases".into(), weights as f64)])
    }

    fn is_finite(&self) -> bool {
        self.members.iter().all(Model::is_finite)
    }

    fn validate(&self) -> Result<()> {
        self.params.check()?;
        use super::file::{refuse, within, Damage};
        if self.members.len() > self.params.members {
            let length = Damage::Length { got: self.members.len(), expected: self.params.members };
            return refuse("ensemble", "members", length);
        }
        for (i, member) in self.members.iter().enumerate() {
            member.validate().map_err(|e| within(e, "ensemble", &format!("members[{i}].")))?;
        }
        Ok(())
    }

    fn grid_values(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        let mut sum: Option<Vec<f64>> = None;
        for member in &self.members {
            let v = Model::grid_values(member, xs, ys)?;
            sum = Some(match sum {
                Some(mut s) if s.len() == v.len() => {
                    s.iter_mut().zip(&v).for_each(|(a, b)| *a += b);
                    s
                }
                Some(_) => return None,
                None => v,
            });
        }
        let k = self.members.len() as f64;
        sum.map(|mut s| {
            s.iter_mut().for_each(|v| *v /= k);
            s
        })
    }

    fn loss_memory(&mut self) -> Option<&mut crate::optim::LossMemory> {
        Some(&mut self.loss_memory)
    }
}
