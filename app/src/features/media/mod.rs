//! Media (issue 16): files on R2. The pure rules (what a file is from its first bytes, what
//! each use accepts and up to what size, byte ranges for seeking, signed URLs), the storage
//! (objects and their rows), the creator's lesson files, and serving (worker/src/media.rs).

#[cfg(feature = "admin")]
pub mod admin_api;
#[cfg(feature = "admin")]
pub mod admin_page;
pub mod rules;
pub mod types;
#[cfg(feature = "admin")]
pub mod uploader;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(all(feature = "ssr", feature = "admin"))]
pub mod sweep;
#[cfg(all(feature = "ssr", feature = "admin"))]
pub mod uploads;
