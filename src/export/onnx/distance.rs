//! The families that compare a row with stored points, in standard ONNX operators and float64
//! (the graph casts to float64 before the rescaling): k nearest neighbours (the training points),
//! Gaussian naive Bayes (each class's means, scaled by its variances) and k-means (the centroids).
//! Each difference is `x − point` per feature, broadcast over `[N, points, d]`, then summed over
//! the features in the order `predict` sums them, so the same neighbour or cluster is nearest.

use super::{attr_int, untrained, Extra, Graph};
use crate::data::Task;
use crate::error::Result;
use crate::model::kmeans::KMeans;
use crate::model::knn::{KNearestNeighbors, Weights};
use crate::model::naive_bayes::GaussianNaiveBayes;
use crate::model::Model;

impl Graph {
    /// `[N, m]`: for each row of `x` and each of the `m` rows of `points` (row-major, `d` wide),
    /// `Σⱼ |xⱼ − pⱼ|^p` (p = 2: squares, p = 1: absolute values).
    fn reduced_distances(&mut self, x: &str, points: &[f64], d: usize, p: f64) -> String {
        let m = points.len() / d.max(1);
        let points = self.constant("points", &[1, m, d], points);
        let rows = self.unsqueeze(x, &[1]);
        let diff = self.op("Sub", &[&rows, &points], vec![]);
        let terms = if p == 2.0 {
            self.op("Mul", &[&diff, &diff], vec![])
        } else if p == 1.0 {
            self.op("Abs", &[&diff], vec![])
        } else {
            let size = self.op("Abs", &[&diff], vec![]);
            let power = self.constant("p", &[], &[p]);
            self.op("Pow", &[&size, &power], vec![])
        };
        self.reduce_sum(&terms, &[2], false)
    }

    /// k nearest neighbours: `TopK` of the smallest reduced distances, the neighbours' weights
    /// (1 each, or 1 / distance with a neighbour at distance 0 taking all the weight), and their
    /// weighted mean target or class shares.
    pub(super) fn knn(&mut self, x: &str, m: &KNearestNeighbors) -> Result<(String, usize)> {
        let task = m.task().ok_or_else(untrained)?;
        let (d, k, p) = (m.n_features(), m.params().n_neighbors, m.params().p);
        let n = m.n_points();
        if n < k || n == 0 {
            return Err(untrained());
        }
        let reduced = self.reduced_distances(x, m.points(), d, p);
        let count = self.indices(&[k]);
        let top = self.op_n(
            "TopK",
            &[&reduced, &count],
            vec![attr_int("axis", 1), attr_int("largest", 0), attr_int("sorted", 1)],
            2,
        );
        let (nearest, index) = (&top[0], &top[1]);
        // weights [N, k] and their total [N, 1] (None: uniform, the total is k)
        let weights = match m.params().weights {
            Weights::Uniform => None,
            Weights::Distance => {
                let distance = if p == 2.0 {
                    self.op("Sqrt", &[nearest], vec![])
                } else if p == 1.0 {
                    nearest.clone()
                } else {
                    let root = self.constant("inverse_p", &[], &[1.0 / p]);
                    self.op("Pow", &[nearest, &root], vec![])
                };
                let one = self.constant("one", &[], &[1.0]);
                let zero = self.constant("zero", &[], &[0.0]);
                let inverse = self.op("Div", &[&one, &distance], vec![]);
                let closest = self.op("ReduceMin", &[nearest], vec![attr_int("keepdims", 1), axes_attr(&[1])]);
                let any_zero = self.op("Equal", &[&closest, &zero], vec![]);
                let is_zero = self.op("Equal", &[nearest, &zero], vec![]);
                let at_zero = self.op("Cast", &[&is_zero], vec![attr_int("to", super::DOUBLE as i64)]);
                let w = self.op("Where", &[&any_zero, &at_zero, &inverse], vec![]);
                let total = self.reduce_sum(&w, &[1], true);
                Some((w, total))
            }
        };
        let total = match &weights {
            Some((_, total)) => total.clone(),
            None => self.constant("k", &[], &[k as f64]),
        };
        let (sum, width) = match task {
            Task::Regression => {
                let targets = self.constant("targets", &[n], m.targets());
                let values = self.op("Gather", &[&targets, index], vec![attr_int("axis", 0)]);
                let weighted = match &weights {
                    Some((w, _)) => self.op("Mul", &[&values, w], vec![]),
                    None => values,
                };
                (self.reduce_sum(&weighted, &[1], true), 1)
            }
            Task::Classification { n_classes } => {
                let mut one_hot = vec![0.0; n * n_classes];
                for (i, &c) in m.targets().iter().enumerate() {
                    if (c as usize) < n_classes {
                        one_hot[i * n_classes + c as usize] = 1.0;
                    }
                }
                let classes = self.constant("classes", &[n, n_classes], &one_hot);
                let votes = self.op("Gather", &[&classes, index], vec![attr_int("axis", 0)]);
                let weighted = match &weights {
                    Some((w, _)) => {
                        let w = self.unsqueeze(w, &[2]);
                        self.op("Mul", &[&votes, &w], vec![])
                    }
                    None => votes,
                };
                (self.reduce_sum(&weighted, &[1], false), n_classes)
            }
        };
        let y = self.op("Div", &[&sum, &total], vec![]);
        Ok((self.back_to_float(&y), width))
    }

    /// Gaussian naive Bayes: `log P(c) + (−½ Σⱼ ln 2πσ²_cj − ½ Σⱼ (xⱼ − μ_cj)² / σ²_cj)` per
    /// class (−∞ for a class of prior 0), then `Softmax`.
    pub(super) fn naive_bayes(&mut self, x: &str, m: &GaussianNaiveBayes) -> Result<(String, usize)> {
        let (k, d) = (m.n_classes(), m.n_features());
        if k == 0 {
            return Err(untrained());
        }
        let theta = self.constant("theta", &[1, k, d], m.theta());
        let var = self.constant("var", &[1, k, d], m.var());
        let rows = self.unsqueeze(x, &[1]);
        let diff = self.op("Sub", &[&rows, &theta], vec![]);
        let square = self.op("Mul", &[&diff, &diff], vec![]);
        let scaled = self.op("Div", &[&square, &var], vec![]);
        let distance = self.reduce_sum(&scaled, &[2], false);
        let norm: Vec<f64> = (0..k)
            .map(|c| {
                -0.5 * m.var()[c * d..(c + 1) * d].iter().map(|v| (2.0 * std::f64::consts::PI * v).ln()).sum::<f64>()
            })
            .collect();
        let prior: Vec<f64> =
            m.class_prior().iter().map(|&p| if p > 0.0 { p.ln() } else { f64::NEG_INFINITY }).collect();
        let half = self.constant("half", &[], &[0.5]);
        let norm = self.constant("norm", &[k], &norm);
        let prior = self.constant("log_prior", &[k], &prior);
        let halved = self.op("Mul", &[&half, &distance], vec![]);
        let likelihood = self.op("Sub", &[&norm, &halved], vec![]);
        let joint = self.op("Add", &[&prior, &likelihood], vec![]);
        let p = self.op("Softmax", &[&joint], vec![attr_int("axis", 1)]);
        Ok((self.back_to_float(&p), k))
    }

    /// k-means: the squared distance to each centroid, `ArgMin` (the lower index on ties) as the
    /// `label` output, `OneHot` of it as `Y` (what `predict` gives), the distances as `distance`.
    pub(super) fn kmeans(&mut self, x: &str, m: &KMeans, extra: &mut Vec<Extra>) -> Result<(String, usize)> {
        if !m.is_trained() {
            return Err(untrained());
        }
        let d = m.n_features();
        let centroids: Vec<f64> = m.centroids().concat();
        let k = centroids.len() / d.max(1);
        let squared = self.reduced_distances(x, &centroids, d, 2.0);
        let label = self.op("ArgMin", &[&squared], vec![attr_int("axis", 1), attr_int("keepdims", 0)]);
        let distance = self.op("Sqrt", &[&squared], vec![]);
        let distance = self.back_to_float(&distance);
        let depth = self.indices(&[k]);
        let values = self.constant("off_on", &[2], &[0.0, 1.0]);
        let y = self.op("OneHot", &[&label, &depth, &values], vec![attr_int("axis", -1)]);
        extra.push(Extra { value: label, name: "label", width: None });
        extra.push(Extra { value: distance, name: "distance", width: Some(k) });
        Ok((y, k))
    }
}

/// The `axes` attribute of the opset-13 reductions that still take it (`ReduceMin`, `ReduceMax`).
fn axes_attr(axes: &[i64]) -> crate::export::proto::AttributeProto {
    super::attr_ints("axes", axes.to_vec())
}
