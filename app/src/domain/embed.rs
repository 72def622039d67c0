//! Trial-lesson embeds (issue 5, groundwork): which sites may frame a school's embeds, and the
//! `frame-ancestors` policy that says so. Every other response keeps `frame-ancestors 'none'`.

/// A site allowed to frame embeds: scheme, host and optional port, nothing else
/// (`https://www.example.com`, `http://localhost:3000`, `https://*.example.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedSite(String);

impl AllowedSite {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a creator typed that is not a site, with the (1-based) line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteError {
    pub line: usize,
    pub code: &'static str,
}

/// A school's framing rule for its embeds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FramingPolicy {
    /// The default: any site may embed a trial lesson.
    #[default]
    AnySite,
    Only(Vec<AllowedSite>),
}

/// At most this many sites: a policy header stays small.
pub const MAX_ALLOWED_SITES: usize = 50;

fn parse_site(raw: &str) -> Result<AllowedSite, &'static str> {
    let lower = raw.trim().to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://").ok_or("site_scheme")?;
    if scheme != "https" && scheme != "http" {
        return Err("site_scheme");
    }
    // One trailing slash is how people copy an origin; any other path is not an origin.
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Err("site_host");
    }
    if rest.contains(['/', '?', '#', '@', ' ', ';', ',', '\'', '"']) {
        return Err("site_origin_only");
    }
    let host = match rest.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => h,
        Some(_) => return Err("site_port"),
        None => rest,
    };
    let labels = host.strip_prefix("*.").unwrap_or(host);
    let valid_label = |l: &str| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-') && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if labels.len() > 253 || !labels.split('.').all(valid_label) {
        return Err("site_host");
    }
    Ok(AllowedSite(format!("{scheme}://{rest}")))
}

impl FramingPolicy {
    /// One site per line (blank lines ignored). Empty means any site.
    pub fn parse(text: &str) -> Result<FramingPolicy, SiteError> {
        let mut sites: Vec<AllowedSite> = vec![];
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let site = parse_site(line).map_err(|code| SiteError { line: i + 1, code })?;
            if !sites.contains(&site) {
                sites.push(site);
            }
        }
        if sites.len() > MAX_ALLOWED_SITES {
            return Err(SiteError { line: MAX_ALLOWED_SITES + 1, code: "site_too_many" });
        }
        Ok(if sites.is_empty() { FramingPolicy::AnySite } else { FramingPolicy::Only(sites) })
    }

    /// The `frame-ancestors` directive of an embed response.
    pub fn frame_ancestors(&self) -> String {
        match self {
            FramingPolicy::AnySite => "frame-ancestors https: http:".to_string(),
            FramingPolicy::Only(sites) => format!("frame-ancestors {}", sites.iter().map(AllowedSite::as_str).collect::<Vec<_>>().join(" ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_means_any_site() {
        assert_eq!(FramingPolicy::parse(""), Ok(FramingPolicy::AnySite));
        assert_eq!(FramingPolicy::parse("\n  \n"), Ok(FramingPolicy::AnySite));
        assert_eq!(FramingPolicy::AnySite.frame_ancestors(), "frame-ancestors https: http:");
    }

    #[test]
    fn listed_sites_become_the_policy() {
        let p = FramingPolicy::parse("https://www.Example.com/\nhttp://localhost:3000\nhttps://*.example.org\nhttps://www.example.com").unwrap();
        assert_eq!(p.frame_ancestors(), "frame-ancestors https://www.example.com http://localhost:3000 https://*.example.org");
    }

    #[test]
    fn anything_but_an_origin_is_refused_with_its_line() {
        let cases = [
            ("ftp://example.com", "site_scheme"),
            ("example.com", "site_scheme"),
            ("https://example.com/page", "site_origin_only"),
            ("https://example.com; script-src *", "site_origin_only"),
            ("https://user@example.com", "site_origin_only"),
            ("https://example.com:abc", "site_port"),
            ("https://exa_mple.com", "site_host"),
            ("https://-bad.com", "site_host"),
            ("https://", "site_host"),
        ];
        for (raw, code) in cases {
            assert_eq!(FramingPolicy::parse(&format!("https://ok.com\n{raw}")), Err(SiteError { line: 2, code }), "{raw}");
        }
    }

    #[test]
    fn every_error_has_a_message() {
        for code in ["site_scheme", "site_origin_only", "site_port", "site_host", "site_too_many"] {
            assert!(crate::i18n::has_key(code), "{code}");
        }
    }

    proptest! {
        /// Whatever is typed, a policy never carries a character that could end the directive
        /// or start another one.
        #[test]
        fn no_input_can_inject_into_the_header(text in "\\PC{0,200}") {
            if let Ok(p) = FramingPolicy::parse(&text) {
                let header = p.frame_ancestors();
                prop_assert!(!header.contains([';', ',', '\n', '\r', '\'', '"']), "{}", header);
            }
        }
    }
}
