//! What this feature's pages receive from the server (compiled for both sides).

use serde::{Deserialize, Serialize};

/// One of the viewer's active sessions, for "where am I logged in".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: String,
    pub device: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountPage {
    pub email: String,
    pub sessions: Vec<SessionInfo>,
    pub digest_on: bool,
    pub first_name: String,
    pub last_name: String,
    /// "fr", "en", or `None`: the school's language.
    pub locale: Option<String>,
    /// Email kinds turned off (`NotificationKind` texts).
    pub mail_off: Vec<String>,
}
