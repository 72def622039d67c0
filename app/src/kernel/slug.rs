//! Slugs: the school's subdomain and a course's path segment.

use serde::{Deserialize, Serialize};

/// Subdomains we keep for the platform itself, or that would confuse people in a URL bar.
pub const RESERVED_SCHOOL_SLUGS: &[&str] = &[
    "www", "api", "admin", "app", "mail", "static", "_dev", "dev", "assets", "cdn", "help",
    "support", "status", "blog", "docs", "login", "auth", "smtp", "imap", "pop", "ftp", "ns1",
    "ns2", "atelier", "billing", "dashboard", "embed", "localhost", "test", "staging", "pkg",
];
/// Long enough to be meaningful, short enough to type on a phone.
pub const SCHOOL_SLUG_MIN: usize = 3;
pub const SCHOOL_SLUG_MAX: usize = 30;
pub const COURSE_SLUG_MAX: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolSlug(String);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseSlug(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugError {
    TooShort,
    TooLong,
    InvalidCharacters,
    HyphenAtEdge,
    Reserved,
}

impl SlugError {
    pub fn code(self) -> &'static str {
        match self {
            SlugError::TooShort => "slug_too_short",
            SlugError::TooLong => "slug_too_long",
            SlugError::InvalidCharacters => "slug_invalid_chars",
            SlugError::HyphenAtEdge => "slug_hyphen_edge",
            SlugError::Reserved => "slug_reserved",
        }
    }
}

fn check_shape(s: &str, min: usize, max: usize) -> Result<(), SlugError> {
    if !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(SlugError::InvalidCharacters);
    }
    if s.len() < min {
        return Err(SlugError::TooShort);
    }
    if s.len() > max {
        return Err(SlugError::TooLong);
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err(SlugError::HyphenAtEdge);
    }
    Ok(())
}

impl SchoolSlug {
    /// Exactly what was typed, trimmed: we do not silently rewrite someone's subdomain.
    pub fn parse(raw: &str) -> Result<SchoolSlug, SlugError> {
        let s = raw.trim();
        check_shape(s, SCHOOL_SLUG_MIN, SCHOOL_SLUG_MAX)?;
        if RESERVED_SCHOOL_SLUGS.contains(&s) || s.starts_with("xn--") {
            return Err(SlugError::Reserved);
        }
        Ok(SchoolSlug(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl CourseSlug {
    pub fn parse(raw: &str) -> Result<CourseSlug, SlugError> {
        let s = raw.trim();
        check_shape(s, 1, COURSE_SLUG_MAX)?;
        Ok(CourseSlug(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A suggestion derived from a title: "Éveil musical 2" -> "eveil-musical-2".
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    trimmed.chars().take(COURSE_SLUG_MAX).collect::<String>().trim_end_matches('-').to_string()
}

fn fold_accent(c: char) -> Vec<char> {
    let s = match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Î' | 'Ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ô' | 'Ö' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => "u",
        'ÿ' => "y",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        other => return vec![other],
    };
    s.chars().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_slugs() {
        assert_eq!(SchoolSlug::parse("yoga-avec-lea").unwrap().as_str(), "yoga-avec-lea");
        assert!(SchoolSlug::parse("abc").is_ok());
        assert!(SchoolSlug::parse(&"a".repeat(30)).is_ok());
    }

    #[test]
    fn each_failure_has_its_reason() {
        assert_eq!(SchoolSlug::parse("ab"), Err(SlugError::TooShort));
        assert_eq!(SchoolSlug::parse(&"a".repeat(31)), Err(SlugError::TooLong));
        assert_eq!(SchoolSlug::parse("Yoga"), Err(SlugError::InvalidCharacters));
        assert_eq!(SchoolSlug::parse("yo_ga"), Err(SlugError::InvalidCharacters));
        assert_eq!(SchoolSlug::parse("yoga.fr"), Err(SlugError::InvalidCharacters));
        assert_eq!(SchoolSlug::parse("école"), Err(SlugError::InvalidCharacters));
        assert_eq!(SchoolSlug::parse("-yoga"), Err(SlugError::HyphenAtEdge));
        assert_eq!(SchoolSlug::parse("yoga-"), Err(SlugError::HyphenAtEdge));
        for r in ["www", "api", "admin", "app", "mail", "static", "_dev"] {
            assert!(SchoolSlug::parse(r).is_err(), "{r} must be refused");
        }
        assert_eq!(SchoolSlug::parse("admin"), Err(SlugError::Reserved));
        assert_eq!(SchoolSlug::parse("xn--80ak6aa92e"), Err(SlugError::Reserved));
    }

    #[test]
    fn slugify_folds_accents_and_punctuation() {
        assert_eq!(slugify("Éveil musical : niveau 2!"), "eveil-musical-niveau-2");
        assert_eq!(slugify("  --  "), "");
        assert_eq!(slugify("Cœur"), "coeur");
    }

    proptest! {
        #[test]
        fn slugify_output_is_a_valid_course_slug_or_empty(s in "\\PC{0,100}") {
            let slug = slugify(&s);
            prop_assert!(slug.is_empty() || CourseSlug::parse(&slug).is_ok(), "{slug}");
        }
    }
}
