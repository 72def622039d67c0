//! School-scoped SQL: how a feature names a school's tables so that a query cannot reach
//! another school's rows, or a deleted row by accident. The query layer (`db::SchoolDb`)
//! expands it and binds the school as `?1`; a feature's own arguments are `?2`, `?3`...
//!
//! - `@courses c` (anywhere a table goes: FROM, JOIN, a subquery) reads the school's live
//!   courses: `(SELECT * FROM courses WHERE school_id = ?1 AND deleted_at IS NULL) c`.
//!   `@courses* c` includes soft-deleted rows (the trash, restoring).
//! - `INSERT INTO @t (a, b) VALUES (?2, ?3)` writes `school_id` itself; `... SELECT` too.
//! - `UPDATE @t SET ... WHERE ...` and `DELETE FROM @t WHERE ...` touch the school's (live)
//!   rows only; `@t*` lets an update reach deleted rows (restore).
//!
//! Pure: expanded once per statement text, unit-tested natively.

/// The tables that belong to a school (a `school_id` column), and whether rows are soft
/// deleted (`deleted_at`). Child tables without `school_id` (import rows, bulk results,
/// saved-list members) are reached through their parent's scoped row.
pub const SCHOOL_TABLES: &[(&str, bool)] = &[
    ("users", false),
    ("login_requests", false),
    ("login_events", false),
    ("sessions", false),
    ("courses", true),
    ("lessons", true),
    ("embed_stats", false),
    ("enrollments", false),
    ("notices", false),
    ("lesson_unlocks", false),
    ("completions", false),
    ("outbox", false),
    ("imports", false),
    ("audit_log", false),
    ("bulk_runs", false),
    ("saved_lists", false),
    ("lesson_blocks", false),
    ("lesson_tasks", false),
    ("submissions", false),
    ("course_curators", false),
    ("offers", true),
    ("join_requests", false),
    ("school_payments", false),
    ("orders", false),
    ("payment_events", false),
    ("coupons", false),
    ("offer_items", false),
    ("files", true),
    ("uploads", false),
    ("upload_parts", false),
    ("video_views", false),
    ("notifications", false),
    ("certificate_templates", false),
    ("certificates", false),
    ("user_aliases", false),
    ("email_templates", false),
    ("course_modules", false),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeError {
    /// `@name` is not a school table.
    UnknownTable(String),
    /// A bare `?` in a feature's SQL: its number would depend on where the layer's `?1`
    /// lands; arguments are numbered from `?2` (`?1` is the school, and may be used as such).
    Parameter(String),
    /// An INSERT whose columns or values could not be found.
    Insert(String),
}

/// Words that end a table reference (so what follows `@courses` is not its alias).
const KEYWORDS: &[&str] = &[
    "WHERE", "JOIN", "LEFT", "INNER", "CROSS", "ON", "USING", "ORDER", "GROUP", "LIMIT", "SET", "VALUES", "SELECT", "UNION", "HAVING", "RETURNING", "AS", "DEFAULT", "WINDOW", "EXCEPT", "INTERSECT",
];

fn table(name: &str) -> Result<(&'static str, bool), ScopeError> {
    SCHOOL_TABLES.iter().find(|(t, _)| *t == name).copied().ok_or_else(|| ScopeError::UnknownTable(name.to_string()))
}

fn scope(soft_delete: bool, with_deleted: bool) -> &'static str {
    if soft_delete && !with_deleted {
        "school_id = ?1 AND deleted_at IS NULL"
    } else {
        "school_id = ?1"
    }
}

/// The next identifier at the start of `s` (after spaces).
fn word(s: &str) -> &str {
    let s = s.trim_start();
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// Checks the feature's parameters are numbered (`?1` being the school).
fn check_parameters(sql: &str) -> Result<(), ScopeError> {
    let bytes = sql.as_bytes();
    let mut in_string = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' => in_string = !in_string,
            b'?' if !in_string => {
                let digits: String = sql[i + 1..].chars().take_while(|c| c.is_ascii_digit()).collect();
                if digits.is_empty() {
                    return Err(ScopeError::Parameter(format!("a bare `?` at {i}: number it (the school is ?1, arguments start at ?2)")));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The statement without its `--` comments: an apostrophe or `@` in a comment is prose, not
/// a string or a table.
fn without_comments(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut in_string = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_string = !in_string;
        } else if c == '-' && !in_string && chars.peek() == Some(&'-') {
            for skipped in chars.by_ref() {
                if skipped == '\n' {
                    out.push('\n');
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Expands every `@table` of a statement (see the module's comment).
pub fn expand(sql: &str) -> Result<String, ScopeError> {
    let sql = &without_comments(sql);
    check_parameters(sql)?;
    let upper = sql.trim_start().to_ascii_uppercase();
    let statement = sql.trim_start();
    if upper.starts_with("UPDATE @") || upper.starts_with("DELETE FROM @") {
        return expand_update_or_delete(statement);
    }
    if let Some(at) = upper.find("INTO @").filter(|_| upper.starts_with("INSERT")) {
        return expand_insert(statement, at + "INTO ".len());
    }
    expand_reads(statement)
}

/// `@t alias` → a subquery of the school's rows, everywhere in `sql`.
/// The first `@` of `sql` outside a string literal (an address in quotes is not a table).
fn table_mark(sql: &str) -> Option<usize> {
    let mut in_string = false;
    for (i, b) in sql.bytes().enumerate() {
        match b {
            b'\'' => in_string = !in_string,
            b'@' if !in_string => return Some(i),
            _ => {}
        }
    }
    None
}

fn expand_reads(sql: &str) -> Result<String, ScopeError> {
    let mut out = String::with_capacity(sql.len() + 128);
    let mut rest = sql;
    while let Some(at) = table_mark(rest) {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name = word(after);
        let (name, soft) = table(name)?;
        let mut tail = &after[name.len()..];
        let with_deleted = tail.starts_with('*');
        if with_deleted {
            tail = &tail[1..];
        }
        let next = word(tail);
        let has_alias = !next.is_empty() && !KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(next));
        let alias = if has_alias { next } else { name };
        out.push_str(&format!("(SELECT * FROM {name} WHERE {}) {alias}", scope(soft, with_deleted)));
        rest = if has_alias { &tail[tail.len() - tail.trim_start().len() + next.len()..] } else { tail };
    }
    out.push_str(rest);
    Ok(out)
}

/// Index of `keyword` (a whole word, outside parentheses and strings) in `sql`.
fn top_level(sql: &str, keyword: &str) -> Option<usize> {
    let bytes = sql.as_bytes();
    let (mut depth, mut in_string) = (0i32, false);
    let upper = sql.to_ascii_uppercase();
    for i in 0..bytes.len() {
        match bytes[i] {
            b'\'' => in_string = !in_string,
            b'(' if !in_string => depth += 1,
            b')' if !in_string => depth -= 1,
            _ if depth == 0 && !in_string && upper[i..].starts_with(keyword) => {
                let before = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
                let end = i + keyword.len();
                let after = end >= bytes.len() || !(bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_');
                if before && after {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn expand_update_or_delete(sql: &str) -> Result<String, ScopeError> {
    let at = sql.find('@').expect("checked by the caller");
    let name = word(&sql[at + 1..]);
    let (name, soft) = table(name)?;
    let mut tail = &sql[at + 1 + name.len()..];
    let with_deleted = tail.starts_with('*');
    if with_deleted {
        tail = &tail[1..];
    }
    let head = format!("{}{name}", &sql[..at]);
    let body = expand_reads(tail)?;
    let condition = scope(soft, with_deleted);
    let end = top_level(&body, "RETURNING").unwrap_or(body.len());
    let (main, returning) = body.split_at(end);
    let main = main.trim_end();
    let scoped = match top_level(main, "WHERE") {
        Some(w) => format!("{} WHERE {condition} AND ({})", &main[..w].trim_end(), main[w + "WHERE".len()..].trim()),
        None => format!("{main} WHERE {condition}"),
    };
    Ok(if returning.is_empty() { format!("{head}{scoped}") } else { format!("{head}{scoped} {returning}") })
}

fn expand_insert(sql: &str, at: usize) -> Result<String, ScopeError> {
    let name = word(&sql[at + 1..]);
    let (name, _) = table(name)?;
    let tail = &sql[at + 1 + name.len()..];
    let open = tail.find('(').ok_or_else(|| ScopeError::Insert("no column list".into()))?;
    if !tail[..open].trim().is_empty() {
        return Err(ScopeError::Insert("the column list must follow the table".into()));
    }
    let after_columns = &tail[open + 1..];
    let mut out = format!("{}{name} (school_id, {after_columns}", &sql[..at]);
    // The values: `VALUES (...), (...)` each get ?1 first; `SELECT a, b` gets `SELECT ?1, a, b`.
    let close = out.find(')').ok_or_else(|| ScopeError::Insert("unclosed column list".into()))?;
    let (columns, rest) = out.split_at(close + 1);
    let rest = expand_reads(rest)?;
    let rest_trim = rest.trim_start();
    let values = if rest_trim.to_ascii_uppercase().starts_with("VALUES") {
        let mut v = String::new();
        let mut depth = 0;
        let mut in_string = false;
        let conflict = top_level(rest_trim, "ON").or_else(|| top_level(rest_trim, "RETURNING")).unwrap_or(rest_trim.len());
        for (i, c) in rest_trim.char_indices() {
            v.push(c);
            if i >= conflict {
                continue;
            }
            match c {
                '\'' => in_string = !in_string,
                '(' if !in_string => {
                    if depth == 0 {
                        v.push_str("?1, ");
                    }
                    depth += 1;
                }
                ')' if !in_string => depth -= 1,
                _ => {}
            }
        }
        v
    } else if rest_trim.to_ascii_uppercase().starts_with("SELECT") {
        format!("SELECT ?1, {}", rest_trim["SELECT".len()..].trim_start())
    } else {
        return Err(ScopeError::Insert("VALUES or SELECT must follow the columns".into()));
    };
    out = format!("{columns} {values}");
    Ok(out)
}

/// The school found by its subdomain instead of its id: every `?1` (the school, in expanded
/// SQL) becomes a lookup of the slug bound as `?1`. For reads that ride in the viewer's own
/// batch, before the school's id is known (`SchoolDb::by_slug`).
pub fn school_by_slug(expanded: &str) -> String {
    school_by_lookup(expanded, "(SELECT id FROM schools WHERE slug = ?1)")
}

/// `school_by_slug` for reads worth making only if the school's statistics changed since a
/// version the caller holds: `?1` is bound as `["slug", version]`, and an unchanged school
/// is no school (`school_id = NULL`: each read stops at once, reading nothing). Migration
/// 0021 says what bumps `stats_version`.
pub fn school_by_slug_if_changed(expanded: &str) -> String {
    school_by_lookup(expanded, "(SELECT id FROM schools WHERE slug = json_extract(?1, '$[0]') AND stats_version <> json_extract(?1, '$[1]'))")
}

fn school_by_lookup(expanded: &str, lookup: &str) -> String {
    let bytes = expanded.as_bytes();
    let mut out = String::with_capacity(expanded.len() + 256);
    let (mut in_string, mut last) = (false, 0);
    for i in 0..bytes.len() {
        match bytes[i] {
            b'\'' => in_string = !in_string,
            b'?' if !in_string && bytes.get(i + 1) == Some(&b'1') && !bytes.get(i + 2).is_some_and(|b| b.is_ascii_digit()) => {
                out.push_str(&expanded[last..i]);
                out.push_str(lookup);
                last = i + 2;
            }
            _ => {}
        }
    }
    out.push_str(&expanded[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_see_one_school_and_live_rows() {
        assert_eq!(
            expand("SELECT c.title FROM @courses c JOIN @lessons l ON l.course_id = c.id WHERE c.id = ?2").unwrap(),
            "SELECT c.title FROM (SELECT * FROM courses WHERE school_id = ?1 AND deleted_at IS NULL) c JOIN (SELECT * FROM lessons WHERE school_id = ?1 AND deleted_at IS NULL) l ON l.course_id = c.id WHERE c.id = ?2"
        );
        assert_eq!(expand("SELECT count(*) FROM @users WHERE role = 'student'").unwrap(), "SELECT count(*) FROM (SELECT * FROM users WHERE school_id = ?1) users WHERE role = 'student'");
        assert_eq!(expand("SELECT id FROM @courses* c WHERE c.deleted_at > ?2").unwrap(), "SELECT id FROM (SELECT * FROM courses WHERE school_id = ?1) c WHERE c.deleted_at > ?2");
        assert_eq!(
            expand("SELECT (SELECT count(*) FROM @enrollments e WHERE e.course_id = c.id) AS n FROM @courses c").unwrap(),
            "SELECT (SELECT count(*) FROM (SELECT * FROM enrollments WHERE school_id = ?1) e WHERE e.course_id = c.id) AS n FROM (SELECT * FROM courses WHERE school_id = ?1 AND deleted_at IS NULL) c"
        );
    }

    #[test]
    fn writes_are_scoped_and_inserts_carry_the_school() {
        assert_eq!(expand("UPDATE @courses SET title = ?2 WHERE id = ?3").unwrap(), "UPDATE courses SET title = ?2 WHERE school_id = ?1 AND deleted_at IS NULL AND (id = ?3)");
        assert_eq!(expand("UPDATE @courses* SET deleted_at = NULL WHERE id = ?2 OR slug = ?3 RETURNING id").unwrap(), "UPDATE courses SET deleted_at = NULL WHERE school_id = ?1 AND (id = ?2 OR slug = ?3) RETURNING id");
        assert_eq!(expand("DELETE FROM @sessions WHERE user_id = ?2").unwrap(), "DELETE FROM sessions WHERE school_id = ?1 AND (user_id = ?2)");
        assert_eq!(expand("INSERT INTO @completions (user_id, lesson_id) VALUES (?2, ?3)").unwrap(), "INSERT INTO completions (school_id, user_id, lesson_id) VALUES (?1, ?2, ?3)");
        assert_eq!(
            expand("INSERT OR IGNORE INTO @enrollments (user_id, course_id) VALUES (?2, ?3), (?2, ?4) ON CONFLICT (user_id, course_id) DO UPDATE SET status = 'active'").unwrap(),
            "INSERT OR IGNORE INTO enrollments (school_id, user_id, course_id) VALUES (?1, ?2, ?3), (?1, ?2, ?4) ON CONFLICT (user_id, course_id) DO UPDATE SET status = 'active'"
        );
        assert_eq!(
            expand("INSERT INTO @notices (user_id, kind) SELECT u.id, 'x' FROM @users u WHERE u.id = ?2").unwrap(),
            "INSERT INTO notices (school_id, user_id, kind) SELECT ?1, u.id, 'x' FROM (SELECT * FROM users WHERE school_id = ?1) u WHERE u.id = ?2"
        );
    }

    #[test]
    fn comments_are_prose() {
        assert_eq!(
            expand("SELECT id FROM @users u -- the batch's first row, not @courses\n WHERE u.id = ?2").unwrap(),
            "SELECT id FROM (SELECT * FROM users WHERE school_id = ?1) u \n WHERE u.id = ?2"
        );
        assert_eq!(expand("SELECT '--' AS dash FROM @users").unwrap(), "SELECT '--' AS dash FROM (SELECT * FROM users WHERE school_id = ?1) users");
        // An `@` in quotes is text, not a table.
        assert_eq!(expand("SELECT id FROM @users WHERE email LIKE '%@demo.test'").unwrap(), "SELECT id FROM (SELECT * FROM users WHERE school_id = ?1) users WHERE email LIKE '%@demo.test'");
    }

    #[test]
    fn a_school_found_by_its_slug() {
        let expanded = expand("SELECT id FROM @users WHERE email = ?2 AND id > ?10 AND note <> '?1'").unwrap();
        assert_eq!(
            school_by_slug(&expanded),
            "SELECT id FROM (SELECT * FROM users WHERE school_id = (SELECT id FROM schools WHERE slug = ?1)) users WHERE email = ?2 AND id > ?10 AND note <> '?1'"
        );
    }

    #[test]
    fn a_school_found_by_its_slug_only_if_it_changed() {
        let expanded = expand("SELECT COUNT(*) AS n FROM @users u JOIN @enrollments e ON e.user_id = u.id WHERE e.id > ?2").unwrap();
        let lookup = "(SELECT id FROM schools WHERE slug = json_extract(?1, '$[0]') AND stats_version <> json_extract(?1, '$[1]'))";
        let changed = school_by_slug_if_changed(&expanded);
        // Every read of the school's rows goes through the lookup: an unchanged school reads nothing.
        assert_eq!(changed.matches(lookup).count(), 2, "{changed}");
        assert!(!changed.contains("= ?1)") && changed.contains("e.id > ?2"), "{changed}");
    }

    #[test]
    fn mistakes_are_refused() {
        assert_eq!(expand("SELECT * FROM @schools"), Err(ScopeError::UnknownTable("schools".into())));
        assert!(matches!(expand("SELECT * FROM @users WHERE id = ?"), Err(ScopeError::Parameter(_))));
        // `?1` is the school, as the layer binds it.
        assert!(expand("SELECT (SELECT default_locale FROM schools WHERE id = ?1) AS l FROM @users WHERE id = ?2").is_ok());
        assert!(expand("SELECT * FROM @users WHERE email = 'a?'").is_ok());
    }
}
