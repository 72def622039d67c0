//! The lesson editor's island: a formatting toolbar over the Markdown box and a live preview
//! beside it, rendered by the server as a saved lesson is (`/admin/preview/lesson`). Without
//! JavaScript neither shows: the form's "Preview" button opens the same rendering in a tab.

use leptos::prelude::*;

/// `labels`: each toolbar button's code and its words (read by screen readers, shown on hover).
#[island]
pub fn MarkdownTools(labels: Vec<(String, String)>, toolbar_label: String, preview_title: String) -> impl IntoView {
    let ready = RwSignal::new(false);
    let preview = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        ready.set(true);
        client::watch(preview);
    });
    let buttons = labels
        .into_iter()
        .map(|(code, label)| {
            let glyph = crate::features::courses::editor::Format::parse(&code).map(|f| f.glyph()).unwrap_or("?");
            let format = code.clone();
            let on_click = move |_| {
                #[cfg(feature = "hydrate")]
                client::format(&format, preview);
                #[cfg(not(feature = "hydrate"))]
                let _ = &format;
            };
            let title = label.clone();
            view! {
                <button type="button" class="tool" data-format=code title=title on:click=on_click>
                    <span aria-hidden="true">{glyph}</span><span class="visually-hidden">{label}</span>
                </button>
            }
        })
        .collect_view();
    let pane_label = preview_title.clone();
    view! {
        <div class="md-toolbar" role="toolbar" aria-label=toolbar_label hidden=move || !ready.get()>{buttons}</div>
        // Focusable: it scrolls on a desktop, and a keyboard must reach all of it.
        <section class="md-preview-pane" aria-live="polite" tabindex="0" aria-label=pane_label hidden=move || !ready.get()>
            <h3>{preview_title}</h3>
            <div class="content md-preview" inner_html=move || preview.get()></div>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use super::*;
    use crate::features::courses::editor::{apply, Format};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    /// The preview waits this long after the last key before asking the server.
    const PREVIEW_DELAY_MS: i32 = 350;

    fn textarea() -> Option<web_sys::HtmlTextAreaElement> {
        document().query_selector("textarea[name=content_md]").ok()??.dyn_into().ok()
    }

    /// UTF-16 offsets (the browser's) to byte offsets in `text`, and back.
    fn to_bytes(text: &str, units: u32) -> usize {
        let mut seen = 0u32;
        for (i, c) in text.char_indices() {
            if seen >= units {
                return i;
            }
            seen += c.len_utf16() as u32;
        }
        text.len()
    }

    fn to_units(text: &str, bytes: usize) -> u32 {
        text[..bytes].encode_utf16().count() as u32
    }

    pub fn format(code: &str, preview: RwSignal<String>) {
        let (Some(area), Some(format)) = (textarea(), Format::parse(code)) else { return };
        let text = area.value();
        let start = to_bytes(&text, area.selection_start().ok().flatten().unwrap_or(0));
        let end = to_bytes(&text, area.selection_end().ok().flatten().unwrap_or(0));
        let (changed, s, e) = apply(&text, start, end, format);
        area.set_value(&changed);
        let _ = area.focus();
        let _ = area.set_selection_range(to_units(&changed, s), to_units(&changed, e));
        refresh(changed, preview);
    }

    /// Renders the preview now, then after each pause in typing.
    pub fn watch(preview: RwSignal<String>) {
        let Some(area) = textarea() else { return };
        refresh(area.value(), preview);
        let version = std::rc::Rc::new(std::cell::Cell::new(0u32));
        let on_input = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            let mine = version.get() + 1;
            version.set(mine);
            let version = version.clone();
            let later = wasm_bindgen::closure::Closure::once_into_js(move || {
                if version.get() == mine {
                    if let Some(area) = textarea() {
                        refresh(area.value(), preview);
                    }
                }
            });
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), PREVIEW_DELAY_MS);
        });
        let _ = area.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
        on_input.forget();
    }

    fn refresh(markdown: String, preview: RwSignal<String>) {
        leptos::task::spawn_local(async move {
            let body = format!("content_md={}", String::from(js_sys::encode_uri_component(&markdown)));
            let init = web_sys::RequestInit::new();
            init.set_method("POST");
            init.set_credentials(web_sys::RequestCredentials::SameOrigin);
            init.set_body(&wasm_bindgen::JsValue::from_str(&body));
            let Ok(answer) = JsFuture::from(window().fetch_with_str_and_init("/admin/preview/lesson?fragment=1", &init)).await else { return };
            let Ok(response) = answer.dyn_into::<web_sys::Response>() else { return };
            if !response.ok() {
                return;
            }
            let Ok(text) = response.text() else { return };
            if let Ok(html) = JsFuture::from(text).await {
                // The server's rendering of lesson Markdown: raw HTML is shown as text there.
                preview.set(html.as_string().unwrap_or_default());
            }
        });
    }
}
