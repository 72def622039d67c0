//! `/admin`: the school at a glance. Each figure is a link to the list behind it; the
//! chart shows 30 days of lessons completed. A team member who is not the owner sees their
//! sections (the navigation has them too).

use crate::features::overview::api::load_overview;
use crate::ui::layout::{tr, viewer};
use crate::ui::notice::{ErrorPage, Notice};
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let v = viewer();
    if v.is_team() && !v.is_owner() {
        let students = v.may(crate::kernel::access::Permission::ManageStudents);
        let reviews = v.may(crate::kernel::access::Permission::ReviewAssignments);
        return view! {
            <PageTitle text=tr("admin_nav_overview")/><h1>{tr("admin_title")}</h1>
            <Notice/>
            {students.then(|| view! { <p class="actions"><a class="button" href="/admin/students">{tr("students")}</a></p> })}
            {reviews.then(|| view! { <p class="actions"><a class="button" href="/admin/reviews">{tr("reviews")}</a></p> })}
        }
        .into_any();
    }
    let overview = crate::ui::page_data::page_data(|| (), |_| load_overview());
    view! {
        <PageTitle text=tr("admin_nav_overview")/><h1>{tr("admin_nav_overview")}</h1>
        <Notice/>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! {
                        {(o.courses == 0).then(|| view! {
                            <p class="notice">{tr("overview_first_course")}" "<a class="button small" href="/admin/courses/new">"+ "{tr("new_course")}</a></p>
                        })}
                        <ul class="figures">
                            {o.figures.into_iter().map(|f| view! {
                                <li><a href=f.href data-figure=f.label><strong class="figure">{f.value}</strong><span>{tr(f.label)}</span></a></li>
                            }).collect_view()}
                        </ul>
                        <div class="admin-grid">
                            <section class="card">
                                <h2>{tr("overview_chart")}</h2>
                                <div class="chart" inner_html=o.chart_svg></div>
                            </section>
                            <section class="card">
                                <h2>{tr("overview_openings")}</h2>
                                {if o.openings.is_empty() { view! { <p class="muted">{tr("overview_no_openings")}</p> }.into_any() } else { view! {
                                    <ul class="plain openings">
                                        {o.openings.into_iter().map(|l| view! {
                                            <li><a href=format!("/admin/courses/{}/schedule", l.course_id)>{l.lesson_title}</a>" · "<span class="muted">{l.course_title}</span><br/><small>{l.when}</small></li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any() }}
                            </section>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
