//! Dev-only routes (404 unless ENVIRONMENT=dev): `/_dev/mail` and `/_dev/mail.json` (the
//! outbox, newest first), `/_dev/seed` (the demo school), `/_dev/deliver` (one delivery run),
//! `/_dev/storage_quota`, and `/_dev/embeds_changed` / `/_dev/embeds_forget` (the benchmark's
//! edge-cache figures). The cron work's routes are the admin Worker's (`admin_dev.rs`).

use app::kernel::config::Config;
use app::kernel::html::escape;
use app::kernel::db::{all, int, text};
use axum::body::Body;
use http::{header, Response, StatusCode};
use serde::{Deserialize, Serialize};
use worker::{Env, HttpRequest};

#[derive(Serialize, Deserialize)]
struct Mail {
    to: String,
    subject: String,
    text: String,
    html: String,
    created_at: i64,
    status: String,
}

fn json(body: String) -> Response<Body> {
    Response::builder().header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).expect("response")
}

pub async fn handle(req: &HttpRequest, env: &Env, config: &Config) -> Response<Body> {
    if !config.is_dev() {
        return crate::guard::plain(StatusCode::NOT_FOUND, "Not found");
    }
    let fail = |what: &'static str| crate::guard::plain(StatusCode::INTERNAL_SERVER_ERROR, what);
    // The cron handler's runs, at a chosen time (tests move the clock).
    let now = || query_value(req, "now").and_then(|v| v.parse::<i64>().ok()).unwrap_or_else(|| worker::Date::now().as_millis() as i64);
    let post = req.method() == http::Method::POST;
    match req.uri().path() {
        "/_dev/deliver" if post => {
            let Ok(db) = env.d1("DB") else { return fail("no database") };
            match app::kernel::mail::deliver_due(&db, config, now()).await {
                Ok((sent, failed)) => json(serde_json::json!({ "sent": sent, "failed": failed }).to_string()),
                Err(_) => fail("delivery failed"),
            }
        }
        // The benchmark's cache figures: a change (as an edit makes), and a cold isolate.
        "/_dev/embeds_changed" if post => {
            let Ok(db) = env.d1("DB") else { return fail("no database") };
            let school = query_value(req, "school").unwrap_or_default();
            let id: Option<serde_json::Value> = app::kernel::db::first(&db, "SELECT id FROM schools WHERE slug = ?1", &[text(&school)]).await.ok().flatten();
            let Some(id) = id.and_then(|v| v["id"].as_i64()) else { return fail("no such school") };
            match app::kernel::content_version::bump(env, &db, id, now()).await {
                Ok(()) => json("{}".into()),
                Err(_) => fail("change failed"),
            }
        }
        // A school's storage quota (tests of a full school, without uploading gigabytes).
        "/_dev/storage_quota" if post => {
            let Ok(db) = env.d1("DB") else { return fail("no database") };
            let (school, bytes) = (query_value(req, "school").unwrap_or_default(), query_value(req, "bytes").and_then(|b| b.parse::<i64>().ok()));
            match app::kernel::db::first::<serde_json::Value>(&db, "UPDATE schools SET storage_quota_bytes = ?2 WHERE slug = ?1 RETURNING id", &[text(&school), app::kernel::db::opt_int(bytes)]).await {
                Ok(Some(_)) => json("{}".into()),
                _ => fail("no such school"),
            }
        }
        "/_dev/embeds_forget" if post => {
            app::features::trial::server::forget_memory();
            json("{}".into())
        }
        "/_dev/seed" if post => match crate::seed::run(env, config).await {
            Ok(summary) => json(summary),
            Err(e) => fail(if e == app::kernel::error::AppError::Internal { "seed failed" } else { "seed refused" }),
        },
        path @ ("/_dev/mail.json" | "/_dev/mail") => {
            let to = query_value(req, "to").map(|v| v.replace("%40", "@").replace("%2B", "+")).unwrap_or_default();
            let Ok(mails) = load(env, config, &to).await else { return fail("outbox unavailable") };
            if path == "/_dev/mail.json" {
                json(serde_json::to_string(&mails).unwrap_or_else(|_| "[]".into()))
            } else {
                Response::builder().header(header::CONTENT_TYPE, "text/html; charset=utf-8").body(Body::from(page(&mails))).expect("response")
            }
        }
        _ => crate::guard::plain(StatusCode::NOT_FOUND, "Not found"),
    }
}

fn query_value(req: &HttpRequest, name: &str) -> Option<String> {
    req.uri().query()?.split('&').find_map(|p| p.strip_prefix(name)?.strip_prefix('=')).map(String::from)
}

#[derive(Deserialize)]
struct OutboxRow {
    to: String,
    subject: String,
    text: String,
    html: String,
    created_at: i64,
    status: String,
    login_request_id: Option<String>,
    seed: Option<String>,
}

/// The outbox as the recipient would read it: codes and links rendered as at delivery.
async fn load(env: &Env, config: &Config, to: &str) -> Result<Vec<Mail>, app::kernel::error::AppError> {
    use app::kernel::mail::render_secrets;
    let db = env.d1("DB")?;
    let rows: Vec<OutboxRow> = all(
        &db,
        "SELECT o.to_addr AS \"to\", o.subject, o.text_body AS text, o.html_body AS html, o.created_at, o.status, o.login_request_id, l.seed
         FROM outbox o LEFT JOIN login_requests l ON l.id = o.login_request_id
         WHERE (?1 = '' OR o.to_addr = ?1) ORDER BY o.id DESC LIMIT ?2",
        &[text(to), int(200)],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Mail {
            text: render_secrets(&r.text, &config.pepper, r.login_request_id.as_deref(), r.seed.as_deref()),
            html: render_secrets(&r.html, &config.pepper, r.login_request_id.as_deref(), r.seed.as_deref()),
            to: r.to,
            subject: r.subject,
            created_at: r.created_at,
            status: r.status,
        })
        .collect())
}

/// Text bodies with their URLs made clickable, so a person (or a browser test) can follow them.
fn page(mails: &[Mail]) -> String {
    let mut out = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Dev mailbox</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><main><h1>Dev mailbox</h1>",
    );
    if mails.is_empty() {
        out.push_str("<p>No email yet.</p>");
    }
    for m in mails {
        let body: String = escape(&m.text)
            .split_inclusive(char::is_whitespace)
            .map(|w| {
                let word = w.trim_end();
                if word.starts_with("http://") || word.starts_with("https://") {
                    format!("<a class=\"mail-link\" href=\"{word}\">{word}</a>{}", &w[word.len()..])
                } else {
                    w.to_string()
                }
            })
            .collect();
        let when = chrono::DateTime::from_timestamp_millis(m.created_at).map(|d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string()).unwrap_or_default();
        out.push_str(&format!(
            "<article class=\"card mail\" data-to=\"{to}\"><h2>{subject}</h2><p class=\"muted\">To {to} · {when} · {status}</p><pre>{body}</pre></article>",
            to = escape(&m.to),
            subject = escape(&m.subject),
            status = escape(&m.status),
        ));
    }
    out.push_str("</main></body></html>");
    out
}

