//! `/admin/students/merge?keep=…&merge=…`: pick the account to keep and the one to merge
//! (by address or from a link: the student's page, the explainer's similar accounts), see
//! exactly what will move, then merge.

use crate::features::merge::api::load_merge;
use crate::features::merge::rules::{Access, Account, Plan};
use crate::kernel::access::Permission;
use crate::kernel::i18n::tn;
use crate::kernel::time::date;
use crate::ui::layout::{tr, viewer};
use crate::ui::notice::{query, Allowed, ErrorPage, Notice};
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;

#[component]
pub fn MergePage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageStudents><Body/></Allowed> }
}

#[component]
fn Body() -> impl IntoView {
    let (keep, merge) = (query("keep"), query("merge"));
    let data = crate::ui::page_data::page_data(move || (keep(), merge()), |(k, m)| load_merge(k, m));
    view! {
        <crate::ui::admin_nav::Crumbs here=tr("merge_title")/>
        <PageTitle text=tr("merge_title")/><h1>{tr("merge_title")}</h1>
        <Notice/>
        <p class="lead">{tr("merge_lead")}</p>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match data.await {
                    Ok(p) => {
                        // Once found, the accounts show as their addresses (a link may have given numbers).
                        let (keep, merge) = match &p.plan {
                            Some(plan) => (plan.keep.email.clone(), plan.merge.email.clone()),
                            None => (p.keep.clone(), p.merge.clone()),
                        };
                        view! {
                        <form method="get" action="/admin/students/merge" class="card stack merge-pick">
                            <div class="merge-fields">
                                <label>{tr("merge_keep_label")}<input name="keep" required=true value=keep autocomplete="off" placeholder="lea@example.com"/></label>
                                <label>{tr("merge_merge_label")}<input name="merge" required=true value=merge autocomplete="off" placeholder="lea.martin@example.com"/></label>
                            </div>
                            <p class="hint">{tr("merge_pick_hint")}</p>
                            <button type="submit" class="secondary">{tr("merge_preview")}</button>
                        </form>
                        {p.refusal.as_ref().map(|key| view! { <p class="notice error" role="alert">{tr(key)}</p> })}
                        {p.plan.clone().map(|plan| view! { <Confirmation plan=plan fingerprint=p.fingerprint.clone()/> })}
                    }.into_any() }

                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountCard(account: Account, heading: &'static str, class: &'static str) -> impl IntoView {
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    view! {
        <section class=format!("card merge-account {class}")>
            <h2>{tr(heading)}</h2>
            <p><a href=format!("/admin/students/{}", account.id)><strong>{account.email.clone()}</strong></a>
                {(!account.name.is_empty()).then(|| view! { <br/>{account.name.clone()} })}
                {(account.status == "deactivated").then(|| view! { " "<span class="badge">{tr("account_deactivated")}</span> })}</p>
            <dl class="facts">
                <dt>{tr("merge_created")}</dt><dd>{date(account.created_at, &zone, locale)}</dd>
                <dt>{tr("last_login")}</dt><dd>{account.last_login_at.map(|t| date(t, &zone, locale)).unwrap_or_else(|| "—".into())}</dd>
                <dt>{tr("courses")}</dt><dd>{account.courses}</dd>
                <dt>{tr("merge_lessons_done")}</dt><dd>{account.completions}</dd>
            </dl>
        </section>
    }
}

/// An access in words: "from 3 March 2026 to 3 June 2026" / "… no end", "ended".
fn access_words(a: &Access, zone: &str, locale: crate::kernel::i18n::Locale) -> String {
    if !a.active {
        return tr("merge_access_ended").to_string();
    }
    let until = a.end.map(|e| date(e, zone, locale)).unwrap_or_else(|| tr("merge_no_end").to_string());
    let mut words = tr("merge_access_from_to").replace("{start}", &date(a.start, zone, locale)).replace("{end}", &until);
    if a.left_out > 0 {
        words.push_str(&format!(" · {}", tn(locale, "merge_left_out_n", a.left_out)));
    }
    words
}

#[component]
fn Confirmation(plan: Plan, fingerprint: String) -> impl IntoView {
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    let swap = format!("/admin/students/merge?keep={}&merge={}", plan.merge.id, plan.keep.id);
    let count = |key: &str, n: i64| (n > 0).then(|| view! { <li>{tn(locale, key, n)}</li> });
    let titles = |list: &[String]| list.iter().map(|t| format!("« {t} »")).collect::<Vec<_>>().join(", ");
    view! {
        <div class="admin-grid merge-accounts">
            <AccountCard account=plan.keep.clone() heading="merge_kept" class="kept"/>
            <AccountCard account=plan.merge.clone() heading="merge_merged" class="merged"/>
        </div>
        <p><a href=swap>{tr("merge_swap")}</a></p>
        <section class="card merge-plan">
            <h2>{tr("merge_what_moves").replace("{email}", &plan.keep.email)}</h2>
            <ul class="moves">
                {(!plan.courses_moved.is_empty()).then(|| view! { <li>{tn(locale, "merge_courses_moved_n", plan.courses_moved.len() as i64)}{tr("colon")}{titles(&plan.courses_moved)}</li> })}
                {plan.courses_combined.iter().map(|c| view! {
                    <li class="combined">{tr("merge_course_both").replace("{course}", &c.course_title)}
                        <br/><small class="muted">{tr("merge_kept_short")}{tr("colon")}{access_words(&c.kept, &zone, locale)}" · "{tr("merge_merged_short")}{tr("colon")}{access_words(&c.merged, &zone, locale)}</small>
                        <br/>"→ "<strong>{access_words(&c.result, &zone, locale)}</strong>
                    </li>
                }).collect_view()}
                {(plan.completions > 0).then(|| view! {
                    <li>{tn(locale, "merge_completions_n", plan.completions)}{(plan.completions_both > 0).then(|| format!(" ({})", tn(locale, "merge_completions_both_n", plan.completions_both)))}</li>
                })}
                {count("merge_answers_n", plan.answers)}
                {(!plan.certificates_moved.is_empty()).then(|| view! { <li>{tn(locale, "merge_certificates_n", plan.certificates_moved.len() as i64)}{tr("colon")}{titles(&plan.certificates_moved)}</li> })}
                {(!plan.certificates_dropped.is_empty()).then(|| view! { <li class="warning">{tr("merge_certificates_dropped").replace("{courses}", &titles(&plan.certificates_dropped))}</li> })}
                {count("merge_orders_n", plan.orders)}
                {count("merge_join_requests_n", plan.join_requests)}
                {count("merge_files_n", plan.files)}
                {count("merge_video_views_n", plan.video_views)}
                {count("merge_lists_n", plan.lists)}
                {count("merge_notifications_n", plan.notifications)}
                {count("merge_history_n", plan.history)}
                {plan.note_moves.then(|| view! { <li>{tr("merge_note_moves")}</li> })}
                {(plan.courses_moved.is_empty() && plan.courses_combined.is_empty() && plan.completions == 0 && plan.answers == 0 && plan.orders == 0 && plan.history == 0).then(|| view! { <li>{tr("merge_nothing_but_account")}</li> })}
            </ul>
            <h3>{tr("merge_then")}</h3>
            <ul class="moves">
                <li>{tr("merge_deleted").replace("{email}", &plan.merge.email)}</li>
                <li>{tr("merge_aliases").replace("{emails}", &plan.aliases.join(", ")).replace("{email}", &plan.keep.email)}</li>
                {(plan.sessions > 0).then(|| view! { <li>{tn(locale, "merge_sessions_n", plan.sessions)}</li> })}
            </ul>
            <PostForm action="/admin/api/merge_accounts" class="stack">
                <input type="hidden" name="keep" value=plan.keep.id.to_string()/>
                <input type="hidden" name="merge" value=plan.merge.id.to_string()/>
                <input type="hidden" name="fingerprint" value=fingerprint/>
                <button type="submit" class="danger">{tr("merge_confirm").replace("{email}", &plan.merge.email)}</button>
            </PostForm>
        </section>
    }
}
