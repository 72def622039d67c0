//! A lesson's task, the creator's side: make the lesson an assignment, a quiz or a survey,
//! with its settings and questions (checked by `tasks::rules`), or remove it. A checkpoint
//! is the lesson's flag the drip engine reads (`lessons.checkpoint`).

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TaskSettings {
    pub kind: String,
    pub prompt: String,
    pub answer_kind: String,
    pub review_required: bool,
    pub checkpoint: bool,
    pub pass_percent: i64,
    pub max_attempts: i64,
    /// The questions in the editor's text format (`tasks::rules::format_questions`).
    pub questions: String,
}

crate::kernel::page_data! {
    pub async fn load_task(course_id: i64, lesson_id: i64) -> Result<Option<TaskSettings>, AppError> {
        ssr_impl::load_task(course_id, lesson_id).await
    }
}

#[server(prefix = "/admin/api", endpoint = "save_task")]
#[allow(clippy::too_many_arguments)]
pub async fn save_task(
    course_id: String,
    lesson_id: String,
    kind: String,
    prompt: Option<String>,
    answer_kind: Option<String>,
    review_required: Option<String>,
    checkpoint: Option<String>,
    pass_percent: Option<String>,
    max_attempts: Option<String>,
    questions: Option<String>,
) -> Result<(), AppError> {
    send(async move {
        let form = ssr_impl::TaskForm {
            kind,
            prompt: prompt.unwrap_or_default(),
            answer_kind: answer_kind.unwrap_or_default(),
            review_required: review_required.is_some(),
            checkpoint: checkpoint.is_some(),
            pass_percent: pass_percent.unwrap_or_default(),
            max_attempts: max_attempts.unwrap_or_default(),
            questions: questions.unwrap_or_default(),
        };
        ssr_impl::save_task(&course_id, &lesson_id, form).await
    })
    .await
}

#[server(prefix = "/admin/api", endpoint = "remove_task")]
pub async fn remove_task(course_id: String, lesson_id: String) -> Result<(), AppError> {
    send(async move { ssr_impl::remove_task(&course_id, &lesson_id).await }).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr_impl {
    use super::*;
    use crate::features::tasks::rules::{format_questions, parse_questions, AnswerKind, Question, TaskKind, MAX_COMMENT_CHARS};
    use crate::kernel::db::{int, text};
    use crate::kernel::request::school_db;

    pub struct TaskForm {
        pub kind: String,
        pub prompt: String,
        pub answer_kind: String,
        pub review_required: bool,
        pub checkpoint: bool,
        pub pass_percent: String,
        pub max_attempts: String,
        pub questions: String,
    }

    #[derive(Deserialize)]
    struct Row {
        kind: String,
        prompt: String,
        answer_kind: String,
        review_required: i64,
        pass_percent: i64,
        max_attempts: i64,
        questions_json: String,
        checkpoint: i64,
    }

    pub async fn load_task(course_id: i64, lesson_id: i64) -> Result<Option<TaskSettings>, AppError> {
        let (_, school_id) = owner()?;
        let row: Option<Row> = school_db(school_id)?
            .first(
                "SELECT t.kind, t.prompt, t.answer_kind, t.review_required, t.pass_percent, t.max_attempts, t.questions_json, l.checkpoint
                 FROM @lesson_tasks t JOIN @lessons l ON l.id = t.lesson_id
                 WHERE t.lesson_id = ?2 AND l.course_id = ?3",
                &[int(lesson_id), int(course_id)],
            )
            .await?;
        Ok(row.map(|r| TaskSettings {
            questions: format_questions(&serde_json::from_str::<Vec<Question>>(&r.questions_json).unwrap_or_default()),
            kind: r.kind,
            prompt: r.prompt,
            answer_kind: r.answer_kind,
            review_required: r.review_required != 0,
            checkpoint: r.checkpoint != 0,
            pass_percent: r.pass_percent,
            max_attempts: r.max_attempts,
        }))
    }

    /// A number field: empty is `default`, anything else must be within `range`.
    fn number(raw: &str, default: i64, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
        match raw.trim() {
            "" => Some(default),
            v => v.parse::<i64>().ok().filter(|n| range.contains(n)),
        }
    }

    pub async fn save_task(course_id: &str, lesson_id: &str, form: TaskForm) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let (course_id, lesson_id) = (parse_id(course_id)?, parse_id(lesson_id)?);
        let page = format!("/admin/courses/{course_id}/lessons/{lesson_id}");
        let back = |code: &str, line: Option<usize>| {
            let keep = if form.questions.len() <= 1500 { form.questions.as_str() } else { "" };
            let line = line.map(|l| l.to_string()).unwrap_or_default();
            redirect(&format!("{}#task", crate::kernel::url::with_error(&page, code, &[("task_kind", form.kind.as_str()), ("questions", keep), ("line", &line)])));
            Ok(())
        };
        let Some(kind) = TaskKind::parse(&form.kind) else { return back("task_kind_unknown", None) };
        if form.prompt.chars().count() > MAX_COMMENT_CHARS {
            return back("task_prompt_too_long", None);
        }
        let questions = match kind {
            TaskKind::Assignment => vec![],
            _ => match parse_questions(&form.questions, kind) {
                Ok(q) => q,
                Err(e) => return back(e.code, Some(e.line)),
            },
        };
        let Some(pass_percent) = number(&form.pass_percent, 0, 0..=100) else { return back("pass_percent_invalid", None) };
        let Some(max_attempts) = number(&form.max_attempts, 0, 0..=100) else { return back("max_attempts_invalid", None) };
        // A survey has nothing to approve: it cannot hold lessons back.
        let checkpoint = form.checkpoint && kind != TaskKind::Survey;
        let db = school_db(school_id)?;
        let lesson: Option<serde_json::Value> = db.first("SELECT l.id FROM @lessons l JOIN @courses c ON c.id = l.course_id WHERE l.id = ?2 AND l.course_id = ?3", &[int(lesson_id), int(course_id)]).await?;
        lesson.ok_or(AppError::NotFound)?;
        let questions_json = serde_json::to_string(&questions).map_err(|_| AppError::Internal)?;
        db.batch(vec![
                db.stmt(
                    "INSERT INTO @lesson_tasks (lesson_id, kind, prompt, answer_kind, review_required, pass_percent, max_attempts, questions_json, updated_at)
                     VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                     ON CONFLICT (lesson_id) DO UPDATE SET kind = excluded.kind, prompt = excluded.prompt, answer_kind = excluded.answer_kind,
                        review_required = excluded.review_required, pass_percent = excluded.pass_percent, max_attempts = excluded.max_attempts,
                        questions_json = excluded.questions_json, updated_at = excluded.updated_at
                     WHERE lesson_tasks.school_id = excluded.school_id",
                    &[
                        int(lesson_id),
                        text(kind.as_str()),
                        text(form.prompt.trim()),
                        text(AnswerKind::parse(&form.answer_kind).as_str()),
                        int((kind == TaskKind::Assignment && form.review_required) as i64),
                        int(if kind == TaskKind::Quiz { pass_percent } else { 0 }),
                        int(if kind == TaskKind::Quiz { max_attempts } else { 0 }),
                        text(&questions_json),
                        int(ctx.now_ms),
                    ],
                )?,
                db.stmt("UPDATE @lessons SET checkpoint = ?3, updated_at = ?4 WHERE id = ?2", &[int(lesson_id), int(checkpoint as i64), int(ctx.now_ms)])?,
            ])
            .await?;
        redirect(&format!("{page}?ok=saved#task"));
        Ok(())
    }

    /// The answers already given stay (reports keep them); the lesson stops asking.
    pub async fn remove_task(course_id: &str, lesson_id: &str) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let (course_id, lesson_id) = (parse_id(course_id)?, parse_id(lesson_id)?);
        let db = school_db(school_id)?;
        db.batch(vec![
            db.stmt("DELETE FROM @lesson_tasks WHERE lesson_id = (SELECT id FROM @lessons* l WHERE l.id = ?2 AND l.course_id = ?3)", &[int(lesson_id), int(course_id)])?,
            db.stmt("UPDATE @lessons* SET checkpoint = 0, updated_at = ?4 WHERE id = ?2 AND course_id = ?3", &[int(lesson_id), int(course_id), int(ctx.now_ms)])?,
        ])
        .await?;
        redirect(&format!("/admin/courses/{course_id}/lessons/{lesson_id}?ok=saved#task"));
        Ok(())
    }
}
