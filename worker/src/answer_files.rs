//! A file for a student's answer (student Worker): `POST /courses/{slug}/lessons/{id}/answer_files`,
//! a multipart form with `file` (up to the answer limit), outside the page router because
//! its body is not a small form. The work is the lesson's (`learn::answers`), run in the
//! request's context like a server function's: only a student who may answer now gets a
//! file stored.

use app::features::learn::answers::{parse_answer_file_path, ssr_impl};
use app::features::media::rules::Use;
use app::kernel::request::RequestContext;
use axum::body::Body;
use http::{header, Response, StatusCode};
use leptos::prelude::*;
use worker::Env;

pub fn handles(method: &str, path: &str) -> bool {
    method == "POST" && parse_answer_file_path(path).is_some()
}

pub async fn handle(req: http::Request<Body>, ctx: RequestContext, env: &Env) -> Response<Body> {
    let Some((slug, lesson_id)) = parse_answer_file_path(req.uri().path()).map(|(s, l)| (s.to_string(), l)) else {
        return crate::guard::plain(StatusCode::NOT_FOUND, "Not found.");
    };
    let page = format!("/courses/{slug}/lessons/{lesson_id}");
    let back = |to: String| Response::builder().status(StatusCode::SEE_OTHER).header(header::LOCATION, to).body(Body::empty()).expect("static response");
    if ctx.viewer.user.is_none() {
        crate::guard::drain(req.into_body()).await;
        return back(format!("/login?next={}", app::kernel::url::encode(&page)));
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (parts, body) = req.into_parts();
    let limit = Use::Answer.max_bytes();
    let Ok(bytes) = crate::guard::read_body(body, limit as usize + 64 * 1024).await else {
        let size = |b: u64| app::features::media::rules::human_size(b, ctx.viewer.locale == app::kernel::i18n::Locale::Fr);
        return back(format!("{}#task", app::kernel::url::with_error(&page, "file_too_big", &[("size", &size(limit + 1)), ("limit", &size(limit))])));
    };
    let sent = app::kernel::multipart::boundary(&content_type).map(|b| app::kernel::multipart::parts(&bytes, &b)).unwrap_or_default();
    let Some(file) = sent.iter().find(|p| p.name == "file" && p.file_name.as_deref().is_some_and(|n| !n.is_empty())) else {
        return back(format!("{}#task", app::kernel::url::with_error(&page, "file_empty", &[])));
    };
    // The lesson's own rules decide, with this request's context as a server function has it.
    let mut parts = parts;
    parts.extensions.insert(ctx);
    parts.extensions.insert(env.clone());
    let owner = Owner::new();
    owner.with(|| {
        provide_context(parts);
        provide_context(env.clone());
    });
    let name = file.file_name.clone().unwrap_or_default();
    let stored = owner.with(|| ScopedFuture::new(ssr_impl::add_answer_file(&slug, lesson_id, &name, file.bytes))).await;
    match stored {
        Ok(to) => back(to),
        Err(app::kernel::error::AppError::LoginRequired) => back(format!("/login?next={}", app::kernel::url::encode(&page))),
        Err(app::kernel::error::AppError::NotAvailable) => crate::guard::plain(StatusCode::NOT_FOUND, "This lesson is not open to you."),
        Err(_) => crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable, please try again in a moment."),
    }
}
