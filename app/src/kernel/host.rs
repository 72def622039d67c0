//! Which site a request is for: the platform home (`{base}`) or a school (`{slug}.{base}`).

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Site {
    Platform,
    School(String),
}

/// `host` is the request's Host header (with port), `base` the configured base domain
/// (`localhost:8787` locally, `atelier.example` in production). Anything else is refused,
/// so no URL, cookie or origin is ever derived from an unexpected Host.
pub fn site_for_host(host: &str, base: &str) -> Option<Site> {
    let host = host.trim().to_ascii_lowercase();
    let base = base.trim().to_ascii_lowercase();
    if host == base {
        return Some(Site::Platform);
    }
    let slug = host.strip_suffix(&base)?.strip_suffix('.')?;
    if slug.is_empty() || slug.contains('.') || !slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    Some(Site::School(slug.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(site_for_host("localhost:8787", "localhost:8787"), Some(Site::Platform));
        assert_eq!(site_for_host("Demo.Localhost:8787", "localhost:8787"), Some(Site::School("demo".into())));
        assert_eq!(site_for_host("a.b.localhost:8787", "localhost:8787"), None);
        assert_eq!(site_for_host("evil.com", "localhost:8787"), None);
        assert_eq!(site_for_host("demolocalhost:8787", "localhost:8787"), None);
        assert_eq!(site_for_host("demo.localhost:9999", "localhost:8787"), None);
        assert_eq!(site_for_host(".localhost:8787", "localhost:8787"), None);
        assert_eq!(site_for_host("yoga.atelier.example", "atelier.example"), Some(Site::School("yoga".into())));
    }
}
