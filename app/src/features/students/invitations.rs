//! Inviting one student: the account (email, names, language), the courses with their
//! access dates, and the invitation (a login link and a code, valid 7 days), optionally
//! with a copy to the creator — a copy whose link and code are hidden, since they would log
//! the creator in as the student. Resending later works the same way.

use crate::kernel::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[server(prefix = "/admin/api", endpoint = "invite_student")]
#[allow(clippy::too_many_arguments)]
pub async fn invite_student(
    email: String,
    first_name: String,
    last_name: String,
    locale: String,
    courses: Option<HashMap<String, String>>,
    access_start: String,
    access_end: String,
    send_invitation: Option<String>,
    copy_to_me: Option<String>,
) -> Result<(), AppError> {
    send(async move {
        ssr_impl::invite_student(email, first_name, last_name, locale, courses.unwrap_or_default(), access_start, access_end, send_invitation.is_some(), copy_to_me.is_some()).await
    })
    .await
}

#[server(prefix = "/admin/api", endpoint = "resend_invitation")]
pub async fn resend_invitation(id: String, copy_to_me: Option<String>) -> Result<(), AppError> {
    send(async move { ssr_impl::resend_invitation(&id, copy_to_me.is_some()).await }).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr_impl {
    use super::*;
    use crate::kernel::email::Email;
    use crate::kernel::i18n::{t, Locale};
    use crate::kernel::db::{batch, int, opt_int, text};
    use crate::features::login::server::{Purpose, SchoolRef};
    use crate::kernel::mail::{enqueue, login_email, CODE_PLACEHOLDER, LINK_PLACEHOLDER};
    use crate::kernel::request::{school_db, RequestContext};
    use serde::Deserialize;
    use worker::{D1Database, D1PreparedStatement};

    const FORM: &str = "/admin/students";

    /// The invitation's statements (request + email), and the copy for the creator if asked.
    fn invitation(db: &D1Database, ctx: &RequestContext, user_id: i64, email: &Email, locale: Locale, copy_to_me: bool, next: Option<&str>) -> Result<Vec<D1PreparedStatement>, AppError> {
        let school = require_school(ctx)?;
        let school_ref = SchoolRef { id: school.id, slug: &school.slug, name: &school.name };
        let (mut statements, _) = crate::features::login::server::issue_with_intro(db, ctx, &school_ref, Some(user_id), email, locale, Purpose::Invite, false, None, next)?;
        if copy_to_me {
            if let Some(owner) = &ctx.viewer.user {
                let viewer_locale = ctx.viewer.locale;
                let link = format!("{}/login/link/{LINK_PLACEHOLDER}", ctx.config.school_url(&school.slug));
                let mut copy = login_email(locale, &owner.email, &school.name, "mail_invite_subject", true, true, &link, "copy", "");
                let hidden = t(viewer_locale, "mail_copy_hidden");
                let intro = t(viewer_locale, "mail_copy_intro").replace("{email}", email.as_str());
                copy.subject = format!("{} {}", t(viewer_locale, "mail_copy_prefix"), copy.subject);
                copy.text = format!("{intro}\n\n{}", copy.text.replace(CODE_PLACEHOLDER, hidden).replace(LINK_PLACEHOLDER, hidden));
                copy.html = copy.html.replace(CODE_PLACEHOLDER, hidden).replace(LINK_PLACEHOLDER, hidden).replacen("<h1", &format!("<p><em>{}</em></p><h1", crate::kernel::html::escape(&intro)), 1);
                copy.login_request_id = None;
                statements.push(enqueue(db, Some(school.id), &copy, ctx.now_ms)?);
            }
        }
        Ok(statements)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn invite_student(
        email: String,
        first_name: String,
        last_name: String,
        locale: String,
        courses: HashMap<String, String>,
        access_start: String,
        access_end: String,
        send: bool,
        copy_to_me: bool,
    ) -> Result<(), AppError> {
        let ctx = ctx()?;
        let (school_id, actor) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let keep = [("invite_email", email.as_str()), ("first_name", first_name.as_str()), ("last_name", last_name.as_str())];
        let back = |key: &str| {
            redirect(&format!("{}#invite", crate::kernel::url::with_error(FORM, key, &keep)));
            Ok(())
        };
        let parsed = match Email::parse(&email) {
            Ok(e) => e,
            Err(e) => return back(e.code()),
        };
        let (first_name, last_name) = match (crate::kernel::validate::person_name(&first_name), crate::kernel::validate::person_name(&last_name)) {
            (Ok(f), Ok(l)) => (f, l),
            (Err(code), _) | (_, Err(code)) => return back(code),
        };
        let locale_choice = Locale::parse(&locale);
        let zone = crate::kernel::time::zone(ctx.viewer.time_zone());
        let (start, end) = match (crate::kernel::validate::optional_date(&access_start), crate::kernel::validate::optional_date(&access_end)) {
            (Ok(s), Ok(e)) => (s, e),
            (Err(k), _) | (_, Err(k)) => return back(k),
        };
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                return back("import_end_before_start");
            }
        }
        let wanted: Vec<String> = courses.into_iter().filter(|(_, v)| v == "on").map(|(k, _)| k.to_ascii_lowercase()).collect();
        let school = school_db(school_id)?;
        let db = school.d1();
        // The address of an account merged into another invites that account.
        let parsed = Email::parse(&crate::features::merge::server::account_email(&school, parsed.as_str()).await?).map_err(|_| AppError::Internal)?;
        #[derive(Deserialize)]
        struct Slug {
            slug: String,
        }
        let known: Vec<String> = school.all::<Slug>("SELECT slug FROM @courses", &[]).await?.into_iter().map(|c| c.slug).collect();
        if wanted.iter().any(|c| !known.contains(c)) {
            return back("import_course_unknown");
        }
        let now = ctx.now_ms;
        let start_ms = start.map(|d| crate::features::drip::rules::local_to_utc(d.and_hms_opt(0, 0, 0).unwrap_or_default(), zone));
        let end_ms = end.map(|d| crate::features::drip::rules::local_to_utc(d.and_hms_opt(23, 59, 0).unwrap_or_default(), zone));
        let display = format!("{first_name} {last_name}").trim().to_string();
        let detail = serde_json::json!({ "after": { "first_name": first_name, "last_name": last_name, "locale": locale_choice.map(|l| l.code()), "courses": wanted, "start": start.map(|d| d.to_string()), "end": end.map(|d| d.to_string()) } }).to_string();
        let results = school
            .batch(vec![
                // A new account, or the names and language of an existing one (empty fields keep theirs).
                school.stmt(
                    "INSERT INTO @users (email, first_name, last_name, display_name, locale, role, created_at) VALUES (?2, ?3, ?4, ?5, ?6, 'student', ?7)
                     ON CONFLICT (school_id, email) DO UPDATE SET first_name = COALESCE(NULLIF(excluded.first_name, ''), first_name),
                        last_name = COALESCE(NULLIF(excluded.last_name, ''), last_name), locale = COALESCE(excluded.locale, locale),
                        display_name = CASE WHEN excluded.display_name = '' THEN display_name ELSE excluded.display_name END",
                    &[text(parsed.as_str()), text(&first_name), text(&last_name), text(&display), locale_choice.map(|l| text(l.code())).unwrap_or(wasm_bindgen::JsValue::NULL), int(now)],
                )?,
                school.stmt(
                    "INSERT INTO @enrollments (user_id, course_id, access_start, access_end, status, created_at, next_notice_at, last_notice_at)
                     SELECT u.id, c.id, COALESCE(?4, ?6), ?5, 'active', ?6, ?6, ?6 FROM @users u CROSS JOIN @courses c
                     WHERE u.email = ?2 AND c.slug IN (SELECT value FROM json_each(?3))
                     ON CONFLICT (user_id, course_id) DO UPDATE SET access_start = COALESCE(?4, access_start), access_end = ?5, status = 'active', next_notice_at = ?6",
                    &[text(parsed.as_str()), text(&serde_json::to_string(&wanted).map_err(|_| AppError::Internal)?), opt_int(start_ms), opt_int(end_ms), int(now)],
                )?,
                school.stmt(
                    "INSERT INTO @audit_log (actor_id, user_id, action, detail, source, at) SELECT ?2, id, 'student_invited', ?4, 'admin', ?5 FROM @users WHERE email = ?3",
                    &[int(actor), text(parsed.as_str()), text(&detail), int(now)],
                )?,
                school.stmt("SELECT id, status, locale FROM @users WHERE email = ?2", &[text(parsed.as_str())])?,
            ])
            .await?;
        let user = crate::kernel::db::rows::<serde_json::Value>(&results[3])?.into_iter().next().ok_or(AppError::Internal)?;
        let user_id = user["id"].as_i64().ok_or(AppError::Internal)?;
        if send && user["status"].as_str() == Some("active") {
            let locale = user["locale"].as_str().and_then(Locale::parse).unwrap_or(ctx.viewer.locale);
            let next = destination(&school, user_id).await?;
            batch(db, invitation(db, &ctx, user_id, &parsed, locale, copy_to_me, next.as_deref())?).await?;
            redirect(&format!("/admin/students/{user_id}?ok=invitation_sent"));
        } else {
            redirect(&format!("/admin/students/{user_id}?ok=student_added"));
        }
        Ok(())
    }

    /// Where a student's invitation or reminder leads: with one course, "continue" in it (the
    /// first open lesson, or where they left off); with several, their dashboard.
    pub(crate) async fn destination(school: &crate::kernel::db::SchoolDb, user_id: i64) -> Result<Option<String>, AppError> {
        let courses: Vec<serde_json::Value> = school
            .all("SELECT c.slug FROM @enrollments e JOIN @courses c ON c.id = e.course_id WHERE e.user_id = ?2 AND e.status = 'active' LIMIT 2", &[int(user_id)])
            .await?;
        Ok(match courses.as_slice() {
            [only] => only["slug"].as_str().map(crate::kernel::next::continue_path),
            _ => None,
        })
    }

    pub async fn resend_invitation(id: &str, copy_to_me: bool) -> Result<(), AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let id = id.trim().parse::<i64>().map_err(|_| AppError::BadRequest("id".into()))?;
        let school = school_db(school_id)?;
        let db = school.d1();
        let user: serde_json::Value = school.first("SELECT email, status, locale FROM @users WHERE id = ?2 AND role = 'student'", &[int(id)]).await?.ok_or(AppError::NotFound)?;
        let page = format!("/admin/students/{id}");
        if user["status"].as_str() != Some("active") {
            redirect(&crate::kernel::url::with_error(&page, "bulk_fail_deactivated", &[]));
            return Ok(());
        }
        let email = Email::parse(user["email"].as_str().unwrap_or("")).map_err(|_| AppError::Internal)?;
        let locale = user["locale"].as_str().and_then(Locale::parse).unwrap_or(ctx.viewer.locale);
        let next = destination(&school, id).await?;
        batch(db, invitation(db, &ctx, id, &email, locale, copy_to_me, next.as_deref())?).await?;
        redirect(&format!("{page}?ok=invitation_sent"));
        Ok(())
    }
}
