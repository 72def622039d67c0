//! Atelier: an online school per creator, served from one Cloudflare Worker.
//!
//! - `domain`: the product's rules as plain Rust (no I/O).
//! - `routes`: one page per file (platform home, login, school, courses, lessons, admin).
//! - `api`: the `#[server]` functions pages call.
//! - `server` (ssr only): D1, sessions, outbox; what runs inside the Worker.

pub mod domain;
pub mod i18n;
