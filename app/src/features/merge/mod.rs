//! Merging two accounts of one person (seed 004, "Fusion utilisateur"): a student who signed
//! up again with another address, or was imported twice. The creator picks the account to
//! keep and the one to merge; the page shows exactly what will move; one D1 batch moves it
//! all and deletes the merged account, whose address becomes an alias of the kept one.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "admin")]
pub mod page;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod server;
