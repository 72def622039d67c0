//! "Why can't this student see my course?" (Kwiga's checklist, made automatic): the checks
//! in order, each passed or failed with the fact behind it and the fix that applies; and the
//! accounts a mistyped email probably meant. No I/O: the caller gathers the facts.

use crate::features::drip::rules::{Availability, Locked};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountFacts {
    pub id: i64,
    pub active: bool,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EnrollmentFacts {
    pub id: i64,
    pub access_start: i64,
    /// The end that applies (the enrollment's, or the course's length from its start).
    pub access_end: Option<i64>,
    pub revoked: bool,
}

/// The last login email sent to this address, and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoginEmailFacts {
    pub sent_at: i64,
    pub viewed_by_scanner: bool,
    pub used: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    pub account: Option<AccountFacts>,
    /// (published, title)
    pub course: Option<(bool, String)>,
    /// (published, title), when a lesson was asked about.
    pub lesson: Option<(bool, String)>,
    pub enrollment: Option<EnrollmentFacts>,
    /// The lesson's availability for this student (drip), when it applies.
    pub lesson_state: Option<Availability>,
    pub last_login_email: Option<LoginEmailFacts>,
    /// The latest order of this email for this course: its state and when it was made.
    pub payment: Option<(crate::features::payments::rules::OrderStatus, i64)>,
    pub now: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fix {
    InviteOrGrant,
    Reactivate,
    PublishCourse,
    PublishLesson,
    GrantAccess,
    Extend,
    UnlockLesson,
    SendReminder,
    /// Move the student from their offer to the whole course.
    WholeCourse,
}

impl Fix {
    /// What the team member must be allowed to do to apply this fix: the permission of the
    /// action it performs, so a one-click fix is never a way around a role.
    pub fn permission(self) -> crate::kernel::access::Permission {
        use crate::kernel::access::Permission;
        match self {
            Fix::PublishCourse | Fix::PublishLesson => Permission::ManageCourses,
            Fix::InviteOrGrant | Fix::Reactivate | Fix::GrantAccess | Fix::Extend | Fix::UnlockLesson | Fix::SendReminder | Fix::WholeCourse => Permission::ManageStudents,
        }
    }
}

/// One line of the checklist: a key naming the check, whether it passed, the fact (a message
/// key and the time it refers to, if any), and the fix when it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub check: &'static str,
    pub passed: bool,
    pub fact: &'static str,
    pub at: Option<i64>,
    pub fix: Option<Fix>,
}

fn check(check: &'static str, passed: bool, fact: &'static str, at: Option<i64>, fix: Option<Fix>) -> Check {
    Check { check, passed, fact, at, fix: if passed { None } else { fix } }
}

/// The checks in order. Checks that depend on a failed one (no account: nothing about its
/// enrollment) are not listed: the first failure is what to fix.
pub fn explain(f: &Facts) -> Vec<Check> {
    let mut out = vec![];
    let Some(account) = &f.account else {
        out.push(check("check_account", false, "fact_no_account", None, Some(Fix::InviteOrGrant)));
        // A buyer whose payment never went through has no account yet: the order says why.
        out.extend(payment_check(f));
        return out;
    };
    out.push(check("check_account", true, "fact_account_since", Some(account.created_at), None));
    out.push(if account.active { check("check_active", true, "fact_active", None, None) } else { check("check_active", false, "fact_deactivated", None, Some(Fix::Reactivate)) });
    match &f.course {
        Some((true, _)) => out.push(check("check_course_published", true, "fact_course_published", None, None)),
        Some((false, _)) => out.push(check("check_course_published", false, "fact_course_draft", None, Some(Fix::PublishCourse))),
        None => {}
    }
    match &f.lesson {
        Some((true, _)) => out.push(check("check_lesson_published", true, "fact_lesson_published", None, None)),
        Some((false, _)) => out.push(check("check_lesson_published", false, "fact_lesson_draft", None, Some(Fix::PublishLesson))),
        None => {}
    }
    if f.course.is_some() {
        match &f.enrollment {
            None => out.push(check("check_enrolled", false, "fact_not_enrolled", None, Some(Fix::GrantAccess))),
            Some(e) => {
                out.push(check("check_enrolled", true, "fact_enrolled_since", Some(e.access_start), None));
                out.push(if e.revoked {
                    check("check_access_now", false, "fact_revoked", None, Some(Fix::GrantAccess))
                } else if e.access_start > f.now {
                    check("check_access_now", false, "fact_starts_on", Some(e.access_start), Some(Fix::GrantAccess))
                } else if let Some(end) = e.access_end.filter(|end| *end <= f.now) {
                    check("check_access_now", false, "fact_ended_on", Some(end), Some(Fix::Extend))
                } else {
                    check("check_access_now", true, if e.access_end.is_some() { "fact_access_until" } else { "fact_access_unlimited" }, e.access_end, None)
                });
            }
        }
    }
    if let Some(line) = payment_check(f) {
        out.push(line);
    }
    if let Some(state) = f.lesson_state {
        out.push(match state {
            Availability::Open { closes_at } => check("check_lesson_open", true, if closes_at.is_some() { "fact_open_until" } else { "fact_open" }, closes_at, None),
            Availability::Locked(Locked::Until(at)) => check("check_lesson_open", false, "fact_opens_at", Some(at), Some(Fix::UnlockLesson)),
            Availability::Locked(Locked::PreviousNotDone) => check("check_lesson_open", false, "fact_waits_previous", None, Some(Fix::UnlockLesson)),
            // The answer to a checkpoint lesson is not approved yet (reviews page, or unlock).
            Availability::Locked(Locked::Checkpoint(_)) => check("check_lesson_open", false, "fact_waits_checkpoint", None, Some(Fix::UnlockLesson)),
            Availability::Closed { since } => check("check_lesson_open", false, "fact_closed_since", Some(since), Some(Fix::Extend)),
            Availability::Expired { .. } => check("check_lesson_open", false, "fact_lesson_expired", None, Some(Fix::Extend)),
            // Another offer includes it: the student upgrades, or the team gives the course.
            Availability::OutsideOffer => check("check_lesson_open", false, "fact_outside_offer", None, Some(Fix::WholeCourse)),
        });
    }
    // Logging in: informative (a student who never logged in may simply not have the email).
    out.push(match account.last_login_at {
        Some(at) => check("check_login", true, "fact_last_login", Some(at), None),
        None => check("check_login", false, "fact_never_logged_in", None, Some(Fix::SendReminder)),
    });
    if let Some(mail) = &f.last_login_email {
        let fact = match (mail.used, mail.viewed_by_scanner) {
            (true, _) => "fact_email_used",
            (false, true) => "fact_email_scanner_only",
            (false, false) => "fact_email_unused",
        };
        out.push(check("check_login_email", mail.used, fact, Some(mail.sent_at), Some(Fix::SendReminder)));
    }
    out
}

/// A purchase: a payment started but never confirmed (or failed, or refunded) explains a
/// missing access ("the payment was not finalised").
fn payment_check(f: &Facts) -> Option<Check> {
    use crate::features::payments::rules::OrderStatus;
    let (status, at) = f.payment?;
    // Granting by hand needs the account; without one, the account line's fix comes first.
    let grant = f.account.as_ref().map(|_| Fix::GrantAccess);
    Some(match status {
        OrderStatus::Paid => check("check_payment", true, "fact_payment_paid", Some(at), None),
        OrderStatus::Pending => check("check_payment", false, "fact_payment_pending", Some(at), grant),
        OrderStatus::Failed => check("check_payment", false, "fact_payment_failed", Some(at), grant),
        OrderStatus::Refunded => check("check_payment", false, "fact_payment_refunded", Some(at), None),
    })
}

/// Common misspellings of common mail domains.
const DOMAIN_TYPOS: &[(&str, &str)] = &[
    ("gmial.com", "gmail.com"),
    ("gmal.com", "gmail.com"),
    ("gmai.com", "gmail.com"),
    ("gnail.com", "gmail.com"),
    ("gmail.con", "gmail.com"),
    ("gmail.co", "gmail.com"),
    ("gmail.fr", "gmail.com"),
    ("googlemail.com", "gmail.com"),
    ("hotmial.com", "hotmail.com"),
    ("hotmal.com", "hotmail.com"),
    ("hotmail.con", "hotmail.com"),
    ("hotmial.fr", "hotmail.fr"),
    ("hotmal.fr", "hotmail.fr"),
    ("outlok.com", "outlook.com"),
    ("outlook.con", "outlook.com"),
    ("yahoo.con", "yahoo.com"),
    ("yaho.fr", "yahoo.fr"),
    ("yahou.fr", "yahoo.fr"),
    ("orange.f", "orange.fr"),
    ("wanadoo.f", "wanadoo.fr"),
];

/// The address as a mailbox receives it: lower case, `+tag` dropped, domain typos fixed,
/// and for Gmail the dots of the local part dropped (Gmail ignores them).
pub fn canonical(email: &str) -> String {
    let email = email.trim().to_lowercase();
    let Some((local, domain)) = email.rsplit_once('@') else { return email };
    let domain = DOMAIN_TYPOS.iter().find(|(typo, _)| *typo == domain).map(|(_, fixed)| *fixed).unwrap_or(domain);
    let local = local.split('+').next().unwrap_or(local);
    let local = if domain == "gmail.com" { local.replace('.', "") } else { local.to_string() };
    format!("{local}@{domain}")
}

/// Of the school's addresses, those the typed one probably meant (same canonical mailbox),
/// the exact one excluded.
pub fn similar<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let want = canonical(typed);
    let typed = typed.trim().to_lowercase();
    candidates.into_iter().filter(|c| *c != typed && canonical(c) == want).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            account: Some(AccountFacts { id: 1, active: true, created_at: 10, last_login_at: Some(20) }),
            course: Some((true, "Yoga".into())),
            lesson: None,
            enrollment: Some(EnrollmentFacts { id: 3, access_start: 100, access_end: Some(1_000), revoked: false }),
            lesson_state: None,
            last_login_email: None,
            payment: None,
            now: 500,
        }
    }

    #[test]
    fn an_unfinished_payment_is_a_fact_with_its_date() {
        use crate::features::payments::rules::OrderStatus;
        let f = Facts { enrollment: None, payment: Some((OrderStatus::Pending, 42)), ..facts() };
        let checks = explain(&f);
        let payment = checks.iter().find(|c| c.check == "check_payment").expect("a payment line");
        assert_eq!((payment.passed, payment.fact, payment.at, payment.fix), (false, "fact_payment_pending", Some(42), Some(Fix::GrantAccess)));
        assert!(explain(&Facts { payment: Some((OrderStatus::Paid, 7)), ..facts() }).iter().any(|c| c.check == "check_payment" && c.passed));
        assert!(!explain(&facts()).iter().any(|c| c.check == "check_payment"), "no order, no line");
        // No account yet (the buyer's payment failed): the order still says why.
        let stranger = Facts { account: None, payment: Some((OrderStatus::Failed, 5)), ..facts() };
        assert_eq!(failed(&stranger), vec![("check_account", "fact_no_account"), ("check_payment", "fact_payment_failed")]);
    }

    fn failed(f: &Facts) -> Vec<(&'static str, &'static str)> {
        explain(f).into_iter().filter(|c| !c.passed).map(|c| (c.check, c.fact)).collect()
    }

    #[test]
    fn everything_right_passes_every_check() {
        let checks = explain(&facts());
        assert!(checks.iter().all(|c| c.passed), "{checks:?}");
        assert_eq!(checks.iter().map(|c| c.check).collect::<Vec<_>>(), vec!["check_account", "check_active", "check_course_published", "check_enrolled", "check_access_now", "check_login"]);
    }

    #[test]
    fn each_check_fails_with_its_fact_and_fix() {
        assert_eq!(explain(&Facts { account: None, ..facts() })[0].fix, Some(Fix::InviteOrGrant));
        let mut f = facts();
        f.account.as_mut().unwrap().active = false;
        assert_eq!(failed(&f), vec![("check_active", "fact_deactivated")]);
        let f = Facts { course: Some((false, "Yoga".into())), ..facts() };
        assert_eq!(failed(&f), vec![("check_course_published", "fact_course_draft")]);
        let f = Facts { lesson: Some((false, "L".into())), ..facts() };
        assert_eq!(failed(&f), vec![("check_lesson_published", "fact_lesson_draft")]);
        let f = Facts { enrollment: None, ..facts() };
        assert_eq!(failed(&f), vec![("check_enrolled", "fact_not_enrolled")]);
        let f = Facts { now: 50, ..facts() };
        assert_eq!(failed(&f), vec![("check_access_now", "fact_starts_on")]);
        let f = Facts { now: 2_000, ..facts() };
        let checks = explain(&f);
        let access = checks.iter().find(|c| c.check == "check_access_now").unwrap();
        assert_eq!((access.fact, access.at, access.fix), ("fact_ended_on", Some(1_000), Some(Fix::Extend)));
        let mut f = facts();
        f.enrollment.as_mut().unwrap().revoked = true;
        assert_eq!(failed(&f), vec![("check_access_now", "fact_revoked")]);
        let f = Facts { lesson_state: Some(Availability::Locked(Locked::Until(900))), ..facts() };
        assert_eq!(failed(&f), vec![("check_lesson_open", "fact_opens_at")]);
        let f = Facts { lesson_state: Some(Availability::Locked(Locked::PreviousNotDone)), ..facts() };
        assert_eq!(failed(&f), vec![("check_lesson_open", "fact_waits_previous")]);
        let f = Facts { lesson_state: Some(Availability::Closed { since: 400 }), ..facts() };
        assert_eq!(failed(&f), vec![("check_lesson_open", "fact_closed_since")]);
        let mut f = facts();
        f.account.as_mut().unwrap().last_login_at = None;
        f.last_login_email = Some(LoginEmailFacts { sent_at: 300, viewed_by_scanner: true, used: false });
        assert_eq!(failed(&f), vec![("check_login", "fact_never_logged_in"), ("check_login_email", "fact_email_scanner_only")]);
    }

    #[test]
    fn every_check_and_fact_has_a_message() {
        let mut scenarios = vec![facts(), Facts { account: None, ..facts() }, Facts { now: 50, ..facts() }, Facts { now: 2_000, ..facts() }, Facts { enrollment: None, ..facts() }];
        for state in [Availability::Open { closes_at: None }, Availability::Open { closes_at: Some(9) }, Availability::Locked(Locked::Until(9)), Availability::Locked(Locked::PreviousNotDone), Availability::Locked(Locked::Checkpoint(3)), Availability::Closed { since: 1 }, Availability::Expired { since: 1 }, Availability::OutsideOffer] {
            scenarios.push(Facts { lesson: Some((true, "L".into())), lesson_state: Some(state), ..facts() });
        }
        for (used, scanner) in [(true, false), (false, true), (false, false)] {
            let mut f = Facts { course: Some((false, "C".into())), lesson: Some((false, "L".into())), last_login_email: Some(LoginEmailFacts { sent_at: 1, viewed_by_scanner: scanner, used }), ..facts() };
            f.account.as_mut().unwrap().active = false;
            f.account.as_mut().unwrap().last_login_at = None;
            f.enrollment.as_mut().unwrap().revoked = true;
            scenarios.push(f);
        }
        scenarios.push(Facts { enrollment: Some(EnrollmentFacts { access_end: None, ..Default::default() }), ..facts() });
        for f in &scenarios {
            for c in explain(f) {
                assert!(crate::kernel::i18n::has_key(c.check) && crate::kernel::i18n::has_key(c.fact), "{} {}", c.check, c.fact);
            }
        }
    }

    #[test]
    fn mistyped_addresses_find_the_account_meant() {
        let school = ["jean.dupont@gmail.com", "marie+yoga@orange.fr", "paul@hotmail.com", "other@gmail.com"];
        assert_eq!(similar("Jean.Dupont@gmial.com", school), vec!["jean.dupont@gmail.com"]);
        assert_eq!(similar("jeandupont@gmail.com", school), vec!["jean.dupont@gmail.com"], "Gmail ignores dots");
        assert_eq!(similar("jean.dupont@gmail.con", school), vec!["jean.dupont@gmail.com"]);
        assert_eq!(similar("marie@orange.fr", school), vec!["marie+yoga@orange.fr"], "+tags");
        assert_eq!(similar("paul@hotmial.com", school), vec!["paul@hotmail.com"]);
        assert!(similar("paul@hotmail.com", school).is_empty(), "the exact address is not 'similar'");
        assert!(similar("nobody@gmail.com", school).is_empty());
    }
}
