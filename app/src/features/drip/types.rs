//! What this feature's pages receive from the server (compiled for both sides).

use serde::{Deserialize, Serialize};

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
    /// The hypothetical student's offer (`None`: the whole course), and the course's offers.
    pub offer: Option<i64>,
    pub offers: Vec<(i64, String)>,
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
