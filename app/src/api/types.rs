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
    /// IANA zone: times shown to people are in the school's zone.
    pub time_zone: String,
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
    /// The form token every POST form carries (see `components::post_form`).
    pub csrf: String,
    /// The request's time (the test clock in dev): "2 minutes ago", "retry at 10:57".
    pub now_ms: i64,
    /// The app whose built-in browser this is, and the i18n key of its "open in your
    /// browser" steps.
    pub in_app: Option<(String, String)>,
}

impl Viewer {
    /// The zone times are shown in: the school's, or UTC on the platform site.
    pub fn time_zone(&self) -> &str {
        self.school.as_ref().map(|s| s.time_zone.as_str()).unwrap_or("UTC")
    }
    pub fn is_owner(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Owner)
    }
    /// A member of the school's team (owner, assistant, curator): the admin is theirs.
    pub fn is_team(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.is_team())
    }
    pub fn may(&self, p: crate::domain::access::Permission) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.may(p))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseCard {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub cover_url: String,
    /// Lessons released to this student so far (open now, or done): what progress counts.
    pub released_lessons: i64,
    pub completed_lessons: i64,
    pub access_end: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonLink {
    pub id: i64,
    pub title: String,
    pub status: Status,
    pub completed: bool,
    /// Not readable now (drip): shown without a link.
    pub locked: bool,
    /// A trial lesson: readable by anyone while it and its course are published.
    pub trial: bool,
    /// "Opens Tue 3 Mar at 09:00, Paris time", "closes in 5 hours"...: when or why.
    pub note: Option<String>,
    /// The module heading it sits under (program shown by modules), and its length.
    pub module: String,
    pub duration_minutes: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoursePage {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub cover_url: String,
    /// The author ("public person") and the banner above the program (sanitized HTML).
    pub author_name: String,
    pub author_bio: String,
    pub banner_html: String,
    pub status: Status,
    pub enrolled: bool,
    pub preview: bool,
    pub lessons: Vec<LessonLink>,
    /// Program display: lessons under their module headings; durations shown.
    pub by_modules: bool,
    pub show_durations: bool,
    pub progress_percent: u8,
    /// Access ended: when, and whom to ask.
    pub expired_note: Option<String>,
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
    /// Read as a trial lesson by someone without access to the course: no progress, no
    /// navigation, a call to action instead.
    pub trial_visitor: bool,
    pub previous: Option<LessonLink>,
    pub next: Option<LessonLink>,
    pub position: usize,
    pub total: usize,
    /// What the lesson asks of its student (assignment, quiz, survey), with their answers.
    pub task: Option<TaskView>,
    /// Not readable now by this enrolled student: why and until when ("Opens Tue 3 Mar at
    /// 09:00, Paris time"). The page then has no content and no task.
    pub locked: Option<String>,
}

/// A quiz or survey question as a student sees it: the right answers stay on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentQuestion {
    pub text: String,
    pub multiple: bool,
    pub points: u32,
    pub choices: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskView {
    /// assignment | quiz | survey
    pub kind: String,
    pub prompt: String,
    /// assignment: text | link | either
    pub answer_kind: String,
    pub review_required: bool,
    pub checkpoint: bool,
    pub pass_percent: u32,
    pub questions: Vec<StudentQuestion>,
    /// The latest answer, if any.
    pub latest: Option<SubmissionView>,
    /// May send (again) now.
    pub may_submit: bool,
    pub attempts_used: u32,
    /// `None`: unlimited.
    pub attempts_left: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmissionView {
    /// pending | approved | returned (assignment); approved | failed (quiz); answered (survey)
    pub status: String,
    pub attempt: u32,
    pub answer_text: String,
    pub answer_link: String,
    pub comment: String,
    pub score: Option<u32>,
    pub max_score: Option<u32>,
    /// Quiz: which questions were right (not which answers are).
    pub right: Vec<bool>,
    pub created_at: i64,
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
    pub access_mode: String,
    pub cohort_start: Option<i64>,
    pub access_days: Option<i64>,
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
    pub schedule: LessonSchedule,
    pub module: String,
    pub duration_minutes: Option<i64>,
}

/// A lesson's drip rule as stored and as the form shows it.
pub type LessonSchedule = crate::domain::drip::RuleColumns;

pub fn format_date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// What the link page may say, without consuming anything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LinkState {
    Live {
        masked_email: String,
        /// "iPhone · Safari": the browser that asked, when it was a "send me a code".
        requested_from: Option<String>,
        requested_at: i64,
        /// This browser is the one that asked: no "also log in on that device" choice.
        same_browser: bool,
    },
    Used { masked_email: String, logged_in_here: bool },
    Expired { masked_email: String },
    Unknown,
}

/// Where the browser that asked stands, for the waiting page (read only: polled by GET).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WaitStatus {
    /// Nothing confirmed yet.
    Waiting,
    /// Confirmed elsewhere with "also log in on that device": this browser may finish.
    Approved,
    /// Confirmed elsewhere for that device only, used, or expired: type the code instead.
    Closed,
    /// This browser is logged in (confirmed here, in another tab).
    LoggedIn,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub email: String,
    pub created_at: i64,
    pub last_sent_at: i64,
    pub sent_count: i64,
    pub expires_at: i64,
    pub status: WaitStatus,
}


/// One of the viewer's active sessions, for "where am I logged in".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: String,
    pub device: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountPage {
    pub email: String,
    pub sessions: Vec<SessionInfo>,
    pub digest_on: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentRow {
    pub id: i64,
    pub email: String,
    pub courses: i64,
    pub last_login_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentEnrollment {
    pub id: i64,
    pub course_title: String,
    pub access_start: i64,
    pub access_end: Option<i64>,
    pub status: String,
    pub shift_days: i64,
    pub release_all: bool,
    /// The course's published lessons, for "unlock one lesson".
    pub lessons: Vec<(i64, String)>,
    pub unlocked: Vec<i64>,
}

/// A row of the login timeline on a student's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: i64,
    pub kind: String,
    pub device: String,
    pub ip: String,
    pub detail: String,
    pub likely_scanner: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentPage {
    pub id: i64,
    pub email: String,
    pub status: String,
    pub last_login_at: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub locale: Option<String>,
    /// The creator's note (never shown to the student).
    pub note: String,
    pub active_sessions: i64,
    pub enrollments: Vec<StudentEnrollment>,
    pub timeline: Vec<TimelineEntry>,
    pub emails: Vec<SentEmail>,
    pub audit: Vec<AuditEntry>,
}

/// An email to a student and what became of it (pending, sent, failed; bounced when the
/// provider reports it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentEmail {
    pub subject: String,
    pub kind: String,
    pub status: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

/// One change to a student (import, bulk action, creator): what, when, from where, before/after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub action: String,
    pub detail: String,
    pub source: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolSettings {
    pub name: String,
    pub default_locale: String,
    pub unknown_email_policy: String,
    pub time_zone: String,
}

/// The creator's schedule of a course, for a chosen start, and a preview of what a student
/// (real or hypothetical) sees at a chosen time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchedulePage {
    pub course_id: i64,
    pub course_title: String,
    /// The start the dates are computed from (`YYYY-MM-DD`), and the preview time
    /// (`YYYY-MM-DDTHH:MM`), both in the school's time.
    pub start: String,
    pub at: String,
    pub student: Option<i64>,
    pub students: Vec<(i64, String)>,
    pub rows: Vec<ScheduleRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleRow {
    pub title: String,
    pub opens: String,
    pub closes: String,
    /// What the previewed student sees at the preview time.
    pub preview: String,
    pub preview_open: bool,
}
