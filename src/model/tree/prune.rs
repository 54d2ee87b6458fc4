//! Minimal cost-complexity pruning (Breiman et al., CART ch. 3; scikit-learn's
//! `cost_complexity_pruning_path` and `ccp_alpha`).
//!
//! With `R(t) = N_t/N · i(t)` the weighted impurity of node `t` and `R(T_t)` the sum of `R` over
//! the leaves below `t`, the weakest link is the internal node with the smallest effective alpha
//! `(R(t) − R(T_t)) / (|leaves(T_t)| − 1)`; it is cut (made a leaf) and the search repeats until
//! only the root is left. Ties go to the lowest node id, as in scikit-learn's linear scan; a heap
//! with lazy deletion finds the same node in `O(log n)` instead of scanning every node.

use super::arrays::TreeArrays;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// What pruning produced: the path (every effective alpha with the total leaf impurity after
/// cutting at it, starting with `(0, impurity of the whole tree)`) and the nodes that are leaves
/// of the tree pruned at the requested alpha.
pub struct Pruning {
    pub ccp_alphas: Vec<f64>,
    pub impurities: Vec<f64>,
    pub leaf: Vec<bool>,
}

#[derive(Clone, Copy)]
struct Candidate(f64, usize);

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

/// Cuts weakest links while their effective alpha is at most `stop_above` (all of them, down to
/// the root, with `f64::INFINITY`). The tree must be valid (children after parents).
pub fn cost_complexity(tree: &TreeArrays, stop_above: f64) -> Pruning {
    let n = tree.node_count();
    let mut out = Pruning { ccp_alphas: Vec::new(), impurities: Vec::new(), leaf: vec![true; n] };
    if n == 0 {
        return out;
    }
    let total_weight = tree.weighted_n_node_samples[0];
    let r_node: Vec<f64> = (0..n).map(|i| tree.weighted_n_node_samples[i] * tree.impurity[i] / total_weight).collect();
    let (parent, _) = tree.parents_and_depths();
    let mut n_leaves = vec![0usize; n];
    let mut r_branch = vec![0.0; n];
    let mut leaf: Vec<bool> = (0..n).map(|i| tree.is_leaf(i)).collect();
    for l in (0..n).filter(|&i| leaf[i]) {
        r_branch[l] = r_node[l];
        let mut node = l;
        while let Some(p) = parent[node] {
            r_branch[p] += r_node[l];
            n_leaves[p] += 1;
            node = p;
        }
    }
    let mut candidate: Vec<bool> = leaf.iter().map(|&l| !l).collect();
    let mut in_subtree = vec![true; n];
    let alpha = |i: usize, r_branch: &[f64], n_leaves: &[usize]| (r_node[i] - r_branch[i]) / (n_leaves[i] - 1) as f64;
    let mut heap: BinaryHeap<Reverse<Candidate>> =
        (0..n).filter(|&i| candidate[i]).map(|i| Reverse(Candidate(alpha(i, &r_branch, &n_leaves), i))).collect();
    out.ccp_alphas.push(0.0);
    out.impurities.push(r_branch[0]);
    let mut stack = Vec::new();
    while candidate[0] {
        let Some(Reverse(Candidate(effective_alpha, cut))) = heap.pop() else {
            break;
        };
        // skip entries of nodes already cut or whose alpha has changed since
        if !candidate[cut] || alpha(cut, &r_branch, &n_leaves).to_bits() != effective_alpha.to_bits() {
            continue;
        }
        if stop_above < effective_alpha {
            break;
        }
        stack.push(cut);
        while let Some(node) = stack.pop() {
            if !in_subtree[node] {
                continue;
            }
            candidate[node] = false;
            leaf[node] = false;
            in_subtree[node] = false;
            if !tree.is_leaf(node) {
                stack.push(tree.children_left[node] as usize);
                stack.push(tree.children_right[node] as usize);
            }
        }
        leaf[cut] = true;
        in_subtree[cut] = true;
        let n_pruned_leaves = n_leaves[cut] - 1;
        n_leaves[cut] = 0;
        let r_diff = r_node[cut] - r_branch[cut];
        r_branch[cut] = r_node[cut];
        let mut node = cut;
        while let Some(p) = parent[node] {
            n_leaves[p] -= n_pruned_leaves;
            r_branch[p] += r_diff;
            node = p;
        }
        let mut node = cut;
        while let Some(p) = parent[node] {
            heap.push(Reverse(Candidate(alpha(p, &r_branch, &n_leaves), p)));
            node = p;
        }
        out.ccp_alphas.push(effective_alpha);
        out.impurities.push(r_branch[0]);
    }
    // nodes below a cut are not in the pruned tree; `leaf` marks the pruned tree's leaves
    for i in 0..n {
        out.leaf[i] = leaf[i] && in_subtree[i];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// root (impurity 0.5, 4 samples) → leaf A (0.0, 2 samples) and node B (2 samples) → two
    /// pure leaves; B's impurity is `b`.
    fn tree(b: f64) -> TreeArrays {
        let mut t = TreeArrays::new(1, 2);
        t.push_leaf(0.5, 4, 4.0, &[0.5, 0.5]);
        t.push_leaf(0.0, 2, 2.0, &[1.0, 0.0]);
        t.push_leaf(b, 2, 2.0, &[0.0, 1.0]);
        t.set_split(0, 0, 1.0, 1, 2);
        t.push_leaf(0.0, 1, 1.0, &[0.0, 1.0]);
        t.push_leaf(0.0, 1, 1.0, &[0.0, 1.0]);
        t.set_split(2, 0, 2.0, 3, 4);
        t
    }

    #[test]
    fn hand_computed_path() {
        // R(root) = 0.5, R(B) = 2·0.4/4 = 0.2, all leaves pure: α_B = 0.2/1, α_root = 0.5/2.
        // After cutting B, R(T_root) = 0.2 with 2 leaves: α_root = (0.5 − 0.2)/1 = 0.3.
        let t = tree(0.4);
        let p = cost_complexity(&t, f64::INFINITY);
        assert_eq!(p.ccp_alphas, vec![0.0, 0.2, 0.3]);
        assert!((p.impurities[1] - 0.2).abs() < 1e-15);
        assert_eq!(p.impurities[0], 0.0);
        assert_eq!(p.impurities[2], 0.5);
        assert_eq!(cost_complexity(&t, 0.19).leaf, vec![false, true, false, true, true]);
        assert_eq!(
            cost_complexity(&t, 0.2).leaf,
            vec![false, true, true, false, false],
            "alpha equal to a link cuts it"
        );
        assert_eq!(cost_complexity(&t, 0.3).leaf, vec![true, false, false, false, false]);
    }

    #[test]
    fn equal_alphas_cut_the_lowest_id_first() {
        // with b = 0.5: α_B = 0.25/1 and α_root = 0.5/2 tie; the root (id 0) goes first.
        let p = cost_complexity(&tree(0.5), f64::INFINITY);
        assert_eq!(p.ccp_alphas, vec![0.0, 0.25]);
        assert_eq!(p.impurities, vec![0.0, 0.5]);
    }
}
