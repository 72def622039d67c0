//! Completion and certificates (issue 17): a student who finishes a course (every lesson of
//! their offer done, checkpoints passed) gets a congratulations page and a certificate
//! designed per course by its creator, drawn on the server as SVG and PDF, with a public,
//! unguessable verification address; the team lists and reissues them.

pub mod rules;
pub mod sheet;
pub mod types;
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "student")]
pub mod api;
#[cfg(feature = "student")]
pub mod page;
#[cfg(feature = "admin")]
pub mod admin_api;
#[cfg(feature = "admin")]
pub mod admin_page;
