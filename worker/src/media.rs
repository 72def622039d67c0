//! Serving stored files: `GET|HEAD /media/{id}` on the school's host. Public files (covers)
//! are cacheable by anyone; byte ranges let a browser seek; nothing is ever served as HTML
//! (the type is the one sniffed at upload, with `nosniff`).

use app::features::media::rules::{id_in_path, parse_range};
use app::features::media::server::{self as media, object_key};
use axum::body::Body;
use http::{header, HeaderValue, Method, Response, StatusCode};
use worker::{Env, HttpRequest};

pub fn handles(path: &str) -> bool {
    path.starts_with("/media/")
}

pub async fn handle(req: &HttpRequest, env: &Env, config: &app::kernel::config::Config) -> Response<Body> {
    let base_domain = config.base_domain.as_str();
    let not_found = || crate::guard::plain(StatusCode::NOT_FOUND, "Not found.");
    if let Some(id) = req.uri().path().strip_suffix(VIEWS_SUFFIX).and_then(id_in_path) {
        return count_view(req, env, config, id).await;
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return crate::guard::plain(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed.");
    }
    let Some(id) = id_in_path(req.uri().path()) else { return not_found() };
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let Some(app::kernel::host::Site::School(slug)) = app::kernel::host::site_for_host(host, base_domain) else { return not_found() };
    let (Ok(db), Ok(bucket)) = (env.d1("DB"), env.bucket(media::BUCKET)) else { return unavailable() };
    let sdb = app::kernel::db::SchoolDb::by_slug(&db, &slug);
    let file = match media::find(&sdb, id).await {
        Ok(Some(f)) => f,
        Ok(None) => return not_found(),
        Err(_) => return unavailable(),
    };
    // A private file only through the short-lived URL a page signed for this viewer: the
    // page signed it because the viewer could read the lesson then.
    if !file.is_public() && signed_viewer(req, config, &file.id).is_none() {
        return expired();
    }
    let size = file.size as u64;
    let etag = format!("\"{}\"", &file.sha256[..32.min(file.sha256.len())]);
    if req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return with_file_headers(Response::builder().status(StatusCode::NOT_MODIFIED), &file, &etag).body(Body::empty()).expect("static headers");
    }
    let range = match parse_range(req.headers().get(header::RANGE).and_then(|v| v.to_str().ok()), size) {
        Ok(r) => r,
        Err(_) => {
            return Response::builder()
                .status(StatusCode::RANGE_NOT_SATISFIABLE)
                .header(header::CONTENT_RANGE, format!("bytes */{size}"))
                .body(Body::empty())
                .expect("static headers")
        }
    };
    let (status, length) = match range {
        Some(r) => (StatusCode::PARTIAL_CONTENT, r.len()),
        None => (StatusCode::OK, size),
    };
    let mut builder = with_file_headers(Response::builder().status(status), &file, &etag).header(header::CONTENT_LENGTH, length);
    if let Some(r) = range {
        builder = builder.header(header::CONTENT_RANGE, r.content_range(size));
    }
    if req.method() == Method::HEAD {
        return builder.body(Body::empty()).expect("static headers");
    }
    let get = bucket.get(object_key(file.school_id, &file.id));
    let get = match range {
        Some(r) => get.range(worker::Range::OffsetWithLength { offset: r.start, length: r.len() }),
        None => get,
    };
    // The object's stream goes on to the response as it arrives: a 2 GB video is never held
    // in the Worker's memory.
    let stream = match get.execute().await {
        Ok(Some(object)) => object.body().and_then(|body| body.stream().ok()),
        _ => None,
    };
    match stream {
        Some(stream) => builder.body(Body::from_stream(SendStream(stream))).expect("static headers"),
        None => unavailable(),
    }
}

/// R2's byte stream for an axum body, which wants `Send`: a Worker runs one thread, so the
/// stream never crosses one.
struct SendStream(worker::ByteStream);

// SAFETY: wasm32 Workers are single-threaded; nothing here is shared between threads.
unsafe impl Send for SendStream {}

impl futures_util::Stream for SendStream {
    type Item = worker::Result<Vec<u8>>;
    fn poll_next(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        std::pin::Pin::new(&mut self.0).poll_next(cx)
    }
}

/// The viewer a private file's URL was signed for, when the signature holds now.
fn signed_viewer(req: &HttpRequest, config: &app::kernel::config::Config, file_id: &str) -> Option<String> {
    let query = req.uri().query().unwrap_or("");
    let value = |name: &str| query.split('&').find_map(|p| p.strip_prefix(name).and_then(|v| v.strip_prefix('='))).unwrap_or("");
    let cookies = req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let now = app::kernel::request::clock(config, req.headers());
    let viewer = media::viewer_key(cookies)?;
    let expires = value("v").parse::<i64>().ok()?;
    app::features::media::rules::verify_url(&config.pepper, file_id, &viewer, expires, value("s"), now).then_some(viewer)
}

fn expired() -> Response<Body> {
    crate::guard::plain(StatusCode::FORBIDDEN, "This link has expired or is not yours: open the lesson again to get a fresh one.")
}

/// `POST /media/{id}/views?v=&s=`: the player started playing an uploaded video. Counted for
/// the logged-in student the URL was signed for (a visitor's views are not counted). With
/// `&at=N`: where the student is in it (seconds), for "continue".
const VIEWS_SUFFIX: &str = "/views";

async fn count_view(req: &HttpRequest, env: &Env, config: &app::kernel::config::Config, id: &str) -> Response<Body> {
    if req.method() != Method::POST {
        return crate::guard::plain(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed.");
    }
    if crate::guard::write_check(req, config) != crate::guard::WriteCheck::Allowed {
        return crate::guard::plain(StatusCode::FORBIDDEN, "Cross-site request refused.");
    }
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let Some(app::kernel::host::Site::School(slug)) = app::kernel::host::site_for_host(host, &config.base_domain) else {
        return crate::guard::plain(StatusCode::NOT_FOUND, "Not found.");
    };
    let Some(viewer) = signed_viewer(req, config, id) else { return expired() };
    let cookies = req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let Some(token) = app::kernel::cookies::get(cookies, app::kernel::cookies::SESSION_COOKIE).and_then(app::kernel::token::SessionToken::parse).filter(|t| t.id == viewer) else {
        return crate::guard::plain(StatusCode::NO_CONTENT, "");
    };
    let Ok(db) = env.d1("DB") else { return unavailable() };
    let sdb = app::kernel::db::SchoolDb::by_slug(&db, &slug);
    let now = app::kernel::request::clock(config, req.headers());
    let at = req.uri().query().unwrap_or("").split('&').find_map(|p| p.strip_prefix("at=")).and_then(|v| v.parse::<i64>().ok());
    match media::count_view(&sdb, id, &token, now, at).await {
        Ok(_) => crate::guard::plain(StatusCode::NO_CONTENT, ""),
        Err(_) => unavailable(),
    }
}

fn with_file_headers(builder: http::response::Builder, file: &media::FileRow, etag: &str) -> http::response::Builder {
    // A cover never changes under its id; a trial lesson's image may stop being public.
    let cache = match (file.use_.is_public(), file.is_public()) {
        (true, _) => "public, max-age=31536000, immutable",
        (false, true) => "public, max-age=3600",
        _ => "private, no-store",
    };
    // Images show in the page; anything else downloads with its name.
    let disposition = if file.content_type.starts_with("image/") || file.content_type.starts_with("video/") { "inline" } else { "attachment" };
    builder
        .header(header::CONTENT_TYPE, HeaderValue::from_str(&file.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")))
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::ETAG, etag)
        .header(header::CACHE_CONTROL, cache)
        .header(header::CONTENT_DISPOSITION, format!("{disposition}; filename*=UTF-8''{}", app::kernel::url::encode(&file.name)))
        .header("x-content-type-options", "nosniff")
}

fn unavailable() -> Response<Body> {
    crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable.")
}
