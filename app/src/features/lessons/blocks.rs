//! Lesson blocks (issue 7, groundwork): what a creator adds to a lesson — text (Markdown),
//! video with clickable timecodes, button, embedded page (from the school's allowed hosts),
//! math, spoiler — checked when saved and rendered to HTML on the server (no script needed to
//! read any of them). No I/O.

use crate::features::lessons::markdown::{is_safe_url, render_markdown};
use crate::features::lessons::math;
use crate::features::lessons::video::{format_timecode, parse_timecode, VideoSource};
use crate::kernel::html::escape;
use serde::{Deserialize, Serialize};

/// What the creator typed, per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Text { markdown: String },
    Video { url: String },
    Button { label: String, url: String },
    Embed { url: String },
    Math { latex: String },
    Spoiler { title: String, markdown: String },
}

/// Why a block cannot be saved: a message key and what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockError {
    pub code: &'static str,
    pub detail: String,
}

fn refuse(code: &'static str, detail: &str) -> BlockError {
    BlockError { code, detail: detail.chars().take(80).collect() }
}

/// A school's hosts that embed blocks may show (`www.canva.com`, `docs.google.com`...).
pub fn host_allowed(url: &str, allowed_hosts: &[String]) -> bool {
    let Some(rest) = url.strip_prefix("https://") else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("").to_ascii_lowercase();
    !host.is_empty() && !host.contains(['@', ':']) && allowed_hosts.iter().any(|h| h.eq_ignore_ascii_case(&host))
}

/// `[1:23]` in rendered text becomes a link that starts the lesson's video there: with
/// JavaScript it seeks the player in place; without, the page reloads with the player
/// starting at that time (`?t=83#video`).
pub fn link_timecodes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']').map(|close| (&after[..close], close)) {
            // Written as a clock: "1:23", "01:02:03" (two-digit minutes and seconds).
            Some((inside, close)) if inside.len() <= 8 && inside.contains(':') && inside.split(':').skip(1).all(|p| p.len() == 2) && parse_timecode(inside).is_some() => {
                let seconds = parse_timecode(inside).unwrap_or(0);
                out.push_str(&format!("<a class=\"timecode\" href=\"?t={seconds}#video\" data-seek=\"{seconds}\">{}</a>", format_timecode(seconds)));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The hosts of a school's list (one per line), checked: a host is labels of letters,
/// digits and hyphens. Returns the 1-based line of the first bad one.
pub fn parse_hosts(text: &str) -> Result<Vec<String>, usize> {
    let mut hosts = vec![];
    for (i, line) in text.lines().enumerate() {
        let host = line.trim().trim_start_matches("https://").trim_end_matches('/').to_ascii_lowercase();
        if host.is_empty() {
            continue;
        }
        let ok = host.len() <= 253 && host.contains('.') && host.split('.').all(|l| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        if !ok {
            return Err(i + 1);
        }
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    Ok(hosts)
}

/// Where an uploaded video's watermark goes: the lesson page fills it with the viewer's
/// email and the date (`fill_watermark`).
pub const WATERMARK_SLOT: &str = "<span class=\"watermark\" aria-hidden=\"true\"></span>";

/// A lesson's HTML with its videos' watermarks saying who watches, and when.
pub fn fill_watermark(html: &str, who: &str, date: &str) -> String {
    if !html.contains(WATERMARK_SLOT) {
        return html.to_string();
    }
    let filled = format!("<span class=\"watermark\" aria-hidden=\"true\">{} · {}</span>", escape(who), escape(date));
    html.replace(WATERMARK_SLOT, &filled)
}

/// The kinds a creator can add, in the editor's order.
pub const KINDS: [&str; 6] = ["text", "video", "button", "embed", "math", "spoiler"];

impl Block {
    /// A stored block (`lesson_blocks.block_json`). Read through a JSON value, not the
    /// derived `Deserialize`: serde's internally tagged enums buffer the object through
    /// generic code that cost both Workers ~5 KB gzip; the derive stays for the islands.
    pub fn from_json(json: &str) -> Option<Block> {
        let value: serde_json::Value = serde_json::from_str(json).ok()?;
        let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_string);
        Some(match value.get("kind")?.as_str()? {
            "text" => Block::Text { markdown: field("markdown")? },
            "video" => Block::Video { url: field("url")? },
            "button" => Block::Button { label: field("label")?, url: field("url")? },
            "embed" => Block::Embed { url: field("url")? },
            "math" => Block::Math { latex: field("latex")? },
            "spoiler" => Block::Spoiler { title: field("title")?, markdown: field("markdown")? },
            _ => return None,
        })
    }

    /// From the editor's form: the kind and the fields it uses.
    pub fn from_form(kind: &str, text: &str, url: &str, label: &str, title: &str) -> Option<Block> {
        let (text, url, label, title) = (text.to_string(), url.trim().to_string(), label.trim().to_string(), title.trim().to_string());
        Some(match kind {
            "text" => Block::Text { markdown: text },
            "video" => Block::Video { url },
            "button" => Block::Button { label, url },
            "embed" => Block::Embed { url },
            "math" => Block::Math { latex: text },
            "spoiler" => Block::Spoiler { title, markdown: text },
            _ => return None,
        })
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Block::Text { .. } => "text",
            Block::Video { .. } => "video",
            Block::Button { .. } => "button",
            Block::Embed { .. } => "embed",
            Block::Math { .. } => "math",
            Block::Spoiler { .. } => "spoiler",
        }
    }

    /// The editor's fields: (text, url, label, title).
    pub fn fields(&self) -> (String, String, String, String) {
        let e = String::new;
        match self {
            Block::Text { markdown } => (markdown.clone(), e(), e(), e()),
            Block::Video { url } | Block::Embed { url } => (e(), url.clone(), e(), e()),
            Block::Button { label, url } => (e(), url.clone(), label.clone(), e()),
            Block::Math { latex } => (latex.clone(), e(), e(), e()),
            Block::Spoiler { title, markdown } => (markdown.clone(), e(), e(), title.clone()),
        }
    }

    /// Checks a block before it is saved (the school's allowed hosts for embeds).
    pub fn check(&self, allowed_hosts: &[String]) -> Result<(), BlockError> {
        match self {
            Block::Text { markdown } if markdown.len() > crate::features::lessons::markdown::MAX_MARKDOWN_BYTES => Err(refuse("content_too_long", "")),
            Block::Text { .. } => Ok(()),
            Block::Video { url } => VideoSource::parse(url).map(|_| ()).map_err(|e| refuse(e.code(), url)),
            Block::Button { label, url } => {
                if label.trim().is_empty() || label.chars().count() > 80 {
                    return Err(refuse("block_button_label", label));
                }
                if !(url.starts_with("https://") || url.starts_with("http://")) || !is_safe_url(url, &["http", "https"]) || url.contains(['"', '<', '>', ' ']) {
                    return Err(refuse("block_button_url", url));
                }
                Ok(())
            }
            Block::Embed { url } => {
                if url.contains(['"', '<', '>', ' ', '\'']) || !host_allowed(url, allowed_hosts) {
                    return Err(refuse("block_embed_host", url));
                }
                Ok(())
            }
            Block::Math { latex } => math::render(latex).map(|_| ()).map_err(|e| refuse(e.code, &e.detail)),
            Block::Spoiler { title, markdown } => {
                if title.trim().is_empty() || title.chars().count() > 200 {
                    return Err(refuse("block_spoiler_title", title));
                }
                if markdown.len() > crate::features::lessons::markdown::MAX_MARKDOWN_BYTES {
                    return Err(refuse("content_too_long", ""));
                }
                Ok(())
            }
        }
    }

    /// The block's HTML (after `check`). `start` is where the lesson's video starts (`?t=`).
    pub fn render(&self, start: u32, locale: crate::kernel::i18n::Locale) -> String {
        self.render_live(start, locale).or_else(|| self.render_stored()).unwrap_or_default()
    }

    /// The HTML kept with the block when it is saved (`lesson_blocks.html`): text, spoiler
    /// and math, whose renderers only the admin Worker carries.
    pub fn render_stored(&self) -> Option<String> {
        match self {
            Block::Text { markdown } => Some(format!("<div class=\"block text\">{}</div>", link_timecodes(&render_markdown(markdown)))),
            Block::Math { latex } => Some(format!("<div class=\"block math\">{}</div>", math::render(latex).unwrap_or_default())),
            Block::Spoiler { title, markdown } => Some(format!(
                "<details class=\"block spoiler\"><summary>{}</summary><div>{}</div></details>",
                escape(title),
                link_timecodes(&render_markdown(markdown))
            )),
            _ => None,
        }
    }

    /// The HTML of a block rendered per request: a video (it starts at `start`), a button, an
    /// embed. `None` for the kinds whose HTML is stored.
    pub fn render_live(&self, start: u32, locale: crate::kernel::i18n::Locale) -> Option<String> {
        Some(match self {
            Block::Video { url } => match VideoSource::parse(url) {
                // An uploaded video: the browser's player under a moving watermark (filled in
                // for the viewer by the lesson page), no download button; its URL is signed
                // for the viewer like the lesson's images.
                Ok(VideoSource::Uploaded(id)) => format!(
                    "<div class=\"block video\" id=\"video\"><div class=\"player\" data-player=\"{id}\"><video controls controlslist=\"nodownload\" disablepictureinpicture playsinline preload=\"metadata\" src=\"/media/{id}#t={start}\"></video>{WATERMARK_SLOT}</div><p class=\"player-note\">{}</p></div>",
                    crate::kernel::i18n::t(locale, "player_protected_note")
                ),
                Ok(VideoSource::Mp4(_)) => format!(
                    "<div class=\"block video\" id=\"video\"><video controls preload=\"metadata\" src=\"{}\"></video></div>",
                    escape(&VideoSource::parse(url).map(|v| v.player_url(start)).unwrap_or_default())
                ),
                Ok(source) => format!(
                    "<div class=\"block video\" id=\"video\"><iframe src=\"{}\" data-seek-src=\"{}\" title=\"{}\" allow=\"autoplay; encrypted-media; picture-in-picture; fullscreen\" allowfullscreen loading=\"lazy\" referrerpolicy=\"strict-origin-when-cross-origin\"></iframe></div>",
                    escape(&source.player_url(start)),
                    escape(&source.seek_template()),
                    crate::kernel::i18n::t(locale, "block_video_title")
                ),
                Err(_) => String::new(),
            },
            Block::Button { label, url } => format!("<p class=\"block button-block\"><a class=\"button\" href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{}</a></p>", escape(url), escape(label)),
            Block::Embed { url } => format!(
                "<div class=\"block embed\"><iframe src=\"{}\" sandbox=\"allow-scripts allow-same-origin allow-popups allow-presentation\" referrerpolicy=\"no-referrer\" loading=\"lazy\" title=\"{}\"></iframe></div>",
                escape(url),
                crate::kernel::i18n::t(locale, "block_embed_title")
            ),
            Block::Text { .. } | Block::Math { .. } | Block::Spoiler { .. } => return None,
        })
    }

    /// A stored-kind block saved before its HTML was kept: its words as plain paragraphs.
    fn plain(&self) -> String {
        let text = match self {
            Block::Text { markdown } => markdown.clone(),
            Block::Math { latex } => latex.clone(),
            Block::Spoiler { title, markdown } => format!("{title}\n\n{markdown}"),
            _ => String::new(),
        };
        text.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| format!("<p>{}</p>", escape(p.trim()))).collect()
    }

    /// The origin a rendered block frames (a player or an allowed page), for a page's
    /// `frame-src`: an embed page allows exactly its blocks' frames.
    pub fn frame_origin(&self) -> Option<String> {
        let url = match self {
            Block::Video { url } => match VideoSource::parse(url).ok()? {
                VideoSource::Mp4(_) | VideoSource::Uploaded(_) => return None,
                source => source.player_url(0),
            },
            Block::Embed { url } => url.clone(),
            _ => return None,
        };
        let rest = url.strip_prefix("https://")?;
        let host = rest.split(['/', '?', '#']).next().filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':'))?;
        Some(format!("https://{host}"))
    }
}

/// A block as a page shows it, from its stored JSON and HTML: the HTML kept when it was
/// saved, or rendered now (video, button, embed). No Markdown or math renderer is reached
/// from here, so the student Worker carries neither.
pub fn shown(json: &str, stored: Option<&str>, start: u32, locale: crate::kernel::i18n::Locale) -> String {
    if let Some(html) = stored {
        return html.to_string();
    }
    match Block::from_json(json) {
        Some(block) => block.render_live(start, locale).unwrap_or_else(|| block.plain()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_uploaded_video_plays_under_its_viewers_watermark_and_frames_nothing() {
        use crate::kernel::i18n::Locale;
        let id = "0123456789abcdef0123456789abcdef";
        let video = Block::Video { url: format!("/media/{id}") };
        assert!(video.check(&[]).is_ok());
        let html = video.render(83, Locale::En);
        assert!(html.contains(&format!("src=\"/media/{id}#t=83\"")), "{html}");
        assert!(html.contains("controlslist=\"nodownload\"") && html.contains(WATERMARK_SLOT));
        assert_eq!(video.frame_origin(), None);
        let filled = fill_watermark(&html, "ana<b>@example.com", "7 Dec 2026");
        assert!(filled.contains("ana&lt;b&gt;@example.com · 7 Dec 2026") && !filled.contains(WATERMARK_SLOT));
        // Not a file id: refused.
        assert!(Block::Video { url: "/media/../x".into() }.check(&[]).is_err());
    }

    #[test]
    fn a_page_shows_the_stored_html_or_renders_the_live_kinds_or_plain_text_for_old_blocks() {
        use crate::kernel::i18n::Locale;
        let text = Block::Text { markdown: "**Gras**\n\nSuite <b>".into() };
        let json = serde_json::to_string(&text).unwrap();
        let stored = text.render_stored().unwrap();
        assert!(stored.contains("<strong>Gras</strong>"));
        assert_eq!(shown(&json, Some(&stored), 0, Locale::Fr), stored);
        // Saved before its HTML was kept: its words, escaped, never markup.
        assert_eq!(shown(&json, None, 0, Locale::Fr), "<p>**Gras**</p><p>Suite &lt;b&gt;</p>");
        let video = serde_json::to_string(&Block::Video { url: "https://vimeo.com/76979871".into() }).unwrap();
        assert!(shown(&video, None, 83, Locale::Fr).contains("player.vimeo.com/video/76979871"), "a video renders per request");
        assert!(Block::Video { url: "https://vimeo.com/1".into() }.render_stored().is_none());
        assert_eq!(shown("{not json", None, 0, Locale::Fr), "");
    }

    use super::*;
    use crate::kernel::i18n::Locale;

    fn hosts() -> Vec<String> {
        vec!["www.canva.com".into(), "docs.google.com".into()]
    }

    #[test]
    fn each_kind_renders_without_script() {
        let text = Block::Text { markdown: "Regardez [1:23] puis [0:05].".into() }.render(0, Locale::Fr);
        assert!(text.contains("<a class=\"timecode\" href=\"?t=83#video\" data-seek=\"83\">1:23</a>"), "{text}");
        let video = Block::Video { url: "https://youtu.be/dQw4w9WgXcQ".into() }.render(83, Locale::Fr);
        assert!(video.contains("id=\"video\"") && video.contains("embed/dQw4w9WgXcQ?start=83"), "{video}");
        let mp4 = Block::Video { url: "https://cdn.example.com/a.mp4".into() }.render(10, Locale::Fr);
        assert!(mp4.contains("<video controls") && mp4.contains("a.mp4#t=10"));
        let button = Block::Button { label: "S’inscrire <vite>".into(), url: "https://example.com/x?a=1&b=2".into() }.render(0, Locale::Fr);
        assert!(button.contains("rel=\"noopener noreferrer\"") && button.contains("S’inscrire &lt;vite&gt;") && button.contains("a=1&amp;b=2"));
        let spoiler = Block::Spoiler { title: "Réponse".into(), markdown: "**42**".into() }.render(0, Locale::Fr);
        assert!(spoiler.starts_with("<details class=\"block spoiler\"><summary>Réponse</summary>") && spoiler.contains("<strong>42</strong>"));
        assert!(Block::Math { latex: "x^2".into() }.render(0, Locale::Fr).contains("<math display=\"block\">"));
        let embed = Block::Embed { url: "https://www.canva.com/design/x/view".into() }.render(0, Locale::Fr);
        assert!(embed.contains("sandbox=\"allow-scripts allow-same-origin allow-popups allow-presentation\""));
    }

    #[test]
    fn hostile_blocks_are_refused_when_saved() {
        let cases: Vec<(Block, &str)> = vec![
            (Block::Embed { url: "https://evil.example/page".into() }, "block_embed_host"),
            (Block::Embed { url: "http://www.canva.com/x".into() }, "block_embed_host"),
            (Block::Embed { url: "https://www.canva.com@evil.example/x".into() }, "block_embed_host"),
            (Block::Embed { url: "https://www.canva.com/x\" onload=\"alert(1)".into() }, "block_embed_host"),
            (Block::Button { label: "x".into(), url: "javascript:alert(1)".into() }, "block_button_url"),
            (Block::Button { label: " ".into(), url: "https://example.com".into() }, "block_button_label"),
            (Block::Video { url: "https://evil.example/x".into() }, "video_unsupported"),
            (Block::Math { latex: "\\href{x}".into() }, "math_unknown_command"),
            (Block::Spoiler { title: "".into(), markdown: "x".into() }, "block_spoiler_title"),
        ];
        for (block, code) in cases {
            assert_eq!(block.check(&hosts()).unwrap_err().code, code, "{block:?}");
        }
        assert!(Block::Embed { url: "https://docs.google.com/presentation/d/abc/embed".into() }.check(&hosts()).is_ok());
    }

    #[test]
    fn timecode_links_leave_other_brackets_alone() {
        assert_eq!(link_timecodes("[note] [1:2] [99:99] [a:10]"), "[note] [1:2] [99:99] [a:10]");
        assert_eq!(link_timecodes("[[1:00]]"), "[<a class=\"timecode\" href=\"?t=60#video\" data-seek=\"60\">1:00</a>]");
    }

    #[test]
    fn hosts_lists_and_forms() {
        assert_eq!(parse_hosts("www.Canva.com\n\nhttps://docs.google.com/\nwww.canva.com"), Ok(vec!["www.canva.com".into(), "docs.google.com".into()]));
        assert_eq!(parse_hosts("ok.example\nnot a host"), Err(2));
        assert_eq!(parse_hosts("localhost"), Err(1));
        for kind in KINDS {
            let b = Block::from_form(kind, "t", "https://x.example/a.mp4", "L", "T").unwrap();
            assert_eq!(b.kind(), kind);
            assert_eq!(Block::from_json(&serde_json::to_string(&b).unwrap()).as_ref(), Some(&b), "stored and read back");
            let (text, url, label, title) = b.fields();
            assert_eq!(Block::from_form(kind, &text, &url, &label, &title), Some(b));
        }
        assert_eq!(Block::from_form("script", "", "", "", ""), None);
    }

    #[test]
    fn blocks_store_as_tagged_json() {
        let b = Block::Button { label: "Go".into(), url: "https://example.com".into() };
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(json, r#"{"kind":"button","label":"Go","url":"https://example.com"}"#);
        assert_eq!(serde_json::from_str::<Block>(&json).unwrap(), b);
        assert_eq!(Block::from_json(&json), Some(b));
        assert_eq!(Block::from_json(r#"{"kind":"button","label":"Go"}"#), None, "a field missing");
        assert_eq!(Block::from_json(r#"{"kind":"quiz","url":"x"}"#), None, "a kind unknown");
        assert_eq!(Block::from_json("not json"), None);
    }

    #[test]
    fn frames_name_their_origin_for_the_embed_policy() {
        assert_eq!(Block::Video { url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ".into() }.frame_origin().as_deref(), Some("https://www.youtube-nocookie.com"));
        assert_eq!(Block::Embed { url: "https://www.canva.com/design/x/view?embed".into() }.frame_origin().as_deref(), Some("https://www.canva.com"));
        assert_eq!(Block::Video { url: "https://cdn.example.com/a.mp4".into() }.frame_origin(), None);
        assert_eq!(Block::Embed { url: "https://evil.test';script-src *".into() }.frame_origin(), None, "nothing that could break out of the header");
        assert_eq!(Block::Text { markdown: "x".into() }.frame_origin(), None);
    }
}
