//! Emails the creator can edit (issue 18, item 6): invitation, access reminder, new
//! lessons, assignment reviewed, receipt and certificate. Each sender composes its email
//! from the school's text for the kind (`email_templates`, else the default) with
//! `compose::Letter`; the names are filled by the statement that writes the outbox row.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod compose;
#[cfg(feature = "admin")]
pub mod page;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod server;
