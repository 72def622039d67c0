//! Pure rules of the product: no I/O, unit-tested natively.

pub mod access;
pub mod email;
pub mod host;
pub mod markdown;
pub mod slug;
pub mod token;
pub mod validate;
