//! Student imports, the I/O: the uploaded file is read and checked once (kernel::csv,
//! imports::rules) and kept in D1 row by row with its problems; "import" then writes slices
//! of rows, each slice in one D1 batch (students, enrollments, audit entries, outcomes and
//! counters together: a row is imported whole or not at all), a few statements per slice
//! whatever its size (rows travel as one JSON parameter read with `json_each`).

use crate::kernel::csv::{self, CsvError};
use crate::features::imports::rules::{check_file, plan_row, CheckedRow, Columns, ExistingStudent, HeaderError, ImportOptions, Kind, StudentOutcome};
use crate::features::imports::statistics;
use crate::kernel::error::AppError;
use crate::kernel::db::{int, text, SchoolDb};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An upload larger than this is refused before it is read.
pub const UPLOAD_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Rows per write batch: large enough that a 5,000-row file is 20 batches, small enough that
/// one batch's JSON parameter stays far below D1's limits.
pub const SLICE_ROWS: usize = 250;
/// Rows per statement when the checked file is stored.
const STORE_ROWS: usize = 500;

/// Why an upload was refused as a whole: a message key, and the line or column it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub code: &'static str,
    pub line: Option<usize>,
    pub column: Option<String>,
}

impl From<CsvError> for Refused {
    fn from(e: CsvError) -> Refused {
        Refused { code: e.code(), line: e.line(), column: None }
    }
}

impl From<HeaderError> for Refused {
    fn from(e: HeaderError) -> Refused {
        let column = match &e {
            HeaderError::RepeatedColumn(c) => Some(c.clone()),
            _ => None,
        };
        Refused { code: e.code(), line: None, column }
    }
}

fn separator_name(separator: u8) -> &'static str {
    match separator {
        b';' => ";",
        b'\t' => "\t",
        _ => ",",
    }
}

/// Reads, checks and keeps an uploaded file; returns the import's id for the preview.
pub async fn store(sdb: &SchoolDb, kind: Kind, user_id: i64, file_name: &str, bytes: &[u8], now: i64, zone: &str) -> Result<Result<String, Refused>, AppError> {
    let content = match csv::decode(bytes) {
        Ok(t) => t,
        Err(e) => return Ok(Err(e.into())),
    };
    let separator = csv::detect_separator(content);
    let records = match csv::read(content, separator) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e.into())),
    };
    let checked = match kind {
        Kind::Students => {
            #[derive(Deserialize)]
            struct Slug {
                slug: String,
            }
            let courses: Vec<String> = sdb.all::<Slug>("SELECT slug FROM @courses", &[]).await?.into_iter().map(|c| c.slug).collect();
            check_file(&records, &courses)
        }
        Kind::Statistics => {
            let catalog = statistics_catalog(sdb, &records).await?;
            statistics::check_file(&records, &catalog, local_day(now, zone))
        }
    };
    let (columns, checked) = match checked {
        Ok(c) => c,
        Err(e) => return Ok(Err(e.into())),
    };
    let id = crate::kernel::token::new_public_id();
    let rejected = checked.iter().filter(|r| r.is_rejected()).count();
    let warned = checked.iter().filter(|r| !r.warnings.is_empty()).count();
    let name: String = file_name.chars().filter(|c| !c.is_control()).take(200).collect();
    let mut statements = vec![sdb.stmt(
        "INSERT INTO @imports (id, created_by, file_name, separator, columns_json, total_rows, rejected_rows, warning_rows, created_at, kind)
         VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &[
            text(&id),
            int(user_id),
            text(&name),
            text(separator_name(separator)),
            text(&serde_json::to_string(&columns).map_err(|_| AppError::Internal)?),
            int(checked.len() as i64),
            int(rejected as i64),
            int(warned as i64),
            int(now),
            text(kind.code()),
        ],
    )?];
    for (n, chunk) in checked.chunks(STORE_ROWS).enumerate() {
        // Rows belong to the import written just before, in the same batch.
        statements.push(sdb.stmt(
            "INSERT INTO import_rows (import_id, position, line, checked_json)
             SELECT i.id, ?3 + j.key, json_extract(j.value, '$.line'), j.value FROM @imports i CROSS JOIN json_each(?4) j WHERE i.id = ?2",
            &[text(&id), int((n * STORE_ROWS) as i64), text(&serde_json::to_string(chunk).map_err(|_| AppError::Internal)?)],
        )?);
    }
    sdb.batch(statements).await?;
    Ok(Ok(id))
}

/// What a statistics file is checked against: the school's courses with their lessons (and
/// each lesson's quiz or assignment), and the students the file names — an address merged
/// into another account counts as that account. One D1 batch.
async fn statistics_catalog(sdb: &SchoolDb, records: &[crate::kernel::csv::Record]) -> Result<statistics::Catalog, AppError> {
    let Some((header, rows)) = records.split_first() else { return Ok(statistics::Catalog::default()) };
    let Ok(columns) = Columns::read_with(&header.fields, statistics::field_for_header) else { return Ok(statistics::Catalog::default()) };
    let emails: std::collections::BTreeSet<String> = rows
        .iter()
        .filter_map(|r| crate::kernel::email::Email::parse(columns.get(&r.fields, crate::features::imports::rules::Field::Email)).ok())
        .map(|e| e.as_str().to_string())
        .collect();
    let emails = json(&emails)?;
    let enrolled = "(SELECT json_group_array(e.course_id) FROM @enrollments e WHERE e.user_id = u.id) AS courses";
    let results = sdb
        .batch(vec![
            sdb.stmt(
                "SELECT c.id, c.slug, c.title, (SELECT json_group_array(json_array(l.id, l.title, (SELECT t.kind FROM @lesson_tasks t WHERE t.lesson_id = l.id)))
                    FROM (SELECT id, title FROM @lessons WHERE course_id = c.id ORDER BY position, id) l) AS lessons
                 FROM @courses c ORDER BY c.id",
                &[],
            )?,
            sdb.stmt(&format!("SELECT j.value AS email, u.id, {enrolled} FROM json_each(?2) j CROSS JOIN @users u ON u.email = j.value WHERE u.role = 'student'"), &[text(&emails)])?,
            sdb.stmt(
                &format!("SELECT j.value AS email, u.id, {enrolled} FROM json_each(?2) j CROSS JOIN @user_aliases a ON a.email = j.value JOIN @users u ON u.id = a.user_id WHERE u.role = 'student'"),
                &[text(&emails)],
            )?,
        ])
        .await?;
    #[derive(Deserialize)]
    struct CourseRow {
        id: i64,
        slug: String,
        title: String,
        lessons: String,
    }
    #[derive(Deserialize)]
    struct StudentRow {
        email: String,
        id: i64,
        courses: String,
    }
    let courses = crate::kernel::db::rows::<CourseRow>(&results[0])?
        .into_iter()
        .map(|c| statistics::CourseRef {
            id: c.id,
            slug: c.slug,
            title: c.title,
            lessons: serde_json::from_str::<Vec<(i64, String, Option<String>)>>(&c.lessons)
                .unwrap_or_default()
                .into_iter()
                .map(|(id, title, task)| statistics::LessonRef { id, title, task })
                .collect(),
        })
        .collect();
    let mut students = std::collections::HashMap::new();
    for r in crate::kernel::db::rows::<StudentRow>(&results[1])?.into_iter().chain(crate::kernel::db::rows::<StudentRow>(&results[2])?) {
        students.insert(r.email, (r.id, serde_json::from_str(&r.courses).unwrap_or_default()));
    }
    Ok(statistics::Catalog { courses, students })
}

#[derive(Debug, Clone, Deserialize)]
pub struct ImportRow {
    pub id: String,
    pub file_name: String,
    pub separator: String,
    pub columns_json: String,
    pub total_rows: i64,
    pub rejected_rows: i64,
    pub warning_rows: i64,
    pub status: String,
    pub options_json: Option<String>,
    pub processed: i64,
    pub created: i64,
    pub updated: i64,
    pub enrolled: i64,
    pub unchanged: i64,
    pub invited: i64,
    pub statements: i64,
    pub created_at: i64,
    pub kind: String,
    pub skipped: i64,
}

pub async fn load(sdb: &SchoolDb, id: &str) -> Result<Option<ImportRow>, AppError> {
    sdb.first("SELECT * FROM @imports WHERE id = ?2", &[text(id)]).await
}

#[derive(Deserialize)]
struct StoredRow {
    position: i64,
    checked_json: String,
    outcome: Option<String>,
}

/// Rows of an import in file order (`only_problems`: rows with errors or warnings), at most `limit`.
pub async fn rows_of(sdb: &SchoolDb, id: &str, only_problems: bool, limit: i64) -> Result<Vec<(CheckedRow, Option<String>)>, AppError> {
    let filter = if only_problems {
        "AND (json_array_length(r.checked_json, '$.errors') > 0 OR json_array_length(r.checked_json, '$.warnings') > 0)"
    } else {
        ""
    };
    let stored: Vec<StoredRow> = sdb
        .all(
            &format!(
                "SELECT r.position, r.checked_json, r.outcome FROM @imports i JOIN import_rows r ON r.import_id = i.id
                 WHERE i.id = ?2 {filter} ORDER BY r.position LIMIT ?3"
            ),
            &[text(id), int(limit)],
        )
        .await?;
    stored
        .into_iter()
        .map(|r| serde_json::from_str::<CheckedRow>(&r.checked_json).map(|c| (c, r.outcome)).map_err(|_| AppError::Internal))
        .collect()
}

/// Claims a previewed import for running (a second click, or a second tab, claims nothing).
pub async fn claim(sdb: &SchoolDb, id: &str, options: ImportOptions, now: i64) -> Result<bool, AppError> {
    let claimed: Option<serde_json::Value> = sdb
        .first(
            "UPDATE @imports SET status = 'running', options_json = ?3, started_at = ?4 WHERE id = ?2 AND status = 'previewed' RETURNING id",
            &[text(id), text(&serde_json::to_string(&options).map_err(|_| AppError::Internal)?), int(now)],
        )
        .await?;
    Ok(claimed.is_some())
}

/// What running needs to know about the school.
pub struct ImportSchool<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub time_zone: &'a str,
    pub default_locale: crate::kernel::i18n::Locale,
}

#[derive(Deserialize)]
struct ExistingRow {
    email: String,
    first_name: String,
    last_name: String,
    locale: Option<String>,
    note: String,
    /// JSON array of [slug, access_start, access_end, status].
    enrollments: String,
}

fn local_day(ms: i64, zone: &str) -> NaiveDate {
    NaiveDate::parse_from_str(&crate::kernel::time::local_day(ms, zone), "%Y-%m-%d").unwrap_or_default()
}

/// The first instant of a day, and the end of a day (23:59), in the school's time.
fn day_start(d: NaiveDate, zone: &str) -> i64 {
    crate::features::drip::rules::local_to_utc(d.and_hms_opt(0, 0, 0).unwrap_or_default(), crate::kernel::time::zone(zone))
}
fn day_end(d: NaiveDate, zone: &str) -> i64 {
    crate::features::drip::rules::local_to_utc(d.and_hms_opt(23, 59, 0).unwrap_or_default(), crate::kernel::time::zone(zone))
}

/// Imports every row not yet imported, slice by slice. Each slice is one read and one write
/// batch; progress (`processed`) is visible between slices.
pub async fn run(sdb: &SchoolDb, ctx: &crate::kernel::request::RequestContext, school: &ImportSchool<'_>, actor_id: i64, id: &str, kind: Kind, options: ImportOptions) -> Result<(), AppError> {
    // The run's own clock: its start is the request's time (the test clock in dev), its end
    // that plus the wall time the slices took.
    let wall_start = worker::Date::now().as_millis() as i64;
    // D1 statements this run sends (reads included): the benchmark's "statements per row".
    let mut statements = 0i64;
    loop {
        statements += 1;
        let stored: Vec<StoredRow> = sdb
            .all(
                "SELECT r.position, r.checked_json, r.outcome FROM @imports i JOIN import_rows r ON r.import_id = i.id
                 WHERE i.id = ?2 AND r.outcome IS NULL ORDER BY r.position LIMIT ?3",
                &[text(id), int(SLICE_ROWS as i64)],
            )
            .await?;
        if stored.is_empty() {
            break;
        }
        let slice: Vec<(i64, CheckedRow)> = stored
            .into_iter()
            .map(|r| serde_json::from_str::<CheckedRow>(&r.checked_json).map(|c| (r.position, c)).map_err(|_| AppError::Internal))
            .collect::<Result<_, _>>()?;
        statements += match kind {
            Kind::Students => import_slice(sdb, ctx, school, actor_id, id, options, &slice).await?,
            Kind::Statistics => statistics_slice(sdb, ctx, school, actor_id, id, options, &slice).await?,
        };
    }
    let finished_at = ctx.now_ms + (worker::Date::now().as_millis() as i64 - wall_start).max(0);
    sdb.run("UPDATE @imports SET status = 'done', finished_at = ?3, statements = ?4 + 1 WHERE id = ?2", &[text(id), int(finished_at), int(statements)]).await?;
    Ok(())
}

#[derive(Serialize)]
struct StudentWrite<'a> {
    email: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    display_name: String,
    locale: Option<&'a str>,
    note: &'a str,
}

#[derive(Serialize)]
struct EnrollmentWrite<'a> {
    email: &'a str,
    course: String,
    start: Option<i64>,
    end: Option<i64>,
}

#[derive(Serialize)]
struct AuditWrite<'a> {
    email: &'a str,
    action: &'a str,
    detail: String,
}

/// One slice: one read, one write batch (and the invitations' batch when asked). Returns the
/// number of statements sent.
async fn import_slice(sdb: &SchoolDb, ctx: &crate::kernel::request::RequestContext, school: &ImportSchool<'_>, actor_id: i64, id: &str, options: ImportOptions, slice: &[(i64, CheckedRow)]) -> Result<i64, AppError> {
    let zone = school.time_zone;
    let now = ctx.now_ms;
    // A row naming the address of an account merged into another updates that account.
    let typed: Vec<String> = slice.iter().filter(|(_, r)| !r.is_rejected()).map(|(_, r)| r.data.email.clone()).collect();
    let aliases = crate::features::merge::server::resolve_aliases(sdb, &typed).await?;
    let resolved: Vec<(i64, CheckedRow)>;
    let slice = if aliases.is_empty() {
        slice
    } else {
        resolved = slice
            .iter()
            .map(|(position, row)| {
                let mut row = row.clone();
                if let Some(kept) = aliases.get(&row.data.email) {
                    row.data.email = kept.clone();
                }
                (*position, row)
            })
            .collect();
        &resolved[..]
    };
    let accepted: Vec<&CheckedRow> = slice.iter().map(|(_, r)| r).filter(|r| !r.is_rejected() && r.repeat_of.is_none()).collect();
    let emails: Vec<&str> = accepted.iter().map(|r| r.data.email.as_str()).collect();
    let existing: Vec<ExistingRow> = sdb
        .all(
            "SELECT u.email, u.first_name, u.last_name, u.locale, u.note,
                (SELECT json_group_array(json_array(c.slug, e.access_start, e.access_end, e.status)) FROM @enrollments e
                 JOIN @courses c ON c.id = e.course_id WHERE e.user_id = u.id) AS enrollments
             FROM @users u WHERE u.email IN (SELECT value FROM json_each(?2))",
            &[text(&serde_json::to_string(&emails).map_err(|_| AppError::Internal)?)],
        )
        .await?;
    let existing: std::collections::HashMap<&str, ExistingStudent> = existing
        .iter()
        .map(|e| {
            let enrollments: Vec<(String, Option<i64>, Option<i64>, String)> = serde_json::from_str(&e.enrollments).unwrap_or_default();
            let student = ExistingStudent {
                first_name: e.first_name.clone(),
                last_name: e.last_name.clone(),
                locale: e.locale.clone(),
                note: e.note.clone(),
                enrollments: enrollments
                    .into_iter()
                    .map(|(slug, start, end, status)| (slug, local_day(start.unwrap_or(0), zone), end.map(|e| local_day(e, zone)), status == "active"))
                    .collect(),
            };
            (e.email.as_str(), student)
        })
        .collect();

    let (mut students, mut enrollments, mut audit) = (vec![], vec![], vec![]);
    let mut outcomes: std::collections::BTreeMap<&str, Vec<i64>> = std::collections::BTreeMap::new();
    let (mut created, mut updated, mut unchanged, mut enrolled) = (0, 0, 0, 0);
    let mut created_emails = vec![];
    for (position, row) in slice {
        if row.is_rejected() {
            outcomes.entry("rejected").or_default().push(*position);
            continue;
        }
        if row.repeat_of.is_some() {
            outcomes.entry("repeat").or_default().push(*position);
            continue;
        }
        let before = existing.get(row.data.email.as_str());
        let plan = plan_row(&row.data, before, options);
        let outcome = match plan.student {
            StudentOutcome::Created => "created",
            StudentOutcome::Updated => "updated",
            StudentOutcome::Unchanged => "unchanged",
        };
        outcomes.entry(outcome).or_default().push(*position);
        match plan.student {
            StudentOutcome::Created => created += 1,
            StudentOutcome::Updated => updated += 1,
            StudentOutcome::Unchanged => unchanged += 1,
        }
        let email = row.data.email.as_str();
        if plan.student != StudentOutcome::Unchanged {
            let display_name = format!("{} {}", plan.first_name, plan.last_name).trim().to_string();
            let detail = serde_json::json!({
                "before": before.map(|b| serde_json::json!({"first_name": b.first_name, "last_name": b.last_name, "locale": b.locale, "note": b.note})),
                "after": {"first_name": plan.first_name, "last_name": plan.last_name, "locale": plan.locale, "note": plan.note},
            });
            audit.push(AuditWrite { email, action: if plan.student == StudentOutcome::Created { "student_created" } else { "student_updated" }, detail: detail.to_string() });
            if plan.student == StudentOutcome::Created {
                created_emails.push(email);
            }
            students.push((email, plan.first_name.clone(), plan.last_name.clone(), display_name, plan.locale.clone(), plan.note.clone()));
        }
        for change in &plan.enroll {
            enrolled += 1;
            let start = change.access_start.map(|d| day_start(d, zone));
            let end = change.access_end.map(|d| day_end(d, zone));
            let before = before.and_then(|b| b.enrollments.iter().find(|(c, ..)| *c == change.course));
            audit.push(AuditWrite {
                email,
                action: "course_granted",
                detail: serde_json::json!({
                    "course": change.course,
                    "before": before.map(|(_, s, e, active)| serde_json::json!({"start": s.to_string(), "end": e.map(|d| d.to_string()), "active": active})),
                    "after": {"start": change.access_start.map(|d| d.to_string()), "end": change.access_end.map(|d| d.to_string())},
                })
                .to_string(),
            });
            enrollments.push(EnrollmentWrite { email, course: change.course.clone(), start, end });
        }
    }
    let student_writes: Vec<StudentWrite> = students
        .iter()
        .map(|(email, f, l, d, locale, note)| StudentWrite { email, first_name: f, last_name: l, display_name: d.clone(), locale: locale.as_deref(), note })
        .collect();
    let source = format!("import:{id}");
    let mut statements = vec![];
    if !student_writes.is_empty() {
        statements.push(sdb.stmt(
            "INSERT INTO @users (email, first_name, last_name, display_name, locale, note, role, created_at)
             SELECT j.value ->> 'email', j.value ->> 'first_name', j.value ->> 'last_name', j.value ->> 'display_name', j.value ->> 'locale', j.value ->> 'note', 'student', ?2
             FROM json_each(?3) j WHERE true
             ON CONFLICT (school_id, email) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
                display_name = excluded.display_name, locale = excluded.locale, note = excluded.note",
            &[int(now), text(&json(&student_writes)?)],
        )?);
    }
    if !enrollments.is_empty() {
        statements.push(sdb.stmt(
            "INSERT INTO @enrollments (user_id, course_id, access_start, access_end, status, created_at, next_notice_at, last_notice_at)
             SELECT u.id, c.id, COALESCE(j.value ->> 'start', ?2), j.value ->> 'end', 'active', ?2, ?2, ?2
             FROM json_each(?3) j CROSS JOIN @users u ON u.email = j.value ->> 'email'
             CROSS JOIN @courses c ON c.slug = j.value ->> 'course' WHERE true
             ON CONFLICT (user_id, course_id) DO UPDATE SET access_start = excluded.access_start, access_end = excluded.access_end,
                status = 'active', next_notice_at = excluded.next_notice_at",
            &[int(now), text(&json(&enrollments)?)],
        )?);
    }
    if !audit.is_empty() {
        statements.push(sdb.stmt(
            "INSERT INTO @audit_log (actor_id, user_id, action, detail, source, at)
             SELECT ?2, u.id, j.value ->> 'action', j.value ->> 'detail', ?3, ?4
             FROM json_each(?5) j CROSS JOIN @users u ON u.email = j.value ->> 'email'",
            &[int(actor_id), text(&source), int(now), text(&json(&audit)?)],
        )?);
    }
    statements.extend(outcome_writes(sdb, id, &outcomes)?);
    statements.push(sdb.stmt(
        "UPDATE @imports SET processed = processed + ?3, created = created + ?4, updated = updated + ?5, unchanged = unchanged + ?6, enrolled = enrolled + ?7 WHERE id = ?2",
        &[text(id), int(slice.len() as i64), int(created), int(updated), int(unchanged), int(enrolled)],
    )?);
    let mut sent = 1 + statements.len() as i64;
    sdb.batch(statements).await?;

    if options.invite_new && !created_emails.is_empty() {
        sent += invite(sdb, ctx, school, id, &created_emails).await?;
    }
    Ok(sent)
}

/// One slice of a statistics import, in one write batch: enrollments (when chosen), lessons
/// completed (the earlier date stays), answers for passed or failed quizzes and assignments,
/// where each student was last, a history entry per row, outcomes and counters. Then the
/// certificates of students the slice made finish a course (when chosen).
async fn statistics_slice(sdb: &SchoolDb, ctx: &crate::kernel::request::RequestContext, school: &ImportSchool<'_>, actor_id: i64, id: &str, options: ImportOptions, slice: &[(i64, CheckedRow)]) -> Result<i64, AppError> {
    use statistics::Status;
    #[derive(Serialize)]
    struct Write {
        user: i64,
        course: i64,
        lesson: i64,
        at: i64,
        status: &'static str,
        kind: Option<String>,
        score: Option<i64>,
        detail: String,
    }
    let now = ctx.now_ms;
    let (mut enroll, mut done, mut answers, mut history) = (vec![], vec![], vec![], vec![]);
    let mut last: std::collections::BTreeMap<(i64, i64), (i64, i64)> = std::collections::BTreeMap::new();
    let mut outcomes: std::collections::BTreeMap<&str, Vec<i64>> = std::collections::BTreeMap::new();
    let mut finishing = std::collections::BTreeSet::new();
    for (position, row) in slice {
        let outcome = match (&row.progress, row.is_rejected(), row.repeat_of) {
            (_, true, _) | (None, _, _) => "rejected",
            (_, _, Some(_)) => "repeat",
            (Some(p), _, _) if !p.enrolled && !options.enroll_missing => "skipped",
            (Some(p), _, _) if p.status == Status::NotAttempted => "unchanged",
            (Some(p), _, _) => {
                let at = p.date.map(|d| day_start(d, school.time_zone)).unwrap_or(now);
                if !p.enrolled {
                    enroll.push((p.user_id, p.course_id));
                }
                let write = |status: &'static str| Write {
                    user: p.user_id,
                    course: p.course_id,
                    lesson: p.lesson_id,
                    at,
                    status,
                    kind: p.task.clone(),
                    score: p.score,
                    detail: serde_json::json!({"course": p.course_title, "lesson": p.lesson_title, "status": p.status.letter(), "date": p.date.map(|d| d.to_string()), "score": p.score}).to_string(),
                };
                if p.status.completes() {
                    done.push(write(""));
                    finishing.insert((p.user_id, p.course_id));
                }
                // A passed or failed quiz or assignment is an answer with its result.
                if let (Some(kind), true) = (&p.task, matches!(p.status, Status::Passed | Status::Failed)) {
                    let status = match (kind.as_str(), p.status) {
                        ("survey", _) => "answered",
                        (_, Status::Passed) => "approved",
                        ("quiz", _) => "failed",
                        _ => "returned",
                    };
                    answers.push(write(status));
                }
                let entry = last.entry((p.user_id, p.course_id)).or_insert((p.lesson_id, at));
                if at > entry.1 {
                    *entry = (p.lesson_id, at);
                }
                history.push(write(""));
                "imported"
            }
        };
        outcomes.entry(outcome).or_default().push(*position);
    }
    enroll.sort();
    enroll.dedup();
    let positions: Vec<serde_json::Value> = last.iter().map(|((user, course), (lesson, at))| serde_json::json!({"user": user, "course": course, "lesson": lesson, "at": at})).collect();
    let enroll_json: Vec<serde_json::Value> = enroll.iter().map(|(user, course)| serde_json::json!({"user": user, "course": course})).collect();
    let source = format!("import:{id}");
    let mut statements = vec![];
    if !enroll.is_empty() {
        statements.push(sdb.stmt(
            "INSERT INTO @enrollments (user_id, course_id, access_start, status, created_at, next_notice_at, last_notice_at)
             SELECT u.id, c.id, ?2, 'active', ?2, ?2, ?2 FROM json_each(?3) j CROSS JOIN @users u ON u.id = j.value ->> 'user'
             CROSS JOIN @courses c ON c.id = j.value ->> 'course' WHERE true ON CONFLICT (user_id, course_id) DO NOTHING",
            &[int(now), text(&json(&enroll_json)?)],
        )?);
    }
    if !done.is_empty() {
        statements.push(sdb.stmt(
            "INSERT INTO @completions (user_id, lesson_id, completed_at)
             SELECT u.id, l.id, j.value ->> 'at' FROM json_each(?2) j CROSS JOIN @users u ON u.id = j.value ->> 'user' CROSS JOIN @lessons l ON l.id = j.value ->> 'lesson'
             WHERE true ON CONFLICT (user_id, lesson_id) DO UPDATE SET completed_at = min(completed_at, excluded.completed_at)",
            &[text(&json(&done)?)],
        )?);
    }
    if !answers.is_empty() {
        // Numbered after the student's own answers; the same row imported again adds nothing.
        statements.push(sdb.stmt(
            "INSERT INTO @submissions (course_id, lesson_id, user_id, kind, attempt, score, max_score, status, created_at, reviewed_at)
             SELECT l.course_id, l.id, u.id, j.value ->> 'kind', COALESCE((SELECT MAX(s.attempt) FROM @submissions s WHERE s.user_id = u.id AND s.lesson_id = l.id), 0) + 1,
                j.value ->> 'score', CASE WHEN j.value ->> 'score' IS NULL THEN NULL ELSE 100 END, j.value ->> 'status', j.value ->> 'at', j.value ->> 'at'
             FROM json_each(?2) j CROSS JOIN @users u ON u.id = j.value ->> 'user' CROSS JOIN @lessons l ON l.id = j.value ->> 'lesson'
             WHERE NOT EXISTS (SELECT 1 FROM @submissions s WHERE s.user_id = u.id AND s.lesson_id = l.id AND s.created_at = j.value ->> 'at' AND s.status = j.value ->> 'status')",
            &[text(&json(&answers)?)],
        )?);
    }
    if !positions.is_empty() {
        // "Continue" leads where the student was last, if that is later than what is known.
        statements.push(sdb.stmt(
            "UPDATE @enrollments SET
                last_lesson_id = (SELECT j.value ->> 'lesson' FROM json_each(?2) j WHERE j.value ->> 'user' = enrollments.user_id AND j.value ->> 'course' = enrollments.course_id),
                last_seen_at = (SELECT j.value ->> 'at' FROM json_each(?2) j WHERE j.value ->> 'user' = enrollments.user_id AND j.value ->> 'course' = enrollments.course_id)
             WHERE EXISTS (SELECT 1 FROM json_each(?2) j WHERE j.value ->> 'user' = enrollments.user_id AND j.value ->> 'course' = enrollments.course_id
                AND (enrollments.last_seen_at IS NULL OR enrollments.last_seen_at < j.value ->> 'at'))",
            &[text(&json(&positions)?)],
        )?);
    }
    if !history.is_empty() {
        statements.push(sdb.stmt(
            "INSERT INTO @audit_log (actor_id, user_id, action, detail, source, at)
             SELECT ?2, u.id, 'progress_imported', j.value ->> 'detail', ?3, ?4 FROM json_each(?5) j CROSS JOIN @users u ON u.id = j.value ->> 'user'",
            &[int(actor_id), text(&source), int(now), text(&json(&history)?)],
        )?);
    }
    statements.extend(outcome_writes(sdb, id, &outcomes)?);
    let count = |o: &str| outcomes.get(o).map_or(0, |v| v.len() as i64);
    statements.push(sdb.stmt(
        "UPDATE @imports SET processed = processed + ?3, created = created + ?4, enrolled = enrolled + ?5, unchanged = unchanged + ?6, skipped = skipped + ?7 WHERE id = ?2",
        &[text(id), int(slice.len() as i64), int(count("imported")), int(enroll.len() as i64), int(count("unchanged")), int(count("skipped"))],
    )?);
    let mut sent = statements.len() as i64;
    sdb.batch(statements).await?;
    if options.certificates {
        let issuer = crate::features::certificates::server::Issuer { now, config: &ctx.config };
        for (user, course) in finishing {
            crate::features::certificates::server::issue_if_finished(sdb, &issuer, user, course).await?;
            sent += 3;
        }
    }
    Ok(sent)
}

/// Invitations for the students this slice created: one login request and email each,
/// written together.
async fn invite(sdb: &SchoolDb, ctx: &crate::kernel::request::RequestContext, school: &ImportSchool<'_>, id: &str, emails: &[&str]) -> Result<i64, AppError> {
    #[derive(Deserialize)]
    struct NewUser {
        id: i64,
        email: String,
        locale: Option<String>,
        courses: Option<String>,
    }
    let users: Vec<NewUser> = sdb
        .all(
            "SELECT u.id, u.email, u.locale,
                (SELECT group_concat(c.title, ', ') FROM @enrollments e JOIN @courses c ON c.id = e.course_id WHERE e.user_id = u.id AND e.status = 'active') AS courses
             FROM @users u WHERE u.email IN (SELECT value FROM json_each(?2))",
            &[text(&serde_json::to_string(emails).map_err(|_| AppError::Internal)?)],
        )
        .await?;
    let texts = crate::features::emails::server::load(sdb, crate::features::emails::rules::MailKind::Invitation).await?;
    let mut statements = vec![];
    let school_ref = crate::features::login::server::SchoolRef { id: sdb.school_id().ok_or(AppError::Internal)?, slug: school.slug, name: school.name };
    for u in &users {
        let Ok(email) = crate::kernel::email::Email::parse(&u.email) else { continue };
        let locale = u.locale.as_deref().and_then(crate::kernel::i18n::Locale::parse).unwrap_or(school.default_locale);
        let letter = crate::features::emails::compose::Letter { kind: crate::features::emails::rules::MailKind::Invitation, texts: &texts, values: vec![("course_title", u.courses.clone().unwrap_or_default())], footer: None };
        let (mut issued, _) = crate::features::login::server::issue_with_letter(sdb.d1(), ctx, &school_ref, Some(u.id), &email, locale, crate::features::login::server::Purpose::Invite, false, Some(&letter), None)?;
        statements.append(&mut issued);
    }
    statements.push(sdb.stmt("UPDATE @imports SET invited = invited + ?3 WHERE id = ?2", &[text(id), int(users.len() as i64)])?);
    let sent = 1 + statements.len() as i64;
    sdb.batch(statements).await?;
    Ok(sent)
}

/// Each row's outcome, one statement per outcome.
fn outcome_writes(sdb: &SchoolDb, id: &str, outcomes: &std::collections::BTreeMap<&str, Vec<i64>>) -> Result<Vec<worker::D1PreparedStatement>, AppError> {
    outcomes
        .iter()
        .map(|(outcome, positions)| {
            sdb.stmt(
                "UPDATE import_rows SET outcome = ?3 WHERE import_id = (SELECT id FROM @imports WHERE id = ?2) AND position IN (SELECT value FROM json_each(?4))",
                &[text(id), text(outcome), text(&json(positions)?)],
            )
        })
        .collect()
}

/// A write list as one `json_each` parameter. Statements that join it to a table say
/// `CROSS JOIN`, which keeps the list as the outer loop: otherwise SQLite may scan the whole
/// school's students once per row (seen with 50,000 students).
fn json<T: Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|_| AppError::Internal)
}

/// The rejected rows as a file to fix and import again: the original columns, plus `error`.
pub fn rejects_file(columns: &Columns, separator: &str, rows: &[(CheckedRow, Option<String>)], locale: crate::kernel::i18n::Locale) -> String {
    let mut header: Vec<String> = columns.header.iter().zip(&columns.fields).filter(|(_, f)| **f != Some(crate::features::imports::rules::Field::RejectReason)).map(|(h, _)| h.clone()).collect();
    header.push("error".into());
    let keep: Vec<usize> = columns.fields.iter().enumerate().filter(|(_, f)| **f != Some(crate::features::imports::rules::Field::RejectReason)).map(|(i, _)| i).collect();
    let mut out = vec![header];
    for (row, _) in rows.iter().filter(|(r, _)| r.is_rejected()) {
        let mut cells: Vec<String> = keep.iter().map(|&i| row.raw.get(i).cloned().unwrap_or_default()).collect();
        cells.push(row.errors.iter().map(|p| p.message(locale)).collect::<Vec<_>>().join(" / "));
        out.push(cells);
    }
    csv::write_file(&out, separator.chars().next().unwrap_or(';'))
}

/// The log: every row's outcome with its errors and warnings, after a summary.
pub fn log_file(import: &ImportRow, columns: &Columns, rows: &[(CheckedRow, Option<String>)], locale: crate::kernel::i18n::Locale) -> String {
    use crate::kernel::i18n::t;
    let counts: Vec<(&str, i64)> = match Kind::parse(&import.kind) {
        Kind::Students => vec![("import_created", import.created), ("import_updated", import.updated), ("import_enrolled", import.enrolled), ("import_unchanged", import.unchanged)],
        Kind::Statistics => vec![("import_imported", import.created), ("import_enrolled", import.enrolled), ("import_unchanged", import.unchanged), ("import_skipped", import.skipped)],
    };
    let mut out = format!("{}: {}\n{}: {}", t(locale, "import_file"), import.file_name, t(locale, "import_rows"), import.total_rows);
    for (key, n) in counts.into_iter().chain([("import_rejected", import.rejected_rows)]) {
        out.push_str(&format!(" · {}: {n}", t(locale, key)));
    }
    out.push('\n');
    for c in columns.unknown() {
        out.push_str(&format!("{}: {c}: {}\n", t(locale, "import_warning"), t(locale, "import_unknown_column")));
    }
    for (row, outcome) in rows {
        let outcome = outcome.as_deref().unwrap_or(if row.is_rejected() { "rejected" } else { "pending" });
        out.push_str(&format!("{} {}: {}", t(locale, "import_line"), row.line, t(locale, &format!("import_outcome_{outcome}"))));
        for p in &row.errors {
            out.push_str(&format!(" · {}: {}", t(locale, "import_error"), p.message(locale)));
        }
        for p in &row.warnings {
            out.push_str(&format!(" · {}: {}", t(locale, "import_warning"), p.message(locale)));
        }
        out.push('\n');
    }
    out
}

/// The template to download: our header and one example row.
pub fn template(first_course: Option<&str>) -> String {
    let example = ["jeanne.martin@example.com", "Jeanne", "Martin", first_course.unwrap_or(""), "2026-09-01", "2027-06-30", "fr", ""];
    csv::write_file(&[crate::features::imports::rules::TEMPLATE_HEADER.to_vec(), example.to_vec()], ';')
}
