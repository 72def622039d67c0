//! What this feature's pages receive from the server (compiled for both sides).

use serde::{Deserialize, Serialize};

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
    /// Files the student attached that go with the next answer.
    #[serde(default)]
    pub draft_files: Vec<crate::features::media::types::DownloadLink>,
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
    /// The files sent with this answer (links signed for the viewer).
    #[serde(default)]
    pub files: Vec<crate::features::media::types::DownloadLink>,
}
