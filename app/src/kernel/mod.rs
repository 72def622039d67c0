//! The kernel every feature stands on, and which uses no feature: errors, i18n, the viewer,
//! text utilities (one HTML escape, one URL codec, one `safe_next`), time, tokens, access
//! rules, and on the server the database layer, sessions, the request context and the outbox.

pub mod access;
pub mod base64;
pub mod color;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod content_version;
#[cfg(feature = "ssr")]
pub mod cookies;
pub mod csrf;
pub mod csv;
#[cfg(feature = "ssr")]
pub mod custom_domains;
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
pub mod template;
pub mod time;
pub mod token;
pub mod url;
pub mod validate;
pub mod viewer;
pub mod spreadsheet;
pub mod webhook;
pub mod zone;

/// A page's data, read on the server while the page renders. Pages render on the server only
/// (islands hydrate; pages never run in the browser), so unlike a `#[server]` function it
/// has no endpoint (nothing to expose, nothing to guard twice) and the Worker carries none
/// of the server-function machinery for it (about 10 KB of code each). The browser build
/// compiles the name only: calling it there is an error.
#[allow(unused_macros)]
macro_rules! page_data {
    ($(#[$meta:meta])* $vis:vis async fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        $(#[$meta])*
        #[cfg(feature = "ssr")]
        $vis async fn $name($($arg: $ty),*) -> $ret {
            crate::kernel::fns::send(async move $body).await
        }
        $(#[$meta])*
        #[cfg(not(feature = "ssr"))]
        $vis async fn $name($(_: $ty),*) -> $ret {
            Err(crate::kernel::error::AppError::Internal)
        }
    };
}
#[allow(unused_imports)]
pub(crate) use page_data;
