//! The "Files" card of the creator's lesson page: the files students download from the
//! lesson, an upload form (multipart, handled by the Worker) and a remove button each.

use crate::features::media::admin_api::load_lesson_files;
use crate::features::media::uploader::{Uploader, UploaderTexts};
use crate::ui::layout::tr;
use crate::ui::post_form::PostForm;
use leptos::prelude::*;

#[component]
pub fn LessonFiles(course_id: i64, lesson_id: i64) -> impl IntoView {
    let files = crate::ui::page_data::page_data(move || (course_id, lesson_id), |(c, l)| load_lesson_files(c, l));
    let v = crate::ui::layout::viewer();
    view! {
        <section class="card" id="files">
            <h2>{tr("lesson_files_title")}</h2>
            <p class="muted">{tr("lesson_files_lead")}</p>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let list = files.await.unwrap_or_default();
                    (!list.is_empty()).then(|| view! {
                        <ul class="file-list">
                            {list.into_iter().map(|f| view! {
                                <li>
                                    <span><a href=f.href.clone() download=f.name.clone()>{f.name.clone()}</a>" · "{f.size.clone()}</span>" "
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
            <Uploader place="lesson".to_string() course_id lesson_id csrf=v.csrf.clone() accept="application/pdf,audio/mpeg,image/jpeg,image/png,image/webp,image/gif".to_string()
                texts=texts("lesson_file", "lesson_file_help", "lesson_file_upload")/>
        </section>
    }
}

/// The uploader's words, in the viewer's language.
fn texts(label: &str, help: &str, button: &str) -> UploaderTexts {
    UploaderTexts {
        label: tr(label).to_string(),
        help: tr(help).to_string(),
        button: tr(button).to_string(),
        progress: tr("upload_progress").to_string(),
        retrying: tr("upload_retrying").to_string(),
        interrupted: tr("upload_interrupted").to_string(),
        finishing: tr("upload_finishing").to_string(),
    }
}

/// "Upload a video": a video block at the end of the lesson, from a file sent in parts (up
/// to 2 GB; a plain form up to 50 MB without JavaScript).
#[component]
pub fn VideoUpload(course_id: i64, lesson_id: i64) -> impl IntoView {
    let v = crate::ui::layout::viewer();
    view! {
        <details class="card video-upload" id="video-upload">
            <summary>{tr("video_upload_title")}</summary>
            <p class="muted">{tr("video_upload_lead")}</p>
            <Uploader place="video".to_string() course_id lesson_id csrf=v.csrf.clone() accept="video/mp4,video/webm".to_string()
                texts=texts("video_file", "video_file_help", "video_upload")/>
        </details>
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

/// "Videos watched" on a student's page: each uploaded video they played, how many times,
/// when last.
#[component]
pub fn StudentVideoViews(id: i64) -> impl IntoView {
    let views = crate::ui::page_data::page_data(move || id, crate::features::media::admin_api::load_video_views);
    let v = crate::ui::layout::viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    view! {
        <section class="card" id="video-views">
            <h2>{tr("video_views_title")}</h2>
            <Suspense fallback=|| ()>
                {{
                    let zone = zone.clone();
                    Suspend::new(async move {
                        let list = views.await.unwrap_or_default();
                        if list.is_empty() {
                            return view! { <p class="muted">{tr("video_views_none")}</p> }.into_any();
                        }
                        view! {
                            <table class="admin video-views">
                                <thead><tr><th>{tr("lesson")}</th><th>{tr("video")}</th><th>{tr("video_views_count")}</th><th>{tr("video_views_last")}</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|w| view! {
                                        <tr>
                                            <td>{w.course_title}" · "{w.lesson_title}</td>
                                            <td>{w.video_name}</td>
                                            <td class="num">{w.views}</td>
                                            <td>{crate::kernel::time::date_time(w.last_at, &zone, locale)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }
                        .into_any()
                    })
                }}
            </Suspense>
        </section>
    }
}

/// Settings: the school's logo (shown in its pages' header) and the storage it uses.
#[component]
pub fn LogoAndStorageCard() -> impl IntoView {
    let storage = crate::ui::page_data::page_data(|| (), |_| crate::features::media::admin_api::load_storage());
    let v = crate::ui::layout::viewer();
    let locale = v.locale;
    view! {
        <section class="card narrow" id="logo">
            <h2>{tr("logo_title")}</h2>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let s = storage.await.ok()?;
                    Some(view! {
                        {s.logo_url.clone().map(|src| view! { <p><img class="logo-preview" src=src alt=tr("logo_current") height="64"/></p> })}
                        <div id="storage">
                            <h3>{tr("storage_title")}</h3>
                            <p class="storage-used">{crate::kernel::i18n::tn(locale, "storage_used", s.files).replace("{used}", &s.used).replace("{quota}", &s.quota)}</p>
                            <progress class="storage-bar" max="100" value=s.percent aria-label=tr("storage_title")></progress>
                        </div>
                    })
                })}
            </Suspense>
            <form method="post" action="/admin/files/logo" enctype="multipart/form-data" class="stack">
                <input type="hidden" name=crate::ui::post_form::CSRF_FIELD value=v.csrf.clone()/>
                <label>{tr("logo_file")}<input type="file" name="file" accept="image/jpeg,image/png,image/webp,image/gif" required/></label>
                <p class="muted small">{tr("logo_help")}</p>
                <button type="submit" class="secondary">{tr("logo_upload")}</button>
            </form>
        </section>
    }
}
