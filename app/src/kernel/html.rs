//! The one way user text becomes HTML outside Leptos' own text nodes: element content,
//! double- or single-quoted attributes, and the raw-text elements (`<textarea>`, `<title>`)
//! whose children Leptos and leptos_meta write as they are.

/// Escapes `& < > " '`: safe in element content, in either kind of quoted attribute, and as
/// the content of `<textarea>` / `<title>` (RCDATA: the browser decodes the entities back, so
/// the person sees exactly what they typed, and `</textarea>` cannot close the element).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(escape(r#"</textarea><script>alert('x')</script>&"#), "&lt;/textarea&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;");
        assert_eq!(escape("Café déjà vu"), "Café déjà vu");
    }

    proptest! {
        #[test]
        fn escaped_text_never_contains_markup(s in any::<String>()) {
            let e = escape(&s);
            prop_assert!(!e.contains('<') && !e.contains('>') && !e.contains('"') && !e.contains('\''));
            // Decoding gives the text back.
            let back = e.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
            prop_assert_eq!(back, s);
        }
    }
}
