//! The player of uploaded videos. The page already shows the browser's player under a
//! watermark with the student's email and the date (it drifts by CSS alone), without a
//! download button. Awake, this island adds what needs a script:
//! - the watermark jumps to a new random place every few seconds (harder to crop or blur);
//! - full screen takes the player with its watermark (the browser's own full screen button,
//!   which would show the bare video, is hidden);
//! - right-click "Save video as…" is discouraged (the menu does not open on the video);
//! - the first "play" of the page counts a view for the student (the creator sees it), and
//!   where they are in the video is kept (every 10 s of playing, and on pause) so that
//!   "continue" starts it there;
//! - a link that expired while the page stayed open (after `SIGNED_URL_TTL_MS`) is renewed by
//!   reopening the lesson where the video was.
//!
//! None of this makes copying impossible (a screen recorder still works); the page says so.

use leptos::prelude::*;

#[island]
pub fn VideoPlayer(full_screen: String) -> impl IntoView {
    let live = RwSignal::new(false);
    Effect::new(move |_| {
        live.set(true);
        #[cfg(feature = "hydrate")]
        install(&full_screen);
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = &full_screen;
    view! { <span class="video-player" hidden data-live=move || live.get().then_some("1")></span> }
}

/// Tells the server about this video (`POST /media/{id}/views` with its signed query): a
/// view, or with `&at=N` where the student is.
#[cfg(feature = "hydrate")]
fn tell(video: &web_sys::Element, extra: &str) {
    let Some(src) = video.get_attribute("src") else { return };
    let src = src.split('#').next().unwrap_or("");
    let (path, query) = src.split_once('?').unwrap_or((src, ""));
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let _ = window().fetch_with_str_and_init(&format!("{path}/views?{query}{extra}"), &init);
}

/// How often, while playing, the player tells where the student is (seconds of video).
#[cfg(feature = "hydrate")]
const POSITION_EVERY_S: f64 = 10.0;

/// How often the watermark moves, in milliseconds.
#[cfg(feature = "hydrate")]
const WANDER_MS: i32 = 6000;

#[cfg(feature = "hydrate")]
fn install(full_screen: &str) {
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    let doc = document();
    let Ok(players) = doc.query_selector_all(".player[data-player]") else { return };
    for i in 0..players.length() {
        let Some(player) = players.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        let Ok(Some(video)) = player.query_selector("video") else { continue };
        let _ = video.set_attribute("controlslist", "nodownload nofullscreen");
        let _ = player.class_list().add_1("live");
        // Right-click on the video: no "Save video as…".
        let no_menu = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| e.prevent_default());
        let _ = player.add_event_listener_with_callback("contextmenu", no_menu.as_ref().unchecked_ref());
        no_menu.forget();
        // Full screen: the player with its watermark.
        if let Ok(button) = doc.create_element("button") {
            let _ = button.set_attribute("type", "button");
            let _ = button.set_attribute("class", "secondary player-full-screen");
            button.set_text_content(Some(full_screen));
            let target = player.clone();
            let toggle = Closure::<dyn FnMut()>::new(move || {
                let doc = document();
                if doc.fullscreen_element().is_some() {
                    doc.exit_fullscreen();
                } else {
                    let _ = target.request_fullscreen();
                }
            });
            let _ = button.add_event_listener_with_callback("click", toggle.as_ref().unchecked_ref());
            toggle.forget();
            if let Some(parent) = player.parent_node() {
                let _ = parent.insert_before(&button, player.next_sibling().as_ref());
            }
        }
        // The watermark wanders.
        if let Ok(Some(mark)) = player.query_selector(".watermark") {
            let wander = Closure::<dyn FnMut()>::new(move || {
                // Within the picture: the mark is at most 58% wide and two lines high.
                let (top, left) = (4.0 + js_sys::Math::random() * 62.0, 2.0 + js_sys::Math::random() * 38.0);
                let _ = mark.set_attribute("style", &format!("top:{top:.0}%;left:{left:.0}%"));
            });
            let _ = window().set_interval_with_callback_and_timeout_and_arguments_0(wander.as_ref().unchecked_ref(), WANDER_MS);
            wander.forget();
        }
        // The first play counts a view.
        let counted = std::rc::Rc::new(std::cell::Cell::new(false));
        let source = video.clone();
        let on_play = Closure::<dyn FnMut()>::new(move || {
            if counted.replace(true) {
                return;
            }
            tell(&source, "");
        });
        let _ = video.add_event_listener_with_callback("play", on_play.as_ref().unchecked_ref());
        on_play.forget();
        // Where the student is, every few seconds of playing and on pause: "continue" starts
        // the video there.
        let last_sent = std::rc::Rc::new(std::cell::Cell::new(-1.0f64));
        let (source, media_el) = (video.clone(), video.clone().dyn_into::<web_sys::HtmlMediaElement>().ok());
        let keep_position = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            let Some(m) = media_el.as_ref() else { return };
            let at = m.current_time().floor();
            let paused = e.type_() == "pause";
            if !paused && (at - last_sent.get()).abs() < POSITION_EVERY_S {
                return;
            }
            last_sent.set(at);
            tell(&source, &format!("&at={at}"));
        });
        for event in ["timeupdate", "pause"] {
            let _ = video.add_event_listener_with_callback(event, keep_position.as_ref().unchecked_ref());
        }
        keep_position.forget();
        // An expired link: the lesson again, where the video was.
        let media = video.clone().dyn_into::<web_sys::HtmlMediaElement>().ok();
        let on_error = Closure::<dyn FnMut()>::new(move || {
            let opened_ms = window().performance().map(|p| p.now()).unwrap_or(0.0);
            if opened_ms < (crate::features::media::rules::SIGNED_URL_TTL_MS - 60_000) as f64 {
                return;
            }
            let at = media.as_ref().map(|m| m.current_time() as u32).unwrap_or(0);
            let location = window().location();
            let path = location.pathname().unwrap_or_default();
            let _ = location.replace(&format!("{path}?t={at}#video"));
        });
        let _ = video.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
        on_error.forget();
    }
}
