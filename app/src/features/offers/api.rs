//! Joining an offer (student Worker). A logged-in student is enrolled at once; a visitor
//! gives their email and is enrolled when the login code or link confirms it — the offer,
//! its access end and the first lesson ride on the login request (`login::server::Join`).

use crate::kernel::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[server(endpoint = "join_offer")]
pub async fn join_offer(offer_id: String, email: Option<String>) -> Result<(), AppError> {
    send(async move { ssr_impl::join_offer(&offer_id, email.as_deref()).await }).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr_impl {
    use super::*;
    use crate::features::login::server::{Join, LoginFailureOr};
    use crate::features::offers::server::OfferRow;
    use crate::kernel::db::{int, opt_int, rows, text};
    use crate::kernel::email::Email;
    use crate::kernel::url::with_error;

    pub async fn join_offer(offer_id: &str, email: Option<&str>) -> Result<(), AppError> {
        let ctx = ctx()?;
        let school = require_school(&ctx)?;
        let sdb = crate::kernel::request::school_db(school.id)?;
        let id = parse_id(offer_id)?;
        // The offer, its course and the course's first published lesson (where joining leads).
        let target = crate::features::offers::server::load_target(&sdb, id).await?.ok_or(AppError::NotFound)?;
        let page = target.page();
        let keep = [("email", email.unwrap_or(""))];
        let back = |key: &str| target.refuse(key, &keep);
        let now = ctx.now_ms;
        if let Err(key) = target.offer.joinable(now) {
            return back(key);
        }
        if !target.offer.price().is_free() {
            // Paid offers are joined through checkout only.
            return back("offer_not_free");
        }
        // Where the confirmed email leads: the first lesson, or for an offer on request the
        // course page saying the request is with the creator.
        let on_request = target.offer.on_request != 0;
        let next = match (on_request, target.first_lesson) {
            (true, _) => format!("{page}?ok=offer_requested"),
            (false, Some(l)) => format!("{page}/lessons/{l}"),
            (false, None) => page.clone(),
        };
        let (access_start, access_end) = target.offer.access_window(now);
        if let Some(user) = &ctx.viewer.user {
            if on_request {
                let asked = ask(&sdb, user.id, &target.offer, now).await?;
                redirect(&format!("{page}?ok={}#offers", if asked { "offer_requested" } else { "offer_request_pending" }));
            } else {
                let joined = enrol(&sdb, user.id, &target.offer, access_start, access_end, now).await?;
                redirect(&format!("{next}?ok={}", if joined { "offer_joined" } else { "offer_already_in" }));
            }
            return Ok(());
        }
        let email = match Email::parse(email.unwrap_or("")) {
            Ok(e) => e,
            Err(e) => return back(e.code()),
        };
        // The account exists from here (a student, not yet enrolled): the login email goes
        // to known accounts only. Enrolment waits for the email to be confirmed.
        // (An address merged into another account is that account: nothing to create.)
        let account = crate::features::merge::server::account_email(&sdb, email.as_str()).await?;
        sdb.run(
            "INSERT INTO @users (email, role, locale, created_at) VALUES (?2, 'student', ?3, ?4) ON CONFLICT (school_id, email) DO NOTHING",
            &[text(&account), text(ctx.viewer.locale.code()), int(now)],
        )
        .await?;
        let join = Join { offer_id: id, course_id: target.offer.course_id, access_start: target.offer.cohort_start, access_end, next: next.clone() };
        let db = crate::kernel::request::db()?;
        match crate::features::login::server::request_code_to_join(&db, &ctx, &email, &join).await {
            Ok(done) => {
                set_cookie(&done.set_cookie);
                redirect(&format!("/login/code?email={}&next={}", crate::kernel::url::encode(email.as_str()), crate::kernel::url::encode(&next)));
                Ok(())
            }
            Err(LoginFailureOr::Failure(f)) => {
                let (key, retry) = f.key_and_retry();
                let mut to = with_error(&page, key, &keep);
                if let Some(at) = retry {
                    to.push_str(&format!("&retry={at}"));
                }
                redirect(&format!("{to}#offers"));
                Ok(())
            }
            Err(LoginFailureOr::Error(e)) => Err(e),
        }
    }

    /// Enrols a logged-in student through an offer, if a seat is free; `false` when they
    /// were already enrolled in the course (nothing changes: a free offer never shortens or
    /// reopens an enrollment).
    async fn enrol(sdb: &crate::kernel::db::SchoolDb, user_id: i64, offer: &OfferRow, access_start: i64, access_end: Option<i64>, now: i64) -> Result<bool, AppError> {
        let results = sdb
            .batch(vec![sdb.stmt(
                &format!("INSERT INTO @enrollments (user_id, course_id, offer_id, access_start, access_end, status, created_at, next_notice_at, last_notice_at)
                     SELECT ?2, o.course_id, o.id, ?6, ?5, 'active', ?4, ?4, ?4 FROM @offers o
                     WHERE o.id = ?3 AND {SEAT_FREE}
                     ON CONFLICT (user_id, course_id) DO NOTHING RETURNING id"),
                &[int(user_id), int(offer.id), int(now), opt_int(access_end), int(access_start)],
            )?])
            .await?;
        // The row it wrote, if any (D1's count of changes includes what triggers wrote).
        Ok(!rows::<serde_json::Value>(&results[0])?.is_empty())
    }

    /// Records a logged-in student's request to join an offer on request; `false` when one
    /// was already made (pending, or decided).
    async fn ask(sdb: &crate::kernel::db::SchoolDb, user_id: i64, offer: &OfferRow, now: i64) -> Result<bool, AppError> {
        let done = sdb
            .run(
                &format!("INSERT INTO @join_requests (offer_id, user_id, status, created_at)
                     SELECT o.id, ?2, 'pending', ?4 FROM @offers o WHERE o.id = ?3 AND {SEAT_FREE}
                     ON CONFLICT (offer_id, user_id) DO NOTHING"),
                &[int(user_id), int(offer.id), int(now)],
            )
            .await?;
        Ok(crate::kernel::db::changes(&done) == 1)
    }

    /// An offer `o` that is open and has a seat left (checked in the write itself, so two
    /// visitors cannot take the last seat together).
    pub const SEAT_FREE: &str = "o.status = 'open' AND (o.seats IS NULL OR (SELECT COUNT(*) FROM @enrollments x WHERE x.offer_id = o.id) < o.seats)";
}
