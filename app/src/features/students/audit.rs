//! A history entry's details as a person reads them. The audit log keeps JSON (exact, for
//! exports and later tools); the student's page shows "first name: Léa · courses: yoga".

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
}
