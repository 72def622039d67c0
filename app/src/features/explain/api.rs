//! "Why can't this student see it?": for an email and a course (optionally a lesson), the
//! facts from D1 (one batch), the checks of `explain::rules`, and what each fix needs.

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckView {
    pub check: String,
    pub passed: bool,
    /// The fact, in the viewer's language, times in the school's.
    pub fact: String,
    pub fix: Option<crate::features::explain::rules::Fix>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Explanation {
    pub email: String,
    pub student_id: Option<i64>,
    /// Accounts the typed email probably meant: (id, email).
    pub similar: Vec<(i64, String)>,
    pub course_id: Option<i64>,
    pub course_slug: String,
    pub lesson_id: Option<i64>,
    pub enrollment_id: Option<i64>,
    /// (slug, title) of the school's courses; (id, title) of the chosen course's lessons.
    pub courses: Vec<(String, String)>,
    pub lessons: Vec<(i64, String)>,
    pub checks: Vec<CheckView>,
    /// An email was typed that is not one.
    pub invalid_email: bool,
}

crate::kernel::page_data! {
    pub async fn explain(email: String, course: String, lesson: Option<i64>) -> Result<Explanation, AppError> {
        ssr_impl::explain(email, course, lesson).await
    }
}

/// The explainer's own fixes: publish the course or the lesson, then back to the checks.
#[server(prefix = "/admin/api", endpoint = "publish_from_explainer")]
pub async fn publish_from_explainer(course_id: String, lesson_id: Option<String>, back: String) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::db::int;
        let ctx = ctx()?;
        let fix = if lesson_id.as_deref().is_some_and(|l| !l.is_empty()) { crate::features::explain::rules::Fix::PublishLesson } else { crate::features::explain::rules::Fix::PublishCourse };
        let (school_id, _) = require_staff(&ctx.viewer, fix.permission())?;
        let id = |v: &str| v.trim().parse::<i64>().map_err(|_| AppError::BadRequest("id".into()));
        let db = crate::kernel::request::school_db(school_id)?;
        let course_id = id(&course_id)?;
        match lesson_id.as_deref().filter(|l| !l.is_empty()) {
            Some(l) => db.run("UPDATE @lessons* SET status = 'published', updated_at = ?4 WHERE id = ?2 AND course_id = ?3", &[int(id(l)?), int(course_id), int(ctx.now_ms)]).await?,
            None => db.run("UPDATE @courses* SET status = 'published', updated_at = ?3 WHERE id = ?2", &[int(course_id), int(ctx.now_ms)]).await?,
        };
        embeds_changed(db.d1(), school_id, ctx.now_ms).await?;
        let back = crate::kernel::next::safe_next(&back).filter(|b| b.starts_with("/admin/explain")).unwrap_or("/admin/explain");
        redirect(back);
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
mod ssr_impl {
    use super::*;
    use crate::features::drip::rows::{CourseSchedule, EnrollmentSchedule};
    use crate::features::drip::rules::{availability, RuleColumns};
    use crate::kernel::states::{AccountStatus, EnrollmentStatus};
    use crate::features::explain::rules::{self as rules, AccountFacts, EnrollmentFacts, Facts, LoginEmailFacts};
    use crate::kernel::time::{date_time, weekday_date_time};
    use crate::kernel::i18n::t;
    use crate::kernel::db::{rows, text};

    #[derive(Deserialize)]
    struct UserRow {
        id: i64,
        status: AccountStatus,
        created_at: i64,
        last_login_at: Option<i64>,
    }
    #[derive(Deserialize)]
    struct SimilarRow {
        id: i64,
        email: String,
    }
    #[derive(Deserialize)]
    struct CourseRow {
        id: i64,
        slug: String,
        title: String,
        status: String,
        #[serde(flatten)]
        schedule: CourseSchedule,
    }
    #[derive(Deserialize)]
    struct LessonRow {
        id: i64,
        title: String,
        status: String,
        rules: String,
        completed: i64,
    }
    #[derive(Deserialize)]
    struct EnrollmentRow {
        id: i64,
        status: EnrollmentStatus,
        #[serde(flatten)]
        schedule: EnrollmentSchedule,
    }
    #[derive(Deserialize)]
    struct MailRow {
        created_at: i64,
        consumed_at: Option<i64>,
    }
    #[derive(Deserialize)]
    struct PaymentRow {
        status: crate::features::payments::rules::OrderStatus,
        created_at: i64,
    }
    #[derive(Deserialize)]
    struct EventRow {
        request_id: Option<String>,
        kind: String,
        at: i64,
        user_agent: String,
        had_cookies: i64,
    }

    pub async fn explain(email: String, course: String, lesson: Option<i64>) -> Result<Explanation, AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let db = crate::kernel::request::school_db(school_id)?;
        let typed = email.trim().to_lowercase();
        let parsed = crate::kernel::email::Email::parse(&typed).ok().map(|e| e.as_str().to_string());
        let lookup = parsed.clone().unwrap_or_default();
        let canonical = rules::canonical(&typed);
        // Similar accounts share the mailbox's first letter: a narrow index range to compare.
        let first = canonical.chars().next().map(String::from).unwrap_or_default();
        let upper = format!("{first}\u{10ffff}");
        let course_slug = course.trim().to_ascii_lowercase();
        let results = db
            .batch(vec![
                db.stmt("SELECT id, status, created_at, last_login_at FROM @users WHERE email = ?2", &[text(&lookup)])?,
                db.stmt("SELECT id, email FROM @users WHERE email >= ?2 AND email < ?3 LIMIT 5000", &[text(&first), text(&upper)])?,
                db.stmt("SELECT id, slug, title, status, access_mode, cohort_start, access_days FROM @courses ORDER BY title", &[])?,
                db.stmt(
                    &format!(
                        "SELECT l.id, l.title, l.status, {},
                            EXISTS (SELECT 1 FROM @completions cp JOIN @users u ON u.id = cp.user_id WHERE u.email = ?3 AND cp.lesson_id = l.id) AS completed
                         FROM @lessons l JOIN @courses c ON c.id = l.course_id
                         WHERE c.slug = ?2 ORDER BY l.position, l.id",
                        crate::kernel::db::LESSON_RULES_JSON
                    ),
                    &[text(&course_slug), text(&lookup)],
                )?,
                db.stmt(
                    "SELECT e.id, e.access_start, e.access_end, e.status, e.shift_days, e.release_all,
                        (SELECT group_concat(x.lesson_id) FROM @lesson_unlocks x WHERE x.enrollment_id = e.id) AS unlocked, {drip}
                     FROM @enrollments e JOIN @courses c ON c.id = e.course_id JOIN @users u ON u.id = e.user_id
                     WHERE c.slug = ?2 AND u.email = ?3"
                        .replace("{drip}", &crate::kernel::db::student_drip_columns())
                        .as_str(),
                    &[text(&course_slug), text(&lookup)],
                )?,
                db.stmt("SELECT created_at, consumed_at FROM @login_requests WHERE email = ?2 ORDER BY created_at DESC LIMIT 1", &[text(&lookup)])?,
                db.stmt(
                    "SELECT r.status, r.created_at FROM @orders r JOIN @courses c ON c.id = r.course_id WHERE c.slug = ?2 AND r.email = ?3 ORDER BY r.created_at DESC LIMIT 1",
                    &[text(&course_slug), text(&lookup)],
                )?,
                db.stmt(
                    "SELECT request_id, kind, at, user_agent, had_cookies FROM @login_events WHERE email = ?2 AND request_id =
                        (SELECT id FROM @login_requests WHERE email = ?2 ORDER BY created_at DESC LIMIT 1) ORDER BY at",
                    &[text(&lookup)],
                )?,
            ])
            .await?;
        let user = rows::<UserRow>(&results[0])?.into_iter().next();
        let similar_rows = rows::<SimilarRow>(&results[1])?;
        let similar: Vec<(i64, String)> = rules::similar(&typed, similar_rows.iter().map(|r| r.email.as_str()))
            .into_iter()
            .filter_map(|e| similar_rows.iter().find(|r| r.email == e).map(|r| (r.id, r.email.clone())))
            .collect();
        let courses = rows::<CourseRow>(&results[2])?;
        let course_row = courses.iter().find(|c| c.slug == course_slug);
        let lessons = rows::<LessonRow>(&results[3])?;
        let enrollment = rows::<EnrollmentRow>(&results[4])?.into_iter().next();
        let mail = rows::<MailRow>(&results[5])?.into_iter().next();
        let payment = rows::<PaymentRow>(&results[6])?.into_iter().next();
        let events = rows::<EventRow>(&results[7])?;
        let now = ctx.now_ms;
        let zone = ctx.viewer.time_zone().to_string();

        let lesson_row = lesson.and_then(|id| lessons.iter().find(|l| l.id == id));
        let access_end = |e: &EnrollmentRow| match course_row {
            Some(c) => e.schedule.access_end(&c.schedule),
            None => e.schedule.access_end,
        };
        // Drip: the lesson's state for this student, with the same engine as their pages.
        let lesson_state = match (course_row, lesson_row, &enrollment) {
            (Some(c), Some(l), Some(e)) if e.status == EnrollmentStatus::Active => {
                let published: Vec<&LessonRow> = lessons.iter().filter(|x| x.status == "published").collect();
                let rules_list: Vec<_> = published.iter().map(|x| RuleColumns::from_json(&x.rules).rules(x.id)).collect();
                let schedule = e.schedule.student(&c.schedule);
                let done: Vec<i64> = published.iter().filter(|x| x.completed != 0).map(|x| x.id).collect();
                let states = availability(&rules_list, c.schedule.mode(), &schedule, &done, now, &zone);
                published.iter().position(|x| x.id == l.id).map(|i| states[i])
            }
            _ => None,
        };
        let scanner_flags = crate::features::login::timeline::scanner_flags(
            &events
                .iter()
                .map(|e| crate::features::login::timeline::LoginEvent { request_id: e.request_id.clone(), kind: e.kind.clone(), at: e.at, user_agent: e.user_agent.clone(), had_cookies: e.had_cookies != 0 })
                .collect::<Vec<_>>(),
        );
        let facts = Facts {
            account: user.as_ref().map(|u| AccountFacts { id: u.id, active: u.status == AccountStatus::Active, created_at: u.created_at, last_login_at: u.last_login_at }),
            course: course_row.map(|c| (c.status == "published", c.title.clone())),
            lesson: lesson_row.map(|l| (l.status == "published", l.title.clone())),
            enrollment: enrollment.as_ref().map(|e| EnrollmentFacts { id: e.id, access_start: e.schedule.access_start, access_end: access_end(e), revoked: e.status != EnrollmentStatus::Active }),
            lesson_state,
            last_login_email: mail.as_ref().map(|m| LoginEmailFacts {
                sent_at: m.created_at,
                viewed_by_scanner: events.iter().zip(&scanner_flags).any(|(e, flagged)| e.kind == "link_view" && *flagged),
                used: m.consumed_at.is_some(),
            }),
            payment: payment.map(|p| (p.status, p.created_at)),
            now,
        };
        let locale = ctx.viewer.locale;
        let checks = if parsed.is_none() && !typed.is_empty() {
            vec![]
        } else if typed.is_empty() {
            vec![]
        } else {
            rules::explain(&facts)
                .into_iter()
                .map(|c| {
                    let when = c.at.map(|at| if c.fact.contains("opens") || c.fact.contains("closed") { weekday_date_time(at, &zone, locale) } else { date_time(at, &zone, locale) }).unwrap_or_default();
                    CheckView { check: t(locale, c.check).to_string(), passed: c.passed, fact: t(locale, c.fact).replace("{when}", &when), fix: c.fix }
                })
                .collect()
        };
        Ok(Explanation {
            email: typed.clone(),
            student_id: user.as_ref().map(|u| u.id),
            similar,
            course_id: course_row.map(|c| c.id),
            course_slug,
            lesson_id: lesson_row.map(|l| l.id),
            enrollment_id: enrollment.as_ref().map(|e| e.id),
            courses: courses.iter().map(|c| (c.slug.clone(), c.title.clone())).collect(),
            lessons: lessons.iter().map(|l| (l.id, l.title.clone())).collect(),
            checks,
            invalid_email: parsed.is_none() && !typed.is_empty(),
        })
    }
}
