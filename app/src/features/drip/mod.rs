//! Drip: when each lesson opens and closes for one student (the pure rule), the creator's schedule page, and the hourly digest of lessons that opened.

#[cfg(feature = "admin")]
pub mod api;
// The cron work runs in the admin Worker (the one students reach stays small).
#[cfg(all(feature = "ssr", feature = "admin"))]
pub mod digest;
#[cfg(feature = "admin")]
pub mod page;
pub mod rows;
pub mod rules;
pub mod types;
#[cfg(feature = "admin")]
pub mod sentence;
