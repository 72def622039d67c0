//! `/login`, `/login/code`, `/login/link/:token`. The link page never logs anyone in by
//! itself: mail scanners open links, so only the button's POST consumes the token.

use crate::api::auth::link_info;
use crate::components::code_input::CodeInput;
use crate::components::layout::tr;
use crate::components::notice::{query, Notice};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let (email, next) = (query("email"), query("next"));
    view! {
        <section class="card narrow">
            <h1>{tr("login_title")}</h1>
            <p>{tr("login_lead")}</p>
            <Notice/>
            <form method="post" action="/api/request_login" class="stack">
                <input type="hidden" name="next" value=next/>
                <label>{tr("your_email")}<input name="email" type="email" required autocomplete="email" inputmode="email" value=email/></label>
                <button type="submit">{tr("send_code")}</button>
            </form>
        </section>
    }
}

#[component]
pub fn CodePage() -> impl IntoView {
    let (email, next) = (query("email"), query("next"));
    let shown = email.clone();
    view! {
        <section class="card narrow">
            <h1>{tr("check_email_title")}</h1>
            <p>{tr("check_email_lead")}</p>
            <p><strong>{shown}</strong></p>
            <Notice/>
            <form method="post" action="/api/verify_code" class="stack">
                <input type="hidden" name="email" value=email/>
                <input type="hidden" name="next" value=next/>
                <CodeInput label=tr("code_label").to_string()/>
                <button type="submit">{tr("verify")}</button>
            </form>
            <p><a href="/login">{tr("other_email")}</a></p>
        </section>
    }
}

#[component]
pub fn LinkPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, link_info);
    view! {
        <section class="card narrow">
            <Notice/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(Some(masked)) => view! {
                            <h1>{tr("continue_as")}" "{masked}</h1>
                            <p>{tr("link_lead")}</p>
                            <form method="post" action="/api/confirm_link" class="stack">
                                <input type="hidden" name="token" value=token()/>
                                <button type="submit">{tr("confirm_login")}</button>
                            </form>
                        }.into_any(),
                        _ => view! {
                            <h1>{tr("link_used")}</h1>
                            <p><a class="button" href="/login">{tr("new_login")}</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
