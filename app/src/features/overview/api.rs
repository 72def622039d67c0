//! The overview's data, read in one D1 batch. Each count of students is the directory's own
//! filter counted (`students::directory::DirectoryFilter`), so a figure and the list it links
//! to always agree.

use crate::features::overview::types::Overview;
use crate::kernel::error::AppError;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

/// Days in the overview's activity chart and in its "last 30 days" figures.
pub const DAYS: i64 = 30;
/// Lessons listed as opening next.
pub const OPENINGS: i64 = 5;

crate::kernel::page_data! {
    pub async fn load_overview() -> Result<Overview, AppError> {
        ssr_impl::load().await
    }
}

#[cfg(feature = "ssr")]
pub mod ssr_impl {
    use super::*;
    use crate::features::overview::types::{Figure, Opening};
    use crate::features::students::directory::{DirectoryFilter, EnrollmentState, SqlValue};
    use crate::kernel::db::{int, rows, text};
    use chrono::NaiveDate;
    use serde::Deserialize;

    const DAY_MS: i64 = 86_400_000;

    pub async fn load() -> Result<Overview, AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_owner(&ctx.viewer)?;
        let sdb = crate::kernel::request::school_db(school_id)?;
        let (now, zone, locale) = (ctx.now_ms, ctx.viewer.time_zone().to_string(), ctx.viewer.locale);
        let today = NaiveDate::parse_from_str(&crate::kernel::time::local_day(now, &zone), "%Y-%m-%d").map_err(|_| AppError::Internal)?;
        let day_start = |d: NaiveDate| crate::features::drip::rules::local_to_utc(d.and_hms_opt(0, 0, 0).unwrap_or_default(), crate::kernel::time::zone(&zone));
        let week_ago = today - chrono::Duration::days(6);
        let month_ago = today - chrono::Duration::days(DAYS - 1);
        // The directory's filters, counted as the directory counts them.
        let filters = [
            DirectoryFilter { enrollment: Some(EnrollmentState::Active), ..Default::default() },
            DirectoryFilter { joined_after: Some(week_ago), ..Default::default() },
            DirectoryFilter { bounced: true, ..Default::default() },
        ];
        let mut statements = vec![];
        for f in &filters {
            let (condition, params) = f.condition(2, now, day_start);
            let args: Vec<wasm_bindgen::JsValue> = params.iter().map(|p| match p { SqlValue::Int(n) => int(*n), SqlValue::Text(t) => text(t) }).collect();
            statements.push(sdb.stmt(&format!("SELECT COUNT(*) AS n FROM @users u WHERE u.role = 'student' AND {condition}"), &args)?);
        }
        let since = day_start(month_ago);
        statements.push(sdb.stmt(
            "SELECT (SELECT COUNT(*) FROM @certificates c WHERE c.issued_at >= ?2) AS finished,
                    (SELECT COUNT(*) FROM @submissions s WHERE s.status = 'pending') AS to_review,
                    (SELECT COUNT(*) FROM @courses c) AS courses",
            &[int(since)],
        )?);
        statements.push(sdb.stmt("SELECT currency, SUM(amount_minor) AS total FROM @orders WHERE status = 'paid' AND paid_at >= ?2 GROUP BY currency ORDER BY total DESC", &[int(since)])?);
        // Lessons opening on a date still to come (local 'YYYY-MM-DDTHH:MM', compared as text).
        let local_now = format!("{}T{}", crate::kernel::time::local_day(now, &zone), crate::kernel::time::clock_time(now, &zone));
        statements.push(sdb.stmt(
            "SELECT c.id AS course_id, c.title AS course_title, l.title AS lesson_title, l.open_at
             FROM @lessons l JOIN @courses c ON c.id = l.course_id
             WHERE l.status = 'published' AND c.status = 'published' AND l.open_rule = 'date' AND l.open_at > ?2
             ORDER BY l.open_at LIMIT ?3",
            &[text(&local_now), int(OPENINGS)],
        )?);
        statements.push(sdb.stmt("SELECT cp.completed_at / 3600000 AS hour, COUNT(*) AS n FROM @completions cp WHERE cp.completed_at >= ?2 GROUP BY hour", &[int(since)])?);
        let results = sdb.batch(statements).await?;
        let count = |i: usize| -> Result<i64, AppError> { Ok(rows::<serde_json::Value>(&results[i])?.first().and_then(|r| r["n"].as_i64()).unwrap_or(0)) };
        let (active, new, bounced) = (count(0)?, count(1)?, count(2)?);
        let totals: serde_json::Value = rows(&results[3])?.into_iter().next().unwrap_or_default();
        #[derive(Deserialize)]
        struct Revenue {
            currency: String,
            total: i64,
        }
        let revenue: Vec<String> = rows::<Revenue>(&results[4])?
            .into_iter()
            .filter_map(|r| crate::features::offers::rules::Currency::parse(&r.currency).map(|currency| crate::features::offers::rules::Money { minor: r.total, currency }.format(locale)))
            .collect();
        #[derive(Deserialize)]
        struct OpeningRow {
            course_id: i64,
            course_title: String,
            lesson_title: String,
            open_at: String,
        }
        let openings = rows::<OpeningRow>(&results[5])?
            .into_iter()
            .map(|o| {
                let at = chrono::NaiveDateTime::parse_from_str(&o.open_at, "%Y-%m-%dT%H:%M").map(|t| crate::features::drip::rules::local_to_utc(t, crate::kernel::time::zone(&zone))).unwrap_or(0);
                Opening { course_id: o.course_id, course_title: o.course_title, lesson_title: o.lesson_title, when: crate::kernel::time::weekday_date_time(at, &zone, locale) }
            })
            .collect();
        #[derive(Deserialize)]
        struct Hour {
            hour: i64,
            n: i64,
        }
        let mut per_day: std::collections::BTreeMap<NaiveDate, u32> = Default::default();
        for h in rows::<Hour>(&results[6])? {
            if let Ok(d) = NaiveDate::parse_from_str(&crate::kernel::time::local_day(h.hour * 3_600_000, &zone), "%Y-%m-%d") {
                *per_day.entry(d).or_default() += h.n as u32;
            }
        }
        let per_day: Vec<(NaiveDate, u32)> = per_day.into_iter().collect();
        let series = crate::features::reports::rules::daily_series(&per_day, month_ago, today);
        let t = |k: &str| crate::kernel::i18n::t(locale, k).to_string();
        let n = |v: i64| v.to_string();
        let figures = vec![
            Figure { label: "overview_active_students", value: n(active), href: "/admin/students?enrollment=active".into() },
            Figure { label: "overview_new_students", value: n(new), href: format!("/admin/students?joined={week_ago}") },
            Figure { label: "overview_finished", value: n(totals["finished"].as_i64().unwrap_or(0)), href: "/admin/reports".into() },
            Figure { label: "overview_revenue", value: if revenue.is_empty() { "0".into() } else { revenue.join(" + ") }, href: "/admin/sales".into() },
            Figure { label: "overview_to_review", value: n(totals["to_review"].as_i64().unwrap_or(0)), href: "/admin/reviews".into() },
            Figure { label: "overview_bounced", value: n(bounced), href: "/admin/students?bounced=on".into() },
        ];
        let _ = DAY_MS;
        Ok(Overview { figures, openings, chart_svg: crate::features::reports::rules::completion_chart(&series, &t("overview_chart")), courses: totals["courses"].as_i64().unwrap_or(0) })
    }
}
