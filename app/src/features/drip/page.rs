//! `/admin/courses/:id/schedule`: each lesson's rule and dates for a chosen start, and the
//! course as a student (real, or starting on that date) sees it at a chosen time. A GET
//! form: it only reads.

use crate::features::drip::api::course_schedule;
use crate::ui::layout::tr;
use crate::ui::notice::{query, ErrorPage};
use crate::ui::raw_text::PageTitle;
use crate::ui::notice::Allowed;
use crate::kernel::access::Permission;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Only for those allowed to manage courses: anyone else gets 403, not the forms.
#[component]
pub fn SchedulePage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageCourses><SchedulePageBody/></Allowed> }
}

#[component]
fn SchedulePageBody() -> impl IntoView {
    let params = use_params_map();
    let (start, at, student, offer) = (query("start"), query("at"), query("student"), query("offer"));
    let key = move || {
        let id = params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        let opt = |s: String| (!s.is_empty()).then_some(s);
        (id, opt(start()), opt(at()), student().parse::<i64>().ok(), offer().parse::<i64>().ok())
    };
    let page = crate::ui::page_data::page_data(key, |(id, start, at, student, offer)| course_schedule(id, start, at, student, offer));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match page.await {
                    Ok(p) => view! {
                        <crate::ui::admin_nav::Crumbs trail=vec![(p.course_title.clone(), format!("/admin/courses/{}", p.course_id))] here=tr("schedule")/>
                        <PageTitle text=tr("schedule")/><h1>{tr("schedule")}</h1>
                        <form method="get" class="stack inline-form">
                            <label>{tr("schedule_start")}<input type="date" name="start" value=p.start.clone()/></label>
                            <label>{tr("preview_at")}<input type="datetime-local" name="at" value=p.at.clone()/></label>
                            <label>{tr("preview_as")}
                                <select name="student">
                                    <option value="" selected=p.student.is_none()>{tr("preview_hypothetical")}</option>
                                    {p.students.iter().map(|(id, email)| view! { <option value=id.to_string() selected=p.student == Some(*id)>{email.clone()}</option> }).collect_view()}
                                </select>
                            </label>
                            {(!p.offers.is_empty()).then(|| view! {
                                <label>{tr("preview_offer")}
                                    <select name="offer">
                                        <option value="" selected=p.offer.is_none()>{tr("student_offer_whole")}</option>
                                        {p.offers.iter().map(|(id, name)| view! { <option value=id.to_string() selected=p.offer == Some(*id)>{name.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                            })}
                            <button type="submit" class="secondary">{tr("show")}</button>
                        </form>
                        <table class="admin schedule">
                            <thead><tr><th>{tr("lessons")}</th><th>{tr("drip_opens")}</th><th>{tr("drip_closes")}</th><th>{tr("preview_column")}</th></tr></thead>
                            <tbody>
                                {p.rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td>{r.title}</td><td>{r.opens}</td><td>{r.closes}</td>
                                        <td class:open=r.preview_open>{r.preview}</td>
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
