//! Page chrome and the components every page shares: the layout, notices, the one POST form,
//! the raw-text helpers, the copy button and the browser time-zone island. Uses only the kernel.

pub mod browser_zone;
pub mod admin_nav;
pub mod copy_text;
pub mod layout;
pub mod not_found;
pub mod notice;
pub mod page_data;
pub mod post_form;
pub mod raw_text;
