//! Email login: codes and magic links that survive mail scanners and in-app browsers, limits, the login timeline; opening a school.

pub mod api;
pub mod code_input;
pub mod islands;
pub mod page;
#[cfg(feature = "ssr")]
pub mod server;
pub mod throttle;
pub mod timeline;
pub mod types;
