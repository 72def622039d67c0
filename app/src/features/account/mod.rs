//! The viewer's own account: where they are logged in, log out everywhere, the digest opt-out.

pub mod api;
pub mod page;
pub mod types;
