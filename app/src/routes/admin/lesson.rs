//! `/admin/courses/:id/lessons/new` and `.../lessons/:lesson`: title, Markdown, status.

use crate::api::admin::load_admin_lesson;
use crate::api::types::AdminLesson;
use crate::components::layout::tr;
use crate::components::notice::{query, ErrorPage, Notice};
use crate::domain::access::Status;
use crate::components::post_form::PostForm;
use leptos::prelude::*;
use crate::routes::admin::overview::StatusSelect;
use leptos_router::hooks::use_params_map;

#[component]
fn LessonForm(course_id: i64, lesson: Option<AdminLesson>) -> impl IntoView {
    let typed = query("title")();
    let title = if typed.is_empty() { lesson.as_ref().map(|l| l.title.clone()).unwrap_or_default() } else { typed };
    let content = lesson.as_ref().map(|l| l.content_md.clone()).unwrap_or_default();
    let published = lesson.as_ref().is_some_and(|l| l.status == Status::Published);
    let lesson_id = lesson.as_ref().map(|l| l.id.to_string()).unwrap_or_default();
    view! {
        <PostForm action="/api/save_lesson" class="stack">
            <input type="hidden" name="course_id" value=course_id.to_string()/>
            <input type="hidden" name="lesson_id" value=lesson_id/>
            <label>{tr("title")}<input name="title" required maxlength="200" value=title/></label>
            <label>{tr("content_md")}<textarea name="content_md" rows="16" maxlength="100000">{content}</textarea></label>
            <StatusSelect published/>
            <button type="submit">{tr("save")}</button>
        </PostForm>
    }
}

fn course_id_param() -> impl Fn() -> i64 + Clone + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0)
}

#[component]
pub fn NewLesson() -> impl IntoView {
    let course_id = course_id_param();
    view! {
        <section class="card">
            <p class="crumb"><a href=format!("/admin/courses/{}", course_id())>"← "{tr("lessons")}</a></p>
            <h1>{tr("new_lesson")}</h1>
            <Notice/>
            <LessonForm course_id=course_id() lesson=None/>
        </section>
    }
}

#[component]
pub fn EditLesson() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        let n = |k: &str| p.get(k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        (n("id"), n("lesson"))
    };
    let lesson = Resource::new(key, |(c, l)| load_admin_lesson(c, l));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match lesson.await {
                    Ok(l) => {
                        let back = format!("/admin/courses/{}", l.course_id);
                        let (cid, lid) = (l.course_id.to_string(), l.id.to_string());
                        view! {
                            <section class="card">
                                <p class="crumb"><a href=back>"← "{l.course_title.clone()}</a></p>
                                <h1>{l.title.clone()}</h1>
                                <Notice/>
                                <LessonForm course_id=l.course_id lesson=Some(l.clone())/>
                            </section>
                            <section class="card danger">
                                <PostForm action="/api/delete_lesson" class="stack">
                                    <input type="hidden" name="course_id" value=cid/>
                                    <input type="hidden" name="lesson_id" value=lid/>
                                    <label class="check"><input type="checkbox" required/>{tr("delete_lesson_confirm")}</label>
                                    <button type="submit" class="danger">{tr("delete")}</button>
                                </PostForm>
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
