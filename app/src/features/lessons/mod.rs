//! A lesson's content: blocks (text, video, math, files...) checked and rendered on the server, and the creator's lesson editor.

#[cfg(feature = "admin")]
pub mod api;
pub mod blocks;
#[cfg(feature = "admin")]
pub mod blocks_page;
pub mod demo;
pub mod markdown;
pub mod math;
pub mod video;
