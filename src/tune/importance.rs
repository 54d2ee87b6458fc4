//! Which searched settings mattered: fANOVA main effects on a random forest fitted to the trials
//! (the method of Hutter, Hoos and Leyton-Brown 2014, as Optuna's `FanovaImportanceEvaluator` uses
//! it: 64 regression trees, bootstrap samples, depth up to 64).
//!
//! The forest (this crate's own, [`crate::model::forest`]) learns each trial's score from its unit
//! coordinates ([`Space::to_unit`]; failed trials left out). A tree is a piecewise-constant function
//! on the unit cube, so its functional ANOVA is exact: the variance of the tree over the cube, and
//! for each setting the variance of its *main effect* (the tree averaged over every other setting,
//! as a function of that setting alone). A setting's importance in a tree is the share of the
//! tree's variance its main effect explains; the forest's is the mean over its trees, and the
//! importances are normalised to sum to 1 (interactions, what no single setting explains, are
//! left out, so an objective that is pure interaction shares it equally).

use super::space::{Setting, Space};
use crate::data::{Dataset, Task};
use crate::error::Result;
use crate::model::forest::{FeatureRule, ForestParams, MaxFeatures};
use crate::model::{Hyperparams, Model};
use nalgebra::{DMatrix, DVector};

/// A box of the unit cube (one `(low, high)` per coordinate) and the tree's value on it.
pub type Leaf = (Vec<(f64, f64)>, f64);

/// The share of a piecewise-constant function's variance over the unit cube that each
/// coordinate's main effect explains, from its leaves (boxes that tile the cube). `None` when
/// the function is constant.
pub fn main_effects(leaves: &[Leaf], dim: usize) -> Option<Vec<f64>> {
    let volume = |b: &[(f64, f64)]| b.iter().map(|(lo, hi)| (hi - lo).max(0.0)).product::<f64>();
    let mean: f64 = leaves.iter().map(|(b, v)| volume(b) * v).sum();
    let total: f64 = leaves.iter().map(|(b, v)| volume(b) * (v - mean).powi(2)).sum();
    if !(total > 1e-300) {
        return None;
    }
    let shares = (0..dim)
        .map(|i| {
            let mut cuts: Vec<f64> = leaves.iter().flat_map(|(b, _)| [b[i].0, b[i].1]).collect();
            cuts.push(0.0);
            cuts.push(1.0);
            cuts.sort_by(f64::total_cmp);
            cuts.dedup();
            let mut explained = 0.0;
            for w in cuts.windows(2) {
                let (lo, hi) = (w[0], w[1]);
                if hi <= lo {
                    continue;
                }
                let mid = 0.5 * (lo + hi);
                // the tree averaged over the other coordinates, at coordinate i = mid
                let effect: f64 = leaves
                    .iter()
                    .filter(|(b, _)| b[i].0 <= mid && mid < b[i].1)
                    .map(|(b, v)| v * volume(b) / (b[i].1 - b[i].0))
                    .sum();
                explained += (hi - lo) * (effect - mean).powi(2);
            }
            explained / total
        })
        .collect();
    Some(shares)
}

/// The importance of each searched setting (one per parameter of `space`, summing to 1; all
/// zero when fewer than two trials have a score or every score is the same), from the trials'
/// settings and scores (`None` for a failed trial). `seed` seeds the forest.
pub fn importance(
    space: &Space,
    settings: &[Vec<Option<Setting>>],
    scores: &[Option<f64>],
    seed: u64,
) -> Result<Vec<f64>> {
    let d = space.dim();
    let rows: Vec<(Vec<f64>, f64)> = settings
        .iter()
        .zip(scores)
        .filter_map(|(s, score)| score.filter(|v| v.is_finite()).map(|v| (space.to_unit(s), v)))
        .collect();
    let zeros = vec![0.0; d];
    if rows.len() < 2 || rows.iter().all(|(_, v)| *v == rows[0].1) {
        return Ok(zeros);
    }
    let x = DMatrix::from_fn(rows.len(), d, |r, c| rows[r].0[c]);
    let y = DVector::from_iterator(rows.len(), rows.iter().map(|(_, v)| *v));
    let data = Dataset::new(x, y, Task::Regression)?;
    let params = ForestParams {
        n_estimators: 64,
        bootstrap: true,
        max_features: MaxFeatures::Rule(FeatureRule::All),
        max_depth: Some(64),
        min_samples_leaf: 1,
        ..ForestParams::default()
    };
    let mut forest = params.build(seed)?;
    forest.fit(&data)?;
    let mut sum = vec![0.0; d];
    let mut trees = 0;
    for t in forest.trees() {
        let m = t.features.len();
        let regions = t.tree.regions(&vec![(0.0, 1.0); m])?;
        let arrays = t.tree.arrays();
        let leaves: Vec<Leaf> = (0..arrays.node_count())
            .filter(|&node| arrays.is_leaf(node))
            .filter_map(|node| Some((regions.get(node)?.clone(), *arrays.value.get(node * arrays.n_outputs)?)))
            .collect();
        if let Some(shares) = main_effects(&leaves, m) {
            trees += 1;
            for (j, share) in shares.into_iter().enumerate() {
                if let Some(slot) = t.features.get(j).and_then(|&f| sum.get_mut(f)) {
                    *slot += share;
                }
            }
        }
    }
    let total: f64 = sum.iter().sum();
    if trees == 0 || !(total > 0.0) {
        return Ok(zeros);
    }
    Ok(sum.into_iter().map(|v| v / total).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::rng;
    use crate::tune::space::Param;
    use rand::RngExt;

    #[test]
    fn main_effects_of_an_and_split_their_variance_in_thirds() {
        // f = 1 where x₀ > ½ and x₁ > ½, else 0: mean ¼, variance 3/16; each main effect is
        // ½·1[x > ½], of variance 1/16, so each explains a third (the interaction the last third).
        let leaves: Vec<Leaf> = vec![
            (vec![(0.0, 0.5), (0.0, 1.0)], 0.0),
            (vec![(0.5, 1.0), (0.0, 0.5)], 0.0),
            (vec![(0.5, 1.0), (0.5, 1.0)], 1.0),
        ];
        let shares = main_effects(&leaves, 2).unwrap();
        assert!((shares[0] - 1.0 / 3.0).abs() < 1e-12 && (shares[1] - 1.0 / 3.0).abs() < 1e-12, "{shares:?}");
        // an additive function: f = x-step on coordinate 0 only explains everything there
        let additive: Vec<Leaf> = vec![(vec![(0.0, 0.25), (0.0, 1.0)], 2.0), (vec![(0.25, 1.0), (0.0, 1.0)], -1.0)];
        assert_eq!(main_effects(&additive, 2).unwrap(), vec![1.0, 0.0]);
        assert_eq!(main_effects(&[(vec![(0.0, 1.0)], 3.0)], 1), None);
    }

    #[test]
    fn only_the_setting_that_matters_is_important() {
        // 60 random trials over three settings; the score depends on the learning rate alone
        let space = Space::new(vec![
            Param::log_uniform("train.learning_rate", 1e-4, 1.0),
            Param::int("max_depth", 1, 12),
            Param::uniform("alpha", 0.0, 1.0),
        ])
        .unwrap();
        let mut r = rng(7);
        let mut settings = Vec::new();
        let mut scores = Vec::new();
        for _ in 0..60 {
            let unit: Vec<f64> = (0..3).map(|_| r.random::<f64>()).collect();
            let point = space.decode(0, &unit);
            let Some(Setting::Real(lr)) = point.values[0] else { panic!() };
            scores.push(Some((lr.log10() + 2.0).powi(2)));
            settings.push(point.values);
        }
        let imp = importance(&space, &settings, &scores, 1).unwrap();
        assert!((imp.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{imp:?}");
        assert!(imp[0] > 0.9 && imp[1] < 0.05 && imp[2] < 0.05, "{imp:?}");
        println!("importances (only the rate matters): {imp:?}");
        // the same trials, the same importances (seeded)
        assert_eq!(importance(&space, &settings, &scores, 1).unwrap(), imp);
        // a failed trial is left out; too few scores give zeros
        let mut with_failure = scores.clone();
        with_failure[3] = None;
        assert!(importance(&space, &settings, &with_failure, 1).unwrap()[0] > 0.9);
        assert_eq!(importance(&space, &settings[..1], &scores[..1], 1).unwrap(), vec![0.0; 3]);
        assert_eq!(importance(&space, &settings, &vec![Some(0.5); 60], 1).unwrap(), vec![0.0; 3]);
    }
}
