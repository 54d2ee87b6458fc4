//! The "fit now" solver: Newton's method with a backtracking line search, in its proximal form
//! when there is an L1 term (as in glmnet / newGLMNET).
//!
//! Each iteration forms the gradient `g` and Hessian `H` of the smooth part (cross-entropy + L2)
//! and takes the step `d` that minimises the local model
//! `gᵀd + ½ dᵀ(H + μI)d + l1 · ‖w + d‖₁`:
//! without L1 that is the Newton step `d = −(H + μI)⁻¹ g` (a Cholesky solve); with L1 it is found
//! by cyclic coordinate descent with soft-thresholding on the small (q·s)² system. `μ` is a tiny
//! damping (1e-10 of the largest curvature, raised if Cholesky fails) that keeps the step
//! defined where the Hessian is singular (the softmax is unchanged by adding the same number to
//! every class's score). The step is then halved until the objective falls by at least 10⁻⁴ of
//! the decrease the model predicts (Armijo). Iteration stops, converged, when the smallest
//! subgradient is below `tolerance` in every entry (the criterion of scikit-learn's lbfgs), and
//! otherwise after `max_iter` iterations or once rounding stalls progress (no step decreases the
//! objective, or three steps in a row lower it by under 64 machine epsilons relatively).

use super::objective::{Objective, Work};
use nalgebra::DMatrix;

/// Where the solver stopped.
pub(crate) struct Outcome {
    pub theta: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
}

/// Minimises `objective` from `theta`.
pub(crate) fn minimise(objective: &Objective, mut theta: Vec<f64>, tolerance: f64, max_iter: usize) -> Outcome {
    let mut work = Work::new(objective.rows(), objective.scores());
    let mut value = objective.value(&theta, &mut work);
    let mut iterations = 0;
    let mut converged = false;
    let mut stalled = 0;
    while value.is_finite() {
        let grad = objective.gradient(&theta, &work);
        if objective.optimality(&theta, &grad) <= tolerance {
            converged = true;
            break;
        }
        if iterations >= max_iter || stalled >= 3 {
            break;
        }
        iterations += 1;
        let hessian = objective.hessian(&work);
        let Some(direction) = step_direction(objective, &theta, &grad, hessian) else {
            break;
        };
        // The decrease the local model predicts for the full step (at most −½ dᵀ(H + μI)d): the
        // L1 change summed term by term, so that it is not lost in the rounding of two norms.
        let l1_change: f64 = theta
            .iter()
            .zip(&direction)
            .enumerate()
            .filter(|(i, _)| objective.is_penalised(*i))
            .map(|(_, (t, d))| (t + d).abs() - t.abs())
            .sum();
        let predicted = grad.iter().zip(&direction).map(|(g, d)| g * d).sum::<f64>() + objective.l1 * l1_change;
        if !predicted.is_finite() {
            break;
        }
        let mut accepted = None;
        let mut step = 1.0;
        let size = value.abs().max(1.0);
        if -predicted <= 1e3 * f64::EPSILON * size {
            // The predicted decrease is below the rounding of the objective, so comparing values
            // cannot judge the step; this close to the minimum the full Newton step is reliable.
            let trial: Vec<f64> = theta.iter().zip(&direction).map(|(t, d)| t + d).collect();
            let trial_value = objective.value(&trial, &mut work);
            if trial_value <= value + 1e3 * f64::EPSILON * size {
                accepted = Some((trial, trial_value));
            } else {
                objective.value(&theta, &mut work);
                break;
            }
        }
        for _ in 0..if accepted.is_some() { 0 } else { 50 } {
            let trial: Vec<f64> = theta.iter().zip(&direction).map(|(t, d)| t + step * d).collect();
            let trial_value = objective.value(&trial, &mut work);
            if trial_value <= value + 1e-4 * step * predicted {
                accepted = Some((trial, trial_value));
                break;
            }
            step *= 0.5;
        }
        let Some((trial, trial_value)) = accepted else {
            // No step lowers the objective: restore the work buffers of `theta` and stop.
            objective.value(&theta, &mut work);
            break;
        };
        stalled = if value - trial_value <= 64.0 * f64::EPSILON * size { stalled + 1 } else { 0 };
        theta = trial;
        value = trial_value;
    }
    Outcome { theta, iterations, converged }
}

/// The step minimising the local model, or `None` if the Hessian is unusable (NaN).
fn step_direction(objective: &Objective, theta: &[f64], grad: &[f64], mut hessian: DMatrix<f64>) -> Option<Vec<f64>> {
    let m = theta.len();
    let largest = (0..m).map(|i| hessian[(i, i)]).fold(0.0, f64::max);
    if !largest.is_finite() || hessian.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut damping = 1e-10 * largest.max(1e-12);
    for i in 0..m {
        hessian[(i, i)] += damping;
    }
    if objective.l1 > 0.0 {
        return Some(lasso_step(objective, theta, grad, &hessian));
    }
    for _ in 0..30 {
        if let Some(cholesky) = hessian.clone().cholesky() {
            let rhs = nalgebra::DVector::from_iterator(m, grad.iter().map(|g| -g));
            let d = cholesky.solve(&rhs);
            if d.iter().all(|v| v.is_finite()) {
                return Some(d.iter().copied().collect());
            }
        }
        // Not numerically positive definite: damp harder.
        for i in 0..m {
            hessian[(i, i)] += 99.0 * damping;
        }
        damping *= 100.0;
    }
    None
}

/// Coordinate descent on `gᵀd + ½ dᵀ A d + l1 · Σ_weights |θ + d|`.
fn lasso_step(objective: &Objective, theta: &[f64], grad: &[f64], a: &DMatrix<f64>) -> Vec<f64> {
    let m = theta.len();
    let mut d = vec![0.0; m];
    // A d, kept up to date as d changes.
    let mut ad = vec![0.0; m];
    for _sweep in 0..1000 {
        let mut biggest: f64 = 0.0;
        let mut largest_d: f64 = 0.0;
        for j in 0..m {
            let curvature = a[(j, j)];
            if !(curvature > 0.0) {
                continue;
            }
            let slope = grad[j] + ad[j];
            let new_d = if objective.is_penalised(j) {
                let target = theta[j] + d[j] - slope / curvature;
                soft_threshold(target, objective.l1 / curvature) - theta[j]
            } else {
                d[j] - slope / curvature
            };
            let change = new_d - d[j];
            if change != 0.0 && change.is_finite() {
                d[j] = new_d;
                for (i, v) in ad.iter_mut().enumerate() {
                    *v += change * a[(i, j)];
                }
                biggest = biggest.max(change.abs());
            }
            largest_d = largest_d.max(d[j].abs());
        }
        if biggest <= 1e-13 * (1.0 + largest_d) {
            break;
        }
    }
    d
}

/// `sign(x) · max(|x| − t, 0)`: the proximal map of `t · |x|`.
pub(crate) fn soft_threshold(x: f64, t: f64) -> f64 {
    if x > t {
        x - t
    } else if x < -t {
        x + t
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_threshold_shrinks_towards_zero() {
        assert_eq!(soft_threshold(3.0, 1.0), 2.0);
        assert_eq!(soft_threshold(-3.0, 1.0), -2.0);
        assert_eq!(soft_threshold(0.5, 1.0), 0.0);
    }

    #[test]
    fn newton_reaches_the_optimum_of_a_small_problem() {
        // One feature, non-separable labels: the optimum has zero gradient.
        let design = DMatrix::from_row_slice(6, 2, &[-2.0, 1.0, -1.0, 1.0, 0.0, 1.0, 0.5, 1.0, 1.0, 1.0, 2.0, 1.0]);
        let labels = [0, 0, 1, 0, 1, 1];
        for (l2, l1) in [(0.0, 0.0), (0.1, 0.0), (0.0, 0.1), (0.05, 0.05)] {
            let objective = Objective::new(&design, &labels, 1, l2, l1);
            let outcome = minimise(&objective, vec![0.0, 0.0], 1e-10, 100);
            assert!(outcome.converged && outcome.iterations < 30, "{l2} {l1}: {} iterations", outcome.iterations);
            let mut work = Work::new(6, 1);
            objective.value(&outcome.theta, &mut work);
            let grad = objective.gradient(&outcome.theta, &work);
            assert!(
                objective.optimality(&outcome.theta, &grad) <= 1e-10,
                "{l2} {l1}: {:?} {grad:?} it {}",
                outcome.theta,
                outcome.iterations
            );
        }
        // A strong L1 term zeroes the weight exactly; the intercept is left free.
        let objective = Objective::new(&design, &labels, 1, 0.0, 10.0);
        let outcome = minimise(&objective, vec![0.0, 0.0], 1e-12, 100);
        assert_eq!(outcome.theta[0], 0.0);
        assert!(outcome.theta[1].abs() < 1e-9, "balanced classes: intercept 0, got {}", outcome.theta[1]);
    }

    #[test]
    fn separable_data_without_penalty_stops_without_nan() {
        let design = DMatrix::from_row_slice(4, 2, &[-2.0, 1.0, -1.0, 1.0, 1.0, 1.0, 2.0, 1.0]);
        let labels = [0, 0, 1, 1];
        let objective = Objective::new(&design, &labels, 1, 0.0, 0.0);
        let outcome = minimise(&objective, vec![0.0, 0.0], 1e-10, 200);
        assert!(outcome.theta.iter().all(|t| t.is_finite()));
        assert!(outcome.theta[0] > 5.0, "the weight grows on separable data: {:?}", outcome.theta);
    }
}
