//! The school's team: assistants and curators, invited and removed by the owner.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "admin")]
pub mod page;
