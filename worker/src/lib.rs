//! The Cloudflare Worker entry, built as two Workers from one crate:
//! - `student` (wrangler.toml): health check, dev mailbox, email events, trial embeds, and
//!   every page and server function of students and visitors; `/admin/*` goes on to the
//!   admin Worker through the ADMIN service binding, untouched. `scheduled`: the digest and
//!   email delivery retries.
//! - `admin` (wrangler.admin.toml): the creator's pages, server functions and files.
//!
//! Both run the same pipeline per request: refuse cross-site writes, resolve site and viewer
//! (one D1 batch), render or run a server function, add security headers.

#[cfg(feature = "admin")]
mod admin_dev;
#[cfg(feature = "admin")]
mod admin_files;
#[cfg(feature = "admin")]
mod admin_preview;
#[cfg(feature = "admin")]
mod admin_uploads;
#[cfg(feature = "student")]
mod answer_files;
#[cfg(feature = "student")]
mod certificates;
#[cfg(feature = "student")]
mod dev;
#[cfg(feature = "student")]
mod embed;
mod custom_host;
mod guard;
#[cfg(feature = "student")]
mod hooks;
#[cfg(feature = "student")]
mod media;
#[cfg(feature = "student")]
mod page_cache;
#[cfg(feature = "student")]
mod seed;

use app::kernel::config::Config;
use app::kernel::email::Email;
#[cfg(feature = "student")]
use app::features::learn::api::ssr_impl::{PageKey, PagePrefetch};
use app::features::login::server::{LoginPrefetch, LoginStep};
use app::kernel::request::{self, Prefetch, Unresolved};
use axum::body::Body;
use axum::Router;
use http::{header, HeaderValue, Response, StatusCode};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::cell::RefCell;
use tower_service::Service;
use worker::{event, Context, Env, HttpRequest};

thread_local! {
    /// The route table is the same for every request: build it once per isolate.
    static ROUTER: RefCell<Option<Router>> = const { RefCell::new(None) };
}

fn router() -> Router {
    ROUTER.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                let options = LeptosOptions::builder().output_name("atelier").site_pkg_dir("pkg").build();
                let routes = generate_route_list(app::app::App);
                Router::new()
                    .leptos_routes_with_context(&options, routes, provide_env_from_request, {
                        let options = options.clone();
                        move || app::app::shell(options.clone())
                    })
                    .with_state(options)
            })
            .clone()
    })
}

/// Server code reads the Worker's bindings from context; the request carries them.
fn provide_env_from_request() {
    let parts = use_context::<http::request::Parts>();
    if let Some(env) = parts.as_ref().and_then(|p| p.extensions.get::<Env>().cloned()) {
        provide_context(env);
    }
    if let Some(after) = parts.as_ref().and_then(|p| p.extensions.get::<app::kernel::request::AfterResponse>().cloned()) {
        provide_context(after);
    }
    // A login that leads to "continue" lands on the student's lesson (student Worker).
    #[cfg(feature = "student")]
    provide_context(app::kernel::next::ContinueResolver(app::features::learn::api::ssr_impl::resolve_continue));
}

/// A request as it arrives. workerd accepts header values the `http` crate refuses (a Cookie
/// with 0x7F, say): such a request is answered 400 here instead of failing conversion (500).
pub enum Incoming {
    Valid(HttpRequest),
    /// For the admin Worker: forwarded as is (its body unread).
    Admin(worker::worker_sys::web_sys::Request),
    Malformed(worker::worker_sys::web_sys::Request),
}

impl worker::FromRequest for Incoming {
    fn from_raw(request: worker::worker_sys::web_sys::Request) -> Result<Self, impl Into<Box<dyn std::error::Error>>> {
        // The creator's side lives in the admin Worker: decided before the body is touched.
        if !cfg!(feature = "admin") && is_admin_path(path_of(&request.url())) {
            return Ok::<Incoming, worker::Error>(Incoming::Admin(request));
        }
        // `Clone::clone` copies the JS handle; `Request.clone()` would copy the body.
        Ok::<Incoming, worker::Error>(match worker::request_from_wasm(Clone::clone(&request)) {
            Ok(valid) => Incoming::Valid(valid),
            Err(_) => Incoming::Malformed(request),
        })
    }
}

/// What the fetch handler answers: a response built here, or the admin Worker's own passed
/// on as the runtime gave it (its body streams through without being copied into this
/// Worker's memory and out again).
pub enum Outgoing {
    Built(Response<Body>),
    Forwarded(worker::worker_sys::web_sys::Response),
}

impl worker::IntoResponse for Outgoing {
    fn into_raw(self) -> Result<worker::worker_sys::web_sys::Response, impl Into<Box<dyn std::error::Error>>> {
        match self {
            Outgoing::Forwarded(response) => Ok(response),
            Outgoing::Built(response) => worker::IntoResponse::into_raw(response).map_err(|e| {
                let e: Box<dyn std::error::Error> = e.into();
                worker::Error::RustError(e.to_string())
            }),
        }
    }
}

extern "C" {
    /// The module's static constructors (the server functions' `inventory` registrations),
    /// synthesized by wasm-ld.
    fn __wasm_call_ctors();
}

/// Runs the static constructors once, when the Worker starts. Unless a module calls them
/// itself, wasm-ld wraps *every* export with them: they ran on each call from JavaScript
/// into the Worker (every request and every awaited promise), ~0.5 ms of a page's CPU in a
/// profile of the students page.
#[event(start)]
fn start() {
    // SAFETY: called once, at instantiation, before any other export runs.
    unsafe { __wasm_call_ctors() }
}

#[event(fetch)]
async fn fetch(incoming: Incoming, env: Env, ctx: Context) -> worker::Result<Outgoing> {
    console_error_panic_hook::set_once();
    match incoming {
        Incoming::Valid(req) => serve(req, env, ctx).await.map(Outgoing::Built),
        Incoming::Admin(raw) => Ok(forward_to_admin(raw, &env).await),
        Incoming::Malformed(raw) => {
            if let Some(body) = raw.body() {
                let _ = body.cancel();
            }
            Ok(Outgoing::Built(guard::secure(guard::plain(StatusCode::BAD_REQUEST, "A request header holds a character that is not allowed (a control character in a cookie, say)."), "")))
        }
    }
}

async fn serve(req: HttpRequest, env: Env, ctx: Context) -> worker::Result<Response<Body>> {
    let ctx = std::sync::Arc::new(ctx);
    // Baseline for benchmarks: no I/O, no config.
    if req.uri().path() == "/healthz" {
        return Ok(guard::secure(Response::builder().header(header::CONTENT_TYPE, "text/plain").body(Body::from("ok"))?, ""));
    }
    let config = Config::from_env(&env);
    app::kernel::db::take_round_trips();
    app::kernel::db::take_d1_wait_ms();
    #[cfg(feature = "admin")]
    if ADMIN_DEV_PATHS.contains(&req.uri().path()) {
        return Ok(guard::secure(admin_dev::handle(&req, &env, &config).await, ""));
    }
    #[cfg(feature = "admin")]
    if req.uri().path() == CRON_PATH && req.method() == http::Method::POST {
        let cron = req.uri().query().unwrap_or("").strip_prefix("cron=").map(|c| percent_encoding::percent_decode_str(c).decode_utf8_lossy().into_owned()).unwrap_or_default();
        cron_work(&cron, &env).await;
        return Ok(guard::plain(StatusCode::NO_CONTENT, ""));
    }
    // A school's own domain is served as its subdomain; an unknown host is the platform's 404
    // (after the hand-overs above, which come from our own Workers by service binding).
    let req = match custom_host::route(req, &env, &config, js_sys_now()).await {
        Ok(req) => req,
        Err(response) => return Ok(guard::secure(response, "")),
    };
    #[cfg(feature = "student")]
    let req = match student_only(req, &env, &ctx, &config).await {
        Ok(response) => return Ok(response),
        Err(req) => req,
    };
    // An anonymous visitor's course page: from the cache when this version was rendered.
    #[cfg(feature = "student")]
    let cacheable = page_cache::Cacheable::of(&req, &config.base_domain, config.is_dev());
    #[cfg(feature = "student")]
    let mut cache_version = None;
    #[cfg(feature = "student")]
    if let Some(page) = &cacheable {
        let now = js_sys_now();
        let school = app::kernel::host::site_for_host(req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or(""), &config.base_domain);
        cache_version = match page.version(&env, now).await {
            Some(v) => Some(v),
            None => match (school, env.d1("DB")) {
                (Some(app::kernel::host::Site::School(slug)), Ok(db)) => app::kernel::content_version::load(&env, &db, &slug, now).await,
                _ => None,
            },
        };
        if let Some(version) = cache_version {
            if let Some((html, source)) = page.lookup(&env, version).await {
                let path = req.uri().path().to_string();
                return Ok(guard::secure(page_cache::respond(&req, &html, source), &path));
            }
        }
    }
    let refused = || Ok(guard::secure(guard::plain(StatusCode::FORBIDDEN, "Cross-site request refused."), ""));
    let path = req.uri().path().to_string();
    let method = req.method().as_str().to_string();
    let is_write = !matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS");
    let check = guard::write_check(&req, &config);
    if check == guard::WriteCheck::Refused {
        guard::drain(Body::new(req.into_body())).await;
        return refused();
    }
    // Every posted form is read up front (the CSV upload streams to its own handler): its
    // size, type and encoding are checked before any work, its token when it needs one, and
    // a login step's reads join the viewer's D1 batch (one round trip fewer).
    let streamed = admin_files(&method, &path) || student_files(&method, &path);
    let (req, form) = if is_write && !streamed {
        match guard::ReadForm::read(req).await {
            Ok(form) => (None, Some(form)),
            Err(refusal) => return Ok(guard::secure(refusal.response(), "")),
        }
    } else {
        (Some(req), None)
    };
    if let Some(form) = &form {
        if guard::is_server_function(&path) {
            if let Err(refusal) = form.check_form() {
                return Ok(guard::secure(refusal.response(), ""));
            }
        }
    }
    if check == guard::WriteCheck::NeedsFormToken && !form.as_ref().is_some_and(|f| f.token_matches()) {
        if let Some(req) = req {
            guard::drain(Body::new(req.into_body())).await;
        }
        return refused(); // a form was read whole
    }
    // A course page, or a login step (its email read from the form), reads in the viewer's batch.
    // Course and lesson pages are the student Worker's.
    #[cfg(feature = "student")]
    let page = PageKey::from_path(&path).map(PagePrefetch);
    #[cfg(not(feature = "student"))]
    let page: Option<app::features::login::server::LoginPrefetch> = None;
    let login_step = (method == "POST").then(|| LoginStep::for_path(&path)).flatten();
    let login = match (login_step, &form) {
        (Some(step), Some(f)) => app::kernel::csrf::form_value(f.text(), "email").and_then(|e| Email::parse(&e).ok()).map(|email| LoginPrefetch { step, email }),
        _ => None,
    };
    // The admin's overview reads in the viewer's batch too.
    #[cfg(feature = "admin")]
    let overview = (method == "GET" && path == "/admin").then(app::features::overview::api::ssr_impl::OverviewPrefetch::default);
    #[cfg(not(feature = "admin"))]
    let overview: Option<app::features::login::server::LoginPrefetch> = None;
    // And the students page: the directory and the join requests above it.
    #[cfg(feature = "admin")]
    let students_page = (method == "GET" && path == "/admin/students").then(|| {
        let query = req.as_ref().and_then(|r| r.uri().query()).unwrap_or("");
        (app::features::students::directory_api::ssr_impl::DirectoryPrefetch::new(query), app::features::offers::admin_api::JoinRequestsPrefetch)
    });
    #[cfg(feature = "admin")]
    let (directory, join_requests) = (students_page.as_ref().map(|(d, _)| d as &dyn Prefetch), students_page.as_ref().map(|(_, j)| j as &dyn Prefetch));
    #[cfg(not(feature = "admin"))]
    let (directory, join_requests): (Option<&dyn Prefetch>, Option<&dyn Prefetch>) = (None, None);
    let prefetch: Vec<&dyn Prefetch> =
        [page.as_ref().map(|p| p as &dyn Prefetch), login.as_ref().map(|l| l as &dyn Prefetch), overview.as_ref().map(|o| o as &dyn Prefetch), directory, join_requests].into_iter().flatten().collect();
    let headers = match (&req, &form) {
        (Some(req), _) => req.headers(),
        (None, Some(form)) => &form.parts.headers,
        (None, None) => unreachable!("the request is kept or read"),
    };
    // Server functions answer errors themselves (below); the framework's fallback would send
    // the browser to the Referer, which another site chooses.
    let api_call = guard::ApiCall::of(&path, &method, headers);
    let resolved = match request::resolve(&env, &config, &method, headers, &prefetch).await {
        Ok(r) => r,
        Err(unresolved) => {
            if let Some(req) = req {
                guard::drain(Body::new(req.into_body())).await;
            }
            return Ok(guard::secure(
                match unresolved {
                    Unresolved::UnknownHost => guard::plain(StatusCode::BAD_REQUEST, "Unknown host."),
                    Unresolved::UnknownSchool(locale) => guard::unknown_school(locale, &config),
                    Unresolved::StorageUnavailable => guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable, please try again in a moment."),
                },
                "",
            ));
        }
    };
    let locale = resolved.ctx.viewer.locale;
    #[cfg(feature = "student")]
    let rendered_token = resolved.ctx.csrf.clone();
    let new_csrf = resolved.ctx.new_csrf.then(|| app::kernel::cookies::set(app::kernel::cookies::CSRF_COOKIE, &resolved.ctx.csrf, 365 * 24 * 3600));
    let mut req = match (req, form) {
        (_, Some(form)) => form.into_request(),
        (Some(req), None) => req.map(Body::new),
        (None, None) => unreachable!("the request is kept or read"),
    };
    if let Some(call) = &api_call {
        call.strip(req.headers_mut());
    }
    // Files of the admin (the CSV upload, downloads) are plain handlers, not pages.
    #[cfg(feature = "student")]
    if student_files(&method, &path) {
        let response = answer_files::handle(req, resolved.ctx, &env).await;
        let mut response = response;
        for cookie in [resolved.set_cookie, new_csrf].into_iter().flatten() {
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
        return Ok(guard::secure(response, &path));
    }
    // Work the page leaves for after its response starts once the response is built.
    let deferred = app::kernel::request::Deferred::default();
    let mut response = if admin_files(&method, &path) {
        #[cfg(feature = "admin")]
        let response = if admin_uploads::handles(&method, &path) {
            admin_uploads::handle(req, &resolved.ctx, &env).await
        } else if admin_preview::handles(&method, &path) {
            admin_preview::handle(req, &resolved.ctx).await
        } else {
            admin_files::handle(req, &resolved.ctx, &env).await
        };
        #[cfg(not(feature = "admin"))]
        let response = guard::page_not_found(locale);
        response
    } else {
        req.extensions_mut().insert(resolved.ctx);
        req.extensions_mut().insert(env.clone());
        req.extensions_mut().insert(app::kernel::request::AfterResponse(ctx.clone()));
        req.extensions_mut().insert(deferred.clone());
        let response = router().call(req).await?;
        match &api_call {
            Some(call) => call.answer(response, locale).await,
            // A path no route knows gets the router's empty 404: say so, in the viewer's words.
            None if response.status() == StatusCode::NOT_FOUND && axum::body::HttpBody::size_hint(response.body()).exact() == Some(0) => guard::page_not_found(locale),
            None => response,
        }
    };
    // Rendered for an anonymous visitor: kept for the next ones.
    #[cfg(feature = "student")]
    if let (Some(page), Some(version)) = (&cacheable, cache_version) {
        if response.status() == StatusCode::OK {
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, 4 * 1024 * 1024).await.unwrap_or_default();
            if let Ok(html) = std::str::from_utf8(&bytes) {
                page.store(&env, version, html, &rendered_token).await;
            }
            response = Response::from_parts(parts, Body::from(bytes));
            response.headers_mut().insert("x-atelier-cache", HeaderValue::from_static("miss"));
        }
    }
    for cookie in [resolved.set_cookie, new_csrf].into_iter().flatten() {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    // A login code is no use in five minutes: emails a request wrote to the outbox go out
    // right after the response (the cron run only retries failures).
    if method == "POST" && config.email_api_url.is_some() {
        if let Ok(db) = env.d1("DB") {
            let (config, now) = (config.clone(), js_sys_now());
            ctx.wait_until(async move {
                if let Err(e) = app::kernel::mail::deliver_due(&db, &config, now).await {
                    worker::console_error!("outbox delivery failed: {e}");
                }
            });
        }
    }
    if config.is_dev() {
        let trips = app::kernel::db::take_round_trips();
        response.headers_mut().insert("x-d1-round-trips", HeaderValue::from(trips));
        response.headers_mut().insert("x-d1-wait-ms", HeaderValue::from(app::kernel::db::take_d1_wait_ms() as u32));
    }
    for job in deferred.take() {
        ctx.wait_until(job.0);
    }
    Ok(guard::secure(response, &path))
}

/// The path of an absolute URL (`http://host/path?query` → `/path`).
fn path_of(url: &str) -> &str {
    let after_scheme = url.split_once("://").map(|(_, rest)| rest).unwrap_or(url);
    let path = after_scheme.find('/').map(|i| &after_scheme[i..]).unwrap_or("/");
    path.split(['?', '#']).next().unwrap_or("/")
}

fn is_admin_path(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/") || ADMIN_DEV_PATHS.contains(&path)
}

/// The cron work's dev routes: the admin Worker runs the cron work (`admin_dev.rs`).
const ADMIN_DEV_PATHS: [&str; 3] = ["/_dev/digest", "/_dev/sweep_media", "/_dev/stray_object"];

/// The admin Worker's answer, as it gave it (its own security headers included).
async fn forward_to_admin(raw: worker::worker_sys::web_sys::Request, env: &Env) -> Outgoing {
    let is_write = !matches!(raw.method().as_str(), "GET" | "HEAD" | "OPTIONS");
    // The binding's own fetch: the request and the answer pass through untouched.
    let answer = match env.service("ADMIN") {
        Ok(admin) => {
            let admin: worker::worker_sys::Fetcher = admin.into_rpc();
            match admin.fetch(&raw) {
                Ok(promise) => worker::wasm_bindgen_futures::JsFuture::from(promise).await.and_then(wasm_bindgen::JsCast::dyn_into::<worker::worker_sys::web_sys::Response>),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e.into()),
    };
    // An edit there bumps the school's content version; this isolate then reads the version
    // again instead of trusting the one it remembers, so it serves the edit at once (as the
    // isolate that made an edit always did).
    if is_write {
        app::kernel::content_version::forget();
        // A school's domain may have changed: this isolate reads it again.
        app::kernel::custom_domains::forget();
    }
    match answer {
        Ok(response) => Outgoing::Forwarded(response),
        Err(e) => {
            worker::console_error!("admin worker unreachable: {e:?}");
            Outgoing::Built(guard::secure(guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable, please try again in a moment."), ""))
        }
    }
}

/// The creator's files (the CSV upload, downloads) and the lesson preview: plain handlers of
/// the admin Worker.
fn admin_files(method: &str, path: &str) -> bool {
    #[cfg(feature = "admin")]
    return admin_files::handles(method, path) || admin_uploads::handles(method, path) || admin_preview::handles(method, path);
    #[cfg(not(feature = "admin"))]
    return { let _ = (method, path); false };
}

/// A student's file for an answer: a multipart body read by its own handler.
fn student_files(method: &str, path: &str) -> bool {
    #[cfg(feature = "student")]
    return answer_files::handles(method, path);
    #[cfg(not(feature = "student"))]
    return { let _ = (method, path); false };
}

/// What only the student Worker answers, before any session work: email events, the dev
/// mailbox, trial embeds (no session, no viewer, usually no D1: cached at the edge).
#[cfg(feature = "student")]
async fn student_only(req: HttpRequest, env: &Env, ctx: &std::sync::Arc<Context>, config: &Config) -> Result<Response<Body>, HttpRequest> {
    if req.uri().path() == hooks::PATH && req.method() == http::Method::POST {
        return Ok(guard::secure(hooks::email_events(req, env, config, js_sys_now() / 1000).await, ""));
    }
    if req.uri().path() == hooks::STRIPE_PATH && req.method() == http::Method::POST {
        return Ok(guard::secure(hooks::stripe_events(req, env, config, js_sys_now()).await, ""));
    }
    if req.uri().path().starts_with("/_dev/") {
        let path = req.uri().path().to_string();
        return Ok(guard::secure(dev::handle(&req, env, config).await, &path));
    }
    if certificates::pdf_id(req.uri().path()).is_some() {
        let path = req.uri().path().to_string();
        return Ok(guard::secure(certificates::handle(&req, env, config).await, &path));
    }
    if media::handles(req.uri().path()) {
        let path = req.uri().path().to_string();
        return Ok(guard::secure(media::handle(&req, env, config).await, &path));
    }
    if let Some(route) = embed::Route::parse(req.uri().path()) {
        let mut response = embed::handle(req, env, ctx, config, route, js_sys_now()).await;
        if config.is_dev() {
            response.headers_mut().insert("x-d1-round-trips", HeaderValue::from(app::kernel::db::take_round_trips()));
        }
        return Ok(response);
    }
    Err(req)
}

/// The cron expression (wrangler.toml) whose runs send the digest.
#[cfg(feature = "admin")]
const DIGEST_CRON: &str = "0 * * * *";

/// The path the student Worker's cron triggers reach the admin Worker at, through the
/// service binding only (it forwards nothing else but /admin/* and the dev routes).
const CRON_PATH: &str = "/_cron";

/// The cron triggers fire here (wrangler.toml) and the work runs in the admin Worker: the
/// Worker students reach carries none of its code, only this hand-over.
#[cfg(feature = "student")]
#[event(scheduled)]
async fn scheduled(event: worker::ScheduledEvent, env: Env, _ctx: worker::ScheduleContext) {
    let url = format!("https://admin.internal{CRON_PATH}?cron={}", app::kernel::url::encode(&event.cron()));
    let request = worker::Request::new_with_init(&url, worker::RequestInit::new().with_method(worker::Method::Post));
    match (env.service("ADMIN"), request) {
        (Ok(admin), Ok(request)) => {
            if let Err(e) = admin.fetch_request(request).await {
                worker::console_error!("cron hand-over failed: {e}");
            }
        }
        _ => worker::console_error!("cron hand-over: no admin Worker"),
    }
}

/// The cron work: the digest on the hourly trigger, the media cleaning pass with it, and
/// email delivery retries on every trigger.
#[cfg(feature = "admin")]
async fn cron_work(cron: &str, env: &Env) {
    let config = Config::from_env(env);
    let Ok(db) = env.d1("DB") else { return };
    let now = js_sys_now();
    // The digest, on the hourly trigger: slices until nothing is due (bounded, so a run
    // stays within limits). The 5-minute trigger only retries email delivery.
    let hourly = cron == DIGEST_CRON;
    for _ in 0..if hourly { 10 } else { 0 } {
        match app::features::drip::digest::run(&db, &config, now).await {
            Ok(report) => {
                if report.emails > 0 {
                    worker::console_log!("digest: {} enrollments, {} emails", report.enrollments, report.emails);
                }
                if (report.enrollments as i64) < app::features::drip::digest::DIGEST_SLICE {
                    break;
                }
            }
            Err(e) => {
                worker::console_error!("digest failed: {e}");
                break;
            }
        }
    }
    if hourly {
        if let Ok(bucket) = env.bucket(app::features::media::server::BUCKET) {
            match app::features::media::sweep::sweep(&db, &bucket, now, None).await {
                Ok(report) => worker::console_log!("media sweep: {report:?}"),
                Err(e) => worker::console_error!("media sweep failed: {e}"),
            }
        }
        if let Err(e) = app::kernel::db::refresh_planner_statistics(&db).await {
            worker::console_error!("planner statistics: {e}");
        }
        // Schools' own domains still waiting for their DNS records, asked about again.
        if let Some(api) = &config.saas {
            match app::features::settings::hostnames::ssr_impl::refresh_waiting(&db, api, now).await {
                Ok(n) if n > 0 => worker::console_log!("custom hostnames: {n} refreshed"),
                Ok(_) => {}
                Err(e) => worker::console_error!("custom hostnames not refreshed: {e}"),
            }
        }
    }
    match app::kernel::mail::deliver_due(&db, &config, now).await {
        Ok((sent, failed)) if sent + failed > 0 => worker::console_log!("outbox: {sent} sent, {failed} failed"),
        Ok(_) => {}
        Err(e) => worker::console_error!("outbox delivery failed: {e}"),
    }
}

fn js_sys_now() -> i64 {
    worker::Date::now().as_millis() as i64
}
