//! Texts with `{{fields}}` the creator writes (bulk emails, certificates, editable emails):
//! which fields a text uses, and the text filled. Which fields are known is each use's.

/// Stand-ins for a login email's secrets until delivery (see `kernel::mail::render_secrets`).
pub const CODE_PLACEHOLDER: &str = "@@CODE@@";
pub const LINK_PLACEHOLDER: &str = "@@LINK@@";

/// The colour emails are written with: the outbox row takes the school's own instead
/// (`SCHOOL_HTML`), in the statement that writes it — no email builder needs to know it.
pub const EMAIL_BRAND: &str = "#2d5bd7";

/// The `{{field}}` names a template uses, in order of first use.
pub fn template_fields(template: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim().to_string();
        if !out.contains(&name) {
            out.push(name);
        }
        rest = &after[end + 2..];
    }
    out
}

/// Fills a template; every field must be known (checked by `BulkAction::parse`).
pub fn render_template(template: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        out.push_str(&value(after[..end].trim()));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_found_once_and_filled() {
        assert_eq!(template_fields("Hi {{ first_name }}, {{course_title}} {{first_name}} {{oops"), vec!["first_name", "course_title"]);
        assert_eq!(render_template("A {{x}} b {{ y }} {{z", |f| f.to_uppercase()), "A X b Y {{z");
    }
}
