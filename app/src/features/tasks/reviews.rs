//! Assignment reviews: the owner reviews every course, a curator only the courses assigned to
//! them. Approving or returning (with a comment) emails the student; an approval passes a
//! checkpoint, which the drip engine reads on the student's next page.

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub id: i64,
    pub course_id: i64,
    pub course_title: String,
    pub lesson_id: i64,
    pub lesson_title: String,
    pub student_email: String,
    pub attempt: i64,
    pub answer_text: String,
    pub answer_link: String,
    pub status: String,
    pub comment: String,
    pub created_at: i64,
    /// The files sent with the answer: (name, size, link signed for the reviewer).
    #[serde(default)]
    pub files: Vec<(String, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewCourse {
    pub id: i64,
    pub title: String,
    pub pending: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reviews {
    /// The courses this viewer reviews, with their pending counts.
    pub courses: Vec<ReviewCourse>,
    pub items: Vec<ReviewItem>,
    /// This page (from 1) of how many (`REVIEWS_PER_PAGE` answers each).
    #[serde(default)]
    pub page: i64,
    #[serde(default)]
    pub pages: i64,
}

/// Shown per page; the oldest first, so nobody waits forever.
pub const REVIEWS_PER_PAGE: i64 = 100;

crate::kernel::page_data! {
    /// `status`: `pending` (default), `approved`, `returned` or `all`; `course`: one course.
    pub async fn load_reviews(status: Option<String>, course: Option<i64>, page: Option<i64>) -> Result<Reviews, AppError> {
        ssr_impl::load_reviews(status.as_deref().unwrap_or("pending"), course, page.unwrap_or(1).max(1)).await
    }
}

/// `decision`: `approve` or `return` (a return needs a comment).
#[server(prefix = "/admin/api", endpoint = "review_submission")]
pub async fn review_submission(id: String, decision: String, comment: Option<String>, back: Option<String>) -> Result<(), AppError> {
    send(async move { ssr_impl::review(&id, &decision, comment.as_deref().unwrap_or(""), back.as_deref().unwrap_or("/admin/reviews")).await }).await
}

/// The owner assigns courses to a curator: `courses[{id}]` for each ticked course.
#[server(prefix = "/admin/api", endpoint = "save_curator_courses")]
pub async fn save_curator_courses(user_id: String, courses: Option<HashMap<String, String>>) -> Result<(), AppError> {
    send(async move { ssr_impl::save_curator_courses(&user_id, courses.unwrap_or_default()).await }).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr_impl {
    use super::*;
    use crate::kernel::access::{Permission, Role};
    use crate::features::tasks::rules::{Review, MAX_COMMENT_CHARS};
    use crate::kernel::db::{int, text};
    use crate::kernel::request::school_db;

    /// The courses a viewer reviews, as scoped SQL (`SchoolDb`) over `{course}` with `?2`
    /// the viewer: every course for the owner, the assigned ones for a curator.
    pub const REVIEWABLE: &str = "({course} IN (SELECT id FROM @courses)
        AND (EXISTS (SELECT 1 FROM @users o WHERE o.id = ?2 AND o.role = 'owner')
             OR {course} IN (SELECT cc.course_id FROM @course_curators cc WHERE cc.user_id = ?2)))";

    pub fn reviewable(course_column: &str) -> String {
        REVIEWABLE.replace("{course}", course_column)
    }

    /// A team member who reviews: the owner, or a curator.
    pub fn reviewer() -> Result<(crate::kernel::request::RequestContext, i64, i64), AppError> {
        let ctx = ctx()?;
        let (school_id, user_id) = require_staff(&ctx.viewer, Permission::ReviewAssignments)?;
        Ok((ctx, school_id, user_id))
    }

    pub async fn load_reviews(status: &str, course: Option<i64>, page: i64) -> Result<Reviews, AppError> {
        let (_, school_id, user_id) = reviewer()?;
        let db = school_db(school_id)?;
        let status = if matches!(status, "pending" | "approved" | "returned" | "all") { status } else { "pending" };
        let results = db
            .batch(vec![
                db.stmt(
                    &format!(
                        "SELECT c.id, c.title, (SELECT COUNT(*) FROM @submissions s WHERE s.course_id = c.id AND s.status = 'pending') AS pending
                         FROM @courses c WHERE {} ORDER BY c.title",
                        reviewable("c.id")
                    ),
                    &[int(user_id)],
                )?,
                db.stmt(
                    &format!(
                        "SELECT s.id, s.course_id, c.title AS course_title, s.lesson_id, l.title AS lesson_title, u.email AS student_email, s.attempt,
                            s.answer_text, s.answer_link, s.status, s.comment, s.created_at,
                            (SELECT json_group_array(json_array(f.id, f.name, f.size)) FROM @files f WHERE f.submission_id = s.id AND f.use = 'answer') AS files_json
                         FROM @submissions s JOIN @courses c ON c.id = s.course_id
                         JOIN @lessons* l ON l.id = s.lesson_id
                         JOIN @users u ON u.id = s.user_id
                         WHERE s.kind = 'assignment' AND {}
                           AND (?3 = 'all' OR s.status = ?3) AND (?4 = 0 OR s.course_id = ?4)
                         ORDER BY s.created_at LIMIT ?5 OFFSET ?6",
                        reviewable("s.course_id")
                    ),
                    &[int(user_id), text(status), int(course.unwrap_or(0)), int(REVIEWS_PER_PAGE), int((page - 1) * REVIEWS_PER_PAGE)],
                )?,
                db.stmt(
                    &format!(
                        "SELECT COUNT(*) AS n FROM @submissions s WHERE s.kind = 'assignment' AND {} AND (?3 = 'all' OR s.status = ?3) AND (?4 = 0 OR s.course_id = ?4)",
                        reviewable("s.course_id")
                    ),
                    &[int(user_id), text(status), int(course.unwrap_or(0))],
                )?,
            ])
            .await?;
        let total = crate::kernel::db::rows::<serde_json::Value>(&results[2])?.first().and_then(|r| r["n"].as_i64()).unwrap_or(0);
        #[derive(Deserialize)]
        struct Item {
            #[serde(flatten)]
            item: ReviewItem,
            files_json: String,
        }
        // Each file through a URL signed for this reviewer, for minutes (like a lesson's).
        let ctx = ctx()?;
        let viewer = ctx.session_id.clone().unwrap_or_default();
        let french = ctx.viewer.locale == crate::kernel::i18n::Locale::Fr;
        let items: Vec<Item> = crate::kernel::db::rows(&results[1])?;
        let items = items
            .into_iter()
            .map(|Item { mut item, files_json }| {
                let files: Vec<(String, String, i64)> = serde_json::from_str(&files_json).unwrap_or_default();
                item.files = files
                    .into_iter()
                    .map(|(id, name, size)| (name, crate::features::media::rules::human_size(size.max(0) as u64, french), crate::features::media::server::signed_url(&ctx.config.pepper, &id, &viewer, ctx.now_ms)))
                    .collect();
                item
            })
            .collect();
        Ok(Reviews { courses: crate::kernel::db::rows(&results[0])?, items, page, pages: (total + REVIEWS_PER_PAGE - 1) / REVIEWS_PER_PAGE })
    }

    #[derive(Deserialize)]
    struct Target {
        status: crate::kernel::states::SubmissionStatus,
        email: String,
        student_id: i64,
        mail_off: String,
        locale: Option<String>,
        school_locale: String,
        lesson_id: i64,
        lesson_title: String,
        course_slug: String,
        course_title: String,
        course_id: i64,
        checkpoint: i64,
        next_lesson: Option<String>,
    }

    pub async fn review(id: &str, decision: &str, comment: &str, back: &str) -> Result<(), AppError> {
        let (ctx, school_id, user_id) = reviewer()?;
        let id = parse_id(id)?;
        let back = crate::kernel::next::safe_next(back).filter(|b| b.starts_with("/admin/")).unwrap_or("/admin/reviews");
        let comment = comment.trim();
        let decision = match decision {
            "approve" => Review::Approved,
            "return" => Review::Returned,
            _ => return Err(AppError::BadRequest("decision".into())),
        };
        let refuse = |code: &str| {
            redirect(&crate::kernel::url::with_error(back, code, &[]));
            Ok(())
        };
        if decision == Review::Returned && comment.is_empty() {
            return refuse("review_comment_required");
        }
        if comment.chars().count() > MAX_COMMENT_CHARS {
            return refuse("review_comment_too_long");
        }
        let sdb = school_db(school_id)?;
        let db = sdb.d1();
        let target: Option<Target> = sdb
            .first(
                &format!(
                    "SELECT s.status, u.email, u.id AS student_id, u.mail_off, u.locale, (SELECT default_locale FROM schools WHERE id = ?1) AS school_locale, s.lesson_id, l.title AS lesson_title, c.slug AS course_slug, c.title AS course_title, c.id AS course_id, l.checkpoint,
                        (SELECT n.title FROM @lessons n WHERE n.course_id = l.course_id AND n.status = 'published'
                           AND (n.position > l.position OR (n.position = l.position AND n.id > l.id)) ORDER BY n.position, n.id LIMIT 1) AS next_lesson
                     FROM @submissions s JOIN @users u ON u.id = s.user_id
                     JOIN @lessons* l ON l.id = s.lesson_id
                     JOIN @courses* c ON c.id = s.course_id
                     WHERE s.id = ?3 AND s.kind = 'assignment' AND {}",
                    reviewable("s.course_id")
                ),
                &[int(user_id), int(id)],
            )
            .await?;
        // Another course's submission is as absent as a missing one.
        let target = target.ok_or(AppError::NotFound)?;
        if target.status != crate::kernel::states::SubmissionStatus::Pending {
            return refuse("review_already_done");
        }
        let school = require_school(&ctx)?;
        let locale = target.locale.as_deref().or(Some(target.school_locale.as_str())).and_then(crate::kernel::i18n::Locale::parse).unwrap_or_default();
        // The email's link logs the student in (scanner-safe, like every link) and lands on
        // the answer: two taps from the email to the comment.
        let school_ref = crate::features::login::server::SchoolRef { id: school_id, slug: &school.slug, name: &school.name };
        let student = crate::kernel::email::Email::parse(&target.email).map_err(|_| AppError::Internal)?;
        let answer = format!("/courses/{}/lessons/{}#task", target.course_slug, target.lesson_id);
        let (login, request_id) = crate::features::login::server::issue_link_for_email(db, &ctx, &school_ref, target.student_id, &student, Some(&answer))?;
        let link = format!("{}/login/link/{}", ctx.config.school_url(&school.slug), crate::kernel::mail::LINK_PLACEHOLDER);
        let texts = crate::features::emails::server::load(&sdb, crate::features::emails::rules::MailKind::Review).await?;
        let mut email = review_email(locale, &school.name, &texts, &target, decision, comment, &link);
        email.login_request_id = Some(request_id);
        // Under the student's bell too, in their language.
        let note_key = if decision == Review::Approved { "note_review_approved" } else { "note_review_returned" };
        let title = crate::kernel::i18n::t(locale, note_key).replace("{lesson}", &target.lesson_title);
        let notice = crate::features::notifications::server::Notice { kind: crate::kernel::states::NotificationKind::Review, title: &title, body: comment, link: &answer };
        let mut writes = vec![crate::features::notifications::server::notify(&sdb, target.student_id, &notice, ctx.now_ms)?];
        // The email unless the student turned review emails off.
        let wants_email = !target.mail_off.split(',').any(|k| k == crate::kernel::states::NotificationKind::Review.as_str());
        if wants_email {
            writes.extend(login);
        }
        if wants_email {
            writes.push(crate::kernel::mail::enqueue(db, Some(school_id), &email, ctx.now_ms)?);
        }
        writes.extend(vec![
            // Only a pending one changes: two reviewers at once decide once.
            sdb.stmt(
                "UPDATE @submissions SET status = ?3, comment = ?4, reviewer_id = ?5, reviewed_at = ?6 WHERE id = ?2 AND status = 'pending'",
                &[int(id), text(decision.as_str()), text(comment), int(user_id), int(ctx.now_ms)],
            )?,
            // An approved answer completes its lesson: the student did the work.
            sdb.stmt(
                "INSERT OR IGNORE INTO @completions (user_id, lesson_id, completed_at)
                 SELECT s.user_id, s.lesson_id, ?3 FROM @submissions s WHERE s.id = ?2 AND s.status = 'approved'",
                &[int(id), int(ctx.now_ms)],
            )?,
        ]);
        sdb.batch(writes).await?;
        // An approval may be what finishes the student's course: their certificate then.
        if decision == Review::Approved {
            let issuer = crate::features::certificates::server::Issuer { now: ctx.now_ms, config: &ctx.config };
            crate::features::certificates::server::issue_if_finished(&sdb, &issuer, target.student_id, target.course_id).await?;
        }
        let sep = if back.contains('?') { '&' } else { '?' };
        redirect(&format!("{back}{sep}ok={}", if decision == Review::Approved { "review_approved" } else { "review_returned" }));
        Ok(())
    }

    /// The student's email in the school's words: `{{result}}` says what the decision means
    /// (and, past a checkpoint, which lesson it opens), `{{comment}}` the reviewer's words.
    #[allow(clippy::too_many_arguments)]
    fn review_email(locale: crate::kernel::i18n::Locale, school_name: &str, texts: &crate::features::emails::rules::SchoolTexts, target: &Target, decision: Review, comment: &str, link: &str) -> crate::kernel::mail::Email {
        use crate::kernel::i18n::t;
        let lead_key = if decision == Review::Approved { "mail_review_approved_lead" } else { "mail_review_returned_lead" };
        let mut result = t(locale, lead_key).replace("{lesson}", &target.lesson_title);
        if decision == Review::Approved && target.checkpoint != 0 {
            if let Some(next) = &target.next_lesson {
                result = format!("{result}\n{}", t(locale, "mail_review_next_open").replace("{lesson}", next));
            }
        }
        let comment = if comment.is_empty() { String::new() } else { format!("{}\n{comment}", t(locale, "mail_review_comment")) };
        let values = vec![
            ("school_name", school_name.to_string()),
            ("course_title", target.course_title.clone()),
            ("lesson_title", target.lesson_title.clone()),
            ("result", result),
            ("comment", comment),
            ("lesson_link", link.to_string()),
        ];
        crate::features::emails::compose::Letter { kind: crate::features::emails::rules::MailKind::Review, texts, values, footer: None }.compose(locale, &target.email, "review")
    }

    pub async fn save_curator_courses(user_id: &str, courses: HashMap<String, String>) -> Result<(), AppError> {
        let (_, school_id) = owner()?;
        let user_id = parse_id(user_id)?;
        let db = school_db(school_id)?;
        let member: Option<serde_json::Value> = db.first("SELECT role FROM @users WHERE id = ?2", &[int(user_id)]).await?;
        if member.as_ref().and_then(|m| m["role"].as_str()).map(Role::parse) != Some(Role::Curator) {
            return Err(AppError::NotFound);
        }
        let ids: Vec<i64> = courses.keys().filter_map(|k| k.parse().ok()).collect();
        let ids_json = serde_json::to_string(&ids).map_err(|_| AppError::Internal)?;
        db.batch(vec![
            db.stmt("DELETE FROM @course_curators WHERE user_id = ?2", &[int(user_id)])?,
            // Only this school's courses: ids from elsewhere are dropped.
            db.stmt(
                "INSERT OR IGNORE INTO @course_curators (course_id, user_id)
                 SELECT c.id, ?2 FROM json_each(?3) j CROSS JOIN @courses c WHERE c.id = j.value",
                &[int(user_id), text(&ids_json)],
            )?,
        ])
        .await?;
        redirect("/admin/team?ok=saved");
        Ok(())
    }

    /// Courses assigned to each curator of the school: (user, course).
    pub async fn curator_courses(db: &worker::D1Database, school_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
        #[derive(Deserialize)]
        struct Pair {
            user_id: i64,
            course_id: i64,
        }
        let pairs: Vec<Pair> = crate::kernel::db::SchoolDb::new(db, school_id).all("SELECT user_id, course_id FROM @course_curators", &[]).await?;
        Ok(pairs.into_iter().map(|p| (p.user_id, p.course_id)).collect())
    }
}
