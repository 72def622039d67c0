//! What pages receive about stored files.

use serde::{Deserialize, Serialize};

/// A file to download: its name, size and a link signed for this viewer (minutes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DownloadLink {
    pub id: String,
    pub name: String,
    pub size: String,
    pub href: String,
}
