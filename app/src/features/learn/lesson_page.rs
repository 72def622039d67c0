//! `/courses/:slug/lessons/:id`: the lesson, previous/next, "mark as complete".

use crate::features::learn::api::load_lesson;
use crate::ui::layout::tr;
use crate::ui::notice::{ErrorPage, Notice};
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LessonPage() -> impl IntoView {
    let params = use_params_map();
    let query = crate::ui::notice::query("t");
    let key = move || {
        let p = params.read();
        // `?t=83`: a timecode followed without JavaScript starts the video there.
        let start = query().parse::<u32>().ok();
        (p.get("slug").unwrap_or_default(), p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0), start)
    };
    let lesson = Resource::new(key, |(slug, id, start)| load_lesson(slug, id, start));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match lesson.await {
                    Ok(l) => {
                        let course_href = format!("/courses/{}", l.course_slug);
                        let link = |id: i64| format!("/courses/{}/lessons/{}", l.course_slug, id);
                        let course_slug = l.course_slug.clone();
                        if let Some(reason) = l.locked.clone() {
                            // Why and when, and the way back; never the content.
                            return view! {
                                <article class="lesson locked-lesson">
                                    <p class="crumb"><a href=course_href.clone()>{l.course_title.clone()}</a>" · "{l.position}"/"{l.total}</p>
                                    <PageTitle text=l.title.clone()/><h1>{l.title.clone()}</h1>
                                    <section class="card">
                                        <h2>{tr(if l.outside_offer { "lesson_outside_title" } else { "lesson_locked_title" })}</h2>
                                        <p class="notice" role="status">{reason}</p>
                                        {if l.outside_offer {
                                            view! { <p><a class="button" href=format!("{course_href}#offers")>{tr("lesson_see_offers")}</a></p> }.into_any()
                                        } else {
                                            view! { <p><a class="button" href=course_href.clone()>{tr("back_to_course")}</a></p> }.into_any()
                                        }}
                                    </section>
                                </article>
                            }.into_any();
                        }
                        view! {
                            <article class="lesson">
                                <p class="crumb"><a href=course_href.clone()>{l.course_title.clone()}</a>" · "{l.position}"/"{l.total}</p>
                                {l.preview.then(|| view! { <p class="notice">{tr("preview_note")}</p> })}
                                <PageTitle text=l.title.clone()/><h1>{l.title.clone()}</h1>
                                <Notice/>
                                // Sanitized when the lesson was saved (lessons::markdown).
                                <div class="content" inner_html=l.html.clone()></div>
                                {(!l.files.is_empty()).then(|| view! {
                                    <section class="downloads" aria-labelledby="downloads-title">
                                        <h2 id="downloads-title">{tr("lesson_downloads")}</h2>
                                        <ul class="file-list">
                                            {l.files.iter().map(|f| view! { <li><a href=f.href.clone() download=f.name.clone()>{f.name.clone()}</a>" · "<span class="muted">{f.size.clone()}</span></li> }).collect_view()}
                                        </ul>
                                    </section>
                                })}
                                {l.html.contains("data-seek=").then(|| view! { <crate::features::learn::video_seek::VideoSeek/> })}
                                {l.html.contains("data-player=").then(|| view! { <crate::features::learn::video_player::VideoPlayer full_screen=tr("player_full_screen").to_string()/> })}
                                {l.task.clone().map(|task| view! { <crate::features::learn::task_section::TaskSection slug=course_slug.clone() lesson_id=l.id task preview=l.preview/> }.into_any())}
                                {if l.trial_visitor {
                                    view! {
                                        <aside class="notice trial-cta">
                                            <p>{tr("trial_visitor_lead")}</p>
                                            <p><a class="button" href=format!("{course_href}#offers")>{tr("trial_cta")}</a></p>
                                        </aside>
                                    }.into_any()
                                } else if l.completed {
                                    view! { <p class="badge ok">"✓ "{tr("completed")}</p> }.into_any()
                                } else if !l.preview {
                                    view! {
                                        <PostForm action="/api/mark_complete">
                                            <input type="hidden" name="slug" value=course_slug/>
                                            <input type="hidden" name="lesson_id" value=l.id.to_string()/>
                                            <button type="submit">{tr("mark_complete")}</button>
                                        </PostForm>
                                    }.into_any()
                                } else {
                                    ().into_any()
                                }}
                                <nav class="prevnext">
                                    {l.previous.clone().map(|p| view! { <a rel="prev" href=link(p.id)>"← "{p.title}</a> })}
                                    {l.next.clone().map(|n| view! { <a rel="next" href=link(n.id)>{n.title}" →"</a> })}
                                </nav>
                            </article>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
