//! A link a person gives us (an assignment's answer): an absolute http(s) URL with a real
//! host and no credentials, so what the reviewer sees is where the click goes.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebLink {
    url: String,
    host: String,
}

impl WebLink {
    /// `https://host[:port][/path][?query][#fragment]`; refuses `//host/x`, relative paths,
    /// other schemes, `user@host` (`https://docs.google.com@evil.example/` goes to
    /// evil.example), backslashes, spaces and control characters.
    pub fn parse(raw: &str) -> Option<WebLink> {
        let url = raw.trim();
        if url.len() > 2000 || url.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') {
            return None;
        }
        let lower = url.to_ascii_lowercase();
        let rest_at = if lower.starts_with("https://") { 8 } else if lower.starts_with("http://") { 7 } else { return None };
        let rest = &url[rest_at..];
        let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
        if authority.contains('@') || authority.contains('%') {
            return None;
        }
        let host = match authority.rsplit_once(':') {
            Some((h, port)) if !h.contains(']') || h.ends_with(']') => {
                if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || port.len() > 5 {
                    return None;
                }
                h
            }
            _ => authority,
        };
        let host = host.to_ascii_lowercase();
        let name_ok = !host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|label| !label.is_empty() && label.len() <= 63 && !label.starts_with('-') && !label.ends_with('-') && label.chars().all(|c| c.is_alphanumeric() || c == '-'));
        let ipv6_ok = host.starts_with('[') && host.ends_with(']') && host[1..host.len() - 1].chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
        if !(name_ok || ipv6_ok) {
            return None;
        }
        Some(WebLink { url: url.to_string(), host })
    }

    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// Where the link really goes, shown next to it.
    pub fn host(&self) -> &str {
        &self.host
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_web_links_pass_with_their_host() {
        let l = WebLink::parse(" https://Docs.Google.com/document/d/1?x=1#h ").unwrap();
        assert_eq!((l.as_str(), l.host()), ("https://Docs.Google.com/document/d/1?x=1#h", "docs.google.com"));
        assert_eq!(WebLink::parse("http://localhost:8080/x").unwrap().host(), "localhost");
        assert_eq!(WebLink::parse("https://café.example/").unwrap().host(), "café.example");
    }

    #[test]
    fn links_that_hide_where_they_go_are_refused() {
        for bad in [
            "//evil.example/x", "/x", "evil.example", "https://docs.google.com@evil.example/x", "https://user:pw@evil.example/", "javascript:alert(1)",
            "data:text/html,x", "ftp://x.example", "https://", "https:///x", "https://evil.example\\@good.example", "https://a b.example", "https://x.example:port/",
            "https://-x.example/", "https://x..example/", "https://%65vil.example/", "https:\\\\evil.example",
        ] {
            assert_eq!(WebLink::parse(bad), None, "{bad}");
        }
    }
}
