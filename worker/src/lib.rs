//! Everything that talks to mail servers: the connection test today; sending and engagement
//! jobs build on the same TLS trust and login code.

pub mod connection_test;
mod imap_probe;
mod smtp_probe;
pub mod tls;

pub use connection_test::{ConnectionReport, ProbeOptions, ProbeStep, ServerLogin};
pub use tls::TlsTrust;
