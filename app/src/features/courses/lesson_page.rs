//! `/admin/courses/:id/lessons/new` and `.../lessons/:lesson`: title, Markdown, status.

use crate::features::courses::api::load_admin_lesson;
use crate::features::courses::types::AdminLesson;
use crate::ui::layout::tr;
use crate::ui::notice::{query, ErrorPage, Notice};
use crate::kernel::access::Status;
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::{PageTitle, TextArea};
use crate::ui::notice::Allowed;
use crate::kernel::access::Permission;
use leptos::prelude::*;
use crate::features::courses::status::StatusSelect;
use leptos_router::hooks::use_params_map;

#[component]
fn LessonForm(course_id: i64, lesson: Option<AdminLesson>) -> impl IntoView {
    let typed = query("title")();
    let title = if typed.is_empty() { lesson.as_ref().map(|l| l.title.clone()).unwrap_or_default() } else { typed };
    let content = lesson.as_ref().map(|l| l.content_md.clone()).unwrap_or_default();
    let published = lesson.as_ref().is_some_and(|l| l.status == Status::Published);
    let impact = lesson.as_ref().map(|l| view! { <ImpactConfirm course_id=course_id lesson_id=l.id/> });
    let lesson_id = lesson.as_ref().map(|l| l.id.to_string()).unwrap_or_default();
    let schedule = lesson.as_ref().map(|l| l.schedule.clone()).unwrap_or_default();
    // A new lesson has no rule to sum up yet: its fields show; an existing one reads as a
    // sentence until the creator opens it (or a rule was refused).
    let schedule_open = lesson.is_none() || query("error")().starts_with("drip_");
    let sentence = {
        use crate::features::drip::rules::{CloseRule, OpenRule};
        let rules = schedule.rules(0);
        let open = if schedule.open_rule.is_empty() { OpenRule::Immediately } else { rules.open };
        let close = if schedule.close_rule.is_empty() { CloseRule::Never } else { rules.close };
        crate::features::drip::sentence::sentence(&open, &close, crate::ui::layout::viewer().locale)
    };
    view! {
        {impact}
        <PostForm action="/admin/api/save_lesson" class="stack">
            // Saving is the form's first button, above the editor (the toolbar's come after).
            <p class="actions editor-top"><button type="submit">{tr("save")}</button></p>
            <input type="hidden" name="course_id" value=course_id.to_string()/>
            <input type="hidden" name="lesson_id" value=lesson_id/>
            <label>{tr("title")}<input name="title" required maxlength="200" value=title/></label>
            <div class="editor">
                <div class="editor-text">
                    <crate::features::courses::editor_tools::MarkdownTools labels=toolbar_labels() toolbar_label=tr("toolbar").to_string() preview_title=tr("lesson_preview").to_string()/>
                    <label>{tr("content_md")}<TextArea name="content_md" rows=16 maxlength=100000 value=content/></label>
                    <p class="hint">{tr("markdown_hint")}</p>
                </div>
            </div>
            <StatusSelect published/>
            // The schedule reads as a sentence; its fields open to change it.
            <details class="drip-rule" open=schedule_open>
                <summary><span class="drip-sentence">{sentence}</span>" "<span class="link">{tr("drip_edit")}</span></summary>
                <RuleFields side="open" legend="drip_opens" rule=schedule.open_rule.clone() days=schedule.open_days at=schedule.open_at.clone()/>
                <RuleFields side="close" legend="drip_closes" rule=schedule.close_rule.clone() days=schedule.close_days at=schedule.close_at.clone()/>
            </details>
            <p class="actions">
                <button type="submit">{tr("save")}</button>
                " "<button type="submit" class="secondary" formaction="/admin/preview/lesson" formtarget="_blank" formnovalidate=true>{tr("lesson_preview")}" ↗"</button>
            </p>
        </PostForm>
    }
}

/// The toolbar's buttons: each format's code and its words.
fn toolbar_labels() -> Vec<(String, String)> {
    crate::features::courses::editor::Format::ALL.iter().map(|f| (f.code().to_string(), tr(&format!("format_{}", f.code())).to_string())).collect()
}

/// After a save whose schedule change gives or takes access right now: what it would do, and
/// the button that applies it.
#[component]
fn ImpactConfirm(course_id: i64, lesson_id: i64) -> impl IntoView {
    let get = crate::ui::notice::query_dyn();
    (get("impact") == "1").then(|| {
        let message = tr("impact_lead").replace("{gain}", &get("gain")).replace("{lose}", &get("lose"));
        let fields = ["open_rule", "open_days", "open_at", "close_rule", "close_days", "close_at"];
        view! {
            <div class="notice impact" role="alert">
                <p>{message}</p>
                <PostForm action="/admin/api/confirm_schedule" class="inline">
                    <input type="hidden" name="course_id" value=course_id.to_string()/>
                    <input type="hidden" name="lesson_id" value=lesson_id.to_string()/>
                    {fields.into_iter().map(|f| view! { <input type="hidden" name=f value=get(f)/> }).collect_view()}
                    <button type="submit">{tr("impact_confirm")}</button>
                </PostForm>
            </div>
        }
    })
}

/// One side of a lesson's schedule. Plain fields (no script): the rule picks which are used.
#[component]
fn RuleFields(side: &'static str, legend: &'static str, rule: String, days: Option<i64>, at: Option<String>) -> impl IntoView {
    let choices: &[(&str, &str)] = if side == "open" {
        &[("immediately", "drip_immediately"), ("days", "drip_days_after"), ("date", "drip_on_date"), ("after_previous", "drip_after_previous")]
    } else {
        &[("never", "drip_never"), ("days", "drip_days_after"), ("date", "drip_on_date"), ("access_end", "drip_at_access_end")]
    };
    let rule = if rule.is_empty() { choices[0].0.to_string() } else { rule };
    let time = if rule == "days" { at.clone().unwrap_or_default() } else { "09:00".to_string() };
    let date = if rule == "date" { at.unwrap_or_default() } else { String::new() };
    view! {
        <fieldset class="drip">
            <legend>{tr(legend)}</legend>
            <label>{tr("drip_rule")}
                <select name=format!("{side}_rule")>
                    {choices.iter().map(|(value, label)| view! { <option value=*value selected=rule == *value>{tr(label)}</option> }).collect_view()}
                </select>
            </label>
            <label>{tr("drip_days")}<input type="number" min="0" max="3650" name=format!("{side}_days") value=days.map(|d| d.to_string()).unwrap_or_default()/></label>
            <label>{tr("drip_time")}<input type="time" name=format!("{side}_time") value=time/></label>
            <label>{tr("drip_date")}<input type="datetime-local" name=format!("{side}_date") value=date/></label>
        </fieldset>
    }
}

fn course_id_param() -> impl Fn() -> i64 + Clone + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0)
}

/// Only for those allowed to manage courses: anyone else gets 403, not the forms.
#[component]
pub fn NewLesson() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageCourses><NewLessonBody/></Allowed> }
}

#[component]
fn NewLessonBody() -> impl IntoView {
    let course_id = course_id_param();
    view! {
        <section class="card">
            <crate::ui::admin_nav::Crumbs trail=vec![(tr("lessons").to_string(), format!("/admin/courses/{}", course_id()))] here=tr("new_lesson")/>
            <PageTitle text=tr("new_lesson")/><h1>{tr("new_lesson")}</h1>
            <Notice/>
            <LessonForm course_id=course_id() lesson=None/>
        </section>
    }
}

/// Only for those allowed to manage courses: anyone else gets 403, not the forms.
#[component]
pub fn EditLesson() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageCourses><EditLessonBody/></Allowed> }
}

#[component]
fn EditLessonBody() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        let n = |k: &str| p.get(k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        (n("id"), n("lesson"))
    };
    let lesson = crate::ui::page_data::page_data(key, |(c, l)| load_admin_lesson(c, l));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match lesson.await {
                    Ok(l) => {
                        let back = format!("/admin/courses/{}", l.course_id);
                        let (cid, lid) = (l.course_id.to_string(), l.id.to_string());
                        view! {
                            <section class="card">
                                <crate::ui::admin_nav::Crumbs trail=vec![(l.course_title.clone(), back)] here=l.title.clone()/>
                                <PageTitle text=l.title.clone()/><h1>{l.title.clone()}</h1>
                                <Notice/>
                                <LessonForm course_id=l.course_id lesson=Some(l.clone())/>
                                <crate::features::media::admin_page::LessonImageUpload course_id=l.course_id lesson_id=l.id/>
                            </section>
                            <crate::features::lessons::blocks_page::BlocksEditor course_id=l.course_id lesson_id=l.id/>
                            <crate::features::media::admin_page::VideoUpload course_id=l.course_id lesson_id=l.id/>
                            <crate::features::media::admin_page::LessonFiles course_id=l.course_id lesson_id=l.id/>
                            <crate::features::trial::admin_page::TrialSection course_id=l.course_id lesson_id=l.id/>
                            <crate::features::tasks::editor_page::TaskEditor course_id=l.course_id lesson_id=l.id/>
                            <crate::features::courses::tools_page::LessonProgramForm course_id=l.course_id lesson_id=l.id module=l.module.clone() duration_minutes=l.duration_minutes/>
                            <crate::features::courses::tools_page::CopyLessonForm course_id=l.course_id lesson_id=l.id/>
                            <section class="card danger">
                                <PostForm action="/admin/api/delete_lesson" class="stack">
                                    <input type="hidden" name="course_id" value=cid/>
                                    <input type="hidden" name="lesson_id" value=lid/>
                                    <label class="check"><input type="checkbox" name="confirm" value="on" required/>{tr("delete_lesson_confirm")}</label>
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
