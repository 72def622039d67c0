//! Data that crosses from server to page (and into hydration data). Only what the viewer
//! may see: a locked or draft lesson's content never appears in these types' values.

use crate::kernel::access::Role;
use crate::kernel::i18n::Locale;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolInfo {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// IANA zone: times shown to people are in the school's zone.
    pub time_zone: String,
    /// The school's logo (an uploaded image), shown in its pages' header.
    #[serde(default)]
    pub logo_url: Option<String>,
    /// Its colours (`#rrggbb`): buttons and links, and the header band (none: white).
    #[serde(default)]
    pub brand_color: Option<String>,
    #[serde(default)]
    pub header_color: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// Notifications not read yet (the bell's count).
    #[serde(default)]
    pub unread: i64,
}

/// Who is looking, on which school, in which language. Resolved once per request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub school: Option<SchoolInfo>,
    pub user: Option<UserInfo>,
    pub locale: Locale,
    pub platform_url: String,
    /// The form token every POST form carries (see `ui::post_form`).
    pub csrf: String,
    /// The request's time (the test clock in dev): "2 minutes ago", "retry at 10:57".
    pub now_ms: i64,
    /// The app whose built-in browser this is, and the i18n key of its "open in your
    /// browser" steps.
    pub in_app: Option<(String, String)>,
}

impl Viewer {
    /// The zone times are shown in: the school's, or UTC on the platform site.
    pub fn time_zone(&self) -> &str {
        self.school.as_ref().map(|s| s.time_zone.as_str()).unwrap_or("UTC")
    }
    pub fn is_owner(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Owner)
    }
    /// A member of the school's team (owner, assistant, curator): the admin is theirs.
    pub fn is_team(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.is_team())
    }
    pub fn may(&self, p: crate::kernel::access::Permission) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.may(p))
    }
}
