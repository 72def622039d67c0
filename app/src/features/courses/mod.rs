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
/// The outline's rules: modules and the lessons' places in them.
#[cfg(feature = "admin")]
pub mod program;
#[cfg(feature = "admin")]
pub mod program_api;
#[cfg(feature = "admin")]
pub mod program_page;
/// The lesson editor's toolbar: the formats' rules, and the island that applies them.
#[cfg(feature = "admin")]
pub mod editor;
#[cfg(feature = "admin")]
pub mod editor_tools;
