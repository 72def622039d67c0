//! The creator's uploads (admin Worker), outside the page router:
//! - `POST /admin/files/{place}?course_id=&lesson_id=`: a plain multipart form with `file`,
//!   up to `FORM_UPLOAD_MAX_BYTES` (works without JavaScript); back to the page with a notice.
//! - an upload in parts, for big files (the page's uploader island, JSON answers):
//!   `POST /admin/uploads?place=&course_id=&lesson_id=&name=&size=` starts one,
//!   `GET /admin/uploads/{id}` says which parts arrived (to resume),
//!   `PUT /admin/uploads/{id}/parts/{n}` sends one, `POST /admin/uploads/{id}/complete`
//!   puts them together, `POST /admin/uploads/{id}/abort` gives up.
//!
//! Each checks the viewer may edit the school's courses (the school's settings for a logo).

use app::features::media::rules::{human_size, Place, Refusal, FORM_UPLOAD_MAX_BYTES};
use app::features::media::server::{self as media, Upload};
use app::features::media::uploads::{self, PartRefusal};
use app::kernel::access::Permission;
use app::kernel::i18n::{t, Locale};
use app::kernel::request::RequestContext;
use axum::body::Body;
use http::{header, Method, Response, StatusCode};
use worker::Env;

type Request = http::Request<Body>;

const FORM_PREFIX: &str = "/admin/files/";
const PARTS_PATH: &str = "/admin/uploads";

pub fn handles(method: &str, path: &str) -> bool {
    (method == "POST" && path.strip_prefix(FORM_PREFIX).is_some_and(|k| Place::parse(k, Some(0), Some(0)).is_some()))
        || path == PARTS_PATH
        || path.starts_with("/admin/uploads/")
}

/// `/admin/uploads/{id}[/parts/{n} | /complete | /abort]`.
enum PartsCall<'a> {
    Start,
    State(&'a str),
    Part(&'a str, u64),
    Complete(&'a str),
    Abort(&'a str),
}

fn parts_call<'a>(method: &Method, path: &'a str) -> Option<PartsCall<'a>> {
    if path == PARTS_PATH {
        return (method == Method::POST).then_some(PartsCall::Start);
    }
    let rest = path.strip_prefix("/admin/uploads/")?;
    let (id, action) = rest.split_once('/').unwrap_or((rest, ""));
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match (method, action) {
        (&Method::GET, "") => Some(PartsCall::State(id)),
        (&Method::PUT, a) => a.strip_prefix("parts/")?.parse().ok().map(|n| PartsCall::Part(id, n)),
        (&Method::POST, "complete") => Some(PartsCall::Complete(id)),
        (&Method::POST, "abort") => Some(PartsCall::Abort(id)),
        _ => None,
    }
}

fn redirect(to: &str) -> Response<Body> {
    Response::builder().status(StatusCode::SEE_OTHER).header(header::LOCATION, to).body(Body::empty()).expect("static response")
}

fn json(status: StatusCode, value: serde_json::Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(value.to_string()))
        .expect("static response")
}

/// A refusal as the page's notice shows it: its key and its figures, in the viewer's words.
fn refusal_fields(r: &Refusal, locale: Locale) -> Vec<(&'static str, String)> {
    let size = |b: u64| human_size(b, locale == Locale::Fr);
    match *r {
        Refusal::TooBig { size: s, limit } => vec![("size", size(s)), ("limit", size(limit))],
        Refusal::Quota { used, size: s, quota } => vec![("size", size(s)), ("used", size(used)), ("quota", size(quota))],
        Refusal::FormTooBig { limit } => vec![("limit", size(limit))],
        Refusal::Type | Refusal::Empty => vec![],
    }
}

fn refusal_message(r: &Refusal, locale: Locale) -> String {
    let mut message = t(locale, r.key()).to_string();
    for (name, value) in refusal_fields(r, locale) {
        message = message.replace(&format!("{{{name}}}"), &value);
    }
    message
}

/// Who may upload to this place: the school and the uploader, when the viewer's role allows.
fn uploader(ctx: &RequestContext, place: Option<Place>) -> Option<(i64, i64)> {
    let needed = match place {
        Some(Place::SchoolLogo | Place::SchoolCover) => Permission::ManageSettings,
        _ => Permission::ManageCourses,
    };
    match (&ctx.viewer.school, &ctx.viewer.user) {
        (Some(s), Some(u)) if u.role.may(needed) => Some((s.id, u.id)),
        _ => None,
    }
}

pub async fn handle(req: Request, ctx: &RequestContext, env: &Env) -> Response<Body> {
    let path = req.uri().path().to_string();
    let query = app::features::students::directory_api::query_pairs(req.uri().query().unwrap_or(""));
    let value = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let id_of = |name: &str| value(name).and_then(|v| v.parse::<i64>().ok());
    if let Some(kind) = path.strip_prefix(FORM_PREFIX) {
        let place = Place::parse(kind, id_of("course_id"), id_of("lesson_id"));
        return form_upload(req, ctx, env, place).await;
    }
    let Some(call) = parts_call(req.method(), &path) else {
        crate::guard::drain(req.into_body()).await;
        return json(StatusCode::NOT_FOUND, serde_json::json!({ "error": "not_found" }));
    };
    let place = match call {
        PartsCall::Start => value("place").and_then(|k| Place::parse(&k, id_of("course_id"), id_of("lesson_id"))),
        _ => None,
    };
    let Some((school_id, user_id)) = uploader(ctx, place) else {
        crate::guard::drain(req.into_body()).await;
        return json(StatusCode::FORBIDDEN, serde_json::json!({ "error": "forbidden" }));
    };
    let (Ok(db), Ok(bucket)) = (env.d1("DB"), env.bucket(media::BUCKET)) else {
        return json(StatusCode::SERVICE_UNAVAILABLE, serde_json::json!({ "error": "unavailable" }));
    };
    let sdb = app::kernel::db::SchoolDb::new(&db, school_id);
    let (locale, now) = (ctx.viewer.locale, ctx.now_ms);
    let refused_part = |r: PartRefusal| match r {
        PartRefusal::File(r) => json(StatusCode::UNPROCESSABLE_ENTITY, serde_json::json!({ "error": r.key(), "message": refusal_message(&r, locale), "final": true })),
        PartRefusal::Unknown => json(StatusCode::NOT_FOUND, serde_json::json!({ "error": "upload_unknown", "message": t(locale, "upload_unknown"), "final": true })),
        PartRefusal::BadPart { expected, got } => json(
            StatusCode::BAD_REQUEST,
            serde_json::json!({ "error": "upload_bad_part", "message": t(locale, "upload_bad_part"), "expected": expected, "got": got }),
        ),
        PartRefusal::Missing(missing) => json(StatusCode::CONFLICT, serde_json::json!({ "error": "upload_missing_parts", "message": t(locale, "upload_missing_parts"), "missing": missing })),
    };
    let unavailable = || json(StatusCode::SERVICE_UNAVAILABLE, serde_json::json!({ "error": "unavailable", "message": t(locale, "upload_try_again") }));
    match call {
        PartsCall::Start => {
            crate::guard::drain(req.into_body()).await;
            let Some(place) = place.filter(|p| matches!(p, Place::LessonVideo { .. } | Place::LessonFile { .. })) else {
                return json(StatusCode::BAD_REQUEST, serde_json::json!({ "error": "upload_place", "message": t(locale, "upload_place") }));
            };
            match uploads::place_exists(&sdb, place).await {
                Ok(true) => {}
                Ok(false) => return json(StatusCode::NOT_FOUND, serde_json::json!({ "error": "not_found" })),
                Err(_) => return unavailable(),
            }
            let size = value("size").and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
            let name = value("name").unwrap_or_default();
            match uploads::start(&bucket, &sdb, user_id, place, &name, size, now).await {
                Ok(Ok(state)) => json(StatusCode::CREATED, serde_json::to_value(state).unwrap_or_default()),
                Ok(Err(r)) => refused_part(PartRefusal::File(r)),
                Err(_) => unavailable(),
            }
        }
        PartsCall::State(id) => match uploads::state(&sdb, id).await {
            Ok(Some(state)) => json(StatusCode::OK, serde_json::to_value(state).unwrap_or_default()),
            Ok(None) => refused_part(PartRefusal::Unknown),
            Err(_) => unavailable(),
        },
        PartsCall::Part(id, number) => {
            // A part is at most PART_SIZE; a little more is read so a longer one is told apart.
            let limit = app::features::media::rules::PART_SIZE as usize + 1;
            let Ok(bytes) = crate::guard::read_body(req.into_body(), limit).await else {
                return refused_part(PartRefusal::BadPart { expected: limit as u64 - 1, got: limit as u64 });
            };
            match uploads::put_part(&bucket, &sdb, id, number, &bytes, now).await {
                Ok(Ok(state)) => json(StatusCode::OK, serde_json::to_value(state).unwrap_or_default()),
                Ok(Err(r)) => refused_part(r),
                Err(_) => unavailable(),
            }
        }
        PartsCall::Complete(id) => {
            crate::guard::drain(req.into_body()).await;
            let completed = match uploads::complete(&bucket, &sdb, id, now).await {
                Ok(Ok(c)) => c,
                Ok(Err(r)) => return refused_part(r),
                Err(_) => return unavailable(),
            };
            let page = completed.place.page();
            let next = match uploads::attach(env, &sdb, completed.place, &completed.file_id, &completed.name, now).await {
                Ok(Ok(ok)) => format!("{page}?ok={ok}{}", completed.place.anchor()),
                Ok(Err(error)) => format!("{page}?error={error}"),
                Err(_) => return unavailable(),
            };
            json(StatusCode::OK, serde_json::json!({ "file_id": completed.file_id, "next": next }))
        }
        PartsCall::Abort(id) => {
            crate::guard::drain(req.into_body()).await;
            match uploads::abort(&bucket, &sdb, id, now).await {
                Ok(()) => json(StatusCode::OK, serde_json::json!({ "aborted": id })),
                Err(_) => unavailable(),
            }
        }
    }
}

/// A file sent in one request: checked (its bytes, its size, the school's storage), stored
/// and put to use at its place. Back to the page with the result, figures included when
/// refused (nothing is stored then).
async fn form_upload(req: Request, ctx: &RequestContext, env: &Env, place: Option<Place>) -> Response<Body> {
    let Some((school_id, user_id)) = uploader(ctx, place) else {
        crate::guard::drain(req.into_body()).await;
        return crate::guard::plain(StatusCode::FORBIDDEN, "Forbidden.");
    };
    let Some(place) = place else {
        crate::guard::drain(req.into_body()).await;
        return crate::guard::plain(StatusCode::BAD_REQUEST, "No course or lesson.");
    };
    let page = place.page();
    let refused = |r: Refusal| {
        let mut to = format!("{page}?error={}", r.key());
        for (name, value) in refusal_fields(&r, ctx.viewer.locale) {
            to.push_str(&format!("&{name}={}", app::kernel::url::encode(&value)));
        }
        // The page's top, where its notice says why (an anchor would scroll past it).
        redirect(&to)
    };
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let limit = place.use_().max_bytes().min(FORM_UPLOAD_MAX_BYTES) as usize;
    let Ok(bytes) = crate::guard::read_body(req.into_body(), limit + 64 * 1024).await else {
        return refused(if (limit as u64) < place.use_().max_bytes() {
            Refusal::FormTooBig { limit: limit as u64 }
        } else {
            Refusal::TooBig { size: limit as u64 + 1, limit: limit as u64 }
        });
    };
    let parts = match app::kernel::multipart::boundary(&content_type) {
        Some(boundary) => app::kernel::multipart::parts(&bytes, &boundary),
        None => vec![],
    };
    let Some(sent) = parts.iter().find(|p| p.name == "file" && p.file_name.as_deref().is_some_and(|n| !n.is_empty())) else { return refused(Refusal::Empty) };
    let (Ok(db), Ok(bucket)) = (env.d1("DB"), env.bucket(media::BUCKET)) else { return crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable.") };
    let sdb = app::kernel::db::SchoolDb::new(&db, school_id);
    let now = ctx.now_ms;
    match uploads::place_exists(&sdb, place).await {
        Ok(true) => {}
        Ok(false) => return crate::guard::plain(StatusCode::NOT_FOUND, "Not found."),
        Err(_) => return crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable."),
    }
    let file = Upload { use_: place.use_(), name: sent.file_name.as_deref().unwrap_or("file"), bytes: sent.bytes, owner_id: user_id, course_id: place.course(), lesson_id: place.lesson(), submission_id: None };
    let (id, media_type) = match media::store(&bucket, &sdb, &file, now).await {
        Ok(Ok(stored)) => stored,
        Ok(Err(r)) => return refused(r),
        Err(_) => return crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable."),
    };
    let name = media::clean_name(file.name, media_type);
    match uploads::attach(env, &sdb, place, &id, &name, now).await {
        Ok(Ok(ok)) => redirect(&format!("{page}?ok={ok}{}", place.anchor())),
        Ok(Err(error)) => redirect(&format!("{page}?error={error}")),
        Err(_) => crate::guard::plain(StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable."),
    }
}
