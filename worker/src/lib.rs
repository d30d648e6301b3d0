//! Background work and everything that talks to mail servers: the job runner, the connection
//! test, and (next) sending and engagement jobs on the same TLS trust and login code.

pub mod clock;
pub mod connection_test;
pub mod dkim;
pub mod dsn;
pub mod housekeeping;
mod imap_probe;
pub mod message_lookup;
pub mod planner;
pub mod runner;
pub mod sender;
pub mod sender_scan;
mod smtp_probe;
pub mod tls;

pub use connection_test::{ConnectionReport, ProbeOptions, ProbeStep, ServerLogin};
pub use runner::{RunError, WorkerOptions, run_until};
pub use tls::TlsTrust;
