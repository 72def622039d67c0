//! Edge rules applied to every response: framing, sniffing, referrer, caching, and the
//! Origin check on state-changing requests.

use app::i18n::{t, Locale};
use app::server::config::Config;
use axum::body::Body;
use http::{header, HeaderValue, Method, Response, StatusCode};
use worker::HttpRequest;

/// What a state-changing request needs before it may run.
#[derive(Debug, PartialEq, Eq)]
pub enum WriteCheck {
    Allowed,
    Refused,
    /// No usable `Origin`: the form token in the body must match its cookie.
    NeedsFormToken,
}

/// A POST (or any non-safe method) must come from the same origin as the host it targets.
/// Browsers send `Origin` on POSTs; pages sent with `no-referrer` (login links) make them
/// send `Origin: null`, accepted when `Sec-Fetch-Site` says same-origin. Otherwise, with no
/// Origin, the form token decides.
pub fn write_check(req: &HttpRequest, config: &Config) -> WriteCheck {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return WriteCheck::Allowed;
    }
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let expected = format!("{}://{}", config.scheme, host);
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        Some("null") if fetch_site == Some("same-origin") => WriteCheck::Allowed,
        Some("null") => WriteCheck::NeedsFormToken,
        Some(origin) if origin.eq_ignore_ascii_case(&expected) => WriteCheck::Allowed,
        Some(_) => WriteCheck::Refused,
        None if matches!(fetch_site, Some("cross-site" | "same-site")) => WriteCheck::Refused,
        None => WriteCheck::NeedsFormToken,
    }
}

/// Form bodies above this are not read for a token (no form of ours comes near it).
pub const MAX_FORM_BYTES: usize = 256 * 1024;

/// A form post read into memory: the form token can be checked and fields read before the
/// request goes on, with the same body.
pub struct ReadForm {
    pub parts: http::request::Parts,
    pub body: axum::body::Bytes,
}

impl ReadForm {
    pub async fn read(req: HttpRequest) -> Result<ReadForm, ()> {
        let (parts, body) = req.into_parts();
        let body = axum::body::to_bytes(Body::new(body), MAX_FORM_BYTES).await.map_err(|_| ())?;
        Ok(ReadForm { parts, body })
    }

    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or("")
    }

    pub fn token_matches(&self) -> bool {
        let cookie_header = self.parts.headers.get(header::COOKIE).and_then(|c| c.to_str().ok()).unwrap_or("");
        let cookie = app::server::cookies::get(cookie_header, app::server::cookies::CSRF_COOKIE);
        app::domain::csrf::form_token_matches(cookie, self.text(), app::components::post_form::CSRF_FIELD)
    }

    pub fn into_request(self) -> http::Request<Body> {
        http::Request::from_parts(self.parts, Body::from(self.body))
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
