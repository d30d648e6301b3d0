//! What can stop a job or a round: the store, a mail server, the job queue, or a row the job
//! needs that is gone. Errors of one message (a server refusing a command) are recorded on
//! that message by the job; these reach the loop's log.

use warmup_entity::StoreError;
use warmup_mail::MailError;

/// The worker's one error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Mail(#[from] MailError),
    /// The job queue's tables (apalis) failed: what was being done, and why.
    #[error("{0}")]
    Queue(String),
    /// A stored secret cannot be opened (a changed key, a damaged row).
    #[error("{0}")]
    Secret(String),
    /// A row the job needs was deleted meanwhile (a seed, a sender mailbox).
    #[error("{0} is gone")]
    Gone(&'static str),
    /// The worker cannot start or keep running: a bad schedule, the job monitor stopped.
    #[error("{0}")]
    Run(String),
}

impl Error {
    pub(crate) fn queue(what: &str, e: impl std::fmt::Display) -> Self {
        Error::Queue(format!("{what} failed: {e}"))
    }
}
