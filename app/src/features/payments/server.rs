//! Payments, the I/O: a school's sealed keys, Stripe's Checkout Session API (over `fetch`,
//! form-encoded, the school's secret key), and the webhook that alone marks orders paid.

use crate::features::offers::rules::Currency;
use crate::features::payments::crypto;
use crate::features::payments::rules::{read_event, verify_signature, CheckoutRequest, Completed, Event};
use crate::kernel::config::Config;
use crate::kernel::db::{int, opt_int, text, SchoolDb};
use crate::kernel::error::AppError;
use serde::Deserialize;

/// A school's Stripe account, its keys opened.
pub struct Connected {
    pub secret_key: String,
    pub webhook_secret: String,
    pub test_mode: bool,
    pub currency: Currency,
    pub tax_inclusive: bool,
}

#[derive(Deserialize)]
struct PaymentsRow {
    secret_key_sealed: String,
    webhook_secret_sealed: String,
    test_mode: i64,
    currency: Currency,
    tax_inclusive: i64,
}

/// The school's account, if it connected one (and this Worker holds the key that opens it).
pub async fn connected(sdb: &SchoolDb, config: &Config) -> Result<Option<Connected>, AppError> {
    let (Some(key), Some(school_id)) = (config.payments_key, sdb.school_id()) else { return Ok(None) };
    let Some(row) = sdb.first::<PaymentsRow>("SELECT secret_key_sealed, webhook_secret_sealed, test_mode, currency, tax_inclusive FROM @school_payments", &[]).await? else { return Ok(None) };
    let (Some(secret_key), Some(webhook_secret)) = (crypto::open(&key, school_id, &row.secret_key_sealed), crypto::open(&key, school_id, &row.webhook_secret_sealed)) else {
        worker::console_error!("school {school_id}: its Stripe keys do not open with this PAYMENTS_KEY");
        return Ok(None);
    };
    Ok(Some(Connected { secret_key, webhook_secret, test_mode: row.test_mode != 0, currency: row.currency, tax_inclusive: row.tax_inclusive != 0 }))
}

/// Seals and stores a school's keys (replacing any).
pub async fn connect(sdb: &SchoolDb, config: &Config, secret_key: &str, webhook_secret: &str, test_mode: bool, currency: Currency, now: i64) -> Result<(), AppError> {
    let (Some(key), Some(school_id)) = (config.payments_key, sdb.school_id()) else { return Err(AppError::Internal) };
    let seal = |plain: &str| crypto::seal(&key, school_id, plain, crate::kernel::token::random_bytes::<12>());
    sdb.run(
        "INSERT INTO @school_payments (secret_key_sealed, webhook_secret_sealed, test_mode, currency, updated_at) VALUES (?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (school_id) DO UPDATE SET secret_key_sealed = excluded.secret_key_sealed, webhook_secret_sealed = excluded.webhook_secret_sealed,
            test_mode = excluded.test_mode, currency = excluded.currency, updated_at = excluded.updated_at",
        &[text(&seal(secret_key)), text(&seal(webhook_secret)), int(test_mode as i64), text(currency.as_str()), int(now)],
    )
    .await?;
    Ok(())
}

#[derive(Deserialize)]
struct SessionReply {
    id: String,
    url: String,
}

/// Creates a Checkout Session; returns its id and the page to send the buyer to.
pub async fn create_checkout_session(config: &Config, account: &Connected, request: &CheckoutRequest) -> Result<(String, String), AppError> {
    use worker::{Fetch, Headers, Method, Request, RequestInit};
    let headers = Headers::new();
    headers.set("authorization", &format!("Bearer {}", account.secret_key))?;
    headers.set("content-type", "application/x-www-form-urlencoded")?;
    // The order id: a retried request never makes a second session.
    headers.set("idempotency-key", &request.order_id)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(wasm_bindgen::JsValue::from_str(&request.form())));
    let req = Request::new_with_init(&format!("{}/v1/checkout/sessions", config.stripe_api), &init)?;
    let mut res = Fetch::Request(req).send().await.map_err(|e| {
        worker::console_error!("Stripe unreachable: {e}");
        AppError::Internal
    })?;
    let body = res.text().await?;
    if res.status_code() != 200 {
        worker::console_error!("Stripe refused the checkout session ({}): {}", res.status_code(), body.chars().take(300).collect::<String>());
        return Err(AppError::Internal);
    }
    let reply: SessionReply = serde_json::from_str(&body).map_err(|_| AppError::Internal)?;
    Ok((reply.id, reply.url))
}

/// What the webhook answered (Stripe retries anything but 2xx).
#[derive(Debug, PartialEq, Eq)]
pub enum HookAnswer {
    Done(&'static str),
    /// No such school, or no account connected.
    NotFound,
    Refused(&'static str),
    /// Try again later.
    Unavailable,
}

#[derive(Deserialize)]
struct OrderRow {
    id: String,
    offer_id: i64,
    course_id: i64,
    email: String,
    amount_minor: i64,
    currency: String,
    status: crate::features::payments::rules::OrderStatus,
    user_id: Option<i64>,
    refund_ends_access: i64,
    access_kind: crate::features::offers::rules::AccessKind,
    access_days: Option<i64>,
    access_until: Option<i64>,
    course_title: String,
    course_slug: String,
    offer_name: String,
    first_lesson: Option<i64>,
    /// An upgrade: the offer the buyer moves from.
    upgrade_from: Option<i64>,
    cohort_start: Option<i64>,
}

const ORDER: &str = "SELECT r.id, r.offer_id, r.course_id, r.email, r.amount_minor, r.currency, r.status, r.user_id, r.upgrade_from,
        o.refund_ends_access, o.access_kind, o.access_days, o.access_until, o.cohort_start, c.title AS course_title, c.slug AS course_slug, o.name AS offer_name,
        (SELECT l.id FROM @lessons l WHERE l.course_id = c.id AND l.status = 'published' ORDER BY l.position, l.id LIMIT 1) AS first_lesson
    FROM @orders r JOIN @offers* o ON o.id = r.offer_id JOIN @courses* c ON c.id = r.course_id";

#[derive(Deserialize)]
struct SchoolRow {
    id: i64,
    slug: String,
    name: String,
    default_locale: String,
    time_zone: String,
}

/// `POST /hooks/stripe` on a school's host: a signed event from the school's own account.
/// The event id is written in the same batch as its effects, so a replayed or duplicated
/// delivery changes nothing.
pub async fn webhook(db: &worker::D1Database, config: &Config, slug: &str, body: &str, signature: &str, now_ms: i64) -> Result<HookAnswer, AppError> {
    let Some(school) = crate::kernel::db::first::<SchoolRow>(db, "SELECT id, slug, name, default_locale, time_zone FROM schools WHERE slug = ?1", &[text(slug)]).await? else {
        return Ok(HookAnswer::NotFound);
    };
    let sdb = SchoolDb::new(db, school.id);
    let Some(account) = connected(&sdb, config).await? else { return Ok(HookAnswer::NotFound) };
    if verify_signature(&account.webhook_secret, signature, body.as_bytes(), now_ms / 1000).is_err() {
        return Ok(HookAnswer::Refused("bad signature"));
    }
    let Some((event_id, event)) = read_event(body) else { return Ok(HookAnswer::Refused("not an event")) };
    let seen: Option<serde_json::Value> = sdb.first("SELECT id FROM @payment_events WHERE id = ?2", &[text(&event_id)]).await?;
    if seen.is_some() {
        return Ok(HookAnswer::Done("already handled"));
    }
    let kind = match &event {
        Event::Completed(_) => "checkout.session.completed",
        Event::Expired { .. } => "checkout.session.expired",
        Event::Refunded { .. } => "charge.refunded",
        Event::Other => "other",
    };
    let record = sdb.stmt("INSERT INTO @payment_events (id, type, received_at) VALUES (?2, ?3, ?4)", &[text(&event_id), text(kind), int(now_ms)])?;
    let mut statements = vec![record];
    let answer = match event {
        Event::Completed(paid) => paid_order(&sdb, config, &school, &paid, now_ms, &mut statements).await?,
        Event::Expired { order_id } => {
            statements.push(sdb.stmt("UPDATE @orders SET status = 'failed' WHERE id = ?2 AND status = 'pending'", &[text(&order_id)])?);
            "failed"
        }
        Event::Refunded { payment_intent, fully } => {
            let order: Option<OrderRow> = sdb.first(&format!("{ORDER} WHERE r.payment_intent = ?2"), &[text(&payment_intent)]).await?;
            match order {
                Some(o) if fully && o.status == crate::features::payments::rules::OrderStatus::Paid => {
                    statements.push(sdb.stmt("UPDATE @orders SET status = 'refunded', refunded_at = ?3 WHERE id = ?2 AND status = 'paid'", &[text(&o.id), int(now_ms)])?);
                    if o.refund_ends_access != 0 {
                        // Only the access this order gave: an enrollment from another offer stays,
                        // and a refunded upgrade goes back to the offer it started from.
                        statements.push(match o.upgrade_from {
                            Some(from) => sdb.stmt(
                                "UPDATE @enrollments SET offer_id = ?5 WHERE user_id = ?2 AND course_id = ?3 AND offer_id = ?4",
                                &[opt_int(o.user_id), int(o.course_id), int(o.offer_id), int(from)],
                            )?,
                            None => sdb.stmt(
                                "UPDATE @enrollments SET status = 'revoked' WHERE user_id = ?2 AND course_id = ?3 AND offer_id = ?4",
                                &[opt_int(o.user_id), int(o.course_id), int(o.offer_id)],
                            )?,
                        });
                    }
                    "refunded"
                }
                _ => "refund noted",
            }
        }
        Event::Other => "ignored",
    };
    match sdb.d1().batch(statements).await {
        Ok(_) => Ok(HookAnswer::Done(answer)),
        // The same event delivered twice at once: the other delivery wrote it, and this
        // batch (its effects with it) was refused whole.
        Err(e) if crate::kernel::db::is_unique_violation(&e) => Ok(HookAnswer::Done("already handled")),
        Err(e) => {
            worker::console_error!("payment event {event_id}: {e}");
            Ok(HookAnswer::Unavailable)
        }
    }
}

/// A completed checkout: the order paid, the buyer's account, the enrollment (never
/// shortening one already there), and the receipt with a link to the course. Only when
/// the order is still pending and the session paid exactly what the order says.
async fn paid_order(sdb: &SchoolDb, config: &Config, school: &SchoolRow, paid: &Completed, now: i64, statements: &mut Vec<worker::D1PreparedStatement>) -> Result<&'static str, AppError> {
    use crate::features::payments::rules::OrderStatus;
    let Some(order) = sdb.first::<OrderRow>(&format!("{ORDER} WHERE r.id = ?2"), &[text(&paid.order_id)]).await? else { return Ok("unknown order") };
    if order.status != OrderStatus::Pending {
        return Ok("order already settled");
    }
    // Taxes Stripe added on top (prices without taxes) are the state's, not the order's.
    if !paid.paid || paid.amount_subtotal != order.amount_minor || paid.amount_total < paid.amount_subtotal || paid.currency != order.currency {
        worker::console_error!("order {}: session {} paid {} {} (paid: {}), the order says {} {}", order.id, paid.session_id, paid.amount_total, paid.currency, paid.paid, order.amount_minor, order.currency);
        return Ok("amount mismatch");
    }
    // The buyer's account first (a separate, harmless write): the receipt's login link needs its id.
    // (A buyer's address merged into another account buys for that account.)
    let account = crate::features::merge::server::account_email(sdb, &order.email).await?;
    sdb.run("INSERT INTO @users (email, role, created_at) VALUES (?2, 'student', ?3) ON CONFLICT (school_id, email) DO NOTHING", &[text(&account), int(now)]).await?;
    let user: serde_json::Value = sdb.first("SELECT id, locale FROM @users WHERE email = ?2", &[text(&account)]).await?.ok_or(AppError::Internal)?;
    let user_id = user["id"].as_i64().ok_or(AppError::Internal)?;
    let access_start = crate::features::offers::rules::access_start(order.cohort_start, now);
    let access_end = crate::features::offers::rules::Access::from_columns(order.access_kind, order.access_days, order.access_until).end(access_start);
    statements.push(sdb.stmt(
        "UPDATE @orders SET status = 'paid', paid_at = ?3, user_id = ?4, provider_session = ?5, payment_intent = ?6 WHERE id = ?2 AND status = 'pending'",
        &[text(&order.id), int(now), int(user_id), text(&paid.session_id), paid.payment_intent.as_deref().map(text).unwrap_or(wasm_bindgen::JsValue::NULL)],
    )?);
    statements.push(sdb.stmt(
        "INSERT INTO @enrollments (user_id, course_id, offer_id, access_start, access_end, status, created_at, next_notice_at, last_notice_at)
         VALUES (?2, ?3, ?4, ?7, ?6, 'active', ?5, ?5, ?5)
         ON CONFLICT (user_id, course_id) DO UPDATE SET status = 'active', offer_id = excluded.offer_id,
            access_end = CASE WHEN enrollments.access_end IS NULL OR excluded.access_end IS NULL THEN NULL ELSE MAX(enrollments.access_end, excluded.access_end) END",
        &[int(user_id), int(order.course_id), int(order.offer_id), int(now), opt_int(access_end), int(access_start)],
    )?);
    // The receipt: what was paid, and a link (a week) that opens the course.
    let locale = user["locale"].as_str().and_then(crate::kernel::i18n::Locale::parse).or_else(|| crate::kernel::i18n::Locale::parse(&school.default_locale)).unwrap_or_default();
    let currency = Currency::parse(&order.currency).unwrap_or(Currency::Eur);
    let amount = crate::features::offers::rules::Money { minor: order.amount_minor, currency }.format(locale);
    use crate::features::emails::rules::MailKind;
    let texts = crate::features::emails::server::load(sdb, MailKind::Receipt).await?;
    let letter = crate::features::emails::compose::Letter { kind: MailKind::Receipt, texts: &texts, values: vec![
        ("course_title", order.course_title.clone()),
        ("offer_name", order.offer_name.clone()),
        ("amount", amount),
        ("order_number", order.id[..8.min(order.id.len())].to_string()),
    ], footer: None };
    let next = match order.first_lesson {
        Some(l) => format!("/courses/{}/lessons/{l}", order.course_slug),
        None => format!("/courses/{}", order.course_slug),
    };
    let school_info = crate::kernel::viewer::SchoolInfo { id: school.id, slug: school.slug.clone(), name: school.name.clone(), time_zone: school.time_zone.clone(), logo_url: None, brand_color: None, header_color: None };
    let ctx = crate::kernel::request::RequestContext::for_system(config, now, school_info, locale, "stripe");
    let email = crate::kernel::email::Email::parse(&order.email).map_err(|_| AppError::Internal)?;
    let school_ref = crate::features::login::server::SchoolRef { id: school.id, slug: &school.slug, name: &school.name };
    let (mut mail, _) = crate::features::login::server::issue_with_letter(sdb.d1(), &ctx, &school_ref, Some(user_id), &email, locale, crate::features::login::server::Purpose::Invite, false, Some(&letter), Some(&next))?;
    statements.append(&mut mail);
    Ok("paid")
}
