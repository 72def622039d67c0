//! What this feature's pages receive from the server (compiled for both sides).

use serde::{Deserialize, Serialize};

/// What the link page may say, without consuming anything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LinkState {
    Live {
        masked_email: String,
        /// "iPhone · Safari": the browser that asked, when it was a "send me a code".
        requested_from: Option<String>,
        requested_at: i64,
        /// This browser is the one that asked: no "also log in on that device" choice.
        same_browser: bool,
    },
    Used { masked_email: String, logged_in_here: bool },
    Expired { masked_email: String },
    Unknown,
}

/// Where the browser that asked stands, for the waiting page (read only: polled by GET).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WaitStatus {
    /// Nothing confirmed yet.
    Waiting,
    /// Confirmed elsewhere with "also log in on that device": this browser may finish.
    Approved,
    /// Confirmed elsewhere for that device only, used, or expired: type the code instead.
    Closed,
    /// This browser is logged in (confirmed here, in another tab).
    LoggedIn,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub email: String,
    pub created_at: i64,
    pub last_sent_at: i64,
    pub sent_count: i64,
    pub expires_at: i64,
    pub status: WaitStatus,
}
