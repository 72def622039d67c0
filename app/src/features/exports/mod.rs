//! CSV exports for spreadsheets (formula-safe): the directory and a course's progress.

#[cfg(feature = "ssr")]
pub mod server;
