//! Sessions: `id.secret` cookie, only the secret's SHA-256 stored, 30-day sliding expiry with
//! a 90-day absolute limit. Validity is decided from D1 on every request, so ending a
//! session takes effect at once everywhere.

use crate::kernel::token::{constant_time_eq, hash_token, SessionToken};
use crate::kernel::error::AppError;
use crate::kernel::db::{int, text, SchoolDb};
use worker::{D1Database, D1PreparedStatement};

pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Students come back weekly: a month of inactivity before logging in again.
pub const SESSION_SLIDING_MS: i64 = 30 * DAY_MS;
/// Even an active session re-authenticates by email every quarter.
pub const SESSION_ABSOLUTE_MS: i64 = 90 * DAY_MS;
/// Renew at most daily, so reading a lesson rarely costs a write.
pub const RENEW_AFTER_MS: i64 = DAY_MS;

pub struct NewSession {
    pub token: SessionToken,
    pub insert: D1PreparedStatement,
    pub max_age_secs: i64,
}

/// The insert of a new session, for the batch that claims `login_request_id`: it only
/// applies if that claim marked the request with this session's id (see `login::server`).
pub fn create(sdb: &crate::kernel::db::SchoolDb, user_id: i64, now: i64, user_agent: &str, login_request_id: &str) -> Result<NewSession, AppError> {
    let token = SessionToken::generate();
    let insert = sdb.stmt(
        "INSERT INTO @sessions (id, user_id, secret_hash, created_at, last_seen_at, expires_at, absolute_expires_at, user_agent)
         SELECT ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8
         WHERE EXISTS (SELECT 1 FROM @login_requests WHERE id = ?9 AND (consumed_session = ?2 OR finished_session = ?2))",
        &[
            text(&token.id),
            int(user_id),
            text(&token.secret_hash()),
            int(now),
            int(now + SESSION_SLIDING_MS),
            int(now + SESSION_ABSOLUTE_MS),
            text(&user_agent.chars().take(300).collect::<String>()),
            text(login_request_id),
        ],
    )?;
    Ok(NewSession { token, insert, max_age_secs: SESSION_SLIDING_MS / 1000 })
}

/// The session columns of the per-request lookup.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub secret_hash: String,
    pub expires_at: i64,
    pub absolute_expires_at: i64,
    pub last_seen_at: i64,
    pub revoked: bool,
}

pub enum Verdict {
    Valid { renew_to: Option<i64> },
    Invalid,
}

pub fn judge(token: &SessionToken, row: &SessionRow, now: i64) -> Verdict {
    let secret_ok = constant_time_eq(&hash_token(&token.secret), &row.secret_hash);
    if !secret_ok || row.revoked || now >= row.expires_at || now >= row.absolute_expires_at {
        return Verdict::Invalid;
    }
    let renew_to = (now - row.last_seen_at >= RENEW_AFTER_MS).then(|| (now + SESSION_SLIDING_MS).min(row.absolute_expires_at));
    Verdict::Valid { renew_to }
}

pub async fn renew(db: &D1Database, session_id: &str, school_id: i64, now: i64, expires_at: i64) -> Result<(), AppError> {
    SchoolDb::new(db, school_id)
        .run("UPDATE @sessions SET last_seen_at = ?2, expires_at = ?3 WHERE id = ?4 AND revoked_at IS NULL", &[int(now), int(expires_at), text(session_id)])
        .await?;
    Ok(())
}

pub async fn revoke(db: &D1Database, session_id: &str, school_id: i64, now: i64) -> Result<(), AppError> {
    SchoolDb::new(db, school_id).run("UPDATE @sessions SET revoked_at = ?2 WHERE id = ?3 AND revoked_at IS NULL", &[int(now), text(session_id)]).await?;
    Ok(())
}

/// Every session of one account: "log out everywhere", or a creator ending a student's.
pub async fn revoke_all(db: &D1Database, school_id: i64, user_id: i64, now: i64) -> Result<usize, AppError> {
    let result = SchoolDb::new(db, school_id).run("UPDATE @sessions SET revoked_at = ?2 WHERE user_id = ?3 AND revoked_at IS NULL", &[int(now), int(user_id)]).await?;
    Ok(crate::kernel::db::changes(&result))
}
