//! The creator's schedule of a course: each lesson's rule and its actual dates for a chosen
//! start, and "preview as a student on date T" (a real student, or a hypothetical one
//! starting on the chosen date). The same engine as the students' pages decides.

use crate::features::drip::types::SchedulePage;
use crate::kernel::error::AppError;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

crate::kernel::page_data! {
    /// `offer`: the hypothetical student joined through that offer (its level applies).
    pub async fn course_schedule(id: i64, start: Option<String>, at: Option<String>, student: Option<i64>, offer: Option<i64>) -> Result<SchedulePage, AppError> {
        ssr_impl::course_schedule(id, start, at, student, offer).await
    }
}

/// What changing a lesson's rules would do right now: how many current students gain access to
/// it and how many lose it. Computed with the same engine, old rules against new.
#[cfg(feature = "ssr")]
pub async fn impact_of(db: &worker::D1Database, school_id: i64, course_id: i64, lesson_id: i64, new_rules: crate::features::drip::rules::LessonRules, now: i64, zone_name: &str) -> Result<(usize, usize), AppError> {
    use crate::features::drip::rules::availability;
    // Every active student counts here, not only the first page of them.
    let Some((course, lessons, enrollments)) = ssr_impl::load(db, school_id, course_id, i64::MAX).await? else { return Ok((0, 0)) };
    let old = ssr_impl::rules(&lessons);
    // The form edits open and close rules; whether the lesson is a checkpoint stays as stored.
    let new: Vec<_> = old.iter().map(|r| if r.lesson_id == lesson_id { crate::features::drip::rules::LessonRules { checkpoint: r.checkpoint, ..new_rules } } else { *r }).collect();
    let Some(index) = old.iter().position(|r| r.lesson_id == lesson_id) else { return Ok((0, 0)) };
    let mode = course.schedule.mode();
    let (mut gain, mut lose) = (0, 0);
    for e in &enrollments {
        let (student, done) = (e.schedule(&course), e.done());
        let before = availability(&old, mode, &student, &done, now, zone_name)[index].is_open();
        let after = availability(&new, mode, &student, &done, now, zone_name)[index].is_open();
        match (before, after) {
            (false, true) => gain += 1,
            (true, false) => lose += 1,
            _ => {}
        }
    }
    Ok((gain, lose))
}

#[cfg(feature = "ssr")]
mod ssr_impl {
    use super::*;
    use crate::features::drip::types::ScheduleRow;
    use crate::features::drip::rows::{CourseSchedule, EnrollmentSchedule};
    use crate::features::drip::rules::{
        availability, local_date, local_to_utc, parse_local_date_time, stored_schedule, Availability, CloseRule, LessonRules, Locked, OpenRule, RuleColumns,
        StudentSchedule,
    };
    use crate::kernel::time::{weekday_date_time, zone};
    use crate::kernel::i18n::{t, Locale};
    use crate::kernel::db::{int, rows};
    use serde::Deserialize;

    #[derive(Deserialize)]
    pub struct CourseRow {
        title: String,
        #[serde(flatten)]
        pub schedule: CourseSchedule,
    }
    #[derive(Deserialize)]
    pub struct LessonRow {
        id: i64,
        title: String,
        /// The rule columns as JSON (`LESSON_RULES_JSON`).
        rules: String,
    }
    #[derive(Deserialize)]
    pub struct EnrollmentRow {
        user_id: i64,
        email: String,
        #[serde(flatten)]
        schedule: EnrollmentSchedule,
        completed: Option<String>,
    }

    impl EnrollmentRow {
        pub fn schedule(&self, course: &CourseRow) -> StudentSchedule {
            self.schedule.student(&course.schedule)
        }
        pub fn done(&self) -> Vec<i64> {
            self.completed.as_deref().unwrap_or("").split(',').filter_map(|v| v.trim().parse().ok()).collect()
        }
    }

    pub fn rules(lessons: &[LessonRow]) -> Vec<LessonRules> {
        lessons.iter().map(|l| RuleColumns::from_json(&l.rules).rules(l.id)).collect()
    }

    /// A course's schedule inputs in one batch: the course, its published lessons with their
    /// rules, and up to `limit` active enrollments with unlocks and completions.
    pub async fn load(db: &worker::D1Database, school_id: i64, id: i64, limit: i64) -> Result<Option<(CourseRow, Vec<LessonRow>, Vec<EnrollmentRow>)>, AppError> {
        let db = crate::kernel::db::SchoolDb::new(db, school_id);
        let results = db
            .batch(vec![
                db.stmt("SELECT title, access_mode, cohort_start, access_days FROM @courses WHERE id = ?2", &[int(id)])?,
                db.stmt(
                    &format!(
                        "SELECT l.id, l.title, {} FROM @lessons l WHERE l.course_id = ?2 AND l.status = 'published' ORDER BY l.position, l.id",
                        crate::kernel::db::LESSON_RULES_JSON
                    ),
                    &[int(id)],
                )?,
                db.stmt(
                    "SELECT e.user_id, u.email, e.access_start, e.access_end, e.shift_days, e.release_all,
                        (SELECT group_concat(x.lesson_id) FROM @lesson_unlocks x WHERE x.enrollment_id = e.id) AS unlocked,
                        (SELECT group_concat(cp.lesson_id) FROM @completions cp WHERE cp.user_id = e.user_id) AS completed, {drip}
                     FROM @enrollments e JOIN @users u ON u.id = e.user_id
                     WHERE e.course_id = ?2 AND e.status = 'active' ORDER BY u.email LIMIT ?3"
                        .replace("{drip}", &crate::kernel::db::student_drip_columns())
                        .as_str(),
                    &[int(id), int(limit.min(1 << 52))],
                )?,
            ])
            .await?;
        let Some(course) = rows::<CourseRow>(&results[0])?.into_iter().next() else { return Ok(None) };
        Ok(Some((course, rows::<LessonRow>(&results[1])?, rows::<EnrollmentRow>(&results[2])?)))
    }

    fn rule_text(open: Option<OpenRule>, close: Option<CloseRule>, locale: Locale) -> (String, String) {
        let time = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
        let opens = match open {
            Some(OpenRule::Immediately) | None => t(locale, "drip_immediately").to_string(),
            Some(OpenRule::AfterPrevious) => t(locale, "drip_after_previous").to_string(),
            Some(OpenRule::DaysAfterStart { days, at }) => t(locale, "rule_day_at").replace("{n}", &days.to_string()).replace("{time}", &time(at)),
            Some(OpenRule::OnDate(d)) => d.format("%Y-%m-%d %H:%M").to_string(),
        };
        let closes = match close {
            Some(CloseRule::Never) | None => t(locale, "drip_never").to_string(),
            Some(CloseRule::AtAccessEnd) => t(locale, "drip_at_access_end").to_string(),
            Some(CloseRule::DaysAfterStart { days, at }) => t(locale, "rule_day_at").replace("{n}", &days.to_string()).replace("{time}", &time(at)),
            Some(CloseRule::OnDate(d)) => d.format("%Y-%m-%d %H:%M").to_string(),
        };
        (opens, closes)
    }

    /// An offer of the course and the lessons it leaves out.
    #[derive(Deserialize)]
    struct OfferLevel {
        id: i64,
        name: String,
        outside: Option<String>,
    }

    pub async fn course_schedule(id: i64, start: Option<String>, at: Option<String>, student: Option<i64>, offer: Option<i64>) -> Result<SchedulePage, AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_owner(&ctx.viewer)?;
        let (locale, zone_name) = (ctx.viewer.locale, ctx.viewer.time_zone().to_string());
        let tz = zone(&zone_name);
        let db = crate::kernel::request::db()?;
        /// The student list a creator picks from.
        const PREVIEW_STUDENTS: i64 = 500;
        let (course, lessons, enrollments) = load(&db, school_id, id, PREVIEW_STUDENTS).await?.ok_or(AppError::NotFound)?;
        // The chosen start (a hypothetical student's first day) and preview time; today by default.
        let today = local_date(ctx.now_ms, tz);
        let start_date = start.as_deref().and_then(|s| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()).unwrap_or(today);
        let start_ms = local_to_utc(start_date.and_hms_opt(0, 0, 0).unwrap_or_default(), tz);
        let at_ms = at.as_deref().and_then(parse_local_date_time).map(|d| local_to_utc(d, tz)).unwrap_or(ctx.now_ms);
        let chosen = student.and_then(|s| enrollments.iter().find(|e| e.user_id == s));
        let rules = rules(&lessons);
        let mode = course.schedule.mode();
        // Dates for the chosen start: the schedule as a new student starting then would live it.
        let offers: Vec<OfferLevel> = crate::kernel::db::SchoolDb::new(&db, school_id)
            .all(&format!("SELECT o.id, o.name, {} AS outside FROM @offers o WHERE o.course_id = ?2 ORDER BY o.position, o.id", crate::kernel::db::outside_offer("o.id")), &[int(id)])
            .await?;
        let offer = offer.and_then(|o| offers.iter().find(|x| x.id == o));
        let hypothetical = stored_schedule(start_ms, None, course.schedule.access_days, 0, false, None).with_outside(offer.and_then(|o| o.outside.as_deref()));
        let previewed = chosen.map(|e| e.schedule(&course)).unwrap_or_else(|| hypothetical.clone());
        let done = chosen.map(EnrollmentRow::done).unwrap_or_default();
        let at_start = availability(&rules, mode, &hypothetical, &[], start_ms, &zone_name);
        let far = availability(&rules, mode, &hypothetical, &rules.iter().map(|r| r.lesson_id).collect::<Vec<_>>(), start_ms + 20 * 365 * crate::kernel::session::DAY_MS, &zone_name);
        let preview = availability(&rules, mode, &previewed, &done, at_ms, &zone_name);
        let when = |ms: i64| weekday_date_time(ms, &zone_name, locale);
        let rows = lessons
            .iter()
            .zip(&rules)
            .enumerate()
            .map(|(i, (l, r))| {
                let (open_rule, close_rule) = rule_text(Some(r.open), Some(r.close), locale);
                let opens = match at_start[i] {
                    Availability::Open { .. } => when(start_ms),
                    Availability::Locked(Locked::Until(t)) => when(t),
                    _ => open_rule.clone(),
                };
                let closes = match (at_start[i], far[i]) {
                    (Availability::Open { closes_at: Some(c) }, _) => when(c),
                    (_, Availability::Closed { since }) => when(since),
                    _ => close_rule.clone(),
                };
                let (preview_text, preview_open) = match preview[i] {
                    Availability::Open { .. } => (t(locale, "preview_open").to_string(), true),
                    Availability::Locked(Locked::Until(t_)) => (t(locale, "opens_at").replace("{when}", &when(t_)), false),
                    Availability::Locked(Locked::PreviousNotDone) => (t(locale, "opens_after_previous").to_string(), false),
                    Availability::Locked(Locked::Checkpoint(_)) => (t(locale, "opens_after_checkpoint").to_string(), false),
                    Availability::Closed { since } => (t(locale, "closed_since").replace("{when}", &when(since)), false),
                    Availability::Expired { .. } => (t(locale, "access_expired_short").to_string(), false),
                    Availability::OutsideOffer => (t(locale, "preview_outside_offer").to_string(), false),
                };
                ScheduleRow { title: format!("{} ({open_rule} → {close_rule})", l.title), opens, closes, preview: preview_text, preview_open }
            })
            .collect();
        let at_local = DateTimeLocal::of(at_ms, tz);
        Ok(SchedulePage {
            course_id: id,
            course_title: course.title,
            start: start_date.format("%Y-%m-%d").to_string(),
            at: at_local,
            student: chosen.map(|e| e.user_id),
            students: enrollments.iter().map(|e| (e.user_id, e.email.clone())).collect(),
            offer: offer.map(|o| o.id),
            offers: offers.iter().map(|o| (o.id, o.name.clone())).collect(),
            rows,
        })
    }

    /// `YYYY-MM-DDTHH:MM` in a zone, as a datetime-local field shows it.
    struct DateTimeLocal;
    impl DateTimeLocal {
        fn of(ms: i64, tz: crate::kernel::time::Zone) -> String {
            chrono::DateTime::from_timestamp_millis(ms).map(|d| d.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()
        }
    }
}
