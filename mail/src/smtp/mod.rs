//! SMTP: submitting a message through an account, and the connection test's SMTP half.

mod conversation;
pub(crate) mod probe;
mod submit;

pub use submit::submit;
