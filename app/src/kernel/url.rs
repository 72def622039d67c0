//! Query values in URLs: the one percent-encoder, and the "back to the form with an error" URL.

/// Everything but the unreserved characters of RFC 3986 is escaped in a query value.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// `path?error=key&field=value...`: where a form goes back to when a rule is broken, keeping
/// what the person typed.
pub fn with_error(path: &str, key: &str, keep: &[(&str, &str)]) -> String {
    let mut url = format!("{path}?error={}", encode(key));
    for (k, v) in keep {
        url.push_str(&format!("&{k}={}", encode(v)));
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_keep_only_unreserved_characters() {
        assert_eq!(encode("a-b_c.d~e f/g?h&é"), "a-b_c.d~e%20f%2Fg%3Fh%26%C3%A9");
    }

    #[test]
    fn error_urls_encode_values() {
        assert_eq!(with_error("/", "slug_taken", &[("slug", "a b&c")]), "/?error=slug_taken&slug=a%20b%26c");
    }
}

/// The id of a stored file in its path on a school's host (`/media/{32 hex digits}`).
pub fn media_id(path: &str) -> Option<&str> {
    let id = path.strip_prefix("/media/")?;
    (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then_some(id)
}
