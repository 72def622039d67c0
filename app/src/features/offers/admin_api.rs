//! The creator's offers of a course: list, create, edit, open or close (admin Worker).

use crate::features::offers::types::OffersAdmin;
use crate::kernel::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

crate::kernel::page_data! {
    pub async fn load_offers(course_id: i64) -> Result<OffersAdmin, AppError> {
        ssr_impl::load_offers(course_id).await
    }
}

/// What an offer includes (every lesson, or the checked modules and lessons) and which
/// assignments the team reviews for its students; back to the course page.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/admin/api", endpoint = "save_offer_level")]
pub async fn save_offer_level(
    course_id: String,
    offer_id: String,
    includes: String,
    reviews: String,
    module: Option<Vec<String>>,
    lesson: Option<Vec<String>>,
    review: Option<Vec<String>>,
) -> Result<(), AppError> {
    send(async move { ssr_impl::save_level(&course_id, &offer_id, &includes, &reviews, module.unwrap_or_default(), lesson.unwrap_or_default(), review.unwrap_or_default()).await }).await
}

/// Creates (`offer_id` empty) or saves an offer; back to the course page with the message.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/admin/api", endpoint = "save_offer")]
pub async fn save_offer(
    course_id: String,
    offer_id: String,
    name: String,
    summary: String,
    price: String,
    access_kind: String,
    access_days: String,
    access_until: String,
    seats: String,
    open: Option<String>,
    on_request: Option<String>,
    refund_ends_access: Option<String>,
    cohort_start: Option<String>,
) -> Result<(), AppError> {
    send(async move {
        use crate::features::offers::rules::{parse_cohort, parse_offer};
        let form = parse_offer(&name, &summary, &price, &access_kind, &access_days, &access_until, &seats, open.is_some(), on_request.is_some())
            .and_then(|input| Ok((parse_cohort(cohort_start.as_deref().unwrap_or(""), input.access_until)?, input)));
        ssr_impl::save_offer(&course_id, &offer_id, form, refund_ends_access.is_some(), &[("offer_name", name.as_str()), ("offer_summary", summary.as_str()), ("offer_price", price.as_str())]).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod ssr_impl {
    use super::*;
    use crate::features::offers::levels::{Includes, LessonRef, Reviews};
    use crate::features::offers::rules::OfferInput;
    use crate::features::offers::server::{OfferRow, OFFER_COLUMNS};
    use crate::features::offers::types::LessonChoice;
    use crate::kernel::db::{int, opt_int, text};
    use crate::kernel::request::school_db;

    #[derive(serde::Deserialize)]
    struct LessonRow {
        id: i64,
        title: String,
        module: String,
        reviewed_assignment: i64,
    }

    pub async fn load_offers(course_id: i64) -> Result<OffersAdmin, AppError> {
        let (ctx, school_id) = owner()?;
        let sdb = school_db(school_id)?;
        let results = sdb
            .batch(vec![
                sdb.stmt(&format!("SELECT {OFFER_COLUMNS} FROM @offers o WHERE o.course_id = ?2 ORDER BY o.position, o.id"), &[int(course_id)])?,
                sdb.stmt(
                    "SELECT l.id, l.title, l.module,
                        EXISTS (SELECT 1 FROM @lesson_tasks t WHERE t.lesson_id = l.id AND t.kind = 'assignment' AND t.review_required = 1) AS reviewed_assignment
                     FROM @lessons l WHERE l.course_id = ?2 ORDER BY l.position, l.id",
                    &[int(course_id)],
                )?,
            ])
            .await?;
        let (rows, lessons) = (crate::kernel::db::rows::<OfferRow>(&results[0])?, crate::kernel::db::rows::<LessonRow>(&results[1])?);
        let refs: Vec<LessonRef> = lessons.iter().map(|l| LessonRef { id: l.id, module: &l.module }).collect();
        Ok(OffersAdmin {
            offers: rows.iter().map(|o| o.admin(ctx.viewer.time_zone(), ctx.viewer.locale, &refs)).collect(),
            lessons: lessons.iter().map(|l| LessonChoice { id: l.id, title: l.title.clone(), module: l.module.clone(), reviewed_assignment: l.reviewed_assignment != 0 }).collect(),
        })
    }

    pub async fn save_level(course_id: &str, offer_id: &str, includes: &str, reviews: &str, modules: Vec<String>, lessons: Vec<String>, reviewed: Vec<String>) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let (course_id, offer_id) = (parse_id(course_id)?, parse_id(offer_id)?);
        let page = format!("/admin/courses/{course_id}");
        let (Some(includes), Some(reviews)) = (Includes::parse(includes), Reviews::parse(reviews)) else { return Err(AppError::BadRequest("level".into())) };
        let ids = |list: &[String]| -> Result<String, AppError> {
            let ids: Vec<i64> = list.iter().map(|v| parse_id(v)).collect::<Result<_, _>>()?;
            serde_json::to_string(&ids).map_err(|_| AppError::Internal)
        };
        let modules: Vec<&str> = modules.iter().map(|m| m.trim()).filter(|m| !m.is_empty()).collect();
        let (lessons, reviewed) = (ids(&lessons)?, ids(&reviewed)?);
        if includes == Includes::Chosen && modules.is_empty() && lessons == "[]" {
            redirect(&format!("{}#offer-{offer_id}", crate::kernel::url::with_error(&page, "offer_level_empty", &[])));
            return Ok(());
        }
        let modules = serde_json::to_string(&modules).map_err(|_| AppError::Internal)?;
        let sdb = school_db(school_id)?;
        // Items are chosen among the offer's own course: another course's lesson is ignored.
        let from_course = "FROM @offers o JOIN @lessons l ON l.course_id = o.course_id WHERE o.id = ?2 AND o.course_id = ?3";
        let mut statements = vec![
            sdb.stmt("UPDATE @offers SET includes = ?4, reviews = ?5 WHERE id = ?2 AND course_id = ?3", &[int(offer_id), int(course_id), text(includes.as_str()), text(reviews.as_str())])?,
            sdb.stmt("DELETE FROM @offer_items WHERE offer_id = (SELECT o.id FROM @offers o WHERE o.id = ?2 AND o.course_id = ?3)", &[int(offer_id), int(course_id)])?,
        ];
        if includes == Includes::Chosen {
            statements.push(sdb.stmt(&format!("INSERT INTO @offer_items (offer_id, kind, module) SELECT o.id, 'module', l.module {from_course} AND l.module IN (SELECT value FROM json_each(?4)) GROUP BY l.module"), &[int(offer_id), int(course_id), text(&modules)])?);
            statements.push(sdb.stmt(&format!("INSERT INTO @offer_items (offer_id, kind, lesson_id) SELECT o.id, 'lesson', l.id {from_course} AND l.id IN (SELECT value FROM json_each(?4))"), &[int(offer_id), int(course_id), text(&lessons)])?);
        }
        if reviews == Reviews::Chosen {
            statements.push(sdb.stmt(&format!("INSERT INTO @offer_items (offer_id, kind, lesson_id) SELECT o.id, 'review', l.id {from_course} AND l.id IN (SELECT value FROM json_each(?4))"), &[int(offer_id), int(course_id), text(&reviewed)])?);
        }
        sdb.batch(statements).await?;
        embeds_changed(sdb.d1(), school_id, ctx.now_ms).await?;
        redirect(&format!("{page}?ok=offer_saved#offer-{offer_id}"));
        Ok(())
    }

    pub async fn save_offer(course_id: &str, offer_id: &str, form: Result<(Option<chrono::NaiveDate>, OfferInput), &'static str>, refund_ends_access: bool, keep: &[(&str, &str)]) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let course_id = parse_id(course_id)?;
        let page = format!("/admin/courses/{course_id}");
        let back = |key: &str| {
            redirect(&format!("{}#offers", crate::kernel::url::with_error(&page, key, keep)));
            Ok(())
        };
        let (cohort, input) = match form {
            Ok(i) => i,
            Err(key) => return back(key),
        };
        let sdb = school_db(school_id)?;
        // Selling needs the school's Stripe account (Settings → Payments); prices are in
        // its currency.
        let account: Option<serde_json::Value> = sdb.first("SELECT currency FROM @school_payments", &[]).await?;
        if input.price_minor > 0 && account.is_none() {
            return back("offer_paid_needs_payments");
        }
        let currency = account.as_ref().and_then(|a| a["currency"].as_str()).unwrap_or("EUR").to_string();
        let zone = crate::kernel::time::zone(ctx.viewer.time_zone());
        let until = input.access_until.map(|d| crate::features::drip::rules::local_to_utc(d.and_hms_opt(23, 59, 0).unwrap_or_default(), zone));
        // A cohort starts at the school's midnight of its first day.
        let cohort = cohort.map(|d| crate::features::drip::rules::local_to_utc(d.and_hms_opt(0, 0, 0).unwrap_or_default(), zone));
        let now = ctx.now_ms;
        let args = [
            int(course_id),
            text(&input.name),
            text(&input.summary),
            int(input.price_minor),
            text(input.access_kind.as_str()),
            opt_int(input.access_days),
            opt_int(until),
            opt_int(input.seats),
            text(input.status.as_str()),
            int(now),
            int(input.on_request as i64),
            text(&currency),
            int(refund_ends_access as i64),
            opt_int(cohort),
        ];
        let saved = if offer_id.trim().is_empty() {
            // The course must be this school's: the INSERT selects from it.
            sdb.run(
                "INSERT INTO @offers (course_id, name, summary, price_minor, access_kind, access_days, access_until, seats, status, on_request, currency, refund_ends_access, cohort_start, position, created_at, updated_at)
                 SELECT c.id, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?12, ?13, ?14, ?15, COALESCE((SELECT MAX(x.position) FROM @offers* x WHERE x.course_id = c.id), 0) + 1, ?11, ?11
                 FROM @courses c WHERE c.id = ?2",
                &args,
            )
            .await?
        } else {
            let id = parse_id(offer_id)?;
            sdb.run(
                "UPDATE @offers SET name = ?3, summary = ?4, price_minor = ?5, access_kind = ?6, access_days = ?7, access_until = ?8, seats = ?9, status = ?10, updated_at = ?11, on_request = ?12, currency = ?13, refund_ends_access = ?14, cohort_start = ?15
                 WHERE id = ?16 AND course_id = ?2",
                &[&args[..], &[int(id)]].concat(),
            )
            .await?
        };
        if crate::kernel::db::changes(&saved) != 1 {
            return Err(AppError::NotFound);
        }
        // The course's public page shows its offers.
        embeds_changed(sdb.d1(), school_id, now).await?;
        redirect(&format!("{page}?ok=offer_saved#offers"));
        Ok(())
    }
}

crate::kernel::page_data! {
    /// The pending requests to join offers "on request", oldest first (the students page).
    pub async fn load_join_requests() -> Result<Vec<crate::features::offers::types::JoinRequest>, AppError> {
        requests::pending().await
    }
}

/// Approves (`decision` = `approve`) or declines a request; the student is emailed either way.
#[server(prefix = "/admin/api", endpoint = "decide_join_request")]
pub async fn decide_join_request(id: String, decision: String) -> Result<(), AppError> {
    send(async move { requests::decide(&id, &decision).await }).await
}

#[cfg(feature = "ssr")]
pub use requests::JoinRequestsPrefetch;

#[cfg(feature = "ssr")]
mod requests {
    use super::*;
    use crate::features::login::server::{issue_with_letter, Purpose, SchoolRef};
    use crate::features::offers::server::{OfferRow, OFFER_COLUMNS};
    use crate::features::offers::types::JoinRequest;
    use crate::kernel::access::Permission;
    use crate::kernel::db::{int, opt_int, text};
    use crate::kernel::email::Email;
    use crate::kernel::html::escape;
    use crate::kernel::i18n::{t, Locale};
    use serde::Deserialize;

    /// Requests waiting for the creator, oldest first.
    const PENDING: &str = "SELECT r.id, u.email, c.title AS course_title, o.name AS offer_name, r.created_at
         FROM @join_requests r JOIN @users u ON u.id = r.user_id JOIN @offers* o ON o.id = r.offer_id JOIN @courses c ON c.id = o.course_id
         WHERE r.status = 'pending' ORDER BY r.created_at, r.id LIMIT 200";

    /// The pending requests in the viewer's own batch (the students page): no round trip
    /// of their own.
    #[derive(Default)]
    pub struct JoinRequestsPrefetch;

    /// What the prefetch read.
    struct PendingRead(Vec<JoinRequest>);

    impl crate::kernel::request::Prefetch for JoinRequestsPrefetch {
        fn statements(&self, db: &worker::D1Database, on: &crate::kernel::request::PrefetchScope) -> Result<Vec<worker::D1PreparedStatement>, AppError> {
            Ok(vec![crate::kernel::db::SchoolDb::by_slug(db, on.school_slug).stmt(PENDING, &[])?])
        }
        fn decode(&self, results: &[worker::D1Result]) -> Result<crate::kernel::request::Prefetched, AppError> {
            Ok(crate::kernel::request::Prefetched::new(PendingRead(crate::kernel::db::rows(results.first().ok_or(AppError::Internal)?)?)))
        }
        fn for_session_user(&self) -> bool {
            true
        }
    }

    pub async fn pending() -> Result<Vec<JoinRequest>, AppError> {
        let ctx = ctx()?;
        let (school_id, _) = require_staff(&ctx.viewer, Permission::ManageStudents)?;
        if let Some(PendingRead(read)) = ctx.prefetched::<PendingRead>() {
            return Ok(read.clone());
        }
        crate::kernel::request::school_db(school_id)?.all(PENDING, &[]).await
    }

    #[derive(Deserialize)]
    struct Pending {
        user_id: i64,
        email: String,
        locale: Option<String>,
        course_title: String,
        course_slug: String,
        #[serde(flatten)]
        offer: OfferRow,
    }

    pub async fn decide(id: &str, decision: &str) -> Result<(), AppError> {
        let ctx = ctx()?;
        let (school_id, actor) = require_staff(&ctx.viewer, Permission::ManageStudents)?;
        let school = require_school(&ctx)?;
        let id = parse_id(id)?;
        let approve = match decision {
            "approve" => true,
            "decline" => false,
            _ => return Err(AppError::BadRequest("decision".into())),
        };
        let sdb = crate::kernel::request::school_db(school_id)?;
        let Some(p) = sdb
            .first::<Pending>(
                &format!(
                    "SELECT r.user_id, u.email, u.locale, c.title AS course_title, c.slug AS course_slug, {OFFER_COLUMNS}
                     FROM @join_requests r JOIN @users u ON u.id = r.user_id JOIN @offers* o ON o.id = r.offer_id JOIN @courses c ON c.id = o.course_id
                     WHERE r.id = ?2 AND r.status = 'pending'"
                ),
                &[int(id)],
            )
            .await?
        else {
            // Decided already (another tab, a colleague): the list shows what is left.
            redirect("/admin/students?ok=join_request_done#requests");
            return Ok(());
        };
        let now = ctx.now_ms;
        let locale = p.locale.as_deref().and_then(Locale::parse).unwrap_or(ctx.viewer.locale);
        let email = Email::parse(&p.email).map_err(|_| AppError::Internal)?;
        // The decision, claimed once: a second click writes nothing.
        let mut statements = vec![sdb.stmt(
            "UPDATE @join_requests SET status = ?3, decided_at = ?4, decided_by = ?5 WHERE id = ?2 AND status = 'pending'",
            &[int(id), text(if approve { "approved" } else { "declined" }), int(now), int(actor)],
        )?];
        let course_page = format!("/courses/{}", p.course_slug);
        if approve {
            statements.push(sdb.stmt(
                "INSERT INTO @enrollments (user_id, course_id, offer_id, access_start, access_end, status, created_at, next_notice_at, last_notice_at)
                 VALUES (?2, ?3, ?4, ?5, ?6, 'active', ?7, ?7, ?7)
                 ON CONFLICT (user_id, course_id) DO UPDATE SET status = 'active', offer_id = excluded.offer_id, access_end = excluded.access_end",
                &[int(p.user_id), int(p.offer.course_id), int(p.offer.id), int(p.offer.access_window(now).0), opt_int(p.offer.access_window(now).1), int(now)],
            )?);
            // Accepted: the school's invitation to the course.
            let texts = crate::features::emails::server::load(&sdb, crate::features::emails::rules::MailKind::Invitation).await?;
            let letter = crate::features::emails::compose::Letter { kind: crate::features::emails::rules::MailKind::Invitation, texts: &texts, values: vec![("course_title", p.course_title.clone())], footer: None };
            let (mut mail, _) = issue_with_letter(
                sdb.d1(),
                &ctx,
                &SchoolRef { id: school_id, slug: &school.slug, name: &school.name },
                Some(p.user_id),
                &email,
                locale,
                Purpose::Invite,
                false,
                Some(&letter),
                Some(&course_page),
            )?;
            statements.append(&mut mail);
        } else {
            let mail = declined_email(locale, &p.email, &school.name, &p.course_title, &ctx.config.school_url(&school.slug));
            statements.push(crate::kernel::mail::enqueue(sdb.d1(), Some(school_id), &mail, now)?);
        }
        sdb.batch(statements).await?;
        redirect(&format!("/admin/students?ok={}#requests", if approve { "join_request_approved" } else { "join_request_declined" }));
        Ok(())
    }

    /// "Your request was not accepted": the school's name and where its other courses are.
    fn declined_email(locale: Locale, to: &str, school_name: &str, course_title: &str, school_url: &str) -> crate::kernel::mail::Email {
        let subject = format!("{} – {school_name}", t(locale, "mail_join_declined_subject"));
        let body = t(locale, "mail_join_declined").replace("{course}", course_title);
        let text_body = format!("{school_name}\n\n{body}\n\n{school_url}\n");
        let html = format!("<h1 style=\"font-size:1.2rem\">{}</h1><p>{}</p><p><a href=\"{url}\">{url}</a></p>", escape(school_name), escape(&body), url = escape(school_url));
        crate::kernel::mail::Email { to: to.to_string(), subject: subject.clone(), text: text_body, html: crate::kernel::mail::document(locale, &subject, &html), kind: "join_declined", login_request_id: None }
    }
}
