//! Logging in as a sequence of timed steps (connect, TLS, greeting, login, ...): the report
//! types of the connection test, and the steps both protocols share. A job's login runs the
//! same steps and keeps only the failed one's detail.

use std::future::Future;
use std::time::{Duration, Instant};

use serde::Serialize;
use warmup_domain::{Secret, Security};

use crate::bounded::Bounded;
use crate::connect::{ConnectOptions, resolve_allowed};
use crate::tls::TlsTrust;

/// A connection to a tenant's server: TCP with each answer's size capped.
pub(crate) type Socket = Bounded<tokio::net::TcpStream>;

/// Credentials and address of one server.
#[derive(Debug, Clone)]
pub struct ServerLogin {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    pub password: Secret,
}

/// One step of a connection test.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProbeStep {
    /// `connect`, `tls`, `greeting`, `ehlo`, `starttls`, `auth`, `login` or `list`.
    pub step: String,
    pub ok: bool,
    /// Wall time the step took, in milliseconds.
    pub duration_ms: u64,
    /// The server's reply code, where the protocol has one (SMTP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_code: Option<u16>,
    /// What the server said, or what went wrong.
    pub detail: String,
}

/// The report for one server.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConnectionReport {
    pub ok: bool,
    pub host: String,
    pub port: u16,
    pub steps: Vec<ProbeStep>,
}

/// The outcome of one step before it is timed.
pub(crate) struct StepOutcome {
    pub ok: bool,
    pub reply_code: Option<u16>,
    pub detail: String,
}

impl StepOutcome {
    pub fn ok(detail: impl Into<String>) -> Self {
        Self {
            ok: true,
            reply_code: None,
            detail: detail.into(),
        }
    }
    pub fn failed(reply_code: Option<u16>, detail: impl Into<String>) -> Self {
        Self {
            ok: false,
            reply_code,
            detail: detail.into(),
        }
    }
}

/// Characters of a server's text a report or a stored reply repeats at most.
pub const SHOWN_SERVER_CHARS: usize = 300;

/// A server's text as shown to a user: on one line (control characters become spaces) and cut
/// to [`SHOWN_SERVER_CHARS`], so a server cannot fill a report, a row or a log line.
pub fn shown_server_text(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(SHOWN_SERVER_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(SHOWN_SERVER_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// Collects timed steps; stops being useful after the first failure.
pub(crate) struct Steps {
    pub steps: Vec<ProbeStep>,
    timeout: Duration,
}

impl Steps {
    pub fn new(timeout: Duration) -> Self {
        Self {
            steps: Vec::new(),
            timeout,
        }
    }

    /// Runs one step with the step timeout; returns its value when it succeeded.
    pub async fn run<T>(
        &mut self,
        name: &str,
        fut: impl Future<Output = Result<(T, StepOutcome), StepOutcome>>,
    ) -> Option<T> {
        self.run_within(name, self.timeout, fut).await
    }

    /// Runs one step with a time limit of its own.
    pub async fn run_within<T>(
        &mut self,
        name: &str,
        limit: Duration,
        fut: impl Future<Output = Result<(T, StepOutcome), StepOutcome>>,
    ) -> Option<T> {
        let started = Instant::now();
        let result = tokio::time::timeout(limit, fut).await;
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (value, outcome) = match result {
            Ok(Ok((value, outcome))) => (Some(value), outcome),
            Ok(Err(outcome)) => (None, outcome),
            Err(_) => (
                None,
                StepOutcome::failed(None, format!("no answer within {}s", limit.as_secs())),
            ),
        };
        self.steps.push(ProbeStep {
            step: name.to_string(),
            ok: outcome.ok && value.is_some(),
            duration_ms,
            reply_code: outcome.reply_code,
            detail: shown_server_text(&outcome.detail),
        });
        value
    }

    pub fn report(self, host: &str, port: u16) -> ConnectionReport {
        ConnectionReport {
            ok: !self.steps.is_empty() && self.steps.iter().all(|s| s.ok),
            host: host.to_string(),
            port,
            steps: self.steps,
        }
    }
}

/// Opens the TCP connection, naming the address in the step detail. Unless private hosts are
/// allowed, every address the name resolves to must be public, and the connection goes to the
/// address that was checked (so a second lookup cannot point it elsewhere). Each answer read
/// from it may take at most `answer_limit` bytes, and each read may wait at most `idle`.
pub(crate) async fn tcp_connect(
    host: &str,
    port: u16,
    options: &ConnectOptions,
    answer_limit: usize,
    idle: Duration,
) -> Result<(Socket, StepOutcome), StepOutcome> {
    let addrs = resolve_allowed(host, port, options)
        .await
        .map_err(|e| StepOutcome::failed(None, e.to_string()))?;
    let Some(first) = addrs.first().copied() else {
        return Err(StepOutcome::failed(None, format!("{host} has no address")));
    };
    match tokio::net::TcpStream::connect(first).await {
        Ok(s) => {
            let peer = s
                .peer_addr()
                .map(|a| a.to_string())
                .unwrap_or_else(|_| format!("{host}:{port}"));
            Ok((
                Bounded::new(s, answer_limit, idle),
                StepOutcome::ok(format!("connected to {peer}")),
            ))
        }
        Err(e) => Err(StepOutcome::failed(
            None,
            format!("cannot connect to {host}:{port}: {e}"),
        )),
    }
}

/// Runs the TLS handshake, reporting certificate problems in words.
pub(crate) async fn tls_handshake(
    trust: &TlsTrust,
    host: &str,
    tcp: Socket,
) -> Result<(tokio_rustls::client::TlsStream<Socket>, StepOutcome), StepOutcome> {
    match trust.connect(host, tcp).await {
        Ok(s) => {
            let version = s
                .get_ref()
                .1
                .protocol_version()
                .map(|v| format!("{v:?}"))
                .unwrap_or_default();
            Ok((
                s,
                StepOutcome::ok(format!(
                    "TLS established ({version}), certificate valid for {host}"
                )),
            ))
        }
        Err(e) => Err(StepOutcome::failed(
            None,
            format!("TLS handshake failed: {e}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The connection test's own step once carried a second copy of the private-address
    /// check whose message had lost a line continuation (a run of 18 spaces).
    #[tokio::test]
    async fn the_connect_step_refuses_a_private_address_in_the_one_plain_sentence() {
        let Err(step) = tcp_connect(
            "127.0.0.1",
            25,
            &ConnectOptions::default(),
            1024,
            Duration::from_secs(5),
        )
        .await
        else {
            panic!("a loopback address was allowed");
        };
        assert!(!step.ok);
        assert_eq!(
            step.detail,
            "127.0.0.1 resolves to 127.0.0.1, a loopback or private address; an operator can \
             allow private mail servers with WARMUP_ALLOW_PRIVATE_MAIL_HOSTS=true"
        );
    }
}
