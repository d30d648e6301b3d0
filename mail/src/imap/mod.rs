//! IMAP: opening a session for stored credentials, and the operations engagement and the
//! sender scan run in it.

mod ops;
mod session;

pub use ops::*;
pub(crate) use session::probe;
pub use session::{Session, open};
