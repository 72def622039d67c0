//! Trial lessons, the creator's side: switch a lesson's trial on or off, regenerate its embed
//! id (old embeds stop), the school's colour and the sites allowed to embed, and the daily
//! numbers. Every change supersedes the school's cached embeds (`kernel::content_version::bump`).

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

/// The numbers shown for this many days (the school's days).
pub const STATS_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbedDay {
    pub day: String,
    pub views: i64,
    pub cta_clicks: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrialSettings {
    pub trial: bool,
    /// The lesson and its course are published: the public page and embed show it.
    pub live: bool,
    pub public_url: String,
    pub embed_url: Option<String>,
    pub snippet: Option<String>,
    pub days: Vec<EmbedDay>,
    pub total_views: i64,
    pub total_clicks: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbedSettings {
    pub brand_color: String,
    pub embed_sites: String,
}

crate::kernel::page_data! {
    pub async fn load_trial(course_id: i64, lesson_id: i64) -> Result<TrialSettings, AppError> {
        ssr_impl::load_trial(course_id, lesson_id).await
    }
}

#[server(prefix = "/admin/api", endpoint = "set_trial")]
pub async fn set_trial(course_id: String, lesson_id: String, trial: Option<String>) -> Result<(), AppError> {
    send(async move { ssr_impl::set_trial(course_id, lesson_id, trial.is_some()).await }).await
}

#[server(prefix = "/admin/api", endpoint = "regenerate_embed")]
pub async fn regenerate_embed(course_id: String, lesson_id: String, confirm: Option<String>) -> Result<(), AppError> {
    send(async move { ssr_impl::regenerate_embed(course_id, lesson_id, confirm.is_some()).await }).await
}

crate::kernel::page_data! {
    pub async fn load_embed_settings() -> Result<EmbedSettings, AppError> {
        ssr_impl::load_embed_settings().await
    }
}

#[server(prefix = "/admin/api", endpoint = "save_embed_settings")]
pub async fn save_embed_settings(brand_color: String, embed_sites: String) -> Result<(), AppError> {
    send(async move { ssr_impl::save_embed_settings(brand_color, embed_sites).await }).await
}

#[cfg(feature = "ssr")]
mod ssr_impl {
    use super::*;
    use crate::features::trial::rules::{BrandColor, FramingPolicy};
    use crate::kernel::token::new_public_id;
    use crate::kernel::db::{first, int, rows, run, text};
    use crate::kernel::request::{db, school_db};


    #[derive(Deserialize)]
    struct TrialRow {
        trial: i64,
        embed_id: Option<String>,
        title: String,
        lesson_status: String,
        course_status: String,
        course_slug: String,
    }

    pub async fn load_trial(course_id: i64, lesson_id: i64) -> Result<TrialSettings, AppError> {
        let (ctx, school_id) = owner()?;
        let db = school_db(school_id)?;
        let since = crate::kernel::time::local_day(ctx.now_ms - (STATS_DAYS - 1) * crate::kernel::session::DAY_MS, ctx.viewer.time_zone());
        let results = db
            .batch(vec![
                db.stmt(
                    "SELECT l.trial, l.embed_id, l.title, l.status AS lesson_status, c.status AS course_status, c.slug AS course_slug
                     FROM @lessons l JOIN @courses c ON c.id = l.course_id
                     WHERE l.id = ?2 AND l.course_id = ?3",
                    &[int(lesson_id), int(course_id)],
                )?,
                db.stmt("SELECT day, views, cta_clicks FROM @embed_stats WHERE lesson_id = ?2 AND day >= ?3 ORDER BY day DESC", &[int(lesson_id), text(&since)])?,
            ])
            .await?;
        let row = rows::<TrialRow>(&results[0])?.into_iter().next().ok_or(AppError::NotFound)?;
        let days = rows::<EmbedDay>(&results[1])?;
        let school_url = ctx.config.school_url(&require_school(&ctx)?.slug);
        let embed_id = row.embed_id.filter(|_| row.trial != 0);
        Ok(TrialSettings {
            trial: row.trial != 0,
            live: row.lesson_status == "published" && row.course_status == "published",
            public_url: format!("{school_url}/courses/{}/lessons/{lesson_id}", row.course_slug),
            embed_url: embed_id.as_ref().map(|id| format!("{school_url}/embed/{id}")),
            snippet: embed_id.as_ref().map(|id| crate::features::trial::render::snippet(&school_url, id, &row.title)),
            total_views: days.iter().map(|d| d.views).sum(),
            total_clicks: days.iter().map(|d| d.cta_clicks).sum(),
            days,
        })
    }

    /// On: the lesson gets an embed id the first time (switching off and on again keeps it, so
    /// the creator's existing embeds come back). Off: public page and embeds say "not available".
    pub async fn set_trial(course_id: String, lesson_id: String, trial: bool) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let (course_id, lesson_id) = (parse_id(&course_id)?, parse_id(&lesson_id)?);
        let db = school_db(school_id)?;
        let updated: Option<serde_json::Value> = db
            .first(
                "UPDATE @lessons SET trial = ?2, embed_id = COALESCE(embed_id, ?3), updated_at = ?4 WHERE id = ?5 AND course_id = ?6 RETURNING id",
                &[int(trial as i64), text(&new_public_id()), int(ctx.now_ms), int(lesson_id), int(course_id)],
            )
            .await?;
        updated.ok_or(AppError::NotFound)?;
        embeds_changed(db.d1(), school_id, ctx.now_ms).await?;
        redirect(&format!("/admin/courses/{course_id}/lessons/{lesson_id}?ok={}#trial", if trial { "trial_on" } else { "trial_off" }));
        Ok(())
    }

    pub async fn regenerate_embed(course_id: String, lesson_id: String, confirmed: bool) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let (course_id, lesson_id) = (parse_id(&course_id)?, parse_id(&lesson_id)?);
        let form = format!("/admin/courses/{course_id}/lessons/{lesson_id}");
        if !confirmed {
            redirect(&format!("{}#trial", crate::kernel::url::with_error(&form, "embed_regenerate_confirm_needed", &[])));
            return Ok(());
        }
        let db = school_db(school_id)?;
        let updated: Option<serde_json::Value> = db
            .first(
                "UPDATE @lessons SET embed_id = ?2, updated_at = ?3 WHERE id = ?4 AND course_id = ?5 AND trial = 1 RETURNING id",
                &[text(&new_public_id()), int(ctx.now_ms), int(lesson_id), int(course_id)],
            )
            .await?;
        updated.ok_or(AppError::NotFound)?;
        embeds_changed(db.d1(), school_id, ctx.now_ms).await?;
        redirect(&format!("{form}?ok=embed_regenerated#trial"));
        Ok(())
    }

    pub async fn load_embed_settings() -> Result<EmbedSettings, AppError> {
        let (_, school_id) = owner()?;
        first(&db()?, "SELECT brand_color, embed_sites FROM schools WHERE id = ?1", &[int(school_id)]).await?.ok_or(AppError::NotFound)
    }

    /// The colour and the allowed sites, each checked; a wrong line is named and nothing is
    /// saved (what was typed comes back to the form).
    pub async fn save_embed_settings(brand_color: String, embed_sites: String) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let back = |key: &str, line: Option<usize>| {
            let line = line.map(|l| l.to_string()).unwrap_or_default();
            // Long lists do not travel back in the URL: the message names the line.
            let typed = if embed_sites.len() <= 1500 { embed_sites.as_str() } else { "" };
            redirect(&format!("{}#embeds", crate::kernel::url::with_error("/admin/settings", key, &[("line", &line), ("embed_sites", typed), ("brand_color", &brand_color)])));
            Ok(())
        };
        let Some(color) = BrandColor::parse(&brand_color) else { return back("brand_color_invalid", None) };
        // The school's colour carries white text (buttons): refused if it would be unreadable.
        if crate::kernel::color::Rgb::parse(&color.css()).is_some_and(|c| c.readable_with_white().is_err()) {
            return back("color_unreadable", None);
        }
        let policy = match FramingPolicy::parse(&embed_sites) {
            Ok(p) => p,
            Err(e) => return back(e.code, Some(e.line)),
        };
        // Stored as the parsed list: one normalised origin per line.
        let sites = match &policy {
            FramingPolicy::AnySite => String::new(),
            FramingPolicy::Only(sites) => sites.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"),
        };
        let db = db()?;
        run(&db, "UPDATE schools SET brand_color = ?1, embed_sites = ?2 WHERE id = ?3", &[text(&color.css()), text(&sites), int(school_id)]).await?;
        embeds_changed(&db, school_id, ctx.now_ms).await?;
        redirect("/admin/settings?ok=saved#embeds");
        Ok(())
    }
}
