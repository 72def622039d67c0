//! The student's side: the school's home (catalogue and my courses), a course's program, a lesson and "mark as complete".

#[cfg(feature = "student")]
pub mod answers;
#[cfg(feature = "student")]
pub mod api;
#[cfg(feature = "student")]
pub mod continue_page;
#[cfg(feature = "student")]
pub mod course_page;
#[cfg(feature = "student")]
pub mod home_page;
#[cfg(feature = "student")]
pub mod lesson_page;
pub mod rules;
#[cfg(feature = "student")]
pub mod task_section;
pub mod types;
#[cfg(feature = "student")]
pub mod video_player;
#[cfg(feature = "student")]
pub mod video_seek;
