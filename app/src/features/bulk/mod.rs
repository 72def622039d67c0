//! Bulk actions on a selection of students: what each does (rules), the confirmation and result pages, and the batch that applies them.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "admin")]
pub mod page;
pub mod rules;
