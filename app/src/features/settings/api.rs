//! The school's settings: name, language, time zone and what an unknown email receives.

use crate::features::settings::types::SchoolSettings;
use crate::kernel::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[server(prefix = "/admin/api", endpoint = "school_settings")]
pub async fn load_settings() -> Result<SchoolSettings, AppError> {
    send(async move {
        use crate::kernel::db::{first, int};
        let ctx = ctx()?;
        let (school_id, _) = require_owner(&ctx.viewer)?;
        first(&crate::kernel::request::db()?, "SELECT name, default_locale, unknown_email_policy, time_zone FROM schools WHERE id = ?1", &[int(school_id)])
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// The school's time zone. Times are stored in UTC; rules ("09:00", "on 3 March") are read in
/// the school's zone, so changing it moves them: the first post shows what moves, the second
/// (`confirm=yes`) changes it.
#[server(prefix = "/admin/api", endpoint = "save_time_zone")]
pub async fn save_time_zone(time_zone: String, confirm: Option<String>) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::db::{int, run, text};
        let ctx = ctx()?;
        let (school_id, _) = require_owner(&ctx.viewer)?;
        let Some(zone) = crate::kernel::time::parse_zone(&time_zone) else {
            redirect(&format!("{}#time-zone", crate::kernel::url::with_error("/admin/settings", "time_zone_invalid", &[("time_zone", &time_zone)])));
            return Ok(());
        };
        if zone == ctx.viewer.time_zone() {
            redirect("/admin/settings?ok=saved#time-zone");
            return Ok(());
        }
        if confirm.as_deref() != Some("yes") {
            redirect(&format!("/admin/settings?confirm_zone={}#time-zone", crate::kernel::url::encode(zone)));
            return Ok(());
        }
        let db = crate::kernel::request::db()?;
        run(&db, "UPDATE schools SET time_zone = ?1 WHERE id = ?2", &[text(zone), int(school_id)]).await?;
        embeds_changed(&db, school_id, ctx.now_ms).await?;
        redirect("/admin/settings?ok=time_zone_saved#time-zone");
        Ok(())
    })
    .await
}

#[server(prefix = "/admin/api", endpoint = "save_settings")]
pub async fn save_settings(name: String, default_locale: String, unknown_email_policy: String) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::validate;
        use crate::kernel::db::{int, run, text};
        let ctx = ctx()?;
        let (school_id, _) = require_owner(&ctx.viewer)?;
        let back = |key: &str| {
            redirect(&crate::kernel::url::with_error("/admin/settings", key, &[]));
            Ok(())
        };
        let Ok(name) = validate::title(&name, validate::SCHOOL_NAME_MAX) else { return back("name_required") };
        let Some(locale) = crate::kernel::i18n::Locale::parse(&default_locale) else { return back("bad_request") };
        if !matches!(unknown_email_policy.as_str(), "silent" | "notify") {
            return back("bad_request");
        }
        let db = crate::kernel::request::db()?;
        run(
            &db,
            "UPDATE schools SET name = ?1, default_locale = ?2, unknown_email_policy = ?3 WHERE id = ?4",
            &[text(&name), text(locale.code()), text(&unknown_email_policy), int(school_id)],
        )
        .await?;
        // The school's name and language are on its embeds.
        embeds_changed(&db, school_id, ctx.now_ms).await?;
        redirect("/admin/settings?ok=saved");
        Ok(())
    })
    .await
}
