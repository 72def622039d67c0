//! What a merge decides, pure: the access two enrollments in one course become, the numbers
//! the merged account's answers take, and the kept account's profile.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One enrollment as a merge reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    pub start: i64,
    pub end: Option<i64>,
    pub active: bool,
    pub offer_id: Option<i64>,
    /// Lessons of the course the offer leaves out (0: the whole course).
    pub left_out: i64,
    pub shift_days: i64,
    pub release_all: bool,
    pub last_lesson_id: Option<i64>,
    pub last_seen_at: Option<i64>,
}

/// Two enrollments of one person in one course become the widest access of the two: an
/// ended (revoked) access gives nothing; between two live ones, the earliest start, the
/// latest end (none if either has none), the offer that leaves out fewer lessons, the earlier
/// schedule and any "everything released". "Continue" leads where the person was last.
pub fn widest(kept: &Access, merged: &Access) -> Access {
    let mut out = match (kept.active, merged.active) {
        (true, false) => kept.clone(),
        (false, true) => merged.clone(),
        _ => Access {
            start: kept.start.min(merged.start),
            end: match (kept.end, merged.end) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            },
            active: kept.active,
            offer_id: if merged.left_out < kept.left_out { merged.offer_id } else { kept.offer_id },
            left_out: kept.left_out.min(merged.left_out),
            shift_days: kept.shift_days.min(merged.shift_days),
            release_all: kept.release_all || merged.release_all,
            last_lesson_id: kept.last_lesson_id,
            last_seen_at: kept.last_seen_at,
        },
    };
    let latest = if merged.last_seen_at > kept.last_seen_at { merged } else { kept };
    out.last_lesson_id = latest.last_lesson_id;
    out.last_seen_at = latest.last_seen_at;
    out
}

/// An answer of the merged account: (id, lesson, attempt).
pub type Answer = (i64, i64, i64);

/// The merged account's answers numbered after the kept account's own for each lesson, in
/// their order (attempt 1 and 2 after the kept account's 2 become 3 and 4): no two answers of
/// the kept account share a number, and "the latest attempt" stays the latest one made.
/// `kept_last`: the kept account's highest attempt per lesson. Returns (id, new attempt).
pub fn renumber(kept_last: &HashMap<i64, i64>, merged: &[Answer]) -> Vec<(i64, i64)> {
    let mut sorted = merged.to_vec();
    sorted.sort_by_key(|&(id, lesson, attempt)| (lesson, attempt, id));
    let mut next: HashMap<i64, i64> = HashMap::new();
    sorted
        .into_iter()
        .map(|(id, lesson, _)| {
            let n = next.entry(lesson).or_insert_with(|| kept_last.get(&lesson).copied().unwrap_or(0));
            *n += 1;
            (id, *n)
        })
        .collect()
}

/// A person's profile as a merge reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub locale: Option<String>,
    pub note: String,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

/// The kept account's profile after the merge: its own names and language, the merged one's
/// where it has none; both notes; the earlier creation and the later login.
pub fn profile(kept: &Profile, merged: &Profile) -> Profile {
    let or = |a: &str, b: &str| if a.trim().is_empty() { b.to_string() } else { a.to_string() };
    let note = match (kept.note.trim(), merged.note.trim()) {
        (_, "") => kept.note.clone(),
        ("", _) => merged.note.clone(),
        (a, b) if a.contains(b) => kept.note.clone(),
        (a, b) => format!("{a}\n\n{b}"),
    };
    Profile {
        first_name: or(&kept.first_name, &merged.first_name),
        last_name: or(&kept.last_name, &merged.last_name),
        display_name: or(&kept.display_name, &merged.display_name),
        locale: kept.locale.clone().or_else(|| merged.locale.clone()),
        note,
        created_at: kept.created_at.min(merged.created_at),
        last_login_at: kept.last_login_at.max(merged.last_login_at),
    }
}

/// One of the two accounts, as the confirmation shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub status: String,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
    pub courses: i64,
    pub completions: i64,
}

/// A course both accounts are enrolled in: the two accesses and what they become.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Combined {
    pub course_id: i64,
    pub course_title: String,
    pub kept: Access,
    pub merged: Access,
    pub result: Access,
}

/// Everything a merge will do, computed from the database as it is: the confirmation shows
/// it and the merge does exactly it (its fingerprint must still match when confirmed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub keep: Account,
    pub merge: Account,
    pub courses_moved: Vec<String>,
    pub courses_combined: Vec<Combined>,
    pub completions: i64,
    /// Of those, lessons the kept account had done too (the earlier date stays).
    pub completions_both: i64,
    pub answers: i64,
    pub certificates_moved: Vec<String>,
    /// Courses both accounts hold a certificate for: the kept account's stays.
    pub certificates_dropped: Vec<String>,
    pub orders: i64,
    pub notifications: i64,
    pub history: i64,
    pub sessions: i64,
    pub video_views: i64,
    pub lists: i64,
    pub join_requests: i64,
    pub files: i64,
    /// Addresses that will log in to the kept account: the merged one and its own aliases.
    pub aliases: Vec<String>,
    pub note_moves: bool,
    pub profile: Profile,
    /// (answer id, its new attempt number).
    pub renumbered: Vec<(i64, i64)>,
}

impl Plan {
    /// What the confirmation showed, in a few characters: the merge refuses to run a plan
    /// that changed since (a student finished a lesson meanwhile, another tab merged).
    pub fn fingerprint(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        crate::kernel::token::sha256_hex(&json)[..16].to_string()
    }
}

/// Why two accounts cannot be merged (an i18n key each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotFound,
    Same,
    NotStudent,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::NotFound => "merge_not_found",
            Refusal::Same => "merge_same",
            Refusal::NotStudent => "merge_not_student",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn access(start: i64, end: Option<i64>, active: bool, left_out: i64) -> Access {
        Access { start, end, active, offer_id: Some(left_out), left_out, shift_days: 0, release_all: false, last_lesson_id: None, last_seen_at: None }
    }

    #[test]
    fn two_live_accesses_become_the_widest() {
        let w = widest(&access(100, Some(500), true, 3), &access(50, Some(400), true, 0));
        assert_eq!((w.start, w.end, w.active, w.left_out, w.offer_id), (50, Some(500), true, 0, Some(0)));
        assert_eq!(widest(&access(100, Some(500), true, 0), &access(200, None, true, 0)).end, None, "no end wins");
    }

    #[test]
    fn an_ended_access_gives_nothing() {
        let kept = access(100, Some(200), false, 0);
        let merged = access(300, Some(900), true, 2);
        assert_eq!(widest(&kept, &merged), merged);
        assert_eq!(widest(&merged, &kept), merged);
        assert!(!widest(&kept, &access(10, None, false, 0)).active, "two ended accesses stay ended");
    }

    #[test]
    fn continue_leads_where_the_person_was_last() {
        let mut kept = access(1, None, true, 0);
        kept.last_lesson_id = Some(7);
        kept.last_seen_at = Some(10);
        let mut merged = access(1, None, false, 0);
        merged.last_lesson_id = Some(9);
        merged.last_seen_at = Some(20);
        assert_eq!(widest(&kept, &merged).last_lesson_id, Some(9));
    }

    #[test]
    fn answers_follow_the_kept_accounts_own() {
        let kept = HashMap::from([(1, 2)]);
        let out = renumber(&kept, &[(11, 1, 2), (10, 1, 1), (12, 5, 1)]);
        assert_eq!(out, vec![(10, 3), (11, 4), (12, 1)]);
    }

    #[test]
    fn the_kept_profile_fills_its_gaps() {
        let p = |f: &str, note: &str, created: i64, login: Option<i64>| Profile {
            first_name: f.into(),
            last_name: String::new(),
            display_name: String::new(),
            locale: None,
            note: note.into(),
            created_at: created,
            last_login_at: login,
        };
        let out = profile(&p("", "VIP", 20, None), &p("Léa", "paid by cheque", 10, Some(5)));
        assert_eq!((out.first_name.as_str(), out.note.as_str(), out.created_at, out.last_login_at), ("Léa", "VIP\n\npaid by cheque", 10, Some(5)));
        assert_eq!(profile(&p("Ana", "same", 1, None), &p("Léa", "same", 2, None)).first_name, "Ana");
        assert_eq!(profile(&p("Ana", "same", 1, None), &p("Léa", "same", 2, None)).note, "same");
    }

    fn any_access() -> impl Strategy<Value = Access> {
        (0i64..1000, proptest::option::of(0i64..2000), any::<bool>(), 0i64..5, -3i64..3, any::<bool>()).prop_map(|(start, end, active, left_out, shift_days, release_all)| Access {
            start,
            end,
            active,
            offer_id: Some(left_out),
            left_out,
            shift_days,
            release_all,
            last_lesson_id: None,
            last_seen_at: None,
        })
    }

    /// Whether `a` gives at least what `b` gives.
    fn at_least(a: &Access, b: &Access) -> bool {
        !b.active
            || (a.active && a.start <= b.start && match (a.end, b.end) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(x), Some(y)) => x >= y,
            } && a.left_out <= b.left_out && a.shift_days <= b.shift_days && (a.release_all || !b.release_all))
    }

    proptest! {
        #[test]
        fn the_merged_access_is_at_least_each_live_one(kept in any_access(), merged in any_access()) {
            let w = widest(&kept, &merged);
            prop_assert!(at_least(&w, &kept) || !kept.active || !merged.active, "{w:?} narrower than kept {kept:?}");
            prop_assert!(at_least(&w, &merged) || !kept.active || !merged.active);
            // With one live side, that side is kept whole.
            if kept.active != merged.active {
                prop_assert!(w.active);
            }
            prop_assert_eq!(w.active, kept.active || merged.active);
        }

        #[test]
        fn no_two_answers_share_a_number(kept in proptest::collection::hash_map(0i64..5, 1i64..4, 0..5), merged in proptest::collection::vec((0i64..5, 1i64..4), 0..12)) {
            let merged: Vec<Answer> = merged.into_iter().enumerate().map(|(i, (l, a))| (100 + i as i64, l, a)).collect();
            let out = renumber(&kept, &merged);
            let mut seen = std::collections::HashSet::new();
            for (id, attempt) in &out {
                let lesson = merged.iter().find(|m| m.0 == *id).unwrap().1;
                prop_assert!(*attempt > kept.get(&lesson).copied().unwrap_or(0));
                prop_assert!(seen.insert((lesson, *attempt)));
            }
            prop_assert_eq!(out.len(), merged.len());
        }
    }
}
