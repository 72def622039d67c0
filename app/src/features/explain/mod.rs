//! "Why can't this student see it?": the checks (pure), the page and the one-click fixes.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "admin")]
pub mod page;
pub mod rules;
