//! The school's settings: name, default language, time zone (confirmed, since it moves every
//! date students see), what an email the school does not know receives, the school's look
//! (two colours, a welcome text) and its own domain.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "admin")]
pub mod hostnames;
#[cfg(feature = "admin")]
pub mod look;
#[cfg(feature = "admin")]
pub mod page;
pub mod types;
