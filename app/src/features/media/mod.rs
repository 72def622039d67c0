//! Media (issue 16): files on R2. So far the pure rules: what a file is from its first bytes,
//! what each use accepts and up to what size, byte ranges for seeking, signed URLs.

pub mod rules;
