//! The two interactive parts of the login pages. Both pages work without them: the waiting
//! page has an "I've confirmed, continue" button, the link page names the app's menu.

use leptos::prelude::*;

/// The waiting page's finish form, which the poller submits.
pub const FINISH_FORM_ID: &str = "finish-login";
/// How often the waiting page asks whether the login was confirmed elsewhere.
pub const POLL_EVERY_MS: u64 = 2_500;
/// A login request lives 10 minutes: the poller stops after that.
pub const POLL_FOR_MS: u64 = 11 * 60_000;

/// Polls `login_status` (a read-only GET). Confirmed elsewhere with "also log in on that
/// device": submits the finish form (a POST, which opens the session). Logged in by another
/// tab of this browser: goes on to `next`.
#[island]
pub fn WaitPoller(next: String) -> impl IntoView {
    let live = RwSignal::new(false);
    Effect::new(move |_| {
        live.set(true);
        #[cfg(feature = "hydrate")]
        start_polling(next.clone());
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = next;
    view! { <span class="poller" aria-live="polite" data-live=move || live.get().then_some("1")></span> }
}

#[cfg(feature = "hydrate")]
fn start_polling(next: String) {
    use crate::features::login::types::WaitStatus;
    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::Duration;
    let started = js_sys_now();
    let busy = Rc::new(Cell::new(false));
    let handle: Rc<Cell<Option<IntervalHandle>>> = Rc::new(Cell::new(None));
    let stop = {
        let handle = handle.clone();
        move || {
            if let Some(h) = handle.take() {
                h.clear();
            }
        }
    };
    let tick = move || {
        if busy.get() {
            return;
        }
        if js_sys_now() - started > POLL_FOR_MS as f64 {
            stop();
            return;
        }
        busy.set(true);
        let (busy, next, stop) = (busy.clone(), next.clone(), stop.clone());
        leptos::task::spawn_local(async move {
            match crate::features::login::api::login_status().await {
                Ok(Some(WaitStatus::Approved)) => {
                    stop();
                    submit_finish_form();
                }
                Ok(Some(WaitStatus::LoggedIn)) => {
                    stop();
                    let to = crate::kernel::next::safe_next(&next).unwrap_or("/");
                    let _ = window().location().set_href(to);
                }
                Ok(Some(WaitStatus::Closed)) | Ok(None) => stop(),
                _ => {}
            }
            busy.set(false);
        });
    };
    if let Ok(h) = set_interval_with_handle(tick, Duration::from_millis(POLL_EVERY_MS)) {
        handle.set(Some(h));
    }
}

#[cfg(feature = "hydrate")]
fn js_sys_now() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

#[cfg(feature = "hydrate")]
fn submit_finish_form() {
    use leptos::wasm_bindgen::JsCast;
    if let Some(form) = document().get_element_by_id(FINISH_FORM_ID).and_then(|e| e.dyn_into::<web_sys::HtmlFormElement>().ok()) {
        let _ = form.request_submit();
    }
}

/// "Copy link", for in-app browsers: paste it in the phone's browser to log in there.
#[island]
pub fn CopyLink(label: String, done: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let href = window().location().href().unwrap_or_default();
            let _ = window().navigator().clipboard().write_text(&href);
            copied.set(true);
        }
    };
    view! {
        <p>
            <button type="button" class="secondary" on:click=on_click>{label}</button>
            " "<span class="muted" role="status">{move || copied.get().then(|| done.clone())}</span>
        </p>
    }
}
