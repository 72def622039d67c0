//! Payments with Stripe: each school connects its own account (keys sealed at rest), a paid
//! offer goes through a Checkout Session created by the Worker (amount from the offer), and
//! only the signed webhook creates the paid order and the enrollment.

pub mod crypto;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "student")]
pub mod api;
#[cfg(feature = "student")]
pub mod checkout_page;
#[cfg(feature = "admin")]
pub mod coupons_api;
#[cfg(feature = "admin")]
pub mod settings_api;
#[cfg(feature = "admin")]
pub mod settings_page;
pub mod types;
