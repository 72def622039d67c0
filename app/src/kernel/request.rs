//! Per-request context, resolved once before routing: which site, what time it is, who is
//! looking (one D1 query joining school, session and user) and in which language.

use crate::kernel::viewer::{SchoolInfo, UserInfo, Viewer};
use crate::kernel::access::Role;
use crate::kernel::host::{site_for_host, Site};
use crate::kernel::token::SessionToken;
use crate::kernel::error::AppError;
use crate::kernel::i18n::Locale;
use crate::kernel::config::Config;
use crate::kernel::cookies::{self, CSRF_COOKIE, LANG_COOKIE, LOGIN_COOKIE, SESSION_COOKIE};
use crate::kernel::db::text;
use crate::kernel::db::{int, rows};
use crate::kernel::session::{self, SessionRow, Verdict};
use http::HeaderMap;
use serde::Deserialize;
use worker::{D1Database, Env};

/// Test-only clock: honoured only when ENVIRONMENT=dev, so tests can move time forward.
pub const TEST_CLOCK_HEADER: &str = "x-atelier-now";

#[derive(Debug, Clone)]
pub struct RequestContext {
    pub site: Site,
    pub now_ms: i64,
    pub viewer: Viewer,
    pub session_id: Option<String>,
    pub ip: String,
    pub user_agent: String,
    /// The request carried cookies at all (mail scanners' fetches do not).
    pub had_cookies: bool,
    pub method: String,
    /// The login this browser asked for (its login cookie), if any.
    pub login_ticket: Option<SessionToken>,
    /// The form token forms carry; `new_csrf` says the response must set its cookie.
    pub csrf: String,
    pub new_csrf: bool,
    pub config: Config,
    /// What features read in the viewer's batch (a course page, a login step; see `resolve`).
    pub prefetched: Vec<Prefetched>,
}

/// Reads a feature wants in the viewer's own D1 batch, so its page or step costs no extra
/// round trip. The worker picks them from the request (the kernel knows no feature).
pub trait Prefetch {
    fn statements(&self, db: &D1Database, on: &PrefetchScope) -> Result<Vec<worker::D1PreparedStatement>, AppError>;
    /// The results of `statements`, decoded into what the feature will look for.
    fn decode(&self, results: &[worker::D1Result]) -> Result<Prefetched, AppError>;
    /// Read for the session's user: kept only if that session proves valid.
    fn for_session_user(&self) -> bool;
}

/// What prefetch statements may use: the school (by subdomain), the session id the cookie
/// names, the client and the time.
pub struct PrefetchScope<'a> {
    pub school_slug: &'a str,
    pub session_id: &'a str,
    pub ip: &'a str,
    /// The login this browser asked for (its login cookie's id), if any.
    pub login_ticket_id: Option<&'a str>,
    pub now_ms: i64,
}

/// A prefetch's decoded data; features find theirs by type (`RequestContext::prefetched`).
#[derive(Clone)]
pub struct Prefetched(std::sync::Arc<dyn std::any::Any + Send + Sync>);

impl Prefetched {
    pub fn new<T: std::any::Any + Send + Sync>(data: T) -> Prefetched {
        Prefetched(std::sync::Arc::new(data))
    }
}

impl std::fmt::Debug for Prefetched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Prefetched")
    }
}

impl RequestContext {
    /// The data a prefetch of type `T` read, if one ran for this request.
    pub fn prefetched<T: std::any::Any>(&self) -> Option<&T> {
        self.prefetched.iter().find_map(|p| p.0.downcast_ref::<T>())
    }
}

impl RequestContext {
    /// The context of work no browser asked for (the cron's digest, the dev seed): it writes
    /// login requests and emails for a school, in a language, at a time.
    pub fn for_system(config: &Config, now_ms: i64, school: SchoolInfo, locale: Locale, agent: &str) -> RequestContext {
        RequestContext {
            site: Site::School(school.slug.clone()),
            now_ms,
            viewer: Viewer { school: Some(school), user: None, locale, platform_url: config.platform_url(), csrf: String::new(), now_ms, in_app: None },
            session_id: None,
            ip: String::new(),
            user_agent: agent.to_string(),
            had_cookies: false,
            method: "SYSTEM".into(),
            login_ticket: None,
            csrf: String::new(),
            new_csrf: false,
            config: config.clone(),
            prefetched: vec![],
        }
    }
}

pub enum Unresolved {
    UnknownHost,
    UnknownSchool(Locale),
    /// D1 failed: say so, rather than claim the school does not exist.
    StorageUnavailable,
}

pub struct Resolved {
    pub ctx: RequestContext,
    /// A renewed session cookie to send back.
    pub set_cookie: Option<String>,
}

#[derive(Deserialize)]
struct ViewerRow {
    school_id: i64,
    slug: String,
    name: String,
    default_locale: String,
    time_zone: String,
    logo_url: Option<String>,
    brand_color: Option<String>,
    header_color: Option<String>,
    #[allow(dead_code)]
    school_status: String,
    session_id: Option<String>,
    secret_hash: Option<String>,
    expires_at: Option<i64>,
    absolute_expires_at: Option<i64>,
    last_seen_at: Option<i64>,
    revoked_at: Option<i64>,
    user_id: Option<i64>,
    email: Option<String>,
    display_name: Option<String>,
    role: Option<String>,
    user_status: Option<String>,
    user_locale: Option<String>,
    unread: Option<i64>,
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

pub fn clock(config: &Config, headers: &HeaderMap) -> i64 {
    if config.is_dev() {
        if let Ok(ms) = header(headers, TEST_CLOCK_HEADER).parse::<i64>() {
            return ms;
        }
    }
    js_sys::Date::now() as i64
}

/// The language a page speaks: a logged-in person's own choice (their profile, which the
/// language switch also sets) wins; then this browser's switch, then its languages, then the
/// school's.
pub fn choose_locale(headers: &HeaderMap, account: Option<&str>, school_default: Option<&str>) -> Locale {
    let cookie_header = header(headers, "cookie");
    account
        .and_then(Locale::parse)
        .or_else(|| cookies::get(cookie_header, LANG_COOKIE).and_then(Locale::parse))
        .or_else(|| Locale::from_accept_language(header(headers, "accept-language")))
        .or_else(|| school_default.and_then(Locale::parse))
        .unwrap_or_default()
}

/// A form token is 128 random bits in hex; anything else in the cookie is ignored.
pub fn is_csrf_token(value: &str) -> bool {
    value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(feature = "admin")]
thread_local! {
    /// Each school's time zone as this isolate last read it, by subdomain.
    static ZONES: std::cell::RefCell<std::collections::HashMap<String, String>> = Default::default();
}

/// Schools whose zone an isolate remembers (a few bytes each; cleared when full).
#[cfg(feature = "admin")]
const REMEMBERED_ZONES: usize = 10_000;

#[cfg(feature = "admin")]
fn remember_zone(slug: &str, zone: &str) {
    ZONES.with(|z| {
        let mut z = z.borrow_mut();
        if z.get(slug).map(String::as_str) != Some(zone) {
            if z.len() >= REMEMBERED_ZONES {
                z.clear();
            }
            z.insert(slug.to_string(), zone.to_string());
        }
    });
}

/// The school's time zone as this isolate last saw it: a prefetch whose statements need day
/// boundaries uses it before the viewer's row says the zone, and its reader throws the
/// result away when the row disagrees (the zone changed since). Only the admin's pages
/// need it: the student Worker keeps no such map.
#[cfg(feature = "admin")]
pub fn remembered_zone(slug: &str) -> Option<String> {
    ZONES.with(|z| z.borrow().get(slug).cloned())
}

/// `prefetch`: what the features serving this request read in the same D1 batch as the
/// viewer (a course page then costs one round trip).
pub async fn resolve(env: &Env, config: &Config, method: &str, headers: &HeaderMap, prefetch: &[&dyn Prefetch]) -> Result<Resolved, Unresolved> {
    let site = site_for_host(header(headers, "host"), &config.base_domain).ok_or(Unresolved::UnknownHost)?;
    let now_ms = clock(config, headers);
    let ip = header(headers, "cf-connecting-ip").to_string();
    let user_agent = header(headers, "user-agent").chars().take(300).collect::<String>();
    let cookie_header = header(headers, "cookie");
    let existing_csrf = cookies::get(cookie_header, CSRF_COOKIE).filter(|v| is_csrf_token(v)).map(str::to_string);
    let new_csrf = existing_csrf.is_none();
    let in_app = crate::kernel::device::in_app_browser(&user_agent).map(|app| (app.name().to_string(), app.steps_key().to_string()));
    let csrf = existing_csrf.unwrap_or_else(crate::kernel::token::new_public_id);
    let base = |viewer: Viewer| RequestContext {
        site: site.clone(),
        now_ms,
        viewer,
        session_id: None,
        ip: ip.clone(),
        user_agent: user_agent.clone(),
        had_cookies: !cookie_header.trim().is_empty(),
        method: method.to_string(),
        login_ticket: cookies::get(cookie_header, LOGIN_COOKIE).and_then(SessionToken::parse),
        new_csrf,
        csrf: csrf.clone(),
        config: config.clone(),
        prefetched: vec![],
    };
    let Site::School(slug) = &site else {
        let viewer = Viewer { school: None, user: None, locale: choose_locale(headers, None, None), platform_url: config.platform_url(), csrf: csrf.clone(), now_ms, in_app: in_app.clone() };
        return Ok(Resolved { ctx: base(viewer), set_cookie: None });
    };

    let db = env.d1("DB").map_err(|_| Unresolved::StorageUnavailable)?;
    let token = cookies::get(header(headers, "cookie"), SESSION_COOKIE).and_then(SessionToken::parse);
    let session_id = token.as_ref().map(|t| t.id.as_str()).unwrap_or("");
    let held = cookies::get(cookie_header, LOGIN_COOKIE).and_then(SessionToken::parse);
    let scope = PrefetchScope { school_slug: slug, session_id, ip: &ip, login_ticket_id: held.as_ref().map(|t| t.id.as_str()), now_ms };
    let loaded = load_viewer_row(&db, &scope, prefetch).await;
    let (row, prefetched) = match loaded {
        Ok((Some(row), prefetched)) => (row, prefetched),
        Ok((None, _)) => return Err(Unresolved::UnknownSchool(choose_locale(headers, None, None))),
        Err(_) => return Err(Unresolved::StorageUnavailable),
    };
    #[cfg(feature = "admin")]
    remember_zone(&row.slug, &row.time_zone);
    let school = SchoolInfo { id: row.school_id, slug: row.slug.clone(), name: row.name.clone(), time_zone: row.time_zone.clone(), logo_url: row.logo_url.clone(), brand_color: row.brand_color.clone(), header_color: row.header_color.clone() };
    let mut user = None;
    let mut valid_session_id = None;
    let mut set_cookie = None;
    if let (Some(token), Some(secret_hash)) = (token.as_ref(), row.secret_hash.clone()) {
        let session_row = SessionRow {
            secret_hash,
            expires_at: row.expires_at.unwrap_or(0),
            absolute_expires_at: row.absolute_expires_at.unwrap_or(0),
            last_seen_at: row.last_seen_at.unwrap_or(0),
            revoked: row.revoked_at.is_some(),
        };
        let active_user = row.user_status.as_deref() == Some("active");
        match session::judge(token, &session_row, now_ms) {
            Verdict::Valid { renew_to } if active_user => {
                if let Some(expires_at) = renew_to {
                    if session::renew(&db, &token.id, row.school_id, now_ms, expires_at).await.is_ok() {
                        set_cookie = Some(cookies::set(SESSION_COOKIE, &token.cookie_value(), (expires_at - now_ms) / 1000));
                    }
                }
                valid_session_id = row.session_id.clone();
                user = Some(UserInfo {
                    id: row.user_id.unwrap_or_default(),
                    email: row.email.clone().unwrap_or_default(),
                    display_name: row.display_name.clone().unwrap_or_default(),
                    role: Role::parse(row.role.as_deref().unwrap_or("student")),
                    unread: row.unread.unwrap_or(0),
                });
            }
            _ => set_cookie = Some(cookies::clear(SESSION_COOKIE)),
        }
    } else if token.is_none() && !header(headers, "cookie").contains(SESSION_COOKIE) {
        // no cookie: nothing to clear
    } else {
        set_cookie = Some(cookies::clear(SESSION_COOKIE));
    }
    let locale = choose_locale(headers, row.user_locale.as_deref(), Some(&row.default_locale));
    let viewer = Viewer { school: Some(school), user: None, locale, platform_url: config.platform_url(), csrf: csrf.clone(), now_ms, in_app: in_app.clone() };
    // Page data read for this session's user is only kept if that session proved valid.
    let trusted = user.is_some() || token.is_none();
    let viewer = Viewer { user, ..viewer };
    let mut ctx = base(viewer);
    ctx.session_id = valid_session_id;
    ctx.prefetched = prefetch.iter().zip(prefetched).filter(|(p, _)| trusted || !p.for_session_user()).filter_map(|(_, data)| data).collect();
    Ok(Resolved { ctx, set_cookie })
}

/// School, session and user in one statement, with the features' prefetch statements in the
/// same batch.
/// A prefetch's place follows `prefetch`: `None` where nothing was read for it.
async fn load_viewer_row(db: &D1Database, on: &PrefetchScope<'_>, prefetch: &[&dyn Prefetch]) -> Result<(Option<ViewerRow>, Vec<Option<Prefetched>>), AppError> {
    // Reads for the session's user are not made when no session cookie came: they would be
    // thrown away, and a visitor's (or a crawler's) request must not cost a creator's
    // overview or directory over thousands of students.
    let wanted = |p: &dyn Prefetch| !(p.for_session_user() && on.session_id.is_empty());
    // The school by its subdomain: its id is what this statement finds out.
    let school = crate::kernel::db::SchoolDb::by_slug(db, on.school_slug);
    let viewer = || {
        school.stmt(
            "SELECT sc.id AS school_id, sc.slug, sc.name, sc.default_locale, sc.time_zone, sc.logo_url, sc.brand_color, sc.header_color, sc.status AS school_status,
                    s.id AS session_id, s.secret_hash, s.expires_at, s.absolute_expires_at, s.last_seen_at, s.revoked_at,
                    u.id AS user_id, u.email, u.display_name, u.role, u.status AS user_status, u.locale AS user_locale,
                    (SELECT COUNT(*) FROM @notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) AS unread
             FROM schools sc
             LEFT JOIN @sessions s ON s.id = ?2
             LEFT JOIN @users u ON u.id = s.user_id
             WHERE sc.id = ?1 AND (sc.status = 'active' OR sc.created_at > ?3)",
            // A school whose creator never confirmed disappears after a day.
            &[text(on.session_id), int(on.now_ms - session::DAY_MS)],
        )
    };
    // (statements, where each prefetch's results start)
    let build = || -> Result<(Vec<worker::D1PreparedStatement>, Vec<usize>), AppError> {
        let mut statements = vec![viewer()?];
        let mut starts = vec![];
        for p in prefetch {
            starts.push(statements.len());
            if wanted(*p) {
                statements.extend(p.statements(db, on)?);
            }
        }
        starts.push(statements.len());
        Ok((statements, starts))
    };
    let (statements, starts) = build()?;
    // Read-only: a transient failure is tried again rather than shown as "unavailable".
    let results = crate::kernel::db::batch_read(db, statements, || build().map(|(s, _)| s)).await?;
    let row = rows::<ViewerRow>(&results[0])?.into_iter().next();
    let prefetched = prefetch
        .iter()
        .enumerate()
        .map(|(i, p)| if wanted(*p) { p.decode(&results[starts[i]..starts[i + 1]]).map(Some) } else { Ok(None) })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((row, prefetched))
}

/// The context of the request being served (SSR or server function).
pub fn current() -> Result<RequestContext, AppError> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<RequestContext>().cloned())
        .ok_or(AppError::Internal)
}

/// The request's `waitUntil`, for work that goes on after the response (an import).
#[derive(Clone)]
pub struct AfterResponse(pub std::sync::Arc<worker::Context>);

/// Work a request leaves for after its response (`after_response`), started by the Worker
/// once the response is built: it never delays the page nor shares its round trips.
#[derive(Clone, Default)]
pub struct Deferred(std::sync::Arc<std::sync::Mutex<Vec<Job>>>);

pub struct Job(pub std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>);

// SAFETY: a Worker runs one thread; the jobs never leave it.
unsafe impl Send for Job {}

impl Deferred {
    /// The jobs left, to hand to `waitUntil`.
    pub fn take(&self) -> Vec<Job> {
        self.0.lock().map(|mut jobs| std::mem::take(&mut *jobs)).unwrap_or_default()
    }
}

/// Runs `job` after the response: queued for the Worker to start once the response is
/// built, else handed to `waitUntil`, else (no runtime: tests) now.
pub async fn after_response<F: std::future::Future<Output = ()> + 'static>(job: F) {
    let parts = leptos::prelude::use_context::<http::request::Parts>();
    if let Some(deferred) = parts.as_ref().and_then(|p| p.extensions.get::<Deferred>()) {
        if let Ok(mut jobs) = deferred.0.lock() {
            jobs.push(Job(Box::pin(job)));
            return;
        }
    }
    match leptos::prelude::use_context::<AfterResponse>().or_else(|| parts.and_then(|p| p.extensions.get::<AfterResponse>().cloned())) {
        Some(AfterResponse(ctx)) => ctx.wait_until(job),
        None => job.await,
    }
}

pub fn env() -> Result<Env, AppError> {
    leptos::prelude::use_context::<Env>().ok_or(AppError::Internal)
}

/// The query layer for one school's data (`kernel::db::SchoolDb`).
pub fn school_db(school_id: i64) -> Result<crate::kernel::db::SchoolDb, AppError> {
    Ok(crate::kernel::db::SchoolDb::new(&db()?, school_id))
}

pub fn db() -> Result<D1Database, AppError> {
    Ok(env()?.d1("DB")?)
}
