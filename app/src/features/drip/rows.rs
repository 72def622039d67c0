//! The drip columns every reader of a schedule selects (the course page, the lesson page,
//! the explainer, the creator's schedule, the digest), as shared row parts: each reader's
//! row flattens them in (`#[serde(flatten)]`) next to its own columns, and they become the
//! drip engine's inputs one way only.

use crate::features::drip::rules::{stored_schedule, CourseMode, StudentSchedule};
use crate::kernel::states::AccessMode;
use serde::Deserialize;

/// A course's schedule: `access_mode, cohort_start, access_days`.
#[derive(Debug, Clone, Deserialize)]
pub struct CourseSchedule {
    pub access_mode: AccessMode,
    pub cohort_start: Option<i64>,
    /// Access ends this many days after each student's start (unless their own end says).
    pub access_days: Option<i64>,
}

impl CourseSchedule {
    /// A cohort without a start counts as evergreen.
    pub fn mode(&self) -> CourseMode {
        match (self.access_mode, self.cohort_start) {
            (AccessMode::Cohort, Some(starts_at)) => CourseMode::Cohort { starts_at },
            _ => CourseMode::Evergreen,
        }
    }
}

/// An enrollment's schedule: `access_start, access_end, shift_days, release_all`, with
/// `unlocked` (lessons opened by hand, from `lesson_unlocks`), and `passed` (checkpoints
/// passed), `offer_id` and `outside` (lessons its offer leaves out) from
/// `kernel::db::student_drip_columns`; the lists are comma-separated ids.
#[derive(Debug, Clone, Deserialize)]
pub struct EnrollmentSchedule {
    pub access_start: i64,
    pub access_end: Option<i64>,
    pub shift_days: i64,
    pub release_all: i64,
    pub unlocked: Option<String>,
    pub passed: Option<String>,
    /// The offer the student joined through (`None`: added by the team, the whole course).
    pub offer_id: Option<i64>,
    pub outside: Option<String>,
}

impl EnrollmentSchedule {
    /// The drip engine's view of this student in this course.
    pub fn student(&self, course: &CourseSchedule) -> StudentSchedule {
        stored_schedule(self.access_start, self.access_end, course.access_days, self.shift_days, self.release_all != 0, self.unlocked.as_deref()).with_passed(self.passed.as_deref()).with_outside(self.outside.as_deref())
    }

    /// Access ends at the enrollment's own end, or the course's length after its start.
    pub fn access_end(&self, course: &CourseSchedule) -> Option<i64> {
        self.access_end.or_else(|| course.access_days.map(|d| self.access_start + chrono::Duration::days(d).num_milliseconds()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_with_their_schedule_flattened() {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            #[serde(flatten)]
            course: CourseSchedule,
            #[serde(flatten)]
            enrollment: EnrollmentSchedule,
        }
        let row: Row = serde_json::from_value(serde_json::json!({
            "id": 7, "access_mode": "cohort", "cohort_start": 1_000, "access_days": 2,
            "access_start": 5_000, "access_end": null, "shift_days": 1, "release_all": 0, "unlocked": "3,4", "passed": null,
            "offer_id": 2, "outside": "5,6",
        }))
        .unwrap();
        assert_eq!(row.id, 7);
        assert_eq!(row.course.mode(), CourseMode::Cohort { starts_at: 1_000 });
        let student = row.enrollment.student(&row.course);
        assert_eq!(student.access_end, Some(5_000 + 2 * 86_400_000));
        assert_eq!(student.unlocked, vec![3, 4]);
        assert_eq!((row.enrollment.offer_id, student.outside), (Some(2), vec![5, 6]));
        assert_eq!(row.enrollment.access_end(&row.course), student.access_end);
        // A LEFT JOIN without an enrollment: its columns are null, the part is `None`.
        #[derive(Deserialize)]
        struct Card {
            #[serde(flatten)]
            enrollment: Option<EnrollmentSchedule>,
        }
        let none: Card = serde_json::from_value(serde_json::json!({"access_start": null, "access_end": null, "shift_days": null, "release_all": null, "unlocked": null, "passed": null, "offer_id": null, "outside": null})).unwrap();
        assert!(none.enrollment.is_none());
        let some: Card = serde_json::from_value(serde_json::json!({"access_start": 1, "access_end": null, "shift_days": 0, "release_all": 0, "unlocked": null, "passed": null, "offer_id": null, "outside": null})).unwrap();
        assert_eq!(some.enrollment.map(|e| e.access_start), Some(1));
        let evergreen = CourseSchedule { access_mode: AccessMode::Cohort, cohort_start: None, access_days: None };
        assert_eq!(evergreen.mode(), CourseMode::Evergreen);
    }
}
