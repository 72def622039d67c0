//! Offers: how a course is given (and, with payments, sold). A course has any number of
//! offers; its public page lists the open ones with one call to action each, and a visitor
//! joins a free offer with their email and the login code or link (the login steps enrol
//! them once the email is confirmed).

#[cfg(feature = "admin")]
pub mod admin_api;
#[cfg(feature = "admin")]
pub mod admin_page;
#[cfg(feature = "student")]
pub mod api;
#[cfg(feature = "student")]
pub mod public;
pub mod levels;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
