//! The student's side: the school's home (catalogue and "my courses"), a course, a lesson,
//! marking a lesson complete. Drafts and lessons the viewer may not read never leave here.

use crate::api::types::{CourseCard, CoursePage, LessonPage};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::api::ssr::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolHome {
    pub catalogue: Vec<CourseCard>,
    pub mine: Vec<CourseCard>,
}

#[server(endpoint = "school_home")]
pub async fn load_school_home() -> Result<SchoolHome, AppError> {
    send(async move { ssr_impl::load_school_home().await }).await
}

#[server(endpoint = "course_page")]
pub async fn load_course(slug: String) -> Result<CoursePage, AppError> {
    send(async move { ssr_impl::load_course(&slug).await }).await
}

#[server(endpoint = "lesson_page")]
pub async fn load_lesson(slug: String, lesson_id: i64) -> Result<LessonPage, AppError> {
    send(async move { ssr_impl::load_lesson(&slug, lesson_id).await }).await
}

#[server(endpoint = "mark_complete")]
pub async fn mark_complete(slug: String, lesson_id: i64) -> Result<(), AppError> {
    send(async move { ssr_impl::mark_complete(&slug, lesson_id).await }).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr_impl {
    use super::*;
    use crate::api::types::LessonLink;
    use crate::domain::access::{progress_percent, student_lesson_access, EnrollmentWindow, Role, Status};
    use crate::server::db::{all, batch, int, rows, stmt, text};
    use crate::server::request::db;

    #[derive(Deserialize)]
    struct CardRow {
        slug: String,
        title: String,
        description: String,
        cover_url: String,
        access_start: Option<i64>,
        access_end: Option<i64>,
        published_lessons: i64,
        completed_lessons: i64,
    }

    pub async fn load_school_home() -> Result<SchoolHome, AppError> {
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let db = db()?;
        let user_id = ctx.viewer.user.as_ref().map(|u| u.id).unwrap_or(0);
        let rows: Vec<CardRow> = all(
            &db,
            "SELECT c.slug, c.title, c.description, c.cover_url, e.access_start, e.access_end,
                (SELECT COUNT(*) FROM lessons l WHERE l.school_id = ?1 AND l.course_id = c.id AND l.status = 'published' AND l.deleted_at IS NULL) AS published_lessons,
                (SELECT COUNT(*) FROM completions cp JOIN lessons l ON l.id = cp.lesson_id
                  WHERE cp.school_id = ?1 AND cp.user_id = ?2 AND l.course_id = c.id AND l.status = 'published' AND l.deleted_at IS NULL) AS completed_lessons
             FROM courses c
             LEFT JOIN enrollments e ON e.course_id = c.id AND e.school_id = ?1 AND e.user_id = ?2 AND e.status = 'active'
             WHERE c.school_id = ?1 AND c.status = 'published' AND c.deleted_at IS NULL
             ORDER BY c.created_at",
            &[int(school.id), int(user_id)],
        )
        .await?;
        let now = ctx.now_ms;
        let mut home = SchoolHome { catalogue: vec![], mine: vec![] };
        for r in rows {
            let enrolled_now = r.access_start.is_some_and(|s| s <= now) && r.access_end.is_none_or(|e| e > now);
            let card = CourseCard {
                slug: r.slug,
                title: r.title,
                description: r.description,
                cover_url: r.cover_url,
                published_lessons: r.published_lessons,
                completed_lessons: r.completed_lessons,
                access_end: r.access_end,
            };
            if enrolled_now {
                home.mine.push(card);
            } else {
                home.catalogue.push(card);
            }
        }
        Ok(home)
    }

    #[derive(Debug, Clone, Deserialize)]
    pub struct CourseRow {
        slug: String,
        title: String,
        description: String,
        cover_url: String,
        status: String,
    }
    #[derive(Debug, Clone, Deserialize)]
    pub struct LessonRow {
        id: i64,
        title: String,
        status: String,
        completed: i64,
    }
    #[derive(Deserialize)]
    struct EnrollmentRow {
        access_start: i64,
        access_end: Option<i64>,
        status: String,
    }
    #[derive(Deserialize)]
    struct ContentRow {
        content_html: String,
    }

    /// Which course page a request is for: `/courses/{slug}` or `/courses/{slug}/lessons/{id}`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PageKey {
        pub slug: String,
        pub lesson_id: Option<i64>,
    }

    impl PageKey {
        pub fn from_path(path: &str) -> Option<PageKey> {
            let rest = path.strip_prefix("/courses/")?;
            let mut parts = rest.split('/');
            let slug = parts.next().filter(|s| !s.is_empty())?.to_string();
            match (parts.next(), parts.next(), parts.next()) {
                (None, _, _) => Some(PageKey { slug, lesson_id: None }),
                (Some("lessons"), Some(id), None) => Some(PageKey { slug, lesson_id: Some(id.parse().ok()?) }),
                _ => None,
            }
        }
    }

    /// How the page's queries find the school and the student: by ids once the viewer is
    /// known, or by subdomain and session id when they run in the viewer's own batch.
    pub enum Scope<'a> {
        Ids { school_id: i64, user_id: i64 },
        Lookup { school_slug: &'a str, session_id: &'a str },
    }

    /// Everything a course or lesson page reads. Enrollment and completions are only ever
    /// used once the session they were read for has been verified.
    #[derive(Debug, Clone)]
    pub struct CourseData {
        course: Option<CourseRow>,
        lessons: Vec<LessonRow>,
        enrollment: Option<EnrollmentWindow>,
        content: Option<String>,
    }

    pub fn statements(db: &worker::D1Database, scope: &Scope, key: &PageKey) -> Result<Vec<worker::D1PreparedStatement>, AppError> {
        let (school_expr, user_expr, school_arg, user_arg) = match scope {
            Scope::Ids { school_id, user_id } => ("?1", "?3", int(*school_id), int(*user_id)),
            Scope::Lookup { school_slug, session_id } => (
                "(SELECT id FROM schools WHERE slug = ?1)",
                "(SELECT user_id FROM sessions WHERE id = ?3)",
                text(school_slug),
                text(session_id),
            ),
        };
        let sql = |template: &str| template.replace("{school}", school_expr).replace("{user}", user_expr);
        let slug = text(&key.slug);
        let mut statements = vec![
            stmt(db, &sql("SELECT slug, title, description, cover_url, status FROM courses WHERE school_id = {school} AND slug = ?2 AND deleted_at IS NULL"), &[school_arg.clone(), slug.clone()])?,
            stmt(
                db,
                &sql("SELECT l.id, l.title, l.status,
                    (SELECT COUNT(*) FROM completions cp WHERE cp.user_id = {user} AND cp.lesson_id = l.id AND cp.school_id = c.school_id) AS completed
                 FROM lessons l JOIN courses c ON c.id = l.course_id
                 WHERE c.school_id = {school} AND l.school_id = c.school_id AND c.slug = ?2 AND c.deleted_at IS NULL AND l.deleted_at IS NULL
                 ORDER BY l.position, l.id"),
                &[school_arg.clone(), slug.clone(), user_arg.clone()],
            )?,
            stmt(
                db,
                &sql("SELECT e.access_start, e.access_end, e.status FROM enrollments e JOIN courses c ON c.id = e.course_id
                 WHERE c.school_id = {school} AND e.school_id = c.school_id AND c.slug = ?2 AND c.deleted_at IS NULL AND e.user_id = {user}"),
                &[school_arg.clone(), slug.clone(), user_arg],
            )?,
        ];
        if let Some(id) = key.lesson_id {
            statements.push(stmt(
                db,
                &sql("SELECT l.content_html FROM lessons l JOIN courses c ON c.id = l.course_id
                 WHERE c.school_id = {school} AND l.school_id = c.school_id AND c.slug = ?2 AND l.id = ?3 AND l.deleted_at IS NULL AND c.deleted_at IS NULL"),
                &[school_arg, slug, int(id)],
            )?);
        }
        Ok(statements)
    }

    pub fn decode(results: &[worker::D1Result]) -> Result<CourseData, AppError> {
        let get = |i: usize| results.get(i).ok_or(AppError::Internal);
        Ok(CourseData {
            course: rows::<CourseRow>(get(0)?)?.into_iter().next(),
            lessons: rows::<LessonRow>(get(1)?)?,
            enrollment: rows::<EnrollmentRow>(get(2)?)?.into_iter().next().map(|e| EnrollmentWindow {
                access_start: chrono::DateTime::from_timestamp_millis(e.access_start).unwrap_or_default(),
                access_end: e.access_end.and_then(chrono::DateTime::from_timestamp_millis),
                revoked: e.status != "active",
            }),
            content: match results.get(3) {
                Some(r) => rows::<ContentRow>(r)?.into_iter().next().map(|c| c.content_html),
                None => None,
            },
        })
    }

    struct Bundle {
        course: CourseRow,
        lessons: Vec<LessonRow>,
        enrollment: Option<EnrollmentWindow>,
        content: Option<String>,
        preview: bool,
    }

    /// Everything a course or lesson page needs. Usually already read in the same D1 batch
    /// as the viewer (one round trip for the whole page); otherwise one batch here.
    async fn load(slug: &str, lesson_id: Option<i64>) -> Result<(crate::server::request::RequestContext, Bundle), AppError> {
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let key = PageKey { slug: slug.to_string(), lesson_id };
        let user_id = ctx.viewer.user.as_ref().map(|u| u.id).unwrap_or(0);
        let preview = ctx.viewer.user.as_ref().is_some_and(|u| u.role == Role::Owner);
        let prefetched = ctx.prefetched.as_ref().filter(|(k, _)| *k == key).map(|(_, data)| data.clone());
        let data = match prefetched {
            Some(data) => data,
            None => {
                let db = db()?;
                let statements = statements(&db, &Scope::Ids { school_id: school.id, user_id }, &key)?;
                decode(&batch(&db, statements).await?)?
            }
        };
        let course = data.course.ok_or(AppError::NotAvailable)?;
        Ok((ctx, Bundle { course, lessons: data.lessons, enrollment: data.enrollment, content: data.content, preview }))
    }

    fn now(ctx: &crate::server::request::RequestContext) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_millis(ctx.now_ms).unwrap_or_default()
    }

    pub async fn load_course(slug: &str) -> Result<CoursePage, AppError> {
        let (ctx, b) = load(slug, None).await?;
        let course_status = Status::parse(&b.course.status);
        if course_status != Status::Published && !b.preview {
            return Err(AppError::NotAvailable);
        }
        let enrolled = crate::domain::access::enrollment_access(b.enrollment.as_ref(), now(&ctx)).is_ok();
        let visible: Vec<LessonLink> = b
            .lessons
            .iter()
            .filter(|l| b.preview || Status::parse(&l.status) == Status::Published)
            .map(|l| LessonLink { id: l.id, title: l.title.clone(), status: Status::parse(&l.status), completed: l.completed > 0 })
            .collect();
        let published = visible.iter().filter(|l| l.status == Status::Published).count();
        let done = visible.iter().filter(|l| l.status == Status::Published && l.completed).count();
        Ok(CoursePage {
            slug: b.course.slug,
            title: b.course.title,
            description: b.course.description,
            cover_url: b.course.cover_url,
            status: course_status,
            enrolled,
            preview: b.preview,
            lessons: visible,
            progress_percent: progress_percent(done, published),
        })
    }

    pub async fn load_lesson(slug: &str, lesson_id: i64) -> Result<LessonPage, AppError> {
        let (ctx, b) = load(slug, Some(lesson_id)).await?;
        let Some(index) = b.lessons.iter().position(|l| l.id == lesson_id) else {
            return Err(AppError::NotAvailable);
        };
        let lesson = &b.lessons[index];
        if !b.preview {
            let decision = student_lesson_access(Status::parse(&b.course.status), Status::parse(&lesson.status), b.enrollment.as_ref(), now(&ctx));
            if decision.is_err() {
                    return Err(AppError::NotAvailable);
            }
        }
        let visible: Vec<&LessonRow> = b.lessons.iter().filter(|l| b.preview || Status::parse(&l.status) == Status::Published).collect();
        let pos = visible.iter().position(|l| l.id == lesson_id).unwrap_or(0);
        let link = |l: &LessonRow| LessonLink { id: l.id, title: l.title.clone(), status: Status::parse(&l.status), completed: l.completed > 0 };
        Ok(LessonPage {
            course_slug: b.course.slug.clone(),
            course_title: b.course.title.clone(),
            id: lesson.id,
            title: lesson.title.clone(),
            html: b.content.unwrap_or_default(),
            completed: lesson.completed > 0,
            preview: b.preview,
            previous: pos.checked_sub(1).and_then(|i| visible.get(i)).map(|l| link(l)),
            next: visible.get(pos + 1).map(|l| link(l)),
            position: pos + 1,
            total: visible.len(),
        })
    }

    pub async fn mark_complete(slug: &str, lesson_id: i64) -> Result<(), AppError> {
        let (ctx, b) = load(slug, Some(lesson_id)).await?;
        let user = ctx.viewer.user.clone().ok_or(AppError::LoginRequired)?;
        let school = require_school(&ctx)?;
        let index = b.lessons.iter().position(|l| l.id == lesson_id).ok_or(AppError::NotAvailable)?;
        student_lesson_access(Status::parse(&b.course.status), Status::parse(&b.lessons[index].status), b.enrollment.as_ref(), now(&ctx))
            .map_err(|_| AppError::NotAvailable)?;
        let db = db()?;
        crate::server::db::run(
            &db,
            "INSERT OR IGNORE INTO completions (school_id, user_id, lesson_id, completed_at) VALUES (?1, ?2, ?3, ?4)",
            &[int(school.id), int(user.id), int(lesson_id), int(ctx.now_ms)],
        )
        .await?;
        let next = b.lessons[index + 1..].iter().find(|l| Status::parse(&l.status) == Status::Published);
        match next {
            Some(n) => redirect(&format!("/courses/{slug}/lessons/{}", n.id)),
            None => redirect(&format!("/courses/{slug}")),
        }
        Ok(())
    }
}
