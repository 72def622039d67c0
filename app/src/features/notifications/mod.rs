//! Notifications in the app (issue 17): a bell with the unread count on every page for a
//! logged-in person, and a list page. What happened for them — a lesson opened, an answer
//! reviewed (for the team: an answer to review), a certificate issued, a message from the
//! school — written by the features where it happens, in the person's language. Emails keep
//! their job for those who do not come back.

#[cfg(feature = "student")]
pub mod api;
#[cfg(feature = "student")]
pub mod page;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
