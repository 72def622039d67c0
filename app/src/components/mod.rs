pub mod code_input;
pub mod layout;
pub mod notice;
