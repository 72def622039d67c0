//! Emails the creator can edit (issue 18, item 6) — in progress: the rules (the six kinds,
//! their fields, the defaults in both languages, the check before saving, the rendering) are
//! here and tested; the settings page, the storage and the senders' use of them are next.

pub mod rules;
