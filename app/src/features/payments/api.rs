//! Buying an offer (student Worker): the order is created pending, the Checkout Session
//! with the offer's own price, and the buyer goes to Stripe. Coming back proves nothing:
//! the return page waits for the signed webhook.

use crate::features::payments::types::OrderView;
use crate::kernel::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[server(endpoint = "checkout")]
pub async fn checkout(offer_id: String, email: Option<String>, coupon: Option<String>) -> Result<(), AppError> {
    send(async move { ssr_impl::checkout(&offer_id, email.as_deref(), coupon.as_deref()).await }).await
}

/// From the return page, once paid: a login code for the order's email (the usual login:
/// the code or the receipt's link opens the course in this browser).
#[server(endpoint = "order_login")]
pub async fn order_login(id: String) -> Result<(), AppError> {
    send(async move { ssr_impl::order_login(&id).await }).await
}

crate::kernel::page_data! {
    pub async fn load_order(id: String) -> Result<OrderView, AppError> { ssr_impl::load_order(&id).await }
}

#[cfg(feature = "ssr")]
mod ssr_impl {
    use super::*;
    use crate::features::offers::rules::Money;
    use crate::features::offers::server::Purchase;
    use crate::features::payments::rules::CheckoutRequest;
    use crate::kernel::db::{int, text};
    use crate::kernel::email::Email;
    use crate::kernel::url::with_error;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct CouponRow {
        id: i64,
        kind: crate::features::payments::rules::CouponKind,
        value: i64,
        offer_id: Option<i64>,
        expires_at: Option<i64>,
        max_uses: Option<i64>,
        used: i64,
    }

    pub async fn checkout(offer_id: &str, email: Option<&str>, coupon: Option<&str>) -> Result<(), AppError> {
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let sdb = crate::kernel::request::school_db(school.id)?;
        let id = parse_id(offer_id)?;
        let target = crate::features::offers::server::load_target(&sdb, id).await?.ok_or(AppError::NotFound)?;
        let page = target.page();
        let keep = [("email", email.unwrap_or("")), ("coupon", coupon.unwrap_or(""))];
        let back = |key: &str| target.refuse(key, &keep);
        let now = ctx.now_ms;
        if let Err(key) = target.offer.joinable(now) {
            return back(key);
        }
        let price = target.offer.price();
        if price.is_free() {
            return back("offer_is_free");
        }
        // A logged-in buyer pays as themselves; a visitor gives the email their access goes to.
        let email = match (&ctx.viewer.user, email) {
            (Some(u), _) => Email::parse(&u.email).map_err(|_| AppError::Internal)?,
            (None, typed) => match Email::parse(typed.unwrap_or("")) {
                Ok(e) => e,
                Err(e) => return back(e.code()),
            },
        };
        // A student of a smaller offer pays the difference; one who has it (or more) buys nothing.
        let purchase = match &ctx.viewer.user {
            Some(u) => match crate::features::offers::server::purchase_for(&sdb, u.id, &target, now).await? {
                Ok(p) => p,
                Err(key) => return back(key),
            },
            None => Purchase::Join,
        };
        let (upgrade_from, base) = match purchase {
            Purchase::Join => (None, price.minor),
            Purchase::Upgrade { from, price_minor } => (Some(from), price_minor),
        };
        // A coupon, checked and applied here: the amount is never the browser's.
        let mut amount = base;
        let mut applied: Option<(i64, String)> = None;
        if let Some(typed) = coupon.filter(|c| !c.trim().is_empty()) {
            use crate::features::payments::rules::{coupon_applies, discounted, parse_coupon_code, MIN_CHARGE_MINOR};
            let Ok(code) = parse_coupon_code(typed) else { return back("coupon_unknown") };
            let found: Option<CouponRow> = sdb
                .first(
                    "SELECT k.id, k.kind, k.value, k.offer_id, k.expires_at, k.max_uses,
                        (SELECT COUNT(*) FROM @orders r WHERE r.coupon_id = k.id AND r.status = 'paid') AS used
                     FROM @coupons k WHERE k.code = ?2",
                    &[text(&code)],
                )
                .await?;
            let Some(k) = found else { return back("coupon_unknown") };
            if let Err(key) = coupon_applies(k.offer_id, id, k.expires_at, k.max_uses, k.used, now) {
                return back(key);
            }
            amount = discounted(base, k.kind, k.value);
            if amount < MIN_CHARGE_MINOR {
                return back("coupon_too_large");
            }
            applied = Some((k.id, code));
        }
        let Some(account) = crate::features::payments::server::connected(&sdb, &ctx.config).await? else { return back("payment_unavailable") };
        let order_id = crate::kernel::token::new_public_id();
        let school_url = ctx.config.school_url(&school.slug);
        let request = CheckoutRequest {
            order_id: order_id.clone(),
            product_name: {
                let offer = match upgrade_from {
                    Some(_) => crate::kernel::i18n::t(ctx.viewer.locale, "order_upgrade_to").replace("{offer}", &target.offer.name),
                    None => target.offer.name.clone(),
                };
                match &applied {
                    Some((_, code)) => format!("{} – {offer} ({code})", target.title),
                    None => format!("{} – {offer}", target.title),
                }
            },
            amount_minor: amount,
            currency: price.currency.as_str().to_ascii_lowercase(),
            email: email.as_str().to_string(),
            success_url: format!("{school_url}/checkout/{order_id}"),
            cancel_url: format!("{school_url}{page}?error=checkout_cancelled#offers"),
            tax_inclusive: account.tax_inclusive,
        };
        // The order exists before the buyer leaves: the webhook has something to settle.
        sdb.run(
            "INSERT INTO @orders (id, offer_id, course_id, email, amount_minor, currency, status, test_mode, created_at, coupon_id, discount_minor, upgrade_from)
             VALUES (?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?9, ?10, ?11, ?12)",
            &[
                text(&order_id),
                int(id),
                int(target.offer.course_id),
                text(email.as_str()),
                int(amount),
                text(price.currency.as_str()),
                int(account.test_mode as i64),
                int(now),
                crate::kernel::db::opt_int(applied.as_ref().map(|(k, _)| *k)),
                int(base - amount),
                crate::kernel::db::opt_int(upgrade_from),
            ],
        )
        .await?;
        match crate::features::payments::server::create_checkout_session(&ctx.config, &account, &request).await {
            Ok((session, url)) => {
                sdb.run("UPDATE @orders SET provider_session = ?3 WHERE id = ?2", &[text(&order_id), text(&session)]).await?;
                redirect_to_provider(&ctx.config, &url);
                Ok(())
            }
            Err(_) => {
                sdb.run("UPDATE @orders SET status = 'failed' WHERE id = ?2 AND status = 'pending'", &[text(&order_id)]).await?;
                back("payment_unavailable")
            }
        }
    }

    /// The one redirect that leaves the school for somewhere else than the platform: the
    /// Checkout page the provider's API returned (https; the local stand-in in dev).
    fn redirect_to_provider(config: &crate::kernel::config::Config, url: &str) {
        if url.starts_with("https://") || (config.is_dev() && url.starts_with("http://127.0.0.1:")) {
            leptos_axum::redirect(url);
        } else {
            redirect("/");
        }
    }

    pub async fn order_login(id: &str) -> Result<(), AppError> {
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let row: Option<serde_json::Value> = crate::kernel::request::school_db(school.id)?
            .first("SELECT email FROM @orders WHERE id = ?2 AND status = 'paid'", &[text(id)])
            .await?;
        let Some(email) = row.and_then(|r| r["email"].as_str().and_then(|e| Email::parse(e).ok())) else { return Err(AppError::NotFound) };
        let order = load_order(id).await?;
        let db = crate::kernel::request::db()?;
        match crate::features::login::server::request_code(&db, &ctx, &email).await {
            Ok(done) => {
                set_cookie(&done.set_cookie);
                redirect(&format!("/login/code?email={}&next={}", crate::kernel::url::encode(email.as_str()), crate::kernel::url::encode(&order.next)));
                Ok(())
            }
            Err(crate::features::login::server::LoginFailureOr::Failure(f)) => {
                let (key, retry) = f.key_and_retry();
                let mut to = with_error(&format!("/checkout/{id}"), key, &[]);
                if let Some(at) = retry {
                    to.push_str(&format!("&retry={at}"));
                }
                redirect(&to);
                Ok(())
            }
            Err(crate::features::login::server::LoginFailureOr::Error(e)) => Err(e),
        }
    }

    #[derive(Deserialize)]
    struct OrderRow {
        id: String,
        status: String,
        email: String,
        amount_minor: i64,
        currency: String,
        course_title: String,
        course_slug: String,
        first_lesson: Option<i64>,
    }

    pub async fn load_order(id: &str) -> Result<OrderView, AppError> {
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let row: OrderRow = crate::kernel::request::school_db(school.id)?
            .first(
                "SELECT r.id, r.status, r.email, r.amount_minor, r.currency, c.title AS course_title, c.slug AS course_slug,
                    (SELECT l.id FROM @lessons l WHERE l.course_id = c.id AND l.status = 'published' ORDER BY l.position, l.id LIMIT 1) AS first_lesson
                 FROM @orders r JOIN @courses* c ON c.id = r.course_id WHERE r.id = ?2",
                &[text(id)],
            )
            .await?
            .ok_or(AppError::NotFound)?;
        let currency = crate::features::offers::rules::Currency::parse(&row.currency).unwrap_or(crate::features::offers::rules::Currency::Eur);
        Ok(OrderView {
            id: row.id,
            status: row.status,
            masked_email: Email::parse(&row.email).map(|e| e.masked()).unwrap_or_default(),
            email: if ctx.viewer.user.is_some() { row.email.clone() } else { String::new() },
            next: match row.first_lesson {
                Some(l) => format!("/courses/{}/lessons/{l}", row.course_slug),
                None => format!("/courses/{}", row.course_slug),
            },
            course_title: row.course_title,
            course_slug: row.course_slug,
            amount: Money { minor: row.amount_minor, currency }.format(ctx.viewer.locale),
        })
    }
}
