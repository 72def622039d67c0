//! `/admin/students/bulk?...` (the confirmation: how many students, what will happen, or why
//! it cannot; save the selection as a list) and `/admin/students/bulk/:id` (each student's
//! result).

use crate::features::bulk::api::{bulk_preview, bulk_result};
use crate::ui::layout::{tr, viewer};
use crate::ui::notice::{ErrorPage, Notice};
use crate::ui::post_form::PostForm;
use crate::kernel::time::date_time;
use crate::ui::raw_text::PageTitle;
use crate::ui::notice::Allowed;
use crate::kernel::access::Permission;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

/// Only for those allowed to manage students: anyone else gets 403, not the forms.
#[component]
pub fn BulkConfirmPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageStudents><BulkConfirmPageBody/></Allowed> }
}

#[component]
fn BulkConfirmPageBody() -> impl IntoView {
    let location = use_location();
    let preview = crate::ui::page_data::page_data(move || location.search.get(), bulk_preview);
    view! {
        <crate::ui::admin_nav::Crumbs here=tr("bulk_title")/>
        <PageTitle text=tr("bulk_title")/><h1>{tr("bulk_title")}</h1>
        <Notice/>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match preview.await {
                    Ok(p) => {
                        let (run_query, list_query) = (p.query.clone(), p.query.clone());
                        view! {
                        <section class="card narrow">
                            {match p.error.clone() {
                                Some(e) => view! { <p class="notice error" role="alert">{e}</p> }.into_any(),
                                None if p.count == 0 => view! { <p class="notice error" role="alert">{tr("bulk_nobody")}</p> }.into_any(),
                                None => view! {
                                    <p class="bulk-effect" data-count=p.count.to_string()>{crate::kernel::i18n::tn(crate::ui::layout::viewer().locale, "bulk_confirm_lead", p.count as i64)}" "<strong>{p.effect.clone()}</strong></p>
                                    <ul class="muted">{p.sample.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}{(p.count > p.sample.len()).then(|| view! { <li>"…"</li> })}</ul>
                                    <PostForm action="/admin/api/bulk_run" class="stack">
                                        <input type="hidden" name="query" value=run_query/>
                                        <button type="submit">{crate::kernel::i18n::tn(crate::ui::layout::viewer().locale, "bulk_confirm", p.count as i64)}</button>
                                    </PostForm>
                                }.into_any(),
                            }}
                        </section>
                        {(p.count > 0).then(|| view! {
                            <section class="card narrow">
                                <PostForm action="/admin/api/save_list" class="stack">
                                    <input type="hidden" name="query" value=list_query/>
                                    <label>{tr("list_name")}<input name="name" required maxlength="100"/></label>
                                    <button type="submit" class="secondary">{tr("list_save")}</button>
                                </PostForm>
                            </section>
                        })}
                    }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Only for those allowed to manage students: anyone else gets 403, not the forms.
#[component]
pub fn BulkResultPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageStudents><BulkResultPageBody/></Allowed> }
}

#[component]
fn BulkResultPageBody() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let run = crate::ui::page_data::page_data(id, bulk_result);
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    view! {
        <crate::ui::admin_nav::Crumbs here=tr("bulk_result_title")/>
        <PageTitle text=tr("bulk_result_title")/><h1>{tr("bulk_result_title")}</h1>
        <Suspense fallback=|| ()>
            {{
                let zone = zone.clone();
                Suspend::new(async move {
                    match run.await {
                        Ok(r) => view! {
                            <p class="totals" data-succeeded=r.succeeded.to_string() data-failed=r.failed.to_string()>
                                {tr(&format!("bulk_action_{}", r.action))}" · "{date_time(r.at, &zone, locale)}" · "
                                {tr("bulk_succeeded")}": "{r.succeeded}" · "{tr("bulk_failed")}": "{r.failed}
                            </p>
                            <table class="admin results">
                                <tbody>
                                    {r.rows.into_iter().map(|row| view! {
                                        <tr class=if row.ok { "ok" } else { "failed" } data-ok=row.ok.to_string()>
                                            <td><a href=format!("/admin/students/{}", row.user_id)>{row.email}</a></td>
                                            <td>{if row.ok { "✓" } else { "✗" }}" "{row.message}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
