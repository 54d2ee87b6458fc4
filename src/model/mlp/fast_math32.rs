//! Single-precision, branch-free `exp`, `tanh` and the logistic function for drawing a network
//! over a pixel grid ([`super::grid`]): the `f32` counterparts of [`crate::model::fast_math`], so a
//! slice loop over them is twice as many values per vector instruction (four in a WebAssembly
//! SIMD register) and the polynomial is shorter. The drawn quantities only become 8-bit colours
//! (steps of 1/255 ≈ 4·10⁻³) and contours, so single precision is ample there; training and
//! `predict` keep double precision and the standard functions.
//!
//! `exp` reduces `x = n·ln 2 + r` with `|r| ≤ ln 2 / 2` (Cody–Waite, two-part `ln 2`), evaluates
//! `e^r ≈ 1 + r + r²·P(r)` with the degree-5 `P` of Cephes' `expf`, and scales by `2ⁿ` built in
//! the exponent bits. Tested bounds against the standard double-precision functions over
//! `[−200, 200]` (and a geometric sequence of tiny arguments):
//!
//! - [`exp`]: relative error ≤ 3·10⁻⁷ where `e^x` is a normal `f32` (`−87 ≤ x ≤ 88`); below it
//!   gives `e^{−87}` (≈ 1.6·10⁻³⁸) instead of a subnormal or 0, above `e^{88}` instead of ∞.
//! - [`tanh`] (`sign(x)·(1 − e)/(1 + e)`, `e = e^{−2|x|}`, saturating at `|x| = 9`, where
//!   `1 − tanh` < 3·10⁻⁸) and [`sigmoid`]: absolute error ≤ 1·10⁻⁶ (the quantities drawn are
//!   absolute: probabilities and neuron outputs).
//!
//! NaN gives NaN (clamps are comparisons, which let a NaN through, not `min`/`max`).

use crate::model::fast_math::in_chunks;
use std::f32::consts::LOG2_E;

/// `ln 2` split so that `n · LN2_HI` is exact for `|n| < 2⁸` (Cephes' `C1`, `C2`).
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
/// Adding `1.5·2²³` rounds to an integer and leaves it in the low bits of the sum.
const SHIFTER: f32 = 12_582_912.0;
/// The range of `x` whose `e^x` is a normal `f32` (n = round(x·log₂e) in −126..=127).
const EXP_MIN: f32 = -87.0;
const EXP_MAX: f32 = 88.0;
/// `P(r)` of `e^r ≈ 1 + r + r²·P(r)` on `|r| ≤ ln 2 / 2`, highest degree first (Cephes `expf`).
const EXP_POLYNOMIAL: [f32; 6] = [
    1.987_569_1e-4,
    1.398_199_9e-3,
    8.333_452e-3,
    4.166_579_6e-2,
    1.666_666_5e-1,
    0.5, // Cephes' 5.0000001201e-1, which rounds to ½ in single precision
];
/// Past this, `tanh` is ±1 to single precision (`2·e^{−18}` < 3·10⁻⁸).
const TANH_SATURATION: f32 = 9.0;

/// Values handled together by the slice functions: each step of the polynomial is then `CHUNK`
/// independent operations (four 128-bit vectors), which the processor overlaps.
const CHUNK: usize = 16;

/// `e^x` (see the module comment for its accuracy and range).
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let mut chunk = [x];
    exp_chunk(&mut chunk);
    chunk[0]
}

/// `tanh x`, absolute error ≤ 1·10⁻⁶.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    let mut chunk = [x];
    tanh_chunk(&mut chunk);
    chunk[0]
}

/// The logistic function `1 / (1 + e^{−z})`, absolute error ≤ 1·10⁻⁶.
#[inline(always)]
pub fn sigmoid(z: f32) -> f32 {
    let mut chunk = [z];
    sigmoid_chunk(&mut chunk);
    chunk[0]
}

/// [`exp`] of each value of a fixed-size chunk.
#[inline(always)]
#[allow(clippy::manual_clamp)] // comparisons compile to selects, which vectorise
fn exp_chunk<const N: usize>(x: &mut [f32; N]) {
    for v in x.iter_mut() {
        *v = if *v < EXP_MIN {
            EXP_MIN
        } else if *v > EXP_MAX {
            EXP_MAX
        } else {
            *v
        };
    }
    exp_in_range(x);
}

/// `e^x` of each value of a chunk whose values are all in `[EXP_MIN, EXP_MAX]` (or NaN).
#[inline(always)]
fn exp_in_range<const N: usize>(x: &mut [f32; N]) {
    let mut shifted = [0.0; N];
    let mut r = [0.0; N];
    for l in 0..N {
        shifted[l] = x[l] * LOG2_E + SHIFTER;
        let n = shifted[l] - SHIFTER;
        r[l] = (x[l] - n * LN2_HI) - n * LN2_LO;
    }
    let mut p = [EXP_POLYNOMIAL[0]; N];
    for &c in &EXP_POLYNOMIAL[1..] {
        for l in 0..N {
            p[l] = p[l] * r[l] + c;
        }
    }
    for l in 0..N {
        // 2ⁿ: the low bits of `shifted` hold n (two's complement); n + 127 is in 1..=254 here,
        // so shifting its low 9 bits into the exponent field gives a normal power of two.
        let two_to_n = f32::from_bits(shifted[l].to_bits().wrapping_add(127) << 23);
        x[l] = ((r[l] * r[l]) * p[l] + r[l] + 1.0) * two_to_n;
    }
}

#[inline(always)]
fn tanh_chunk<const N: usize>(x: &mut [f32; N]) {
    let mut e = [0.0; N];
    for l in 0..N {
        // −2|x| in [−18, 0]: only the lower end needs clamping (a NaN passes).
        let magnitude = x[l].abs();
        e[l] = -2.0 * if magnitude > TANH_SATURATION { TANH_SATURATION } else { magnitude };
    }
    exp_in_range(&mut e);
    for l in 0..N {
        x[l] = ((1.0 - e[l]) / (1.0 + e[l])).copysign(x[l]);
    }
}

#[inline(always)]
fn sigmoid_chunk<const N: usize>(z: &mut [f32; N]) {
    let mut e = [0.0; N];
    for l in 0..N {
        e[l] = -z[l];
    }
    exp_chunk(&mut e);
    for l in 0..N {
        z[l] = 1.0 / (1.0 + e[l]);
    }
}

/// [`tanh`] of every value, in place.
pub fn tanh_in_place(values: &mut [f32]) {
    in_chunks::<f32, CHUNK>(values, tanh_chunk, tanh);
}

/// [`sigmoid`] of every value, in place.
pub fn sigmoid_in_place(values: &mut [f32]) {
    in_chunks::<f32, CHUNK>(values, sigmoid_chunk, sigmoid);
}

/// [`exp`] of every value, in place.
pub fn exp_in_place(values: &mut [f32]) {
    in_chunks::<f32, CHUNK>(values, exp_chunk, exp);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mlp::network::sigmoid as exact_sigmoid;

    /// Points over `[lo, hi]` (as `f32`): a fine even grid, a geometric sequence near 0 of both
    /// signs, the halfway points between multiples of ln 2 (where the reduction switches n),
    /// and a few special values.
    fn arguments(lo: f32, hi: f32) -> Vec<f32> {
        let mut xs: Vec<f32> =
            (0..=400_000).map(|i| (lo as f64 + (hi - lo) as f64 * i as f64 / 400_000.0) as f32).collect();
        let mut tiny = 1e-38_f32;
        while tiny < 10.0 {
            xs.extend([tiny, -tiny]);
            tiny *= 1.7;
        }
        xs.extend([0.0, -0.0, f32::MIN_POSITIVE]);
        xs.extend((-120..120).map(|k| ((k as f64 + 0.5) * std::f64::consts::LN_2) as f32));
        xs
    }

    #[test]
    fn exp_is_within_3e_7_relative_where_the_result_is_normal() {
        let mut worst: f64 = 0.0;
        for x in arguments(EXP_MIN, EXP_MAX) {
            let (fast, exact) = (exp(x) as f64, (x as f64).exp());
            let error = ((fast - exact) / exact).abs();
            assert!(error <= 3e-7, "exp({x}) = {fast}, exactly {exact}: relative error {error:e}");
            worst = worst.max(error);
        }
        assert!(worst > 0.0);
        assert_eq!(exp(0.0), 1.0);
    }

    #[test]
    fn exp_saturates_outside_the_normal_range_and_keeps_nan() {
        assert_eq!(exp(-200.0), exp(EXP_MIN));
        assert!(exp(-200.0) > 0.0 && exp(-200.0) < 2e-38);
        assert_eq!(exp(1e30), exp(EXP_MAX));
        assert!(exp(f32::INFINITY).is_finite() && exp(f32::INFINITY) > 1e38);
        assert_eq!(exp(f32::NEG_INFINITY), exp(EXP_MIN));
        assert!(exp(f32::NAN).is_nan());
    }

    #[test]
    fn tanh_and_sigmoid_are_within_1e_6_absolute_over_a_wide_range() {
        let (mut worst_tanh, mut worst_sigmoid): (f64, f64) = (0.0, 0.0);
        for x in arguments(-200.0, 200.0) {
            let exact = (x as f64).tanh();
            let error = (tanh(x) as f64 - exact).abs();
            assert!(error <= 1e-6, "tanh({x}) = {}, exactly {exact}: error {error:e}", tanh(x));
            worst_tanh = worst_tanh.max(error);
            let exact = exact_sigmoid(x as f64);
            let error = (sigmoid(x) as f64 - exact).abs();
            assert!(error <= 1e-6, "sigmoid({x}) = {}, exactly {exact}: error {error:e}", sigmoid(x));
            worst_sigmoid = worst_sigmoid.max(error);
        }
        assert!(worst_tanh > 0.0 && worst_sigmoid > 0.0);
        for x in [0.3, 2.0, 8.5, 17.0, 1e30] {
            assert_eq!(tanh(-x), -tanh(x));
        }
        assert_eq!(tanh(9.5), 1.0);
        assert_eq!(tanh(f32::INFINITY), 1.0);
        assert_eq!(tanh(f32::NEG_INFINITY), -1.0);
        assert!((0.0..1e-37).contains(&sigmoid(f32::NEG_INFINITY)));
        assert_eq!(sigmoid(100.0), 1.0);
        assert_eq!(sigmoid(f32::INFINITY), 1.0);
        assert!(tanh(f32::NAN).is_nan() && sigmoid(f32::NAN).is_nan() && exp(f32::NAN).is_nan());
    }

    #[test]
    fn slice_versions_match_the_scalar_ones() {
        let xs = arguments(-30.0, 30.0);
        let (mut t, mut s, mut e) = (xs.clone(), xs.clone(), xs.clone());
        tanh_in_place(&mut t);
        sigmoid_in_place(&mut s);
        exp_in_place(&mut e);
        for (i, &x) in xs.iter().enumerate() {
            assert_eq!(t[i].to_bits(), tanh(x).to_bits());
            assert_eq!(s[i].to_bits(), sigmoid(x).to_bits());
            assert_eq!(e[i].to_bits(), exp(x).to_bits());
        }
        let mut nan = [f32::NAN; CHUNK + 3];
        tanh_in_place(&mut nan);
        assert!(nan.iter().all(|v| v.is_nan()));
    }
}
