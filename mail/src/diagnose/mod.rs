//! The SMTP troubleshooter: what an administrator does by hand when sends fail with `451 4.4.2`
//! and its kin. Ask every resolver for the MX, resolve each host, try each port five times,
//! then greet, EHLO, STARTTLS and check the certificate, and optionally offer an envelope
//! without DATA. The facts go to `warmup_domain::diagnosis::verdict` for the step where it
//! broke, the likely cause and the fix.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use futures::future::join_all;
use serde::Serialize;
use warmup_domain::diagnosis::{
    self, ConnectTry, Facts, Finding, HostFacts, LookupOutcome, MAX_HOSTS, PortFacts, PortRole,
    Ports, ResolverView, StepFact, TRIES, TryResult,
};
use warmup_domain::mail_server::is_public_ip;

use crate::bounded::{Bounded, SMTP_ANSWER_LIMIT};
use crate::dns::{DnsError, Mx, Resolvers, elapsed_ms};
use crate::tls::TlsTrust;

mod certificate;
mod conversation;

/// What to diagnose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A mail domain: its MX hosts on the relay, submissions and submission ports.
    Domain(String),
    /// One server on one port.
    Host { host: String, port: u16 },
}

/// An envelope to offer after EHLO: `MAIL FROM` and `RCPT TO`, never `DATA`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub mail_from: String,
    pub rcpt_to: String,
}

/// How a diagnosis runs.
#[derive(Debug, Clone)]
pub struct DiagnoseOptions {
    pub ports: Ports,
    /// Real time each step may take.
    pub timeout: Duration,
    /// Real time each connection try may take.
    pub connect_timeout: Duration,
    pub helo_name: String,
    /// Whether hosts may be on loopback or private networks.
    pub allow_private_hosts: bool,
    pub probe: Option<Probe>,
}

impl Default for DiagnoseOptions {
    fn default() -> Self {
        Self {
            ports: Ports::default(),
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            helo_name: "localhost".into(),
            allow_private_hosts: false,
            probe: None,
        }
    }
}

/// The target as answered.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DiagnosisTarget {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// One MX record as published.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MxRecord {
    pub preference: u16,
    pub host: String,
}

/// A whole diagnosis: the verdict first, then what it rests on.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Diagnosis {
    pub target: DiagnosisTarget,
    /// Where it broke, the likely cause and the fix (or that all is well).
    pub verdict: Finding,
    /// The other findings that deserve attention, most severe first.
    pub notes: Vec<Finding>,
    /// Every resolver's answer to the MX question (empty for a host).
    pub resolvers: Vec<ResolverView>,
    /// The MX records the first resolver that answered gave, in preference order.
    pub mx: Vec<MxRecord>,
    /// The servers probed, in preference order.
    pub hosts: Vec<HostFacts>,
    /// Wall time of the whole diagnosis.
    pub duration_ms: u64,
}

/// Runs a diagnosis. Never an error: what went wrong is in the answer.
pub async fn diagnose(
    target: &Target,
    resolvers: &Resolvers,
    trust: &TlsTrust,
    options: &DiagnoseOptions,
) -> Diagnosis {
    let started = Instant::now();
    let mut facts = Facts {
        domain: None,
        resolvers: Vec::new(),
        null_mx: false,
        implicit_mx: false,
        hosts: Vec::new(),
        timeout_secs: options.timeout.as_secs(),
        connect_timeout_secs: options.connect_timeout.as_secs(),
    };
    let mut mx_records = Vec::new();
    let shown_target;
    match target {
        Target::Domain(domain) => {
            shown_target = DiagnosisTarget {
                domain: Some(domain.clone()),
                host: None,
                port: None,
            };
            facts.domain = Some(domain.clone());
            let (views, first) = ask_every_resolver(domain, resolvers).await;
            facts.resolvers = views;
            let names: Vec<(Option<u16>, String)> = match first {
                Some(Ok(mx)) => {
                    facts.null_mx = mx.iter().any(|m| m.host.is_empty());
                    mx_records = mx
                        .iter()
                        .map(|m| MxRecord {
                            preference: m.preference,
                            host: m.host.clone(),
                        })
                        .collect();
                    mx.into_iter()
                        .filter(|m| !m.host.is_empty())
                        .map(|m| (Some(m.preference), m.host))
                        .collect()
                }
                Some(Err(DnsError::NoRecords)) => {
                    // RFC 5321 §5.1: without MX, the domain's own address is the server.
                    match resolvers.fresh().addresses(domain).await {
                        Ok(_) => {
                            facts.implicit_mx = true;
                            vec![(None, domain.clone())]
                        }
                        Err(_) => Vec::new(),
                    }
                }
                _ => Vec::new(),
            };
            let ports: Vec<(PortRole, u16)> = options.ports.all().to_vec();
            facts.hosts = join_all(
                names
                    .into_iter()
                    .take(MAX_HOSTS)
                    .map(|(pref, name)| probe_host(name, pref, &ports, resolvers, trust, options)),
            )
            .await;
        }
        Target::Host { host, port } => {
            shown_target = DiagnosisTarget {
                domain: None,
                host: Some(host.clone()),
                port: Some(*port),
            };
            let ports = vec![(options.ports.role_of(*port), *port)];
            facts.hosts =
                vec![probe_host(host.clone(), None, &ports, resolvers, trust, options).await];
        }
    }
    let (verdict, notes) = diagnosis::verdict(&facts);
    Diagnosis {
        target: shown_target,
        verdict,
        notes,
        resolvers: facts.resolvers,
        mx: mx_records,
        hosts: facts.hosts,
        duration_ms: elapsed_ms(started),
    }
}

/// Every resolver's MX answer, and the first answer that is not a failure.
async fn ask_every_resolver(
    domain: &str,
    resolvers: &Resolvers,
) -> (Vec<ResolverView>, Option<Result<Vec<Mx>, DnsError>>) {
    let answers = join_all(resolvers.each().iter().map(|r| async move {
        let t = r.mx_timed(domain).await;
        (r.name.clone(), t)
    }))
    .await;
    let mut first = None;
    let views = answers
        .into_iter()
        .map(|(server, t)| {
            let (outcome, records, error) = match &t.result {
                Ok(mx) => (
                    LookupOutcome::Answered,
                    mx.iter()
                        .map(|m| {
                            let host = if m.host.is_empty() { "." } else { &m.host };
                            format!("{} {host}", m.preference)
                        })
                        .collect(),
                    None,
                ),
                Err(e) => (e.outcome(), Vec::new(), Some(e.to_string())),
            };
            if first.is_none() && outcome != LookupOutcome::Failed {
                first = Some(t.result.clone());
            }
            ResolverView {
                server,
                outcome,
                records,
                error: (outcome == LookupOutcome::Failed)
                    .then_some(error)
                    .flatten(),
                duration_ms: t.duration_ms,
            }
        })
        .collect();
    (views, first)
}

/// Resolves a host under the private-address rule; its addresses, IPv4 first.
async fn addresses_of(
    host: &str,
    resolvers: &Resolvers,
    options: &DiagnoseOptions,
) -> Result<Vec<IpAddr>, String> {
    let addrs = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => resolvers
            .fresh()
            .addresses(host)
            .await
            .map_err(|e| match e {
                DnsError::NxDomain => format!("{host} does not exist in DNS (NXDOMAIN)"),
                DnsError::NoRecords => format!("{host} has no address (no A or AAAA record)"),
                DnsError::Failed(why) => format!("{host} could not be resolved: {why}"),
            })?,
    };
    if !options.allow_private_hosts
        && let Some(private) = addrs.iter().find(|ip| !is_public_ip(**ip))
    {
        return Err(format!(
            "{host} resolves to {private}, a loopback or private address; an operator can \
             allow private mail servers with WARMUP_ALLOW_PRIVATE_MAIL_HOSTS=true"
        ));
    }
    Ok(addrs)
}

async fn probe_host(
    host: String,
    preference: Option<u16>,
    ports: &[(PortRole, u16)],
    resolvers: &Resolvers,
    trust: &TlsTrust,
    options: &DiagnoseOptions,
) -> HostFacts {
    let addrs = match addresses_of(&host, resolvers, options).await {
        Ok(a) => a,
        Err(why) => {
            return HostFacts {
                host,
                preference,
                addresses: Vec::new(),
                resolve_error: Some(why),
                ports: Vec::new(),
            };
        }
    };
    // Connect where a sender on this host would: IPv4 first, as the answer lists it.
    let ip = addrs
        .iter()
        .copied()
        .find(IpAddr::is_ipv4)
        .unwrap_or(addrs[0]);
    let ports =
        join_all(ports.iter().map(|(role, port)| {
            probe_port(&host, SocketAddr::new(ip, *port), *role, trust, options)
        }))
        .await;
    HostFacts {
        host,
        preference,
        addresses: addrs.iter().map(IpAddr::to_string).collect(),
        resolve_error: None,
        ports,
    }
}

/// Five connection tries; the conversation runs on the first connection that opened.
async fn probe_port(
    host: &str,
    addr: SocketAddr,
    role: PortRole,
    trust: &TlsTrust,
    options: &DiagnoseOptions,
) -> PortFacts {
    let mut tries = Vec::with_capacity(TRIES);
    let mut steps: Vec<StepFact> = Vec::new();
    let mut talked = false;
    for _ in 0..TRIES {
        let started = Instant::now();
        let attempt = tokio::time::timeout(
            options.connect_timeout,
            tokio::net::TcpStream::connect(addr),
        )
        .await;
        let duration_ms = elapsed_ms(started);
        match attempt {
            Ok(Ok(stream)) => {
                tries.push(ConnectTry {
                    result: TryResult::Connected,
                    duration_ms,
                    error: None,
                });
                if !talked {
                    talked = true;
                    // The step's own limit speaks first; the socket's is the backstop.
                    let idle = options.timeout + Duration::from_secs(1);
                    let socket = Bounded::new(stream, SMTP_ANSWER_LIMIT, idle);
                    steps = conversation::converse(socket, host, role, options, trust).await;
                }
            }
            Ok(Err(e)) => tries.push(ConnectTry {
                result: if e.kind() == std::io::ErrorKind::ConnectionRefused {
                    TryResult::Refused
                } else {
                    TryResult::Failed
                },
                duration_ms,
                error: Some(format!("{addr}: {e}")),
            }),
            Err(_) => tries.push(ConnectTry {
                result: TryResult::TimedOut,
                duration_ms,
                error: Some(format!(
                    "{addr}: no answer within {}s",
                    options.connect_timeout.as_secs()
                )),
            }),
        }
    }
    PortFacts {
        port: addr.port(),
        role,
        tries,
        steps,
    }
}
