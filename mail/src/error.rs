//! What can go wrong talking to a mail server or handling mail. The text of each error is
//! what users read in a placement's actions or a send's last error, so it names the server's
//! own words where there are any.

/// One error for the whole crate; the variant says where it happened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// The operator's set-up (a CA file, the DNS resolver) cannot be used.
    #[error("{0}")]
    Setup(String),
    /// The server cannot be reached or secured: its name, the private-address rule, TCP, TLS,
    /// its greeting.
    #[error("{0}")]
    Connect(String),
    /// The server refused the login.
    #[error("{0}")]
    Login(String),
    /// The server refused or failed a command of the session.
    #[error("{0}")]
    Command(String),
    /// A message cannot be built or signed, or a key cannot sign.
    #[error("{0}")]
    Message(String),
}
