//! The viewer's own account: where they are logged in, log out, log out everywhere.
//! Sessions are checked against D1 on every request, so ending one takes effect on the next
//! request, in every location.

use crate::features::account::types::AccountPage;
use crate::kernel::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

crate::kernel::page_data! {
    pub async fn load_account() -> Result<AccountPage, AppError> {
        use crate::features::account::types::SessionInfo;
        use crate::kernel::db::int;
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let user = ctx.viewer.user.clone().ok_or(AppError::LoginRequired)?;
        #[derive(serde::Deserialize)]
        struct Row {
            id: String,
            user_agent: Option<String>,
            created_at: i64,
            last_seen_at: i64,
        }
        let db = crate::kernel::request::school_db(school.id)?;
        let me: Option<serde_json::Value> = db.first("SELECT digest_opt_out, first_name, last_name, locale, mail_off FROM @users WHERE id = ?2", &[int(user.id)]).await?;
        let me = me.unwrap_or_default();
        let digest_on = me["digest_opt_out"].as_i64().unwrap_or(0) == 0;
        let rows: Vec<Row> = db
            .all(
                "SELECT id, user_agent, created_at, last_seen_at FROM @sessions
                 WHERE user_id = ?2 AND revoked_at IS NULL AND expires_at > ?3 AND absolute_expires_at > ?3
                 ORDER BY last_seen_at DESC LIMIT 50",
                &[int(user.id), int(ctx.now_ms)],
            )
            .await?;
        let sessions = rows
            .into_iter()
            .map(|r| SessionInfo {
                current: ctx.session_id.as_deref() == Some(r.id.as_str()),
                device: crate::kernel::device::describe(r.user_agent.as_deref().unwrap_or("")),
                id: r.id,
                created_at: r.created_at,
                last_seen_at: r.last_seen_at,
            })
            .collect();
        Ok(AccountPage {
            email: user.email,
            sessions,
            digest_on,
            first_name: me["first_name"].as_str().unwrap_or("").to_string(),
            last_name: me["last_name"].as_str().unwrap_or("").to_string(),
            locale: me["locale"].as_str().map(str::to_string),
            mail_off: me["mail_off"].as_str().unwrap_or("").split(',').filter(|k| !k.is_empty()).map(str::to_string).collect(),
        })
    }
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    send(async move {
        use crate::kernel::cookies::{clear, SESSION_COOKIE};
        let ctx = ctx()?;
        if let (Some(id), Some(school)) = (&ctx.session_id, &ctx.viewer.school) {
            crate::kernel::session::revoke(&crate::kernel::request::db()?, id, school.id, ctx.now_ms).await?;
        }
        set_cookie(&clear(SESSION_COOKIE));
        redirect("/");
        Ok(())
    })
    .await
}

/// Ends every session of the viewer, this one included.
#[server(endpoint = "logout_everywhere")]
pub async fn logout_everywhere() -> Result<(), AppError> {
    send(async move {
        use crate::kernel::cookies::{clear, SESSION_COOKIE};
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let user = ctx.viewer.user.clone().ok_or(AppError::LoginRequired)?;
        crate::kernel::session::revoke_all(&crate::kernel::request::db()?, school.id, user.id, ctx.now_ms).await?;
        set_cookie(&clear(SESSION_COOKIE));
        redirect("/login?ok=logged_out_everywhere");
        Ok(())
    })
    .await
}

/// Ends one of the viewer's other sessions (a lost phone).
#[server(endpoint = "end_session")]
pub async fn end_session(id: String) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::db::{int, text};
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let user = ctx.viewer.user.clone().ok_or(AppError::LoginRequired)?;
        crate::kernel::request::school_db(school.id)?
            .run("UPDATE @sessions SET revoked_at = ?2 WHERE id = ?3 AND user_id = ?4 AND revoked_at IS NULL", &[int(ctx.now_ms), text(&id), int(user.id)])
            .await?;
        redirect("/account?ok=session_ended");
        Ok(())
    })
    .await
}

/// "New lessons" emails on or off (`on` = "1" or "0").
#[server(endpoint = "set_digest")]
pub async fn set_digest(on: String) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::db::int;
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let user = ctx.viewer.user.clone().ok_or(AppError::LoginRequired)?;
        let opt_out = if on == "1" { 0 } else { 1 };
        crate::kernel::request::school_db(school.id)?.run("UPDATE @users SET digest_opt_out = ?2 WHERE id = ?3", &[int(opt_out), int(user.id)]).await?;
        redirect("/account?ok=saved");
        Ok(())
    })
    .await
}

/// The emails a person may turn off on their account page, besides the new lessons' digest.
pub const MAIL_KINDS: [crate::kernel::states::NotificationKind; 3] =
    [crate::kernel::states::NotificationKind::Review, crate::kernel::states::NotificationKind::Certificate, crate::kernel::states::NotificationKind::Message];

/// The student's own settings: name, language (used before the browser's), and which emails
/// they want (`mail[digest]`, `mail[review]`… ticked = wanted).
#[server(endpoint = "save_profile")]
pub async fn save_profile(first_name: String, last_name: String, locale: String, mail: Option<std::collections::HashMap<String, String>>, next: Option<String>) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::db::{int, text};
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let user = ctx.viewer.user.clone().ok_or(AppError::LoginRequired)?;
        let (first_name, last_name) = match (crate::kernel::validate::person_name(&first_name), crate::kernel::validate::person_name(&last_name)) {
            (Ok(f), Ok(l)) => (f, l),
            (Err(code), _) | (_, Err(code)) => {
                redirect(&crate::kernel::url::with_error("/account", code, &[]));
                return Ok(());
            }
        };
        let locale = crate::kernel::i18n::Locale::parse(&locale).map(|l| l.code());
        let mail = mail.unwrap_or_default();
        let wanted = |kind: &str| mail.get(kind).is_some_and(|v| v == "on");
        let off: Vec<&str> = MAIL_KINDS.iter().map(|k| k.as_str()).filter(|k| !wanted(k)).collect();
        let display = format!("{first_name} {last_name}").trim().to_string();
        let sdb = crate::kernel::request::school_db(school.id)?;
        let mut writes = vec![sdb.stmt(
            "UPDATE @users SET first_name = ?3, last_name = ?4, display_name = ?5, locale = ?6, mail_off = ?7, digest_opt_out = ?8 WHERE id = ?2",
            &[int(user.id), text(&first_name), text(&last_name), text(&display), locale.map(text).unwrap_or(wasm_bindgen::JsValue::NULL), text(&off.join(",")), int(if wanted("digest") { 0 } else { 1 })],
        )?];
        // Certificates issued before the student gave a name take it now.
        if !display.is_empty() {
            writes.push(crate::features::certificates::server::name_unnamed(&sdb, user.id, &display)?);
        }
        sdb.batch(writes).await?;
        // The interface speaks the chosen language from the next page on (the account's choice
        // wins over this browser's); the school's language: the browser's switch is forgotten.
        match locale {
            Some(code) => set_cookie(&crate::kernel::cookies::set(crate::kernel::cookies::LANG_COOKIE, code, 365 * 24 * 3600)),
            None => set_cookie(&crate::kernel::cookies::clear(crate::kernel::cookies::LANG_COOKIE)),
        }
        match next.as_deref().and_then(crate::kernel::next::safe_next) {
            Some(back) => redirect(back),
            None => redirect("/account?ok=saved"),
        }
        Ok(())
    })
    .await
}
