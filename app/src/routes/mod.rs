//! One page per file. Forms are plain HTML forms posting to `/api/...` server functions, so
//! every page works without JavaScript; hydration adds polish on top.

pub mod account;
pub mod admin;
pub mod course;
pub mod home;
pub mod lesson;
pub mod login;
pub mod not_found;
pub mod task;
