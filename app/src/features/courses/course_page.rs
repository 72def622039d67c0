//! `/admin/courses/new` and `/admin/courses/:id`: the course form, its lessons (reorder),
//! its students (add, invite) and deletion with confirmation.

use crate::features::courses::api::load_admin_course;
use crate::features::courses::types::{format_date, AdminCourse};
use crate::ui::layout::tr;
use crate::ui::notice::{query, ErrorPage, Notice};
use crate::kernel::access::Status;
use crate::features::courses::status::StatusSelect;
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::{PageTitle, TextArea};
use crate::ui::notice::Allowed;
use crate::kernel::access::Permission;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
fn CourseForm(course: Option<AdminCourse>) -> impl IntoView {
    let (q_title, q_slug, q_cover) = (query("title"), query("slug"), query("cover_url"));
    let id = course.as_ref().map(|c| c.id.to_string()).unwrap_or_default();
    let pick = |typed: String, saved: Option<String>| if typed.is_empty() { saved.unwrap_or_default() } else { typed };
    let title = pick(q_title(), course.as_ref().map(|c| c.title.clone()));
    let slug = pick(q_slug(), course.as_ref().map(|c| c.slug.clone()));
    let cover = pick(q_cover(), course.as_ref().map(|c| c.cover_url.clone()));
    let description = course.as_ref().map(|c| c.description.clone()).unwrap_or_default();
    let published = course.as_ref().is_some_and(|c| c.status == Status::Published);
    view! {
        <PostForm action="/admin/api/save_course" class="stack">
            <input type="hidden" name="id" value=id/>
            <label>{tr("title")}<input name="title" required maxlength="200" value=title/></label>
            <label>{tr("slug")}<input name="slug" maxlength="60" pattern="[a-z0-9\\-]*" value=slug/><small>{tr("slug_help")}</small></label>
            <label>{tr("description")}<TextArea name="description" rows=4 maxlength=5000 value=description/></label>
            <label>{tr("cover_url")}<input name="cover_url" inputmode="url" value=cover/><small>{tr("cover_url_help")}</small></label>
            <StatusSelect published/>
            <button type="submit">{tr("save")}</button>
        </PostForm>
    }
}

/// The course's cover, uploaded: an image checked by its content (multipart, handled by the
/// Worker: worker/src/admin_files.rs), shown on the course pages; it replaces the current one.
#[component]
fn CoverUpload(course_id: i64, cover: String) -> impl IntoView {
    let v = crate::ui::layout::viewer();
    view! {
        <section class="card" id="cover">
            <h2>{tr("cover_title")}</h2>
            {(!cover.is_empty()).then(|| view! { <img class="cover-preview" src=cover.clone() alt=tr("cover_current")/> })}
            <form method="post" action=format!("/admin/files/cover?course_id={course_id}") enctype="multipart/form-data" class="stack">
                <input type="hidden" name=crate::ui::post_form::CSRF_FIELD value=v.csrf.clone()/>
                <label>{tr("cover_file")}<input type="file" name="file" accept="image/jpeg,image/png,image/webp,image/gif" required/></label>
                <p class="muted small">{tr("cover_file_help")}</p>
                <button type="submit">{tr("cover_upload")}</button>
            </form>
        </section>
    }
}

/// How the course's days count, and how long access lasts.
#[component]
fn AccessForm(course: AdminCourse) -> impl IntoView {
    let v = crate::ui::layout::viewer();
    let zone = crate::kernel::time::zone(v.time_zone());
    let cohort = course.access_mode == "cohort";
    let start = course
        .cohort_start
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|d| d.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default();
    view! {
        <PostForm action="/admin/api/save_course_access" class="stack">
            <input type="hidden" name="id" value=course.id.to_string()/>
            <fieldset>
                <legend>{tr("access_mode")}</legend>
                <label class="check"><input type="radio" name="access_mode" value="evergreen" checked=!cohort/>{tr("mode_evergreen")}</label>
                <label class="check"><input type="radio" name="access_mode" value="cohort" checked=cohort/>{tr("mode_cohort")}</label>
                <label>{tr("cohort_start")}<input type="datetime-local" name="cohort_start" value=start/></label>
            </fieldset>
            <label>{tr("access_days")}<input type="number" min="1" max="3650" name="access_days" value=course.access_days.map(|d| d.to_string()).unwrap_or_default()/></label>
            <button type="submit" class="secondary">{tr("save")}</button>
        </PostForm>
    }
}

/// Only for those allowed to manage courses: anyone else gets 403, not the forms.
#[component]
pub fn NewCourse() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageCourses><NewCourseBody/></Allowed> }
}

#[component]
fn NewCourseBody() -> impl IntoView {
    view! {
        <section class="card">
            <PageTitle text=tr("new_course")/><h1>{tr("new_course")}</h1>
            <Notice/>
            <CourseForm course=None/>
        </section>
    }
}

/// Only for those allowed to manage courses: anyone else gets 403, not the forms.
#[component]
pub fn EditCourse() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageCourses><EditCourseBody/></Allowed> }
}

#[component]
fn EditCourseBody() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let course = crate::ui::page_data::page_data(id, load_admin_course);
    let (q_email, q_end) = (query("email"), query("access_end"));
    view! {
        <Suspense fallback=|| ()>
            {{
                let (q_email, q_end) = (q_email.clone(), q_end.clone());
                Suspend::new(async move {
                match course.await {
                    Ok(c) => {
                        let cid = c.id.to_string();
                        let (cid_add, cid_delete, slug) = (cid.clone(), cid.clone(), c.slug.clone());
                        let public_href = format!("/courses/{}", c.slug);
                        let published_lessons = c.published_lessons;
                        view! {
                            <crate::ui::admin_nav::Crumbs here=c.title.clone()/><p class="actions"><a href=public_href>{tr("view_as_student")}</a></p>
                            <PageTitle text=c.title.clone()/><h1>{c.title.clone()}</h1>
                            <Notice/>
                            <div class="admin-grid">
                                <crate::features::courses::tools_page::PresentationForm course_id=c.id/><section class="card"><CourseForm course=Some(c.clone())/><h2>{tr("schedule")}</h2><p><a href=format!("/admin/courses/{}/schedule", c.id)>{tr("schedule_and_preview")}</a>" · "<a href=format!("/admin/courses/{}/progress.csv", c.id)>{tr("export_progress")}</a>" ("<a href=format!("/admin/courses/{}/progress.xlsx", c.id)>"XLSX"</a>")"" · "<a href=format!("/admin/courses/{}/report", c.id)>{tr("report")}</a>" · "<a href=format!("/admin/courses/{}/certificate", c.id)>{tr("certificate")}</a></p><AccessForm course=c.clone()/></section><CoverUpload course_id=c.id cover=c.cover_url.clone()/>
                                <crate::features::offers::admin_page::OffersCard course_id=c.id course_slug=c.slug.clone()/>
                                <crate::features::courses::program_page::ProgramCard course_id=c.id modules=c.modules.clone() lessons=c.lessons.clone()/>
                                <section class="card">
                                    <h2 data-students=c.student_count.to_string()>{crate::kernel::i18n::tn(crate::ui::layout::viewer().locale, "course_students_n", c.student_count)}</h2>
                                    {(c.student_count > c.students.len() as i64).then(|| view! { <p class="muted">{tr("course_students_latest")}</p> })}
                                    {if c.students.is_empty() {
                                        view! { <p class="muted">{tr("no_students")}</p> }.into_any()
                                    } else {
                                        view! {
                                            <table class="admin">
                                                <tbody>
                                                    {c.students.iter().map(|s| {
                                                        let (cid, uid) = (cid.clone(), s.user_id.to_string());
                                                        view! {
                                                            <tr>
                                                                <td>{s.email.clone()}</td>
                                                                <td>{format!("{}/{}", s.completed, published_lessons)}</td>
                                                                <td>{s.access_end.map(format_date).unwrap_or_else(|| "∞".into())}</td>
                                                                <td>
                                                                    <PostForm action="/admin/api/send_invitation" class="inline">
                                                                        <input type="hidden" name="course_id" value=cid/>
                                                                        <input type="hidden" name="user_id" value=uid/>
                                                                        <button type="submit" class="link">{tr("invite")}</button>
                                                                    </PostForm>
                                                                </td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                            <p><a class="button secondary" href=format!("/admin/students?course={}&enrollment=active", c.slug)>{tr("course_students_all")}</a></p>
                                        }.into_any()
                                    }}
                                    <h3>{tr("add_student")}</h3>
                                    <PostForm action="/admin/api/add_student" class="stack">
                                        <input type="hidden" name="course_id" value=cid_add/>
                                        <label>{tr("your_email").replace("Your ", "").replace("Votre ", "")}<input name="email" type="email" required value=q_email()/></label>
                                        <label>{tr("access_end")}<input name="access_end" type="date" value=q_end()/></label>
                                        <label class="check"><input type="checkbox" name="invite" value="on" checked/>{tr("send_invitation")}</label>
                                        <button type="submit">{tr("add_student")}</button>
                                    </PostForm>
                                </section>
                                <section class="card danger">
                                    <h2>{tr("delete")}</h2>
                                    <PostForm action="/admin/api/delete_course" class="stack">
                                        <input type="hidden" name="id" value=cid_delete/>
                                        <label>{tr("delete_course_confirm")}<input name="confirm" required placeholder=slug/></label>
                                        <button type="submit" class="danger">{tr("delete")}</button>
                                    </PostForm>
                                </section>
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}}
        </Suspense>
    }
}
