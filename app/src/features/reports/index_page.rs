//! `/admin/reports`: each course with its students and the way to its report, its CSV and
//! its certificates.

use crate::features::courses::api::admin_courses;
use crate::ui::layout::tr;
use crate::ui::notice::ErrorPage;
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let courses = crate::ui::page_data::page_data(|| (), |_| admin_courses());
    view! {
        <PageTitle text=tr("admin_nav_reports")/><h1>{tr("admin_nav_reports")}</h1>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match courses.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{tr("no_courses")}</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="admin">
                            <thead><tr><th>{tr("title")}</th><th>{tr("students")}</th><th>{tr("report")}</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|c| view! {
                                    <tr>
                                        <td>{c.title}</td>
                                        <td class="num">{c.students}</td>
                                        <td>
                                            <a href=format!("/admin/courses/{}/report", c.id)>{tr("report")}</a>" · "
                                            <a href=format!("/admin/courses/{}/progress.csv", c.id)>{tr("export_progress")}</a>" · "
                                            <a href=format!("/admin/courses/{}/certificate", c.id)>{tr("certificates")}</a>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
