//! The admin's overview (`/admin`): the school's figures — active students, new this week,
//! courses finished, revenue, answers to review, emails that bounced, the next lessons to
//! open — each leading to the list behind it, and 30 days of activity.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "admin")]
pub mod page;
pub mod types;
