//! Pure rules of the product: no I/O, unit-tested natively.

pub mod access;
pub mod csrf;
pub mod drip;
pub mod device;
pub mod email;
pub mod embed;
pub mod host;
pub mod markdown;
pub mod slug;
pub mod throttle;
pub mod time;
pub mod timeline;
pub mod token;
pub mod validate;
