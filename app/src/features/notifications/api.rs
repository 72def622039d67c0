//! The notifications page's server functions: the list, and marking read (one, by opening
//! it, or all). Each person sees only their own, on this school.

use crate::features::notifications::types::Notification;
use crate::kernel::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

crate::kernel::page_data! {
    pub async fn load_notifications() -> Result<Vec<Notification>, AppError> {
        use crate::kernel::db::int;
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let user = ctx.viewer.user.clone().ok_or(AppError::LoginRequired)?;
        #[derive(serde::Deserialize)]
        struct Row {
            id: i64,
            kind: String,
            title: String,
            body: String,
            link: String,
            created_at: i64,
            read_at: Option<i64>,
        }
        let rows: Vec<Row> = crate::kernel::request::school_db(school.id)?
            .all(
                "SELECT id, kind, title, body, link, created_at, read_at FROM @notifications WHERE user_id = ?2 ORDER BY created_at DESC, id DESC LIMIT ?3",
                &[int(user.id), int(crate::features::notifications::server::KEPT_PER_PERSON)],
            )
            .await?;
        Ok(rows.into_iter().map(|r| Notification { id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, created_at: r.created_at, read: r.read_at.is_some() }).collect())
    }
}

/// Opens a notification: marked read, then its page.
#[server(endpoint = "open_notification")]
pub async fn open_notification(id: String) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::db::int;
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let user = ctx.viewer.user.clone().ok_or(AppError::LoginRequired)?;
        let id = parse_id(&id)?;
        let row: Option<serde_json::Value> = crate::kernel::request::school_db(school.id)?
            .first("UPDATE @notifications SET read_at = COALESCE(read_at, ?4) WHERE id = ?2 AND user_id = ?3 RETURNING link", &[int(id), int(user.id), int(ctx.now_ms)])
            .await?;
        let link = row.as_ref().and_then(|r| r["link"].as_str()).and_then(crate::kernel::next::safe_next).unwrap_or("/notifications").to_string();
        redirect(&link);
        Ok(())
    })
    .await
}

/// "Mark all as read".
#[server(endpoint = "read_all_notifications")]
pub async fn read_all_notifications() -> Result<(), AppError> {
    send(async move {
        use crate::kernel::db::int;
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let user = ctx.viewer.user.clone().ok_or(AppError::LoginRequired)?;
        crate::kernel::request::school_db(school.id)?
            .run("UPDATE @notifications SET read_at = ?3 WHERE user_id = ?2 AND read_at IS NULL", &[int(user.id), int(ctx.now_ms)])
            .await?;
        redirect("/notifications?ok=notifications_read");
        Ok(())
    })
    .await
}
