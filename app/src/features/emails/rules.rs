//! The emails a creator can rewrite: which fields each kind knows, the default subject and
//! text in each language (written as a welcome, not as a login code: "if you did not ask
//! for this" belongs only in emails the person asked for), the check that refuses unknown
//! fields before saving, and the text and HTML an email is sent as. Pure.

use crate::kernel::html::escape;
use crate::kernel::i18n::{t, Locale};
use crate::kernel::template::{render_template, template_fields, CODE_PLACEHOLDER, EMAIL_BRAND};

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
            MailKind::Receipt => &["first_name", "last_name", "school_name", "course_title", "offer_name", "amount", "order_number", "login_link"],
            MailKind::Certificate => &["first_name", "last_name", "school_name", "course_title", "certificate_link"],
        }
    }

    /// The default subject and text: what the school sends until it writes its own, and what
    /// "reset" brings back.
    pub fn default_text(self, locale: Locale) -> (&'static str, &'static str) {
        match (self, locale) {
            (MailKind::Invitation, Locale::Fr) => (
                "Bienvenue à {{school_name}} : {{course_title}}",
                "Bonjour {{first_name}},\n\nBienvenue ! {{school_name}} vous ouvre les portes de « {{course_title}} ».\n\nPour commencer, ouvrez votre espace :\n{{login_link}}\n\nSur un autre appareil, tapez ce code sur la page de connexion : {{login_code}}\nLe lien et le code restent valables 7 jours.\n\nÀ très vite,\n{{school_name}}",
            ),
            (MailKind::Invitation, Locale::En) => (
                "Welcome to {{school_name}}: {{course_title}}",
                "Hello {{first_name}},\n\nWelcome! {{school_name}} has opened « {{course_title}} » for you.\n\nTo begin, open your space:\n{{login_link}}\n\nOn another device, type this code on the login page: {{login_code}}\nThe link and the code stay valid for 7 days.\n\nSee you soon,\n{{school_name}}",
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
                "Bonjour {{first_name}},\n\nMerci ! Votre paiement de {{amount}} pour « {{course_title}} » ({{offer_name}}) est bien reçu. Commande {{order_number}}.\n\nCommencer le cours :\n{{login_link}}\n\n{{school_name}}",
            ),
            (MailKind::Receipt, Locale::En) => (
                "Thank you for your purchase: {{course_title}}",
                "Hello {{first_name}},\n\nThank you! Your payment of {{amount}} for « {{course_title}} » ({{offer_name}}) is received. Order {{order_number}}.\n\nStart the course:\n{{login_link}}\n\n{{school_name}}",
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

/// Stand-ins for the recipient's names: the statement that writes the outbox row fills them
/// from the account (`kernel::mail`), so no sender has to load names.
pub const FIRST_NAME: &str = "@@first_name@@";
pub const LAST_NAME: &str = "@@last_name@@";

/// The school's own texts of one kind, per language (`None`: the default is sent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchoolTexts {
    pub fr: Option<(String, String)>,
    pub en: Option<(String, String)>,
}

impl SchoolTexts {
    /// The subject and text a recipient in `locale` gets.
    pub fn text(&self, kind: MailKind, locale: Locale) -> (&str, &str) {
        let own = match locale {
            Locale::Fr => &self.fr,
            Locale::En => &self.en,
        };
        match own {
            Some((subject, body)) => (subject, body),
            None => kind.default_text(locale),
        }
    }

    pub fn set(&mut self, locale: Locale, subject: String, body: String) {
        let own = Some((subject, body));
        match locale {
            Locale::Fr => self.fr = own,
            Locale::En => self.en = own,
        }
    }
}

/// The subject, text and HTML body of an email of `kind` in `locale` from the school's texts:
/// `values` gives the fields the sender knows; the names it does not give stay stand-ins for
/// the outbox statement to fill.
pub fn compose(kind: MailKind, texts: &SchoolTexts, locale: Locale, values: &[(&str, String)]) -> (String, String, String) {
    let (subject, body) = texts.text(kind, locale);
    // A field left empty takes the space before it along ("Bonjour," not "Bonjour ,"), as
    // the outbox statement does for the names it fills.
    // Browsers post a text box's line breaks as CRLF.
    let (mut subject, mut body) = (subject.to_string(), body.replace("\r\n", "\n"));
    for (name, _) in values.iter().filter(|(_, v)| v.is_empty()) {
        let spaced = format!(" {{{{{name}}}}}");
        let bare = format!("{{{{{name}}}}}");
        subject = subject.replace(&spaced, &bare);
        body = body.replace(&spaced, &bare);
    }
    let (subject, text) = fill(&subject, &body, |field| match values.iter().find(|(name, _)| *name == field) {
        Some((_, value)) => value.clone(),
        None if field == "first_name" => FIRST_NAME.to_string(),
        None if field == "last_name" => LAST_NAME.to_string(),
        None => String::new(),
    });
    let html = html_body(kind, locale, &text);
    (subject, text, html)
}

const BUTTON_STYLE: &str = "display:inline-block;padding:.8rem 1.2rem;color:#fff;border-radius:.5rem;text-decoration:none;background:";
const CODE_STYLE: &str = "font-size:1.4rem;letter-spacing:.15rem;font-weight:bold";

fn is_link(line: &str) -> bool {
    (line.starts_with("https://") || line.starts_with("http://")) && !line.contains(char::is_whitespace)
}

/// The HTML of a filled text: a paragraph per blank-line-separated block, line breaks kept;
/// a line that is only an address becomes the email's button; the login code stands out.
pub fn html_body(kind: MailKind, locale: Locale, text: &str) -> String {
    let label = t(locale, match kind {
        MailKind::Review => "mail_button_lesson",
        MailKind::Certificate => "certificate_view",
        _ => "mail_button_space",
    });
    let mut out = String::new();
    for block in text.split("\n\n") {
        let mut lines: Vec<String> = vec![];
        let flush = |lines: &mut Vec<String>, out: &mut String| {
            if !lines.is_empty() {
                out.push_str(&format!("<p>{}</p>", lines.join("<br>")));
                lines.clear();
            }
        };
        for line in block.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()) {
            if is_link(line.trim()) {
                flush(&mut lines, &mut out);
                out.push_str(&format!("<p><a href=\"{}\" style=\"{BUTTON_STYLE}{EMAIL_BRAND}\">{}</a></p>", escape(line.trim()), escape(label)));
            } else {
                lines.push(escape(line).replace(CODE_PLACEHOLDER, &format!("<span style=\"{CODE_STYLE}\">{CODE_PLACEHOLDER}</span>")));
            }
        }
        flush(&mut lines, &mut out);
    }
    out
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

    #[test]
    fn a_default_invitation_names_the_course_and_its_link_is_the_button() {
        let texts = SchoolTexts::default();
        let values: Vec<(&str, String)> = vec![("course_title", "Yoga <doux>".into()), ("school_name", "Atelier".into()), ("login_link", "https://demo.example/login/link/@@LINK@@".into()), ("login_code", CODE_PLACEHOLDER.into())];
        let (subject, text, html) = compose(MailKind::Invitation, &texts, Locale::Fr, &values);
        assert_eq!(subject, "Bienvenue à Atelier : Yoga <doux>");
        assert!(text.starts_with("Bonjour @@first_name@@,"), "{}", text);
        assert!(html.contains("<a href=\"https://demo.example/login/link/@@LINK@@\""), "{}", html);
        assert!(html.contains("Yoga &lt;doux&gt;") && !html.contains("<doux>"));
        assert!(html.contains(&format!("<span style=\"{CODE_STYLE}\">{CODE_PLACEHOLDER}</span>")));
        assert!(!text.contains("ignore"));
    }

    #[test]
    fn the_schools_own_text_is_used_in_its_language_only() {
        let mut texts = SchoolTexts::default();
        texts.set(Locale::En, "Hi {{first_name}}".into(), "Line one\nline two\n\n{{certificate_link}}".into());
        let values = vec![("first_name", "Ann".to_string()), ("certificate_link", "https://x.example/c/1".to_string())];
        let en = compose(MailKind::Certificate, &texts, Locale::En, &values);
        assert_eq!(en.0, "Hi Ann");
        assert!(en.2.contains("<p>Line one<br>line two</p><p><a href=\"https://x.example/c/1\""), "{}", en.2);
        let fr = compose(MailKind::Certificate, &texts, Locale::Fr, &values);
        assert!(fr.0.starts_with("Félicitations"));
        let nameless = compose(MailKind::Certificate, &texts, Locale::En, &[("first_name", String::new())]);
        assert_eq!(nameless.0, "Hi", "an empty name leaves no space behind");
        texts.set(Locale::Fr, "x".into(), "un\r\n\r\ndeux".into());
        assert_eq!(compose(MailKind::Certificate, &texts, Locale::Fr, &[]).2, "<p>un</p><p>deux</p>", "a browser's CRLF still makes paragraphs");
    }
}
