//! What the payment pages receive.

use serde::{Deserialize, Serialize};

/// The checkout's return page: where the order stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: String,
    /// `pending`, `paid`, `refunded`, `failed`.
    pub status: String,
    pub masked_email: String,
    pub email: String,
    pub course_title: String,
    pub course_slug: String,
    /// Where the course starts (the first lesson).
    pub next: String,
    pub amount: String,
}

/// The school's payment settings as the creator sees them (never the keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentSettings {
    pub connected: bool,
    pub test_mode: bool,
    pub currency: String,
    /// Prices include taxes (shown "incl. tax"); otherwise Stripe Tax adds them at checkout.
    pub tax_inclusive: bool,
    /// The address to paste into Stripe's webhook settings.
    pub webhook_url: String,
    /// This Worker can seal keys (its PAYMENTS_KEY secret is set).
    pub available: bool,
}
