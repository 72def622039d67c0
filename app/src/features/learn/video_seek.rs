//! Timecodes that seek the lesson's video in place. Without JavaScript a timecode is a link
//! that reloads the lesson with the video starting there (`?t=83#video`); with it, this island
//! moves the player instead: a `<video>` by its current time, an embedded player by loading
//! it again at that time (its URL template is on the frame: no third-party script).

use leptos::prelude::*;

#[island]
pub fn VideoSeek() -> impl IntoView {
    let live = RwSignal::new(false);
    Effect::new(move |_| {
        live.set(true);
        #[cfg(feature = "hydrate")]
        install();
    });
    view! { <span class="video-seek" hidden data-live=move || live.get().then_some("1")></span> }
}

#[cfg(feature = "hydrate")]
fn install() {
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    let handler = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let Ok(Some(link)) = target.closest("a[data-seek]") else { return };
        let Some(seconds) = link.get_attribute("data-seek").and_then(|s| s.parse::<u32>().ok()) else { return };
        let doc = document();
        if let Ok(Some(video)) = doc.query_selector("#video video") {
            let Ok(media) = video.dyn_into::<web_sys::HtmlMediaElement>() else { return };
            media.set_current_time(seconds as f64);
            let _ = media.play();
        } else if let Ok(Some(frame)) = doc.query_selector("#video iframe") {
            let Some(template) = frame.get_attribute("data-seek-src") else { return };
            let _ = frame.set_attribute("src", &template.replace("{t}", &seconds.to_string()));
        } else {
            return;
        }
        event.prevent_default();
        if let Ok(Some(player)) = doc.query_selector("#video") {
            player.scroll_into_view();
        }
    });
    let _ = document().add_event_listener_with_callback("click", handler.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    handler.forget();
}
