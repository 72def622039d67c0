//! `/courses/:slug`: the course's program; lesson links for enrolled students.

use crate::api::learn::load_course;
use crate::components::layout::tr;
use crate::components::notice::ErrorPage;
use crate::domain::access::Status;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CoursePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let course = Resource::new(slug, load_course);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match course.await {
                    Ok(c) => {
                        let slug = c.slug.clone();
                        let enrolled = c.enrolled;
                        view! {
                            <article class="card">
                                {c.preview.then(|| view! { <p class="notice">{tr("preview_note")}</p> })}
                                {(!c.cover_url.is_empty()).then(|| view! { <img class="cover" src=c.cover_url.clone() alt=""/> })}
                                <h1>{c.title.clone()}</h1>
                                <p>{c.description.clone()}</p>
                                {c.expired_note.clone().map(|n| view! { <p class="notice expired" role="status">{n}</p> })}
                                {(!c.enrolled && !c.preview).then(|| {
                                    let next = crate::api::encode(&format!("/courses/{}", c.slug));
                                    view! {
                                        <p class="notice visitor">{tr("course_visitor_lead")}" "
                                            <a class="button" href=format!("/login?next={next}")>{tr("log_in")}</a>
                                        </p>
                                    }
                                })}
                                {c.enrolled.then(|| view! {
                                    <div class="progress"><progress max="100" value=c.progress_percent.to_string()></progress><span>{c.progress_percent}"%"</span></div>
                                })}
                                {(!c.banner_html.is_empty()).then(|| view! { <div class="banner" inner_html=c.banner_html.clone()></div> })}
                                {(!c.author_name.is_empty()).then(|| view! {
                                    <aside class="author"><p class="muted">{tr("course_author")}</p><p><strong>{c.author_name.clone()}</strong></p>
                                        {(!c.author_bio.is_empty()).then(|| view! { <p>{c.author_bio.clone()}</p> })}</aside>
                                })}
                                <h2>{tr("lessons")}</h2>
                                <ol class="lessons">
                                    {c.lessons.into_iter().map(|l| {
                                        let href = format!("/courses/{}/lessons/{}", slug, l.id);
                                        let draft = l.status == Status::Draft;
                                        view! {
                                            <li class:done=l.completed>
                                                {if !l.locked {
                                                    view! { <a href=href>{l.title.clone()}</a> }.into_any()
                                                } else {
                                                    view! { <span class="locked">{l.title.clone()}</span> }.into_any()
                                                }}
                                                {l.note.clone().map(|n| view! { <br/><small class="drip">{n}</small> })}
                                                {draft.then(|| view! { <span class="badge">{tr("draft")}</span> })}
                                                {(l.trial && !enrolled).then(|| view! { <span class="badge trial">{tr("trial_badge")}</span> })}
                                                {l.completed.then(|| view! { <span class="badge ok">"✓ "{tr("completed")}</span> })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            </article>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
