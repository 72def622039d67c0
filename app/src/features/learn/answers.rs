//! The student's answers to a lesson's task: an assignment (text or link), a quiz attempt,
//! a survey. Only a student to whom the lesson is open now may answer; the rules (answer
//! checks, scoring, attempts, who may send again) are `tasks::rules`.

use crate::kernel::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[server(endpoint = "submit_assignment")]
pub async fn submit_assignment(slug: String, lesson_id: String, text: Option<String>, link: Option<String>) -> Result<(), AppError> {
    send(async move { ssr_impl::submit_assignment(&slug, &lesson_id, &text.unwrap_or_default(), &link.unwrap_or_default()).await }).await
}

/// `answers[q{i}]` (a radio's choice or a text) and `answers[q{i}_{c}]` (a ticked checkbox).
#[server(endpoint = "submit_quiz")]
pub async fn submit_quiz(slug: String, lesson_id: String, answers: Option<HashMap<String, String>>) -> Result<(), AppError> {
    send(async move { ssr_impl::submit_choices(&slug, &lesson_id, answers.unwrap_or_default(), crate::features::tasks::rules::TaskKind::Quiz).await }).await
}

#[server(endpoint = "submit_survey")]
pub async fn submit_survey(slug: String, lesson_id: String, answers: Option<HashMap<String, String>>) -> Result<(), AppError> {
    send(async move { ssr_impl::submit_choices(&slug, &lesson_id, answers.unwrap_or_default(), crate::features::tasks::rules::TaskKind::Survey).await }).await
}

/// Takes back a file attached for the next answer (a sent answer's files stay with it).
#[server(endpoint = "remove_answer_file")]
pub async fn remove_answer_file(slug: String, lesson_id: String, file_id: String) -> Result<(), AppError> {
    send(async move { ssr_impl::remove_answer_file(&slug, &lesson_id, &file_id).await }).await
}

/// The address a file for an answer is sent to (a multipart form with `file`).
pub fn answer_file_path(slug: &str, lesson_id: i64) -> String {
    format!("/courses/{slug}/lessons/{lesson_id}/answer_files")
}

/// `/courses/{slug}/lessons/{id}/answer_files` → (slug, lesson id).
pub fn parse_answer_file_path(path: &str) -> Option<(&str, i64)> {
    let rest = path.strip_prefix("/courses/")?.strip_suffix("/answer_files")?;
    let (slug, lesson) = rest.split_once("/lessons/")?;
    (!slug.is_empty() && !slug.contains('/')).then_some((slug, lesson.parse().ok()?))
}

#[cfg(feature = "ssr")]
pub mod ssr_impl {
    use super::*;
    use crate::features::learn::api::ssr_impl::{load, SubmissionRow, TaskRow};
    use crate::features::tasks::types::{StudentQuestion, SubmissionView, TaskView};
    use crate::features::tasks::rules::{self as tasks, AnswerKind, Given, Question, Review, TaskKind};
    use crate::kernel::db::{int, text};

    pub fn questions_of(t: &TaskRow) -> Vec<Question> {
        serde_json::from_str(&t.questions_json).unwrap_or_default()
    }

    /// What the lesson page shows of the task: questions without their right answers, the
    /// latest answer, and whether the student may answer (again).
    pub fn task_view(t: &TaskRow, submissions: &[SubmissionRow]) -> TaskView {
        let kind = TaskKind::parse(&t.kind).unwrap_or(TaskKind::Assignment);
        let questions = questions_of(t);
        let latest = submissions.first();
        // Attempts are numbered 1, 2, … per student and lesson: the latest number is the count
        // (the page reads only the latest answers).
        let attempts_used = latest.map(|s| s.attempt.max(0) as u32).unwrap_or(0);
        let may_submit = match kind {
            TaskKind::Assignment => tasks::may_submit(latest.and_then(|s| Review::parse(s.status.as_str()))),
            TaskKind::Quiz => tasks::may_attempt(attempts_used, t.max_attempts.max(0) as u32, submissions.iter().any(|s| s.status == crate::kernel::states::SubmissionStatus::Approved)),
            TaskKind::Survey => latest.is_none(),
        };
        TaskView {
            kind: kind.as_str().to_string(),
            prompt: t.prompt.clone(),
            answer_kind: t.answer_kind.clone(),
            review_required: t.review_required != 0,
            checkpoint: t.checkpoint != 0,
            pass_percent: t.pass_percent.max(0) as u32,
            questions: questions.iter().map(|q| StudentQuestion { text: q.text.clone(), multiple: q.multiple, points: q.points, choices: q.choices.iter().map(|c| c.text.clone()).collect() }).collect(),
            latest: latest.map(|s| {
                let given: Vec<Given> = serde_json::from_str(&s.answers_json).unwrap_or_default();
                SubmissionView {
                    status: s.status.to_string(),
                    attempt: s.attempt.max(0) as u32,
                    answer_text: s.answer_text.clone(),
                    answer_link: s.answer_link.clone(),
                    comment: s.comment.clone(),
                    score: s.score.map(|v| v.max(0) as u32),
                    max_score: s.max_score.map(|v| v.max(0) as u32),
                    right: if kind == TaskKind::Quiz { questions.iter().zip(&given).map(|(q, g)| tasks::question_right(q, g)).collect() } else { vec![] },
                    created_at: s.created_at,
                    files: vec![],
                }
            }),
            may_submit,
            attempts_used,
            attempts_left: (kind == TaskKind::Quiz).then(|| tasks::attempts_left(attempts_used, t.max_attempts.max(0) as u32)).flatten(),
            draft_files: vec![],
        }
    }

    /// The lesson, its task and the student: only a student to whom the lesson is open now.
    async fn answering(slug: &str, lesson_id: &str, kind: TaskKind) -> Result<(crate::kernel::request::RequestContext, crate::features::learn::api::ssr_impl::Bundle, i64, i64, TaskRow), AppError> {
        let lesson_id = parse_id(lesson_id)?;
        let (ctx, b) = load(slug, Some(lesson_id)).await?;
        let user = ctx.viewer.user.clone().ok_or(AppError::LoginRequired)?;
        if b.preview || !b.open_to_student(lesson_id, ctx.now_ms, ctx.viewer.time_zone()) {
            return Err(AppError::NotAvailable);
        }
        let task = b.task.clone().filter(|t| t.kind == kind.as_str()).ok_or(AppError::NotAvailable)?;
        Ok((ctx, b, user.id, lesson_id, task))
    }

    fn lesson_page(slug: &str, lesson_id: i64) -> String {
        format!("/courses/{slug}/lessons/{lesson_id}")
    }

    fn insert(sdb: &crate::kernel::db::SchoolDb, course_id: i64, lesson_id: i64, user_id: i64, kind: TaskKind, attempt: i64, fields: Insert, now: i64) -> Result<worker::D1PreparedStatement, AppError> {
        // The attempt number is unique per (lesson, student): a double post writes once.
        sdb.stmt(
            "INSERT OR IGNORE INTO @submissions (course_id, lesson_id, user_id, kind, attempt, answer_text, answer_link, answers_json, score, max_score, status, created_at)
             VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            &[
                int(course_id),
                int(lesson_id),
                int(user_id),
                text(kind.as_str()),
                int(attempt),
                text(&fields.text),
                text(&fields.link),
                text(&fields.answers_json),
                crate::kernel::db::opt_int(fields.score),
                crate::kernel::db::opt_int(fields.max_score),
                text(fields.status),
                int(now),
            ],
        )
    }

    struct Insert {
        text: String,
        link: String,
        answers_json: String,
        score: Option<i64>,
        max_score: Option<i64>,
        status: &'static str,
    }

    pub async fn submit_assignment(slug: &str, lesson_id: &str, answer_text: &str, link: &str) -> Result<(), AppError> {
        let (ctx, b, user_id, lesson_id, task) = answering(slug, lesson_id, TaskKind::Assignment).await?;
        let page = lesson_page(slug, lesson_id);
        if !tasks::may_submit(b.submissions.first().and_then(|s| Review::parse(s.status.as_str()))) {
            redirect(&format!("{}#task", crate::kernel::url::with_error(&page, "answer_already_sent", &[])));
            return Ok(());
        }
        let drafts = b.answer_drafts();
        let answer = match tasks::Answer::parse(AnswerKind::parse(&task.answer_kind), answer_text, link, drafts) {
            Ok(a) => a,
            Err(code) => {
                let keep = if answer_text.len() <= 1500 { answer_text } else { "" };
                redirect(&format!("{}#task", crate::kernel::url::with_error(&page, code, &[("answer", keep), ("link", link)])));
                return Ok(());
            }
        };
        let status = tasks::status_on_submit(task.review_required != 0);
        let sdb = crate::kernel::request::school_db(require_school(&ctx)?.id)?;
        let attempt = b.submissions.first().map(|s| s.attempt).unwrap_or(0) + 1;
        let fields = Insert { text: answer.text, link: answer.link, answers_json: "[]".into(), score: None, max_score: None, status: status.as_str() };
        let mut writes = vec![insert(&sdb, b.course.id, lesson_id, user_id, TaskKind::Assignment, attempt, fields, ctx.now_ms)?];
        // The files attached before sending go with this answer.
        if drafts > 0 {
            writes.push(sdb.stmt(
                "UPDATE @files SET submission_id = (SELECT s.id FROM @submissions s WHERE s.lesson_id = ?2 AND s.user_id = ?3 AND s.attempt = ?4)
                 WHERE lesson_id = ?2 AND owner_id = ?3 AND use = 'answer' AND submission_id IS NULL",
                &[int(lesson_id), int(user_id), int(attempt)],
            )?);
        }
        if status == Review::Pending {
            writes.push(review_request(sdb.d1(), &ctx, &b, lesson_id)?);
            writes.push(review_request_notice(sdb.d1(), &ctx, &b, lesson_id)?);
        } else {
            writes.push(crate::features::learn::api::ssr_impl::completion(&sdb, user_id, lesson_id, ctx.now_ms)?);
        }
        sdb.batch(writes).await?;
        if status != Review::Pending && b.finished(Some(lesson_id), true) {
            crate::features::learn::api::ssr_impl::finish(&sdb, &ctx, user_id, b.course.id).await?;
            redirect(&format!("/courses/{slug}/completed"));
            return Ok(());
        }
        redirect(&format!("{page}?ok={}#task", if status == Review::Pending { "answer_sent" } else { "answer_accepted" }));
        Ok(())
    }

    /// A file for the student's next answer to an assignment (only while they may answer):
    /// checked and stored as a draft, sent with the answer. Where to go next.
    pub async fn add_answer_file(slug: &str, lesson_id: i64, name: &str, bytes: &[u8]) -> Result<String, AppError> {
        use crate::features::media::rules::{human_size, Use};
        let (ctx, b, user_id, lesson_id, _) = answering(slug, &lesson_id.to_string(), TaskKind::Assignment).await?;
        let page = lesson_page(slug, lesson_id);
        if !tasks::may_submit(b.submissions.first().and_then(|s| Review::parse(s.status.as_str()))) {
            return Ok(format!("{}#task", crate::kernel::url::with_error(&page, "answer_already_sent", &[])));
        }
        if b.answer_drafts() >= tasks::MAX_ANSWER_FILES {
            return Ok(format!("{}#task", crate::kernel::url::with_error(&page, "answer_files_too_many", &[])));
        }
        let school = require_school(&ctx)?;
        let sdb = crate::kernel::request::school_db(school.id)?;
        let bucket = crate::kernel::request::env()?.bucket(crate::features::media::server::BUCKET)?;
        let upload = crate::features::media::server::Upload { use_: Use::Answer, name, bytes, owner_id: user_id, course_id: Some(b.course.id), lesson_id: Some(lesson_id), submission_id: None };
        let french = ctx.viewer.locale == crate::kernel::i18n::Locale::Fr;
        Ok(match crate::features::media::server::store(&bucket, &sdb, &upload, ctx.now_ms).await? {
            Ok(_) => format!("{page}?ok=answer_file_added#task"),
            Err(refused) => {
                let figures: Vec<(&str, String)> = match refused {
                    crate::features::media::rules::Refusal::TooBig { size, limit } => vec![("size", human_size(size, french)), ("limit", human_size(limit, french))],
                    crate::features::media::rules::Refusal::Quota { .. } => return Ok(format!("{}#task", crate::kernel::url::with_error(&page, "answer_file_no_room", &[]))),
                    _ => vec![],
                };
                let figures: Vec<(&str, &str)> = figures.iter().map(|(k, v)| (*k, v.as_str())).collect();
                format!("{}#task", crate::kernel::url::with_error(&page, refused.key(), &figures))
            }
        })
    }

    pub async fn remove_answer_file(slug: &str, lesson_id: &str, file_id: &str) -> Result<(), AppError> {
        let (ctx, _, user_id, lesson_id, _) = answering(slug, lesson_id, TaskKind::Assignment).await?;
        let sdb = crate::kernel::request::school_db(require_school(&ctx)?.id)?;
        let draft: Option<serde_json::Value> = sdb
            .first("SELECT f.id FROM @files f WHERE f.id = ?2 AND f.owner_id = ?3 AND f.lesson_id = ?4 AND f.use = 'answer' AND f.submission_id IS NULL", &[text(file_id.trim()), int(user_id), int(lesson_id)])
            .await?;
        if draft.is_some() {
            let bucket = crate::kernel::request::env()?.bucket(crate::features::media::server::BUCKET)?;
            crate::features::media::server::remove(&bucket, &sdb, &[file_id.trim().to_string()], ctx.now_ms).await?;
        }
        redirect(&format!("{}?ok=answer_file_removed#task", lesson_page(slug, lesson_id)));
        Ok(())
    }

    /// "An answer to review": to the course's curators, or to the owner when it has none, in
    /// each one's language; the link opens the reviews of that course.
    fn review_request(db: &worker::D1Database, ctx: &crate::kernel::request::RequestContext, b: &crate::features::learn::api::ssr_impl::Bundle, lesson_id: i64) -> Result<worker::D1PreparedStatement, AppError> {
        use crate::kernel::i18n::{t, Locale};
        let school = require_school(ctx)?;
        let (course_title, lesson_title) = b.titles(lesson_id);
        let link = format!("{}/admin/reviews?course={}", ctx.config.school_url(&school.slug), b.course.id);
        let student = ctx.viewer.user.as_ref().map(|u| u.email.clone()).unwrap_or_default();
        let escape = crate::kernel::html::escape;
        let texts = |locale: Locale| {
            let subject = format!("{} – {lesson_title}", t(locale, "mail_review_request_subject"));
            let lead = t(locale, "mail_review_request_lead").replace("{student}", &student).replace("{lesson}", &lesson_title).replace("{course}", &course_title);
            let text = format!("{lead}\n\n{link}\n\n{}", school.name);
            let html = crate::kernel::mail::document(locale, &subject, &format!("<p>{}</p><p><a href=\"{}\">{}</a></p><p>{}</p>", escape(&lead), escape(&link), escape(t(locale, "reviews")), escape(&school.name)));
            (subject, text, html)
        };
        let (fr, en) = (texts(Locale::Fr), texts(Locale::En));
        crate::kernel::db::SchoolDb::new(db, school.id).stmt(
            &format!(
                "INSERT INTO @outbox (to_addr, subject, text_body, html_body, kind, status, next_attempt_at, created_at)
                 SELECT u.email,
                    CASE WHEN COALESCE(u.locale, s.default_locale) = 'en' THEN ?4 ELSE ?3 END,
                    CASE WHEN COALESCE(u.locale, s.default_locale) = 'en' THEN ?6 ELSE ?5 END,
                    CASE WHEN COALESCE(u.locale, s.default_locale) = 'en' THEN ?8 ELSE ?7 END,
                    'review_request', 'pending', ?9, ?9
                 FROM @users u JOIN schools s ON s.id = u.school_id
                 -- Only when the answer was written (the batch's previous statement): a double post
                 -- announces once.
                 WHERE changes() > 0 AND {REVIEWERS}"
            ),
            &[int(b.course.id), text(&fr.0), text(&en.0), text(&fr.1), text(&en.1), text(&fr.2), text(&en.2), int(ctx.now_ms)],
        )
    }

    /// Who reviews a course's answers (`?2`: the course): its active curators, or the owner
    /// when it has none.
    const REVIEWERS: &str = "u.status = 'active' AND (
        (u.role = 'curator' AND u.id IN (SELECT cc.user_id FROM @course_curators cc WHERE cc.course_id = ?2))
        OR (u.role = 'owner' AND NOT EXISTS (SELECT 1 FROM @course_curators cc JOIN @users cu ON cu.id = cc.user_id AND cu.role = 'curator' AND cu.status = 'active'
                                             WHERE cc.course_id = ?2)))";

    /// "An answer to review" under the reviewers' bells, each in their language (right
    /// after the email: written when it was, so a double post announces once).
    fn review_request_notice(db: &worker::D1Database, ctx: &crate::kernel::request::RequestContext, b: &crate::features::learn::api::ssr_impl::Bundle, lesson_id: i64) -> Result<worker::D1PreparedStatement, AppError> {
        use crate::kernel::i18n::{t, Locale};
        let school = require_school(ctx)?;
        let (_, lesson_title) = b.titles(lesson_id);
        let student = ctx.viewer.user.as_ref().map(|u| u.email.clone()).unwrap_or_default();
        let title = |locale: Locale| t(locale, "note_answer_waiting").replace("{student}", &student).replace("{lesson}", &lesson_title);
        crate::kernel::db::SchoolDb::new(db, school.id).stmt(
            &format!(
                "INSERT INTO @notifications (user_id, kind, title, link, created_at)
                 SELECT u.id, 'answer', CASE WHEN COALESCE(u.locale, s.default_locale) = 'en' THEN ?4 ELSE ?3 END, ?5, ?6
                 FROM @users u JOIN schools s ON s.id = u.school_id
                 WHERE changes() > 0 AND {REVIEWERS}"
            ),
            &[int(b.course.id), text(&title(Locale::Fr)), text(&title(Locale::En)), text(&format!("/admin/reviews?course={}", b.course.id)), int(ctx.now_ms)],
        )
    }

    /// The form's `answers[...]` as (question field, value) pairs: `q1_2` (a checkbox) is a
    /// value of `q1`.
    fn fields(answers: HashMap<String, String>) -> Vec<(String, String)> {
        answers.into_iter().map(|(k, v)| (k.split('_').next().unwrap_or("").to_string(), v)).collect()
    }

    pub async fn submit_choices(slug: &str, lesson_id: &str, answers: HashMap<String, String>, kind: TaskKind) -> Result<(), AppError> {
        let (ctx, b, user_id, lesson_id, task) = answering(slug, lesson_id, kind).await?;
        let page = lesson_page(slug, lesson_id);
        let questions = questions_of(&task);
        let view = task_view(&task, &b.submissions);
        if !view.may_submit {
            redirect(&format!("{}#task", crate::kernel::url::with_error(&page, if kind == TaskKind::Quiz { "quiz_no_attempt_left" } else { "answer_already_sent" }, &[])));
            return Ok(());
        }
        let given = tasks::answers_from_form(&questions, &fields(answers));
        if let Some(i) = tasks::first_unanswered(&questions, &given) {
            redirect(&format!("{}#task", crate::kernel::url::with_error(&page, "question_unanswered", &[("question", &(i + 1).to_string())])));
            return Ok(());
        }
        let answers_json = serde_json::to_string(&given).map_err(|_| AppError::Internal)?;
        let (fields, ok) = match kind {
            TaskKind::Quiz => {
                let score = tasks::score(&questions, &given);
                let passed = score.passes(task.pass_percent.max(0) as u32);
                // Passing is the approval: a checkpoint quiz opens what follows at once.
                let status = if passed { "approved" } else { "failed" };
                (Insert { text: String::new(), link: String::new(), answers_json, score: Some(score.points as i64), max_score: Some(score.max as i64), status }, if passed { "quiz_passed" } else { "quiz_failed" })
            }
            _ => (Insert { text: String::new(), link: String::new(), answers_json, score: None, max_score: None, status: "answered" }, "survey_thanks"),
        };
        let sdb = crate::kernel::request::school_db(require_school(&ctx)?.id)?;
        let attempt = b.submissions.first().map(|s| s.attempt).unwrap_or(0) + 1;
        // A passed quiz completes its lesson.
        let passed = fields.status == "approved";
        let mut writes = vec![insert(&sdb, b.course.id, lesson_id, user_id, kind, attempt, fields, ctx.now_ms)?];
        if passed {
            writes.push(crate::features::learn::api::ssr_impl::completion(&sdb, user_id, lesson_id, ctx.now_ms)?);
        }
        sdb.batch(writes).await?;
        // A passed quiz may finish the course (the checkpoint it is counts as passed now).
        if passed && b.finished(Some(lesson_id), true) {
            crate::features::learn::api::ssr_impl::finish(&sdb, &ctx, user_id, b.course.id).await?;
            redirect(&format!("/courses/{slug}/completed"));
            return Ok(());
        }
        redirect(&format!("{page}?ok={ok}#task"));
        Ok(())
    }
}
