//! Messages carried in the URL after a form post (`?error=key`, `?ok=key`, or Leptos'
//! `__err`), so they show with or without JavaScript.

use crate::components::layout::tr;
use crate::i18n::has_key;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub fn query(name: &'static str) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let q = use_query_map();
    move || q.read().get(name).unwrap_or_default()
}

#[component]
pub fn Notice() -> impl IntoView {
    let q = use_query_map();
    let error = move || {
        let q = q.read();
        // A list's message names the line it is about.
        let line = q.get("line").filter(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()));
        let column = q.get("column").unwrap_or_default();
        let on_line = |m: String| {
            let m = m.replace("{column}", &column);
            match &line {
                Some(n) if m.contains("{line}") => m.replace("{line}", n),
                Some(n) => format!("{} {m}", tr("line_n").replace("{n}", n)),
                None => m,
            }
        };
        match q.get("error") {
            Some(key) if has_key(&key) => Some(on_line(tr(&key).to_string())),
            Some(_) => Some(tr("bad_request").to_string()),
            None => q.get("__err").map(|_| tr("internal").to_string()),
        }
    };
    let ok = move || q.read().get("ok").filter(|k| has_key(k)).map(|k| tr(&k));
    // A limit says when to try again, in the school's time.
    let retry = move || {
        let at = q.read().get("retry")?.parse::<i64>().ok()?;
        let v = crate::components::layout::viewer();
        let minutes = crate::domain::throttle::RetryAt(at).minutes_from(v.now_ms);
        Some(tr("retry_at").replace("{time}", &crate::domain::time::clock_time(at, v.time_zone())).replace("{minutes}", &minutes.to_string()))
    };
    view! {
        {move || error().map(|m| view! { <p class="notice error" role="alert">{m}{retry().map(|r| format!(" {r}"))}</p> })}
        {move || ok().map(|m| view! { <p class="notice ok" role="status">{m}</p> })}
    }
}

/// The standard page for errors from page loaders.
#[component]
pub fn ErrorPage(error: crate::error::AppError) -> impl IntoView {
    use crate::error::AppError;
    #[cfg(feature = "ssr")]
    crate::api::ssr::set_status(error.status());
    match error {
        AppError::LoginRequired => {
            let loc = leptos_router::hooks::use_location();
            let next = crate::api::encode(&loc.pathname.get_untracked());
            view! { <leptos_router::components::Redirect path=format!("/login?next={next}")/> }.into_any()
        }
        AppError::NotAvailable | AppError::NotFound => view! {
            <section class="card">
                <h1>{tr("not_available")}</h1>
                <p>{tr("not_available_lead")}</p>
                <p><a href="/">"← "{tr("my_courses")}</a></p>
            </section>
        }
        .into_any(),
        other => view! {
            <section class="card"><h1>{tr("not_available")}</h1><p>{tr(other.message_key())}</p></section>
        }
        .into_any(),
    }
}
