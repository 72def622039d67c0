//! Email login, step by step: ask for a code (or resend it), type it, open a link, confirm,
//! and finish on the device that asked. Each step reads top-down: one batch of reads, a
//! decision in plain Rust, one batch of writes.
//!
//! What makes it hold up in real inboxes:
//! - a link GET (mail scanners, previews) only records a view; only the confirm POST logs in;
//! - a code works in any browser for that email and school, and every code sent in the last
//!   10 minutes works: a resend sends the same code and link again (they are derived from a
//!   seed with the server key, so D1 stores only hashes);
//! - the browser that asked holds a login cookie; it may finish a login confirmed elsewhere
//!   only when the confirmer chose "also log in on that device";
//! - limits are counted in D1 from the event log, the same way for known and unknown emails.

use crate::kernel::email::Email;
use crate::features::login::throttle::{self, Limit, RetryAt, EMAILS_PER_ADDRESS, REQUESTS_PER_IP, WRONG_CODES_PER_ACCOUNT};
use crate::kernel::token::{self, constant_time_eq, derive_login_secrets, hash_login_code, hash_token, SessionToken, LOGIN_TTL_MINUTES, MAX_CODE_ATTEMPTS};
use crate::kernel::error::AppError;
use crate::kernel::i18n::Locale;
use crate::kernel::cookies::{self, LOGIN_COOKIE};
use crate::features::login::types::{LinkState, WaitStatus, Waiting};
use crate::kernel::db::{batch, changes, int, opt_int, rows, stmt, text, SchoolDb};
use crate::kernel::mail::{enqueue, login_email, no_account_email};
use crate::kernel::request::RequestContext;
pub use crate::features::emails::compose::Letter;
use crate::kernel::session::{self, DAY_MS};
use crate::kernel::states::AccountStatus;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

pub const LOGIN_TTL_MS: i64 = LOGIN_TTL_MINUTES * 60_000;
/// Invitations and access reminders are read days later: their link lives a week.
pub const PERSONAL_LINK_TTL_MS: i64 = 7 * DAY_MS;

/// Why a login request was made: stored in `login_requests.purpose` (a closed set, checked
/// on both sides); what each sends is decided here.
pub use crate::kernel::states::LoginPurpose as Purpose;

impl Purpose {
    fn subject_key(self) -> &'static str {
        match self {
            Purpose::Login => "mail_login_subject",
            Purpose::Signup => "mail_signup_subject",
            Purpose::Invite => "mail_invite_subject",
            Purpose::Reminder => "mail_reminder_subject",
            Purpose::Digest => "mail_digest_subject",
        }
    }
    /// An invitation carries a code too (typed on the login page, in any browser); it lives
    /// as long as the link. Reminders and digests are link only.
    fn has_code(self) -> bool {
        matches!(self, Purpose::Login | Purpose::Signup | Purpose::Invite)
    }
    fn ttl_ms(self) -> i64 {
        match self {
            Purpose::Login | Purpose::Signup => LOGIN_TTL_MS,
            Purpose::Invite | Purpose::Reminder | Purpose::Digest => PERSONAL_LINK_TTL_MS,
        }
    }
    fn sent_event(self) -> &'static str {
        match self {
            Purpose::Login | Purpose::Signup => "code_sent",
            Purpose::Invite => "invite_sent",
            Purpose::Reminder => "reminder_sent",
            Purpose::Digest => "digest_sent",
        }
    }
}

/// Why a login step did not go through: a message key, and for limits, when to retry.
#[derive(Debug, Clone, PartialEq)]
pub enum LoginFailure {
    Refused(&'static str),
    Throttled(&'static str, RetryAt),
}

impl LoginFailure {
    /// The message key, and for a limit when to try again (unix ms).
    pub fn key_and_retry(&self) -> (&'static str, Option<i64>) {
        match self {
            LoginFailure::Refused(key) => (key, None),
            LoginFailure::Throttled(key, at) => (key, Some(at.0)),
        }
    }
}

impl From<AppError> for LoginFailureOr {
    fn from(e: AppError) -> Self {
        LoginFailureOr::Error(e)
    }
}

/// A step's error: a failure the person is told about, or a fault (storage down...).
#[derive(Debug)]
pub enum LoginFailureOr {
    Failure(LoginFailure),
    Error(AppError),
}

type Step<T> = Result<T, LoginFailureOr>;

fn refuse<T>(key: &'static str) -> Step<T> {
    Err(LoginFailureOr::Failure(LoginFailure::Refused(key)))
}

/// The school a step runs on, with what the login emails need.
pub struct SchoolRef<'a> {
    pub id: i64,
    pub slug: &'a str,
    pub name: &'a str,
}

/// A login event: the timeline's row, and what the limits count.
pub fn event(sdb: &SchoolDb, ctx: &RequestContext, email: &str, request_id: Option<&str>, kind: &str, detail: &str) -> Result<D1PreparedStatement, AppError> {
    sdb.stmt(
        "INSERT INTO @login_events (email, request_id, kind, at, ip, user_agent, had_cookies, detail)
         VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[
            text(email),
            request_id.map(text).unwrap_or(JsValue::NULL),
            text(kind),
            int(ctx.now_ms),
            text(&ctx.ip),
            text(&ctx.user_agent),
            int(ctx.had_cookies as i64),
            text(detail),
        ],
    )
}

/// A new login request and its email, as statements for the caller's batch (so the request,
/// its email and its event exist together or not at all). Returns the browser cookie that
/// binds the request to the browser that asked.
pub fn issue(
    db: &D1Database,
    ctx: &RequestContext,
    school: &SchoolRef,
    user_id: Option<i64>,
    email: &Email,
    locale: Locale,
    purpose: Purpose,
    notify_unknown: bool,
) -> Result<(Vec<D1PreparedStatement>, SessionToken), AppError> {
    issue_with_letter(db, ctx, school, user_id, email, locale, purpose, notify_unknown, None, None)
}

/// `issue`, with a paragraph (text, HTML) before the login part of the email: the digest's
/// list of lessons.
#[allow(clippy::too_many_arguments)]
pub fn issue_with_letter(
    db: &D1Database,
    ctx: &RequestContext,
    school: &SchoolRef,
    user_id: Option<i64>,
    email: &Email,
    locale: Locale,
    purpose: Purpose,
    notify_unknown: bool,
    letter: Option<&Letter>,
    next_path: Option<&str>,
) -> Result<(Vec<D1PreparedStatement>, SessionToken), AppError> {
    issue_request(db, ctx, school, user_id, email, locale, purpose, notify_unknown, letter, next_path, None)
}

#[allow(clippy::too_many_arguments)]
fn issue_request(
    db: &D1Database,
    ctx: &RequestContext,
    school: &SchoolRef,
    user_id: Option<i64>,
    email: &Email,
    locale: Locale,
    purpose: Purpose,
    notify_unknown: bool,
    letter: Option<&Letter>,
    next_path: Option<&str>,
    join: Option<&Join>,
) -> Result<(Vec<D1PreparedStatement>, SessionToken), AppError> {
    let sdb = SchoolDb::new(db, school.id);
    let (insert, ticket) = insert_request(&sdb, ctx, user_id, email, purpose, next_path, join)?;
    let request_id = ticket.id.clone();
    let now = ctx.now_ms;
    let mut statements = vec![insert];
    let detail = match (user_id, notify_unknown) {
        (Some(_), _) => "",
        (None, true) => "no_account_notified",
        (None, false) => "no_account",
    };
    statements.push(event(&sdb, ctx, email.as_str(), Some(&request_id), purpose.sent_event(), detail)?);
    // An unknown email gets the same work and the same answer; an email only if the school
    // chose to tell people they have no account here.
    if user_id.is_some() {
        statements.push(login_mail(db, ctx, school, email, locale, purpose, &request_id, letter)?);
    } else if notify_unknown {
        statements.push(enqueue(db, Some(school.id), &no_account_email(locale, email.as_str(), school.name, &ctx.config.school_url(school.slug)), now)?);
    }
    Ok((statements, ticket))
}

/// A sign-up through an offer (`offers::api`): once the login request's code or link is
/// used, the account is enrolled in `course_id` through `offer_id` (if the offer is still
/// open with a seat left), and the browser goes to `next`.
#[derive(Debug, Clone)]
pub struct Join {
    pub offer_id: i64,
    pub course_id: i64,
    /// Decided when the visitor asked: the start (a cohort's first day, or `None`: when the
    /// email is confirmed) and the end (the offer's access length from that start).
    pub access_start: Option<i64>,
    pub access_end: Option<i64>,
    pub next: String,
}

/// The login request row itself: random id, seed, hashes of what the email will carry.
fn insert_request(sdb: &SchoolDb, ctx: &RequestContext, user_id: Option<i64>, email: &Email, purpose: Purpose, next_path: Option<&str>, join: Option<&Join>) -> Result<(D1PreparedStatement, SessionToken), AppError> {
    let ticket = SessionToken::generate();
    let request_id = ticket.id.clone();
    let seed = token::new_login_seed();
    let secrets = derive_login_secrets(&ctx.config.pepper, &request_id, &seed);
    let now = ctx.now_ms;
    let code_hash = purpose.has_code().then(|| hash_login_code(&ctx.config.pepper, &request_id, &secrets.code));
    let insert = sdb.stmt(
        "INSERT INTO @login_requests (id, user_id, email, purpose, seed, code_hash, link_hash, browser_hash, created_at, expires_at, last_sent_at, ip, user_agent, next_path,
            join_offer_id, join_course_id, join_access_end, join_access_start)
         VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        &[
            text(&request_id),
            opt_int(user_id),
            text(email.as_str()),
            text(purpose.as_str()),
            text(&seed),
            code_hash.as_deref().map(text).unwrap_or(JsValue::NULL),
            text(&hash_token(&secrets.link_token)),
            if purpose == Purpose::Login { text(&ticket.secret_hash()) } else { JsValue::NULL },
            int(now),
            int(now + purpose.ttl_ms()),
            text(&ctx.ip),
            text(&ctx.user_agent),
            join.map(|j| j.next.as_str()).or(next_path).map(text).unwrap_or(JsValue::NULL),
            opt_int(join.map(|j| j.offer_id)),
            opt_int(join.map(|j| j.course_id)),
            opt_int(join.and_then(|j| j.access_end)),
            opt_int(join.and_then(|j| j.access_start)),
        ],
    )?;
    Ok((insert, ticket))
}

/// A personal login link (7 days) inside an email the caller writes — a bulk email whose
/// template uses `{{login_link}}`, a review's email —: the request and its event; the
/// caller's email carries `LINK_PLACEHOLDER` and the returned request id. `next_path`: where
/// the link leads once used.
pub fn issue_link_for_email(db: &D1Database, ctx: &RequestContext, school: &SchoolRef, user_id: i64, email: &Email, next_path: Option<&str>) -> Result<(Vec<D1PreparedStatement>, String), AppError> {
    let sdb = SchoolDb::new(db, school.id);
    let (insert, ticket) = insert_request(&sdb, ctx, Some(user_id), email, Purpose::Reminder, next_path, None)?;
    let event = event(&sdb, ctx, email.as_str(), Some(&ticket.id), Purpose::Reminder.sent_event(), if next_path.is_some() { "review_email" } else { "bulk_email" })?;
    Ok((vec![insert, event], ticket.id))
}

/// The email of a login request: the school's text for an invitation, a reminder, new
/// lessons or a receipt (`letter`), the login email otherwise. Its code and link are not in
/// the outbox row: they are derived again from the request's seed when it is delivered.
#[allow(clippy::too_many_arguments)]
fn login_mail(db: &D1Database, ctx: &RequestContext, school: &SchoolRef, email: &Email, locale: Locale, purpose: Purpose, request_id: &str, letter: Option<&Letter>) -> Result<D1PreparedStatement, AppError> {
    // Built from configuration, never from the Host header.
    let link = format!("{}/login/link/{}", ctx.config.school_url(school.slug), crate::kernel::mail::LINK_PLACEHOLDER);
    let mut mail = match letter {
        Some(letter) => {
            let mut values = letter.values.clone();
            values.push(("login_link", link));
            values.push(("login_code", if purpose.has_code() { crate::kernel::mail::CODE_PLACEHOLDER.to_string() } else { String::new() }));
            values.push(("school_name", school.name.to_string()));
            Letter { kind: letter.kind, texts: letter.texts, values, footer: letter.footer }.compose(locale, email.as_str(), purpose.as_str())
        }
        None => login_email(locale, email.as_str(), school.name, purpose.subject_key(), purpose.has_code(), purpose.ttl_ms() > LOGIN_TTL_MS, &link, purpose.as_str(), request_id),
    };
    mail.login_request_id = Some(request_id.to_string());
    enqueue(db, Some(school.id), &mail, ctx.now_ms)
}

#[derive(Deserialize)]
struct UserRow {
    id: i64,
    status: AccountStatus,
    locale: Option<String>,
}

#[derive(Deserialize)]
struct WindowCount {
    n: i64,
    oldest: Option<i64>,
}

#[derive(Deserialize)]
struct HeldRequest {
    id: String,
    browser_hash: Option<String>,
    user_id: Option<i64>,
}

fn decide_limit(limit: Limit, rows: &[serde_json::Value], now: i64) -> Result<(), RetryAt> {
    let w = from_rows::<WindowCount>(rows).ok().and_then(|r| r.into_iter().next()).unwrap_or(WindowCount { n: 0, oldest: None });
    throttle::check(limit, w.n, w.oldest, now)
}

fn from_rows<T: serde::de::DeserializeOwned>(rows: &[serde_json::Value]) -> Result<Vec<T>, AppError> {
    rows.iter().map(|r| serde_json::from_value(r.clone()).map_err(|_| AppError::Internal)).collect()
}

fn json_rows(results: Vec<worker::D1Result>) -> Result<Vec<Vec<serde_json::Value>>, AppError> {
    results.iter().map(rows::<serde_json::Value>).collect()
}

/// The reads of "send me a code": account, school policy, both limits, this browser's request.
fn request_reads(sdb: &SchoolDb, email: &Email, ip: &str, held_id: Option<&str>, now: i64) -> Result<Vec<D1PreparedStatement>, AppError> {
    let em = text(email.as_str());
    Ok(vec![
        // An address merged into another account logs in to that account.
        sdb.stmt(&format!("SELECT id, status, locale FROM @users WHERE {} LIMIT 1", crate::features::merge::server::account_by_email("?2")), &[em.clone()])?,
        sdb.stmt("SELECT unknown_email_policy AS policy FROM schools WHERE id = ?1", &[])?,
        sdb.stmt(
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM @login_events
             WHERE email = ?2 AND kind IN ('code_sent', 'code_resent') AND at > ?3",
            &[em.clone(), int(now - EMAILS_PER_ADDRESS.window_ms)],
        )?,
        // Every school's events: the limit per network address is the platform's.
        stmt(
            sdb.d1(),
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_events WHERE ip = ?1 AND kind IN ('code_sent', 'code_resent') AND at > ?2",
            &[text(ip), int(now - REQUESTS_PER_IP.window_ms)],
        )?,
        sdb.stmt(
            "SELECT id, browser_hash, user_id FROM @login_requests
             WHERE id = ?2 AND email = ?3 AND purpose = 'login' AND consumed_at IS NULL AND expires_at > ?4 AND attempts < ?5",
            &[text(held_id.unwrap_or("")), em, int(now), int(MAX_CODE_ATTEMPTS)],
        )?,
    ])
}

/// The reads of "check this code": the live requests for the email, and its wrong codes.
fn verify_reads(sdb: &SchoolDb, email: &Email, now: i64) -> Result<Vec<D1PreparedStatement>, AppError> {
    let em = text(email.as_str());
    Ok(vec![
        sdb.stmt(
            "SELECT l.id, l.user_id, l.code_hash, l.attempts, l.next_path, u.role, u.status AS user_status
             FROM @login_requests l LEFT JOIN @users u ON u.id = l.user_id
             WHERE l.email = ?2 AND l.consumed_at IS NULL AND l.expires_at > ?3 AND l.code_hash IS NOT NULL
             ORDER BY l.created_at DESC LIMIT 5",
            &[em.clone(), int(now)],
        )?,
        sdb.stmt(
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM @login_events WHERE email = ?2 AND kind = 'code_wrong' AND at > ?3",
            &[em, int(now - WRONG_CODES_PER_ACCOUNT.window_ms)],
        )?,
    ])
}

/// The login steps whose reads can ride in the viewer's batch: the worker reads the email
/// from the form before resolving the viewer, saving a D1 round trip on the hot path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginStep {
    Request,
    Verify,
}

impl LoginStep {
    pub fn for_path(path: &str) -> Option<LoginStep> {
        match path {
            "/api/request_login" => Some(LoginStep::Request),
            "/api/verify_code" => Some(LoginStep::Verify),
            _ => None,
        }
    }
}

/// A login step's reads, made in the viewer's batch.
#[derive(Debug, Clone)]
pub struct PrefetchedLogin {
    pub step: LoginStep,
    pub email: String,
    pub rows: Vec<Vec<serde_json::Value>>,
}

pub fn prefetch_statements(db: &D1Database, step: LoginStep, school_slug: &str, email: &Email, ip: &str, held_id: Option<&str>, now: i64) -> Result<Vec<D1PreparedStatement>, AppError> {
    let sdb = SchoolDb::by_slug(db, school_slug);
    match step {
        LoginStep::Request => request_reads(&sdb, email, ip, held_id, now),
        LoginStep::Verify => verify_reads(&sdb, email, now),
    }
}

/// A login step's reads, made in the viewer's batch (`kernel::request`): the worker reads the
/// email from the posted form before resolving the viewer.
pub struct LoginPrefetch {
    pub step: LoginStep,
    pub email: Email,
}

impl crate::kernel::request::Prefetch for LoginPrefetch {
    fn statements(&self, db: &D1Database, on: &crate::kernel::request::PrefetchScope) -> Result<Vec<D1PreparedStatement>, AppError> {
        prefetch_statements(db, self.step, on.school_slug, &self.email, on.ip, on.login_ticket_id, on.now_ms)
    }
    fn decode(&self, results: &[worker::D1Result]) -> Result<crate::kernel::request::Prefetched, AppError> {
        let rows = results.iter().map(rows::<serde_json::Value>).collect::<Result<Vec<_>, _>>()?;
        Ok(crate::kernel::request::Prefetched::new(PrefetchedLogin { step: self.step, email: self.email.as_str().to_string(), rows }))
    }
    fn for_session_user(&self) -> bool {
        false
    }
}

/// The prefetched rows, if they were read for this step and this email.
fn prefetched(ctx: &RequestContext, step: LoginStep, email: &Email) -> Option<Vec<Vec<serde_json::Value>>> {
    ctx.prefetched::<PrefetchedLogin>().filter(|p| p.step == step && p.email == email.as_str()).map(|p| p.rows.clone())
}

/// The login cookie's value, if this browser holds one.
pub fn ticket(ctx: &RequestContext) -> Option<SessionToken> {
    ctx.login_ticket.clone()
}

pub struct Requested {
    pub set_cookie: String,
}

/// A step's success sets a cookie: the login cookie, or the session.
pub trait SetsCookie {
    fn set_cookie(&self) -> &str;
}

impl SetsCookie for Requested {
    fn set_cookie(&self) -> &str {
        &self.set_cookie
    }
}

impl SetsCookie for LoggedIn {
    fn set_cookie(&self) -> &str {
        &self.set_cookie
    }
}

/// "Send me a code" and "resend": the same code and link again while the browser's request
/// is alive, a new request otherwise. Three round trips whether or not the email has an
/// account here: the viewer, one batch of reads, one batch of writes.
pub async fn request_code(db: &D1Database, ctx: &RequestContext, email: &Email) -> Step<Requested> {
    request(db, ctx, email, None, None).await
}

/// "Send me a fresh link" from an expired one: the new email leads where the old one did.
pub async fn request_code_to(db: &D1Database, ctx: &RequestContext, email: &Email, next_path: Option<&str>) -> Step<Requested> {
    request(db, ctx, email, None, next_path).await
}

/// "Send me a code" for a visitor joining an offer: the same limits and email, and a new
/// request that carries the offer (never a resend of an earlier one, which would not).
pub async fn request_code_to_join(db: &D1Database, ctx: &RequestContext, email: &Email, join: &Join) -> Step<Requested> {
    request(db, ctx, email, Some(join), None).await
}

async fn request(db: &D1Database, ctx: &RequestContext, email: &Email, join: Option<&Join>, next_path: Option<&str>) -> Step<Requested> {
    let school = ctx.viewer.school.as_ref().ok_or(AppError::NotFound)?;
    let now = ctx.now_ms;
    let held = ticket(ctx);
    let sdb = SchoolDb::new(db, school.id);
    let results = match prefetched(ctx, LoginStep::Request, email) {
        Some(rows) => rows,
        None => json_rows(batch(db, request_reads(&sdb, email, &ctx.ip, held.as_ref().map(|t| t.id.as_str()), now)?).await?)?,
    };
    let user = from_rows::<UserRow>(&results[0])?.into_iter().next().filter(|u| u.status == AccountStatus::Active);
    let notify_unknown = results[1].first().and_then(|r| r["policy"].as_str().map(|p| p == "notify")).unwrap_or(false);
    let limits = decide_limit(REQUESTS_PER_IP, &results[3], now)
        .map_err(|r| ("rate_ip", r))
        .and_then(|_| decide_limit(EMAILS_PER_ADDRESS, &results[2], now).map_err(|r| ("rate_email", r)));
    if let Err((key, retry)) = limits {
        batch(db, vec![event(&sdb, ctx, email.as_str(), None, "rate_limited", key)?]).await?;
        return Err(LoginFailureOr::Failure(LoginFailure::Throttled(key, retry)));
    }
    let locale = user.as_ref().and_then(|u| u.locale.as_deref()).and_then(Locale::parse).unwrap_or(ctx.viewer.locale);
    let school_ref = SchoolRef { id: school.id, slug: &school.slug, name: &school.name };
    // The browser holds a live request for this email: send the same code and link again.
    let resend = from_rows::<HeldRequest>(&results[4])?.into_iter().next().filter(|r| {
        let secret_hash = held.as_ref().map(|t| t.secret_hash()).unwrap_or_default();
        r.browser_hash.as_deref().is_some_and(|h| constant_time_eq(h, &secret_hash))
    });
    if let (Some(request), Some(held), None, None) = (resend, held, join, next_path) {
        let mut writes = vec![
            sdb.stmt("UPDATE @login_requests SET sent_count = sent_count + 1, last_sent_at = ?2 WHERE id = ?3", &[int(now), text(&request.id)])?,
            event(&sdb, ctx, email.as_str(), Some(&request.id), "code_resent", if request.user_id.is_some() { "" } else { "no_account" })?,
        ];
        if request.user_id.is_some() {
            writes.push(login_mail(db, ctx, &school_ref, email, locale, Purpose::Login, &request.id, None)?);
        } else if notify_unknown {
            writes.push(enqueue(db, Some(school.id), &no_account_email(locale, email.as_str(), &school.name, &ctx.config.school_url(&school.slug)), now)?);
        }
        batch(db, writes).await?;
        return Ok(Requested { set_cookie: ticket_cookie(&held) });
    }
    let (writes, ticket) = issue_request(db, ctx, &school_ref, user.map(|u| u.id), email, locale, Purpose::Login, notify_unknown, None, next_path, join)?;
    batch(db, writes).await?;
    Ok(Requested { set_cookie: ticket_cookie(&ticket) })
}

fn ticket_cookie(ticket: &SessionToken) -> String {
    cookies::set(LOGIN_COOKIE, &ticket.cookie_value(), LOGIN_TTL_MS / 1000)
}

#[derive(Deserialize)]
struct PendingRequest {
    id: String,
    user_id: Option<i64>,
    code_hash: String,
    attempts: i64,
    /// Where the email this code came with leads (a lesson, "continue").
    next_path: Option<String>,
    role: Option<String>,
    user_status: Option<AccountStatus>,
}

pub struct LoggedIn {
    pub set_cookie: String,
    pub is_owner: bool,
    /// Who is now logged in (a "continue" destination is theirs).
    pub user_id: i64,
    /// Where the link said to go (a digest's new lesson).
    pub next: Option<String>,
}

/// Checks a typed code against every live request for this email on this school: any code
/// sent in the last 10 minutes works, in any browser. Unknown emails go through the same
/// reads and writes (their requests exist too, with codes nobody received).
pub async fn verify_code(db: &D1Database, ctx: &RequestContext, email: &Email, code: &str) -> Step<LoggedIn> {
    let school = ctx.viewer.school.as_ref().ok_or(AppError::NotFound)?;
    let now = ctx.now_ms;
    let sdb = SchoolDb::new(db, school.id);
    let results = match prefetched(ctx, LoginStep::Verify, email) {
        Some(rows) => rows,
        None => json_rows(batch(db, verify_reads(&sdb, email, now)?).await?)?,
    };
    let live = from_rows::<PendingRequest>(&results[0])?;
    if let Err(retry) = decide_limit(WRONG_CODES_PER_ACCOUNT, &results[1], now) {
        return Err(LoginFailureOr::Failure(LoginFailure::Throttled("rate_wrong_codes", retry)));
    }
    let usable: Vec<&PendingRequest> = live.iter().filter(|r| r.attempts < MAX_CODE_ATTEMPTS).collect();
    if usable.is_empty() {
        return refuse(if live.is_empty() { "code_expired" } else { "code_locked" });
    }
    // Compare against every candidate (no early exit), each in constant time.
    let mut matched: Option<&PendingRequest> = None;
    for r in &usable {
        let candidate = hash_login_code(&ctx.config.pepper, &r.id, code);
        if constant_time_eq(&candidate, &r.code_hash) && matched.is_none() {
            matched = Some(r);
        }
    }
    match matched.and_then(|r| Some((r, r.user_id?, r.role.clone()?, r.user_status?))) {
        Some((request, user_id, role, status)) => {
            let account = Account { id: user_id, role, status, email: email.as_str().to_string() };
            let next = request.next_path.clone();
            open_session(&sdb, ctx, &request.id, &account, Claim::Consume { approve_waiter: false }, "code_used").await.map(|done| LoggedIn { next, ..done })
        }
        None => {
            let mut writes = usable
                .iter()
                .map(|r| sdb.stmt("UPDATE @login_requests SET attempts = attempts + 1 WHERE id = ?2", &[text(&r.id)]))
                .collect::<Result<Vec<_>, _>>()?;
            writes.push(event(&sdb, ctx, email.as_str(), usable.first().map(|r| r.id.as_str()), "code_wrong", "")?);
            let locked = usable.iter().all(|r| r.attempts + 1 >= MAX_CODE_ATTEMPTS);
            if locked {
                writes.push(event(&sdb, ctx, email.as_str(), usable.first().map(|r| r.id.as_str()), "locked", "")?);
            }
            batch(db, writes).await?;
            refuse(if locked { "code_locked" } else { "code_wrong" })
        }
    }
}

#[derive(Deserialize)]
struct LinkRow {
    id: String,
    user_id: Option<i64>,
    email: String,
    purpose: String,
    created_at: i64,
    expires_at: i64,
    consumed_at: Option<i64>,
    browser_hash: Option<String>,
    user_agent: Option<String>,
    role: Option<String>,
    user_status: Option<AccountStatus>,
    next_path: Option<String>,
}

const LINK_SELECT: &str = "SELECT l.id, l.user_id, l.email, l.purpose, l.created_at, l.expires_at, l.consumed_at, l.browser_hash, l.user_agent, l.next_path,
        u.role, u.status AS user_status
    FROM @login_requests l LEFT JOIN @users u ON u.id = l.user_id
    WHERE l.link_hash = ?2";

fn well_formed_link(link_token: &str) -> bool {
    link_token.len() == token::LINK_TOKEN_BYTES * 2 && link_token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The link page's GET (and HEAD): records the view for the timeline (scanners show up
/// there), and says what the page may offer. One batch: the lookup and the view together.
pub async fn link_state(db: &D1Database, ctx: &RequestContext, link_token: &str) -> Result<LinkState, AppError> {
    let school = ctx.viewer.school.as_ref().ok_or(AppError::NotFound)?;
    if !well_formed_link(link_token) {
        return Ok(LinkState::Unknown);
    }
    let hash = hash_token(link_token);
    let sdb = SchoolDb::new(db, school.id);
    let results = sdb
        .batch(vec![
            sdb.stmt(LINK_SELECT, &[text(&hash)])?,
            sdb.stmt(
                "INSERT INTO @login_events (email, request_id, kind, at, ip, user_agent, had_cookies, detail)
                 SELECT email, id, 'link_view', ?3, ?4, ?5, ?6, ?7 FROM @login_requests WHERE link_hash = ?2",
                &[text(&hash), int(ctx.now_ms), text(&ctx.ip), text(&ctx.user_agent), int(ctx.had_cookies as i64), text(&ctx.method)],
            )?,
        ])
        .await?;
    let Some(row) = rows::<LinkRow>(&results[0])?.into_iter().next() else { return Ok(LinkState::Unknown) };
    let masked_email = Email::parse(&row.email).map(|e| e.masked()).unwrap_or_default();
    if row.user_id.is_none() {
        return Ok(LinkState::Unknown);
    }
    if row.consumed_at.is_some() {
        let logged_in_here = ctx.viewer.user.as_ref().is_some_and(|u| Some(u.id) == row.user_id);
        return Ok(LinkState::Used { masked_email, logged_in_here });
    }
    if row.expires_at <= ctx.now_ms {
        return Ok(LinkState::Expired { masked_email });
    }
    let same_browser = holds_request(ctx, &row.id, row.browser_hash.as_deref());
    let requested_from = (row.purpose == "login").then(|| crate::kernel::device::describe(row.user_agent.as_deref().unwrap_or("")));
    Ok(LinkState::Live { masked_email, requested_from, requested_at: row.created_at, same_browser })
}

/// Whether this browser's login cookie is the one bound to the request.
fn holds_request(ctx: &RequestContext, request_id: &str, browser_hash: Option<&str>) -> bool {
    match (ticket(ctx), browser_hash) {
        (Some(t), Some(hash)) => t.id == request_id && constant_time_eq(&t.secret_hash(), hash),
        _ => false,
    }
}

/// The POST from the link page: consumes the link and logs this browser in. With
/// `also_there`, the browser that asked may then finish the login too.
pub async fn confirm_link(db: &D1Database, ctx: &RequestContext, link_token: &str, also_there: bool) -> Step<LoggedIn> {
    let school = ctx.viewer.school.as_ref().ok_or(AppError::NotFound)?;
    if !well_formed_link(link_token) {
        return refuse("link_used");
    }
    let sdb = SchoolDb::new(db, school.id);
    let row: Option<LinkRow> = sdb.first(LINK_SELECT, &[text(&hash_token(link_token))]).await?;
    let Some(row) = row else { return refuse("link_used") };
    if row.consumed_at.is_some() {
        return refuse("link_used");
    }
    if row.expires_at <= ctx.now_ms {
        return refuse("link_expired");
    }
    let (Some(id), Some(role), Some(status)) = (row.user_id, row.role, row.user_status) else { return refuse("link_used") };
    let approve_waiter = also_there && row.browser_hash.is_some() && !holds_request(ctx, &row.id, row.browser_hash.as_deref());
    let account = Account { id, role, status, email: row.email };
    let next = row.next_path;
    open_session(&sdb, ctx, &row.id, &account, Claim::Consume { approve_waiter }, "link_confirmed").await.map(|done| LoggedIn { next, ..done })
}

#[derive(Deserialize)]
struct WaitRow {
    email: String,
    browser_hash: Option<String>,
    created_at: i64,
    last_sent_at: i64,
    sent_count: i64,
    expires_at: i64,
    consumed_at: Option<i64>,
    approved_at: Option<i64>,
    finished_at: Option<i64>,
}

/// The login request this browser is waiting on, if its cookie names a live one.
pub async fn waiting(db: &D1Database, ctx: &RequestContext) -> Result<Option<Waiting>, AppError> {
    let school = ctx.viewer.school.as_ref().ok_or(AppError::NotFound)?;
    let Some(t) = ticket(ctx) else { return Ok(None) };
    let row: Option<WaitRow> = SchoolDb::new(db, school.id)
        .first(
            "SELECT email, browser_hash, created_at, last_sent_at, sent_count, expires_at, consumed_at, approved_at, finished_at
             FROM @login_requests WHERE id = ?2",
            &[text(&t.id)],
        )
        .await?;
    let Some(row) = row.filter(|r| r.browser_hash.as_deref().is_some_and(|h| constant_time_eq(h, &t.secret_hash()))) else { return Ok(None) };
    let status = if ctx.viewer.user.is_some() {
        WaitStatus::LoggedIn
    } else if row.approved_at.is_some() && row.finished_at.is_none() && row.expires_at > ctx.now_ms {
        WaitStatus::Approved
    } else if row.consumed_at.is_some() || row.expires_at <= ctx.now_ms {
        WaitStatus::Closed
    } else {
        WaitStatus::Waiting
    };
    Ok(Some(Waiting {
        email: row.email,
        created_at: row.created_at,
        last_sent_at: row.last_sent_at,
        sent_count: row.sent_count,
        expires_at: row.expires_at,
        status,
    }))
}

#[derive(Deserialize)]
struct FinishRow {
    id: String,
    user_id: Option<i64>,
    email: String,
    browser_hash: Option<String>,
    approved_at: Option<i64>,
    finished_at: Option<i64>,
    expires_at: i64,
    role: Option<String>,
    user_status: Option<AccountStatus>,
}

/// "I've confirmed, continue" (or the waiting page's poller): the browser that asked
/// finishes a login confirmed elsewhere, only if the confirmer chose to allow it and only
/// with this request's own cookie.
pub async fn finish_waiting(db: &D1Database, ctx: &RequestContext) -> Step<LoggedIn> {
    let school = ctx.viewer.school.as_ref().ok_or(AppError::NotFound)?;
    let Some(t) = ticket(ctx) else { return refuse("wait_no_request") };
    let sdb = SchoolDb::new(db, school.id);
    let row: Option<FinishRow> = sdb
        .first(
            "SELECT l.id, l.user_id, l.email, l.browser_hash, l.approved_at, l.finished_at, l.expires_at, u.role, u.status AS user_status
             FROM @login_requests l LEFT JOIN @users u ON u.id = l.user_id
             WHERE l.id = ?2",
            &[text(&t.id)],
        )
        .await?;
    let Some(row) = row.filter(|r| r.browser_hash.as_deref().is_some_and(|h| constant_time_eq(h, &t.secret_hash()))) else {
        return refuse("wait_no_request");
    };
    if row.approved_at.is_none() || row.finished_at.is_some() || row.expires_at <= ctx.now_ms {
        return refuse("wait_not_confirmed");
    }
    let (Some(id), Some(role), Some(status)) = (row.user_id, row.role, row.user_status) else { return refuse("wait_not_confirmed") };
    let account = Account { id, role, status, email: row.email };
    open_session(&sdb, ctx, &row.id, &account, Claim::Finish, "waiter_finished").await
}

/// The account a login request belongs to, loaded with the request itself.
struct Account {
    id: i64,
    role: String,
    status: AccountStatus,
    email: String,
}

/// Which single-use step of a request opens the session.
enum Claim {
    /// The code or the link: consumes the request.
    Consume { approve_waiter: bool },
    /// The waiting browser, after an approved confirmation elsewhere.
    Finish,
}

/// One round trip: the single-use claim and everything it allows, in one atomic batch. Each
/// write after the claim only applies if the claim marked the request with this new session's
/// id, so a lost race writes nothing.
async fn open_session(sdb: &SchoolDb, ctx: &RequestContext, request_id: &str, user: &Account, claim: Claim, event_kind: &str) -> Step<LoggedIn> {
    if user.status != AccountStatus::Active {
        return Err(LoginFailureOr::Error(AppError::Forbidden));
    }
    let now = ctx.now_ms;
    let new_session = session::create(sdb, user.id, now, &ctx.user_agent, request_id)?;
    let sid = new_session.token.id.clone();
    let claim_stmt = match claim {
        Claim::Consume { approve_waiter } => sdb.stmt(
            "UPDATE @login_requests SET consumed_at = ?2, consumed_session = ?4, approved_at = CASE WHEN ?5 = 1 THEN ?2 ELSE NULL END
             WHERE id = ?3 AND consumed_at IS NULL AND expires_at > ?2",
            &[int(now), text(request_id), text(&sid), int(approve_waiter as i64)],
        )?,
        Claim::Finish => sdb.stmt(
            "UPDATE @login_requests SET finished_at = ?2, finished_session = ?4
             WHERE id = ?3 AND approved_at IS NOT NULL AND finished_at IS NULL AND expires_at > ?2",
            &[int(now), text(request_id), text(&sid)],
        )?,
    };
    // ?2..?7 the statement's own, ?8 the new session, ?9 the request.
    let claimed = "EXISTS (SELECT 1 FROM @login_requests WHERE id = ?9 AND (consumed_session = ?8 OR finished_session = ?8))";
    let when_claimed = |sql: &str, args: &[JsValue]| -> Result<D1PreparedStatement, AppError> {
        let mut all = args.to_vec();
        all.resize(6, JsValue::NULL);
        all.push(text(&sid));
        all.push(text(request_id));
        sdb.stmt(&sql.replace("{claimed}", claimed), &all)
    };
    let mut statements = vec![
        claim_stmt,
        new_session.insert,
        when_claimed("UPDATE @users SET last_login_at = ?2 WHERE id = ?3 AND {claimed}", &[int(now), int(user.id)])?,
        when_claimed(
            "INSERT INTO @login_events (email, request_id, kind, at, ip, user_agent, had_cookies) SELECT ?2, ?9, ?3, ?4, ?5, ?6, ?7 WHERE {claimed}",
            &[text(&user.email), text(event_kind), int(now), text(&ctx.ip), text(&ctx.user_agent), int(ctx.had_cookies as i64)],
        )?,
    ];
    // A sign-up through an offer (`Join`): enrolled now if the offer still has a seat (an
    // enrollment already there is left as it is), or for an offer on request, asked.
    let joining = "FROM @login_requests l JOIN @offers o ON o.id = l.join_offer_id AND o.course_id = l.join_course_id
         WHERE l.id = ?9 AND o.status = 'open' AND (o.seats IS NULL OR (SELECT COUNT(*) FROM @enrollments x WHERE x.offer_id = o.id) < o.seats) AND {claimed}";
    statements.push(when_claimed(
        &format!(
            "INSERT INTO @enrollments (user_id, course_id, offer_id, access_start, access_end, status, created_at, next_notice_at, last_notice_at)
             SELECT ?2, l.join_course_id, o.id, COALESCE(l.join_access_start, ?3), l.join_access_end, 'active', ?3, ?3, ?3 {joining} AND o.on_request = 0
             ON CONFLICT (user_id, course_id) DO NOTHING"
        ),
        &[int(user.id), int(now)],
    )?);
    statements.push(when_claimed(
        &format!("INSERT INTO @join_requests (offer_id, user_id, status, created_at) SELECT o.id, ?2, 'pending', ?3 {joining} AND o.on_request = 1 ON CONFLICT (offer_id, user_id) DO NOTHING"),
        &[int(user.id), int(now)],
    )?);
    let is_owner = user.role == "owner";
    if is_owner {
        // Confirming the creator's email is what opens a new school.
        statements.push(when_claimed("UPDATE schools SET status = 'active' WHERE id = ?1 AND status = 'pending' AND {claimed}", &[])?);
    }
    // A new session on every login: a session id planted before login is never reused.
    if let Some(old) = &ctx.session_id {
        statements.push(when_claimed("UPDATE @sessions SET revoked_at = ?2 WHERE id = ?3 AND {claimed}", &[int(now), text(old)])?);
    }
    let results = sdb.batch(statements).await?;
    if changes(&results[0]) != 1 {
        return refuse(match claim {
            Claim::Consume { .. } => "link_used",
            Claim::Finish => "wait_not_confirmed",
        });
    }
    Ok(LoggedIn {
        set_cookie: cookies::set(cookies::SESSION_COOKIE, &new_session.token.cookie_value(), new_session.max_age_secs),
        is_owner,
        user_id: user.id,
        next: None,
    })
}

/// A link that was used or expired: one tap sends a fresh code and link to its email.
pub async fn email_of_link(db: &D1Database, ctx: &RequestContext, link_token: &str) -> Result<Option<(Email, Option<String>)>, AppError> {
    let school = ctx.viewer.school.as_ref().ok_or(AppError::NotFound)?;
    if !well_formed_link(link_token) {
        return Ok(None);
    }
    let row: Option<LinkRow> = SchoolDb::new(db, school.id).first(LINK_SELECT, &[text(&hash_token(link_token))]).await?;
    Ok(row.filter(|r| r.user_id.is_some()).and_then(|r| Email::parse(&r.email).ok().map(|e| (e, r.next_path))))
}
