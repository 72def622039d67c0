//! What certificate pages receive from the server (compiled for both sides).

use serde::{Deserialize, Serialize};

/// A certificate as its public page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateView {
    pub id: String,
    /// "This certificate was issued to J. Doe for Watercolour 101 on 3 March 2027."
    pub statement: String,
    /// The sheet as inline SVG, drawn on the server from escaped text.
    pub svg: String,
    pub pdf_href: String,
    /// The full address to share.
    pub url: String,
    pub course_title: String,
    pub course_href: String,
    pub school_name: String,
    /// "Updated on …" after a reissue.
    pub updated: Option<String>,
    /// The viewer is the student it was issued to.
    pub own: bool,
    /// The name on it is empty: its student is asked for it (their settings).
    pub name_missing: bool,
    /// "Add to LinkedIn": the profile form filled with this certificate.
    pub linkedin_href: String,
}

/// `/courses/:slug/completed`: the moment a course is finished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub slug: String,
    pub course_title: String,
    pub first_name: String,
    /// Not finished yet: the page sends the student back to the course.
    pub finished: bool,
}

/// The certificate page: a certificate by its address, or a student's completion of a
/// course with their certificate (`None`: the course gives none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificatePage {
    pub completion: Option<Completion>,
    pub certificate: Option<CertificateView>,
}

/// A certificate issued, as the creator's lists show it (a course's, a student's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuedRow {
    pub id: String,
    #[serde(rename = "user_id")]
    pub student_id: i64,
    pub student_name: String,
    pub email: String,
    pub course_title: String,
    pub completed_at: i64,
    pub issued_at: i64,
    pub updated_at: i64,
}

impl IssuedRow {
    /// Reissued since it was issued.
    pub fn reissued(&self) -> bool {
        self.updated_at > self.issued_at
    }
}
