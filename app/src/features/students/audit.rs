//! A history entry as a sentence ("Access to « Yoga » given, from 1 March 2026 to 30 June
//! 2026."). The audit log keeps JSON (exact, for exports and later tools); the student's
//! page reads it as sentences, in the reader's language. An action without its own sentence
//! reads as its label and its labelled fields.

use crate::kernel::i18n::{has_key, t, Locale};
use serde_json::Value;

/// `{"after":{"first_name":"Léa","courses":["yoga"]}}` -> `first name: Léa · courses: yoga`.
/// Text that is not JSON is shown as it is.
pub fn describe(detail: &str, locale: Locale) -> String {
    match serde_json::from_str::<Value>(detail) {
        Ok(value) => flatten(&value, locale),
        Err(_) => detail.to_string(),
    }
}

fn label(key: &str, locale: Locale) -> String {
    let k = format!("audit_field_{key}");
    if has_key(&k) { t(locale, &k).to_string() } else { key.replace('_', " ") }
}

fn flatten(value: &Value, locale: Locale) -> String {
    match value {
        Value::Null => "—".into(),
        Value::Bool(b) => t(locale, if *b { "yes" } else { "no" }).to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.is_empty() => "—".into(),
        Value::String(s) => s.chars().take(200).collect(),
        Value::Array(items) => items.iter().map(|v| flatten(v, locale)).collect::<Vec<_>>().join(", "),
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| match (k.as_str(), v) {
                // The state after the change is the entry itself.
                ("after", Value::Object(_)) => flatten(v, locale),
                (_, Value::Object(_)) => format!("{}: ({})", label(k, locale), flatten(v, locale)),
                _ => format!("{}: {}", label(k, locale), flatten(v, locale)),
            })
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

/// A day stored as `2026-03-01`, written out ("1er mars 2026"); anything else as it is.
fn day(value: &Value, locale: Locale) -> Option<String> {
    let s = value.as_str().filter(|s| !s.is_empty())?;
    Some(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map(|d| crate::kernel::time::long_day(d, locale)).unwrap_or_else(|_| s.to_string()))
}

/// " from 1 March 2026 to 30 June 2026" / " until …" / " from …" / "".
fn dates(start: Option<String>, end: Option<String>, locale: Locale) -> String {
    let key = match (&start, &end) {
        (Some(_), Some(_)) => "history_from_to",
        (Some(_), None) => "history_from",
        (None, Some(_)) => "history_until",
        (None, None) => return String::new(),
    };
    t(locale, key).replace("{start}", &start.unwrap_or_default()).replace("{end}", &end.unwrap_or_default())
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

/// The names a profile entry sets (first and last), if any.
fn names(after: &Value) -> String {
    format!("{} {}", text(after, "first_name"), text(after, "last_name")).trim().to_string()
}

/// The entry as one sentence in `locale`.
pub fn sentence(action: &str, detail: &str, locale: Locale) -> String {
    let v: Value = serde_json::from_str(detail).unwrap_or(Value::Null);
    let tr = |key: &str| t(locale, key).to_string();
    let course = || text(&v, "course").to_string();
    let said = match action {
        "student_created" => Some(match names(&v["after"]) {
            n if n.is_empty() => tr("history_created"),
            n => tr("history_created_named").replace("{name}", &n),
        }),
        "student_updated" => Some(tr("history_updated").replace("{changes}", &describe(&v["after"].to_string(), locale))),
        "profile_saved" => Some(tr("history_profile").replace("{changes}", &describe(&v["after"].to_string(), locale))),
        "student_invited" => {
            let after = &v["after"];
            let courses: Vec<String> = after["courses"].as_array().map(|c| c.iter().filter_map(|c| c.as_str().map(|s| format!("« {s} »"))).collect()).unwrap_or_default();
            let when = dates(day(&after["start"], locale), day(&after["end"], locale), locale);
            Some(if courses.is_empty() { tr("history_invited") } else { tr("history_invited_to").replace("{courses}", &courses.join(", ")).replace("{dates}", &when) })
        }
        "course_granted" => {
            let after = &v["after"];
            let when = dates(day(&after["start"], locale), day(&after["end"], locale), locale);
            Some(if v["before"].is_null() {
                tr("history_granted").replace("{course}", &course()).replace("{dates}", &when)
            } else {
                tr("history_access_changed").replace("{course}", &course()).replace("{dates}", &when)
            })
        }
        "access_revoked" => Some(tr("history_revoked").replace("{course}", &course())),
        "access_restored" => Some(tr("history_restored").replace("{course}", &course())),
        "account_deactivated" => Some(tr("history_deactivated")),
        "account_reactivated" => Some(tr("history_reactivated")),
        "certificate_issued" => Some(tr("history_certificate").replace("{course}", &course())),
        "certificate_reissued" => Some(tr("history_certificate_again").replace("{course}", &course())),
        "progress_imported" if has_key(&format!("history_progress_{}", text(&v, "status").to_ascii_lowercase())) => {
            let status = text(&v, "status");
            let mut s = tr(&format!("history_progress_{}", status.to_ascii_lowercase()))
                .replace("{lesson}", text(&v, "lesson"))
                .replace("{course}", &course())
                .replace("{date}", &day(&v["date"], locale).unwrap_or_else(|| "—".into()));
            if let Some(score) = v["score"].as_i64() {
                s.push_str(&tr("history_score").replace("{score}", &score.to_string()));
            }
            Some(s)
        }
        "accounts_merged" => Some(
            tr("history_merged")
                .replace("{email}", text(&v, "merged"))
                .replace("{courses}", &crate::kernel::i18n::tn(locale, "merge_courses_moved_n", v["courses"].as_i64().unwrap_or(0)))
                .replace("{completions}", &crate::kernel::i18n::tn(locale, "merge_completions_n", v["completions"].as_i64().unwrap_or(0))),
        ),
        _ => None,
    };
    match said {
        Some(s) => end(s),
        None => {
            // An action without its own sentence: its label, then what it says.
            let key = format!("event_audit_{action}");
            let label = if has_key(&key) { tr(&key) } else { action.replace('_', " ") };
            let details = describe(detail, locale);
            let target = if course().is_empty() { String::new() } else { format!(" « {} »", course()) };
            match action.starts_with("bulk_") {
                true => end(format!("{label}{target}")),
                false if details.is_empty() || details == "—" => end(label),
                false => end(format!("{label}{}{details}", t(locale, "colon"))),
            }
        }
    }
}

/// Sentences end with a full stop (once).
fn end(mut s: String) -> String {
    let trimmed = s.trim_end().len();
    s.truncate(trimmed);
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_reads_as_labelled_text() {
        let d = r#"{"after":{"first_name":"Léa","last_name":"","locale":null,"courses":["yoga","pilates"]}}"#;
        assert_eq!(describe(d, Locale::En), "courses: yoga, pilates · first name: Léa · last name: —");
        assert_eq!(describe(d, Locale::Fr), "cours: yoga, pilates · prénom: Léa · nom: —");
        assert_eq!(describe("plain words", Locale::En), "plain words");
        assert!(!describe(r#"{"a":{"b":1}}"#, Locale::En).contains('{'));
    }

    #[test]
    fn entries_read_as_sentences() {
        let cases = [
            ("course_granted", r#"{"after":{"end":"2027-06-30","start":"2026-09-01"},"before":null,"course":"yoga"}"#, "Accès à « yoga » donné, du 1er septembre 2026 au 30 juin 2027."),
            ("course_granted", r#"{"after":{"end":"2027-06-30","start":null},"before":{"start":"2026-01-01"},"course":"yoga"}"#, "Accès à « yoga » modifié, jusqu’au 30 juin 2027."),
            ("student_created", r#"{"after":{"first_name":"Léa","last_name":"Doe"},"before":null}"#, "Compte créé : Léa Doe."),
            ("student_invited", r#"{"after":{"courses":["yoga"],"start":null,"end":null}}"#, "Invité à « yoga »."),
            ("access_revoked", r#"{"course":"Céramique"}"#, "Accès à « Céramique » retiré."),
            ("progress_imported", r#"{"course":"Céramique","date":"2026-03-01","lesson":"Tourner","score":85,"status":"P"}"#, "Progression importée : « Tourner » (Céramique) réussie le 1er mars 2026, score 85 %."),
            ("accounts_merged", r#"{"merged":"lea@x.fr","courses":2,"completions":3,"answers":0}"#, "Le compte lea@x.fr a été fusionné dans celui-ci : 2 cours, 3 leçons terminées."),
            ("bulk_revoke", r#"{"action":"revoke","course":"yoga","params":null}"#, "Accès au cours retiré (en masse) « yoga »."),
        ];
        for (action, detail, expected) in cases {
            assert_eq!(sentence(action, detail, Locale::Fr), expected, "{action}");
        }
        assert_eq!(sentence("course_granted", r#"{"after":{"start":"2026-09-01","end":null},"before":null,"course":"yoga"}"#, Locale::En), "Access to « yoga » given, from 1 September 2026.");
        assert!(!sentence("something_new", r#"{"a":1}"#, Locale::En).contains('{'), "unknown actions still read");
    }
}
