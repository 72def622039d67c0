//! `/admin/imports` (step 1: the template and the upload) and `/admin/imports/:id` (step 2:
//! how the file is read and what is wrong with it, the options; step 3: progress, then the
//! result with the rejects file and the log).

use crate::features::imports::api::{load_import, recent_imports, ImportView};
use crate::ui::layout::{tr, viewer};
use crate::ui::notice::{ErrorPage, Notice};
use crate::ui::post_form::{PostForm, CSRF_FIELD};
use crate::kernel::time::date_time;
use crate::ui::raw_text::PageTitle;
use crate::ui::notice::Allowed;
use crate::kernel::access::Permission;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_params_map;

/// Only for those allowed to manage students: anyone else gets 403, not the forms.
#[component]
pub fn ImportsPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageStudents><ImportsPageBody/></Allowed> }
}

#[component]
fn ImportsPageBody() -> impl IntoView {
    let recent = crate::ui::page_data::page_data(|| (), |_| recent_imports());
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    view! {
        <crate::ui::admin_nav::Crumbs here=tr("import_title")/>
        <PageTitle text=tr("import_title")/><h1>{tr("import_title")}</h1>
        <Notice/>
        <section class="card narrow">
            <h2>{tr("import_step_upload")}</h2>
            <p>{tr("import_lead")}</p>
            <p><a href="/admin/imports/template.csv" download>{tr("import_template")}</a></p>
            // A file upload: multipart, handled by the Worker (worker/src/admin_files.rs).
            <form method="post" action="/admin/imports/upload" enctype="multipart/form-data" class="stack">
                <input type="hidden" name=CSRF_FIELD value=v.csrf.clone()/>
                <label>{tr("import_file")}<input type="file" name="file" accept=".csv,text/csv" required/></label>
                <button type="submit">{tr("import_upload")}</button>
            </form>
        </section>
        // Seed 004's "Import Statistiques": progress from another platform, same steps.
        <section class="card narrow" id="statistics">
            <h2>{tr("stats_import_title")}</h2>
            <p>{tr("stats_import_lead")}</p>
            <ul class="legend">
                {["C", "P", "F", "I", "N"].into_iter().map(|l| view! { <li><strong>{l}</strong>" "{tr(&format!("stats_status_{l}"))}</li> }).collect_view()}
            </ul>
            <p><a href="/admin/imports/statistics-template.csv" download>{tr("import_template")}</a></p>
            <form method="post" action="/admin/imports/upload" enctype="multipart/form-data" class="stack">
                <input type="hidden" name=CSRF_FIELD value=v.csrf.clone()/>
                <input type="hidden" name="kind" value="statistics"/>
                <label>{tr("import_file")}<input type="file" name="file" accept=".csv,text/csv" required/></label>
                <button type="submit" class="secondary">{tr("stats_import_upload")}</button>
            </form>
        </section>
        <Suspense fallback=|| ()>
            {{
                let zone = zone.clone();
                Suspend::new(async move {
                    let list = recent.await.unwrap_or_default();
                    (!list.is_empty()).then(|| view! {
                        <section class="card">
                            <h2>{tr("import_recent")}</h2>
                            <ul>
                                {list.into_iter().map(|i| view! {
                                    <li><a href=format!("/admin/imports/{}", i.id)>{i.file_name}</a>" · "{tr(&format!("import_kind_{}", i.kind))}" · "{date_time(i.created_at, &zone, locale)}" · "{crate::kernel::i18n::tn(locale, "import_rows", i.total_rows)}" · "{tr(&format!("import_status_{}", i.status))}</li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })
                })
            }}
        </Suspense>
    }
}

/// Only for those allowed to manage students: anyone else gets 403, not the forms.
#[component]
pub fn ImportPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageStudents><ImportPageBody/></Allowed> }
}

#[component]
fn ImportPageBody() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let import = crate::ui::page_data::page_data(id, load_import);
    view! {
        <Notice/>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match import.await {
                    Ok(i) => view! { <ImportDetail i/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ImportDetail(i: ImportView) -> impl IntoView {
    let running = i.status == "running";
    let statistics = i.kind == "statistics";
    let done = i.status == "done";
    let ok_rows = i.total_rows - i.rejected_rows;
    let locale = crate::ui::layout::viewer().locale;
    let (run_id, rejects_href, log_href) = (i.id.clone(), format!("/admin/imports/{}/rejects.csv", i.id), format!("/admin/imports/{}/log.txt", i.id));
    view! {
        // Progress refreshes itself, with or without JavaScript.
        {running.then(|| view! { <Meta http_equiv="refresh" content="1"/> })}
        <crate::ui::admin_nav::Crumbs trail=vec![(tr("import_title").to_string(), "/admin/imports".to_string())] here=i.file_name.clone()/>
        <PageTitle text=i.file_name.clone()/><h1>{i.file_name.clone()}</h1>
        <p class="muted">{tr(&format!("import_kind_{}", i.kind))}</p>
        <section class="card">
            <h2>{tr("import_step_preview")}</h2>
            <p>{tr("import_read_as")}" "<strong>{i.separator.clone()}</strong>" · "{crate::kernel::i18n::tn(locale, "import_rows", i.total_rows)}</p>
            <table class="admin reading">
                <thead><tr><th>{tr("import_column")}</th><th>{tr("import_field")}</th><th>{tr("import_first_row")}</th></tr></thead>
                <tbody>
                    {i.columns.iter().map(|c| view! {
                        <tr class:unknown=c.field.is_none()>
                            <td>{c.header.clone()}</td>
                            <td>{c.field.clone().unwrap_or_else(|| tr("import_not_imported").to_string())}</td>
                            <td>{c.first_value.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(!i.unknown_columns.is_empty()).then(|| view! {
                <p class="notice">{tr("import_warning")}": "{i.unknown_columns.join(", ")}" — "{tr("import_unknown_column")}</p>
            })}
            <p class="totals">
                <span data-ok=ok_rows.to_string()>{crate::kernel::i18n::tn(locale, "import_rows_ok", ok_rows)}</span>" · "
                <span data-rejected=i.rejected_rows.to_string()>{crate::kernel::i18n::tn(locale, "import_rows_rejected", i.rejected_rows)}</span>" · "
                <span>{crate::kernel::i18n::tn(locale, "import_rows_warned", i.warning_rows)}</span>
            </p>
            {(!i.problems.is_empty()).then(|| view! {
                <table class="admin problems">
                    <thead><tr><th>{tr("import_line")}</th><th></th><th>{tr("import_problems")}</th></tr></thead>
                    <tbody>
                        {i.problems.iter().map(|p| view! {
                            <tr class:rejected=p.rejected>
                                <td>{p.line}</td>
                                <td>{if p.rejected { tr("import_rejected") } else { tr("import_warning") }}</td>
                                <td>{p.messages.join(" / ")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
        {(i.status == "previewed" && ok_rows == 0).then(|| view! {
            <section class="card narrow">
                <h2>{tr("import_step_run")}</h2>
                <p class="notice error" role="alert">{tr("import_nothing_to_import")}</p>
                <p><a class="button" href="/admin/imports">{tr("import_another")}</a></p>
            </section>
        })}
        {(i.status == "previewed" && ok_rows > 0).then(|| view! {
            <section class="card narrow">
                <h2>{tr("import_step_run")}</h2>
                <PostForm action="/admin/api/run_import" class="stack">
                    <input type="hidden" name="id" value=run_id/>
                    {if statistics { view! {
                        <label class="check"><input type="checkbox" name="enroll_missing" value="on"/>{tr("stats_enroll_missing")}</label>
                        <label class="check"><input type="checkbox" name="certificates" value="on" checked/>{tr("stats_certificates")}</label>
                    }.into_any() } else { view! {
                        <label class="check"><input type="checkbox" name="update_existing" value="on" checked/>{tr("import_update_existing")}</label>
                        <label class="check"><input type="checkbox" name="grant_courses" value="on" checked/>{tr("import_grant_courses")}</label>
                        <label class="check"><input type="checkbox" name="invite_new" value="on"/>{tr("import_invite_new")}</label>
                    }.into_any() }}
                    <p class="muted">{tr("import_rejected_not_imported")}</p>
                    <button type="submit">{crate::kernel::i18n::tn(locale, "import_run", ok_rows)}</button>
                </PostForm>
            </section>
        })}
        {running.then(|| view! {
            <section class="card narrow" role="status">
                <h2>{tr("import_running")}</h2>
                <progress max=i.total_rows.to_string() value=i.processed.to_string()></progress>
                <p>{i.processed}" / "{i.total_rows}</p>
            </section>
        })}
        {done.then(|| view! {
            <section class="card narrow" role="status">
                <h2>{tr("import_done")}</h2>
                <ul class="results" data-statements=i.statements.to_string()>
                    <li data-created=i.created.to_string()>{tr(if statistics { "import_imported" } else { "import_created" })}": "{i.created}</li>
                    {(!statistics).then(|| view! { <li data-updated=i.updated.to_string()>{tr("import_updated")}": "{i.updated}</li> })}
                    {statistics.then(|| view! { <li data-skipped=i.skipped.to_string()>{tr("import_skipped")}": "{i.skipped}</li> })}
                    <li data-enrolled=i.enrolled.to_string()>{tr("import_enrolled")}": "{i.enrolled}</li>
                    <li data-unchanged=i.unchanged.to_string()>{tr("import_unchanged")}": "{i.unchanged}</li>
                    <li data-rejected-final=i.rejected_rows.to_string()>{tr("import_rejected")}": "{i.rejected_rows}</li>
                    {(i.invited > 0).then(|| view! { <li>{tr("import_invited")}": "{i.invited}</li> })}
                </ul>
            </section>
        })}
        <p class="downloads">
            {(i.rejected_rows > 0).then(|| view! { <a class="button secondary" href=rejects_href>{tr("import_rejects_file")}</a> })}" "
            <a class="button secondary" href=log_href>{tr("import_log_file")}</a>
        </p>
    }
}
