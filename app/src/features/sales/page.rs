//! `/admin/sales`: the school's sales (the owner only).

use crate::features::sales::api::load_sales;
use crate::kernel::access::Permission;
use crate::ui::layout::tr;
use crate::ui::notice::{query, Allowed, ErrorPage};
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;

#[component]
pub fn SalesPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageSettings><SalesBody/></Allowed> }
}

#[component]
fn SalesBody() -> impl IntoView {
    let period = query("period");
    let sales = crate::ui::page_data::page_data(move || period(), load_sales);
    view! {
        <PageTitle text=tr("sales_title")/><h1>{tr("sales_title")}</h1>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match sales.await {
                    Ok(s) => {
                        let tab = |p: &'static str, label: &'static str| {
                            let current = s.period == p;
                            view! { <a href=format!("/admin/sales?period={p}") aria-current=current.then_some("page") class:current=current>{tr(label)}</a> }
                        };
                        view! {
                            <section class="card">
                                <p class="actions tabs">{tab("day", "sales_by_day")}" · "{tab("week", "sales_by_week")}" · "{tab("month", "sales_by_month")}
                                    " · "<a href="/admin/sales.csv">{tr("sales_export")}</a>" · "<a href="/admin/sales.xlsx">{tr("export_xlsx")}</a></p>
                                <p class="figures"><strong>{s.revenue.clone()}</strong>" · "{crate::kernel::i18n::tn(crate::ui::layout::viewer().locale, "sales_orders", s.paid_orders)}
                                    " · "{format!("{} {} ({})", tr("sales_refunds"), s.refunds, s.refunded)}</p>
                                <div class="chart" inner_html=s.chart_svg.clone()></div>
                            </section>
                            <div class="admin-grid">
                                <section class="card">
                                    <h2>{tr("sales_per_offer")}</h2>
                                    {if s.per_offer.is_empty() { view! { <p class="muted">{tr("sales_none")}</p> }.into_any() } else { view! {
                                        <table class="admin"><thead><tr><th scope="col">{tr("coupon_offer")}</th><th scope="col">{tr("sales_orders_col")}</th><th scope="col">{tr("sales_revenue")}</th></tr></thead>
                                            <tbody>{s.per_offer.iter().map(|(k, n, a)| view! { <tr><td>{k.clone()}</td><td>{*n}</td><td>{a.clone()}</td></tr> }).collect_view()}</tbody></table>
                                    }.into_any() }}
                                </section>
                                <section class="card">
                                    <h2>{tr("coupons_title")}</h2>
                                    {if s.coupons.is_empty() { view! { <p class="muted">{tr("sales_no_coupon")}</p> }.into_any() } else { view! {
                                        <table class="admin"><thead><tr><th scope="col">{tr("coupon_code")}</th><th scope="col">{tr("sales_orders_col")}</th><th scope="col">{tr("sales_discounts")}</th></tr></thead>
                                            <tbody>{s.coupons.iter().map(|(k, n, a)| view! { <tr><td><code>{k.clone()}</code></td><td>{*n}</td><td>{a.clone()}</td></tr> }).collect_view()}</tbody></table>
                                    }.into_any() }}
                                </section>
                            </div>
                            <section class="card">
                                <h2>{tr("sales_recent")}</h2>
                                {if s.recent.is_empty() { view! { <p class="muted">{tr("sales_none")}</p> }.into_any() } else { view! {
                                    <table class="admin"><thead><tr><th scope="col">{tr("sales_date")}</th><th scope="col">{tr("sales_buyer")}</th><th scope="col">{tr("coupon_offer")}</th><th scope="col">{tr("sales_amount")}</th><th scope="col">{tr("sales_status")}</th></tr></thead>
                                        <tbody>{s.recent.iter().map(|o| view! { <tr><td>{o.when.clone()}</td><td>{o.email.clone()}</td><td>{o.what.clone()}</td><td>{o.amount.clone()}</td><td>{o.status.clone()}</td></tr> }).collect_view()}</tbody></table>
                                }.into_any() }}
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
