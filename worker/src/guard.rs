//! Edge rules applied to every response: framing, sniffing, referrer, caching, and the
//! Origin check on state-changing requests.

use app::kernel::i18n::{t, Locale};
use app::kernel::config::Config;
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
    // The host the browser asked for: a school's own domain (`custom_host`), or the Host.
    let host = headers.get(crate::custom_host::ORIGINAL_HOST).or_else(|| headers.get(header::HOST)).and_then(|h| h.to_str().ok()).unwrap_or("");
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

/// The largest form body taken: no form of ours comes near it (a lesson's 100,000
/// characters, percent-encoded, is under 600 KB).
pub const MAX_FORM_BYTES: usize = 1024 * 1024;

/// A body over its limit. It was read to its end all the same: a body left unread on a
/// kept-alive connection stalls the next request on it (seen under wrangler dev).
#[derive(Debug)]
pub struct TooLarge;

/// Reads a body up to `limit` bytes; past that, reads the rest and drops it.
pub async fn read_body(body: Body, limit: usize) -> Result<axum::body::Bytes, TooLarge> {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut kept: Vec<u8> = Vec::new();
    let mut over = false;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else { return Err(TooLarge) };
        if !over && kept.len() + chunk.len() <= limit {
            kept.extend_from_slice(&chunk);
        } else {
            over = true;
            kept = Vec::new();
        }
    }
    if over { Err(TooLarge) } else { Ok(kept.into()) }
}

/// Reads and drops a body that will not be used (a refused request).
pub async fn drain(body: Body) {
    let _ = read_body(body, 0).await;
}

/// A form post read into memory: the form token can be checked and fields read before the
/// request goes on, with the same body.
pub struct ReadForm {
    pub parts: http::request::Parts,
    pub body: axum::body::Bytes,
}

/// Why a posted form is refused before anything runs: each answer is a 4xx with a reason.
#[derive(Debug, PartialEq, Eq)]
pub enum FormRefusal {
    TooLarge,
    NotAForm,
    NotUtf8,
}

impl FormRefusal {
    pub fn response(&self) -> Response<Body> {
        match self {
            FormRefusal::TooLarge => plain(StatusCode::PAYLOAD_TOO_LARGE, "This form is too large (1 MB at most)."),
            FormRefusal::NotAForm => plain(StatusCode::UNSUPPORTED_MEDIA_TYPE, "This address takes an HTML form (application/x-www-form-urlencoded)."),
            FormRefusal::NotUtf8 => plain(StatusCode::BAD_REQUEST, "The form is not valid UTF-8 text."),
        }
    }
}

impl ReadForm {
    pub async fn read(req: HttpRequest) -> Result<ReadForm, FormRefusal> {
        let (parts, body) = req.into_parts();
        let body = read_body(Body::new(body), MAX_FORM_BYTES).await.map_err(|_| FormRefusal::TooLarge)?;
        Ok(ReadForm { parts, body })
    }

    /// A server function's form: urlencoded (or empty), valid UTF-8 once decoded.
    pub fn check_form(&self) -> Result<(), FormRefusal> {
        let content_type = self.parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let media = content_type.split(';').next().unwrap_or("").trim();
        if !self.body.is_empty() && !media.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            return Err(FormRefusal::NotAForm);
        }
        let text = std::str::from_utf8(&self.body).map_err(|_| FormRefusal::NotUtf8)?;
        let decodes = text.split('&').all(|pair| percent_encoding::percent_decode_str(&pair.replace('+', " ")).decode_utf8().is_ok());
        if decodes { Ok(()) } else { Err(FormRefusal::NotUtf8) }
    }

    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or("")
    }

    pub fn token_matches(&self) -> bool {
        let cookie_header = self.parts.headers.get(header::COOKIE).and_then(|c| c.to_str().ok()).unwrap_or("");
        let cookie = app::kernel::cookies::get(cookie_header, app::kernel::cookies::CSRF_COOKIE);
        app::kernel::csrf::form_token_matches(cookie, self.text(), app::ui::post_form::CSRF_FIELD)
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
    // Trial embeds carry their own policy (their allowed sites): kept as set.
    if !h.contains_key("content-security-policy") {
        set(h, "content-security-policy", "frame-ancestors 'none'; object-src 'none'; base-uri 'self'");
        set(h, "x-frame-options", "DENY");
    }
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

/// The Worker's own small pages (outside the Leptos app): a card with a title, lines of text
/// and one button. Every value is escaped here.
pub fn card_page(status: StatusCode, locale: Locale, title: &str, lines: &[&str], button: (&str, &str)) -> Response<Body> {
    use app::kernel::html::escape;
    let text: String = lines.iter().map(|l| format!("<p>{}</p>", escape(l))).collect();
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><main id=\"main\"><section class=\"card narrow\" role=\"alert\">\
         <h1>{title}</h1>{text}<p><a class=\"button\" href=\"{href}\">{label}</a></p></section></main></body></html>",
        lang = locale.code(),
        title = escape(title),
        href = escape(button.0),
        label = escape(button.1),
    );
    Response::builder().status(status).header(header::CONTENT_TYPE, "text/html; charset=utf-8").body(Body::from(html)).expect("static response")
}

/// A page for a path that matches no page of the school.
pub fn page_not_found(locale: Locale) -> Response<Body> {
    card_page(StatusCode::NOT_FOUND, locale, t(locale, "page_not_found"), &[t(locale, "page_not_found_lead")], ("/", t(locale, "go_home")))
}

/// A friendly page for `{unknown}.{base}`.
pub fn unknown_school(locale: Locale, config: &Config) -> Response<Body> {
    card_page(StatusCode::NOT_FOUND, locale, t(locale, "unknown_school"), &[t(locale, "unknown_school_lead")], (&config.platform_url(), "Atelier"))
}

/// A call to a server function (`/api/...`). Its answers are ours alone: never the
/// framework's redirect to the Referer (another site can choose it), never a 500 for a form
/// that does not parse, and for a browser's plain form post, a page that says what went wrong.
pub struct ApiCall {
    /// A plain form post or link (the browser shows the answer as a page).
    pub wants_page: bool,
    /// A form post (not a read such as `login_status`).
    pub is_post: bool,
    /// Where "Back" goes: the posting page when it is one of ours.
    pub back: String,
}

/// A server function's URL: `/api/...` (students' side) or `/admin/api/...` (the admin Worker's).
pub fn is_server_function(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/admin/api/")
}

impl ApiCall {
    pub fn of(path: &str, method: &str, headers: &http::HeaderMap) -> Option<ApiCall> {
        if !is_server_function(path) {
            return None;
        }
        let wants_page = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        let back = headers
            .get(header::REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
            .and_then(|rest| rest.strip_prefix(host))
            .and_then(app::kernel::next::safe_next)
            .unwrap_or("/")
            .to_string();
        Some(ApiCall { wants_page, is_post: method == "POST", back })
    }

    /// The framework (server_fn's form redirects, leptos_axum) sends a browser's form post to
    /// the Referer, or to "/" with the error in the URL: without `text/html` in Accept and
    /// without a Referer it answers as to a script, and `answer` decides.
    pub fn strip(&self, headers: &mut http::HeaderMap) {
        headers.remove(header::REFERER);
        if self.wants_page {
            headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        }
    }

    pub async fn answer(&self, mut response: Response<Body>, locale: Locale) -> Response<Body> {
        let status = response.status();
        if response.headers().contains_key(header::LOCATION) {
            // `redirect()` answered as to a script (Accept was rewritten): a page gets a 303,
            // so the browser follows a form's post with a GET.
            if self.wants_page && status.is_success() {
                *response.status_mut() = StatusCode::SEE_OTHER;
                response.headers_mut().remove("serverfnredirect");
            }
            return response;
        }
        if status.is_redirection() {
            return response;
        }
        if status.is_success() {
            // A form whose function chose no page goes back to the page it was posted from.
            if !self.wants_page || !self.is_post {
                return response;
            }
            let mut r = Response::builder().status(StatusCode::SEE_OTHER).header(header::LOCATION, self.back.as_str()).body(Body::empty()).expect("static response");
            for cookie in response.headers().get_all(header::SET_COOKIE) {
                r.headers_mut().append(header::SET_COOKIE, cookie.clone());
            }
            return r;
        }
        let (parts, body) = response.into_parts();
        let body = read_body(body, 64 * 1024).await.unwrap_or_default();
        let text = String::from_utf8_lossy(&body);
        // A form whose fields do not parse reaches no code of ours: the framework answers 500
        // with `{"BadRequest":...}`. It is the request's fault: 400.
        let (status, key) = if text.starts_with("{\"BadRequest\"") {
            (StatusCode::BAD_REQUEST, "bad_request")
        } else if text.starts_with("Could not find a server function") {
            (StatusCode::NOT_FOUND, "not_found")
        } else {
            let key = match status.as_u16() {
                400 => "bad_request",
                401 => "login_required",
                403 => "forbidden",
                404 => "not_found",
                _ => "internal",
            };
            (status, key)
        };
        if !self.wants_page {
            // Islands decode the framework's JSON error; keep it, with the right status.
            let mut r = Response::from_parts(parts, Body::from(if key == "not_found" && !text.starts_with('{') { "Not found.".to_string() } else { text.into_owned() }));
            *r.status_mut() = status;
            return r;
        }
        // The framework's reason ("missing field `course_id`"), for whoever reports the problem.
        let detail = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v.get("BadRequest").and_then(|d| d.as_str()).map(str::to_string));
        let mut lines = vec![t(locale, key)];
        lines.extend(detail.as_deref());
        card_page(status, locale, t(locale, "not_done"), &lines, (&self.back, t(locale, "go_back")))
    }
}
