//! The school's settings: name, language, time zone and what an unknown email receives.

use crate::features::settings::types::SchoolSettings;
use crate::kernel::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

crate::kernel::page_data! {
    pub async fn load_settings() -> Result<SchoolSettings, AppError> {
        use crate::kernel::db::{first, int};
        let ctx = ctx()?;
        let (school_id, _) = require_owner(&ctx.viewer)?;
        let mut settings: SchoolSettings = first(
            &crate::kernel::request::db()?,
            "SELECT name, default_locale, unknown_email_policy, time_zone, slug, brand_color, header_color, welcome_md, cover_url, custom_domain,
                    custom_hostname_state, custom_hostname_records, custom_hostname_checked_at FROM schools WHERE id = ?1",
            &[int(school_id)],
        )
        .await?
        .ok_or(AppError::NotFound)?;
        settings.base_domain = ctx.config.base_domain.clone();
        Ok(settings)
    }
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

/// The school's look: buttons and links in `brand_color`, the header band in `header_color`
/// (empty: white), both refused if white text on them would be hard to read; the welcome text
/// on the school's home. Applied to every school page, the embeds and the emails.
#[server(prefix = "/admin/api", endpoint = "save_look")]
pub async fn save_look(brand_color: String, header_color: String, welcome_md: String, remove_cover: Option<String>) -> Result<(), AppError> {
    send(async move {
        use crate::features::settings::look;
        use crate::kernel::db::{int, opt_text, run, text};
        let ctx = ctx()?;
        let (school_id, _) = require_owner(&ctx.viewer)?;
        let locale = ctx.viewer.locale;
        let keep = [("brand_color", brand_color.as_str()), ("header_color", header_color.as_str()), ("welcome_md", welcome_md.as_str())];
        let back = |key: &str, which: &str, e: Option<look::ColourError>| {
            let ratio = e.map(|e| e.ratio(locale)).unwrap_or_default();
            let mut extra = keep.to_vec();
            extra.extend([("which", which), ("ratio", ratio.as_str())]);
            redirect(&format!("{}#look", crate::kernel::url::with_error("/admin/settings", key, &extra)));
            Ok(())
        };
        let brand = match look::colour(&brand_color) {
            Ok(c) => c,
            Err(e) => return back(e.key(), "brand_color", Some(e)),
        };
        let header = match header_color.trim() {
            "" => None,
            typed => match look::colour(typed) {
                Ok(c) => Some(c),
                Err(e) => return back(e.key(), "header_color", Some(e)),
            },
        };
        let welcome = welcome_md.trim();
        if welcome.chars().count() > look::WELCOME_MAX {
            return back("welcome_too_long", "", None);
        }
        if welcome.chars().any(crate::kernel::validate::is_stray_control) {
            return back("note_control_character", "", None);
        }
        let db = crate::kernel::request::db()?;
        run(
            &db,
            // The cover's file stays in the media library when it is taken off the home.
            "UPDATE schools SET brand_color = ?1, header_color = ?2, welcome_md = ?3, welcome_html = ?4, cover_url = CASE WHEN ?6 THEN NULL ELSE cover_url END WHERE id = ?5",
            &[
                text(&brand.hex()),
                opt_text(header.map(|h| h.hex()).as_deref()),
                text(welcome),
                // Rendered once, here (raw HTML in it stays text).
                text(&if welcome.is_empty() { String::new() } else { crate::features::lessons::markdown::render_markdown(welcome) }),
                int(school_id),
                int(remove_cover.is_some() as i64),
            ],
        )
        .await?;
        // The colour is on the embeds too.
        embeds_changed(&db, school_id, ctx.now_ms).await?;
        redirect("/admin/settings?ok=look_saved#look");
        Ok(())
    })
    .await
}

/// The school's own domain (`learn.example.com`; empty: none). The page then shows the DNS
/// records to add; requests for that host are served as the school's (`worker` routes them).
/// With Cloudflare for SaaS set up, the domain is registered there first (it gives the domain
/// its certificate), and a domain it refuses or cannot be asked about is not saved; the old
/// domain's registration is deleted. The same domain saved again asks Cloudflare where it
/// stands (the card's "Vérifier maintenant").
#[server(prefix = "/admin/api", endpoint = "save_domain")]
pub async fn save_domain(custom_domain: String) -> Result<(), AppError> {
    send(async move {
        use crate::features::settings::hostnames::{ssr_impl as saas, HostnameState, ProviderError};
        use crate::kernel::db::{batch, int, opt_text, rows, stmt};
        let ctx = ctx()?;
        let (school_id, _) = require_owner(&ctx.viewer)?;
        let back = |key: &str| {
            redirect(&format!("{}#domain", crate::kernel::url::with_error("/admin/settings", key, &[("custom_domain", custom_domain.as_str())])));
            Ok(())
        };
        let domain = match crate::features::settings::look::custom_domain(&custom_domain, &ctx.config.base_domain) {
            Ok(d) => d,
            Err(key) => return back(key),
        };
        let db = crate::kernel::request::db()?;
        let read = batch(
            &db,
            vec![
                // Another school has it (the unique index would refuse it too).
                stmt(&db, "SELECT id FROM schools WHERE custom_domain = ?1 AND id <> ?2", &[opt_text(domain.as_deref()), int(school_id)])?,
                stmt(&db, "SELECT custom_domain, custom_hostname_id FROM schools WHERE id = ?1", &[int(school_id)])?,
            ],
        )
        .await?;
        if !rows::<serde_json::Value>(&read[0])?.is_empty() {
            return back("domain_taken");
        }
        let current = rows::<serde_json::Value>(&read[1])?.into_iter().next().ok_or(AppError::NotFound)?;
        let old_hostname = current["custom_hostname_id"].as_str().map(String::from);
        // A domain saved before Cloudflare for SaaS was set up is registered when saved again.
        let unregistered = domain.is_some() && old_hostname.is_none() && ctx.config.saas.is_some();
        if current["custom_domain"].as_str() == domain.as_deref() && !unregistered {
            // The same domain again ("Vérifier maintenant"): where it stands at Cloudflare.
            let key = match (&old_hostname, &ctx.config.saas) {
                (Some(id), Some(api)) => match saas::refresh(&db, api, school_id, id, ctx.now_ms).await? {
                    Ok(HostnameState::Live) => "ok=domain_live",
                    Ok(HostnameState::Waiting) => "ok=domain_still_waiting",
                    Ok(HostnameState::Refused) => "error=domain_state_refused",
                    Err(e) => {
                        worker::console_error!("custom hostname {id} not read: {e:?}");
                        "error=domain_provider_down"
                    }
                },
                _ => "ok=domain_saved",
            };
            redirect(&format!("/admin/settings?{key}#domain"));
            return Ok(());
        }
        // Registered at Cloudflare before it is saved: a domain it refuses is never half set up.
        let registered = match (&domain, &ctx.config.saas) {
            (Some(d), Some(api)) => match saas::create(api, d).await {
                Ok(found) => Some(found),
                Err(e) => {
                    worker::console_error!("custom hostname {d} not registered: {e:?}");
                    return back(if matches!(e, ProviderError::Refused(_)) { "domain_provider_refused" } else { "domain_provider_down" });
                }
            },
            _ => None,
        };
        let records = registered.as_ref().map(|f| crate::features::settings::hostnames::DnsRecord::list_to_json(&f.records));
        let update = stmt(
            &db,
            "UPDATE schools SET custom_domain = ?1, custom_hostname_id = ?2, custom_hostname_state = ?3, custom_hostname_records = ?4, custom_hostname_checked_at = ?5 WHERE id = ?6",
            &[
                opt_text(domain.as_deref()),
                opt_text(registered.as_ref().map(|f| f.id.as_str())),
                opt_text(registered.as_ref().map(|f| f.state.as_str())),
                opt_text(records.as_deref()),
                registered.as_ref().map(|_| int(ctx.now_ms)).unwrap_or(wasm_bindgen::JsValue::NULL),
                int(school_id),
            ],
        )?;
        if let Err(e) = update.run().await {
            // Taken by another school in the meantime: the registration just made goes too.
            if let (Some(found), Some(api)) = (&registered, &ctx.config.saas) {
                let _ = saas::delete(api, &found.id).await;
            }
            return if crate::kernel::db::is_unique_violation(&e) { back("domain_taken") } else { Err(e.into()) };
        }
        // The old domain's registration: no longer served.
        if let (Some(old), Some(api)) = (&old_hostname, &ctx.config.saas) {
            if let Err(e) = saas::delete(api, old).await {
                worker::console_error!("old custom hostname {old} not deleted: {e:?}");
            }
        }
        crate::kernel::custom_domains::forget();
        let live = registered.as_ref().is_some_and(|f| f.state == HostnameState::Live);
        redirect(if live { "/admin/settings?ok=domain_live#domain" } else { "/admin/settings?ok=domain_saved#domain" });
        Ok(())
    })
    .await
}
