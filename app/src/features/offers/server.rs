//! Offers, the queries (scoped SQL through `SchoolDb`) and their rows.

use crate::features::offers::rules::{may_join, seats_left, Access, AccessKind, Currency, Money, OfferStatus};
use crate::features::offers::types::{AdminOffer, OfferCard};
use crate::kernel::i18n::{t, tn, Locale};
use serde::Deserialize;

/// An offer as stored, with how many students joined through it (`taken`).
#[derive(Debug, Clone, Deserialize)]
pub struct OfferRow {
    pub id: i64,
    pub course_id: i64,
    pub name: String,
    pub summary: String,
    pub price_minor: i64,
    pub currency: Currency,
    pub access_kind: AccessKind,
    pub access_days: Option<i64>,
    pub access_until: Option<i64>,
    pub seats: Option<i64>,
    pub status: OfferStatus,
    pub on_request: i64,
    pub refund_ends_access: i64,
    pub taken: i64,
}

/// The columns of `OfferRow`, for a query that aliases offers `o`.
pub const OFFER_COLUMNS: &str = "o.id, o.course_id, o.name, o.summary, o.price_minor, o.currency, o.access_kind, o.access_days, o.access_until, o.seats, o.status, o.on_request, o.refund_ends_access,
    (SELECT COUNT(*) FROM @enrollments x WHERE x.offer_id = o.id) AS taken";

/// The open offers of the course whose slug is `?2`, in the creator's order: the course
/// page reads them in its one batch.
pub fn open_offers_of_course() -> String {
    format!("SELECT {OFFER_COLUMNS} FROM @offers o JOIN @courses c ON c.id = o.course_id WHERE c.slug = ?2 AND o.status = 'open' ORDER BY o.position, o.id")
}

impl OfferRow {
    pub fn access(&self) -> Access {
        Access::from_columns(self.access_kind, self.access_days, self.access_until)
    }

    pub fn price(&self) -> Money {
        Money { minor: self.price_minor, currency: self.currency }
    }

    /// Whether a visitor may join now (a message key otherwise).
    pub fn joinable(&self, now: i64) -> Result<(), &'static str> {
        may_join(self.status, self.access(), self.seats, self.taken, now)
    }

    /// "Lifetime access", "Access for 30 days", "Access until Thu 31 Dec 2026".
    pub fn access_label(&self, zone: &str, locale: Locale) -> String {
        match self.access() {
            Access::Forever => t(locale, "offer_access_forever").to_string(),
            Access::Days(d) => tn(locale, "offer_access_days", d),
            Access::Until(u) => t(locale, "offer_access_until").replace("{date}", &crate::kernel::time::date(u, zone, locale)),
        }
    }

    pub fn card(&self, now: i64, zone: &str, locale: Locale) -> OfferCard {
        let free = self.price().is_free();
        OfferCard {
            id: self.id,
            name: self.name.clone(),
            summary: self.summary.clone(),
            price: if free { String::new() } else { self.price().format(locale) },
            free,
            access: self.access_label(zone, locale),
            seats_note: seats_left(self.seats, self.taken).map(|n| tn(locale, "offer_seats_left", n)),
            on_request: self.on_request != 0,
            unavailable: self.joinable(now).err().map(|key| t(locale, key).to_string()),
        }
    }

    pub fn admin(&self, zone: &str, locale: Locale) -> AdminOffer {
        let free = self.price().is_free();
        AdminOffer {
            id: self.id,
            name: self.name.clone(),
            summary: self.summary.clone(),
            price_text: if free { String::new() } else { format!("{},{:02}", self.price_minor / 100, self.price_minor % 100) },
            price_label: if free { t(locale, "offer_free").to_string() } else { self.price().format(locale) },
            access_kind: self.access_kind.as_str().to_string(),
            access_days: self.access_days,
            access_until: self.access_until.map(|u| crate::kernel::time::local_day(u, zone)).unwrap_or_default(),
            access_label: self.access_label(zone, locale),
            seats: self.seats,
            open: self.status == OfferStatus::Open,
            on_request: self.on_request != 0,
            refund_ends_access: self.refund_ends_access != 0,
            students: self.taken,
        }
    }
}

/// An offer a visitor acts on (joins, buys), with its course: from the offer's id.
#[derive(Debug, Clone, Deserialize)]
pub struct OfferTarget {
    #[serde(flatten)]
    pub offer: OfferRow,
    pub slug: String,
    pub title: String,
    course_status: String,
    /// The course's first published lesson: where joining leads.
    pub first_lesson: Option<i64>,
}

impl OfferTarget {
    /// The course's public page.
    pub fn page(&self) -> String {
        format!("/courses/{}", self.slug)
    }
}

/// The offer and its course, if the course is published (anything else is not there for a
/// visitor).
pub async fn load_target(sdb: &crate::kernel::db::SchoolDb, offer_id: i64) -> Result<Option<OfferTarget>, crate::kernel::error::AppError> {
    let target: Option<OfferTarget> = sdb
        .first(
            &format!(
                "SELECT {OFFER_COLUMNS}, c.slug, c.title, c.status AS course_status,
                    (SELECT l.id FROM @lessons l WHERE l.course_id = c.id AND l.status = 'published' ORDER BY l.position, l.id LIMIT 1) AS first_lesson
                 FROM @offers o JOIN @courses c ON c.id = o.course_id WHERE o.id = ?2"
            ),
            &[crate::kernel::db::int(offer_id)],
        )
        .await?;
    Ok(target.filter(|t| t.course_status == "published"))
}
