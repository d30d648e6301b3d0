//! The SMTP troubleshooter's facts and reasoning: what each step of a diagnosis saw (the DNS
//! answer of every resolver, connection tries per port, the server's replies, the TLS
//! handshake) and, from that alone, where delivery breaks, the likely cause and the fix in
//! plain words. The mail crate gathers the facts; nothing here does I/O.

use serde::Serialize;

mod verdict;

pub use verdict::verdict;

/// Connection tries per port: enough to tell a steady failure from an intermittent one.
pub const TRIES: usize = 5;

/// Average connect time above which a path counts as slow.
pub const SLOW_CONNECT_MS: u64 = 1000;

/// MX hosts probed at most, in preference order (the rest are only listed).
pub const MAX_HOSTS: usize = 3;

/// The likely cause of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Nothing is wrong.
    None,
    /// Names do not resolve, resolvers fail or disagree, records are missing.
    Dns,
    /// A firewall drops or blocks the traffic (typically outbound port 25).
    Firewall,
    /// Connections are lost or slow on the way: packet loss, congestion.
    NetworkCongestion,
    /// The server is set up wrong: nothing listens, bad certificate, no STARTTLS, refusals.
    ServerMisconfigured,
    /// The server defers new senders on purpose; a retry passes.
    Greylisting,
    /// The server is busy: no greeting, dropped connections, 421 and 4.3.x answers.
    ServerOverloaded,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = FindingStatus)]
pub enum Status {
    Ok,
    /// Mail gets through, but something deserves attention.
    Warning,
    /// Mail cannot be delivered this way.
    Failed,
}

/// One conclusion: where, why, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    pub status: Status,
    /// The step it concerns: `resolve`, `connect`, `banner`, `ehlo`, `starttls`, `tls`,
    /// `certificate`, `mail_from` or `rcpt_to`.
    pub step: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    pub cause: Cause,
    /// What was seen and what it means.
    pub summary: String,
    /// What to do about it.
    pub fix: String,
}

/// How a resolver's lookup ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LookupOutcome {
    Answered,
    /// The name exists without records of the type asked.
    NoRecords,
    /// The name does not exist.
    NxDomain,
    /// No answer: timeout, refused, unreachable, server failure.
    Failed,
}

/// One resolver's answer to the MX question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ResolverView {
    /// `IP:port` of the resolver, or `system` entries as configured.
    pub server: String,
    pub outcome: LookupOutcome,
    /// The MX records as `preference host`, sorted.
    pub records: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub duration_ms: u64,
}

/// What a port is for, which decides how it is spoken to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PortRole {
    /// Server-to-server SMTP (25): plain, then STARTTLS.
    Relay,
    /// Submission with TLS from the first byte (465).
    Submissions,
    /// Submission with STARTTLS (587).
    Submission,
}

/// The ports a diagnosis tries for each role (the standard ones, or a lab's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ports {
    pub relay: u16,
    pub submissions: u16,
    pub submission: u16,
}

impl Default for Ports {
    fn default() -> Self {
        Self {
            relay: 25,
            submissions: 465,
            submission: 587,
        }
    }
}

impl Ports {
    /// Parses `relay,submissions,submission` (`25,465,587`).
    pub fn parse(raw: &str) -> Option<Self> {
        let parts: Vec<u16> = raw
            .split(',')
            .map(|p| p.trim().parse::<u16>().ok().filter(|p| *p > 0))
            .collect::<Option<_>>()?;
        match parts[..] {
            [relay, submissions, submission] => Some(Self {
                relay,
                submissions,
                submission,
            }),
            _ => None,
        }
    }

    /// Every role with its port, the relay port first.
    pub fn all(&self) -> [(PortRole, u16); 3] {
        [
            (PortRole::Relay, self.relay),
            (PortRole::Submissions, self.submissions),
            (PortRole::Submission, self.submission),
        ]
    }

    /// The role a single port given by a user plays: implicit TLS on the submissions port,
    /// submission on its port, server-to-server SMTP on any other.
    pub fn role_of(&self, port: u16) -> PortRole {
        if port == self.submissions {
            PortRole::Submissions
        } else if port == self.submission {
            PortRole::Submission
        } else {
            PortRole::Relay
        }
    }
}

/// How one connection try ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TryResult {
    Connected,
    /// Actively refused (nothing listens, or a firewall rejects).
    Refused,
    /// No answer within the time allowed (a firewall drops, or the host is unreachable).
    TimedOut,
    /// Any other network error.
    Failed,
}

/// One TCP connection try.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ConnectTry {
    pub result: TryResult,
    pub duration_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A step of the SMTP conversation after connecting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// The server's greeting (`220`).
    Banner,
    Ehlo,
    /// STARTTLS offered and accepted (`220 go ahead`).
    Starttls,
    /// The TLS handshake.
    Tls,
    /// The server's certificate: trusted, valid for the name, not expired.
    Certificate,
    MailFrom,
    RcptTo,
}

impl StepKind {
    /// The step's word in findings.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Banner => "banner",
            StepKind::Ehlo => "ehlo",
            StepKind::Starttls => "starttls",
            StepKind::Tls => "tls",
            StepKind::Certificate => "certificate",
            StepKind::MailFrom => "mail_from",
            StepKind::RcptTo => "rcpt_to",
        }
    }
}

/// Why a step did not succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepFailure {
    /// No answer within the step's time.
    Timeout,
    /// The server closed the connection.
    Closed,
    /// The server answered with a refusal (its reply code says which).
    Reply,
    /// STARTTLS is not among the EHLO extensions.
    NotOffered,
    CertificateExpired,
    /// The certificate does not name the host.
    CertificateWrongName,
    /// Self-signed or issued by an unknown authority.
    CertificateUntrusted,
    /// Any other certificate problem.
    CertificateInvalid,
    /// The handshake itself failed (versions, ciphers, a broken server).
    TlsFailed,
    Other,
}

/// One timed step of the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StepFact {
    pub step: StepKind,
    pub ok: bool,
    pub duration_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_code: Option<u16>,
    /// The enhanced status code of the reply (`4.2.0`), when it had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enhanced: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<StepFailure>,
    /// What the server said, or what went wrong.
    pub detail: String,
}

/// Everything seen on one port of one host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PortFacts {
    pub port: u16,
    pub role: PortRole,
    pub tries: Vec<ConnectTry>,
    /// The conversation on one connection, in order; stops at the first failed step.
    pub steps: Vec<StepFact>,
}

impl PortFacts {
    /// Tries that connected.
    pub fn connected(&self) -> usize {
        self.count(TryResult::Connected)
    }

    /// Tries that ended with `result`.
    pub fn count(&self, result: TryResult) -> usize {
        self.tries.iter().filter(|t| t.result == result).count()
    }

    /// Mean time of the tries that connected, in milliseconds.
    pub fn average_connect_ms(&self) -> Option<u64> {
        let times: Vec<u64> = self
            .tries
            .iter()
            .filter(|t| t.result == TryResult::Connected)
            .map(|t| t.duration_ms)
            .collect();
        let n = u64::try_from(times.len()).ok().filter(|n| *n > 0)?;
        Some(times.iter().sum::<u64>() / n)
    }
}

/// One mail server of the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HostFacts {
    pub host: String,
    /// MX preference; absent for a host given directly or an implicit MX.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preference: Option<u16>,
    /// The addresses the name resolved to (the first is the one connected to).
    pub addresses: Vec<String>,
    /// Why the name could not be used, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolve_error: Option<String>,
    /// The first port is the one mail goes to; the others tell a blocked port from a dead host.
    pub ports: Vec<PortFacts>,
}

/// What a diagnosis saw, in the order it looked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The domain diagnosed; `None` when a host and port were given.
    pub domain: Option<String>,
    /// Every resolver's MX answer (empty when a host was given).
    pub resolvers: Vec<ResolverView>,
    /// The domain publishes a null MX (`0 .`, RFC 7505): it takes no mail.
    pub null_mx: bool,
    /// No MX, so the domain's own address stands in (RFC 5321 §5.1).
    pub implicit_mx: bool,
    /// The servers in preference order (at most [`MAX_HOSTS`] probed).
    pub hosts: Vec<HostFacts>,
    /// Real time each step may take, in seconds (for the words).
    pub timeout_secs: u64,
    /// Real time each connection try may take, in seconds.
    pub connect_timeout_secs: u64,
}
