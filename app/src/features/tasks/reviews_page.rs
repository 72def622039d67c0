//! `/admin/reviews`: assignments waiting for a review (or all), oldest first, in the courses
//! this viewer reviews; approve, or return with a comment.

use crate::features::tasks::reviews::load_reviews;
use crate::ui::layout::{tr, viewer};
use crate::ui::notice::{query, ErrorPage, Notice};
use crate::ui::post_form::PostForm;
use crate::kernel::time::date_time;
use crate::ui::raw_text::{PageTitle, TextArea};
use crate::ui::notice::Allowed;
use crate::kernel::access::Permission;
use crate::features::tasks::answer_link::AnswerLink;
use leptos::prelude::*;

/// Only for those allowed to review assignments: anyone else gets 403, not the forms.
#[component]
pub fn ReviewsPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ReviewAssignments><ReviewsPageBody/></Allowed> }
}

#[component]
fn ReviewsPageBody() -> impl IntoView {
    let status = query("status");
    let course = query("course");
    let page = query("page");
    let key = move || (status(), course().parse::<i64>().ok());
    let shown = key.clone();
    let reviews = crate::ui::page_data::page_data(move || (key(), page().parse::<i64>().ok()), |((s, c), p)| load_reviews(Some(s).filter(|s| !s.is_empty()), c, p));
    view! {
        <PageTitle text=tr("reviews")/><h1>{tr("reviews")}</h1>
        <Notice/>
        <Suspense fallback=|| ()>
            {{
                let shown = shown.clone();
                Suspend::new(async move {
                let (status, course) = shown();
                let status = if status.is_empty() { "pending".to_string() } else { status };
                match reviews.await {
                    Ok(r) => {
                        let v = viewer();
                        let here = format!("/admin/reviews?status={status}{}", course.map(|c| format!("&course={c}")).unwrap_or_default());
                        view! {
                            <form method="get" action="/admin/reviews" class="filters">
                                <label>{tr("course")}
                                    <select name="course">
                                        <option value="">{tr("all_courses")}</option>
                                        {r.courses.iter().map(|c| view! { <option value=c.id.to_string() selected=course == Some(c.id)>{format!("{} ({})", c.title, c.pending)}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label>{tr("status")}
                                    <select name="status">
                                        {["pending", "returned", "approved", "all"].into_iter().map(|s| view! { <option value=s selected=status == s>{tr(&format!("review_filter_{s}"))}</option> }).collect_view()}
                                    </select>
                                </label>
                                <button type="submit" class="secondary">{tr("filter")}</button>
                            </form>
                            <p class="muted">{r.courses.iter().map(|c| view! { <a href=format!("/admin/courses/{}/report", c.id)>{tr("report")}" : "{c.title.clone()}</a>" " }).collect_view()}</p>
                            {r.items.is_empty().then(|| view! { <p class="muted">{tr("reviews_none")}</p> })}
                            <ol class="reviews">
                                {r.items.into_iter().map(|item| {
                                    let pending = item.status == "pending";
                                    let link = item.answer_link.clone();
                                    let (id, back) = (item.id.to_string(), here.clone());
                                    view! {
                                        <li class="card review" data-submission=item.id.to_string() data-status=item.status.clone()>
                                            <p><strong>{item.student_email.clone()}</strong>" · "{item.course_title.clone()}" · "{item.lesson_title.clone()}
                                                " · "<span class="muted">{date_time(item.created_at, v.time_zone(), v.locale)}</span>
                                                {(item.attempt > 1).then(|| view! { " · "<span class="badge">{tr("review_attempt").replace("{n}", &item.attempt.to_string())}</span> })}
                                            </p>
                                            <blockquote class="answer">
                                                <p class="pre">{item.answer_text.clone()}</p>
                                                <AnswerLink link=link.clone()/>
                                                {(!item.files.is_empty()).then(|| view! {
                                                    <ul class="file-list answer-files">
                                                        {item.files.iter().map(|(name, size, href)| view! { <li><a href=href.clone() download=name.clone()>{name.clone()}</a>" · "<span class="muted">{size.clone()}</span></li> }).collect_view()}
                                                    </ul>
                                                })}
                                            </blockquote>
                                            {if pending {
                                                view! {
                                                    <PostForm action="/admin/api/review_submission" class="stack">
                                                        <input type="hidden" name="id" value=id/>
                                                        <input type="hidden" name="back" value=back/>
                                                        <label>{tr("review_comment")}<TextArea name="comment" rows=3 maxlength=5000/></label>
                                                        <p class="inline-actions">
                                                            <button type="submit" name="decision" value="approve">{tr("review_approve")}</button>" "
                                                            <button type="submit" name="decision" value="return" class="secondary">{tr("review_return")}</button>
                                                        </p>
                                                    </PostForm>
                                                }.into_any()
                                            } else {
                                                view! {
                                                    <p class=if item.status == "approved" { "badge ok" } else { "badge warn" }>{tr(&format!("review_status_{}", item.status))}</p>
                                                    {(!item.comment.is_empty()).then(|| view! { <p class="pre">{item.comment.clone()}</p> })}
                                                }.into_any()
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                            {(r.pages > 1).then(|| {
                                let at = |p: i64| format!("{here}&page={p}");
                                view! {
                                    <nav class="pager" aria-label=tr("reviews")>
                                        {(r.page > 1).then(|| view! { <a rel="prev" href=at(r.page - 1)>"← "{tr("previous")}</a> })}
                                        <span>{tr("page_of").replace("{page}", &r.page.to_string()).replace("{pages}", &r.pages.to_string())}</span>
                                        {(r.page < r.pages).then(|| view! { <a rel="next" href=at(r.page + 1)>{tr("next")}" →"</a> })}
                                    </nav>
                                }
                            })}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}}
        </Suspense>
    }
}
