//! The outbox: every email is a row in D1 first (written in the same batch as whatever it
//! announces), then delivered by the HTTP email API; a cron run retries with backoff.
//! In dev there is no provider: the dev mailbox page reads the outbox.

use crate::kernel::error::AppError;
use crate::kernel::html::escape;
use crate::kernel::i18n::{t, Locale};
use crate::kernel::config::Config;
use crate::kernel::db::{all, int, opt_int, run, stmt, text};
use serde::{Deserialize, Serialize};
use worker::{D1Database, D1PreparedStatement};

/// Retries stop after this many failures (about a day and a half of backoff).
pub const MAX_DELIVERY_ATTEMPTS: i64 = 12;
/// Outbox rows one cron run delivers: stays well inside a Worker's subrequest limit.
pub const DELIVERY_BATCH: i64 = 40;
/// How long a delivery run holds the rows it took: every request that writes mail also
/// tries to deliver after its response, so two runs often overlap; a taken row is not due
/// for the others. Longer than a provider call can take; if the run dies, the row is due
/// again once it ends.
pub const DELIVERY_LEASE_MS: i64 = 5 * 60_000;

pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub kind: &'static str,
    /// The login request whose code and link fill the placeholders.
    pub login_request_id: Option<String>,
}

pub use crate::kernel::template::{CODE_PLACEHOLDER, EMAIL_BRAND, LINK_PLACEHOLDER};

/// The HTML body `?5` with the school's (`?1`) colour in place of `EMAIL_BRAND`.
const SCHOOL_HTML: &str = "replace(?5, '#2d5bd7', COALESCE((SELECT brand_color FROM schools WHERE id = ?1), '#2d5bd7'))";

/// `column` with the recipient's names in place of `emails::rules::{FIRST_NAME, LAST_NAME}`,
/// read from the account of `?2` at the school `?1` (escaped for HTML when `html`): an email
/// is personalised in the statement that writes it, so no sender loads names. An empty name
/// takes its leading space with it ("Bonjour," rather than "Bonjour ,").
fn with_names(column: &str, html: bool) -> String {
    let mut out = column.to_string();
    for field in ["first_name", "last_name"] {
        let mut value = format!("COALESCE((SELECT {field} FROM users WHERE school_id = ?1 AND email = ?2), '')");
        if html {
            value = format!("replace(replace(replace(replace({value}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '\"', '&quot;')");
        }
        out = format!("replace(replace({out}, ' @@{field}@@', CASE WHEN {value} = '' THEN '' ELSE ' ' || {value} END), '@@{field}@@', {value})");
    }
    out
}

/// The subject, text and HTML of an outbox row (`?3`, `?4`, `?5`), personalised.
fn written_columns() -> String {
    format!("{}, {}, {}", with_names("?3", false), with_names("?4", false), with_names(SCHOOL_HTML, true))
}

pub fn enqueue(db: &D1Database, school_id: Option<i64>, email: &Email, now: i64) -> Result<D1PreparedStatement, AppError> {
    stmt(
        db,
        &format!(
            "INSERT INTO outbox (school_id, to_addr, subject, text_body, html_body, kind, status, next_attempt_at, created_at, login_request_id)
             VALUES (?1, ?2, {}, ?6, 'pending', ?7, ?7, ?8)",
            written_columns()
        ),
        &[
            opt_int(school_id),
            text(&email.to),
            text(&email.subject),
            text(&email.text),
            text(&email.html),
            text(email.kind),
            int(now),
            email.login_request_id.as_deref().map(text).unwrap_or(wasm_bindgen::JsValue::NULL),
        ],
    )
}

/// An email written only if `when` (scoped SQL, a query whose one argument is `?8`) finds a
/// row when the batch runs: the email of something that another statement of the same batch
/// may or may not have written (a certificate issued once, however many requests finished
/// the course at once).
pub fn enqueue_when(sdb: &crate::kernel::db::SchoolDb, email: &Email, now: i64, when: &str, arg: wasm_bindgen::JsValue) -> Result<D1PreparedStatement, AppError> {
    sdb.stmt(
        &format!(
            "INSERT INTO @outbox (to_addr, subject, text_body, html_body, kind, status, next_attempt_at, created_at)
             SELECT ?2, {}, ?6, 'pending', ?7, ?7 WHERE EXISTS ({when})",
            written_columns()
        ),
        &[text(&email.to), text(&email.subject), text(&email.text), text(&email.html), text(email.kind), int(now), arg],
    )
}

/// A stored body with its code and link put back, derived from the request's seed.
pub fn render_secrets(body: &str, pepper: &str, login_request_id: Option<&str>, seed: Option<&str>) -> String {
    match (login_request_id, seed) {
        (Some(id), Some(seed)) => {
            let secrets = crate::kernel::token::derive_login_secrets(pepper, id, seed);
            let spaced = format!("{} {}", &secrets.code[..4], &secrets.code[4..]);
            body.replace(CODE_PLACEHOLDER, &spaced).replace(LINK_PLACEHOLDER, &secrets.link_token)
        }
        _ => body.to_string(),
    }
}

/// An email's HTML as a whole document: its language, its subject as the title (mail clients
/// and screen readers announce both), one readable column. `body` is HTML already escaped.
pub fn document(locale: Locale, subject: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"font-family:system-ui,sans-serif;max-width:32rem;margin:auto;padding:1rem\">{body}</body></html>",
        lang = locale.code(),
        title = escape(subject),
    )
}

/// The login email: a code (for logins and signups) and a link, same expiry. `link` ends
/// with `LINK_PLACEHOLDER`; with `has_code`, the body shows `CODE_PLACEHOLDER`.
#[allow(clippy::too_many_arguments)]
pub fn login_email(locale: Locale, to: &str, school_name: &str, subject_key: &str, has_code: bool, valid_a_week: bool, link: &str, kind: &'static str, login_request_id: &str) -> Email {
    let code = has_code.then_some(CODE_PLACEHOLDER);
    let subject = if subject_key == "mail_invite_subject" {
        format!("{} {school_name}", t(locale, subject_key))
    } else {
        format!("{} – {school_name}", t(locale, subject_key))
    };
    let spaced = code.map(str::to_string);
    let expiry = t(locale, match (code.is_some(), valid_a_week) {
        (true, false) => "mail_expiry",
        (true, true) => "mail_expiry_week_code",
        (false, _) => "mail_expiry_week",
    });
    let text_code = spaced.as_ref().map(|s| format!("{}\n\n    {s}\n\n", t(locale, "mail_code_intro"))).unwrap_or_default();
    let text_body = format!("{school_name}\n\n{text_code}{}\n{link}\n\n{expiry}\n{}\n", t(locale, "mail_link_intro"), t(locale, "mail_ignore"));
    let html_code = spaced
        .as_ref()
        .map(|s| format!("<p>{}</p><p style=\"font-size:2rem;letter-spacing:.2rem;font-weight:bold\">{s}</p>", t(locale, "mail_code_intro")))
        .unwrap_or_default();
    let html_body = format!(
        "<h1 style=\"font-size:1.2rem\">{school}</h1>{html_code}\
         <p>{link_intro}</p><p><a href=\"{link}\" style=\"display:inline-block;padding:.8rem 1.2rem;background:#2d5bd7;color:#fff;border-radius:.5rem;text-decoration:none\">{button}</a></p>\
         <p style=\"color:#555\">{expiry}<br>{ignore}</p>",
        school = escape(school_name),
        link_intro = t(locale, "mail_link_intro"),
        link = escape(link),
        button = t(locale, "confirm_login"),
        ignore = t(locale, "mail_ignore"),
    );
    let html_body = document(locale, &subject, &html_body);
    Email { to: to.to_string(), subject, text: text_body, html: html_body, kind, login_request_id: Some(login_request_id.to_string()) }
}

/// For a school that tells unknown emails so: no account here, and how to get one.
pub fn no_account_email(locale: Locale, to: &str, school_name: &str, school_url: &str) -> Email {
    let subject = format!("{} – {school_name}", t(locale, "mail_no_account_subject"));
    let text_body = format!("{school_name}\n\n{}\n\n{}\n{school_url}\n\n{}\n", t(locale, "mail_no_account_body"), t(locale, "mail_no_account_access"), t(locale, "mail_ignore"));
    let html_body = format!(
        "<h1 style=\"font-size:1.2rem\">{school}</h1><p>{body}</p><p>{access} <a href=\"{url}\">{url}</a></p><p style=\"color:#555\">{ignore}</p>",
        school = escape(school_name),
        body = t(locale, "mail_no_account_body"),
        access = t(locale, "mail_no_account_access"),
        url = escape(school_url),
        ignore = t(locale, "mail_ignore"),
    );
    let html_body = document(locale, &subject, &html_body);
    Email { to: to.to_string(), subject, text: text_body, html: html_body, kind: "no_account", login_request_id: None }
}

#[derive(Debug, Deserialize, Serialize)]
pub struct OutboxRow {
    pub id: i64,
    pub login_request_id: Option<String>,
    pub seed: Option<String>,
    pub to_addr: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i64,
}

/// Exponential backoff: 1, 2, 4 ... minutes, capped at 6 hours.
pub fn next_attempt_delay_ms(attempts: i64) -> i64 {
    let minutes = 1i64 << attempts.clamp(0, 9);
    minutes.min(360) * 60_000
}

/// Delivers due outbox rows through the provider. Without a provider (dev), mail stays in
/// the outbox, where the dev mailbox shows it.
pub async fn deliver_due(db: &D1Database, config: &Config, now: i64) -> Result<(usize, usize), AppError> {
    let (Some(url), Some(key)) = (config.email_api_url.clone(), config.email_api_key.clone()) else {
        return Ok((0, 0));
    };
    // Take the due rows in one statement (D1 runs statements one at a time), so overlapping
    // runs never send the same email twice.
    let due: Vec<OutboxRow> = all(
        db,
        "UPDATE outbox SET next_attempt_at = ?1 + ?3
         WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?2)
         RETURNING id, to_addr, subject, text_body, html_body, attempts, login_request_id,
                   (SELECT seed FROM login_requests l WHERE l.id = outbox.login_request_id) AS seed",
        &[int(now), int(DELIVERY_BATCH), int(DELIVERY_LEASE_MS)],
    )
    .await?;
    let (mut sent, mut failed) = (0, 0);
    for row in due {
        let mut row = row;
        row.text_body = render_secrets(&row.text_body, &config.pepper, row.login_request_id.as_deref(), row.seed.as_deref());
        row.html_body = render_secrets(&row.html_body, &config.pepper, row.login_request_id.as_deref(), row.seed.as_deref());
        match send_via_api(&url, &key, &config.email_from, &row).await {
            Ok(provider_id) => {
                sent += 1;
                // Bodies carry login codes and links: once the provider has them, keep only
                // what the school needs to see (recipient, subject, status, times).
                run(
                    db,
                    "UPDATE outbox SET status = 'sent', sent_at = ?1, provider_id = ?2, attempts = attempts + 1, text_body = '', html_body = '' WHERE id = ?3",
                    &[int(now), text(&provider_id), int(row.id)],
                )
                .await?;
            }
            Err(err) => {
                failed += 1;
                let attempts = row.attempts + 1;
                let status = if attempts >= MAX_DELIVERY_ATTEMPTS { "failed" } else { "pending" };
                run(
                    db,
                    "UPDATE outbox SET status = ?1, attempts = ?2, next_attempt_at = ?3, last_error = ?4 WHERE id = ?5",
                    &[text(status), int(attempts), int(now + next_attempt_delay_ms(attempts)), text(&err), int(row.id)],
                )
                .await?;
            }
        }
    }
    Ok((sent, failed))
}

/// One provider with a JSON API in the common shape (`from`, `to`, `subject`, `html`, `text`,
/// bearer key): Resend's, which Postmark- and SendGrid-style adapters would mirror.
async fn send_via_api(url: &str, key: &str, from: &str, row: &OutboxRow) -> Result<String, String> {
    use worker::{Fetch, Headers, Method, Request, RequestInit};
    let body = serde_json::json!({
        "from": from, "to": [row.to_addr], "subject": row.subject, "html": row.html_body, "text": row.text_body,
    });
    let headers = Headers::new();
    headers.set("authorization", &format!("Bearer {key}")).map_err(|e| e.to_string())?;
    headers.set("content-type", "application/json").map_err(|e| e.to_string())?;
    // Idempotency: a retry after a lost response must not send twice.
    headers.set("idempotency-key", &format!("outbox-{}", row.id)).map_err(|e| e.to_string())?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(body.to_string().into()));
    let request = Request::new_with_init(url, &init).map_err(|e| e.to_string())?;
    let mut response = Fetch::Request(request).send().await.map_err(|e| e.to_string())?;
    let status = response.status_code();
    let text = response.text().await.unwrap_or_default();
    if (200..300).contains(&status) {
        let id = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v.get("id").and_then(|i| i.as_str()).map(String::from));
        Ok(id.unwrap_or_default())
    } else {
        Err(format!("provider answered {status}: {}", text.chars().take(200).collect::<String>()))
    }
}
