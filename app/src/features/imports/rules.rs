//! Student imports: how a file's columns are read (English or French headers, any order),
//! what each row says, and everything wrong with it before anything is written — blocking
//! errors (the row is rejected) and warnings (the row goes in, the creator is told). Then,
//! for each row, what importing it would change. No I/O: the caller passes the school's
//! courses and the existing students.

use crate::kernel::csv::{restore_cell, Record};
use crate::kernel::email::Email;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The template's header, in this order.
pub const TEMPLATE_HEADER: [&str; 8] = ["email", "first_name", "last_name", "courses", "access_start", "access_end", "language", "note"];
/// Names and notes longer than this are refused rather than cut.
pub use crate::kernel::validate::{NAME_MAX, NOTE_MAX};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Email,
    FirstName,
    LastName,
    Courses,
    AccessStart,
    AccessEnd,
    Language,
    Note,
    /// The `error` column of our own rejects file: read past, so a fixed rejects file
    /// imports as is.
    RejectReason,
    // A statistics import's columns (`imports::statistics`).
    Course,
    Lesson,
    Status,
    Date,
    Score,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Courses => "courses",
            Field::AccessStart => "access_start",
            Field::AccessEnd => "access_end",
            Field::Language => "language",
            Field::Note => "note",
            Field::RejectReason => "error",
            Field::Course => "course",
            Field::Lesson => "lesson",
            Field::Status => "status",
            Field::Date => "date",
            Field::Score => "score",
        }
    }
}

/// Lower case, accents and separators folded: "Prénom", "PRENOM", "first-name" compare equal
/// to their canonical spellings.
pub(crate) fn fold(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .flat_map(|c| c.to_lowercase())
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            ' ' | '-' | '.' => '_',
            c => c,
        })
        .collect()
}

pub fn field_for_header(header: &str) -> Option<Field> {
    Some(match fold(header).as_str() {
        "email" | "e_mail" | "courriel" | "mail" | "adresse_email" | "adresse_e_mail" => Field::Email,
        "first_name" | "firstname" | "prenom" => Field::FirstName,
        "last_name" | "lastname" | "nom" | "nom_de_famille" => Field::LastName,
        "courses" | "course" | "cours" => Field::Courses,
        "access_start" | "start" | "debut" | "date_de_debut" => Field::AccessStart,
        "access_end" | "end" | "fin" | "date_de_fin" => Field::AccessEnd,
        "language" | "lang" | "langue" => Field::Language,
        "note" | "notes" | "remarque" | "remarques" => Field::Note,
        "error" | "erreur" => Field::RejectReason,
        _ => return None,
    })
}

/// How the header row is read: the field of each column, and the columns that mean nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Columns {
    pub header: Vec<String>,
    pub fields: Vec<Option<Field>>,
}

/// Why a whole file cannot be imported (its rows are not even looked at).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    NoEmailColumn,
    RepeatedColumn(String),
    NoRows,
    /// A column a statistics import needs (course, lesson, status).
    MissingColumn(&'static str),
}

impl HeaderError {
    pub fn code(&self) -> &'static str {
        match self {
            HeaderError::NoEmailColumn => "import_no_email_column",
            HeaderError::RepeatedColumn(_) => "import_repeated_column",
            HeaderError::NoRows => "import_no_rows",
            HeaderError::MissingColumn(_) => "import_missing_column",
        }
    }
}

impl Columns {
    pub fn read(header: &[String]) -> Result<Columns, HeaderError> {
        Columns::read_with(header, field_for_header)
    }

    /// The header read with a kind of import's own names (`field_for_header`, or a
    /// statistics import's).
    pub fn read_with(header: &[String], field_for_header: fn(&str) -> Option<Field>) -> Result<Columns, HeaderError> {
        // A trailing separator leaves empty header cells: they are no columns.
        let used = header.iter().rposition(|h| !h.trim().trim_start_matches('\u{feff}').is_empty()).map_or(0, |i| i + 1);
        let header = &header[..used];
        let fields: Vec<Option<Field>> = header.iter().map(|h| field_for_header(h)).collect();
        for (i, f) in fields.iter().enumerate() {
            if f.is_some() && fields[..i].contains(f) {
                return Err(HeaderError::RepeatedColumn(header[i].trim().to_string()));
            }
        }
        if !fields.contains(&Some(Field::Email)) {
            return Err(HeaderError::NoEmailColumn);
        }
        Ok(Columns { header: header.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_string()).collect(), fields })
    }

    /// Columns that are not ours: reported once, as a warning, and not imported.
    pub fn unknown(&self) -> Vec<&str> {
        self.header.iter().zip(&self.fields).filter(|(h, f)| f.is_none() && !h.is_empty()).map(|(h, _)| h.as_str()).collect()
    }

    pub(crate) fn get<'a>(&self, fields: &'a [String], field: Field) -> &'a str {
        self.fields.iter().position(|f| *f == Some(field)).and_then(|i| fields.get(i)).map(|v| restore_cell(v).trim()).unwrap_or("")
    }
}

/// What one row asks for, parsed. `None`: the column is absent or the cell empty (an update
/// keeps what the student already has).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RowData {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub courses: Vec<String>,
    pub access_start: Option<NaiveDate>,
    pub access_end: Option<NaiveDate>,
    /// `fr` or `en`; an unknown one is a warning and the school's default applies.
    pub language: Option<String>,
    pub note: Option<String>,
}

/// One problem with a row: a code (an i18n key), the column, the value, and for a duplicate
/// the line it duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub code: String,
    pub column: Option<String>,
    pub value: String,
    pub other_line: Option<usize>,
    /// For "this line has {n} values, the header has {m}".
    #[serde(default)]
    pub counts: Option<(usize, usize)>,
}

impl Problem {
    pub(crate) fn new(code: &str, column: Option<Field>, value: &str) -> Problem {
        Problem { code: code.into(), column: column.map(|f| f.name().to_string()), value: value.chars().take(80).collect(), other_line: None, counts: None }
    }

    /// "access_end “2026-02-30”: impossible date." with the code's own sentence.
    pub fn message(&self, locale: crate::kernel::i18n::Locale) -> String {
        let mut sentence = crate::kernel::i18n::t(locale, &self.code).replace("{line}", &self.other_line.map(|l| l.to_string()).unwrap_or_default());
        if let Some((n, m)) = self.counts {
            sentence = sentence.replace("{n}", &n.to_string()).replace("{m}", &m.to_string());
        }
        match (&self.column, self.value.is_empty()) {
            (Some(c), false) => format!("{c} “{}”: {sentence}", self.value),
            (Some(c), true) => format!("{c}: {sentence}"),
            (None, _) => sentence,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedRow {
    pub line: usize,
    /// The cells as they were in the file (for the rejects file).
    pub raw: Vec<String>,
    pub data: RowData,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// An exact repeat of that line: imported once, from there.
    pub repeat_of: Option<usize>,
    /// A statistics import's row: the progress it records (its `data` holds the email only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<crate::features::imports::statistics::Progress>,
}

impl CheckedRow {
    pub fn is_rejected(&self) -> bool {
        !self.errors.is_empty()
    }
}

pub(crate) fn parse_date(value: &str) -> Result<Option<NaiveDate>, &'static str> {
    if value.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = value.split('-').collect();
    let well_formed = parts.len() == 3 && parts[0].len() == 4 && parts[1].len() == 2 && parts[2].len() == 2 && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return Err("import_date_format");
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map(Some).map_err(|_| "import_date_impossible")
}

/// What is wrong with a row's cells whatever the kind of import: data past the header's
/// columns (it would be lost), a control character in a cell that is kept.
pub(crate) fn cell_problems(columns: &Columns, record: &Record) -> Vec<Problem> {
    let mut errors = vec![];
    // Cells past the header's columns would be lost: a row that has data there is refused
    // (empty ones, left by a trailing separator, are not data).
    let width = columns.header.len();
    if record.fields.iter().skip(width).any(|c| !c.trim().is_empty()) {
        let used = record.fields.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |i| i + 1);
        let mut p = Problem::new("import_too_many_values", None, "");
        p.counts = Some((used, width));
        errors.push(p);
    }
    // A control character (NUL, ESC...) in a cell we keep: stored, it would show as nothing.
    for (i, field) in columns.fields.iter().enumerate() {
        if let (Some(field), Some(cell)) = (field, record.fields.get(i)) {
            if cell.chars().any(crate::kernel::validate::is_stray_control) {
                errors.push(Problem::new("import_control_character", Some(*field), ""));
            }
        }
    }
    errors
}

/// Checks one row against the school's course slugs.
pub fn check_row(columns: &Columns, record: &Record, known_courses: &[String]) -> CheckedRow {
    let get = |f: Field| columns.get(&record.fields, f);
    let (mut errors, mut warnings) = (cell_problems(columns, record), vec![]);
    let mut data = RowData::default();
    let email = get(Field::Email);
    match Email::parse(email) {
        Ok(e) => data.email = e.as_str().to_string(),
        Err(_) if email.is_empty() => errors.push(Problem::new("import_email_missing", Some(Field::Email), "")),
        Err(_) => errors.push(Problem::new("import_email_invalid", Some(Field::Email), email)),
    }
    for (field, slot) in [(Field::FirstName, &mut data.first_name), (Field::LastName, &mut data.last_name)] {
        let v = get(field);
        if v.chars().count() > NAME_MAX {
            errors.push(Problem::new("import_name_too_long", Some(field), v));
        } else if !v.is_empty() {
            *slot = Some(v.to_string());
        }
    }
    for slug in get(Field::Courses).split('|').map(str::trim).filter(|s| !s.is_empty()) {
        let slug = slug.to_ascii_lowercase();
        if !known_courses.contains(&slug) {
            errors.push(Problem::new("import_course_unknown", Some(Field::Courses), &slug));
        } else if !data.courses.contains(&slug) {
            data.courses.push(slug);
        }
    }
    for (field, slot) in [(Field::AccessStart, &mut data.access_start), (Field::AccessEnd, &mut data.access_end)] {
        let v = get(field);
        match parse_date(v) {
            Ok(d) => *slot = d,
            Err(code) => errors.push(Problem::new(code, Some(field), v)),
        }
    }
    if let (Some(start), Some(end)) = (data.access_start, data.access_end) {
        if end < start {
            errors.push(Problem::new("import_end_before_start", Some(Field::AccessEnd), &end.to_string()));
        }
    }
    let language = get(Field::Language);
    match crate::kernel::i18n::Locale::parse(language) {
        Some(l) => data.language = Some(l.code().to_string()),
        None if language.is_empty() => {}
        None => warnings.push(Problem::new("import_language_unknown", Some(Field::Language), language)),
    }
    let note = get(Field::Note);
    if note.chars().count() > NOTE_MAX {
        errors.push(Problem::new("import_note_too_long", Some(Field::Note), ""));
    } else if !note.is_empty() {
        data.note = Some(note.to_string());
    }
    CheckedRow { line: record.line, raw: record.fields.clone(), data, errors, warnings, repeat_of: None, progress: None }
}

/// A whole file: the header, then every row checked, then duplicates across rows (the same
/// student twice with different data is refused on every line, since nothing says which is
/// right; an exact repeat is imported once, with a warning).
pub fn check_file(records: &[Record], known_courses: &[String]) -> Result<(Columns, Vec<CheckedRow>), HeaderError> {
    let (header, rows) = records.split_first().ok_or(HeaderError::NoRows)?;
    let columns = Columns::read(&header.fields)?;
    if rows.is_empty() {
        return Err(HeaderError::NoRows);
    }
    let mut checked: Vec<CheckedRow> = rows.iter().map(|r| check_row(&columns, r, known_courses)).collect();
    let mut first_seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for i in 0..checked.len() {
        if checked[i].data.email.is_empty() {
            continue;
        }
        match first_seen.get(&checked[i].data.email).copied() {
            None => {
                first_seen.insert(checked[i].data.email.clone(), i);
            }
            Some(first) => {
                let (first_line, line) = (checked[first].line, checked[i].line);
                let email = checked[i].data.email.clone();
                if checked[first].data == checked[i].data {
                    let mut w = Problem::new("import_duplicate_same", Some(Field::Email), &email);
                    w.other_line = Some(first_line);
                    checked[i].warnings.push(w);
                    checked[i].repeat_of = Some(first_line);
                } else {
                    let mut e = Problem::new("import_duplicate_conflict", Some(Field::Email), &email);
                    e.other_line = Some(first_line);
                    checked[i].errors.push(e);
                    if !checked[first].errors.iter().any(|p| p.code == "import_duplicate_conflict") {
                        let mut e = Problem::new("import_duplicate_conflict", Some(Field::Email), &email);
                        e.other_line = Some(line);
                        checked[first].errors.push(e);
                    }
                }
            }
        }
    }
    Ok((columns, checked))
}

/// What a file brings: students (with their courses), or statistics (their progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Students,
    Statistics,
}

impl Kind {
    pub fn parse(value: &str) -> Kind {
        if value == "statistics" { Kind::Statistics } else { Kind::Students }
    }

    pub fn code(self) -> &'static str {
        match self {
            Kind::Students => "students",
            Kind::Statistics => "statistics",
        }
    }
}

/// What the creator chose on the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ImportOptions {
    /// Existing students (matched by normalised email) get the file's names, language, note.
    pub update_existing: bool,
    /// Listed courses are granted (or their dates changed).
    pub grant_courses: bool,
    /// New students get an invitation email (login link and code).
    pub invite_new: bool,
    /// Statistics: students not enrolled in a row's course are enrolled (else the row is skipped).
    #[serde(default)]
    pub enroll_missing: bool,
    /// Statistics: students who finish a course through the import get its certificate.
    #[serde(default)]
    pub certificates: bool,
}

/// A student as stored, for comparing with a row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExistingStudent {
    pub first_name: String,
    pub last_name: String,
    pub locale: Option<String>,
    pub note: String,
    /// (course slug, access start day, access end day, active) as stored, days in the school's zone.
    pub enrollments: Vec<(String, NaiveDate, Option<NaiveDate>, bool)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StudentOutcome {
    Created,
    Updated,
    Unchanged,
}

/// One enrollment to write: course, start (None: today for a new one), end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrollmentChange {
    pub course: String,
    pub access_start: Option<NaiveDate>,
    pub access_end: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowPlan {
    pub student: StudentOutcome,
    /// The student's fields after the import (what to write when not unchanged).
    pub first_name: String,
    pub last_name: String,
    pub locale: Option<String>,
    pub note: String,
    pub enroll: Vec<EnrollmentChange>,
}

/// What importing one (accepted) row changes. Importing the same file again plans nothing:
/// every field and enrollment already says what the row says.
pub fn plan_row(row: &RowData, existing: Option<&ExistingStudent>, options: ImportOptions) -> RowPlan {
    let keep = |new: &Option<String>, old: &str| new.clone().unwrap_or_else(|| old.to_string());
    let (student, first_name, last_name, locale, note) = match existing {
        None => (StudentOutcome::Created, keep(&row.first_name, ""), keep(&row.last_name, ""), row.language.clone(), keep(&row.note, "")),
        Some(e) if !options.update_existing => (StudentOutcome::Unchanged, e.first_name.clone(), e.last_name.clone(), e.locale.clone(), e.note.clone()),
        Some(e) => {
            let after = (keep(&row.first_name, &e.first_name), keep(&row.last_name, &e.last_name), row.language.clone().or_else(|| e.locale.clone()), keep(&row.note, &e.note));
            let changed = after != (e.first_name.clone(), e.last_name.clone(), e.locale.clone(), e.note.clone());
            let outcome = if changed { StudentOutcome::Updated } else { StudentOutcome::Unchanged };
            (outcome, after.0, after.1, after.2, after.3)
        }
    };
    let mut enroll = vec![];
    if options.grant_courses {
        for course in &row.courses {
            let current = existing.and_then(|e| e.enrollments.iter().find(|(c, ..)| c == course));
            let wanted_start = row.access_start.or(current.map(|(_, s, ..)| *s));
            let wanted_end = row.access_end.or(current.and_then(|(_, _, e, _)| *e));
            let same = current.is_some_and(|(_, s, e, active)| *active && Some(*s) == wanted_start && *e == wanted_end);
            if !same {
                enroll.push(EnrollmentChange { course: course.clone(), access_start: wanted_start, access_end: wanted_end });
            }
        }
    }
    RowPlan { student, first_name, last_name, locale, note, enroll }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::csv::{decode, detect_separator, read, write_file};
    use crate::kernel::i18n::Locale;

    fn courses() -> Vec<String> {
        vec!["yoga".into(), "pilates".into()]
    }

    fn check(text: &str) -> Result<(Columns, Vec<CheckedRow>), HeaderError> {
        let text = decode(text.as_bytes()).unwrap();
        check_file(&read(text, detect_separator(text)).unwrap(), &courses())
    }

    fn messages(row: &CheckedRow) -> Vec<String> {
        row.errors.iter().chain(&row.warnings).map(|p| p.message(Locale::En)).collect()
    }

    #[test]
    fn french_headers_in_any_order_with_unknown_columns() {
        let (columns, rows) = check("Remarque;Cours;Prénom;NOM;Courriel;Langue;Début;Fin;Téléphone\nVIP;yoga|Pilates;Zoé;Durand;ZOE@Example.fr;fr;2026-01-05;2026-06-30;0600000000").unwrap();
        assert_eq!(columns.unknown(), vec!["Téléphone"]);
        let r = &rows[0];
        assert!(r.errors.is_empty() && r.warnings.is_empty(), "{:?}", messages(r));
        assert_eq!(r.data.email, "zoe@example.fr");
        assert_eq!((r.data.first_name.as_deref(), r.data.last_name.as_deref(), r.data.note.as_deref()), (Some("Zoé"), Some("Durand"), Some("VIP")));
        assert_eq!(r.data.courses, vec!["yoga", "pilates"]);
        assert_eq!(r.data.access_end, NaiveDate::from_ymd_opt(2026, 6, 30));
        assert_eq!(r.data.language.as_deref(), Some("fr"));
        for alias in ["e-mail", "E-Mail", "email", "courriel"] {
            assert_eq!(field_for_header(alias), Some(Field::Email), "{alias}");
        }
    }

    #[test]
    fn each_blocking_error_has_its_exact_message() {
        let file = "email,first_name,courses,access_start,access_end,language\n\
            bob@,Bob,,,,\n\
            ,Nobody,,,,\n\
            ann@x.fr,Ann,cooking,,,\n\
            cy@x.fr,Cy,yoga,2026-02-30,,\n\
            di@x.fr,Di,yoga,2026-05-01,2026-04-01,\n\
            ed@x.fr,Ed,yoga,01/05/2026,,\n\
            fa@x.fr,Fa,,,,de\n";
        let (_, rows) = check(file).unwrap();
        let expected: Vec<Vec<&str>> = vec![
            vec!["email “bob@”: not a valid email address."],
            vec!["email: missing (every row needs one)."],
            vec!["courses “cooking”: no course has this slug in your school."],
            vec!["access_start “2026-02-30”: this date does not exist."],
            vec!["access_end “2026-04-01”: access ends before it starts."],
            vec!["access_start “01/05/2026”: write dates as YYYY-MM-DD, like 2026-09-01."],
            vec!["language “de”: unknown language (fr or en): the school’s language is used."],
        ];
        for (row, want) in rows.iter().zip(expected) {
            assert_eq!(messages(row), want, "line {}", row.line);
        }
        assert_eq!(rows.iter().filter(|r| r.is_rejected()).count(), 6, "the language is only a warning");
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn duplicates_conflicting_are_refused_on_both_lines_exact_repeats_once() {
        let (_, rows) = check("email;first_name\na@x.fr;Ann\nb@x.fr;Bob\nA@X.fr;Anne\nb@x.fr;Bob\n").unwrap();
        assert_eq!(messages(&rows[0]), vec!["email “a@x.fr”: the same email is on line 4 with different data."]);
        assert_eq!(messages(&rows[2]), vec!["email “a@x.fr”: the same email is on line 2 with different data."]);
        assert!(!rows[1].is_rejected());
        assert!(!rows[3].is_rejected(), "an exact repeat is not rejected");
        assert_eq!(messages(&rows[3]), vec!["email “b@x.fr”: repeats line 3 exactly: imported once."]);
        assert_eq!(rows[3].repeat_of, Some(3), "and not imported twice");
    }

    #[test]
    fn files_that_cannot_be_imported_say_why() {
        assert_eq!(check("name;first_name\nx;y").unwrap_err(), HeaderError::NoEmailColumn);
        assert_eq!(check("email;courriel\nx;y").unwrap_err(), HeaderError::RepeatedColumn("courriel".into()));
        assert_eq!(check("email;first_name\n").unwrap_err(), HeaderError::NoRows);
    }

    #[test]
    fn our_rejects_file_imports_back_once_fixed() {
        let (_, rows) = check("email,courses,error\nok@x.fr,yoga,\"courses “cooking”: no course has this slug in your school.\"\n").unwrap();
        assert!(!rows[0].is_rejected() && rows[0].warnings.is_empty(), "{:?}", messages(&rows[0]));
    }

    #[test]
    fn an_exported_file_reads_back_with_formula_cells_restored() {
        let file = write_file(&[vec!["email", "first_name", "note"], vec!["a@x.fr", "=cmd", "+33 6"]], ';');
        let (_, rows) = check(&file).unwrap();
        assert_eq!((rows[0].data.first_name.as_deref(), rows[0].data.note.as_deref()), (Some("=cmd"), Some("+33 6")));
    }

    #[test]
    fn five_thousand_rows_are_read_and_checked() {
        let mut file = String::from("email;first_name;courses\n");
        for i in 0..5_000 {
            file.push_str(&format!("s{i}@x.fr;Élève {i};yoga\n"));
        }
        let (_, rows) = check(&file).unwrap();
        assert_eq!(rows.len(), 5_000);
        assert!(rows.iter().all(|r| !r.is_rejected()));
        assert_eq!(rows[4_999].line, 5_001);
    }

    /// A file as the importer sees it, in the corpus's `.expected` format: the whole-file
    /// error, or the row counts, unknown columns and every problem with its exact message.
    fn describe(bytes: &[u8]) -> (String, Vec<CheckedRow>) {
        let en = |code: &str| crate::kernel::i18n::t(Locale::En, code).to_string();
        let text = match decode(bytes) {
            Ok(t) => t,
            Err(e) => return (format!("file: {}", en(e.code()).replace("{line}", &e.line().unwrap_or(0).to_string())), vec![]),
        };
        let records = match read(text, detect_separator(text)) {
            Ok(r) => r,
            Err(e) => return (format!("file: {}", en(e.code()).replace("{line}", &e.line().unwrap_or(0).to_string())), vec![]),
        };
        let (columns, rows) = match check_file(&records, &courses()) {
            Ok(c) => c,
            Err(e) => {
                let column = if let HeaderError::RepeatedColumn(c) = &e { c.clone() } else { String::new() };
                return (format!("file: {}", en(e.code()).replace("{column}", &column)), vec![]);
            }
        };
        let ok = rows.iter().filter(|r| !r.is_rejected()).count();
        let warned = rows.iter().filter(|r| !r.warnings.is_empty()).count();
        let mut out = vec![format!("# rows: {ok} ok, {} rejected, {warned} warned", rows.len() - ok)];
        if !columns.unknown().is_empty() {
            out.push(format!("# unknown columns: {}", columns.unknown().join(", ")));
        }
        for r in &rows {
            for p in r.errors.iter().chain(&r.warnings) {
                out.push(format!("line {}: {}", r.line, p.message(Locale::En)));
            }
        }
        (out.join("\n"), rows)
    }

    /// `app/tests/corpus/imports/*.csv`, each with its `.expected`: the exact messages, and
    /// `line N field: value` lines for what a row reads as.
    #[test]
    fn the_corpus_reads_with_the_exact_messages() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/imports");
        let mut cases = 0;
        for entry in std::fs::read_dir(&dir).expect("corpus").flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "csv") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let expected = std::fs::read_to_string(path.with_extension("expected")).expect("an .expected file for each .csv");
            let (described, rows) = describe(&bytes);
            let mut messages = vec![];
            for line in expected.lines().filter(|l| !l.trim().is_empty()) {
                // "line 4 email: value": what that row reads as.
                let data = line.strip_prefix("line ").and_then(|rest| {
                    let (n, rest) = rest.split_once(' ')?;
                    let (field, value) = rest.split_once(": ")?;
                    (!field.is_empty() && !field.contains(' ')).then(|| (n.parse::<usize>().ok(), field, value.replace("\\n", "\n")))
                });
                match data {
                    Some((Some(n), field, value)) => {
                        let row = rows.iter().find(|r| r.line == n).unwrap_or_else(|| panic!("{}: no row on line {n}", path.display()));
                        let actual = match field {
                            "email" => row.data.email.clone(),
                            "note" => row.data.note.clone().unwrap_or_default(),
                            "first_name" => row.data.first_name.clone().unwrap_or_default(),
                            other => panic!("unknown field {other}"),
                        };
                        assert_eq!(actual, value, "{} line {n} {field}", path.display());
                    }
                    _ => messages.push(line.to_string()),
                }
            }
            assert_eq!(described, messages.join("\n"), "{}", path.display());
            cases += 1;
        }
        assert!(cases >= 10, "the corpus has {cases} files");
    }

    #[test]
    fn generated_cases_five_thousand_rows_and_a_10_mb_line() {
        let mut file = String::from("email,courses\n");
        for i in 0..5_000 {
            file.push_str(&format!("s{i}@example.com,yoga\n"));
        }
        assert_eq!(describe(file.as_bytes()).0, "# rows: 5000 ok, 0 rejected, 0 warned");
        let long = format!("email,note\na@example.com,{}\n", "x".repeat(10 * 1024 * 1024));
        assert_eq!(describe(long.as_bytes()).0, "file: Line 2 is too long (over 64 KB): is this a CSV file of students?");
    }

    proptest::proptest! {
        /// Students written by the exporter (any names and notes, formula-looking ones
        /// included) read back by the importer as the same values.
        #[test]
        fn exported_students_import_as_the_same_values(
            people in proptest::collection::vec(("[a-z]{1,8}", "\\PC{0,20}", "[=+@\\-]?\\PC{0,20}"), 1..20),
            semicolon in proptest::bool::ANY,
        ) {
            let mut rows = vec![vec!["email".to_string(), "first_name".into(), "note".into()]];
            let mut seen = std::collections::HashSet::new();
            for (local, first, note) in &people {
                if seen.insert(local.clone()) {
                    rows.push(vec![format!("{local}@example.com"), first.clone(), note.clone()]);
                }
            }
            let file = crate::kernel::csv::write_file(&rows, if semicolon { ';' } else { ',' });
            let (_, checked) = describe(file.as_bytes());
            let read: Vec<(String, String, String)> = checked.iter().map(|r| (r.data.email.clone(), r.data.first_name.clone().unwrap_or_default(), r.data.note.clone().unwrap_or_default())).collect();
            // The importer trims cells (a spreadsheet's stray spaces), so the comparison does too.
            let written: Vec<(String, String, String)> = rows[1..].iter().map(|r| (r[0].clone(), r[1].trim().to_string(), r[2].trim().to_string())).collect();
            proptest::prop_assert_eq!(read, written);
        }
    }

    fn existing() -> ExistingStudent {
        ExistingStudent {
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            locale: Some("fr".into()),
            note: String::new(),
            enrollments: vec![("yoga".into(), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), None, true)],
        }
    }

    #[test]
    fn planning_the_same_row_twice_changes_nothing_the_second_time() {
        let all = ImportOptions { update_existing: true, grant_courses: true, invite_new: false, ..Default::default() };
        let row = RowData { email: "a@x.fr".into(), first_name: Some("Ann".into()), courses: vec!["yoga".into()], access_start: NaiveDate::from_ymd_opt(2026, 1, 1), ..Default::default() };
        let plan = plan_row(&row, Some(&existing()), all);
        assert_eq!(plan.student, StudentOutcome::Unchanged);
        assert!(plan.enroll.is_empty());
        let new = plan_row(&row, None, all);
        assert_eq!(new.student, StudentOutcome::Created);
        assert_eq!(new.enroll.len(), 1);
    }

    #[test]
    fn options_decide_what_is_written() {
        let row = RowData { email: "a@x.fr".into(), first_name: Some("Annie".into()), courses: vec!["pilates".into()], ..Default::default() };
        let nothing = plan_row(&row, Some(&existing()), ImportOptions::default());
        assert_eq!((nothing.student, nothing.enroll.len()), (StudentOutcome::Unchanged, 0));
        let update = plan_row(&row, Some(&existing()), ImportOptions { update_existing: true, ..Default::default() });
        assert_eq!((update.student, update.first_name.as_str(), update.last_name.as_str()), (StudentOutcome::Updated, "Annie", "Lee"), "empty cells keep what is there");
        let grant = plan_row(&row, Some(&existing()), ImportOptions { grant_courses: true, ..Default::default() });
        assert_eq!(grant.enroll, vec![EnrollmentChange { course: "pilates".into(), access_start: None, access_end: None }]);
    }
}
