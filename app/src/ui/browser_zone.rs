//! The creator's time zone, as their browser knows it, sent with the new-school form. Without
//! JavaScript the field stays empty and the server picks a default (changeable in settings).

use leptos::prelude::*;

#[island]
pub fn BrowserTimeZone() -> impl IntoView {
    let zone = RwSignal::new(String::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        zone.set(browser_zone());
    });
    view! { <input type="hidden" name="time_zone" prop:value=move || zone.get()/> }
}

/// `Intl.DateTimeFormat().resolvedOptions().timeZone`.
#[cfg(feature = "hydrate")]
fn browser_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into()).ok().and_then(|z| z.as_string()).unwrap_or_default()
}
