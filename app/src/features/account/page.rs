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
    let account = crate::ui::page_data::page_data(|| (), |_| load_account());
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    let next = crate::ui::notice::query("next");
    view! {
        <section class="card narrow">
            <PageTitle text=tr("account_title")/><h1>{tr("account_title")}</h1>
            <Notice/>
            <Suspense fallback=|| ()>
                {{
                    let zone = zone.clone();
                    let next = next.clone();
                    Suspend::new(async move {
                        match account.await {
                            Ok(a) => view! {
                                <p><strong>{a.email.clone()}</strong></p>
                                <h2 id="profile">{tr("profile")}</h2>
                                <PostForm action="/api/save_profile" class="stack">
                                    // Sent here to give a name (a certificate without one): back there after.
                                    {(!next().is_empty()).then(|| view! { <input type="hidden" name="next" value=next()/> })}
                                    <label>{tr("first_name")}<input name="first_name" maxlength="100" autocomplete="given-name" value=a.first_name.clone()/></label>
                                    <label>{tr("last_name")}<input name="last_name" maxlength="100" autocomplete="family-name" value=a.last_name.clone()/></label>
                                    <label>{tr("language")}
                                        <select name="locale">
                                            <option value="" selected=a.locale.is_none()>{tr("school_language")}</option>
                                            <option value="fr" selected=a.locale.as_deref() == Some("fr") lang="fr">"Français"</option>
                                            <option value="en" selected=a.locale.as_deref() == Some("en") lang="en">"English"</option>
                                        </select>
                                    </label>
                                    <fieldset>
                                        <legend>{tr("emails_i_want")}</legend>
                                        <label class="check"><input type="checkbox" name="mail[digest]" value="on" checked=a.digest_on/>{tr("mail_kind_digest")}</label>
                                        {crate::features::account::api::MAIL_KINDS.iter().map(|k| {
                                            let kind = k.as_str();
                                            view! { <label class="check"><input type="checkbox" name=format!("mail[{kind}]") value="on" checked=!a.mail_off.iter().any(|o| o == kind)/>{tr(&format!("mail_kind_{kind}"))}</label> }
                                        }).collect_view()}
                                        <p class="muted small">{tr("emails_login_always")}</p>
                                    </fieldset>
                                    <button type="submit">{tr("save")}</button>
                                </PostForm>
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
