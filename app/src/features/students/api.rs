//! The creator's view of one student: courses, sessions, the login timeline, and the two
//! answers to "I can't log in": end their sessions, or send an access reminder (a personal
//! link valid 7 days). Also the school's settings. Every function checks the owner role.

use crate::features::students::types::StudentPage;
use crate::kernel::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

crate::kernel::page_data! {
    pub async fn load_student(id: i64) -> Result<StudentPage, AppError> {
        use crate::features::students::types::{StudentEnrollment, TimelineEntry};
        use crate::features::login::timeline::{scanner_flags, LoginEvent};
        use crate::kernel::db::{int, rows};
        #[derive(serde::Deserialize)]
        struct UserRow {
            email: String,
            status: String,
            last_login_at: Option<i64>,
            first_name: String,
            last_name: String,
            locale: Option<String>,
            note: String,
        }
        #[derive(serde::Deserialize)]
        struct EventRow {
            request_id: Option<String>,
            kind: String,
            at: i64,
            ip: String,
            user_agent: String,
            had_cookies: i64,
            detail: String,
        }
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let db = crate::kernel::request::school_db(school_id)?;
        // The person's addresses: their own and those of accounts merged into theirs.
        let email_of = "(SELECT email FROM @users WHERE id = ?2 UNION ALL SELECT email FROM @user_aliases WHERE user_id = ?2)";
        let results = db
            .batch(vec![
                db.stmt("SELECT email, status, last_login_at, first_name, last_name, locale, note FROM @users WHERE id = ?2 AND role = 'student'", &[int(id)])?,
                db.stmt("SELECT COUNT(*) AS n FROM @sessions WHERE user_id = ?2 AND revoked_at IS NULL AND expires_at > ?3 AND absolute_expires_at > ?3", &[int(id), int(ctx.now_ms)])?,
                db.stmt(
                    "SELECT e.id, c.title AS course_title, e.access_start, e.access_end, e.status, e.shift_days, e.release_all,
                        (SELECT json_group_array(json_array(l.id, l.title)) FROM (SELECT id, title FROM @lessons
                          WHERE course_id = c.id AND status = 'published' ORDER BY position, id) l) AS lessons,
                        (SELECT json_group_array(u.lesson_id) FROM @lesson_unlocks u WHERE u.enrollment_id = e.id) AS unlocked,
                        e.offer_id, (SELECT json_group_array(json_array(o.id, o.name)) FROM (SELECT id, name FROM @offers WHERE course_id = c.id ORDER BY position, id) o) AS offers
                     FROM @enrollments e JOIN @courses c ON c.id = e.course_id
                     WHERE e.user_id = ?2 ORDER BY c.title",
                    &[int(id)],
                )?,
                db.stmt(
                    &format!("SELECT request_id, kind, at, ip, user_agent, had_cookies, detail FROM @login_events WHERE email IN {email_of} ORDER BY at DESC, id DESC LIMIT 100"),
                    &[int(id)],
                )?,
                db.stmt(
                    &format!("SELECT subject, kind, status, created_at, sent_at, last_error FROM @outbox WHERE to_addr IN {email_of} ORDER BY id DESC LIMIT 50"),
                    &[int(id)],
                )?,
                db.stmt("SELECT action, detail, source, at FROM @audit_log WHERE user_id = ?2 ORDER BY at DESC, id DESC LIMIT 100", &[int(id)])?,
                db.stmt(
                    "SELECT r.created_at, c.title || ' – ' || o.name AS what, r.amount_minor, r.currency, r.status
                     FROM @orders r JOIN @courses* c ON c.id = r.course_id JOIN @offers* o ON o.id = r.offer_id
                     WHERE r.user_id = ?2 OR r.email IN (SELECT email FROM @users WHERE id = ?2 UNION ALL SELECT email FROM @user_aliases WHERE user_id = ?2)
                     ORDER BY r.created_at DESC LIMIT 50",
                    &[int(id)],
                )?,
                db.stmt(&format!("{} WHERE c.user_id = ?2 ORDER BY c.issued_at DESC", crate::features::certificates::server::ISSUED), &[int(id)])?,
                db.stmt("SELECT email FROM @user_aliases WHERE user_id = ?2 ORDER BY email", &[int(id)])?,
            ])
        .await?;
        let emails = rows::<crate::features::students::types::SentEmail>(&results[4])?;
        let audit = rows::<crate::features::students::types::AuditEntry>(&results[5])?;
        let orders = rows::<crate::features::students::types::StudentOrder>(&results[6])?;
        let certificates = rows(&results[7])?;
        let aliases = rows::<serde_json::Value>(&results[8])?.iter().filter_map(|r| r["email"].as_str().map(String::from)).collect();
        let user = rows::<UserRow>(&results[0])?.into_iter().next().ok_or(AppError::NotFound)?;
        let active_sessions = rows::<serde_json::Value>(&results[1])?.first().and_then(|r| r["n"].as_i64()).unwrap_or(0);
        #[derive(serde::Deserialize)]
        struct EnrollmentRow {
            id: i64,
            course_title: String,
            access_start: i64,
            access_end: Option<i64>,
            status: String,
            shift_days: i64,
            release_all: i64,
            lessons: String,
            unlocked: String,
            offer_id: Option<i64>,
            offers: String,
        }
        let enrollments = rows::<EnrollmentRow>(&results[2])?
            .into_iter()
            .map(|e| StudentEnrollment {
                id: e.id,
                course_title: e.course_title,
                access_start: e.access_start,
                access_end: e.access_end,
                status: e.status,
                shift_days: e.shift_days,
                release_all: e.release_all != 0,
                lessons: serde_json::from_str(&e.lessons).unwrap_or_default(),
                unlocked: serde_json::from_str(&e.unlocked).unwrap_or_default(),
                offer_id: e.offer_id,
                offers: serde_json::from_str(&e.offers).unwrap_or_default(),
            })
            .collect();
        let events = rows::<EventRow>(&results[3])?;
        let flags = scanner_flags(
            &events
                .iter()
                .map(|e| LoginEvent { request_id: e.request_id.clone(), kind: e.kind.clone(), at: e.at, user_agent: e.user_agent.clone(), had_cookies: e.had_cookies != 0 })
                .collect::<Vec<_>>(),
        );
        let timeline = events
            .into_iter()
            .zip(flags)
            .map(|(e, likely_scanner)| TimelineEntry {
                at: e.at,
                device: crate::kernel::device::describe(&e.user_agent),
                kind: e.kind,
                ip: e.ip,
                detail: e.detail,
                likely_scanner,
            })
            .collect();
        Ok(StudentPage {
            id,
            email: user.email,
            status: user.status,
            last_login_at: user.last_login_at,
            first_name: user.first_name,
            last_name: user.last_name,
            locale: user.locale,
            note: user.note,
            active_sessions,
            enrollments,
            orders,
            certificates,
            aliases,
            timeline,
            emails,
            audit,
        })
    }
}

/// The creator's hand on one student's schedule: `action` is `set_end` (extend or shorten:
/// `access_end` date, empty for none), `shift` (freeze: move the schedule `days` later),
/// `unlock` (`lesson_id`), `release_all`, `relock_all`, or `set_offer` (`offer_id` of the
/// same course, empty for the whole course).
#[server(prefix = "/admin/api", endpoint = "adjust_enrollment")]
pub async fn adjust_enrollment(
    id: String,
    enrollment_id: String,
    action: String,
    access_end: Option<String>,
    days: Option<String>,
    lesson_id: Option<String>,
    offer_id: Option<String>,
) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::db::{int, opt_int};
        let ctx = ctx()?;
        let (school_id, actor) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let parse = |v: &str| v.trim().parse::<i64>().map_err(|_| AppError::BadRequest("id".into()));
        let (student, enrollment) = (parse(&id)?, parse(&enrollment_id)?);
        let page = format!("/admin/students/{student}");
        let back = |key: &str| {
            redirect(&crate::kernel::url::with_error(&page, key, &[]));
            Ok(())
        };
        let now = ctx.now_ms;
        let scope = "WHERE id = ?3 AND user_id = ?4";
        let (sql, value) = match action.as_str() {
            "set_end" => {
                let end = match crate::kernel::validate::optional_date(access_end.as_deref().unwrap_or("")) {
                    // The end of that day, in the school's time.
                    Ok(d) => d.map(|d| crate::features::drip::rules::local_to_utc(d.and_hms_opt(23, 59, 0).unwrap_or_default(), crate::kernel::time::zone(ctx.viewer.time_zone()))),
                    Err(key) => return back(key),
                };
                (format!("UPDATE @enrollments SET access_end = ?2 {scope}"), opt_int(end))
            }
            "shift" => match days.as_deref().map(|d| d.trim().parse::<i64>()) {
                Some(Ok(d)) if d.abs() <= crate::features::drip::rules::MAX_DAYS as i64 => (format!("UPDATE @enrollments SET shift_days = shift_days + ?2 {scope}"), int(d)),
                _ => return back("days_invalid"),
            },
            // One student's access ended (or given back) from their page, as the bulk action does.
            "revoke" => (format!("UPDATE @enrollments SET status = ?2 {scope}"), crate::kernel::db::text("revoked")),
            "restore" => (format!("UPDATE @enrollments SET status = ?2 {scope}"), crate::kernel::db::text("active")),
            "release_all" => (format!("UPDATE @enrollments SET release_all = ?2 {scope}"), int(1)),
            "relock_all" => (format!("UPDATE @enrollments SET release_all = ?2 {scope}"), int(0)),
            "unlock" => {
                let Some(Ok(lesson)) = lesson_id.as_deref().map(parse) else { return back("bad_request") };
                // The lesson must belong to the enrollment's course, in this school.
                (
                    "INSERT OR IGNORE INTO @lesson_unlocks (enrollment_id, lesson_id, created_at)
                     SELECT e.id, l.id, ?5 FROM @enrollments e JOIN @lessons* l ON l.course_id = e.course_id
                     WHERE e.id = ?3 AND e.user_id = ?4 AND l.id = ?2"
                        .to_string(),
                    int(lesson),
                )
            }
            // The student's level: an offer of the same course, or (empty) the whole course.
            "set_offer" => match offer_id.as_deref().map(str::trim).unwrap_or("") {
                "" => (format!("UPDATE @enrollments SET offer_id = ?2 {scope}"), opt_int(None)),
                offer => (
                    format!("UPDATE @enrollments SET offer_id = ?2 {scope} AND EXISTS (SELECT 1 FROM @offers* o WHERE o.id = ?2 AND o.course_id = enrollments.course_id)"),
                    int(parse(offer)?),
                ),
            },
            _ => return back("bad_request"),
        };
        let mut args = vec![value, int(enrollment), int(student)];
        if action == "unlock" {
            args.push(int(now));
        }
        let db = crate::kernel::request::school_db(school_id)?;
        let mut writes = vec![
            db.stmt(&sql, &args)?,
            // The schedule changed for this student: the digest looks again.
            db.stmt("UPDATE @enrollments SET next_notice_at = ?2 WHERE id = ?3", &[int(now), int(enrollment)])?,
        ];
        if matches!(action.as_str(), "revoke" | "restore") {
            writes.push(db.stmt(
                "INSERT INTO @audit_log (actor_id, user_id, action, detail, source, at)
                 SELECT ?2, e.user_id, ?3, json_object('course', c.title), 'admin', ?4 FROM @enrollments e JOIN @courses* c ON c.id = e.course_id WHERE e.id = ?5 AND e.user_id = ?6",
                &[int(actor), crate::kernel::db::text(&format!("access_{action}d")), int(now), int(enrollment), int(student)],
            )?);
        }
        db.batch(writes).await?;
        redirect(&format!("{page}?ok={}", if action == "revoke" { "access_revoked" } else { "saved" }));
        Ok(())
    })
    .await
}

/// "Log this student out everywhere": effective on their next request, in every location.
#[server(prefix = "/admin/api", endpoint = "end_student_sessions")]
pub async fn end_student_sessions(id: String) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::db::int;
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let id = id.trim().parse::<i64>().map_err(|_| AppError::BadRequest("id".into()))?;
        let db = crate::kernel::request::school_db(school_id)?;
        let email = student_email(db.d1(), school_id, id).await?;
        db.batch(vec![
            db.stmt("UPDATE @sessions SET revoked_at = ?2 WHERE user_id = ?3 AND revoked_at IS NULL", &[int(ctx.now_ms), int(id)])?,
            crate::features::login::server::event(&db, &ctx, &email, None, "sessions_ended", "")?,
        ])
        .await?;
        redirect(&format!("/admin/students/{id}?ok=sessions_ended"));
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
async fn student_email(db: &worker::D1Database, school_id: i64, id: i64) -> Result<String, AppError> {
    use crate::kernel::db::{int, SchoolDb};
    let row: Option<serde_json::Value> = SchoolDb::new(db, school_id).first("SELECT email FROM @users WHERE id = ?2 AND role = 'student'", &[int(id)]).await?;
    row.and_then(|r| r["email"].as_str().map(String::from)).ok_or(AppError::NotFound)
}

/// Emails the student a personal login link valid 7 days (single use, scanner-safe like
/// every link: opening it only shows a confirm button).
#[server(prefix = "/admin/api", endpoint = "send_access_reminder")]
pub async fn send_access_reminder(id: String) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::email::Email;
        use crate::kernel::db::batch;
        use crate::features::login::server::{Purpose, SchoolRef};
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let school = require_school(&ctx)?;
        let id = id.trim().parse::<i64>().map_err(|_| AppError::BadRequest("id".into()))?;
        let db = crate::kernel::request::db()?;
        let email = Email::parse(&student_email(&db, school_id, id).await?).map_err(|_| AppError::Internal)?;
        let school_ref = SchoolRef { id: school_id, slug: &school.slug, name: &school.name };
        // One course: the link lands where the student left off; several: their dashboard.
        let sdb = crate::kernel::db::SchoolDb::new(&db, school_id);
        let invitee = crate::features::students::invitations::ssr_impl::invitee(&sdb, id).await?;
        let texts = crate::features::emails::server::load(&sdb, crate::features::emails::rules::MailKind::Reminder).await?;
        let letter = crate::features::emails::compose::Letter { kind: crate::features::emails::rules::MailKind::Reminder, texts: &texts, values: vec![], footer: None };
        let locale = invitee.locale.unwrap_or(ctx.viewer.locale);
        let (statements, _) = crate::features::login::server::issue_with_letter(&db, &ctx, &school_ref, Some(id), &email, locale, Purpose::Reminder, false, Some(&letter), invitee.next.as_deref())?;
        batch(&db, statements).await?;
        redirect(&format!("/admin/students/{id}?ok=reminder_sent"));
        Ok(())
    })
    .await
}

/// One of a student's answers, for the creator's student page.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StudentAnswer {
    pub course_title: String,
    pub lesson_title: String,
    pub kind: String,
    pub attempt: i64,
    pub status: String,
    pub score: Option<i64>,
    pub max_score: Option<i64>,
    pub created_at: i64,
}

crate::kernel::page_data! {
    /// Every answer of one student (newest first): assignments, quiz attempts, surveys.
    pub async fn load_student_answers(id: i64) -> Result<Vec<StudentAnswer>, AppError> {
        use crate::kernel::db::int;
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        crate::kernel::request::school_db(school_id)?
            .all(
                "SELECT c.title AS course_title, l.title AS lesson_title, s.kind, s.attempt, s.status, s.score, s.max_score, s.created_at
                 FROM @submissions s JOIN @lessons* l ON l.id = s.lesson_id JOIN @courses* c ON c.id = s.course_id
                 WHERE s.user_id = ?2 ORDER BY s.created_at DESC LIMIT 200",
                &[int(id)],
            )
            .await
    }
}

