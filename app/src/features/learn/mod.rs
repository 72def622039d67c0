//! The student's side: the school's home (catalogue and my courses), a course's program, a lesson and "mark as complete".

pub mod answers;
pub mod api;
pub mod course_page;
pub mod home_page;
pub mod lesson_page;
pub mod task_section;
pub mod types;
pub mod video_seek;
