//! The lesson editor's preview: the Markdown posted (not saved) rendered exactly as a saved
//! lesson's text is (`lessons::markdown`, raw HTML shown as text). Without JavaScript the
//! "Preview" button opens it as a page of its own, in a new tab, the form left as typed;
//! the editor's live preview asks for the fragment (`?fragment=1`).

use app::kernel::access::Permission;
use app::kernel::html::escape;
use app::kernel::i18n::t;
use app::kernel::request::RequestContext;
use axum::body::Body;
use http::{header, Response, StatusCode};

type Request = http::Request<Body>;

pub const PATH: &str = "/admin/preview/lesson";

pub fn handles(method: &str, path: &str) -> bool {
    method == "POST" && path == PATH
}

pub async fn handle(req: Request, ctx: &RequestContext) -> Response<Body> {
    let fragment = req.uri().query() == Some("fragment=1");
    let allowed = ctx.viewer.school.is_some() && ctx.viewer.user.as_ref().is_some_and(|u| u.role.may(Permission::ManageCourses));
    let body = crate::guard::read_body(req.into_body(), crate::guard::MAX_FORM_BYTES).await;
    if !allowed {
        return crate::guard::plain(StatusCode::FORBIDDEN, "Forbidden.");
    }
    let Ok(bytes) = body else { return crate::guard::plain(StatusCode::PAYLOAD_TOO_LARGE, "Too large.") };
    let Ok(form) = std::str::from_utf8(&bytes) else { return crate::guard::plain(StatusCode::BAD_REQUEST, "Bad request.") };
    let source = app::kernel::csrf::form_value(form, "content_md").unwrap_or_default();
    let rendered = app::features::lessons::markdown::render_markdown(&source);
    let locale = ctx.viewer.locale;
    let html = if fragment {
        rendered
    } else {
        let title = app::kernel::csrf::form_value(form, "title").unwrap_or_default();
        format!(
            "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{preview} – {title}</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\
             <body><main class=\"preview-page\"><p class=\"notice\" role=\"status\">{lead}</p><article class=\"lesson\"><h1>{title}</h1><div class=\"content\">{rendered}</div></article></main></body></html>",
            lang = locale.code(),
            preview = t(locale, "lesson_preview"),
            lead = t(locale, "lesson_preview_lead"),
            title = escape(&title),
        )
    };
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(html))
        .expect("static response")
}
