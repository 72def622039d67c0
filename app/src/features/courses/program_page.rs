//! The course's program on its admin page: modules with their lessons, each change a small
//! form (no JavaScript needed); with JavaScript, lessons are also dragged (`ProgramDrag`).

use crate::features::courses::status::status_label;
use crate::features::courses::types::AdminLessonRow;
use crate::ui::layout::tr;
use crate::ui::post_form::PostForm;
use leptos::prelude::*;

/// One `change_program` form: hidden fields, then a button.
#[component]
fn Change(course_id: i64, action: &'static str, #[prop(optional)] module: String, #[prop(optional)] lesson_id: Option<i64>, label: String, text: &'static str) -> impl IntoView {
    let title = label.clone();
    view! {
        <PostForm action="/admin/api/change_program" class="inline">
            <input type="hidden" name="course_id" value=course_id.to_string()/>
            <input type="hidden" name="action" value=action/>
            {(!module.is_empty()).then(|| view! { <input type="hidden" name="module" value=module.clone()/> })}
            {lesson_id.map(|id| view! { <input type="hidden" name="lesson_id" value=id.to_string()/> })}
            <button type="submit" class="link" title=title><span aria-hidden="true">{text}</span><span class="visually-hidden">{label}</span></button>
        </PostForm>
    }
}

/// The modules in order (the lessons without one first, unnamed), and the forms that change them.
#[component]
pub fn ProgramCard(course_id: i64, modules: Vec<String>, lessons: Vec<AdminLessonRow>) -> impl IntoView {
    let outline = crate::features::courses::program::Outline::read(&modules, &lessons.iter().map(|l| (l.id, l.module.clone())).collect::<Vec<_>>());
    let titles: Vec<String> = outline.modules.iter().map(|m| m.title.clone()).collect();
    let typed = crate::ui::notice::query("title")();
    let lesson_of = |id: i64| lessons.iter().find(|l| l.id == id).cloned();
    let groups = outline
        .modules
        .iter()
        .filter(|m| !m.title.is_empty() || !m.lessons.is_empty())
        .map(|m| {
            let title = m.title.clone();
            let named = !title.is_empty();
            let heading = if named { title.clone() } else { tr("program_no_module").to_string() };
            let items = m.lessons.iter().filter_map(|id| lesson_of(*id)).map(|l| {
                let href = format!("/admin/courses/{course_id}/lessons/{}", l.id);
                let others: Vec<String> = titles.iter().filter(|t| **t != l.module).cloned().collect();
                let move_label = tr("program_move_to").replace("{lesson}", &l.title);
                view! {
                    <li data-lesson=l.id.to_string() draggable="true">
                        <span class="grip" aria-hidden="true">"⋮⋮"</span>
                        <a href=href>{l.title.clone()}</a>" "
                        <span class="badge">{status_label(l.status)}</span>
                        <span class="lesson-tools">
                            <Change course_id action="lesson_up" lesson_id=l.id label=tr("move_up").to_string() text="↑"/>
                            <Change course_id action="lesson_down" lesson_id=l.id label=tr("move_down").to_string() text="↓"/>
                            {(!others.is_empty()).then(|| view! {
                                <PostForm action="/admin/api/change_program" class="inline move-to">
                                    <input type="hidden" name="course_id" value=course_id.to_string()/>
                                    <input type="hidden" name="action" value="lesson_into"/>
                                    <input type="hidden" name="lesson_id" value=l.id.to_string()/>
                                    <select name="to" required aria-label=move_label.clone()>
                                        // Chosen on purpose: a browser submits nothing while it shows.
                                        <option value="" disabled selected>{tr("program_move_placeholder")}</option>
                                        {others.iter().map(|t| {
                                            let label = if t.is_empty() { tr("program_no_module").to_string() } else { t.clone() };
                                            view! { <option value=t.clone()>{label}</option> }
                                        }).collect_view()}
                                    </select>
                                    <button type="submit" class="link">{tr("program_move")}</button>
                                </PostForm>
                            })}
                        </span>
                    </li>
                }
            }).collect_view();
            let empty = m.lessons.is_empty();
            let rename_label = tr("program_rename").to_string();
            let (data_module, tools_title) = (title.clone(), title.clone());
            view! {
                <div class="module" data-module=data_module>
                    <div class="module-head">
                        <h3>{heading}</h3>
                        {named.then(move || { let title = tools_title; let (hidden_title, typed_title, remove_title) = (title.clone(), title.clone(), title.clone()); view! {
                            <span class="module-tools">
                                <Change course_id action="module_up" module=title.clone() label=tr("program_module_up").to_string() text="↑"/>
                                <Change course_id action="module_down" module=title.clone() label=tr("program_module_down").to_string() text="↓"/>
                                <details class="rename">
                                    <summary>{rename_label.clone()}</summary>
                                    <PostForm action="/admin/api/change_program" class="inline">
                                        <input type="hidden" name="course_id" value=course_id.to_string()/>
                                        <input type="hidden" name="action" value="rename_module"/>
                                        <input type="hidden" name="module" value=hidden_title/>
                                        <input name="title" required maxlength="120" aria-label=rename_label value=typed_title/>
                                        <button type="submit" class="secondary">{tr("save")}</button>
                                    </PostForm>
                                </details>
                                {empty.then(|| view! { <Change course_id action="remove_module" module=remove_title label=tr("program_remove").to_string() text="✕"/> })}
                            </span>
                        } })}
                    </div>
                    {if empty {
                        view! { <p class="muted empty-module">{tr("program_empty_module")}</p> }.into_any()
                    } else {
                        view! { <ol class="lessons admin">{items}</ol> }.into_any()
                    }}
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card program" id="program">
            <h2>{tr("program_title")}</h2>
            <p class="hint">{tr("program_hint")}</p>
            <div class="modules">{groups}</div>
            <ProgramDrag course_id/>
            <PostForm action="/admin/api/change_program" class="inline new-module">
                <input type="hidden" name="course_id" value=course_id.to_string()/>
                <input type="hidden" name="action" value="create_module"/>
                <label>{tr("program_new_module")}<input name="title" required maxlength="120" value=typed/></label>
                <button type="submit" class="secondary">{tr("program_add_module")}</button>
            </PostForm>
            <p><a class="button" href=format!("/admin/courses/{course_id}/lessons/new")>"+ "{tr("new_lesson")}</a></p>
        </section>
    }
}

/// Drag and drop on top of the forms: a lesson dropped on another goes before it; dropped
/// on a module's empty space or heading, to its end. Each drop posts the same form as the
/// buttons (the page reloads with the new order).
#[island]
pub fn ProgramDrag(course_id: i64) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| drag::attach(course_id));
    #[cfg(not(feature = "hydrate"))]
    let _ = course_id;
    view! { <span class="drag-ready" hidden></span> }
}

#[cfg(feature = "hydrate")]
mod drag {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    fn closest(target: Option<web_sys::EventTarget>, selector: &str) -> Option<web_sys::Element> {
        target?.dyn_into::<web_sys::Element>().ok()?.closest(selector).ok()?
    }

    /// Posts `change_program` through a real form (the Origin check and the redirect as for
    /// a click).
    fn post(course_id: i64, action: &str, lesson: &str, to: &str) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(source) = document.query_selector("form[action='/admin/api/change_program']").ok().flatten() else { return };
        let Ok(form) = document.create_element("form") else { return };
        let _ = form.set_attribute("method", "post");
        let _ = form.set_attribute("action", "/admin/api/change_program");
        let mut fields = vec![("course_id".to_string(), course_id.to_string()), ("action".into(), action.into()), ("lesson_id".into(), lesson.into()), ("to".into(), to.into())];
        // The form token, copied from a form the server wrote.
        if let Ok(token) = source.query_selector_all("input[type=hidden]") {
            for i in 0..token.length() {
                if let Some(input) = token.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                    if !["course_id", "action", "lesson_id", "to", "module"].contains(&input.name().as_str()) {
                        fields.push((input.name(), input.value()));
                    }
                }
            }
        }
        for (name, value) in fields {
            if let Ok(input) = document.create_element("input") {
                let _ = input.set_attribute("type", "hidden");
                let _ = input.set_attribute("name", &name);
                let _ = input.set_attribute("value", &value);
                let _ = form.append_child(&input);
            }
        }
        if let (Some(body), Ok(form)) = (document.body(), form.dyn_into::<web_sys::HtmlFormElement>()) {
            let _ = body.append_child(&form);
            let _ = form.submit();
        }
    }

    pub fn attach(course_id: i64) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(list) = document.query_selector(".program .modules").ok().flatten() else { return };
        let dragged = std::rc::Rc::new(std::cell::RefCell::new(String::new()));
        let on_start = {
            let dragged = dragged.clone();
            Closure::<dyn FnMut(web_sys::DragEvent)>::new(move |e: web_sys::DragEvent| {
                if let Some(li) = closest(e.target(), "li[data-lesson]") {
                    *dragged.borrow_mut() = li.get_attribute("data-lesson").unwrap_or_default();
                    if let Some(data) = e.data_transfer() {
                        let _ = data.set_data("text/plain", &dragged.borrow());
                    }
                    let _ = li.class_list().add_1("dragging");
                }
            })
        };
        let on_over = Closure::<dyn FnMut(web_sys::DragEvent)>::new(move |e: web_sys::DragEvent| {
            if closest(e.target(), ".module").is_some() {
                e.prevent_default();
            }
        });
        let on_drop = Closure::<dyn FnMut(web_sys::DragEvent)>::new(move |e: web_sys::DragEvent| {
            let lesson = dragged.borrow().clone();
            if lesson.is_empty() {
                return;
            }
            e.prevent_default();
            if let Some(before) = closest(e.target(), "li[data-lesson]") {
                let other = before.get_attribute("data-lesson").unwrap_or_default();
                if other != lesson {
                    post(course_id, "lesson_before", &lesson, &other);
                }
            } else if let Some(module) = closest(e.target(), ".module") {
                post(course_id, "lesson_into", &lesson, &module.get_attribute("data-module").unwrap_or_default());
            }
        });
        let _ = list.add_event_listener_with_callback("dragstart", on_start.as_ref().unchecked_ref());
        let _ = list.add_event_listener_with_callback("dragover", on_over.as_ref().unchecked_ref());
        let _ = list.add_event_listener_with_callback("drop", on_drop.as_ref().unchecked_ref());
        // The page lives as long as the listeners.
        on_start.forget();
        on_over.forget();
        on_drop.forget();
    }
}
