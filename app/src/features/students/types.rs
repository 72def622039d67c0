//! What this feature's pages receive from the server (compiled for both sides).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentRow {
    pub id: i64,
    pub email: String,
    pub courses: i64,
    pub last_login_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentEnrollment {
    pub id: i64,
    pub course_title: String,
    pub access_start: i64,
    pub access_end: Option<i64>,
    pub status: String,
    pub shift_days: i64,
    pub release_all: bool,
    /// The course's published lessons, for "unlock one lesson".
    pub lessons: Vec<(i64, String)>,
    pub unlocked: Vec<i64>,
    /// The offer they joined through (`None`: the whole course), and the course's offers.
    pub offer_id: Option<i64>,
    pub offers: Vec<(i64, String)>,
}

/// A row of the login timeline on a student's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: i64,
    pub kind: String,
    pub device: String,
    pub ip: String,
    pub detail: String,
    pub likely_scanner: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentPage {
    pub id: i64,
    pub email: String,
    pub status: String,
    pub last_login_at: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub locale: Option<String>,
    /// The creator's note (never shown to the student).
    pub note: String,
    pub active_sessions: i64,
    pub enrollments: Vec<StudentEnrollment>,
    pub timeline: Vec<TimelineEntry>,
    pub emails: Vec<SentEmail>,
    pub audit: Vec<AuditEntry>,
    /// The student's orders, newest first.
    pub orders: Vec<StudentOrder>,
    /// Their certificates, newest first.
    #[serde(default)]
    pub certificates: Vec<crate::features::certificates::types::IssuedRow>,
    /// Addresses of accounts merged into this one: they log in here.
    pub aliases: Vec<String>,
}

/// One of a student's orders, on their page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentOrder {
    pub created_at: i64,
    pub what: String,
    pub amount_minor: i64,
    pub currency: String,
    pub status: String,
}

/// An email to a student and what became of it (pending, sent, failed; bounced when the
/// provider reports it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentEmail {
    pub subject: String,
    pub kind: String,
    pub status: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

/// One change to a student (import, bulk action, creator): what, when, from where, before/after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub action: String,
    pub detail: String,
    pub source: String,
    pub at: i64,
}
