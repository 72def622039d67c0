//! Statistics imports (seed 004, "Import Statistiques"): a CSV of `email, course, lesson,
//! status, date, score` bringing a student's history from another platform. Status letters
//! as the LMS exports them: C completed, P passed, F failed, I incomplete, N not attempted.
//! Pure: the caller passes the school's courses with their lessons and the students the
//! file names. Rows are `imports::rules::CheckedRow`s, so the preview, the rejects file and
//! the log are the student import's own.

use crate::features::imports::rules::{cell_problems, fold, parse_date, CheckedRow, Columns, Field, HeaderError, Problem, RowData};
use crate::kernel::csv::Record;
use crate::kernel::email::Email;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The template's header, in this order.
pub const TEMPLATE_HEADER: [&str; 6] = ["email", "course", "lesson", "status", "date", "score"];

pub fn field_for_header(header: &str) -> Option<Field> {
    Some(match fold(header).as_str() {
        "email" | "e_mail" | "courriel" | "mail" | "adresse_email" | "adresse_e_mail" | "user" | "utilisateur" => Field::Email,
        "course" | "cours" | "formation" | "course_slug" => Field::Course,
        "lesson" | "lecon" | "activity" | "activite" | "lesson_title" => Field::Lesson,
        "status" | "statut" | "etat" | "completion_status" => Field::Status,
        "date" | "completed_at" | "completion_date" | "date_de_completion" | "le" => Field::Date,
        "score" | "note" | "resultat" | "result" | "points" => Field::Score,
        "error" | "erreur" => Field::RejectReason,
        _ => return None,
    })
}

/// What a row says of a lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Completed,
    Passed,
    Failed,
    Incomplete,
    NotAttempted,
}

impl Status {
    /// The letter (C P F I N), or the word an export may use instead, in either language.
    pub fn parse(value: &str) -> Option<Status> {
        Some(match fold(value).as_str() {
            "c" | "completed" | "complete" | "termine" | "terminee" => Status::Completed,
            "p" | "passed" | "reussi" | "reussie" => Status::Passed,
            "f" | "failed" | "echoue" | "echouee" => Status::Failed,
            "i" | "incomplete" | "in_progress" | "incomplet" | "en_cours" => Status::Incomplete,
            "n" | "not_attempted" | "non_commence" | "pas_commence" => Status::NotAttempted,
            _ => return None,
        })
    }

    pub fn letter(self) -> &'static str {
        match self {
            Status::Completed => "C",
            Status::Passed => "P",
            Status::Failed => "F",
            Status::Incomplete => "I",
            Status::NotAttempted => "N",
        }
    }

    /// Whether the lesson counts as done (progress, reports, certificates).
    pub fn completes(self) -> bool {
        matches!(self, Status::Completed | Status::Passed)
    }
}

/// A lesson of the school, as rows name it: by its title in its course, or its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonRef {
    pub id: i64,
    pub title: String,
    /// Its quiz, assignment or survey (`lesson_tasks.kind`), if it has one.
    pub task: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseRef {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub lessons: Vec<LessonRef>,
}

/// What rows are checked against: the school's courses, and the students the file names
/// (address → (id, enrolled course ids)), merged addresses already leading to their account.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub courses: Vec<CourseRef>,
    pub students: HashMap<String, (i64, Vec<i64>)>,
}

/// What an accepted row records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub user_id: i64,
    pub course_id: i64,
    pub course_title: String,
    pub lesson_id: i64,
    pub lesson_title: String,
    pub status: Status,
    /// The day it happened (none: the day of the import).
    pub date: Option<NaiveDate>,
    /// Percent, for a passed or failed quiz or assignment.
    pub score: Option<i64>,
    /// The lesson's task kind: a passed or failed row records an answer of that kind.
    pub task: Option<String>,
    /// Whether the student is enrolled in the course (else: enrolled by the import's option,
    /// or skipped).
    pub enrolled: bool,
}

/// `2026-03-31`, `31/03/2026`, and either with a time after it (kept to the day).
fn parse_day(value: &str) -> Result<Option<NaiveDate>, &'static str> {
    let day = value.split([' ', 'T']).next().unwrap_or("");
    if let Some((d, rest)) = day.split_once('/') {
        let (m, y) = rest.split_once('/').ok_or("stats_date_format")?;
        let ok = |s: &str, n: usize| s.len() <= n && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !(ok(d, 2) && ok(m, 2) && y.len() == 4 && ok(y, 4)) {
            return Err("stats_date_format");
        }
        return NaiveDate::from_ymd_opt(y.parse().unwrap_or(0), m.parse().unwrap_or(0), d.parse().unwrap_or(0)).map(Some).ok_or("import_date_impossible");
    }
    parse_date(day).map_err(|code| if code == "import_date_format" { "stats_date_format" } else { code })
}

fn problem(code: &str, field: Field, value: &str) -> Problem {
    Problem::new(code, Some(field), value)
}

/// Checks one row: every problem, blocking (the row is rejected) or not.
pub fn check_row(columns: &Columns, record: &Record, catalog: &Catalog, today: NaiveDate) -> CheckedRow {
    let get = |f: Field| columns.get(&record.fields, f);
    let (mut errors, mut warnings) = (cell_problems(columns, record), vec![]);
    let mut data = RowData::default();
    let email = get(Field::Email);
    let student = match Email::parse(email) {
        Ok(e) => {
            data.email = e.as_str().to_string();
            let found = catalog.students.get(e.as_str()).cloned();
            if found.is_none() {
                errors.push(problem("stats_student_unknown", Field::Email, email));
            }
            found
        }
        Err(_) if email.is_empty() => {
            errors.push(problem("import_email_missing", Field::Email, ""));
            None
        }
        Err(_) => {
            errors.push(problem("import_email_invalid", Field::Email, email));
            None
        }
    };
    let typed_course = get(Field::Course);
    let course = catalog.courses.iter().find(|c| c.slug.eq_ignore_ascii_case(typed_course.trim()) || fold(&c.title) == fold(typed_course));
    if course.is_none() {
        errors.push(problem(if typed_course.is_empty() { "stats_course_missing" } else { "stats_course_unknown" }, Field::Course, typed_course));
    }
    let typed_lesson = get(Field::Lesson);
    let lesson = course.and_then(|c| {
        let by_title: Vec<&LessonRef> = c.lessons.iter().filter(|l| fold(&l.title) == fold(typed_lesson)).collect();
        match (by_title.as_slice(), typed_lesson.trim().parse::<i64>()) {
            ([one], _) => Some(*one),
            ([], Ok(id)) => c.lessons.iter().find(|l| l.id == id),
            ([], _) => None,
            _ => {
                errors.push(problem("stats_lesson_ambiguous", Field::Lesson, typed_lesson));
                None
            }
        }
    });
    if course.is_some() && lesson.is_none() && !errors.iter().any(|p| p.code == "stats_lesson_ambiguous") {
        errors.push(problem(if typed_lesson.is_empty() { "stats_lesson_missing" } else { "stats_lesson_unknown" }, Field::Lesson, typed_lesson));
    }
    let typed_status = get(Field::Status);
    let status = Status::parse(typed_status);
    if status.is_none() {
        errors.push(problem(if typed_status.is_empty() { "stats_status_missing" } else { "stats_status_invalid" }, Field::Status, typed_status));
    }
    let typed_date = get(Field::Date);
    let date = match parse_day(typed_date.trim()) {
        Ok(Some(d)) if d > today => {
            errors.push(problem("stats_date_future", Field::Date, typed_date));
            None
        }
        Ok(d) => d,
        Err(code) => {
            errors.push(problem(code, Field::Date, typed_date));
            None
        }
    };
    let typed_score = get(Field::Score).trim();
    let score = if typed_score.is_empty() {
        None
    } else {
        match typed_score.trim_end_matches('%').trim().replace(',', ".").parse::<f64>() {
            Ok(s) if (0.0..=100.0).contains(&s) => Some(s.round() as i64),
            Ok(_) => {
                errors.push(problem("stats_score_range", Field::Score, typed_score));
                None
            }
            Err(_) => {
                errors.push(problem("stats_score_invalid", Field::Score, typed_score));
                None
            }
        }
    };
    let mut progress = None;
    if let (Some((user_id, enrolled_in)), Some(course), Some(lesson), Some(status)) = (student, course, lesson, status) {
        let task = lesson.task.clone();
        match (status, &task) {
            (Status::Failed, None) => errors.push(problem("stats_failed_needs_task", Field::Status, typed_status)),
            (Status::Passed, None) => warnings.push(problem("stats_passed_without_task", Field::Status, typed_status)),
            _ => {}
        }
        if score.is_some() && !(matches!(status, Status::Passed | Status::Failed) && task.is_some()) {
            warnings.push(problem("stats_score_ignored", Field::Score, typed_score));
        }
        if date.is_none() && status != Status::NotAttempted && typed_date.trim().is_empty() {
            warnings.push(problem("stats_date_missing", Field::Date, ""));
        }
        let enrolled = enrolled_in.contains(&course.id);
        if !enrolled {
            warnings.push(problem("stats_not_enrolled", Field::Course, &course.title));
        }
        progress = Some(Progress {
            user_id,
            course_id: course.id,
            course_title: course.title.clone(),
            lesson_id: lesson.id,
            lesson_title: lesson.title.clone(),
            status,
            date,
            score: if matches!(status, Status::Passed | Status::Failed) && task.is_some() { score } else { None },
            task,
            enrolled,
        });
    }
    // A refused row records nothing (and is no one's duplicate).
    let progress = if errors.is_empty() { progress } else { None };
    CheckedRow { line: record.line, raw: record.fields.clone(), data, errors, warnings, repeat_of: None, progress }
}

/// A whole file: the header (email, course, lesson and status are needed), every row, then
/// the same student and lesson on two rows: an exact repeat is imported once; two rows that
/// disagree are both refused (nothing says which is right).
pub fn check_file(records: &[Record], catalog: &Catalog, today: NaiveDate) -> Result<(Columns, Vec<CheckedRow>), HeaderError> {
    let (header, rows) = records.split_first().ok_or(HeaderError::NoRows)?;
    let columns = Columns::read_with(&header.fields, field_for_header)?;
    for needed in [Field::Course, Field::Lesson, Field::Status] {
        if !columns.fields.contains(&Some(needed)) {
            return Err(HeaderError::MissingColumn(needed.name()));
        }
    }
    if rows.is_empty() {
        return Err(HeaderError::NoRows);
    }
    let mut checked: Vec<CheckedRow> = rows.iter().map(|r| check_row(&columns, r, catalog, today)).collect();
    let mut first_seen: HashMap<(i64, i64), usize> = HashMap::new();
    for i in 0..checked.len() {
        let Some(key) = checked[i].progress.as_ref().map(|p| (p.user_id, p.lesson_id)) else { continue };
        match first_seen.get(&key).copied() {
            None => {
                first_seen.insert(key, i);
            }
            Some(first) => {
                let (first_line, line) = (checked[first].line, checked[i].line);
                let lesson = checked[i].progress.as_ref().map(|p| p.lesson_title.clone()).unwrap_or_default();
                if checked[first].progress == checked[i].progress {
                    let mut w = problem("stats_duplicate_same", Field::Lesson, &lesson);
                    w.other_line = Some(first_line);
                    checked[i].warnings.push(w);
                    checked[i].repeat_of = Some(first_line);
                } else {
                    let mut e = problem("stats_duplicate_conflict", Field::Lesson, &lesson);
                    e.other_line = Some(first_line);
                    checked[i].errors.push(e);
                    if !checked[first].errors.iter().any(|p| p.code == "stats_duplicate_conflict") {
                        let mut e = problem("stats_duplicate_conflict", Field::Lesson, &lesson);
                        e.other_line = Some(line);
                        checked[first].errors.push(e);
                    }
                }
            }
        }
    }
    Ok((columns, checked))
}

/// The template to download: our header and an example row per status.
pub fn template(course: Option<(&str, &str)>) -> String {
    let (course, lesson) = course.unwrap_or(("yoga", "Respirer"));
    let rows: Vec<Vec<&str>> = vec![
        TEMPLATE_HEADER.to_vec(),
        vec!["jeanne.martin@example.com", course, lesson, "C", "2026-03-31", ""],
        vec!["paul.durand@example.com", course, lesson, "I", "2026-04-02", ""],
    ];
    crate::kernel::csv::write_file(&rows, ';')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog {
            courses: vec![CourseRef {
                id: 1,
                slug: "yoga".into(),
                title: "Yoga doux".into(),
                lessons: vec![
                    LessonRef { id: 10, title: "Respirer".into(), task: None },
                    LessonRef { id: 11, title: "Le quiz".into(), task: Some("quiz".into()) },
                    LessonRef { id: 12, title: "Doublon".into(), task: None },
                    LessonRef { id: 13, title: "doublon".into(), task: None },
                ],
            }],
            students: HashMap::from([("lea@example.com".to_string(), (7, vec![1])), ("paul@example.com".to_string(), (8, vec![]))]),
        }
    }

    fn file(rows: &[&str]) -> Vec<Record> {
        let text = format!("email;course;lesson;status;date;score\n{}\n", rows.join("\n"));
        crate::kernel::csv::read(&text, b';').unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    fn codes(r: &CheckedRow) -> Vec<&str> {
        r.errors.iter().chain(&r.warnings).map(|p| p.code.as_str()).collect()
    }

    #[test]
    fn statuses_read_as_letters_or_words() {
        for (typed, s) in [("C", Status::Completed), ("p", Status::Passed), ("Failed", Status::Failed), ("en cours", Status::Incomplete), ("N", Status::NotAttempted), ("réussi", Status::Passed)] {
            assert_eq!(Status::parse(typed), Some(s), "{typed}");
        }
        assert_eq!(Status::parse("X"), None);
        assert_eq!(Status::parse("CP"), None);
    }

    #[test]
    fn a_good_row_names_its_student_course_and_lesson() {
        let (_, rows) = check_file(&file(&["Lea@Example.com;Yoga doux;respirer;C;31/03/2026;", "lea@example.com;yoga;11;P;2026-04-01 10:30;85,4"]), &catalog(), today()).unwrap();
        assert!(rows[0].errors.is_empty(), "{:?}", rows[0].errors);
        let p = rows[0].progress.clone().unwrap();
        assert_eq!((p.user_id, p.course_id, p.lesson_id, p.status, p.date), (7, 1, 10, Status::Completed, NaiveDate::from_ymd_opt(2026, 3, 31)));
        let q = rows[1].progress.clone().unwrap();
        assert_eq!((q.lesson_id, q.score, q.task.as_deref()), (11, Some(85), Some("quiz")));
    }

    #[test]
    fn hostile_rows_are_refused_with_their_reason() {
        let (_, rows) = check_file(
            &file(&[
                "lea@example.com;yoga;Respirer;X;2026-01-01;",
                "lea@example.com;yoga;Inconnue;C;2026-01-01;",
                "lea@example.com;piano;Respirer;C;2026-01-01;",
                "nobody@example.com;yoga;Respirer;C;2026-01-01;",
                "pas-un-email;yoga;Respirer;C;2026-01-01;",
                "lea@example.com;yoga;Le quiz;P;2026-02-30;",
                "lea@example.com;yoga;Le quiz;P;01-02-2026;",
                "lea@example.com;yoga;Le quiz;P;2099-01-01;",
                "lea@example.com;yoga;Le quiz;P;2026-01-01;120",
                "lea@example.com;yoga;Le quiz;F;2026-01-01;beaucoup",
                "lea@example.com;yoga;Respirer;F;2026-01-01;",
                "lea@example.com;yoga;doublon;C;2026-01-01;",
                "lea@example.com;yoga;;C;2026-01-01;",
                "lea@example.com;yoga;Respirer;;2026-01-01;",
            ]),
            &catalog(),
            today(),
        )
        .unwrap();
        let expected = [
            "stats_status_invalid",
            "stats_lesson_unknown",
            "stats_course_unknown",
            "stats_student_unknown",
            "import_email_invalid",
            "import_date_impossible",
            "stats_date_format",
            "stats_date_future",
            "stats_score_range",
            "stats_score_invalid",
            "stats_failed_needs_task",
            "stats_lesson_ambiguous",
            "stats_lesson_missing",
            "stats_status_missing",
        ];
        for (row, code) in rows.iter().zip(expected) {
            assert!(row.is_rejected(), "line {} should be rejected for {code}: {:?}", row.line, codes(row));
            assert!(codes(row).contains(&code), "line {}: {code} in {:?}", row.line, codes(row));
        }
    }

    #[test]
    fn warnings_let_the_row_in() {
        let (_, rows) = check_file(&file(&["paul@example.com;yoga;Respirer;P;;90", "lea@example.com;yoga;Respirer;I;2026-01-01;"]), &catalog(), today()).unwrap();
        assert!(!rows[0].is_rejected());
        assert_eq!(codes(&rows[0]), vec!["stats_passed_without_task", "stats_score_ignored", "stats_date_missing", "stats_not_enrolled"]);
        assert!(!rows[0].progress.as_ref().unwrap().enrolled);
        assert!(codes(&rows[1]).is_empty());
    }

    #[test]
    fn the_same_lesson_twice_is_a_repeat_or_a_conflict() {
        let (_, rows) = check_file(
            &file(&["lea@example.com;yoga;Respirer;C;2026-01-01;", "lea@example.com;yoga;respirer;C;2026-01-01;", "lea@example.com;yoga;Le quiz;P;2026-01-01;80", "lea@example.com;yoga;11;F;2026-01-02;40"]),
            &catalog(),
            today(),
        )
        .unwrap();
        assert_eq!((rows[1].repeat_of, rows[1].is_rejected()), (Some(2), false));
        assert!(rows[2].is_rejected() && rows[3].is_rejected());
        assert_eq!(rows[2].errors[0].other_line, Some(5));
    }

    #[test]
    fn the_header_needs_course_lesson_and_status() {
        let records = crate::kernel::csv::read("email;course;lesson\na@b.fr;yoga;x\n", b';').unwrap();
        assert_eq!(check_file(&records, &catalog(), today()).unwrap_err(), HeaderError::MissingColumn("status"));
        let records = crate::kernel::csv::read("courriel;cours;leçon;statut;le;note\nlea@example.com;yoga;Respirer;C;2026-01-01;\n", b';').unwrap();
        assert!(check_file(&records, &catalog(), today()).is_ok(), "French headers");
    }
}
