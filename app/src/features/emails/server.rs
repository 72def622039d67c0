//! The school's texts, read by every sender of an editable email (one statement, which the
//! sender puts in its own batch of reads when it has one).

use crate::features::emails::rules::SchoolTexts;
use crate::features::emails::rules::MailKind;
use crate::kernel::db::{rows, text, SchoolDb};
use crate::kernel::error::AppError;
use crate::kernel::i18n::Locale;
use serde::Deserialize;
use worker::{D1PreparedStatement, D1Result};

const SELECT: &str = "SELECT locale, subject, body FROM @email_templates WHERE kind = ?2";

#[derive(Deserialize)]
struct Row {
    locale: String,
    subject: String,
    body: String,
}

/// The statement that reads the school's texts of `kind` (both languages).
pub fn read(sdb: &SchoolDb, kind: MailKind) -> Result<D1PreparedStatement, AppError> {
    sdb.stmt(SELECT, &[text(kind.code())])
}

/// The texts from `read`'s result.
pub fn from_result(result: &D1Result) -> Result<SchoolTexts, AppError> {
    Ok(texts(rows::<Row>(result)?))
}

/// For a sender without a batch of reads of its own: one round trip.
pub async fn load(sdb: &SchoolDb, kind: MailKind) -> Result<SchoolTexts, AppError> {
    Ok(texts(sdb.all::<Row>(SELECT, &[text(kind.code())]).await?))
}

fn texts(rows: Vec<Row>) -> SchoolTexts {
    let mut texts = SchoolTexts::default();
    for row in rows {
        if let Some(locale) = Locale::parse(&row.locale) {
            texts.set(locale, row.subject, row.body);
        }
    }
    texts
}
