//! `/admin/settings`: the school's name, language, and what an unknown email receives.

use crate::api::students::load_settings;
use crate::components::layout::tr;
use crate::components::notice::{ErrorPage, Notice};
use crate::components::post_form::PostForm;
use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| load_settings());
    view! {
        <p class="crumb"><a href="/admin">{tr("admin_title")}</a></p>
        <h1>{tr("settings")}</h1>
        <Notice/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(s) => {
                        let notify = s.unknown_email_policy == "notify";
                        let fr = s.default_locale == "fr";
                        view! {
                            <section class="card narrow">
                                <PostForm action="/api/save_settings" class="stack">
                                    <label>{tr("school_name")}<input name="name" required value=s.name/></label>
                                    <label>{tr("default_language")}
                                        <select name="default_locale">
                                            <option value="fr" selected=fr>"Français"</option>
                                            <option value="en" selected=!fr>"English"</option>
                                        </select>
                                    </label>
                                    <fieldset>
                                        <legend>{tr("unknown_email_policy")}</legend>
                                        <label class="check"><input type="radio" name="unknown_email_policy" value="silent" checked=!notify/>{tr("unknown_email_silent")}</label>
                                        <label class="check"><input type="radio" name="unknown_email_policy" value="notify" checked=notify/>{tr("unknown_email_notify")}</label>
                                    </fieldset>
                                    <button type="submit">{tr("save")}</button>
                                </PostForm>
                            </section>
                            <crate::routes::admin::embeds::EmbedSettingsCard/>
                            <crate::routes::admin::blocks::LessonHostsCard/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
