//! Admin → Sales: what the school sold, over time and per offer, refunds and coupons, and
//! every order as a CSV file. The owner only.

#[cfg(feature = "admin")]
pub mod api;
#[cfg(feature = "admin")]
pub mod page;
pub mod rules;
