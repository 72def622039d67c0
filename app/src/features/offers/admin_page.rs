//! The offers card on the creator's course page: each offer with its price, access and
//! students, an edit form under each, and a form for a new one.

use crate::features::offers::admin_api::load_offers;
use crate::features::offers::types::{AdminOffer, LessonChoice, OffersAdmin};
use crate::ui::layout::tr;
use crate::ui::notice::query;
use crate::ui::post_form::PostForm;
use leptos::prelude::*;

#[component]
pub fn OffersCard(course_id: i64, course_slug: String) -> impl IntoView {
    let offers = crate::ui::page_data::page_data(move || course_id, load_offers);
    view! {
        <section class="card" id="offers">
            <h2>{tr("offers_admin_title")}</h2>
            <p class="muted">{tr("offers_lead")}</p>
            <Suspense fallback=|| ()>
                {{
                    let course_slug = course_slug.clone();
                    Suspend::new(async move {
                    let OffersAdmin { offers: list, lessons } = offers.await.unwrap_or_default();
                    view! {
                        {list.is_empty().then(|| view! { <p class="muted">{tr("offers_none")}</p> })}
                        <ul class="offer-admin">
                            {list.into_iter().map(|o| {
                                let preview = format!("/courses/{course_slug}?as_offer={}", o.id);
                                view! {
                                <li id=format!("offer-{}", o.id)>
                                    <p>
                                        <strong>{o.name.clone()}</strong>" · "{o.price_label.clone()}" · "{o.access_label.clone()}
                                        " · "{o.level_label.clone()}
                                        " · "{crate::kernel::i18n::tn(crate::ui::layout::viewer().locale, "offer_students", o.students)}
                                        {(!o.open).then(|| view! { " "<span class="badge">{tr("offer_closed_badge")}</span> })}
                                        {o.on_request.then(|| view! { " "<span class="badge">{tr("offer_on_request_badge")}</span> })}
                                    </p>
                                    <p><a href=preview>{tr("offer_preview_as")}</a></p>
                                    <details>
                                        <summary>{tr("edit")}</summary>
                                        <OfferForm course_id offer=Some(o.clone())/>
                                    </details>
                                    <details>
                                        <summary>{tr("offer_level_edit")}</summary>
                                        <LevelForm course_id offer=o.clone() lessons=lessons.clone()/>
                                    </details>
                                </li>
                            }}).collect_view()}
                        </ul>
                    }
                })}}
            </Suspense>
            <details open=!query("offer_name")().is_empty()>
                <summary>{tr("offer_new")}</summary>
                <OfferForm course_id offer=None/>
            </details>
        </section>
    }
}

/// What an offer includes and which assignments the team reviews for its students. Modules
/// are chosen by heading (their future lessons come with them), lessons one by one.
#[component]
fn LevelForm(course_id: i64, offer: AdminOffer, lessons: Vec<LessonChoice>) -> impl IntoView {
    let id = offer.id;
    let f = move |name: &str| format!("level-{id}-{name}");
    let mut modules: Vec<String> = vec![];
    for l in &lessons {
        if !l.module.is_empty() && !modules.contains(&l.module) {
            modules.push(l.module.clone());
        }
    }
    let assignments: Vec<LessonChoice> = lessons.iter().filter(|l| l.reviewed_assignment).cloned().collect();
    let no_assignments = assignments.is_empty();
    let locale = crate::ui::layout::viewer().locale;
    view! {
        <PostForm action="/admin/api/save_offer_level" class="stack level-form">
            <input type="hidden" name="course_id" value=course_id.to_string()/>
            <input type="hidden" name="offer_id" value=id.to_string()/>
            <fieldset>
                <legend>{tr("offer_includes")}</legend>
                <label class="check"><input type="radio" name="includes" value="all" checked=offer.includes_all/>{tr("offer_includes_all")}</label>
                <label class="check"><input type="radio" name="includes" value="chosen" checked=!offer.includes_all/>{tr("offer_includes_chosen")}</label>
                <ul class="level-choices">
                    {modules.iter().map(|m| view! {
                        <li><label class="check"><input type="checkbox" name="module[]" value=m.clone() checked=offer.modules.contains(m)/>
                            {crate::kernel::i18n::t(locale, "offer_module").replace("{module}", m)}</label></li>
                    }).collect_view()}
                    {lessons.iter().map(|l| view! {
                        <li><label class="check" for=f(&format!("lesson-{}", l.id))>
                            <input id=f(&format!("lesson-{}", l.id)) type="checkbox" name="lesson[]" value=l.id.to_string() checked=offer.lessons.contains(&l.id)/>
                            {l.title.clone()}{(!l.module.is_empty()).then(|| format!(" ({})", l.module))}</label></li>
                    }).collect_view()}
                </ul>
            </fieldset>
            {(!assignments.is_empty()).then(|| view! {
                <fieldset>
                    <legend>{tr("offer_reviews")}</legend>
                    <label class="check"><input type="radio" name="reviews" value="all" checked=offer.reviews == "all"/>{tr("offer_reviews_all")}</label>
                    <label class="check"><input type="radio" name="reviews" value="none" checked=offer.reviews == "none"/>{tr("offer_reviews_none")}</label>
                    <label class="check"><input type="radio" name="reviews" value="chosen" checked=offer.reviews == "chosen"/>{tr("offer_reviews_chosen")}</label>
                    <ul class="level-choices">
                        {assignments.iter().map(|l| view! {
                            <li><label class="check"><input type="checkbox" name="review[]" value=l.id.to_string() checked=offer.reviewed.contains(&l.id)/>{l.title.clone()}</label></li>
                        }).collect_view()}
                    </ul>
                </fieldset>
            })}
            {no_assignments.then(|| view! { <input type="hidden" name="reviews" value="all"/> })}
            <button type="submit">{tr("save")}</button>
        </PostForm>
    }
}

#[component]
fn OfferForm(course_id: i64, offer: Option<AdminOffer>) -> impl IntoView {
    let o = offer.clone();
    let get = move |f: fn(&AdminOffer) -> String, typed: &'static str| o.as_ref().map(f).unwrap_or_else(|| query(typed)());
    let (name, summary, price) = (get(|o| o.name.clone(), "offer_name"), get(|o| o.summary.clone(), "offer_summary"), get(|o| o.price_text.clone(), "offer_price"));
    let kind = offer.as_ref().map(|o| o.access_kind.clone()).unwrap_or_else(|| "forever".into());
    let days = offer.as_ref().and_then(|o| o.access_days).map(|d| d.to_string()).unwrap_or_default();
    let until = offer.as_ref().map(|o| o.access_until.clone()).unwrap_or_default();
    let cohort = offer.as_ref().map(|o| o.cohort_start.clone()).unwrap_or_default();
    let seats = offer.as_ref().and_then(|o| o.seats).map(|d| d.to_string()).unwrap_or_default();
    let open = offer.as_ref().is_none_or(|o| o.open);
    let on_request = offer.as_ref().is_some_and(|o| o.on_request);
    let refund_ends = offer.as_ref().is_none_or(|o| o.refund_ends_access);
    let id = offer.as_ref().map(|o| o.id.to_string()).unwrap_or_default();
    // Each form's fields have their own ids (several forms on one page).
    let key = if id.is_empty() { "new".to_string() } else { id.clone() };
    let f = move |name: &str| format!("offer-{key}-{name}");
    view! {
        <PostForm action="/admin/api/save_offer" class="stack">
            <input type="hidden" name="course_id" value=course_id.to_string()/>
            <input type="hidden" name="offer_id" value=id/>
            <label for=f("name")>{tr("offer_name")}</label>
            <input id=f("name") name="name" required maxlength="80" value=name/>
            <label for=f("summary")>{tr("offer_summary")}</label>
            <input id=f("summary") name="summary" maxlength="500" value=summary/>
            <label for=f("price")>{tr("offer_price")}</label>
            <input id=f("price") name="price" inputmode="decimal" placeholder="0" value=price/>
            <p class="muted small">{tr("offer_price_help")}</p>
            <fieldset>
                <legend>{tr("offer_access")}</legend>
                <label class="check"><input type="radio" name="access_kind" value="forever" checked=kind == "forever"/>{tr("offer_access_forever")}</label>
                <label class="check"><input type="radio" name="access_kind" value="days" checked=kind == "days"/>{tr("offer_access_for")}</label>
                <label for=f("days")>{tr("offer_days")}</label>
                <input id=f("days") name="access_days" type="number" min="1" max="3650" value=days/>
                <label class="check"><input type="radio" name="access_kind" value="until" checked=kind == "until"/>{tr("offer_access_until_label")}</label>
                <label for=f("until")>{tr("offer_until")}</label>
                <input id=f("until") name="access_until" type="date" value=until/>
            </fieldset>
            <label for=f("cohort")>{tr("offer_cohort")}</label>
            <input id=f("cohort") name="cohort_start" type="date" value=cohort/>
            <p class="muted small">{tr("offer_cohort_help")}</p>
            <label for=f("seats")>{tr("offer_seats")}</label>
            <input id=f("seats") name="seats" type="number" min="1" value=seats/>
            <label class="check"><input type="checkbox" name="open" value="on" checked=open/>{tr("offer_open")}</label>
            <label class="check"><input type="checkbox" name="on_request" value="on" checked=on_request/>{tr("offer_on_request")}</label>
            <label class="check"><input type="checkbox" name="refund_ends_access" value="on" checked=refund_ends/>{tr("offer_refund_ends_access")}</label>
            <button type="submit">{tr("save")}</button>
        </PostForm>
    }
}

/// The requests to join offers "on request", on the students page: approve or decline each
/// (the student is emailed). Nothing shows when none is waiting.
#[component]
pub fn JoinRequestsCard() -> impl IntoView {
    let requests = crate::ui::page_data::page_data(|| (), |_| crate::features::offers::admin_api::load_join_requests());
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let list = requests.await.unwrap_or_default();
                let v = crate::ui::layout::viewer();
                (!list.is_empty()).then(|| view! {
                    <section class="card" id="requests">
                        <h2>{crate::kernel::i18n::tn(v.locale, "join_requests_title", list.len() as i64)}</h2>
                        <table class="admin">
                            <tbody>
                                {list.into_iter().map(|r| {
                                    let (approve, decline) = (r.id.to_string(), r.id.to_string());
                                    view! {
                                        <tr>
                                            <td>{r.email.clone()}</td>
                                            <td>{r.course_title.clone()}" · "{r.offer_name.clone()}</td>
                                            <td>{crate::kernel::time::date_time(r.created_at, v.time_zone(), v.locale)}</td>
                                            <td>
                                                <PostForm action="/admin/api/decide_join_request" class="inline">
                                                    <input type="hidden" name="id" value=approve/>
                                                    <button type="submit" name="decision" value="approve">{tr("join_request_approve")}</button>
                                                </PostForm>" "
                                                <PostForm action="/admin/api/decide_join_request" class="inline">
                                                    <input type="hidden" name="id" value=decline/>
                                                    <button type="submit" name="decision" value="decline" class="secondary">{tr("join_request_decline")}</button>
                                                </PostForm>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                })
            })}
        </Suspense>
    }
}
