//! Messages carried in the URL after a form post (`?error=key`, `?ok=key`), so they show
//! with or without JavaScript.

use crate::ui::layout::tr;
use crate::kernel::i18n::has_key;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// A query value of the page's URL, decoded exactly once. (leptos_router's own query map
/// decodes twice: `?next=/%255C` would read as `/\`.)
pub fn query(name: &'static str) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let search = use_location().search;
    move || crate::kernel::csrf::form_value(&search.read(), name).unwrap_or_default()
}

/// `query` for a name known only at run time.
pub fn query_dyn() -> impl Fn(&str) -> String + Clone + Send + Sync + 'static {
    let search = use_location().search;
    move |name: &str| crate::kernel::csrf::form_value(&search.read(), name).unwrap_or_default()
}

#[component]
pub fn Notice() -> impl IntoView {
    let q = query_dyn();
    let get = move |k: &str| Some(q(k)).filter(|v| !v.is_empty());
    let error = {
        let get = get.clone();
        move || {
        // A list's message names the line it is about.
        let line = get("line").filter(|l| l.bytes().all(|b| b.is_ascii_digit()));
        let column = get("column").unwrap_or_default();
        // A refused file's message shows its figures ("this file is 2.3 GB; the limit is 2 GB").
        // A refused template names its unknown fields.
        let figures: Vec<(&str, String)> = [("size", 16), ("limit", 16), ("used", 16), ("quota", 16), ("fields", 200)].into_iter().filter_map(|(k, max)| get(k).filter(|v| v.chars().count() <= max).map(|v| (k, v))).collect();
        let on_line = |m: String| {
            let mut m = m.replace("{column}", &column);
            for (k, v) in &figures {
                m = m.replace(&format!("{{{k}}}"), v);
            }
            match &line {
                Some(n) if m.contains("{line}") => m.replace("{line}", n),
                Some(n) => format!("{} {m}", tr("line_n").replace("{n}", n)),
                None => m,
            }
        };
        match get("error") {
            Some(key) if has_key(&key) => Some(on_line(tr(&key).to_string())),
            Some(_) => Some(tr("bad_request").to_string()),
            None => None,
        }
        }
    };
    let ok = {
        let get = get.clone();
        // "Certificates reissued: 12."
        move || get("ok").filter(|k| has_key(k)).map(|k| tr(&k).replace("{count}", &get("count").filter(|c| c.len() <= 9 && c.bytes().all(|b| b.is_ascii_digit())).unwrap_or_default()))
    };
    // A limit says when to try again, in the school's time.
    let retry = move || {
        let at = get("retry")?.parse::<i64>().ok()?;
        let v = crate::ui::layout::viewer();
        let minutes = crate::kernel::time::RetryAt(at).minutes_from(v.now_ms);
        Some(tr("retry_at").replace("{time}", &crate::kernel::time::clock_time(at, v.time_zone())).replace("{minutes}", &minutes.to_string()))
    };
    view! {
        {move || error().map(|m| view! { <p class="notice error" role="alert">{m}{retry().map(|r| format!(" {r}"))}</p> })}
        {move || ok().map(|m| view! { <p class="notice ok" role="status">{m}</p> })}
    }
}

/// The standard page for errors from page loaders.
#[component]
pub fn ErrorPage(error: crate::kernel::error::AppError) -> impl IntoView {
    use crate::kernel::error::AppError;
    #[cfg(feature = "ssr")]
    crate::kernel::fns::set_status(error.status());
    match error {
        AppError::LoginRequired => {
            let loc = leptos_router::hooks::use_location();
            let next = crate::kernel::url::encode(&loc.pathname.get_untracked());
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

/// A page only some of the team may use: anyone else gets the 403 page (or the login page),
/// never the page's forms. The server functions behind the forms check the same permission.
#[component]
pub fn Allowed(permission: crate::kernel::access::Permission, children: ChildrenFn) -> impl IntoView {
    use crate::kernel::error::AppError;
    let v = crate::ui::layout::viewer();
    if v.may(permission) {
        children().into_any()
    } else {
        let error = if v.user.is_none() { AppError::LoginRequired } else if v.school.is_none() { AppError::NotFound } else { AppError::Forbidden };
        view! { <ErrorPage error/> }.into_any()
    }
}
