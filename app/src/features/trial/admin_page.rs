//! Trial lessons on the creator's side: the lesson's "trial" switch with its public page,
//! embed URL, snippet, regenerate and daily numbers; and the school's embed settings (colour,
//! allowed sites) on the settings page.

use crate::features::trial::api::{load_embed_settings, load_trial};
use crate::ui::copy_text::CopyText;
use crate::ui::layout::tr;
use crate::ui::notice::query;
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::TextArea;
use leptos::prelude::*;

#[component]
pub fn TrialSection(course_id: i64, lesson_id: i64) -> impl IntoView {
    let trial = crate::ui::page_data::page_data(move || (course_id, lesson_id), |(c, l)| load_trial(c, l));
    let ids = move || (course_id.to_string(), lesson_id.to_string());
    view! {
        <section class="card" id="trial">
            <h2>{tr("trial_title")}</h2>
            <p class="muted">{tr("trial_lead")}</p>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    let Ok(t) = trial.await else { return ().into_any() };
                    let (cid, lid) = ids();
                    let (cid2, lid2) = ids();
                    view! {
                        <PostForm action="/admin/api/set_trial" class="stack">
                            <input type="hidden" name="course_id" value=cid2/>
                            <input type="hidden" name="lesson_id" value=lid2/>
                            <label class="check"><input type="checkbox" name="trial" value="on" checked=t.trial/>{tr("trial_enable")}</label>
                            <button type="submit" class="secondary">{tr("save")}</button>
                        </PostForm>
                        {t.trial.then(|| view! {
                            {(!t.live).then(|| view! { <p class="notice">{tr("trial_not_live")}</p> })}
                            <p>{tr("trial_public_page")}": "<a href=t.public_url.clone() target="_blank" rel="noopener">{t.public_url.clone()}</a></p>
                            {t.embed_url.clone().map(|url| view! {
                                <label>{tr("trial_embed_url")}<input readonly value=url.clone() data-embed-url=url/></label>
                            })}
                            {t.snippet.clone().map(|snippet| view! {
                                <label>{tr("trial_snippet")}<TextArea readonly=true rows=5 class="snippet" value=snippet.clone()/></label>
                                <CopyText text=snippet label=tr("copy").to_string() done=tr("copied").to_string()/>
                                <p class="muted">{tr("trial_snippet_help")}</p>
                            })}
                            <h3>{tr("trial_stats")}</h3>
                            <TrialStats days=t.days.clone() views=t.total_views clicks=t.total_clicks/>
                            <PostForm action="/admin/api/regenerate_embed" class="stack">
                                <input type="hidden" name="course_id" value=cid/>
                                <input type="hidden" name="lesson_id" value=lid/>
                                <label class="check"><input type="checkbox" name="confirm" value="on"/>{tr("embed_regenerate_confirm")}</label>
                                <button type="submit" class="secondary">{tr("embed_regenerate")}</button>
                            </PostForm>
                        })}
                    }
                    .into_any()
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn TrialStats(days: Vec<crate::features::trial::api::EmbedDay>, views: i64, clicks: i64) -> impl IntoView {
    if days.is_empty() {
        return view! { <p class="muted">{tr("no_views_yet")}</p> }.into_any();
    }
    view! {
        <table class="stats">
            <thead><tr><th>{tr("stats_day")}</th><th>{tr("stats_views")}</th><th>{tr("stats_clicks")}</th></tr></thead>
            <tbody>
                {days.into_iter().map(|d| view! { <tr><td>{d.day}</td><td>{d.views}</td><td>{d.cta_clicks}</td></tr> }).collect_view()}
            </tbody>
            <tfoot><tr><th>{tr("stats_total")}</th><td data-total-views=views.to_string()>{views}</td><td data-total-clicks=clicks.to_string()>{clicks}</td></tr></tfoot>
        </table>
    }
    .into_any()
}

#[component]
pub fn EmbedSettingsCard() -> impl IntoView {
    let settings = crate::ui::page_data::page_data(|| (), |_| load_embed_settings());
    // What was typed comes back after a refused save.
    let (typed_sites, typed_color) = (query("embed_sites")(), query("brand_color")());
    view! {
        <section class="card narrow" id="embeds">
            <h2>{tr("embeds_title")}</h2>
            <Suspense fallback=|| ()>
                {{
                    let (typed_sites, typed_color) = (typed_sites.clone(), typed_color.clone());
                    Suspend::new(async move {
                        let Ok(s) = settings.await else { return ().into_any() };
                        let sites = if typed_sites.is_empty() { s.embed_sites } else { typed_sites };
                        let color = if typed_color.is_empty() { s.brand_color } else { typed_color };
                        view! {
                            <PostForm action="/admin/api/save_embed_settings" class="stack">
                                <label>{tr("brand_color")}<input name="brand_color" type="color" value=color/></label>
                                <label>{tr("embed_sites")}<TextArea name="embed_sites" rows=4 maxlength=5000 placeholder="https://www.example.com" value=sites/></label>
                                <p class="muted">{tr("embed_sites_help")}</p>
                                <button type="submit">{tr("save")}</button>
                            </PostForm>
                        }
                        .into_any()
                    })
                }}
            </Suspense>
        </section>
    }
}
