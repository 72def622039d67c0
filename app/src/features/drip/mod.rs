//! Drip: when each lesson opens and closes for one student (the pure rule), the creator's schedule page, and the hourly digest of lessons that opened.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod digest;
#[cfg(feature = "admin")]
pub mod page;
pub mod rows;
pub mod rules;
pub mod types;
