//! Writing a notification: a statement the feature where something happened adds to its own
//! batch (so it is written with what it tells, or not at all).

use crate::kernel::db::{int, text, SchoolDb};
use crate::kernel::error::AppError;
use crate::kernel::states::NotificationKind;

/// How many notifications a person keeps: older ones go when new ones come.
pub const KEPT_PER_PERSON: i64 = 200;

/// What to tell someone: its kind, a title and an optional body in their language, and the
/// path it leads to.
pub struct Notice<'a> {
    pub kind: NotificationKind,
    pub title: &'a str,
    pub body: &'a str,
    pub link: &'a str,
}

/// One person's notification.
pub fn notify(sdb: &SchoolDb, user_id: i64, notice: &Notice<'_>, now: i64) -> Result<worker::D1PreparedStatement, AppError> {
    sdb.stmt(
        "INSERT INTO @notifications (user_id, kind, title, body, link, created_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7)",
        &[int(user_id), text(notice.kind.as_str()), text(notice.title), text(notice.body), text(crate::kernel::next::safe_next(notice.link).unwrap_or("/")), int(now)],
    )
}

/// The same notification for several people (`user_ids`: a JSON array of ids), in one
/// statement.
pub fn notify_many(sdb: &SchoolDb, user_ids_json: &str, notice: &Notice<'_>, now: i64) -> Result<worker::D1PreparedStatement, AppError> {
    sdb.stmt(
        "INSERT INTO @notifications (user_id, kind, title, body, link, created_at)
         SELECT u.id, ?3, ?4, ?5, ?6, ?7 FROM @users u WHERE u.id IN (SELECT value FROM json_each(?2))",
        &[text(user_ids_json), text(notice.kind.as_str()), text(notice.title), text(notice.body), text(crate::kernel::next::safe_next(notice.link).unwrap_or("/")), int(now)],
    )
}

/// One person's notification, written only if `when` (scoped SQL whose one argument is `?8`)
/// finds a row when the batch runs (see `kernel::mail::enqueue_when`).
pub fn notify_when(sdb: &SchoolDb, user_id: i64, notice: &Notice<'_>, now: i64, when: &str, arg: wasm_bindgen::JsValue) -> Result<worker::D1PreparedStatement, AppError> {
    sdb.stmt(
        &format!("INSERT INTO @notifications (user_id, kind, title, body, link, created_at) SELECT ?2, ?3, ?4, ?5, ?6, ?7 WHERE EXISTS ({when})"),
        &[int(user_id), text(notice.kind.as_str()), text(notice.title), text(notice.body), text(crate::kernel::next::safe_next(notice.link).unwrap_or("/")), int(now), arg],
    )
}
