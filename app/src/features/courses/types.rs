//! What this feature's pages receive from the server (compiled for both sides).

use crate::kernel::access::Status;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminCourseRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: Status,
    pub lessons: i64,
    pub students: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminLessonRow {
    pub id: i64,
    pub title: String,
    pub status: Status,
    pub position: i64,
    /// Its module's title ("" = none).
    #[serde(default)]
    pub module: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminStudentRow {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub access_end: Option<i64>,
    pub completed: i64,
    pub last_login_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminCourse {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub cover_url: String,
    pub status: Status,
    pub access_mode: String,
    pub cohort_start: Option<i64>,
    pub access_days: Option<i64>,
    pub lessons: Vec<AdminLessonRow>,
    /// The course's modules, in order (`course_modules`).
    #[serde(default)]
    pub modules: Vec<String>,
    /// The newest students (`COURSE_PAGE_STUDENTS`), and how many there are in all.
    pub students: Vec<AdminStudentRow>,
    #[serde(default)]
    pub student_count: i64,
    pub published_lessons: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminLesson {
    pub course_id: i64,
    pub course_title: String,
    pub id: i64,
    pub title: String,
    pub content_md: String,
    pub status: Status,
    pub schedule: LessonSchedule,
    pub module: String,
    pub duration_minutes: Option<i64>,
}

/// A lesson's drip rule as stored and as the form shows it.
pub type LessonSchedule = crate::features::drip::rules::RuleColumns;

pub fn format_date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

