//! The school's look and its own domain, the rules: colours that keep text readable, the
//! welcome text's length, a custom domain's spelling, and the DNS record it needs.

use crate::kernel::color::{Rgb, MIN_CONTRAST};

/// The welcome text on the school's home (Markdown): a few sentences, not a page.
pub const WELCOME_MAX: usize = 1_000;

/// Why a colour is refused: its spelling, or text on it would be unreadable (with the
/// contrast it has, to say by how much).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColourError {
    Invalid,
    Unreadable(f32),
}

impl ColourError {
    pub fn key(self) -> &'static str {
        match self {
            ColourError::Invalid => "brand_color_invalid",
            ColourError::Unreadable(_) => "color_unreadable",
        }
    }

    /// "1.6:1" / "1,6:1": what the refusal says the colour has.
    pub fn ratio(self, locale: crate::kernel::i18n::Locale) -> String {
        let ColourError::Unreadable(r) = self else { return String::new() };
        let s = format!("{r:.1}:1");
        if locale == crate::kernel::i18n::Locale::Fr { s.replace('.', ",") } else { s }
    }
}

/// A colour for white text to sit on (buttons, the header band): `#rrggbb`, with at least
/// WCAG AA's contrast (`MIN_CONTRAST`) against white.
pub fn colour(value: &str) -> Result<Rgb, ColourError> {
    let rgb = Rgb::parse(&value.trim().to_ascii_lowercase()).ok_or(ColourError::Invalid)?;
    rgb.readable_with_white().map(|_| rgb).map_err(ColourError::Unreadable)
}

/// `MIN_CONTRAST` as the refusal writes it.
pub fn min_ratio(locale: crate::kernel::i18n::Locale) -> String {
    let s = format!("{MIN_CONTRAST:.1}:1");
    if locale == crate::kernel::i18n::Locale::Fr { s.replace('.', ",") } else { s }
}

/// A custom domain as typed (`https://Learn.Example.com/`) → `learn.example.com`; empty: none.
/// Refused: not a host name, or one of the platform's own (`base` and its subdomains).
pub fn custom_domain(value: &str, base: &str) -> Result<Option<String>, &'static str> {
    let v = value.trim().to_ascii_lowercase();
    let v = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://")).unwrap_or(&v);
    let v = v.trim_end_matches('/');
    if v.is_empty() {
        return Ok(None);
    }
    let labels: Vec<&str> = v.split('.').collect();
    let label_ok = |l: &&str| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-') && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let tld_ok = labels.last().is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()));
    if v.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) || !tld_ok {
        return Err("domain_invalid");
    }
    let base = base.split(':').next().unwrap_or(base).to_ascii_lowercase();
    if v == base || v.ends_with(&format!(".{base}")) {
        return Err("domain_ours");
    }
    Ok(Some(v.to_string()))
}

/// The record to add at the domain's DNS host: a CNAME to the school's own address.
pub fn dns_record(domain: &str, slug: &str, base: &str) -> (&'static str, String, String) {
    let base = base.split(':').next().unwrap_or(base);
    ("CNAME", domain.to_string(), format!("{slug}.{base}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::i18n::Locale;

    #[test]
    fn colours_must_carry_white_text() {
        assert_eq!(colour(" #2D5BD7 "), Ok(Rgb(0x2d, 0x5b, 0xd7)));
        assert_eq!(colour("blue"), Err(ColourError::Invalid));
        let refused = colour("#ffcc00").unwrap_err();
        assert_eq!(refused.key(), "color_unreadable");
        assert_eq!(refused.ratio(Locale::Fr), "1,5:1");
        assert_eq!(refused.ratio(Locale::En), "1.5:1");
        assert_eq!(min_ratio(Locale::Fr), "4,5:1");
    }

    #[test]
    fn custom_domains_are_host_names_that_are_not_ours() {
        assert_eq!(custom_domain("https://Learn.Example.com/", "atelier.example"), Ok(Some("learn.example.com".into())));
        assert_eq!(custom_domain("  ", "atelier.example"), Ok(None));
        for bad in ["learn", "learn..example.com", "-x.example.com", "learn.example.c0m", "lé.example.com", "learn.example.com:8080", "a b.com"] {
            assert_eq!(custom_domain(bad, "atelier.example"), Err("domain_invalid"), "{bad}");
        }
        assert_eq!(custom_domain("yoga.atelier.example", "atelier.example"), Err("domain_ours"));
        assert_eq!(custom_domain("atelier.example", "atelier.example:443"), Err("domain_ours"));
    }

    #[test]
    fn the_dns_record_points_at_the_schools_address() {
        assert_eq!(dns_record("learn.example.com", "yoga", "localhost:8787"), ("CNAME", "learn.example.com".into(), "yoga.localhost".into()));
    }
}
