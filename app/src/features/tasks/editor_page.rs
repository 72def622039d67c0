//! The lesson's task on its settings page: make it an assignment, a quiz or a survey (one
//! form per kind, each with only its fields), edit it, or remove it.

use crate::features::tasks::api::{load_task, TaskSettings};
use crate::ui::layout::tr;
use crate::ui::notice::query;
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::TextArea;
use leptos::prelude::*;

const KINDS: [&str; 3] = ["assignment", "quiz", "survey"];

#[component]
fn TaskFields(course_id: i64, lesson_id: i64, kind: &'static str, current: TaskSettings) -> impl IntoView {
    // A refused question list comes back as typed.
    let typed = query("questions")();
    let questions = if typed.is_empty() || query("task_kind")() != kind { current.questions.clone() } else { typed };
    let review = current.kind != kind || current.review_required;
    view! {
        <PostForm action="/admin/api/save_task" class="stack task-form">
            <input type="hidden" name="course_id" value=course_id.to_string()/>
            <input type="hidden" name="lesson_id" value=lesson_id.to_string()/>
            <input type="hidden" name="kind" value=kind/>
            <label>{tr("task_prompt")}<TextArea name="prompt" rows=3 maxlength=5000 value=current.prompt.clone()/></label>
            {(kind == "assignment").then(|| {
                let answer = if current.answer_kind.is_empty() { "either".to_string() } else { current.answer_kind.clone() };
                view! {
                    <fieldset>
                        <legend>{tr("task_answer_kind")}</legend>
                        {["text", "link", "either"].into_iter().map(|a| view! {
                            <label class="check"><input type="radio" name="answer_kind" value=a checked=answer == a/>{tr(&format!("answer_kind_{a}"))}</label>
                        }).collect_view()}
                    </fieldset>
                    <label class="check"><input type="checkbox" name="review_required" value="on" checked=review/>{tr("task_review_required")}</label>
                }
            })}
            {(kind != "assignment").then(|| view! {
                <label>{tr("task_questions")}<TextArea name="questions" rows=10 maxlength=100000 placeholder="Q: …\n* …\n- …" value=questions.clone()/></label>
                <p class="muted pre">{tr(if kind == "quiz" { "task_questions_help_quiz" } else { "task_questions_help_survey" })}</p>
            })}
            {(kind == "quiz").then(|| view! {
                <label>{tr("task_pass_percent")}<input type="number" name="pass_percent" min="0" max="100" value=current.pass_percent.to_string()/></label>
                <label>{tr("task_max_attempts")}<input type="number" name="max_attempts" min="0" max="100" value=current.max_attempts.to_string()/></label>
            })}
            {(kind != "survey").then(|| view! {
                <label class="check"><input type="checkbox" name="checkpoint" value="on" checked=current.checkpoint/>{tr("task_checkpoint")}</label>
            })}
            <button type="submit" class="secondary" data-task=kind>{tr("save")}</button>
        </PostForm>
    }
}

#[component]
pub fn TaskEditor(course_id: i64, lesson_id: i64) -> impl IntoView {
    let task = crate::ui::page_data::page_data(move || (course_id, lesson_id), |(c, l)| load_task(c, l));
    let asked = query("task_kind")();
    view! {
        <section class="card" id="task">
            <h2>{tr("task_title")}</h2>
            <Suspense fallback=|| ()>
                {{
                    let asked = asked.clone();
                    Suspend::new(async move {
                        match task.await.ok().flatten() {
                            Some(current) => {
                                let kind = KINDS.into_iter().find(|k| *k == current.kind).unwrap_or("assignment");
                                view! {
                                    <p class="muted">{tr(&format!("task_kind_{kind}"))}</p>
                                    <TaskFields course_id lesson_id kind current/>
                                    <PostForm action="/admin/api/remove_task" class="inline">
                                        <input type="hidden" name="course_id" value=course_id.to_string()/>
                                        <input type="hidden" name="lesson_id" value=lesson_id.to_string()/>
                                        <button type="submit" class="link danger">{tr("task_remove")}</button>
                                    </PostForm>
                                }
                                .into_any()
                            }
                            None => view! {
                                <p class="muted">{tr("task_lead")}</p>
                                {KINDS.into_iter().map(|kind| view! {
                                    <details class="add-task" open=asked == kind>
                                        <summary>{tr(&format!("task_add_{kind}"))}</summary>
                                        <TaskFields course_id lesson_id kind current=TaskSettings { review_required: true, ..Default::default() }/>
                                    </details>
                                }).collect_view()}
                            }
                            .into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
