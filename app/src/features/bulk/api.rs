//! Bulk actions on a selection of students (checked rows, or all N matching the directory's
//! filter): a confirmation that states the count and the effect, then the run — each
//! student's success or failure kept and shown, every change in the audit log — and saved
//! lists (a selection kept under a name, reused as a filter).

use crate::kernel::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

/// A run acts on at most this many students (a filter over the whole school included).
pub const MAX_SELECTION: usize = 50_000;
/// Students whose emails (reminders, templated emails) are written per D1 batch.
pub const EMAIL_BATCH: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkConfirmation {
    /// The whole query, carried to the run unchanged.
    pub query: String,
    pub action: String,
    /// "Give access to Yoga (until 2026-12-31)": what will happen.
    pub effect: String,
    pub count: usize,
    pub sample: Vec<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkResultRow {
    pub user_id: i64,
    pub email: String,
    pub ok: bool,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkRunView {
    pub id: String,
    pub action: String,
    pub total: i64,
    pub succeeded: i64,
    pub failed: i64,
    pub at: i64,
    pub rows: Vec<BulkResultRow>,
}

crate::kernel::page_data! {
    pub async fn bulk_preview(query: String) -> Result<BulkConfirmation, AppError> {
        ssr_impl::preview(&query).await
    }
}

#[server(prefix = "/admin/api", endpoint = "bulk_run")]
pub async fn bulk_run(query: String) -> Result<(), AppError> {
    send(async move { ssr_impl::run(&query).await }).await
}

crate::kernel::page_data! {
    pub async fn bulk_result(id: String) -> Result<BulkRunView, AppError> {
        ssr_impl::result(&id).await
    }
}

#[server(prefix = "/admin/api", endpoint = "save_list")]
pub async fn save_list(query: String, name: String) -> Result<(), AppError> {
    send(async move { ssr_impl::save_list(&query, &name).await }).await
}

/// Renames a saved list.
#[server(prefix = "/admin/api", endpoint = "rename_list")]
pub async fn rename_list(id: String, name: String) -> Result<(), AppError> {
    send(async move { ssr_impl::rename_list(&id, &name).await }).await
}

/// Deletes a saved list (its students stay; only the list goes).
#[server(prefix = "/admin/api", endpoint = "delete_list")]
pub async fn delete_list(id: String) -> Result<(), AppError> {
    send(async move { ssr_impl::delete_list(&id).await }).await
}

crate::kernel::page_data! {
    pub async fn saved_lists() -> Result<Vec<(i64, String, i64)>, AppError> {
        ssr_impl::saved_lists().await
    }
}

#[cfg(feature = "ssr")]
mod ssr_impl {
    use super::*;
    use crate::kernel::states::AccountStatus;
    use crate::features::students::directory_api::{query_pairs, ssr_impl::{bind, filter_condition}};
    use crate::features::bulk::rules::{render_template, BulkAction, BulkError};
    use crate::features::students::directory::DirectoryFilter;
    use crate::kernel::i18n::t;
    use crate::kernel::db::{batch, int, opt_int, rows, stmt, text, SchoolDb};
    use crate::kernel::request::{db, school_db, RequestContext};
    use crate::kernel::session::DAY_MS;
    use worker::D1Database;

    fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<String> {
        pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    /// The students the query selects: the checked ids, or everyone the filter matches.
    async fn selection(db: &D1Database, ctx: &RequestContext, school_id: i64, pairs: &[(String, String)]) -> Result<Vec<i64>, AppError> {
        if get(pairs, "selection").as_deref() == Some("all") {
            let (filter, _) = DirectoryFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let (condition, params) = filter_condition(&filter, ctx.now_ms, ctx.viewer.time_zone());
            let found: Vec<serde_json::Value> = SchoolDb::new(db, school_id)
                .all(&format!("SELECT u.id FROM @users u WHERE u.role = 'student' AND {condition} ORDER BY u.email LIMIT {MAX_SELECTION}"), &bind(&params))
                .await?;
            return Ok(found.iter().filter_map(|r| r["id"].as_i64()).collect());
        }
        let asked: Vec<i64> = pairs.iter().filter(|(k, _)| k == "ids").filter_map(|(_, v)| v.parse().ok()).take(MAX_SELECTION).collect();
        if asked.is_empty() {
            return Ok(vec![]);
        }
        // Only this school's students.
        let found: Vec<serde_json::Value> = SchoolDb::new(db, school_id)
            .all("SELECT id FROM @users WHERE role = 'student' AND id IN (SELECT value FROM json_each(?2)) ORDER BY email", &[text(&serde_json::to_string(&asked).map_err(|_| AppError::Internal)?)])
            .await?;
        Ok(found.iter().filter_map(|r| r["id"].as_i64()).collect())
    }

    #[derive(Deserialize, Clone)]
    struct CourseRow {
        id: i64,
        title: String,
        slug: String,
    }

    async fn course(db: &D1Database, school_id: i64, slug: &str) -> Result<Option<CourseRow>, AppError> {
        SchoolDb::new(db, school_id).first("SELECT id, title, slug FROM @courses WHERE slug = ?2", &[text(slug)]).await
    }

    fn date_text(d: Option<chrono::NaiveDate>, locale: crate::kernel::i18n::Locale) -> String {
        d.map(|d| d.to_string()).unwrap_or_else(|| t(locale, "bulk_no_end").to_string())
    }

    fn effect(action: &BulkAction, course_title: &str, locale: crate::kernel::i18n::Locale) -> String {
        let key = format!("bulk_effect_{}", action.key());
        let text = t(locale, &key).replace("{course}", course_title);
        match action {
            BulkAction::Grant { start, end, .. } => text.replace("{start}", &start.map(|d| d.to_string()).unwrap_or_else(|| t(locale, "bulk_today").to_string())).replace("{end}", &date_text(*end, locale)),
            BulkAction::SetEnd { end, .. } => text.replace("{end}", &date_text(*end, locale)),
            BulkAction::Extend { days, .. } => crate::kernel::i18n::tn(locale, &key, *days as i64).replace("{course}", course_title),
            BulkAction::Email { subject, .. } => text.replace("{subject}", subject),
            _ => text,
        }
    }

    /// The action, checked; a course it names must exist.
    async fn checked_action(db: &D1Database, school_id: i64, pairs: &[(String, String)]) -> Result<Result<(BulkAction, Option<CourseRow>), BulkError>, AppError> {
        let action = match BulkAction::parse(|k| get(pairs, k)) {
            Ok(a) => a,
            Err(e) => return Ok(Err(e)),
        };
        let course_row = match action.course() {
            Some(slug) => match course(db, school_id, slug).await? {
                Some(c) => Some(c),
                None => return Ok(Err(BulkError::CourseRequired)),
            },
            None => None,
        };
        Ok(Ok((action, course_row)))
    }

    fn error_message(e: &BulkError, locale: crate::kernel::i18n::Locale) -> String {
        let text = t(locale, e.code()).to_string();
        match e {
            BulkError::UnknownFields(fields) => text.replace("{fields}", &fields.iter().map(|f| format!("{{{{{f}}}}}")).collect::<Vec<_>>().join(", ")).replace("{known}", &crate::features::bulk::rules::TEMPLATE_FIELDS.map(|f| format!("{{{{{f}}}}}")).join(", ")),
            _ => text,
        }
    }

    pub async fn preview(query: &str) -> Result<BulkConfirmation, AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let db = db()?;
        let pairs = query_pairs(query);
        let locale = ctx.viewer.locale;
        let ids = selection(&db, &ctx, school_id, &pairs).await?;
        let (action, effect_text, error) = match checked_action(&db, school_id, &pairs).await? {
            Ok((action, course_row)) => (action.key().to_string(), effect(&action, course_row.as_ref().map(|c| c.title.as_str()).unwrap_or(""), locale), None),
            Err(e) => (get(&pairs, "action").unwrap_or_default(), String::new(), Some(error_message(&e, locale))),
        };
        let sample: Vec<serde_json::Value> = SchoolDb::new(&db, school_id)
            .all("SELECT email FROM @users WHERE id IN (SELECT value FROM json_each(?2)) ORDER BY email LIMIT 10", &[text(&serde_json::to_string(&ids).map_err(|_| AppError::Internal)?)])
            .await?;
        Ok(BulkConfirmation {
            query: query.trim_start_matches('?').to_string(),
            action,
            effect: effect_text,
            count: ids.len(),
            sample: sample.iter().filter_map(|r| r["email"].as_str().map(String::from)).collect(),
            error,
        })
    }

    #[derive(Deserialize)]
    struct Target {
        id: i64,
        email: String,
        first_name: String,
        last_name: String,
        status: AccountStatus,
        locale: Option<String>,
        /// Email kinds this student turned off.
        mail_off: String,
        enrollment_status: Option<String>,
        access_end: Option<i64>,
        access_days: Option<i64>,
        /// Their certificate of the course, if issued.
        certificate: Option<String>,
    }

    pub async fn run(query: &str) -> Result<(), AppError> {
        let ctx = ctx()?;
        let (school_id, actor) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let school = require_school(&ctx)?;
        let db = db()?;
        let sdb = crate::kernel::db::SchoolDb::new(&db, school_id);
        let pairs = query_pairs(query);
        let (action, course_row) = match checked_action(&db, school_id, &pairs).await? {
            Ok(a) => a,
            Err(e) => {
                redirect(&crate::kernel::url::with_error(&format!("/admin/students/bulk?{}", query.trim_start_matches('?')), e.code(), &[]));
                return Ok(());
            }
        };
        let ids = selection(&db, &ctx, school_id, &pairs).await?;
        let now = ctx.now_ms;
        let zone = ctx.viewer.time_zone().to_string();
        let course_id = course_row.as_ref().map(|c| c.id).unwrap_or(0);
        let mut targets: Vec<Target> = vec![];
        for chunk in ids.chunks(1000) {
            targets.extend(
                sdb.all::<Target>(
                    "SELECT u.id, u.email, u.first_name, u.last_name, u.status, u.locale, u.mail_off, e.status AS enrollment_status, e.access_end, c.access_days,
                        (SELECT x.id FROM @certificates x WHERE x.user_id = u.id AND x.course_id = ?2) AS certificate
                     FROM @users u LEFT JOIN @enrollments e ON e.user_id = u.id AND e.course_id = ?2
                     LEFT JOIN @courses c ON c.id = e.course_id
                     WHERE u.role = 'student' AND u.id IN (SELECT value FROM json_each(?3)) ORDER BY u.email",
                    &[int(course_id), text(&serde_json::to_string(chunk).map_err(|_| AppError::Internal)?)],
                )
                .await?,
            );
        }
        // Decide each student's outcome before writing anything.
        let day = |d: chrono::NaiveDate, h: u32, m: u32| crate::features::drip::rules::local_to_utc(d.and_hms_opt(h, m, 0).unwrap_or_default(), crate::kernel::time::zone(&zone));
        let mut results: Vec<(i64, bool, &'static str)> = vec![];
        for t in &targets {
            let enrolled = t.enrollment_status.as_deref() == Some("active");
            let outcome: Result<&'static str, &'static str> = match &action {
                a if a.needs_enrollment() && !enrolled => Err("bulk_fail_not_enrolled"),
                BulkAction::Extend { .. } if t.access_end.is_none() && t.access_days.is_none() => Err("bulk_fail_no_end"),
                BulkAction::Deactivate if t.status == AccountStatus::Deactivated => Err("bulk_fail_already_deactivated"),
                BulkAction::Reactivate if t.status == AccountStatus::Active => Err("bulk_fail_already_active"),
                BulkAction::SendReminder | BulkAction::Email { .. } if t.status != AccountStatus::Active => Err("bulk_fail_deactivated"),
                BulkAction::Grant { .. } if enrolled => Ok("bulk_ok_updated"),
                BulkAction::ReissueCertificates { .. } if t.certificate.is_none() => Err("bulk_fail_no_certificate"),
                _ => Ok("bulk_ok"),
            };
            match outcome {
                Ok(m) => results.push((t.id, true, m)),
                Err(m) => results.push((t.id, false, m)),
            }
        }
        let ok_ids: Vec<i64> = results.iter().filter(|r| r.1).map(|r| r.0).collect();
        let ok_json = serde_json::to_string(&ok_ids).map_err(|_| AppError::Internal)?;
        let run_id = crate::kernel::token::new_public_id();
        let params_json = serde_json::to_string(&pairs.iter().filter(|(k, _)| k != "ids").collect::<Vec<_>>()).map_err(|_| AppError::Internal)?;
        let in_ok = "(SELECT value FROM json_each(?3))";
        let mut statements = vec![];
        match &action {
            BulkAction::Grant { start, end, .. } => statements.push(sdb.stmt(
                "INSERT INTO @enrollments (user_id, course_id, access_start, access_end, status, created_at, next_notice_at, last_notice_at)
                 SELECT j.value, ?2, COALESCE(?4, ?6), ?5, 'active', ?6, ?6, ?6 FROM json_each(?3) j WHERE true
                 ON CONFLICT (user_id, course_id) DO UPDATE SET access_start = COALESCE(?4, access_start), access_end = ?5, status = 'active', next_notice_at = ?6",
                &[int(course_id), text(&ok_json), opt_int(start.map(|d| day(d, 0, 0))), opt_int(end.map(|d| day(d, 23, 59))), int(now)],
            )?),
            BulkAction::SetEnd { end, .. } => statements.push(sdb.stmt(
                &format!("UPDATE @enrollments SET access_end = ?4, next_notice_at = ?5 WHERE course_id = ?2 AND user_id IN {in_ok}"),
                &[int(course_id), text(&ok_json), opt_int(end.map(|d| day(d, 23, 59))), int(now)],
            )?),
            BulkAction::Extend { days, .. } => statements.push(sdb.stmt(
                &format!(
                    "UPDATE @enrollments SET access_end = COALESCE(access_end, access_start + (SELECT access_days FROM @courses WHERE id = ?2) * {DAY_MS}) + ?4 * {DAY_MS}, next_notice_at = ?5
                     WHERE course_id = ?2 AND user_id IN {in_ok}"
                ),
                &[int(course_id), text(&ok_json), int(*days), int(now)],
            )?),
            BulkAction::Revoke { .. } => statements.push(sdb.stmt(&format!("UPDATE @enrollments SET status = 'revoked' WHERE course_id = ?2 AND user_id IN {in_ok}"), &[int(course_id), text(&ok_json)])?),
            BulkAction::ResetProgress { .. } => statements.push(sdb.stmt(
                &format!("DELETE FROM @completions WHERE user_id IN {in_ok} AND lesson_id IN (SELECT id FROM @lessons* l WHERE l.course_id = ?2)"),
                &[int(course_id), text(&ok_json)],
            )?),
            BulkAction::Deactivate | BulkAction::Reactivate => {
                let status = if matches!(action, BulkAction::Deactivate) { AccountStatus::Deactivated } else { AccountStatus::Active };
                statements.push(sdb.stmt(&format!("UPDATE @users SET status = ?2 WHERE id IN {in_ok}"), &[text(status.as_str()), text(&ok_json)])?);
                if status == AccountStatus::Deactivated {
                    statements.push(sdb.stmt(&format!("UPDATE @sessions SET revoked_at = ?2 WHERE revoked_at IS NULL AND user_id IN {in_ok}"), &[int(now), text(&ok_json)])?);
                }
            }
            // Redrawn after the batch (`certificates::server::reissue`), telling if asked.
            BulkAction::SendReminder | BulkAction::Email { .. } | BulkAction::ReissueCertificates { .. } => {}
        }
        let detail = serde_json::json!({ "action": action.key(), "course": action.course(), "params": get(&pairs, "start").or(get(&pairs, "end")).or(get(&pairs, "days")) }).to_string();
        statements.push(sdb.stmt(
            "INSERT INTO @audit_log (actor_id, user_id, action, detail, source, at) SELECT ?2, j.value, ?4, ?5, ?6, ?7 FROM json_each(?3) j",
            &[int(actor), text(&ok_json), text(&format!("bulk_{}", action.key())), text(&detail), text(&format!("bulk:{run_id}")), int(now)],
        )?);
        let results_json = serde_json::to_string(&results.iter().map(|(id, ok, m)| serde_json::json!({ "u": id, "ok": *ok as i64, "m": m })).collect::<Vec<_>>()).map_err(|_| AppError::Internal)?;
        let (succeeded, failed) = (ok_ids.len() as i64, (results.len() - ok_ids.len()) as i64);
        statements.push(sdb.stmt(
            "INSERT INTO @bulk_runs (id, actor_id, action, params_json, total, succeeded, failed, at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            &[text(&run_id), int(actor), text(action.key()), text(&params_json), int(results.len() as i64), int(succeeded), int(failed), int(now)],
        )?);
        statements.push(stmt(
            &db,
            "INSERT INTO bulk_results (run_id, user_id, ok, message) SELECT ?1, j.value ->> 'u', j.value ->> 'ok', j.value ->> 'm' FROM json_each(?2) j",
            &[text(&run_id), text(&results_json)],
        )?);
        batch(&db, statements).await?;
        if let BulkAction::ReissueCertificates { tell, .. } = &action {
            let issuer = crate::features::certificates::server::Issuer { now, config: &ctx.config };
            let which = crate::features::certificates::server::Reissue::Course { course_id, user_ids: Some(&ok_ids) };
            crate::features::certificates::server::reissue(&sdb, &issuer, which, *tell, None).await?;
        }

        // Emails: written in batches after the changes (each student's email whole or not at all).
        // The results already say "done"; a batch that cannot be written corrects them below.
        if matches!(action, BulkAction::SendReminder | BulkAction::Email { .. }) {
            let school_ref = crate::features::login::server::SchoolRef { id: school_id, slug: &school.slug, name: &school.name };
            let ok_targets: Vec<&Target> = targets.iter().filter(|t| ok_ids.contains(&t.id)).collect();
            let reminder_texts = match action {
                BulkAction::SendReminder => crate::features::emails::server::load(&sdb, crate::features::emails::rules::MailKind::Reminder).await?,
                _ => Default::default(),
            };
            let reminder = crate::features::emails::compose::Letter { kind: crate::features::emails::rules::MailKind::Reminder, texts: &reminder_texts, values: vec![], footer: None };
            for chunk in ok_targets.chunks(EMAIL_BATCH) {
                let mut mails = vec![];
                for t in chunk {
                    let Ok(email) = crate::kernel::email::Email::parse(&t.email) else { continue };
                    let locale = t.locale.as_deref().and_then(crate::kernel::i18n::Locale::parse).unwrap_or(ctx.viewer.locale);
                    match &action {
                        BulkAction::SendReminder => {
                            let (mut s, _) = crate::features::login::server::issue_with_letter(&db, &ctx, &school_ref, Some(t.id), &email, locale, crate::features::login::server::Purpose::Reminder, false, Some(&reminder), None)?;
                            mails.append(&mut s);
                        }
                        BulkAction::Email { subject, body, .. } => {
                            let uses_link = subject.contains("login_link") || body.contains("login_link");
                            let link_request = if uses_link {
                                let (mut s, id) = crate::features::login::server::issue_link_for_email(&db, &ctx, &school_ref, t.id, &email, None)?;
                                mails.append(&mut s);
                                Some(id)
                            } else {
                                None
                            };
                            let link = format!("{}/login/link/{}", ctx.config.school_url(&school.slug), crate::kernel::mail::LINK_PLACEHOLDER);
                            let course_title = course_row.as_ref().map(|c| c.title.clone()).unwrap_or_default();
                            let value = |field: &str| match field {
                                "first_name" => t.first_name.clone(),
                                "last_name" => t.last_name.clone(),
                                "email" => t.email.clone(),
                                "course_title" => course_title.clone(),
                                "school_name" => school.name.clone(),
                                "login_link" => link.clone(),
                                _ => String::new(),
                            };
                            let text_body = render_template(body, value);
                            // The message is posted under the student's bell too (without its
                            // login link: they are reading it logged in).
                            let in_app = render_template(body, |field| if field == "login_link" { String::new() } else { value(field) });
                            let title = render_template(subject, value);
                            let link = course_row.as_ref().map(|c| crate::kernel::next::continue_path(&c.slug)).unwrap_or_else(|| "/".to_string());
                            let notice = crate::features::notifications::server::Notice { kind: crate::kernel::states::NotificationKind::Message, title: &title, body: &in_app, link: &link };
                            mails.push(crate::features::notifications::server::notify(&sdb, t.id, &notice, now)?);
                            // The email unless the student turned the school's messages off.
                            if t.mail_off.split(',').any(|k| k == crate::kernel::states::NotificationKind::Message.as_str()) {
                                continue;
                            }
                            let html_body = crate::kernel::mail::document(locale, &title, &format!("<div style=\"white-space:pre-wrap\">{}</div>", crate::kernel::html::escape(&text_body)));
                            mails.push(crate::kernel::mail::enqueue(
                                &db,
                                Some(school_id),
                                &crate::kernel::mail::Email { to: t.email.clone(), subject: title.clone(), text: text_body, html: html_body, kind: "bulk", login_request_id: link_request },
                                now,
                            )?);
                        }
                        _ => {}
                    }
                }
                // A batch that fails is recorded as failed for its students (their results and
                // history say so); the other batches go on.
                if !mails.is_empty() && batch(&db, mails).await.is_err() {
                    let ids = serde_json::to_string(&chunk.iter().map(|t| t.id).collect::<Vec<_>>()).map_err(|_| AppError::Internal)?;
                    let n = chunk.len() as i64;
                    sdb.batch(vec![
                        sdb.stmt(
                            "UPDATE bulk_results SET ok = 0, message = 'bulk_fail_email' WHERE run_id = (SELECT id FROM @bulk_runs WHERE id = ?2) AND user_id IN (SELECT value FROM json_each(?3))",
                            &[text(&run_id), text(&ids)],
                        )?,
                        sdb.stmt("UPDATE @bulk_runs SET succeeded = succeeded - ?3, failed = failed + ?3 WHERE id = ?2", &[text(&run_id), int(n)])?,
                        sdb.stmt("DELETE FROM @audit_log WHERE source = ?2 AND user_id IN (SELECT value FROM json_each(?3))", &[text(&format!("bulk:{run_id}")), text(&ids)])?,
                    ])
                    .await?;
                }
            }
        }
        redirect(&format!("/admin/students/bulk/{run_id}"));
        Ok(())
    }

    #[derive(Deserialize)]
    struct RunRow {
        id: String,
        action: String,
        total: i64,
        succeeded: i64,
        failed: i64,
        at: i64,
    }
    #[derive(Deserialize)]
    struct ResultRow {
        user_id: i64,
        email: String,
        ok: i64,
        message: String,
    }

    pub async fn result(id: &str) -> Result<BulkRunView, AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let db = school_db(school_id)?;
        let results = db
            .batch(vec![
                db.stmt("SELECT id, action, total, succeeded, failed, at FROM @bulk_runs WHERE id = ?2", &[text(id)])?,
                db.stmt(
                    "SELECT r.user_id, u.email, r.ok, r.message FROM bulk_results r JOIN @users u ON u.id = r.user_id JOIN @bulk_runs b ON b.id = r.run_id
                     WHERE r.run_id = ?2 ORDER BY r.ok, u.email LIMIT 5000",
                    &[text(id)],
                )?,
            ])
            .await?;
        let run = rows::<RunRow>(&results[0])?.into_iter().next().ok_or(AppError::NotFound)?;
        let locale = ctx.viewer.locale;
        Ok(BulkRunView {
            id: run.id,
            action: run.action,
            total: run.total,
            succeeded: run.succeeded,
            failed: run.failed,
            at: run.at,
            rows: rows::<ResultRow>(&results[1])?.into_iter().map(|r| BulkResultRow { user_id: r.user_id, email: r.email, ok: r.ok != 0, message: t(locale, &r.message).to_string() }).collect(),
        })
    }

    pub async fn save_list(query: &str, name: &str) -> Result<(), AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let db = db()?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            redirect(&crate::kernel::url::with_error(&format!("/admin/students/bulk?{}", query.trim_start_matches('?')), "list_name_required", &[]));
            return Ok(());
        }
        let ids = selection(&db, &ctx, school_id, &query_pairs(query)).await?;
        let list: Option<serde_json::Value> = SchoolDb::new(&db, school_id).first("INSERT INTO @saved_lists (name, created_at) VALUES (?2, ?3) RETURNING id", &[text(name), int(ctx.now_ms)]).await?;
        let list_id = list.and_then(|v| v["id"].as_i64()).ok_or(AppError::Internal)?;
        let mut statements = vec![];
        for chunk in ids.chunks(5000) {
            statements.push(stmt(
                &db,
                "INSERT OR IGNORE INTO saved_list_members (list_id, user_id) SELECT ?1, value FROM json_each(?2)",
                &[int(list_id), text(&serde_json::to_string(chunk).map_err(|_| AppError::Internal)?)],
            )?);
        }
        if !statements.is_empty() {
            batch(&db, statements).await?;
        }
        redirect(&format!("/admin/students?list={list_id}"));
        Ok(())
    }

    pub async fn rename_list(id: &str, name: &str) -> Result<(), AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let id = parse_id(id)?;
        let name = name.trim();
        let page = format!("/admin/students?list={id}");
        if name.is_empty() || name.chars().count() > 100 {
            redirect(&format!("{}#list", crate::kernel::url::with_error(&page, "list_name_required", &[])));
            return Ok(());
        }
        school_db(school_id)?.run("UPDATE @saved_lists SET name = ?3 WHERE id = ?2", &[int(id), text(name)]).await?;
        redirect(&format!("{page}&ok=list_renamed#list"));
        Ok(())
    }

    pub async fn delete_list(id: &str) -> Result<(), AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let id = parse_id(id)?;
        let sdb = school_db(school_id)?;
        // Members are reached through their list, which must be this school's.
        sdb.batch(vec![
            sdb.stmt("DELETE FROM saved_list_members WHERE list_id IN (SELECT s.id FROM @saved_lists s WHERE s.id = ?2)", &[int(id)])?,
            sdb.stmt("DELETE FROM @saved_lists WHERE id = ?2", &[int(id)])?,
        ])
        .await?;
        redirect("/admin/students?ok=list_deleted");
        Ok(())
    }

    pub async fn saved_lists() -> Result<Vec<(i64, String, i64)>, AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, crate::kernel::access::Permission::ManageStudents)?;
        let found: Vec<serde_json::Value> = school_db(school_id)?
            .all("SELECT s.id, s.name, (SELECT COUNT(*) FROM saved_list_members m WHERE m.list_id = s.id) AS n FROM @saved_lists s ORDER BY s.created_at DESC LIMIT 100", &[])
            .await?;
        Ok(found.iter().filter_map(|r| Some((r["id"].as_i64()?, r["name"].as_str()?.to_string(), r["n"].as_i64()?))).collect())
    }
}
