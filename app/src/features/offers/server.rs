//! Offers, the queries (scoped SQL through `SchoolDb`) and their rows.

use crate::features::offers::levels::{Includes, ItemKind, LessonRef, Level, Reviews};
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
    pub includes: Includes,
    pub reviews: Reviews,
    /// Its chosen parts as JSON: `[[kind, lesson_id, module], ...]`.
    pub items: String,
    /// The school's prices include taxes (`None`: no payments connected).
    pub tax_inclusive: Option<i64>,
    /// A cohort: its students start together on this instant.
    pub cohort_start: Option<i64>,
}

/// The columns of `OfferRow`, for a query that aliases offers `o`.
pub const OFFER_COLUMNS: &str = "o.id, o.course_id, o.name, o.summary, o.price_minor, o.currency, o.access_kind, o.access_days, o.access_until, o.seats, o.status, o.on_request, o.refund_ends_access,
    (SELECT COUNT(*) FROM @enrollments x WHERE x.offer_id = o.id) AS taken, o.includes, o.reviews,
    (SELECT json_group_array(json_array(i.kind, i.lesson_id, i.module)) FROM @offer_items i WHERE i.offer_id = o.id) AS items,
    (SELECT p.tax_inclusive FROM @school_payments p) AS tax_inclusive, o.cohort_start";

/// The offers of the course whose slug is `?2` that its pages show: the open ones, and the
/// one the viewer (`user`, an SQL expression) joined through, open or not (their level and
/// the upgrades from it). In the creator's order; read in the page's one batch.
pub fn offers_of_course(user: &str) -> String {
    format!(
        "SELECT {OFFER_COLUMNS} FROM @offers* o JOIN @courses c ON c.id = o.course_id
         WHERE c.slug = ?2 AND ((o.status = 'open' AND o.deleted_at IS NULL) OR o.id IN (SELECT e.offer_id FROM @enrollments e WHERE e.course_id = c.id AND e.user_id = {user}))
         ORDER BY o.position, o.id"
    )
}

impl OfferRow {
    /// What it includes and which assignments are reviewed for its students.
    pub fn level(&self) -> Level {
        let items: Vec<(ItemKind, Option<i64>, Option<String>)> = serde_json::from_str(&self.items).unwrap_or_default();
        Level::from_items(self.includes, self.reviews, &items)
    }

    /// When a student joining now starts, and when their access ends.
    pub fn access_window(&self, now: i64) -> (i64, Option<i64>) {
        let start = crate::features::offers::rules::access_start(self.cohort_start, now);
        (start, self.access().end(start))
    }

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

    /// "Lifetime access", "Access for 30 days", "Access until Thu 31 Dec 2026", after
    /// "Starts on 5 Jan 2027" for a cohort.
    pub fn access_label(&self, zone: &str, locale: Locale) -> String {
        let length = match self.access() {
            Access::Forever => t(locale, "offer_access_forever").to_string(),
            Access::Days(d) => tn(locale, "offer_access_days", d),
            Access::Until(u) => t(locale, "offer_access_until").replace("{date}", &crate::kernel::time::date(u, zone, locale)),
        };
        match self.cohort_start {
            Some(start) => format!("{} · {length}", t(locale, "offer_cohort_starts").replace("{date}", &crate::kernel::time::date(start, zone, locale))),
            None => length,
        }
    }

    pub fn card(&self, now: i64, zone: &str, locale: Locale) -> OfferCard {
        let free = self.price().is_free();
        OfferCard {
            id: self.id,
            name: self.name.clone(),
            summary: self.summary.clone(),
            price: if free { String::new() } else { format!("{} {}", self.price().format(locale), t(locale, if self.tax_inclusive == Some(0) { "price_plus_tax" } else { "price_incl_tax" })) },
            free,
            access: self.access_label(zone, locale),
            seats_note: seats_left(self.seats, self.taken).map(|n| tn(locale, "offer_seats_left", n)),
            on_request: self.on_request != 0,
            unavailable: self.joinable(now).err().map(|key| t(locale, key).to_string()),
            upgrade: None,
        }
    }

    /// The creator's view; `course` (the course's lessons) counts what the level includes.
    pub fn admin(&self, zone: &str, locale: Locale, course: &[LessonRef]) -> AdminOffer {
        let free = self.price().is_free();
        let level = self.level();
        let included = course.len() - level.outside(course).len();
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
            cohort_start: self.cohort_start.map(|c| crate::kernel::time::local_day(c, zone)).unwrap_or_default(),
            students: self.taken,
            includes_all: level.all,
            level_label: if level.all { t(locale, "offer_level_all").to_string() } else { tn(locale, "offer_level_label", included as i64).replace("{total}", &course.len().to_string()) },
            modules: level.modules,
            lessons: level.lessons,
            reviews: self.reviews.as_str().to_string(),
            reviewed: level.reviewed.unwrap_or_default(),
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

    /// Back to the offers on the course page, saying why, with what the visitor typed.
    pub fn refuse(&self, key: &str, keep: &[(&str, &str)]) -> Result<(), crate::kernel::error::AppError> {
        crate::kernel::fns::redirect(&format!("{}#offers", crate::kernel::url::with_error(&self.page(), key, keep)));
        Ok(())
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

/// What buying an offer is for a logged-in buyer: joining, or an upgrade from the offer they
/// follow the course through (the difference to pay).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purchase {
    Join,
    Upgrade { from: i64, price_minor: i64 },
}

/// Joining for a buyer without access now; an upgrade for a student of a smaller offer;
/// otherwise refused (`offer_already_in`): a student never buys a level they have, or less.
pub async fn purchase_for(sdb: &crate::kernel::db::SchoolDb, user_id: i64, target: &OfferTarget, now: i64) -> Result<Result<Purchase, &'static str>, crate::kernel::error::AppError> {
    use crate::features::offers::levels::{upgrade_price, Tier};
    use crate::kernel::db::{int, rows};
    #[derive(Deserialize)]
    struct Current {
        offer_id: Option<i64>,
        status: crate::kernel::states::EnrollmentStatus,
        access_end: Option<i64>,
    }
    #[derive(Deserialize)]
    struct Lesson {
        id: i64,
        module: String,
    }
    let (user, course) = (int(user_id), int(target.offer.course_id));
    let results = sdb
        .batch(vec![
            sdb.stmt("SELECT e.offer_id, e.status, e.access_end FROM @enrollments e WHERE e.user_id = ?2 AND e.course_id = ?3", &[user.clone(), course.clone()])?,
            sdb.stmt(&format!("SELECT {OFFER_COLUMNS} FROM @offers* o WHERE o.id = (SELECT e.offer_id FROM @enrollments e WHERE e.user_id = ?2 AND e.course_id = ?3)"), &[user, course.clone()])?,
            sdb.stmt("SELECT l.id, l.module FROM @lessons l WHERE l.course_id = ?2 AND l.status = 'published' ORDER BY l.position, l.id", &[course])?,
        ])
        .await?;
    let Some(current) = rows::<Current>(&results[0])?.into_iter().next() else { return Ok(Ok(Purchase::Join)) };
    let active = current.status == crate::kernel::states::EnrollmentStatus::Active && current.access_end.is_none_or(|end| end > now);
    if !active {
        return Ok(Ok(Purchase::Join));
    }
    let (Some(from), Some(own)) = (current.offer_id, rows::<OfferRow>(&results[1])?.into_iter().next()) else { return Ok(Err("offer_already_in")) };
    let lessons = rows::<Lesson>(&results[2])?;
    let refs: Vec<LessonRef> = lessons.iter().map(|l| LessonRef { id: l.id, module: &l.module }).collect();
    let (own_level, target_level) = (own.level(), target.offer.level());
    let price = upgrade_price(
        &Tier { offer_id: from, price_minor: own.price_minor, level: &own_level },
        &Tier { offer_id: target.offer.id, price_minor: target.offer.price_minor, level: &target_level },
        &refs,
    );
    Ok(price.map(|price_minor| Purchase::Upgrade { from, price_minor }).ok_or("offer_already_in"))
}
