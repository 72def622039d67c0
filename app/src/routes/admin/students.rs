//! `/admin/students` and `/admin/students/:id`: who the students are, and for one student
//! the answers to "I can't log in": sessions, login timeline, access reminder.

use crate::api::students::{admin_students, load_student};
use crate::components::layout::{tr, viewer};
use crate::components::notice::{ErrorPage, Notice};
use crate::components::post_form::PostForm;
use crate::domain::time::date_time;
use crate::i18n::has_key;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StudentsPage() -> impl IntoView {
    let students = Resource::new(|| (), |_| admin_students());
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    view! {
        <p class="crumb"><a href="/admin">{tr("admin_title")}</a></p>
        <h1>{tr("students")}</h1>
        <p><a class="button secondary" href="/admin/imports">{tr("import_title")}</a></p>
        <Suspense fallback=|| ()>
            {move || {
                let zone = zone.clone();
                Suspend::new(async move {
                    match students.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">{tr("no_students")}</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="admin">
                                <thead><tr><th>{tr("email")}</th><th>{tr("courses")}</th><th>{tr("last_login")}</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|s| view! {
                                        <tr>
                                            <td><a href=format!("/admin/students/{}", s.id)>{s.email}</a></td>
                                            <td>{s.courses}</td>
                                            <td>{s.last_login_at.map(|t| date_time(t, &zone, locale)).unwrap_or_else(|| "—".into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// One course of the student: access dates and the creator's hand on the schedule.
#[component]
fn EnrollmentTools(student: i64, enrollment: crate::api::types::StudentEnrollment) -> impl IntoView {
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    let e = enrollment;
    let hidden = move || view! {
        <input type="hidden" name="id" value=student.to_string()/>
        <input type="hidden" name="enrollment_id" value=e.id.to_string()/>
    };
    let end_value = e.access_end.map(|t| crate::domain::drip::local_date(t, crate::domain::time::zone(&zone)).format("%Y-%m-%d").to_string()).unwrap_or_default();
    let locked: Vec<(i64, String)> = e.lessons.iter().filter(|(id, _)| !e.unlocked.contains(id)).cloned().collect();
    view! {
        <div class="enrollment">
            <h3>{e.course_title.clone()}</h3>
            <p class="muted">
                {tr("access_from")}" "{date_time(e.access_start, &zone, locale)}" · "{tr("access_end")}": "
                {e.access_end.map(|t| date_time(t, &zone, locale)).unwrap_or_else(|| "∞".into())}
                {(e.shift_days != 0).then(|| format!(" · {}: {}", tr("shifted_days"), e.shift_days))}
                {e.release_all.then(|| format!(" · {}", tr("all_released")))}
            </p>
            <PostForm action="/api/adjust_enrollment" class="inline-form">
                {hidden()}
                <input type="hidden" name="action" value="set_end"/>
                <label>{tr("access_end")}<input type="date" name="access_end" value=end_value/></label>
                <button type="submit" class="secondary">{tr("save")}</button>
            </PostForm>
            <PostForm action="/api/adjust_enrollment" class="inline-form">
                {hidden()}
                <input type="hidden" name="action" value="shift"/>
                <label>{tr("freeze_days")}<input type="number" name="days" min="-3650" max="3650" value="7"/></label>
                <button type="submit" class="secondary">{tr("freeze")}</button>
            </PostForm>
            {(!locked.is_empty()).then(|| view! {
                <PostForm action="/api/adjust_enrollment" class="inline-form">
                    {hidden()}
                    <input type="hidden" name="action" value="unlock"/>
                    <label>{tr("unlock_lesson")}
                        <select name="lesson_id">{locked.into_iter().map(|(id, title)| view! { <option value=id.to_string()>{title}</option> }).collect_view()}</select>
                    </label>
                    <button type="submit" class="secondary">{tr("unlock")}</button>
                </PostForm>
            })}
            <PostForm action="/api/adjust_enrollment" class="inline-form">
                {hidden()}
                <input type="hidden" name="action" value=if e.release_all { "relock_all" } else { "release_all" }/>
                <button type="submit" class="secondary">{tr(if e.release_all { "relock_all" } else { "release_all" })}</button>
            </PostForm>
        </div>
    }
}

/// The timeline's wording for an event kind (unknown kinds show as they are).
fn event_label(kind: &str) -> String {
    let key = format!("event_{kind}");
    if has_key(&key) {
        tr(&key).to_string()
    } else {
        kind.to_string()
    }
}

#[component]
pub fn StudentPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let student = Resource::new(id, load_student);
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    view! {
        <p class="crumb"><a href="/admin">{tr("admin_title")}</a>" · "<a href="/admin/students">{tr("students")}</a></p>
        <Suspense fallback=|| ()>
            {move || {
                let zone = zone.clone();
                Suspend::new(async move {
                    match student.await {
                        Ok(s) => {
                            let (sid, sid2) = (s.id.to_string(), s.id.to_string());
                            view! {
                                <h1>{s.email.clone()}</h1>
                                <Notice/>
                                <div class="admin-grid">
                                    <section class="card">
                                        <h2>{tr("courses")}</h2>
                                        {s.enrollments.into_iter().map(|e| view! { <EnrollmentTools student=s.id enrollment=e/> }).collect_view()}
                                        <p class="muted">{tr("last_login")}": "{s.last_login_at.map(|t| date_time(t, &zone, locale)).unwrap_or_else(|| "—".into())}</p>
                                        <p class="sessions-count">{tr("active_sessions")}": "{s.active_sessions}</p>
                                        <PostForm action="/api/send_access_reminder" class="stack">
                                            <input type="hidden" name="id" value=sid/>
                                            <button type="submit">{tr("send_access_reminder")}</button>
                                        </PostForm>
                                        <PostForm action="/api/end_student_sessions" class="stack">
                                            <input type="hidden" name="id" value=sid2/>
                                            <button type="submit" class="danger">{tr("end_student_sessions")}</button>
                                        </PostForm>
                                    </section>
                                    <section class="card">
                                        <h2>{tr("login_timeline")}</h2>
                                        <ol class="timeline">
                                            {s.timeline.into_iter().map(|e| view! {
                                                <li class=e.kind.clone()>
                                                    <time>{date_time(e.at, &zone, locale)}</time>" "
                                                    <strong>{event_label(&e.kind)}</strong>" "
                                                    {e.likely_scanner.then(|| view! { <span class="badge scanner">{tr("likely_scanner")}</span>" " })}
                                                    <span class="muted">{e.device}{(!e.ip.is_empty()).then(|| format!(" · {}", e.ip))}{(!e.detail.is_empty()).then(|| format!(" · {}", e.detail))}</span>
                                                </li>
                                            }).collect_view()}
                                        </ol>
                                    </section>
                                </div>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
