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
    use crate::features::emails::compose::Letter;
    use crate::features::emails::rules::{MailKind, SchoolTexts};
    use crate::kernel::mail::enqueue;
    use crate::kernel::request::{school_db, RequestContext};
    use serde::Deserialize;
    use worker::{D1Database, D1PreparedStatement};

    const FORM: &str = "/admin/students";

    /// The invitation's statements (request + email in the school's words), and the copy for
    /// the creator if asked (the same email, its code and link hidden).
    #[allow(clippy::too_many_arguments)]
    fn invitation(db: &D1Database, ctx: &RequestContext, user_id: i64, email: &Email, locale: Locale, copy_to_me: bool, invitee: &Invitee, texts: &SchoolTexts) -> Result<Vec<D1PreparedStatement>, AppError> {
        let school = require_school(ctx)?;
        let school_ref = SchoolRef { id: school.id, slug: &school.slug, name: &school.name };
        let letter = Letter { kind: MailKind::Invitation, texts, values: vec![("course_title", invitee.courses.clone())], footer: None };
        let (mut statements, _) = crate::features::login::server::issue_with_letter(db, ctx, &school_ref, Some(user_id), email, locale, Purpose::Invite, false, Some(&letter), invitee.next.as_deref())?;
        if copy_to_me {
            if let Some(owner) = &ctx.viewer.user {
                let viewer_locale = ctx.viewer.locale;
                let hidden = t(viewer_locale, "mail_copy_hidden").to_string();
                let values = vec![
                    ("course_title", invitee.courses.clone()),
                    ("first_name", invitee.first_name.clone()),
                    ("last_name", invitee.last_name.clone()),
                    ("school_name", school.name.clone()),
                    ("login_link", format!("{}/login/link/{hidden}", ctx.config.school_url(&school.slug))),
                    ("login_code", hidden),
                ];
                let mut copy = Letter { kind: MailKind::Invitation, texts, values, footer: None }.compose(locale, &owner.email, "copy");
                let intro = t(viewer_locale, "mail_copy_intro").replace("{email}", email.as_str());
                copy.subject = format!("{} {}", t(viewer_locale, "mail_copy_prefix"), copy.subject);
                copy.text = format!("{intro}\n\n{}", copy.text);
                copy.html = copy.html.replacen("<body", &format!("<body><p><em>{}</em></p><div", crate::kernel::html::escape(&intro)), 1).replacen("</body>", "</div></body>", 1);
                statements.push(enqueue(db, Some(school.id), &copy, ctx.now_ms)?);
            }
        }
        Ok(statements)
    }

    /// What an invitation says of its student: where its link leads (with one course,
    /// "continue" in it; with several, the dashboard), the courses' titles, the names.
    pub(crate) struct Invitee {
        pub next: Option<String>,
        pub courses: String,
        pub first_name: String,
        pub last_name: String,
        pub locale: Option<Locale>,
    }

    pub(crate) async fn invitee(school: &crate::kernel::db::SchoolDb, user_id: i64) -> Result<Invitee, AppError> {
        #[derive(Deserialize)]
        struct Row {
            first_name: String,
            last_name: String,
            locale: Option<String>,
            slug: Option<String>,
            title: Option<String>,
        }
        let rows: Vec<Row> = school
            .all(
                "SELECT u.first_name, u.last_name, u.locale, c.slug, c.title FROM @users u
                 LEFT JOIN @enrollments e ON e.user_id = u.id AND e.status = 'active' LEFT JOIN @courses c ON c.id = e.course_id
                 WHERE u.id = ?2 ORDER BY e.created_at LIMIT 20",
                &[int(user_id)],
            )
            .await?;
        let courses: Vec<(&str, &str)> = rows.iter().filter_map(|r| Some((r.slug.as_deref()?, r.title.as_deref()?))).collect();
        Ok(Invitee {
            next: match courses.as_slice() {
                [(slug, _)] => Some(crate::kernel::next::continue_path(slug)),
                _ => None,
            },
            courses: courses.iter().map(|(_, title)| *title).collect::<Vec<_>>().join(", "),
            first_name: rows.first().map(|r| r.first_name.clone()).unwrap_or_default(),
            last_name: rows.first().map(|r| r.last_name.clone()).unwrap_or_default(),
            locale: rows.first().and_then(|r| r.locale.as_deref()).and_then(Locale::parse),
        })
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
            let invitee = invitee(&school, user_id).await?;
            let texts = crate::features::emails::server::load(&school, MailKind::Invitation).await?;
            batch(db, invitation(db, &ctx, user_id, &parsed, locale, copy_to_me, &invitee, &texts)?).await?;
            redirect(&format!("/admin/students/{user_id}?ok=invitation_sent"));
        } else {
            redirect(&format!("/admin/students/{user_id}?ok=student_added"));
        }
        Ok(())
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
        let invitee = invitee(&school, id).await?;
        let texts = crate::features::emails::server::load(&school, MailKind::Invitation).await?;
        batch(db, invitation(db, &ctx, id, &email, locale, copy_to_me, &invitee, &texts)?).await?;
        redirect(&format!("{page}?ok=invitation_sent"));
        Ok(())
    }
}
