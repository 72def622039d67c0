//! The form token that stands in for `Origin` when a browser sends none: the value of the
//! `__Host-` form-token cookie, repeated in a hidden field of the form (double submit).
//! Another site can make a browser post a form, but cannot read or set that cookie.

use crate::domain::token::constant_time_eq;

/// The value of `name` in an `application/x-www-form-urlencoded` body. Token values are
/// hex, so no percent-decoding is needed to compare them.
pub fn form_field<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then_some(v)
    })
}

pub fn form_token_matches(cookie_token: Option<&str>, form_body: &str, field: &str) -> bool {
    match (cookie_token, form_field(form_body, field)) {
        (Some(cookie), Some(sent)) if !cookie.is_empty() => constant_time_eq(cookie, sent),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_token_passes() {
        assert!(form_token_matches(Some("abc123"), "email=a%40b.c&csrf=abc123&next=", "csrf"));
    }

    #[test]
    fn missing_or_wrong_token_fails() {
        assert!(!form_token_matches(Some("abc123"), "email=a%40b.c", "csrf"));
        assert!(!form_token_matches(Some("abc123"), "csrf=abc124", "csrf"));
        assert!(!form_token_matches(None, "csrf=abc123", "csrf"));
        assert!(!form_token_matches(Some(""), "csrf=", "csrf"));
        assert!(!form_token_matches(Some("abc123"), "xcsrf=abc123", "csrf"));
    }
}
