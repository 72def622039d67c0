pub mod code_input;
pub mod copy_text;
pub mod video_seek;
pub mod layout;
pub mod notice;
pub mod post_form;
pub mod login_islands;
