//! Opening a school, logging in and out, language.

use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::api::ssr::*;

/// Platform home: name, subdomain and email. Creates a pending school and its owner, and
/// emails the owner a code; confirming it opens the school.
#[server(endpoint = "create_school")]
pub async fn create_school(name: String, slug: String, email: String) -> Result<(), AppError> {
    send(async move {
        use crate::domain::{email::Email, slug::SchoolSlug, validate};
        use crate::server::db::{batch, int, stmt, text};
        use crate::server::login::{issue, Purpose};
        use crate::server::request::db;
        let ctx = ctx()?;
        let keep = [("name", name.as_str()), ("slug", slug.as_str()), ("email", email.as_str())];
        let back = |key: &str| {
            redirect(&crate::api::with_error("/", key, &keep));
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
        crate::server::db::run(
            &db,
            "UPDATE schools SET slug = slug || '~' || id WHERE slug = ?1 AND status = 'pending' AND created_at < ?2",
            &[text(slug.as_str()), int(now - crate::server::session::DAY_MS)],
        )
        .await?;
        let created = stmt(
            &db,
            "INSERT INTO schools (slug, name, default_locale, status, created_at) VALUES (?1, ?2, ?3, 'pending', ?4) RETURNING id",
            &[text(slug.as_str()), text(&name), text(ctx.viewer.locale.code()), int(now)],
        )?
        .first::<serde_json::Value>(Some("id"))
        .await;
        let school_id = match created {
            Ok(Some(id)) => id.as_i64().ok_or(AppError::Internal)?,
            Err(e) if crate::server::db::is_unique_violation(&e) => return back("slug_taken"),
            _ => return Err(AppError::Internal),
        };
        let owner_id = stmt(
            &db,
            "INSERT INTO users (school_id, email, role, locale, created_at) VALUES (?1, ?2, 'owner', ?3, ?4) RETURNING id",
            &[int(school_id), text(email.as_str()), text(ctx.viewer.locale.code()), int(now)],
        )?
        .first::<serde_json::Value>(Some("id"))
        .await?
        .and_then(|v| v.as_i64())
        .ok_or(AppError::Internal)?;
        let statements = issue(&db, &ctx, school_id, slug.as_str(), &name, Some(owner_id), &email, ctx.viewer.locale, Purpose::Signup)?;
        batch(&db, statements).await?;
        let school_url = ctx.config.school_url(slug.as_str());
        redirect(&format!("{school_url}/login/code?email={}&next=%2Fadmin", crate::api::encode(email.as_str())));
        Ok(())
    })
    .await
}

#[server(endpoint = "request_login")]
pub async fn request_login(email: String, next: Option<String>) -> Result<(), AppError> {
    send(async move {
        use crate::domain::email::Email;
        let ctx = ctx()?;
        require_school(&ctx)?;
        // Without an explicit destination, verify_code sends owners to /admin, students home.
        let next = next.as_deref().and_then(crate::api::safe_next).unwrap_or("").to_string();
        let parsed = match Email::parse(&email) {
            Ok(e) => e,
            Err(e) => {
                redirect(&crate::api::with_error("/login", e.code(), &[("email", &email), ("next", &next)]));
                return Ok(());
            }
        };
        let db = crate::server::request::db()?;
        crate::server::login::request_code(&db, &ctx, &parsed).await?;
        let mut to = format!("/login/code?email={}", crate::api::encode(parsed.as_str()));
        if !next.is_empty() {
            to.push_str(&format!("&next={}", crate::api::encode(&next)));
        }
        redirect(&to);
        Ok(())
    })
    .await
}

#[server(endpoint = "verify_code")]
pub async fn verify_code(email: String, code: String, next: Option<String>) -> Result<(), AppError> {
    send(async move {
        use crate::domain::{email::Email, token::normalise_code_input};
        let ctx = ctx()?;
        require_school(&ctx)?;
        let next = next.as_deref().and_then(crate::api::safe_next).map(str::to_string);
        let back = |key: &str| {
            let mut keep = vec![("email", email.as_str())];
            if let Some(n) = &next {
                keep.push(("next", n.as_str()));
            }
            redirect(&crate::api::with_error("/login/code", key, &keep));
            Ok(())
        };
        let Ok(parsed) = Email::parse(&email) else { return back("email_missing_at") };
        let Some(code) = normalise_code_input(&code) else { return back("code_format") };
        let db = crate::server::request::db()?;
        match crate::server::login::verify_code(&db, &ctx, &parsed, &code).await {
            Ok(done) => {
                set_cookie(&done.set_cookie);
                let default = if done.is_owner { "/admin" } else { "/" };
                redirect(next.as_deref().unwrap_or(default));
                Ok(())
            }
            Err(AppError::Invalid(key)) => back(&key),
            Err(e) => Err(e),
        }
    })
    .await
}

/// What the link confirm page shows: the masked email, or None when used or expired.
#[server(endpoint = "link_info")]
pub async fn link_info(token: String) -> Result<Option<String>, AppError> {
    send(async move {
        let ctx = ctx()?;
        let db = crate::server::request::db()?;
        crate::server::login::describe_link(&db, &ctx, &token).await
    })
    .await
}

#[server(endpoint = "confirm_link")]
pub async fn confirm_link(token: String) -> Result<(), AppError> {
    send(async move {
        let ctx = ctx()?;
        let db = crate::server::request::db()?;
        match crate::server::login::confirm_link(&db, &ctx, &token).await {
            Ok(done) => {
                set_cookie(&done.set_cookie);
                redirect(if done.is_owner { "/admin" } else { "/" });
                Ok(())
            }
            Err(AppError::Invalid(key)) => {
                redirect(&crate::api::with_error(&format!("/login/link/{}", crate::api::encode(&token)), &key, &[]));
                Ok(())
            }
            Err(e) => Err(e),
        }
    })
    .await
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    send(async move {
        use crate::server::cookies::{clear, SESSION_COOKIE};
        let ctx = ctx()?;
        if let (Some(id), Some(school)) = (&ctx.session_id, &ctx.viewer.school) {
            let db = crate::server::request::db()?;
            crate::server::session::revoke(&db, id, school.id, ctx.now_ms).await?;
        }
        set_cookie(&clear(SESSION_COOKIE));
        redirect("/");
        Ok(())
    })
    .await
}

#[server(endpoint = "set_language")]
pub async fn set_language(lang: String, back: Option<String>) -> Result<(), AppError> {
    use crate::i18n::Locale;
    let locale = Locale::parse(&lang).unwrap_or_default();
    set_cookie(&crate::server::cookies::set(crate::server::cookies::LANG_COOKIE, locale.code(), 365 * 24 * 3600));
    redirect(back.as_deref().and_then(crate::api::safe_next).unwrap_or("/"));
    Ok(())
}
