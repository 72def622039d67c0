//! Coupons (admin Worker): a percentage or an amount off, for one offer or all, until a
//! date, for a number of uses. Applied by checkout, on the server.

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

/// A coupon as the creator's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CouponView {
    pub code: String,
    /// "−20 %", "−10,00 €".
    pub value: String,
    /// The offer's name, or "all offers".
    pub offer: String,
    pub expires: String,
    /// "3 / 10 used", "3 used".
    pub uses: String,
}

/// An offer a coupon can name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaidOffer {
    pub id: i64,
    pub label: String,
}

crate::kernel::page_data! {
    pub async fn load_coupons() -> Result<(Vec<CouponView>, Vec<PaidOffer>), AppError> {
        ssr_impl::load().await
    }
}

#[server(prefix = "/admin/api", endpoint = "save_coupon")]
pub async fn save_coupon(code: String, kind: String, value: String, offer_id: String, expires: String, max_uses: String) -> Result<(), AppError> {
    send(async move { ssr_impl::save(&code, &kind, &value, &offer_id, &expires, &max_uses).await }).await
}

#[cfg(feature = "ssr")]
mod ssr_impl {
    use super::*;
    use crate::features::offers::rules::{parse_price, Currency, Money};
    use crate::features::payments::rules::{parse_coupon_code, CouponKind};
    use crate::kernel::db::{int, opt_int, text};
    use crate::kernel::i18n::{t, tn};

    #[derive(Deserialize)]
    struct Row {
        code: String,
        kind: CouponKind,
        value: i64,
        offer: Option<String>,
        currency: Option<Currency>,
        expires_at: Option<i64>,
        max_uses: Option<i64>,
        used: i64,
    }

    pub async fn load() -> Result<(Vec<CouponView>, Vec<PaidOffer>), AppError> {
        let (ctx, school_id) = owner()?;
        let (zone, locale) = (ctx.viewer.time_zone().to_string(), ctx.viewer.locale);
        let sdb = crate::kernel::request::school_db(school_id)?;
        let results = sdb
            .batch(vec![
                sdb.stmt(
                    "SELECT k.code, k.kind, k.value, o.name AS offer, (SELECT p.currency FROM @school_payments p) AS currency, k.expires_at, k.max_uses,
                        (SELECT COUNT(*) FROM @orders r WHERE r.coupon_id = k.id AND r.status = 'paid') AS used
                     FROM @coupons k LEFT JOIN @offers* o ON o.id = k.offer_id ORDER BY k.created_at DESC LIMIT 200",
                    &[],
                )?,
                sdb.stmt("SELECT o.id, c.title || ' – ' || o.name AS label FROM @offers o JOIN @courses c ON c.id = o.course_id WHERE o.price_minor > 0 ORDER BY c.title, o.position", &[])?,
            ])
            .await?;
        let coupons = crate::kernel::db::rows::<Row>(&results[0])?
            .into_iter()
            .map(|r| CouponView {
                value: match r.kind {
                    CouponKind::Percent => format!("−{}\u{a0}%", r.value),
                    CouponKind::Amount => format!("−{}", Money { minor: r.value, currency: r.currency.unwrap_or(Currency::Eur) }.format(locale)),
                },
                offer: r.offer.unwrap_or_else(|| t(locale, "coupon_all_offers").to_string()),
                expires: r.expires_at.map(|e| crate::kernel::time::date(e, &zone, locale)).unwrap_or_else(|| "—".into()),
                uses: match r.max_uses {
                    Some(m) => format!("{} / {m}", tn(locale, "coupon_used", r.used)),
                    None => tn(locale, "coupon_used", r.used),
                },
                code: r.code,
            })
            .collect();
        let offers = crate::kernel::db::rows::<PaidOffer>(&results[1])?;
        Ok((coupons, offers))
    }

    pub async fn save(code: &str, kind: &str, value: &str, offer_id: &str, expires: &str, max_uses: &str) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let keep = [("coupon_code", code), ("coupon_value", value)];
        let back = |key: &str| {
            redirect(&format!("{}#coupons", crate::kernel::url::with_error("/admin/settings", key, &keep)));
            Ok(())
        };
        let code = match parse_coupon_code(code) {
            Ok(c) => c,
            Err(key) => return back(key),
        };
        let Some(kind) = CouponKind::parse(kind) else { return back("coupon_kind_invalid") };
        let value = match kind {
            CouponKind::Percent => match value.trim().trim_end_matches('%').trim().parse::<i64>() {
                Ok(p) if (1..=100).contains(&p) => p,
                _ => return back("coupon_percent_invalid"),
            },
            CouponKind::Amount => match parse_price(value) {
                Ok(a) if a > 0 => a,
                _ => return back("coupon_amount_invalid"),
            },
        };
        let offer = match offer_id.trim() {
            "" => None,
            id => Some(parse_id(id)?),
        };
        let expires_at = match crate::kernel::validate::optional_date(expires) {
            Ok(d) => d.map(|d| crate::features::drip::rules::local_to_utc(d.and_hms_opt(23, 59, 0).unwrap_or_default(), crate::kernel::time::zone(ctx.viewer.time_zone()))),
            Err(key) => return back(key),
        };
        let max_uses = match max_uses.trim() {
            "" => None,
            n => match n.parse::<i64>() {
                Ok(n) if n >= 1 => Some(n),
                _ => return back("coupon_uses_invalid"),
            },
        };
        let sdb = crate::kernel::request::school_db(school_id)?;
        // A named offer must be this school's paid offer.
        if let Some(o) = offer {
            let found: Option<serde_json::Value> = sdb.first("SELECT id FROM @offers WHERE id = ?2 AND price_minor > 0", &[int(o)]).await?;
            if found.is_none() {
                return Err(AppError::NotFound);
            }
        }
        let saved = sdb
            .run(
                "INSERT INTO @coupons (code, kind, value, offer_id, expires_at, max_uses, created_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (school_id, code) DO NOTHING",
                &[text(&code), text(kind.as_str()), int(value), opt_int(offer), opt_int(expires_at), opt_int(max_uses), int(ctx.now_ms)],
            )
            .await?;
        if crate::kernel::db::changes(&saved) != 1 {
            return back("coupon_code_taken");
        }
        redirect("/admin/settings?ok=coupon_saved#coupons");
        Ok(())
    }
}
