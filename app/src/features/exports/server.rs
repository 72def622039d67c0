//! Exports for spreadsheets: the directory (chosen columns, the directory's filter) and a
//! course's progress (student × lesson: status and completion date), as CSV (UTF-8 with BOM,
//! `;` or `,`, every cell formula-safe) or XLSX (`kernel::spreadsheet`).

use crate::kernel::spreadsheet::Format;
use crate::features::students::directory::{DirectoryFilter, STUDENT_COLUMNS};
use crate::kernel::error::AppError;
use crate::kernel::db::int;
use serde::Deserialize;
use worker::D1Database;

/// The columns asked for, in the canonical order; none asked: all of them.
pub fn chosen_columns(asked: &[String]) -> Vec<&'static (&'static str, &'static str)> {
    let chosen: Vec<_> = STUDENT_COLUMNS.iter().filter(|(name, _)| asked.iter().any(|a| a == name)).collect();
    if chosen.is_empty() { STUDENT_COLUMNS.iter().collect() } else { chosen }
}

pub fn separator(asked: Option<&str>) -> char {
    if asked == Some(",") { ',' } else { ';' }
}

/// Every student the filter matches, one row each.
pub async fn students_file(db: &D1Database, school_id: i64, filter: &DirectoryFilter, columns: &[&(&str, &str)], format: Format, now: i64, zone: &str) -> Result<Vec<u8>, AppError> {
    let tz = crate::kernel::time::zone(zone);
    let (condition, params) = filter.condition(2, now, |d| crate::features::drip::rules::local_to_utc(d.and_hms_opt(0, 0, 0).unwrap_or_default(), tz));
    let select = columns.iter().map(|(name, sql)| format!("{sql} AS {name}")).collect::<Vec<_>>().join(", ");
    let args = crate::features::students::directory_api::ssr_impl::bind(&params);
    let found: Vec<serde_json::Map<String, serde_json::Value>> =
        crate::kernel::db::SchoolDb::new(db, school_id).all(&format!("SELECT {select} FROM @users u WHERE u.role = 'student' AND {condition} ORDER BY u.email"), &args).await?;
    let mut out = vec![columns.iter().map(|(name, _)| name.to_string()).collect::<Vec<_>>()];
    for row in found {
        out.push(
            columns
                .iter()
                .map(|(name, _)| match row.get(*name) {
                    // Times as the school's local date and time, the rest as stored.
                    Some(serde_json::Value::Number(n)) if matches!(*name, "last_login" | "created") => n.as_i64().map(|ms| local_stamp(ms, zone)).unwrap_or_default(),
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                })
                .collect(),
        );
    }
    Ok(format.write("students", &out))
}

pub(crate) fn local_stamp(ms: i64, zone: &str) -> String {
    use chrono::TimeZone;
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| crate::kernel::time::zone(zone).from_utc_datetime(&d.naive_utc()).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct LessonRow {
    id: i64,
    title: String,
}

/// A course's active students with their completions in it (scoped SQL, `?2` the course).
/// Each active student of the course `?2` with their completions, their offer's name and the
/// lessons it leaves out.
pub(crate) fn course_students() -> String {
    format!(
        "SELECT u.email, u.first_name, u.last_name,
            (SELECT json_group_object(cp.lesson_id, cp.completed_at) FROM @completions cp JOIN @lessons* l ON l.id = cp.lesson_id
             WHERE cp.user_id = u.id AND l.course_id = ?2) AS completed,
            (SELECT o.name FROM @offers* o WHERE o.id = e.offer_id) AS offer_name, {} AS outside,
            (SELECT x.id FROM @certificates x WHERE x.user_id = u.id AND x.course_id = ?2) AS certificate
         FROM @enrollments e JOIN @users u ON u.id = e.user_id
         WHERE e.course_id = ?2 AND e.status = 'active' ORDER BY u.email",
        crate::kernel::db::outside_offer("e.offer_id")
    )
}

#[derive(Deserialize)]
pub(crate) struct StudentRow {
    pub(crate) email: String,
    pub(crate) first_name: String,
    pub(crate) last_name: String,
    /// JSON object: lesson id → completion time.
    pub(crate) completed: String,
    /// The offer they joined through (`None`: the whole course).
    pub(crate) offer_name: Option<String>,
    /// Lessons their offer leaves out (comma-separated ids).
    pub(crate) outside: Option<String>,
    /// Their certificate for the course, if issued.
    pub(crate) certificate: Option<String>,
}

impl StudentRow {
    pub(crate) fn outside(&self) -> Vec<i64> {
        crate::features::drip::rules::parse_ids(self.outside.as_deref())
    }
}

/// Progress in one course: a row per enrolled student, two columns per published lesson
/// (status, completion date). `None`: no such course here.
pub async fn progress_file(db: &D1Database, school_id: i64, course_id: i64, format: Format, zone: &str, locale: crate::kernel::i18n::Locale) -> Result<Option<(String, Vec<u8>)>, AppError> {
    #[derive(Deserialize)]
    struct Course {
        slug: String,
    }
    let school = crate::kernel::db::SchoolDb::new(db, school_id);
    let Some(course) = school.first::<Course>("SELECT slug FROM @courses WHERE id = ?2", &[int(course_id)]).await? else {
        return Ok(None);
    };
    let lessons: Vec<LessonRow> = school.all("SELECT id, title FROM @lessons WHERE course_id = ?2 AND status = 'published' ORDER BY position, id", &[int(course_id)]).await?;
    let students: Vec<StudentRow> = school.all(&course_students(), &[int(course_id)]).await?;
    let mut header = vec!["email".to_string(), "first_name".into(), "last_name".into(), "offer".into()];
    for l in &lessons {
        header.push(l.title.clone());
        header.push(format!("{} — {}", l.title, crate::kernel::i18n::t(locale, "export_completed_on")));
    }
    header.push("certificate".into());
    let mut out = vec![header];
    for s in students {
        let done: std::collections::HashMap<String, i64> = serde_json::from_str(&s.completed).unwrap_or_default();
        let outside = s.outside();
        let certificate = s.certificate.as_ref().map(|id| format!("/certificates/{id}")).unwrap_or_default();
        let mut row = vec![s.email, s.first_name, s.last_name, s.offer_name.unwrap_or_default()];
        for l in &lessons {
            if outside.contains(&l.id) {
                row.push(crate::kernel::i18n::t(locale, "export_not_in_offer").to_string());
                row.push(String::new());
                continue;
            }
            match done.get(&l.id.to_string()) {
                Some(at) => {
                    row.push(crate::kernel::i18n::t(locale, "export_done").to_string());
                    row.push(local_stamp(*at, zone));
                }
                None => {
                    row.push(crate::kernel::i18n::t(locale, "export_not_done").to_string());
                    row.push(String::new());
                }
            }
        }
        // Last, so that the columns of earlier exports keep their places.
        row.push(certificate);
        out.push(row);
    }
    Ok(Some((course.slug.clone(), format.write(&course.slug, &out))))
}
