//! The login timeline a creator reads on a student's page: which link views were most
//! likely a mail scanner, not the student.

use crate::features::login::throttle::likely_scanner;

#[derive(Debug, Clone, PartialEq)]
pub struct LoginEvent {
    pub request_id: Option<String>,
    pub kind: String,
    pub at: i64,
    pub user_agent: String,
    pub had_cookies: bool,
}

const SENDS: [&str; 4] = ["code_sent", "code_resent", "invite_sent", "reminder_sent"];

/// For each event, whether it is a link view that looks like a scanner: within a minute of
/// the latest send of that request, without cookies, and not followed by a confirmation
/// from the same browser.
pub fn scanner_flags(events: &[LoginEvent]) -> Vec<bool> {
    events
        .iter()
        .map(|view| {
            if view.kind != "link_view" || view.request_id.is_none() {
                return false;
            }
            let same_request = |e: &&LoginEvent| e.request_id == view.request_id;
            let sent = events.iter().filter(same_request).filter(|e| SENDS.contains(&e.kind.as_str()) && e.at <= view.at).map(|e| e.at).max();
            let Some(sent) = sent else { return false };
            let confirmed = events
                .iter()
                .filter(same_request)
                .any(|e| e.kind == "link_confirmed" && e.at >= view.at && e.user_agent == view.user_agent);
            likely_scanner(view.at - sent, view.had_cookies, confirmed)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: &str, at: i64, ua: &str, cookies: bool) -> LoginEvent {
        LoginEvent { request_id: Some("r1".into()), kind: kind.into(), at, user_agent: ua.into(), had_cookies: cookies }
    }

    #[test]
    fn quick_cookieless_unconfirmed_view_is_a_scanner() {
        let events = [ev("code_sent", 0, "", false), ev("link_view", 4_000, "SafeLinks", false), ev("link_view", 300_000, "iPhone", false), ev("link_confirmed", 305_000, "iPhone", false)];
        assert_eq!(scanner_flags(&events), vec![false, true, false, false]);
    }

    #[test]
    fn a_quick_student_who_confirms_is_not_a_scanner() {
        let events = [ev("code_sent", 0, "", false), ev("link_view", 20_000, "iPhone", false), ev("link_confirmed", 25_000, "iPhone", false)];
        assert_eq!(scanner_flags(&events), vec![false, false, false]);
    }

    #[test]
    fn views_count_from_the_latest_resend() {
        let events = [ev("code_sent", 0, "", false), ev("code_resent", 500_000, "", false), ev("link_view", 510_000, "Scanner", false)];
        assert_eq!(scanner_flags(&events), vec![false, false, true]);
    }

    #[test]
    fn a_view_with_cookies_is_a_person() {
        let events = [ev("reminder_sent", 0, "", false), ev("link_view", 2_000, "Chrome", true)];
        assert_eq!(scanner_flags(&events), vec![false, false]);
    }
}
