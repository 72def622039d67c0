//! `/admin/explain?email=&course=&lesson=`: "why can't this student see it?" — the checks in
//! order, each passed or failed with its fact, and a one-click fix under a failed one.

use crate::features::explain::api::{explain, Explanation};
use crate::ui::layout::tr;
use crate::ui::notice::{ErrorPage, Notice};
use crate::ui::post_form::PostForm;
use crate::features::explain::rules::Fix;
use crate::ui::raw_text::PageTitle;
use crate::ui::notice::Allowed;
use crate::kernel::access::Permission;
use leptos::prelude::*;

/// Only for those allowed to manage students: anyone else gets 403, not the forms.
#[component]
pub fn ExplainPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageStudents><ExplainPageBody/></Allowed> }
}

#[component]
fn ExplainPageBody() -> impl IntoView {
    let q = crate::ui::notice::query_dyn();
    let key = move || (q("email"), q("course"), q("lesson").parse::<i64>().ok());
    let result = crate::ui::page_data::page_data(key, |(email, course, lesson)| explain(email, course, lesson));
    view! {
        <crate::ui::admin_nav::Crumbs here=tr("explain_title")/>
        <PageTitle text=tr("explain_title")/><h1>{tr("explain_title")}</h1>
        <Notice/>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match result.await {
                    Ok(x) => view! { <Explainer x/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Explainer(x: Explanation) -> impl IntoView {
    let back = format!("/admin/explain?email={}&course={}{}", crate::kernel::url::encode(&x.email), crate::kernel::url::encode(&x.course_slug), x.lesson_id.map(|l| format!("&lesson={l}")).unwrap_or_default());
    view! {
        <form method="get" action="/admin/explain" class="card filters">
            <label>{tr("email")}<input type="email" name="email" required value=x.email.clone()/></label>
            <label>{tr("courses")}
                <select name="course">
                    <option value="">"—"</option>
                    {x.courses.iter().map(|(slug, title)| view! { <option value=slug.clone() selected=x.course_slug == *slug>{title.clone()}</option> }).collect_view()}
                </select>
            </label>
            {(!x.lessons.is_empty()).then(|| view! {
                <label>{tr("lessons")}
                    <select name="lesson">
                        <option value="">"—"</option>
                        {x.lessons.iter().map(|(id, title)| view! { <option value=id.to_string() selected=x.lesson_id == Some(*id)>{title.clone()}</option> }).collect_view()}
                    </select>
                </label>
            })}
            <button type="submit">{tr("explain_run")}</button>
        </form>
        {x.invalid_email.then(|| view! { <p class="notice error">{tr("email_invalid")}</p> })}
        {(!x.checks.is_empty()).then(|| view! {
            <ol class="card checks">
                {x.checks.iter().map(|c| {
                    let fix = c.fix.filter(|_| !c.passed).map(|f| view! { <FixForm fix=f x=x.clone() back=back.clone()/> });
                    view! {
                        <li class=if c.passed { "check passed" } else { "check failed" } data-passed=c.passed.to_string()>
                            <span class="mark">{if c.passed { "✓" } else { "✗" }}</span>" "
                            <strong>{c.check.clone()}</strong>" — "{c.fact.clone()}
                            {fix}
                        </li>
                    }
                }).collect_view()}
            </ol>
        })}
        {(!x.similar.is_empty()).then(|| view! {
            <section class="card">
                <h2>{tr("explain_similar")}</h2>
                <ul>
                    {x.similar.iter().map(|(id, email)| view! {
                        <li><a href=format!("/admin/students/{id}")>{email.clone()}</a>" · "
                            <a href=format!("/admin/explain?email={}&course={}", crate::kernel::url::encode(email), crate::kernel::url::encode(&x.course_slug))>{tr("explain_check_this")}</a>
                            // Two accounts of one person: the typed one exists too, so they can become one.
                            {x.student_id.map(|typed| view! { " · "<a href=format!("/admin/students/merge?keep={id}&merge={typed}")>{tr("merge_these")}</a> })}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// The fix under a failed check: one form, one button.
#[component]
fn FixForm(fix: Fix, x: Explanation, back: String) -> impl IntoView {
    let student = x.student_id.map(|i| i.to_string()).unwrap_or_default();
    let enrollment = x.enrollment_id.map(|i| i.to_string()).unwrap_or_default();
    let course = x.course_id.map(|i| i.to_string()).unwrap_or_default();
    if !crate::ui::layout::viewer().may(fix.permission()) {
        // The fix is another role's action: say who can do it instead of offering it.
        return view! { <p class="muted fix">{tr("fix_ask_owner")}</p> }.into_any();
    }
    match fix {
        Fix::InviteOrGrant | Fix::GrantAccess if x.course_id.is_some() => view! {
            <PostForm action="/admin/api/add_student" class="inline-form fix">
                <input type="hidden" name="course_id" value=course/>
                <input type="hidden" name="email" value=x.email.clone()/>
                <input type="hidden" name="access_end" value=""/>
                <input type="hidden" name="invite" value="on"/>
                <button type="submit">{tr("fix_grant")}</button>
            </PostForm>
        }
        .into_any(),
        Fix::Reactivate => view! {
            <PostForm action="/admin/api/set_account_status" class="inline-form fix">
                <input type="hidden" name="id" value=student/>
                <input type="hidden" name="status" value="active"/>
                <button type="submit">{tr("reactivate")}</button>
            </PostForm>
        }
        .into_any(),
        Fix::PublishCourse | Fix::PublishLesson => view! {
            <PostForm action="/admin/api/publish_from_explainer" class="inline-form fix">
                <input type="hidden" name="course_id" value=course/>
                <input type="hidden" name="lesson_id" value=if fix == Fix::PublishLesson { x.lesson_id.map(|l| l.to_string()).unwrap_or_default() } else { String::new() }/>
                <input type="hidden" name="back" value=back/>
                <button type="submit">{tr(if fix == Fix::PublishLesson { "fix_publish_lesson" } else { "fix_publish_course" })}</button>
            </PostForm>
        }
        .into_any(),
        Fix::Extend if x.enrollment_id.is_some() => view! {
            <PostForm action="/admin/api/adjust_enrollment" class="inline-form fix">
                <input type="hidden" name="id" value=student/>
                <input type="hidden" name="enrollment_id" value=enrollment/>
                <input type="hidden" name="action" value="set_end"/>
                <label>{tr("access_end")}<input type="date" name="access_end" value=""/></label>
                <button type="submit">{tr("fix_extend")}</button>
            </PostForm>
        }
        .into_any(),
        Fix::UnlockLesson if x.enrollment_id.is_some() => view! {
            <PostForm action="/admin/api/adjust_enrollment" class="inline-form fix">
                <input type="hidden" name="id" value=student/>
                <input type="hidden" name="enrollment_id" value=enrollment/>
                <input type="hidden" name="action" value="unlock"/>
                <input type="hidden" name="lesson_id" value=x.lesson_id.map(|l| l.to_string()).unwrap_or_default()/>
                <button type="submit">{tr("unlock")}</button>
            </PostForm>
        }
        .into_any(),
        Fix::WholeCourse if x.enrollment_id.is_some() => view! {
            <PostForm action="/admin/api/adjust_enrollment" class="inline-form fix">
                <input type="hidden" name="id" value=student/>
                <input type="hidden" name="enrollment_id" value=enrollment/>
                <input type="hidden" name="action" value="set_offer"/>
                <input type="hidden" name="offer_id" value=""/>
                <button type="submit">{tr("fix_whole_course")}</button>
            </PostForm>
        }
        .into_any(),
        Fix::SendReminder if x.student_id.is_some() => view! {
            <PostForm action="/admin/api/send_access_reminder" class="inline-form fix">
                <input type="hidden" name="id" value=student/>
                <button type="submit">{tr("send_access_reminder")}</button>
            </PostForm>
        }
        .into_any(),
        _ => ().into_any(),
    }
}
