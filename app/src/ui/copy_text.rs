//! A "copy" button for a value shown on the page (the embed snippet, its URL). Without
//! JavaScript the value is still there to select in its read-only field.

use leptos::prelude::*;

#[island]
pub fn CopyText(text: String, label: String, done: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().navigator().clipboard().write_text(&text);
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    view! {
        <p>
            <button type="button" class="secondary" on:click=on_click>{label}</button>
            " "<span class="muted" role="status">{move || copied.get().then(|| done.clone())}</span>
        </p>
    }
}
