//! Pure rules of the product: no I/O, unit-tested natively.

pub mod access;
pub mod base64;
pub mod blocks;
pub mod bulk;
pub mod csrf;
pub mod csv;
pub mod drip;
pub mod device;
pub mod directory;
pub mod email;
pub mod embed;
pub mod explain;
pub mod host;
pub mod import;
pub mod markdown;
pub mod math;
pub mod multipart;
pub mod slug;
pub mod throttle;
pub mod time;
pub mod timeline;
pub mod token;
pub mod validate;
pub mod video;
pub mod webhook;
