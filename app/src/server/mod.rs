//! What runs inside the Worker: configuration, D1 access, sessions, login and the outbox.

pub mod config;
pub mod cookies;
pub mod db;
pub mod digest;
pub mod embed;
pub mod exports;
pub mod imports;
pub mod login;
pub mod mail;
pub mod reports;
pub mod request;
pub mod session;
