//! Colours the creator picks (the school's two colours): parsed from `#rrggbb`, and checked
//! for readability (WCAG 2 contrast) before they are saved, since white text sits on them.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#2d5bd7` (the school's colour); anything else is `None`.
    pub fn parse(hex: &str) -> Option<Rgb> {
        let h = hex.strip_prefix('#').filter(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()))?;
        let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG relative luminance.
    fn luminance(self) -> f32 {
        let c = |v: u8| {
            let s = v as f32 / 255.0;
            if s <= 0.03928 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * c(self.0) + 0.7152 * c(self.1) + 0.0722 * c(self.2)
    }

    /// WCAG contrast ratio against white paper.
    pub fn contrast_on_white(self) -> f32 {
        1.05 / (self.luminance() + 0.05)
    }
}

/// WCAG AA for body text: what white text on a school colour must reach.
pub const MIN_CONTRAST: f32 = 4.5;

impl Rgb {
    /// Whether white text on this colour (and this colour on white) is readable; else the
    /// contrast it has.
    pub fn readable_with_white(self) -> Result<(), f32> {
        let ratio = self.contrast_on_white();
        if ratio >= MIN_CONTRAST { Ok(()) } else { Err(ratio) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_colours_carry_white_text_and_light_ones_do_not() {
        assert!(Rgb::parse("#2d5bd7").unwrap().readable_with_white().is_ok());
        assert!(Rgb::parse("#1f2a44").unwrap().readable_with_white().is_ok());
        let yellow = Rgb::parse("#ffcc00").unwrap().readable_with_white().unwrap_err();
        assert!((1.5..1.7).contains(&yellow), "{yellow}");
        assert!(Rgb::parse("#777777").unwrap().readable_with_white().is_err(), "4.48:1 is just under");
        assert!(Rgb::parse("#767676").unwrap().readable_with_white().is_ok(), "4.54:1 is enough");
        assert_eq!(Rgb::parse("2d5bd7"), None);
        assert_eq!(Rgb::parse("#2d5bdz"), None);
    }
}
