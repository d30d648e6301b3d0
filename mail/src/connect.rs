//! Reaching a tenant's mail server: the one place that resolves its name and applies the
//! private-address rule, so that the service cannot be aimed at its own network.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::MailError;

/// The answer of a name lookup.
pub type LookupAnswer = Pin<Box<dyn Future<Output = std::io::Result<Vec<SocketAddr>>> + Send>>;

/// Looks up a name (and port) to the addresses to connect to.
pub type LookupFn = dyn Fn(&str, u16) -> LookupAnswer + Send + Sync;

/// A name lookup other than the system's, for an embedding program or a test that must control
/// what a name answers (and how often it is asked).
#[derive(Clone)]
pub struct Lookup(pub Arc<LookupFn>);

impl std::fmt::Debug for Lookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lookup(custom)")
    }
}

/// How connections to tenants' servers behave, for jobs and connection tests alike.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Real time allowed to each step of a conversation.
    pub timeout: Duration,
    /// Real time one SMTP submission may take up to the server's go-ahead for the message
    /// (steps and answers together), and again for the message and the server's verdict on it.
    pub conversation_limit: Duration,
    /// The name we give in EHLO.
    pub helo_name: String,
    /// Whether tenants' servers may be on loopback or private networks.
    pub allow_private_hosts: bool,
    /// How names are looked up; `None` is the system's resolver.
    pub lookup: Option<Lookup>,
}

impl ConnectOptions {
    /// Options with `timeout` per step and twice that for a whole SMTP submission: a slow
    /// server may use each step's time, but not every step's.
    pub fn with_step_timeout(timeout: Duration) -> Self {
        Self {
            timeout,
            conversation_limit: timeout.saturating_mul(2),
            ..Self::default()
        }
    }

    /// Real time a send is claimed for: longer than any submission can last (up to the
    /// go-ahead, the message and its verdict, and a step for the goodbye), so a live worker
    /// never loses a send mid-conversation.
    pub fn send_lease(&self) -> Duration {
        self.conversation_limit
            .saturating_mul(2)
            .saturating_add(self.timeout)
    }
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(15),
            conversation_limit: Duration::from_secs(30),
            helo_name: "localhost".to_string(),
            lookup: None,
            allow_private_hosts: false,
        }
    }
}

/// Resolves a tenant's mail server; unless private hosts are allowed, every address must be
/// public. Connect to an address returned here, never to the name again (a second lookup
/// could point elsewhere).
pub async fn resolve_allowed(
    host: &str,
    port: u16,
    options: &ConnectOptions,
) -> Result<Vec<SocketAddr>, MailError> {
    let addrs = resolve(host, port, options).await?;
    if let Some(private) = first_private(&addrs, options) {
        return Err(MailError::Connect(format!(
            "{host} resolves to {private}, a loopback or private address; an operator can allow \
             private mail servers with WARMUP_ALLOW_PRIVATE_MAIL_HOSTS=true"
        )));
    }
    Ok(addrs)
}

/// The addresses of `host` (at least one), by the configured lookup.
pub async fn resolve(
    host: &str,
    port: u16,
    options: &ConnectOptions,
) -> Result<Vec<SocketAddr>, MailError> {
    let answer = match &options.lookup {
        Some(Lookup(lookup)) => lookup(host, port).await,
        None => tokio::net::lookup_host((host, port))
            .await
            .map(|addrs| addrs.collect()),
    };
    let addrs: Vec<SocketAddr> =
        answer.map_err(|e| MailError::Connect(format!("cannot resolve {host}: {e}")))?;
    if addrs.is_empty() {
        return Err(MailError::Connect(format!("{host} has no address")));
    }
    Ok(addrs)
}

/// The first address the private-address rule refuses, unless private hosts are allowed.
pub fn first_private(addrs: &[SocketAddr], options: &ConnectOptions) -> Option<std::net::IpAddr> {
    if options.allow_private_hosts {
        return None;
    }
    addrs
        .iter()
        .map(SocketAddr::ip)
        .find(|ip| !warmup_domain::mail_server::is_public_ip(*ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_private_address_is_refused_in_one_plain_sentence() {
        let err = resolve_allowed("127.0.0.1", 25, &ConnectOptions::default())
            .await
            .err()
            .unwrap_or_else(|| panic!("loopback allowed"));
        let text = err.to_string();
        assert_eq!(
            text,
            "127.0.0.1 resolves to 127.0.0.1, a loopback or private address; an operator can \
             allow private mail servers with WARMUP_ALLOW_PRIVATE_MAIL_HOSTS=true"
        );
        assert!(!text.contains("  "), "no run of spaces: {text:?}");
    }

    #[tokio::test]
    async fn private_addresses_pass_when_the_operator_allows_them() {
        let addrs = resolve_allowed(
            "127.0.0.1",
            25,
            &ConnectOptions {
                allow_private_hosts: true,
                ..ConnectOptions::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            addrs,
            vec!["127.0.0.1:25".parse().unwrap_or_else(|_| panic!())]
        );
    }
}
