//! `/admin/settings/emails` (the six kinds, which are the school's own text) and
//! `/admin/settings/emails/:kind?lang=fr` (the editor: subject, text, the fields it may use,
//! the preview with a real student's data, a test to me, the reset).

use crate::features::emails::api::{load_email_editor, load_email_kinds, Editor};
use crate::features::emails::rules::{MailKind, BODY_MAX, SUBJECT_MAX};
use crate::kernel::access::Permission;
use crate::ui::layout::tr;
use crate::ui::notice::{query_dyn, Allowed, ErrorPage, Notice};
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::{PageTitle, TextArea};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn kind_label(code: &str) -> &'static str {
    tr(&format!("email_kind_{code}"))
}

fn language_name(code: &str) -> &'static str {
    if code == "en" { "English" } else { "Français" }
}

#[component]
pub fn EmailsPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageSettings><EmailsBody/></Allowed> }
}

#[component]
fn EmailsBody() -> impl IntoView {
    let kinds = crate::ui::page_data::page_data(|| (), |_| load_email_kinds());
    view! {
        <crate::ui::admin_nav::Crumbs here=tr("emails_title")/>
        <PageTitle text=tr("emails_title")/><h1>{tr("emails_title")}</h1>
        <Notice/>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match kinds.await {
                    Ok(rows) => view! {
                        <section class="card">
                            <p class="muted">{tr("emails_lead")}</p>
                            <table class="admin emails">
                                <thead><tr><th>{tr("email_kind")}</th><th>"Français"</th><th>"English"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|row| {
                                        let cell = |lang: &'static str| {
                                            let edited = row.edited.iter().any(|l| l == lang);
                                            let href = format!("/admin/settings/emails/{}?lang={lang}", row.kind);
                                            view! {
                                                <td>
                                                    <a href=href>{if edited { tr("email_state_edited") } else { tr("email_state_default") }}</a>
                                                </td>
                                            }
                                        };
                                        view! {
                                            <tr>
                                                <th scope="row"><a href=format!("/admin/settings/emails/{}", row.kind)>{kind_label(&row.kind)}</a></th>
                                                {cell("fr")}{cell("en")}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EmailEditorPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageSettings><EditorBody/></Allowed> }
}

#[component]
fn EditorBody() -> impl IntoView {
    let params = use_params_map();
    let q = query_dyn();
    let key = move || {
        let kind = params.read().get("kind").unwrap_or_default();
        let lang = match q("lang").as_str() {
            "" => crate::ui::layout::viewer().locale.code().to_string(),
            other => other.to_string(),
        };
        // A refusal, a preview or a test brings back what was typed.
        let typed = (!q("subject").is_empty() || !q("body").is_empty()).then(|| (q("subject"), q("body")));
        (kind, lang, typed)
    };
    let editor = crate::ui::page_data::page_data(key, |(kind, lang, typed)| load_email_editor(kind, lang, typed));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match editor.await {
                    Ok(e) => view! { <EditorView e=e/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditorView(e: Editor) -> impl IntoView {
    let kind = MailKind::parse(&e.kind).unwrap_or(MailKind::Invitation);
    let title = kind_label(&e.kind);
    let other = if e.locale == "fr" { "en" } else { "fr" };
    let state = if e.edited { tr("email_state_edited") } else { tr("email_state_default") };
    let (reset_kind, reset_locale) = (e.kind.clone(), e.locale.clone());
    let sample = if e.sample_name.is_empty() { e.sample_email.clone() } else { format!("{} ({})", e.sample_name, e.sample_email) };
    view! {
        <crate::ui::admin_nav::Crumbs trail=vec![(tr("emails_title").to_string(), "/admin/settings/emails".to_string())] here=title/>
        <PageTitle text=title/><h1>{title}</h1>
        <Notice/>
        <div class="admin-grid email-editor">
            <section class="card">
                <p class="tabs" role="list">
                    <span role="listitem" aria-current="true" class="tab current">{language_name(&e.locale)}" · "{state}</span>
                    " "<a role="listitem" class="tab" href=format!("/admin/settings/emails/{}?lang={other}", e.kind)>{language_name(other)}</a>
                </p>
                <PostForm action="/admin/api/save_email" class="stack">
                    <input type="hidden" name="kind" value=e.kind.clone()/>
                    <input type="hidden" name="locale" value=e.locale.clone()/>
                    <label>{tr("email_subject")}<input name="subject" required maxlength=SUBJECT_MAX.to_string() value=e.subject.clone()/></label>
                    <label>{tr("email_body")}<TextArea name="body" rows=14 maxlength=BODY_MAX as u32 value=e.body.clone()/></label>
                    <div class="fields">
                        <p>{tr("email_fields")}</p>
                        <ul class="chips">{kind.fields().iter().map(|f| view! { <li><code>{format!("{{{{{f}}}}}")}</code></li> }).collect_view()}</ul>
                        <p class="hint">{tr("email_fields_hint")}</p>
                    </div>
                    <p class="actions">
                        <button type="submit" name="action" value="save">{tr("save")}</button>
                        " "<button type="submit" name="action" value="preview" class="secondary">{tr("email_preview")}</button>
                        " "<button type="submit" name="action" value="test" class="secondary">{tr("email_send_test")}</button>
                    </p>
                </PostForm>
                {e.edited.then(|| view! {
                    <PostForm action="/admin/api/save_email" class="inline">
                        <input type="hidden" name="kind" value=reset_kind/>
                        <input type="hidden" name="locale" value=reset_locale/>
                        <button type="submit" name="action" value="reset" class="link danger">{tr("email_reset")}</button>
                    </PostForm>
                })}
            </section>
            <section class="card" id="preview">
                <h2>{tr("email_preview")}</h2>
                <p class="muted">{tr("email_preview_for").replace("{who}", &sample)}</p>
                {match e.preview.clone() {
                    Some((subject, html)) => view! {
                        <p class="email-subject">{tr("email_subject_line").replace("{subject}", &subject)}</p>
                        <iframe class="email-preview" sandbox="" title=tr("email_preview") srcdoc=html></iframe>
                    }.into_any(),
                    None => view! { <p class="muted">{tr("email_preview_none")}</p> }.into_any(),
                }}
            </section>
        </div>
    }
}
