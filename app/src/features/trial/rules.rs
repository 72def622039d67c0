//! Trial-lesson embeds, the rules: which sites may frame a school's embeds (the
//! `frame-ancestors` policy; every other response keeps `frame-ancestors 'none'`), what an
//! embed id looks like, the school's colour, and the messages an embed sends its parent page.
//! The page itself is `crate::features::trial`; loading, caching and counting are `trial::server`.

/// An embed URL's public id: 128 random bits as 32 lowercase hex digits
/// (`token::new_public_id`). Anything else is not an embed, without asking storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedId(String);

impl EmbedId {
    pub fn parse(raw: &str) -> Option<EmbedId> {
        (raw.len() == 32 && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))).then(|| EmbedId(raw.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The messages an embed page posts to the page that frames it (`{source: "atelier", ...}`):
/// documented in the README; `/embed.js` acts on resize and re-dispatches the others as DOM
/// events on the iframe (`atelier:viewed`, `atelier:cta`).
pub const MESSAGE_SOURCE: &str = "atelier";
pub const MESSAGE_RESIZE: &str = "resize";
pub const MESSAGE_VIEWED: &str = "viewed";
pub const MESSAGE_CTA: &str = "cta";

/// The height the snippet's iframe starts at, and keeps when `/embed.js` is not on the page
/// (the frame then scrolls).
pub const SNIPPET_HEIGHT_PX: u32 = 600;

/// A school's colour, `#rrggbb`: the embed's button and accents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrandColor([u8; 3]);

impl BrandColor {
    pub const DEFAULT: BrandColor = BrandColor([0x2d, 0x5b, 0xd7]);

    pub fn parse(raw: &str) -> Option<BrandColor> {
        let hex = raw.trim().strip_prefix('#')?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(BrandColor([byte(0)?, byte(2)?, byte(4)?]))
    }

    pub fn css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0[0], self.0[1], self.0[2])
    }

    /// WCAG relative luminance.
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(self.0[0]) + 0.7152 * channel(self.0[1]) + 0.0722 * channel(self.0[2])
    }

    /// The contrast ratio of white (or black) text on this colour.
    pub fn contrast(self, white_text: bool) -> f64 {
        let l = self.luminance();
        if white_text { 1.05 / (l + 0.05) } else { (l + 0.05) / 0.05 }
    }

    /// White or black text, whichever contrasts more with this colour: one of the two always
    /// reaches 4.5:1 (WCAG AA), whatever colour the creator picks.
    pub fn text_css(self) -> &'static str {
        if self.contrast(true) >= self.contrast(false) { "#ffffff" } else { "#000000" }
    }
}

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
    fn embed_ids_are_128_bit_hex() {
        let id = crate::kernel::token::new_public_id();
        assert_eq!(EmbedId::parse(&id).map(|e| e.as_str().to_string()), Some(id));
        for bad in ["", "abc", "../../admin", &"A".repeat(32), &"g".repeat(32), &"a".repeat(33)] {
            assert_eq!(EmbedId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn brand_colours() {
        assert_eq!(BrandColor::parse(" #FFaa00 ").map(BrandColor::css), Some("#ffaa00".into()));
        for bad in ["", "ffaa00", "#ffaa0", "#ffaa000", "#ggaa00", "red", "#fff;}body{"] {
            assert_eq!(BrandColor::parse(bad), None, "{bad}");
        }
        assert_eq!(BrandColor::DEFAULT.text_css(), "#ffffff");
        assert_eq!(BrandColor::parse("#ffeb3b").unwrap().text_css(), "#000000");
        assert_eq!(BrandColor::parse("#000000").unwrap().text_css(), "#ffffff");
        assert_eq!(BrandColor::parse("#ffffff").unwrap().text_css(), "#000000");
    }

    proptest! {
        /// Whatever colour a creator picks, the button's text stays readable (AA, 4.5:1), and
        /// the colour survives being written and read back.
        #[test]
        fn button_text_is_always_readable(r in 0u8.., g in 0u8.., b in 0u8..) {
            let c = BrandColor([r, g, b]);
            prop_assert_eq!(BrandColor::parse(&c.css()), Some(c));
            let contrast = c.contrast(c.text_css() == "#ffffff");
            prop_assert!(contrast >= 4.5, "{} on {}: {}", c.text_css(), c.css(), contrast);
        }
    }

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
            assert!(crate::kernel::i18n::has_key(code), "{code}");
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
