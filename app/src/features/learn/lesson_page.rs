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
    let lesson = crate::ui::page_data::page_data(key, |(slug, id, start)| load_lesson(slug, id, start));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match lesson.await {
                    Ok(l) => {
                        let course_href = format!("/courses/{}", l.course_slug);
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
                                    <PrevNext slug=l.course_slug.clone() previous=l.previous.clone() next=l.next.clone() next_locked=None/>
                                </article>
                            }.into_any();
                        }
                        let has_program = !l.program.is_empty();
                        let percent = l.progress_percent;
                        view! {
                            <div class="player-layout" class:with-program=has_program>
                            {has_program.then(|| view! {
                                <aside class="lesson-sidebar" aria-labelledby="sidebar-title">
                                    <h2 id="sidebar-title" class="small-title">{tr("course_program")}</h2>
                                    <ProgramList slug=l.course_slug.clone() lessons=l.program.clone() current=l.id/>
                                </aside>
                            })}
                            <article class="lesson">
                                <p class="crumb"><a href=course_href.clone()>{l.course_title.clone()}</a>" · "{l.position}"/"{l.total}</p>
                                {(has_program && !l.preview).then(|| view! {
                                    <div class="course-progress">
                                        <progress max="100" value=percent aria-label=tr("course_progress")></progress>
                                        <span>{tr("progress_done").replace("{percent}", &percent.to_string())}</span>
                                    </div>
                                })}
                                {has_program.then(|| view! {
                                    // On a phone, the lesson list folds away (no script needed).
                                    <details class="lesson-drawer">
                                        <summary>{tr("course_program")}" ("{l.position}"/"{l.total}")"</summary>
                                        <ProgramList slug=l.course_slug.clone() lessons=l.program.clone() current=l.id/>
                                    </details>
                                })}
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
                                {l.finished.then(|| view! { <FinishedNote slug=l.course_slug.clone()/> })}
                                <PrevNext slug=l.course_slug.clone() previous=l.previous.clone() next=l.next.clone() next_locked=l.next_locked.clone()/>
                            </article>
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The course's lessons in the player: under their module headings, each done (✓), open or
/// locked (with when it opens), the current one marked; locked lessons have no link.
#[component]
fn ProgramList(slug: String, lessons: Vec<crate::features::learn::types::LessonLink>, current: i64) -> impl IntoView {
    let mut module = String::new();
    let mut items = vec![];
    for l in lessons {
        if l.module != module && !l.module.is_empty() {
            items.push(view! { <li class="module-title">{l.module.clone()}</li> }.into_any());
        }
        module = l.module.clone();
        let state = if l.completed { "done" } else if l.locked { "locked" } else { "open" };
        // Drawn, not typed: a phone without an emoji font still shows them.
        let mark = match state {
            "done" => view! { <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"><path d="M4 12l5 5L20 6"/></svg> }.into_any(),
            "locked" => view! { <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"><rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/></svg> }.into_any(),
            _ => view! { <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5"><circle cx="12" cy="12" r="8"/></svg> }.into_any(),
        };
        let state_text = tr(&format!("lesson_state_{state}"));
        let is_current = l.id == current;
        let title = l.title.clone();
        let body = if l.locked {
            view! { <span class="title">{title}</span> }.into_any()
        } else {
            view! { <a href=format!("/courses/{slug}/lessons/{}", l.id) aria-current=is_current.then_some("page")>{title}</a> }.into_any()
        };
        items.push(
            view! {
                <li class=format!("program-item {state}") class:current=is_current data-lesson=l.id.to_string()>
                    <span class="mark" aria-hidden="true">{mark}</span>
                    <span class="visually-hidden">{state_text}" : "</span>
                    {body}
                    {l.note.clone().map(|n| view! { <small class="note">{n}</small> })}
                </li>
            }
            .into_any(),
        );
    }
    view! { <ol class="program-list">{items}</ol> }
}

/// Previous / next: the nearest lessons the student can open, and, when the one right after
/// is locked, which it is and when it opens.
#[component]
fn PrevNext(
    slug: String,
    previous: Option<crate::features::learn::types::LessonLink>,
    next: Option<crate::features::learn::types::LessonLink>,
    next_locked: Option<crate::features::learn::types::LessonLink>,
) -> impl IntoView {
    let link = move |id: i64| format!("/courses/{slug}/lessons/{id}");
    view! {
        <nav class="prevnext" aria-label=tr("lesson_navigation")>
            {previous.map(|p| view! { <a rel="prev" class="prev" href=link(p.id)>"← "{p.title}</a> })}
            {next_locked.map(|n| view! {
                <p class="next-locked">
                    <span class="muted">{tr("next_lesson")}" "</span><strong>{n.title}</strong>
                    {n.note.map(|note| view! { " — "<span>{note}</span> })}
                </p>
            })}
            {next.map(|n| view! { <a rel="next" class="next" href=link(n.id)>{n.title}" →"</a> })}
        </nav>
    }
}

/// The course is finished: the way to the congratulations and the certificate.
#[component]
pub fn FinishedNote(slug: String) -> impl IntoView {
    view! {
        <p class="notice ok finished-note">{tr("course_finished_banner")}" "<a href=format!("/courses/{slug}/completed")>{tr("course_finished_link")}</a></p>
    }
}
