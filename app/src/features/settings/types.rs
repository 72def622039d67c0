//! What the settings page receives.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolSettings {
    pub name: String,
    pub default_locale: String,
    pub unknown_email_policy: String,
    pub time_zone: String,
    pub slug: String,
    pub brand_color: String,
    pub header_color: Option<String>,
    pub welcome_md: String,
    pub cover_url: Option<String>,
    pub custom_domain: Option<String>,
    /// The platform's base domain, for the DNS record a custom domain needs.
    #[serde(default)]
    pub base_domain: String,
    /// Where the domain stands at Cloudflare for SaaS ('waiting', 'live', 'refused'; none:
    /// not registered there).
    #[serde(default)]
    pub custom_hostname_state: Option<String>,
    /// The records Cloudflare asks for beyond the CNAME (JSON list of {type, name, value}).
    #[serde(default)]
    pub custom_hostname_records: Option<String>,
    #[serde(default)]
    pub custom_hostname_checked_at: Option<i64>,
}
