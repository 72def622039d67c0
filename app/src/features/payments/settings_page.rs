//! The payments card of the settings page.

use crate::features::payments::settings_api::load_payment_settings;
use crate::ui::layout::tr;
use crate::ui::post_form::PostForm;
use leptos::prelude::*;

#[component]
pub fn PaymentsCard() -> impl IntoView {
    let settings = crate::ui::page_data::page_data(|| (), |_| load_payment_settings());
    view! {
        <section class="card narrow" id="payments">
            <h2>{tr("payments_title")}</h2>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
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
                        {s.connected.then(|| view! {
                            <h3>{tr("payments_tax_title")}</h3>
                            <PostForm action="/admin/api/save_tax_setting" class="stack">
                                <label class="check"><input type="checkbox" name="tax_inclusive" value="on" checked=s.tax_inclusive/>{tr("payments_tax_inclusive")}</label>
                                <p class="muted small">{tr("payments_tax_note")}</p>
                                <button type="submit" class="secondary">{tr("save")}</button>
                            </PostForm>
                        })}
                        {s.connected.then(|| view! { <h3>{tr("payments_keys_title")}</h3> })}
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

/// Coupons, under the payments card: the list and a form for a new one.
#[component]
pub fn CouponsCard() -> impl IntoView {
    let coupons = crate::ui::page_data::page_data(|| (), |_| crate::features::payments::coupons_api::load_coupons());
    let typed = crate::ui::notice::query_dyn();
    view! {
        <section class="card narrow" id="coupons">
            <h2>{tr("coupons_title")}</h2>
            <Suspense fallback=|| ()>
                {{
                    let typed = typed.clone();
                    Suspend::new(async move {
                    let Ok((list, offers)) = coupons.await else { return ().into_any() };
                    let (typed_code, typed_value) = (typed("coupon_code"), typed("coupon_value"));
                    let opened = !typed_code.is_empty();
                    view! {
                        {if list.is_empty() {
                            view! { <p class="muted">{tr("coupons_none")}</p> }.into_any()
                        } else {
                            view! {
                                <table class="admin">
                                    <thead><tr><th scope="col">{tr("coupon_code")}</th><th scope="col">{tr("coupon_value")}</th><th scope="col">{tr("coupon_offer")}</th><th scope="col">{tr("coupon_expires")}</th><th scope="col">{tr("coupon_uses")}</th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|c| view! { <tr><td><code>{c.code}</code></td><td>{c.value}</td><td>{c.offer}</td><td>{c.expires}</td><td>{c.uses}</td></tr> }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                        <details open=opened>
                            <summary>{tr("coupon_new")}</summary>
                            <PostForm action="/admin/api/save_coupon" class="stack">
                                <label for="coupon-code">{tr("coupon_code")}</label>
                                <input id="coupon-code" name="code" required maxlength="40" autocapitalize="characters" placeholder="RENTREE-20" value=typed_code/>
                                <fieldset>
                                    <legend>{tr("coupon_value")}</legend>
                                    <label class="check"><input type="radio" name="kind" value="percent" checked/>{tr("coupon_percent")}</label>
                                    <label class="check"><input type="radio" name="kind" value="amount"/>{tr("coupon_amount")}</label>
                                    <label for="coupon-value">{tr("coupon_value_field")}</label>
                                    <input id="coupon-value" name="value" required inputmode="decimal" value=typed_value/>
                                </fieldset>
                                <label for="coupon-offer">{tr("coupon_offer")}</label>
                                <select id="coupon-offer" name="offer_id">
                                    <option value="">{tr("coupon_all_offers")}</option>
                                    {offers.into_iter().map(|o| view! { <option value=o.id.to_string()>{o.label}</option> }).collect_view()}
                                </select>
                                <label for="coupon-expires">{tr("coupon_expires_field")}</label>
                                <input id="coupon-expires" name="expires" type="date"/>
                                <label for="coupon-uses">{tr("coupon_uses_field")}</label>
                                <input id="coupon-uses" name="max_uses" type="number" min="1"/>
                                <button type="submit">{tr("save")}</button>
                            </PostForm>
                        </details>
                    }.into_any()
                })}}
            </Suspense>
        </section>
    }
}
