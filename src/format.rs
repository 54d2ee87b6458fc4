//! How a learned number is written for the learner: a fixed count of significant digits, in
//! scientific notation when the number is very large or very small.
//!
//! Every number in a model's [`summary`](crate::model::Model::summary) goes through
//! [`significant`], so a formula can neither hide a term that matters (`−0.000·x⁹` for a
//! coefficient of −4.57e-5 on a curve that reaches 3.5) nor print a diverged value with hundreds of
//! digits that widen the page (`1.23e150`, never `123000…0.000`).
//!
//! The rules, for [`DIGITS`] = 3 (as JavaScript's `toPrecision(3)`, with a shorter exponent):
//! - plain notation while the rounded number's decimal exponent `e` is in `-3 ≤ e < 3`:
//!   `0.00123`, `0.510`, `1.98`, `12.3`, `150`; trailing zeros are kept, they say how precise it is;
//! - scientific notation outside it: `1.23e3`, `−4.57e-5`, `1.23e150`;
//! - zero is `0` (also −0), infinities are `∞` and `−∞`, NaN is `NaN`;
//! - the minus sign is U+2212 (`−`), as in the formulas; exponents keep the ASCII `-`.

/// The significant digits of every number a summary shows.
pub const DIGITS: usize = 3;

/// `value` with [`DIGITS`] significant digits (see the module docs for the notation).
pub fn number(value: f64) -> String {
    significant(value, DIGITS)
}

/// `value` with `digits` (at least 1) significant digits.
pub fn significant(value: f64, digits: usize) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    let sign = if value < 0.0 { "−" } else { "" };
    if value.is_infinite() {
        return format!("{sign}∞");
    }
    if value == 0.0 {
        return "0".into();
    }
    let digits = digits.max(1);
    let magnitude = value.abs();
    // Rust's `{:e}` rounds first, so the exponent is the rounded number's (9.996 → 1.00e1).
    let scientific = format!("{:.*e}", digits - 1, magnitude);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-3..digits as i32).contains(&exponent) {
        let decimals = (digits as i32 - 1 - exponent).max(0) as usize;
        format!("{sign}{:.*}", decimals, magnitude)
    } else {
        format!("{sign}{mantissa}e{exponent}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_numbers_keep_three_significant_digits() {
        assert_eq!(number(1.98), "1.98");
        assert_eq!(number(0.51), "0.510");
        assert_eq!(number(2.0), "2.00");
        assert_eq!(number(12.345), "12.3");
        assert_eq!(number(150.0), "150");
        assert_eq!(number(999.4), "999");
        assert_eq!(number(0.001234), "0.00123");
        assert_eq!(number(-1.23456), "−1.23");
    }

    #[test]
    fn tiny_and_huge_numbers_use_scientific_notation() {
        assert_eq!(number(-4.5678e-5), "−4.57e-5");
        assert_eq!(number(0.00012345), "1.23e-4");
        assert_eq!(number(1234.0), "1.23e3");
        assert_eq!(number(1.2345e150), "1.23e150");
        assert_eq!(number(-f64::MAX), "−1.80e308");
        assert_eq!(number(f64::MIN_POSITIVE), "2.23e-308");
        assert_eq!(number(5e-324), "4.94e-324");
        // Rounding up moves to the next exponent and the notation follows it.
        assert_eq!(number(9.996), "10.0");
        assert_eq!(number(999.6), "1.00e3");
        assert_eq!(number(0.00099996), "0.00100");
        // Never longer than a sign, 3 digits, a point, `e`, a sign and 3 exponent digits.
        for v in [1e-300, -7.77e299, 123456789.0, -0.000_000_1, 6.02e23] {
            assert!(number(v).chars().count() <= 10, "{v}: {}", number(v));
        }
    }

    #[test]
    fn zero_nan_and_infinities_have_one_spelling() {
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::INFINITY), "∞");
        assert_eq!(number(f64::NEG_INFINITY), "−∞");
    }

    #[test]
    fn other_digit_counts() {
        assert_eq!(significant(1.56, 1), "2");
        assert_eq!(significant(1.56, 0), "2");
        assert_eq!(significant(0.0123456, 5), "0.012346");
        assert_eq!(significant(12345.6, 5), "12346");
        assert_eq!(significant(123456.0, 5), "1.2346e5");
    }
}
