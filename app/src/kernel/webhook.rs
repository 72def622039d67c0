//! The email provider's delivery events (Resend signs them the Svix way): a signature check
//! with no I/O, and the event a body reports. A bounce marks the outbox row, so the student's
//! page can say "bounced".

use crate::kernel::base64;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Events older or newer than this are refused (replays).
pub const TOLERANCE_S: i64 = 5 * 60;

/// `secret` is `whsec_<base64 key>`; `signatures` the `svix-signature` header (space separated
/// `v1,<base64>`); the signed content is `{id}.{timestamp}.{body}`.
pub fn signature_valid(secret: &str, msg_id: &str, timestamp: &str, body: &[u8], signatures: &str, now_s: i64) -> bool {
    let Some(key) = base64::decode(secret.strip_prefix("whsec_").unwrap_or(secret)) else { return false };
    let Ok(ts) = timestamp.trim().parse::<i64>() else { return false };
    if (now_s - ts).abs() > TOLERANCE_S {
        return false;
    }
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else { return false };
    mac.update(format!("{msg_id}.{ts}.").as_bytes());
    mac.update(body);
    let expected = base64::encode(&mac.finalize().into_bytes());
    signatures
        .split_whitespace()
        .filter_map(|s| s.strip_prefix("v1,"))
        .any(|sig| crate::kernel::token::constant_time_eq(sig, &expected))
}

/// What an event says happened to an email we sent: (provider's email id, new status).
pub fn delivery_event(body: &str) -> Option<(String, &'static str)> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let status = match v["type"].as_str()? {
        "email.bounced" => "bounced",
        "email.complained" => "complained",
        "email.delivered" => "delivered",
        _ => return None,
    };
    Some((v["data"]["email_id"].as_str()?.to_string(), status))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of Svix's documentation.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TS: &str = "1614265330";
    const BODY: &str = r#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn the_documented_example_verifies() {
        assert!(signature_valid(SECRET, ID, TS, BODY.as_bytes(), SIGNATURE, 1614265330));
        assert!(signature_valid(SECRET, ID, TS, BODY.as_bytes(), &format!("v1,bogus {SIGNATURE}"), 1614265330 + 60), "any listed signature");
    }

    #[test]
    fn tampering_or_replay_fails() {
        assert!(!signature_valid(SECRET, ID, TS, br#"{"test": 2432232315}"#, SIGNATURE, 1614265330));
        assert!(!signature_valid(SECRET, "msg_other", TS, BODY.as_bytes(), SIGNATURE, 1614265330));
        assert!(!signature_valid(SECRET, ID, TS, BODY.as_bytes(), SIGNATURE, 1614265330 + TOLERANCE_S + 1));
        assert!(!signature_valid("whsec_notbase64!", ID, TS, BODY.as_bytes(), SIGNATURE, 1614265330));
        assert!(!signature_valid(SECRET, ID, TS, BODY.as_bytes(), "", 1614265330));
    }

    #[test]
    fn events() {
        assert_eq!(delivery_event(r#"{"type":"email.bounced","data":{"email_id":"re_123"}}"#), Some(("re_123".into(), "bounced")));
        assert_eq!(delivery_event(r#"{"type":"email.opened","data":{"email_id":"re_123"}}"#), None);
        assert_eq!(delivery_event("not json"), None);
    }
}
