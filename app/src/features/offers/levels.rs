//! Offer levels, the pure rules: which lessons an offer includes, which assignments the team
//! reviews for its students, and which other offers are upgrades of it (and for how much).
//! The drip engine receives the lessons outside a student's offer and never opens them.

use crate::kernel::states::stored_enum;
use serde::{Deserialize, Serialize};

stored_enum! {
    /// What an offer includes: every lesson of its course, or chosen modules and lessons.
    Includes in "offers.includes" { All = "all", Chosen = "chosen" }
}

stored_enum! {
    /// Which assignments asking for a review the team reviews for an offer's students.
    Reviews in "offers.reviews" { All = "all", Off = "none", Chosen = "chosen" }
}

stored_enum! {
    /// A chosen part of an offer: a module (by heading), a lesson, an assignment reviewed.
    ItemKind in "offer_items.kind" { Module = "module", Lesson = "lesson", Review = "review" }
}

/// A lesson as levels see it: its id and the module heading it sits under ("" for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonRef<'a> {
    pub id: i64,
    pub module: &'a str,
}

/// One offer's level.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Level {
    /// Every lesson (`includes = 'all'`).
    pub all: bool,
    pub modules: Vec<String>,
    pub lessons: Vec<i64>,
    /// `None`: every assignment is reviewed as the lesson asks; `Some(ids)`: only these.
    pub reviewed: Option<Vec<i64>>,
}

impl Level {
    /// The whole course, every assignment reviewed: a student added by the creator.
    pub fn everything() -> Level {
        Level { all: true, ..Level::default() }
    }

    /// From the offer's columns and its items (kind, lesson id, module).
    pub fn from_items(includes: Includes, reviews: Reviews, items: &[(ItemKind, Option<i64>, Option<String>)]) -> Level {
        let mut level = Level { all: includes == Includes::All, ..Level::default() };
        let mut reviewed = vec![];
        for (kind, lesson, module) in items {
            match (kind, lesson, module) {
                (ItemKind::Module, _, Some(m)) if !m.trim().is_empty() => level.modules.push(m.clone()),
                (ItemKind::Lesson, Some(id), _) => level.lessons.push(*id),
                (ItemKind::Review, Some(id), _) => reviewed.push(*id),
                _ => {}
            }
        }
        level.reviewed = match reviews {
            Reviews::All => None,
            Reviews::Off => Some(vec![]),
            Reviews::Chosen => Some(reviewed),
        };
        level
    }

    pub fn includes(&self, lesson: &LessonRef) -> bool {
        self.all || self.lessons.contains(&lesson.id) || (!lesson.module.is_empty() && self.modules.iter().any(|m| m == lesson.module))
    }

    /// The lessons of `course` this level leaves out, in course order.
    pub fn outside(&self, course: &[LessonRef]) -> Vec<i64> {
        course.iter().filter(|l| !self.includes(l)).map(|l| l.id).collect()
    }

    /// Whether the team reviews this student's answer to the lesson's assignment (when the
    /// assignment asks for a review at all).
    pub fn reviews(&self, lesson_id: i64) -> bool {
        self.reviewed.as_ref().is_none_or(|ids| ids.contains(&lesson_id))
    }

    /// Whether every lesson this level includes, `other` includes too.
    pub fn within(&self, other: &Level, course: &[LessonRef]) -> bool {
        course.iter().all(|l| !self.includes(l) || other.includes(l))
    }
}

/// An offer as an upgrade sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier<'a> {
    pub offer_id: i64,
    pub price_minor: i64,
    pub level: &'a Level,
}

/// What moving from `from` to `to` costs, if `to` is an upgrade: it includes every lesson
/// `from` does and more, and costs more. The price is the difference, so a student never
/// pays twice for what they have.
pub fn upgrade_price(from: &Tier, to: &Tier, course: &[LessonRef]) -> Option<i64> {
    let adds = course.iter().any(|l| to.level.includes(l) && !from.level.includes(l));
    (to.offer_id != from.offer_id && from.level.within(to.level, course) && adds && to.price_minor > from.price_minor).then(|| to.price_minor - from.price_minor)
}

/// The access end after an upgrade: the later of the two (`None`: for good), so an upgrade
/// never shortens what the student had.
pub fn upgraded_end(current: Option<i64>, offered: Option<i64>) -> Option<i64> {
    match (current, offered) {
        (None, _) | (_, None) => None,
        (Some(a), Some(b)) => Some(a.max(b)),
    }
}

/// The first offer (in the creator's order) that includes a lesson: "in the X offer".
pub fn first_offer_with<'a, T>(offers: &'a [(T, Level)], lesson: &LessonRef) -> Option<&'a T> {
    offers.iter().find(|(_, level)| level.includes(lesson)).map(|(o, _)| o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::drip::rules::{availability, Availability, CloseRule, CourseMode, LessonRules, OpenRule, StudentSchedule};
    use proptest::prelude::*;

    fn course(modules: &[&'static str]) -> Vec<LessonRef<'static>> {
        modules.iter().enumerate().map(|(i, m)| LessonRef { id: i as i64 + 1, module: m }).collect()
    }

    #[test]
    fn a_level_includes_its_modules_and_lessons_only() {
        let c = course(&["Bases", "Bases", "Avancé", "", "Avancé"]);
        let level = Level::from_items(Includes::Chosen, Reviews::All, &[(ItemKind::Module, None, Some("Bases".into())), (ItemKind::Lesson, Some(5), None), (ItemKind::Review, Some(1), None)]);
        assert_eq!(level.outside(&c), vec![3, 4]);
        assert!(level.reviews(2), "'all' reviews every assignment");
        assert!(Level::everything().outside(&c).is_empty());
        // A module named "" is no module: lessons without a heading are chosen one by one.
        let blank = Level::from_items(Includes::Chosen, Reviews::Off, &[(ItemKind::Module, None, Some(" ".into()))]);
        assert_eq!(blank.outside(&c).len(), 5);
        assert!(!blank.reviews(1));
        let chosen = Level::from_items(Includes::All, Reviews::Chosen, &[(ItemKind::Review, Some(3), None)]);
        assert!(chosen.reviews(3) && !chosen.reviews(1));
    }

    #[test]
    fn an_upgrade_adds_lessons_and_costs_the_difference() {
        let c = course(&["A", "A", "B", "B"]);
        let basic = Level { modules: vec!["A".into()], ..Level::default() };
        let full = Level::everything();
        let other = Level { modules: vec!["B".into()], ..Level::default() };
        let t = |id, price, level| Tier { offer_id: id, price_minor: price, level };
        assert_eq!(upgrade_price(&t(1, 2900, &basic), &t(2, 9900, &full), &c), Some(7000));
        assert_eq!(upgrade_price(&t(1, 0, &basic), &t(2, 9900, &full), &c), Some(9900), "from a free offer");
        assert_eq!(upgrade_price(&t(2, 9900, &full), &t(1, 2900, &basic), &c), None, "a downgrade");
        assert_eq!(upgrade_price(&t(1, 2900, &basic), &t(3, 4900, &other), &c), None, "not a superset");
        assert_eq!(upgrade_price(&t(1, 2900, &basic), &t(2, 2900, &full), &c), None, "not dearer");
        assert_eq!(upgrade_price(&t(2, 9900, &full), &t(4, 19900, &full), &c), None, "adds nothing");
        assert_eq!(upgraded_end(Some(10), Some(5)), Some(10));
        assert_eq!(upgraded_end(Some(10), None), None);
        assert_eq!(upgraded_end(None, Some(5)), None);
        let offers = [("Essentiel", basic.clone()), ("Complet", full.clone())];
        assert_eq!(first_offer_with(&offers, &c[2]), Some(&"Complet"));
    }

    fn any_level(n: usize) -> impl Strategy<Value = Level> {
        (any::<bool>(), proptest::collection::vec(any::<bool>(), n), proptest::collection::vec(any::<bool>(), 3)).prop_map(move |(all, lessons, modules)| Level {
            all,
            lessons: lessons.iter().enumerate().filter(|(_, on)| **on).map(|(i, _)| i as i64 + 1).collect(),
            modules: ["M0", "M1", "M2"].iter().zip(modules).filter(|(_, on)| *on).map(|(m, _)| m.to_string()).collect(),
            reviewed: None,
        })
    }

    fn any_open() -> impl Strategy<Value = OpenRule> {
        prop_oneof![
            Just(OpenRule::Immediately),
            (0u32..20).prop_map(|d| OpenRule::DaysAfterStart { days: d, at: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap() }),
            Just(OpenRule::AfterPrevious),
        ]
    }

    const MODULES: [&str; 4] = ["M0", "M1", "M2", ""];
    const DAY: i64 = 86_400_000;

    proptest! {
        /// Whatever the schedule, the hand unlocks, "release everything" and completions, a
        /// lesson outside the student's offer is never open.
        #[test]
        fn a_student_never_reads_a_lesson_outside_their_offer(
            opens in proptest::collection::vec((any_open(), 0usize..4, any::<bool>()), 1..10),
            level in any_level(10),
            release_all in any::<bool>(),
            unlocked in proptest::collection::vec(1i64..11, 0..5),
            done in proptest::collection::vec(1i64..11, 0..10),
            now_days in 0i64..40,
        ) {
            let refs: Vec<LessonRef> = opens.iter().enumerate().map(|(i, (_, m, _))| LessonRef { id: i as i64 + 1, module: MODULES[*m] }).collect();
            let rules: Vec<LessonRules> = opens.iter().enumerate().map(|(i, (open, _, checkpoint))| LessonRules { lesson_id: i as i64 + 1, open: *open, close: CloseRule::Never, checkpoint: *checkpoint }).collect();
            let student = StudentSchedule { access_start: 0, release_all, unlocked, outside: level.outside(&refs), ..StudentSchedule::default() };
            let states = availability(&rules, CourseMode::Evergreen, &student, &done, now_days * DAY, "Europe/Paris");
            for (lesson, state) in refs.iter().zip(&states) {
                prop_assert!(level.includes(lesson) || *state == Availability::OutsideOffer, "lesson {} is {:?}", lesson.id, state);
            }
        }

        /// An upgrade never removes access: the new offer includes everything the old one
        /// did, the access lasts at least as long, and (on a schedule of dates and days) every
        /// lesson open before is open after.
        #[test]
        fn an_upgrade_never_removes_access(
            days in proptest::collection::vec((0u32..20, 0usize..4), 1..10),
            from in any_level(10),
            to in any_level(10),
            from_price in 0i64..10_000,
            to_price in 0i64..10_000,
            ends in (proptest::option::of(1i64..60), proptest::option::of(1i64..60)),
            now_days in 0i64..70,
        ) {
            let refs: Vec<LessonRef> = days.iter().enumerate().map(|(i, (_, m))| LessonRef { id: i as i64 + 1, module: MODULES[*m] }).collect();
            let (a, b) = (Tier { offer_id: 1, price_minor: from_price, level: &from }, Tier { offer_id: 2, price_minor: to_price, level: &to });
            if let Some(pay) = upgrade_price(&a, &b, &refs) {
                prop_assert!(pay > 0 && pay == to_price - from_price);
                let rules: Vec<LessonRules> = days.iter().enumerate().map(|(i, (d, _))| LessonRules { lesson_id: i as i64 + 1, open: OpenRule::DaysAfterStart { days: *d, at: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap() }, close: CloseRule::Never, checkpoint: false }).collect();
                let end_before = ends.0.map(|d| d * DAY);
                let end_after = upgraded_end(end_before, ends.1.map(|d| d * DAY));
                let before = StudentSchedule { access_start: 0, access_end: end_before, outside: from.outside(&refs), ..StudentSchedule::default() };
                let after = StudentSchedule { access_start: 0, access_end: end_after, outside: to.outside(&refs), ..StudentSchedule::default() };
                let now = now_days * DAY;
                let was = availability(&rules, CourseMode::Evergreen, &before, &[], now, "Europe/Paris");
                let is = availability(&rules, CourseMode::Evergreen, &after, &[], now, "Europe/Paris");
                for ((lesson, w), i) in refs.iter().zip(&was).zip(&is) {
                    prop_assert!(!from.includes(lesson) || to.includes(lesson));
                    prop_assert!(!w.is_open() || i.is_open(), "lesson {} was {:?}, is {:?}", lesson.id, w, i);
                }
            }
        }
    }
}
