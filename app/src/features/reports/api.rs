//! A course's report page: the matrix, the completion chart, assignments, quizzes and
//! surveys (`reports::server`). Owners and assistants read every course's, a curator the
//! courses assigned to them.

use crate::kernel::error::AppError;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportLesson {
    pub id: i64,
    pub title: String,
    /// assignment | quiz | survey | "" (none)
    pub task: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub email: String,
    pub name: String,
    /// Per lesson, in the lessons' order: completed at (ms).
    pub done: Vec<Option<i64>>,
    /// Per lesson: outside the student's offer.
    pub outside: Vec<bool>,
    /// Their offer's name ("" for the whole course).
    pub offer: String,
    pub percent: u8,
    /// Their certificate for the course (its id), if issued.
    #[serde(default)]
    pub certificate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentStats {
    pub lesson_id: i64,
    pub lesson_title: String,
    pub submitted: i64,
    pub pending: i64,
    pub approved: i64,
    pub returned: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizResult {
    pub email: String,
    pub lesson_title: String,
    pub attempts: i64,
    pub best_points: i64,
    pub max_points: i64,
    pub passed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyQuestionSummary {
    pub text: String,
    /// (choice, how many chose it); empty for a text question.
    pub counts: Vec<(String, i64)>,
    pub texts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveySummary {
    pub lesson_title: String,
    pub answers: i64,
    pub questions: Vec<SurveyQuestionSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseReport {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub lessons: Vec<ReportLesson>,
    pub students: i64,
    pub matrix: Vec<MatrixRow>,
    pub chart_svg: String,
    pub assignments: Vec<AssignmentStats>,
    pub quizzes: Vec<QuizResult>,
    pub surveys: Vec<SurveySummary>,
    /// The matrix's page (from 1) and how many there are (`MATRIX_PAGE_ROWS` students each).
    #[serde(default)]
    pub page: i64,
    #[serde(default)]
    pub pages: i64,
}


crate::kernel::page_data! {
    pub async fn load_report(course_id: i64, page: Option<i64>) -> Result<CourseReport, AppError> {
        let ctx = ctx()?;
        if ctx.viewer.user.is_none() {
            return Err(AppError::LoginRequired);
        }
        let db = crate::kernel::request::db()?;
        let school_id = crate::features::reports::server::may_read(&db, &ctx.viewer, course_id).await?.ok_or(AppError::Forbidden)?;
        crate::features::reports::server::load(&db, school_id, course_id, page.unwrap_or(1).max(1), ctx.now_ms, ctx.viewer.time_zone(), ctx.viewer.locale).await?.ok_or(AppError::NotFound)
    }
}
