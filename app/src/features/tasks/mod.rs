//! What a lesson asks of its student: assignments, quizzes and surveys; the student's answers and the reviews.

pub mod answer_link;
#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "admin")]
pub mod editor_page;
#[cfg(feature = "admin")]
pub mod reviews;
#[cfg(feature = "admin")]
pub mod reviews_page;
pub mod rules;
pub mod types;
pub mod weblink;
