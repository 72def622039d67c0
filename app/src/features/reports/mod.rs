//! A course's report: students x lessons, completions over 30 days, assignments, quizzes and surveys, and their CSV files.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "admin")]
pub mod page;
#[cfg(feature = "admin")]
pub mod index_page;
pub mod rules;
#[cfg(all(feature = "ssr", feature = "admin"))]
pub mod server;
