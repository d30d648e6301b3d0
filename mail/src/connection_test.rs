//! "Can we log in?": a step-by-step report of connecting to a mailbox's SMTP and IMAP servers,
//! naming the step that failed with the server's own reply, and the time each step took.

use crate::connect::ConnectOptions;
use crate::steps::{ConnectionReport, ServerLogin};
use crate::tls::TlsTrust;

/// Connects, secures and authenticates to an SMTP submission server; sends nothing.
pub async fn test_smtp(
    login: &ServerLogin,
    trust: &TlsTrust,
    options: &ConnectOptions,
) -> ConnectionReport {
    crate::smtp::probe::probe(login, trust, options).await
}

/// Connects, secures, logs in and lists folders on an IMAP server.
pub async fn test_imap(
    login: &ServerLogin,
    trust: &TlsTrust,
    options: &ConnectOptions,
) -> ConnectionReport {
    crate::imap::probe(login, trust, options).await
}
