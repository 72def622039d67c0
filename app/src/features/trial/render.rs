//! The embed page and the snippet, as strings. Pure: the same input renders the same bytes,
//! which is what lets `trial::server` cache a school's trial lessons at the edge.

use crate::features::trial::rules::{BrandColor, MESSAGE_SOURCE, SNIPPET_HEIGHT_PX};
use crate::kernel::i18n::{t, Locale};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What every embed of a school shows, as cached under the school's embed version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbedSchool {
    pub school_id: i64,
    pub slug: String,
    pub name: String,
    pub brand_color: String,
    pub locale: String,
    pub time_zone: String,
    /// The `frame-ancestors` directive built from the school's allowed sites.
    pub frame_ancestors: String,
    /// `schools.embed_version` this was read at.
    pub version: i64,
    /// The school's live trial lessons (published, in a published course).
    pub lessons: Vec<TrialLesson>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrialLesson {
    pub embed_id: String,
    pub lesson_id: i64,
    pub title: String,
    /// Sanitized when the lesson was saved (`lessons::markdown`).
    pub html: String,
    /// The lesson's blocks: a JSON array of `[block JSON, stored HTML or null]`, in order.
    #[serde(default)]
    pub blocks: Option<String>,
    pub course_title: String,
    pub course_slug: String,
}

impl EmbedSchool {
    pub fn lesson(&self, embed_id: &str) -> Option<&TrialLesson> {
        self.lessons.iter().find(|l| l.embed_id == embed_id)
    }

    /// `?lang=` if it names a language, else the school's.
    pub fn locale(&self, requested: Option<&str>) -> Locale {
        requested.and_then(Locale::parse).or_else(|| Locale::parse(&self.locale)).unwrap_or_default()
    }
}

/// A rendered page with the policy that must travel with it.
pub struct Rendered {
    pub html: String,
    pub content_security_policy: String,
}

pub use crate::kernel::html::escape;

/// A CSP source for exactly this inline text.
fn hash_source(inline: &str) -> String {
    format!("'sha256-{}'", crate::kernel::base64::encode(&Sha256::digest(inline.as_bytes())))
}

/// No script or style but ours (by hash), images from https, links open outside the frame,
/// and only the school's allowed sites may frame it.
fn policy(style: &str, with_script: bool, frame_ancestors: &str, frames: &[String]) -> String {
    // The script never changes: hashed once per isolate (the style carries the school's colour).
    static SCRIPT_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let script = if with_script { SCRIPT_HASH.get_or_init(|| hash_source(super::FRAME_SCRIPT)).clone() } else { "'none'".into() };
    // Frames: exactly the players and pages the lesson's blocks show (checked when saved).
    let frame_src = if frames.is_empty() { String::new() } else { format!("frame-src {}; ", frames.join(" ")) };
    format!(
        "default-src 'none'; style-src {}; script-src {script}; img-src https: data:; media-src https:; {frame_src}base-uri 'none'; form-action 'none'; {frame_ancestors}",
        hash_source(style)
    )
}

fn style_for(brand: BrandColor) -> String {
    // The link colour must read on white: the brand colour if it does, else ink.
    let link = if brand.contrast(true) >= 4.5 { brand.css() } else { "#1d2230".into() };
    format!(":root{{--brand:{};--brand-text:{};--brand-link:{link}}}\n{}", brand.css(), brand.text_css(), super::STYLE)
}

fn head(locale: Locale, root_attributes: &str, title: &str, style: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{}\"{root_attributes}><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><base target=\"_blank\"><title>{}</title><style>{style}</style></head>",
        locale.code(),
        escape(title),
    )
}

/// The trial lesson in minimal chrome: the school's name and colour, the lesson, and a call
/// to action that opens the course on the school in a new top-level tab (through
/// `/embed/{id}/go`, which counts it); never a login inside the frame.
pub fn lesson_page(school: &EmbedSchool, lesson: &TrialLesson, locale: Locale) -> Rendered {
    let brand = BrandColor::parse(&school.brand_color).unwrap_or(BrandColor::DEFAULT);
    let style = style_for(brand);
    let script = super::FRAME_SCRIPT;
    let cta = format!("/embed/{}/go?lang={}", lesson.embed_id, locale.code());
    // Each block as stored: its JSON, and its HTML when kept at save time.
    let stored: Vec<(String, Option<String>)> = serde_json::from_str(lesson.blocks.as_deref().unwrap_or("[]")).unwrap_or_default();
    let mut frames: Vec<String> =
        stored.iter().filter_map(|(json, _)| serde_json::from_str::<crate::features::lessons::blocks::Block>(json).ok()).filter_map(|b| b.frame_origin()).collect();
    frames.sort();
    frames.dedup();
    let rendered_blocks: String = stored.iter().map(|(json, html)| crate::features::lessons::blocks::shown(json, html.as_deref(), 0, locale)).collect();
    let html = format!(
        "{head}<body><main class=\"embed\"><header><span class=\"school\">{school}</span><span class=\"tag\">{tag}</span></header>\
         <p class=\"course\">{course}</p><h1>{title}</h1><div class=\"content\">{content}</div>\
         <a class=\"cta\" data-cta href=\"{cta}\" target=\"_blank\" rel=\"noopener\">{cta_label}</a>\
         <p class=\"muted\">{cta_note}</p></main><script>{script}</script></body></html>",
        head = head(locale, &format!(" data-embed=\"{}\" data-source=\"{MESSAGE_SOURCE}\"", escape(&lesson.embed_id)), &lesson.title, &style),
        school = escape(&school.name),
        tag = t(locale, "trial_tag"),
        course = escape(&lesson.course_title),
        title = escape(&lesson.title),
        content = format!("{}{rendered_blocks}", lesson.html),
        cta = escape(&cta),
        cta_label = t(locale, "trial_cta"),
        cta_note = t(locale, "trial_cta_note"),
    );
    Rendered { html, content_security_policy: policy(&style, true, &school.frame_ancestors, &frames) }
}

/// The same neutral page for a lesson that is not a trial, a draft, an unpublished or deleted
/// course, and an embed id that was regenerated: nothing says which, nothing of the lesson.
pub fn not_available_page(school: Option<&EmbedSchool>, locale: Locale) -> Rendered {
    let brand = school.and_then(|s| BrandColor::parse(&s.brand_color)).unwrap_or(BrandColor::DEFAULT);
    let style = style_for(brand);
    let name = school.map(|s| escape(&s.name)).unwrap_or_default();
    let html = format!(
        "{head}<body><main class=\"embed\"><header><span class=\"school\">{name}</span></header><h1>{title}</h1><p class=\"muted\">{lead}</p></main></body></html>",
        head = head(locale, "", t(locale, "embed_not_available"), &style),
        title = t(locale, "embed_not_available"),
        lead = t(locale, "embed_not_available_lead"),
    );
    // Framable where the school's lessons are (so the frame says why it is empty).
    let frame_ancestors = school.map(|s| s.frame_ancestors.as_str()).unwrap_or("frame-ancestors 'none'");
    Rendered { html, content_security_policy: policy(&style, false, frame_ancestors, &[]) }
}

/// What the creator pastes into their site: the frame (fixed height, scrolls, if the script
/// is missing) and the script that sizes it.
pub fn snippet(school_url: &str, embed_id: &str, title: &str) -> String {
    format!(
        "<iframe src=\"{school_url}/embed/{embed_id}\" title=\"{title}\" data-atelier-embed loading=\"lazy\" \
         style=\"width:100%;height:{SNIPPET_HEIGHT_PX}px;border:0\" \
         sandbox=\"allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox\"></iframe>\n\
         <script src=\"{school_url}/embed.js\" async></script>",
        title = escape(title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school() -> EmbedSchool {
        EmbedSchool {
            school_id: 1,
            slug: "demo".into(),
            name: "Yoga <Studio>".into(),
            brand_color: "#ffeb3b".into(),
            locale: "fr".into(),
            time_zone: "Europe/Paris".into(),
            frame_ancestors: "frame-ancestors https://www.example.com".into(),
            version: 3,
            lessons: vec![TrialLesson {
                embed_id: "0123456789abcdef0123456789abcdef".into(),
                lesson_id: 7,
                title: "Respirer \"mieux\"".into(),
                html: "<p>Inspirez.</p>".into(),
                blocks: None,
                course_title: "Yoga & souffle".into(),
                course_slug: "yoga".into(),
            }],
        }
    }

    #[test]
    fn lesson_page_is_escaped_branded_and_self_contained() {
        let s = school();
        let page = lesson_page(&s, &s.lessons[0], Locale::Fr);
        assert!(page.html.contains("Yoga &lt;Studio&gt;"));
        assert!(page.html.contains("Respirer &quot;mieux&quot;"));
        assert!(page.html.contains("<p>Inspirez.</p>"));
        assert!(page.html.contains("--brand:#ffeb3b;--brand-text:#000000;--brand-link:#1d2230"));
        assert!(page.html.contains("href=\"/embed/0123456789abcdef0123456789abcdef/go?lang=fr\" target=\"_blank\" rel=\"noopener\""));
        assert!(!page.html.contains("<script src") && !page.html.contains("<link"), "one request, no wasm");
        assert!(page.content_security_policy.ends_with("frame-ancestors https://www.example.com"));
        assert!(page.content_security_policy.contains("script-src 'sha256-"));
    }

    #[test]
    fn blocks_show_in_the_embed_and_the_policy_frames_exactly_their_players() {
        let mut s = school();
        let spoiler = crate::features::lessons::blocks::Block::Spoiler { title: "Réponse".into(), markdown: "Expirez.".into() };
        let blocks = [
            (r#"{"kind":"video","url":"https://vimeo.com/76979871"}"#.to_string(), None),
            (serde_json::to_string(&spoiler).unwrap(), spoiler.render_stored()),
            (r#"{"kind":"embed","url":"https://www.canva.com/design/x/view?embed"}"#.to_string(), None),
        ];
        s.lessons[0].blocks = Some(serde_json::to_string(&blocks).unwrap());
        let page = lesson_page(&s, &s.lessons[0], Locale::Fr);
        assert!(page.html.contains("player.vimeo.com/video/76979871") && page.html.contains("<details class=\"block spoiler\">"), "{}", page.html);
        assert!(page.content_security_policy.contains("frame-src https://player.vimeo.com https://www.canva.com; "), "{}", page.content_security_policy);
        // Without frames, no frame-src at all (default-src 'none' forbids them).
        assert!(!lesson_page(&school(), &school().lessons[0], Locale::Fr).content_security_policy.contains("frame-src"));
    }

    #[test]
    fn the_policy_hashes_exactly_the_inline_style_and_script() {
        let s = school();
        let page = lesson_page(&s, &s.lessons[0], Locale::En);
        let between = |open: &str, close: &str| {
            let start = page.html.find(open).unwrap() + open.len();
            page.html[start..].split(close).next().unwrap().to_string()
        };
        assert!(page.content_security_policy.contains(&format!("style-src {};", hash_source(&between("<style>", "</style>")))));
        assert!(page.content_security_policy.contains(&format!("script-src {};", hash_source(&between("<script>", "</script>")))));
    }

    #[test]
    fn not_available_says_nothing_about_the_lesson() {
        let s = school();
        let page = not_available_page(Some(&s), Locale::En);
        assert!(page.html.contains(t(Locale::En, "embed_not_available")));
        assert!(!page.html.contains("Inspirez") && !page.html.contains("Respirer") && !page.html.contains("souffle"));
        assert!(page.content_security_policy.contains("script-src 'none'"));
        assert!(not_available_page(None, Locale::Fr).content_security_policy.ends_with("frame-ancestors 'none'"));
    }

    #[test]
    fn snippet_escapes_the_title() {
        let snippet = snippet("https://demo.atelier.example", "0123456789abcdef0123456789abcdef", "A \"quoted\" <title>");
        assert!(snippet.contains("src=\"https://demo.atelier.example/embed/0123456789abcdef0123456789abcdef\""));
        assert!(snippet.contains("title=\"A &quot;quoted&quot; &lt;title&gt;\""));
        assert!(snippet.contains("<script src=\"https://demo.atelier.example/embed.js\" async></script>"));
    }

    #[test]
    fn language_is_asked_or_the_schools() {
        let s = school();
        assert_eq!(s.locale(Some("en")), Locale::En);
        assert_eq!(s.locale(Some("de")), Locale::Fr);
        assert_eq!(s.locale(None), Locale::Fr);
    }
}
