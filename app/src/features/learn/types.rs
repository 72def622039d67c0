//! What this feature's pages receive from the server (compiled for both sides).

use crate::kernel::access::Status;
use crate::features::tasks::types::TaskView;
use serde::{Deserialize, Serialize};

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
    /// Access that starts later: when.
    #[serde(default)]
    pub access_start: Option<i64>,
    /// In progress: where "continue" leads.
    #[serde(default)]
    pub next_lesson: Option<ContinueLink>,
    /// Finished: the certificate's id, if the course gave one.
    #[serde(default)]
    pub certificate: Option<String>,
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
    /// The open offers, for visitors and students not enrolled.
    pub offers: Vec<crate::features::offers::types::OfferCard>,
    /// The owner previews the course as a student of this offer.
    pub previewing_offer: Option<String>,
    /// For an enrolled student: where "continue" leads.
    pub continue_to: Option<ContinueLink>,
    /// The student finished the course: the way to the congratulations and certificate.
    #[serde(default)]
    pub finished: bool,
}

/// "Continue where you left off" (or "Start the course"): the lesson, and in its video where
/// the student was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContinueLink {
    pub href: String,
    pub title: String,
    /// The student opened a lesson before ("continue"), or not yet ("start").
    pub started: bool,
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
    /// Locked because the student's offer leaves it out: the way on is the course's offers.
    pub outside_offer: bool,
    /// Files to download (only when the lesson is readable).
    pub files: Vec<DownloadLink>,
    /// The course's program for the player's lesson list (drawer on a phone, sidebar on a
    /// desktop), and the progress over released lessons.
    pub program: Vec<LessonLink>,
    pub progress_percent: u8,
    /// The lesson right after this one is locked: its title and when it opens.
    pub next_locked: Option<LessonLink>,
    /// The student finished the course: the way to the congratulations and certificate.
    #[serde(default)]
    pub finished: bool,
}

pub use crate::features::media::types::DownloadLink;
