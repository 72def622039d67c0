//! Cookies: read from the request, written with the attributes the security rules require.

pub const SESSION_COOKIE: &str = "__Host-atelier_session";
pub const LANG_COOKIE: &str = "__Host-atelier_lang";
/// `request_id.secret` of the login this browser asked for: lets it see resends and finish
/// a login confirmed on another device. Lives as long as the code.
pub const LOGIN_COOKIE: &str = "__Host-atelier_login";
/// The form token for requests that come without an `Origin` header (double submit: the
/// same random value in this cookie and in a hidden field of every form).
pub const CSRF_COOKIE: &str = "__Host-atelier_csrf";

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
