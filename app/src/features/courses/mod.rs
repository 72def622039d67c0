//! The creator's courses: the course list, the course form and its lessons, course tools (author, banner, copies) and the lesson editor.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "admin")]
pub mod course_page;
#[cfg(feature = "admin")]
pub mod lesson_page;
#[cfg(feature = "admin")]
pub mod status;
#[cfg(feature = "admin")]
pub mod list_page;
#[cfg(feature = "admin")]
pub mod tools_api;
#[cfg(feature = "admin")]
pub mod tools_page;
pub mod types;
