//! Thin helpers over D1: binding arguments and turning results into typed rows.

use crate::kernel::error::AppError;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

pub fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

/// D1 numbers travel as JS numbers: every id and timestamp here is below 2^53.
pub fn int(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}

pub fn opt_text(s: Option<&str>) -> JsValue {
    s.map(text).unwrap_or(JsValue::NULL)
}

pub fn opt_int(n: Option<i64>) -> JsValue {
    n.map(int).unwrap_or(JsValue::NULL)
}

thread_local! {
    /// D1 round trips since the last `take_round_trips`: a dev diagnostic the benchmark reads
    /// per request (exact when requests do not overlap, as in the benchmark).
    static ROUND_TRIPS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

thread_local! {
    /// Milliseconds spent waiting on D1 since the last `take_round_trips` (the Workers clock
    /// moves only across I/O, so this is D1's share of a request).
    static D1_WAIT_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// Counts a round trip and, when dropped after its await, the time it waited.
#[must_use]
struct RoundTrip(f64);

impl Drop for RoundTrip {
    fn drop(&mut self) {
        let waited = js_sys::Date::now() - self.0;
        D1_WAIT_MS.with(|n| n.set(n.get() + waited));
    }
}

fn round_trip() -> RoundTrip {
    ROUND_TRIPS.with(|n| n.set(n.get() + 1));
    RoundTrip(js_sys::Date::now())
}

pub fn take_round_trips() -> u32 {
    ROUND_TRIPS.with(|n| n.replace(0))
}

/// D1's wait since the last call (a dev diagnostic, like the round trips).
pub fn take_d1_wait_ms() -> f64 {
    D1_WAIT_MS.with(|n| n.replace(0.0))
}

/// A lesson's drip rule columns as one JSON value (`drip::rules::RuleColumns`), for queries
/// that alias lessons as `l`.
pub const LESSON_RULES_JSON: &str = "json_object('open_rule', l.open_rule, 'open_days', l.open_days, 'open_at', l.open_at, 'close_rule', l.close_rule, 'close_days', l.close_days, 'close_at', l.close_at, 'checkpoint', l.checkpoint) AS rules";

/// The lessons an offer (`offer`, an SQL expression) leaves out of its course, as
/// comma-separated ids: `offers::levels::Level::includes` in SQL (a chosen offer includes
/// its lessons and the lessons under its modules' headings; `all` leaves nothing out).
pub fn outside_offer(offer: &str) -> String {
    format!(
        "(SELECT group_concat(ol.id) FROM offers oo JOIN lessons ol ON ol.course_id = oo.course_id AND ol.school_id = oo.school_id AND ol.deleted_at IS NULL
          WHERE oo.id = {offer} AND oo.includes = 'chosen'
            AND NOT EXISTS (SELECT 1 FROM offer_items oi WHERE oi.offer_id = oo.id
              AND ((oi.kind = 'lesson' AND oi.lesson_id = ol.id) OR (oi.kind = 'module' AND ol.module <> '' AND oi.module = ol.module))))"
    )
}

/// What the drip engine needs of an enrollment (`e`) besides its own columns
/// (`drip::rows::EnrollmentSchedule`): the checkpoint lessons passed (answer approved), the
/// offer it came through, and the lessons that offer leaves out.
pub fn student_drip_columns() -> String {
    format!(
        "(SELECT group_concat(sb.lesson_id) FROM submissions sb WHERE sb.user_id = e.user_id AND sb.course_id = e.course_id AND sb.school_id = e.school_id AND sb.status = 'approved') AS passed,
         e.offer_id, {} AS outside",
        outside_offer("e.offer_id")
    )
}

pub fn stmt(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<D1PreparedStatement, AppError> {
    Ok(db.prepare(sql).bind(args)?)
}

pub async fn first<T: DeserializeOwned>(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<Option<T>, AppError> {
    let _trip = round_trip();
    Ok(stmt(db, sql, args)?.first::<T>(None).await?)
}

pub async fn all<T: DeserializeOwned>(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<Vec<T>, AppError> {
    let _trip = round_trip();
    Ok(stmt(db, sql, args)?.all().await?.results::<T>()?)
}

pub async fn run(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<D1Result, AppError> {
    let _trip = round_trip();
    Ok(stmt(db, sql, args)?.run().await?)
}

/// Refreshes the query planner's statistics where tables changed much since the last time
/// (SQLite's `PRAGMA optimize`, with its own time limit; 0x10000: every table, not only
/// those this connection used). D1 recommends it; without statistics SQLite reads a big
/// school whole to probe a few ids. The hourly cron runs it.
pub const PLANNER_STATISTICS: &str = "PRAGMA optimize = 0x10012";

pub async fn refresh_planner_statistics(db: &D1Database) -> Result<(), AppError> {
    run(db, PLANNER_STATISTICS, &[]).await.map(|_| ())
}

/// How often a read is tried when D1 answers with a transient error.
const READ_TRIES: u32 = 3;

/// A read-only batch, tried again after a transient D1 failure. D1 (and wrangler dev's local
/// D1 on a loaded machine) can fail a query with a passing error ("Network connection lost",
/// "reset because its code was updated", "overloaded", a storage timeout); Cloudflare's
/// guidance is to retry such reads. Writes are never retried here: their effect may have
/// landed. Every failure is logged with D1's message, so a cause shows in the logs.
/// `again` makes the same statements anew (a statement is used up by its batch).
pub async fn batch_read(db: &D1Database, statements: Vec<D1PreparedStatement>, again: impl Fn() -> Result<Vec<D1PreparedStatement>, AppError>) -> Result<Vec<D1Result>, AppError> {
    let mut attempt = 0;
    let mut next = Some(statements);
    loop {
        attempt += 1;
        let _trip = round_trip();
        let statements = match next.take() {
            Some(s) => s,
            None => again()?,
        };
        match db.batch(statements).await {
            Ok(results) => return Ok(results),
            Err(e) => {
                worker::console_error!("D1 read failed (try {attempt} of {READ_TRIES}): {e}");
                if attempt >= READ_TRIES || !crate::kernel::error::is_transient_d1_error(&e.to_string()) {
                    return Err(AppError::Internal);
                }
                worker::Delay::from(std::time::Duration::from_millis(50 * 4u64.pow(attempt - 1))).await;
            }
        }
    }
}

/// Runs statements atomically in one round trip.
pub async fn batch(db: &D1Database, statements: Vec<D1PreparedStatement>) -> Result<Vec<D1Result>, AppError> {
    let _trip = round_trip();
    Ok(db.batch(statements).await?)
}

pub fn rows<T: DeserializeOwned>(result: &D1Result) -> Result<Vec<T>, AppError> {
    Ok(result.results::<T>()?)
}

/// Rows a statement wrote, as D1 counts them: *including* rows written by triggers (an
/// enrollment's insert also bumps its school's `stats_version`, migration 0021). To know
/// whether a statement itself wrote a row of a table with triggers, use `RETURNING`.
pub fn changes(result: &D1Result) -> usize {
    result.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0)
}

pub fn is_unique_violation(e: &worker::Error) -> bool {
    e.to_string().contains("UNIQUE constraint failed")
}


/// The query layer for a school's data: it knows the school, so a statement cannot forget
/// it. Statements are written in scoped SQL (`kernel::scoped_sql`: `@courses c`, `INSERT
/// INTO @t`, `UPDATE @t`), expanded once per text and bound with the school as `?1`; the
/// caller's arguments are `?2`, `?3`... Soft-deleted rows are left out unless `@t*` says
/// otherwise. Batches stay batches: a page still reads in one round trip.
pub struct SchoolDb {
    db: D1Database,
    school: SchoolKey,
}

/// How statements name the school: its id, or its subdomain when the reads ride in the
/// viewer's own batch, before the id is known (the hot pages: one round trip in all).
#[derive(Debug, Clone, PartialEq, Eq)]
enum SchoolKey {
    Id(i64),
    Slug(String),
    /// By subdomain, and only if the school's statistics moved past this version.
    SlugIfChanged(String, i64),
}

/// How a statement's text names the school (the cache key of its expansion says it too).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Naming {
    Id,
    Slug,
    SlugIfChanged,
}

thread_local! {
    /// Expanded statements by text: a feature's statements are constants (some assembled
    /// from constants), so this stays small.
    static EXPANDED: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<str>>> = std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Expanded statements an isolate keeps (every fixed statement fits many times over).
const EXPANDED_MAX: usize = 512;

fn expanded(sql: &str, naming: Naming) -> Result<std::rc::Rc<str>, AppError> {
    // The cache key says which way the school is named (a slug cannot start a statement).
    let key = match naming {
        Naming::Id => sql.to_string(),
        Naming::Slug => format!("slug:{sql}"),
        Naming::SlugIfChanged => format!("changed:{sql}"),
    };
    if let Some(done) = EXPANDED.with(|m| m.borrow().get(&key).cloned()) {
        return Ok(done);
    }
    let text = crate::kernel::scoped_sql::expand(sql).map_err(|e| {
        worker::console_error!("scoped SQL refused ({e:?}): {sql}");
        AppError::Internal
    })?;
    let text: std::rc::Rc<str> = match naming {
        Naming::Id => text.into(),
        Naming::Slug => crate::kernel::scoped_sql::school_by_slug(&text).into(),
        Naming::SlugIfChanged => crate::kernel::scoped_sql::school_by_slug_if_changed(&text).into(),
    };
    EXPANDED.with(|m| {
        let mut m = m.borrow_mut();
        // Statements built around a directory filter vary with the filter's shape: bounded,
        // but not by much; an isolate keeps the recent ones only.
        if m.len() >= EXPANDED_MAX {
            m.clear();
        }
        m.insert(key, text.clone());
    });
    Ok(text)
}

/// A second handle on the same binding (a D1 binding is a JS object).
fn handle(db: &D1Database) -> D1Database {
    use wasm_bindgen::JsCast;
    db.as_ref().clone().unchecked_into()
}

impl Clone for SchoolDb {
    fn clone(&self) -> SchoolDb {
        SchoolDb { db: handle(&self.db), school: self.school.clone() }
    }
}

impl SchoolDb {
    pub fn new(db: &D1Database, school_id: i64) -> SchoolDb {
        SchoolDb { db: handle(db), school: SchoolKey::Id(school_id) }
    }

    /// The school named by its subdomain: for reads in the viewer's batch (`?1` is then the
    /// slug, looked up in each statement).
    pub fn by_slug(db: &D1Database, slug: &str) -> SchoolDb {
        SchoolDb { db: handle(db), school: SchoolKey::Slug(slug.to_string()) }
    }

    /// `by_slug` for reads worth making only if the school's statistics changed since
    /// `version` (`schools.stats_version`, bumped by every write to what they count): an
    /// unchanged school's statements read nothing and return nothing.
    pub fn by_slug_if_changed(db: &D1Database, slug: &str, version: i64) -> SchoolDb {
        SchoolDb { db: handle(db), school: SchoolKey::SlugIfChanged(slug.to_string(), version) }
    }

    /// The school's id, when it is known (not for `by_slug`).
    pub fn school_id(&self) -> Option<i64> {
        match self.school {
            SchoolKey::Id(id) => Some(id),
            SchoolKey::Slug(_) | SchoolKey::SlugIfChanged(..) => None,
        }
    }

    /// The database itself, for code that builds its own statements (each still scoped by
    /// hand: what `layers.rs` counts as left to move here).
    pub fn d1(&self) -> &D1Database {
        &self.db
    }

    /// A statement for a batch: the school bound as `?1`, then `args` as `?2`...
    pub fn stmt(&self, sql: &str, args: &[JsValue]) -> Result<D1PreparedStatement, AppError> {
        let mut all = Vec::with_capacity(args.len() + 1);
        let naming = match &self.school {
            SchoolKey::Id(id) => {
                all.push(int(*id));
                Naming::Id
            }
            SchoolKey::Slug(slug) => {
                all.push(text(slug));
                Naming::Slug
            }
            SchoolKey::SlugIfChanged(slug, version) => {
                all.push(text(&format!("[{},{version}]", serde_json::Value::from(slug.as_str()))));
                Naming::SlugIfChanged
            }
        };
        all.extend_from_slice(args);
        stmt(&self.db, &expanded(sql, naming)?, &all)
    }

    pub async fn first<T: DeserializeOwned>(&self, sql: &str, args: &[JsValue]) -> Result<Option<T>, AppError> {
        let _trip = round_trip();
        Ok(self.stmt(sql, args)?.first::<T>(None).await?)
    }

    pub async fn all<T: DeserializeOwned>(&self, sql: &str, args: &[JsValue]) -> Result<Vec<T>, AppError> {
        let _trip = round_trip();
        Ok(self.stmt(sql, args)?.all().await?.results::<T>()?)
    }

    pub async fn run(&self, sql: &str, args: &[JsValue]) -> Result<D1Result, AppError> {
        let _trip = round_trip();
        Ok(self.stmt(sql, args)?.run().await?)
    }

    /// Statements made with `stmt`, atomically, in one round trip.
    pub async fn batch(&self, statements: Vec<D1PreparedStatement>) -> Result<Vec<D1Result>, AppError> {
        batch(&self.db, statements).await
    }
}
