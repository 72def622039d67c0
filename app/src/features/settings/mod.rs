//! The school's settings: name, default language, time zone (confirmed, since it moves every
//! date students see) and what an email the school does not know receives.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "admin")]
pub mod page;
pub mod types;
