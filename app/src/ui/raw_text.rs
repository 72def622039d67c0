//! The only `<textarea>`, `<title>` and `<style>` of the app. Leptos writes a textarea's children as they
//! are, and leptos_meta the title's text (both are raw-text elements to them), so user text
//! goes in through `kernel::html::escape`: a note that says `</textarea><script>` stays a
//! note, a school named `</title><script>` stays a name. `app/tests/raw_text.rs` fails the
//! tests if any other view puts children in a textarea, title, script, style or noscript.

use crate::kernel::html::escape;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TextArea(
    #[prop(into, optional)] name: Option<String>,
    /// What the box shows: saved or typed text, escaped here.
    #[prop(into, optional)]
    value: String,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] readonly: bool,
    #[prop(optional)] required: bool,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] id: Option<&'static str>,
    /// For a box without a `<label>` around it (a survey question's answer).
    #[prop(into, optional)]
    aria_label: Option<String>,
) -> impl IntoView {
    view! {
        <textarea name=name id=id class=class aria-label=aria_label rows=rows maxlength=maxlength placeholder=placeholder readonly=readonly required=required inner_html=escape(&value)></textarea>
    }
}

/// The page's `<title>`: "what this page is · the school" (or Atelier on the platform site).
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    let v = crate::ui::layout::viewer();
    let site = v.school.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| "Atelier".into());
    let full = if text.is_empty() || text == site { site } else { format!("{text} · {site}") };
    view! { <Title text=escape(&full)/> }
}

/// The school's colours as the page's style: buttons and links in `brand`, and the header
/// band in `header` (white text on it). Only colours parsed as `#rrggbb` reach it, written
/// back by `Rgb::hex`, and escaped all the same.
#[component]
pub fn SchoolStyle(brand: Option<crate::kernel::color::Rgb>, header: Option<crate::kernel::color::Rgb>) -> impl IntoView {
    let mut css = String::new();
    if let Some(b) = brand {
        css.push_str(&format!(":root{{--accent:{}}}", b.hex()));
    }
    if let Some(h) = header {
        css.push_str(&format!(
            "header.top{{background:{0};border-bottom-color:{0};color:#fff}}header.top a,header.top .link,header.top .brand,header.top .who{{color:#fff}}",
            h.hex()
        ));
    }
    (!css.is_empty()).then(|| view! { <style inner_html=escape(&css)></style> })
}
