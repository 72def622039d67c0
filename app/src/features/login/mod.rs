//! Email login: codes and magic links that survive mail scanners and in-app browsers, limits, the login timeline; opening a school.

#[cfg(feature = "student")]
pub mod api;
#[cfg(feature = "student")]
pub mod code_input;
#[cfg(feature = "student")]
pub mod islands;
#[cfg(feature = "student")]
pub mod page;
#[cfg(feature = "ssr")]
pub mod server;
pub mod throttle;
pub mod timeline;
pub mod types;
