//! `Email`: an address that has been parsed and normalised, so two spellings of one inbox
//! match the same account and nothing malformed reaches the database or the mailer.

use serde::{Deserialize, Serialize};
use std::fmt;

/// RFC 5321 limits: 64 for the local part, 254 for the whole path.
pub const MAX_LOCAL_LEN: usize = 64;
pub const MAX_EMAIL_LEN: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailError {
    Empty,
    TooLong,
    MissingAt,
    BadLocalPart,
    BadDomain,
}

impl EmailError {
    pub fn code(self) -> &'static str {
        match self {
            EmailError::Empty => "email_empty",
            EmailError::TooLong => "email_too_long",
            EmailError::MissingAt => "email_missing_at",
            EmailError::BadLocalPart => "email_bad_local",
            EmailError::BadDomain => "email_bad_domain",
        }
    }
}

impl Email {
    /// Trims, lowercases (mailboxes are matched case-insensitively here, as every mail
    /// provider students use does) and validates a practical subset of RFC 5322 addresses.
    pub fn parse(raw: &str) -> Result<Email, EmailError> {
        let trimmed = raw.trim().trim_matches(|c| c == '<' || c == '>').trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > MAX_EMAIL_LEN {
            return Err(EmailError::TooLong);
        }
        let lower = trimmed.to_lowercase();
        let (local, domain) = lower.rsplit_once('@').ok_or(EmailError::MissingAt)?;
        if local.is_empty()
            || local.len() > MAX_LOCAL_LEN
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
            || !local.chars().all(is_local_char)
        {
            return Err(EmailError::BadLocalPart);
        }
        if !is_valid_domain(domain) {
            return Err(EmailError::BadDomain);
        }
        Ok(Email(lower))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// "j•••@gmail.com": enough for a person to recognise their address on a shared screen.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.split_once('@').unwrap_or((&self.0, ""));
        let first: String = local.chars().take(1).collect();
        format!("{first}•••@{domain}")
    }
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c) || (!c.is_ascii() && !c.is_control() && !c.is_whitespace())
}

fn is_valid_domain(domain: &str) -> bool {
    if domain.len() < 3 || domain.len() > 253 || !domain.contains('.') {
        return false;
    }
    domain.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || (!c.is_ascii() && c.is_alphanumeric()))
    }) && !domain.rsplit('.').next().unwrap_or("").chars().all(|c| c.is_ascii_digit())
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_case_and_whitespace() {
        let e = Email::parse("  Jeanne.Dupont@Example.FR ").unwrap();
        assert_eq!(e.as_str(), "jeanne.dupont@example.fr");
        assert_eq!(Email::parse("<a@b.co>").unwrap().as_str(), "a@b.co");
    }

    #[test]
    fn rejects_each_malformed_shape_with_its_reason() {
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
        assert_eq!(Email::parse("no-at.example.com"), Err(EmailError::MissingAt));
        assert_eq!(Email::parse("@example.com"), Err(EmailError::BadLocalPart));
        assert_eq!(Email::parse("a..b@example.com"), Err(EmailError::BadLocalPart));
        assert_eq!(Email::parse("a b@example.com"), Err(EmailError::BadLocalPart));
        assert_eq!(Email::parse("a@localhost"), Err(EmailError::BadDomain));
        assert_eq!(Email::parse("a@-x.com"), Err(EmailError::BadDomain));
        assert_eq!(Email::parse("a@x..com"), Err(EmailError::BadDomain));
        assert_eq!(Email::parse("a@1.2.3.4"), Err(EmailError::BadDomain));
        assert_eq!(Email::parse(&format!("{}@x.com", "a".repeat(65))), Err(EmailError::BadLocalPart));
        assert_eq!(Email::parse(&format!("a@{}.com", "b".repeat(260))), Err(EmailError::TooLong));
    }

    #[test]
    fn refuses_header_injection_and_markup() {
        for hostile in [
            "a@b.com\r\nBcc: x@y.com",
            "a@b.com\nx",
            "<script>@x.com",
            "a\"b@x.com",
            "a@b.com,c@d.com",
            "a@b.com;c@d.com",
            "a@b .com",
        ] {
            assert!(Email::parse(hostile).is_err(), "{hostile:?} must be refused");
        }
    }

    #[test]
    fn masks_for_display() {
        assert_eq!(Email::parse("jeanne@gmail.com").unwrap().masked(), "j•••@gmail.com");
    }

    proptest! {
        #[test]
        fn parse_is_idempotent(local in "[a-zA-Z0-9._%+-]{1,20}", domain in "[a-z]{1,10}\\.[a-z]{2,5}") {
            if let Ok(e) = Email::parse(&format!("{local}@{domain}")) {
                let again = Email::parse(e.as_str()).unwrap();
                prop_assert_eq!(again, e);
            }
        }

        #[test]
        fn parse_never_panics_and_output_has_no_whitespace(s in "\\PC{0,80}") {
            if let Ok(e) = Email::parse(&s) {
                prop_assert!(!e.as_str().chars().any(|c| c.is_whitespace() || c.is_control()));
                prop_assert_eq!(e.as_str().matches('@').count(), 1);
            }
        }
    }
}
