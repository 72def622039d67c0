//! Admin → Sales: paid orders over time, revenue per offer, refunds, coupon use, the latest
//! orders, and the CSV of every order (admin Worker, the owner only).

use crate::kernel::error::AppError;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesPage {
    pub period: String,
    pub chart_svg: String,
    pub paid_orders: i64,
    pub revenue: String,
    pub refunds: i64,
    pub refunded: String,
    /// (course – offer, paid orders, revenue)
    pub per_offer: Vec<(String, i64, String)>,
    /// (code, paid orders, taken off)
    pub coupons: Vec<(String, i64, String)>,
    pub recent: Vec<OrderLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLine {
    pub when: String,
    pub email: String,
    pub what: String,
    pub amount: String,
    pub status: String,
}

crate::kernel::page_data! {
    pub async fn load_sales(period: String) -> Result<SalesPage, AppError> {
        ssr_impl::load(&period).await
    }
}

#[cfg(feature = "ssr")]
pub mod ssr_impl {
    use super::*;
    use crate::features::offers::rules::{Currency, Money};
    use crate::features::sales::rules::{series, Period};
    use crate::kernel::db::{int, SchoolDb};
    use crate::kernel::i18n::{t, Locale};

    #[derive(Deserialize)]
    pub struct OrderRow {
        pub id: String,
        pub email: String,
        pub course: String,
        pub offer: String,
        pub amount_minor: i64,
        pub discount_minor: i64,
        pub currency: String,
        pub status: String,
        pub coupon: Option<String>,
        pub created_at: i64,
        pub paid_at: Option<i64>,
        pub refunded_at: Option<i64>,
    }

    /// Every order of the school, newest first (the page reads a year of them; the CSV all).
    pub const ORDERS: &str = "SELECT r.id, r.email, c.title AS course, o.name AS offer, r.amount_minor, r.discount_minor, r.currency, r.status,
            k.code AS coupon, r.created_at, r.paid_at, r.refunded_at
        FROM @orders r JOIN @courses* c ON c.id = r.course_id JOIN @offers* o ON o.id = r.offer_id LEFT JOIN @coupons k ON k.id = r.coupon_id
        WHERE r.created_at >= ?2 ORDER BY r.created_at DESC";

    fn money(minor: i64, currency: &str, locale: Locale) -> String {
        Money { minor, currency: Currency::parse(currency).unwrap_or(Currency::Eur) }.format(locale)
    }

    pub async fn load(period: &str) -> Result<SalesPage, AppError> {
        let (ctx, school_id) = owner()?;
        let (zone, locale, now) = (ctx.viewer.time_zone().to_string(), ctx.viewer.locale, ctx.now_ms);
        let period = Period::parse(period);
        let since = now - 400 * crate::kernel::session::DAY_MS;
        let orders: Vec<OrderRow> = SchoolDb::new(&crate::kernel::request::db()?, school_id).all(ORDERS, &[int(since)]).await?;
        // Sums are in the school's currency (one per school: Settings → Payments).
        let currency = orders.first().map(|o| o.currency.clone()).unwrap_or_else(|| "EUR".into());
        let tz = crate::kernel::time::zone(&zone);
        let day = |ms: i64| crate::features::drip::rules::local_date(ms, tz);
        let paid: Vec<&OrderRow> = orders.iter().filter(|o| o.status == "paid").collect();
        let points: Vec<(chrono::NaiveDate, i64)> = paid.iter().map(|o| (day(o.paid_at.unwrap_or(o.created_at)), o.amount_minor)).collect();
        let buckets = series(&points, period, day(now));
        let counts: Vec<(chrono::NaiveDate, u32)> = buckets.iter().map(|(d, n, _)| (*d, *n)).collect();
        let chart_svg = crate::features::reports::rules::completion_chart(&counts, t(locale, "sales_chart_title"));
        let in_range: Vec<&&OrderRow> = paid.iter().filter(|o| day(o.paid_at.unwrap_or(o.created_at)) >= buckets[0].0).collect();
        let refunded: Vec<&OrderRow> = orders.iter().filter(|o| o.status == "refunded").collect();
        let mut per_offer: Vec<(String, i64, i64)> = vec![];
        let mut coupons: Vec<(String, i64, i64)> = vec![];
        for o in &in_range {
            let key = format!("{} – {}", o.course, o.offer);
            match per_offer.iter_mut().find(|(k, ..)| *k == key) {
                Some(row) => {
                    row.1 += 1;
                    row.2 += o.amount_minor;
                }
                None => per_offer.push((key, 1, o.amount_minor)),
            }
            if let Some(code) = &o.coupon {
                match coupons.iter_mut().find(|(k, ..)| k == code) {
                    Some(row) => {
                        row.1 += 1;
                        row.2 += o.discount_minor;
                    }
                    None => coupons.push((code.clone(), 1, o.discount_minor)),
                }
            }
        }
        per_offer.sort_by(|a, b| b.2.cmp(&a.2));
        Ok(SalesPage {
            period: period.as_str().to_string(),
            chart_svg,
            paid_orders: in_range.len() as i64,
            revenue: money(in_range.iter().map(|o| o.amount_minor).sum(), &currency, locale),
            refunds: refunded.len() as i64,
            refunded: money(refunded.iter().map(|o| o.amount_minor).sum(), &currency, locale),
            per_offer: per_offer.into_iter().map(|(k, n, a)| (k, n, money(a, &currency, locale))).collect(),
            coupons: coupons.into_iter().map(|(k, n, a)| (k, n, money(a, &currency, locale))).collect(),
            recent: orders
                .iter()
                .take(50)
                .map(|o| OrderLine {
                    when: crate::kernel::time::date_time(o.created_at, &zone, locale),
                    email: o.email.clone(),
                    what: format!("{} – {}", o.course, o.offer),
                    amount: money(o.amount_minor, &o.currency, locale),
                    status: t(locale, &format!("order_status_{}", o.status)).to_string(),
                })
                .collect(),
        })
    }

    /// Every order as a CSV (formula-safe) or XLSX file (`kernel::spreadsheet`).
    pub async fn file(db: &worker::D1Database, school_id: i64, format: crate::kernel::spreadsheet::Format, zone: &str) -> Result<Vec<u8>, AppError> {
        let orders: Vec<OrderRow> = SchoolDb::new(db, school_id).all(ORDERS, &[int(0)]).await?;
        let stamp = |ms: Option<i64>| ms.map(|ms| crate::features::exports::server::local_stamp(ms, zone)).unwrap_or_default();
        let mut out = vec![["order", "created", "email", "course", "offer", "amount", "discount", "currency", "status", "coupon", "paid", "refunded"].iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        for o in &orders {
            out.push(vec![
                o.id.clone(),
                stamp(Some(o.created_at)),
                o.email.clone(),
                o.course.clone(),
                o.offer.clone(),
                format!("{}.{:02}", o.amount_minor / 100, o.amount_minor % 100),
                format!("{}.{:02}", o.discount_minor / 100, o.discount_minor % 100),
                o.currency.clone(),
                o.status.clone(),
                o.coupon.clone().unwrap_or_default(),
                stamp(o.paid_at),
                stamp(o.refunded_at),
            ]);
        }
        Ok(format.write("sales", &out))
    }
}
