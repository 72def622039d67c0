//! A certificate as a PDF file: `GET /certificates/{id}.pdf` on its school's host. Public
//! like its page (the id is the secret, 128 random bits); drawn on each request from the
//! stored certificate, with the school's logo from R2 when the PDF can carry it.

use app::features::certificates::{pdf, server as certificates, sheet};
use axum::body::Body;
use http::{header, Method, Response, StatusCode};
use worker::{Env, HttpRequest};

/// `/certificates/{id}.pdf` → the id.
pub fn pdf_id(path: &str) -> Option<&str> {
    path.strip_prefix("/certificates/")?.strip_suffix(".pdf").filter(|id| !id.is_empty() && !id.contains('/'))
}

pub async fn handle(req: &HttpRequest, env: &Env, config: &app::kernel::config::Config) -> Response<Body> {
    let not_found = || crate::guard::plain(StatusCode::NOT_FOUND, "No such certificate.");
    let unavailable = || crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable, please try again in a moment.");
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return crate::guard::plain(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed.");
    }
    let Some(id) = pdf_id(req.uri().path()) else { return not_found() };
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let Some(app::kernel::host::Site::School(slug)) = app::kernel::host::site_for_host(host, &config.base_domain) else { return not_found() };
    let Ok(db) = env.d1("DB") else { return unavailable() };
    let sdb = app::kernel::db::SchoolDb::by_slug(&db, &slug);
    let row = match certificates::find(&sdb, id).await {
        Ok(Some(row)) => row,
        Ok(None) => return not_found(),
        Err(_) => return unavailable(),
    };
    // Reissuing changes it: the stamp of its last version tells a cache it still holds it.
    let etag = format!("\"{}-{}\"", row.id, row.updated_at);
    if req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return Response::builder().status(StatusCode::NOT_MODIFIED).header(header::ETAG, etag).body(Body::empty()).expect("static headers");
    }
    let logo_bytes = match row.logo_url.as_deref().and_then(app::features::media::server::id_in_path) {
        Some(file) => match env.bucket(app::features::media::server::BUCKET) {
            Ok(bucket) => match bucket.get(app::features::media::server::object_key(row.school_id, file)).execute().await {
                Ok(Some(object)) => match object.body() {
                    Some(body) => body.bytes().await.ok(),
                    None => None,
                },
                _ => None,
            },
            Err(_) => None,
        },
        None => None,
    };
    let logo = logo_bytes.as_deref().and_then(pdf::Logo::read);
    let mut sheet = row.sheet(&config.school_url(&slug));
    sheet.has_logo = logo.is_some();
    let title = format!("{} – {}", sheet.title, row.student_name);
    let bytes = pdf::pdf(&sheet::layout(&sheet), logo.as_ref(), &title);
    let file_name = format!("certificate-{}.pdf", app::kernel::slug::slugify(&format!("{} {}", row.course_title, row.student_name)));
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/pdf")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\""))
        .header(header::CONTENT_LENGTH, bytes.len())
        .header(header::ETAG, etag)
        .header(header::CACHE_CONTROL, "no-cache")
        .header("x-content-type-options", "nosniff")
        .body(if req.method() == Method::HEAD { Body::empty() } else { Body::from(bytes) })
        .expect("static headers")
}
