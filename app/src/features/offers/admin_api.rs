//! The creator's offers of a course: list, create, edit, open or close (admin Worker).

use crate::features::offers::types::AdminOffer;
use crate::kernel::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::kernel::fns::*;

#[server(prefix = "/admin/api", endpoint = "offers")]
pub async fn load_offers(course_id: i64) -> Result<Vec<AdminOffer>, AppError> {
    send(async move { ssr_impl::load_offers(course_id).await }).await
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
) -> Result<(), AppError> {
    send(async move {
        let form = crate::features::offers::rules::parse_offer(&name, &summary, &price, &access_kind, &access_days, &access_until, &seats, open.is_some());
        ssr_impl::save_offer(&course_id, &offer_id, form, &[("offer_name", name.as_str()), ("offer_summary", summary.as_str()), ("offer_price", price.as_str())]).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod ssr_impl {
    use super::*;
    use crate::features::offers::rules::OfferInput;
    use crate::features::offers::server::{OfferRow, OFFER_COLUMNS};
    use crate::kernel::db::{int, opt_int, text};
    use crate::kernel::request::school_db;

    pub async fn load_offers(course_id: i64) -> Result<Vec<AdminOffer>, AppError> {
        let (ctx, school_id) = owner()?;
        let rows: Vec<OfferRow> = school_db(school_id)?
            .all(&format!("SELECT {OFFER_COLUMNS} FROM @offers o WHERE o.course_id = ?2 ORDER BY o.position, o.id"), &[int(course_id)])
            .await?;
        Ok(rows.iter().map(|o| o.admin(ctx.viewer.time_zone(), ctx.viewer.locale)).collect())
    }

    pub async fn save_offer(course_id: &str, offer_id: &str, form: Result<OfferInput, &'static str>, keep: &[(&str, &str)]) -> Result<(), AppError> {
        let (ctx, school_id) = owner()?;
        let course_id = parse_id(course_id)?;
        let page = format!("/admin/courses/{course_id}");
        let back = |key: &str| {
            redirect(&format!("{}#offers", crate::kernel::url::with_error(&page, key, keep)));
            Ok(())
        };
        let input = match form {
            Ok(i) => i,
            Err(key) => return back(key),
        };
        // Selling needs checkout, which comes with the school's payment settings: until
        // then an offer gives access for free.
        if input.price_minor > 0 {
            return back("offer_paid_needs_payments");
        }
        let zone = crate::kernel::time::zone(ctx.viewer.time_zone());
        let until = input.access_until.map(|d| crate::features::drip::rules::local_to_utc(d.and_hms_opt(23, 59, 0).unwrap_or_default(), zone));
        let now = ctx.now_ms;
        let sdb = school_db(school_id)?;
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
        ];
        let saved = if offer_id.trim().is_empty() {
            // The course must be this school's: the INSERT selects from it.
            sdb.run(
                "INSERT INTO @offers (course_id, name, summary, price_minor, access_kind, access_days, access_until, seats, status, position, created_at, updated_at)
                 SELECT c.id, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, COALESCE((SELECT MAX(x.position) FROM @offers* x WHERE x.course_id = c.id), 0) + 1, ?11, ?11
                 FROM @courses c WHERE c.id = ?2",
                &args,
            )
            .await?
        } else {
            let id = parse_id(offer_id)?;
            sdb.run(
                "UPDATE @offers SET name = ?3, summary = ?4, price_minor = ?5, access_kind = ?6, access_days = ?7, access_until = ?8, seats = ?9, status = ?10, updated_at = ?11
                 WHERE id = ?12 AND course_id = ?2",
                &[&args[..], &[int(id)]].concat(),
            )
            .await?
        };
        if crate::kernel::db::changes(&saved) != 1 {
            return Err(AppError::NotFound);
        }
        redirect(&format!("{page}?ok=offer_saved#offers"));
        Ok(())
    }
}
