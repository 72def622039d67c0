//! Atelier: an online school per creator, served from one Cloudflare Worker.
//!
//! - `domain`: the product's rules as plain Rust (no I/O).
//! - `routes`: one page per file (platform home, login, school, courses, lessons, admin).
//! - `api`: the `#[server]` functions pages call and forms post to.
//! - `embed`: the trial-lesson page creators frame on their sites, its scripts and snippet.
//! - `server` (ssr only): D1, sessions, login, the outbox; what runs inside the Worker.

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod embed;
pub mod error;
pub mod i18n;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

/// Islands mode: pages are rendered on the server and work without JavaScript; the
/// browser downloads and hydrates only the `#[island]` components.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
