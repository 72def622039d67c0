//! Drip: when each lesson opens and closes for one student. One pure function of (rules,
//! enrollment, completions, now, time zone), used by pages, server functions, the digest and
//! the creator's preview alike, so they can never disagree.
//!
//! Times a creator types ("day 3 at 09:00", "3 March at 09:00") are local to the school's
//! time zone, so a lesson opens at 09:00 in Paris in winter and in summer alike.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use crate::kernel::time::Zone as Tz;
use serde::{Deserialize, Serialize};

/// When a lesson opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpenRule {
    /// As soon as the student's access starts.
    Immediately,
    /// At a local date and time.
    OnDate(NaiveDateTime),
    /// `days` after the schedule start (the student's access start, or the cohort's start), at
    /// a local time of day. Day 0 is the start day.
    DaysAfterStart { days: u32, at: NaiveTime },
    /// When the lesson before it is completed.
    AfterPrevious,
}

/// When a lesson closes again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CloseRule {
    Never,
    OnDate(NaiveDateTime),
    DaysAfterStart { days: u32, at: NaiveTime },
    /// When the student's access ends (every lesson closes then anyway; this says so).
    AtAccessEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonRules {
    pub lesson_id: i64,
    pub open: OpenRule,
    pub close: CloseRule,
    /// A checkpoint: the lessons after it stay locked until the student's answer to its
    /// assignment (or quiz) is approved.
    pub checkpoint: bool,
}

/// A rule as stored (schema.sql: `lessons.open_*`, `lessons.close_*`) or typed in the
/// lesson form; `None` when the columns do not make a rule.
/// The stored names of the open and close rules (`lessons.open_rule`, `lessons.close_rule`).
pub const OPEN_RULES: &[&str] = &["immediately", "date", "days", "after_previous"];
pub const CLOSE_RULES: &[&str] = &["never", "date", "days", "access_end"];

pub fn parse_open(rule: &str, days: Option<i64>, at: Option<&str>) -> Option<OpenRule> {
    match rule {
        "immediately" => Some(OpenRule::Immediately),
        "after_previous" => Some(OpenRule::AfterPrevious),
        "date" => Some(OpenRule::OnDate(parse_local_date_time(at?)?)),
        "days" => Some(OpenRule::DaysAfterStart { days: u32::try_from(days?).ok().filter(|d| *d <= MAX_DAYS)?, at: parse_time(at?)? }),
        _ => None,
    }
}

pub fn parse_close(rule: &str, days: Option<i64>, at: Option<&str>) -> Option<CloseRule> {
    match rule {
        "never" => Some(CloseRule::Never),
        "access_end" => Some(CloseRule::AtAccessEnd),
        "date" => Some(CloseRule::OnDate(parse_local_date_time(at?)?)),
        "days" => Some(CloseRule::DaysAfterStart { days: u32::try_from(days?).ok().filter(|d| *d <= MAX_DAYS)?, at: parse_time(at?)? }),
        _ => None,
    }
}

/// A lesson's rule columns as stored (read as one JSON value with the lesson).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleColumns {
    pub open_rule: String,
    pub open_days: Option<i64>,
    pub open_at: Option<String>,
    pub close_rule: String,
    pub close_days: Option<i64>,
    pub close_at: Option<String>,
    #[serde(default)]
    pub checkpoint: Option<i64>,
}

impl RuleColumns {
    /// Unreadable JSON gives empty rules, which never open (fail closed).
    pub fn from_json(json: &str) -> RuleColumns {
        serde_json::from_str(json).unwrap_or_default()
    }

    pub fn rules(&self, lesson_id: i64) -> LessonRules {
        LessonRules {
            checkpoint: self.checkpoint.unwrap_or(0) != 0,
            ..stored_rules(
                lesson_id,
                StoredRule { rule: &self.open_rule, days: self.open_days, at: self.open_at.as_deref() },
                StoredRule { rule: &self.close_rule, days: self.close_days, at: self.close_at.as_deref() },
            )
        }
    }
}

/// A lesson's rule columns as stored.
#[derive(Debug, Clone, Copy)]
pub struct StoredRule<'a> {
    pub rule: &'a str,
    pub days: Option<i64>,
    pub at: Option<&'a str>,
}

/// A lesson's rules from its stored columns. A rule that does not parse never opens: better
/// a lesson that waits than one that leaks (the lesson form refuses such rules anyway).
pub fn stored_rules(lesson_id: i64, open: StoredRule, close: StoredRule) -> LessonRules {
    LessonRules {
        lesson_id,
        open: parse_open(open.rule, open.days, open.at).unwrap_or(OpenRule::OnDate(NaiveDateTime::MAX)),
        close: parse_close(close.rule, close.days, close.at).unwrap_or(CloseRule::Never),
        checkpoint: false,
    }
}

/// An enrollment's schedule from its stored columns: its own end, or else the course's
/// access length from its start; unlocked lessons as a comma-separated list.
pub fn stored_schedule(access_start: i64, access_end: Option<i64>, course_access_days: Option<i64>, shift_days: i64, release_all: bool, unlocked: Option<&str>) -> StudentSchedule {
    StudentSchedule {
        access_start,
        access_end: access_end.or_else(|| course_access_days.map(|d| access_start + Duration::days(d).num_milliseconds())),
        shift_days,
        release_all,
        unlocked: parse_ids(unlocked),
        passed: vec![],
        outside: vec![],
    }
}

/// Comma-separated ids as `group_concat` gives them; anything else is skipped.
pub fn parse_ids(stored: Option<&str>) -> Vec<i64> {
    stored.unwrap_or("").split(',').filter_map(|id| id.trim().parse().ok()).collect()
}

/// Ten years of daily lessons is more than any course; beyond is a typo.
pub const MAX_DAYS: u32 = 3650;

/// "09:00" (what `<input type=time>` sends).
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

/// "2026-03-03T09:00" (what `<input type=datetime-local>` sends).
pub fn parse_local_date_time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M").ok()
}

/// How days are counted for a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CourseMode {
    /// From each student's own access start.
    Evergreen,
    /// From one start date for everyone (unix ms); late joiners find earlier lessons open.
    Cohort { starts_at: i64 },
}

/// One student's enrollment, as far as the schedule is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StudentSchedule {
    pub access_start: i64,
    pub access_end: Option<i64>,
    /// "Freeze": the whole schedule moves by this many days for this student.
    pub shift_days: i64,
    /// "Release everything" for this student.
    pub release_all: bool,
    /// Lessons unlocked by hand for this student.
    pub unlocked: Vec<i64>,
    /// Checkpoint lessons whose answer was approved for this student.
    pub passed: Vec<i64>,
    /// Lessons outside the student's offer (`offers::levels`): never open, whatever the
    /// schedule or a hand unlock says; the sequence and checkpoints pass over them.
    pub outside: Vec<i64>,
}

impl StudentSchedule {
    /// `passed` as stored: comma-separated lesson ids.
    pub fn with_passed(mut self, passed: Option<&str>) -> StudentSchedule {
        self.passed = parse_ids(passed);
        self
    }

    /// `outside` as stored (`kernel::db::OUTSIDE_OFFER`): comma-separated lesson ids.
    pub fn with_outside(mut self, outside: Option<&str>) -> StudentSchedule {
        self.outside = parse_ids(outside);
        self
    }
}

/// Why a lesson is not open yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Locked {
    /// Opens at this instant.
    Until(i64),
    /// Opens when the previous lesson is completed.
    PreviousNotDone,
    /// Opens when the answer to this checkpoint lesson is approved.
    Checkpoint(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Availability {
    /// Readable now; closes at this instant if it ever does.
    Open { closes_at: Option<i64> },
    Locked(Locked),
    /// Was open, closed at this instant (the lesson's close rule).
    Closed { since: i64 },
    /// The student's access ended at this instant.
    Expired { since: i64 },
    /// Not in the student's offer: another offer includes it (an upgrade).
    OutsideOffer,
}

impl Availability {
    pub fn is_open(self) -> bool {
        matches!(self, Availability::Open { .. })
    }
}

/// Local date and time in `zone` to an instant. A time that does not exist (the spring
/// gap) moves forward to the first one that does; a time that happens twice (the autumn
/// overlap) is its first occurrence.
pub fn local_to_utc(local: NaiveDateTime, zone: Tz) -> i64 {
    let mut candidate = local;
    for _ in 0..8 {
        if let Some(t) = zone.from_local_datetime(&candidate).earliest() {
            // The first valid minute after a gap: step back minute by minute while valid.
            let mut best = t;
            if candidate != local {
                let mut probe = candidate - Duration::minutes(1);
                while probe > local {
                    match zone.from_local_datetime(&probe).earliest() {
                        Some(p) => best = p,
                        None => break,
                    }
                    probe -= Duration::minutes(1);
                }
            }
            return best.with_timezone(&Utc).timestamp_millis();
        }
        candidate += Duration::minutes(30);
    }
    Utc.from_utc_datetime(&local).timestamp_millis()
}

/// The local calendar date of an instant in `zone`.
pub fn local_date(ms: i64, zone: Tz) -> NaiveDate {
    DateTime::<Utc>::from_timestamp_millis(ms).map(|d| d.with_timezone(&zone).date_naive()).unwrap_or_default()
}

/// Day `days` of a schedule that starts at `start`, at local time `at`.
fn day_at(start: i64, days: i64, at: NaiveTime, zone: Tz) -> i64 {
    let date = local_date(start, zone) + Duration::days(days);
    local_to_utc(date.and_time(at), zone)
}

/// Every lesson's availability for one student at `now`, lessons in course order.
pub fn availability(lessons: &[LessonRules], mode: CourseMode, student: &StudentSchedule, completed: &[i64], now: i64, zone_name: &str) -> Vec<Availability> {
    let zone = crate::kernel::time::zone(zone_name);
    let base = match mode {
        CourseMode::Evergreen => student.access_start,
        CourseMode::Cohort { starts_at } => starts_at,
    };
    let shift = Duration::days(student.shift_days).num_milliseconds();
    let relative = |days: u32, at: NaiveTime| day_at(base, days as i64 + student.shift_days, at, zone);
    let mut previous_completed = true;
    // The first checkpoint not yet passed holds back every lesson after it.
    let mut waiting_on: Option<i64> = None;
    lessons
        .iter()
        .map(|lesson| {
            if student.outside.contains(&lesson.lesson_id) {
                return Availability::OutsideOffer;
            }
            let this_previous_completed = previous_completed;
            previous_completed = completed.contains(&lesson.lesson_id);
            let held_by = waiting_on;
            if lesson.checkpoint && waiting_on.is_none() && !student.passed.contains(&lesson.lesson_id) {
                waiting_on = Some(lesson.lesson_id);
            }
            if let Some(end) = student.access_end {
                if now >= end {
                    return Availability::Expired { since: end };
                }
            }
            if now < student.access_start {
                return Availability::Locked(Locked::Until(student.access_start));
            }
            let by_hand = student.release_all || student.unlocked.contains(&lesson.lesson_id);
            let opens_at = match lesson.open {
                OpenRule::Immediately => Some(student.access_start),
                OpenRule::OnDate(local) => Some(local_to_utc(local, zone) + shift),
                OpenRule::DaysAfterStart { days, at } => Some(relative(days, at)),
                OpenRule::AfterPrevious => None,
            };
            if !by_hand {
                if let Some(checkpoint) = held_by {
                    return Availability::Locked(Locked::Checkpoint(checkpoint));
                }
                match opens_at {
                    Some(at) if now < at => return Availability::Locked(Locked::Until(at.max(student.access_start))),
                    None if !this_previous_completed => return Availability::Locked(Locked::PreviousNotDone),
                    _ => {}
                }
            }
            let closes_at = match lesson.close {
                CloseRule::Never | CloseRule::AtAccessEnd => None,
                CloseRule::OnDate(local) => Some(local_to_utc(local, zone) + shift),
                CloseRule::DaysAfterStart { days, at } => Some(relative(days, at)),
            };
            match closes_at {
                Some(at) if now >= at && !by_hand => Availability::Closed { since: at },
                _ => Availability::Open { closes_at: [closes_at.filter(|_| !by_hand), student.access_end].into_iter().flatten().min() },
            }
        })
        .collect()
}

/// Lessons closing within this long are announced in the digest (and marked on the page).
pub const CLOSING_SOON_MS: i64 = 48 * 3_600_000;

/// What one student's digest says at `now`, given the previous check at `since`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DigestPlan {
    /// Lessons that opened in (since, now].
    pub opened: Vec<i64>,
    /// Open lessons closing within 48 hours: (lesson, closes_at).
    pub closing: Vec<(i64, i64)>,
    /// When this student next needs a look: the next opening, or the next "closing soon".
    pub next_check: Option<i64>,
}

/// The digest's decision for one enrollment, from the same engine as the pages.
pub fn digest_plan(lessons: &[LessonRules], mode: CourseMode, student: &StudentSchedule, completed: &[i64], since: i64, now: i64, zone: &str) -> DigestPlan {
    let before = availability(lessons, mode, student, completed, since, zone);
    let after = availability(lessons, mode, student, completed, now, zone);
    let mut plan = DigestPlan::default();
    for ((lesson, was), is) in lessons.iter().zip(&before).zip(&after) {
        match *is {
            Availability::Open { closes_at } => {
                if !was.is_open() && !completed.contains(&lesson.lesson_id) {
                    plan.opened.push(lesson.lesson_id);
                }
                if let Some(c) = closes_at.filter(|c| c - now <= CLOSING_SOON_MS && Some(*c) != student.access_end) {
                    plan.closing.push((lesson.lesson_id, c));
                } else if let Some(c) = closes_at.filter(|c| Some(*c) != student.access_end) {
                    plan.next_check = Some(plan.next_check.map_or(c - CLOSING_SOON_MS, |n: i64| n.min(c - CLOSING_SOON_MS)));
                }
            }
            Availability::Locked(Locked::Until(t)) if t > now => plan.next_check = Some(plan.next_check.map_or(t, |n| n.min(t))),
            _ => {}
        }
    }
    plan
}

/// Progress counts only what is released: open, or done.
pub fn released_count(states: &[Availability], lessons: &[LessonRules], completed: &[i64]) -> usize {
    states.iter().zip(lessons).filter(|(s, l)| s.is_open() || completed.contains(&l.lesson_id)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DAY: i64 = 86_400_000;
    const HOUR: i64 = 3_600_000;

    fn t(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }
    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        Utc.from_utc_datetime(&t(y, m, d, h, min)).timestamp_millis()
    }
    fn nine() -> NaiveTime {
        NaiveTime::from_hms_opt(9, 0, 0).unwrap()
    }
    fn lesson(id: i64, open: OpenRule, close: CloseRule) -> LessonRules {
        LessonRules { lesson_id: id, open, close, checkpoint: false }
    }
    fn student(start: i64) -> StudentSchedule {
        StudentSchedule { access_start: start, ..Default::default() }
    }

    #[test]
    fn a_student_enrolled_today_sees_day_0_open_and_day_1_with_its_date() {
        let start = utc(2026, 3, 2, 14, 0); // Monday, 15:00 in Paris
        let lessons = [lesson(1, OpenRule::Immediately, CloseRule::Never), lesson(2, OpenRule::DaysAfterStart { days: 1, at: nine() }, CloseRule::Never)];
        let s = availability(&lessons, CourseMode::Evergreen, &student(start), &[], start + HOUR, "Europe/Paris");
        assert_eq!(s[0], Availability::Open { closes_at: None });
        assert_eq!(s[1], Availability::Locked(Locked::Until(utc(2026, 3, 3, 8, 0))), "Tue 3 Mar 09:00 Paris");
        let s = availability(&lessons, CourseMode::Evergreen, &student(start), &[], utc(2026, 3, 3, 8, 0), "Europe/Paris");
        assert!(s[1].is_open());
    }

    #[test]
    fn rule_columns_read_from_json_and_fail_closed() {
        let json = r#"{"open_rule":"days","open_days":2,"open_at":"09:00","close_rule":"never","close_days":null,"close_at":null}"#;
        assert_eq!(RuleColumns::from_json(json).rules(7), lesson(7, OpenRule::DaysAfterStart { days: 2, at: nine() }, CloseRule::Never));
        assert_eq!(RuleColumns::from_json("garbage").rules(7).open, OpenRule::OnDate(NaiveDateTime::MAX));
    }

    #[test]
    fn every_stored_rule_name_parses() {
        for name in OPEN_RULES {
            assert!(parse_open(name, Some(1), Some(if *name == "date" { "2026-03-03T09:00" } else { "09:00" })).is_some(), "{name}");
        }
        for name in CLOSE_RULES {
            assert!(parse_close(name, Some(1), Some(if *name == "date" { "2026-03-03T09:00" } else { "09:00" })).is_some(), "{name}");
        }
    }

    #[test]
    fn stored_rules_parse_or_are_refused() {
        assert_eq!(parse_open("immediately", None, None), Some(OpenRule::Immediately));
        assert_eq!(parse_open("days", Some(3), Some("09:00")), Some(OpenRule::DaysAfterStart { days: 3, at: nine() }));
        assert_eq!(parse_open("date", None, Some("2026-03-03T09:00")), Some(OpenRule::OnDate(t(2026, 3, 3, 9, 0))));
        assert_eq!(parse_open("after_previous", None, None), Some(OpenRule::AfterPrevious));
        assert_eq!(parse_open("days", Some(-1), Some("09:00")), None);
        assert_eq!(parse_open("days", Some(3), Some("25:00")), None);
        assert_eq!(parse_open("days", None, Some("09:00")), None);
        assert_eq!(parse_open("date", None, Some("03/03/2026")), None);
        assert_eq!(parse_open("soon", None, None), None);
        assert_eq!(parse_close("never", None, None), Some(CloseRule::Never));
        assert_eq!(parse_close("days", Some(30), Some("23:59")), Some(CloseRule::DaysAfterStart { days: 30, at: NaiveTime::from_hms_opt(23, 59, 0).unwrap() }));
        assert_eq!(parse_close("access_end", None, None), Some(CloseRule::AtAccessEnd));
    }

    #[test]
    fn spring_gap_and_autumn_overlap_in_paris() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        // 29 March 2026: 02:00 -> 03:00. 02:30 does not exist: the lesson opens at 03:00 local.
        assert_eq!(local_to_utc(t(2026, 3, 29, 2, 30), paris), utc(2026, 3, 29, 1, 0));
        assert_eq!(local_to_utc(t(2026, 3, 29, 9, 0), paris), utc(2026, 3, 29, 7, 0), "summer time after the change");
        assert_eq!(local_to_utc(t(2026, 3, 28, 9, 0), paris), utc(2026, 3, 28, 8, 0), "winter time before it");
        // 25 October 2026: 03:00 -> 02:00. 02:30 happens twice: the first one (summer time).
        assert_eq!(local_to_utc(t(2026, 10, 25, 2, 30), paris), utc(2026, 10, 25, 0, 30));
        assert_eq!(local_to_utc(t(2026, 10, 25, 9, 0), paris), utc(2026, 10, 25, 8, 0));
    }

    #[test]
    fn half_hour_zones() {
        let kolkata: Tz = "Asia/Kolkata".parse().unwrap();
        assert_eq!(local_to_utc(t(2026, 6, 1, 9, 0), kolkata), utc(2026, 6, 1, 3, 30));
        let adelaide: Tz = "Australia/Adelaide".parse().unwrap();
        assert_eq!(local_to_utc(t(2026, 1, 15, 9, 0), adelaide), utc(2026, 1, 14, 22, 30), "+10:30 in summer");
        assert_eq!(local_to_utc(t(2026, 7, 15, 9, 0), adelaide), utc(2026, 7, 14, 23, 30), "+09:30 in winter");
    }

    #[test]
    fn a_day_rule_keeps_its_local_time_across_daylight_saving() {
        let start = utc(2026, 3, 27, 10, 0); // Friday, before the change
        let lessons = [lesson(1, OpenRule::DaysAfterStart { days: 3, at: nine() }, CloseRule::Never)];
        let s = availability(&lessons, CourseMode::Evergreen, &student(start), &[], start, "Europe/Paris");
        assert_eq!(s[0], Availability::Locked(Locked::Until(utc(2026, 3, 30, 7, 0))), "Monday 09:00 summer time");
    }

    #[test]
    fn cohort_late_joiners_find_earlier_lessons_open() {
        let cohort = utc(2026, 3, 2, 8, 0);
        let lessons = [
            lesson(1, OpenRule::DaysAfterStart { days: 0, at: nine() }, CloseRule::Never),
            lesson(2, OpenRule::DaysAfterStart { days: 2, at: nine() }, CloseRule::Never),
            lesson(3, OpenRule::DaysAfterStart { days: 7, at: nine() }, CloseRule::Never),
        ];
        let late = student(cohort + 4 * DAY);
        let s = availability(&lessons, CourseMode::Cohort { starts_at: cohort }, &late, &[], cohort + 4 * DAY, "Europe/Paris");
        assert!(s[0].is_open() && s[1].is_open());
        assert_eq!(s[2], Availability::Locked(Locked::Until(utc(2026, 3, 9, 8, 0))));
    }

    #[test]
    fn access_end_expires_everything_and_closes_show_when() {
        let start = utc(2026, 3, 2, 8, 0);
        let lessons = [lesson(1, OpenRule::Immediately, CloseRule::DaysAfterStart { days: 2, at: nine() })];
        let s = StudentSchedule { access_end: Some(start + 10 * DAY), ..student(start) };
        assert_eq!(availability(&lessons, CourseMode::Evergreen, &s, &[], start, "UTC")[0], Availability::Open { closes_at: Some(utc(2026, 3, 4, 9, 0)) });
        assert_eq!(availability(&lessons, CourseMode::Evergreen, &s, &[], start + 3 * DAY, "UTC")[0], Availability::Closed { since: utc(2026, 3, 4, 9, 0) });
        assert_eq!(availability(&lessons, CourseMode::Evergreen, &s, &[], start + 10 * DAY, "UTC")[0], Availability::Expired { since: start + 10 * DAY });
    }

    #[test]
    fn a_checkpoint_holds_every_later_lesson_until_approved() {
        let start = utc(2026, 3, 2, 8, 0);
        let checkpoint = LessonRules { checkpoint: true, ..lesson(2, OpenRule::Immediately, CloseRule::Never) };
        let lessons = [lesson(1, OpenRule::Immediately, CloseRule::Never), checkpoint, lesson(3, OpenRule::Immediately, CloseRule::Never), lesson(4, OpenRule::DaysAfterStart { days: 1, at: nine() }, CloseRule::Never)];
        let now = start + 3 * DAY;
        let s = availability(&lessons, CourseMode::Evergreen, &student(start), &[1, 2], now, "Europe/Paris");
        assert!(s[0].is_open() && s[1].is_open(), "the checkpoint itself is open");
        assert_eq!(s[2], Availability::Locked(Locked::Checkpoint(2)));
        assert_eq!(s[3], Availability::Locked(Locked::Checkpoint(2)), "even a lesson whose date has come");
        let passed = StudentSchedule { passed: vec![2], ..student(start) };
        assert!(availability(&lessons, CourseMode::Evergreen, &passed, &[], now, "Europe/Paris").iter().all(|a| a.is_open()));
        // Approval does not open a lesson before its own date.
        let early = availability(&lessons, CourseMode::Evergreen, &passed, &[], start + HOUR, "Europe/Paris");
        assert!(matches!(early[3], Availability::Locked(Locked::Until(_))));
        // Unlocked by hand: the creator's decision wins.
        let by_hand = StudentSchedule { unlocked: vec![3], ..student(start) };
        assert!(availability(&lessons, CourseMode::Evergreen, &by_hand, &[], now, "Europe/Paris")[2].is_open());
        assert_eq!(student(start).with_passed(Some("2,x,9")).passed, vec![2, 9]);
    }

    #[test]
    fn freeze_unlock_and_release_all() {
        let start = utc(2026, 3, 2, 8, 0);
        let lessons = [lesson(1, OpenRule::DaysAfterStart { days: 1, at: nine() }, CloseRule::Never), lesson(2, OpenRule::DaysAfterStart { days: 5, at: nine() }, CloseRule::Never)];
        let now = start + 2 * DAY;
        let frozen = StudentSchedule { shift_days: 3, ..student(start) };
        assert_eq!(availability(&lessons, CourseMode::Evergreen, &frozen, &[], now, "UTC")[0], Availability::Locked(Locked::Until(utc(2026, 3, 6, 9, 0))));
        let unlocked = StudentSchedule { unlocked: vec![2], ..student(start) };
        assert!(availability(&lessons, CourseMode::Evergreen, &unlocked, &[], now, "UTC")[1].is_open());
        let all = StudentSchedule { release_all: true, ..student(start) };
        assert!(availability(&lessons, CourseMode::Evergreen, &all, &[], start, "UTC").iter().all(|a| a.is_open()));
    }

    #[test]
    fn progress_counts_released_lessons_only() {
        let start = utc(2026, 3, 2, 8, 0);
        let lessons = [lesson(1, OpenRule::Immediately, CloseRule::Never), lesson(2, OpenRule::DaysAfterStart { days: 9, at: nine() }, CloseRule::Never)];
        let states = availability(&lessons, CourseMode::Evergreen, &student(start), &[], start, "UTC");
        assert_eq!(released_count(&states, &lessons, &[]), 1);
    }

    #[test]
    fn the_digest_lists_what_opened_since_the_last_look_and_when_to_look_again() {
        let start = utc(2026, 3, 2, 8, 0);
        let lessons = [
            lesson(1, OpenRule::Immediately, CloseRule::Never),
            lesson(2, OpenRule::DaysAfterStart { days: 1, at: nine() }, CloseRule::DaysAfterStart { days: 2, at: nine() }),
            lesson(3, OpenRule::DaysAfterStart { days: 5, at: nine() }, CloseRule::Never),
        ];
        let s = student(start);
        // Day 1, 10:00 (Paris), last look at enrollment: lesson 2 opened and closes tomorrow.
        let now = utc(2026, 3, 3, 9, 0);
        let plan = digest_plan(&lessons, CourseMode::Evergreen, &s, &[], start, now, "Europe/Paris");
        assert_eq!(plan.opened, vec![2]);
        assert_eq!(plan.closing, vec![(2, utc(2026, 3, 4, 8, 0))]);
        assert_eq!(plan.next_check, Some(utc(2026, 3, 7, 8, 0)), "lesson 3 opens on day 5 at 09:00 Paris");
        // Looking again an hour later: nothing new.
        let again = digest_plan(&lessons, CourseMode::Evergreen, &s, &[], now, now + HOUR, "Europe/Paris");
        assert!(again.opened.is_empty());
    }

    fn any_open_rule() -> impl Strategy<Value = OpenRule> {
        prop_oneof![
            Just(OpenRule::Immediately),
            Just(OpenRule::AfterPrevious),
            (0u32..30, 0u32..24).prop_map(|(days, h)| OpenRule::DaysAfterStart { days, at: NaiveTime::from_hms_opt(h, 0, 0).unwrap() }),
            (0i64..60, 0u32..24).prop_map(|(d, h)| OpenRule::OnDate(t(2026, 3, 1, h, 0) + Duration::days(d))),
        ]
    }

    fn any_close_rule() -> impl Strategy<Value = CloseRule> {
        prop_oneof![
            Just(CloseRule::Never),
            Just(CloseRule::AtAccessEnd),
            (0u32..60, 0u32..24).prop_map(|(days, h)| CloseRule::DaysAfterStart { days, at: NaiveTime::from_hms_opt(h, 0, 0).unwrap() }),
        ]
    }

    fn any_course() -> impl Strategy<Value = Vec<LessonRules>> {
        prop::collection::vec((any_open_rule(), any_close_rule()), 1..8)
            .prop_map(|rules| rules.into_iter().enumerate().map(|(i, (open, close))| lesson(i as i64 + 1, open, close)).collect())
    }

    const ZONES: [&str; 4] = ["UTC", "Europe/Paris", "Asia/Kolkata", "America/New_York"];

    proptest! {
        #[test]
        fn nothing_is_available_before_access_start_or_after_access_end(
            lessons in any_course(), start_h in 0i64..(60 * 24), len_h in 1i64..(90 * 24), now_h in -240i64..2880, zone in 0usize..4, done in prop::collection::vec(1i64..9, 0..8)
        ) {
            let start = utc(2026, 3, 1, 0, 0) + start_h * HOUR;
            let s = StudentSchedule { access_end: Some(start + len_h * HOUR), ..student(start) };
            let now = utc(2026, 3, 1, 0, 0) + now_h * HOUR;
            let states = availability(&lessons, CourseMode::Evergreen, &s, &done, now, ZONES[zone]);
            if now < start || now >= start + len_h * HOUR {
                prop_assert!(states.iter().all(|a| !a.is_open()), "{:?}", states);
            }
        }

        #[test]
        fn once_open_a_lesson_stays_open_until_its_close_time(
            lessons in any_course(), start_h in 0i64..(30 * 24), a_h in 0i64..(100 * 24), b_h in 0i64..(100 * 24), zone in 0usize..4, done in prop::collection::vec(1i64..9, 0..8)
        ) {
            let start = utc(2026, 3, 1, 0, 0) + start_h * HOUR;
            let (a, b) = (start + a_h.min(b_h) * HOUR, start + a_h.max(b_h) * HOUR);
            let s = student(start);
            let at_a = availability(&lessons, CourseMode::Evergreen, &s, &done, a, ZONES[zone]);
            let at_b = availability(&lessons, CourseMode::Evergreen, &s, &done, b, ZONES[zone]);
            for (x, y) in at_a.iter().zip(&at_b) {
                if let Availability::Open { closes_at } = x {
                    let still_open = closes_at.is_none_or(|c| b < c);
                    prop_assert_eq!(y.is_open(), still_open, "{:?} then {:?}", x, y);
                }
            }
        }

        #[test]
        fn sequential_lessons_open_in_completion_order(n in 1usize..8, done_upto in 0usize..8, now_h in 0i64..(50 * 24)) {
            let lessons: Vec<_> = (0..n).map(|i| lesson(i as i64 + 1, if i == 0 { OpenRule::Immediately } else { OpenRule::AfterPrevious }, CloseRule::Never)).collect();
            let done: Vec<i64> = (1..=done_upto.min(n) as i64).collect();
            let start = utc(2026, 3, 1, 0, 0);
            let states = availability(&lessons, CourseMode::Evergreen, &student(start), &done, start + now_h * HOUR, "Europe/Paris");
            for (i, state) in states.iter().enumerate() {
                // Lesson i+1 is open when lessons 1..=i are done.
                let expected_open = i <= done.len();
                prop_assert_eq!(state.is_open(), expected_open, "lesson {} with {} done: {:?}", i + 1, done.len(), state);
                if !expected_open {
                    prop_assert_eq!(*state, Availability::Locked(Locked::PreviousNotDone));
                }
            }
        }

        #[test]
        fn shifting_the_access_start_shifts_every_relative_date(
            days in prop::collection::vec(0u32..40, 1..8), hour in 0u32..24, start_h in 0i64..(30 * 24), shift_days in 1i64..60
        ) {
            let lessons: Vec<_> = days.iter().enumerate().map(|(i, d)| lesson(i as i64 + 1, OpenRule::DaysAfterStart { days: *d, at: NaiveTime::from_hms_opt(hour, 0, 0).unwrap() }, CloseRule::Never)).collect();
            let start = utc(2026, 3, 1, 0, 0) + start_h * HOUR;
            let opens = |start: i64, zone: &str| -> Vec<i64> {
                availability(&lessons, CourseMode::Evergreen, &student(start), &[], start, zone)
                    .into_iter()
                    .map(|a| match a { Availability::Locked(Locked::Until(t)) => t, _ => start })
                    .collect()
            };
            // In UTC the shift is exact in milliseconds...
            let (before, after) = (opens(start, "UTC"), opens(start + shift_days * DAY, "UTC"));
            for (x, y) in before.iter().zip(&after) {
                if *x > start { prop_assert_eq!(y - x, shift_days * DAY); }
            }
            // ...and in Paris every opening keeps its local clock time, DST or not (except on
            // the spring-gap day, where a time that does not exist moves to 03:00: tested above).
            let paris: Tz = "Europe/Paris".parse().unwrap();
            let at = NaiveTime::from_hms_opt(hour, 0, 0).unwrap();
            let clock = |ms: i64| DateTime::<Utc>::from_timestamp_millis(ms).unwrap().with_timezone(&paris).time();
            let exists = |ms: i64| paris.from_local_datetime(&local_date(ms, paris).and_time(at)).earliest().is_some();
            let (before, after) = (opens(start, "Europe/Paris"), opens(start + shift_days * DAY, "Europe/Paris"));
            for (x, y) in before.iter().zip(&after) {
                if *x > start && *y > start + shift_days * DAY && clock(*x) == at && exists(*y) {
                    prop_assert_eq!(clock(*x), clock(*y));
                }
            }
        }
    }
}
