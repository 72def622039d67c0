//! The viewer's own account: where they are logged in, log out everywhere, the digest opt-out.

#[cfg(feature = "student")]
pub mod api;
#[cfg(feature = "student")]
pub mod page;
pub mod types;
