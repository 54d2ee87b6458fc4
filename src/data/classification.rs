//! Seeded two-feature classification datasets: circle, xor, blobs, spiral, moons, separable and
//! imbalanced.
//!
//! Every set has two features on [-5, 5]² (points pushed outside by noise are clamped back to the
//! square) and class labels `0.0, 1.0, …`. `noise` runs from 0 (clean) to 1 (heavy): it jitters
//! the points (or, for `separable`, narrows the gap between the classes) so that the classes
//! overlap more. Balanced sets give class `i % k` to point `i`, so class counts differ by at most
//! one.

use super::kinds::DatasetKind;
use super::{gaussian, rng, Dataset, Rng, Task};
use crate::error::Result;
use nalgebra::{DMatrix, DVector};
use rand::seq::SliceRandom;
use rand::RngExt;
use std::f64::consts::PI;

/// Half-width of the square every point lies in.
pub const EXTENT: f64 = 5.0;

/// Makes `n` points of the classification set `kind`. `classes` (2–5) is used by `blobs` and
/// `spiral`; `ratio` (minority / majority count, in (0, 1]) by `imbalanced`. The caller
/// ([`super::generate::generate`]) has checked the ranges.
pub fn generate(kind: DatasetKind, n: usize, noise: f64, classes: usize, ratio: f64, seed: u64) -> Result<Dataset> {
    let mut r = rng(seed);
    let mut points = Vec::with_capacity(2 * n);
    let mut labels = Vec::with_capacity(n);
    let k = classes.clamp(2, 5);
    match kind {
        DatasetKind::Circle => {
            // Class 0: a disc of radius 2 around the origin; class 1: a ring from radius 3 to 4.5.
            for i in 0..n {
                let class = i % 2;
                let radius = if class == 0 { 2.0 * r.random::<f64>().sqrt() } else { r.random_range(3.0..4.5) };
                let angle = r.random_range(0.0..2.0 * PI);
                let sigma = 0.8 * noise;
                push(
                    &mut points,
                    radius * angle.cos() + sigma * gaussian(&mut r),
                    radius * angle.sin() + sigma * gaussian(&mut r),
                );
                labels.push(class as f64);
            }
        }
        DatasetKind::Xor => {
            // Class 1 where x1 and x2 have the same sign, class 0 where they differ; points keep
            // 0.3 away from the axes before the noise.
            for i in 0..n {
                let class = i % 2;
                let sign = if r.random_bool(0.5) { 1.0 } else { -1.0 };
                let a = r.random_range(0.3..EXTENT);
                let b = r.random_range(0.3..EXTENT);
                let second_sign = if class == 1 { sign } else { -sign };
                let sigma = noise;
                push(&mut points, sign * a + sigma * gaussian(&mut r), second_sign * b + sigma * gaussian(&mut r));
                labels.push(class as f64);
            }
        }
        DatasetKind::Blobs => {
            // k Gaussian clouds whose centres sit evenly on a circle of radius 3.
            let sigma = 0.5 + noise;
            for i in 0..n {
                let class = i % k;
                let angle = 2.0 * PI * class as f64 / k as f64 + PI / 4.0;
                push(
                    &mut points,
                    3.0 * angle.cos() + sigma * gaussian(&mut r),
                    3.0 * angle.sin() + sigma * gaussian(&mut r),
                );
                labels.push(class as f64);
            }
        }
        DatasetKind::Spiral => {
            // k interleaved arms of 1.5 turns each, radius growing from 0.4 to 4.5.
            let sigma = 0.5 * noise;
            for i in 0..n {
                let class = i % k;
                let t: f64 = r.random();
                let radius = 0.4 + 4.1 * t;
                let angle = 2.0 * PI * class as f64 / k as f64 + 1.5 * 2.0 * PI * t;
                push(
                    &mut points,
                    radius * angle.cos() + sigma * gaussian(&mut r),
                    radius * angle.sin() + sigma * gaussian(&mut r),
                );
                labels.push(class as f64);
            }
        }
        DatasetKind::Moons => {
            // scikit-learn's two moons (upper: (cos θ, sin θ); lower: (1 − cos θ, 0.5 − sin θ)),
            // centred and scaled by 3 to x1 ∈ [-4.5, 4.5], x2 ∈ [-2.25, 2.25].
            let sigma = 0.3 * noise;
            for i in 0..n {
                let class = i % 2;
                let theta = r.random_range(0.0..=PI);
                let (u, v) =
                    if class == 0 { (theta.cos(), theta.sin()) } else { (1.0 - theta.cos(), 0.5 - theta.sin()) };
                let u = u + sigma * gaussian(&mut r);
                let v = v + sigma * gaussian(&mut r);
                push(&mut points, 3.0 * (u - 0.5), 3.0 * (v - 0.25));
                labels.push(class as f64);
            }
        }
        DatasetKind::Separable => separable(&mut r, n, noise, &mut points, &mut labels),
        DatasetKind::Imbalanced => imbalanced(&mut r, n, noise, ratio, &mut points, &mut labels),
        _ => {
            return Err(err!(InvalidParameter, "not_classification_kind"));
        }
    }
    let n_classes = match kind {
        DatasetKind::Blobs | DatasetKind::Spiral => k,
        _ => 2,
    };
    Dataset::new(DMatrix::from_row_slice(n, 2, &points), DVector::from_vec(labels), Task::Classification { n_classes })
}

/// Appends the point `(x1, x2)` clamped to the square.
fn push(points: &mut Vec<f64>, x1: f64, x2: f64) {
    points.push(x1.clamp(-EXTENT, EXTENT));
    points.push(x2.clamp(-EXTENT, EXTENT));
}

/// Two classes on either side of a random line, with an empty band between them of half-width
/// `0.1 + 1.5 · (1 − noise)`: linearly separable at every noise level.
fn separable(r: &mut Rng, n: usize, noise: f64, points: &mut Vec<f64>, labels: &mut Vec<f64>) {
    let direction = r.random_range(0.0..2.0 * PI);
    let (u1, u2) = (direction.cos(), direction.sin());
    let offset = r.random_range(-1.0..1.0);
    let margin = 0.1 + 1.5 * (1.0 - noise);
    for i in 0..n {
        let class = i % 2;
        let side = if class == 1 { 1.0 } else { -1.0 };
        // Rejection sampling: each side keeps at least a fifth of the square, so 10 000 tries
        // never run out in practice; the fallback point keeps the loop bounded regardless.
        let mut point = ((offset + side * (margin + 1.0)) * u1, (offset + side * (margin + 1.0)) * u2);
        for _ in 0..10_000 {
            let x1 = r.random_range(-EXTENT..=EXTENT);
            let x2 = r.random_range(-EXTENT..=EXTENT);
            if side * (u1 * x1 + u2 * x2 - offset) >= margin {
                point = (x1, x2);
                break;
            }
        }
        push(points, point.0, point.1);
        labels.push(class as f64);
    }
}

/// Number of minority points among `n` when minority / majority = `ratio`: at least one as soon
/// as there are two points, so both classes are present.
pub fn minority_count(n: usize, ratio: f64) -> usize {
    if n < 2 {
        return 0;
    }
    let exact = n as f64 * ratio / (1.0 + ratio);
    (exact.round() as usize).clamp(1, n / 2)
}

/// Two overlapping Gaussian clouds: class 0 (the majority) around (-1, -1), class 1 (the
/// minority) around (1.5, 1.5), with minority / majority = `ratio`.
fn imbalanced(r: &mut Rng, n: usize, noise: f64, ratio: f64, points: &mut Vec<f64>, labels: &mut Vec<f64>) {
    let minority = minority_count(n, ratio);
    let mut classes: Vec<usize> = (0..n).map(|i| usize::from(i < minority)).collect();
    classes.shuffle(r);
    for class in classes {
        let (centre, sigma) = if class == 1 { (1.5, 0.8 + 0.8 * noise) } else { (-1.0, 1.2 + 0.8 * noise) };
        push(points, centre + sigma * gaussian(r), centre + sigma * gaussian(r));
        labels.push(class as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::generate::{generate, DataSpec};

    const KINDS: [DatasetKind; 7] = [
        DatasetKind::Circle,
        DatasetKind::Xor,
        DatasetKind::Blobs,
        DatasetKind::Spiral,
        DatasetKind::Moons,
        DatasetKind::Separable,
        DatasetKind::Imbalanced,
    ];

    fn spec(kind: DatasetKind, n: usize, noise: f64, seed: u32, classes: usize) -> DataSpec {
        DataSpec { kind, n, noise, seed, classes, ratio: 0.25, ..DataSpec::default() }
    }

    fn counts(d: &Dataset) -> Vec<usize> {
        let Task::Classification { n_classes } = d.task else { panic!("not classification") };
        let mut c = vec![0; n_classes];
        for &y in d.y.iter() {
            c[y as usize] += 1;
        }
        c
    }

    #[test]
    fn seeded_in_range_and_labelled() {
        for kind in KINDS {
            for noise in [0.0, 0.5, 1.0] {
                let a = generate(&spec(kind, 301, noise, 7, 3)).unwrap();
                assert_eq!(a, generate(&spec(kind, 301, noise, 7, 3)).unwrap(), "{kind:?} not seeded");
                assert_ne!(a, generate(&spec(kind, 301, noise, 8, 3)).unwrap(), "{kind:?} ignores the seed");
                assert_eq!(a.x.shape(), (301, 2));
                assert!(a.x.iter().all(|v| (-EXTENT..=EXTENT).contains(v)), "{kind:?} out of range");
                assert_eq!(a.task, spec(kind, 301, noise, 7, 3).task());
                assert_eq!(a.task, kind.task_with(3));
                assert!(kind.is_classification());
                // The points spread over the square rather than collapsing to a line or a point.
                for j in 0..2 {
                    let col = a.x.column(j);
                    assert!(col.max() - col.min() > 3.0, "{kind:?} column {j} too narrow");
                }
            }
            assert!(generate(&spec(kind, 0, 0.1, 1, 2)).unwrap().is_empty());
        }
    }

    #[test]
    fn balanced_class_counts() {
        for kind in [DatasetKind::Circle, DatasetKind::Xor, DatasetKind::Moons, DatasetKind::Separable] {
            assert_eq!(counts(&generate(&spec(kind, 101, 0.2, 1, 4)).unwrap()), vec![51, 50], "{kind:?}");
        }
        for k in 2..=5 {
            for kind in [DatasetKind::Blobs, DatasetKind::Spiral] {
                let c = counts(&generate(&spec(kind, 103, 0.2, 1, k)).unwrap());
                assert_eq!(c.len(), k);
                assert_eq!(c.iter().sum::<usize>(), 103);
                assert!(c.iter().max().unwrap() - c.iter().min().unwrap() <= 1, "{kind:?} {c:?}");
            }
        }
    }

    #[test]
    fn imbalance_ratio_is_honoured() {
        for (n, ratio, minority) in
            [(1000, 0.25, 200), (1000, 1.0, 500), (5000, 0.01, 50), (101, 0.1, 9), (10, 0.01, 1)]
        {
            let d = generate(&DataSpec {
                kind: DatasetKind::Imbalanced,
                n,
                noise: 0.3,
                seed: 2,
                classes: 2,
                ratio,
                ..DataSpec::default()
            })
            .unwrap();
            assert_eq!(counts(&d), vec![n - minority, minority], "n {n} ratio {ratio}");
        }
        assert!((minority_count(1000, 0.25) as f64 / 800.0 - 0.25).abs() < 1e-12);
        assert_eq!(minority_count(1, 0.5), 0);
    }

    /// Leave-one-out 1-nearest-neighbour accuracy: high when each class forms its own region.
    fn nearest_neighbour_accuracy(d: &Dataset) -> f64 {
        let n = d.len();
        let mut right = 0;
        for i in 0..n {
            let mut best = (f64::INFINITY, 0.0);
            for j in (0..n).filter(|&j| j != i) {
                let dist = (d.x[(i, 0)] - d.x[(j, 0)]).powi(2) + (d.x[(i, 1)] - d.x[(j, 1)]).powi(2);
                if dist < best.0 {
                    best = (dist, d.y[j]);
                }
            }
            right += usize::from(best.1 == d.y[i]);
        }
        right as f64 / n as f64
    }

    #[test]
    fn spiral_arms_are_distinct() {
        for k in 2..=5 {
            let d = generate(&spec(DatasetKind::Spiral, 1000, 0.0, 3, k)).unwrap();
            assert!(nearest_neighbour_accuracy(&d) > 0.97, "{k} arms");
            // Each arm starts at its own angle: the innermost points of different arms differ.
            let mut starts = Vec::new();
            for c in 0..k {
                let (i, _) = (0..d.len())
                    .filter(|&i| d.y[i] == c as f64)
                    .map(|i| (i, d.x[(i, 0)].hypot(d.x[(i, 1)])))
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .unwrap();
                starts.push(d.x[(i, 1)].atan2(d.x[(i, 0)]));
            }
            for a in 0..k {
                for b in a + 1..k {
                    let gap = (starts[a] - starts[b]).rem_euclid(2.0 * PI);
                    assert!(gap.min(2.0 * PI - gap) > PI / k as f64, "arms {a} and {b} start together");
                }
            }
        }
    }

    #[test]
    fn clean_sets_have_their_shapes() {
        let circle = generate(&spec(DatasetKind::Circle, 400, 0.0, 5, 2)).unwrap();
        for i in 0..circle.len() {
            let radius = circle.x[(i, 0)].hypot(circle.x[(i, 1)]);
            assert_eq!(circle.y[i], if radius <= 2.0 { 0.0 } else { 1.0 });
            assert!(radius <= 2.0 || (3.0..=4.5).contains(&radius));
        }
        let xor = generate(&spec(DatasetKind::Xor, 400, 0.0, 5, 2)).unwrap();
        for i in 0..xor.len() {
            assert_eq!(xor.y[i], if xor.x[(i, 0)] * xor.x[(i, 1)] > 0.0 { 1.0 } else { 0.0 });
        }
        for kind in [DatasetKind::Blobs, DatasetKind::Moons] {
            let d = generate(&spec(kind, 600, 0.0, 5, 4)).unwrap();
            assert!(nearest_neighbour_accuracy(&d) > 0.97, "{kind:?}");
        }
        // Heavy noise mixes the classes of every jittered set.
        let noisy = generate(&spec(DatasetKind::Circle, 600, 1.0, 5, 2)).unwrap();
        assert!(nearest_neighbour_accuracy(&noisy) < 0.97);
    }

    #[test]
    fn separable_is_linearly_separable_at_every_noise() {
        for noise in [0.0, 0.5, 1.0] {
            for seed in 1..4 {
                let d = generate(&spec(DatasetKind::Separable, 300, noise, seed, 2)).unwrap();
                // The perceptron stops making mistakes exactly when the data are linearly separable.
                let mut w = [0.0; 3];
                let mut clean_epoch = false;
                for _ in 0..20_000 {
                    let mut mistakes = 0;
                    for i in 0..d.len() {
                        let t = if d.y[i] == 1.0 { 1.0 } else { -1.0 };
                        let z = w[0] * d.x[(i, 0)] + w[1] * d.x[(i, 1)] + w[2];
                        if t * z <= 0.0 {
                            w[0] += t * d.x[(i, 0)];
                            w[1] += t * d.x[(i, 1)];
                            w[2] += t;
                            mistakes += 1;
                        }
                    }
                    if mistakes == 0 {
                        clean_epoch = true;
                        break;
                    }
                }
                assert!(clean_epoch, "noise {noise} seed {seed} not separable");
            }
        }
    }

    #[test]
    fn regression_kinds_are_refused_here() {
        assert!(super::generate(DatasetKind::Sine, 10, 0.1, 2, 0.5, 1).is_err());
    }
}
