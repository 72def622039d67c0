//! The product, one folder per feature. Each holds the types its pages receive, its pure
//! rules (unit-tested next to them), its queries (`cfg(ssr)`), its `#[server]` functions and
//! its pages. Features use the kernel and each other's public types and rules.
//!
//! The creator's pages and server functions compile with the `admin` feature only: the
//! Worker students reach is built without them, and forwards `/admin/*` to the admin Worker.

pub mod account;
pub mod bulk;
pub mod certificates;
pub mod courses;
pub mod drip;
pub mod emails;
pub mod explain;
#[cfg(feature = "admin")]
pub mod exports;
pub mod imports;
pub mod learn;
pub mod lessons;
pub mod login;
pub mod media;
pub mod merge;
pub mod notifications;
pub mod offers;
pub mod overview;
pub mod payments;
pub mod reports;
pub mod sales;
pub mod settings;
pub mod students;
pub mod tasks;
pub mod team;
pub mod trial;
