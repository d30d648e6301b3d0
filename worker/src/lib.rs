//! Background work and everything that talks to mail servers: the job runner, the connection
//! test, planning and sending, reading sender mailboxes, and seed engagement, all on the same
//! TLS trust and login code.

pub mod auth_check;
pub mod clock;
pub mod connection_test;
pub mod dkim;
pub mod dsn;
pub mod engagement;
pub mod housekeeping;
pub(crate) mod imap_ops;
mod imap_probe;
pub mod planner;
mod poll_timer;
pub mod runner;
pub mod send_queue;
pub mod sender;
pub mod sender_scan;
mod smtp_probe;
pub mod tls;

pub use connection_test::{ConnectionReport, ProbeOptions, ProbeStep, ServerLogin};
pub use runner::{RunError, WorkerOptions, run_until};
pub use tls::TlsTrust;
