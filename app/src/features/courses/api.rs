//! The creator's side: courses, lessons, students of a course, invitations. Every function
//! starts with `require_owner`: permissions live here, not only in what the UI hides.

use crate::features::courses::types::{AdminCourse, AdminCourseRow, AdminLesson};
use crate::kernel::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

crate::kernel::page_data! {
    pub async fn admin_courses() -> Result<Vec<AdminCourseRow>, AppError> {
        ssr_impl::admin_courses().await
    }
}

crate::kernel::page_data! {
    pub async fn load_admin_course(id: i64) -> Result<AdminCourse, AppError> {
        ssr_impl::load_admin_course(id).await
    }
}

#[server(prefix = "/admin/api", endpoint = "save_course")]
pub async fn save_course(id: String, title: String, slug: String, description: String, cover_url: String, status: String) -> Result<(), AppError> {
    send(async move { ssr_impl::save_course(id, title, slug, description, cover_url, status).await }).await
}

/// How a course's days count: each student's own start ("evergreen") or one cohort start
/// for everyone (a local date and time); and how long access lasts (days, empty: no limit).
#[server(prefix = "/admin/api", endpoint = "save_course_access")]
pub async fn save_course_access(id: String, access_mode: String, cohort_start: Option<String>, access_days: Option<String>) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::db::{int, opt_int, text};
        let ctx = ctx()?;
        let (school_id, _) = require_owner(&ctx.viewer)?;
        let id = id.trim().parse::<i64>().map_err(|_| AppError::BadRequest("id".into()))?;
        let form = format!("/admin/courses/{id}");
        let back = |key: &str| {
            leptos_axum::redirect(&crate::kernel::url::with_error(&form, key, &[]));
            Ok(())
        };
        let zone = crate::kernel::time::zone(ctx.viewer.time_zone());
        let cohort = match (access_mode.as_str(), cohort_start.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
            ("evergreen", _) => None,
            ("cohort", Some(raw)) => match crate::features::drip::rules::parse_local_date_time(raw) {
                Some(local) => Some(crate::features::drip::rules::local_to_utc(local, zone)),
                None => return back("cohort_start_invalid"),
            },
            _ => return back("cohort_start_invalid"),
        };
        let days = match access_days.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => match raw.parse::<i64>() {
                Ok(d) if (1..=crate::features::drip::rules::MAX_DAYS as i64).contains(&d) => Some(d),
                _ => return back("days_invalid"),
            },
        };
        crate::kernel::request::school_db(school_id)?
            .run(
                "UPDATE @courses SET access_mode = ?2, cohort_start = ?3, access_days = ?4, updated_at = ?5 WHERE id = ?6",
                &[text(if cohort.is_some() { "cohort" } else { "evergreen" }), opt_int(cohort), opt_int(days), int(ctx.now_ms), int(id)],
            )
            .await?;
        crate::features::drip::digest::recheck_course(&crate::kernel::request::db()?, school_id, id, ctx.now_ms).await?;
        redirect(&format!("{form}?ok=saved"));
        Ok(())
    })
    .await
}

#[server(prefix = "/admin/api", endpoint = "delete_course")]
pub async fn delete_course(id: String, confirm: String) -> Result<(), AppError> {
    send(async move { ssr_impl::delete_course(id, confirm).await }).await
}

crate::kernel::page_data! {
    pub async fn load_admin_lesson(course_id: i64, lesson_id: i64) -> Result<AdminLesson, AppError> {
        ssr_impl::load_admin_lesson(course_id, lesson_id).await
    }
}

/// The schedule fields are optional: without them a lesson opens at once and never closes.
#[server(prefix = "/admin/api", endpoint = "save_lesson")]
#[allow(clippy::too_many_arguments)]
pub async fn save_lesson(
    course_id: String,
    lesson_id: String,
    title: String,
    content_md: String,
    status: String,
    open_rule: Option<String>,
    open_days: Option<String>,
    open_time: Option<String>,
    open_date: Option<String>,
    close_rule: Option<String>,
    close_days: Option<String>,
    close_time: Option<String>,
    close_date: Option<String>,
    confirm_schedule: Option<String>,
) -> Result<(), AppError> {
    let open = ssr_impl::RuleForm { rule: open_rule, days: open_days, time: open_time, date: open_date };
    let close = ssr_impl::RuleForm { rule: close_rule, days: close_days, time: close_time, date: close_date };
    send(async move { ssr_impl::save_lesson(course_id, lesson_id, title, content_md, status, open, close, confirm_schedule.is_some()).await }).await
}

/// Applies a schedule change the creator confirmed after seeing its effect (the columns as
/// stored: rule, days, at).
#[server(prefix = "/admin/api", endpoint = "confirm_schedule")]
#[allow(clippy::too_many_arguments)]
pub async fn confirm_schedule(
    course_id: String,
    lesson_id: String,
    open_rule: String,
    open_days: String,
    open_at: String,
    close_rule: String,
    close_days: String,
    close_at: String,
) -> Result<(), AppError> {
    send(async move {
        use crate::features::drip::rules::{parse_close, parse_open};
        use crate::kernel::db::{int, opt_int, text};
        let ctx = ctx()?;
        let (school_id, _) = require_owner(&ctx.viewer)?;
        let parse = |v: &str| v.trim().parse::<i64>().map_err(|_| AppError::BadRequest("id".into()));
        let (course_id, lesson_id) = (parse(&course_id)?, parse(&lesson_id)?);
        let days = |v: &str| v.trim().parse::<i64>().ok();
        let at = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_string());
        let (open_days, close_days, open_at, close_at) = (days(&open_days), days(&close_days), at(&open_at), at(&close_at));
        let form = format!("/admin/courses/{course_id}/lessons/{lesson_id}");
        let invalid = if parse_open(&open_rule, open_days, open_at.as_deref()).is_none() {
            Some("drip_open_invalid")
        } else if parse_close(&close_rule, close_days, close_at.as_deref()).is_none() {
            Some("drip_close_invalid")
        } else {
            None
        };
        if let Some(key) = invalid {
            leptos_axum::redirect(&crate::kernel::url::with_error(&form, key, &[]));
            return Ok(());
        }
        let opt_text = |v: &Option<String>| v.as_deref().map(text).unwrap_or(wasm_bindgen::JsValue::NULL);
        let db = crate::kernel::request::db()?;
        crate::kernel::db::SchoolDb::new(&db, school_id)
            .run(
                "UPDATE @lessons SET open_rule = ?2, open_days = ?3, open_at = ?4, close_rule = ?5, close_days = ?6, close_at = ?7, updated_at = ?8
                 WHERE id = ?9 AND course_id = ?10",
                &[text(&open_rule), opt_int(open_days), opt_text(&open_at), text(&close_rule), opt_int(close_days), opt_text(&close_at), int(ctx.now_ms), int(lesson_id), int(course_id)],
            )
            .await?;
        crate::features::drip::digest::recheck_course(&db, school_id, course_id, ctx.now_ms).await?;
        redirect(&format!("{form}?ok=saved"));
        Ok(())
    })
    .await
}

#[server(prefix = "/admin/api", endpoint = "delete_lesson")]
/// `confirm`: the "yes, delete it" box, checked on the server too (not only `required`).
pub async fn delete_lesson(course_id: String, lesson_id: String, confirm: Option<String>) -> Result<(), AppError> {
    send(async move { ssr_impl::delete_lesson(course_id, lesson_id, confirm.is_some()).await }).await
}

#[server(prefix = "/admin/api", endpoint = "add_student")]
pub async fn add_student(course_id: String, email: String, access_end: String, invite: Option<String>) -> Result<(), AppError> {
    send(async move { ssr_impl::add_student(course_id, email, access_end, invite.is_some()).await }).await
}

#[server(prefix = "/admin/api", endpoint = "send_invitation")]
pub async fn send_invitation(course_id: String, user_id: String) -> Result<(), AppError> {
    send(async move { ssr_impl::send_invitation(course_id, user_id).await }).await
}

#[cfg(feature = "ssr")]
mod ssr_impl {
    use super::*;
    use crate::features::courses::types::{AdminLessonRow, AdminStudentRow};
    use crate::kernel::url::with_error;
    use crate::kernel::access::Status;
    use crate::kernel::{email::Email, slug, validate};
    use crate::features::lessons::markdown;
    use crate::kernel::db::{batch, int, is_unique_violation, opt_int, rows, text, SchoolDb};
    use crate::kernel::request::{db, school_db, RequestContext};
    use serde::Deserialize;


    /// Back to a form with a message key and what was typed (short fields only).
    fn back(path: &str, key: &str, keep: &[(&str, &str)]) -> Result<(), AppError> {
        redirect(&with_error(path, key, keep));
        Ok(())
    }

    #[derive(Deserialize)]
    struct CourseListRow {
        id: i64,
        slug: String,
        title: String,
        status: String,
        lessons: i64,
        students: i64,
    }

    pub async fn admin_courses() -> Result<Vec<AdminCourseRow>, AppError> {
        let (_, school_id) = owner()?;
        let rows: Vec<CourseListRow> = school_db(school_id)?
            .all(
                "SELECT c.id, c.slug, c.title, c.status,
                    (SELECT COUNT(*) FROM @lessons l WHERE l.course_id = c.id) AS lessons,
                    (SELECT COUNT(*) FROM @enrollments e WHERE e.course_id = c.id AND e.status = 'active') AS students
                 FROM @courses c ORDER BY c.created_at",
                &[],
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| AdminCourseRow { id: r.id, slug: r.slug, title: r.title, status: Status::parse(&r.status), lessons: r.lessons, students: r.students })
            .collect())
    }

    #[derive(Deserialize)]
    struct CourseRow {
        id: i64,
        slug: String,
        title: String,
        description: String,
        cover_url: String,
        status: String,
        access_mode: String,
        cohort_start: Option<i64>,
        access_days: Option<i64>,
    }
    #[derive(Deserialize)]
    struct LessonRow {
        id: i64,
        title: String,
        status: String,
        position: i64,
        #[serde(default)]
        module: String,
    }
    #[derive(Deserialize)]
    struct StudentRow {
        user_id: i64,
        email: String,
        display_name: String,
        access_end: Option<i64>,
        completed: i64,
        last_login_at: Option<i64>,
    }

    /// Students a course's page lists (the newest); the rest are in the directory, filtered
    /// by the course: a course with 2,000 students stays a page, not 85,000 pixels.
    pub const COURSE_PAGE_STUDENTS: i64 = 10;

    pub async fn load_admin_course(id: i64) -> Result<AdminCourse, AppError> {
        let (_, school_id) = owner()?;
        let db = school_db(school_id)?;
        let results = db
            .batch(vec![
                db.stmt("SELECT id, slug, title, description, cover_url, status, access_mode, cohort_start, access_days FROM @courses WHERE id = ?2", &[int(id)])?,
                db.stmt("SELECT id, title, status, position, module FROM @lessons WHERE course_id = ?2 ORDER BY position, id", &[int(id)])?,
                // The newest enrollments first, then their students and progress: over thousands
                // of students, only those shown are read.
                db.stmt(
                    "SELECT u.id AS user_id, u.email, u.display_name, e.access_end, u.last_login_at,
                        (SELECT COUNT(*) FROM @completions cp JOIN @lessons l ON l.id = cp.lesson_id
                          WHERE cp.user_id = u.id AND l.course_id = ?2 AND l.status = 'published') AS completed
                     FROM (SELECT e.id, e.user_id, e.access_end, e.created_at FROM @enrollments e
                           WHERE e.course_id = ?2 AND e.status = 'active' ORDER BY e.created_at DESC, e.id DESC LIMIT ?3) e
                     JOIN @users u ON u.id = e.user_id
                     ORDER BY e.created_at DESC, e.id DESC",
                    &[int(id), int(COURSE_PAGE_STUDENTS)],
                )?,
                db.stmt("SELECT COUNT(*) AS n FROM @enrollments e WHERE e.course_id = ?2 AND e.status = 'active'", &[int(id)])?,
                db.stmt("SELECT title FROM @course_modules WHERE course_id = ?2 ORDER BY position", &[int(id)])?,
            ])
            .await?;
        let modules: Vec<String> = rows::<serde_json::Value>(&results[4])?.iter().filter_map(|m| m["title"].as_str().map(String::from)).collect();
        let student_count = rows::<serde_json::Value>(&results[3])?.first().and_then(|r| r["n"].as_i64()).unwrap_or(0);
        let course = rows::<CourseRow>(&results[0])?.into_iter().next().ok_or(AppError::NotFound)?;
        let lessons: Vec<AdminLessonRow> = rows::<LessonRow>(&results[1])?
            .into_iter()
            .map(|l| AdminLessonRow { id: l.id, title: l.title, status: Status::parse(&l.status), position: l.position, module: l.module })
            .collect();
        let students = rows::<StudentRow>(&results[2])?
            .into_iter()
            .map(|s| AdminStudentRow { user_id: s.user_id, email: s.email, display_name: s.display_name, access_end: s.access_end, completed: s.completed, last_login_at: s.last_login_at })
            .collect();
        Ok(AdminCourse {
            id: course.id,
            slug: course.slug,
            title: course.title,
            description: course.description,
            cover_url: course.cover_url,
            status: Status::parse(&course.status),
            access_mode: course.access_mode,
            cohort_start: course.cohort_start,
            access_days: course.access_days,
            published_lessons: lessons.iter().filter(|l| l.status == Status::Published).count() as i64,
            lessons,
            modules,
            students,
            student_count,
        })
    }

    pub async fn save_course(id: String, title: String, slug_raw: String, description: String, cover_url: String, status: String) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let existing = if id.trim().is_empty() { None } else { Some(parse_id(&id)?) };
        let form = match existing {
            Some(id) => format!("/admin/courses/{id}"),
            None => "/admin/courses/new".to_string(),
        };
        let keep = [("title", title.as_str()), ("slug", slug_raw.as_str()), ("cover_url", cover_url.as_str())];
        let title = match validate::title(&title, validate::TITLE_MAX) {
            Ok(t) => t,
            Err(key) => return back(&form, key, &keep),
        };
        let wanted = if slug_raw.trim().is_empty() { slug::slugify(&title) } else { slug_raw.trim().to_string() };
        let course_slug = match slug::CourseSlug::parse(&wanted) {
            Ok(s) => s,
            Err(e) => return back(&form, e.code(), &keep),
        };
        if description.chars().count() > validate::DESCRIPTION_MAX {
            return back(&form, "description_too_long", &keep);
        }
        let cover = cover_url.trim();
        // A link to an image elsewhere, or an image uploaded here.
        if !cover.is_empty() && !markdown::is_safe_image_url(cover) && crate::features::media::rules::id_in_path(cover).is_none() {
            return back(&form, "cover_invalid", &keep);
        }
        let status = Status::parse(&status);
        let sdb = school_db(school_id)?;
        let db = sdb.d1();
        let now = ctx.now_ms;
        let result = match existing {
            Some(course_id) => {
                sdb.stmt(
                    "UPDATE @courses SET title = ?2, slug = ?3, description = ?4, cover_url = ?5, status = ?6, updated_at = ?7 WHERE id = ?8 RETURNING id",
                    &[text(&title), text(course_slug.as_str()), text(description.trim()), text(cover), text(status.as_str()), int(now), int(course_id)],
                )?
                .first::<serde_json::Value>(Some("id"))
                .await
            }
            None => {
                sdb.stmt(
                    "INSERT INTO @courses (slug, title, description, cover_url, status, created_at, updated_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id",
                    &[text(course_slug.as_str()), text(&title), text(description.trim()), text(cover), text(status.as_str()), int(now)],
                )?
                .first::<serde_json::Value>(Some("id"))
                .await
            }
        };
        match result {
            Ok(Some(v)) => {
                let course_id = v.as_i64().ok_or(AppError::Internal)?;
                embeds_changed(db, school_id, now).await?;
                redirect(&format!("/admin/courses/{course_id}?ok=saved"));
                Ok(())
            }
            Ok(None) => Err(AppError::NotFound),
            Err(e) if is_unique_violation(&e) => back(&form, "course_slug_taken", &keep),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn delete_course(id: String, confirm: String) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let course_id = parse_id(&id)?;
        let db = school_db(school_id)?;
        let slug: Option<serde_json::Value> = db.first("SELECT slug FROM @courses WHERE id = ?2", &[int(course_id)]).await?;
        let slug = slug.and_then(|v| v.get("slug").and_then(|s| s.as_str()).map(String::from)).ok_or(AppError::NotFound)?;
        if confirm.trim() != slug {
            return back(&format!("/admin/courses/{course_id}"), "confirm_mismatch", &[]);
        }
        db.run("UPDATE @courses* SET deleted_at = ?2 WHERE id = ?3", &[int(ctx.now_ms), int(course_id)]).await?;
        embeds_changed(db.d1(), school_id, ctx.now_ms).await?;
        redirect("/admin/courses?ok=deleted");
        Ok(())
    }

    #[derive(Deserialize)]
    struct AdminLessonRowFull {
        course_id: i64,
        course_title: String,
        id: i64,
        title: String,
        content_md: String,
        status: String,
        open_rule: String,
        open_days: Option<i64>,
        open_at: Option<String>,
        close_rule: String,
        close_days: Option<i64>,
        close_at: Option<String>,
        checkpoint: i64,
        module: String,
        duration_minutes: Option<i64>,
    }

    /// One side of the lesson form's schedule: the rule and the fields it uses.
    pub struct RuleForm {
        pub rule: Option<String>,
        pub days: Option<String>,
        pub time: Option<String>,
        pub date: Option<String>,
    }

    impl RuleForm {
        /// (rule, days, at) as stored: `at` is the time for a day rule, the local date-time
        /// for a date rule.
        fn columns(&self, default: &str) -> (String, Option<i64>, Option<String>) {
            let rule = self.rule.clone().filter(|r| !r.is_empty()).unwrap_or_else(|| default.to_string());
            let days = self.days.as_deref().and_then(|d| d.trim().parse::<i64>().ok());
            let at = match rule.as_str() {
                "days" => self.time.clone(),
                "date" => self.date.clone(),
                _ => None,
            };
            let days = days.filter(|_| rule == "days");
            (rule, days, at.filter(|a| !a.is_empty()))
        }
    }

    pub async fn load_admin_lesson(course_id: i64, lesson_id: i64) -> Result<AdminLesson, AppError> {
        let (_, school_id) = owner()?;
        let row: AdminLessonRowFull = school_db(school_id)?
            .first(
                "SELECT l.course_id, c.title AS course_title, l.id, l.title, l.content_md, l.status,
                        l.open_rule, l.open_days, l.open_at, l.close_rule, l.close_days, l.close_at, l.checkpoint, l.module, l.duration_minutes
                 FROM @lessons l JOIN @courses c ON c.id = l.course_id
                 WHERE l.id = ?2 AND l.course_id = ?3",
                &[int(lesson_id), int(course_id)],
            )
            .await?
            .ok_or(AppError::NotFound)?;
        let schedule = crate::features::courses::types::LessonSchedule {
            open_rule: row.open_rule,
            open_days: row.open_days,
            open_at: row.open_at,
            close_rule: row.close_rule,
            close_days: row.close_days,
            close_at: row.close_at,
            checkpoint: Some(row.checkpoint),
        };
        Ok(AdminLesson {
            course_id: row.course_id,
            course_title: row.course_title,
            id: row.id,
            title: row.title,
            content_md: row.content_md,
            status: Status::parse(&row.status),
            schedule,
            module: row.module,
            duration_minutes: row.duration_minutes,
        })
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn save_lesson(course_id: String, lesson_id: String, title: String, content_md: String, status: String, open: RuleForm, close: RuleForm, confirmed: bool) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let course_id = parse_id(&course_id)?;
        let existing = if lesson_id.trim().is_empty() { None } else { Some(parse_id(&lesson_id)?) };
        let form = match existing {
            Some(id) => format!("/admin/courses/{course_id}/lessons/{id}"),
            None => format!("/admin/courses/{course_id}/lessons/new"),
        };
        let title = match validate::title(&title, validate::TITLE_MAX) {
            Ok(t) => t,
            Err(key) => return back(&form, key, &[("title", &title)]),
        };
        if content_md.len() > markdown::MAX_MARKDOWN_BYTES {
            return back(&form, "content_too_long", &[("title", &title)]);
        }
        let (open_rule, open_days, open_at) = open.columns("immediately");
        let (close_rule, close_days, close_at) = close.columns("never");
        if crate::features::drip::rules::parse_open(&open_rule, open_days, open_at.as_deref()).is_none() {
            return back(&form, "drip_open_invalid", &[("title", &title)]);
        }
        if crate::features::drip::rules::parse_close(&close_rule, close_days, close_at.as_deref()).is_none() {
            return back(&form, "drip_close_invalid", &[("title", &title)]);
        }
        let html = markdown::render_markdown(&content_md);
        let status = Status::parse(&status);
        let db = db()?;
        let now = ctx.now_ms;
        // A schedule change that gives or takes access right now is confirmed first: the
        // content is saved, the rule waits for "confirm".
        let mut pending_impact = None;
        if let (Some(id), false) = (existing, confirmed) {
            let rules = crate::features::drip::rules::stored_rules(
                id,
                crate::features::drip::rules::StoredRule { rule: &open_rule, days: open_days, at: open_at.as_deref() },
                crate::features::drip::rules::StoredRule { rule: &close_rule, days: close_days, at: close_at.as_deref() },
            );
            let (gain, lose) = crate::features::drip::api::impact_of(&db, school_id, course_id, id, rules, now, ctx.viewer.time_zone()).await?;
            if gain + lose > 0 {
                pending_impact = Some((gain, lose));
            }
        }
        let opt_text = |v: &Option<String>| v.as_deref().map(text).unwrap_or(wasm_bindgen::JsValue::NULL);
        let schedule = [text(&open_rule), opt_int(open_days), opt_text(&open_at), text(&close_rule), opt_int(close_days), opt_text(&close_at)];
        let saved = match existing {
            Some(id) => {
                SchoolDb::new(&db, school_id).stmt(
                    // ?15 = 1 keeps the stored rules (a change awaiting confirmation).
                    "UPDATE @lessons SET title = ?2, content_md = ?3, content_html = ?4, status = ?5, updated_at = ?6,
                        open_rule = CASE WHEN ?15 = 1 THEN open_rule ELSE ?9 END, open_days = CASE WHEN ?15 = 1 THEN open_days ELSE ?10 END,
                        open_at = CASE WHEN ?15 = 1 THEN open_at ELSE ?11 END, close_rule = CASE WHEN ?15 = 1 THEN close_rule ELSE ?12 END,
                        close_days = CASE WHEN ?15 = 1 THEN close_days ELSE ?13 END, close_at = CASE WHEN ?15 = 1 THEN close_at ELSE ?14 END
                     WHERE id = ?7 AND course_id = ?8 RETURNING id",
                    &[&[text(&title), text(&content_md), text(&html), text(status.as_str()), int(now), int(id), int(course_id)][..], &schedule[..], &[int(pending_impact.is_some() as i64)][..]].concat(),
                )?
                .first::<serde_json::Value>(Some("id"))
                .await?
            }
            None => {
                // The course must be this school's: the INSERT selects from it.
                SchoolDb::new(&db, school_id).stmt(
                    // At the end of the course: in its last module, so the program and the
                    // lessons' positions keep agreeing (`courses::program`).
                    "INSERT INTO @lessons (course_id, title, content_md, content_html, position, status, created_at, updated_at,
                        open_rule, open_days, open_at, close_rule, close_days, close_at, module)
                     SELECT c.id, ?2, ?3, ?4,
                        COALESCE((SELECT MAX(x.position) FROM @lessons* x WHERE x.course_id = c.id), 0) + 1, ?5, ?6, ?6,
                        ?8, ?9, ?10, ?11, ?12, ?13,
                        COALESCE((SELECT m.title FROM @course_modules m WHERE m.course_id = c.id ORDER BY m.position DESC LIMIT 1), '')
                     FROM @courses c WHERE c.id = ?7 RETURNING id",
                    &[&[text(&title), text(&content_md), text(&html), text(status.as_str()), int(now), int(course_id)][..], &schedule[..]].concat(),
                )?
                .first::<serde_json::Value>(Some("id"))
                .await?
            }
        };
        let id = saved.and_then(|v| v.as_i64()).ok_or(AppError::NotFound)?;
        embeds_changed(&db, school_id, now).await?;
        // The schedule may have changed: the digest looks at this course's students again.
        crate::features::drip::digest::recheck_course(&db, school_id, course_id, now).await?;
        if let Some((gain, lose)) = pending_impact {
            // Back to the form with the proposed rule and what it would do.
            let keep = [
                ("gain", gain.to_string()),
                ("lose", lose.to_string()),
                ("open_rule", open_rule),
                ("open_days", open_days.map(|d| d.to_string()).unwrap_or_default()),
                ("open_at", open_at.unwrap_or_default()),
                ("close_rule", close_rule),
                ("close_days", close_days.map(|d| d.to_string()).unwrap_or_default()),
                ("close_at", close_at.unwrap_or_default()),
            ];
            let query: Vec<String> = keep.iter().map(|(k, v)| format!("{k}={}", crate::kernel::url::encode(v))).collect();
            redirect(&format!("/admin/courses/{course_id}/lessons/{id}?impact=1&{}", query.join("&")));
            return Ok(());
        }
        redirect(&format!("/admin/courses/{course_id}/lessons/{id}?ok=saved"));
        Ok(())
    }

    pub async fn delete_lesson(course_id: String, lesson_id: String, confirmed: bool) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let (course_id, lesson_id) = (parse_id(&course_id)?, parse_id(&lesson_id)?);
        if !confirmed {
            redirect(&with_error(&format!("/admin/courses/{course_id}/lessons/{lesson_id}"), "delete_confirm_required", &[]));
            return Ok(());
        }
        let db = school_db(school_id)?;
        db.run("UPDATE @lessons* SET deleted_at = ?2 WHERE id = ?3 AND course_id = ?4", &[int(ctx.now_ms), int(lesson_id), int(course_id)]).await?;
        embeds_changed(db.d1(), school_id, ctx.now_ms).await?;
        redirect(&format!("/admin/courses/{course_id}?ok=deleted"));
        Ok(())
    }

    #[derive(Deserialize)]
    struct UserIdRow {
        id: i64,
        email: String,
        locale: Option<String>,
    }

    pub async fn add_student(course_id: String, email: String, access_end: String, invite: bool) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let course_id = parse_id(&course_id)?;
        let form = format!("/admin/courses/{course_id}");
        let keep = [("email", email.as_str()), ("access_end", access_end.as_str())];
        let parsed = match Email::parse(&email) {
            Ok(e) => e,
            Err(e) => return back(&form, e.code(), &keep),
        };
        let end = match validate::optional_date(&access_end) {
            // The end of that day, in the school's time.
            Ok(d) => d.map(|d| crate::features::drip::rules::local_to_utc(d.and_hms_opt(23, 59, 0).unwrap_or_default(), crate::kernel::time::zone(ctx.viewer.time_zone()))),
            Err(key) => return back(&form, key, &keep),
        };
        let now = ctx.now_ms;
        if end.is_some_and(|e| e <= now) {
            return back(&form, "date_order", &keep);
        }
        let sdb = school_db(school_id)?;
        // The address of an account merged into another enrolls that account.
        let parsed = Email::parse(&crate::features::merge::server::account_email(&sdb, parsed.as_str()).await?).map_err(|_| AppError::Internal)?;
        // Account and enrollment in one batch: both exist, or neither.
        let results = sdb
            .batch(vec![
                sdb.stmt("INSERT INTO @users (email, role, created_at) VALUES (?2, 'student', ?3) ON CONFLICT (school_id, email) DO NOTHING", &[text(parsed.as_str()), int(now)])?,
                sdb.stmt(
                    "INSERT INTO @enrollments (user_id, course_id, access_start, access_end, status, created_at, next_notice_at, last_notice_at)
                     SELECT u.id, c.id, ?4, ?5, 'active', ?4, ?4, ?4 FROM @users u JOIN @courses c ON c.id = ?3
                     WHERE u.email = ?2
                     ON CONFLICT (user_id, course_id) DO UPDATE SET access_end = excluded.access_end, status = 'active', next_notice_at = excluded.next_notice_at",
                    &[text(parsed.as_str()), int(course_id), int(now), opt_int(end)],
                )?,
                sdb.stmt("SELECT id, email, locale FROM @users WHERE email = ?2", &[text(parsed.as_str())])?,
            ])
            .await?;
        let user = rows::<UserIdRow>(&results[2])?.into_iter().next().ok_or(AppError::Internal)?;
        if invite {
            invite_user(sdb.d1(), &ctx, school_id, course_id, &user).await?;
            redirect(&format!("{form}?ok=invitation_sent"));
        } else {
            redirect(&format!("{form}?ok=student_added"));
        }
        Ok(())
    }

    async fn invite_user(db: &worker::D1Database, ctx: &RequestContext, school_id: i64, course_id: i64, user: &UserIdRow) -> Result<(), AppError> {
        use crate::features::login::server::{Purpose, SchoolRef};
        let school = require_school(ctx)?;
        let course: Option<serde_json::Value> = crate::kernel::db::SchoolDb::new(db, school_id).first("SELECT title, slug FROM @courses* WHERE id = ?2", &[int(course_id)]).await?;
        let course_title = course.as_ref().and_then(|c| c.get("title").and_then(|t| t.as_str()).map(String::from)).unwrap_or_default();
        // The invitation lands on the course's first open lesson (or where they left off).
        let next = course.as_ref().and_then(|c| c["slug"].as_str()).map(crate::kernel::next::continue_path);
        let email = Email::parse(&user.email).map_err(|_| AppError::Internal)?;
        let locale = user.locale.as_deref().and_then(crate::kernel::i18n::Locale::parse).unwrap_or(ctx.viewer.locale);
        let texts = crate::features::emails::server::load(&crate::kernel::db::SchoolDb::new(db, school_id), crate::features::emails::rules::MailKind::Invitation).await?;
        let letter = crate::features::emails::compose::Letter { kind: crate::features::emails::rules::MailKind::Invitation, texts: &texts, values: vec![("course_title", course_title)], footer: None };
        let school = SchoolRef { id: school_id, slug: &school.slug, name: &school.name };
        let (statements, _) = crate::features::login::server::issue_with_letter(db, ctx, &school, Some(user.id), &email, locale, Purpose::Invite, false, Some(&letter), next.as_deref())?;
        batch(db, statements).await?;
        Ok(())
    }

    pub async fn send_invitation(course_id: String, user_id: String) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let (course_id, user_id) = (parse_id(&course_id)?, parse_id(&user_id)?);
        let db = school_db(school_id)?;
        let user: UserIdRow = db
            .first("SELECT u.id, u.email, u.locale FROM @users u JOIN @enrollments e ON e.user_id = u.id AND e.course_id = ?3 WHERE u.id = ?2", &[int(user_id), int(course_id)])
            .await?
            .ok_or(AppError::NotFound)?;
        invite_user(db.d1(), &ctx, school_id, course_id, &user).await?;
        redirect(&format!("/admin/courses/{course_id}?ok=invitation_sent"));
        Ok(())
    }
}
