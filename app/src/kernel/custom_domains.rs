//! A school's own domain (`learn.example.com`) → the school's slug, so the Worker can serve
//! the request as the school's subdomain. D1 is the truth (`schools.custom_domain`); each
//! isolate remembers answers, unknown hosts included (scanners knock often), for a minute.

use crate::kernel::db::{first, text};
use crate::kernel::error::AppError;
use std::cell::RefCell;
use std::collections::HashMap;

/// How long an isolate trusts what it read: a new or changed domain works within this delay
/// in other isolates (at once in the one that saved it).
const REMEMBER_MS: i64 = 60_000;
/// Hosts remembered at most (then forgotten all at once).
const REMEMBERED_MAX: usize = 1_000;

thread_local! {
    static KNOWN: RefCell<HashMap<String, (Option<String>, i64)>> = RefCell::new(HashMap::new());
}

/// The slug of the school whose domain `host` is (port and case aside), if any.
pub async fn slug_for(db: &worker::D1Database, host: &str, now: i64) -> Result<Option<String>, AppError> {
    let domain = host.split(':').next().unwrap_or(host).trim().to_ascii_lowercase();
    if let Some((slug, until)) = KNOWN.with(|k| k.borrow().get(&domain).cloned()) {
        if until > now {
            return Ok(slug);
        }
    }
    let row: Option<serde_json::Value> = first(db, "SELECT slug FROM schools WHERE custom_domain = ?1 AND status = 'active'", &[text(&domain)]).await?;
    let slug = row.and_then(|r| r["slug"].as_str().map(String::from));
    KNOWN.with(|k| {
        let mut k = k.borrow_mut();
        if k.len() >= REMEMBERED_MAX {
            k.clear();
        }
        k.insert(domain, (slug.clone(), now + REMEMBER_MS));
    });
    Ok(slug)
}

/// After a school's domain changed: this isolate reads every domain again.
pub fn forget() {
    KNOWN.with(|k| k.borrow_mut().clear());
}
