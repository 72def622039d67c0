//! `/checkout/:order`: where Stripe sends the buyer back. Arriving here grants nothing; the
//! page says where the order stands and refreshes itself (no JavaScript needed) until the
//! signed webhook has marked it paid, then opens the course by the usual login.

use crate::features::payments::api::load_order;
use crate::ui::layout::tr;
use crate::ui::notice::{ErrorPage, Notice};
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("order").unwrap_or_default();
    let order = crate::ui::page_data::page_data(id, load_order);
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match order.await {
                    Ok(o) => {
                        let logged_in = crate::ui::layout::viewer().user.is_some();
                        let body = match o.status.as_str() {
                            "paid" => view! {
                                <h1>{tr("checkout_paid_title")}</h1>
                                <p>{tr("checkout_paid_lead").replace("{amount}", &o.amount).replace("{course}", &o.course_title)}</p>
                                {if logged_in {
                                    view! { <p><a class="button" href=o.next.clone()>{tr("checkout_open_course")}</a></p> }.into_any()
                                } else {
                                    view! {
                                        <p>{tr("checkout_paid_email").replace("{email}", &o.masked_email)}</p>
                                        <PostForm action="/api/order_login">
                                            <input type="hidden" name="id" value=o.id.clone()/>
                                            <button type="submit">{tr("checkout_send_code")}</button>
                                        </PostForm>
                                    }.into_any()
                                }}
                            }.into_any(),
                            "failed" => view! {
                                <h1>{tr("checkout_failed_title")}</h1>
                                <p>{tr("checkout_failed_lead")}</p>
                                <p><a class="button" href=format!("/courses/{}#offers", o.course_slug)>{tr("checkout_back_to_course")}</a></p>
                            }.into_any(),
                            "refunded" => view! {
                                <h1>{tr("checkout_refunded_title")}</h1>
                                <p><a href=format!("/courses/{}", o.course_slug)>{o.course_title.clone()}</a></p>
                            }.into_any(),
                            _ => view! {
                                // Until the webhook settles the order: look again in a few seconds.
                                <meta http-equiv="refresh" content="2"/>
                                <h1>{tr("checkout_pending_title")}</h1>
                                <p role="status">{tr("checkout_pending_lead")}</p>
                                <p class="muted">{tr("checkout_pending_note")}</p>
                            }.into_any(),
                        };
                        view! {
                            <PageTitle text=tr("checkout_title").to_string()/>
                            <section class="card narrow" data-order-status=o.status.clone()>
                                <Notice/>
                                {body}
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
