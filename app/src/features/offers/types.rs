//! What the offer pages receive.

use serde::{Deserialize, Serialize};

/// An open offer as a visitor reads it on the course page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferCard {
    pub id: i64,
    pub name: String,
    pub summary: String,
    /// The price as the reader's language writes it; empty when free.
    pub price: String,
    pub free: bool,
    /// "Lifetime access", "Access for 30 days", "Access until 31 Dec 2026".
    pub access: String,
    /// "3 places left", when seats are limited.
    pub seats_note: Option<String>,
    /// The creator approves each student.
    pub on_request: bool,
    /// Why it cannot be joined now (a message), if so: full, ended.
    pub unavailable: Option<String>,
    /// For a student of a smaller offer: what upgrading to this one costs ("+70,00 €").
    pub upgrade: Option<String>,
}

/// An offer in the creator's list and form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminOffer {
    pub id: i64,
    pub name: String,
    pub summary: String,
    /// The price as typed in the form ("49,90"), empty when free.
    pub price_text: String,
    /// The price as shown to visitors ("Free", "49,90 €").
    pub price_label: String,
    pub access_kind: String,
    pub access_days: Option<i64>,
    /// `YYYY-MM-DD` in the school's time.
    pub access_until: String,
    pub access_label: String,
    pub seats: Option<i64>,
    pub open: bool,
    pub on_request: bool,
    /// A full refund ends the access the order gave.
    pub refund_ends_access: bool,
    /// A cohort's first day, `YYYY-MM-DD` in the school's time (empty: none).
    pub cohort_start: String,
    pub students: i64,
    /// Its level: every lesson, or the chosen modules and lessons.
    pub includes_all: bool,
    pub modules: Vec<String>,
    pub lessons: Vec<i64>,
    /// `all`, `none` or `chosen` (then `reviewed`).
    pub reviews: String,
    pub reviewed: Vec<i64>,
    /// "12 of 20 lessons", or "Every lesson".
    pub level_label: String,
}

/// The course's offers for the creator, with its lessons to choose levels from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct OffersAdmin {
    pub offers: Vec<AdminOffer>,
    pub lessons: Vec<LessonChoice>,
}

/// A lesson of the course, as an offer's level form lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonChoice {
    pub id: i64,
    pub title: String,
    pub module: String,
    /// It has an assignment that asks for a review.
    pub reviewed_assignment: bool,
}

/// A student's pending request to join an offer "on request".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinRequest {
    pub id: i64,
    pub email: String,
    pub course_title: String,
    pub offer_name: String,
    pub created_at: i64,
}
