//! A school's Stripe keys at rest: sealed with AES-256-GCM under the Worker's
//! `PAYMENTS_KEY` secret, with the school's id as associated data (a sealed key copied into
//! another school's row does not open). D1 and its backups hold no usable key.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};

/// The stored form's version prefix (a later scheme can be told apart).
const PREFIX: &str = "v1:";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// `v1:{nonce hex}:{ciphertext hex}`. The nonce must be fresh for each call (96 random bits).
pub fn seal(key: &[u8; 32], school_id: i64, plaintext: &str, nonce: [u8; 12]) -> String {
    let cipher = Aes256Gcm::new(key.into());
    let aad = school_id.to_be_bytes();
    let sealed = cipher.encrypt(Nonce::from_slice(&nonce), Payload { msg: plaintext.as_bytes(), aad: &aad }).expect("AES-GCM seals any length we store");
    format!("{PREFIX}{}:{}", hex(&nonce), hex(&sealed))
}

/// The plaintext, if `stored` was sealed with this key for this school.
pub fn open(key: &[u8; 32], school_id: i64, stored: &str) -> Option<String> {
    let (nonce, sealed) = stored.strip_prefix(PREFIX)?.split_once(':')?;
    let (nonce, sealed) = (unhex(nonce)?, unhex(sealed)?);
    if nonce.len() != 12 {
        return None;
    }
    let cipher = Aes256Gcm::new(key.into());
    let aad = school_id.to_be_bytes();
    let plain = cipher.decrypt(Nonce::from_slice(&nonce), Payload { msg: &sealed, aad: &aad }).ok()?;
    String::from_utf8(plain).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_only_with_its_key_and_for_its_school() {
        let key = crate::kernel::token::from_hex_32(&"11".repeat(32)).unwrap();
        let sealed = seal(&key, 7, "sk_test_abc", [3; 12]);
        assert!(sealed.starts_with("v1:030303") && !sealed.contains("sk_test"), "{sealed}");
        assert_eq!(open(&key, 7, &sealed).as_deref(), Some("sk_test_abc"));
        assert_eq!(open(&key, 8, &sealed), None, "another school's row");
        assert_eq!(open(&crate::kernel::token::from_hex_32(&"22".repeat(32)).unwrap(), 7, &sealed), None, "another key");
        let mut tampered = sealed.clone();
        tampered.replace_range(tampered.len() - 2.., "00");
        assert_eq!(open(&key, 7, &tampered), None);
        assert_eq!(open(&key, 7, "sk_test_abc"), None);
        assert_eq!(crate::kernel::token::from_hex_32("12"), None);
    }
}
