//! Secrets handed to people (login codes, link tokens, session tokens): how they are made,
//! how they are stored (only as SHA-256 hashes) and how they are compared (constant time).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Digits in a login code: typed on a phone number pad, 10^8 possibilities, of which an
/// attacker gets `MAX_CODE_ATTEMPTS` guesses per login request.
pub const LOGIN_CODE_DIGITS: usize = 8;
/// A code or link is valid this long after it was issued.
pub const LOGIN_TTL_MINUTES: i64 = 10;
/// Wrong codes allowed on one login request before it is locked.
pub const MAX_CODE_ATTEMPTS: i64 = 5;
/// 256 random bits in a login link (the rule asks for at least 128).
pub const LINK_TOKEN_BYTES: usize = 32;
/// Session secrets: 256 random bits; the id part is 128 bits and only locates the row.
pub const SESSION_SECRET_BYTES: usize = 32;
pub const SESSION_ID_BYTES: usize = 16;

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the platform's CSPRNG is available");
    buf
}

/// 32 bytes written as 64 hex digits (a key from configuration).
pub fn from_hex_32(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.trim();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

pub fn to_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 0xf) as usize] as char);
    }
    s
}

/// A uniformly distributed 8-digit code, leading zeros kept.
pub fn new_login_code() -> String {
    // 4_200_000_000 is the largest multiple of 10^8 below 2^32: rejecting above it keeps
    // every code equally likely.
    const LIMIT: u32 = 4_200_000_000;
    loop {
        let n = u32::from_le_bytes(random_bytes::<4>());
        if n < LIMIT {
            return format!("{:08}", n % 100_000_000);
        }
    }
}

pub fn new_link_token() -> String {
    to_hex(&random_bytes::<LINK_TOKEN_BYTES>())
}

/// Public random id for rows that appear in URLs or cookies.
pub fn new_public_id() -> String {
    to_hex(&random_bytes::<SESSION_ID_BYTES>())
}

pub fn sha256_hex(input: &str) -> String {
    to_hex(&Sha256::digest(input.as_bytes()))
}

/// The code and link of one login request. They are derived, not stored: a resend within the
/// code's life must send the very same code and link (a new one would silently kill the one
/// the student is typing), yet D1 keeps only their hashes and a random seed. Without the
/// server key (a Worker secret, never in D1) the seed reveals nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginSecrets {
    pub code: String,
    pub link_token: String,
}

/// 128 random bits per login request, the input of `derive_login_secrets`.
pub fn new_login_seed() -> String {
    to_hex(&random_bytes::<16>())
}

fn hmac_sha256(key: &str, message: &str) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().into()
}

pub fn derive_login_secrets(server_key: &str, login_request_id: &str, seed: &str) -> LoginSecrets {
    let code_bytes = hmac_sha256(server_key, &format!("login-code:{login_request_id}:{seed}"));
    // 64 bits reduced mod 10^8: the bias is below 10^-10, invisible to anyone guessing.
    let n = u64::from_le_bytes(code_bytes[..8].try_into().expect("8 bytes"));
    let link_bytes = hmac_sha256(server_key, &format!("login-link:{login_request_id}:{seed}"));
    LoginSecrets { code: format!("{:08}", n % 100_000_000), link_token: to_hex(&link_bytes) }
}

/// Codes have few possibilities, so their hash is bound to the login request and a
/// server-side pepper: a leaked table alone does not reveal them.
pub fn hash_login_code(pepper: &str, login_request_id: &str, code: &str) -> String {
    sha256_hex(&format!("code:{pepper}:{login_request_id}:{code}"))
}

pub fn hash_token(token: &str) -> String {
    sha256_hex(&format!("token:{token}"))
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// What the student types may contain spaces or dashes ("1234 5678"): keep the digits only.
pub fn normalise_code_input(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (digits.len() == LOGIN_CODE_DIGITS && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

/// A session cookie value: `id.secret`. The id finds the row; only the secret's hash is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionToken {
    pub id: String,
    pub secret: String,
}

impl SessionToken {
    pub fn generate() -> SessionToken {
        SessionToken { id: new_public_id(), secret: to_hex(&random_bytes::<SESSION_SECRET_BYTES>()) }
    }
    pub fn parse(value: &str) -> Option<SessionToken> {
        let (id, secret) = value.split_once('.')?;
        let is_hex = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
        (is_hex(id, SESSION_ID_BYTES * 2) && is_hex(secret, SESSION_SECRET_BYTES * 2))
            .then(|| SessionToken { id: id.to_string(), secret: secret.to_string() })
    }
    pub fn cookie_value(&self) -> String {
        format!("{}.{}", self.id, self.secret)
    }
    pub fn secret_hash(&self) -> String {
        hash_token(&self.secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_eight_digits_and_vary() {
        let codes: HashSet<String> = (0..2000).map(|_| new_login_code()).collect();
        assert!(codes.iter().all(|c| c.len() == 8 && c.chars().all(|d| d.is_ascii_digit())));
        assert!(codes.len() > 1990, "codes repeat too often: {}", codes.len());
    }

    #[test]
    fn code_digits_are_roughly_uniform() {
        let mut counts = [0u32; 10];
        for _ in 0..5000 {
            for d in new_login_code().bytes() {
                counts[(d - b'0') as usize] += 1;
            }
        }
        // 40_000 digits: each should be near 4_000.
        assert!(counts.iter().all(|&n| (3400..4600).contains(&n)), "{counts:?}");
    }

    #[test]
    fn link_tokens_carry_at_least_128_bits() {
        let t = new_link_token();
        assert!(t.len() * 4 >= 128);
        assert_ne!(t, new_link_token());
    }

    #[test]
    fn hashes_are_stable_and_bound_to_their_context() {
        assert_eq!(hash_token("abc"), hash_token("abc"));
        assert_ne!(hash_token("abc"), hash_token("abd"));
        let h = hash_login_code("pepper", "req1", "12345678");
        assert_ne!(h, hash_login_code("pepper", "req2", "12345678"));
        assert_ne!(h, hash_login_code("other", "req1", "12345678"));
        assert!(!h.contains("12345678"));
        assert_eq!(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    fn derived_secrets_are_stable_per_request_and_differ_between_requests() {
        let seed = new_login_seed();
        let a = derive_login_secrets("key", "req1", &seed);
        assert_eq!(a, derive_login_secrets("key", "req1", &seed));
        assert_eq!(a.code.len(), LOGIN_CODE_DIGITS);
        assert!(a.code.chars().all(|c| c.is_ascii_digit()));
        assert_eq!(a.link_token.len(), LINK_TOKEN_BYTES * 2);
        assert_ne!(a.link_token, derive_login_secrets("other key", "req1", &seed).link_token);
        assert_ne!(a.link_token, derive_login_secrets("key", "req2", &seed).link_token);
        assert_ne!(a.link_token, derive_login_secrets("key", "req1", &new_login_seed()).link_token);
        assert!(!a.link_token.contains(&seed));
    }

    #[test]
    fn derived_codes_spread_over_all_digits() {
        let mut counts = [0u32; 10];
        for i in 0..5000 {
            for d in derive_login_secrets("key", &format!("req{i}"), "seed").code.bytes() {
                counts[(d - b'0') as usize] += 1;
            }
        }
        assert!(counts.iter().all(|&n| (3400..4600).contains(&n)), "{counts:?}");
    }

    #[test]
    fn constant_time_eq_matches_plain_eq() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
        assert!(!constant_time_eq("", "a"));
    }

    #[test]
    fn code_input_is_normalised_or_refused() {
        assert_eq!(normalise_code_input(" 1234 5678 ").as_deref(), Some("12345678"));
        assert_eq!(normalise_code_input("1234-5678").as_deref(), Some("12345678"));
        assert_eq!(normalise_code_input("1234567"), None);
        assert_eq!(normalise_code_input("12345678a"), None);
        assert_eq!(normalise_code_input("１２３４５６７８"), None);
        assert_eq!(normalise_code_input("' OR 1=1 --"), None);
    }

    #[test]
    fn session_tokens_round_trip_and_refuse_garbage() {
        let t = SessionToken::generate();
        assert_eq!(SessionToken::parse(&t.cookie_value()), Some(t.clone()));
        assert_ne!(t.secret_hash(), t.secret);
        for bad in ["", ".", "abc.def", &format!("{}.", t.id), &format!("{}x.{}", t.id, t.secret), "a.b.c"] {
            assert_eq!(SessionToken::parse(bad), None, "{bad}");
        }
    }
}
