//! The school's Stripe account (admin Worker): connect it by pasting its secret key and the
//! webhook's signing secret; they are sealed at once and never shown back.

use crate::features::payments::types::PaymentSettings;
use crate::kernel::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

crate::kernel::page_data! {
    pub async fn load_payment_settings() -> Result<PaymentSettings, AppError> {
        let (ctx, school_id) = owner()?;
        let school = require_school(&ctx)?;
        let sdb = crate::kernel::request::school_db(school_id)?;
        let row: Option<serde_json::Value> = sdb.first("SELECT test_mode, currency, tax_inclusive FROM @school_payments", &[]).await?;
        Ok(PaymentSettings {
            connected: row.is_some(),
            test_mode: row.as_ref().and_then(|r| r["test_mode"].as_i64()) == Some(1),
            currency: row.as_ref().and_then(|r| r["currency"].as_str()).unwrap_or("EUR").to_string(),
            tax_inclusive: row.as_ref().and_then(|r| r["tax_inclusive"].as_i64()) != Some(0),
            webhook_url: format!("{}/hooks/stripe", ctx.config.school_url(&school.slug)),
            available: ctx.config.payments_key.is_some(),
        })
    }
}

#[server(prefix = "/admin/api", endpoint = "save_payment_settings")]
pub async fn save_payment_settings(secret_key: String, webhook_secret: String, currency: String) -> Result<(), AppError> {
    send(async move {
        use crate::features::payments::rules::{parse_secret_key, parse_webhook_secret};
        let (ctx, school_id) = owner()?;
        let back = |key: &str| {
            // The keys are never put back in the URL: only the currency is kept.
            redirect(&format!("{}#payments", crate::kernel::url::with_error("/admin/settings", key, &[])));
            Ok(())
        };
        let test_mode = match parse_secret_key(&secret_key) {
            Ok(t) => t,
            Err(key) => return back(key),
        };
        if let Err(key) = parse_webhook_secret(&webhook_secret) {
            return back(key);
        }
        let Some(currency) = crate::features::offers::rules::Currency::parse(currency.trim()) else { return back("currency_invalid") };
        if ctx.config.payments_key.is_none() {
            return back("payments_not_configured");
        }
        let sdb = crate::kernel::request::school_db(school_id)?;
        crate::features::payments::server::connect(&sdb, &ctx.config, secret_key.trim(), webhook_secret.trim(), test_mode, currency, ctx.now_ms).await?;
        embeds_changed(sdb.d1(), school_id, ctx.now_ms).await?;
        redirect("/admin/settings?ok=payments_saved#payments");
        Ok(())
    })
    .await
}

/// Whether the school's prices include taxes (a connected school only).
#[server(prefix = "/admin/api", endpoint = "save_tax_setting")]
pub async fn save_tax_setting(tax_inclusive: Option<String>) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::db::int;
        let (ctx, school_id) = owner()?;
        let sdb = crate::kernel::request::school_db(school_id)?;
        sdb.run("UPDATE @school_payments SET tax_inclusive = ?2, updated_at = ?3", &[int(tax_inclusive.is_some() as i64), int(ctx.now_ms)]).await?;
        // Prices on the public pages say whether they include taxes.
        embeds_changed(sdb.d1(), school_id, ctx.now_ms).await?;
        redirect("/admin/settings?ok=payments_saved#payments");
        Ok(())
    })
    .await
}
