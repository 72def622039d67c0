//! `/account`: where I am logged in, and "log out everywhere".

use crate::features::account::api::load_account;
use crate::ui::layout::{tr, viewer};
use crate::ui::notice::{ErrorPage, Notice};
use crate::ui::post_form::PostForm;
use crate::kernel::time::date_time;
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let account = Resource::new(|| (), |_| load_account());
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    view! {
        <section class="card narrow">
            <PageTitle text=tr("account_title")/><h1>{tr("account_title")}</h1>
            <Notice/>
            <Suspense fallback=|| ()>
                {move || {
                    let zone = zone.clone();
                    Suspend::new(async move {
                        match account.await {
                            Ok(a) => view! {
                                <p><strong>{a.email}</strong></p>
                                <h2>{tr("sessions_title")}</h2>
                                <ul class="sessions">
                                    {a.sessions.into_iter().map(|s| {
                                        let since = tr("session_since").replace("{time}", &date_time(s.created_at, &zone, locale));
                                        let seen = tr("session_seen").replace("{time}", &date_time(s.last_seen_at, &zone, locale));
                                        view! {
                                            <li>
                                                <strong>{s.device}</strong>
                                                {s.current.then(|| view! { " "<span class="badge ok">{tr("this_device")}</span> })}
                                                <br/><span class="muted">{since}" · "{seen}</span>
                                                {(!s.current).then(|| view! {
                                                    <PostForm action="/api/end_session" class="inline">
                                                        <input type="hidden" name="id" value=s.id.clone()/>
                                                        <button type="submit" class="link">{tr("end_session")}</button>
                                                    </PostForm>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                <h2>{tr("digest_emails")}</h2>
                                <PostForm action="/api/set_digest" class="inline">
                                    <input type="hidden" name="on" value=if a.digest_on { "0" } else { "1" }/>
                                    <button type="submit" class="secondary">{tr(if a.digest_on { "digest_off" } else { "digest_on" })}</button>
                                </PostForm>
                                <PostForm action="/api/logout_everywhere" class="stack">
                                    <button type="submit" class="danger">{tr("logout_everywhere")}</button>
                                </PostForm>
                            }.into_any(),
                            Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
