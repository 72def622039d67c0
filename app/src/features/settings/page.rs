//! `/admin/settings`: the school's name, language, and what an unknown email receives.

use crate::features::settings::api::load_settings;
use crate::ui::layout::tr;
use crate::ui::notice::{ErrorPage, Notice};
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::PageTitle;
use crate::ui::notice::Allowed;
use crate::kernel::access::Permission;
use leptos::prelude::*;

/// Only for those allowed to manage settings: anyone else gets 403, not the forms.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageSettings><SettingsPageBody/></Allowed> }
}

#[component]
fn SettingsPageBody() -> impl IntoView {
    let settings = crate::ui::page_data::page_data(|| (), |_| load_settings());
    view! {
        <p class="crumb"><a href="/admin">{tr("admin_title")}</a></p>
        <PageTitle text=tr("settings")/><h1>{tr("settings")}</h1>
        <Notice/>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match settings.await {
                    Ok(s) => {
                        let notify = s.unknown_email_policy == "notify";
                        let fr = s.default_locale == "fr";
                        view! {
                            <section class="card narrow">
                                <PostForm action="/admin/api/save_settings" class="stack">
                                    <label>{tr("school_name")}<input name="name" required value=s.name/></label>
                                    <label>{tr("default_language")}
                                        <select name="default_locale">
                                            <option value="fr" selected=fr>"Français"</option>
                                            <option value="en" selected=!fr>"English"</option>
                                        </select>
                                    </label>
                                    <fieldset>
                                        <legend>{tr("unknown_email_policy")}</legend>
                                        <label class="check"><input type="radio" name="unknown_email_policy" value="silent" checked=!notify/>{tr("unknown_email_silent")}</label>
                                        <label class="check"><input type="radio" name="unknown_email_policy" value="notify" checked=notify/>{tr("unknown_email_notify")}</label>
                                    </fieldset>
                                    <button type="submit">{tr("save")}</button>
                                </PostForm>
                            </section>
                            <crate::features::media::admin_page::LogoAndStorageCard/>
                            <TimeZoneCard current=s.time_zone.clone()/>
                            <crate::features::trial::admin_page::EmbedSettingsCard/>
                            <crate::features::lessons::blocks_page::LessonHostsCard/>
                            <crate::features::payments::settings_page::PaymentsCard/>
                            <crate::features::payments::settings_page::CouponsCard/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The school's time zone: a searchable list (a datalist, so typing filters it, with or
/// without JavaScript), and before a change, what it moves.
#[component]
fn TimeZoneCard(current: String) -> impl IntoView {
    let v = crate::ui::layout::viewer();
    let asked = crate::ui::notice::query("confirm_zone")();
    let confirm = crate::kernel::time::parse_zone(&asked).filter(|z| *z != current);
    let typed = crate::ui::notice::query("time_zone")();
    let value = if typed.is_empty() { current.clone() } else { typed };
    let now = crate::kernel::time::clock_time(v.now_ms, &current);
    view! {
        <section class="card narrow" id="time-zone">
            <h2>{tr("time_zone")}</h2>
            <p class="muted">{tr("time_zone_lead").replace("{zone}", &current).replace("{time}", &now)}</p>
            {confirm.map(|zone| {
                let moved = tr("time_zone_confirm").replace("{from}", &current).replace("{to}", zone);
                view! {
                    <div class="notice impact" role="alert">
                        <p>{moved}</p>
                        <PostForm action="/admin/api/save_time_zone" class="inline">
                            <input type="hidden" name="time_zone" value=zone/>
                            <input type="hidden" name="confirm" value="yes"/>
                            <button type="submit">{tr("time_zone_confirm_button").replace("{to}", zone)}</button>
                            " "<a href="/admin/settings#time-zone">{tr("cancel")}</a>
                        </PostForm>
                    </div>
                }
            })}
            <PostForm action="/admin/api/save_time_zone" class="stack">
                <label>{tr("time_zone")}
                    <input name="time_zone" list="zones" required autocomplete="off" value=value/>
                    <small>{tr("time_zone_help")}</small>
                </label>
                <datalist id="zones">
                    {crate::kernel::time::zone_choices().map(|z| view! { <option value=z></option> }).collect_view()}
                </datalist>
                <button type="submit" class="secondary">{tr("save")}</button>
            </PostForm>
        </section>
    }
}
