//! `/`: on the platform, "open your school"; on a school, the student's courses and the
//! catalogue.

use crate::features::learn::api::load_school_home;
use crate::features::learn::types::CourseCard;
use crate::ui::layout::{tr, viewer};
use crate::ui::notice::{query, ErrorPage, Notice};
use crate::kernel::access::progress_percent;
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    if viewer().school.is_none() {
        view! { <PlatformHome/> }.into_any()
    } else {
        view! { <SchoolHome/> }.into_any()
    }
}

#[component]
fn PlatformHome() -> impl IntoView {
    let (name, slug, email) = (query("name"), query("slug"), query("email"));
    view! {
        <section class="card">
            <PageTitle text=tr("home_title")/><h1>{tr("home_title")}</h1>
            <p>{tr("home_lead")}</p>
            <Notice/>
            <PostForm action="/api/create_school" class="stack">
                <label>{tr("school_name")}<input name="name" required maxlength="80" value=name/></label>
                <label>{tr("school_slug")}
                    <input name="slug" required minlength="3" maxlength="30" pattern="[a-z0-9\\-]{3,30}" autocapitalize="none" value=slug/>
                    <small>{tr("school_slug_help")}</small>
                </label>
                <label>{tr("your_email")}<input name="email" type="email" required autocomplete="email" value=email/></label>
                <crate::ui::browser_zone::BrowserTimeZone/>
                <button type="submit">{tr("create_school")}</button>
            </PostForm>
        </section>
    }
}

#[component]
fn SchoolHome() -> impl IntoView {
    let home = crate::ui::page_data::page_data(|| (), |_| load_school_home());
    let logged_in = viewer().user.is_some();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match home.await {
                    Ok(home) => view! {
                        <Notice/>
                        // The creator's cover and welcome (Settings → Appearance), Markdown made safe.
                        {home.cover_url.clone().map(|src| view! { <img class="school-cover" src=src alt=""/> })}
                        {(!home.welcome_html.is_empty()).then(|| view! { <section class="welcome card" inner_html=home.welcome_html.clone()></section> })}
                        {logged_in.then(|| view! {
                            <PageTitle text=tr("my_courses")/><h1>{tr("my_courses")}</h1>
                            {if home.mine.is_empty() && home.upcoming.is_empty() && home.expired.is_empty() {
                                view! { <p class="muted">{tr("no_enrollments")}</p> }.into_any()
                            } else {
                                view! {
                                    {(!home.mine.is_empty()).then(|| view! { <h2>{tr("in_progress")}</h2> })}
                                    <ul class="cards">{home.mine.into_iter().map(|c| view! { <Card course=c mine=true/> }).collect_view()}</ul>
                                }.into_any()
                            }}
                            {(!home.upcoming.is_empty()).then(|| view! {
                                <h2>{tr("starting_later")}</h2>
                                <ul class="cards upcoming">{home.upcoming.into_iter().map(|c| view! { <Card course=c mine=true/> }).collect_view()}</ul>
                            })}
                            {(!home.expired.is_empty()).then(|| view! {
                                <h2>{tr("completed_expired")}</h2>
                                <ul class="cards expired">{home.expired.into_iter().map(|c| view! { <Card course=c mine=true/> }).collect_view()}</ul>
                            })}
                        })}
                        {if home.catalogue.is_empty() {
                            (!logged_in).then(|| view! { <h2>{tr("courses")}</h2><p class="muted">{tr("no_courses")}</p> }).into_any()
                        } else {
                            view! {
                                <h2>{tr(if logged_in { "other_courses" } else { "courses" })}</h2>
                                <ul class="cards">{home.catalogue.into_iter().map(|c| view! { <Card course=c mine=false/> }).collect_view()}</ul>
                            }.into_any()
                        }}
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Card(course: CourseCard, mine: bool) -> impl IntoView {
    let percent = progress_percent(course.completed_lessons as usize, course.released_lessons as usize);
    let href = format!("/courses/{}", course.slug);
    view! {
        <li class="course-card">
            <a href=href>
                {(!course.cover_url.is_empty()).then(|| view! { <img src=course.cover_url.clone() alt="" loading="lazy"/> })}
                <strong>{course.title.clone()}</strong>
            </a>
            {match (mine, course.access_start) {
                (true, Some(start)) => {
                    let v = crate::ui::layout::viewer();
                    view! { <p class="starts-on">{tr("access_starts_on").replace("{when}", &crate::kernel::time::weekday_date_time(start, v.time_zone(), v.locale))}</p> }.into_any()
                }
                (true, None) => view! {
                    <div class="progress">
                        <progress max="100" value=percent.to_string() aria-label=tr("progress")></progress>
                        <span>{format!("{} · {}", tr("progress_done").replace("{percent}", &percent.to_string()), crate::kernel::i18n::tn(crate::ui::layout::viewer().locale, "lessons_done", course.released_lessons).replace("{done}", &course.completed_lessons.to_string()))}</span>
                    </div>
                }.into_any(),
                _ => ().into_any(),
            }}
            {course.next_lesson.clone().map(|go| view! {
                <p class="next-up">
                    <span class="muted">{tr(if go.started { "continue_where_left" } else { "start_the_course" })}" : "</span>{go.title.clone()}
                    " "<a class="button small" href=go.href.clone() data-continue="1">{tr(if go.started { "continue" } else { "start" })}</a>
                </p>
            })}
            {course.certificate.clone().map(|id| view! { <p><a class="button small secondary" href=format!("/certificates/{id}")>{tr("certificate_view")}</a></p> })}
            {(!mine).then(|| view! { <p class="muted">{course.description.clone()}</p> })}
        </li>
    }
}
