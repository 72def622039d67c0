//! The form token that stands in for `Origin` when a browser sends none: the value of the
//! `__Host-` form-token cookie, repeated in a hidden field of the form (double submit).
//! Another site can make a browser post a form, but cannot read or set that cookie.

use crate::kernel::token::constant_time_eq;

/// The value of `name` in an `application/x-www-form-urlencoded` body. Token values are
/// hex, so no percent-decoding is needed to compare them.
pub fn form_field<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then_some(v)
    })
}

/// A form value with its `application/x-www-form-urlencoded` escapes undone (`+`, `%XX`),
/// once; `None` when absent or not UTF-8 once decoded.
pub fn form_value(body: &str, name: &str) -> Option<String> {
    let raw = form_field(body, name)?.replace('+', " ");
    percent_encoding::percent_decode_str(&raw).decode_utf8().ok().map(|v| v.into_owned())
}

/// A query or form component decoded (`+`, `%XX`); a malformed escape is kept as typed.
pub fn decode_component(raw: &str) -> String {
    form_value(&format!("x={raw}"), "x").unwrap_or_else(|| raw.to_string())
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
    fn form_values_are_decoded() {
        assert_eq!(form_value("email=student%40demo.test&code=1", "email").as_deref(), Some("student@demo.test"));
        assert_eq!(form_value("name=a+b%20c", "name").as_deref(), Some("a b c"));
        // A malformed escape stays as typed (as browsers read it); bad UTF-8 is no value.
        assert_eq!(form_value("name=%4", "name").as_deref(), Some("%4"));
        assert_eq!(form_value("name=%zz", "name").as_deref(), Some("%zz"));
        assert_eq!(form_value("name=%FF", "name"), None);
        assert_eq!(form_value("next=%252F", "next").as_deref(), Some("%2F"), "decoded once");
        assert_eq!(form_value("other=1", "name"), None);
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
