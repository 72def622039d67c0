//! Edge rules applied to every response: framing, sniffing, referrer, caching, and the
//! Origin check on state-changing requests.

use app::i18n::{t, Locale};
use app::server::config::Config;
use axum::body::Body;
use http::{header, HeaderValue, Method, Response, StatusCode};
use worker::HttpRequest;

/// A POST (or any non-safe method) must come from the same origin as the host it targets.
/// Browsers always send `Origin` on cross-site POSTs. Pages sent with `no-referrer` (login
/// links) make the browser send `Origin: null`; then, as when Origin is absent,
/// `Sec-Fetch-Site` decides. A request with neither is not from a browser, so it cannot be a
/// forged browser request.
pub fn same_origin_write(req: &HttpRequest, config: &Config) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let expected = format!("{}://{}", config.scheme, host);
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        Some("null") => fetch_site == Some("same-origin"),
        Some(origin) => origin.eq_ignore_ascii_case(&expected),
        None => !matches!(fetch_site, Some("cross-site" | "same-site")),
    }
}

pub fn secure(mut response: Response<Body>, path: &str) -> Response<Body> {
    let h = response.headers_mut();
    let set = |h: &mut http::HeaderMap, k: &'static str, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(h, "content-security-policy", "frame-ancestors 'none'; object-src 'none'; base-uri 'self'");
    set(h, "x-frame-options", "DENY");
    set(h, "x-content-type-options", "nosniff");
    // Login link pages carry a token in their URL: it must not leak to other sites.
    let referrer = if path.starts_with("/login/link/") { "no-referrer" } else { "same-origin" };
    set(h, "referrer-policy", referrer);
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, "cache-control", "private, no-store");
    }
    response
}

pub fn plain(status: StatusCode, body: &'static str) -> Response<Body> {
    Response::builder().status(status).header(header::CONTENT_TYPE, "text/plain; charset=utf-8").body(Body::from(body)).expect("static response")
}

/// A friendly page for `{unknown}.{base}`.
pub fn unknown_school(locale: Locale, config: &Config) -> Response<Body> {
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><main><section class=\"card narrow\">\
         <h1>{title}</h1><p>{lead}</p><p><a class=\"button\" href=\"{home}\">Atelier</a></p></section></main></body></html>",
        lang = locale.code(),
        title = t(locale, "unknown_school"),
        lead = t(locale, "unknown_school_lead"),
        home = config.platform_url(),
    );
    Response::builder()
        .status(StatusCode::NOT_FOUND)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(html))
        .expect("static response")
}
