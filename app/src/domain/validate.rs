//! Small field rules shared by forms and server functions.

pub const TITLE_MAX: usize = 200;
pub const SCHOOL_NAME_MAX: usize = 80;
pub const DESCRIPTION_MAX: usize = 5_000;

/// Trimmed, non-empty, at most `max` characters, no control characters.
pub fn title(raw: &str, max: usize) -> Result<String, &'static str> {
    let t = raw.trim();
    if t.is_empty() {
        return Err("title_required");
    }
    if t.chars().count() > max {
        return Err("title_too_long");
    }
    if t.chars().any(|c| c.is_control()) {
        return Err("title_invalid");
    }
    Ok(t.to_string())
}

/// `YYYY-MM-DD`, as an HTML date input sends it; empty means "none".
pub fn optional_date(raw: &str) -> Result<Option<chrono::NaiveDate>, &'static str> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Some).map_err(|_| "date_invalid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(title("  Bonjour ", 10), Ok("Bonjour".into()));
        assert_eq!(title("   ", 10), Err("title_required"));
        assert_eq!(title("abcdefghijk", 10), Err("title_too_long"));
        assert_eq!(title("a\u{0}b", 10), Err("title_invalid"));
    }

    #[test]
    fn dates() {
        assert_eq!(optional_date(""), Ok(None));
        assert!(optional_date("2026-02-28").unwrap().is_some());
        assert_eq!(optional_date("2026-02-30"), Err("date_invalid"));
        assert_eq!(optional_date("28/02/2026"), Err("date_invalid"));
    }
}
