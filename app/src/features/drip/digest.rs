//! The daily digest, run by the hourly cron: each student whose lessons opened since the last
//! look gets one email listing them (and lessons closing within 48 hours), with a personal
//! login link.
//!
//! - Work follows due notices, not enrollments: only enrollments whose `next_notice_at` has
//!   come are read (an indexed range), in slices of `DIGEST_SLICE`.
//! - Overlapping runs never both handle an enrollment: each run claims its slice first.
//! - A notice is never sent twice: `notices` has one row per (enrollment, lesson, event), and
//!   the email and its notices are written in one batch.

use crate::features::drip::rows::{CourseSchedule, EnrollmentSchedule};
use crate::features::drip::rules::{digest_plan, LessonRules, RuleColumns};
use crate::kernel::email::Email;
use crate::kernel::token::new_public_id;
use crate::kernel::error::AppError;
use crate::kernel::i18n::{t, Locale};
use crate::kernel::config::Config;
use crate::kernel::db::{batch, int, rows, stmt, text};
use crate::features::login::server::{issue_with_letter, Letter, Purpose, SchoolRef};
use crate::features::emails::rules::{MailKind, SchoolTexts};
use crate::kernel::request::RequestContext;
use serde::Deserialize;
use worker::D1Database;

/// Enrollments one run handles: a few D1 batches, well inside a Worker's limits.
pub const DIGEST_SLICE: i64 = 100;
/// A run that died holding a claim lets go after this long.
pub const CLAIM_TIMEOUT_MS: i64 = 10 * 60_000;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DigestReport {
    pub enrollments: usize,
    pub emails: usize,
    /// D1's own count of rows read by the run: the benchmark checks it follows due notices.
    pub rows_read: usize,
}

fn rows_read(results: &[worker::D1Result]) -> usize {
    results.iter().filter_map(|r| r.meta().ok().flatten().and_then(|m| m.rows_read)).sum()
}

#[derive(Deserialize)]
struct DueRow {
    id: i64,
    school_id: i64,
    user_id: i64,
    course_id: i64,
    #[serde(flatten)]
    schedule: EnrollmentSchedule,
    last_notice_at: Option<i64>,
    course_title: String,
    course_slug: String,
    #[serde(flatten)]
    course: CourseSchedule,
    email: String,
    locale: Option<String>,
    digest_opt_out: i64,
    school_slug: String,
    school_name: String,
    time_zone: String,
    default_locale: String,
}

#[derive(Deserialize)]
struct LessonRow {
    id: i64,
    course_id: i64,
    title: String,
    /// The rule columns as JSON (`LESSON_RULES_JSON`).
    rules: String,
}

#[derive(Deserialize)]
struct Pair {
    a: i64,
    b: i64,
    event: Option<String>,
}

/// One run: claim due enrollments, read what they need in one batch, write each student's
/// notices and email in one batch.
pub async fn run(db: &D1Database, config: &Config, now: i64) -> Result<DigestReport, AppError> {
    let run_id = new_public_id();
    // Claim: due, active, and not held by another live run.
    let claim = batch(
        db,
        vec![stmt(
            db,
            "UPDATE enrollments SET notice_run = ?1, notice_claimed_at = ?2
             WHERE id IN (SELECT id FROM enrollments WHERE next_notice_at IS NOT NULL AND next_notice_at <= ?2 AND status = 'active'
                          AND (notice_run IS NULL OR notice_claimed_at < ?3) ORDER BY next_notice_at LIMIT ?4)",
            &[text(&run_id), int(now), int(now - CLAIM_TIMEOUT_MS), int(DIGEST_SLICE)],
        )?],
    )
    .await?;
    // Every read below goes through the claimed rows (an index of only those).
    let claimed = "(SELECT id FROM enrollments WHERE notice_run = ?1)";
    let results = batch(
        db,
        vec![
            stmt(
                db,
                "SELECT e.id, e.school_id, e.user_id, e.course_id, e.access_start, e.access_end, e.shift_days, e.release_all, e.last_notice_at,
                    (SELECT group_concat(u2.lesson_id) FROM lesson_unlocks u2 WHERE u2.enrollment_id = e.id) AS unlocked, {drip},
                    c.title AS course_title, c.slug AS course_slug, c.access_mode, c.cohort_start, c.access_days,
                    u.email, u.locale, u.digest_opt_out, s.slug AS school_slug, s.name AS school_name, s.time_zone, s.default_locale
                 FROM enrollments e
                 JOIN courses c ON c.id = e.course_id AND c.school_id = e.school_id AND c.deleted_at IS NULL AND c.status = 'published'
                 JOIN users u ON u.id = e.user_id AND u.school_id = e.school_id AND u.status = 'active'
                 JOIN schools s ON s.id = e.school_id
                 WHERE e.notice_run = ?1".replace("{drip}", &crate::kernel::db::student_drip_columns()).as_str(),
                &[text(&run_id)],
            )?,
            stmt(
                db,
                &format!(
                    "SELECT l.id, l.course_id, l.title, {rules} FROM lessons l
                     WHERE l.course_id IN (SELECT course_id FROM enrollments WHERE id IN {claimed}) AND l.status = 'published' AND l.deleted_at IS NULL
                     ORDER BY l.course_id, l.position, l.id",
                    rules = crate::kernel::db::LESSON_RULES_JSON
                ),
                &[text(&run_id)],
            )?,
            stmt(
                db,
                &format!(
                    "SELECT e.id AS a, cp.lesson_id AS b, NULL AS event FROM completions cp JOIN enrollments e ON e.user_id = cp.user_id AND e.school_id = cp.school_id
                     WHERE e.id IN {claimed}"
                ),
                &[text(&run_id)],
            )?,
            stmt(db, &format!("SELECT enrollment_id AS a, lesson_id AS b, event FROM notices WHERE enrollment_id IN {claimed}"), &[text(&run_id)])?,
            // Claimed but no longer eligible (course unpublished, account off): release them.
            stmt(
                db,
                "UPDATE enrollments SET notice_run = NULL, next_notice_at = NULL
                 WHERE notice_run = ?1 AND (status != 'active'
                   OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = enrollments.user_id AND u.status = 'active')
                   OR NOT EXISTS (SELECT 1 FROM courses c WHERE c.id = enrollments.course_id AND c.deleted_at IS NULL AND c.status = 'published'))",
                &[text(&run_id)],
            )?,
            // The schools' own "new lessons" texts.
            stmt(
                db,
                "SELECT school_id, locale, subject, body FROM email_templates WHERE kind = 'digest' AND school_id IN (SELECT school_id FROM enrollments WHERE notice_run = ?1)",
                &[text(&run_id)],
            )?,
        ],
    )
    .await?;
    let due = rows::<DueRow>(&results[0])?;
    let lessons = rows::<LessonRow>(&results[1])?;
    let completions = rows::<Pair>(&results[2])?;
    let sent = rows::<Pair>(&results[3])?;
    let mut own_texts: std::collections::HashMap<i64, SchoolTexts> = Default::default();
    for row in rows::<OwnText>(&results[5])? {
        if let Some(locale) = Locale::parse(&row.locale) {
            own_texts.entry(row.school_id).or_default().set(locale, row.subject, row.body);
        }
    }
    let default_texts = SchoolTexts::default();
    let mut report = DigestReport { enrollments: due.len(), emails: 0, rows_read: rows_read(&claim) + rows_read(&results) };
    for e in due {
        let course_lessons: Vec<&LessonRow> = lessons.iter().filter(|l| l.course_id == e.course_id).collect();
        let rules: Vec<LessonRules> = course_lessons
            .iter()
            .map(|l| RuleColumns::from_json(&l.rules).rules(l.id))
            .collect();
        let mode = e.course.mode();
        let student = e.schedule.student(&e.course);
        let done: Vec<i64> = completions.iter().filter(|p| p.a == e.id).map(|p| p.b).collect();
        let since = e.last_notice_at.unwrap_or(e.schedule.access_start);
        let plan = digest_plan(&rules, mode, &student, &done, since, now, &e.time_zone);
        let already = |lesson: i64, event: &str| sent.iter().any(|p| p.a == e.id && p.b == lesson && p.event.as_deref() == Some(event));
        let opened: Vec<i64> = plan.opened.iter().copied().filter(|l| !already(*l, "opened")).collect();
        let closing: Vec<(i64, i64)> = plan.closing.iter().copied().filter(|(l, _)| !already(*l, "closing")).collect();
        let mut writes = vec![stmt(
            db,
            "UPDATE enrollments SET last_notice_at = ?1, next_notice_at = ?2, notice_run = NULL WHERE id = ?3 AND notice_run = ?4",
            &[int(now), crate::kernel::db::opt_int(plan.next_check), int(e.id), text(&run_id)],
        )?];
        // The bell tells of what opened, whether or not the student wants the email.
        if let Some(first) = opened.first() {
            let locale = e.locale.as_deref().and_then(Locale::parse).or_else(|| Locale::parse(&e.default_locale)).unwrap_or_default();
            let titles: Vec<String> = opened.iter().filter_map(|id| course_lessons.iter().find(|l| l.id == *id).map(|l| l.title.clone())).collect();
            let title = t(locale, "note_lessons_opened").replace("{course}", &e.course_title).replace("{lessons}", &titles.join(", "));
            writes.push(stmt(
                db,
                "INSERT INTO notifications (school_id, user_id, kind, title, link, created_at) VALUES (?1, ?2, 'lesson_opened', ?3, ?4, ?5)",
                &[int(e.school_id), int(e.user_id), text(&title), text(&format!("/courses/{}/lessons/{first}", e.course_slug)), int(now)],
            )?);
        }
        if e.digest_opt_out == 0 && (!opened.is_empty() || !closing.is_empty()) {
            let locale = e.locale.as_deref().and_then(Locale::parse).or_else(|| Locale::parse(&e.default_locale)).unwrap_or_default();
            let title = |id: i64| course_lessons.iter().find(|l| l.id == id).map(|l| l.title.clone()).unwrap_or_default();
            let lessons_text = digest_lessons(locale, &e.course_title, &opened.iter().map(|id| title(*id)).collect::<Vec<_>>(), &closing.iter().map(|(id, _)| title(*id)).collect::<Vec<_>>());
            for (lesson, event) in opened.iter().map(|l| (*l, "opened")).chain(closing.iter().map(|(l, _)| (*l, "closing"))) {
                writes.push(stmt(
                    db,
                    "INSERT OR IGNORE INTO notices (school_id, enrollment_id, lesson_id, event, run_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    &[int(e.school_id), int(e.id), int(lesson), text(event), text(&run_id), int(now)],
                )?);
            }
            let Ok(email) = Email::parse(&e.email) else { continue };
            let info = crate::kernel::viewer::SchoolInfo { id: e.school_id, slug: e.school_slug.clone(), name: e.school_name.clone(), time_zone: e.time_zone.clone(), logo_url: None, brand_color: None, header_color: None };
            let ctx = RequestContext::for_system(config, now, info, locale, "digest");
            let school = SchoolRef { id: e.school_id, slug: &e.school_slug, name: &e.school_name };
            // The link leads to the first new lesson (or the course).
            let next = match opened.first() {
                Some(lesson) => format!("/courses/{}/lessons/{lesson}", e.course_slug),
                None => format!("/courses/{}", e.course_slug),
            };
            let letter = Letter {
                kind: MailKind::Digest,
                texts: own_texts.get(&e.school_id).unwrap_or(&default_texts),
                values: vec![("lessons", lessons_text)],
                footer: Some(t(locale, "digest_opt_out")),
            };
            let (mail, _) = issue_with_letter(db, &ctx, &school, Some(e.user_id), &email, locale, Purpose::Digest, false, Some(&letter), Some(&next))?;
            writes.extend(mail);
            report.emails += 1;
        }
        report.rows_read += rows_read(&batch(db, writes).await?);
    }
    Ok(report)
}

/// The digest's `{{lessons}}`: what opened, what closes soon, each under its heading.
fn digest_lessons(locale: Locale, course: &str, opened: &[String], closing: &[String]) -> String {
    let mut blocks = vec![];
    for (key, titles) in [("digest_opened", opened), ("digest_closing", closing)] {
        if !titles.is_empty() {
            let heading = t(locale, key).replace("{course}", course);
            blocks.push(format!("{heading}\n{}", titles.iter().map(|t| format!("- {t}")).collect::<Vec<_>>().join("\n")));
        }
    }
    blocks.join("\n\n")
}

#[derive(Deserialize)]
struct OwnText {
    school_id: i64,
    locale: String,
    subject: String,
    body: String,
}

/// After a schedule change: every student of the course gets looked at by the next run.
pub async fn recheck_course(db: &D1Database, school_id: i64, course_id: i64, now: i64) -> Result<(), AppError> {
    crate::kernel::db::SchoolDb::new(db, school_id)
        .run(
            "UPDATE @enrollments SET next_notice_at = ?2 WHERE course_id = ?3 AND status = 'active' AND (next_notice_at IS NULL OR next_notice_at > ?2)",
            &[int(now), int(course_id)],
        )
        .await?;
    Ok(())
}
