//! Opening a school, logging in and out, language.

use crate::kernel::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

/// A new school's zone when the creator's browser does not say.
#[cfg(feature = "ssr")]
const DEFAULT_TIME_ZONE: &str = "Europe/Paris";

/// Platform home: name, subdomain and email. Creates a pending school and its owner, and
/// emails the owner a code; confirming it opens the school.
#[server(endpoint = "create_school")]
pub async fn create_school(name: String, slug: String, email: String, time_zone: Option<String>) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::{email::Email, slug::SchoolSlug, validate};
        use crate::kernel::db::{batch, int, stmt, text};
        use crate::features::login::server::{issue, Purpose, SchoolRef};
        use crate::kernel::request::db;
        let ctx = ctx()?;
        let keep = [("name", name.as_str()), ("slug", slug.as_str()), ("email", email.as_str())];
        let back = |key: &str| {
            redirect(&crate::kernel::url::with_error("/", key, &keep));
            Ok(())
        };
        let name = match validate::title(&name, validate::SCHOOL_NAME_MAX) {
            Ok(n) => n,
            Err(_) => return back("name_required"),
        };
        let slug = match SchoolSlug::parse(&slug) {
            Ok(s) => s,
            Err(e) => return back(e.code()),
        };
        let email = match Email::parse(&email) {
            Ok(e) => e,
            Err(e) => return back(e.code()),
        };
        let db = db()?;
        let now = ctx.now_ms;
        // A slug held by a never-confirmed school for over a day is free again.
        crate::kernel::db::run(
            &db,
            "UPDATE schools SET slug = slug || '~' || id WHERE slug = ?1 AND status = 'pending' AND created_at < ?2",
            &[text(slug.as_str()), int(now - crate::kernel::session::DAY_MS)],
        )
        .await?;
        let created = stmt(
            &db,
            "INSERT INTO schools (slug, name, default_locale, status, created_at, time_zone) VALUES (?1, ?2, ?3, 'pending', ?4, ?5) RETURNING id",
            // The creator's browser says where they are (an island fills the field); without
            // JavaScript, Paris until they choose in settings.
            &[text(slug.as_str()), text(&name), text(ctx.viewer.locale.code()), int(now), text(time_zone.as_deref().and_then(crate::kernel::time::parse_zone).unwrap_or(DEFAULT_TIME_ZONE))],
        )?
        .first::<serde_json::Value>(Some("id"))
        .await;
        let school_id = match created {
            Ok(Some(id)) => id.as_i64().ok_or(AppError::Internal)?,
            Err(e) if crate::kernel::db::is_unique_violation(&e) => return back("slug_taken"),
            _ => return Err(AppError::Internal),
        };
        let owner_id = crate::kernel::db::SchoolDb::new(&db, school_id)
            .first::<serde_json::Value>("INSERT INTO @users (email, role, locale, created_at) VALUES (?2, 'owner', ?3, ?4) RETURNING id", &[text(email.as_str()), text(ctx.viewer.locale.code()), int(now)])
            .await?
            .and_then(|v| v["id"].as_i64())
            .ok_or(AppError::Internal)?;
        let school = SchoolRef { id: school_id, slug: slug.as_str(), name: &name };
        let (statements, _) = issue(&db, &ctx, &school, Some(owner_id), &email, ctx.viewer.locale, Purpose::Signup, false)?;
        batch(&db, statements).await?;
        let school_url = ctx.config.school_url(slug.as_str());
        redirect_to_school(&school_url, &format!("/login/code?email={}&next=%2Fadmin", crate::kernel::url::encode(email.as_str())));
        Ok(())
    })
    .await
}

/// Where a login form goes back to with a message: `?error=key`, what was typed, and for
/// limits, `retry=` (unix ms) so the page can say when.
#[cfg(feature = "ssr")]
fn back_to(path: &str, failure: &crate::features::login::server::LoginFailure, keep: &[(&str, &str)]) {
    let (key, retry) = failure.key_and_retry();
    let retry = retry.map(|at| at.to_string());
    let mut keep: Vec<(&str, &str)> = keep.iter().filter(|(_, v)| !v.is_empty()).copied().collect();
    if let Some(r) = &retry {
        keep.push(("retry", r));
    }
    redirect(&crate::kernel::url::with_error(path, key, &keep));
}

/// Where a login leads: a safe path of this site, a "continue" destination turned into the
/// student's lesson right away (the email's second tap lands on it).
#[cfg(feature = "ssr")]
async fn destination(db: &worker::D1Database, ctx: &crate::kernel::request::RequestContext, user_id: i64, chosen: Option<String>) -> Option<String> {
    let chosen = chosen.as_deref().and_then(crate::kernel::next::safe_next)?.to_string();
    let (Some(slug), Some(resolve), Some(school)) = (crate::kernel::next::continue_course(&chosen), use_context::<crate::kernel::next::ContinueResolver>(), ctx.viewer.school.as_ref()) else {
        return Some(chosen);
    };
    Some((resolve.0)(db, school.id, user_id, slug, ctx.now_ms, ctx.viewer.time_zone()).await.unwrap_or(chosen))
}

/// Where a login step's answer sends the browser: on success, its cookie and `to`; on a
/// failure the person is told about, back to `form` with the message.
#[cfg(feature = "ssr")]
fn answer<T: crate::features::login::server::SetsCookie>(
    result: Result<T, crate::features::login::server::LoginFailureOr>,
    to: impl FnOnce(&T) -> String,
    form: &str,
    keep: &[(&str, &str)],
) -> Result<(), AppError> {
    use crate::features::login::server::LoginFailureOr;
    match result {
        Ok(done) => {
            set_cookie(done.set_cookie());
            redirect(&to(&done));
            Ok(())
        }
        Err(LoginFailureOr::Failure(f)) => {
            back_to(form, &f, keep);
            Ok(())
        }
        Err(LoginFailureOr::Error(e)) => Err(e),
    }
}

/// "Send me a code", and "resend" from the waiting page (`resend` set): same code and link
/// while they live. Known and unknown emails get the same answer.
#[server(endpoint = "request_login")]
pub async fn request_login(email: String, next: Option<String>, resend: Option<String>) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::email::Email;
        use crate::features::login::server::LoginFailure;
        let ctx = ctx()?;
        require_school(&ctx)?;
        // Without an explicit destination, verify_code sends owners to /admin, students home.
        let next = next.as_deref().and_then(crate::kernel::next::safe_next).unwrap_or("").to_string();
        let form = if resend.is_some() { "/login/code" } else { "/login" };
        let keep = [("email", email.as_str()), ("next", next.as_str())];
        let parsed = match Email::parse(&email) {
            Ok(e) => e,
            Err(e) => {
                back_to("/login", &LoginFailure::Refused(e.code()), &keep);
                return Ok(());
            }
        };
        let db = crate::kernel::request::db()?;
        let to = |_: &_| {
            let mut to = format!("/login/code?email={}", crate::kernel::url::encode(parsed.as_str()));
            if !next.is_empty() {
                to.push_str(&format!("&next={}", crate::kernel::url::encode(&next)));
            }
            if resend.is_some() {
                to.push_str("&ok=code_resent");
            }
            to
        };
        answer(crate::features::login::server::request_code(&db, &ctx, &parsed).await, to, form, &keep)
    })
    .await
}

#[server(endpoint = "verify_code")]
pub async fn verify_code(email: String, code: String, next: Option<String>) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::{email::Email, token::normalise_code_input};
        use crate::features::login::server::LoginFailure;
        let ctx = ctx()?;
        require_school(&ctx)?;
        let next = next.as_deref().and_then(crate::kernel::next::safe_next).map(str::to_string);
        let keep = [("email", email.as_str()), ("next", next.as_deref().unwrap_or(""))];
        let back = |key: &'static str| {
            back_to("/login/code", &LoginFailure::Refused(key), &keep);
            Ok(())
        };
        let Ok(parsed) = Email::parse(&email) else { return back("email_missing_at") };
        let Some(code) = normalise_code_input(&code) else { return back("code_format") };
        let db = crate::kernel::request::db()?;
        // The page's `next`, else where the email with this code leads, else home.
        let result = match crate::features::login::server::verify_code(&db, &ctx, &parsed, &code).await {
            Ok(mut done) => {
                let chosen = next.clone().or(done.next.take());
                done.next = destination(&db, &ctx, done.user_id, chosen).await;
                Ok(done)
            }
            failed => failed,
        };
        let to = |done: &crate::features::login::server::LoggedIn| done.next.clone().unwrap_or_else(|| (if done.is_owner { "/admin" } else { "/" }).to_string());
        answer(result, to, "/login/code", &keep)
    })
    .await
}

crate::kernel::page_data! {
    /// What the link page shows. Reading it records a view (scanners included) and changes
    /// nothing else: only the confirm POST logs in.
    pub async fn link_state(token: String) -> Result<crate::features::login::types::LinkState, AppError> {
        let ctx = ctx()?;
        let db = crate::kernel::request::db()?;
        crate::features::login::server::link_state(&db, &ctx, &token).await
    }
}

/// The link page's buttons: `choice=here` (the default) logs this browser in; `choice=both`
/// also lets the browser that asked finish logging in.
#[server(endpoint = "confirm_link")]
pub async fn confirm_link(token: String, choice: Option<String>) -> Result<(), AppError> {
    send(async move {
        let ctx = ctx()?;
        let db = crate::kernel::request::db()?;
        let also_there = choice.as_deref() == Some("both");
        let to = |done: &crate::features::login::server::LoggedIn| {
            let home = if done.is_owner { "/admin" } else { "/" };
            match done.next.as_deref().and_then(crate::kernel::next::safe_next) {
                Some(next) if also_there => format!("{next}{}ok=also_logged_in_there", if next.contains('?') { '&' } else { '?' }),
                _ if also_there => format!("{home}?ok=also_logged_in_there"),
                Some(next) => next.to_string(),
                None => home.to_string(),
            }
        };
        let form = format!("/login/link/{}", crate::kernel::url::encode(&token));
        let result = match crate::features::login::server::confirm_link(&db, &ctx, &token, also_there).await {
            Ok(mut done) => {
                let chosen = done.next.take();
                done.next = destination(&db, &ctx, done.user_id, chosen).await;
                Ok(done)
            }
            failed => failed,
        };
        answer(result, to, &form, &[])
    })
    .await
}

/// From a used or expired link: one tap sends a fresh code and link to the same email.
#[server(endpoint = "fresh_login")]
pub async fn fresh_login(token: String) -> Result<(), AppError> {
    send(async move {
        let ctx = ctx()?;
        let db = crate::kernel::request::db()?;
        let Some((email, next)) = crate::features::login::server::email_of_link(&db, &ctx, &token).await? else {
            redirect("/login");
            return Ok(());
        };
        // The fresh email and the code page lead where the expired link did.
        let next = next.as_deref().and_then(crate::kernel::next::safe_next).map(str::to_string);
        let to = |_: &_| match &next {
            Some(n) => format!("/login/code?email={}&next={}", crate::kernel::url::encode(email.as_str()), crate::kernel::url::encode(n)),
            None => format!("/login/code?email={}", crate::kernel::url::encode(email.as_str())),
        };
        let form = format!("/login/link/{}", crate::kernel::url::encode(&token));
        answer(crate::features::login::server::request_code_to(&db, &ctx, &email, next.as_deref()).await, to, &form, &[])
    })
    .await
}

crate::kernel::page_data! {
    /// The waiting page: the login this browser asked for (email, sends, status).
    pub async fn waiting_login() -> Result<Option<crate::features::login::types::Waiting>, AppError> {
        let ctx = ctx()?;
        let db = crate::kernel::request::db()?;
        crate::features::login::server::waiting(&db, &ctx).await
    }
}

/// Polled by the waiting page: a GET that only reads.
#[server(endpoint = "login_status", input = leptos::server_fn::codec::GetUrl)]
pub async fn login_status() -> Result<Option<crate::features::login::types::WaitStatus>, AppError> {
    send(async move {
        let ctx = ctx()?;
        let db = crate::kernel::request::db()?;
        Ok(crate::features::login::server::waiting(&db, &ctx).await?.map(|w| w.status))
    })
    .await
}

/// "I've confirmed, continue": finishes a login confirmed on another device, in the
/// browser that asked for it.
#[server(endpoint = "finish_login")]
pub async fn finish_login(next: Option<String>) -> Result<(), AppError> {
    send(async move {
        use crate::features::login::server::LoginFailureOr;
        let ctx = ctx()?;
        let db = crate::kernel::request::db()?;
        let next = next.as_deref().and_then(crate::kernel::next::safe_next).map(str::to_string);
        match crate::features::login::server::finish_waiting(&db, &ctx).await {
            Ok(done) => {
                set_cookie(&done.set_cookie);
                set_cookie(&crate::kernel::cookies::clear(crate::kernel::cookies::LOGIN_COOKIE));
                redirect(next.as_deref().unwrap_or(if done.is_owner { "/admin" } else { "/" }));
                Ok(())
            }
            Err(LoginFailureOr::Failure(f)) => {
                let waiting = crate::features::login::server::waiting(&db, &ctx).await?;
                let email = waiting.map(|w| w.email).unwrap_or_default();
                back_to("/login/code", &f, &[("email", &email), ("next", next.as_deref().unwrap_or(""))]);
                Ok(())
            }
            Err(LoginFailureOr::Error(e)) => Err(e),
        }
    })
    .await
}

#[server(endpoint = "set_language")]
pub async fn set_language(lang: String, back: Option<String>) -> Result<(), AppError> {
    send(async move {
        use crate::kernel::i18n::Locale;
        let locale = Locale::parse(&lang).unwrap_or_default();
        set_cookie(&crate::kernel::cookies::set(crate::kernel::cookies::LANG_COOKIE, locale.code(), 365 * 24 * 3600));
        // Logged in, the choice is the account's: it follows the person to other devices
        // and their emails.
        let ctx = ctx()?;
        if let (Some(school), Some(user)) = (&ctx.viewer.school, &ctx.viewer.user) {
            crate::kernel::request::school_db(school.id)?
                .run("UPDATE @users SET locale = ?2 WHERE id = ?3", &[crate::kernel::db::text(locale.code()), crate::kernel::db::int(user.id)])
                .await?;
        }
        redirect(back.as_deref().and_then(crate::kernel::next::safe_next).unwrap_or("/"));
        Ok(())
    })
    .await
}
