//! The Bayesian picture: the Gaussian-process surrogate of a tuning run over two chosen settings.
//!
//! [`surrogate_slice`] fits the surrogate to the trials (as Bayesian search does: features from
//! [`Space::features`], scores to minimise, a failed trial at the worst score; the kernel fitted by
//! marginal likelihood from a fixed start, so the same trials give the same picture) and evaluates
//! its posterior mean and standard deviation on a grid over the two settings, every other setting
//! held at the best trial's value. It also marks where expected improvement is largest on that
//! grid: with two settings searched the slice is the whole space, so this is the point Bayesian
//! search would try next (up to the grid's resolution and the pending trials' constant liar).
//!
//! Axis coordinates are what the picture's axes show: a setting's value, its log10 on a log scale,
//! a categorical's choice index. A coordinate between integers is placed where the integer
//! cells' centres put it (as [`super::space::Domain::to_unit`]), so the surface is smooth between
//! the integers a trial can take.

use super::gp::{expected_improvement, Gp};
use super::space::{Domain, Setting, Space};
use crate::data::rng;
use crate::error::Result;
use serde::Serialize;

/// At most this many grid cells per side.
pub const MAX_CELLS: usize = 256;

/// The surrogate on a grid over two settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slice {
    /// The setting on x and on y (indices into the space).
    pub x: usize,
    pub y: usize,
    /// The axis ranges (axis coordinates; see the module docs).
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    /// Whether an axis is log10 of the value.
    pub log_x: bool,
    pub log_y: bool,
    pub nx: usize,
    pub ny: usize,
    /// Posterior mean and standard deviation at the cell centres, row by row from the bottom
    /// (`y_range.0`), in the score's own units and direction.
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
    /// Where expected improvement is largest (axis coordinates, snapped to a value the settings
    /// can take), and that improvement.
    pub next: Option<(f64, f64)>,
    pub next_ei: f64,
}

/// The axis range of a parameter: its domain (log10 on a log scale; integers and choices half a
/// step beyond their ends, so each has a cell of its own).
pub fn axis_range(domain: &Domain) -> (f64, f64) {
    match *domain {
        Domain::Real { low, high, log: false } => (low, high),
        Domain::Real { low, high, log: true } => (low.log10(), high.log10()),
        Domain::Int { low, high, log: false } => (low as f64 - 0.5, high as f64 + 0.5),
        Domain::Int { low, high, log: true } => ((low as f64).log10(), (high as f64 + 1.0).log10()),
        Domain::Categorical { ref choices } => (-0.5, choices.len() as f64 - 0.5),
    }
}

/// Whether a parameter's axis is log10 of its value.
pub fn axis_is_log(domain: &Domain) -> bool {
    matches!(domain, Domain::Real { log: true, .. } | Domain::Int { log: true, .. })
}

/// The axis coordinate of a setting.
pub fn axis_of(domain: &Domain, setting: Setting) -> f64 {
    match setting {
        Setting::Real(v) if axis_is_log(domain) => v.log10(),
        Setting::Real(v) => v,
        Setting::Int(i) if axis_is_log(domain) => (i as f64).log10(),
        Setting::Int(i) => i as f64,
        Setting::Choice(c) => c as f64,
    }
}

/// The unit coordinate (what the surrogate sees) of axis coordinate `c`, continuous between
/// integers; `None` for a categorical (one-hot instead).
fn unit_of(domain: &Domain, c: f64) -> Option<f64> {
    let u = match *domain {
        Domain::Real { low, high, log: false } => (c - low) / (high - low),
        Domain::Real { low, high, log: true } => (c - low.log10()) / (high.log10() - low.log10()),
        Domain::Int { low, high, log: false } => (c - low as f64 + 0.5) / ((high - low) as f64 + 1.0),
        Domain::Int { low, high, log: true } => {
            let x = 10f64.powf(c);
            let (a, b) = ((low as f64).ln(), (high as f64 + 1.0).ln());
            (0.5 * (x.ln() + (x + 1.0).ln()) - a) / (b - a)
        }
        Domain::Categorical { .. } => return None,
    };
    Some(if u.is_finite() { u.clamp(0.0, 1.0) } else { 0.5 })
}

/// Axis coordinate `c` snapped to a value the setting can take (integers, choices).
fn snap(domain: &Domain, c: f64) -> f64 {
    match *domain {
        Domain::Int { low, high, log: false } => c.round().clamp(low as f64, high as f64),
        // (the cell of integer i is [i, i + 1) in the value; a little slack for 10^log10(i))
        Domain::Int { low, high, log: true } => (10f64.powf(c) + 1e-9).floor().clamp(low as f64, high as f64).log10(),
        Domain::Categorical { ref choices } => c.round().clamp(0.0, choices.len() as f64 - 1.0),
        _ => c,
    }
}

/// Writes axis coordinate `c` of parameter `param` into a feature vector.
fn place(domain: &Domain, offset: usize, c: f64, features: &mut [f64]) {
    match (domain, unit_of(domain, c)) {
        (_, Some(u)) => features[offset] = u,
        (Domain::Categorical { choices }, None) => {
            let hot = snap(domain, c) as usize;
            for k in 0..choices.len() {
                features[offset + k] = if k == hot { 1.0 } else { 0.0 };
            }
        }
        _ => {}
    }
}

/// The surrogate over settings `x` and `y` on an `nx` × `ny` grid, from the trials' settings and
/// scores (`None` for a failed trial), a larger score better when `greater_is_better`. `None` when
/// fewer than two trials have a score (nothing to fit).
pub fn surrogate_slice(
    space: &Space,
    settings: &[Vec<Option<Setting>>],
    scores: &[Option<f64>],
    greater_is_better: bool,
    (x, y): (usize, usize),
    (nx, ny): (usize, usize),
) -> Result<Option<Slice>> {
    if x == y || x >= space.dim() || y >= space.dim() {
        return Err(err!(InvalidInput, "surface_axes", x = x, y = y, dim = space.dim()));
    }
    crate::error::check_count("grid cells", nx, 2, MAX_CELLS)?;
    crate::error::check_count("grid cells", ny, 2, MAX_CELLS)?;
    let sign = if greater_is_better { -1.0 } else { 1.0 };
    let n = settings.len().min(scores.len());
    let finite: Vec<Option<f64>> = scores[..n].iter().map(|s| s.filter(|v| v.is_finite()).map(|v| sign * v)).collect();
    let worst = finite.iter().flatten().copied().fold(f64::NEG_INFINITY, f64::max);
    if finite.iter().flatten().count() < 2 {
        return Ok(None);
    }
    let features: Vec<Vec<f64>> = settings[..n].iter().map(|s| space.features(s)).collect();
    let targets: Vec<f64> = finite.iter().map(|s| s.unwrap_or(worst)).collect();
    // the best trial: the other settings are held at its values
    let best = (0..n).filter(|&i| finite[i].is_some()).min_by(|&a, &b| targets[a].total_cmp(&targets[b])).unwrap_or(0);
    let gp = Gp::fit_optimised(&features, &targets, None, 1, &mut rng(0x5u64))?;
    let best_target = targets[best];
    let y_std = {
        let mean = targets.iter().sum::<f64>() / n as f64;
        (targets.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt().max(1e-12)
    };
    let params = space.params();
    let offsets = space.feature_offsets();
    let (dx, dy) = (&params[x].domain, &params[y].domain);
    let (x_range, y_range) = (axis_range(dx), axis_range(dy));
    let centre = |(lo, hi): (f64, f64), i: usize, cells: usize| lo + (i as f64 + 0.5) / cells as f64 * (hi - lo);
    let mut out = Slice {
        x,
        y,
        x_range,
        y_range,
        log_x: axis_is_log(dx),
        log_y: axis_is_log(dy),
        nx,
        ny,
        mean: Vec::with_capacity(nx * ny),
        std: Vec::with_capacity(nx * ny),
        next: None,
        next_ei: 0.0,
    };
    let mut at = features[best].clone();
    let mut best_ei: Option<(f64, f64, f64)> = None;
    for j in 0..ny {
        let cy = centre(y_range, j, ny);
        place(dy, offsets[y], cy, &mut at);
        for i in 0..nx {
            let cx = centre(x_range, i, nx);
            place(dx, offsets[x], cx, &mut at);
            let (m, v) = gp.predict(&at);
            let s = v.sqrt();
            let ei = expected_improvement(m, s, best_target, super::strategy::bayes::DEFAULT_XI * y_std);
            if best_ei.is_none_or(|(e, _, _)| ei > e) {
                best_ei = Some((ei, cx, cy));
            }
            out.mean.push(sign * m);
            out.std.push(s);
        }
    }
    if let Some((ei, cx, cy)) = best_ei {
        out.next = Some((snap(dx, cx), snap(dy, cy)));
        out.next_ei = ei;
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tune::space::Param;
    use crate::tune::value::Value;

    #[test]
    fn integer_and_log_axes_meet_the_unit_coordinates_of_their_values() {
        for domain in [
            Domain::Int { low: 1, high: 8, log: false },
            Domain::Int { low: 1, high: 64, log: true },
            Domain::Real { low: 1e-4, high: 1.0, log: true },
            Domain::Real { low: -2.0, high: 3.0, log: false },
        ] {
            for u in [0.0, 0.2, 0.5, 0.9, 1.0] {
                let s = domain.decode(u);
                let c = axis_of(&domain, s);
                let (lo, hi) = axis_range(&domain);
                assert!(c >= lo - 1e-12 && c <= hi + 1e-12, "{domain:?} {s:?} at {c} outside {lo}..{hi}");
                let back = unit_of(&domain, c).unwrap();
                assert!((back - domain.to_unit(s)).abs() < 1e-9, "{domain:?} {s:?}: {back} vs {}", domain.to_unit(s));
                assert_eq!(snap(&domain, c), c, "a value is its own snap");
            }
        }
    }

    #[test]
    fn the_slice_interpolates_the_trials_and_points_ei_at_the_minimum() {
        // f(a, b) = (a − 0.3)² + (b − 0.7)² on a 7 × 7 grid of trials: the surrogate passes
        // (nearly) through every trial, and EI is largest near (0.3, 0.7).
        let space = Space::new(vec![Param::uniform("a", 0.0, 1.0), Param::uniform("b", 0.0, 1.0)]).unwrap();
        let mut settings = Vec::new();
        let mut scores = Vec::new();
        for i in 0..7 {
            for j in 0..7 {
                let (a, b) = (i as f64 / 6.0, j as f64 / 6.0);
                settings.push(vec![Some(Setting::Real(a)), Some(Setting::Real(b))]);
                scores.push(Some((a - 0.3f64).powi(2) + (b - 0.7f64).powi(2)));
            }
        }
        let slice = surrogate_slice(&space, &settings, &scores, false, (0, 1), (61, 61)).unwrap().unwrap();
        assert_eq!((slice.mean.len(), slice.std.len()), (61 * 61, 61 * 61));
        // cell (i, j) has its centre at ((i + 0.5)/61, (j + 0.5)/61): cell 30 is the middle, 0.5
        let at = |i: usize, j: usize| slice.mean[j * 61 + i];
        assert!((at(30, 30) - (0.2f64.powi(2) + 0.2f64.powi(2))).abs() < 0.01, "{}", at(30, 30));
        let (nx, ny) = slice.next.unwrap();
        assert!((nx - 0.3).abs() < 0.08 && (ny - 0.7).abs() < 0.08, "EI picks ({nx}, {ny})");
        // uncertainty is smallest near the trials and larger between them
        let std_at_trial = slice.std[30 * 61 + 30];
        assert!(std_at_trial < 0.05, "{std_at_trial}");
        // a larger-is-better score gives the same picture, in its own direction
        let neg: Vec<Option<f64>> = scores.iter().map(|s| s.map(|v| -v)).collect();
        let up = surrogate_slice(&space, &settings, &neg, true, (0, 1), (61, 61)).unwrap().unwrap();
        assert!((up.mean[30 * 61 + 30] + at(30, 30)).abs() < 1e-9);
        assert_eq!(up.next, slice.next);
    }

    #[test]
    fn fewer_than_two_scores_give_no_picture_and_bad_axes_are_refused() {
        let space = Space::new(vec![
            Param::int("d", 1, 8),
            Param::categorical("c", vec![Value::Text("x".into()), Value::Text("y".into())]),
        ])
        .unwrap();
        let one = vec![vec![Some(Setting::Int(3)), Some(Setting::Choice(1))]];
        assert_eq!(surrogate_slice(&space, &one, &[Some(0.5)], true, (0, 1), (8, 8)).unwrap(), None);
        assert!(surrogate_slice(&space, &one, &[Some(0.5)], true, (0, 0), (8, 8)).is_err());
        assert!(surrogate_slice(&space, &one, &[Some(0.5)], true, (0, 2), (8, 8)).is_err());
        assert!(surrogate_slice(&space, &one, &[Some(0.5)], true, (0, 1), (8, 100_000)).is_err());
        // a categorical axis: one band per choice, the pick snapped to a choice
        let two = vec![
            one[0].clone(),
            vec![Some(Setting::Int(6)), Some(Setting::Choice(0))],
            vec![Some(Setting::Int(1)), None],
        ];
        let slice =
            surrogate_slice(&space, &two, &[Some(0.5), Some(0.9), None], true, (0, 1), (16, 8)).unwrap().unwrap();
        let (nx, ny) = slice.next.unwrap();
        assert_eq!((nx.fract(), ny.fract()), (0.0, 0.0));
        assert!(slice.mean.iter().chain(&slice.std).all(|v| v.is_finite()));
    }
}
