//! `/courses/:slug`: the course's program; lesson links for enrolled students.

use crate::features::learn::api::load_course;
use crate::ui::layout::tr;
use crate::ui::notice::{query, ErrorPage, Notice};
use crate::features::learn::types::LessonLink;
use crate::kernel::access::Status;
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CoursePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let as_offer = crate::ui::notice::query("as_offer");
    let course = crate::ui::page_data::page_data(move || (slug(), as_offer().parse::<i64>().ok()), |(slug, as_offer)| load_course(slug, as_offer));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match course.await {
                    Ok(c) => {
                        let slug = c.slug.clone();
                        let enrolled = c.enrolled;
                        let logged_in = crate::ui::layout::viewer().user.is_some();
                        view! {
                            <article class="card">
                                {c.preview.then(|| view! { <p class="notice">{tr("preview_note")}</p> })}
                                {c.previewing_offer.clone().map(|name| view! {
                                    <p class="notice">{tr("preview_as_offer_note").replace("{offer}", &name)}" "<a href=format!("/courses/{}", c.slug)>{tr("preview_as_offer_leave")}</a></p>
                                })}
                                {(!c.cover_url.is_empty()).then(|| view! { <img class="cover" src=c.cover_url.clone() alt=""/> })}
                                <PageTitle text=c.title.clone()/><h1>{c.title.clone()}</h1>
                                <p>{c.description.clone()}</p>
                                {c.expired_note.clone().map(|n| view! { <p class="notice expired" role="status">{n}</p> })}
                                <Notice/>
                                {next_note(&c.lessons)}
                                {(!c.enrolled && !c.preview && c.expired_note.is_none() && logged_in).then(|| view! {
                                    <p class="notice visitor">{tr("course_not_enrolled")}</p>
                                })}
                                // Without offers, logging in is the way in; with them, joining is, and
                                // "already a student?" follows the offers as a plain link.
                                {(!c.enrolled && !c.preview && !logged_in && c.offers.is_empty()).then(|| {
                                    let next = crate::kernel::url::encode(&format!("/courses/{}", c.slug));
                                    view! {
                                        <p class="notice visitor">{tr("course_visitor_lead")}" "
                                            <a class="button" href=format!("/login?next={next}")>{tr("log_in")}</a>
                                        </p>
                                    }
                                })}
                                // A visitor's way in comes before the program; a student's upgrades after it.
                                {(!c.enrolled).then(|| view! {
                                    <crate::features::offers::public::OfferList offers=c.offers.clone() enrolled=c.expired_note.is_some() preview=c.preview || c.previewing_offer.is_some()/>
                                })}
                                {(!c.enrolled && !c.preview && !logged_in && !c.offers.is_empty()).then(|| {
                                    let next = crate::kernel::url::encode(&format!("/courses/{}", c.slug));
                                    view! { <p class="muted">{tr("course_visitor_lead")}" "<a href=format!("/login?next={next}")>{tr("log_in")}</a></p> }
                                })}
                                {c.enrolled.then(|| view! {
                                    <div class="progress"><progress max="100" value=c.progress_percent.to_string() aria-label=tr("course_progress")></progress><span>{c.progress_percent}"%"</span></div>
                                })}
                                {c.finished.then(|| view! { <crate::features::learn::lesson_page::FinishedNote slug=c.slug.clone()/> })}
                                {c.continue_to.clone().filter(|_| !c.finished).map(|go| view! { <ContinueCard go/> })}
                                {(!c.banner_html.is_empty()).then(|| view! { <div class="banner" inner_html=c.banner_html.clone()></div> })}
                                {(!c.author_name.is_empty()).then(|| view! {
                                    <aside class="author"><p class="muted">{tr("course_author")}</p><p><strong>{c.author_name.clone()}</strong></p>
                                        {(!c.author_bio.is_empty()).then(|| view! { <p>{c.author_bio.clone()}</p> })}</aside>
                                })}
                                <h2>{tr("lessons")}</h2>
                                <Program slug=slug lessons=c.lessons by_modules=c.by_modules show_durations=c.show_durations enrolled/>
                                {enrolled.then(|| view! {
                                    <crate::features::offers::public::OfferList offers=c.offers.clone() enrolled=true preview=c.preview || c.previewing_offer.is_some()/>
                                })}
                            </article>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// After "mark as complete" when the next lesson is not open yet (`?next=id`): which lesson
/// comes next and when it opens.
fn next_note(lessons: &[LessonLink]) -> Option<impl IntoView> {
    let id = query("next")().parse::<i64>().ok()?;
    let next = lessons.iter().find(|l| l.id == id)?;
    let when = next.note.clone().unwrap_or_default();
    Some(view! { <p class="notice next-lesson" role="status">{tr("next_lesson")}" "<strong>{next.title.clone()}</strong>" — "{when}</p> })
}

/// The lessons in order; by modules, consecutive lessons of one module under its heading.
#[component]
fn Program(slug: String, lessons: Vec<LessonLink>, by_modules: bool, show_durations: bool, enrolled: bool) -> impl IntoView {
    let mut groups: Vec<(String, Vec<LessonLink>)> = vec![];
    for l in lessons {
        let module = if by_modules { l.module.clone() } else { String::new() };
        match groups.last_mut() {
            Some((m, list)) if *m == module => list.push(l),
            _ => groups.push((module, vec![l])),
        }
    }
    let mut number = 0usize;
    groups
        .into_iter()
        .map(|(module, list)| {
            let start = number + 1;
            number += list.len();
            let items = list
                .into_iter()
                .map(|l| {
                    let href = format!("/courses/{}/lessons/{}", slug, l.id);
                    let draft = l.status == Status::Draft;
                    let duration = l.duration_minutes.filter(|_| show_durations).map(|m| view! { <span class="duration">{tr("minutes_short").replace("{n}", &m.to_string())}</span> });
                    view! {
                        <li class:done=l.completed id=format!("lesson-{}", l.id)>
                            {if !l.locked {
                                view! { <a href=href>{l.title.clone()}</a> }.into_any()
                            } else {
                                view! { <span class="locked">{l.title.clone()}</span> }.into_any()
                            }}
                            {duration}
                            {l.note.clone().map(|n| view! { <br/><small class="drip">{n}</small> })}
                            {draft.then(|| view! { <span class="badge">{tr("draft")}</span> })}
                            {(l.trial && !enrolled).then(|| view! { <span class="badge trial">{tr("trial_badge")}</span> })}
                            {l.completed.then(|| view! { <span class="badge ok">"✓ "{tr("completed")}</span> })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                {(!module.is_empty()).then(|| view! { <h3 class="module">{module.clone()}</h3> })}
                <ol class="lessons" start=start.to_string()>{items}</ol>
            }
        })
        .collect_view()
}

/// "Continue where you left off: «Lesson»" (or "Start the course"), one tap to the lesson.
#[component]
pub fn ContinueCard(go: crate::features::learn::types::ContinueLink) -> impl IntoView {
    view! {
        <div class="continue-card">
            <span><span class="muted">{tr(if go.started { "continue_where_left" } else { "start_the_course" })}" : "</span><strong>{go.title.clone()}</strong></span>
            <a class="button" href=go.href.clone() data-continue="1">{tr(if go.started { "continue" } else { "start" })}</a>
        </div>
    }
}
