//! Class-imbalance resampling: counts, geometry of SMOTE points, seeding, and balanced weights
//! against scikit-learn.

use ml_playground::data::resample::*;
use ml_playground::data::{rng, Dataset, Task};
use rand::RngExt;

/// 60 rows of class 0, 15 of class 1, 5 of class 2, in 2-D.
fn imbalanced() -> Dataset {
    let mut r = rng(11);
    let (mut rows, mut y) = (Vec::new(), Vec::new());
    for (class, count) in [(0, 60), (1, 15), (2, 5)] {
        for _ in 0..count {
            rows.extend([class as f64 * 3.0 + r.random_range(-1.0..1.0), r.random_range(-1.0..1.0)]);
            y.push(class as f64);
        }
    }
    Dataset::from_rows(&rows, 2, &y, Task::Classification { n_classes: 3 }).unwrap()
}

fn counts(d: &Dataset) -> Vec<usize> {
    (0..3).map(|c| d.y.iter().filter(|&&v| v == c as f64).count()).collect()
}

#[test]
fn under_sampling_keeps_every_minority_row() {
    let d = imbalanced();
    let out = random_under_sample(&d, 1).unwrap();
    assert_eq!(counts(&out.data), vec![5, 5, 5]);
    for i in 75..80 {
        assert!(out.source.contains(&i), "minority row {i} dropped");
    }
    assert!(out.synthetic.iter().all(|s| !s));
    for (k, &i) in out.source.iter().enumerate() {
        assert_eq!(out.data.x.row(k), d.x.row(i));
    }
    assert_eq!(random_under_sample(&d, 1).unwrap(), out);
    assert_ne!(random_under_sample(&d, 2).unwrap().source, out.source);
}

#[test]
fn over_sampling_copies_rows() {
    let d = imbalanced();
    let out = random_over_sample(&d, 1).unwrap();
    assert_eq!(counts(&out.data), vec![60, 60, 60]);
    assert_eq!(&out.source[..80], &(0..80).collect::<Vec<_>>()[..]);
    for (k, &i) in out.source.iter().enumerate() {
        assert_eq!(out.data.x.row(k), d.x.row(i));
        assert_eq!(out.data.y[k], d.y[i]);
    }
    assert_eq!(random_over_sample(&d, 1).unwrap(), out);
}

#[test]
fn smote_points_lie_on_segments_to_nearest_neighbours() {
    let d = imbalanced();
    let k = 3;
    let out = smote(&d, k, 7).unwrap();
    assert_eq!(counts(&out.data), vec![60, 60, 60]);
    assert_eq!(out.synthetic.iter().filter(|&&s| s).count(), 45 + 55);
    assert!(out.synthetic[..80].iter().all(|s| !s) && out.synthetic[80..].iter().all(|&s| s));
    assert_eq!(out.data.x.rows(0, 80), d.x);
    for t in 80..out.data.len() {
        let class = out.data.y[t];
        let p = out.data.x.row(t);
        // Independent check: some row a of the class and one of a's k nearest rows of the class
        // (brute force here) span a segment through p.
        let members: Vec<usize> = (0..80).filter(|&i| d.y[i] == class).collect();
        let on_segment = members.iter().any(|&a| {
            let mut others: Vec<(f64, usize)> =
                members.iter().filter(|&&b| b != a).map(|&b| ((d.x.row(b) - d.x.row(a)).norm(), b)).collect();
            others.sort_by(|x, y| x.0.total_cmp(&y.0));
            others.iter().take(k).any(|&(_, b)| {
                let (pa, ab) = (p - d.x.row(a), d.x.row(b) - d.x.row(a));
                let u = pa.dot(&ab) / ab.norm_squared();
                (0.0..=1.0).contains(&u) && (pa - ab * u).norm() < 1e-9
            })
        });
        assert!(on_segment, "synthetic row {t} is not between a point and one of its {k} nearest neighbours");
        assert_eq!(d.y[out.source[t]], class);
    }
    assert_eq!(smote(&d, k, 7).unwrap(), out);
    assert_ne!(smote(&d, k, 8).unwrap().data.x, out.data.x);
}

#[test]
fn smote_and_resampling_errors() {
    let one = Dataset::from_rows(&[0.0, 1.0, 2.0], 1, &[0.0, 0.0, 1.0], Task::Classification { n_classes: 2 }).unwrap();
    assert!(smote(&one, 5, 1).unwrap_err().to_string().contains("single row"));
    assert!(smote(&imbalanced(), 0, 1).is_err());
    let regression = Dataset::from_rows(&[0.0, 1.0], 1, &[0.0, 1.0], Task::Regression).unwrap();
    assert!(random_under_sample(&regression, 1).is_err());
    // With fewer rows than k, SMOTE uses every other row of the class.
    let two = Dataset::from_rows(
        &[0.0, 1.0, 5.0, 6.0, 7.0, 8.0],
        1,
        &[0.0, 0.0, 1.0, 1.0, 1.0, 1.0],
        Task::Classification { n_classes: 2 },
    )
    .unwrap();
    let out = smote(&two, 5, 3).unwrap();
    assert_eq!(out.data.len(), 8);
    assert!(out.data.x.rows(6, 2).iter().all(|&v| (0.0..=1.0).contains(&v)));
    assert_eq!(resample(&two, Resampling::None, 0).unwrap().data, two);
}

// from sklearn.utils.class_weight import compute_class_weight
// compute_class_weight("balanced", classes=[0,1,2], y=[0,0,0,0,1,1,2,0,0,1])
#[test]
fn balanced_weights_match_scikit_learn() {
    let w = balanced_class_weights(&[0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 0.0, 0.0, 1.0], 3);
    let expected = [0.5555555555555556, 1.1111111111111112, 3.3333333333333335];
    for (a, b) in w.iter().zip(expected) {
        assert!((a - b).abs() < 1e-15, "{w:?}");
    }
    assert_eq!(balanced_class_weights(&[0.0, 0.0, 1.0], 3), vec![0.75, 1.5, 0.0]);
}
