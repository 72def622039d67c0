//! Lesson Markdown to safe HTML. Raw HTML in the source is shown as text, never interpreted,
//! and link or image targets keep only schemes that cannot run code. That leaves nothing
//! through which a script, an event handler or a `javascript:` URL could reach the page.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

/// Lessons are read on phones: a generous but bounded size keeps pages light.
pub const MAX_MARKDOWN_BYTES: usize = 100_000;

const SAFE_LINK_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];
const SAFE_IMAGE_SCHEMES: &[&str] = &["http", "https"];

pub fn render_markdown(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url, SAFE_LINK_SCHEMES),
            title,
            id,
        }),
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url, SAFE_IMAGE_SCHEMES),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Relative URLs and allowed schemes pass; anything else becomes `#`.
fn safe_url<'a>(url: CowStr<'a>, allowed: &[&str]) -> CowStr<'a> {
    if is_safe_url(&url, allowed) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

pub fn is_safe_url(url: &str, allowed: &[&str]) -> bool {
    // Browsers drop ASCII tab/newline anywhere and leading control/space before parsing the
    // scheme ("java\tscript:"), so judge the URL the way they will read it.
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme_end = cleaned.find(|c| matches!(c, ':' | '/' | '?' | '#'));
    match scheme_end {
        Some(i) if cleaned.as_bytes()[i] == b':' => {
            let scheme = cleaned[..i].to_ascii_lowercase();
            allowed.contains(&scheme.as_str())
        }
        _ => !cleaned.chars().any(|c| c.is_control()),
    }
}

/// Checks a cover image URL typed by a creator: absolute http(s) only.
pub fn is_safe_image_url(url: &str) -> bool {
    let u = url.trim();
    (u.starts_with("https://") || u.starts_with("http://")) && is_safe_url(u, SAFE_IMAGE_SCHEMES) && !u.contains(['"', '<', '>', ' '])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_ordinary_markdown() {
        let html = render_markdown("# Bienvenue\n\nUn *cours* avec [un lien](https://example.com).\n\n- a\n- b");
        assert!(html.contains("<h1>Bienvenue</h1>"));
        assert!(html.contains("<em>cours</em>"));
        assert!(html.contains(r#"<a href="https://example.com">un lien</a>"#));
        assert!(html.contains("<li>a</li>"));
    }

    /// Every payload must come out with no tag, attribute or URL that can run script.
    const XSS_CORPUS: &[&str] = &[
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "<iframe src=javascript:alert(1)></iframe>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java\tscript:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        "![x](data:image/svg+xml,<svg onload=alert(1)>)",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "[x](\"onmouseover=\"alert(1))",
        "<div onclick=\"alert(1)\">hi</div>",
        "<style>body{background:url(javascript:alert(1))}</style>",
        "<!-- <script>alert(1)</script> -->",
        "```\n</code><script>alert(1)</script>\n```",
        "<<script>script>alert(1)<</script>/script>",
        "<form action=javascript:alert(1)><button>x</button></form>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "[x](https://ok.example/\"><script>alert(1)</script>)",
    ];

    /// The real tags of an HTML string (escaped text such as `&lt;script&gt;` is not a tag).
    fn tags(html: &str) -> Vec<String> {
        html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("").to_ascii_lowercase()).collect()
    }

    #[test]
    fn xss_corpus_is_rendered_inert() {
        const ALLOWED_TAGS: &[&str] = &["p", "a", "img", "code", "pre", "em", "strong", "ul", "li", "h1", "br", "del"];
        for payload in XSS_CORPUS {
            let html = render_markdown(payload);
            for tag in tags(&html) {
                let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or("");
                assert!(ALLOWED_TAGS.contains(&name), "{payload} -> unexpected tag <{tag}> in {html}");
                for bad in ["javascript:", "vbscript:", "data:", " on", "style="] {
                    assert!(!tag.contains(bad), "{payload} -> dangerous tag <{tag}> in {html}");
                }
            }
        }
    }

    #[test]
    fn escaped_html_stays_visible_as_text() {
        let html = render_markdown("<b>bold?</b>");
        assert!(html.contains("&lt;b&gt;bold?&lt;/b&gt;"), "{html}");
    }

    #[test]
    fn url_filter_keeps_safe_and_relative_urls() {
        assert!(is_safe_url("https://a.b/c", SAFE_LINK_SCHEMES));
        assert!(is_safe_url("/courses/welcome", SAFE_LINK_SCHEMES));
        assert!(is_safe_url("#section", SAFE_LINK_SCHEMES));
        assert!(is_safe_url("mailto:a@b.co", SAFE_LINK_SCHEMES));
        assert!(is_safe_url("page?x=a:b", SAFE_LINK_SCHEMES));
        assert!(!is_safe_url("javascript:x", SAFE_LINK_SCHEMES));
        assert!(!is_safe_url("\u{1}javascript:x", SAFE_LINK_SCHEMES));
        assert!(!is_safe_url("mailto:a@b.co", SAFE_IMAGE_SCHEMES));
        assert!(is_safe_image_url("https://img.example/a.jpg"));
        assert!(!is_safe_image_url("javascript:alert(1)"));
        assert!(!is_safe_image_url("https://x\" onerror=\"alert(1)"));
    }
}
