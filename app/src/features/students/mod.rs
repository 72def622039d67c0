//! The creator's students: the directory (search, filters), one student's page, invitations and the school's history.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "admin")]
pub mod audit;
pub mod directory;
#[cfg(feature = "admin")]
pub mod directory_api;
#[cfg(feature = "admin")]
pub mod invitations;
#[cfg(feature = "admin")]
pub mod page;
pub mod types;
