//! Trial-lesson embeds, before any session or viewer lookup: the embed page never reads or
//! sets a cookie, and a cached one costs no D1 round trip.
//!
//! - `GET /embed/{id}`: the lesson in minimal chrome (or a neutral "not available"), framable
//!   by the school's allowed sites only.
//! - `GET /embed/{id}/go`: the call to action; counts the click, opens the course page.
//! - `GET /embed.js`: the resize script creators include next to the iframe.

use crate::guard;
use app::features::trial::rules::EmbedId;
use app::kernel::host::{site_for_host, Site};
use app::features::trial::render::{self, EmbedSchool, Rendered};
use app::kernel::config::Config;
use app::features::trial::server::{self as edge, Counted};
use axum::body::Body;
use http::{header, HeaderValue, Method, Response, StatusCode};
use std::rc::Rc;
use worker::{Context, Env, HttpRequest};

pub enum Route {
    ParentScript,
    Page(String),
    CallToAction(String),
}

impl Route {
    pub fn parse(path: &str) -> Option<Route> {
        if path == "/embed.js" {
            return Some(Route::ParentScript);
        }
        let rest = path.strip_prefix("/embed/")?;
        match rest.split_once('/') {
            None => Some(Route::Page(rest.to_string())),
            Some((id, "go")) => Some(Route::CallToAction(id.to_string())),
            Some(_) => None,
        }
    }
}

fn query_param(req: &HttpRequest, name: &str) -> Option<String> {
    let query = req.uri().query()?;
    query.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('=').map(str::to_string))
}

pub async fn handle(req: HttpRequest, env: &Env, ctx: &Context, config: &Config, route: Route, now: i64) -> Response<Body> {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let _ = guard::ReadForm::read(req).await;
        return guard::secure(guard::plain(StatusCode::METHOD_NOT_ALLOWED, "Embeds are read-only."), "");
    }
    if let Route::ParentScript = route {
        return guard::secure(parent_script(), "");
    }
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let Some(Site::School(slug)) = site_for_host(host, &config.base_domain) else {
        return guard::secure(guard::plain(StatusCode::NOT_FOUND, "Not found."), "");
    };
    let school = match edge::school_embeds(env, &slug, now).await {
        Ok(Some(found)) => found,
        Ok(None) => return guard::secure(guard::plain(StatusCode::NOT_FOUND, "Not found."), ""),
        Err(_) => return guard::secure(guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable, please try again in a moment."), ""),
    };
    let (school, cache) = school;
    let lang = query_param(&req, "lang");
    let locale = school.locale(lang.as_deref());
    match route {
        Route::ParentScript => unreachable!("answered above"),
        Route::Page(raw) => {
            let lesson = EmbedId::parse(&raw).and_then(|id| school.lesson(id.as_str()).cloned());
            let Some(lesson) = lesson else {
                return embed_response(StatusCode::NOT_FOUND, render::not_available_page(Some(&school), locale), cache, None);
            };
            let etag = format!("\"{}-{}-{}\"", school.version, locale.code(), lesson.embed_id.get(..8).unwrap_or(""));
            if *req.method() == Method::GET {
                count_later(env, ctx, school.clone(), lesson.lesson_id, Counted::View, now);
            }
            let unchanged = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str());
            if unchanged {
                // A 304 updates the stored response's headers: it carries the same policy
                // (framing rule and hashes) as the page it stands for.
                let policy = render::lesson_page(&school, &lesson, locale).content_security_policy;
                return embed_response(StatusCode::NOT_MODIFIED, Rendered { html: String::new(), content_security_policy: policy }, cache, Some(&etag));
            }
            embed_response(StatusCode::OK, render::lesson_page(&school, &lesson, locale), cache, Some(&etag))
        }
        Route::CallToAction(raw) => {
            let lesson = EmbedId::parse(&raw).and_then(|id| school.lesson(id.as_str()).cloned());
            let target = match &lesson {
                Some(l) => {
                    count_later(env, ctx, school.clone(), l.lesson_id, Counted::CallToAction, now);
                    format!("{}/courses/{}?lang={}#offers", config.school_url(&school.slug), l.course_slug, locale.code())
                }
                None => config.school_url(&school.slug),
            };
            let mut r = Response::builder()
                .status(StatusCode::SEE_OTHER)
                .header(header::LOCATION, target)
                .body(Body::empty())
                .expect("static response");
            r.headers_mut().insert("x-atelier-cache", HeaderValue::from_static(cache.header()));
            guard::secure(r, "")
        }
    }
}

/// Counting never delays the page: counts gather in the isolate and one delayed flush per
/// interval writes them (kept alive by `waitUntil`).
fn count_later(env: &Env, ctx: &Context, school: Rc<EmbedSchool>, lesson_id: i64, what: Counted, now: i64) {
    if !edge::record(&school, lesson_id, what, now) {
        return;
    }
    let Ok(db) = env.d1("DB") else { return };
    ctx.wait_until(async move {
        worker::Delay::from(std::time::Duration::from_millis(edge::COUNT_FLUSH_MS)).await;
        if let Err(e) = edge::flush_counts(&db).await {
            worker::console_error!("embed counts not written yet: {e:?}");
        }
    });
}

/// An embed page's headers: its own CSP (with the school's `frame-ancestors`) instead of the
/// app's `frame-ancestors 'none'`, no X-Frame-Options (it cannot list sites), no cookies,
/// and a validator instead of a lifetime so an edit shows on the next load.
fn embed_response(status: StatusCode, rendered: Rendered, cache: edge::CacheStatus, etag: Option<&str>) -> Response<Body> {
    let mut r = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header("content-security-policy", rendered.content_security_policy)
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "strict-origin-when-cross-origin")
        .header(header::CACHE_CONTROL, "no-cache")
        .header("x-atelier-cache", cache.header())
        .body(Body::from(rendered.html))
        .expect("static response");
    if let Some(etag) = etag.and_then(|e| HeaderValue::from_str(e).ok()) {
        r.headers_mut().insert(header::ETAG, etag);
    }
    r
}

fn parent_script() -> Response<Body> {
    Response::builder()
        .header(header::CONTENT_TYPE, "text/javascript; charset=utf-8")
        // Any site may load it; it changes only with a deploy.
        .header(header::CACHE_CONTROL, "public, max-age=3600")
        .header("access-control-allow-origin", "*")
        .body(Body::from(app::features::trial::PARENT_SCRIPT))
        .expect("static response")
}
