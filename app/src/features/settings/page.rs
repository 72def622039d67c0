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
        <PageTitle text=tr("settings")/><h1>{tr("settings")}</h1>
        <Notice/>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match settings.await {
                    Ok(s) => {
                        let notify = s.unknown_email_policy == "notify";
                        let name = s.name.clone();
                        let fr = s.default_locale == "fr";
                        view! {
                            <section class="card narrow">
                                <PostForm action="/admin/api/save_settings" class="stack">
                                    <label>{tr("school_name")}<input name="name" required value=name/></label>
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
                            <section class="card narrow" id="emails">
                                <h2>{tr("emails_title")}</h2>
                                <p class="muted">{tr("emails_lead")}</p>
                                <p><a class="button secondary" href="/admin/settings/emails">{tr("emails_settings_link")}</a></p>
                            </section>
                            <LookCard settings=s.clone()/>
                            <crate::features::media::admin_page::LogoAndStorageCard/>
                            <DomainCard settings=s.clone()/>
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

/// The school's look: two colours (checked for white text on them), a welcome text, and a
/// preview of the header and a button as students will see them.
#[component]
fn LookCard(settings: crate::features::settings::types::SchoolSettings) -> impl IntoView {
    use crate::features::settings::look::{min_ratio, WELCOME_MAX};
    let locale = crate::ui::layout::viewer().locale;
    let q = crate::ui::notice::query_dyn();
    let refused = !q("error").is_empty() && !q("which").is_empty() || q("error") == "welcome_too_long";
    // After a refusal, what was typed comes back.
    let typed = |name: &str, saved: String| if refused { q(name) } else { saved };
    let brand = typed("brand_color", settings.brand_color.clone());
    let header_saved = settings.header_color.clone().unwrap_or_default();
    let header = typed("header_color", header_saved);
    let welcome = typed("welcome_md", settings.welcome_md.clone());
    let unreadable = (q("error") == "color_unreadable").then(|| {
        let which = if q("which") == "header_color" { tr("look_header") } else { tr("look_brand") };
        tr("color_unreadable_detail").replace("{which}", which).replace("{color}", &q(if q("which") == "header_color" { "header_color" } else { "brand_color" })).replace("{ratio}", &q("ratio")).replace("{min}", &min_ratio(locale))
    });
    let has_cover = settings.cover_url.is_some();
    let preview_brand = crate::kernel::color::Rgb::parse(&settings.brand_color).map(|c| c.hex()).unwrap_or_else(|| "#2d5bd7".into());
    let preview_header = settings.header_color.as_deref().and_then(crate::kernel::color::Rgb::parse).map(|c| c.hex());
    let band = match &preview_header {
        Some(h) => format!("background:{h};color:#fff"),
        None => "background:#fff;color:#1d2230;border:1px solid #e3e6ee".to_string(),
    };
    view! {
        <section class="card" id="look">
            <h2>{tr("look_title")}</h2>
            <p class="muted">{tr("look_lead")}</p>
            {unreadable.map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
            <div class="look">
                <PostForm action="/admin/api/save_look" class="stack">
                    <div class="look-colours">
                        <label>{tr("look_brand")}<input name="brand_color" required pattern="#[0-9a-fA-F]{6}" maxlength="7" value=brand/></label>
                        <label>{tr("look_header")}<input name="header_color" pattern="#[0-9a-fA-F]{6}" maxlength="7" placeholder="#1f2a44" value=header/></label>
                    </div>
                    <p class="hint">{tr("look_colours_hint").replace("{min}", &min_ratio(locale))}</p>
                    <label>{tr("look_welcome")}<crate::ui::raw_text::TextArea name="welcome_md" rows=4 maxlength=WELCOME_MAX as u32 value=welcome/></label>
                    <p class="hint">{tr("look_welcome_hint")}</p>
                    {has_cover.then(|| view! { <label class="check"><input type="checkbox" name="remove_cover" value="on"/>{tr("look_cover_remove")}</label> })}
                    <button type="submit">{tr("save")}</button>
                </PostForm>
                <figure class="look-preview" aria-label=tr("look_preview")>
                    <div class="look-band" style=band><strong>{settings.name.clone()}</strong></div>
                    {settings.cover_url.clone().map(|src| view! { <img class="look-cover" src=src alt=""/> })}
                    <div class="look-body">
                        <span class="look-button" style=format!("background:{preview_brand}")>{tr("look_button_sample")}</span>
                        " "<span class="look-link" style=format!("color:{preview_brand}")>{tr("look_link_sample")}</span>
                    </div>
                    <figcaption class="muted">{tr("look_preview")}</figcaption>
                </figure>
            </div>
            // A picture for the top of the school's home: a file upload, as the logo's.
            <form method="post" action="/admin/files/school_cover" enctype="multipart/form-data" class="stack look-cover-form">
                <input type="hidden" name=crate::ui::post_form::CSRF_FIELD value=crate::ui::layout::viewer().csrf.clone()/>
                <label>{tr("look_cover")}<input type="file" name="file" accept="image/jpeg,image/png,image/webp" required/></label>
                <p class="hint">{tr("look_cover_hint")}</p>
                <button type="submit" class="secondary">{tr("look_cover_upload")}</button>
            </form>
        </section>
    }
}

/// The school's own domain, the DNS records it needs, and (with Cloudflare for SaaS) where it
/// stands: waiting for the records, live, or refused.
#[component]
fn DomainCard(settings: crate::features::settings::types::SchoolSettings) -> impl IntoView {
    use crate::features::settings::hostnames::{DnsRecord, HostnameState};
    let q = crate::ui::notice::query_dyn();
    let refused = q("error").starts_with("domain_");
    let typed = if refused { q("custom_domain") } else { settings.custom_domain.clone().unwrap_or_default() };
    let mut records: Vec<DnsRecord> = settings
        .custom_domain
        .as_deref()
        .map(|d| crate::features::settings::look::dns_record(d, &settings.slug, &settings.base_domain))
        .map(|(kind, name, value)| vec![DnsRecord { kind: kind.to_string(), name, value }])
        .unwrap_or_default();
    records.extend(settings.custom_hostname_records.as_deref().map(DnsRecord::list_from_json).unwrap_or_default());
    let state = settings.custom_domain.as_ref().and(settings.custom_hostname_state.as_deref()).and_then(HostnameState::parse);
    let v = crate::ui::layout::viewer();
    let checked = settings.custom_hostname_checked_at.map(|at| tr("domain_checked_at").replace("{time}", &crate::kernel::time::date_time(at, v.time_zone(), v.locale)));
    let domain = settings.custom_domain.clone().unwrap_or_default();
    view! {
        <section class="card narrow" id="domain">
            <h2>{tr("domain_title")}</h2>
            <p class="muted">{tr("domain_lead")}</p>
            <PostForm action="/admin/api/save_domain" class="stack">
                <label>{tr("domain_label")}<input name="custom_domain" maxlength="253" placeholder="learn.example.com" autocapitalize="none" spellcheck="false" value=typed/></label>
                <button type="submit" class="secondary">{tr("save")}</button>
            </PostForm>
            {state.map(|state| {
                let (class, key) = match state {
                    HostnameState::Live => ("badge ok", "domain_state_live"),
                    HostnameState::Waiting => ("badge warn", "domain_state_waiting"),
                    HostnameState::Refused => ("badge warn", "domain_state_refused"),
                };
                let label = match state {
                    HostnameState::Live => tr("domain_badge_live"),
                    HostnameState::Waiting => tr("domain_badge_waiting"),
                    HostnameState::Refused => tr("domain_badge_refused"),
                };
                view! {
                    <p data-domain-state=state.as_str()><span class=class>{label}</span>" "{tr(key).replace("{domain}", &domain)}</p>
                    {(state != HostnameState::Live).then(|| view! {
                        <PostForm action="/admin/api/save_domain" class="inline">
                            <input type="hidden" name="custom_domain" value=domain.clone()/>
                            <button type="submit" class="secondary" data-check-domain="">{tr("domain_check")}</button>
                        </PostForm>
                    })}
                    {checked.clone().map(|c| view! { <p class="muted small">{c}</p> })}
                }
            })}
            {(!records.is_empty()).then(|| view! {
                <p>{tr(if state == Some(HostnameState::Live) { "domain_records_keep" } else { "domain_record_lead" })}</p>
                <table class="admin dns">
                    <thead><tr><th>{tr("domain_type")}</th><th>{tr("domain_name")}</th><th>{tr("domain_target")}</th></tr></thead>
                    <tbody>
                        {records.into_iter().map(|r| view! { <tr><td>{r.kind}</td><td><code>{r.name}</code></td><td><code>{r.value}</code></td></tr> }).collect_view()}
                    </tbody>
                </table>
                {(state != Some(HostnameState::Live)).then(|| view! { <p class="muted">{tr("domain_after")}</p> })}
            })}
        </section>
    }
}
