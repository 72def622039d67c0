//! `#[server]` functions: what pages call to read data and what forms post to. Each one reads
//! top-down: who is asking, load, decide, write in one batch, then where the browser goes.

pub mod account;
pub mod admin;
pub mod answers;
pub mod auth;
pub mod blocks;
pub mod course_tools;
pub mod bulk;
pub mod directory;
pub mod embeds;
pub mod explain;
pub mod imports;
pub mod invitations;
pub mod reports;
pub mod reviews;
pub mod students;
pub mod tasks;
pub mod team;
pub mod learn;
pub mod schedule;
pub mod types;

/// Everything but the unreserved characters of RFC 3986 is escaped in a query value.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// `path?error=key&field=value...`: where a form goes back to when a rule is broken, keeping
/// what the person typed.
pub fn with_error(path: &str, key: &str, keep: &[(&str, &str)]) -> String {
    let mut url = format!("{path}?error={}", encode(key));
    for (k, v) in keep {
        url.push_str(&format!("&{k}={}", encode(v)));
    }
    url
}

pub use crate::domain::next::safe_next;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::api::types::Viewer;
    use crate::error::AppError;
    use crate::server::request::{self, RequestContext};
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
        leptos_axum::redirect(crate::api::safe_next(to).unwrap_or("/"));
    }

    /// The one redirect that leaves the current host: from the platform home to the school
    /// just created, always `{scheme}://{slug}.{base domain}/...` built by the server.
    pub fn redirect_to_school(school_url: &str, path: &str) {
        leptos_axum::redirect(&format!("{school_url}{}", crate::api::safe_next(path).unwrap_or("/")));
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

    /// After a change an embed may show: supersede the school's cached embeds.
    pub async fn embeds_changed(db: &worker::D1Database, school_id: i64, now: i64) -> Result<(), AppError> {
        crate::server::embed::changed(&request::env()?, db, school_id, now).await
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

    pub fn require_school(ctx: &RequestContext) -> Result<crate::api::types::SchoolInfo, AppError> {
        ctx.viewer.school.clone().ok_or(AppError::NotFound)
    }

    /// A team member allowed `p` (the owner is allowed everything).
    pub fn require_staff(v: &Viewer, p: crate::domain::access::Permission) -> Result<(i64, i64), AppError> {
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
        if user.role != crate::domain::access::Role::Owner {
            return Err(AppError::Forbidden);
        }
        Ok((school.id, user.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_keep_only_unreserved_characters() {
        assert_eq!(encode("a-b_c.d~e f/g?h&é"), "a-b_c.d~e%20f%2Fg%3Fh%26%C3%A9");
    }

    #[test]
    fn error_urls_encode_values() {
        assert_eq!(with_error("/", "slug_taken", &[("slug", "a b&c")]), "/?error=slug_taken&slug=a%20b%26c");
    }
}
