//! `POST /hooks/email` on the platform host: the email provider's delivery events, signed
//! (`kernel::webhook`). A bounce or complaint marks the outbox row, shown on the student's
//! page. No cookies, no Origin: the signature is the authentication.

use app::kernel::config::Config;
use axum::body::Body;
use http::{Response, StatusCode};
use worker::{Env, HttpRequest};

pub const PATH: &str = "/hooks/email";
/// Provider events are small.
const MAX_EVENT_BYTES: usize = 64 * 1024;

pub async fn email_events(req: HttpRequest, env: &Env, config: &Config, now_s: i64) -> Response<Body> {
    let Some(secret) = config.email_webhook_secret.clone() else {
        let _ = crate::guard::ReadForm::read(req).await;
        return crate::guard::plain(StatusCode::NOT_FOUND, "Not found.");
    };
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (id, timestamp, signatures) = (header("svix-id"), header("svix-timestamp"), header("svix-signature"));
    let Ok(form) = crate::guard::ReadForm::read(req).await else { return crate::guard::plain(StatusCode::PAYLOAD_TOO_LARGE, "Too large.") };
    if form.body.len() > MAX_EVENT_BYTES || !app::kernel::webhook::signature_valid(&secret, &id, &timestamp, &form.body, &signatures, now_s) {
        return crate::guard::plain(StatusCode::UNAUTHORIZED, "Bad signature.");
    }
    let Some((email_id, status)) = app::kernel::webhook::delivery_event(form.text()) else {
        return crate::guard::plain(StatusCode::OK, "Ignored.");
    };
    let Ok(db) = env.d1("DB") else { return crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Try again.") };
    let updated = app::kernel::db::run(
        &db,
        "UPDATE outbox SET status = ?2, last_error = CASE WHEN ?2 = 'delivered' THEN last_error ELSE ?2 END WHERE provider_id = ?1",
        &[app::kernel::db::text(&email_id), app::kernel::db::text(status)],
    )
    .await;
    match updated {
        Ok(_) => crate::guard::plain(StatusCode::OK, "Recorded."),
        // The provider retries on errors.
        Err(_) => crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Try again."),
    }
}

pub const STRIPE_PATH: &str = "/hooks/stripe";

/// `POST /hooks/stripe` on a school's host: its Stripe account's events (`payments::server`
/// verifies the signature with the school's own secret). Stripe retries anything but 2xx.
pub async fn stripe_events(req: HttpRequest, env: &Env, config: &Config, now_ms: i64) -> Response<Body> {
    let host = req.headers().get(http::header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let signature = req.headers().get("stripe-signature").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let Some(app::kernel::host::Site::School(slug)) = app::kernel::host::site_for_host(&host, &config.base_domain) else {
        let _ = crate::guard::ReadForm::read(req).await;
        return crate::guard::plain(StatusCode::NOT_FOUND, "Not found.");
    };
    let Ok(form) = crate::guard::ReadForm::read(req).await else { return crate::guard::plain(StatusCode::PAYLOAD_TOO_LARGE, "Too large.") };
    if form.body.len() > MAX_EVENT_BYTES {
        return crate::guard::plain(StatusCode::PAYLOAD_TOO_LARGE, "Too large.");
    }
    let Ok(db) = env.d1("DB") else { return crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Try again.") };
    use app::features::payments::server::{webhook, HookAnswer};
    match webhook(&db, config, &slug, form.text(), &signature, now_ms).await {
        Ok(HookAnswer::Done(what)) => crate::guard::plain(StatusCode::OK, what),
        Ok(HookAnswer::NotFound) => crate::guard::plain(StatusCode::NOT_FOUND, "Not found."),
        Ok(HookAnswer::Refused(why)) => crate::guard::plain(StatusCode::BAD_REQUEST, why),
        Ok(HookAnswer::Unavailable) | Err(_) => crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Try again."),
    }
}
