//! The offers on a course's public page: one card per open offer, each with one call to
//! action. A visitor gives their email (the login code or link confirms it and enrols them);
//! a logged-in student joins in one tap.

use crate::features::offers::types::OfferCard;
use crate::ui::layout::{tr, viewer};
use crate::ui::notice::query;
use crate::ui::post_form::PostForm;
use leptos::prelude::*;

#[component]
pub fn OfferList(offers: Vec<OfferCard>, enrolled: bool, preview: bool) -> impl IntoView {
    // A student sees only the upgrades from their own offer (the cards that carry one).
    let offers: Vec<OfferCard> = offers.into_iter().filter(|o| !enrolled || o.upgrade.is_some()).collect();
    if offers.is_empty() {
        return ().into_any();
    }
    let logged_in = viewer().user.is_some();
    let typed = query("email")();
    let coupon = query("coupon")();
    view! {
        <section class="offers" id="offers" aria-labelledby="offers-title">
            <h2 id="offers-title">{tr(if enrolled { "offers_upgrade_title" } else { "offers_title" })}</h2>
            <ul class="offer-list">
                {offers.into_iter().map(|o| {
                    let (id, field, typed) = (o.id.to_string(), format!("offer-email-{}", o.id), typed.clone());
                    let (coupon_field, coupon_typed) = (format!("offer-coupon-{}", o.id), coupon.clone());
                    // A paid offer takes a coupon code (optional), checked at checkout.
                    let coupon_input = (!o.free).then(|| view! {
                        <label for=coupon_field.clone()>{tr("offer_coupon")}</label>
                        <input id=coupon_field name="coupon" autocapitalize="characters" autocomplete="off" value=coupon_typed/>
                    });
                    // A free offer is joined; a paid one is bought (Stripe's checkout).
                    let action = if o.free { "/api/join_offer" } else { "/api/checkout" };
                    let cta = match (o.free, o.on_request) {
                        (_, true) => tr("offer_ask_to_join"),
                        (true, false) => tr("offer_join_free"),
                        (false, false) => tr("offer_buy"),
                    };
                    let form = match (&o.unavailable, preview, logged_in) {
                        (Some(why), _, _) => view! { <p class="muted">{why.clone()}</p> }.into_any(),
                        // An upgrade: the difference, paid as themselves.
                        (None, _, true) if o.upgrade.is_some() => view! {
                            <PostForm action="/api/checkout" class="stack">
                                <input type="hidden" name="offer_id" value=id/>
                                {coupon_input}
                                <button type="submit">{tr("offer_upgrade").replace("{price}", o.upgrade.as_deref().unwrap_or_default())}</button>
                            </PostForm>
                        }.into_any(),
                        // The creator previewing sees the offer as visitors do, without the form.
                        (None, true, _) => view! { <p class="muted">{tr("offer_preview_note")}</p> }.into_any(),
                        (None, false, true) => view! {
                            <PostForm action=action class="stack">
                                <input type="hidden" name="offer_id" value=id/>
                                {coupon_input}
                                <button type="submit">{cta}</button>
                            </PostForm>
                        }.into_any(),
                        (None, false, false) => view! {
                            <PostForm action=action class="stack">
                                <input type="hidden" name="offer_id" value=id/>
                                <label for=field.clone()>{tr("offer_your_email")}</label>
                                <input id=field name="email" type="email" autocomplete="email" inputmode="email" required value=typed/>
                                {coupon_input}
                                <button type="submit">{cta}</button>
                                <p class="muted small">{tr(if o.free { "offer_email_note" } else { "offer_pay_note" })}</p>
                            </PostForm>
                        }.into_any(),
                    };
                    view! {
                        <li class="offer card" id=format!("offer-{}", o.id)>
                            <h3>{o.name.clone()}</h3>
                            <p class="price">{if o.free { tr("offer_free").to_string() } else { o.price.clone() }}</p>
                            <p class="access">{o.access.clone()}</p>
                            {(!o.summary.is_empty()).then(|| view! { <p>{o.summary.clone()}</p> })}
                            {o.seats_note.clone().map(|n| view! { <p class="seats">{n}</p> })}
                            {o.on_request.then(|| view! { <p class="muted">{tr("offer_on_request_note")}</p> })}
                            {form}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
