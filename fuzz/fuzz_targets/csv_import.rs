//! Fuzz target: `parse_csv` on arbitrary bytes must return `Ok` or `Err`, never panic; a parsed
//! table is then turned into a dataset and written back out, which must not panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ml_playground::data::csv_import::{parse_csv, to_csv, to_dataset, TaskHint};

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = parse_csv(data) {
        let n = table.columns.len();
        let target = n - 1;
        let features: Vec<usize> = (0..target).collect();
        for hint in [TaskHint::Auto, TaskHint::Classification] {
            if let Ok((dataset, _report)) = to_dataset(&table, &features, target, hint) {
                let _ = to_csv(&dataset, &["fuzz"]);
            }
        }
    }
});
