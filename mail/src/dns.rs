//! The service's own DNS lookups (hickory): every configured resolver on its own, for a
//! diagnosis that compares their answers, and all of them as one pool that fails over (asking
//! up to three at once), for checks that only need an answer.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts,
    ServerOrderingStrategy,
};
use hickory_resolver::net::NetError;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::{RData, RecordType};
use hickory_resolver::system_conf::read_system_conf;
use warmup_domain::diagnosis::LookupOutcome;

use crate::MailError;

/// How long one query may wait for one resolver.
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(3);

/// Resolvers a configuration may name.
pub const MAX_SERVERS: usize = 8;

/// Why a lookup has no records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsError {
    /// The name does not exist.
    NxDomain,
    /// The name exists, without records of the type asked.
    NoRecords,
    /// No usable answer (timeout, refusal, server failure), in words.
    Failed(String),
}

impl DnsError {
    fn of(e: &NetError) -> Self {
        if e.is_nx_domain() {
            DnsError::NxDomain
        } else if e.is_no_records_found() {
            DnsError::NoRecords
        } else {
            DnsError::Failed(e.to_string())
        }
    }

    /// The outcome word of a diagnosis.
    pub fn outcome(&self) -> LookupOutcome {
        match self {
            DnsError::NxDomain => LookupOutcome::NxDomain,
            DnsError::NoRecords => LookupOutcome::NoRecords,
            DnsError::Failed(_) => LookupOutcome::Failed,
        }
    }
}

impl std::fmt::Display for DnsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DnsError::NxDomain => f.write_str("the name does not exist (NXDOMAIN)"),
            DnsError::NoRecords => f.write_str("no record of that type"),
            DnsError::Failed(why) => write!(f, "no answer: {why}"),
        }
    }
}

/// One MX record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mx {
    pub preference: u16,
    /// Lower-case, without the final dot; empty for a null MX (`0 .`).
    pub host: String,
}

/// One resolver, or the pool of all of them.
#[derive(Clone)]
pub struct Resolver {
    /// `IP:port`.
    pub name: String,
    inner: TokioResolver,
}

/// The configured resolvers.
#[derive(Clone)]
pub struct Resolvers {
    pool: Resolver,
    /// The pool without a cache, for a diagnosis that must see a fix made a minute ago.
    fresh: Resolver,
    each: Arc<Vec<Resolver>>,
}

impl std::fmt::Debug for Resolvers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.each.iter().map(|r| &r.name))
            .finish()
    }
}

/// A name server at `IP:port`, over UDP and TCP.
pub(crate) fn name_server(server: SocketAddr) -> NameServerConfig {
    let connections = [ConnectionConfig::udp(), ConnectionConfig::tcp()]
        .into_iter()
        .map(|mut c| {
            c.port = server.port();
            c
        })
        .collect();
    NameServerConfig::new(server.ip(), true, connections)
}

fn build(
    servers: &[SocketAddr],
    timeout: Duration,
    cache: bool,
) -> Result<TokioResolver, MailError> {
    let config = ResolverConfig::from_parts(
        None,
        Vec::new(),
        servers.iter().map(|s| name_server(*s)).collect(),
    );
    let mut options = ResolverOpts::default();
    options.timeout = timeout;
    // What the world's DNS says, not this machine's /etc/hosts: a mail server elsewhere sees
    // only the former.
    options.use_hosts_file = ResolveHosts::Never;
    options.server_ordering_strategy = ServerOrderingStrategy::UserProvidedOrder;
    if servers.len() > 1 {
        // hickory gives one query `timeout` across all servers, so a resolver that times out
        // would use up the time of those behind it: ask up to three at once, take the first
        // answer, and once more if none came.
        options.num_concurrent_reqs = servers.len().min(3);
        options.attempts = 1;
    } else {
        // One resolver on its own (a diagnosis compares them): a retry would double what a
        // dead one costs, and its silence is the finding.
        options.num_concurrent_reqs = 1;
        options.attempts = 0;
    }
    if !cache {
        // A diagnosis after a DNS fix must see the fix, not a remembered answer.
        options.cache_size = 0;
    }
    TokioResolver::builder_with_config(config, TokioRuntimeProvider::default())
        .with_options(options)
        .build()
        .map_err(|e| MailError::Setup(format!("cannot build the DNS resolver: {e}")))
}

/// The system's name servers (`/etc/resolv.conf`) as `IP:port`.
fn system_servers() -> Result<Vec<SocketAddr>, MailError> {
    let (config, _) = read_system_conf().map_err(|e| {
        MailError::Setup(format!("cannot read the system's DNS configuration: {e}"))
    })?;
    let mut out: Vec<SocketAddr> = Vec::new();
    for ns in config.name_servers() {
        let port = ns.connections.first().map_or(53, |c| c.port);
        let addr = SocketAddr::new(ns.ip, port);
        if !out.contains(&addr) {
            out.push(addr);
        }
    }
    if out.is_empty() {
        return Err(MailError::Setup(
            "the system's DNS configuration names no server; set WARMUP_DNS_SERVERS".into(),
        ));
    }
    Ok(out)
}

impl Resolvers {
    /// The given resolvers (`IP:port`, in order of preference), or the system's when empty.
    pub fn new(servers: &[SocketAddr]) -> Result<Self, MailError> {
        Self::with_timeout(servers, QUERY_TIMEOUT)
    }

    /// The same with another time limit per query.
    pub fn with_timeout(servers: &[SocketAddr], timeout: Duration) -> Result<Self, MailError> {
        let servers = if servers.is_empty() {
            system_servers()?
        } else {
            servers.to_vec()
        };
        if servers.len() > MAX_SERVERS {
            return Err(MailError::Setup(format!(
                "{} DNS servers given; at most {MAX_SERVERS}",
                servers.len()
            )));
        }
        let names: Vec<String> = servers.iter().map(SocketAddr::to_string).collect();
        let each = servers
            .iter()
            .zip(&names)
            .map(|(s, name)| {
                Ok(Resolver {
                    name: name.clone(),
                    inner: build(&[*s], timeout, false)?,
                })
            })
            .collect::<Result<Vec<_>, MailError>>()?;
        Ok(Self {
            pool: Resolver {
                name: names.join(", "),
                inner: build(&servers, timeout, true)?,
            },
            fresh: Resolver {
                name: names.join(", "),
                inner: build(&servers, timeout, false)?,
            },
            each: Arc::new(each),
        })
    }

    /// All resolvers as one, failing over in order.
    pub fn pool(&self) -> &Resolver {
        &self.pool
    }

    /// All resolvers as one, failing over in order, remembering nothing.
    pub fn fresh(&self) -> &Resolver {
        &self.fresh
    }

    /// Each resolver on its own.
    pub fn each(&self) -> &[Resolver] {
        &self.each
    }
}

/// A lookup's result and how long it took.
pub struct Timed<T> {
    pub result: Result<T, DnsError>,
    pub duration_ms: u64,
}

fn fqdn(name: &str) -> String {
    // Absolute, so that no search domain of the host is tried.
    if name.ends_with('.') {
        name.to_string()
    } else {
        format!("{name}.")
    }
}

fn host_text(name: &hickory_resolver::proto::rr::Name) -> String {
    name.to_ascii().trim_end_matches('.').to_ascii_lowercase()
}

impl Resolver {
    async fn records(&self, name: &str, kind: RecordType) -> Result<Vec<RData>, DnsError> {
        let lookup = self
            .inner
            .lookup(fqdn(name).as_str(), kind)
            .await
            .map_err(|e| DnsError::of(&e))?;
        let data: Vec<RData> = lookup
            .answers()
            .iter()
            .filter(|r| r.record_type() == kind)
            .map(|r| r.data.clone())
            .collect();
        if data.is_empty() {
            return Err(DnsError::NoRecords);
        }
        Ok(data)
    }

    /// MX records, sorted by preference then name.
    pub async fn mx(&self, domain: &str) -> Result<Vec<Mx>, DnsError> {
        let mut out: Vec<Mx> = self
            .records(domain, RecordType::MX)
            .await?
            .into_iter()
            .filter_map(|d| match d {
                RData::MX(mx) => Some(Mx {
                    preference: mx.preference,
                    host: host_text(&mx.exchange),
                }),
                _ => None,
            })
            .collect();
        out.sort();
        Ok(out)
    }

    /// [`Resolver::mx`], timed.
    pub async fn mx_timed(&self, domain: &str) -> Timed<Vec<Mx>> {
        let started = Instant::now();
        let result = self.mx(domain).await;
        Timed {
            result,
            duration_ms: elapsed_ms(started),
        }
    }

    /// IPv4 and IPv6 addresses, IPv4 first.
    pub async fn addresses(&self, host: &str) -> Result<Vec<IpAddr>, DnsError> {
        let (v4, v6) = tokio::join!(
            self.records(host, RecordType::A),
            self.records(host, RecordType::AAAA)
        );
        let mut out = Vec::new();
        let mut first_error = None;
        for answer in [v4, v6] {
            match answer {
                Ok(data) => out.extend(data.into_iter().filter_map(|d| match d {
                    RData::A(a) => Some(IpAddr::V4(a.0)),
                    RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                    _ => None,
                })),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match (out.is_empty(), first_error) {
            (true, Some(e)) => Err(e),
            (true, None) => Err(DnsError::NoRecords),
            _ => Ok(out),
        }
    }

    /// IPv4 addresses only (what a DNS blocklist answers).
    pub async fn ipv4(&self, name: &str) -> Result<Vec<Ipv4Addr>, DnsError> {
        Ok(self
            .records(name, RecordType::A)
            .await?
            .into_iter()
            .filter_map(|d| match d {
                RData::A(a) => Some(a.0),
                _ => None,
            })
            .collect())
    }

    /// TXT records, each joined from its strings.
    pub async fn txt(&self, name: &str) -> Result<Vec<String>, DnsError> {
        Ok(self
            .records(name, RecordType::TXT)
            .await?
            .into_iter()
            .filter_map(|d| match d {
                RData::TXT(t) => Some(
                    t.txt_data
                        .iter()
                        .map(|part| String::from_utf8_lossy(part).into_owned())
                        .collect::<String>(),
                ),
                _ => None,
            })
            .collect())
    }

    /// The names an address points back to (PTR).
    pub async fn reverse(&self, ip: IpAddr) -> Result<Vec<String>, DnsError> {
        let name = reverse_name(ip);
        Ok(self
            .records(&name, RecordType::PTR)
            .await?
            .into_iter()
            .filter_map(|d| match d {
                RData::PTR(p) => Some(host_text(&p.0)),
                _ => None,
            })
            .collect())
    }
}

/// `4.3.2.1.in-addr.arpa` for 1.2.3.4, and the nibble form for IPv6.
pub fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
        }
        IpAddr::V6(v6) => {
            let mut labels: Vec<String> = Vec::with_capacity(32);
            for byte in v6.octets().iter().rev() {
                labels.push(format!("{:x}", byte & 0x0f));
                labels.push(format!("{:x}", byte >> 4));
            }
            format!("{}.ip6.arpa", labels.join("."))
        }
    }
}

/// The name to ask a DNS blocklist about an address: the address reversed, then the zone.
pub fn blocklist_query(ip: IpAddr, zone: &str) -> String {
    let reversed = reverse_name(ip);
    let labels = reversed
        .trim_end_matches(".in-addr.arpa")
        .trim_end_matches(".ip6.arpa");
    format!("{labels}.{zone}")
}

pub(crate) fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_names_follow_the_arpa_forms() {
        let v4: IpAddr = "192.0.2.10".parse().unwrap_or_else(|_| panic!());
        assert_eq!(reverse_name(v4), "10.2.0.192.in-addr.arpa");
        assert_eq!(
            blocklist_query(v4, "zen.spamhaus.org"),
            "10.2.0.192.zen.spamhaus.org"
        );
        let v6: IpAddr = "2001:db8::1".parse().unwrap_or_else(|_| panic!());
        let name = reverse_name(v6);
        assert!(name.starts_with("1.0.0.0.0.0.0.0"), "{name}");
        assert!(name.ends_with("8.b.d.0.1.0.0.2.ip6.arpa"), "{name}");
        assert_eq!(name.split('.').count(), 34);
    }

    #[tokio::test]
    async fn a_resolver_that_is_not_there_fails_in_words_within_its_timeout() {
        // Nothing listens on this port: the query is refused or times out, never hangs.
        let dead: SocketAddr = "127.0.0.1:9".parse().unwrap_or_else(|_| panic!());
        let r = Resolvers::with_timeout(&[dead], Duration::from_millis(500))
            .unwrap_or_else(|e| panic!("{e}"));
        let started = Instant::now();
        let answer = r.each()[0].mx_timed("example.com").await;
        assert!(
            matches!(answer.result, Err(DnsError::Failed(_))),
            "{:?}",
            answer.result
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn too_many_resolvers_are_refused() {
        let many: Vec<SocketAddr> = (0..9)
            .map(|i| SocketAddr::from(([127, 0, 0, 1], 5300 + i)))
            .collect();
        assert!(Resolvers::new(&many).is_err());
    }
}
