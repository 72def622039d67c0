//! `/admin/students` and `/admin/students/:id`: who the students are, and for one student
//! the answers to "I can't log in": sessions, login timeline, access reminder.

use crate::features::students::directory_api::{load_directory, DirectoryPage};
use crate::features::students::api::load_student;
use crate::ui::layout::{tr, viewer};
use crate::ui::notice::{ErrorPage, Notice};
use crate::ui::post_form::PostForm;
use crate::kernel::time::date_time;
use crate::kernel::i18n::has_key;
use crate::ui::raw_text::{PageTitle, TextArea};
use crate::ui::notice::Allowed;
use crate::kernel::access::Permission;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Only for those allowed to manage students: anyone else gets 403, not the forms.
#[component]
pub fn StudentsPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageStudents><StudentsPageBody/></Allowed> }
}

#[component]
fn StudentsPageBody() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let directory = crate::ui::page_data::page_data(move || location.search.get(), load_directory);
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    view! {
        <PageTitle text=tr("students")/><h1>{tr("students")}</h1>
        <p class="actions">
            <a class="button secondary" href="/admin/imports">{tr("import_title")}</a>" "
            <a class="button secondary" href="/admin/explain">{tr("explain_title")}</a>
        </p>
        <Notice/>
        <crate::features::offers::admin_page::JoinRequestsCard/>
        <Suspense fallback=|| ()>
            {{
                let zone = zone.clone();
                Suspend::new(async move {
                    match directory.await {
                        Ok(d) => view! { <Directory d zone locale/> }.into_any(),
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The filter form (a GET: the URL is the filter), the page of students, pagination, export.
#[component]
fn Directory(d: DirectoryPage, zone: String, locale: crate::kernel::i18n::Locale) -> impl IntoView {
    let pairs = crate::features::students::directory_api::query_pairs(&d.query);
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let (enrollment, account, course) = (get("enrollment"), get("account"), get("course"));
    let any = get("match") == "any";
    let page_link = |page: i64| {
        let q = if d.query.is_empty() { String::new() } else { format!("{}&", d.query) };
        format!("/admin/students?{q}page={page}")
    };
    let export = format!("/admin/students/export.csv?{}", d.query);
    view! {
        <form method="get" action="/admin/students" class="card filters">
            <label>{tr("filter_text")}<input type="search" name="q" value=get("q")/></label>
            <label>{tr("courses")}
                <select name="course">
                    <option value="">{tr("filter_any_course")}</option>
                    {d.courses.iter().map(|(slug, title)| view! { <option value=slug.clone() selected=course == *slug>{title.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>{tr("filter_enrollment")}
                <select name="enrollment">
                    {[("", "filter_whatever"), ("active", "enrollment_active"), ("expired", "enrollment_expired"), ("revoked", "enrollment_revoked"), ("none", "enrollment_none")].into_iter()
                        .map(|(v, k)| view! { <option value=v selected=enrollment == v>{tr(k)}</option> }).collect_view()}
                </select>
            </label>
            <label>{tr("filter_account")}
                <select name="account">
                    {[("", "filter_whatever"), ("active", "account_active"), ("deactivated", "account_deactivated")].into_iter()
                        .map(|(v, k)| view! { <option value=v selected=account == v>{tr(k)}</option> }).collect_view()}
                </select>
            </label>
            {(!d.lists.is_empty()).then(|| {
                let list = get("list");
                view! {
                    <label>{tr("filter_list")}
                        <select name="list">
                            <option value="">"—"</option>
                            {d.lists.iter().map(|(id, name)| view! { <option value=id.to_string() selected=list == id.to_string()>{name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                }
            })}
            <label class="check"><input type="checkbox" name="never" value="on" checked=get("never") == "on"/>{tr("filter_never_logged_in")}</label>
            <label>{tr("filter_login_after")}<input type="date" name="after" value=get("after")/></label>
            <label>{tr("filter_login_before")}<input type="date" name="before" value=get("before")/></label>
            <label>{tr("filter_joined_after")}<input type="date" name="joined" value=get("joined")/></label>
            <label class="check"><input type="checkbox" name="bounced" value="on" checked=get("bounced") == "on"/>{tr("filter_bounced")}</label>
            <fieldset class="match">
                <label class="check"><input type="radio" name="match" value="all" checked=!any/>{tr("filter_all")}</label>
                <label class="check"><input type="radio" name="match" value="any" checked=any/>{tr("filter_any")}</label>
            </fieldset>
            <button type="submit">{tr("filter_apply")}</button>
        </form>
        {(!d.problems.is_empty()).then(|| view! { <p class="notice error">{d.problems.iter().map(|p| tr(p)).collect::<Vec<_>>().join(" ")}</p> })}
        // The saved list shown: rename it, or delete it (its students stay).
        {d.lists.iter().find(|(id, _)| id.to_string() == get("list")).cloned().map(|(id, name)| view! {
            <div class="card list-tools" id="list">
                <PostForm action="/admin/api/rename_list" class="inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <label>{tr("list_new_name")}<input name="name" maxlength="100" required value=name/></label>
                    <button type="submit" class="secondary">{tr("list_rename")}</button>
                </PostForm>
                <PostForm action="/admin/api/delete_list" class="inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="danger">{tr("list_delete")}</button>
                </PostForm>
            </div>
        })}
        <p class="count" data-total=d.total.to_string()>{crate::kernel::i18n::tn(crate::ui::layout::viewer().locale, "students_matching", d.total)}" · "<a href=export.clone()>{tr("export_csv")}</a>" · "<a href=export.replacen("/export.csv?", "/export.xlsx?", 1)>{tr("export_xlsx")}</a></p>
        <details class="export">
            <summary>{tr("export_title")}</summary>
            // The same filter, chosen columns, the separator the spreadsheet expects.
            <form method="get" action="/admin/students/export.csv" class="stack">
                {pairs.iter().filter(|(k, _)| k != "page").map(|(k, v)| view! { <input type="hidden" name=k.clone() value=v.clone()/> }).collect_view()}
                <fieldset>
                    <legend>{tr("export_columns")}</legend>
                    {crate::features::students::directory::STUDENT_COLUMNS.iter().map(|(c, _)| view! { <label class="check"><input type="checkbox" name="col" value=*c checked/>{*c}</label> }).collect_view()}
                </fieldset>
                <label>{tr("export_separator")}
                    <select name="sep"><option value=";">";"</option><option value=",">","</option></select>
                </label>
                <button type="submit" class="secondary">{tr("export_csv")}</button>
                <button type="submit" class="secondary" formaction="/admin/students/export.xlsx">{tr("export_xlsx")}</button>
            </form>
        </details>
        {if d.students.is_empty() {
            view! { <p class="muted">{tr("no_students")}</p> }.into_any()
        } else {
            view! {
                <table class="admin directory">
                    <thead><tr><th></th><th>{tr("email")}</th><th>{tr("name")}</th><th>{tr("courses")}</th><th>{tr("last_login")}</th></tr></thead>
                    <tbody>
                        {d.students.iter().map(|s| view! {
                            <tr class:deactivated=s.status == "deactivated">
                                <td><input type="checkbox" name="ids" value=s.id.to_string() form="bulk" aria-label=s.email.clone()/></td>
                                <td><a href=format!("/admin/students/{}", s.id)>{s.email.clone()}</a>
                                    {(s.status == "deactivated").then(|| view! { " "<span class="badge">{tr("account_deactivated")}</span> })}</td>
                                <td>{s.name.clone()}</td>
                                <td>{s.courses}</td>
                                <td>{s.last_login_at.map(|t| date_time(t, &zone, locale)).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {(d.total > 0).then(|| view! { <BulkForm pairs=pairs.clone() total=d.total courses=d.courses.clone()/> })}
        <InviteForm courses=d.courses.clone()/>
        {(d.pages > 1).then(|| view! {
            <nav class="pages">
                {(d.page > 1).then(|| view! { <a rel="prev" href=page_link(d.page - 1)>"← "{tr("previous_page")}</a> })}
                " "{tr("page_of").replace("{page}", &d.page.to_string()).replace("{pages}", &d.pages.to_string())}" "
                {(d.page < d.pages).then(|| view! { <a rel="next" href=page_link(d.page + 1)>{tr("next_page")}" →"</a> })}
            </nav>
        })}
    }
}

/// One student: account, courses with dates, the invitation (and a copy for the creator).
#[component]
fn InviteForm(courses: Vec<(String, String)>) -> impl IntoView {
    let typed = |k: &'static str| crate::ui::notice::query(k)();
    view! {
        <section class="card narrow" id="invite">
            <h2>{tr("invite_title")}</h2>
            <PostForm action="/admin/api/invite_student" class="stack">
                <label>{tr("email")}<input type="email" name="email" required value=typed("invite_email")/></label>
                <label>{tr("first_name")}<input name="first_name" maxlength="100" value=typed("first_name")/></label>
                <label>{tr("last_name")}<input name="last_name" maxlength="100" value=typed("last_name")/></label>
                <label>{tr("language")}
                    <select name="locale">
                        <option value="">{tr("school_language")}</option>
                        <option value="fr">"Français"</option>
                        <option value="en">"English"</option>
                    </select>
                </label>
                <fieldset>
                    <legend>{tr("invite_courses")}</legend>
                    {courses.into_iter().map(|(slug, title)| view! { <label class="check"><input type="checkbox" name=format!("courses[{slug}]") value="on"/>{title}</label> }).collect_view()}
                </fieldset>
                <label>{tr("invite_start")}<input type="date" name="access_start"/></label>
                <label>{tr("access_end")}<input type="date" name="access_end"/></label>
                <label class="check"><input type="checkbox" name="send_invitation" value="on" checked/>{tr("invite_send")}</label>
                <label class="check"><input type="checkbox" name="copy_to_me" value="on"/>{tr("invite_copy")}</label>
                <button type="submit">{tr("invite_submit")}</button>
            </PostForm>
        </section>
    }
}

/// Act on the checked students, or on all of them matching the filter: a GET to the
/// confirmation page, which states the count and the effect before anything runs.
#[component]
fn BulkForm(pairs: Vec<(String, String)>, total: i64, courses: Vec<(String, String)>) -> impl IntoView {
    let actions = ["grant", "set_end", "extend", "revoke", "reset_progress", "deactivate", "reactivate", "reminder", "email", "reissue_certificates"];
    view! {
        <form method="get" action="/admin/students/bulk" id="bulk" class="card bulk stack">
            <h2>{tr("bulk_title")}</h2>
            {pairs.iter().filter(|(k, _)| k != "page").map(|(k, v)| view! { <input type="hidden" name=k.clone() value=v.clone()/> }).collect_view()}
            <fieldset>
                <label class="check"><input type="radio" name="selection" value="ids" checked/>{tr("bulk_checked")}</label>
                <label class="check"><input type="radio" name="selection" value="all"/>{crate::kernel::i18n::tn(crate::ui::layout::viewer().locale, "bulk_all_matching", total)}</label>
            </fieldset>
            <label>{tr("bulk_action")}
                <select name="action">{actions.into_iter().map(|a| view! { <option value=a>{tr(&format!("bulk_action_{a}"))}</option> }).collect_view()}</select>
            </label>
            <label>{tr("courses")}
                <select name="course">
                    <option value="">"—"</option>
                    {courses.into_iter().map(|(slug, title)| view! { <option value=slug>{title}</option> }).collect_view()}
                </select>
            </label>
            <label>{tr("bulk_start")}<input type="date" name="start"/></label>
            <label>{tr("bulk_end")}<input type="date" name="end"/></label>
            <label>{tr("bulk_days")}<input type="number" name="days" min="1" max="3650"/></label>
            <label class="check"><input type="checkbox" name="tell" value="on"/>{tr("certificate_reissue_tell")}</label>
            <label>{tr("bulk_subject")}<input name="subject" maxlength="200"/></label>
            <label>{tr("bulk_body")}<TextArea name="body" rows=4 maxlength=10000/></label>
            <p class="muted">{tr("bulk_fields_help")}</p>
            <button type="submit">{tr("bulk_continue")}</button>
        </form>
    }
}

/// One course of the student: access dates and the creator's hand on the schedule.
#[component]
fn EnrollmentTools(student: i64, enrollment: crate::features::students::types::StudentEnrollment) -> impl IntoView {
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    let e = enrollment;
    let hidden = move || view! {
        <input type="hidden" name="id" value=student.to_string()/>
        <input type="hidden" name="enrollment_id" value=e.id.to_string()/>
    };
    let end_value = e.access_end.map(|t| crate::features::drip::rules::local_date(t, crate::kernel::time::zone(&zone)).format("%Y-%m-%d").to_string()).unwrap_or_default();
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
            <PostForm action="/admin/api/adjust_enrollment" class="inline-form">
                {hidden()}
                <input type="hidden" name="action" value="set_end"/>
                <label>{tr("access_end")}<input type="date" name="access_end" value=end_value/></label>
                <button type="submit" class="secondary">{tr("save")}</button>
            </PostForm>
            <PostForm action="/admin/api/adjust_enrollment" class="inline-form">
                {hidden()}
                <input type="hidden" name="action" value="shift"/>
                <label>{tr("freeze_days")}<input type="number" name="days" min="-3650" max="3650" value="7"/></label>
                <button type="submit" class="secondary">{tr("freeze")}</button>
            </PostForm>
            {(!locked.is_empty()).then(|| view! {
                <PostForm action="/admin/api/adjust_enrollment" class="inline-form">
                    {hidden()}
                    <input type="hidden" name="action" value="unlock"/>
                    <label>{tr("unlock_lesson")}
                        <select name="lesson_id">{locked.into_iter().map(|(id, title)| view! { <option value=id.to_string()>{title}</option> }).collect_view()}</select>
                    </label>
                    <button type="submit" class="secondary">{tr("unlock")}</button>
                </PostForm>
            })}
            {(!e.offers.is_empty()).then(|| view! {
                <PostForm action="/admin/api/adjust_enrollment" class="inline-form">
                    {hidden()}
                    <input type="hidden" name="action" value="set_offer"/>
                    <label>{tr("student_offer")}
                        <select name="offer_id">
                            <option value="" selected=e.offer_id.is_none()>{tr("student_offer_whole")}</option>
                            {e.offers.iter().map(|(id, name)| view! { <option value=id.to_string() selected=e.offer_id == Some(*id)>{name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="secondary">{tr("save")}</button>
                </PostForm>
            })}
            {if e.status == "revoked" {
                view! {
                    <PostForm action="/admin/api/adjust_enrollment" class="inline-form">
                        {hidden()}
                        <input type="hidden" name="action" value="restore"/>
                        <span class="badge">{tr("access_revoked_badge")}</span>" "
                        <button type="submit" class="secondary">{tr("access_restore")}</button>
                    </PostForm>
                }.into_any()
            } else {
                view! {
                    <PostForm action="/admin/api/adjust_enrollment" class="inline-form">
                        {hidden()}
                        <input type="hidden" name="action" value="revoke"/>
                        <button type="submit" class="danger">{tr("access_revoke")}</button>
                    </PostForm>
                }.into_any()
            }}
            <PostForm action="/admin/api/adjust_enrollment" class="inline-form">
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

/// Only for those allowed to manage students: anyone else gets 403, not the forms.
#[component]
pub fn StudentPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageStudents><StudentPageBody/></Allowed> }
}

#[component]
fn StudentPageBody() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let student = crate::ui::page_data::page_data(id, load_student);
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    view! {
        <Suspense fallback=|| ()>
            {{
                let zone = zone.clone();
                Suspend::new(async move {
                    match student.await {
                        Ok(s) => {
                            let (sid, sid2) = (s.id.to_string(), s.id.to_string());
                            let deactivated = s.status == "deactivated";
                            let fr = s.locale.as_deref() == Some("fr");
                            let en = s.locale.as_deref() == Some("en");
                            view! {
                                <crate::ui::admin_nav::Crumbs here=s.email.clone()/>
                                <PageTitle text=s.email.clone()/><h1>{s.email.clone()}{deactivated.then(|| view! { " "<span class="badge">{tr("account_deactivated")}</span> })}</h1>
                                <Notice/>
                                {(!s.aliases.is_empty()).then(|| view! { <p class="muted aliases">{tr("merge_aliases_of")}{tr("colon")}{s.aliases.join(", ")}</p> })}
                                <p class="actions"><a class="button secondary" href=format!("/admin/explain?email={}", crate::kernel::url::encode(&s.email))>{tr("explain_title")}</a>
                                    " "<a class="button secondary" href=format!("/admin/students/merge?keep={}", s.id)>{tr("merge_with_other")}</a></p>
                                <section class="card">
                                    <h2>{tr("profile")}</h2>
                                    <PostForm action="/admin/api/save_student_profile" class="stack">
                                        <input type="hidden" name="id" value=s.id.to_string()/>
                                        <label>{tr("first_name")}<input name="first_name" maxlength="100" value=s.first_name.clone()/></label>
                                        <label>{tr("last_name")}<input name="last_name" maxlength="100" value=s.last_name.clone()/></label>
                                        <label>{tr("language")}
                                            <select name="locale">
                                                <option value="" selected=!fr && !en>{tr("school_language")}</option>
                                                <option value="fr" selected=fr>"Français"</option>
                                                <option value="en" selected=en>"English"</option>
                                            </select>
                                        </label>
                                        <label>{tr("note")}<TextArea name="note" rows=3 maxlength=2000 value=s.note.clone()/></label>
                                        <button type="submit" class="secondary">{tr("save")}</button>
                                    </PostForm>
                                    <PostForm action="/admin/api/set_account_status" class="stack">
                                        <input type="hidden" name="id" value=s.id.to_string()/>
                                        <input type="hidden" name="status" value=if deactivated { "active" } else { "deactivated" }/>
                                        <p class="muted">{tr(if deactivated { "reactivate_lead" } else { "deactivate_lead" })}</p>
                                        <button type="submit" class=if deactivated { "secondary" } else { "danger" }>{tr(if deactivated { "reactivate" } else { "deactivate" })}</button>
                                    </PostForm>
                                </section>
                                <div class="admin-grid">
                                    <section class="card">
                                        <h2>{tr("courses")}</h2>
                                        {s.enrollments.into_iter().map(|e| view! { <EnrollmentTools student=s.id enrollment=e/> }).collect_view()}
                                        <p class="muted">{tr("last_login")}": "{s.last_login_at.map(|t| date_time(t, &zone, locale)).unwrap_or_else(|| "—".into())}</p>
                                        <p class="sessions-count">{tr("active_sessions")}": "{s.active_sessions}</p>
                                        <PostForm action="/admin/api/resend_invitation" class="stack">
                                            <input type="hidden" name="id" value=s.id.to_string()/>
                                            <label class="check"><input type="checkbox" name="copy_to_me" value="on"/>{tr("invite_copy")}</label>
                                            <button type="submit" class="secondary">{tr("resend_invitation")}</button>
                                        </PostForm>
                                        <PostForm action="/admin/api/send_access_reminder" class="stack">
                                            <input type="hidden" name="id" value=sid/>
                                            <button type="submit">{tr("send_access_reminder")}</button>
                                        </PostForm>
                                        <PostForm action="/admin/api/end_student_sessions" class="stack">
                                            <input type="hidden" name="id" value=sid2/>
                                            <button type="submit" class="danger">{tr("end_student_sessions")}</button>
                                        </PostForm>
                                    </section>
                                    <StudentAnswers id=s.id/>
                                    <crate::features::media::admin_page::StudentVideoViews id=s.id/>
                                    <crate::features::certificates::admin_page::StudentCertificates id=s.id list=s.certificates.clone()/>
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
                                    {(!s.orders.is_empty()).then(|| view! {
                                        <section class="card" id="orders">
                                            <h2>{tr("student_orders")}</h2>
                                            <table class="admin">
                                                <tbody>
                                                    {s.orders.iter().map(|o| {
                                                        let currency = crate::features::offers::rules::Currency::parse(&o.currency).unwrap_or(crate::features::offers::rules::Currency::Eur);
                                                        view! {
                                                            <tr>
                                                                <td>{date_time(o.created_at, &zone, locale)}</td>
                                                                <td>{o.what.clone()}</td>
                                                                <td>{crate::features::offers::rules::Money { minor: o.amount_minor, currency }.format(locale)}</td>
                                                                <td>{tr(&format!("order_status_{}", o.status))}</td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </section>
                                    })}
                                    <section class="card">
                                        <h2>{tr("emails_sent")}</h2>
                                        {if s.emails.is_empty() { view! { <p class="muted">"—"</p> }.into_any() } else { view! {
                                            <table class="admin emails">
                                                <tbody>
                                                    {s.emails.iter().map(|m| view! {
                                                        <tr class=format!("mail-{}", m.status)>
                                                            <td>{date_time(m.created_at, &zone, locale)}</td>
                                                            <td>{m.subject.clone()}</td>
                                                            <td>{tr(&format!("mail_status_{}", m.status))}{m.last_error.clone().map(|e| format!(" · {e}"))}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        }.into_any() }}
                                    </section>
                                    <section class="card">
                                        <h2>{tr("history")}</h2>
                                        {if s.audit.is_empty() { view! { <p class="muted">"—"</p> }.into_any() } else { view! {
                                            <ol class="audit">
                                                {s.audit.iter().map(|a| view! {
                                                    <li data-action=a.action.clone()>
                                                        <time>{date_time(a.at, &zone, locale)}</time>" "
                                                        {crate::features::students::audit::sentence(&a.action, &a.detail, locale)}
                                                        // Where it came from: an import (its page), or nothing to add.
                                                        {a.source.strip_prefix("import:").map(|id| view! { " "<a class="muted" href=format!("/admin/imports/{id}")>"("{tr("history_by_import")}")"</a> })}
                                                    </li>
                                                }).collect_view()}
                                            </ol>
                                        }.into_any() }}
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

/// The student's answers on their page: assignments with their review, quiz attempts with
/// their score, surveys.
#[component]
pub fn StudentAnswers(id: i64) -> impl IntoView {
    let answers = crate::ui::page_data::page_data(move || id, crate::features::students::api::load_student_answers);
    let v = viewer();
    view! {
        <Suspense fallback=|| ()>
            {{
                let v = v.clone();
                Suspend::new(async move {
                    let list = answers.await.unwrap_or_default();
                    (!list.is_empty()).then(|| view! {
                        <section class="card" id="answers">
                            <h2>{tr("student_answers")}</h2>
                            <table class="admin">
                                <tbody>
                                    {list.into_iter().map(|a| {
                                        let status_key = format!("{}_status_{}", if a.kind == "assignment" { "review" } else { a.kind.as_str() }, a.status);
                                        view! {
                                            <tr data-kind=a.kind.clone()>
                                                <td>{a.course_title}" · "{a.lesson_title}</td>
                                                <td>{tr(&format!("task_kind_{}", a.kind))}{(a.attempt > 1).then(|| format!(" ({})", tr("review_attempt").replace("{n}", &a.attempt.to_string())))}</td>
                                                <td>{tr(&status_key)}{a.score.zip(a.max_score).map(|(p, m)| format!(" · {p}/{m}"))}</td>
                                                <td class="muted">{crate::kernel::time::date_time(a.created_at, v.time_zone(), v.locale)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    })
                })
            }}
        </Suspense>
    }
}
