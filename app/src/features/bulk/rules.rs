//! Bulk actions on students (the "assistants" of an LMS): what each does, its parameters
//! checked before anything runs, and email templates with `{{fields}}` (an unknown field is
//! refused before a single email is written). No I/O.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BulkAction {
    /// Give access to a course (or change the dates of an existing access).
    Grant { course: String, start: Option<NaiveDate>, end: Option<NaiveDate> },
    /// New end date for students enrolled in the course (None: no end).
    SetEnd { course: String, end: Option<NaiveDate> },
    /// Move the end date later by this many days.
    Extend { course: String, days: i64 },
    Revoke { course: String },
    ResetProgress { course: String },
    Deactivate,
    Reactivate,
    SendReminder,
    Email { subject: String, body: String, course: Option<String> },
    /// Redraw their certificates of the course from its template as it is now (after a
    /// change), optionally telling them.
    ReissueCertificates { course: String, tell: bool },
}

/// Fields a template may use.
pub const TEMPLATE_FIELDS: [&str; 6] = ["first_name", "last_name", "email", "course_title", "school_name", "login_link"];
/// At most this many days in one extension.
pub const MAX_EXTEND_DAYS: i64 = 3_650;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkError {
    UnknownAction,
    CourseRequired,
    BadDate,
    EndBeforeStart,
    BadDays,
    SubjectRequired,
    BodyRequired,
    TooLong,
    UnknownFields(Vec<String>),
    CourseTitleWithoutCourse,
}

impl BulkError {
    pub fn code(&self) -> &'static str {
        match self {
            BulkError::UnknownAction => "bulk_unknown_action",
            BulkError::CourseRequired => "bulk_course_required",
            BulkError::BadDate => "date_invalid",
            BulkError::EndBeforeStart => "import_end_before_start",
            BulkError::BadDays => "days_invalid",
            BulkError::SubjectRequired => "bulk_subject_required",
            BulkError::BodyRequired => "bulk_body_required",
            BulkError::TooLong => "bulk_too_long",
            BulkError::UnknownFields(_) => "bulk_unknown_fields",
            BulkError::CourseTitleWithoutCourse => "bulk_course_title_needs_course",
        }
    }
}

pub use crate::kernel::template::{render_template, template_fields};

fn date(v: Option<&str>) -> Result<Option<NaiveDate>, BulkError> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d").map(Some).map_err(|_| BulkError::BadDate),
    }
}

impl BulkAction {
    /// From the form: `action` and the fields it uses.
    pub fn parse(get: impl Fn(&str) -> Option<String>) -> Result<BulkAction, BulkError> {
        let course = || get("course").map(|c| c.trim().to_ascii_lowercase()).filter(|c| !c.is_empty()).ok_or(BulkError::CourseRequired);
        let action = get("action").unwrap_or_default();
        Ok(match action.as_str() {
            "grant" => {
                let (start, end) = (date(get("start").as_deref())?, date(get("end").as_deref())?);
                if let (Some(s), Some(e)) = (start, end) {
                    if e < s {
                        return Err(BulkError::EndBeforeStart);
                    }
                }
                BulkAction::Grant { course: course()?, start, end }
            }
            "set_end" => BulkAction::SetEnd { course: course()?, end: date(get("end").as_deref())? },
            "extend" => {
                let days = get("days").and_then(|d| d.trim().parse::<i64>().ok()).filter(|d| *d > 0 && *d <= MAX_EXTEND_DAYS).ok_or(BulkError::BadDays)?;
                BulkAction::Extend { course: course()?, days }
            }
            "revoke" => BulkAction::Revoke { course: course()? },
            "reset_progress" => BulkAction::ResetProgress { course: course()? },
            "deactivate" => BulkAction::Deactivate,
            "reactivate" => BulkAction::Reactivate,
            "reminder" => BulkAction::SendReminder,
            "email" => {
                let subject = get("subject").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).ok_or(BulkError::SubjectRequired)?;
                let body = get("body").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).ok_or(BulkError::BodyRequired)?;
                if subject.chars().count() > 200 || body.chars().count() > 10_000 {
                    return Err(BulkError::TooLong);
                }
                let mut fields = template_fields(&subject);
                for f in template_fields(&body) {
                    if !fields.contains(&f) {
                        fields.push(f);
                    }
                }
                let unknown: Vec<String> = fields.iter().filter(|f| !TEMPLATE_FIELDS.contains(&f.as_str())).cloned().collect();
                if !unknown.is_empty() {
                    return Err(BulkError::UnknownFields(unknown));
                }
                let course = course().ok();
                if course.is_none() && fields.iter().any(|f| f == "course_title") {
                    return Err(BulkError::CourseTitleWithoutCourse);
                }
                BulkAction::Email { subject, body, course }
            }
            "reissue_certificates" => BulkAction::ReissueCertificates { course: course()?, tell: get("tell").is_some_and(|v| v == "on") },
            _ => return Err(BulkError::UnknownAction),
        })
    }

    /// The key naming it (and the audit log's action).
    pub fn key(&self) -> &'static str {
        match self {
            BulkAction::Grant { .. } => "grant",
            BulkAction::SetEnd { .. } => "set_end",
            BulkAction::Extend { .. } => "extend",
            BulkAction::Revoke { .. } => "revoke",
            BulkAction::ResetProgress { .. } => "reset_progress",
            BulkAction::Deactivate => "deactivate",
            BulkAction::Reactivate => "reactivate",
            BulkAction::SendReminder => "reminder",
            BulkAction::Email { .. } => "email",
            BulkAction::ReissueCertificates { .. } => "reissue_certificates",
        }
    }

    pub fn course(&self) -> Option<&str> {
        match self {
            BulkAction::Grant { course, .. } | BulkAction::SetEnd { course, .. } | BulkAction::Extend { course, .. } | BulkAction::Revoke { course } | BulkAction::ResetProgress { course } | BulkAction::ReissueCertificates { course, .. } => Some(course),
            BulkAction::Email { course, .. } => course.as_deref(),
            _ => None,
        }
    }

    /// Does it need the student to be enrolled in the course already?
    pub fn needs_enrollment(&self) -> bool {
        matches!(self, BulkAction::SetEnd { .. } | BulkAction::Extend { .. } | BulkAction::Revoke { .. } | BulkAction::ResetProgress { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn reissuing_certificates_names_a_course_and_may_tell_the_students() {
        assert_eq!(BulkAction::parse(form(&[("action", "reissue_certificates"), ("course", "Yoga"), ("tell", "on")])), Ok(BulkAction::ReissueCertificates { course: "yoga".into(), tell: true }));
        assert_eq!(BulkAction::parse(form(&[("action", "reissue_certificates"), ("course", "yoga")])), Ok(BulkAction::ReissueCertificates { course: "yoga".into(), tell: false }));
        assert_eq!(BulkAction::parse(form(&[("action", "reissue_certificates")])), Err(BulkError::CourseRequired));
    }

    #[test]
    fn actions_parse_with_their_parameters() {
        assert_eq!(
            BulkAction::parse(form(&[("action", "grant"), ("course", "Yoga"), ("start", "2026-09-01"), ("end", "")])),
            Ok(BulkAction::Grant { course: "yoga".into(), start: NaiveDate::from_ymd_opt(2026, 9, 1), end: None })
        );
        assert_eq!(BulkAction::parse(form(&[("action", "extend"), ("course", "yoga"), ("days", "30")])), Ok(BulkAction::Extend { course: "yoga".into(), days: 30 }));
        assert_eq!(BulkAction::parse(form(&[("action", "deactivate")])), Ok(BulkAction::Deactivate));
    }

    #[test]
    fn wrong_parameters_are_refused_before_anything_runs() {
        let code = |pairs: &[(&str, &str)]| BulkAction::parse(form(pairs)).unwrap_err().code();
        assert_eq!(code(&[("action", "explode")]), "bulk_unknown_action");
        assert_eq!(code(&[("action", "revoke")]), "bulk_course_required");
        assert_eq!(code(&[("action", "grant"), ("course", "y"), ("start", "2026-02-30")]), "date_invalid");
        assert_eq!(code(&[("action", "grant"), ("course", "y"), ("start", "2026-05-01"), ("end", "2026-04-01")]), "import_end_before_start");
        assert_eq!(code(&[("action", "extend"), ("course", "y"), ("days", "0")]), "days_invalid");
        assert_eq!(code(&[("action", "email"), ("subject", "Hi"), ("body", "")]), "bulk_body_required");
        assert_eq!(code(&[("action", "email"), ("subject", "Hi {{first_name}}"), ("body", "{{course_title}}")]), "bulk_course_title_needs_course");
    }

    #[test]
    fn unknown_template_fields_are_named() {
        let e = BulkAction::parse(form(&[("action", "email"), ("subject", "Bonjour {{prenom}}"), ("body", "{{first_name}} {{ lien }} {{prenom}}")])).unwrap_err();
        assert_eq!(e, BulkError::UnknownFields(vec!["prenom".into(), "lien".into()]));
    }

    #[test]
    fn templates_render_every_field() {
        let text = render_template("Bonjour {{first_name}}, {{ course_title }}: {{login_link}} {{unclosed", |f| format!("<{f}>"));
        assert_eq!(text, "Bonjour <first_name>, <course_title>: <login_link> {{unclosed");
        assert_eq!(template_fields("{{a}}{{b}}{{a}}"), vec!["a", "b"]);
    }
}
