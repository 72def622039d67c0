//! Payments, the pure rules: Stripe's webhook signature, the order states, the Checkout
//! Session request (its amount always the offer's, computed here), and what a key says
//! about itself. No I/O; unit-tested here.

use crate::kernel::states::stored_enum;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Stripe's default: an event signed longer ago than this is refused (a replay).
pub const SIGNATURE_TOLERANCE_S: i64 = 300;

stored_enum! {
    /// An order: created when the buyer goes to checkout, paid only by the signed webhook.
    OrderStatus in "orders.status" { Pending = "pending", Paid = "paid", Refunded = "refunded", Failed = "failed" }
}

/// Stripe refuses to charge less than this (50 cents in EUR, USD, GBP, CHF, CAD).
pub const MIN_CHARGE_MINOR: i64 = 50;
/// A coupon code: letters, digits and dashes, as people type them on a phone.
pub const MAX_CODE_CHARS: usize = 40;

stored_enum! {
    /// A coupon takes a percentage off, or a fixed amount.
    CouponKind in "coupons.kind" { Percent = "percent", Amount = "amount" }
}

/// The price after a coupon, in minor units: a percentage is rounded to the nearest cent
/// (half up), an amount is taken off; never below zero, never above the price.
pub fn discounted(price_minor: i64, kind: CouponKind, value: i64) -> i64 {
    let off = match kind {
        CouponKind::Percent => (price_minor * value.clamp(0, 100) + 50) / 100,
        CouponKind::Amount => value.max(0),
    };
    (price_minor - off).clamp(0, price_minor)
}

/// A code as typed: trimmed, upper-cased; letters, digits, `-` and `_` only.
pub fn parse_coupon_code(raw: &str) -> Result<String, &'static str> {
    let code = raw.trim().to_ascii_uppercase();
    if code.is_empty() || code.len() > MAX_CODE_CHARS || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err("coupon_code_invalid");
    }
    Ok(code)
}

/// Whether a coupon applies now to this offer (a message key otherwise).
pub fn coupon_applies(coupon_offer: Option<i64>, offer_id: i64, expires_at: Option<i64>, max_uses: Option<i64>, used: i64, now: i64) -> Result<(), &'static str> {
    if coupon_offer.is_some_and(|o| o != offer_id) {
        return Err("coupon_other_offer");
    }
    if expires_at.is_some_and(|e| e <= now) {
        return Err("coupon_expired");
    }
    if max_uses.is_some_and(|m| used >= m) {
        return Err("coupon_used_up");
    }
    Ok(())
}

/// Why a webhook is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// No `t=` or no `v1=` in the header.
    Malformed,
    /// Outside the tolerance.
    Stale,
    /// No `v1` matches.
    Mismatch,
}

/// Checks a `Stripe-Signature` header (`t=<unix s>,v1=<hex hmac>[,v1=...]`) over the raw
/// body, as Stripe's own libraries do: HMAC-SHA256 of `"{t}.{body}"` with the endpoint's
/// secret (the whole `whsec_...` string is the key), compared in constant time, and the
/// timestamp within `SIGNATURE_TOLERANCE_S` of now.
pub fn verify_signature(secret: &str, header: &str, body: &[u8], now_s: i64) -> Result<(), SignatureError> {
    let mut timestamp: Option<i64> = None;
    let mut signatures = vec![];
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse().ok(),
            Some(("v1", s)) => signatures.push(s),
            _ => {}
        }
    }
    let (Some(t), false) = (timestamp, signatures.is_empty()) else { return Err(SignatureError::Malformed) };
    if (now_s - t).abs() > SIGNATURE_TOLERANCE_S {
        return Err(SignatureError::Stale);
    }
    let expected = sign(secret, t, body);
    if signatures.iter().any(|s| crate::kernel::token::constant_time_eq(s, &expected)) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The `v1` signature of a payload at time `t` (hex).
pub fn sign(secret: &str, t: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// A secret key as the creator pastes it: `sk_test_...` or `sk_live_...` (or a restricted
/// `rk_`), nothing else. Returns whether it is a test key.
pub fn parse_secret_key(key: &str) -> Result<bool, &'static str> {
    let key = key.trim();
    let test = key.starts_with("sk_test_") || key.starts_with("rk_test_");
    let live = key.starts_with("sk_live_") || key.starts_with("rk_live_");
    if !(test || live) || key.len() < 20 || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err("stripe_key_invalid");
    }
    Ok(test)
}

/// A webhook signing secret: `whsec_...`.
pub fn parse_webhook_secret(secret: &str) -> Result<(), &'static str> {
    let secret = secret.trim();
    if !secret.starts_with("whsec_") || secret.len() < 16 || secret.len() > 255 || !secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err("stripe_webhook_secret_invalid");
    }
    Ok(())
}

/// What a Checkout Session is created with. The amount and currency come from the offer
/// (and later a coupon), on the server; nothing from the browser but the email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutRequest {
    pub order_id: String,
    pub product_name: String,
    pub amount_minor: i64,
    /// Stripe's lower-case ISO code (`eur`).
    pub currency: String,
    pub email: String,
    pub success_url: String,
    pub cancel_url: String,
    /// The price includes taxes; otherwise Stripe Tax adds them.
    pub tax_inclusive: bool,
}

impl CheckoutRequest {
    /// The form-encoded body of `POST /v1/checkout/sessions`.
    pub fn form(&self) -> String {
        // Prices that exclude taxes have them computed and added by Stripe Tax.
        let (behavior, automatic_tax) = if self.tax_inclusive { ("inclusive", "false") } else { ("exclusive", "true") };
        let pairs: [(&str, &str); 12] = [
            ("line_items[0][price_data][tax_behavior]", behavior),
            ("automatic_tax[enabled]", automatic_tax),
            ("mode", "payment"),
            ("line_items[0][quantity]", "1"),
            ("line_items[0][price_data][currency]", &self.currency),
            ("line_items[0][price_data][unit_amount]", &self.amount_minor.to_string()),
            ("line_items[0][price_data][product_data][name]", &self.product_name),
            ("customer_email", &self.email),
            ("client_reference_id", &self.order_id),
            ("metadata[order_id]", &self.order_id),
            ("success_url", &self.success_url),
            ("cancel_url", &self.cancel_url),
        ];
        pairs.iter().map(|(k, v)| format!("{}={}", crate::kernel::url::encode(k), crate::kernel::url::encode(v))).collect::<Vec<_>>().join("&")
    }
}

/// What a `checkout.session.completed` event says, read from its JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completed {
    pub session_id: String,
    pub order_id: String,
    /// What the items cost before taxes Stripe added: the order's amount.
    pub amount_subtotal: i64,
    pub amount_total: i64,
    pub currency: String,
    pub payment_intent: Option<String>,
    pub paid: bool,
}

/// The event's id, type, and for the types handled, what they say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Completed(Completed),
    /// The session expired unpaid (or the payment failed): the order failed.
    Expired { order_id: String },
    /// A charge refunded, in full or part.
    Refunded { payment_intent: String, fully: bool },
    Other,
}

/// Reads an event's id and meaning; `None` when the body is not a Stripe event.
pub fn read_event(body: &str) -> Option<(String, Event)> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let id = v["id"].as_str().filter(|id| id.starts_with("evt_"))?.to_string();
    let object = &v["data"]["object"];
    let order = || object["client_reference_id"].as_str().or(object["metadata"]["order_id"].as_str()).map(str::to_string);
    let event = match v["type"].as_str()? {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" => Event::Completed(Completed {
            session_id: object["id"].as_str()?.to_string(),
            order_id: order()?,
            amount_total: object["amount_total"].as_i64()?,
            amount_subtotal: object["amount_subtotal"].as_i64().or_else(|| object["amount_total"].as_i64())?,
            currency: object["currency"].as_str()?.to_ascii_uppercase(),
            payment_intent: object["payment_intent"].as_str().map(str::to_string),
            paid: object["payment_status"].as_str() == Some("paid"),
        }),
        "checkout.session.expired" | "checkout.session.async_payment_failed" => Event::Expired { order_id: order()? },
        "charge.refunded" => Event::Refunded {
            payment_intent: object["payment_intent"].as_str()?.to_string(),
            fully: object["refunded"].as_bool() == Some(true) || object["amount_refunded"].as_i64() >= object["amount"].as_i64(),
        },
        _ => Event::Other,
    };
    Some((id, event))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::offers::rules::MAX_PRICE_MINOR;

    const SECRET: &str = "whsec_test_secret_0123456789";

    #[test]
    fn a_signature_is_valid_only_with_the_secret_and_in_time() {
        let body = br#"{"id":"evt_1"}"#;
        let header = format!("t=1000,v1={}", sign(SECRET, 1000, body));
        assert_eq!(verify_signature(SECRET, &header, body, 1000), Ok(()));
        assert_eq!(verify_signature(SECRET, &header, body, 1000 + SIGNATURE_TOLERANCE_S), Ok(()));
        assert_eq!(verify_signature("whsec_other", &header, body, 1000), Err(SignatureError::Mismatch));
        assert_eq!(verify_signature(SECRET, &header, br#"{"id":"evt_2"}"#, 1000), Err(SignatureError::Mismatch));
        assert_eq!(verify_signature(SECRET, &header, body, 1000 + SIGNATURE_TOLERANCE_S + 1), Err(SignatureError::Stale));
        assert_eq!(verify_signature(SECRET, &header, body, 1000 - SIGNATURE_TOLERANCE_S - 1), Err(SignatureError::Stale));
        assert_eq!(verify_signature(SECRET, "v1=abc", body, 1000), Err(SignatureError::Malformed));
        assert_eq!(verify_signature(SECRET, "t=1000", body, 1000), Err(SignatureError::Malformed));
        // Several v1 (a secret being rolled): any one matching is enough.
        let two = format!("t=1000,v1=00,v1={}", sign(SECRET, 1000, body));
        assert_eq!(verify_signature(SECRET, &two, body, 1000), Ok(()));
    }

    #[test]
    fn the_signature_matches_stripes_own_library() {
        // stripe-node 23.2.0: webhooks.generateTestHeaderString({payload: '{}', secret:
        // 'whsec_abc', timestamp: 1700000000}).
        assert_eq!(sign("whsec_abc", 1_700_000_000, b"{}"), "bad9ac117e973d721c232d46744158d75e3f1b44e36771e13d01b9e6a580bc72");
    }

    #[test]
    fn keys_say_what_they_are() {
        assert_eq!(parse_secret_key(" sk_test_51Habcdefghijklmnop "), Ok(true));
        assert_eq!(parse_secret_key("sk_live_51Habcdefghijklmnop"), Ok(false));
        assert_eq!(parse_secret_key("pk_test_51Habcdefghijklmnop"), Err("stripe_key_invalid"));
        assert_eq!(parse_secret_key("sk_test_x"), Err("stripe_key_invalid"));
        assert_eq!(parse_webhook_secret("whsec_abcdefghij12"), Ok(()));
        assert_eq!(parse_webhook_secret("secret"), Err("stripe_webhook_secret_invalid"));
    }

    #[test]
    fn the_checkout_form_carries_the_servers_amount_and_the_order() {
        let form = CheckoutRequest {
            order_id: "ord1".into(),
            product_name: "Aquarelle – Essentiel".into(),
            amount_minor: 4990,
            currency: "eur".into(),
            email: "a+b@example.com".into(),
            success_url: "https://s.example/checkout/ord1".into(),
            cancel_url: "https://s.example/courses/x".into(),
            tax_inclusive: true,
        };
        let (inclusive, exclusive) = (form.form(), CheckoutRequest { tax_inclusive: false, ..form }.form());
        assert!(inclusive.contains("tax_behavior%5D=inclusive") && inclusive.contains("automatic_tax%5Benabled%5D=false"), "{inclusive}");
        assert!(exclusive.contains("tax_behavior%5D=exclusive") && exclusive.contains("automatic_tax%5Benabled%5D=true"), "{exclusive}");
        let form = inclusive;
        assert!(form.contains("line_items%5B0%5D%5Bprice_data%5D%5Bunit_amount%5D=4990"), "{form}");
        assert!(form.contains("customer_email=a%2Bb%40example.com") && form.contains("client_reference_id=ord1") && form.contains("mode=payment"), "{form}");
    }

    #[test]
    fn events_are_read_by_type() {
        let completed = r#"{"id":"evt_1","type":"checkout.session.completed","data":{"object":{"id":"cs_1","client_reference_id":"ord1","amount_total":4990,"currency":"eur","payment_intent":"pi_1","payment_status":"paid"}}}"#;
        assert_eq!(
            read_event(completed),
            Some(("evt_1".into(), Event::Completed(Completed { session_id: "cs_1".into(), order_id: "ord1".into(), amount_subtotal: 4990, amount_total: 4990, currency: "EUR".into(), payment_intent: Some("pi_1".into()), paid: true })))
        );
        let refunded = r#"{"id":"evt_2","type":"charge.refunded","data":{"object":{"payment_intent":"pi_1","amount":4990,"amount_refunded":4990,"refunded":true}}}"#;
        assert_eq!(read_event(refunded), Some(("evt_2".into(), Event::Refunded { payment_intent: "pi_1".into(), fully: true })));
        assert_eq!(read_event(r#"{"id":"evt_3","type":"customer.created","data":{"object":{}}}"#), Some(("evt_3".into(), Event::Other)));
        assert_eq!(read_event(r#"{"id":"x","type":"checkout.session.completed"}"#), None);
        assert_eq!(read_event("not json"), None);
    }

    #[test]
    fn coupons_take_whole_cents_off_and_never_go_below_zero() {
        assert_eq!(discounted(4990, CouponKind::Percent, 20), 3992);
        assert_eq!(discounted(999, CouponKind::Percent, 50), 499); // 499.5 off rounds to 500
        assert_eq!(discounted(4990, CouponKind::Amount, 1000), 3990);
        assert_eq!(discounted(4990, CouponKind::Amount, 9999), 0);
        assert_eq!(discounted(4990, CouponKind::Percent, 100), 0);
        assert_eq!(parse_coupon_code(" rentree-25 "), Ok("RENTREE-25".into()));
        assert_eq!(parse_coupon_code("un code"), Err("coupon_code_invalid"));
        assert_eq!(coupon_applies(Some(2), 1, None, None, 0, 0), Err("coupon_other_offer"));
        assert_eq!(coupon_applies(None, 1, Some(10), None, 0, 10), Err("coupon_expired"));
        assert_eq!(coupon_applies(None, 1, None, Some(3), 3, 0), Err("coupon_used_up"));
        assert_eq!(coupon_applies(Some(1), 1, Some(11), Some(3), 2, 10), Ok(()));
    }

    proptest::proptest! {
        #[test]
        fn a_discount_stays_between_zero_and_the_price(price in 0i64..=MAX_PRICE_MINOR, value in 0i64..=200_000_000, percent in proptest::bool::ANY) {
            let kind = if percent { CouponKind::Percent } else { CouponKind::Amount };
            let after = discounted(price, kind, value);
            proptest::prop_assert!((0..=price).contains(&after));
            // A bigger coupon never costs more.
            proptest::prop_assert!(discounted(price, kind, value.saturating_add(1)) <= after);
        }
    }
}
