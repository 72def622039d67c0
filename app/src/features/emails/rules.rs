//! The emails a creator can rewrite: which fields each kind knows, the default subject and
//! text in each language (written as a welcome, not as a login code: "if you did not ask
//! for this" belongs only in emails the person asked for), the check that refuses unknown
//! fields before saving, and the text and HTML an email is sent as. Pure.

use crate::kernel::i18n::Locale;
use crate::kernel::template::{render_template, template_fields};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    Invitation,
    Reminder,
    Digest,
    Review,
    Receipt,
    Certificate,
}

/// Subjects and texts longer than this are refused (an email, not a page).
pub const SUBJECT_MAX: usize = 150;
pub const BODY_MAX: usize = 5_000;

impl MailKind {
    pub const ALL: [MailKind; 6] = [MailKind::Invitation, MailKind::Reminder, MailKind::Digest, MailKind::Review, MailKind::Receipt, MailKind::Certificate];

    pub fn code(self) -> &'static str {
        match self {
            MailKind::Invitation => "invitation",
            MailKind::Reminder => "reminder",
            MailKind::Digest => "digest",
            MailKind::Review => "review",
            MailKind::Receipt => "receipt",
            MailKind::Certificate => "certificate",
        }
    }

    pub fn parse(code: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The fields a text of this kind may use.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            MailKind::Invitation => &["first_name", "last_name", "school_name", "course_title", "login_link", "login_code"],
            MailKind::Reminder => &["first_name", "last_name", "school_name", "login_link"],
            MailKind::Digest => &["first_name", "last_name", "school_name", "lessons", "login_link"],
            MailKind::Review => &["first_name", "last_name", "school_name", "course_title", "lesson_title", "result", "comment", "lesson_link"],
            MailKind::Receipt => &["first_name", "last_name", "school_name", "course_title", "amount", "login_link"],
            MailKind::Certificate => &["first_name", "last_name", "school_name", "course_title", "certificate_link"],
        }
    }

    /// The default subject and text: what the school sends until it writes its own, and what
    /// "reset" brings back.
    pub fn default_text(self, locale: Locale) -> (&'static str, &'static str) {
        match (self, locale) {
            (MailKind::Invitation, Locale::Fr) => (
                "Bienvenue à {{school_name}} : {{course_title}}",
                "Bonjour {{first_name}},\n\nBienvenue ! {{school_name}} vous ouvre les portes de « {{course_title}} ».\n\nPour commencer, ouvrez votre espace :\n{{login_link}}\n\nSur un autre appareil, tapez ce code sur la page de connexion : {{login_code}}\n\nÀ très vite,\n{{school_name}}",
            ),
            (MailKind::Invitation, Locale::En) => (
                "Welcome to {{school_name}}: {{course_title}}",
                "Hello {{first_name}},\n\nWelcome! {{school_name}} has opened « {{course_title}} » for you.\n\nTo begin, open your space:\n{{login_link}}\n\nOn another device, type this code on the login page: {{login_code}}\n\nSee you soon,\n{{school_name}}",
            ),
            (MailKind::Reminder, Locale::Fr) => (
                "Votre accès à {{school_name}}",
                "Bonjour {{first_name}},\n\nVoici votre lien personnel pour retrouver vos cours, valable 7 jours :\n{{login_link}}\n\nBonne continuation,\n{{school_name}}",
            ),
            (MailKind::Reminder, Locale::En) => (
                "Your access to {{school_name}}",
                "Hello {{first_name}},\n\nHere is your personal link back to your courses, valid for 7 days:\n{{login_link}}\n\nEnjoy,\n{{school_name}}",
            ),
            (MailKind::Digest, Locale::Fr) => ("De nouvelles leçons vous attendent", "Bonjour {{first_name}},\n\nDe nouvelles leçons viennent d’ouvrir :\n{{lessons}}\n\nReprendre là où vous en étiez :\n{{login_link}}\n\n{{school_name}}"),
            (MailKind::Digest, Locale::En) => ("New lessons are waiting for you", "Hello {{first_name}},\n\nNew lessons have just opened:\n{{lessons}}\n\nPick up where you left off:\n{{login_link}}\n\n{{school_name}}"),
            (MailKind::Review, Locale::Fr) => (
                "Votre devoir « {{lesson_title}} » a été corrigé",
                "Bonjour {{first_name}},\n\n{{result}}\n\n{{comment}}\n\nVoir la leçon :\n{{lesson_link}}\n\n{{school_name}}",
            ),
            (MailKind::Review, Locale::En) => ("Your assignment « {{lesson_title}} » was reviewed", "Hello {{first_name}},\n\n{{result}}\n\n{{comment}}\n\nSee the lesson:\n{{lesson_link}}\n\n{{school_name}}"),
            (MailKind::Receipt, Locale::Fr) => (
                "Merci pour votre achat : {{course_title}}",
                "Bonjour {{first_name}},\n\nMerci ! Votre paiement de {{amount}} pour « {{course_title}} » est bien reçu.\n\nCommencer le cours :\n{{login_link}}\n\n{{school_name}}",
            ),
            (MailKind::Receipt, Locale::En) => (
                "Thank you for your purchase: {{course_title}}",
                "Hello {{first_name}},\n\nThank you! Your payment of {{amount}} for « {{course_title}} » is received.\n\nStart the course:\n{{login_link}}\n\n{{school_name}}",
            ),
            (MailKind::Certificate, Locale::Fr) => (
                "Félicitations : votre certificat « {{course_title}} »",
                "Bonjour {{first_name}},\n\nBravo, vous avez terminé « {{course_title}} » ! Votre certificat vous attend :\n{{certificate_link}}\n\n{{school_name}}",
            ),
            (MailKind::Certificate, Locale::En) => (
                "Congratulations: your « {{course_title}} » certificate",
                "Hello {{first_name}},\n\nWell done, you finished « {{course_title}} »! Your certificate is waiting:\n{{certificate_link}}\n\n{{school_name}}",
            ),
        }
    }
}

/// Why a text is refused before saving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    SubjectRequired,
    BodyRequired,
    TooLong,
    /// Fields this kind does not know, as typed.
    UnknownFields(Vec<String>),
}

/// Checks a subject and text the creator wrote for `kind`.
pub fn check(kind: MailKind, subject: &str, body: &str) -> Result<(), TextError> {
    if subject.trim().is_empty() {
        return Err(TextError::SubjectRequired);
    }
    if body.trim().is_empty() {
        return Err(TextError::BodyRequired);
    }
    if subject.chars().count() > SUBJECT_MAX || body.chars().count() > BODY_MAX {
        return Err(TextError::TooLong);
    }
    let unknown: Vec<String> = template_fields(subject).into_iter().chain(template_fields(body)).filter(|f| !kind.fields().contains(&f.as_str())).fold(vec![], |mut seen, f| {
        if !seen.contains(&f) {
            seen.push(f);
        }
        seen
    });
    if unknown.is_empty() { Ok(()) } else { Err(TextError::UnknownFields(unknown)) }
}

/// The subject and plain text filled: `value` gives each field's value (a link field, its
/// address).
pub fn fill(subject: &str, body: &str, value: impl Fn(&str) -> String) -> (String, String) {
    // A subject is one line, whatever a field holds.
    let subject = render_template(subject, &value).replace(['\r', '\n'], " ");
    (subject.trim().to_string(), render_template(body, &value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_uses_only_its_fields_and_reads_as_a_welcome() {
        for kind in MailKind::ALL {
            for locale in [Locale::Fr, Locale::En] {
                let (subject, body) = kind.default_text(locale);
                assert_eq!(check(kind, subject, body), Ok(()), "{kind:?} {locale:?}");
                assert!(!body.contains("ignore") && !body.contains("ignorez"), "only emails a person asked for say so");
            }
            assert_eq!(MailKind::parse(kind.code()), Some(kind));
        }
    }

    #[test]
    fn unknown_fields_are_refused_with_their_names() {
        let refused = check(MailKind::Reminder, "Hi {{prenom}}", "{{login_link}} {{course_title}} {{prenom}}");
        assert_eq!(refused, Err(TextError::UnknownFields(vec!["prenom".into(), "course_title".into()])));
        assert_eq!(check(MailKind::Reminder, " ", "x"), Err(TextError::SubjectRequired));
        assert_eq!(check(MailKind::Reminder, "x", ""), Err(TextError::BodyRequired));
        assert_eq!(check(MailKind::Reminder, "x", &"y".repeat(BODY_MAX + 1)), Err(TextError::TooLong));
    }

    #[test]
    fn fields_are_filled_and_a_subject_stays_one_line() {
        let (subject, body) = fill("Bienvenue {{first_name}}", "{{login_link}}", |f| if f == "first_name" { "Léa\nX".into() } else { "https://a/b".into() });
        assert_eq!((subject.as_str(), body.as_str()), ("Bienvenue Léa X", "https://a/b"));
    }
}
