//! The creator's files, outside the page router: the CSV upload (a multipart form, up to
//! `UPLOAD_MAX_BYTES`) and the downloads (import template, rejects file, log). Each checks
//! that the viewer owns the school.

use app::kernel::multipart;
use app::kernel::spreadsheet::Format;
use app::features::imports::server::{self as imports, UPLOAD_MAX_BYTES};
use app::kernel::request::RequestContext;
use axum::body::Body;
use http::{header, Response, StatusCode};
use worker::Env;

type Request = http::Request<Body>;

pub const UPLOAD_PATH: &str = "/admin/imports/upload";
pub const TEMPLATE_PATH: &str = "/admin/imports/template.csv";
pub const STATISTICS_TEMPLATE_PATH: &str = "/admin/imports/statistics-template.csv";

/// Exports, each `.csv` or `.xlsx` (`kernel::spreadsheet::Format`).
pub const STUDENTS_EXPORT: &str = "/admin/students/export";
/// Every order of the school (the owner only: money).
pub const SALES_EXPORT: &str = "/admin/sales";

/// The path without its `.csv` / `.xlsx`, if it is an export's.
fn export_stem(path: &str) -> Option<&str> {
    Format::of_path(path, ';').map(|(stem, _)| stem)
}

pub fn handles(method: &str, path: &str) -> bool {
    (method == "POST" && path == UPLOAD_PATH)
        || (method == "GET" && (path == TEMPLATE_PATH || path == STATISTICS_TEMPLATE_PATH || matches!(export_stem(path), Some(STUDENTS_EXPORT | SALES_EXPORT)) || download(path).is_some() || progress_course(path).is_some() || report_file(path).is_some()))
}

/// `/admin/courses/{id}/report/{matrix|assignments|quizzes|surveys}.csv` (or `.xlsx`).
fn report_file(path: &str) -> Option<(i64, &str)> {
    let (id, kind) = export_stem(path)?.strip_prefix("/admin/courses/")?.split_once("/report/")?;
    matches!(kind, "matrix" | "assignments" | "quizzes" | "surveys").then_some((id.parse().ok()?, kind))
}

/// A course report's CSV: for whoever reads the report (curators: their courses).
async fn report_csv(ctx: &RequestContext, env: &Env, path: &str, course_id: i64, kind: &str, query: &str) -> Response<Body> {
    let Ok(db) = env.d1("DB") else { return crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable.") };
    if ctx.viewer.user.is_none() {
        return redirect(&format!("/login?next={}", app::kernel::url::encode(&format!("/admin/courses/{course_id}/report"))));
    }
    let school_id = match app::features::reports::server::may_read(&db, &ctx.viewer, course_id).await {
        Ok(Some(id)) => id,
        Ok(None) => return crate::guard::plain(StatusCode::FORBIDDEN, "Forbidden."),
        Err(_) => return crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable."),
    };
    let pairs = app::features::students::directory_api::query_pairs(query);
    let sep = app::features::exports::server::separator(pairs.iter().find(|(k, _)| k == "sep").map(|(_, v)| v.as_str()));
    let Some((_, format)) = Format::of_path(path, sep) else { return crate::guard::plain(StatusCode::NOT_FOUND, "Not found.") };
    let (zone, locale) = (ctx.viewer.time_zone().to_string(), ctx.viewer.locale);
    let made = if kind == "matrix" {
        app::features::exports::server::progress_file(&db, school_id, course_id, format, &zone, locale).await.map(|r| r.map(|(slug, bytes)| (format!("matrix-{slug}.{}", format.extension()), bytes)))
    } else {
        app::features::reports::server::file(&db, school_id, course_id, kind, format, &zone, locale).await
    };
    match made {
        Ok(Some((name, bytes))) => file(format.content_type(), &name, bytes),
        Ok(None) => crate::guard::plain(StatusCode::NOT_FOUND, "Not found."),
        Err(_) => crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable."),
    }
}

/// `/admin/courses/{id}/progress.csv` (or `.xlsx`).
fn progress_course(path: &str) -> Option<i64> {
    export_stem(path)?.strip_prefix("/admin/courses/")?.strip_suffix("/progress")?.parse().ok()
}

/// `/admin/imports/{id}/rejects.csv` or `/admin/imports/{id}/log.txt`.
fn download(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/admin/imports/")?;
    let (id, file) = rest.split_once('/')?;
    matches!(file, "rejects.csv" | "log.txt").then_some((id, file))
}

fn redirect(to: &str) -> Response<Body> {
    Response::builder().status(StatusCode::SEE_OTHER).header(header::LOCATION, to).body(Body::empty()).expect("static response")
}

fn file(content_type: &str, name: &str, body: impl Into<Body>) -> Response<Body> {
    Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))
        .body(body.into())
        .expect("static response")
}

pub async fn handle(req: Request, ctx: &RequestContext, env: &Env) -> Response<Body> {
    let path = req.uri().path().to_string();
    if let Some((course_id, kind)) = report_file(&path) {
        return report_csv(ctx, env, &path, course_id, kind, req.uri().query().unwrap_or("")).await;
    }
    let owner = match (&ctx.viewer.school, &ctx.viewer.user) {
        (Some(s), Some(u)) if u.role.may(app::kernel::access::Permission::ManageStudents) => Some((s.id, u.id)),
        _ => None,
    };
    let Some((school_id, user_id)) = owner else {
        crate::guard::drain(req.into_body()).await;
        return if ctx.viewer.user.is_none() { redirect(&format!("/login?next={}", app::kernel::url::encode("/admin/imports"))) } else { crate::guard::plain(StatusCode::FORBIDDEN, "Forbidden.") };
    };
    let Ok(db) = env.d1("DB") else { return crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable.") };
    let sdb = app::kernel::db::SchoolDb::new(&db, school_id);
    let locale = ctx.viewer.locale;
    if path == UPLOAD_PATH {
        return upload(req, ctx, &sdb, user_id).await;
    }
    if path == TEMPLATE_PATH {
        let first: Option<serde_json::Value> =
            sdb.first("SELECT slug FROM @courses ORDER BY created_at LIMIT 1", &[]).await.ok().flatten();
        let slug = first.as_ref().and_then(|v| v["slug"].as_str());
        return file("text/csv; charset=utf-8", "students-template.csv", imports::template(slug));
    }
    if path == STATISTICS_TEMPLATE_PATH {
        let first: Option<serde_json::Value> = sdb
            .first("SELECT c.slug, l.title FROM @courses c JOIN @lessons l ON l.course_id = c.id ORDER BY c.created_at, l.position LIMIT 1", &[])
            .await
            .ok()
            .flatten();
        let example = first.as_ref().and_then(|v| Some((v["slug"].as_str()?, v["title"].as_str()?)));
        return file("text/csv; charset=utf-8", "statistics-template.csv", app::features::imports::statistics::template(example));
    }
    let query = app::features::students::directory_api::query_pairs(req.uri().query().unwrap_or(""));
    let sep = app::features::exports::server::separator(query.iter().find(|(k, _)| k == "sep").map(|(_, v)| v.as_str()));
    let zone = ctx.viewer.time_zone().to_string();
    let export = Format::of_path(&path, sep);
    if let Some((SALES_EXPORT, format)) = export {
        if !ctx.viewer.user.as_ref().is_some_and(|u| u.role == app::kernel::access::Role::Owner) {
            return crate::guard::plain(StatusCode::FORBIDDEN, "Forbidden.");
        }
        return match app::features::sales::api::ssr_impl::file(&db, school_id, format, &zone).await {
            Ok(bytes) => file(format.content_type(), &format!("sales.{}", format.extension()), bytes),
            Err(_) => crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable."),
        };
    }
    if let Some((STUDENTS_EXPORT, format)) = export {
        let (filter, _) = app::features::students::directory::DirectoryFilter::from_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let asked: Vec<String> = query.iter().filter(|(k, _)| k == "col").map(|(_, v)| v.clone()).collect();
        let columns = app::features::exports::server::chosen_columns(&asked);
        return match app::features::exports::server::students_file(&db, school_id, &filter, &columns, format, ctx.now_ms, &zone).await {
            Ok(bytes) => file(format.content_type(), &format!("students.{}", format.extension()), bytes),
            Err(_) => crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable."),
        };
    }
    if let (Some(course_id), Some((_, format))) = (progress_course(&path), export) {
        return match app::features::exports::server::progress_file(&db, school_id, course_id, format, &zone, locale).await {
            Ok(Some((slug, bytes))) => file(format.content_type(), &format!("progress-{slug}.{}", format.extension()), bytes),
            Ok(None) => crate::guard::plain(StatusCode::NOT_FOUND, "Not found."),
            Err(_) => crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable."),
        };
    }
    let Some((id, name)) = download(&path) else { return crate::guard::plain(StatusCode::NOT_FOUND, "Not found.") };
    let loaded = match imports::load(&sdb, id).await {
        Ok(Some(i)) => i,
        Ok(None) => return crate::guard::plain(StatusCode::NOT_FOUND, "Not found."),
        Err(_) => return crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable."),
    };
    let Ok(columns) = serde_json::from_str::<app::features::imports::rules::Columns>(&loaded.columns_json) else {
        return crate::guard::plain(StatusCode::INTERNAL_SERVER_ERROR, "Unreadable import.");
    };
    let Ok(rows) = imports::rows_of(&sdb, id, name == "rejects.csv", app::kernel::csv::MAX_ROWS as i64).await else {
        return crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable.");
    };
    if name == "rejects.csv" {
        file("text/csv; charset=utf-8", &format!("rejects-{}.csv", &id[..8.min(id.len())]), imports::rejects_file(&columns, &loaded.separator, &rows, locale))
    } else {
        file("text/plain; charset=utf-8", &format!("import-{}.txt", &id[..8.min(id.len())]), imports::log_file(&loaded, &columns, &rows, locale))
    }
}

/// Step 1: the file is read, checked and kept; the preview is next. A file that cannot be
/// read goes back to the form with the reason (and the line, when there is one).
async fn upload(req: Request, ctx: &RequestContext, sdb: &app::kernel::db::SchoolDb, user_id: i64) -> Response<Body> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (parts_head, body) = req.into_parts();
    // A little over the limit is read, so an oversized file is told apart from a full one.
    // Past the limit the rest is still read (and dropped): an unread body stalls the
    // connection's next request.
    let read = crate::guard::read_body(body, UPLOAD_MAX_BYTES + 64 * 1024).await;
    drop(parts_head);
    let boundary = multipart::boundary(&content_type);
    let parts = match (&read, &boundary) {
        (Ok(bytes), Some(b)) => multipart::parts(bytes, b),
        _ => vec![],
    };
    let kind = app::features::imports::rules::Kind::parse(parts.iter().find(|p| p.name == "kind").map(|p| std::str::from_utf8(p.bytes).unwrap_or("")).unwrap_or(""));
    let back = |code: &str, line: Option<usize>, column: Option<&str>| {
        let mut to = format!("/admin/imports?error={code}");
        if kind == app::features::imports::rules::Kind::Statistics {
            to.push_str("&kind=statistics");
        }
        if let Some(l) = line {
            to.push_str(&format!("&line={l}"));
        }
        if let Some(c) = column {
            to.push_str(&format!("&column={}", app::kernel::url::encode(c)));
        }
        if kind == app::features::imports::rules::Kind::Statistics {
            to.push_str("#statistics");
        }
        redirect(&to)
    };
    if read.is_err() {
        return back("csv_too_large", None, None);
    }
    if boundary.is_none() {
        return back("csv_no_file", None, None);
    }
    let Some(upload) = parts.iter().find(|p| p.name == "file" && p.file_name.as_deref().is_some_and(|n| !n.is_empty())) else {
        return back("csv_no_file", None, None);
    };
    if upload.bytes.len() > UPLOAD_MAX_BYTES {
        return back("csv_too_large", None, None);
    }
    match imports::store(sdb, kind, user_id, upload.file_name.as_deref().unwrap_or("import.csv"), upload.bytes, ctx.now_ms, ctx.viewer.time_zone()).await {
        Ok(Ok(id)) => redirect(&format!("/admin/imports/{id}")),
        Ok(Err(refused)) => back(refused.code, refused.line, refused.column.as_deref()),
        Err(_) => crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable, please try again in a moment."),
    }
}
