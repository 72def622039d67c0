//! The student directory's filters: what the creator asks ("expired in yoga", "never logged
//! in", "last login before March"), read from the query string, written back to it (links,
//! pagination, exports, bulk actions all carry the same filter), and turned into one SQL
//! condition with its parameters. No I/O.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnrollmentState {
    Active,
    Expired,
    Revoked,
    /// No enrollment (in the chosen course, or at all).
    None,
}

impl EnrollmentState {
    pub fn parse(s: &str) -> Option<EnrollmentState> {
        Some(match s {
            "active" => EnrollmentState::Active,
            "expired" => EnrollmentState::Expired,
            "revoked" => EnrollmentState::Revoked,
            "none" => EnrollmentState::None,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            EnrollmentState::Active => "active",
            EnrollmentState::Expired => "expired",
            EnrollmentState::Revoked => "revoked",
            EnrollmentState::None => "none",
        }
    }
}

/// A SQL parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlValue {
    Int(i64),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DirectoryFilter {
    /// Name or email contains this.
    pub text: String,
    /// A course slug.
    pub course: Option<String>,
    pub enrollment: Option<EnrollmentState>,
    /// `Some(true)`: active accounts; `Some(false)`: deactivated.
    pub account_active: Option<bool>,
    pub never_logged_in: bool,
    pub last_login_before: Option<NaiveDate>,
    pub last_login_after: Option<NaiveDate>,
    /// Members of a saved list.
    pub list: Option<i64>,
    /// Any criterion instead of all of them.
    pub any: bool,
    /// Accounts created on or after this day ("new this week").
    #[serde(default)]
    pub joined_after: Option<NaiveDate>,
    /// An email to them bounced.
    #[serde(default)]
    pub bounced: bool,
}

/// The columns a directory export can have, in this order: (name, scoped SQL on `@users u`). The
/// import reads back those it knows (email, names, courses, language, note).
pub const STUDENT_COLUMNS: &[(&str, &str)] = &[
    ("email", "u.email"),
    ("first_name", "u.first_name"),
    ("last_name", "u.last_name"),
    ("status", "u.status"),
    ("language", "COALESCE(u.locale, '')"),
    ("courses", "(SELECT COALESCE(group_concat(c.slug, '|'), '') FROM @enrollments e JOIN @courses c ON c.id = e.course_id WHERE e.user_id = u.id AND e.status = 'active')"),
    ("last_login", "u.last_login_at"),
    ("created", "u.created_at"),
    ("note", "u.note"),
];

/// Students per directory page.
pub const PAGE_SIZE: i64 = 50;
const DAY_MS: i64 = 86_400_000;

/// When an enrollment's access ends (`e`, its course `c`): its own end, else its course's
/// length after its start; null: never.
fn access_end_sql() -> String {
    format!("COALESCE(e.access_end, e.access_start + c.access_days * {DAY_MS})")
}

/// A trigram index finds text of three characters or more; shorter text is looked for
/// row by row (LIKE), which is quick enough for what one or two letters are used for.
pub const INDEXED_SEARCH_CHARS: usize = 3;

/// The typed text as one FTS5 phrase: found as it is, quotes and operators included.
fn search_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// `%` and `_` are wildcards in LIKE: typed ones match themselves.
fn like_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{}%", escaped.to_lowercase())
}

impl DirectoryFilter {
    /// Reads the filter from query pairs; what does not parse is ignored (and named).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> (DirectoryFilter, Vec<&'static str>) {
        let mut f = DirectoryFilter::default();
        let mut problems = vec![];
        for (k, v) in pairs {
            let v = v.trim();
            match k {
                "q" => f.text = v.chars().take(200).collect(),
                "course" if !v.is_empty() => f.course = Some(v.to_ascii_lowercase()),
                "enrollment" if !v.is_empty() => match EnrollmentState::parse(v) {
                    Some(s) => f.enrollment = Some(s),
                    None => problems.push("filter_invalid"),
                },
                "account" => match v {
                    "active" => f.account_active = Some(true),
                    "deactivated" => f.account_active = Some(false),
                    "" => {}
                    _ => problems.push("filter_invalid"),
                },
                "never" => f.never_logged_in = v == "on" || v == "1",
                "before" | "after" if !v.is_empty() => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                    Ok(d) if k == "before" => f.last_login_before = Some(d),
                    Ok(d) => f.last_login_after = Some(d),
                    Err(_) => problems.push("date_invalid"),
                },
                "match" => f.any = v == "any",
                "joined" if !v.is_empty() => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                    Ok(d) => f.joined_after = Some(d),
                    Err(_) => problems.push("date_invalid"),
                },
                "bounced" => f.bounced = v == "on" || v == "1",
                "list" if !v.is_empty() => match v.parse::<i64>() {
                    Ok(id) => f.list = Some(id),
                    Err(_) => problems.push("filter_invalid"),
                },
                _ => {}
            }
        }
        (f, problems)
    }

    /// The query string that reads back as this filter.
    pub fn to_query(&self) -> String {
        let mut parts = vec![];
        let mut push = |k: &str, v: &str| parts.push(format!("{k}={}", crate::kernel::url::encode(v)));
        if !self.text.is_empty() {
            push("q", &self.text);
        }
        if let Some(c) = &self.course {
            push("course", c);
        }
        if let Some(e) = self.enrollment {
            push("enrollment", e.as_str());
        }
        match self.account_active {
            Some(true) => push("account", "active"),
            Some(false) => push("account", "deactivated"),
            None => {}
        }
        if self.never_logged_in {
            push("never", "on");
        }
        if let Some(d) = self.last_login_before {
            push("before", &d.to_string());
        }
        if let Some(d) = self.last_login_after {
            push("after", &d.to_string());
        }
        if let Some(l) = self.list {
            push("list", &l.to_string());
        }
        if let Some(d) = self.joined_after {
            push("joined", &d.to_string());
        }
        if self.bounced {
            push("bounced", "on");
        }
        if self.any {
            push("match", "any");
        }
        parts.join("&")
    }

    pub fn is_empty(&self) -> bool {
        DirectoryFilter { any: false, ..self.clone() } == DirectoryFilter::default()
    }

    /// The course and enrollment-state criterion ("expired in yoga": one criterion when both
    /// are given) as `FROM @enrollments e JOIN @courses c ... WHERE ...`, and whether the
    /// filter asks for the students *outside* it ("no enrollment"). None: no such criterion.
    fn enrollments(&self, param: &mut impl FnMut(SqlValue) -> String, now: i64) -> Option<(String, bool)> {
        if self.course.is_none() && self.enrollment.is_none() {
            return None;
        }
        let course = self.course.as_ref().map(|c| format!(" AND c.slug = {}", param(SqlValue::Text(c.clone())))).unwrap_or_default();
        let end = access_end_sql();
        // Every bound parameter must appear in the statement: `now` only when it is used.
        let state = match self.enrollment {
            None => String::new(),
            Some(EnrollmentState::Active) => {
                let now_p = param(SqlValue::Int(now));
                format!(" AND e.status = 'active' AND e.access_start <= {now_p} AND ({end} IS NULL OR {end} > {now_p})")
            }
            Some(EnrollmentState::Expired) => {
                let now_p = param(SqlValue::Int(now));
                format!(" AND e.status = 'active' AND {end} <= {now_p}")
            }
            Some(EnrollmentState::Revoked) => " AND e.status = 'revoked'".to_string(),
            Some(EnrollmentState::None) => String::new(),
        };
        Some((format!("FROM @enrollments e JOIN @courses c ON c.id = e.course_id WHERE 1 = 1{course}{state}"), self.enrollment == Some(EnrollmentState::None)))
    }

    /// When "active" next changes by time alone (scoped SQL, `now` as `?2`; `next`, null if
    /// never): the first access to start, or the first to end, after `now` — the bounds the
    /// "active" filter compares `now` with.
    pub fn next_access_change_sql() -> String {
        let end = access_end_sql();
        format!(
            "SELECT MIN(t) AS next FROM (
               SELECT MIN(e.access_start) AS t FROM @enrollments e JOIN @courses c ON c.id = e.course_id WHERE e.status = 'active' AND e.access_start > ?2
               UNION ALL
               SELECT MIN({end}) AS t FROM @enrollments e JOIN @courses c ON c.id = e.course_id WHERE e.status = 'active' AND {end} > ?2)"
        )
    }

    /// How many students match, as one statement (`n`), parameters from `?{first}`. A filter
    /// that is only "enrolled in…" is counted from the enrollments' side: the school's
    /// matching enrollments read, rather than every student of the school probed.
    pub fn count(&self, first: usize, now: i64, day_start: impl Fn(NaiveDate) -> i64) -> (String, Vec<SqlValue>) {
        let only_enrollments = DirectoryFilter { course: self.course.clone(), enrollment: self.enrollment, any: self.any, ..Default::default() } == *self;
        if only_enrollments {
            let mut params: Vec<SqlValue> = vec![];
            let mut param = |v: SqlValue| {
                params.push(v);
                format!("?{}", first + params.len() - 1)
            };
            if let Some((enrolled, false)) = self.enrollments(&mut param, now) {
                let sql = format!("SELECT COUNT(*) AS n FROM (SELECT DISTINCT e.user_id {enrolled}) m JOIN @users u ON u.id = m.user_id WHERE u.role = 'student'");
                return (sql, params);
            }
        }
        let (condition, params) = self.condition(first, now, day_start);
        (format!("SELECT COUNT(*) AS n FROM @users u WHERE u.role = 'student' AND {condition}"), params)
    }

    /// One condition on `users u` in scoped SQL (`kernel::scoped_sql`: the school and the role
    /// are the caller's), with parameters
    /// numbered from `?{first}`. `now` and `day_start` (a local date's first instant, in the
    /// school's zone) decide "expired" and the login dates.
    pub fn condition(&self, first: usize, now: i64, day_start: impl Fn(NaiveDate) -> i64) -> (String, Vec<SqlValue>) {
        let mut params: Vec<SqlValue> = vec![];
        let mut param = |v: SqlValue| {
            params.push(v);
            format!("?{}", first + params.len() - 1)
        };
        let mut criteria: Vec<String> = vec![];
        let text = self.text.trim();
        if text.chars().count() >= INDEXED_SEARCH_CHARS {
            // The trigram index (migration 0014): any three letters in a row, accents and
            // case aside; the join to `users` keeps it to the school.
            let p = param(SqlValue::Text(search_phrase(text)));
            criteria.push(format!("u.id IN (SELECT rowid FROM users_search WHERE users_search MATCH {p})"));
        } else if !text.is_empty() {
            let p = param(SqlValue::Text(like_pattern(text)));
            criteria.push(format!("(u.email LIKE {p} ESCAPE '\\' OR lower(u.first_name) LIKE {p} ESCAPE '\\' OR lower(u.last_name) LIKE {p} ESCAPE '\\' OR lower(u.display_name) LIKE {p} ESCAPE '\\')"));
        }
        if let Some((enrolled, negated)) = self.enrollments(&mut param, now) {
            // The matching enrollments' students, read once (not once per student: over
            // 50,000 students a correlated EXISTS is what made the directory slow).
            let within = format!("u.id IN (SELECT e.user_id {enrolled})");
            criteria.push(if negated { format!("NOT {within}") } else { within });
        }
        match self.account_active {
            Some(true) => criteria.push("u.status = 'active'".into()),
            Some(false) => criteria.push("u.status = 'deactivated'".into()),
            None => {}
        }
        if self.never_logged_in {
            criteria.push("u.last_login_at IS NULL".into());
        }
        if let Some(d) = self.last_login_before {
            criteria.push(format!("u.last_login_at < {}", param(SqlValue::Int(day_start(d)))));
        }
        if let Some(d) = self.last_login_after {
            // "After the 5th" includes the 5th.
            criteria.push(format!("u.last_login_at >= {}", param(SqlValue::Int(day_start(d)))));
        }
        if let Some(list) = self.list {
            let p = param(SqlValue::Int(list));
            criteria.push(format!("u.id IN (SELECT m.user_id FROM @saved_lists s JOIN saved_list_members m ON m.list_id = s.id WHERE s.id = {p})"));
        }
        if let Some(d) = self.joined_after {
            criteria.push(format!("u.created_at >= {}", param(SqlValue::Int(day_start(d)))));
        }
        if self.bounced {
            criteria.push("u.email IN (SELECT o.to_addr FROM @outbox o WHERE o.status = 'bounced')".into());
        }
        if criteria.is_empty() {
            return ("1 = 1".into(), params);
        }
        let joiner = if self.any { " OR " } else { " AND " };
        (format!("({})", criteria.join(joiner)), params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: NaiveDate) -> i64 {
        d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_millis()
    }

    #[test]
    fn a_count_of_enrolled_students_reads_the_enrollments_and_any_other_filter_the_students() {
        // "Active in yoga": counted from the enrollments, each student once, students only.
        let (f, _) = DirectoryFilter::from_pairs([("course", "yoga"), ("enrollment", "active")]);
        let (sql, params) = f.count(2, 1_000, day);
        assert!(sql.starts_with("SELECT COUNT(*) AS n FROM (SELECT DISTINCT e.user_id FROM @enrollments e JOIN @courses c"), "{sql}");
        assert!(sql.contains("c.slug = ?2") && sql.contains("e.access_start <= ?3") && sql.ends_with("WHERE u.role = 'student'"), "{sql}");
        assert_eq!(params, vec![SqlValue::Text("yoga".into()), SqlValue::Int(1_000)]);
        // The same criterion as the directory's list (the figure and its list agree).
        let (condition, list_params) = f.condition(2, 1_000, day);
        let enrolled = sql.split("SELECT DISTINCT e.user_id ").nth(1).and_then(|r| r.split(") m JOIN").next()).unwrap();
        assert!(condition.contains(&format!("u.id IN (SELECT e.user_id {enrolled})")), "{condition} / {enrolled}");
        assert_eq!(params, list_params);
        // "Not enrolled", or any other criterion with it: counted over the students.
        for pairs in [vec![("enrollment", "none")], vec![("enrollment", "active"), ("never", "on")], vec![("q", "léa")], vec![]] {
            let (f, _) = DirectoryFilter::from_pairs(pairs.clone());
            let (sql, _) = f.count(2, 0, day);
            let (condition, _) = f.condition(2, 0, day);
            assert_eq!(sql, format!("SELECT COUNT(*) AS n FROM @users u WHERE u.role = 'student' AND {condition}"), "{pairs:?}");
        }
    }

    #[test]
    fn new_students_and_bounced_emails_are_filters_like_the_others() {
        let (f, problems) = DirectoryFilter::from_pairs([("joined", "2026-12-01"), ("bounced", "on")]);
        assert!(problems.is_empty());
        assert_eq!((f.joined_after, f.bounced), (NaiveDate::from_ymd_opt(2026, 12, 1), true));
        assert_eq!(DirectoryFilter::from_pairs(f.to_query().split('&').filter_map(|kv| kv.split_once('='))).0, f);
        let (sql, params) = f.condition(2, 0, day);
        assert!(sql.contains("u.created_at >= ?2") && sql.contains("o.status = 'bounced'"), "{sql}");
        assert_eq!(params, vec![SqlValue::Int(day(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()))]);
        assert_eq!(DirectoryFilter::from_pairs([("joined", "hier")]).1, vec!["date_invalid"]);
    }

    #[test]
    fn the_query_string_round_trips() {
        let q = "q=ann%20lee&course=yoga&enrollment=expired&account=deactivated&never=on&before=2026-03-01&after=2026-01-01&match=any";
        let pairs: Vec<(String, String)> = q.split('&').map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), v.replace("%20", " "))
        }).collect();
        let (f, problems) = DirectoryFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert!(problems.is_empty());
        assert_eq!(f.text, "ann lee");
        assert_eq!(f.enrollment, Some(EnrollmentState::Expired));
        assert_eq!(f.account_active, Some(false));
        assert!(f.any && f.never_logged_in);
        assert_eq!(f.to_query(), q);
    }

    #[test]
    fn bad_values_are_named_not_applied() {
        let (f, problems) = DirectoryFilter::from_pairs([("enrollment", "maybe"), ("before", "2026-02-30")]);
        assert_eq!(f, DirectoryFilter::default());
        assert_eq!(problems, vec!["filter_invalid", "date_invalid"]);
    }

    #[test]
    fn all_or_any_and_numbered_parameters() {
        let f = DirectoryFilter { text: "50%_off".into(), course: Some("yoga".into()), enrollment: Some(EnrollmentState::Expired), never_logged_in: true, ..Default::default() };
        let (sql, params) = f.condition(2, 1_000, day);
        assert!(sql.starts_with("(u.id IN (SELECT rowid FROM users_search WHERE users_search MATCH ?2)") && sql.contains(" AND u.id IN (SELECT e.user_id") && sql.contains("c.slug = ?3") && sql.contains("<= ?4") && sql.ends_with(" AND u.last_login_at IS NULL)"), "{sql}");
        assert_eq!(params, vec![SqlValue::Text("\"50%_off\"".into()), SqlValue::Text("yoga".into()), SqlValue::Int(1_000)]);
        // One or two letters: LIKE, with typed wildcards matching themselves.
        let (sql, params) = DirectoryFilter { text: "%_".into(), ..Default::default() }.condition(2, 0, day);
        assert!(sql.starts_with("((u.email LIKE ?2"), "{sql}");
        assert_eq!(params, vec![SqlValue::Text("%\\%\\_%".into())]);
        // Quotes stay text: FTS5 operators typed in a name do nothing.
        let (_, params) = DirectoryFilter { text: "d\"Arc OR x".into(), ..Default::default() }.condition(2, 0, day);
        assert_eq!(params, vec![SqlValue::Text("\"d\"\"Arc OR x\"".into())]);
        let any = DirectoryFilter { any: true, ..f }.condition(2, 1_000, day).0;
        assert!(any.contains(" OR u.id IN (SELECT e.user_id") && any.contains(" OR u.last_login_at IS NULL"), "{any}");
        assert_eq!(DirectoryFilter::default().condition(2, 0, day).0, "1 = 1");
    }

    #[test]
    fn every_parameter_is_used_in_the_condition() {
        let filters = [
            DirectoryFilter { course: Some("yoga".into()), ..Default::default() },
            DirectoryFilter { enrollment: Some(EnrollmentState::Revoked), ..Default::default() },
            DirectoryFilter { enrollment: Some(EnrollmentState::None), course: Some("y".into()), ..Default::default() },
            DirectoryFilter { text: "a".into(), list: Some(3), last_login_after: NaiveDate::from_ymd_opt(2026, 1, 1), ..Default::default() },
        ];
        for f in filters {
            let (sql, params) = f.condition(2, 0, day);
            for i in 0..params.len() {
                assert!(sql.contains(&format!("?{}", 2 + i)), "?{} unused in {sql}", 2 + i);
            }
        }
    }

    #[test]
    fn no_enrollment_is_a_not_exists() {
        let f = DirectoryFilter { enrollment: Some(EnrollmentState::None), ..Default::default() };
        assert!(f.condition(2, 0, day).0.starts_with("(NOT u.id IN (SELECT e.user_id"));
    }
}
