//! Dev-only routes of the cron work, in the admin Worker that runs it (404 unless
//! ENVIRONMENT=dev; the student Worker hands these paths over like /admin/*): `/_dev/digest`
//! (one digest slice at `?now=`), `/_dev/sweep_media?school=&now=` (one school's cleaning
//! pass), `/_dev/stray_object?school=&id=` (an object no row refers to, for that pass).

use app::kernel::config::Config;
use app::kernel::db::text;
use axum::body::Body;
use http::{header, Response, StatusCode};
use worker::{Env, HttpRequest};

fn json(body: String) -> Response<Body> {
    Response::builder().header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).expect("response")
}

fn query_value(req: &HttpRequest, name: &str) -> Option<String> {
    req.uri().query()?.split('&').find_map(|p| p.strip_prefix(name)?.strip_prefix('=')).map(String::from)
}

/// The school named by `?school=slug`.
async fn school_id(db: &worker::D1Database, req: &HttpRequest) -> Option<i64> {
    let slug = query_value(req, "school")?;
    let row: Option<serde_json::Value> = app::kernel::db::first(db, "SELECT id FROM schools WHERE slug = ?1", &[text(&slug)]).await.ok()?;
    row?["id"].as_i64()
}

pub async fn handle(req: &HttpRequest, env: &Env, config: &Config) -> Response<Body> {
    if !config.is_dev() || req.method() != http::Method::POST {
        return crate::guard::plain(StatusCode::NOT_FOUND, "Not found");
    }
    let fail = |what: &'static str| crate::guard::plain(StatusCode::INTERNAL_SERVER_ERROR, what);
    // The cron handler's runs, at a chosen time (tests move the clock).
    let now = query_value(req, "now").and_then(|v| v.parse::<i64>().ok()).unwrap_or_else(|| worker::Date::now().as_millis() as i64);
    let (Ok(db), Ok(bucket)) = (env.d1("DB"), env.bucket(app::features::media::server::BUCKET)) else { return fail("no storage") };
    match req.uri().path() {
        "/_dev/digest" => match app::features::drip::digest::run(&db, config, now).await {
            Ok(report) => json(serde_json::to_string(&report).unwrap_or_default()),
            Err(_) => fail("digest failed"),
        },
        "/_dev/sweep_media" => {
            let Some(school) = school_id(&db, req).await else { return fail("no such school") };
            match app::features::media::sweep::sweep(&db, &bucket, now, Some(school)).await {
                Ok(report) => json(serde_json::to_string(&report).unwrap_or_default()),
                Err(_) => fail("sweep failed"),
            }
        }
        "/_dev/stray_object" => {
            let (Some(school), Some(id)) = (school_id(&db, req).await, query_value(req, "id")) else { return fail("no such school") };
            match bucket.put(app::features::media::server::object_key(school, &id), b"stray".to_vec()).execute().await {
                Ok(_) => json("{}".into()),
                Err(_) => fail("put failed"),
            }
        }
        _ => crate::guard::plain(StatusCode::NOT_FOUND, "Not found"),
    }
}
