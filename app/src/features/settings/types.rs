//! What the settings page receives.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolSettings {
    pub name: String,
    pub default_locale: String,
    pub unknown_email_policy: String,
    pub time_zone: String,
}
