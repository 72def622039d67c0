//! Imports from CSV — students, and statistics (progress from another platform): how a file is read and checked (pure), the upload and the dry run, then the import in one batch.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "admin")]
pub mod page;
pub mod rules;
pub mod statistics;
#[cfg(all(feature = "ssr", feature = "admin"))]
pub mod server;
