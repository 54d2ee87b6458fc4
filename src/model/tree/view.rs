//! A tree's pictures as plain data: its diagram (linked to the plot through each point's leaf and
//! each node's region) and its cost-complexity pruning path. `render::tree_diagram` and
//! `render::charts` draw them.

use super::{Criterion, DecisionTree};
use crate::data::{Dataset, Task};
use crate::model::view::{FamilyView, PruningPath, TreeDiagram, TreeView, ViewContext, ViewKind};
use crate::model::Model;

impl TreeDiagram {
    /// The diagram of `tree` (empty if it is not grown yet). Missing feature names are `x1`, `x2`,
    /// …; missing class names `class 0`, `class 1`, … (the page words them in its language); for
    /// a regression tree the class names are ignored.
    pub fn new(tree: &DecisionTree, feature_names: &[String], class_names: &[String]) -> TreeDiagram {
        let nodes = tree.nodes();
        let n_features = tree.arrays().n_features;
        let feature_names =
            (0..n_features).map(|f| feature_names.get(f).cloned().unwrap_or_else(|| format!("x{}", f + 1))).collect();
        let (regression, class_names, impurity_name) = match tree.task() {
            Some(Task::Classification { n_classes }) => {
                let names = (0..n_classes).map(|c| class_names.get(c).cloned().unwrap_or_else(|| format!("class {c}")));
                let impurity = match tree.params().criterion {
                    Criterion::Gini => "gini",
                    Criterion::Entropy => "entropy",
                };
                (false, names.collect(), impurity)
            }
            Some(Task::Regression) => (true, Vec::new(), "mse"),
            None => (false, Vec::new(), "impurity"),
        };
        TreeDiagram { nodes, feature_names, class_names, regression, impurity_name: impurity_name.into() }
    }
}

/// Most α values a pruning path reports (long paths are thinned evenly).
const MAX_PRUNING_POINTS: usize = 60;

impl DecisionTree {
    /// The tree's pictures: its diagram and, once fully grown (or pruned by a chosen α), its
    /// pruning path.
    pub(super) fn family_view(&self, kind: ViewKind, ctx: &ViewContext) -> Option<FamilyView> {
        match kind {
            ViewKind::Tree if self.is_trained() => {
                let regions =
                    if ctx.data.n_features() == 2 { self.regions(&ctx.plane).unwrap_or_default() } else { Vec::new() };
                Some(FamilyView::Tree(Box::new(TreeView {
                    diagram: TreeDiagram::new(self, ctx.feature_names, ctx.class_names),
                    leaves: self.apply(&ctx.data.x).unwrap_or_default(),
                    regions,
                })))
            }
            ViewKind::Pruning => self.pruning_view(ctx).map(FamilyView::Pruning),
            _ => None,
        }
    }

    fn pruning_view(&self, ctx: &ViewContext) -> Option<PruningPath> {
        let chosen = self.params().ccp_alpha;
        if !self.is_trained() || !(self.is_complete() || ctx.epoch > 0 && chosen > 0.0) {
            return None;
        }
        let (alphas, _) = self.pruning_path();
        let step = alphas.len().div_ceil(MAX_PRUNING_POINTS).max(1);
        let mut path = PruningPath { alphas: Vec::new(), train: Vec::new(), test: Vec::new(), chosen };
        let score = |m: &DecisionTree, d: &Dataset| -> f64 {
            if d.is_empty() {
                return f64::NAN;
            }
            match m.predict(&d.x) {
                Ok(p) if d.task == Task::Regression => {
                    crate::metrics::r2(d.y.as_slice(), p.as_slice()).unwrap_or(f64::NAN)
                }
                Ok(p) => crate::metrics::accuracy(d.y.as_slice(), &crate::metrics::predicted_classes(&p)),
                Err(_) => f64::NAN,
            }
        };
        for (k, &alpha) in alphas.iter().enumerate() {
            if k % step != 0 && k + 1 != alphas.len() {
                continue;
            }
            let Ok(pruned) = self.pruned(alpha.max(0.0)) else { continue };
            path.alphas.push(alpha.max(0.0));
            path.train.push(score(&pruned, ctx.train));
            path.test.push(score(&pruned, ctx.test));
        }
        Some(path)
    }
}
