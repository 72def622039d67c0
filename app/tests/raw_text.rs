//! Leptos (tachys) writes the children of `<textarea>`, `<title>`, `<script>`, `<style>` and
//! `<noscript>` without escaping them, and leptos_meta writes `<Title text>` as it is. So no
//! `view!` may give those elements children or `inner_html`, and `<Title>` may only be given
//! escaped text: user text reaches them through `ui::raw_text` and nothing else.

mod support;
use support::sources;
use std::path::Path;

const RAW_TEXT_TAGS: [&str; 5] = ["textarea", "title", "script", "style", "noscript"];
/// The one file allowed to fill raw-text elements, always through `escape`.
const HELPER: &str = "ui/raw_text.rs";


/// The bodies of every `view! { ... }` in a file (braces matched, string literals skipped).
fn view_bodies(src: &str) -> Vec<(usize, String)> {
    let mut out = vec![];
    let bytes = src.as_bytes();
    let mut from = 0;
    while let Some(at) = src[from..].find("view! {").map(|i| i + from) {
        let start = at + "view! {".len();
        let (mut depth, mut i, mut in_str) = (1, start, false);
        while i < bytes.len() && depth > 0 {
            match bytes[i] {
                b'\\' if in_str => i += 1,
                b'"' => in_str = !in_str,
                b'{' if !in_str => depth += 1,
                b'}' if !in_str => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        let line = src[..at].matches('\n').count() + 1;
        out.push((line, src[start..i.saturating_sub(1)].to_string()));
        from = start;
    }
    out
}

/// Problems in one view body: a raw-text element with children or unescaped inner_html, a
/// `<Title>` whose text is not escaped.
fn problems(body: &str, helper: bool) -> Vec<String> {
    let mut out = vec![];
    for tag in RAW_TEXT_TAGS {
        let open = format!("<{tag}");
        let mut from = 0;
        while let Some(at) = body[from..].find(&open).map(|i| i + from) {
            from = at + open.len();
            let next = body[from..].chars().next().unwrap_or(' ');
            if !(next.is_whitespace() || next == '>' || next == '/') {
                continue; // <titlebar>, <styled-x>: another element
            }
            let Some(end) = body[from..].find('>').map(|i| i + from) else { continue };
            let attrs = &body[from..end];
            if attrs.ends_with('/') {
                continue; // self-closing: no children
            }
            let close = format!("</{tag}>");
            let children = body[end + 1..].find(&close).map(|i| body[end + 1..end + 1 + i].trim()).unwrap_or("?");
            if !children.is_empty() {
                out.push(format!("<{tag}> with children `{children}`"));
            }
            if let Some(i) = attrs.find("inner_html=") {
                if !(helper && attrs[i + "inner_html=".len()..].starts_with("escape(")) {
                    out.push(format!("<{tag}> with unescaped inner_html"));
                }
            }
        }
    }
    let mut from = 0;
    while let Some(at) = body[from..].find("<Title").map(|i| i + from) {
        from = at + "<Title".len();
        let tag = &body[at..body[at..].find('>').map(|i| i + at).unwrap_or(body.len())];
        if !(helper && tag.contains("text=escape(")) {
            out.push(format!("`{tag}>`: titles go through ui::raw_text::PageTitle"));
        }
    }
    out
}

#[test]
fn no_view_writes_user_text_into_a_raw_text_element_unescaped() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    sources(&src, &mut files);
    let mut found = vec![];
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable source");
        let rel = file.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        for (line, body) in view_bodies(&text) {
            for p in problems(&body, rel == HELPER) {
                found.push(format!("{rel}:{line}: {p}"));
            }
        }
    }
    assert!(files.len() > 50, "the sources were found");
    assert!(found.is_empty(), "raw-text elements filled outside ui::raw_text:\n{}", found.join("\n"));
}

#[test]
fn the_check_catches_what_it_is_for() {
    assert_eq!(problems(r#"<label>"x"<textarea name="a">{note}</textarea></label>"#, false).len(), 1);
    assert_eq!(problems(r#"<textarea name="a" inner_html=note></textarea>"#, false).len(), 1);
    assert_eq!(problems(r#"<title>{name}</title>"#, false).len(), 1);
    assert_eq!(problems(r#"<Title text=name/>"#, false).len(), 1);
    assert_eq!(problems(r#"<script>{code}</script><style>{css}</style><noscript>{x}</noscript>"#, false).len(), 3);
    assert!(problems(r#"<textarea name="a"></textarea><textarea/>"#, false).is_empty());
    assert!(problems(r#"<textarea inner_html=escape(&value)></textarea><Title text=escape(&full)/>"#, true).is_empty());
    assert_eq!(problems(r#"<Title text=escape(&full)/>"#, false).len(), 1, "only the helper file");
}
