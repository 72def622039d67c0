//! Atelier: an online school per creator, served at the edge.
//!
//! - `features`: one folder per capability (login, learn, courses, lessons, drip, trial,
//!   students, imports, exports, bulk, explain, team, tasks, reports, account).
//! - `kernel`: below every feature — errors, i18n, the viewer, text and time utilities,
//!   access rules, and (ssr) the database layer, sessions, the request context, the outbox.
//! - `ui`: the layout and the components every page shares.
//! - `app`: the shell and the route table.

pub mod app;
pub mod features;
pub mod kernel;
pub mod ui;

/// Islands mode: pages are rendered on the server and work without JavaScript; the
/// browser downloads and hydrates only the `#[island]` components.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
