//! The closed sets of values the database stores as text (statuses, kinds, modes). Each is
//! an enum here and a CHECK constraint there (migration 0003); `app/tests/states.rs` reads
//! the migrations and fails when the two lists differ. Rows deserialize straight into these
//! types, so an unknown value is an error where it is read, not a silent fallback.

/// A text column's enum: its variants and their stored text, `as_str`, `parse`, `ALL`, and
/// serde as the stored text (rows and server-function payloads alike).
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident in $column:literal { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// `table.column` of the CHECK constraint that holds the same list.
            pub const COLUMN: &'static str = $column;
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use stored_enum;

stored_enum! {
    /// A school opens when its creator confirms their email.
    SchoolStatus in "schools.status" { Pending = "pending", Active = "active" }
}

stored_enum! {
    /// What an email with no account here receives on "send me a code".
    UnknownEmailPolicy in "schools.unknown_email_policy" { Silent = "silent", Notify = "notify" }
}

stored_enum! {
    /// A deactivated account cannot log in; its history stays.
    AccountStatus in "users.status" { Active = "active", Deactivated = "deactivated" }
}

stored_enum! {
    /// A revoked enrollment keeps its progress but opens nothing.
    EnrollmentStatus in "enrollments.status" { Active = "active", Revoked = "revoked" }
}

stored_enum! {
    /// How a course's days count: each student's own start, or one start for everyone.
    AccessMode in "courses.access_mode" { Evergreen = "evergreen", Cohort = "cohort" }
}

stored_enum! {
    /// The course page's program: one list, or lessons under their module headings.
    ProgramLayout in "courses.program_layout" { List = "list", Modules = "modules" }
}

stored_enum! {
    /// A student import: checked and shown, being written, finished.
    ImportStatus in "imports.status" { Previewed = "previewed", Running = "running", Done = "done" }
}

stored_enum! {
    /// An email's delivery, as the provider reports it.
    OutboxStatus in "outbox.status" {
        Pending = "pending",
        Sent = "sent",
        Failed = "failed",
        Delivered = "delivered",
        Bounced = "bounced",
        Complained = "complained",
    }
}

stored_enum! {
    /// An answer to a lesson's task: an assignment's review (`tasks::rules::Review`), a
    /// quiz's result (approved is passed), a survey's "answered".
    SubmissionStatus in "submissions.status" {
        Pending = "pending",
        Approved = "approved",
        Returned = "returned",
        Failed = "failed",
        Answered = "answered",
    }
}

stored_enum! {
    /// Why a login request was made (`login::server::Purpose` decides what each sends).
    LoginPurpose in "login_requests.purpose" {
        Login = "login",
        Signup = "signup",
        Invite = "invite",
        Reminder = "reminder",
        Digest = "digest",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_round_trips_through_serde_and_parse() {
        for s in AccountStatus::ALL {
            assert_eq!(AccountStatus::parse(s.as_str()), Some(*s));
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{}\"", s.as_str()));
        }
        assert_eq!(serde_json::from_str::<EnrollmentStatus>("\"revoked\"").unwrap(), EnrollmentStatus::Revoked);
        assert!(serde_json::from_str::<EnrollmentStatus>("\"lost\"").is_err());
        assert_eq!(ImportStatus::parse("running"), Some(ImportStatus::Running));
        assert_eq!(SubmissionStatus::parse("Approved"), None);
    }
}

stored_enum! {
    /// What a notification under the bell is about; each is also an email kind a person can
    /// turn off (the new lessons' digest keeps its own switch).
    NotificationKind in "notifications.kind" {
        LessonOpened = "lesson_opened",
        Review = "review",
        /// For the team: a student's answer waits for review.
        Answer = "answer",
        Certificate = "certificate",
        Message = "message",
    }
}
