//! Email login, step by step: issue a code and a link (stored hashed), check a typed code,
//! consume a link, and open a session. Each step reads top-down: load, decide, write.

use crate::domain::email::Email;
use crate::domain::token::{self, constant_time_eq, hash_login_code, hash_token, LOGIN_TTL_MINUTES, MAX_CODE_ATTEMPTS};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::db::{all, batch, changes, first, int, run, stmt, text};
use crate::server::mail::{enqueue, login_email};
use crate::server::request::RequestContext;
use crate::server::session;
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

pub const LOGIN_TTL_MS: i64 = LOGIN_TTL_MINUTES * 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Login,
    Signup,
    Invite,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Login => "login",
            Purpose::Signup => "signup",
            Purpose::Invite => "invite",
        }
    }
    fn subject_key(self) -> &'static str {
        match self {
            Purpose::Login => "mail_login_subject",
            Purpose::Signup => "mail_signup_subject",
            Purpose::Invite => "mail_invite_subject",
        }
    }
}

#[derive(Deserialize)]
struct UserRow {
    id: i64,
    status: String,
    locale: Option<String>,
}

/// Statements that create a login request and its email. The caller adds them to its own
/// batch, so the request and the email exist together or not at all.
pub fn issue(
    db: &D1Database,
    ctx: &RequestContext,
    school_id: i64,
    school_slug: &str,
    school_name: &str,
    user_id: Option<i64>,
    email: &Email,
    locale: Locale,
    purpose: Purpose,
) -> Result<Vec<D1PreparedStatement>, AppError> {
    let request_id = token::new_public_id();
    let code = token::new_login_code();
    let link_token = token::new_link_token();
    let now = ctx.now_ms;
    let mut statements = vec![stmt(
        db,
        "INSERT INTO login_requests (id, school_id, user_id, email, purpose, code_hash, link_hash, created_at, expires_at, ip, user_agent)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &[
            text(&request_id),
            int(school_id),
            crate::server::db::opt_int(user_id),
            text(email.as_str()),
            text(purpose.as_str()),
            text(&hash_login_code(&ctx.config.pepper, &request_id, &code)),
            text(&hash_token(&link_token)),
            int(now),
            int(now + LOGIN_TTL_MS),
            text(&ctx.ip),
            text(&ctx.user_agent),
        ],
    )?];
    // Unknown emails get the same work and the same answer, but no email.
    if user_id.is_some() {
        let link = format!("{}/login/link/{}", ctx.config.school_url(school_slug), link_token);
        let mail = login_email(locale, email.as_str(), school_name, purpose.subject_key(), &code, &link, purpose.as_str());
        statements.push(enqueue(db, Some(school_id), &mail, now)?);
    }
    Ok(statements)
}

/// "Send me a code" on a school.
pub async fn request_code(db: &D1Database, ctx: &RequestContext, email: &Email) -> Result<(), AppError> {
    let school = ctx.viewer.school.as_ref().ok_or(AppError::NotFound)?;
    let user: Option<UserRow> = first(
        db,
        "SELECT id, status, locale FROM users WHERE school_id = ?1 AND email = ?2",
        &[int(school.id), text(email.as_str())],
    )
    .await?;
    let user = user.filter(|u| u.status == "active");
    let locale = user.as_ref().and_then(|u| u.locale.as_deref()).and_then(Locale::parse).unwrap_or(ctx.viewer.locale);
    let statements = issue(db, ctx, school.id, &school.slug, &school.name, user.map(|u| u.id), email, locale, Purpose::Login)?;
    batch(db, statements).await?;
    Ok(())
}

#[derive(Deserialize)]
struct PendingRequest {
    id: String,
    user_id: i64,
    code_hash: String,
    attempts: i64,
    role: String,
    user_status: String,
}

pub struct LoggedIn {
    pub set_cookie: String,
    pub is_owner: bool,
}

/// Checks a typed code against every live request for this email on this school: any code
/// received in the last 10 minutes works, in any browser.
pub async fn verify_code(db: &D1Database, ctx: &RequestContext, email: &Email, code: &str) -> Result<LoggedIn, AppError> {
    let school = ctx.viewer.school.as_ref().ok_or(AppError::NotFound)?;
    let now = ctx.now_ms;
    let live: Vec<PendingRequest> = all(
        db,
        "SELECT l.id, l.user_id, l.code_hash, l.attempts, u.role, u.status AS user_status
         FROM login_requests l JOIN users u ON u.id = l.user_id AND u.school_id = l.school_id
         WHERE l.school_id = ?1 AND l.email = ?2 AND l.consumed_at IS NULL AND l.expires_at > ?3
         ORDER BY l.created_at DESC LIMIT 5",
        &[int(school.id), text(email.as_str()), int(now)],
    )
    .await?;
    let usable: Vec<&PendingRequest> = live.iter().filter(|r| r.attempts < MAX_CODE_ATTEMPTS).collect();
    if usable.is_empty() {
        return Err(AppError::Invalid(if live.is_empty() { "code_expired" } else { "code_locked" }.into()));
    }
    // Compare against every candidate (no early exit), each in constant time.
    let mut matched: Option<&PendingRequest> = None;
    for r in &usable {
        let candidate = hash_login_code(&ctx.config.pepper, &r.id, code);
        if constant_time_eq(&candidate, &r.code_hash) && matched.is_none() {
            matched = Some(r);
        }
    }
    let Some(request) = matched else {
        let ids: Vec<String> = usable.iter().map(|r| r.id.clone()).collect();
        let statements = ids
            .iter()
            .map(|id| stmt(db, "UPDATE login_requests SET attempts = attempts + 1 WHERE id = ?1 AND school_id = ?2", &[text(id), int(school.id)]))
            .collect::<Result<Vec<_>, _>>()?;
        batch(db, statements).await?;
        let locked = usable.iter().all(|r| r.attempts + 1 >= MAX_CODE_ATTEMPTS);
        return Err(AppError::Invalid(if locked { "code_locked" } else { "code_wrong" }.into()));
    };
    let user = Account { id: request.user_id, role: request.role.clone(), status: request.user_status.clone() };
    consume_and_open_session(db, ctx, school.id, &request.id, &user).await
}

#[derive(Deserialize)]
struct LinkRow {
    id: String,
    user_id: Option<i64>,
    email: String,
    expires_at: i64,
    consumed_at: Option<i64>,
    role: Option<String>,
    user_status: Option<String>,
}

async fn find_link(db: &D1Database, school_id: i64, link_token: &str) -> Result<Option<LinkRow>, AppError> {
    if link_token.len() != 64 || !link_token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    first(
        db,
        "SELECT l.id, l.user_id, l.email, l.expires_at, l.consumed_at, u.role, u.status AS user_status
         FROM login_requests l LEFT JOIN users u ON u.id = l.user_id AND u.school_id = l.school_id
         WHERE l.link_hash = ?1 AND l.school_id = ?2",
        &[text(&hash_token(link_token)), int(school_id)],
    )
    .await
}

/// What the confirm page may say about a link, without consuming it (scanners GET links).
pub async fn describe_link(db: &D1Database, ctx: &RequestContext, link_token: &str) -> Result<Option<String>, AppError> {
    let school = ctx.viewer.school.as_ref().ok_or(AppError::NotFound)?;
    let row = find_link(db, school.id, link_token).await?;
    Ok(row
        .filter(|r| r.consumed_at.is_none() && r.expires_at > ctx.now_ms && r.user_id.is_some())
        .map(|r| Email::parse(&r.email).map(|e| e.masked()).unwrap_or_default()))
}

/// The POST from the confirm page: consumes the link and logs this browser in.
pub async fn confirm_link(db: &D1Database, ctx: &RequestContext, link_token: &str) -> Result<LoggedIn, AppError> {
    let school = ctx.viewer.school.as_ref().ok_or(AppError::NotFound)?;
    let row = find_link(db, school.id, link_token).await?;
    match row {
        Some(r) if r.consumed_at.is_none() && r.expires_at > ctx.now_ms => match (r.user_id, r.role, r.user_status) {
            (Some(id), Some(role), Some(status)) => consume_and_open_session(db, ctx, school.id, &r.id, &Account { id, role, status }).await,
            _ => Err(AppError::Invalid("link_used".into())),
        },
        _ => Err(AppError::Invalid("link_used".into())),
    }
}

/// The account a login request belongs to, loaded with the request itself.
struct Account {
    id: i64,
    role: String,
    status: String,
}

/// Two round trips: the single-use consume (its row count decides), then one batch.
async fn consume_and_open_session(db: &D1Database, ctx: &RequestContext, school_id: i64, request_id: &str, user: &Account) -> Result<LoggedIn, AppError> {
    let now = ctx.now_ms;
    if user.status != "active" {
        return Err(AppError::Forbidden);
    }
    let user_id = user.id;
    // Single use: only the first consumer changes the row.
    let consumed = run(
        db,
        "UPDATE login_requests SET consumed_at = ?1 WHERE id = ?2 AND school_id = ?3 AND consumed_at IS NULL AND expires_at > ?1",
        &[int(now), text(request_id), int(school_id)],
    )
    .await?;
    if changes(&consumed) != 1 {
        return Err(AppError::Invalid("link_used".into()));
    }
    let new_session = session::create(db, school_id, user_id, now, &ctx.user_agent)?;
    let mut statements = vec![
        new_session.insert,
        stmt(db, "UPDATE users SET last_login_at = ?1 WHERE id = ?2 AND school_id = ?3", &[int(now), int(user_id), int(school_id)])?,
    ];
    let is_owner = user.role == "owner";
    if is_owner {
        // Confirming the creator's email is what opens a new school.
        statements.push(stmt(db, "UPDATE schools SET status = 'active' WHERE id = ?1 AND status = 'pending'", &[int(school_id)])?);
    }
    // A new session on every login: a session id planted before login is never reused.
    if let Some(old) = &ctx.session_id {
        statements.push(stmt(db, "UPDATE sessions SET revoked_at = ?1 WHERE id = ?2 AND school_id = ?3", &[int(now), text(old), int(school_id)])?);
    }
    batch(db, statements).await?;
    Ok(LoggedIn {
        set_cookie: crate::server::cookies::set(crate::server::cookies::SESSION_COOKIE, &new_session.token.cookie_value(), new_session.max_age_secs),
        is_owner,
    })
}
