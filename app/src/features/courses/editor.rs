//! The lesson editor's toolbar: what each button does to the Markdown and the selection.
//! Offsets are byte offsets in the text (the island converts the browser's). Pure.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Bold,
    Italic,
    Code,
    Link,
    Heading,
    List,
    Numbered,
    Quote,
}

impl Format {
    pub const ALL: [Format; 8] = [Format::Bold, Format::Italic, Format::Heading, Format::List, Format::Numbered, Format::Quote, Format::Link, Format::Code];

    pub fn code(self) -> &'static str {
        match self {
            Format::Bold => "bold",
            Format::Italic => "italic",
            Format::Code => "code",
            Format::Link => "link",
            Format::Heading => "heading",
            Format::List => "list",
            Format::Numbered => "numbered",
            Format::Quote => "quote",
        }
    }

    pub fn parse(code: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.code() == code)
    }

    /// What the button shows (a screen reader reads its label).
    pub fn glyph(self) -> &'static str {
        match self {
            Format::Bold => "B",
            Format::Italic => "I",
            Format::Code => "</>",
            Format::Link => "[ ]",
            Format::Heading => "H",
            Format::List => "•",
            Format::Numbered => "1.",
            Format::Quote => "❝",
        }
    }
}

/// The text after `format` is applied to the selection `start..end`, and the new selection.
/// Applied twice, an inline or line format is taken off again.
pub fn apply(text: &str, start: usize, end: usize, format: Format) -> (String, usize, usize) {
    let (start, end) = (start.min(end).min(text.len()), end.max(start).min(text.len()));
    let (start, end) = (floor(text, start), floor(text, end));
    match format {
        Format::Bold => wrap(text, start, end, "**"),
        Format::Italic => wrap(text, start, end, "_"),
        Format::Code => wrap(text, start, end, "`"),
        Format::Link => {
            let label = &text[start..end];
            let inserted = format!("[{label}](https://)");
            let url_at = start + label.len() + 3;
            (format!("{}{inserted}{}", &text[..start], &text[end..]), url_at, url_at + "https://".len())
        }
        Format::Heading => lines(text, start, end, |_| "## ".to_string()),
        Format::List => lines(text, start, end, |_| "- ".to_string()),
        Format::Numbered => lines(text, start, end, |i| format!("{}. ", i + 1)),
        Format::Quote => lines(text, start, end, |_| "> ".to_string()),
    }
}

fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn wrap(text: &str, start: usize, end: usize, marker: &str) -> (String, usize, usize) {
    let m = marker.len();
    // Already wrapped: take the markers off.
    if text[..start].ends_with(marker) && text[end..].starts_with(marker) {
        let out = format!("{}{}{}", &text[..start - m], &text[start..end], &text[end + m..]);
        return (out, start - m, end - m);
    }
    let out = format!("{}{marker}{}{marker}{}", &text[..start], &text[start..end], &text[end..]);
    (out, start + m, end + m)
}

/// Each line the selection touches gets `prefix(i)`; if every one has a prefix of that
/// kind already, they lose it.
fn lines(text: &str, start: usize, end: usize, prefix: impl Fn(usize) -> String) -> (String, usize, usize) {
    let first = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let last = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let block: Vec<&str> = text[first..last].split('\n').collect();
    let has = |i: usize, line: &str| {
        let p = prefix(i);
        if p.starts_with(|c: char| c.is_ascii_digit()) {
            line.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        } else {
            line.starts_with(&p)
        }
    };
    let remove = block.iter().enumerate().all(|(i, l)| has(i, l));
    let changed: Vec<String> = block
        .iter()
        .enumerate()
        .map(|(i, l)| if remove { l.split_once(' ').map_or(String::new(), |(_, rest)| rest.to_string()) } else { format!("{}{l}", prefix(i)) })
        .collect();
    let new_block = changed.join("\n");
    let out = format!("{}{new_block}{}", &text[..first], &text[last..]);
    (out, first, first + new_block.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_formats_wrap_the_selection_and_come_off_again() {
        let (t, s, e) = apply("un mot ici", 3, 6, Format::Bold);
        assert_eq!((t.as_str(), s, e), ("un **mot** ici", 5, 8));
        assert_eq!(apply(&t, s, e, Format::Bold), ("un mot ici".to_string(), 3, 6));
        assert_eq!(apply("ab", 1, 1, Format::Italic), ("a__b".to_string(), 2, 2), "the cursor lands between the markers");
        let (t, s, e) = apply("voir le site", 8, 12, Format::Link);
        assert_eq!(t, "voir le [site](https://)");
        assert_eq!(&t[s..e], "https://");
    }

    #[test]
    fn line_formats_prefix_every_selected_line_and_come_off_again() {
        let text = "Intro\npommes\npoires\nfin";
        let (t, s, e) = apply(text, 8, 15, Format::List);
        assert_eq!(t, "Intro\n- pommes\n- poires\nfin");
        assert_eq!(apply(&t, s, e, Format::List).0, text);
        assert_eq!(apply(text, 8, 15, Format::Numbered).0, "Intro\n1. pommes\n2. poires\nfin");
        assert_eq!(apply(text, 0, 0, Format::Heading).0, "## Intro\npommes\npoires\nfin");
        assert_eq!(apply("é", 1, 1, Format::Quote).0, "> é", "offsets inside a character are moved to its start");
    }
}
