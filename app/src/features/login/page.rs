//! `/login`, `/login/code` (check your email, and wait), `/login/link/:token`. The link page
//! never logs anyone in by itself: mail scanners open links, so only its buttons' POST
//! consumes the token.

use crate::features::login::api::{link_state, waiting_login};
use crate::features::login::types::{LinkState, WaitStatus};
use crate::features::login::code_input::CodeInput;
use crate::ui::layout::{tr, viewer};
use crate::features::login::islands::{CopyLink, WaitPoller, FINISH_FORM_ID};
use crate::ui::notice::{query, Notice};
use crate::ui::post_form::PostForm;
use crate::kernel::time::{ago, clock_time};
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// In an app's built-in browser, the session would stay in that app: say how to open the
/// page in the phone's browser.
#[component]
fn InAppSteps() -> impl IntoView {
    viewer().in_app.map(|(name, steps)| {
        view! {
            <div class="notice inapp" role="note">
                <strong>{tr("inapp_title").replace("{app}", &name)}</strong>
                <p>{tr(&steps)}</p>
            </div>
        }
    })
}

/// `?next=` as the one `safe_next` accepts it (else nothing): the forms and the poller only
/// ever carry a same-site path.
fn safe_next_query() -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let next = query("next");
    move || crate::kernel::next::safe_next(&next()).unwrap_or("").to_string()
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let (email, next) = (query("email"), safe_next_query());
    let in_app = viewer().in_app.is_some();
    let request_form = {
        let (email, next) = (email.clone(), next.clone());
        view! {
            <PostForm action="/api/request_login" class="stack">
                <input type="hidden" name="next" value=next/>
                <label>{tr("your_email")}<input name="email" type="email" required autocomplete="email" inputmode="email" value=email/></label>
                <button type="submit">{tr("send_code")}</button>
            </PostForm>
        }
    };
    view! {
        <section class="card narrow">
            <PageTitle text=tr("login_title")/><h1>{tr("login_title")}</h1>
            <InAppSteps/>
            <Notice/>
            // In an app's browser, the student often already has a code from an earlier try:
            // lead with typing it, which works in any browser.
            {in_app.then(|| view! {
                <h2>{tr("have_code")}</h2>
                <PostForm action="/api/verify_code" class="stack">
                    <input type="hidden" name="next" value=next.clone()/>
                    <label>{tr("your_email")}<input name="email" type="email" required autocomplete="email" inputmode="email" value=email.clone()/></label>
                    <CodeInput label=tr("code_label").to_string()/>
                    <button type="submit">{tr("verify")}</button>
                </PostForm>
                <h2>{tr("need_code")}</h2>
            })}
            {(!in_app).then(|| view! { <p>{tr("login_lead")}</p> })}
            {request_form}
        </section>
    }
}

#[component]
pub fn CodePage() -> impl IntoView {
    let (email, next) = (query("email"), safe_next_query());
    // Read by two parts of the page: a resource, read once.
    let waiting = Resource::new(|| (), |_| waiting_login());
    let v = viewer();
    let zone = v.time_zone().to_string();
    let shown = email.clone();
    let (resend_email, resend_next, finish_next, poll_next) = (email.clone(), next.clone(), next.clone(), next.clone());
    view! {
        <section class="card narrow">
            <PageTitle text=tr("check_email_title")/><h1>{tr("check_email_title")}</h1>
            <p>{tr("check_email_lead")}</p>
            <p><strong>{shown}</strong></p>
            <Notice/>
            <Suspense fallback=|| ()>
                {move || {
                    let zone = zone.clone();
                    Suspend::new(async move {
                        let w = waiting.await.ok().flatten()?;
                        let first = tr("sent_at").replace("{time}", &clock_time(w.created_at, &zone));
                        let again = (w.sent_count > 1).then(|| tr("sent_again_at").replace("{time}", &clock_time(w.last_sent_at, &zone)));
                        Some(view! { <p class="muted sent">{first}{again.map(|a| format!(" · {a}"))}</p> })
                    })
                }}
            </Suspense>
            <PostForm action="/api/verify_code" class="stack">
                <input type="hidden" name="email" value=email/>
                <input type="hidden" name="next" value=next/>
                <CodeInput label=tr("code_label").to_string()/>
                <button type="submit">{tr("verify")}</button>
            </PostForm>
            <PostForm action="/api/request_login" class="inline">
                <input type="hidden" name="email" value=resend_email/>
                <input type="hidden" name="next" value=resend_next/>
                <input type="hidden" name="resend" value="1"/>
                <button type="submit" class="link">{tr("resend")}</button>
            </PostForm>
            <Suspense fallback=|| ()>
                {move || {
                    let (finish_next, poll_next) = (finish_next.clone(), poll_next.clone());
                    Suspend::new(async move {
                        let w = waiting.await.ok().flatten()?;
                        matches!(w.status, WaitStatus::Waiting | WaitStatus::Approved).then(|| view! {
                            <div class="wait">
                                <p>{tr("wait_lead")}</p>
                                <PostForm action="/api/finish_login" id=FINISH_FORM_ID class="stack">
                                    <input type="hidden" name="next" value=finish_next/>
                                    <button type="submit" class="secondary">{tr("wait_continue")}</button>
                                </PostForm>
                                <WaitPoller next=poll_next()/>
                            </div>
                        })
                    })
                }}
            </Suspense>
            <p><a href="/login">{tr("other_email")}</a></p>
        </section>
    }
}

#[component]
pub fn LinkPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let state = crate::ui::page_data::page_data(token, link_state);
    let v = viewer();
    let (now, locale, in_app) = (v.now_ms, v.locale, v.in_app.is_some());
    view! {
        <section class="card narrow">
            <InAppSteps/>
            <Notice/>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let fresh = move |lead: &'static str| view! {
                        <p>{tr(lead)}</p>
                        <PostForm action="/api/fresh_login" class="stack">
                            <input type="hidden" name="token" value=token()/>
                            <button type="submit">{tr("send_new_link")}</button>
                        </PostForm>
                    };
                    match state.await {
                        Ok(LinkState::Live { masked_email, requested_from, requested_at, same_browser }) => {
                            let offer_both = requested_from.is_some() && !same_browser;
                            let asked = requested_from.map(|device| tr("requested_from").replace("{device}", &device).replace("{ago}", &ago(now, requested_at, locale)));
                            view! {
                                <PageTitle text=tr("continue_as")/><h1>{tr("continue_as")}" "{masked_email}</h1>
                                {asked.map(|a| view! { <p class="device">{a}</p> })}
                                <PostForm action="/api/confirm_link" class="stack">
                                    <input type="hidden" name="token" value=token()/>
                                    // The first submit button is the default (Enter): this browser only.
                                    <button type="submit" name="choice" value="here">{tr("log_in_here")}</button>
                                    {offer_both.then(|| view! {
                                        <button type="submit" name="choice" value="both" class="secondary">{tr("also_log_in_there")}</button>
                                        <p class="muted">{tr("also_log_in_hint")}</p>
                                    })}
                                </PostForm>
                                {in_app.then(|| view! { <CopyLink label=tr("copy_link").to_string() done=tr("link_copied").to_string()/> })}
                            }
                            .into_any()
                        }
                        Ok(LinkState::Used { logged_in_here: true, .. }) => view! {
                            <PageTitle text=tr("already_logged_in")/><h1>{tr("already_logged_in")}</h1>
                            <p><a class="button" href="/">{tr("my_courses")}</a></p>
                        }
                        .into_any(),
                        Ok(LinkState::Used { masked_email, .. }) => view! {
                            <PageTitle text=tr("link_used")/><h1>{tr("link_used")}</h1>
                            <p class="muted">{masked_email}</p>
                            {fresh("link_used_lead")}
                        }
                        .into_any(),
                        Ok(LinkState::Expired { masked_email }) => view! {
                            <PageTitle text=tr("link_expired")/><h1>{tr("link_expired")}</h1>
                            <p class="muted">{masked_email}</p>
                            {fresh("link_expired_lead")}
                        }
                        .into_any(),
                        _ => view! {
                            <PageTitle text=tr("link_invalid")/><h1>{tr("link_invalid")}</h1>
                            <p><a class="button" href="/login">{tr("new_login")}</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
