//! Who may read what. One pure decision used by every page and server function, so that
//! "why can't this student see my course?" has one answer.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Draft,
    Published,
}

impl Status {
    pub const ALL: &'static [Status] = &[Status::Draft, Status::Published];
    pub fn parse(s: &str) -> Status {
        if s == "published" { Status::Published } else { Status::Draft }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Owner,
    /// Team: sees and manages students (directory, imports, bulk actions, the explainer),
    /// cannot change courses, settings or the team.
    Assistant,
    /// Team: reviews the assignments of the courses assigned to them.
    Curator,
    Student,
}

/// What a team member may do. Every server function asks for one; hiding a link is only
/// a courtesy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ManageCourses,
    ManageStudents,
    ManageSettings,
    ManageTeam,
    ReviewAssignments,
}

impl Role {
    pub const ALL: &'static [Role] = &[Role::Owner, Role::Assistant, Role::Curator, Role::Student];
    pub fn parse(s: &str) -> Role {
        match s {
            "owner" => Role::Owner,
            "assistant" => Role::Assistant,
            "curator" => Role::Curator,
            _ => Role::Student,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Assistant => "assistant",
            Role::Curator => "curator",
            Role::Student => "student",
        }
    }
    pub fn is_team(self) -> bool {
        !matches!(self, Role::Student)
    }
    pub fn may(self, p: Permission) -> bool {
        match self {
            Role::Owner => true,
            Role::Assistant => p == Permission::ManageStudents,
            Role::Curator => p == Permission::ReviewAssignments,
            Role::Student => false,
        }
    }
}

/// An enrollment as far as access is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrollmentWindow {
    pub access_start: DateTime<Utc>,
    pub access_end: Option<DateTime<Utc>>,
    pub revoked: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Denial {
    CourseNotPublished,
    LessonNotPublished,
    NotEnrolled,
    AccessRevoked,
    AccessNotStarted,
    AccessExpired,
}

impl Denial {
    pub fn code(self) -> &'static str {
        match self {
            Denial::CourseNotPublished => "course_not_published",
            Denial::LessonNotPublished => "lesson_not_published",
            Denial::NotEnrolled => "not_enrolled",
            Denial::AccessRevoked => "access_revoked",
            Denial::AccessNotStarted => "access_not_started",
            Denial::AccessExpired => "access_expired",
        }
    }
}

/// May a student read a lesson now? Creators bypass this (they preview drafts).
pub fn student_lesson_access(
    course: Status,
    lesson: Status,
    enrollment: Option<&EnrollmentWindow>,
    now: DateTime<Utc>,
) -> Result<(), Denial> {
    if course != Status::Published {
        return Err(Denial::CourseNotPublished);
    }
    if lesson != Status::Published {
        return Err(Denial::LessonNotPublished);
    }
    enrollment_access(enrollment, now)
}

pub fn enrollment_access(enrollment: Option<&EnrollmentWindow>, now: DateTime<Utc>) -> Result<(), Denial> {
    let e = enrollment.ok_or(Denial::NotEnrolled)?;
    if e.revoked {
        return Err(Denial::AccessRevoked);
    }
    if now < e.access_start {
        return Err(Denial::AccessNotStarted);
    }
    if e.access_end.is_some_and(|end| now >= end) {
        return Err(Denial::AccessExpired);
    }
    Ok(())
}

/// Progress counts only what the student can be asked to finish: published lessons.
pub fn progress_percent(completed_published: usize, published: usize) -> u8 {
    if published == 0 {
        return 0;
    }
    ((completed_published.min(published) * 100) / published) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_may_do_exactly_its_part() {
        use Permission::*;
        let all = [ManageCourses, ManageStudents, ManageSettings, ManageTeam, ReviewAssignments];
        let allowed = |r: Role| all.iter().filter(|p| r.may(**p)).copied().collect::<Vec<_>>();
        assert_eq!(allowed(Role::Owner), all.to_vec());
        assert_eq!(allowed(Role::Assistant), vec![ManageStudents]);
        assert_eq!(allowed(Role::Curator), vec![ReviewAssignments]);
        assert_eq!(allowed(Role::Student), vec![]);
        for r in [Role::Owner, Role::Assistant, Role::Curator, Role::Student] {
            assert_eq!(Role::parse(r.as_str()), r);
        }
        assert_eq!(Role::parse("admin"), Role::Student, "anything else is a student");
    }
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn t(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap() + Duration::hours(h)
    }
    fn window(start: i64, end: Option<i64>) -> EnrollmentWindow {
        EnrollmentWindow { access_start: t(start), access_end: end.map(t), revoked: false }
    }

    #[test]
    fn drafts_are_never_readable_by_students() {
        let e = window(0, None);
        assert_eq!(student_lesson_access(Status::Draft, Status::Published, Some(&e), t(1)), Err(Denial::CourseNotPublished));
        assert_eq!(student_lesson_access(Status::Published, Status::Draft, Some(&e), t(1)), Err(Denial::LessonNotPublished));
        assert_eq!(student_lesson_access(Status::Published, Status::Published, Some(&e), t(1)), Ok(()));
    }

    #[test]
    fn enrollment_window_is_respected() {
        assert_eq!(enrollment_access(None, t(0)), Err(Denial::NotEnrolled));
        assert_eq!(enrollment_access(Some(&window(5, None)), t(1)), Err(Denial::AccessNotStarted));
        assert_eq!(enrollment_access(Some(&window(0, Some(10))), t(10)), Err(Denial::AccessExpired));
        assert_eq!(enrollment_access(Some(&window(0, Some(10))), t(9)), Ok(()));
        let revoked = EnrollmentWindow { revoked: true, ..window(0, None) };
        assert_eq!(enrollment_access(Some(&revoked), t(1)), Err(Denial::AccessRevoked));
    }

    #[test]
    fn progress_is_bounded() {
        assert_eq!(progress_percent(0, 0), 0);
        assert_eq!(progress_percent(1, 3), 33);
        assert_eq!(progress_percent(3, 3), 100);
        assert_eq!(progress_percent(5, 3), 100);
    }

    proptest! {
        #[test]
        fn nothing_is_available_outside_the_window(start in -100i64..100, len in 1i64..100, now in -300i64..300) {
            let e = window(start, Some(start + len));
            let ok = enrollment_access(Some(&e), t(now)).is_ok();
            prop_assert_eq!(ok, now >= start && now < start + len);
        }
    }
}
