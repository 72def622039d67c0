//! CSV as spreadsheets write it, in and out. Reading: UTF-8 with or without BOM (anything else
//! refused, saying how to fix it), `;` or `,` detected, quoted fields with separators, quotes
//! and newlines inside, CRLF or LF, empty lines skipped; streamed record by record with
//! csv-core, with line numbers for messages. Writing: quoted when needed, CRLF, and every
//! cell neutralised against formula injection.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// A record longer than this is not a row of people: say so instead of reading megabytes.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;
/// Data rows per file (the header not counted).
pub const MAX_ROWS: usize = 10_000;

/// Why a file cannot be read at all. Rows with problems are not errors here (see
/// `imports::rules`): these stop the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    Empty,
    Utf16,
    NotUtf8 { line: usize },
    RecordTooLong { line: usize },
    TooManyRows { max: usize },
    /// A quoted field that never ends: everything after it would be read as one cell.
    UnclosedQuote { line: usize },
}

impl CsvError {
    pub fn code(&self) -> &'static str {
        match self {
            CsvError::Empty => "csv_empty",
            CsvError::Utf16 => "csv_utf16",
            CsvError::NotUtf8 { .. } => "csv_not_utf8",
            CsvError::RecordTooLong { .. } => "csv_record_too_long",
            CsvError::TooManyRows { .. } => "csv_too_many_rows",
            CsvError::UnclosedQuote { .. } => "csv_unclosed_quote",
        }
    }

    /// The line the problem is on, if it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            CsvError::NotUtf8 { line } | CsvError::RecordTooLong { line } | CsvError::UnclosedQuote { line } => Some(*line),
            _ => None,
        }
    }
}

/// One record and the line it starts on (1-based, counting the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

const BOM: &str = "\u{feff}";

/// The text of an uploaded file: UTF-8, BOM removed.
pub fn decode(bytes: &[u8]) -> Result<&str, CsvError> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(CsvError::Utf16);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| CsvError::NotUtf8 { line: 1 + line_breaks(bytes, 0, e.valid_up_to()) })?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    if text.trim().is_empty() {
        return Err(CsvError::Empty);
    }
    Ok(text)
}

/// Line breaks in `bytes[from..to]`: LF, CRLF and a lone CR (old Mac files) count one each.
pub fn line_breaks(bytes: &[u8], from: usize, to: usize) -> usize {
    (from..to).filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).count()
}

/// `;`, `,` or tab, whichever the first line (outside quotes) has most of; `,` on a tie.
pub fn detect_separator(text: &str) -> u8 {
    let (mut semicolons, mut commas, mut tabs, mut quoted) = (0, 0, 0, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            '\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if tabs > semicolons && tabs > commas {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// The line of a quote that opens a field and is never closed, if any. (csv-core would read
/// the rest of the file as that one cell.) A quote is a field's quote only at its start.
pub fn unclosed_quote(text: &str, separator: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut line, mut i, mut field_start, mut open_line) = (1usize, 0usize, true, None);
    while i < bytes.len() {
        let b = bytes[i];
        let is_break = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        match open_line {
            Some(_) if b == b'"' && bytes.get(i + 1) == Some(&b'"') => i += 1,
            Some(_) if b == b'"' => open_line = None,
            Some(_) => {}
            None if b == b'"' && field_start => open_line = Some(line),
            None => {}
        }
        if open_line.is_none() {
            field_start = b == separator || b == b'\n' || b == b'\r';
        }
        if is_break {
            line += 1;
        }
        i += 1;
    }
    open_line
}

/// Every non-empty record, in order. A record whose fields are all blank (an empty line, or
/// `;;;` left by a spreadsheet) is skipped.
pub fn read(text: &str, separator: u8) -> Result<Vec<Record>, CsvError> {
    if let Some(line) = unclosed_quote(text, separator) {
        return Err(CsvError::UnclosedQuote { line });
    }
    let all = text.as_bytes();
    let mut reader: Reader = ReaderBuilder::new().delimiter(separator).build();
    let mut input = text.as_bytes();
    let mut records = vec![];
    let mut output = vec![0u8; 4096];
    let mut ends = vec![0usize; 32];
    let (mut out_len, mut ends_len) = (0usize, 0usize);
    // The line the current record starts on, and the line reading has reached.
    let mut line = 1usize;
    let mut record_line = 1usize;
    skip_line_breaks(all, &mut input, &mut line, &mut record_line);
    loop {
        let (result, nin, nout, nend) = reader.read_record(input, &mut output[out_len..], &mut ends[ends_len..]);
        let at = all.len() - input.len();
        line += line_breaks(all, at, at + nin);
        input = &input[nin..];
        out_len += nout;
        ends_len += nend;
        match result {
            ReadRecordResult::InputEmpty => {
                if input.is_empty() {
                    // Tell the reader the input is over (it flushes a last line with no newline).
                    continue_at_end(&mut reader, &mut output, &mut ends, &mut out_len, &mut ends_len, record_line, &mut records)?;
                    return Ok(records);
                }
            }
            ReadRecordResult::OutputFull => {
                if output.len() >= MAX_RECORD_BYTES {
                    return Err(CsvError::RecordTooLong { line: record_line });
                }
                output.resize(output.len() * 2, 0);
            }
            ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            ReadRecordResult::Record => {
                push_record(&output[..out_len], &ends[..ends_len], record_line, &mut records)?;
                out_len = 0;
                ends_len = 0;
                // The next record starts after the line break(s) that ended this one.
                skip_line_breaks(all, &mut input, &mut line, &mut record_line);
            }
            ReadRecordResult::End => return Ok(records),
        }
        if out_len > MAX_RECORD_BYTES {
            return Err(CsvError::RecordTooLong { line: record_line });
        }
    }
}

/// Line breaks between records (the rest of a CRLF, empty lines) are skipped here, so the
/// next record's first line is known exactly.
fn skip_line_breaks(all: &[u8], input: &mut &[u8], line: &mut usize, record_line: &mut usize) {
    let skipped = input.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
    let at = all.len() - input.len();
    *line += line_breaks(all, at, at + skipped);
    *input = &input[skipped..];
    *record_line = *line;
}

fn continue_at_end(
    reader: &mut Reader,
    output: &mut Vec<u8>,
    ends: &mut Vec<usize>,
    out_len: &mut usize,
    ends_len: &mut usize,
    record_line: usize,
    records: &mut Vec<Record>,
) -> Result<(), CsvError> {
    loop {
        let (result, _, nout, nend) = reader.read_record(&[], &mut output[*out_len..], &mut ends[*ends_len..]);
        *out_len += nout;
        *ends_len += nend;
        match result {
            ReadRecordResult::Record => {
                push_record(&output[..*out_len], &ends[..*ends_len], record_line, records)?;
                *out_len = 0;
                *ends_len = 0;
            }
            ReadRecordResult::OutputFull => {
                if output.len() >= MAX_RECORD_BYTES {
                    return Err(CsvError::RecordTooLong { line: record_line });
                }
                let len = output.len() * 2;
                output.resize(len, 0);
            }
            ReadRecordResult::OutputEndsFull => {
                let len = ends.len() * 2;
                ends.resize(len, 0);
            }
            ReadRecordResult::InputEmpty | ReadRecordResult::End => return Ok(()),
        }
    }
}

fn push_record(output: &[u8], ends: &[usize], line: usize, records: &mut Vec<Record>) -> Result<(), CsvError> {
    let mut fields = Vec::with_capacity(ends.len());
    let mut start = 0;
    for &end in ends {
        // The input was UTF-8 and csv-core splits only at ASCII bytes.
        fields.push(String::from_utf8_lossy(&output[start..end]).into_owned());
        start = end;
    }
    if fields.iter().all(|f| f.trim().is_empty()) {
        return Ok(());
    }
    // The header is not a data row.
    if records.len() > MAX_ROWS {
        return Err(CsvError::TooManyRows { max: MAX_ROWS });
    }
    records.push(Record { line, fields });
    Ok(())
}

/// What a spreadsheet would run as a formula starts with one of these.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as exported: one that a spreadsheet would run as a formula gets a leading `'`
/// (shown as text); so does one that already starts with `'`, so `restore_cell` is exact.
pub fn neutralise_cell(value: &str) -> String {
    match value.chars().next() {
        Some(c) if FORMULA_STARTS.contains(&c) || c == '\'' => format!("'{value}"),
        _ => value.to_string(),
    }
}

/// The inverse of `neutralise_cell`, applied by the importer: a file we exported reads back
/// as the values it was written from.
pub fn restore_cell(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.chars().next().is_some_and(|c| FORMULA_STARTS.contains(&c) || c == '\'') => rest,
        _ => value,
    }
}

/// Appends one record: cells neutralised, quoted when they hold the separator, a quote, a
/// line break or edge spaces; CRLF at the end.
pub fn write_record<S: AsRef<str>>(out: &mut String, cells: &[S], separator: char) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        let cell = neutralise_cell(cell.as_ref());
        let needs_quotes = cell.contains([separator, '"', '\n', '\r']) || cell.starts_with(' ') || cell.ends_with(' ');
        if needs_quotes {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push_str("\r\n");
}

/// A whole file for spreadsheets: BOM first (so accents read right), then the records.
pub fn write_file<S: AsRef<str>>(rows: &[Vec<S>], separator: char) -> String {
    let mut out = String::from(BOM);
    for row in rows {
        write_record(&mut out, row, separator);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(records: &[Record]) -> Vec<Vec<&str>> {
        records.iter().map(|r| r.fields.iter().map(String::as_str).collect()).collect()
    }

    #[test]
    fn bom_and_both_separators() {
        let text = decode("\u{feff}email;prénom\r\na@x.fr;Zoé\r\n".as_bytes()).unwrap();
        assert_eq!(detect_separator(text), b';');
        assert_eq!(fields(&read(text, b';').unwrap()), vec![vec!["email", "prénom"], vec!["a@x.fr", "Zoé"]]);
        let text = "email,first_name\nb@x.fr,Bob";
        assert_eq!(detect_separator(text), b',');
        assert_eq!(fields(&read(text, b',').unwrap())[1], vec!["b@x.fr", "Bob"]);
    }

    #[test]
    fn a_quote_never_closed_names_the_line_it_opened_on() {
        let text = "email;note\na@x.fr;ok\nb@x.fr;\"oops\nc@x.fr;fine\n";
        assert_eq!(read(text, b';'), Err(CsvError::UnclosedQuote { line: 3 }));
        assert_eq!(CsvError::UnclosedQuote { line: 3 }.line(), Some(3));
        // Quotes inside a field, doubled quotes and closed multi-line cells are fine.
        assert_eq!(unclosed_quote("a;b\"c;\"d\"\"e\"\n\"x\ny\";z\n", b';'), None);
        assert_eq!(unclosed_quote("email\r\"a", b','), Some(2), "CR-only lines count too");
    }

    #[test]
    fn old_mac_cr_only_lines_are_numbered() {
        let text = "email,first_name\ra@x.fr,A\r\rb@x.fr,B\r";
        let records = read(text, b',').unwrap();
        assert_eq!(fields(&records)[2], vec!["b@x.fr", "B"]);
        assert_eq!(records.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 2, 4]);
        assert_eq!(line_breaks(b"a\rb\r\nc\nd", 0, 8), 3);
    }

    #[test]
    fn tab_separated_files_are_detected() {
        let text = "email\tfirst_name\tlast_name\na@x.fr\tA\tB\n";
        assert_eq!(detect_separator(text), b'\t');
        assert_eq!(fields(&read(text, b'\t').unwrap())[1], vec!["a@x.fr", "A", "B"]);
        assert_eq!(detect_separator("email;note\ta\n"), b';', "a tab inside a cell does not win a tie");
    }

    #[test]
    fn separators_inside_quotes_do_not_count() {
        assert_eq!(detect_separator("\"a;b;c\",d,e\n"), b',');
        assert_eq!(detect_separator("\"a,b,c\";d;e\n"), b';');
    }

    #[test]
    fn quoted_fields_keep_separators_quotes_and_newlines_and_lines_are_counted() {
        let text = "email;note\r\n\"a@x.fr\";\"un; deux \"\"trois\"\"\r\nquatre\"\r\nb@x.fr;fin\r\n";
        let records = read(text, b';').unwrap();
        assert_eq!(fields(&records)[1], vec!["a@x.fr", "un; deux \"trois\"\r\nquatre"]);
        assert_eq!(records.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 2, 4]);
    }

    #[test]
    fn empty_lines_are_skipped_and_numbered_past() {
        let text = "email\n\n\na@x.fr\n,,\n\nb@x.fr";
        let records = read(text, b',').unwrap();
        assert_eq!(fields(&records), vec![vec!["email"], vec!["a@x.fr"], vec!["b@x.fr"]]);
        assert_eq!(records.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 4, 7]);
    }

    #[test]
    fn files_that_are_not_utf8_are_refused_with_where() {
        assert_eq!(decode(b"email\nz\xe9@x.fr\n"), Err(CsvError::NotUtf8 { line: 2 }));
        assert_eq!(decode(b"\xff\xfee\x00m\x00"), Err(CsvError::Utf16));
        assert_eq!(decode(b"\xef\xbb\xbf  \n"), Err(CsvError::Empty));
    }

    #[test]
    fn a_10_mb_line_is_refused_not_read() {
        let text = format!("email,note\na@x.fr,{}\n", "x".repeat(10 * 1024 * 1024));
        assert_eq!(read(&text, b','), Err(CsvError::RecordTooLong { line: 2 }));
    }

    #[test]
    fn too_many_rows() {
        let text = format!("email\n{}", "a@x.fr\n".repeat(MAX_ROWS + 1));
        assert_eq!(read(&text, b','), Err(CsvError::TooManyRows { max: MAX_ROWS }));
        let text = format!("email\n{}", "a@x.fr\n".repeat(MAX_ROWS));
        assert_eq!(read(&text, b',').unwrap().len(), MAX_ROWS + 1);
    }

    #[test]
    fn exported_cells_cannot_run_as_formulas() {
        let mut out = String::new();
        write_record(&mut out, &["=HYPERLINK(\"http://evil\",\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "ok", "a;b"], ';');
        assert_eq!(out, "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\";'+1;'-2;'@SUM(A1);'\tx;ok;\"a;b\"\r\n");
        assert!(write_file(&[vec!["é"]], ',').starts_with('\u{feff}'));
    }

    proptest! {
        /// Whatever the cells, writing them and reading them back (as the importer does) gives
        /// the same values, with either separator.
        #[test]
        fn export_then_import_gives_the_same_values(
            rows in proptest::collection::vec(proptest::collection::vec("\\PC{0,12}|[=+\\-@'\"; ,\\r\\n\\t]{0,6}", 1..5), 1..6),
            semicolon in any::<bool>(),
        ) {
            let separator = if semicolon { ';' } else { ',' };
            // Rows whose cells are all blank are skipped by the reader, as empty lines are.
            let rows: Vec<Vec<String>> = rows.into_iter().filter(|r| !r.iter().all(|c| c.trim().is_empty())).collect();
            let file = write_file(&rows, separator);
            let text = decode(file.as_bytes()).unwrap_or("");
            let read_back: Vec<Vec<String>> = if rows.is_empty() { vec![] } else {
                read(text, separator as u8).unwrap().into_iter().map(|r| r.fields.iter().map(|f| restore_cell(f).to_string()).collect()).collect()
            };
            prop_assert_eq!(read_back, rows);
        }
    }
}
