//! `/admin/courses/:id/certificate`: the course's certificate — on or off, its title, text
//! with fields and signature, previewed as students will get it — the certificates issued,
//! and reissuing them after a change. A student's certificates on their page.

use crate::features::certificates::admin_api::load_certificate_settings;
use crate::features::certificates::types::IssuedRow;
use crate::features::certificates::rules::FIELDS;
use crate::kernel::access::Permission;
use crate::ui::layout::{tr, viewer};
use crate::ui::notice::{query, Allowed, ErrorPage, Notice};
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::{PageTitle, TextArea};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CertificateSettingsPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageCourses><Body/></Allowed> }
}

#[component]
fn Body() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let settings = crate::ui::page_data::page_data(id, load_certificate_settings);
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    // What was typed comes back after a refused save.
    let typed = |name: &'static str| {
        let q = query(name);
        move |saved: &str| if query("error")().is_empty() { saved.to_string() } else { q() }
    };
    let (title, body, signer, role) = (typed("title"), typed("body"), typed("signer_name"), typed("signer_role"));
    view! {
        <Suspense fallback=|| ()>
            {{
                let (zone, title, body, signer, role) = (zone.clone(), title.clone(), body.clone(), signer.clone(), role.clone());
                Suspend::new(async move {
                    match settings.await {
                        Ok(s) => {
                            let course_page = format!("/admin/courses/{}", s.course_id);
                            let back = format!("/admin/courses/{}/certificate", s.course_id);
                            let t = s.template.clone();
                            view! {
                                <crate::ui::admin_nav::Crumbs trail=vec![(s.course_title.clone(), course_page.clone())] here=tr("certificate")/>
                                <PageTitle text=format!("{} – {}", tr("certificate"), s.course_title)/>
                                <h1>{tr("certificate")}" · "{s.course_title.clone()}</h1>
                                <Notice/>
                                <div class="admin-grid certificate-admin">
                                    <section class="card" id="template">
                                        <h2>{tr("certificate_template")}</h2>
                                        <PostForm action="/admin/api/save_certificate_template" class="stack">
                                            <input type="hidden" name="course_id" value=s.course_id.to_string()/>
                                            <label class="check"><input type="checkbox" name="enabled" value="on" checked=t.enabled/>{tr("certificate_enabled")}</label>
                                            <label>{tr("certificate_title_label")}<input name="title" required=true maxlength="80" value=title(&t.title)/></label>
                                            <label>{tr("certificate_body_label")}<TextArea name="body" rows=6 maxlength=600 value=body(&t.body)/></label>
                                            <p class="hint">{tr("certificate_fields_hint")}" "{FIELDS.iter().map(|f| format!("{{{{{f}}}}}")).collect::<Vec<_>>().join(" · ")}</p>
                                            <p class="hint">{tr("certificate_large_hint")}</p>
                                            <label>{tr("certificate_signer_name")}<input name="signer_name" maxlength="80" value=signer(&t.signer_name) autocomplete="off"/></label>
                                            <label>{tr("certificate_signer_role")}<input name="signer_role" maxlength="80" value=role(&t.signer_role) autocomplete="off"/></label>
                                            <p class="hint">{tr("certificate_look_hint")}" "<a href="/admin/settings">{tr("settings")}</a></p>
                                            <button type="submit">{tr("save")}</button>
                                        </PostForm>
                                    </section>
                                    <section class="card">
                                        <h2>{tr("certificate_preview")}</h2>
                                        <figure class="certificate" inner_html=s.preview_svg.clone()></figure>
                                    </section>
                                </div>
                                <section class="card" id="issued">
                                    <h2>{crate::kernel::i18n::tn(locale, "certificates_issued_n", s.total)}</h2>
                                    {(s.total > 0).then(|| view! {
                                        <PostForm action="/admin/api/reissue_certificates" class="stack reissue">
                                            <input type="hidden" name="course_id" value=s.course_id.to_string()/>
                                            <input type="hidden" name="back" value=back.clone()/>
                                            <p class="muted">{tr("certificate_reissue_lead")}" "{(s.outdated > 0).then(|| crate::kernel::i18n::tn(locale, "certificates_outdated_n", s.outdated))}</p>
                                            <label class="check"><input type="checkbox" name="tell" value="on"/>{tr("certificate_reissue_tell")}</label>
                                            <button type="submit" class="secondary">{crate::kernel::i18n::tn(locale, "certificates_reissue_all_n", s.total)}</button>
                                        </PostForm>
                                    })}
                                    {if s.issued.is_empty() { view! { <p class="muted">{tr("certificates_none")}</p> }.into_any() } else { view! {
                                        <table class="admin">
                                            <thead><tr><th>{tr("student")}</th><th>{tr("certificate_completed_on")}</th><th>{tr("certificate")}</th></tr></thead>
                                            <tbody>
                                                {s.issued.iter().map(|c| view! {
                                                    <tr>
                                                        <td><a href=format!("/admin/students/{}", c.student_id)>{if c.student_name.is_empty() { c.email.clone() } else { c.student_name.clone() }}</a><br/><small class="muted">{c.email.clone()}</small></td>
                                                        <td>{crate::kernel::time::date(c.completed_at, &zone, locale)}{c.reissued().then(|| view! { <br/><small class="muted">{tr("certificate_reissued_on").replace("{date}", &crate::kernel::time::date(c.updated_at, &zone, locale))}</small> })}</td>
                                                        <td><a href=format!("/certificates/{}", c.id)>{tr("certificate_view")}</a></td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                        {(s.total > s.issued.len() as i64).then(|| view! { <p class="muted">{tr("certificates_more_in_report")}" "<a href=format!("/admin/courses/{}/report", s.course_id)>{tr("report")}</a></p> })}
                                    }.into_any() }}
                                </section>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A student's certificates on their page, each with "reissue".
#[component]
pub fn StudentCertificates(id: i64, list: Vec<IssuedRow>) -> impl IntoView {
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    view! {
        <section class="card" id="certificates">
            <h2>{tr("certificates")}</h2>
            {if list.is_empty() { view! { <p class="muted">{tr("certificates_none_student")}</p> }.into_any() } else { view! {
                <ul class="plain certificates">
                    {list.into_iter().map(|c| view! {
                        <li>
                            <a href=format!("/certificates/{}", c.id)>{c.course_title.clone()}</a>
                            " · "<span class="muted">{crate::kernel::time::date(c.completed_at, &zone, locale)}</span>
                            {c.reissued().then(|| view! { " · "<small class="muted">{tr("certificate_reissued_on").replace("{date}", &crate::kernel::time::date(c.updated_at, &zone, locale))}</small> })}
                            <PostForm action="/admin/api/reissue_certificates" class="inline">
                                <input type="hidden" name="id" value=c.id.clone()/>
                                <input type="hidden" name="back" value=format!("/admin/students/{id}#certificates")/>
                                <label class="check"><input type="checkbox" name="tell" value="on"/>{tr("certificate_reissue_tell_student")}</label>
                                <button type="submit" class="secondary">{tr("certificate_reissue")}</button>
                            </PostForm>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any() }}
        </section>
    }
}
