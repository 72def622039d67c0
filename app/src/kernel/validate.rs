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

/// A control character no person types: C0 (NUL, ESC...) and DEL, but not tab or line breaks,
/// which notes and CSV cells may hold. Stored, they would show as nothing or break exports.
pub fn is_stray_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) && (c < '\u{80}' || c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c))
}

/// A first or last name: trimmed, at most `NAME_MAX` characters, no control character at all.
pub fn person_name(raw: &str) -> Result<String, &'static str> {
    let t = raw.trim();
    if t.chars().any(|c| c.is_control()) {
        return Err("name_control_character");
    }
    if t.chars().count() > NAME_MAX {
        return Err("import_name_too_long");
    }
    Ok(t.to_string())
}

/// A note about a student: at most `NOTE_MAX` characters; tabs and line breaks allowed.
pub fn note(raw: &str) -> Result<String, &'static str> {
    if raw.chars().any(is_stray_control) {
        return Err("note_control_character");
    }
    if raw.chars().count() > NOTE_MAX {
        return Err("import_note_too_long");
    }
    Ok(raw.trim().to_string())
}

pub const NAME_MAX: usize = 100;
pub const NOTE_MAX: usize = 2_000;

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
    fn names_and_notes_refuse_control_characters() {
        assert_eq!(person_name(" Zoé "), Ok("Zoé".into()));
        assert_eq!(person_name("Zo\u{0}é"), Err("name_control_character"));
        assert_eq!(person_name("a\u{1b}[31m"), Err("name_control_character"));
        assert_eq!(person_name(&"x".repeat(NAME_MAX + 1)), Err("import_name_too_long"));
        assert_eq!(note("line 1\nline 2\tok"), Ok("line 1\nline 2\tok".into()));
        assert_eq!(note("bell\u{7}"), Err("note_control_character"));
        assert_eq!(note("del\u{7f}"), Err("note_control_character"));
    }

    #[test]
    fn dates() {
        assert_eq!(optional_date(""), Ok(None));
        assert!(optional_date("2026-02-28").unwrap().is_some());
        assert_eq!(optional_date("2026-02-30"), Err("date_invalid"));
        assert_eq!(optional_date("28/02/2026"), Err("date_invalid"));
    }
}
