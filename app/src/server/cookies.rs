//! Cookies: read from the request, written with the attributes the security rules require.

pub const SESSION_COOKIE: &str = "__Host-atelier_session";
pub const LANG_COOKIE: &str = "__Host-atelier_lang";

pub fn get<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// `__Host-` cookies: Secure, Path=/, no Domain, so they stay on the one school's host.
pub fn set(name: &str, value: &str, max_age_secs: i64) -> String {
    format!("{name}={value}; Max-Age={max_age_secs}; Path=/; Secure; HttpOnly; SameSite=Lax")
}

pub fn clear(name: &str) -> String {
    format!("{name}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax")
}
