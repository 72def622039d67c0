//! The kernel every feature stands on, and which uses no feature: errors, i18n, the viewer,
//! text utilities (one HTML escape, one URL codec, one `safe_next`), time, tokens, access
//! rules, and on the server the database layer, sessions, the request context and the outbox.

pub mod access;
pub mod base64;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod content_version;
#[cfg(feature = "ssr")]
pub mod cookies;
pub mod csrf;
pub mod csv;
#[cfg(feature = "ssr")]
pub mod db;
pub mod device;
pub mod email;
pub mod error;
#[cfg(feature = "ssr")]
pub mod fns;
pub mod host;
pub mod html;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod multipart;
pub mod next;
#[cfg(feature = "ssr")]
pub mod request;
pub mod scoped_sql;
#[cfg(feature = "ssr")]
pub mod session;
pub mod slug;
pub mod states;
pub mod time;
pub mod token;
pub mod url;
pub mod validate;
pub mod viewer;
pub mod webhook;
pub mod zone;
