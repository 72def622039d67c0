//! `/admin`: the school's courses.

use crate::features::courses::api::admin_courses;
use crate::ui::layout::tr;
use crate::ui::notice::{ErrorPage, Notice};
use crate::kernel::access::Status;
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;

pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::Draft => tr("draft"),
        Status::Published => tr("published"),
    }
}

/// Draft / published choice shared by the course and lesson forms.
#[component]
pub fn StatusSelect(published: bool) -> impl IntoView {
    view! {
        <label>{tr("status")}
            <select name="status">
                <option value="draft" selected=!published>{tr("draft")}</option>
                <option value="published" selected=published>{tr("published")}</option>
            </select>
        </label>
    }
}

#[component]
pub fn AdminOverview() -> impl IntoView {
    let v = crate::ui::layout::viewer();
    // A team member who is not the owner sees the parts that are theirs (anyone else goes
    // through the owner's page: to the login, or refused).
    if v.is_team() && !v.is_owner() {
        let students = v.may(crate::kernel::access::Permission::ManageStudents);
        let reviews = v.may(crate::kernel::access::Permission::ReviewAssignments);
        return view! {
            <PageTitle text=tr("admin_title")/><h1>{tr("admin_title")}</h1>
            <Notice/>
            {students.then(|| view! { <p class="actions"><a class="button" href="/admin/students">{tr("students")}</a></p> })}
            {reviews.then(|| view! { <p class="actions"><a class="button" href="/admin/reviews">{tr("reviews")}</a></p> })}
        }
        .into_any();
    }
    let courses = crate::ui::page_data::page_data(|| (), |_| admin_courses());
    view! {
        <PageTitle text=tr("admin_title")/><h1>{tr("admin_title")}</h1>
        <Notice/>
        <p class="actions">
            <a class="button" href="/admin/courses/new">"+ "{tr("new_course")}</a>" "
            <a href="/admin/students">{tr("students")}</a>" · "
            <a href="/admin/settings">{tr("settings")}</a>" · "
            <a href="/admin/sales">{tr("sales_title")}</a>" · "
            <a href="/admin/team">{tr("team")}</a>" · "
            <a href="/admin/reviews">{tr("reviews")}</a>
        </p>
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
