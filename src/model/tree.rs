//! CART decision trees for classification (Gini or entropy) and regression (squared error), as
//! scikit-learn's `DecisionTreeClassifier` / `DecisionTreeRegressor` with the best splitter and
//! all features: the same splits, thresholds, node statistics, predictions and cost-complexity
//! pruning path on the same data (thresholds agree to float32 precision: scikit-learn stores
//! features as float32, this crate keeps float64).
//!
//! - [`DecisionTree::step`] makes one split, best-first (the leaf whose best split decreases the
//!   weighted impurity most), so the page can animate growth; [`DecisionTree::is_complete`] says
//!   when nothing is left to split. [`DecisionTree::fit`] grows to the limits, numbers the nodes
//!   as scikit-learn does, then prunes with `ccp_alpha`.
//! - [`DecisionTree::pruning_path`] and [`DecisionTree::pruned`] expose cost-complexity pruning.
//! - [`DecisionTree::nodes`], [`DecisionTree::regions`], [`DecisionTree::decision_path`] and
//!   [`DecisionTree::feature_importances`] feed the drawing; [`DecisionTree::predict_grid`]
//!   predicts a raster several times faster than `predict` on the same points.
//! - The tree is stored as flat arrays in scikit-learn's `tree_` layout ([`TreeArrays`]);
//!   imported trees are checked by [`DecisionTree::validate`] and rejected if damaged.
//!
//! Where scikit-learn breaks ties at random (`random_state`), this crate is deterministic: between
//! features with equally good splits the lowest feature index wins, within a feature the lowest
//! threshold, between frontier leaves with equal decrease the lowest node id, and between equal
//! pruning alphas the lowest node id (scikit-learn's rule too). The `grow` submodule has the
//! details.

mod arrays;
mod grid;
mod grow;
mod prune;
#[cfg(test)]
mod tests;
pub mod view;

pub use arrays::{NodeInfo, TreeArrays};
pub use grid::BoxSums;
pub use grow::SplitCandidate;

pub use super::weights::ClassWeight;

use super::{weights, Formula, Hyperparams, Model, Summary};
use crate::data::{Dataset, Rng, Task};
use crate::error::{check_count, check_range, Error, Result};
use grow::{Grower, Impurity, Limits};
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// How a classification tree measures impurity. Regression trees always use squared error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// `1 − Σ p_c²`
    #[default]
    Gini,
    /// `−Σ p_c log₂ p_c` (in bits, as scikit-learn's "entropy" and "log_loss").
    Entropy,
}

/// Hyper-parameters of [`DecisionTree`] (scikit-learn's names and defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TreeParams {
    pub criterion: Criterion,
    /// Deepest level a node may be split at: `Some(1)` is one split (a stump), up to `Some(100)`;
    /// `None` is unlimited. `Some(0)` is refused, as scikit-learn refuses `max_depth=0` (a tree
    /// that is only its root is had with `min_samples_split` above the number of rows).
    pub max_depth: Option<usize>,
    /// A node with fewer samples is not split (at least 2).
    pub min_samples_split: usize,
    /// Every leaf keeps at least this many samples (at least 1).
    pub min_samples_leaf: usize,
    /// At most this many leaves (at least 2); `None` is unlimited.
    pub max_leaf_nodes: Option<usize>,
    /// Cost-complexity pruning strength α ≥ 0 applied at the end of `fit` (0 = no pruning).
    pub ccp_alpha: f64,
    /// Class weights for classification; `None` weighs every sample 1.
    pub class_weight: Option<ClassWeight>,
}

impl Default for TreeParams {
    fn default() -> Self {
        TreeParams {
            criterion: Criterion::Gini,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_leaf_nodes: None,
            ccp_alpha: 0.0,
            class_weight: None,
        }
    }
}

/// The largest `max_depth`.
pub const MAX_DEPTH: usize = 100;
/// The most nodes a tree read from a file may have: a tree grown on the largest data the page
/// takes (an imported file of [`crate::data::csv_import::MAX_ROWS`] rows, one leaf per row) has
/// at most twice that. A larger file would only fill the page's memory.
pub const MAX_NODES: usize = 2 * crate::data::csv_import::MAX_ROWS - 1;
/// The most numbers [`DecisionTree::predict_grid`] returns (grid points × outputs).
pub const MAX_GRID_VALUES: usize = 1 << 27;
/// The largest sample and leaf counts the parameters accept.
const MAX_COUNT: usize = 10_000_000;

impl Hyperparams for TreeParams {
    type Model = DecisionTree;

    fn check(&self) -> Result<()> {
        if let Some(d) = self.max_depth {
            check_count("max_depth", d, 1, MAX_DEPTH)?;
        }
        check_count("min_samples_split", self.min_samples_split, 2, MAX_COUNT)?;
        check_count("min_samples_leaf", self.min_samples_leaf, 1, MAX_COUNT)?;
        if let Some(l) = self.max_leaf_nodes {
            check_count("max_leaf_nodes", l, 2, MAX_COUNT)?;
        }
        check_range("ccp_alpha", self.ccp_alpha, 0.0, 1e9)?;
        weights::check(self.class_weight.as_ref())?;
        Ok(())
    }

    fn build(&self, _seed: u64) -> Result<DecisionTree> {
        self.check()?;
        Ok(DecisionTree {
            params: self.clone(),
            task: None,
            tree: TreeArrays::default(),
            complete: false,
            data_fingerprint: 0,
            grower: None,
        })
    }

    fn describe() -> super::describe::Family {
        use super::describe::{numbers, Animation, Control, Family, Show, TaskKind, Value};
        use super::view::ViewKind;
        let optional = |list: &[f64]| std::iter::once(Value::Null).chain(numbers(list)).collect();
        Family {
            kind: "tree",
            tasks: vec![TaskKind::Regression, TaskKind::Classification],
            class_weight: true,
            gradient: Show::Never,
            animation: Animation::Splits,
            views: vec![ViewKind::Tree, ViewKind::Pruning],
            controls: vec![
                Control::select("criterion", vec!["gini".into(), "entropy".into()])
                    .when(Show::Task(TaskKind::Classification)),
                Control::select("max_depth", optional(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 16.0, 20.0])),
                Control::select("max_leaf_nodes", optional(&[2.0, 4.0, 8.0, 16.0, 32.0, 64.0])),
                Control::select("min_samples_leaf", numbers(&[1.0, 2.0, 5.0, 10.0, 20.0, 50.0])),
                Control::select("min_samples_split", numbers(&[2.0, 5.0, 10.0, 20.0, 50.0])),
                // every α of the pruning path (views.pruning.alphas) once the tree is grown
                Control::select_from_view(
                    "ccp_alpha",
                    numbers(&[0.0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05]),
                    "pruning.alphas",
                ),
            ],
            ..Family::default()
        }
    }
    fn class_weight(&self) -> Option<&weights::ClassWeight> {
        self.class_weight.as_ref()
    }
    /// Only α moved: the grown tree is re-pruned, not regrown.
    fn refits_in_place(&self, next: &TreeParams) -> bool {
        self.ccp_alpha != next.ccp_alpha && TreeParams { ccp_alpha: next.ccp_alpha, ..self.clone() } == *next
    }
}

/// A CART decision tree (untrained until the first `fit` or `step`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "DecisionTreeFile")]
pub struct DecisionTree {
    params: TreeParams,
    /// The task of the data it was grown on; `None` until trained.
    task: Option<Task>,
    tree: TreeArrays,
    complete: bool,
    /// Which dataset the tree was grown on (see [`grow::fingerprint`]).
    data_fingerprint: u64,
    /// Growing state between steps; rebuilt from the tree and the data when missing.
    #[serde(skip)]
    grower: Option<Grower>,
}

/// What a saved tree file holds; checked by [`DecisionTree::validate`] before use.
#[derive(Deserialize)]
struct DecisionTreeFile {
    params: TreeParams,
    task: Option<Task>,
    tree: TreeArrays,
    complete: bool,
    data_fingerprint: u64,
}

impl TryFrom<DecisionTreeFile> for DecisionTree {
    type Error = Error;

    fn try_from(f: DecisionTreeFile) -> Result<Self> {
        let model = DecisionTree {
            params: f.params,
            task: f.task,
            tree: f.tree,
            complete: f.complete,
            data_fingerprint: f.data_fingerprint,
            grower: None,
        };
        model.validate()?;
        Ok(model)
    }
}

impl DecisionTree {
    pub fn params(&self) -> &TreeParams {
        &self.params
    }

    /// The task of the data the tree was grown on (`None` until trained).
    pub fn task(&self) -> Option<Task> {
        self.task
    }

    /// The tree's flat arrays (scikit-learn's `tree_` layout).
    pub fn arrays(&self) -> &TreeArrays {
        &self.tree
    }

    /// True when no leaf can be split any more under the limits (always after `fit`).
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    pub fn node_count(&self) -> usize {
        self.tree.node_count()
    }

    pub fn n_leaves(&self) -> usize {
        self.tree.n_leaves()
    }

    /// Depth of the deepest leaf (0 for a single leaf).
    pub fn depth(&self) -> usize {
        self.tree.max_depth()
    }

    /// Every node (id, depth, parent, children, split, impurity, sample counts, value).
    pub fn nodes(&self) -> Vec<NodeInfo> {
        self.tree.nodes()
    }

    /// The axis-aligned box of every node, indexed by node id, inside `bounds` (one
    /// `(low, high)` per feature).
    pub fn regions(&self, bounds: &[(f64, f64)]) -> Result<Vec<Vec<(f64, f64)>>> {
        self.require_trained()?;
        self.tree.regions(bounds)
    }

    /// The node ids from the root to the leaf that `x` (one value per feature) falls into.
    pub fn decision_path(&self, x: &[f64]) -> Result<Vec<usize>> {
        self.require_trained()?;
        self.check_width(x.len())?;
        if x.iter().any(|v| !v.is_finite()) {
            return Err(err!(InvalidData, "point_not_finite"));
        }
        let t = &self.tree;
        let mut path = vec![0];
        let mut node = 0;
        while !t.is_leaf(node) {
            let f = t.feature[node] as usize;
            let next = if x.get(f).copied().unwrap_or(0.0) <= t.threshold[node] {
                t.children_left[node]
            } else {
                t.children_right[node]
            } as usize;
            if next <= node || next >= t.node_count() {
                break;
            }
            path.push(next);
            node = next;
        }
        Ok(path)
    }

    /// The leaf id each row of `x` falls into (scikit-learn's `apply`).
    pub fn apply(&self, x: &DMatrix<f64>) -> Result<Vec<usize>> {
        self.check_inputs(x)?;
        let mut leaves = vec![0; x.nrows()];
        self.tree.walk_rows(x.as_slice(), x.nrows(), |row, leaf| {
            if let Some(slot) = leaves.get_mut(row) {
                *slot = leaf;
            }
        });
        Ok(leaves)
    }

    /// Impurity-decrease importance of each feature, normalised to sum to 1 (scikit-learn's
    /// `feature_importances_`); all zeros for a single leaf or an untrained tree.
    pub fn feature_importances(&self) -> Vec<f64> {
        self.tree.feature_importances()
    }

    /// The split the next `step` will make, if any (only while growing step by step).
    pub fn next_split(&self) -> Option<SplitCandidate> {
        if self.complete {
            return None;
        }
        self.grower.as_ref().and_then(|g| g.next_split())
    }

    /// The tree numbered as scikit-learn would have it: depth-first preorder without
    /// `max_leaf_nodes`, creation (best-first) order with it. Pruning ties depend on this.
    fn sklearn_numbered(&self) -> TreeArrays {
        if self.params.max_leaf_nodes.is_none() {
            self.tree.rebuild_preorder(|_| false)
        } else {
            self.tree.clone()
        }
    }

    /// Cost-complexity pruning path of the current tree, as scikit-learn's
    /// `cost_complexity_pruning_path`: the effective alphas (increasing, starting at 0) and the
    /// total leaf impurity `Σ N_t/N · i(t)` of the subtree pruned at each. For scikit-learn's
    /// path, grow the tree with `ccp_alpha = 0` (a pruned tree gives the tail of the path).
    /// Empty for an untrained tree.
    pub fn pruning_path(&self) -> (Vec<f64>, Vec<f64>) {
        let p = prune::cost_complexity(&self.sklearn_numbered(), f64::INFINITY);
        (p.ccp_alphas, p.impurities)
    }

    /// The tree pruned at `alpha`: the smallest subtree minimising `R(T) + α·|leaves(T)|`,
    /// numbered in depth-first preorder, complete (it will not grow further).
    pub fn pruned(&self, alpha: f64) -> Result<DecisionTree> {
        check_range("ccp_alpha", alpha, 0.0, f64::MAX)?;
        let tree = self.sklearn_numbered();
        let p = prune::cost_complexity(&tree, alpha);
        Ok(DecisionTree {
            params: self.params.clone(),
            task: self.task,
            tree: tree.rebuild_preorder(|i| p.leaf.get(i).copied().unwrap_or(true)),
            complete: true,
            data_fingerprint: self.data_fingerprint,
            grower: None,
        })
    }

    /// Checks a tree (typically an imported one) is sound: its arrays form a tree whose children
    /// come after their parents, its features and values fit its task, its numbers are finite and
    /// its parameters are in range. Deserialising runs this and rejects what fails.
    pub fn validate(&self) -> Result<()> {
        self.validate_in("tree", "")
    }

    /// [`DecisionTree::validate`] for a tree at `at` (a path ending in `.`, or empty) in a `model`
    /// (a family key) file, so a refusal names the field (`trees[2].tree.threshold[5]`).
    pub fn validate_in(&self, model: &str, at: &str) -> Result<()> {
        use super::file::{out_of_range, refuse, Damage};
        self.params.check()?;
        match self.task {
            None if self.tree.node_count() == 0 => Ok(()),
            None => refuse(model, format!("{at}tree"), Damage::Without("task".into())),
            Some(task) => {
                if self.tree.node_count() == 0 {
                    return refuse(model, format!("{at}tree.children_left"), Damage::Length { got: 0, expected: 1 });
                }
                let outputs = match task {
                    Task::Regression => 1,
                    Task::Classification { n_classes } => n_classes,
                };
                if self.tree.n_outputs != outputs {
                    return refuse(model, format!("{at}tree.n_outputs"), Damage::Mismatch("task".into()));
                }
                if self.tree.node_count() > MAX_NODES {
                    return refuse(
                        model,
                        format!("{at}tree.children_left"),
                        out_of_range(self.tree.node_count(), 1, MAX_NODES),
                    );
                }
                self.tree.validate_in(model, &format!("{at}tree"))?;
                if let Task::Classification { .. } = task {
                    // Each node holds class fractions: each in [0, 1], together 1.
                    let bad = self.tree.value.chunks(outputs).position(|p| {
                        p.iter().any(|&v| !(-1e-9..=1.0 + 1e-9).contains(&v))
                            || (p.iter().sum::<f64>() - 1.0).abs() > 1e-6
                    });
                    if let Some(node) = bad {
                        return refuse(
                            model,
                            format!("{at}tree.value[{}]", node * outputs),
                            Damage::Invalid("not_probabilities"),
                        );
                    }
                }
                Ok(())
            }
        }
    }

    fn require_trained(&self) -> Result<()> {
        if self.tree.node_count() == 0 {
            return Err(err!(InvalidData, "not_fitted"));
        }
        Ok(())
    }

    fn check_width(&self, width: usize) -> Result<()> {
        if width != self.tree.n_features {
            return Err(err!(InvalidData, "feature_count", expected = self.tree.n_features, got = width));
        }
        Ok(())
    }

    fn check_inputs(&self, x: &DMatrix<f64>) -> Result<()> {
        self.require_trained()?;
        self.check_width(x.ncols())?;
        // branch-free per chunk so it vectorises
        let finite = x.as_slice().chunks(256).all(|c| c.iter().fold(true, |ok, v| ok & v.is_finite()));
        if !finite {
            let row = (0..x.nrows()).find(|&i| x.row(i).iter().any(|v| !v.is_finite())).unwrap_or(0);
            return Err(err!(InvalidData, "row_not_finite", row = row + 1));
        }
        Ok(())
    }

    fn impurity_for(&self, task: Task) -> Impurity {
        match (task, self.params.criterion) {
            (Task::Regression, _) => Impurity::SquaredError,
            (_, Criterion::Gini) => Impurity::Gini,
            (_, Criterion::Entropy) => Impurity::Entropy,
        }
    }

    fn limits(&self) -> Limits {
        let p = &self.params;
        Limits {
            max_depth: p.max_depth.unwrap_or(usize::MAX),
            min_samples_split: p.min_samples_split,
            min_samples_leaf: p.min_samples_leaf,
            max_leaf_nodes: p.max_leaf_nodes.unwrap_or(usize::MAX),
        }
    }

    /// One weight per sample from the class weights (all 1 for regression or without them).
    pub fn sample_weights(&self, data: &Dataset) -> Result<Vec<f64>> {
        Ok(weights::sample_weights(self.params.class_weight.as_ref(), data)?.unwrap_or_else(|| vec![1.0; data.len()]))
    }

    /// Grows from scratch as [`Model::fit`] does, but every split searches only `max_features`
    /// features drawn at random at its node (a random forest's trees; seeded by `seed`). Returns
    /// each split search's drawn features and chosen feature when `record` is set (a test hook),
    /// else nothing.
    pub fn fit_sampling_features(
        &mut self,
        data: &Dataset,
        max_features: usize,
        seed: u64,
        record: bool,
    ) -> Result<Vec<(Vec<usize>, Option<usize>)>> {
        let mut grower = self.new_grower(data)?;
        grower.sample_features(max_features, seed, record);
        let searches = self.grow(data, grower);
        Ok(searches)
    }

    /// Grows `grower` to the end, renumbers and prunes as `fit` does; the grower's recorded
    /// searches.
    fn grow(&mut self, data: &Dataset, mut grower: Grower) -> Vec<(Vec<usize>, Option<usize>)> {
        let mut tree = TreeArrays::new(data.n_features(), grower.n_outputs());
        grower.add_root(&mut tree);
        while grower.split_next(&mut tree) {}
        if self.params.max_leaf_nodes.is_none() {
            tree = tree.rebuild_preorder(|_| false);
        }
        if self.params.ccp_alpha > 0.0 {
            let p = prune::cost_complexity(&tree, self.params.ccp_alpha);
            tree = tree.rebuild_preorder(|i| p.leaf.get(i).copied().unwrap_or(true));
        }
        self.tree = tree;
        self.task = Some(data.task);
        self.data_fingerprint = grower.fingerprint;
        self.complete = true;
        self.grower = None;
        grower.searches().to_vec()
    }

    fn new_grower(&self, data: &Dataset) -> Result<Grower> {
        data.require_len(1)?;
        Grower::new(data, self.impurity_for(data.task), self.limits(), self.sample_weights(data)?)
    }

    /// `fit` with one positive weight per row given (in place of the class weights): a
    /// distilled tree's rows weigh what the teacher's probabilities say (`compress::distill`).
    pub(crate) fn fit_weighted(&mut self, data: &Dataset, weights: Vec<f64>) -> Result<()> {
        data.require_len(1)?;
        let grower = Grower::new(data, self.impurity_for(data.task), self.limits(), weights)?;
        self.grow(data, grower);
        Ok(())
    }

    /// Total leaf impurity weighted by sample weight, `Σ N_t/N · i(t)` over the leaves.
    pub fn training_impurity(&self) -> f64 {
        let t = &self.tree;
        let Some(&total) = t.weighted_n_node_samples.first() else {
            return 0.0;
        };
        (0..t.node_count())
            .filter(|&i| t.is_leaf(i))
            .map(|i| t.weighted_n_node_samples[i] * t.impurity[i] / total)
            .sum()
    }
}

impl Model for DecisionTree {
    fn view(&self, kind: super::view::ViewKind, ctx: &super::view::ViewContext) -> Option<super::view::FamilyView> {
        self.family_view(kind, ctx)
    }
    fn validate(&self) -> Result<()> {
        DecisionTree::validate(self)
    }

    fn is_complete(&self) -> bool {
        DecisionTree::is_complete(self)
    }

    /// Grows from scratch to the limits (best-first), numbers the nodes as scikit-learn does
    /// (depth-first preorder unless `max_leaf_nodes` is set), then prunes with `ccp_alpha`.
    fn fit(&mut self, data: &Dataset) -> Result<()> {
        let grower = self.new_grower(data)?;
        self.grow(data, grower);
        Ok(())
    }

    /// Makes one split: the leaf whose best split decreases the weighted impurity most. The
    /// first step grows the root and splits it. Once nothing can be split it changes nothing.
    /// Nodes keep their ids (creation order) while growing; stepping to the end gives the same
    /// tree as `fit` with `ccp_alpha = 0` (use [`DecisionTree::pruned`] to prune it). A tree
    /// cannot take in new points, so on different data than it was grown on, growth restarts
    /// from the root.
    fn step(&mut self, data: &Dataset, _rng: &mut Rng) -> Result<()> {
        let fingerprint = data.fingerprint();
        let same_data =
            self.task == Some(data.task) && self.data_fingerprint == fingerprint && self.tree.node_count() > 0;
        if same_data && self.complete {
            return Ok(());
        }
        if !same_data {
            let mut grower = self.new_grower(data)?;
            let mut tree = TreeArrays::new(data.n_features(), grower.n_outputs());
            grower.add_root(&mut tree);
            self.tree = tree;
            self.task = Some(data.task);
            self.data_fingerprint = fingerprint;
            self.complete = false;
            self.grower = Some(grower);
        } else if self.grower.as_ref().is_none_or(|g| g.fingerprint != fingerprint) {
            let weights = self.sample_weights(data)?;
            let grower = Grower::resume(data, self.impurity_for(data.task), self.limits(), weights, &self.tree)?;
            self.grower = Some(grower);
        }
        if let Some(grower) = self.grower.as_mut() {
            grower.split_next(&mut self.tree);
            if grower.is_done() {
                self.complete = true;
                self.grower = None;
            }
        }
        Ok(())
    }

    /// `n × 1` leaf means (regression) or `n × k` leaf class fractions (classification).
    fn predict(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        self.check_inputs(x)?;
        let n = x.nrows();
        let k = self.tree.n_outputs;
        let mut out = DMatrix::zeros(n, k);
        let o = out.as_mut_slice();
        let values = &self.tree.value;
        if k == 1 {
            self.tree.walk_rows(x.as_slice(), n, |row, leaf| {
                if let (Some(slot), Some(&v)) = (o.get_mut(row), values.get(leaf)) {
                    *slot = v;
                }
            });
        } else {
            self.tree.walk_rows(x.as_slice(), n, |row, leaf| {
                if let Some(v) = values.get(leaf * k..(leaf + 1) * k) {
                    for (c, &v) in v.iter().enumerate() {
                        if let Some(slot) = o.get_mut(c * n + row) {
                            *slot = v;
                        }
                    }
                }
            });
        }
        Ok(out)
    }

    /// `predict` straight from the caller's rows: one walk over all of them (the tree packed
    /// once, not once per block), each leaf's values written into its row of the answer.
    fn predict_rows(&self, x: &[f64], d: usize) -> Result<Vec<f64>> {
        let n = super::row_count(x, d)?;
        self.require_trained()?;
        self.check_width(d)?;
        let finite = x.chunks(256).all(|c| c.iter().fold(true, |ok, v| ok & v.is_finite()));
        if !finite {
            let row = x.iter().position(|v| !v.is_finite()).unwrap_or(0) / d;
            return Err(err!(InvalidData, "row_not_finite", row = row + 1));
        }
        let k = self.tree.n_outputs;
        let mut out = vec![0.0; n * k];
        let values = &self.tree.value;
        self.tree.walk_rows_row_major(x, n, |row, leaf| {
            if let (Some(slot), Some(v)) = (out.get_mut(row * k..(row + 1) * k), values.get(leaf * k..(leaf + 1) * k)) {
                slot.copy_from_slice(v);
            }
        });
        Ok(out)
    }

    /// The criterion as a loss on `data`, weighted by class weights: mean squared error
    /// (regression), mean Brier score `Σ_c (p_c − [y = c])²` (Gini) or mean log-loss in bits
    /// (entropy, probabilities clipped at 1e-15). On the training data this equals the
    /// weighted leaf impurity the tree minimises ([`DecisionTree::training_impurity`]).
    fn objective(&self, data: &Dataset) -> Result<f64> {
        if data.is_empty() {
            return Ok(0.0);
        }
        if self.task.is_some_and(|t| t != data.task) {
            return Err(err!(InvalidData, "tree_other_data"));
        }
        if data.x.nrows() != data.y.len() {
            return Err(err!(
                InvalidData,
                "internal",
                detail = "the dataset has different numbers of feature rows and targets"
            ));
        }
        let pred = self.predict(&data.x)?;
        let weights = self.sample_weights(data)?;
        let n = data.len();
        let mut loss = 0.0;
        for i in 0..n {
            let y = data.y[i];
            loss += weights[i]
                * match (data.task, self.params.criterion) {
                    (Task::Regression, _) => (pred[(i, 0)] - y) * (pred[(i, 0)] - y),
                    (Task::Classification { .. }, Criterion::Gini) => (0..pred.ncols())
                        .map(|c| {
                            let d = pred[(i, c)] - if c as f64 == y { 1.0 } else { 0.0 };
                            d * d
                        })
                        .sum(),
                    (Task::Classification { .. }, Criterion::Entropy) => {
                        let p = pred.get((i, y as usize)).copied().unwrap_or(0.0);
                        -p.max(1e-15).log2()
                    }
                };
        }
        Ok(loss / weights.iter().sum::<f64>())
    }

    fn is_trained(&self) -> bool {
        self.tree.node_count() > 0
    }

    fn is_finite(&self) -> bool {
        let t = &self.tree;
        t.threshold.iter().chain(&t.value).chain(&t.impurity).all(|v| v.is_finite())
    }

    fn summary(&self) -> Summary {
        if !self.is_trained() {
            return Summary::new("tree.not_grown");
        }
        let criterion = match (self.task, self.params.criterion) {
            (Some(Task::Regression), _) => "squared_error",
            (_, Criterion::Gini) => "gini",
            (_, Criterion::Entropy) => "entropy",
        };
        let (leaves, depth, impurity) = (self.n_leaves(), self.depth(), self.training_impurity());
        let t = &self.tree;
        let root_counts = match self.task {
            Some(Task::Classification { .. }) => {
                let total = t.weighted_n_node_samples.first().copied().unwrap_or(0.0);
                t.value.iter().take(t.n_outputs).map(|f| f * total).collect()
            }
            _ => Vec::new(),
        };
        let root_impurity = t.impurity.first().copied().unwrap_or(0.0);
        let mut parameters = vec![
            ("leaves".to_string(), leaves as f64),
            ("depth".to_string(), depth as f64),
            ("nodes".to_string(), self.node_count() as f64),
            (format!("leaf {criterion}"), impurity),
        ];
        for (f, v) in self.feature_importances().into_iter().enumerate() {
            parameters.push((format!("importance of x{}", f + 1), v));
        }
        Summary::new("tree")
            .with("leaves", leaves)
            .with("n", leaves)
            .with("depth", depth)
            .with("measure", criterion)
            .with("impurity", impurity)
            .formula(Formula::Tree {
                depth,
                leaves,
                nodes: self.node_count(),
                criterion: criterion.into(),
                impurity,
                root_counts,
                root_impurity,
            })
            .parameters(parameters)
    }
    /// Fills whole runs of pixels per leaf instead of walking the tree per pixel.
    fn grid_values(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        if self.is_trained() {
            DecisionTree::grid_values(self, xs, ys).ok()
        } else {
            super::predict_grid(self, xs, ys)
        }
    }
    /// The impurity decrease, as scikit-learn.
    fn feature_importances(&self) -> Option<Vec<f64>> {
        self.is_trained().then(|| DecisionTree::feature_importances(self))
    }
}
