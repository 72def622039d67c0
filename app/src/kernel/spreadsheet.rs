//! Exports as files: the same rows as CSV (`kernel::csv`, formula-safe) or as an `.xlsx`
//! workbook, for people who open files in Excel or Numbers without an import step: one
//! sheet, a bold frozen first row, numbers as numbers and everything else as text.
//!
//! Why not `rust_xlsxwriter`: built for wasm32 it weighs 345 KB gzip on its own (measured),
//! and the admin Worker has a 1.5 MB budget; a workbook of one sheet of values is five small
//! XML parts in a zip archive, written here with the `zip` crate (stored, no compression
//! code). Text goes in as inline strings, never as formulas: a cell such as `=HYPERLINK(…)`
//! stays text, so no escaping is needed as in CSV.

use std::io::Write;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
/// Two cell formats: 0 plain, 1 bold (the header row).
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf fontId="0"/><xf fontId="1" applyFont="1"/></cellXfs></styleSheet>"#;

/// How an export is written: CSV with its separator, or XLSX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv(char),
    Xlsx,
}

impl Format {
    /// The format a download's name asks for (`students.csv`, `students.xlsx`), with the CSV
    /// separator asked (`;` unless `,`). Returns the name without its extension.
    pub fn of_path(path: &str, separator: char) -> Option<(&str, Format)> {
        if let Some(stem) = path.strip_suffix(".csv") {
            return Some((stem, Format::Csv(separator)));
        }
        path.strip_suffix(".xlsx").map(|stem| (stem, Format::Xlsx))
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv(_) => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv(_) => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The file: `sheet` names the workbook's sheet.
    pub fn write(self, sheet: &str, rows: &[Vec<impl AsRef<str>>]) -> Vec<u8> {
        match self {
            Format::Csv(separator) => crate::kernel::csv::write_file(rows, separator).into_bytes(),
            Format::Xlsx => workbook(sheet, rows),
        }
    }
}

/// Excel's limit on a sheet's name.
const SHEET_NAME_MAX: usize = 31;

/// `A`, `B`, … `Z`, `AA`…: a column's letters.
fn column(mut index: usize) -> String {
    let mut letters = vec![];
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Text that XML can carry: without the control characters XML 1.0 forbids, escaped as HTML
/// is (`kernel::html::escape`: the same five entities).
fn xml_text(s: &str) -> String {
    let allowed = |c: &char| matches!(c, '\t' | '\n' | '\r') || !((*c as u32) < 0x20 || *c == '\u{FFFE}' || *c == '\u{FFFF}');
    crate::kernel::html::escape(&s.chars().filter(allowed).collect::<String>())
}

/// A cell that is a plain number (`42`, `-3.5`): written as a number, so sums work. Codes
/// with leading zeros, long digit strings (phone numbers, ids) and anything else stay text.
fn as_number(cell: &str) -> Option<&str> {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = !whole.is_empty()
        && whole.len() <= 12
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && (whole == "0" || !whole.starts_with('0'))
        && (digits.contains('.') == !fraction.is_empty());
    plain.then_some(cell)
}

fn sheet(rows: &[Vec<impl AsRef<str>>]) -> String {
    let mut xml = String::from(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>"#);
    for (r, row) in rows.iter().enumerate() {
        xml.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let (cell, at, style) = (cell.as_ref(), format!("{}{}", column(c), r + 1), if r == 0 { " s=\"1\"" } else { "" });
            match as_number(cell).filter(|_| r > 0) {
                Some(n) => xml.push_str(&format!("<c r=\"{at}\"{style}><v>{n}</v></c>")),
                None if cell.is_empty() => {}
                None => xml.push_str(&format!("<c r=\"{at}\" t=\"inlineStr\"{style}><is><t xml:space=\"preserve\">{}</t></is></c>", xml_text(cell))),
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// A workbook of one sheet named `name`, the first row in bold and frozen.
pub fn workbook(name: &str, rows: &[Vec<impl AsRef<str>>]) -> Vec<u8> {
    let name: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(SHEET_NAME_MAX).collect();
    let name = if name.trim().is_empty() { "Sheet1".to_string() } else { name };
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        xml_text(&name)
    );
    let sheet = sheet(rows);
    let parts: [(&str, &[u8]); 6] = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/styles.xml", STYLES.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (path, bytes) in parts {
        // Writing to memory cannot fail.
        let _ = archive.start_file(path, stored).and_then(|_| archive.write_all(bytes).map_err(Into::into));
    }
    archive.finish().map(|c| c.into_inner()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn part(file: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(file)).unwrap();
        let mut s = String::new();
        archive.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn a_path_names_its_format() {
        assert_eq!(Format::of_path("/admin/sales.csv", ','), Some(("/admin/sales", Format::Csv(','))));
        assert_eq!(Format::of_path("/admin/sales.xlsx", ';'), Some(("/admin/sales", Format::Xlsx)));
        assert_eq!(Format::of_path("/admin/sales.pdf", ';'), None);
        assert!(String::from_utf8(Format::Csv(';').write("x", &[vec!["a", "=1"]])).unwrap().contains("a;'=1"), "CSV stays formula-safe");
    }

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!([0, 25, 26, 27, 51, 52, 701, 702].map(column), ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn numbers_are_numbers_and_the_rest_is_text() {
        for n in ["0", "42", "-3.5", "100"] {
            assert!(as_number(n).is_some(), "{n}");
        }
        for t in ["007", "0612345678", "1e5", "3.", ".5", "12,5", "", "+33", "2026-03-01", "1234567890123"] {
            assert!(as_number(t).is_none(), "{t}");
        }
    }

    #[test]
    fn a_workbook_holds_its_rows_as_text_never_formulas() {
        let rows = vec![vec!["email", "score", "note"], vec!["léa@example.com", "85", "=HYPERLINK(\"http://x\")"], vec!["a<b>&\u{1}", "", "007"]];
        let file = workbook("Élèves: mars/avril", &rows);
        assert_eq!(&file[..2], b"PK");
        let sheet = part(&file, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains(r#"<c r="A1" t="inlineStr" s="1"><is><t xml:space="preserve">email</t></is></c>"#));
        assert!(sheet.contains(r#"<c r="B2"><v>85</v></c>"#));
        assert!(sheet.contains("=HYPERLINK(&quot;http://x&quot;)</t>") && !sheet.contains("<f>"), "a formula stays text");
        assert!(sheet.contains(">a&lt;b&gt;&amp;</t>"), "escaped, control character dropped");
        assert!(sheet.contains(r#"<c r="C3" t="inlineStr"><is><t xml:space="preserve">007</t>"#), "leading zeros kept as text");
        assert!(part(&file, "xl/workbook.xml").contains(r#"name="Élèves marsavril""#), "characters a sheet name cannot hold are left out");
        for p in ["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml"] {
            assert!(part(&file, p).starts_with("<?xml"), "{p}");
        }
    }
}
