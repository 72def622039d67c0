//! Login limits. Each is counted from the login event log in D1 (never KV: a counter that
//! lags by a minute across locations is no limit), over a sliding window.

pub const MINUTE_MS: i64 = 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window_ms: i64,
}

/// Login emails per email address and school: enough for a student who retries and resends,
/// too few to flood an inbox.
pub const EMAILS_PER_ADDRESS: Limit = Limit { max: 5, window_ms: 15 * MINUTE_MS };
/// Login requests per IP address, across schools: a classroom behind one NAT fits, a
/// script walking through an email list does not.
pub const REQUESTS_PER_IP: Limit = Limit { max: 30, window_ms: 15 * MINUTE_MS };
/// Wrong codes per account (email and school) across all its login requests: each request
/// allows 5, so this stops an attacker who keeps asking for new ones.
pub const WRONG_CODES_PER_ACCOUNT: Limit = Limit { max: 20, window_ms: 60 * MINUTE_MS };

/// How a limit stands, from the number of events in the window and the oldest one's time.
/// Events past the limit are never recorded, so the oldest leaving the window frees a slot.
pub fn check(limit: Limit, count_in_window: i64, oldest_in_window: Option<i64>, now: i64) -> Result<(), RetryAt> {
    if count_in_window < limit.max {
        return Ok(());
    }
    let retry = oldest_in_window.map(|t| t + limit.window_ms).unwrap_or(now + limit.window_ms).max(now + 1);
    Err(RetryAt(retry))
}

pub use crate::kernel::time::RetryAt;

/// A mail scanner fetches a link within seconds of delivery, without cookies, and never
/// confirms; a person takes longer, or has cookies, or goes on to confirm.
pub const SCANNER_WINDOW_MS: i64 = 60_000;

pub fn likely_scanner(seconds_after_send_ms: i64, had_cookies: bool, confirmed_afterwards: bool) -> bool {
    seconds_after_send_ms <= SCANNER_WINDOW_MS && !had_cookies && !confirmed_afterwards
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn under_the_limit_passes() {
        assert_eq!(check(EMAILS_PER_ADDRESS, 4, Some(0), 1000), Ok(()));
        assert_eq!(check(EMAILS_PER_ADDRESS, 0, None, 1000), Ok(()));
    }

    #[test]
    fn at_the_limit_waits_for_the_oldest_to_leave() {
        let now = 10 * MINUTE_MS;
        let retry = check(EMAILS_PER_ADDRESS, 5, Some(2 * MINUTE_MS), now).unwrap_err();
        assert_eq!(retry, RetryAt(17 * MINUTE_MS));
        assert_eq!(retry.minutes_from(now), 7);
    }

    #[test]
    fn minutes_round_up() {
        assert_eq!(RetryAt(61_000).minutes_from(0), 2);
        assert_eq!(RetryAt(60_000).minutes_from(0), 1);
        assert_eq!(RetryAt(5).minutes_from(0), 1);
        assert_eq!(RetryAt(0).minutes_from(10), 1);
    }

    #[test]
    fn scanners_are_quick_cookieless_and_never_confirm() {
        assert!(likely_scanner(3_000, false, false));
        assert!(!likely_scanner(3_000, true, false));
        assert!(!likely_scanner(3_000, false, true));
        assert!(!likely_scanner(120_000, false, false));
    }

    proptest! {
        #[test]
        fn retry_time_is_in_the_future_and_within_the_window(
            count in 0i64..100, oldest_ago in 0i64..(60 * MINUTE_MS), now in (60 * MINUTE_MS)..(1i64 << 45)
        ) {
            for limit in [EMAILS_PER_ADDRESS, REQUESTS_PER_IP, WRONG_CODES_PER_ACCOUNT] {
                let oldest = now - oldest_ago.min(limit.window_ms - 1);
                match check(limit, count, Some(oldest), now) {
                    Ok(()) => prop_assert!(count < limit.max),
                    Err(RetryAt(t)) => {
                        prop_assert!(count >= limit.max);
                        prop_assert!(t > now && t <= now + limit.window_ms);
                    }
                }
            }
        }
    }
}
