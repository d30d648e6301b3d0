//! Everything that speaks to a mail server or reads and writes mail: TLS trust, connecting
//! under the private-address rule, SMTP submission and IMAP sessions, the connection test,
//! building messages, DKIM signing, bounce (DSN) parsing and the authentication checks of
//! received mail. No database and no clock: callers pass what they stored and the time.

pub mod auth;
mod bounded;
pub mod connect;
pub mod connection_test;
pub mod diagnose;
pub mod dkim;
pub mod dns;
pub mod dsn;
mod error;
pub mod health;
pub mod https;
pub mod imap;
pub mod message;
pub mod received;
pub mod smtp;
mod steps;
pub mod tls;

pub use auth::{AuthResults, AuthVerifier};
pub use connect::ConnectOptions;
pub use error::MailError;
pub use message::{Address, Outgoing};
pub use steps::{ConnectionReport, ProbeStep, ServerLogin, shown_server_text};
pub use tls::TlsTrust;
