//! The creator's pages. The server functions enforce ownership; these pages only render.

pub mod blocks;
pub mod bulk;
pub mod course;
pub mod course_tools;
pub mod embeds;
pub mod explain;
pub mod imports;
pub mod lesson;
pub mod overview;
pub mod report;
pub mod reviews;
pub mod schedule;
pub mod settings;
pub mod students;
pub mod tasks;
pub mod team;
