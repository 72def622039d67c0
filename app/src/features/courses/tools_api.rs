//! Course tools: the author and the banner on the course page; copying a course (with or
//! without its students) or a lesson into another course; and the trash — deleted courses
//! and lessons stay restorable for 30 days.

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

/// Deleted courses and lessons can be restored this long.
pub const RESTORE_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deleted {
    /// `course` or `lesson`.
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub deleted_at: i64,
    /// The course, for a lesson.
    pub course_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Presentation {
    pub author_name: String,
    pub author_bio: String,
    pub banner_md: String,
    /// `list` or `modules`.
    pub program_layout: String,
    pub show_durations: i64,
}

crate::kernel::page_data! {
    pub async fn load_presentation(id: i64) -> Result<Presentation, AppError> {
        let (_, school_id) = owner()?;
        crate::kernel::request::school_db(school_id)?
            .first("SELECT author_name, author_bio, banner_md, program_layout, show_durations FROM @courses WHERE id = ?2", &[crate::kernel::db::int(id)])
            .await?
            .ok_or(AppError::NotFound)
    }
}

#[server(prefix = "/admin/api", endpoint = "save_course_presentation")]
pub async fn save_presentation(id: String, author_name: String, author_bio: String, banner_md: String, program_layout: Option<String>, show_durations: Option<String>) -> Result<(), AppError> {
    send(async move { ssr_impl::save_presentation(&id, &author_name, &author_bio, &banner_md, program_layout.as_deref() == Some("modules"), show_durations.is_some()).await }).await
}

/// A lesson's place in the program: its module heading and its length in minutes.
#[server(prefix = "/admin/api", endpoint = "save_lesson_program")]
pub async fn save_lesson_program(course_id: String, lesson_id: String, module: String, duration_minutes: Option<String>) -> Result<(), AppError> {
    send(async move { ssr_impl::save_lesson_program(&course_id, &lesson_id, &module, duration_minutes.as_deref().unwrap_or("")).await }).await
}

#[server(prefix = "/admin/api", endpoint = "copy_course")]
pub async fn copy_course(id: String, with_students: Option<String>) -> Result<(), AppError> {
    send(async move { ssr_impl::copy_course(&id, with_students.is_some()).await }).await
}

#[server(prefix = "/admin/api", endpoint = "copy_lesson")]
pub async fn copy_lesson(course_id: String, lesson_id: String, target_course_id: String) -> Result<(), AppError> {
    send(async move { ssr_impl::copy_lesson(&course_id, &lesson_id, &target_course_id).await }).await
}

crate::kernel::page_data! {
    pub async fn load_trash() -> Result<Vec<Deleted>, AppError> {
        ssr_impl::trash().await
    }
}

/// `kind`: `course` or `lesson`.
#[server(prefix = "/admin/api", endpoint = "restore")]
pub async fn restore(kind: String, id: String) -> Result<(), AppError> {
    send(async move { ssr_impl::restore(&kind, &id).await }).await
}

#[cfg(feature = "ssr")]
mod ssr_impl {
    use super::*;
    use crate::kernel::db::{int, is_unique_violation, text};
    use crate::kernel::request::{db, school_db};
    use crate::kernel::session::DAY_MS;

    /// A lesson longer than a day is a typo.
    const MAX_DURATION_MINUTES: i64 = 24 * 60;

    pub async fn save_lesson_program(course_id: &str, lesson_id: &str, module: &str, duration: &str) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let (course_id, lesson_id) = (parse_id(course_id)?, parse_id(lesson_id)?);
        let page = format!("/admin/courses/{course_id}/lessons/{lesson_id}");
        let duration = match duration.trim() {
            "" => None,
            d => match d.parse::<i64>() {
                Ok(n) if (1..=MAX_DURATION_MINUTES).contains(&n) => Some(n),
                _ => {
                    redirect(&format!("{}#program", crate::kernel::url::with_error(&page, "duration_invalid", &[])));
                    return Ok(());
                }
            },
        };
        if module.chars().count() > 120 {
            redirect(&format!("{}#program", crate::kernel::url::with_error(&page, "module_too_long", &[])));
            return Ok(());
        }
        let sdb = school_db(school_id)?;
        sdb.run(
            "UPDATE @lessons SET duration_minutes = ?4, updated_at = ?5 WHERE id = ?2 AND course_id = ?3",
            &[int(lesson_id), int(course_id), crate::kernel::db::opt_int(duration), int(ctx.now_ms)],
        )
        .await?;
        // Its module through the course's outline: a new title makes a module, at the end.
        let change = crate::features::courses::program_api::Change::Place(lesson_id, module.to_string());
        if let Err(refused) = crate::features::courses::program_api::ssr_impl::change(&sdb, course_id, &change).await? {
            redirect(&format!("{}#program", crate::kernel::url::with_error(&page, refused.code(), &[])));
            return Ok(());
        }
        // The public program shows modules and durations.
        embeds_changed(&crate::kernel::request::db()?, school_id, ctx.now_ms).await?;
        redirect(&format!("{page}?ok=saved#program"));
        Ok(())
    }

    pub async fn save_presentation(id: &str, author_name: &str, author_bio: &str, banner_md: &str, by_modules: bool, show_durations: bool) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let id = parse_id(id)?;
        let page = format!("/admin/courses/{id}");
        if author_name.chars().count() > 100 || author_bio.chars().count() > 2_000 || banner_md.len() > 20_000 {
            redirect(&format!("{}#presentation", crate::kernel::url::with_error(&page, "content_too_long", &[])));
            return Ok(());
        }
        school_db(school_id)?
            .run(
            "UPDATE @courses SET author_name = ?3, author_bio = ?4, banner_md = ?5, banner_html = ?6, updated_at = ?7, program_layout = ?8, show_durations = ?9 WHERE id = ?2",
            &[
                int(id),
                text(author_name.trim()),
                text(author_bio.trim()),
                text(banner_md),
                text(&crate::features::lessons::markdown::render_markdown(banner_md)),
                int(ctx.now_ms),
                text(if by_modules { "modules" } else { "list" }),
                int(show_durations as i64),
            ],
        )
        .await?;
        embeds_changed(&crate::kernel::request::db()?, school_id, ctx.now_ms).await?;
        redirect(&format!("{page}?ok=saved#presentation"));
        Ok(())
    }

    /// The first free `{slug}-copie`, `{slug}-copie-2`, ... (within the slug length limit).
    async fn free_slug(db: &worker::D1Database, school_id: i64, slug: &str) -> Result<String, AppError> {
        let taken: Vec<serde_json::Value> = crate::kernel::db::SchoolDb::new(db, school_id).all("SELECT slug FROM @courses WHERE slug LIKE ?2", &[text(&format!("{}%", &slug[..slug.len().min(40)]))]).await?;
        let taken: Vec<&str> = taken.iter().filter_map(|r| r["slug"].as_str()).collect();
        let stem = &slug[..slug.len().min(40)];
        (1..1000)
            .map(|n| if n == 1 { format!("{stem}-copie") } else { format!("{stem}-copie-{n}") })
            .find(|s| !taken.contains(&s.as_str()))
            .ok_or(AppError::Internal)
    }

    /// One batch: the course (a draft), its lessons and their blocks, and with `students` its
    /// enrollments. Trial embed ids are not copied (they name one lesson).
    pub async fn copy_course(id: &str, students: bool) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let id = parse_id(id)?;
        let db = db()?;
        let sdb = crate::kernel::db::SchoolDb::new(&db, school_id);
        let source: serde_json::Value = sdb.first("SELECT slug, title FROM @courses WHERE id = ?2", &[int(id)]).await?.ok_or(AppError::NotFound)?;
        let slug = free_slug(&db, school_id, source["slug"].as_str().unwrap_or("cours")).await?;
        let now = ctx.now_ms;
        // ?2 the course copied, ?3 the copy's slug, ?4 now.
        let new_course = "(SELECT id FROM @courses WHERE slug = ?3)";
        let args = [int(id), text(&slug), int(now)];
        let mut statements = vec![
            sdb.stmt(
                "INSERT INTO @courses (slug, title, description, cover_url, status, access_mode, cohort_start, access_days, author_name, author_bio, banner_md, banner_html, program_layout, show_durations, created_at, updated_at)
                 SELECT ?3, title || ' (copie)', description, cover_url, 'draft', access_mode, cohort_start, access_days, author_name, author_bio, banner_md, banner_html, program_layout, show_durations, ?4, ?4
                 FROM @courses WHERE id = ?2",
                &args,
            )?,
            sdb.stmt(
                &format!(
                    "INSERT INTO @lessons (course_id, title, content_md, content_html, position, status, open_rule, open_days, open_at, close_rule, close_days, close_at, checkpoint, module, duration_minutes, created_at, updated_at)
                     SELECT {new_course}, title, content_md, content_html, position, status, open_rule, open_days, open_at, close_rule, close_days, close_at, checkpoint, module, duration_minutes, ?4, ?4
                     FROM @lessons WHERE course_id = ?2 ORDER BY position, id"
                ),
                &args,
            )?,
            sdb.stmt(&format!("INSERT INTO @course_modules (course_id, title, position) SELECT {new_course}, title, position FROM @course_modules WHERE course_id = ?2"), &args[..2])?,
            // Each copied lesson is found by its position and title in the new course.
            sdb.stmt(
                &format!(
                    "INSERT INTO @lesson_blocks (lesson_id, position, block_json, html, created_at, updated_at)
                     SELECT nl.id, b.position, b.block_json, b.html, ?4, ?4
                     FROM @lesson_blocks b JOIN @lessons ol ON ol.id = b.lesson_id
                     JOIN @lessons nl ON nl.course_id = {new_course} AND nl.position = ol.position AND nl.title = ol.title
                     WHERE ol.course_id = ?2"
                ),
                &args,
            )?,
            sdb.stmt(
                &format!(
                    "INSERT INTO @lesson_tasks (lesson_id, kind, prompt, answer_kind, review_required, pass_percent, max_attempts, questions_json, updated_at)
                     SELECT nl.id, t.kind, t.prompt, t.answer_kind, t.review_required, t.pass_percent, t.max_attempts, t.questions_json, ?4
                     FROM @lesson_tasks t JOIN @lessons ol ON ol.id = t.lesson_id
                     JOIN @lessons nl ON nl.course_id = {new_course} AND nl.position = ol.position AND nl.title = ol.title
                     WHERE ol.course_id = ?2"
                ),
                &args,
            )?,
        ];
        if students {
            statements.push(sdb.stmt(
                &format!(
                    "INSERT INTO @enrollments (user_id, course_id, access_start, access_end, status, shift_days, created_at, next_notice_at, last_notice_at)
                     SELECT user_id, {new_course}, access_start, access_end, status, shift_days, ?4, ?4, ?4
                     FROM @enrollments WHERE course_id = ?2"
                ),
                &args,
            )?);
        }
        // Every argument is bound to every statement of the batch, so this one names them all.
        statements.push(sdb.stmt("SELECT id FROM @courses WHERE slug = ?3 AND ?2 > 0 AND ?4 > 0", &args)?);
        let results = sdb.batch(statements).await?;
        let copy = crate::kernel::db::rows::<serde_json::Value>(results.last().ok_or(AppError::Internal)?)?.first().and_then(|r| r["id"].as_i64()).ok_or(AppError::Internal)?;
        redirect(&format!("/admin/courses/{copy}?ok=course_copied"));
        Ok(())
    }

    /// A lesson (text, schedule, blocks) at the end of another course of the school, as a draft.
    pub async fn copy_lesson(course_id: &str, lesson_id: &str, target: &str) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let (course_id, lesson_id, target) = (parse_id(course_id)?, parse_id(lesson_id)?, parse_id(target)?);
        let sdb = school_db(school_id)?;
        let now = ctx.now_ms;
        // The new position counts deleted lessons too, as a restored one keeps its place.
        let created: Option<serde_json::Value> = sdb
            .first(
                "INSERT INTO @lessons (course_id, title, content_md, content_html, position, status, open_rule, open_days, open_at, close_rule, close_days, close_at, checkpoint, module, duration_minutes, created_at, updated_at)
                 SELECT t.id, l.title, l.content_md, l.content_html,
                    COALESCE((SELECT MAX(x.position) FROM @lessons* x WHERE x.course_id = t.id), 0) + 1, 'draft',
                    l.open_rule, l.open_days, l.open_at, l.close_rule, l.close_days, l.close_at, l.checkpoint, l.module, l.duration_minutes, ?5, ?5
                 FROM @lessons l JOIN @courses t ON t.id = ?4
                 WHERE l.id = ?2 AND l.course_id = ?3 RETURNING id",
                &[int(lesson_id), int(course_id), int(target), int(now)],
            )
            .await?;
        let new_id = created.and_then(|v| v["id"].as_i64()).ok_or(AppError::NotFound)?;
        // ?2 the copy, ?3 the lesson copied, ?4 now.
        let copy_args = [int(new_id), int(lesson_id), int(now)];
        sdb.batch(vec![
            sdb.stmt(
                "INSERT INTO @lesson_blocks (lesson_id, position, block_json, html, created_at, updated_at)
                 SELECT ?2, position, block_json, html, ?4, ?4 FROM @lesson_blocks WHERE lesson_id = ?3",
                &copy_args,
            )?,
            sdb.stmt(
                "INSERT INTO @lesson_tasks (lesson_id, kind, prompt, answer_kind, review_required, pass_percent, max_attempts, questions_json, updated_at)
                 SELECT ?2, kind, prompt, answer_kind, review_required, pass_percent, max_attempts, questions_json, ?4 FROM @lesson_tasks WHERE lesson_id = ?3",
                &copy_args,
            )?,
        ])
        .await?;
        redirect(&format!("/admin/courses/{target}/lessons/{new_id}?ok=lesson_copied"));
        Ok(())
    }

    #[derive(Deserialize)]
    struct Row {
        kind: String,
        id: i64,
        title: String,
        deleted_at: i64,
        course_id: i64,
    }

    pub async fn trash() -> Result<Vec<Deleted>, AppError> {
        let (ctx, school_id) = owner()?;
        let since = ctx.now_ms - RESTORE_DAYS * DAY_MS;
        let found: Vec<Row> = school_db(school_id)?
            .all(
                "SELECT 'course' AS kind, id, title, deleted_at, id AS course_id FROM @courses* WHERE deleted_at > ?2
                 UNION ALL
                 SELECT 'lesson' AS kind, l.id, l.title, l.deleted_at, l.course_id FROM @lessons* l JOIN @courses c ON c.id = l.course_id
                 WHERE l.deleted_at > ?2
                 ORDER BY deleted_at DESC LIMIT 100",
                &[int(since)],
            )
            .await?;
        Ok(found.into_iter().map(|r| Deleted { kind: r.kind, id: r.id, title: r.title, deleted_at: r.deleted_at, course_id: r.course_id }).collect())
    }

    pub async fn restore(kind: &str, id: &str) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let id = parse_id(id)?;
        let since = ctx.now_ms - RESTORE_DAYS * DAY_MS;
        let db = school_db(school_id)?;
        let sql = match kind {
            "course" => "UPDATE @courses* SET deleted_at = NULL WHERE id = ?2 AND deleted_at > ?3 RETURNING id",
            "lesson" => "UPDATE @lessons* SET deleted_at = NULL WHERE id = ?2 AND deleted_at > ?3 RETURNING course_id AS id",
            _ => return Err(AppError::BadRequest("kind".into())),
        };
        let restored = db.stmt(sql, &[int(id), int(since)])?.first::<serde_json::Value>(None).await;
        match restored {
            Ok(Some(v)) => {
                embeds_changed(db.d1(), school_id, ctx.now_ms).await?;
                let course = v["id"].as_i64().unwrap_or(0);
                redirect(&format!("/admin/courses/{course}?ok=restored"));
            }
            // Too old (or not ours): gone for good.
            Ok(None) => redirect(&crate::kernel::url::with_error("/admin/courses", "restore_expired", &[])),
            // Its slug was taken by a newer course meanwhile.
            Err(e) if is_unique_violation(&e) => redirect(&crate::kernel::url::with_error("/admin/courses", "course_slug_taken", &[])),
            Err(e) => return Err(e.into()),
        }
        Ok(())
    }
}
