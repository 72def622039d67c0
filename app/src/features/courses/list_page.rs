//! `/admin/courses`: the school's courses, the trash, a new course.

use crate::features::courses::api::admin_courses;
use crate::ui::layout::tr;
use crate::ui::notice::{ErrorPage, Notice};
use crate::features::courses::status::status_label;
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;

#[component]
pub fn CoursesPage() -> impl IntoView {
    let v = crate::ui::layout::viewer();
    if !v.may(crate::kernel::access::Permission::ManageCourses) {
        return view! { <ErrorPage error=crate::kernel::error::AppError::Forbidden/> }.into_any();
    }
    let courses = crate::ui::page_data::page_data(|| (), |_| admin_courses());
    view! {
        <PageTitle text=tr("admin_nav_courses")/><h1>{tr("admin_nav_courses")}</h1>
        <Notice/>
        <p class="actions"><a class="button" href="/admin/courses/new">"+ "{tr("new_course")}</a></p>
        <crate::features::courses::tools_page::Trash/>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match courses.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{tr("no_courses")}</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="admin">
                            <thead><tr><th>{tr("title")}</th><th>{tr("status")}</th><th>{tr("lessons")}</th><th>{tr("students")}</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|c| view! {
                                    <tr>
                                        <td><a href=format!("/admin/courses/{}", c.id)>{c.title}</a></td>
                                        <td>{status_label(c.status)}</td>
                                        <td>{c.lessons}</td>
                                        <td>{c.students}" · "<a href=format!("/admin/courses/{}/report", c.id)>{tr("report")}</a></td>
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
    .into_any()
}
