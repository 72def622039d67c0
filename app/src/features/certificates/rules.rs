//! Certificates' pure rules: when a course is finished, what a template may say, and the
//! text a certificate shows. No I/O; unit-tested here.

use crate::kernel::i18n::Locale;
use crate::kernel::template::{render_template, template_fields};
use serde::{Deserialize, Serialize};

/// The fields a certificate's text may use.
pub const FIELDS: [&str; 4] = ["student_name", "course_title", "date", "school_name"];
/// A title fits one line of the page in large type.
pub const TITLE_MAX: usize = 80;
/// The text fits the page between the title and the signatures.
pub const BODY_MAX: usize = 600;
pub const BODY_MAX_LINES: usize = 8;
pub const SIGNER_MAX: usize = 80;

/// A lesson as completion counts it: the course's published lessons that the student's
/// offer includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Required {
    pub lesson_id: i64,
    pub completed: bool,
    /// A checkpoint: its answer must also be approved (or its quiz passed).
    pub checkpoint: bool,
}

/// A course is finished when every published lesson of the student's offer (`outside`: the
/// lessons the offer leaves out) is done and every checkpoint among them passed. A course
/// without such lessons is never finished (nothing was learnt).
pub fn finished(lessons: &[Required], outside: &[i64], passed: &[i64]) -> bool {
    let mut required = lessons.iter().filter(|l| !outside.contains(&l.lesson_id)).peekable();
    required.peek().is_some() && required.all(|l| l.completed && (!l.checkpoint || passed.contains(&l.lesson_id)))
}

/// A course's certificate as its creator designs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub enabled: bool,
    pub title: String,
    /// Lines of text with `{{fields}}`; a line that is one field alone is printed large.
    pub body: String,
    pub signer_name: String,
    pub signer_role: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    TitleRequired,
    BodyRequired,
    TooLong,
    TooManyLines,
    UnknownFields(Vec<String>),
}

impl TemplateError {
    pub fn code(&self) -> &'static str {
        match self {
            TemplateError::TitleRequired => "certificate_title_required",
            TemplateError::BodyRequired => "certificate_body_required",
            TemplateError::TooLong => "certificate_too_long",
            TemplateError::TooManyLines => "certificate_too_many_lines",
            TemplateError::UnknownFields(_) => "certificate_unknown_fields",
        }
    }
}

impl Template {
    /// What a course's certificate says until its creator changes it, in the school's language.
    pub fn default_for(locale: Locale) -> Template {
        let (title, body) = match locale {
            Locale::Fr => ("Certificat de réussite", "Ce certificat atteste que\n{{student_name}}\na suivi avec succès le cours « {{course_title}} »\nle {{date}}."),
            Locale::En => ("Certificate of completion", "This certifies that\n{{student_name}}\nhas successfully completed the course “{{course_title}}”\non {{date}}."),
        };
        Template { enabled: true, title: title.into(), body: body.into(), signer_name: String::new(), signer_role: String::new() }
    }

    /// The creator's form, trimmed and checked: a title and a text, within the page, and only
    /// known fields (an unknown one would print as typed on every certificate).
    pub fn parse(enabled: bool, title: &str, body: &str, signer_name: &str, signer_role: &str) -> Result<Template, TemplateError> {
        let body = body.replace("\r\n", "\n");
        let (title, body, signer_name, signer_role) = (title.trim(), body.trim(), signer_name.trim(), signer_role.trim());
        if title.is_empty() {
            return Err(TemplateError::TitleRequired);
        }
        if body.is_empty() {
            return Err(TemplateError::BodyRequired);
        }
        if title.chars().count() > TITLE_MAX || body.chars().count() > BODY_MAX || signer_name.chars().count() > SIGNER_MAX || signer_role.chars().count() > SIGNER_MAX {
            return Err(TemplateError::TooLong);
        }
        if body.lines().count() > BODY_MAX_LINES {
            return Err(TemplateError::TooManyLines);
        }
        let unknown: Vec<String> = [title, body].iter().flat_map(|t| template_fields(t)).filter(|f| !FIELDS.contains(&f.as_str())).collect();
        if !unknown.is_empty() {
            return Err(TemplateError::UnknownFields(unknown));
        }
        Ok(Template { enabled, title: title.into(), body: body.into(), signer_name: signer_name.into(), signer_role: signer_role.into() })
    }
}

/// The values a certificate's fields take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Values {
    pub student_name: String,
    pub course_title: String,
    /// The completion date written out ("3 mars 2027").
    pub date: String,
    pub school_name: String,
}

impl Values {
    fn get(&self, field: &str) -> String {
        match field {
            "student_name" => self.student_name.clone(),
            "course_title" => self.course_title.clone(),
            "date" => self.date.clone(),
            "school_name" => self.school_name.clone(),
            // Refused when saved; an old text keeps the field visible rather than losing words.
            other => format!("{{{{{other}}}}}"),
        }
    }
}

/// One line of a certificate's text, filled: a line that was one field alone
/// (`{{student_name}}`) stands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub large: bool,
}

pub fn fill(text: &str, values: &Values) -> String {
    render_template(text, |f| values.get(f))
}

/// The certificate's text as lines to draw (blank lines kept as space).
pub fn lines(body: &str, values: &Values) -> Vec<Line> {
    body.lines()
        .map(|line| {
            let t = line.trim();
            let alone = t.starts_with("{{") && t.ends_with("}}") && template_fields(t).len() == 1 && t[2..t.len() - 2].find("}}").is_none();
            Line { text: fill(t, values), large: alone }
        })
        .collect()
}

/// "This certificate was issued to J. Doe for Watercolour 101 on 3 March 2027": what the
/// verification page states, and all it states.
pub fn statement(locale: Locale, name: &str, course: &str, date: &str) -> String {
    crate::kernel::i18n::t(locale, "certificate_statement").replace("{name}", name).replace("{course}", course).replace("{date}", date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lesson(id: i64, completed: bool, checkpoint: bool) -> Required {
        Required { lesson_id: id, completed, checkpoint }
    }

    #[test]
    fn a_course_is_finished_when_every_lesson_of_the_offer_is_done_and_checkpoints_passed() {
        let done = [lesson(1, true, false), lesson(2, true, true), lesson(3, true, false)];
        assert!(finished(&done, &[], &[2]));
        assert!(!finished(&done, &[], &[]), "a checkpoint done but not approved");
        let missing = [lesson(1, true, false), lesson(2, false, false)];
        assert!(!finished(&missing, &[], &[]));
        assert!(finished(&missing, &[2], &[]), "the lesson the offer leaves out does not count");
        assert!(!finished(&[], &[], &[]), "nothing to learn, nothing finished");
        assert!(!finished(&missing, &[1, 2], &[]), "an offer with no lesson of the course");
    }

    proptest! {
        /// Finished exactly when no required lesson is left to do.
        #[test]
        fn finished_means_nothing_required_is_left(states in proptest::collection::vec((any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()), 0..12)) {
            let lessons: Vec<Required> = states.iter().enumerate().map(|(i, (c, k, _, _))| lesson(i as i64, *c, *k)).collect();
            let outside: Vec<i64> = states.iter().enumerate().filter(|(_, s)| s.2).map(|(i, _)| i as i64).collect();
            let passed: Vec<i64> = states.iter().enumerate().filter(|(_, s)| s.3).map(|(i, _)| i as i64).collect();
            let left = lessons.iter().filter(|l| !outside.contains(&l.lesson_id)).filter(|l| !l.completed || (l.checkpoint && !passed.contains(&l.lesson_id))).count();
            let required = lessons.iter().filter(|l| !outside.contains(&l.lesson_id)).count();
            prop_assert_eq!(finished(&lessons, &outside, &passed), required > 0 && left == 0);
        }
    }

    #[test]
    fn a_template_is_checked_before_it_is_saved() {
        assert!(Template::parse(true, "Certificat", "Bravo {{student_name}}", "Anne", "Formatrice").is_ok());
        assert_eq!(Template::parse(true, " ", "x", "", ""), Err(TemplateError::TitleRequired));
        assert_eq!(Template::parse(true, "T", " \n ", "", ""), Err(TemplateError::BodyRequired));
        assert_eq!(Template::parse(true, "T", "Bravo {{prenom}} {{ date }} {{note}}", "", ""), Err(TemplateError::UnknownFields(vec!["prenom".into(), "note".into()])));
        assert_eq!(Template::parse(true, "T", &"a".repeat(BODY_MAX + 1), "", ""), Err(TemplateError::TooLong));
        assert_eq!(Template::parse(true, "T", &"a\n".repeat(BODY_MAX_LINES + 1), "", ""), Err(TemplateError::TooManyLines));
        for locale in [Locale::Fr, Locale::En] {
            let d = Template::default_for(locale);
            assert_eq!(Template::parse(true, &d.title, &d.body, "", ""), Ok(d), "the default is a valid template");
        }
    }

    #[test]
    fn lines_are_filled_and_a_field_alone_stands_out() {
        let v = Values { student_name: "Jeanne Doe".into(), course_title: "Aquarelle 101".into(), date: "3 mars 2027".into(), school_name: "L'Atelier".into() };
        let l = lines(&Template::default_for(Locale::Fr).body, &v);
        assert_eq!(l[1], Line { text: "Jeanne Doe".into(), large: true });
        assert_eq!(l[2], Line { text: "a suivi avec succès le cours « Aquarelle 101 »".into(), large: false });
        assert_eq!(l[3].text, "le 3 mars 2027.");
        assert!(!lines("{{student_name}} et {{date}}", &v)[0].large);
        assert_eq!(fill("{{unknown}} {{school_name}}", &v), "{{unknown}} L'Atelier");
    }
}
