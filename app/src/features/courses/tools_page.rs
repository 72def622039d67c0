//! Course tools in the admin: the author and banner form, "copy this course", "copy this
//! lesson into…", and the trash (restorable for 30 days) on the overview.

use crate::features::courses::api::admin_courses;
use crate::features::courses::tools_api::{load_presentation, load_trash};
use crate::ui::layout::{tr, viewer};
use crate::ui::post_form::PostForm;
use crate::kernel::time::date_time;
use crate::ui::raw_text::TextArea;
use leptos::prelude::*;

#[component]
pub fn PresentationForm(course_id: i64) -> impl IntoView {
    let presentation = crate::ui::page_data::page_data(move || course_id, load_presentation);
    view! {
        <section class="card" id="presentation">
            <h2>{tr("course_presentation")}</h2>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let Ok(p) = presentation.await else { return ().into_any() };
                    view! {
                        <PostForm action="/admin/api/save_course_presentation" class="stack">
                            <input type="hidden" name="id" value=course_id.to_string()/>
                            <label>{tr("course_author")}<input name="author_name" maxlength="100" value=p.author_name/></label>
                            <label>{tr("course_author_bio")}<TextArea name="author_bio" rows=3 maxlength=2000 value=p.author_bio/></label>
                            <label>{tr("course_banner")}<TextArea name="banner_md" rows=4 maxlength=20000 value=p.banner_md/></label>
                            <fieldset>
                                <legend>{tr("program_layout")}</legend>
                                <label class="check"><input type="radio" name="program_layout" value="list" checked=p.program_layout != "modules"/>{tr("program_list")}</label>
                                <label class="check"><input type="radio" name="program_layout" value="modules" checked=p.program_layout == "modules"/>{tr("program_modules")}</label>
                                <label class="check"><input type="checkbox" name="show_durations" value="on" checked=p.show_durations != 0/>{tr("program_show_durations")}</label>
                            </fieldset>
                            <button type="submit" class="secondary">{tr("save")}</button>
                        </PostForm>
                    }
                    .into_any()
                })}
            </Suspense>
            <details class="image-upload">
                <summary>{tr("banner_image_insert")}</summary>
                <form method="post" action=format!("/admin/files/banner?course_id={course_id}") enctype="multipart/form-data" class="stack">
                    <input type="hidden" name=crate::ui::post_form::CSRF_FIELD value=crate::ui::layout::viewer().csrf.clone()/>
                    <label>{tr("cover_file")}<input type="file" name="file" accept="image/jpeg,image/png,image/webp,image/gif" required/></label>
                    <p class="muted small">{tr("banner_image_help")}</p>
                    <button type="submit" class="secondary">{tr("lesson_image_upload")}</button>
                </form>
            </details>
            <PostForm action="/admin/api/copy_course" class="stack">
                <input type="hidden" name="id" value=course_id.to_string()/>
                <label class="check"><input type="checkbox" name="with_students" value="on"/>{tr("copy_with_students")}</label>
                <button type="submit" class="secondary">{tr("copy_course")}</button>
            </PostForm>
        </section>
    }
}

/// The lesson's place in the program: module heading and duration.
#[component]
pub fn LessonProgramForm(course_id: i64, lesson_id: i64, module: String, duration_minutes: Option<i64>) -> impl IntoView {
    view! {
        <section class="card narrow" id="program">
            <h2>{tr("lesson_program")}</h2>
            <PostForm action="/admin/api/save_lesson_program" class="stack">
                <input type="hidden" name="course_id" value=course_id.to_string()/>
                <input type="hidden" name="lesson_id" value=lesson_id.to_string()/>
                <label>{tr("lesson_module")}<input name="module" maxlength="120" value=module/></label>
                <label>{tr("lesson_duration")}<input name="duration_minutes" type="number" min="1" max="1440" inputmode="numeric" value=duration_minutes.map(|d| d.to_string()).unwrap_or_default()/></label>
                <button type="submit" class="secondary">{tr("save")}</button>
            </PostForm>
        </section>
    }
}

#[component]
pub fn CopyLessonForm(course_id: i64, lesson_id: i64) -> impl IntoView {
    let courses = crate::ui::page_data::page_data(|| (), |_| admin_courses());
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let list = courses.await.unwrap_or_default();
                view! {
                    <section class="card narrow">
                        <PostForm action="/admin/api/copy_lesson" class="stack">
                            <input type="hidden" name="course_id" value=course_id.to_string()/>
                            <input type="hidden" name="lesson_id" value=lesson_id.to_string()/>
                            <label>{tr("copy_lesson_to")}
                                <select name="target_course_id">
                                    {list.into_iter().map(|c| view! { <option value=c.id.to_string() selected=c.id == course_id>{c.title}</option> }).collect_view()}
                                </select>
                            </label>
                            <button type="submit" class="secondary">{tr("copy_lesson")}</button>
                        </PostForm>
                    </section>
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn Trash() -> impl IntoView {
    let trash = crate::ui::page_data::page_data(|| (), |_| load_trash());
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    view! {
        <Suspense fallback=|| ()>
            {{
                let zone = zone.clone();
                Suspend::new(async move {
                    let items = trash.await.unwrap_or_default();
                    (!items.is_empty()).then(|| view! {
                        <section class="card" id="trash">
                            <h2>{tr("trash")}</h2>
                            <p class="muted">{tr("trash_lead")}</p>
                            <ul>
                                {items.into_iter().map(|d| {
                                    let kind = if d.kind == "course" { "course" } else { "lesson" };
                                    view! {
                                        <li data-deleted=kind>{d.title}" · "{date_time(d.deleted_at, &zone, locale)}
                                            <PostForm action="/admin/api/restore" class="inline">
                                                <input type="hidden" name="kind" value=kind/>
                                                <input type="hidden" name="id" value=d.id.to_string()/>
                                                <button type="submit" class="link">{tr("restore")}</button>
                                            </PostForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    })
                })
            }}
        </Suspense>
    }
}
