//! Trial-lesson embeds at the edge: a school's live trial lessons, cached under versioned
//! keys, and the daily view and call-to-action counts.
//!
//! D1 holds the truth, including `schools.embed_version`, which every change an embed shows
//! bumps (`kernel::content_version`, which also keeps that number in KV and in memory), and
//! KV `embeds:{slug}:{version}` (the school's trial lessons as read at that version). A cached
//! entry is never rewritten, only superseded: a reader that raced an edit can at worst store
//! an entry under the old version, which nobody reads again. An isolate also keeps recent
//! entries in memory (immutable, so always right for their version) and trusts the version
//! it last read for `content_version::VERSION_MEMO_MS`.
//!
//! Freshness: the isolate that made an edit serves it at once; other locations within
//! `VERSION_MEMO_MS` plus KV's propagation (up to about a minute). That includes a
//! regenerated embed id: old embeds stop within about a minute everywhere.

use crate::features::trial::render::{EmbedSchool, TrialLesson};
use crate::kernel::content_version;
use crate::kernel::error::AppError;
use crate::kernel::db::{batch, int, rows, text, SchoolDb};
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use worker::{D1Database, Env};

/// Superseded entries are left to expire rather than deleted.
pub const ENTRY_TTL_S: u64 = 86_400;
/// Entries an isolate keeps in memory (schools with embeds viewed on it).
const MEMO_ENTRIES: usize = 64;

/// Where an embed's data came from: the `x-atelier-cache` response header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheStatus {
    /// This isolate's memory: no I/O at all.
    Memory,
    /// KV: the version and the entry.
    Kv,
    /// Read from D1 and stored in KV.
    Miss,
}

impl CacheStatus {
    pub fn header(self) -> &'static str {
        match self {
            CacheStatus::Memory => "hit-memory",
            CacheStatus::Kv => "hit-kv",
            CacheStatus::Miss => "miss",
        }
    }
}

thread_local! {
    /// `embeds:{slug}:{version}` → entry (immutable: always right for its version).
    static ENTRIES: RefCell<HashMap<String, Rc<EmbedSchool>>> = RefCell::new(HashMap::new());
}

fn entry_key(slug: &str, version: i64) -> String {
    format!("embeds:{slug}:{version}")
}

fn remember(slug: &str, version: i64, now: i64, entry: Option<Rc<EmbedSchool>>) {
    content_version::remember(slug, version, now);
    if let Some(entry) = entry {
        ENTRIES.with(|m| {
            let mut m = m.borrow_mut();
            if m.len() >= MEMO_ENTRIES {
                m.clear();
            }
            m.insert(entry_key(slug, version), entry);
        });
    }
}

fn remembered_entry(slug: &str, version: i64) -> Option<Rc<EmbedSchool>> {
    ENTRIES.with(|m| m.borrow().get(&entry_key(slug, version)).cloned())
}

/// Empties this isolate's memory (dev only: the benchmark measures a KV hit, as a fresh
/// isolate would see it).
pub fn forget_memory() {
    content_version::forget();
    ENTRIES.with(|m| m.borrow_mut().clear());
}

fn kv(env: &Env) -> Result<worker::KvStore, AppError> {
    Ok(env.kv("CACHE")?)
}

/// The school's live trial lessons, from the nearest cache that has the current version.
/// `None`: no such school.
pub async fn school_embeds(env: &Env, slug: &str, now: i64) -> Result<Option<(Rc<EmbedSchool>, CacheStatus)>, AppError> {
    let memo_version = content_version::remembered(slug, now);
    if let Some(version) = memo_version {
        if let Some(entry) = remembered_entry(slug, version) {
            return Ok(Some((entry, CacheStatus::Memory)));
        }
    }
    let kv = kv(env)?;
    let version = match memo_version {
        Some(v) => Some(v),
        // A KV failure is a miss, not an error: D1 can still answer.
        None => content_version::cached(&kv, slug).await,
    };
    if let Some(version) = version {
        // The version was re-read (its memo aged): the entry may still be in memory.
        if let Some(entry) = remembered_entry(slug, version) {
            remember(slug, version, now, None);
            return Ok(Some((entry, CacheStatus::Memory)));
        }
        let cached = kv.get(&entry_key(slug, version)).text().await.ok().flatten();
        if let Some(entry) = cached.and_then(|json| serde_json::from_str::<EmbedSchool>(&json).ok()) {
            let entry = Rc::new(entry);
            remember(slug, version, now, Some(entry.clone()));
            return Ok(Some((entry, CacheStatus::Kv)));
        }
    }
    let db = env.d1("DB")?;
    let Some(entry) = load(&db, slug).await? else { return Ok(None) };
    let entry = Rc::new(entry);
    if let Ok(json) = serde_json::to_string(&*entry) {
        if let Ok(put) = kv.put(&entry_key(slug, entry.version), json) {
            let _ = put.expiration_ttl(ENTRY_TTL_S).execute().await;
        }
    }
    // Only a missing version is written by a reader; an edit always writes its own.
    if version.is_none() {
        content_version::store(&kv, slug, entry.version).await;
    }
    remember(slug, entry.version, now, Some(entry.clone()));
    Ok(Some((entry, CacheStatus::Miss)))
}

#[derive(Deserialize)]
struct SchoolRow {
    id: i64,
    slug: String,
    name: String,
    brand_color: String,
    default_locale: String,
    time_zone: String,
    embed_sites: String,
    embed_version: i64,
}

/// One round trip: the school and its live trial lessons (a trial lesson, published, in a
/// published course, neither deleted).
async fn load(db: &D1Database, slug: &str) -> Result<Option<EmbedSchool>, AppError> {
    let sdb = SchoolDb::by_slug(db, slug);
    let results = sdb
        .batch(vec![
            sdb.stmt("SELECT id, slug, name, brand_color, default_locale, time_zone, embed_sites, embed_version FROM schools WHERE id = ?1", &[])?,
            sdb.stmt(
                "SELECT l.embed_id, l.id AS lesson_id, l.title, l.content_html AS html, c.title AS course_title, c.slug AS course_slug,
                    (SELECT json_group_array(json_array(b.block_json, b.html)) FROM (SELECT lb.block_json, lb.html FROM @lesson_blocks lb WHERE lb.lesson_id = l.id ORDER BY lb.position, lb.id) b) AS blocks
                 FROM @lessons l JOIN @courses c ON c.id = l.course_id
                 WHERE l.trial = 1 AND l.embed_id IS NOT NULL AND l.status = 'published' AND c.status = 'published'
                 ORDER BY l.id",
                &[],
            )?,
        ])
        .await?;
    let Some(school) = rows::<SchoolRow>(&results[0])?.into_iter().next() else { return Ok(None) };
    let lessons = rows::<TrialLesson>(&results[1])?;
    // A list that no longer parses (it was valid when saved) frames nowhere rather than anywhere.
    let frame_ancestors = crate::features::trial::rules::FramingPolicy::parse(&school.embed_sites)
        .map(|p| p.frame_ancestors())
        .unwrap_or_else(|_| "frame-ancestors 'none'".to_string());
    Ok(Some(EmbedSchool {
        school_id: school.id,
        slug: school.slug,
        name: school.name,
        brand_color: school.brand_color,
        locale: school.default_locale,
        time_zone: school.time_zone,
        frame_ancestors,
        version: school.embed_version,
        lessons,
    }))
}

/// What a visitor did with a trial lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    View,
    CallToAction,
}

/// Views and clicks wait this long in the isolate, then go to D1 together: one write per
/// isolate per interval, not one per view (a write per view doubled an embed's latency).
pub const COUNT_FLUSH_MS: u64 = 1_000;

/// (school, lesson, the school's day) → (views, clicks) not yet in D1.
type PendingCounts = HashMap<(i64, i64, String), (i64, i64)>;

#[derive(Default)]
struct Pending {
    counts: PendingCounts,
    flush_scheduled: bool,
}

thread_local! {
    static PENDING: RefCell<Pending> = RefCell::new(Pending::default());
}

/// Adds one view or click (the school's day). `true`: no flush is scheduled yet, the caller
/// schedules one (`flush_counts` after `COUNT_FLUSH_MS`, kept alive by `waitUntil`).
pub fn record(school: &EmbedSchool, lesson_id: i64, what: Counted, now: i64) -> bool {
    let day = crate::kernel::time::local_day(now, &school.time_zone);
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        let entry = p.counts.entry((school.school_id, lesson_id, day)).or_default();
        match what {
            Counted::View => entry.0 += 1,
            Counted::CallToAction => entry.1 += 1,
        }
        !std::mem::replace(&mut p.flush_scheduled, true)
    })
}

/// Writes every pending count in one D1 batch (aggregated: one row per lesson per day). On
/// failure the counts go back to wait for the next flush.
pub async fn flush_counts(db: &D1Database) -> Result<(), AppError> {
    let counts = PENDING.with(|p| {
        let mut p = p.borrow_mut();
        p.flush_scheduled = false;
        std::mem::take(&mut p.counts)
    });
    if counts.is_empty() {
        return Ok(());
    }
    let statements = counts
        .iter()
        .map(|((school_id, lesson_id, day), (views, clicks))| {
            // The isolate's counts may be several schools': each row is written as its own.
            SchoolDb::new(db, *school_id).stmt(
                "INSERT INTO @embed_stats (lesson_id, day, views, cta_clicks) VALUES (?2, ?3, ?4, ?5)
                 ON CONFLICT (lesson_id, day) DO UPDATE SET views = views + excluded.views, cta_clicks = cta_clicks + excluded.cta_clicks",
                &[int(*lesson_id), text(day), int(*views), int(*clicks)],
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Err(e) = batch(db, statements).await {
        PENDING.with(|p| {
            let mut p = p.borrow_mut();
            for (key, (views, clicks)) in counts {
                let entry = p.counts.entry(key).or_default();
                entry.0 += views;
                entry.1 += clicks;
            }
        });
        return Err(e);
    }
    Ok(())
}

