//! A school's public content version: every change a visitor could see (a lesson, a course,
//! the school's name or colour, a trial switched on or off) bumps `schools.embed_version`
//! in D1, so edge caches keyed by it (the trial embeds) are superseded, never rewritten.
//!
//! KV keeps `embed-version:{slug}`, a copy of that number, and an isolate trusts the version
//! it last read for `VERSION_MEMO_MS`.

use crate::kernel::db::{first, int};
use crate::kernel::error::AppError;
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::HashMap;
use worker::{D1Database, Env, KvStore};

/// How long an isolate trusts the version it last read from KV before reading it again.
pub const VERSION_MEMO_MS: i64 = 5_000;
/// Cached versions expire: a version written by a reader that raced an edit (the one write
/// that could go back in time) lives at most this long.
pub const VERSION_TTL_S: u64 = 3_600;

thread_local! {
    /// slug → (version, when it was read).
    static VERSIONS: RefCell<HashMap<String, (i64, i64)>> = RefCell::new(HashMap::new());
}

fn key(slug: &str) -> String {
    format!("embed-version:{slug}")
}

/// The version this isolate read less than `VERSION_MEMO_MS` ago.
pub fn remembered(slug: &str, now: i64) -> Option<i64> {
    VERSIONS.with(|m| m.borrow().get(slug).filter(|(_, at)| now - at < VERSION_MEMO_MS).map(|(v, _)| *v))
}

pub fn remember(slug: &str, version: i64, now: i64) {
    VERSIONS.with(|m| m.borrow_mut().insert(slug.to_string(), (version, now)));
}

/// Drops every remembered version (after an edit made elsewhere, or for a benchmark).
pub fn forget() {
    VERSIONS.with(|m| m.borrow_mut().clear());
}

/// The version KV holds. A KV failure is a miss, not an error: D1 can still answer.
pub async fn cached(kv: &KvStore, slug: &str) -> Option<i64> {
    kv.get(&key(slug)).text().await.ok().flatten().and_then(|v| v.parse::<i64>().ok())
}

/// Keeps a version read from D1 in KV (only when KV had none: an edit writes its own).
pub async fn store(kv: &KvStore, slug: &str, version: i64) {
    if let Ok(put) = kv.put(&key(slug), version.to_string()) {
        let _ = put.expiration_ttl(VERSION_TTL_S).execute().await;
    }
}

#[derive(Deserialize)]
struct Bumped {
    slug: String,
    embed_version: i64,
}

/// After any change a visitor could see: a new version. The content is already in D1.
pub async fn bump(env: &Env, db: &D1Database, school_id: i64, now: i64) -> Result<(), AppError> {
    let bumped: Option<Bumped> = first(db, "UPDATE schools SET embed_version = embed_version + 1 WHERE id = ?1 RETURNING slug, embed_version", &[int(school_id)]).await?;
    let Some(b) = bumped else { return Ok(()) };
    remember(&b.slug, b.embed_version, now);
    // If KV refuses the write (at most one write per key per second), the version it holds
    // expires within VERSION_TTL_S; log it so it is seen.
    let written = match env.kv("CACHE").map_err(|e| e.to_string()).and_then(|kv| kv.put(&key(&b.slug), b.embed_version.to_string()).map_err(|e| e.to_string())) {
        Ok(put) => put.expiration_ttl(VERSION_TTL_S).execute().await.map_err(|e| e.to_string()),
        Err(e) => Err(e),
    };
    if let Err(e) = written {
        worker::console_error!("content version for {} not cached: {e}", b.slug);
    }
    Ok(())
}

/// The version D1 holds, kept in KV and remembered here: for a reader that found none
/// (`None`: no such school).
pub async fn load(env: &Env, db: &D1Database, slug: &str, now: i64) -> Option<i64> {
    let row: Option<serde_json::Value> = first(db, "SELECT embed_version FROM schools WHERE slug = ?1", &[wasm_bindgen::JsValue::from_str(slug)]).await.ok()?;
    let version = row?["embed_version"].as_i64()?;
    if let Ok(kv) = env.kv("CACHE") {
        store(&kv, slug, version).await;
    }
    remember(slug, version, now);
    Some(version)
}
