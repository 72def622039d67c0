//! A certificate's page, laid out once (marks on an A4 landscape sheet, in points from the
//! top left) and drawn twice: as SVG here, as PDF in `pdf.rs`. Text is measured with the
//! metrics of Helvetica, the font every PDF reader has, so lines wrap and centre alike in
//! both. Pure; unit-tested here.

use crate::features::certificates::rules::Line;
use crate::kernel::html::escape;

/// A4 landscape, in points.
pub const WIDTH: f32 = 842.0;
pub const HEIGHT: f32 = 595.0;
/// Where text may go between the frames.
const TEXT_WIDTH: f32 = 660.0;
/// The text's lowest baseline before the signatures.
const BODY_BOTTOM: f32 = 452.0;

pub use crate::kernel::color::Rgb;

/// Dark text, a grey for labels, the light line of the inner frame.
pub const INK: Rgb = Rgb(0x1f, 0x23, 0x2b);
pub const MUTED: Rgb = Rgb(0x5f, 0x66, 0x70);
pub const FAINT: Rgb = Rgb(0xc9, 0xcd, 0xd3);


#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// `y` is the baseline.
    Text { x: f32, y: f32, size: f32, bold: bool, ink: Rgb, anchor: Anchor, text: String },
    Rule { x1: f32, x2: f32, y: f32, width: f32, ink: Rgb },
    /// A rectangle's outline, `inset` from the sheet's edges.
    Frame { inset: f32, width: f32, ink: Rgb },
    /// The school's logo, fitted into this box (aspect kept, centred).
    Logo { x: f32, y: f32, w: f32, h: f32 },
}

/// What a certificate shows, filled and in its words.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub school_name: String,
    pub has_logo: bool,
    pub title: String,
    pub lines: Vec<Line>,
    /// The completion date written out, and its label ("Date").
    pub date: String,
    pub date_label: String,
    pub signer_name: String,
    pub signer_role: String,
    /// "Verify at https://…/certificates/…".
    pub verify: String,
    pub color: Rgb,
}

// Helvetica and Helvetica-Bold advance widths (1/1000 em), WinAnsi codes 32–255 (the
// Adobe core fonts' metrics).
const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 761,
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];
const HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 761,
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

/// A character in the standard fonts' WinAnsi encoding; `?` for what it cannot write
/// (the PDF shows `?` there, the SVG the real character).
pub fn win_ansi(c: char) -> u8 {
    match c as u32 {
        0x20..=0x7e | 0xa0..=0xff => c as u32 as u8,
        // French spacing (narrow no-break space before « : ; ! ? »).
        0x202f | 0x2009 => 0xa0,
        _ => match c {
            '€' => 0x80, '‚' => 0x82, 'ƒ' => 0x83, '„' => 0x84, '…' => 0x85, '†' => 0x86, '‡' => 0x87,
            'ˆ' => 0x88, '‰' => 0x89, 'Š' => 0x8a, '‹' => 0x8b, 'Œ' => 0x8c, 'Ž' => 0x8e, '‘' => 0x91,
            '’' => 0x92, '“' => 0x93, '”' => 0x94, '•' => 0x95, '–' => 0x96, '—' => 0x97, '˜' => 0x98,
            '™' => 0x99, 'š' => 0x9a, '›' => 0x9b, 'œ' => 0x9c, 'ž' => 0x9e, 'Ÿ' => 0x9f,
            _ => b'?',
        },
    }
}

/// A text's width in points at `size`.
pub fn width(text: &str, size: f32, bold: bool) -> f32 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    let units: u32 = text.chars().map(|c| match win_ansi(c) {
        b @ 32..=255 => match table[b as usize - 32] { 0 => 556, w => w as u32 },
        _ => 556,
    }).sum();
    units as f32 * size / 1000.0
}

/// A line broken into lines no wider than `max` (a word longer than a line stays whole).
pub fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
        if !current.is_empty() && width(&candidate, size, bold) > max {
            out.push(std::mem::replace(&mut current, word.to_string()));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() || out.is_empty() {
        out.push(current);
    }
    out
}

/// The largest size up to `size` at which one line fits `max`.
fn fitted(text: &str, size: f32, bold: bool, max: f32) -> f32 {
    let w = width(text, size, bold);
    if w <= max { size } else { (size * max / w).max(8.0) }
}

/// The sheet's marks: frames in the school's colour, the logo or the school's name, the
/// title, the text (a field alone on its line printed large), the date and the signature,
/// and where to verify it.
pub fn layout(s: &Sheet) -> Vec<Mark> {
    let centre = WIDTH / 2.0;
    // Light colours stay on the frame; text takes them only when it stays readable.
    let accent_ink = if s.color.contrast_on_white() >= 3.0 { s.color } else { INK };
    let text = |y: f32, size: f32, bold: bool, ink: Rgb, t: &str| Mark::Text { x: centre, y, size, bold, ink, anchor: Anchor::Middle, text: t.to_string() };
    let mut marks = vec![Mark::Frame { inset: 18.0, width: 6.0, ink: s.color }, Mark::Frame { inset: 32.0, width: 0.8, ink: FAINT }];
    if s.has_logo {
        marks.push(Mark::Logo { x: centre - 80.0, y: 58.0, w: 160.0, h: 52.0 });
        marks.push(text(130.0, 10.0, false, MUTED, &s.school_name.to_uppercase()));
    } else {
        marks.push(text(100.0, fitted(&s.school_name, 16.0, true, TEXT_WIDTH), true, MUTED, &s.school_name));
    }
    marks.push(text(188.0, fitted(&s.title, 34.0, true, TEXT_WIDTH), true, accent_ink, &s.title));
    marks.push(Mark::Rule { x1: centre - 32.0, x2: centre + 32.0, y: 206.0, width: 2.0, ink: s.color });
    // The text, smaller when it would reach the signatures.
    let (normal, large) = (15.0, 30.0);
    let rows = |scale: f32| -> Vec<(String, f32, bool)> {
        s.lines.iter().flat_map(|l| {
            if l.large {
                let size = fitted(&l.text, large * scale, true, TEXT_WIDTH);
                vec![(l.text.clone(), size, true)]
            } else {
                wrap(&l.text, normal * scale, false, TEXT_WIDTH).into_iter().map(|t| (t, normal * scale, false)).collect()
            }
        }).collect()
    };
    let height = |rows: &[(String, f32, bool)]| rows.iter().map(|(_, size, _)| size * 1.5).sum::<f32>();
    let top = 250.0;
    let mut scale = 1.0;
    let mut body = rows(scale);
    while top + height(&body) - normal * 1.5 > BODY_BOTTOM && scale > 0.6 {
        scale -= 0.05;
        body = rows(scale);
    }
    // Centred in the room between the title and the signatures.
    let room = BODY_BOTTOM - top;
    let needed = height(&body) - normal * scale * 1.5;
    let mut y = top + ((room - needed) / 2.0).max(0.0);
    for (i, (t, size, bold)) in body.iter().enumerate() {
        // A large line takes room above its baseline.
        if *bold && i > 0 {
            y += size * 0.6;
        }
        marks.push(text(y, *size, *bold, if *bold { INK } else { MUTED }, t));
        y += size * if *bold { 1.45 } else { 1.5 };
    }
    // The date on the left, the signature on the right, each over its line.
    let (left, right) = (centre - 206.0, centre + 206.0);
    for (x, value, bold, label) in [(left, &s.date, false, &s.date_label), (right, if s.signer_name.is_empty() { &s.school_name } else { &s.signer_name }, true, &s.signer_role)] {
        marks.push(Mark::Text { x, y: 488.0, size: fitted(value, 13.0, bold, 190.0), bold, ink: INK, anchor: Anchor::Middle, text: value.clone() });
        marks.push(Mark::Rule { x1: x - 100.0, x2: x + 100.0, y: 497.0, width: 0.8, ink: MUTED });
        if !label.is_empty() {
            marks.push(Mark::Text { x, y: 512.0, size: fitted(label, 9.5, false, 190.0), bold: false, ink: MUTED, anchor: Anchor::Middle, text: label.clone() });
        }
    }
    marks.push(text(546.0, fitted(&s.verify, 8.0, false, TEXT_WIDTH + 60.0), false, MUTED, &s.verify));
    marks
}

/// A coordinate as SVG writes it, to a tenth, without the float formatting machinery
/// (which weighs ~10 KB in a Worker).
fn n(v: f32) -> String {
    let tenths = (v * 10.0).round() as i64;
    let (sign, t) = if tenths < 0 { ("-", -tenths) } else { ("", tenths) };
    if t % 10 == 0 { format!("{sign}{}", t / 10) } else { format!("{sign}{}.{}", t / 10, t % 10) }
}

/// The sheet as an SVG image (inline in a page: `logo` is the logo's URL there). `label` is
/// what a screen reader says of the whole image.
pub fn svg(marks: &[Mark], logo: Option<&str>, label: &str) -> String {
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" class=\"certificate-sheet\" role=\"img\" aria-label=\"{}\" font-family=\"Helvetica, Arial, sans-serif\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>",
        n(WIDTH),
        n(HEIGHT),
        escape(label)
    );
    for m in marks {
        match m {
            Mark::Text { x, y, size, bold, ink, anchor, text } => out.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{}{} fill=\"{}\">{}</text>",
                n(*x),
                n(*y),
                n(*size),
                if *bold { " font-weight=\"700\"" } else { "" },
                if *anchor == Anchor::Middle { " text-anchor=\"middle\"" } else { "" },
                ink.hex(),
                escape(text)
            )),
            Mark::Rule { x1, x2, y, width, ink } => out.push_str(&format!("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>", n(*x1), n(*y), n(*x2), n(*y), ink.hex(), n(*width))),
            Mark::Frame { inset, width, ink } => out.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"/>",
                n(*inset),
                n(*inset),
                n(WIDTH - 2.0 * inset),
                n(HEIGHT - 2.0 * inset),
                ink.hex(),
                n(*width)
            )),
            Mark::Logo { x, y, w, h } => {
                if let Some(href) = logo {
                    out.push_str(&format!("<image href=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"xMidYMid meet\"/>", escape(href), n(*x), n(*y), n(*w), n(*h)));
                }
            }
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(name: &str) -> Sheet {
        Sheet {
            school_name: "L'Atelier de Jeanne".into(),
            has_logo: false,
            title: "Certificat de réussite".into(),
            lines: vec![Line { text: "Ce certificat atteste que".into(), large: false }, Line { text: name.into(), large: true }, Line { text: "a suivi le cours « Aquarelle »".into(), large: false }],
            date: "3 mars 2027".into(),
            date_label: "Date".into(),
            signer_name: String::new(),
            signer_role: String::new(),
            verify: "Vérifier : https://demo.example/certificates/ab12".into(),
            color: Rgb(0x2d, 0x5b, 0xd7),
        }
    }

    #[test]
    fn widths_follow_the_font_and_accents_are_written() {
        assert_eq!(width("Hello", 10.0, false), (722 + 556 + 222 + 222 + 556) as f32 / 100.0);
        assert!(width("MMM", 10.0, true) > width("iii", 10.0, true));
        assert_eq!(win_ansi('é'), 0xe9);
        assert_eq!(win_ansi('œ'), 0x9c);
        assert_eq!(win_ansi('’'), 0x92);
        assert_eq!(win_ansi('«'), 0xab);
        assert_eq!(win_ansi('字'), b'?');
    }

    #[test]
    fn long_text_wraps_within_the_width_and_keeps_every_word() {
        let text = "a suivi avec succès le cours « Aquarelle pour débutants : couleurs, pinceaux et papier » en six semaines";
        let lines = wrap(text, 15.0, false, 300.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(l, 15.0, false) <= 300.0));
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn the_sheet_keeps_everything_on_the_page() {
        let long_name = "Marie-Charlotte Anne-Sophie de la Tour d'Auvergne-Lauraguais";
        let mut s = sheet(long_name);
        s.lines.extend((0..5).map(|i| Line { text: format!("Ligne supplémentaire numéro {i} avec quelques mots de plus pour remplir"), large: false }));
        let marks = layout(&s);
        for m in &marks {
            if let Mark::Text { x, y, size, bold, text, .. } = m {
                let w = width(text, *size, *bold);
                assert!(x - w / 2.0 >= 32.0 && x + w / 2.0 <= WIDTH - 32.0, "{text} leaves the frame");
                assert!(*y > 40.0 && *y < HEIGHT - 36.0, "{text} at {y}");
            }
        }
        let body: Vec<f32> = marks.iter().filter_map(|m| match m { Mark::Text { y, .. } if *y >= 250.0 && *y < 480.0 => Some(*y), _ => None }).collect();
        assert!(body.iter().all(|y| *y <= BODY_BOTTOM + 1.0), "the text stays above the signatures: {body:?}");
    }

    #[test]
    fn the_svg_escapes_what_people_typed() {
        let s = sheet("<script>alert(1)</script> & Cie");
        let out = svg(&layout(&s), None, "Certificat \"x\"");
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cie"));
        assert!(!out.contains("<script"));
        assert!(out.contains("aria-label=\"Certificat &quot;x&quot;\""));
    }

    #[test]
    fn coordinates_are_written_to_a_tenth() {
        assert_eq!((n(842.0), n(12.34), n(0.06), n(-1.25), n(7.96)), ("842".into(), "12.3".into(), "0.1".into(), "-1.3".into(), "8".into()));
    }

    #[test]
    fn colours_parse_and_light_ones_are_not_used_for_text() {
        assert_eq!(Rgb::parse("#2d5bd7"), Some(Rgb(0x2d, 0x5b, 0xd7)));
        assert_eq!(Rgb::parse("red"), None);
        assert!(Rgb(0xff, 0xee, 0x00).contrast_on_white() < 3.0);
        let mut s = sheet("Jeanne");
        s.color = Rgb(0xff, 0xee, 0x00);
        let title = layout(&s).into_iter().find_map(|m| match m { Mark::Text { text, ink, .. } if text == "Certificat de réussite" => Some(ink), _ => None });
        assert_eq!(title, Some(INK));
    }
}
