//! One error type for every server function, mapped once to a message key and a status.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// The thing does not exist here, or the viewer may not know that it does.
    NotFound,
    /// Content that exists but is not available to this viewer (draft, not enrolled...).
    NotAvailable,
    LoginRequired,
    Forbidden,
    /// A form value broke a rule; the string is an i18n message key.
    Invalid(String),
    /// Storage or platform failure: logged on the server, shown as a generic message.
    Internal,
    /// The request could not be decoded (malformed form, unknown function).
    BadRequest(String),
}

impl AppError {
    pub fn message_key(&self) -> &str {
        match self {
            AppError::NotFound => "not_found",
            AppError::NotAvailable => "not_available_lead",
            AppError::LoginRequired => "login_required",
            AppError::Forbidden => "forbidden",
            AppError::Invalid(key) => key,
            AppError::Internal => "internal",
            AppError::BadRequest(_) => "bad_request",
        }
    }
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound | AppError::NotAvailable => 404,
            AppError::LoginRequired => 401,
            AppError::Forbidden => 403,
            AppError::Invalid(_) | AppError::BadRequest(_) => 400,
            AppError::Internal => 500,
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message_key())
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::BadRequest(value.to_string())
    }
}

/// D1's errors that say "try again" (a lost connection, a reset, an overload, a timeout), as
/// opposed to a query's own fault (syntax, a constraint): only the first kind is retried.
pub fn is_transient_d1_error(message: &str) -> bool {
    const PASSING: [&str; 8] = ["Network connection lost", "reset", "overloaded", "timeout", "timed out", "Internal error", "storage operation exceeded", "Cannot resolve D1 DB due to transient issue"];
    PASSING.iter().any(|p| message.contains(p))
}

#[cfg(feature = "ssr")]
impl From<worker::Error> for AppError {
    fn from(e: worker::Error) -> Self {
        worker::console_error!("storage error: {e}");
        AppError::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::is_transient_d1_error as is_transient;

    #[test]
    fn passing_d1_errors_are_told_from_a_querys_own_fault() {
        assert!(is_transient("D1_ERROR: Network connection lost."));
        assert!(is_transient("D1_ERROR: Durable Object reset because its code was updated."));
        assert!(is_transient("D1_ERROR: D1 DB is overloaded. Requests queued for too long."));
        assert!(!is_transient("D1_ERROR: UNIQUE constraint failed: users.school_id, users.email"));
        assert!(!is_transient("D1_ERROR: near \"SELEC\": syntax error"));
        assert!(!is_transient("D1_ERROR: CHECK constraint failed: enrollments.status"));
    }
}
