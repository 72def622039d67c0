//! The lesson's blocks on its settings page: each block's fields with save, up, down and
//! delete; a form to add one of any kind; and (settings page) the hosts embed blocks may show.

use crate::features::lessons::api::{load_blocks, load_lesson_hosts};
use crate::ui::layout::tr;
use crate::ui::notice::query;
use crate::ui::post_form::PostForm;
use crate::features::lessons::blocks::KINDS;
use crate::ui::raw_text::TextArea;
use leptos::prelude::*;

/// The fields every kind's form has; each kind uses some of them (shown with their use).
#[component]
fn BlockFields(kind: String, text: String, url: String, label: String, title: String) -> impl IntoView {
    let uses = |field: &str| match field {
        "text" => matches!(kind.as_str(), "text" | "math" | "spoiler"),
        "url" => matches!(kind.as_str(), "video" | "button" | "embed"),
        "label" => kind == "button",
        "title" => kind == "spoiler",
        _ => false,
    };
    let text_label = if kind == "math" { "block_latex" } else { "block_text" };
    view! {
        {uses("title").then(|| view! { <label>{tr("block_title_field")}<input name="title" maxlength="200" value=title.clone()/></label> })}
        {uses("label").then(|| view! { <label>{tr("block_label")}<input name="label" maxlength="80" value=label.clone()/></label> })}
        // A video may be an uploaded one (`/media/…`), which a URL field would refuse.
        {uses("url").then(|| view! { <label>{tr("block_url")}<input name="url" type=if kind == "video" { "text" } else { "url" } inputmode="url" maxlength="2000" value=url.clone()/></label> })}
        {(kind == "video").then(|| view! { <p class="muted small">{tr("block_video_url_help")}</p> })}
        {uses("text").then(|| view! { <label>{tr(text_label)}<TextArea name="text" rows=6 maxlength=100000 value=text.clone()/></label> })}
    }
}

#[component]
pub fn BlocksEditor(course_id: i64, lesson_id: i64) -> impl IntoView {
    let blocks = crate::ui::page_data::page_data(move || (course_id, lesson_id), |(c, l)| load_blocks(c, l));
    let ids = move || (course_id.to_string(), lesson_id.to_string());
    let adding = query("block_kind")();
    view! {
        <section class="card" id="blocks">
            <h2>{tr("blocks_title")}</h2>
            <p class="muted">{tr("blocks_lead")}</p>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let list = blocks.await.unwrap_or_default();
                    let (cid, lid) = ids();
                    view! {
                        <ol class="blocks">
                            {list.into_iter().map(|b| {
                                let (text, url, label, title) = b.block.fields();
                                let kind = b.block.kind().to_string();
                                let (c1, l1, c2, l2) = (cid.clone(), lid.clone(), cid.clone(), lid.clone());
                                let id = b.id.to_string();
                                let id2 = id.clone();
                                let (li_class, heading, data_block, kind_field) = (format!("block-editor kind-{kind}"), tr(&format!("block_kind_{kind}")), id.clone(), kind.clone());
                                view! {
                                    <li class=li_class data-block=data_block>
                                        <h3>{heading}</h3>
                                        <PostForm action="/admin/api/save_block" class="stack">
                                            <input type="hidden" name="course_id" value=c1/>
                                            <input type="hidden" name="lesson_id" value=l1/>
                                            <input type="hidden" name="block_id" value=id/>
                                            <input type="hidden" name="kind" value=kind_field/>
                                            <BlockFields kind=kind text url label title/>
                                            <button type="submit" class="secondary">{tr("save")}</button>
                                        </PostForm>
                                        <div class="inline-actions">
                                            {["up", "down", "delete"].into_iter().map(|action| {
                                                let (c, l, b) = (c2.clone(), l2.clone(), id2.clone());
                                                view! {
                                                    <PostForm action="/admin/api/change_block" class="inline">
                                                        <input type="hidden" name="course_id" value=c/>
                                                        <input type="hidden" name="lesson_id" value=l/>
                                                        <input type="hidden" name="block_id" value=b/>
                                                        <input type="hidden" name="action" value=action/>
                                                        <button type="submit" class=if action == "delete" { "link danger" } else { "link" }>{tr(&format!("block_{action}"))}</button>
                                                    </PostForm>
                                                }
                                            }).collect_view()}
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }
                    .into_any()
                })}
            </Suspense>
            <details class="add-block" open=!adding.is_empty()>
                <summary>{tr("block_add")}</summary>
                // One form per kind: each shows only the fields its kind uses.
                {KINDS.into_iter().map(|kind| {
                    let (cid, lid) = ids();
                    view! {
                        <PostForm action="/admin/api/save_block" class="stack add-form">
                            <input type="hidden" name="course_id" value=cid/>
                            <input type="hidden" name="lesson_id" value=lid/>
                            <input type="hidden" name="block_id" value=""/>
                            <input type="hidden" name="kind" value=kind/>
                            <h3>{tr(&format!("block_kind_{kind}"))}</h3>
                            <BlockFields kind=kind.to_string() text=String::new() url=String::new() label=String::new() title=String::new()/>
                            <button type="submit" class="secondary" data-add=kind>{tr("block_add_this")}</button>
                        </PostForm>
                    }
                }).collect_view()}
            </details>
        </section>
    }
}

#[component]
pub fn LessonHostsCard() -> impl IntoView {
    let hosts = crate::ui::page_data::page_data(|| (), |_| load_lesson_hosts());
    let typed = query("hosts")();
    view! {
        <section class="card narrow" id="hosts">
            <h2>{tr("lesson_hosts_title")}</h2>
            <Suspense fallback=|| ()>
                {{
                    let typed = typed.clone();
                    Suspend::new(async move {
                        let current = hosts.await.unwrap_or_default();
                        let value = if typed.is_empty() { current } else { typed };
                        view! {
                            <PostForm action="/admin/api/save_lesson_hosts" class="stack">
                                <label>{tr("lesson_hosts")}<TextArea name="hosts" rows=4 maxlength=5000 placeholder="www.canva.com" value=value/></label>
                                <p class="muted">{tr("lesson_hosts_help")}</p>
                                <button type="submit">{tr("save")}</button>
                            </PostForm>
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
