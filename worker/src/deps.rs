//! What the jobs need besides the database: the clock, the key that opens stored secrets, the
//! TLS trust and connection rules, the retry policy and the authentication checker.

use chrono::Duration;
use warmup_domain::retry::RetryPolicy;
use warmup_domain::{Secret, Security};
use warmup_entity::Clock;
use warmup_entity::secret_box::SecretBox;
use warmup_mail::imap::Session;
use warmup_mail::{AuthVerifier, ConnectOptions, ServerLogin, TlsTrust};

use crate::Error;

/// What sending and engaging need besides the database.
#[derive(Clone)]
pub struct SendDeps {
    pub clock: Clock,
    pub secrets: SecretBox,
    pub tls: TlsTrust,
    pub retry: RetryPolicy,
    /// Timeout, EHLO name and the private-address rule of every connection.
    pub connect: ConnectOptions,
    /// Checks SPF, DKIM and DMARC of mail found at seeds.
    pub auth: AuthVerifier,
    /// Real time after which a message not found at its seed counts as missing.
    pub missing_after: std::time::Duration,
    /// Seed-list splits one seed may be in (rotation takes no seed past it).
    pub seed_max_splits: u32,
    /// The service's own DNS resolvers, for domain health.
    pub resolvers: warmup_mail::dns::Resolvers,
    /// Blocklists, relay port and time limits of domain health checks.
    pub health: warmup_mail::health::HealthOptions,
}

/// A stored account's server: what a mailbox or seed row keeps for SMTP or IMAP.
pub(crate) struct StoredServer<'a> {
    pub host: &'a str,
    pub port: i32,
    pub security: &'a str,
    pub username: &'a str,
    /// The sealed password.
    pub sealed: &'a str,
    /// The secret's context, e.g. `context("seed", id, "imap")`.
    pub context: String,
    /// The port when the stored one is out of range.
    pub default_port: u16,
    /// Whose password this is, in words, for an error that cannot open it.
    pub what: &'static str,
}

impl SendDeps {
    /// The login for a stored account, its password unsealed.
    pub(crate) fn login(&self, s: &StoredServer<'_>) -> Result<ServerLogin, Error> {
        let password: Secret = self
            .secrets
            .open(s.sealed, &s.context)
            .map_err(|e| Error::Secret(format!("{} cannot be read: {e}", s.what)))?;
        Ok(ServerLogin {
            host: s.host.to_string(),
            port: u16::try_from(s.port).unwrap_or(s.default_port),
            security: Security::parse(s.security).unwrap_or(Security::Tls),
            username: s.username.to_string(),
            password,
        })
    }

    /// Logs in to a stored account's IMAP server (a mailbox's or a seed's) under the same
    /// timeout and private-address rule as sending.
    pub(crate) async fn open_imap(&self, s: &StoredServer<'_>) -> Result<Session, Error> {
        let login = self.login(s)?;
        Ok(warmup_mail::imap::open(&login, &self.tls, &self.connect).await?)
    }

    /// Simulated time that lasts `real` on the wall clock.
    pub(crate) fn simulated(&self, real: std::time::Duration) -> Duration {
        self.clock.simulated(real)
    }
}

/// A seed's IMAP account as stored.
pub(crate) fn seed_imap(s: &warmup_entity::seed::Model) -> StoredServer<'_> {
    StoredServer {
        host: &s.imap_host,
        port: s.imap_port,
        security: &s.imap_security,
        username: &s.imap_username,
        sealed: &s.imap_password,
        context: warmup_entity::secret_box::context("seed", s.id, "imap"),
        default_port: 993,
        what: "the seed's stored IMAP password",
    }
}

/// A seed's SMTP account as stored.
pub(crate) fn seed_smtp(s: &warmup_entity::seed::Model) -> StoredServer<'_> {
    StoredServer {
        host: &s.smtp_host,
        port: s.smtp_port,
        security: &s.smtp_security,
        username: &s.smtp_username,
        sealed: &s.smtp_password,
        context: warmup_entity::secret_box::context("seed", s.id, "smtp"),
        default_port: 587,
        what: "the seed's stored SMTP password",
    }
}

/// A sender mailbox's IMAP account as stored.
pub(crate) fn mailbox_imap(m: &warmup_entity::mailbox::Model) -> StoredServer<'_> {
    StoredServer {
        host: &m.imap_host,
        port: m.imap_port,
        security: &m.imap_security,
        username: &m.imap_username,
        sealed: &m.imap_password,
        context: warmup_entity::secret_box::context("mailbox", m.id, "imap"),
        default_port: 993,
        what: "the stored IMAP password",
    }
}

/// A sender mailbox's SMTP account as stored.
pub(crate) fn mailbox_smtp(m: &warmup_entity::mailbox::Model) -> StoredServer<'_> {
    StoredServer {
        host: &m.smtp_host,
        port: m.smtp_port,
        security: &m.smtp_security,
        username: &m.smtp_username,
        sealed: &m.smtp_password,
        context: warmup_entity::secret_box::context("mailbox", m.id, "smtp"),
        default_port: 587,
        what: "the stored SMTP password",
    }
}
