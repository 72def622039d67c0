//! The public course page, cached for anonymous visitors: a visitor from a creator's site or
//! an ad reads the same page as every other visitor, so it is rendered once per content
//! version and language, and served from this isolate's memory or KV afterwards.
//!
//! Keys follow the school's public content version (`kernel::content_version`): every change
//! a visitor could see (a course, a lesson, an offer, the school) bumps it, so an entry is
//! never rewritten, only superseded. The one per-visitor value in the page, the form token,
//! is stored as a placeholder and filled with this visitor's own on the way out. Pages whose
//! offers count places left are not cached (the count moves with every sign-up).

use app::kernel::content_version;
use app::kernel::cookies::{self, CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE};
use app::kernel::i18n::Locale;
use axum::body::Body;
use http::{header, HeaderValue, Response, StatusCode};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use worker::{Env, HttpRequest};

/// Superseded entries are left to expire rather than deleted.
const ENTRY_TTL_S: u64 = 86_400;
/// Pages an isolate keeps in memory.
const MEMO_ENTRIES: usize = 64;
/// Stands for the visitor's form token in a stored page.
const TOKEN_PLACEHOLDER: &str = "__atelier_form_token__";
/// Marks a page whose offers show places left (`offers::public::OfferList`).
const SEATS_MARK: &str = "class=\"seats\"";

thread_local! {
    static PAGES: RefCell<HashMap<String, Rc<String>>> = RefCell::new(HashMap::new());
}

/// A cacheable request: an anonymous GET of a course's public page, without a query.
pub struct Cacheable {
    school: String,
    /// `page:{school}:{version}:{path}:{language}` without the version.
    key_rest: String,
}

impl Cacheable {
    pub fn of(req: &HttpRequest, base_domain: &str, dev: bool) -> Option<Cacheable> {
        if req.method() != http::Method::GET || req.uri().query().is_some() {
            return None;
        }
        let path = req.uri().path();
        let slug = path.strip_prefix("/courses/").filter(|s| !s.is_empty() && !s.contains('/'))?;
        let headers = req.headers();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
        let cookie = header("cookie");
        // Anyone logged in, or a test moving the clock, gets their own rendering.
        if cookies::get(cookie, SESSION_COOKIE).is_some() || (dev && !header(app::kernel::request::TEST_CLOCK_HEADER).is_empty()) {
            return None;
        }
        let school = match app::kernel::host::site_for_host(header("host"), base_domain)? {
            app::kernel::host::Site::School(slug) => slug,
            _ => return None,
        };
        // The page's language as `choose_locale` picks it for a visitor; none: the school's.
        let language = cookies::get(cookie, LANG_COOKIE).and_then(Locale::parse).or_else(|| Locale::from_accept_language(header("accept-language")));
        let language = language.map(|l| l.code()).unwrap_or("school");
        Some(Cacheable { key_rest: format!("/courses/{slug}:{language}"), school })
    }

    fn key(&self, version: i64) -> String {
        format!("page:{}:{version}:{}", self.school, self.key_rest)
    }

    /// The current version, when this isolate or KV knows it (no D1 on the way to a hit).
    pub async fn version(&self, env: &Env, now: i64) -> Option<i64> {
        if let Some(v) = content_version::remembered(&self.school, now) {
            return Some(v);
        }
        let kv = env.kv("CACHE").ok()?;
        let v = content_version::cached(&kv, &self.school).await?;
        content_version::remember(&self.school, v, now);
        Some(v)
    }

    /// The page stored for this version: from memory, else KV.
    pub async fn lookup(&self, env: &Env, version: i64) -> Option<(Rc<String>, &'static str)> {
        let key = self.key(version);
        if let Some(page) = PAGES.with(|m| m.borrow().get(&key).cloned()) {
            return Some((page, "hit-memory"));
        }
        let page = env.kv("CACHE").ok()?.get(&key).text().await.ok().flatten()?;
        let page = Rc::new(page);
        remember(key, page.clone());
        Some((page, "hit-kv"))
    }

    /// Keeps a page rendered for `version` with `token` (the form token it was rendered with).
    pub async fn store(&self, env: &Env, version: i64, html: &str, token: &str) {
        if html.contains(SEATS_MARK) || token.len() < 16 {
            return;
        }
        let page = Rc::new(html.replace(token, TOKEN_PLACEHOLDER));
        let key = self.key(version);
        if let Ok(kv) = env.kv("CACHE") {
            if let Ok(put) = kv.put(&key, page.as_str()) {
                let _ = put.expiration_ttl(ENTRY_TTL_S).execute().await;
            }
        }
        remember(key, page);
    }
}

fn remember(key: String, page: Rc<String>) {
    PAGES.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MEMO_ENTRIES {
            m.clear();
        }
        m.insert(key, page);
    });
}

/// A stored page for this visitor: their form token in it (a new one, set as a cookie, when
/// they have none), and where it came from in `x-atelier-cache`.
pub fn respond(req: &HttpRequest, page: &str, source: &'static str) -> Response<Body> {
    let cookie = req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let existing = cookies::get(cookie, CSRF_COOKIE).filter(|t| app::kernel::request::is_csrf_token(t)).map(str::to_string);
    let token = existing.clone().unwrap_or_else(app::kernel::token::new_public_id);
    let mut response = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header("x-atelier-cache", source)
        .body(Body::from(page.replace(TOKEN_PLACEHOLDER, &token)))
        .expect("static headers");
    if existing.is_none() {
        if let Ok(value) = HeaderValue::from_str(&cookies::set(CSRF_COOKIE, &token, 365 * 24 * 3600)) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
