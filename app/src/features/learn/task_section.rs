//! The task under a lesson (student side): an assignment's answer form and review status, a
//! quiz's questions and score, a survey's questions. Plain forms: they work without JS.

use crate::features::tasks::answer_link::AnswerLink;
use crate::features::tasks::types::TaskView;
use crate::ui::layout::tr;
use crate::ui::notice::query;
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::TextArea;
use leptos::prelude::*;

fn status_class(status: &str) -> &'static str {
    match status {
        "approved" => "badge ok",
        "returned" | "failed" => "badge warn",
        _ => "badge",
    }
}

#[component]
pub fn TaskSection(slug: String, lesson_id: i64, task: TaskView, preview: bool) -> impl IntoView {
    let kind = task.kind.clone();
    let heading = tr(&format!("task_kind_{kind}"));
    let latest = task.latest.clone();
    let can_answer = task.may_submit && !preview;
    let status_view = latest.clone().map(|s| {
        let label = tr(&format!("{}_status_{}", if kind == "assignment" { "review" } else { kind.as_str() }, s.status));
        let score = s.score.zip(s.max_score).map(|(p, m)| {
            let percent = crate::features::tasks::rules::Score { points: p, max: m }.percent();
            view! { <p class="score" data-score=format!("{p}/{m}")>{tr("quiz_score").replace("{points}", &p.to_string()).replace("{max}", &m.to_string()).replace("{percent}", &percent.to_string())}</p> }
        });
        let right = (!s.right.is_empty()).then(|| {
            view! {
                <ol class="quiz-marks">
                    {s.right.iter().map(|ok| view! { <li class=if *ok { "right" } else { "wrong" }>{if *ok { tr("quiz_question_right") } else { tr("quiz_question_wrong") }}</li> }).collect_view()}
                </ol>
            }
        });
        let answer = (!s.answer_text.is_empty() || !s.answer_link.is_empty() || !s.files.is_empty()).then(|| {
            let link = s.answer_link.clone();
            let files = s.files.clone();
            view! {
                <blockquote class="answer">
                    <p class="pre">{s.answer_text.clone()}</p>
                    <AnswerLink link=link.clone()/>
                    {(!files.is_empty()).then(|| view! {
                        <ul class="file-list answer-files">
                            {files.into_iter().map(|f| view! { <li><a href=f.href download=f.name.clone()>{f.name.clone()}</a>" · "<span class="muted">{f.size}</span></li> }).collect_view()}
                        </ul>
                    })}
                </blockquote>
            }
        });
        let comment = (!s.comment.is_empty()).then(|| view! { <p class="review-comment"><strong>{tr("review_comment")}" "</strong><span class="pre">{s.comment.clone()}</span></p> });
        view! {
            <p class=status_class(&s.status) data-status=s.status.clone()>{label}</p>
            {score.map(|s| s.into_any())}
            {right.map(|r| r.into_any())}
            {answer}
            {comment}
        }
        .into_any()
    });
    let form_kind = kind.clone();
    let form = can_answer.then(move || match form_kind.as_str() {
        "assignment" => {
            let typed = query("answer")();
            let typed_link = query("link")();
            let wants_text = task.answer_kind != "link";
            let wants_link = task.answer_kind != "text";
            let drafts = task.draft_files.clone();
            let csrf = crate::ui::layout::viewer().csrf.clone();
            let attach_to = crate::features::learn::answers::answer_file_path(&slug, lesson_id);
            let draft_slug = slug.clone();
            view! {
                // Files first (each is sent on its own), then the answer that takes them along.
                <div class="answer-files-box">
                    <h3>{tr("answer_files_title")}</h3>
                    {(!drafts.is_empty()).then(|| view! {
                        <ul class="file-list answer-files">
                            {drafts.into_iter().map(|f| {
                                let slug = draft_slug.clone();
                                view! {
                                <li>
                                    <a href=f.href download=f.name.clone()>{f.name.clone()}</a>" · "<span class="muted">{f.size}</span>" "
                                    <PostForm action="/api/remove_answer_file" class="inline">
                                        <input type="hidden" name="slug" value=slug.clone()/>
                                        <input type="hidden" name="lesson_id" value=lesson_id.to_string()/>
                                        <input type="hidden" name="file_id" value=f.id/>
                                        <button type="submit" class="link">{tr("remove")}</button>
                                    </PostForm>
                                </li>
                            }}).collect_view()}
                        </ul>
                    })}
                    <form method="post" action=attach_to enctype="multipart/form-data" class="stack">
                        <input type="hidden" name=crate::ui::post_form::CSRF_FIELD value=csrf/>
                        <label>{tr("answer_file_label")}<input type="file" name="file" accept="application/pdf,audio/mpeg,image/jpeg,image/png,image/webp,image/gif" required/></label>
                        <p class="muted small">{tr("answer_file_help")}</p>
                        <button type="submit" class="secondary">{tr("answer_file_attach")}</button>
                    </form>
                </div>
                <PostForm action="/api/submit_assignment" class="stack">
                    <input type="hidden" name="slug" value=slug.clone()/>
                    <input type="hidden" name="lesson_id" value=lesson_id.to_string()/>
                    {wants_text.then(|| view! { <label>{tr("answer_text")}<TextArea name="text" rows=6 maxlength=20000 value=typed.clone()/></label> })}
                    {wants_link.then(|| view! { <label>{tr("answer_link")}<input type="url" name="link" maxlength="2000" placeholder="https://" value=typed_link.clone()/></label> })}
                    <button type="submit">{tr("answer_send")}</button>
                </PostForm>
            }
            .into_any()
        }
        _ => {
            let quiz = form_kind == "quiz";
            let action = if quiz { "/api/submit_quiz" } else { "/api/submit_survey" };
            let show_points = quiz;
            view! {
                <PostForm action=action class="stack questions">
                    <input type="hidden" name="slug" value=slug.clone()/>
                    <input type="hidden" name="lesson_id" value=lesson_id.to_string()/>
                    {task.questions.iter().enumerate().map(|(i, q)| {
                        let points = (show_points && q.points != 1).then(|| format!(" ({} pts)", q.points));
                        view! {
                            <fieldset class="question" data-question=i.to_string()>
                                <legend>{format!("{}. {}", i + 1, q.text)}{points}</legend>
                                {if q.choices.is_empty() {
                                    view! { <TextArea name=format!("answers[q{i}]") rows=3 maxlength=5000 aria_label=q.text.clone()/> }.into_any()
                                } else {
                                    q.choices.iter().enumerate().map(|(c, choice)| {
                                        let (kind, name) = if q.multiple { ("checkbox", format!("answers[q{i}_{c}]")) } else { ("radio", format!("answers[q{i}]")) };
                                        view! { <label class="check"><input type=kind name=name value=c.to_string()/>{choice.clone()}</label> }
                                    }).collect_view().into_any()
                                }}
                            </fieldset>
                        }
                    }).collect_view()}
                    <button type="submit">{tr(if quiz { "quiz_submit" } else { "survey_submit" })}</button>
                </PostForm>
            }
            .into_any()
        }
    });
    let rules = match kind.as_str() {
        "quiz" => Some(format!(
            "{}{}",
            tr("quiz_pass_mark").replace("{percent}", &task.pass_percent.to_string()),
            task.attempts_left.map(|n| format!(" · {}", crate::kernel::i18n::tn(crate::ui::layout::viewer().locale, "quiz_attempts_left", n as i64))).unwrap_or_default()
        )),
        "assignment" if task.review_required => Some(tr("assignment_reviewed").to_string()),
        _ => None,
    };
    view! {
        <section class="card task" id="task" data-kind=kind.clone()>
            <h2>{heading}</h2>
            {(!task.prompt.is_empty()).then(|| view! { <p class="pre">{task.prompt.clone()}</p> })}
            {rules.map(|r| view! { <p class="muted">{r}</p> })}
            {task.checkpoint.then(|| view! { <p class="muted checkpoint-note">{tr("checkpoint_note")}</p> })}
            {status_view}
            {form}
        </section>
    }
    .into_any()
}
