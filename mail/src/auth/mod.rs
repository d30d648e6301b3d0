//! Authentication results of a received message, as a seed sees them: SPF, DKIM and DMARC
//! verified with mail-auth against a configured DNS server.
//!
//! A seed reads messages over IMAP, long after the SMTP session they arrived in. SPF needs that
//! session's client IP, HELO name and envelope sender, which survive only as trace headers: the
//! topmost `Received:` header that names a bracketed client IP (the receiving MTA's record of its
//! client) and `Return-Path:` (the envelope sender, written by the delivery agent).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use mail_auth::dmarc::verify::DmarcParameters;
use mail_auth::hickory_resolver::config::{ResolverConfig, ResolverOpts};
use mail_auth::hickory_resolver::system_conf::read_system_conf;
use mail_auth::spf::verify::SpfParameters;
use mail_auth::{AuthenticatedMessage, MessageAuthenticator, SpfOutput};

use crate::MailError;
use received::session_facts;

mod dkim;
mod dmarc;
mod received;
mod spf;

/// How long one DNS query may take. Against a server that stopped answering, a verification
/// stops at the first failed query of each step: SPF's HELO and MAIL FROM identities, then
/// DMARC's record (DKIM's key queries run beside SPF), so about three times this.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(3);

/// The results, as lowercase RFC 8601 result words, and how they came about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthResults {
    /// `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror` or `permerror`.
    pub spf: String,
    /// `pass` when any signature verifies, else the first failing signature's result; `none`
    /// without signatures.
    pub dkim: String,
    /// `pass`, `fail`, `none`, `temperror` or `permerror`.
    pub dmarc: String,
    /// One clause per method: the identities checked and why a result is not `pass`.
    pub detail: String,
    /// The address the message came from, as the receiving server recorded it (the topmost
    /// `Received:` header with a bracketed client address): the sender's outbound server.
    pub client_ip: Option<std::net::IpAddr>,
}

/// Verifies received messages; cheap to clone (one resolver, shared).
#[derive(Clone)]
pub struct AuthVerifier {
    authenticator: Arc<MessageAuthenticator>,
}

impl AuthVerifier {
    /// `dns`: the DNS servers (UDP+TCP) to ask, in order; empty uses the system's resolver
    /// configuration.
    pub fn new(dns: &[SocketAddr]) -> Result<Self, MailError> {
        Self::with_timeout(dns, LOOKUP_TIMEOUT)
    }

    fn with_timeout(dns: &[SocketAddr], timeout: Duration) -> Result<Self, MailError> {
        let (config, mut options) = if dns.is_empty() {
            read_system_conf().map_err(|e| {
                MailError::Setup(format!("cannot read the system's DNS configuration: {e}"))
            })?
        } else {
            let servers = dns.iter().map(|s| crate::dns::name_server(*s)).collect();
            (
                ResolverConfig::from_parts(None, Vec::new(), servers),
                ResolverOpts::default(),
            )
        };
        options.timeout = timeout;
        // `attempts` counts retries: each would add a whole timeout to what a dead server costs,
        // and a lost answer is reported as what it is, a temperror.
        options.attempts = 0;
        let authenticator = MessageAuthenticator::new(config, options)
            .map_err(|e| MailError::Setup(format!("cannot build the DNS resolver: {e}")))?;
        Ok(AuthVerifier {
            authenticator: Arc::new(authenticator),
        })
    }

    /// Verifies a message as delivered to a mailbox (raw RFC 5322 bytes, as fetched over IMAP).
    pub async fn verify(&self, raw: &[u8]) -> AuthResults {
        let Some(message) = AuthenticatedMessage::parse(raw) else {
            return AuthResults {
                spf: "none".into(),
                dkim: "none".into(),
                dmarc: "none".into(),
                detail: "not a message: no header fields".into(),
                client_ip: None,
            };
        };
        let facts = session_facts(&message.headers);
        let auth = &self.authenticator;
        let spf_check = async {
            match &facts {
                Ok(f) => {
                    let out = auth
                        .verify_spf(SpfParameters::verify(
                            f.client_ip,
                            &f.helo,
                            &f.receiver,
                            &f.mail_from,
                        ))
                        .await;
                    let detail = spf::describe(f, &out);
                    (Some(out), detail)
                }
                Err(why) => (None, format!("spf none: {why}")),
            }
        };
        let ((spf, spf_detail), dkim) = tokio::join!(spf_check, auth.verify_dkim(&message));

        let no_spf = SpfOutput::default();
        // mail-auth reports the domain it checked: the envelope sender's, or the HELO name's for
        // a null sender or a failing HELO, which is the identity DMARC aligns.
        let mail_from_domain = spf.as_ref().map_or("", |s| s.domain());
        let dmarc = auth
            .verify_dmarc(DmarcParameters::new(
                &message,
                &dkim,
                mail_from_domain,
                spf.as_ref().unwrap_or(&no_spf),
            ))
            .await;

        AuthResults {
            spf: spf
                .as_ref()
                .map_or("none", |s| spf::word(s.result()))
                .into(),
            dkim: dkim::summary(&dkim).into(),
            dmarc: dmarc::word(&dmarc.result()).into(),
            detail: [spf_detail, dkim::describe(&dkim), dmarc::describe(&dmarc)].join("; "),
            client_ip: facts.as_ref().ok().map(|f| f.client_ip),
        }
    }

    /// What `domain`'s SPF policy says of mail from `ip` (`pass`, `fail`, `softfail`,
    /// `neutral`, `none`, `temperror` or `permerror`), as a receiver would evaluate it for a
    /// sender `postmaster@domain` greeting with `helo`.
    pub async fn spf_for(&self, ip: std::net::IpAddr, domain: &str, helo: &str) -> String {
        let sender = format!("postmaster@{domain}");
        let out = self
            .authenticator
            .verify_spf(SpfParameters::verify_mail_from(ip, helo, helo, &sender))
            .await;
        spf::word(out.result()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    /// A DNS server that takes queries and never answers, over UDP and TCP on one port.
    /// The UDP port the system hands out may be taken for TCP by another test or process,
    /// so another port is tried until both bind.
    async fn silent_dns() -> (SocketAddr, tokio::net::UdpSocket, tokio::net::TcpListener) {
        let mut last = None;
        for _ in 0..50 {
            let udp = tokio::net::UdpSocket::bind("127.0.0.1:0")
                .await
                .unwrap_or_else(|e| panic!("bind UDP: {e}"));
            let addr = udp
                .local_addr()
                .unwrap_or_else(|e| panic!("UDP address: {e}"));
            match tokio::net::TcpListener::bind(addr).await {
                Ok(tcp) => return (addr, udp, tcp),
                Err(e) => last = Some(e),
            }
        }
        panic!("no port bound for both UDP and TCP in 50 tries: {last:?}")
    }

    #[tokio::test]
    async fn a_silent_dns_server_gives_temperror_within_the_lookup_timeout() {
        let (addr, _udp, _tcp) = silent_dns().await;
        let timeout = Duration::from_millis(300);
        let verifier = AuthVerifier::with_timeout(&[addr], timeout)
            .unwrap_or_else(|e| panic!("verifier: {e}"));
        let raw = b"Return-Path: <a@example.test>\r\n\
            Received: from mta.example.test (mta.example.test [192.0.2.1]) by mx.example.org\r\n\
            From: a@example.test\r\nSubject: hi\r\n\r\nbody\r\n";
        let started = std::time::Instant::now();
        let results = verifier.verify(raw).await;
        let took = started.elapsed();
        assert_eq!(
            (
                results.spf.as_str(),
                results.dkim.as_str(),
                results.dmarc.as_str()
            ),
            ("temperror", "none", "temperror"),
            "{}",
            results.detail
        );
        // SPF's two identities, then DMARC's record: three queries one after the other.
        assert!(took < timeout * 6, "took {took:?}: {}", results.detail);
    }

    #[tokio::test]
    async fn a_message_without_trace_headers_has_no_spf_and_says_why() {
        let (addr, _udp, _tcp) = silent_dns().await;
        let verifier = AuthVerifier::with_timeout(&[addr], Duration::from_millis(200))
            .unwrap_or_else(|e| panic!("verifier: {e}"));
        let results = verifier
            .verify(b"From: a@example.test\r\nSubject: hi\r\n\r\nbody\r\n")
            .await;
        assert_eq!(results.spf, "none");
        assert_eq!(results.dkim, "none");
        assert!(
            results
                .detail
                .contains("spf none: no Received header records a bracketed client IP"),
            "{}",
            results.detail
        );
        assert!(
            results.detail.contains("dkim none: no signature"),
            "{}",
            results.detail
        );
    }

    #[tokio::test]
    async fn nothing_parseable_is_none_everywhere() {
        let verifier = AuthVerifier::new(&[SocketAddr::from(([127, 0, 0, 1], 9))])
            .unwrap_or_else(|e| panic!("verifier: {e}"));
        let results = verifier.verify(b"").await;
        assert_eq!(
            (
                results.spf.as_str(),
                results.dkim.as_str(),
                results.dmarc.as_str()
            ),
            ("none", "none", "none")
        );
    }

    #[test]
    fn verification_can_run_on_any_worker_thread() {
        fn is_send<T: Send>(_: &T) {}
        let verifier = AuthVerifier::new(&[SocketAddr::from(([127, 0, 0, 1], 9))])
            .unwrap_or_else(|e| panic!("verifier: {e}"));
        is_send(&verifier.verify(b""));
    }
}
