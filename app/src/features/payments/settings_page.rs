//! The payments card of the settings page.

use crate::features::payments::settings_api::load_payment_settings;
use crate::ui::layout::tr;
use crate::ui::post_form::PostForm;
use leptos::prelude::*;

#[component]
pub fn PaymentsCard() -> impl IntoView {
    let settings = Resource::new(|| (), |_| load_payment_settings());
    view! {
        <section class="card narrow" id="payments">
            <h2>{tr("payments_title")}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let Ok(s) = settings.await else { return ().into_any() };
                    view! {
                        {if s.connected {
                            view! {
                                <p>{tr("payments_connected")}
                                    {s.test_mode.then(|| view! { " "<span class="badge warn">{tr("payments_test_mode")}</span> })}
                                </p>
                            }.into_any()
                        } else {
                            view! { <p class="muted">{tr("payments_lead")}</p> }.into_any()
                        }}
                        <p>{tr("payments_webhook_url")}</p>
                        <p><code>{s.webhook_url.clone()}</code></p>
                        <p class="muted small">{tr("payments_webhook_events")}</p>
                        {(!s.available).then(|| view! { <p class="notice error">{tr("payments_not_configured")}</p> })}
                        <PostForm action="/admin/api/save_payment_settings" class="stack">
                            <label for="stripe-secret">{tr("payments_secret_key")}</label>
                            <input id="stripe-secret" name="secret_key" type="password" autocomplete="off" required placeholder="sk_live_… / sk_test_…"/>
                            <label for="stripe-webhook">{tr("payments_webhook_secret")}</label>
                            <input id="stripe-webhook" name="webhook_secret" type="password" autocomplete="off" required placeholder="whsec_…"/>
                            <label for="stripe-currency">{tr("payments_currency")}</label>
                            <select id="stripe-currency" name="currency">
                                {["EUR", "USD", "GBP", "CHF", "CAD"].into_iter().map(|c| view! { <option value=c selected=s.currency == c>{c}</option> }).collect_view()}
                            </select>
                            <p class="muted small">{tr("payments_keys_note")}</p>
                            <button type="submit">{if s.connected { tr("payments_replace") } else { tr("payments_connect") }}</button>
                        </PostForm>
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}
