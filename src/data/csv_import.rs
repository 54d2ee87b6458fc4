//! The learner's own data: reading a CSV file into a [`Table`] of named columns, turning chosen
//! columns into a [`Dataset`], and writing a dataset back out as CSV.
//!
//! Reading is forgiving where a file is merely unusual (comma, semicolon or tab delimiters, a
//! header or none, a UTF-8 byte-order mark, GBK / GB18030 text as spreadsheets save it in a
//! Chinese locale (read when the file is not valid UTF-8; native builds only, see [`decode`]), quoted fields, decimal commas in `;`
//! files, missing cells written as empty, `NA`, `NaN`, `?` or `null`) and strict where it is
//! broken: every error names the line and the problem ("line 7: 3 fields, expected 4"). Nothing
//! here panics on any input, which `fuzz/` checks.
//!
//! Writing guards against CSV injection (OWASP): a text cell (a column or class name, a mark)
//! that begins with `=`, `+`, `-`, `@`, a tab or a carriage return, and is not a plain number, is
//! written with a leading `'` and in quotes, so a spreadsheet shows it as text instead of running
//! it as a formula (`=HYPERLINK(…)`). Numbers, negative ones too, are written as numbers.
//!
//! Missing feature cells stay in the dataset as NaN so the imputers of [`super::cleaning`] can
//! fill them; such a dataset must be imputed before training (see [`ImportReport`]).

use super::{Dataset, Task};
use crate::error::Result;
use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

/// Most data rows a file may have.
pub const MAX_ROWS: usize = 100_000;
/// Most columns a file may have.
pub const MAX_COLUMNS: usize = 1_000;
/// Most cells (rows × columns) a file may have, so a huge file cannot exhaust the page's memory.
pub const MAX_CELLS: usize = 5_000_000;
/// Longest cell, in bytes.
pub const MAX_CELL_BYTES: usize = 10_000;
/// Most classes a classification target may have.
pub const MAX_CLASSES: usize = 20;

/// Cell texts read as "missing" (compared ignoring case, after trimming spaces).
pub const MISSING_MARKERS: [&str; 7] = ["", "na", "n/a", "nan", "?", "null", "none"];

/// The values of one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "values", rename_all = "snake_case")]
pub enum ColumnKind {
    /// Every present cell is a finite number.
    Numeric(Vec<Option<f64>>),
    /// At least one present cell is not a number.
    Text(Vec<Option<String>>),
}

/// One named column of a [`Table`]; `None` marks a missing cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub kind: ColumnKind,
}

impl Column {
    /// Number of cells (the table's row count).
    pub fn len(&self) -> usize {
        match &self.kind {
            ColumnKind::Numeric(v) => v.len(),
            ColumnKind::Text(v) => v.len(),
        }
    }

    /// True when the column has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when every present cell is a number.
    pub fn is_numeric(&self) -> bool {
        matches!(self.kind, ColumnKind::Numeric(_))
    }

    /// Number of missing cells.
    pub fn missing(&self) -> usize {
        match &self.kind {
            ColumnKind::Numeric(v) => v.iter().filter(|c| c.is_none()).count(),
            ColumnKind::Text(v) => v.iter().filter(|c| c.is_none()).count(),
        }
    }

    /// True when cell `row` is missing (or out of range).
    fn is_missing(&self, row: usize) -> bool {
        match &self.kind {
            ColumnKind::Numeric(v) => v.get(row).is_none_or(|c| c.is_none()),
            ColumnKind::Text(v) => v.get(row).is_none_or(|c| c.is_none()),
        }
    }
}

/// A parsed CSV file: named columns of equal length, plus how the file was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<Column>,
    /// The file line on which each data row starts (1-based), for messages.
    pub lines: Vec<usize>,
    /// The delimiter found: `b','`, `b';'` or `b'\t'`.
    pub delimiter: u8,
    /// True when the first line was taken as column names.
    pub has_header: bool,
    /// True when numbers were read with decimal commas (`1,5`), which only `;` files allow.
    pub decimal_comma: bool,
}

impl Table {
    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.lines.len()
    }

    /// The file line of data row `row` (0-based), for messages.
    pub fn line_of(&self, row: usize) -> usize {
        self.lines.get(row).copied().unwrap_or(0)
    }
}

/// Whether the target is a number to predict or a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskHint {
    /// Text targets are classes, numeric targets are regression targets.
    #[default]
    Auto,
    /// Regression; a text target is refused.
    Regression,
    /// Classification; a numeric target must hold whole numbers with at most
    /// [`MAX_CLASSES`] distinct values.
    Classification,
}

/// What [`to_dataset`] did, for the page to tell the learner.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImportReport {
    /// Rows in the dataset.
    pub n_rows: usize,
    /// Rows of the dataset with at least one missing feature (kept, as NaN, for an imputer).
    pub rows_with_missing: usize,
    /// Missing feature cells in the dataset.
    pub missing_cells: usize,
    /// Missing cells per feature column, in the dataset's column order.
    pub missing_by_feature: Vec<usize>,
    /// File lines of the rows left out because their target was missing.
    pub dropped_missing_target: Vec<usize>,
    /// Class names in class-index order (class 0 first); empty for regression.
    pub class_names: Vec<String>,
}

/// True when `cell` means "missing".
fn is_missing_marker(cell: &str) -> bool {
    let t = cell.trim();
    MISSING_MARKERS.iter().any(|m| t.eq_ignore_ascii_case(m))
}

/// A cell as a number: `Ok(None)` when it is not a number, an error when it is a number too large
/// for a 64-bit float (`1e999`, `inf`).
fn parse_number(cell: &str, decimal_comma: bool) -> std::result::Result<Option<f64>, ()> {
    let t = cell.trim();
    // Rust also reads "inf", "infinity" and "nan"; only digits-based numbers are numbers here,
    // except an explicit infinity, which is an error below.
    let first = t.bytes().next();
    let looks_numeric = matches!(first, Some(b'0'..=b'9' | b'+' | b'-' | b'.'));
    let lower = t.to_ascii_lowercase();
    let infinity_word = matches!(lower.trim_start_matches(['+', '-']), "inf" | "infinity");
    if !looks_numeric && !infinity_word {
        return Ok(None);
    }
    let value = if decimal_comma && t.contains(',') {
        if t.contains('.') || t.matches(',').count() > 1 {
            return Ok(None);
        }
        t.replace(',', ".").parse::<f64>()
    } else {
        t.parse::<f64>()
    };
    match value {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(v) if v.is_infinite() => Err(()),
        _ if infinity_word => Err(()),
        _ => Ok(None),
    }
}

/// Shortens a cell for a message.
fn excerpt(cell: &str) -> String {
    let mut out: String = cell.chars().take(30).collect();
    if cell.chars().nth(30).is_some() {
        out.push('…');
    }
    out
}

/// The text of `bytes` without a UTF-8 byte-order mark, or an error naming the first line that is
/// not text. Valid UTF-8 is read as UTF-8; anything else is tried as GB18030 (which includes GBK):
/// a legacy Chinese file is never valid UTF-8 once it has a Chinese character, and a file that is
/// neither is refused as before. Natively only: X
/// 125 KB gzipped, and the browser has them (`TextDecoder("gb18030")`), so there the page is to
/// decode such a file to UTF-8 before handing it over.
fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(err!(InvalidData, "csv_utf16"));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let line_at = |pos: usize| bytes.iter().take(pos).filter(|&&b| b == b'\n').count() + 1;
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(err!(InvalidData, "csv_binary", pos = line_at(pos)));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(std::borrow::Cow::Borrowed(text)),
        Err(e) => {
            #[cfg(not(target_arch = "wasm32"))]
            if let Some(text) = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
                return Ok(text);
            }
            Err(err!(InvalidData, "csv_encoding", valid_up_to = line_at(e.valid_up_to())))
        }
    }
}

/// A text cell as written to CSV: one a spreadsheet would run as a formula (it begins with `=`,
/// `+`, `-`, `@`, tab or carriage return and is not a plain number) gets a leading `'`.
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().map_or(true, |v| !v.is_finite()) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes())
}

/// True for a record that is only spaces (a blank line).
fn is_blank(record: &csv::StringRecord) -> bool {
    record.len() <= 1 && record.get(0).is_none_or(|c| c.trim().is_empty())
}

/// Picks the delimiter from the first lines: among those that split every sampled line into the
/// same number (> 1) of fields, tab wins over `;` over `,` (a `;` file with decimal commas splits
/// consistently on `,` too). If none is consistent, the one giving the first line the most
/// fields is used, so the ragged-row error names the line.
fn sniff_delimiter(text: &str) -> u8 {
    const SAMPLE: usize = 50;
    let mut best = (b',', 0usize);
    for delimiter in [b'\t', b';', b','] {
        let mut counts = Vec::new();
        for record in reader(text, delimiter).records().take(SAMPLE * 2) {
            match record {
                Ok(r) if is_blank(&r) => continue,
                Ok(r) => counts.push(r.len()),
                Err(_) => break,
            }
            if counts.len() >= SAMPLE {
                break;
            }
        }
        let first = counts.first().copied().unwrap_or(0);
        if first > 1 && counts.iter().all(|&c| c == first) {
            return delimiter;
        }
        if first > best.1 {
            best = (delimiter, first);
        }
    }
    best.0
}

fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b'\t' => "tab",
        b';' => "semicolon",
        _ => "comma",
    }
}

/// Line numbers of byte offsets, counted forward (offsets only grow). The csv crate's own line
/// count is off after `\r\n` and blank lines, so lines are counted here: a line ends at `\n`, or
/// at a `\r` not followed by `\n`.
struct LineCounter<'a> {
    bytes: &'a [u8],
    byte: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// The line of the first character at or after `byte` that is not a line break (a record's
    /// position is where the previous one ended, before any blank lines).
    fn line_at(&mut self, byte: usize) -> usize {
        let mut start = byte.min(self.bytes.len());
        while matches!(self.bytes.get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        if start < self.byte {
            return self.line;
        }
        for i in self.byte..start {
            match self.bytes.get(i) {
                Some(b'\n') => self.line += 1,
                Some(b'\r') if self.bytes.get(i + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
        }
        self.byte = start;
        self.line
    }
}

/// An unclosed quote swallows the rest of the file into one record: an odd number of quote
/// characters from that record's start to the end of the file is the tell.
fn unclosed_quote(text: &str, record_start: usize, line: usize) -> Result<()> {
    if odd_quotes_after(text, record_start) {
        return Err(err!(InvalidData, "csv_quote", line = line));
    }
    Ok(())
}

/// Whether the text from `start` to the end of the file holds an odd number of quote characters.
fn odd_quotes_after(text: &str, start: usize) -> bool {
    text.get(start..).is_some_and(|rest| rest.bytes().filter(|&b| b == b'"').count() % 2 == 1)
}

/// Whether a record whose field count is wrong is so because a quote opened in it is never closed:
/// then it swallowed the rest of the file (one of its fields holds a line break, or it starts on
/// the last line) and the quotes from its start on are odd. A short row before an unclosed quote
/// further down is a short row, named at its own line.
fn swallowed_by_a_quote(text: &str, record: &csv::StringRecord, start: usize) -> bool {
    let on_last_line = text.get(start..).is_some_and(|rest| !rest.trim_end().contains('\n'));
    (on_last_line || record.iter().any(|f| f.contains('\n'))) && odd_quotes_after(text, start)
}

/// Reads a CSV file (see the module documentation for what is accepted).
///
/// Errors: an empty, binary or non-UTF-8 file; a single column; a header without data rows, or a
/// single data row; rows with a different number of fields than the first (naming the line);
/// an unclosed quote; duplicate column names; more than [`MAX_ROWS`] rows, [`MAX_COLUMNS`]
/// columns, [`MAX_CELLS`] cells or cells longer than [`MAX_CELL_BYTES`]; numbers too large for a
/// 64-bit float (`1e999`); no numeric column.
pub fn parse_csv(bytes: &[u8]) -> Result<Table> {
    let text = decode(bytes)?;
    let text = text.as_ref();
    if text.trim().is_empty() {
        return Err(err!(InvalidData, "csv_empty"));
    }
    let delimiter = sniff_delimiter(text);
    let decimal_comma = delimiter == b';';

    // Read every record as text, column by column.
    let mut cells: Vec<Vec<String>> = Vec::new();
    let mut lines: Vec<usize> = Vec::new();
    let mut last_start = 0usize;
    let mut expected = 0usize;
    let mut lines_counter = LineCounter { bytes: text.as_bytes(), byte: 0, line: 1 };
    for record in reader(text, delimiter).records() {
        let record = record.map_err(|e| {
            err!(InvalidData, "csv_unreadable", detail = format!("the file could not be read as CSV: {e}", e = e))
        })?;
        if is_blank(&record) {
            continue;
        }
        let byte = record.position().map_or(0, |p| p.byte() as usize);
        let line = lines_counter.line_at(byte);
        last_start = byte;
        if cells.is_empty() {
            expected = record.len();
            if expected < 2 {
                return Err(err!(InvalidData, "csv_one_column", line = line));
            }
            if expected > MAX_COLUMNS {
                return Err(err!(
                    InvalidData,
                    "csv_too_many_columns",
                    line = line,
                    expected = expected,
                    MAX_COLUMNS = MAX_COLUMNS
                ));
            }
            cells = vec![Vec::new(); expected];
        } else if record.len() != expected {
            if swallowed_by_a_quote(text, &record, byte) {
                unclosed_quote(text, byte, line)?;
            }
            // A decimal comma such as 1,5 splits a number in two in a comma-separated file.
            return Err(if delimiter == b',' && record.len() > expected {
                err!(InvalidData, "csv_field_count_comma", line = line, n = record.len(), expected = expected)
            } else {
                err!(InvalidData, "csv_field_count", line = line, n = record.len(), expected = expected)
            });
        }
        // The first record may be the header, so data rows are `lines.len()` before this one.
        if lines.len() > MAX_ROWS {
            return Err(err!(InvalidData, "csv_too_many_rows", MAX_ROWS = MAX_ROWS));
        }
        if (lines.len() + 1).saturating_mul(expected) > MAX_CELLS + expected {
            return Err(err!(InvalidData, "csv_too_many_cells", line = line, MAX_CELLS = MAX_CELLS));
        }
        for (j, cell) in record.iter().enumerate() {
            if cell.len() > MAX_CELL_BYTES {
                return Err(err!(
                    InvalidData,
                    "csv_cell_too_long",
                    line = line,
                    j = j + 1,
                    cell = cell.len(),
                    MAX_CELL_BYTES = MAX_CELL_BYTES
                ));
            }
            if let Some(column) = cells.get_mut(j) {
                column.push(cell.to_string());
            }
        }
        lines.push(line);
    }
    unclosed_quote(text, last_start, lines.last().copied().unwrap_or(1))?;
    if lines.is_empty() {
        return Err(err!(InvalidData, "csv_empty"));
    }

    // Header: a first line without a single number.
    let has_header = cells.iter().all(|c| c.first().is_none_or(|v| matches!(parse_number(v, decimal_comma), Ok(None))));
    let names: Vec<String> = if has_header {
        cells
            .iter_mut()
            .enumerate()
            .map(|(j, c)| {
                let name = if c.is_empty() { String::new() } else { c.remove(0).trim().to_string() };
                if name.is_empty() {
                    format!("column {}", j + 1)
                } else {
                    name
                }
            })
            .collect()
    } else {
        (1..=cells.len()).map(|j| format!("column {j}")).collect()
    };
    if has_header {
        lines.remove(0);
    }
    for (j, name) in names.iter().enumerate() {
        if let Some(k) = names.iter().skip(j + 1).position(|other| other == name) {
            return Err(err!(InvalidData, "csv_duplicate_name", j = j + 1, k = j + k + 2, name = excerpt(name)));
        }
    }
    match lines.len() {
        0 => return Err(err!(InvalidData, "csv_no_rows")),
        1 => return Err(err!(InvalidData, "csv_one_row")),
        n if n > MAX_ROWS => return Err(err!(InvalidData, "csv_rows_limit", n = n, MAX_ROWS = MAX_ROWS)),
        _ => {}
    }

    // Column kinds: numeric when every present cell is a number.
    let mut columns = Vec::with_capacity(names.len());
    for (name, raw) in names.into_iter().zip(cells) {
        let mut numbers = Vec::with_capacity(raw.len());
        let mut numeric = true;
        for (i, cell) in raw.iter().enumerate() {
            if is_missing_marker(cell) {
                numbers.push(None);
                continue;
            }
            match parse_number(cell, decimal_comma) {
                Ok(Some(v)) => numbers.push(Some(v)),
                Ok(None) => {
                    numeric = false;
                    break;
                }
                Err(()) => {
                    return Err(err!(
                        InvalidData,
                        "csv_overflow",
                        i = lines.get(i).copied().unwrap_or(0),
                        name = excerpt(&name),
                        trim = excerpt(cell.trim())
                    ))
                }
            }
        }
        let kind = if numeric {
            ColumnKind::Numeric(numbers)
        } else {
            ColumnKind::Text(
                raw.into_iter()
                    .map(|c| if is_missing_marker(&c) { None } else { Some(c.trim().to_string()) })
                    .collect(),
            )
        };
        columns.push(Column { name, kind });
    }
    if !columns.iter().any(Column::is_numeric) {
        return Err(if delimiter == b',' {
            err!(InvalidData, "csv_no_numbers_comma")
        } else {
            err!(InvalidData, "csv_no_numbers", delimiter = delimiter_name(delimiter))
        });
    }
    Ok(Table { columns, lines, delimiter, has_header, decimal_comma })
}

/// The first cell of a text column that is not a number, as `(line, cell)`, for messages.
fn first_non_number(table: &Table, values: &[Option<String>]) -> Option<(usize, String)> {
    values.iter().enumerate().find_map(|(i, v)| {
        v.as_ref()
            .filter(|s| !matches!(parse_number(s, table.decimal_comma), Ok(Some(_))))
            .map(|s| (table.line_of(i), excerpt(s)))
    })
}

/// Builds a dataset from the feature columns `x_columns` and the `target` column of `table`.
///
/// - Feature columns must be numeric; a missing feature cell becomes NaN in `x` (counted in the
///   report) so an imputer can fill it: impute before training, as [`Dataset::new`] and the
///   models refuse NaN.
/// - Rows whose target is missing are left out and their lines listed in the report.
/// - A text target becomes classes named by its values, sorted (class 0 is the first name); a
///   numeric target is a regression target, or with [`TaskHint::Classification`] classes of its
///   whole-number values, sorted.
pub fn to_dataset(
    table: &Table,
    x_columns: &[usize],
    target: usize,
    hint: TaskHint,
) -> Result<(Dataset, ImportReport)> {
    let n_columns = table.columns.len();
    if x_columns.is_empty() {
        return Err(err!(InvalidParameter, "csv_no_feature"));
    }
    let column = |j: usize| {
        table.columns.get(j).ok_or_else(|| err!(InvalidParameter, "csv_no_column", j = j + 1, n_columns = n_columns))
    };
    let target_column = column(target)?;
    let mut features = Vec::with_capacity(x_columns.len());
    for (k, &j) in x_columns.iter().enumerate() {
        let c = column(j)?;
        if j == target || x_columns[..k].contains(&j) {
            return Err(err!(InvalidParameter, "csv_column_twice", name = excerpt(&c.name)));
        }
        match &c.kind {
            ColumnKind::Numeric(values) => {
                if values.iter().all(Option::is_none) {
                    return Err(err!(InvalidData, "csv_column_empty", name = excerpt(&c.name)));
                }
                features.push((c.name.clone(), values));
            }
            ColumnKind::Text(values) => {
                let (line, cell) = first_non_number(table, values).unwrap_or_default();
                return Err(err!(InvalidData, "csv_column_text", name = excerpt(&c.name), line = line, cell = cell));
            }
        }
    }

    // Which rows have a target, and the target values.
    let n = table.n_rows();
    let kept: Vec<usize> = (0..n).filter(|&i| !target_column.is_missing(i)).collect();
    let dropped_missing_target: Vec<usize> =
        (0..n).filter(|&i| target_column.is_missing(i)).map(|i| table.line_of(i)).collect();
    if kept.len() < 2 {
        return Err(err!(InvalidData, "csv_target_few", name = excerpt(&target_column.name), kept = kept.len()));
    }
    let (y, task, class_names) = match (&target_column.kind, hint) {
        (ColumnKind::Text(values), TaskHint::Regression) => {
            let (line, cell) = first_non_number(table, values).unwrap_or_default();
            return Err(err!(
                InvalidData,
                "csv_target_text",
                name = excerpt(&target_column.name),
                line = line,
                cell = cell
            ));
        }
        (ColumnKind::Text(values), _) => {
            let mut names: Vec<String> = kept.iter().filter_map(|&i| values.get(i).cloned().flatten()).collect();
            names.sort();
            names.dedup();
            let y: Vec<f64> = kept
                .iter()
                .map(|&i| {
                    let v = values.get(i).and_then(|v| v.as_deref()).unwrap_or("");
                    names.binary_search_by(|name| name.as_str().cmp(v)).unwrap_or(0) as f64
                })
                .collect();
            (y, Task::Classification { n_classes: names.len() }, names)
        }
        (ColumnKind::Numeric(values), TaskHint::Classification) => {
            let present: Vec<f64> = kept.iter().filter_map(|&i| values.get(i).copied().flatten()).collect();
            if let Some(pos) = present.iter().position(|v| v.fract() != 0.0) {
                return Err(err!(
                    InvalidData,
                    "csv_target_not_whole",
                    pos = table.line_of(kept.get(pos).copied().unwrap_or(0)),
                    pos2 = present[pos]
                ));
            }
            let mut distinct = present.clone();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            let y = present.iter().map(|v| distinct.binary_search_by(|d| d.total_cmp(v)).unwrap_or(0) as f64).collect();
            let names = distinct.iter().map(|v| format!("{v}")).collect();
            (y, Task::Classification { n_classes: distinct.len() }, names)
        }
        (ColumnKind::Numeric(values), _) => {
            let y = kept.iter().map(|&i| values.get(i).copied().flatten().unwrap_or(f64::NAN)).collect();
            (y, Task::Regression, Vec::new())
        }
    };
    if let Task::Classification { n_classes } = task {
        if n_classes < 2 {
            return Err(err!(InvalidData, "csv_target_one_class", name = excerpt(&target_column.name)));
        }
        if n_classes > MAX_CLASSES {
            return Err(err!(
                InvalidData,
                "csv_target_many_classes",
                name = excerpt(&target_column.name),
                n_classes = n_classes,
                MAX_CLASSES = MAX_CLASSES
            ));
        }
    }

    let d = features.len();
    let mut x = DMatrix::from_element(kept.len(), d, f64::NAN);
    let mut missing_by_feature = vec![0; d];
    let mut rows_with_missing = 0;
    for (r, &i) in kept.iter().enumerate() {
        let mut any = false;
        for (j, (_, values)) in features.iter().enumerate() {
            match values.get(i).copied().flatten() {
                Some(v) => x[(r, j)] = v,
                None => {
                    missing_by_feature[j] += 1;
                    any = true;
                }
            }
        }
        rows_with_missing += usize::from(any);
    }
    let report = ImportReport {
        n_rows: kept.len(),
        rows_with_missing,
        missing_cells: missing_by_feature.iter().sum(),
        missing_by_feature,
        dropped_missing_target,
        class_names,
    };
    let dataset = Dataset {
        x,
        y: DVector::from_vec(y),
        feature_names: features.into_iter().map(|(name, _)| name).collect(),
        task,
    };
    Ok((dataset, report))
}

/// A dataset as CSV text: a header (the feature names, `target`, then `mark` when marks are
/// given) and one line per row. `marks` labels the rows (e.g. `generated`, `clicked`,
/// `synthetic`): give one per row, or none to leave the column out (rows beyond the marks get an
/// empty mark). Missing values (NaN) are written as empty cells; numbers round-trip exactly.
pub fn to_csv(dataset: &Dataset, marks: &[&str]) -> String {
    to_csv_with_classes(dataset, marks, &[])
}

/// As [`to_csv`], writing class `c` as `class_names[c]` when there is such a name.
pub fn to_csv_with_classes(dataset: &Dataset, marks: &[&str], class_names: &[String]) -> String {
    let mut out = String::new();
    let mut header: Vec<String> = (0..dataset.n_features())
        .map(|j| text_field(dataset.feature_names.get(j).map_or(&format!("x{}", j + 1), |name| name)))
        .collect();
    header.push("target".into());
    if !marks.is_empty() {
        header.push("mark".into());
    }
    push_record(&mut out, &header);
    let number = |v: f64| {
        if !v.is_finite() {
            return String::new();
        }
        // Both forms round-trip; the exponent form keeps 1e-300 short.
        let plain = format!("{v}");
        if plain.len() > 20 {
            format!("{v:e}")
        } else {
            plain
        }
    };
    for i in 0..dataset.len() {
        let mut row: Vec<String> = dataset.x.row(i).iter().map(|&v| number(v)).collect();
        let y = dataset.y[i];
        let class_name = match dataset.task {
            Task::Classification { .. } if y >= 0.0 && y.fract() == 0.0 => class_names.get(y as usize),
            _ => None,
        };
        row.push(class_name.map_or_else(|| number(y), |name| text_field(name)));
        if !marks.is_empty() {
            row.push(text_field(marks.get(i).copied().unwrap_or("")));
        }
        push_record(&mut out, &row);
    }
    out
}

/// A text cell as a CSV field: escaped against formula injection (see the module docs) and then
/// quoted, or quoted when it holds a comma, a quote or a line break, else as it is.
fn text_field(cell: &str) -> String {
    match spreadsheet_safe(cell) {
        std::borrow::Cow::Owned(escaped) => quote(&escaped),
        std::borrow::Cow::Borrowed(plain) if plain.contains([',', '"', '\n', '\r']) => quote(plain),
        std::borrow::Cow::Borrowed(plain) => plain.to_string(),
    }
}

fn quote(cell: &str) -> String {
    format!("\"{}\"", cell.replace('"', "\"\""))
}

/// Appends one line of already formed fields.
fn push_record(out: &mut String, fields: &[String]) {
    out.push_str(&fields.join(","));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_markers() {
        assert_eq!(parse_number(" 1.5 ", false), Ok(Some(1.5)));
        assert_eq!(parse_number("1,5", true), Ok(Some(1.5)));
        assert_eq!(parse_number("1,5", false), Ok(None));
        assert_eq!(parse_number("1.000,5", true), Ok(None));
        assert_eq!(parse_number("-2e3", false), Ok(Some(-2000.0)));
        assert_eq!(parse_number("1e999", false), Err(()));
        assert_eq!(parse_number("-inf", false), Err(()));
        assert_eq!(parse_number("cat", false), Ok(None));
        assert_eq!(parse_number("nan", false), Ok(None));
        assert!(is_missing_marker(" NA ") && is_missing_marker("?") && is_missing_marker("Null"));
        assert!(!is_missing_marker("0"));
    }

    #[test]
    fn sniffs_each_delimiter() {
        assert_eq!(sniff_delimiter("a,b\n1,2\n"), b',');
        assert_eq!(sniff_delimiter("a;b\n1,5;2,25\n3;4\n"), b';');
        assert_eq!(sniff_delimiter("1,5;2,25\n3,5;4,5\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n4,5\n"), b',');
    }

    #[test]
    fn csv_round_trip() {
        let d = Dataset::from_rows(&[0.1, -2.5, 1e-300, 3.0], 2, &[1.0, 0.0], Task::Classification { n_classes: 2 })
            .unwrap();
        let text = to_csv(&d, &["clicked", "synthetic"]);
        assert_eq!(text.lines().next(), Some("x1,x2,target,mark"));
        let table = parse_csv(text.as_bytes()).unwrap();
        let (back, _) = to_dataset(&table, &[0, 1], 2, TaskHint::Classification).unwrap();
        assert_eq!(back.x, d.x);
        assert_eq!(back.y, d.y);
        let named = to_csv_with_classes(&d, &[], &["no".into(), "yes".into()]);
        assert_eq!(named, "x1,x2,target\n0.1,-2.5,yes\n1e-300,3,no\n");
    }

    #[test]
    fn text_cells_that_a_spreadsheet_would_run_are_escaped_and_numbers_are_not() {
        // Issue 10 item 22 (OWASP CSV injection): names beginning with =, +, -, @, tab or CR.
        let mut d = Dataset::from_rows(&[-1.5, 2.0, -3e-5, 4.0], 2, &[1.0, 0.0], Task::Classification { n_classes: 2 })
            .unwrap();
        d.feature_names = vec!["=HYPERLINK(\"http://evil.example\",\"x\")".into(), "@SUM(A1:A9)".into()];
        let classes = vec!["-2+3".into(), "+1".into()];
        let text = to_csv_with_classes(&d, &["=cmd|' /C calc'!A0", "\tsynthetic"], &classes);
        assert_eq!(
            text,
            "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",\"'@SUM(A1:A9)\",target,mark\n\
             -1.5,2,+1,\"'=cmd|' /C calc'!A0\"\n\
             -0.00003,4,\"'-2+3\",\"'\tsynthetic\"\n"
        );
        for (cell, written) in [
            ("-3", "-3"),
            ("-2.5e3", "-2.5e3"),
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("-", "\"'-\""),
            ("-inf", "\"'-inf\""),
            ("\rx", "\"'\rx\""),
            ("+", "\"'+\""),
        ] {
            assert_eq!(text_field(cell), written, "{cell:?}");
        }
        // What is written reads back: the escaped names keep their `'`, the numbers are numbers.
        let table = parse_csv(text.as_bytes()).unwrap();
        assert_eq!(table.columns[0].name, "'=HYPERLINK(\"http://evil.example\",\"x\")");
        let (back, _) = to_dataset(&table, &[0, 1], 2, TaskHint::Classification).unwrap();
        assert_eq!(back.x, d.x);
    }

    #[test]
    fn gbk_and_gb18030_files_are_read() {
        // What a spreadsheet saves in a Chinese locale: not UTF-8, so it was refused.
        let text = "身高,体重,品种\n1.5,20,猫\n1.7,25,狗\n1.6,22,猫\n";
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
        assert!(!unmappable && std::str::from_utf8(&gbk).is_err());
        let table = parse_csv(&gbk).unwrap();
        let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["身高", "体重", "品种"]);
        let (data, report) = to_dataset(&table, &[0, 1], 2, TaskHint::Classification).unwrap();
        assert_eq!(report.class_names, ["狗", "猫"]);
        assert_eq!(data.x.row(2).iter().copied().collect::<Vec<_>>(), [1.6, 22.0]);
        // GB18030's four-byte sequences (a character GBK lacks).
        let (gb18030, _, unmappable) = encoding_rs::GB18030.encode("名称,x\n𠀀,1\n乙,2\n丙,3\n");
        assert!(!unmappable);
        let table = parse_csv(&gb18030).unwrap();
        assert_eq!(table.columns[0].name, "名称");
        // UTF-8 comes first: the same text in UTF-8 reads the same.
        assert_eq!(parse_csv(text.as_bytes()).unwrap().columns[2].name, "品种");
        // Bytes that are neither are refused, naming the line.
        let err = parse_csv(b"a,b\n1,2\n\xff\xff,3\n").unwrap_err().to_string();
        assert!(err.contains("line 3") && err.contains("neither UTF-8 nor GBK"), "{err}");
    }
}
