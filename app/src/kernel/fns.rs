//! What every `#[server]` function uses: the Send wrapper, the request context, redirects,
//! cookies, status codes and the role checks. Server side only.

use crate::kernel::viewer::Viewer;
use crate::kernel::error::AppError;
use crate::kernel::request::{self, RequestContext};
use http::header::{HeaderValue, SET_COOKIE};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
pub use worker::send::SendFuture;

/// Runs a server function body: D1 futures are not `Send` (a Worker isolate is single
/// threaded, so wrapping them is sound), and an error sets the response status it means.
pub fn send<T, F>(f: F) -> SendFuture<impl std::future::Future<Output = Result<T, AppError>>>
where
    F: std::future::Future<Output = Result<T, AppError>>,
{
    SendFuture::new(async move {
        let result = f.await;
        if let Err(e) = &result {
            set_status(e.status());
        }
        result
    })
}

pub fn ctx() -> Result<RequestContext, AppError> {
    request::current()
}

/// Where a form goes next: only ever a path of this site (anything else goes home).
pub fn redirect(to: &str) {
    leptos_axum::redirect(crate::kernel::next::safe_next(to).unwrap_or("/"));
}

/// The one redirect that leaves the current host: from the platform home to the school
/// just created, always `{scheme}://{slug}.{base domain}/...` built by the server.
pub fn redirect_to_school(school_url: &str, path: &str) {
    leptos_axum::redirect(&format!("{school_url}{}", crate::kernel::next::safe_next(path).unwrap_or("/")));
}

pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(value)) {
        res.append_header(SET_COOKIE, v);
    }
}

pub fn set_status(code: u16) {
    if let (Some(res), Ok(status)) = (use_context::<ResponseOptions>(), http::StatusCode::from_u16(code)) {
        res.set_status(status);
    }
}

/// After a change a visitor could see: supersede the school's cached public content.
pub async fn embeds_changed(db: &worker::D1Database, school_id: i64, now: i64) -> Result<(), AppError> {
    crate::kernel::content_version::bump(&request::env()?, db, school_id, now).await
}

/// The request's context and the school id, when the viewer owns the school.
pub fn owner() -> Result<(RequestContext, i64), AppError> {
    let ctx = ctx()?;
    let (school_id, _) = require_owner(&ctx.viewer)?;
    Ok((ctx, school_id))
}

/// An id from a form field.
pub fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse::<i64>().map_err(|_| AppError::BadRequest("id".into()))
}

pub fn require_school(ctx: &RequestContext) -> Result<crate::kernel::viewer::SchoolInfo, AppError> {
    ctx.viewer.school.clone().ok_or(AppError::NotFound)
}

/// A team member allowed `p` (the owner is allowed everything).
pub fn require_staff(v: &Viewer, p: crate::kernel::access::Permission) -> Result<(i64, i64), AppError> {
    let school = v.school.as_ref().ok_or(AppError::NotFound)?;
    let user = v.user.as_ref().ok_or(AppError::LoginRequired)?;
    if !user.role.may(p) {
        return Err(AppError::Forbidden);
    }
    Ok((school.id, user.id))
}

pub fn require_owner(v: &Viewer) -> Result<(i64, i64), AppError> {
    let school = v.school.as_ref().ok_or(AppError::NotFound)?;
    let user = v.user.as_ref().ok_or(AppError::LoginRequired)?;
    if user.role != crate::kernel::access::Role::Owner {
        return Err(AppError::Forbidden);
    }
    Ok((school.id, user.id))
}
