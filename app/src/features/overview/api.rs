//! The overview's data, read in one D1 batch — the viewer's own, once this isolate knows the
//! school's time zone (`OverviewPrefetch`): one round trip. Each count of students is the directory's own
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

    /// The overview's reads in the viewer's own batch (`/admin`): one D1 round trip, once
    /// this isolate knows the school's zone (else the page reads them itself). When this
    /// isolate holds the school's figures and no time boundary passed, the reads are made
    /// "only if the school changed" (`SchoolDb::by_slug_if_changed`): an unchanged school
    /// costs its version's read alone.
    #[derive(Default)]
    pub struct OverviewPrefetch {
        /// The time and zone the statements were made for, and the version they were made
        /// conditional on (none: not made).
        made_for: std::cell::RefCell<Option<(i64, String, Option<i64>)>>,
    }

    /// Figures this isolate read, good while the school's `stats_version` is the same and
    /// until the first time boundary (`Remembered::valid_at`).
    #[derive(Clone)]
    struct Remembered {
        version: i64,
        zone: String,
        read_at: i64,
        /// The first instant at which time alone changes a figure: the next local midnight
        /// (the week's and month's windows), the next access to start or end, the next
        /// lesson to open.
        until: i64,
        raw: Raw,
    }

    impl Remembered {
        fn valid_at(&self, now: i64, zone: &str) -> bool {
            self.zone == zone && self.read_at <= now && now < self.until
        }
    }

    /// Schools whose figures an isolate keeps (a creator's isolate sees few).
    const REMEMBERED_SCHOOLS: usize = 64;

    thread_local! {
        /// (school's subdomain, its figures): a few schools, looked through in order.
        static REMEMBERED: std::cell::RefCell<Vec<(String, Remembered)>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    fn remembered(slug: &str, now: i64, zone: &str) -> Option<Remembered> {
        REMEMBERED.with(|m| m.borrow().iter().find(|(s, r)| s == slug && r.valid_at(now, zone)).map(|(_, r)| r.clone()))
    }

    fn remember(slug: &str, figures: Remembered) {
        REMEMBERED.with(|m| {
            let mut m = m.borrow_mut();
            m.retain(|(s, _)| s != slug);
            if m.len() >= REMEMBERED_SCHOOLS {
                m.remove(0);
            }
            m.push((slug.to_string(), figures));
        });
    }

    impl crate::kernel::request::Prefetch for OverviewPrefetch {
        fn statements(&self, db: &worker::D1Database, on: &crate::kernel::request::PrefetchScope) -> Result<Vec<worker::D1PreparedStatement>, AppError> {
            // The day boundaries need the school's zone before the viewer's row says it.
            let Some(zone) = crate::kernel::request::remembered_zone(on.school_slug) else { return Ok(vec![]) };
            let held = remembered(on.school_slug, on.now_ms, &zone).map(|r| r.version);
            let sdb = match held {
                Some(version) => crate::kernel::db::SchoolDb::by_slug_if_changed(db, on.school_slug, version),
                None => crate::kernel::db::SchoolDb::by_slug(db, on.school_slug),
            };
            let mut read = statements(&sdb, on.now_ms, &zone)?;
            read.push(crate::kernel::db::stmt(db, "SELECT stats_version AS v FROM schools WHERE slug = ?1", &[text(on.school_slug)])?);
            *self.made_for.borrow_mut() = Some((on.now_ms, zone, held));
            Ok(read)
        }
        fn decode(&self, results: &[worker::D1Result]) -> Result<crate::kernel::request::Prefetched, AppError> {
            let Some((now, zone, held)) = self.made_for.borrow().clone() else { return Ok(crate::kernel::request::Prefetched::new(None::<PendingFigures>)) };
            let version = version_of(results.get(STATEMENTS))?;
            Ok(crate::kernel::request::Prefetched::new(Some(PendingFigures { now, zone, held, version, fresh: Raw::decode(results)? })))
        }
        fn for_session_user(&self) -> bool {
            true
        }
    }

    /// The prefetch's results before the viewer is known: figures read now, or (the
    /// school unchanged since `held`) nothing, the isolate's own being still right.
    pub struct PendingFigures {
        now: i64,
        zone: String,
        held: Option<i64>,
        version: i64,
        fresh: Raw,
    }

    fn version_of(result: Option<&worker::D1Result>) -> Result<i64, AppError> {
        let result = result.ok_or(AppError::Internal)?;
        Ok(rows::<serde_json::Value>(result)?.first().and_then(|r| r["v"].as_i64()).unwrap_or(0))
    }

    pub async fn load() -> Result<Overview, AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_owner(&ctx.viewer)?;
        let zone = ctx.viewer.time_zone().to_string();
        let slug = ctx.viewer.school.as_ref().map(|s| s.slug.clone()).unwrap_or_default();
        let pending = ctx.prefetched::<Option<PendingFigures>>().and_then(Option::as_ref).filter(|p| p.zone == zone);
        let (raw, now) = match pending {
            // Unchanged since the figures this isolate holds (read with their version).
            Some(p) if p.held == Some(p.version) => match remembered(&slug, p.now, &zone).filter(|r| r.version == p.version) {
                Some(r) => (r.raw, p.now),
                None => read(&slug, school_id, ctx.now_ms, &zone).await?,
            },
            Some(p) => {
                remember(&slug, Remembered { version: p.version, zone: zone.clone(), read_at: p.now, until: p.fresh.until(p.now, &zone)?, raw: p.fresh.clone() });
                (p.fresh.clone(), p.now)
            }
            None => read(&slug, school_id, ctx.now_ms, &zone).await?,
        };
        build(raw, now, &zone, ctx.viewer.locale)
    }

    /// The figures read on their own (no prefetch: this isolate did not know the zone yet),
    /// kept with their version.
    async fn read(slug: &str, school_id: i64, now: i64, zone: &str) -> Result<(Raw, i64), AppError> {
        let sdb = crate::kernel::request::school_db(school_id)?;
        let mut read = statements(&sdb, now, zone)?;
        read.push(sdb.stmt("SELECT stats_version AS v FROM schools WHERE id = ?1", &[])?);
        let results = sdb.batch(read).await?;
        let raw = Raw::decode(&results)?;
        remember(slug, Remembered { version: version_of(results.get(STATEMENTS))?, zone: zone.to_string(), read_at: now, until: raw.until(now, zone)?, raw: raw.clone() });
        Ok((raw, now))
    }

    fn boundaries(now: i64, zone: &str) -> Result<(NaiveDate, NaiveDate, NaiveDate), AppError> {
        let today = NaiveDate::parse_from_str(&crate::kernel::time::local_day(now, zone), "%Y-%m-%d").map_err(|_| AppError::Internal)?;
        Ok((today, today - chrono::Duration::days(6), today - chrono::Duration::days(DAYS - 1)))
    }

    /// The overview's reads, for the school of `sdb` (by id, or by subdomain in the viewer's batch).
    fn statements(sdb: &crate::kernel::db::SchoolDb, now: i64, zone: &str) -> Result<Vec<worker::D1PreparedStatement>, AppError> {
        let (_, week_ago, month_ago) = boundaries(now, zone)?;
        // The directory's own day boundaries: a figure counts what its list shows.
        let day_start = crate::features::students::directory_api::ssr_impl::day_start(zone);
        // The directory's filters, counted as the directory counts them.
        let filters = [
            DirectoryFilter { enrollment: Some(EnrollmentState::Active), ..Default::default() },
            DirectoryFilter { joined_after: Some(week_ago), ..Default::default() },
            DirectoryFilter { bounced: true, ..Default::default() },
        ];
        let mut statements = vec![];
        for f in &filters {
            let (count, params) = f.count(2, now, &day_start);
            let args: Vec<wasm_bindgen::JsValue> = params.iter().map(|p| match p { SqlValue::Int(n) => int(*n), SqlValue::Text(t) => text(t) }).collect();
            statements.push(sdb.stmt(&count, &args)?);
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
        // When "active students" next changes by time alone (how long figures can be kept).
        statements.push(sdb.stmt(&DirectoryFilter::next_access_change_sql(), &[int(now)])?);
        Ok(statements)
    }

    /// How many statements `statements` makes (a version read may follow them).
    const STATEMENTS: usize = 8;

    /// The results of `statements`, decoded.
    #[derive(Clone)]
    pub struct Raw {
        counts: [i64; 3],
        totals: serde_json::Value,
        revenue: Vec<(String, i64)>,
        openings: Vec<(i64, String, String, String)>,
        hours: Vec<(i64, i64)>,
        /// The next access to start or end, if any.
        next_access: Option<i64>,
    }

    impl Raw {
        fn decode(results: &[worker::D1Result]) -> Result<Raw, AppError> {
            if results.len() < STATEMENTS {
                return Err(AppError::Internal);
            }
            let count = |i: usize| -> Result<i64, AppError> { Ok(rows::<serde_json::Value>(&results[i])?.first().and_then(|r| r["n"].as_i64()).unwrap_or(0)) };
            #[derive(Deserialize)]
            struct Revenue {
                currency: String,
                total: i64,
            }
            #[derive(Deserialize)]
            struct OpeningRow {
                course_id: i64,
                course_title: String,
                lesson_title: String,
                open_at: String,
            }
            #[derive(Deserialize)]
            struct Hour {
                hour: i64,
                n: i64,
            }
            Ok(Raw {
                counts: [count(0)?, count(1)?, count(2)?],
                totals: rows(&results[3])?.into_iter().next().unwrap_or_default(),
                revenue: rows::<Revenue>(&results[4])?.into_iter().map(|r| (r.currency, r.total)).collect(),
                openings: rows::<OpeningRow>(&results[5])?.into_iter().map(|o| (o.course_id, o.course_title, o.lesson_title, o.open_at)).collect(),
                hours: rows::<Hour>(&results[6])?.into_iter().map(|h| (h.hour, h.n)).collect(),
                next_access: rows::<serde_json::Value>(&results[7])?.first().and_then(|r| r["next"].as_i64()),
            })
        }

        /// Until when, time alone changing nothing, these figures (read at `now`) stay right:
        /// the next local midnight (the week's and the 30 days' windows move), the next
        /// access to start or end (active students), the first lesson listed to open (it
        /// leaves the list).
        fn until(&self, now: i64, zone: &str) -> Result<i64, AppError> {
            let (today, _, _) = boundaries(now, zone)?;
            let midnight = crate::features::students::directory_api::ssr_impl::day_start(zone)(today + chrono::Duration::days(1));
            let opening = self.openings.first().and_then(|(_, _, _, open_at)| opening_instant(open_at, zone));
            Ok([Some(midnight), self.next_access, opening].into_iter().flatten().min().unwrap_or(midnight))
        }
    }

    /// A lesson's opening ('YYYY-MM-DDTHH:MM', the school's time) as an instant.
    fn opening_instant(open_at: &str, zone: &str) -> Option<i64> {
        chrono::NaiveDateTime::parse_from_str(open_at, "%Y-%m-%dT%H:%M").ok().map(|t| crate::features::drip::rules::local_to_utc(t, crate::kernel::time::zone(zone)))
    }

    fn build(raw: Raw, now: i64, zone: &str, locale: crate::kernel::i18n::Locale) -> Result<Overview, AppError> {
        let zone = zone.to_string();
        let (today, week_ago, month_ago) = boundaries(now, &zone)?;
        let [active, new, bounced] = raw.counts;
        let totals = raw.totals;
        let revenue: Vec<String> = raw
            .revenue
            .into_iter()
            .filter_map(|(currency, total)| crate::features::offers::rules::Currency::parse(&currency).map(|currency| crate::features::offers::rules::Money { minor: total, currency }.format(locale)))
            .collect();
        let openings = raw
            .openings
            .into_iter()
            .map(|(course_id, course_title, lesson_title, open_at)| {
                let at = opening_instant(&open_at, &zone).unwrap_or(0);
                Opening { course_id, course_title, lesson_title, when: crate::kernel::time::weekday_date_time(at, &zone, locale) }
            })
            .collect();
        let mut per_day: std::collections::BTreeMap<NaiveDate, u32> = Default::default();
        for (hour, n) in raw.hours {
            if let Ok(d) = NaiveDate::parse_from_str(&crate::kernel::time::local_day(hour * 3_600_000, &zone), "%Y-%m-%d") {
                *per_day.entry(d).or_default() += n as u32;
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
        Ok(Overview { figures, openings, chart_svg: crate::features::reports::rules::completion_chart(&series, &t("overview_chart")), courses: totals["courses"].as_i64().unwrap_or(0) })
    }
}
