//! Trial-lesson embeds: the page a creator's site frames, the two small scripts, and the
//! snippet the creator copies. Plain HTML and CSS rendered here (no Leptos, no wasm: a
//! phone reads it without downloading the app), from data `trial::server` loads and caches.
//! The rules (framing policy, ids, colours, messages) are `trial::rules`.

#[cfg(feature = "admin")]
pub mod admin_page;
#[cfg(feature = "admin")]
pub mod api;
pub mod render;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod server;

/// Runs inside the embed page: resize, viewed and call-to-action messages to the parent.
pub const FRAME_SCRIPT: &str = include_str!("frame.js");
/// Served as `/embed.js` for the creator's page: resizes the frame, checks message origins.
pub const PARENT_SCRIPT: &str = include_str!("parent.js");
/// The embed page's stylesheet (inline: one request for the whole page).
pub const STYLE: &str = include_str!("embed.css");
