//! The CSV importer on malformed files (each must give a clear error naming the problem, never a
//! panic) and on good files in their usual variants.

use ml_playground::data::csv_import::{parse_csv, to_csv, to_dataset, ColumnKind, TaskHint, MAX_ROWS};
use ml_playground::data::{Dataset, Task};
use ml_playground::Error;

/// The error message of parsing `bytes`, which must fail with `InvalidData`.
fn error(bytes: &[u8]) -> String {
    match parse_csv(bytes) {
        Err(Error::InvalidData(message)) => message.to_string(),
        other => panic!("expected an InvalidData error, got {other:?}"),
    }
}

fn numbers(table: &ml_playground::data::csv_import::Table, j: usize) -> Vec<Option<f64>> {
    match &table.columns[j].kind {
        ColumnKind::Numeric(v) => v.clone(),
        other => panic!("column {j} is not numeric: {other:?}"),
    }
}

// ---- malformed files ------------------------------------------------------------------------

#[test]
fn ragged_row_names_line_and_counts() {
    let m = error(b"a,b,c,d\n1,2,3,4\n5,6,7,8\n1,2,3,4\n1,2,3,4\n1,2,3,4\n9,9,9\n");
    assert!(m.contains("line 7: 3 fields, expected 4"), "{m}");
}

#[test]
fn no_numeric_column() {
    let m = error(b"name,colour\nann,red\nbob,blue\n");
    assert!(m.contains("no column holds only numbers"), "{m}");
}

#[test]
fn header_only() {
    let m = error(b"x1,x2,y\n");
    assert!(m.contains("header but no data rows"), "{m}");
}

#[test]
fn one_data_row() {
    let m = error(b"x1,x2,y\n1,2,3\n");
    assert!(m.contains("only one data row"), "{m}");
}

#[test]
fn empty_file_and_blank_lines() {
    assert!(error(b"").contains("empty"));
    assert!(error(b"\n\n  \n").contains("empty"));
    assert!(error(b"\xEF\xBB\xBF").contains("empty"));
}

#[test]
fn binary_garbage_with_nul() {
    // A fixed pseudo-random byte string (xorshift) with NUL bytes in it.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut bytes: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    bytes[100] = 0;
    let m = error(&bytes);
    assert!(m.contains("NUL") || m.contains("UTF-8"), "{m}");
    // Garbage without NUL bytes but not UTF-8 either.
    let no_nul: Vec<u8> = bytes.iter().map(|&b| b.max(1)).collect();
    let m = error(&no_nul);
    assert!(m.contains("not valid UTF-8") || m.contains("line"), "{m}");
    assert!(error(b"a,b\n1,2\n3,\0\n").contains("line 3"));
}

#[test]
fn ten_megabyte_single_line() {
    // 10 MB of comma-separated numbers on one line: far too many columns.
    let line = "1,".repeat(5 * 1024 * 1024);
    let m = error(line.as_bytes());
    assert!(m.contains("line 1") && m.contains("columns"), "{m}");
    // 10 MB without a delimiter: one enormous column.
    let m = error("7".repeat(10 * 1024 * 1024).as_bytes());
    assert!(m.contains("only one column"), "{m}");
    // 10 MB in one cell of a two-column file.
    let mut two = b"a,b\n1,".to_vec();
    two.extend(std::iter::repeat_n(b'8', 10 * 1024 * 1024));
    two.extend(b"\n2,3\n");
    let m = error(&two);
    assert!(m.contains("line 2") && m.contains("at most"), "{m}");
}

#[test]
fn mixed_decimal_commas_in_a_comma_file() {
    let m = error(b"x,y\n1.5,2\n2,5,3\n");
    assert!(m.contains("line 3: 3 fields, expected 2") && m.contains("decimal comma"), "{m}");
}

#[test]
fn unterminated_quote() {
    let m = error(b"a,b\n1,2\n\"3,4\n5,6\n");
    assert!(m.contains("line 3") && m.contains("never closed"), "{m}");
}

#[test]
fn invalid_utf8_names_the_line() {
    let m = error(b"a,b\n1,2\n3,4\n\xC3\x28,5\n");
    assert!(m.contains("line 4") && m.contains("UTF-8"), "{m}");
    assert!(error(b"\xFF\xFEa\0,\0b\0").contains("UTF-16"));
}

#[test]
fn only_one_column() {
    let m = error(b"x\n1\n2\n3\n");
    assert!(m.contains("only one column"), "{m}");
}

#[test]
fn duplicate_header_names() {
    let m = error(b"x,y,x\n1,2,3\n4,5,6\n");
    assert!(m.contains("columns 1 and 3 are both named \"x\""), "{m}");
}

#[test]
fn all_values_missing_in_a_column() {
    let table = parse_csv(b"x1,x2,y\n1,NA,3\n2,,4\n3,?,5\n").unwrap();
    assert_eq!(table.columns[1].missing(), 3);
    let m = match to_dataset(&table, &[0, 1], 2, TaskHint::Auto) {
        Err(Error::InvalidData(m)) => m.to_string(),
        other => panic!("{other:?}"),
    };
    assert!(m.contains("\"x2\" has no values"), "{m}");
    // The target all missing too.
    let m = to_dataset(&table, &[0], 1, TaskHint::Auto).unwrap_err().to_string();
    assert!(m.contains("target column \"x2\" has 0 value(s)"), "{m}");
}

#[test]
fn more_than_the_row_limit() {
    let mut text = String::from("x,y\n");
    for i in 0..=MAX_ROWS {
        text.push_str(&format!("{i},{}\n", i % 7));
    }
    let m = error(text.as_bytes());
    assert!(m.contains("more than 100000 rows") || m.contains("100001 data rows"), "{m}");
    // Exactly the limit is fine.
    let at_limit: String = text.lines().take(MAX_ROWS + 1).map(|l| format!("{l}\n")).collect();
    assert_eq!(parse_csv(at_limit.as_bytes()).unwrap().n_rows(), MAX_ROWS);
}

#[test]
fn infinite_numbers() {
    let m = error(b"x,y\n1,2\n1e999,3\n");
    assert!(m.contains("line 3") && m.contains("1e999") && m.contains("infinity"), "{m}");
    assert!(error(b"x,y\n1,2\n3,-inf\n").contains("line 3"));
}

#[test]
fn text_feature_and_bad_choices_in_to_dataset() {
    let table = parse_csv(b"x,label,y\n1,a,2\n2,b,3\n3,c,4\n").unwrap();
    let m = to_dataset(&table, &[1], 2, TaskHint::Auto).unwrap_err().to_string();
    assert!(m.contains("column \"label\" holds text (line 2: \"a\")"), "{m}");
    assert!(to_dataset(&table, &[0], 0, TaskHint::Auto).unwrap_err().to_string().contains("chosen twice"));
    assert!(to_dataset(&table, &[7], 2, TaskHint::Auto).unwrap_err().to_string().contains("does not exist"));
    assert!(to_dataset(&table, &[], 2, TaskHint::Auto).is_err());
    assert!(to_dataset(&table, &[0], 1, TaskHint::Regression).unwrap_err().to_string().contains("holds text"));
    // A numeric target with fractions cannot be classes.
    let m = to_dataset(&parse_csv(b"x,y\n1,0\n2,1.5\n").unwrap(), &[0], 1, TaskHint::Classification).unwrap_err();
    assert!(m.to_string().contains("line 3") && m.to_string().contains("not a whole number"), "{m}");
    // One class only.
    let m = to_dataset(&parse_csv(b"x,y\n1,a\n2,a\n").unwrap(), &[0], 1, TaskHint::Auto).unwrap_err();
    assert!(m.to_string().contains("same class"), "{m}");
}

#[test]
fn never_panics_on_odd_inputs() {
    let inputs: [&[u8]; 14] = [
        b",",
        b",,,\n,,,\n",
        b"\"",
        b"\"\"\"",
        b";;\n;;\n;;\n",
        b"\t\n\t\n",
        b"a,b\n\"1\",\"2\"\n\"3\"\"\",4\n",
        b"a,b\r\n1,2\r\n3,4\r\n",
        b"a,b\r1,2\r3,4\r",
        b"1\n2,3\n",
        b"-,+\n.,e\n",
        b"a,b\n1,2\n3,4",
        b"\xEF\xBB\xBF\xEF\xBB\xBF",
        b"x,y\nNaN,inf\nnan,-infinity\n",
    ];
    for input in inputs {
        if let Ok(table) = parse_csv(input) {
            let n = table.columns.len();
            let _ = to_dataset(&table, &[0], n - 1, TaskHint::Auto);
            let _ = to_dataset(&table, &[0], n - 1, TaskHint::Classification);
        }
    }
}

// ---- good files -----------------------------------------------------------------------------

#[test]
fn bom_and_crlf() {
    let table = parse_csv(b"\xEF\xBB\xBFheight,weight\r\n1.5,60\r\n1.8,80\r\n").unwrap();
    assert!(table.has_header);
    assert_eq!(table.columns[0].name, "height");
    assert_eq!(numbers(&table, 1), vec![Some(60.0), Some(80.0)]);
    assert_eq!(table.lines, vec![2, 3]);
    // Blank lines and lone carriage returns still give the right line numbers.
    assert_eq!(parse_csv(b"\n\na,b\n1,2\n\n3,4\n").unwrap().lines, vec![4, 6]);
    assert_eq!(parse_csv(b"a,b\r1,2\r3,4\r").unwrap().lines, vec![2, 3]);
    assert!(error(b"a,b\r\n1,2\r\n\r\n3\r\n").contains("line 4: 1 field, expected 2"));
}

#[test]
fn tab_separated_without_header() {
    let table = parse_csv(b"1\t2\t3\n4\t5\t6\n").unwrap();
    assert_eq!(table.delimiter, b'\t');
    assert!(!table.has_header);
    assert_eq!(table.columns[2].name, "column 3");
    assert_eq!(numbers(&table, 0), vec![Some(1.0), Some(4.0)]);
    assert_eq!(table.lines, vec![1, 2]);
}

#[test]
fn semicolons_with_decimal_commas() {
    let table = parse_csv(b"a;b;c\n1,5;2,25;3\n-0,5;1e3;NA\n").unwrap();
    assert_eq!(table.delimiter, b';');
    assert!(table.decimal_comma);
    assert_eq!(numbers(&table, 0), vec![Some(1.5), Some(-0.5)]);
    assert_eq!(numbers(&table, 1), vec![Some(2.25), Some(1000.0)]);
    assert_eq!(numbers(&table, 2), vec![Some(3.0), None]);
    let (d, report) = to_dataset(&table, &[0, 2], 1, TaskHint::Auto).unwrap();
    assert_eq!(d.task, Task::Regression);
    assert!(d.x[(1, 1)].is_nan());
    assert_eq!((report.rows_with_missing, report.missing_cells, report.missing_by_feature.clone()), (1, 1, vec![0, 1]));
}

#[test]
fn quoted_fields_with_delimiters_and_newlines() {
    let text = b"x,\"note, with comma\",y\n1,\"two\nlines\",a\n2,\"say \"\"hi\"\"\",b\n3,plain,a\n";
    let table = parse_csv(text).unwrap();
    assert_eq!(table.columns[1].name, "note, with comma");
    match &table.columns[1].kind {
        ColumnKind::Text(v) => {
            assert_eq!(v[0].as_deref(), Some("two\nlines"));
            assert_eq!(v[1].as_deref(), Some("say \"hi\""));
        }
        other => panic!("{other:?}"),
    }
    // The record starting after a quoted newline is on line 4.
    assert_eq!(table.lines, vec![2, 4, 5]);
}

#[test]
fn text_classes_sorted_with_names_and_missing_values() {
    let text = b"x1,x2,species\n1,2,setosa\n3,?,virginica\n5,6,\n7,8,setosa\nnull,9,versicolor\n";
    let table = parse_csv(text).unwrap();
    let (d, report) = to_dataset(&table, &[0, 1], 2, TaskHint::Auto).unwrap();
    assert_eq!(d.task, Task::Classification { n_classes: 3 });
    assert_eq!(report.class_names, vec!["setosa", "versicolor", "virginica"]);
    assert_eq!(d.y.as_slice(), &[0.0, 2.0, 0.0, 1.0]);
    assert_eq!(report.dropped_missing_target, vec![4]);
    assert_eq!(report.rows_with_missing, 2);
    assert_eq!(report.missing_by_feature, vec![1, 1]);
    assert!(d.x[(1, 1)].is_nan() && d.x[(3, 0)].is_nan());
    assert_eq!(d.feature_names, vec!["x1", "x2"]);
}

#[test]
fn numeric_classes_when_asked() {
    let table = parse_csv(b"x,y\n0.5,3\n1.5,1\n2.5,3\n3.5,7\n").unwrap();
    let (regression, _) = to_dataset(&table, &[0], 1, TaskHint::Auto).unwrap();
    assert_eq!(regression.task, Task::Regression);
    let (classes, report) = to_dataset(&table, &[0], 1, TaskHint::Classification).unwrap();
    assert_eq!(classes.task, Task::Classification { n_classes: 3 });
    assert_eq!(report.class_names, vec!["1", "3", "7"]);
    assert_eq!(classes.y.as_slice(), &[1.0, 0.0, 1.0, 2.0]);
}

#[test]
fn export_marks_and_round_trip() {
    let d = Dataset::from_rows(&[1.0, 2.0, 0.1, -3.25, 1e-9, 7.0], 2, &[0.5, -1.0, 2.0], Task::Regression).unwrap();
    let text = to_csv(&d, &["generated", "clicked", "synthetic"]);
    assert_eq!(text, "x1,x2,target,mark\n1,2,0.5,generated\n0.1,-3.25,-1,clicked\n0.000000001,7,2,synthetic\n");
    let table = parse_csv(text.as_bytes()).unwrap();
    let (back, _) = to_dataset(&table, &[0, 1], 2, TaskHint::Regression).unwrap();
    assert_eq!((back.x, back.y), (d.x.clone(), d.y.clone()));
    // Without marks there is no mark column; missing (NaN) values are written as empty cells.
    let mut with_nan = d.clone();
    with_nan.x[(0, 1)] = f64::NAN;
    assert_eq!(to_csv(&with_nan, &[]).lines().nth(1), Some("1,,0.5"));
}

/// Issue 10 item 9: the error names the first error's line. A short row before an unclosed quote
/// further down is a short row (the quote count from its start to the end of the file is odd,
/// but it did not swallow the rest); the unclosed quote alone is named at its own line, mid-file
/// or on the last line without a line break.
#[test]
fn a_short_row_before_an_unclosed_quote_is_named_first() {
    let e = error(b"a,b,c\n1,2,3\n4,5\n6,7,8\n\"9,1,2\n");
    assert!(e.starts_with("line 3: 2 fields, expected 3"), "{e}");
    let e = error(b"a,b,c\n1,2,3\n4,5,6\n7,8,9\n\"9,1,2\n10,11,12\n");
    assert!(e.starts_with("line 5: a quote"), "{e}");
    let e = error(b"a,b,c\n1,2,3\n4,5,6\n\"9,1,2");
    assert!(e.starts_with("line 4: a quote"), "{e}");
    // a quoted field over two lines in a row of the right length is no error
    assert!(ml_playground::data::csv_import::parse_csv(b"a,b,c\n1,2,\"x\ny\"\n3,4,z\n5,6,w\n").is_ok());
}
