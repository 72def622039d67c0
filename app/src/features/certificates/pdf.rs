//! A certificate's sheet as a PDF file, with `pdf-writer` (typst's low-level writer: no
//! fonts or images of its own, builds for wasm32, about 20 KB in the Worker). Text uses the
//! standard Helvetica fonts in WinAnsi encoding, which every reader has, so nothing is
//! embedded but the school's logo: a JPEG as it is, a PNG without transparency through the
//! PNG predictor; another logo is left out (the school's name is on the sheet anyway).

use crate::features::certificates::sheet::{win_ansi, width, Anchor, Mark, Rgb, HEIGHT, WIDTH};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// A logo the PDF can carry without decoding it.
pub struct Logo<'a> {
    pub width: u32,
    pub height: u32,
    encoding: Encoding,
    data: std::borrow::Cow<'a, [u8]>,
}

enum Encoding {
    /// Baseline or progressive JPEG, with its number of colour components (1 or 3).
    Jpeg { components: u8 },
    /// A PNG's IDAT data (8 bits, gray or RGB, not interlaced).
    Png { colors: u8 },
}

impl<'a> Logo<'a> {
    /// The image if it is a JPEG or an opaque 8-bit PNG; `None` otherwise.
    pub fn read(bytes: &'a [u8]) -> Option<Logo<'a>> {
        if bytes.starts_with(&[0xff, 0xd8]) {
            return jpeg(bytes);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return png(bytes);
        }
        None
    }
}

fn jpeg(bytes: &[u8]) -> Option<Logo<'_>> {
    // Markers from the start until a frame header (SOF0..SOF15 but DHT, JPG, DAC).
    let mut i = 2;
    while i + 9 < bytes.len() {
        if bytes[i] != 0xff {
            return None;
        }
        let marker = bytes[i + 1];
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        if (0xc0..=0xcf).contains(&marker) && !matches!(marker, 0xc4 | 0xc8 | 0xcc) {
            let height = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]) as u32;
            let width = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]) as u32;
            let components = bytes[i + 9];
            return (width > 0 && height > 0 && matches!(components, 1 | 3)).then_some(Logo { width, height, encoding: Encoding::Jpeg { components }, data: bytes.into() });
        }
        i += 2 + len;
    }
    None
}

fn png(bytes: &[u8]) -> Option<Logo<'_>> {
    let (mut i, mut header, mut data) = (8, None, Vec::new());
    while i + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[i..i + 4].try_into().ok()?) as usize;
        let kind = &bytes[i + 4..i + 8];
        let body = bytes.get(i + 8..i + 8 + len)?;
        match kind {
            b"IHDR" if body.len() >= 13 => header = Some((u32::from_be_bytes(body[0..4].try_into().ok()?), u32::from_be_bytes(body[4..8].try_into().ok()?), body[8], body[9], body[12])),
            b"IDAT" => data.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        i += 12 + len;
    }
    let (width, height, depth, color, interlace) = header?;
    let colors = match color {
        0 => 1,
        2 => 3,
        _ => return None, // palette or transparency
    };
    (depth == 8 && interlace == 0 && width > 0 && height > 0 && !data.is_empty()).then_some(Logo { width, height, encoding: Encoding::Png { colors }, data: data.into() })
}

fn rgb(c: Rgb) -> (f32, f32, f32) {
    (c.0 as f32 / 255.0, c.1 as f32 / 255.0, c.2 as f32 / 255.0)
}

/// The sheet's marks as a one-page PDF; `title` names the document (readers show it).
pub fn pdf(marks: &[Mark], logo: Option<&Logo<'_>>, title: &str) -> Vec<u8> {
    let (catalog, pages, page, regular, bold, contents, image, info) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5), Ref::new(6), Ref::new(7), Ref::new(8));
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT)).parent(pages).contents(contents);
    let mut resources = p.resources();
    resources.fonts().pair(Name(b"F1"), regular).pair(Name(b"F2"), bold);
    if logo.is_some() {
        resources.x_objects().pair(Name(b"Logo"), image);
    }
    resources.finish();
    p.finish();
    for (id, name) in [(regular, &b"Helvetica"[..]), (bold, &b"Helvetica-Bold"[..])] {
        pdf.type1_font(id).base_font(Name(name)).encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    let mut c = Content::new();
    // PDF counts from the bottom left; the sheet from the top left.
    let up = |y: f32| HEIGHT - y;
    for m in marks {
        match m {
            Mark::Frame { inset, width, ink } => {
                let (r, g, b) = rgb(*ink);
                c.set_stroke_rgb(r, g, b).set_line_width(*width).rect(*inset, *inset, WIDTH - 2.0 * inset, HEIGHT - 2.0 * inset).stroke();
            }
            Mark::Rule { x1, x2, y, width, ink } => {
                let (r, g, b) = rgb(*ink);
                c.set_stroke_rgb(r, g, b).set_line_width(*width).move_to(*x1, up(*y)).line_to(*x2, up(*y)).stroke();
            }
            Mark::Text { x, y, size, bold, ink, anchor, text } => {
                let (r, g, b) = rgb(*ink);
                let left = match anchor {
                    Anchor::Start => *x,
                    Anchor::Middle => x - width(text, *size, *bold) / 2.0,
                };
                let encoded: Vec<u8> = text.chars().map(win_ansi).collect();
                c.begin_text().set_fill_rgb(r, g, b).set_font(Name(if *bold { b"F2" } else { b"F1" }), *size).next_line(left, up(*y)).show(Str(&encoded)).end_text();
            }
            Mark::Logo { x, y, w, h } => {
                if let Some(l) = logo {
                    // Fitted into the box, aspect kept, centred.
                    let scale = (w / l.width as f32).min(h / l.height as f32);
                    let (dw, dh) = (l.width as f32 * scale, l.height as f32 * scale);
                    let (dx, dy) = (x + (w - dw) / 2.0, up(y + (h + dh) / 2.0));
                    c.save_state().transform([dw, 0.0, 0.0, dh, dx, dy]).x_object(Name(b"Logo")).restore_state();
                }
            }
        }
    }
    pdf.stream(contents, &c.finish());
    if let Some(l) = logo {
        let mut x = pdf.image_xobject(image, &l.data);
        x.width(l.width as i32).height(l.height as i32).bits_per_component(8);
        match l.encoding {
            Encoding::Jpeg { components } => {
                x.filter(Filter::DctDecode);
                if components == 1 { x.color_space().device_gray() } else { x.color_space().device_rgb() }
            }
            Encoding::Png { colors } => {
                x.filter(Filter::FlateDecode);
                x.decode_parms().predictor(pdf_writer::types::Predictor::PngOptimum).colors(colors as i32).bits_per_component(8).columns(l.width as i32);
                if colors == 1 { x.color_space().device_gray() } else { x.color_space().device_rgb() }
            }
        }
        x.finish();
    }
    pdf.document_info(info).title(TextStr(title)).producer(TextStr("Atelier"));
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::certificates::rules::Line;
    use crate::features::certificates::sheet::{layout, Sheet};

    fn sheet(has_logo: bool) -> Vec<Mark> {
        layout(&Sheet {
            school_name: "L'Atelier".into(),
            has_logo,
            title: "Certificat de réussite".into(),
            lines: vec![
                Line { text: "Ce certificat atteste que".into(), large: false },
                Line { text: "Jeanne Dœ".into(), large: true },
                Line { text: "a suivi avec succès le cours « Aquarelle pour débutants : couleurs, pinceaux et papier »".into(), large: false },
                Line { text: "le 3 mars 2027.".into(), large: false },
            ],
            date: "3 mars 2027".into(),
            date_label: "Date".into(),
            signer_name: "Anne".into(),
            signer_role: "Formatrice".into(),
            verify: "https://demo.example/certificates/ab".into(),
            color: Rgb(0x2d, 0x5b, 0xd7),
        })
    }

    /// The byte offsets the cross-reference table gives point at the objects they name.
    fn xref_points_at_objects(pdf: &[u8]) {
        let find = |needle: &[u8]| pdf.windows(needle.len()).rposition(|w| w == needle).unwrap();
        let after = find(b"startxref") + "startxref".len();
        let start: usize = std::str::from_utf8(&pdf[after..]).unwrap().split_whitespace().next().unwrap().parse().unwrap();
        assert!(pdf[start..].starts_with(b"xref"), "startxref leads to the table");
        let table = std::str::from_utf8(&pdf[start..]).unwrap();
        for (n, line) in table.lines().skip(3).take_while(|l| l.trim_end().ends_with(" n")).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(pdf[offset..].starts_with(format!("{} 0 obj", n + 1).as_bytes()), "object {} at {offset}", n + 1);
        }
    }

    #[test]
    fn a_sheet_becomes_a_pdf_with_its_text_in_win_ansi() {
        let out = pdf(&sheet(false), None, "Certificat – Jeanne");
        assert!(out.starts_with(b"%PDF-"));
        assert!(out.ends_with(b"%%EOF") || out.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("/BaseFont /Helvetica-Bold") && text.contains("/WinAnsiEncoding"));
        // Shown as hex strings: "réussite" with é as WinAnsi E9, "Dœ" with œ as 9C.
        assert!(text.contains("72E9757373697465> Tj"), "{text}");
        assert!(text.contains("449C> Tj"));
        xref_points_at_objects(&out);
        // To look at it: ATELIER_CERTIFICATE_SAMPLE=/tmp/c.pdf cargo test -p app certificates
        if let Ok(path) = std::env::var("ATELIER_CERTIFICATE_SAMPLE") {
            std::fs::write(path, &out).unwrap();
        }
    }

    #[test]
    fn logos_are_read_from_jpeg_and_opaque_png_only() {
        // A JPEG's start with a baseline frame header: 40 x 20, 3 components.
        let mut jpeg_bytes = vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x14, 0x00, 0x28, 0x03];
        jpeg_bytes.extend_from_slice(&[0u8; 20]);
        let logo = Logo::read(&jpeg_bytes).expect("a JPEG");
        assert_eq!((logo.width, logo.height), (40, 20));
        let out = pdf(&sheet(true), Some(&logo), "x");
        assert!(String::from_utf8_lossy(&out).contains("/DCTDecode"));
        xref_points_at_objects(&out);
        // A PNG's header: 8-bit RGB (opaque) is kept, RGBA is not.
        let png_of = |color: u8| {
            let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
            b.extend_from_slice(&13u32.to_be_bytes());
            b.extend_from_slice(b"IHDR");
            b.extend_from_slice(&[0, 0, 0, 2, 0, 0, 0, 1, 8, color, 0, 0, 0]);
            b.extend_from_slice(&[0; 4]);
            b.extend_from_slice(&3u32.to_be_bytes());
            b.extend_from_slice(b"IDAT");
            b.extend_from_slice(&[1, 2, 3, 0, 0, 0, 0]);
            b.extend_from_slice(&0u32.to_be_bytes());
            b.extend_from_slice(b"IEND");
            b
        };
        assert!(Logo::read(&png_of(2)).is_some());
        assert!(Logo::read(&png_of(6)).is_none(), "transparency is left out");
        assert!(Logo::read(b"GIF89a....").is_none());
    }
}
