//! Data that crosses from server to page (and into hydration data). Only what the viewer
//! may see: a locked or draft lesson's content never appears in these types' values.

use crate::domain::access::{Role, Status};
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolInfo {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

/// Who is looking, on which school, in which language. Resolved once per request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub school: Option<SchoolInfo>,
    pub user: Option<UserInfo>,
    pub locale: Locale,
    pub platform_url: String,
}

impl Viewer {
    pub fn is_owner(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Owner)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseCard {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub cover_url: String,
    pub published_lessons: i64,
    pub completed_lessons: i64,
    pub access_end: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonLink {
    pub id: i64,
    pub title: String,
    pub status: Status,
    pub completed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoursePage {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub cover_url: String,
    pub status: Status,
    pub enrolled: bool,
    pub preview: bool,
    pub lessons: Vec<LessonLink>,
    pub progress_percent: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonPage {
    pub course_slug: String,
    pub course_title: String,
    pub id: i64,
    pub title: String,
    /// Sanitized at save time.
    pub html: String,
    pub completed: bool,
    pub preview: bool,
    pub previous: Option<LessonLink>,
    pub next: Option<LessonLink>,
    pub position: usize,
    pub total: usize,
}

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
    pub lessons: Vec<AdminLessonRow>,
    pub students: Vec<AdminStudentRow>,
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
}

pub fn format_date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}
