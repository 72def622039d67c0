//! The "Files" card of the creator's lesson page: the files students download from the
//! lesson, an upload form (multipart, handled by the Worker) and a remove button each.

use crate::features::media::admin_api::load_lesson_files;
use crate::ui::layout::tr;
use crate::ui::post_form::PostForm;
use leptos::prelude::*;

#[component]
pub fn LessonFiles(course_id: i64, lesson_id: i64) -> impl IntoView {
    let files = Resource::new(move || (course_id, lesson_id), |(c, l)| load_lesson_files(c, l));
    let v = crate::ui::layout::viewer();
    view! {
        <section class="card" id="files">
            <h2>{tr("lesson_files_title")}</h2>
            <p class="muted">{tr("lesson_files_lead")}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = files.await.unwrap_or_default();
                    (!list.is_empty()).then(|| view! {
                        <ul class="file-list">
                            {list.into_iter().map(|f| view! {
                                <li>
                                    <span>{f.name.clone()}" · "{f.size.clone()}</span>" "
                                    <PostForm action="/admin/api/delete_lesson_file" class="inline">
                                        <input type="hidden" name="course_id" value=course_id.to_string()/>
                                        <input type="hidden" name="lesson_id" value=lesson_id.to_string()/>
                                        <input type="hidden" name="file_id" value=f.id.clone()/>
                                        <button type="submit" class="secondary">{tr("remove")}</button>
                                    </PostForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    })
                })}
            </Suspense>
            <form method="post" action=format!("/admin/files/lesson?course_id={course_id}&lesson_id={lesson_id}") enctype="multipart/form-data" class="stack">
                <input type="hidden" name=crate::ui::post_form::CSRF_FIELD value=v.csrf.clone()/>
                <label>{tr("lesson_file")}<input type="file" name="file" required/></label>
                <p class="muted small">{tr("lesson_file_help")}</p>
                <button type="submit">{tr("lesson_file_upload")}</button>
            </form>
        </section>
    }
}

/// "Put an image into the text": uploaded, checked, and added at the end of the lesson's
/// Markdown as `![name](/media/…)`, where the creator moves it to its place.
#[component]
pub fn LessonImageUpload(course_id: i64, lesson_id: i64) -> impl IntoView {
    let v = crate::ui::layout::viewer();
    view! {
        <details class="image-upload">
            <summary>{tr("lesson_image_insert")}</summary>
            <form method="post" action=format!("/admin/files/lesson_image?course_id={course_id}&lesson_id={lesson_id}") enctype="multipart/form-data" class="stack">
                <input type="hidden" name=crate::ui::post_form::CSRF_FIELD value=v.csrf.clone()/>
                <label>{tr("cover_file")}<input type="file" name="file" accept="image/jpeg,image/png,image/webp,image/gif" required/></label>
                <p class="muted small">{tr("lesson_image_help")}</p>
                <button type="submit" class="secondary">{tr("lesson_image_upload")}</button>
            </form>
        </details>
    }
}
