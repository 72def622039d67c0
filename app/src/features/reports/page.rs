//! `/admin/courses/:id/report`: the course's students × lessons matrix, completions over 30
//! days (SVG from the server), assignment analysis, quiz results and survey answers, each
//! with its CSV.

use crate::features::reports::api::load_report;
use crate::ui::layout::{tr, viewer};
use crate::ui::notice::ErrorPage;
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let page = crate::ui::notice::query("page");
    let key = move || (params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0), page().parse::<i64>().ok());
    let report = crate::ui::page_data::page_data(key, |(id, page)| load_report(id, page));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match report.await {
                    Ok(r) => {
                        let v = viewer();
                        let file = |kind: &str, extension: &str| format!("/admin/courses/{}/report/{kind}.{extension}", r.id);
                        let lessons = r.lessons.clone();
                        view! {
                            <crate::ui::admin_nav::Crumbs here=r.title.clone()/>
                            {v.is_owner().then(|| view! { <p class="actions"><a href=format!("/admin/courses/{}", r.id)>{tr("report_course_page")}</a></p> })}
                            <PageTitle text=format!("{} — {}", tr("report"), r.title)/><h1>{tr("report")}" — "{r.title.clone()}</h1>
                            <section class="card" id="chart">
                                <h2>{tr("report_completions")}</h2>
                                // Drawn on the server from numbers only (reports::rules).
                                <div class="chart-box" inner_html=r.chart_svg.clone()></div>
                            </section>
                            <section class="card" id="matrix">
                                <h2>{tr("report_matrix")}" ("{r.students}")"</h2>
                                <p><a href=file("matrix", "csv")>{tr("export_csv")}</a>" · "<a href=file("matrix", "xlsx")>{tr("export_xlsx")}</a></p>
                                <div class="table-scroll">
                                    <table class="admin matrix">
                                        <thead><tr><th>{tr("student")}</th><th>"%"</th><th>{tr("report_certificates")}</th>
                                            {lessons.iter().map(|l| view! { <th title=l.title.clone()>{l.title.clone()}</th> }).collect_view()}
                                        </tr></thead>
                                        <tbody>
                                            {r.matrix.iter().map(|row| view! {
                                                <tr>
                                                    <td>{row.email.clone()}{(!row.offer.is_empty()).then(|| view! { <br/><small class="muted">{row.offer.clone()}</small> })}</td>
                                                    <td>{row.percent}</td>
                                                    <td class="certificate-cell">{row.certificate.clone().map(|id| view! { <a href=format!("/certificates/{id}")>{tr("certificate_view")}</a> })}</td>
                                                    {row.done.iter().zip(row.outside.iter()).map(|(d, out)| match (d, out) {
                                                        (_, true) => view! { <td class="outside" title=tr("lesson_not_in_offer")>"–"</td> }.into_any(),
                                                        (Some(at), _) => view! { <td class="done" title=crate::kernel::time::date_time(*at, v.time_zone(), v.locale)>"✓"</td> }.into_any(),
                                                        (None, _) => view! { <td class="todo">"·"</td> }.into_any(),
                                                    }).collect_view()}
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {(r.pages > 1).then(|| {
                                    let at = |p: i64| format!("/admin/courses/{}/report?page={p}#matrix", r.id);
                                    view! {
                                        <nav class="pager" aria-label=tr("report_matrix")>
                                            {(r.page > 1).then(|| view! { <a rel="prev" href=at(r.page - 1)>"← "{tr("previous")}</a> })}
                                            <span>{tr("page_of").replace("{page}", &r.page.to_string()).replace("{pages}", &r.pages.to_string())}</span>
                                            {(r.page < r.pages).then(|| view! { <a rel="next" href=at(r.page + 1)>{tr("next")}" →"</a> })}
                                        </nav>
                                    }
                                })}
                            </section>
                            <section class="card" id="assignments">
                                <h2>{tr("report_assignments")}</h2>
                                <p><a href=file("assignments", "csv")>{tr("export_csv")}</a>" · "<a href=file("assignments", "xlsx")>{tr("export_xlsx")}</a></p>
                                <table class="admin">
                                    <thead><tr><th>{tr("lesson")}</th><th>{tr("report_submitted")}</th><th>{tr("review_status_pending")}</th><th>{tr("review_status_approved")}</th><th>{tr("review_status_returned")}</th></tr></thead>
                                    <tbody>
                                        {r.assignments.iter().map(|a| view! {
                                            <tr data-lesson=a.lesson_id.to_string()><td>{a.lesson_title.clone()}</td><td>{a.submitted}</td><td>{a.pending}</td><td>{a.approved}</td><td>{a.returned}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            <section class="card" id="quizzes">
                                <h2>{tr("report_quizzes")}</h2>
                                <p><a href=file("quizzes", "csv")>{tr("export_csv")}</a>" · "<a href=file("quizzes", "xlsx")>{tr("export_xlsx")}</a></p>
                                <table class="admin">
                                    <thead><tr><th>{tr("student")}</th><th>{tr("lesson")}</th><th>{tr("report_attempts")}</th><th>{tr("report_best")}</th><th>{tr("report_passed")}</th></tr></thead>
                                    <tbody>
                                        {r.quizzes.iter().map(|q| view! {
                                            <tr><td>{q.email.clone()}</td><td>{q.lesson_title.clone()}</td><td>{q.attempts}</td><td>{format!("{}/{}", q.best_points, q.max_points)}</td><td>{tr(if q.passed { "yes" } else { "no" })}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            <section class="card" id="surveys">
                                <h2>{tr("report_surveys")}</h2>
                                <p><a href=file("surveys", "csv")>{tr("export_csv")}</a>" · "<a href=file("surveys", "xlsx")>{tr("export_xlsx")}</a></p>
                                {r.surveys.iter().map(|s| view! {
                                    <h3>{s.lesson_title.clone()}" ("{s.answers}")"</h3>
                                    {s.questions.iter().map(|q| view! {
                                        <p><strong>{q.text.clone()}</strong></p>
                                        <ul>
                                            {q.counts.iter().map(|(choice, n)| view! { <li>{format!("{choice} : {n}")}</li> }).collect_view()}
                                            {q.texts.iter().map(|t| view! { <li class="pre">{t.clone()}</li> }).collect_view()}
                                        </ul>
                                    }).collect_view()}
                                }).collect_view()}
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
