//! An editable email as the outbox takes it: `rules::compose` wrapped in the email document.

use crate::features::emails::rules::{compose, MailKind, SchoolTexts};
use crate::kernel::i18n::Locale;
use crate::kernel::mail::{document, Email};

/// What a sender knows of one email: its kind, the school's texts, and its fields' values
/// (the names come from the account unless given).
pub struct Letter<'a> {
    pub kind: MailKind,
    pub texts: &'a SchoolTexts,
    pub values: Vec<(&'static str, String)>,
    /// A line every email of this letter ends with, whatever the school wrote (the digest's
    /// way to stop it).
    pub footer: Option<&'static str>,
}

impl Letter<'_> {
    /// The email to `to` in `locale`; `outbox_kind` names it in the outbox.
    pub fn compose(&self, locale: Locale, to: &str, outbox_kind: &'static str) -> Email {
        let (subject, mut text, mut html) = compose(self.kind, self.texts, locale, &self.values);
        if let Some(footer) = self.footer {
            text.push_str(&format!("\n\n{footer}"));
            html.push_str(&format!("<p style=\"color:#555\">{}</p>", crate::kernel::html::escape(footer)));
        }
        let html = document(locale, &subject, &html);
        Email { to: to.to_string(), subject, text, html, kind: outbox_kind, login_request_id: None }
    }
}

