//! Branch-free `exp`, `ln(1 + e)` and the logistic function in double precision, for logistic
//! regression's objective and decision surface (`model::logistic`): written so that a loop
//! applying them to a slice vectorises (no calls, no branches, no table look-ups), unlike the
//! standard library's, which call into libm per value (a software routine in WebAssembly). The
//! network's single-precision versions are in `mlp::fast_math32`, which shares [`in_chunks`].
//!
//! They are not cruder than the standard ones by much: `exp` reduces `x = n·ln 2 + r` with
//! `|r| ≤ ln 2 / 2` (Cody–Waite, two-part `ln 2`) and evaluates a degree-10 polynomial fit of
//! `e^r` (within 3.3·10⁻¹⁶ relative there); with rounding the result is within a few units in
//! the last place. The slice versions work on chunks of [`CHUNK`] values, one step of the
//! polynomial across the whole chunk at a time, so independent operations overlap. Tested bounds against the standard library
//! over `[−750, 750]`:
//!
//! - [`exp`]: relative error ≤ 1·10⁻¹⁵ where `e^x` is a normal number (`−708 ≤ x ≤ 709`); below,
//!   it gives `e^{−708}` (≈ 3·10⁻³⁰⁸) instead of a subnormal or 0, above `e^{709}` instead of ∞.
//! - [`sigmoid`]: absolute error ≤ 1·10⁻¹⁵ (the quantity drawn is absolute: a probability).
//! - [`tanh`]: absolute error ≤ 1·10⁻¹⁵; the network's sigmoid and tanh hidden layers use these
//!   two (its training and `predict`: a mini-batch step of a small network spent most of its time
//!   in libm's `tanh`).
//!
//! NaN gives NaN. Logistic regression's objective uses [`exp`] and [`ln_1p_unit`] (its fits
//! still match scikit-learn's to the tests' 1e-8 to 1e-10).

use std::f64::consts::LOG2_E;

/// `ln 2` split so that `n · LN2_HI` is exact for `|n| ≤ 2¹¹` (its low 32 bits are zero).
const LN2_HI: f64 = 6.931_471_803_691_238_2e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
/// Adding `1.5·2⁵²` rounds to an integer and leaves it in the low bits of the sum.
const SHIFTER: f64 = 6_755_399_441_055_744.0;
/// The range of `x` whose `e^x` is a normal number.
const EXP_MIN: f64 = -708.0;
const EXP_MAX: f64 = 709.0;

/// Coefficients of a degree-10 polynomial for `e^r` on `|r| ≤ ln 2 / 2`, highest degree first
/// (for Horner's rule): a Chebyshev fit, within 3.3·10⁻¹⁶ relative of `e^r` there (the degree-12
/// Taylor polynomial does as well; degree 9 only reaches 2·10⁻¹⁴). Regenerate with mpmath:
/// `poly = mpmath.chebyfit(mpmath.exp, [-log(2)/2, log(2)/2], 11)` at `mp.dps = 40`.
const EXP_POLYNOMIAL: [f64; 11] = [
    2.762_635_724_144_722_3e-7,
    2.764_018_079_620_985e-6,
    2.480_150_434_699_768_6e-5,
    1.984_117_027_044_006_7e-4,
    1.388_888_893_248_859_9e-3,
    8.333_333_385_667_782e-3,
    4.166_666_666_657_314e-2,
    1.666_666_666_655_440_6e-1,
    5.000_000_000_000_006e-1,
    1.000_000_000_000_006_7,
    1.0,
];

/// `e^x` (see the module comment for its accuracy and range).
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    let mut chunk = [x];
    exp_chunk(&mut chunk);
    chunk[0]
}

/// The logistic function `1 / (1 + e^{−z})`; absolute error ≤ 1·10⁻¹⁵.
#[inline(always)]
pub fn sigmoid(z: f64) -> f64 {
    let mut chunk = [z];
    sigmoid_chunk(&mut chunk);
    chunk[0]
}

/// `tanh x` as `sign(x)·(1 − e)/(1 + e)` with `e = e^{−2|x|}` (through [`exp`]); absolute error
/// ≤ 1·10⁻¹⁵ (the network's hidden outputs only enter sums and products of order one); 1 beyond
/// |x| = 354, where the reduced `e^{−2|x|}` is clamped; NaN gives NaN, −0 gives −0.
#[inline(always)]
pub fn tanh(x: f64) -> f64 {
    let mut chunk = [x];
    tanh_chunk(&mut chunk);
    chunk[0]
}

/// `ln(1 + e)` for `e` in `[0, 1]`, the tail of `softplus(z) = max(z, 0) + ln(1 + e^{−|z|})`:
/// with `s = e/(2 + e)` (in `[0, 1/3]`), `ln(1 + e) = 2·atanh(s) = 2s·Σ s^{2k}/(2k + 1)`, summed to
/// `k = 15` (the rest is below 2·10⁻¹⁷ relative). Relative error ≤ 1·10⁻¹⁵ against the standard
/// `ln_1p` (tested); no branches or calls, unlike the libm routine (software in WebAssembly).
/// Outside `[0, 1]` the series is not accurate: callers pass `e^{−|z|}` only.
#[inline(always)]
pub fn ln_1p_unit(e: f64) -> f64 {
    let s = e / (2.0 + e);
    let t = s * s;
    let mut p = LN_1P_SERIES[0];
    for &c in &LN_1P_SERIES[1..] {
        p = p * t + c;
    }
    2.0 * s * p
}

/// `1/(2k + 1)` for `k = 15` down to 0 (Horner order).
const LN_1P_SERIES: [f64; 16] = [
    1.0 / 31.0,
    1.0 / 29.0,
    1.0 / 27.0,
    1.0 / 25.0,
    1.0 / 23.0,
    1.0 / 21.0,
    1.0 / 19.0,
    1.0 / 17.0,
    1.0 / 15.0,
    1.0 / 13.0,
    1.0 / 11.0,
    1.0 / 9.0,
    1.0 / 7.0,
    1.0 / 5.0,
    1.0 / 3.0,
    1.0,
];

/// Values handled together by the slice functions: each step of the polynomial is then `CHUNK`
/// independent multiply-adds (several vector registers), so the processor overlaps them instead
/// of waiting on one long chain of dependent operations.
const CHUNK: usize = 8;

/// [`exp`] of each value of a fixed-size chunk.
#[inline(always)]
fn exp_chunk<const N: usize>(x: &mut [f64; N]) {
    for v in x.iter_mut() {
        // Comparisons rather than `max`/`min` (which drop a NaN), so a NaN goes on through the
        // arithmetic and comes out NaN; they compile to selects, which vectorise.
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

/// `e^x` of each value of a chunk whose values are all in `[EXP_MIN, EXP_MAX]` (or NaN), step
/// by step across the chunk.
#[inline(always)]
fn exp_in_range<const N: usize>(x: &mut [f64; N]) {
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
        // 2ⁿ: the low bits of `shifted` hold n (two's complement); n + 1023 is in 1..=2046 here,
        // so shifting it into the exponent field gives a normal power of two, sign bit zero.
        let two_to_n = f64::from_bits(shifted[l].to_bits().wrapping_add(1023) << 52);
        x[l] = p[l] * two_to_n;
    }
}

#[inline(always)]
fn sigmoid_chunk<const N: usize>(z: &mut [f64; N]) {
    let mut e = [0.0; N];
    for l in 0..N {
        e[l] = -z[l];
    }
    exp_chunk(&mut e);
    for l in 0..N {
        z[l] = 1.0 / (1.0 + e[l]);
    }
}

#[inline(always)]
fn tanh_chunk<const N: usize>(x: &mut [f64; N]) {
    let mut e = [0.0; N];
    for l in 0..N {
        e[l] = -2.0 * x[l].abs();
    }
    exp_chunk(&mut e);
    for l in 0..N {
        x[l] = ((1.0 - e[l]) / (1.0 + e[l])).copysign(x[l]);
    }
}

/// Applies `chunk` to whole chunks of `N` values of `values` and `scalar` to the rest (shared by
/// the double- and single-precision functions).
#[inline(always)]
pub(crate) fn in_chunks<T: Copy, const N: usize>(
    values: &mut [T],
    chunk: impl Fn(&mut [T; N]),
    scalar: impl Fn(T) -> T,
) {
    let mut chunks = values.chunks_exact_mut(N);
    for c in &mut chunks {
        if let Ok(c) = <&mut [T; N]>::try_from(c) {
            chunk(c);
        }
    }
    chunks.into_remainder().iter_mut().for_each(|v| *v = scalar(*v));
}

/// [`sigmoid`] of every value, in place.
pub fn sigmoid_in_place(values: &mut [f64]) {
    in_chunks::<f64, CHUNK>(values, sigmoid_chunk, sigmoid);
}

/// [`tanh`] of every value, in place.
pub fn tanh_in_place(values: &mut [f64]) {
    in_chunks::<f64, CHUNK>(values, tanh_chunk, tanh);
}

/// [`exp`] of every value, in place.
pub fn exp_in_place(values: &mut [f64]) {
    in_chunks::<f64, CHUNK>(values, exp_chunk, exp);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mlp::network::sigmoid as exact_sigmoid;

    #[test]
    fn ln_1p_unit_is_within_1e_15_relative_over_the_unit_interval() {
        let mut es: Vec<f64> = (0..=200_000).map(|i| i as f64 / 200_000.0).collect();
        let mut tiny = 1e-300;
        while tiny < 1.0 {
            es.push(tiny);
            tiny *= 1.3;
        }
        let mut worst = 0.0f64;
        for &e in &es {
            let exact = e.ln_1p();
            let error = if exact == 0.0 { ln_1p_unit(e).abs() } else { ((ln_1p_unit(e) - exact) / exact).abs() };
            worst = worst.max(error);
        }
        assert!(worst <= 1e-15, "worst relative error {worst:e}");
        assert_eq!(ln_1p_unit(0.0), 0.0);
        assert!(ln_1p_unit(f64::NAN).is_nan());
        // Through exp: softplus tails over a wide range of scores.
        for z in [-700.0, -30.0, -1.0, -1e-9, 0.0, 1e-9, 0.5, 3.0, 40.0, 700.0] {
            let e = exp(-f64::abs(z));
            assert!((ln_1p_unit(e) - e.ln_1p()).abs() <= 1e-15 * e.ln_1p().max(f64::MIN_POSITIVE), "z = {z}");
        }
    }

    /// Points over `[lo, hi]`: a fine even grid plus the points of a geometric sequence near 0 (so
    /// tiny arguments are covered) and a few special values.
    fn arguments(lo: f64, hi: f64) -> Vec<f64> {
        let mut xs: Vec<f64> = (0..=400_000).map(|i| lo + (hi - lo) * i as f64 / 400_000.0).collect();
        let mut tiny = 1e-300;
        while tiny < 10.0 {
            xs.extend([tiny, -tiny]);
            tiny *= 1.7;
        }
        xs.extend([0.0, -0.0, f64::MIN_POSITIVE, 0.5 * std::f64::consts::LN_2, -0.5 * std::f64::consts::LN_2]);
        // Exactly halfway between multiples of ln 2, where the reduction switches n.
        xs.extend((-20..20).map(|k| (k as f64 + 0.5) * std::f64::consts::LN_2));
        xs
    }

    #[test]
    fn exp_is_within_1e_15_relative_where_the_result_is_normal() {
        let mut worst: f64 = 0.0;
        for x in arguments(EXP_MIN, EXP_MAX) {
            let (fast, exact) = (exp(x), x.exp());
            let error = ((fast - exact) / exact).abs();
            assert!(error <= 1e-15, "exp({x}) = {fast}, exactly {exact}: relative error {error:e}");
            worst = worst.max(error);
        }
        // The bound is meaningful: the approximation is not the standard function itself.
        assert!(worst > 0.0);
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(1.0), std::f64::consts::E);
    }

    #[test]
    fn exp_saturates_outside_the_normal_range_and_keeps_nan() {
        assert_eq!(exp(-750.0), exp(EXP_MIN));
        assert!(exp(-750.0) > 0.0 && exp(-750.0) < 1e-307);
        assert_eq!(exp(1e6), exp(EXP_MAX));
        assert!(exp(f64::INFINITY).is_finite() && exp(f64::INFINITY) > 1e307);
        assert_eq!(exp(f64::NEG_INFINITY), exp(EXP_MIN));
        assert!(exp(f64::NAN).is_nan());
    }

    #[test]
    fn sigmoid_is_within_1e_15_absolute_over_a_wide_range() {
        let mut worst_sigmoid: f64 = 0.0;
        for x in arguments(-750.0, 750.0) {
            let error = (sigmoid(x) - exact_sigmoid(x)).abs();
            assert!(error <= 1e-15, "sigmoid({x}) = {}, exactly {}: error {error:e}", sigmoid(x), exact_sigmoid(x));
            worst_sigmoid = worst_sigmoid.max(error);
        }
        assert!(worst_sigmoid > 0.0);
        assert!((0.0..1e-300).contains(&sigmoid(f64::NEG_INFINITY)));
        assert_eq!(sigmoid(800.0), 1.0);
        assert!(sigmoid(f64::NAN).is_nan());
    }

    #[test]
    fn tanh_is_within_1e_15_absolute_over_a_wide_range() {
        let mut worst: f64 = 0.0;
        for x in arguments(-750.0, 750.0) {
            let error = (tanh(x) - x.tanh()).abs();
            assert!(error <= 1e-15, "tanh({x}) = {}, exactly {}: error {error:e}", tanh(x), x.tanh());
            worst = worst.max(error);
        }
        assert!(worst > 0.0);
        assert_eq!(tanh(0.0), 0.0);
        assert!(tanh(-0.0) == 0.0 && tanh(-0.0).is_sign_negative());
        assert_eq!((tanh(400.0), tanh(-400.0), tanh(f64::INFINITY)), (1.0, -1.0, 1.0));
        assert!(tanh(f64::NAN).is_nan());
        // Odd, as the standard function is.
        for x in [1e-300, 1e-9, 0.3, 2.0, 19.0] {
            assert_eq!(tanh(-x), -tanh(x));
        }
    }

    #[test]
    fn slice_versions_match_the_scalar_ones() {
        let xs = arguments(-30.0, 30.0);
        let (mut s, mut e, mut t) = (xs.clone(), xs.clone(), xs.clone());
        sigmoid_in_place(&mut s);
        exp_in_place(&mut e);
        tanh_in_place(&mut t);
        for (i, &x) in xs.iter().enumerate() {
            assert_eq!(s[i].to_bits(), sigmoid(x).to_bits());
            assert_eq!(e[i].to_bits(), exp(x).to_bits());
            assert_eq!(t[i].to_bits(), tanh(x).to_bits());
        }
    }
}

#[cfg(test)]
mod timing {
    /// Time per value of [`super::exp_in_place`] and of the standard `exp` (best of seven):
    /// `cargo test --release --lib ns_per_value -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn ns_per_value() {
        let mut v: Vec<f64> = (0..128).map(|i| (i as f64 - 64.0) * 0.05).collect();
        let mut best = [f64::INFINITY; 2];
        for _ in 0..7 {
            let t = std::time::Instant::now();
            for _ in 0..20_000 {
                super::exp_in_place(std::hint::black_box(&mut v));
            }
            best[0] = best[0].min(t.elapsed().as_secs_f64() * 1e9 / 2_560_000.0);
            let t = std::time::Instant::now();
            for _ in 0..20_000 {
                std::hint::black_box(&mut v).iter_mut().for_each(|x| *x = x.exp());
            }
            best[1] = best[1].min(t.elapsed().as_secs_f64() * 1e9 / 2_560_000.0);
        }
        println!("fast exp {:.2} ns, std exp {:.2} ns", best[0], best[1]);
    }
}
