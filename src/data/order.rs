//! Sorting values without std's comparison sorts: an LSD radix sort on the order-preserving
//! integer form of an `f64`, used by the tree's split search and by the ROC and precision-recall
//! curves. It is small in the wasm (std is built for size there, which makes its sorts slow).

/// The row indices of `column` ordered by value (`f64::total_cmp`), equal values by index.
///
/// An LSD radix sort, byte by byte, on the values' order-preserving integer form: each pass is
/// stable, so rows with equal values keep their index order. It is as fast as a comparison sort
/// on the tree's columns and, unlike `sort_unstable_by`, small in the wasm and independent of how std is built.
pub fn order_by_value(column: &[f64]) -> Vec<u32> {
    let n = column.len();
    let key = |v: f64| {
        let bits = v.to_bits();
        if bits >> 63 == 1 {
            !bits
        } else {
            bits | 1 << 63
        }
    };
    let mut rows: Vec<(u64, u32)> = column.iter().enumerate().map(|(i, &v)| (key(v), i as u32)).collect();
    let mut spare = vec![(0u64, 0u32); n];
    for shift in (0..64).step_by(8) {
        let mut counts = [0usize; 256];
        for &(k, _) in &rows {
            counts[(k >> shift) as usize & 255] += 1;
        }
        if counts.contains(&n) {
            continue; // every value has the same byte here
        }
        let mut start = 0;
        for count in counts.iter_mut() {
            let here = *count;
            *count = start;
            start += here;
        }
        for &(k, i) in &rows {
            let bucket = (k >> shift) as usize & 255;
            spare[counts[bucket]] = (k, i);
            counts[bucket] += 1;
        }
        std::mem::swap(&mut rows, &mut spare);
    }
    rows.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::order_by_value;

    /// The order a comparison sort gives: by `total_cmp`, ties by index.
    fn reference(column: &[f64]) -> Vec<u32> {
        let mut idx: Vec<u32> = (0..column.len() as u32).collect();
        idx.sort_by(|&a, &b| column[a as usize].total_cmp(&column[b as usize]).then(a.cmp(&b)));
        idx
    }

    #[test]
    fn radix_order_matches_a_comparison_sort() {
        let special = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            f64::MIN_POSITIVE,
            -5e-324,
            1e300,
            2.5,
            2.5,
        ];
        assert_eq!(order_by_value(&special), reference(&special));
        assert_eq!(order_by_value(&[]), Vec::<u32>::new());
        assert_eq!(order_by_value(&[3.0]), vec![0]);
        // Pseudo-random values with many repeats, and runs where high bytes agree.
        let mut state = 12345u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as f64 / (1u64 << 31) as f64
        };
        let mixed: Vec<f64> = (0..5000).map(|_| ((next() - 0.5) * 40.0).round() / 4.0).collect();
        assert_eq!(order_by_value(&mixed), reference(&mixed));
        let close: Vec<f64> = (0..3000).map(|_| 1.0 + next() * 1e-9).collect();
        assert_eq!(order_by_value(&close), reference(&close));
        let equal = vec![7.0; 100];
        assert_eq!(order_by_value(&equal), (0..100).collect::<Vec<u32>>());
    }
}
