//! MX: the domain's mail servers are published, each resolves, and each answers on port 25.
//! Replies and bounces to the domain's mailboxes need them; receivers distrust a sending
//! domain that cannot receive.

use std::net::SocketAddr;
use std::time::Instant;

use warmup_domain::health::{CheckItem, CheckKind, CheckResult, CheckStatus};
use warmup_domain::mail_server::is_public_ip;

use super::{HealthOptions, item, undecided};
use crate::dns::{DnsError, Resolver, elapsed_ms};

/// MX hosts looked at, at most.
const MAX_HOSTS: usize = 5;

pub(super) async fn check(domain: &str, r: &Resolver, options: &HealthOptions) -> CheckResult {
    let mx = match r.mx(domain).await {
        Ok(mx) => mx,
        Err(DnsError::NoRecords) => {
            let has_address = r.addresses(domain).await.is_ok();
            return CheckResult::new(
                CheckKind::Mx,
                if has_address {
                    CheckStatus::Warn
                } else {
                    CheckStatus::Fail
                },
                if has_address {
                    format!(
                        "{domain} publishes no MX record; mail to it goes to its own address (implicit MX)."
                    )
                } else {
                    format!(
                        "{domain} publishes no MX record and has no address: replies and bounces to its mailboxes cannot be delivered."
                    )
                },
                Some(format!(
                    "Publish MX records for {domain} naming the servers that receive its mail."
                )),
            );
        }
        Err(DnsError::NxDomain) => {
            return CheckResult::new(
                CheckKind::Mx,
                CheckStatus::Fail,
                format!("{domain} does not exist in DNS (NXDOMAIN)."),
                Some("Check the domain's registration and its name servers.".into()),
            );
        }
        Err(e) => return undecided(CheckKind::Mx, "MX record", &e),
    };
    let records: Vec<String> = mx
        .iter()
        .map(|m| {
            format!(
                "{} {}",
                m.preference,
                if m.host.is_empty() { "." } else { &m.host }
            )
        })
        .collect();
    if mx.iter().any(|m| m.host.is_empty()) {
        return CheckResult::new(
            CheckKind::Mx,
            CheckStatus::Fail,
            format!("{domain} publishes a null MX (\"0 .\"): it accepts no mail, so replies and bounces to its mailboxes are refused."),
            Some("A domain that sends mail should receive it too: replace the null MX with your mail servers.".into()),
        )
        .with(records, Vec::new());
    }
    // The hosts at once: each may take the connection's whole time limit.
    let items: Vec<CheckItem> = futures::future::join_all(
        mx.iter()
            .take(MAX_HOSTS)
            .map(|m| host_item(&m.host, r, options)),
    )
    .await;
    let good = items
        .iter()
        .filter(|i| i.status == CheckStatus::Pass)
        .count();
    let (status, explanation, fix) = if good == items.len() {
        (
            CheckStatus::Pass,
            format!(
                "{} MX host(s), each resolves and answers on port {}.",
                items.len(),
                options.relay_port
            ),
            None,
        )
    } else if good > 0 {
        (
            CheckStatus::Warn,
            format!(
                "{good} of {} MX hosts work; the others do not (see items): mail to the domain is delayed while senders try them.",
                items.len()
            ),
            Some("Remove or repair the MX hosts that do not resolve or answer.".into()),
        )
    } else if items.iter().all(|i| i.status == CheckStatus::Error) {
        // Silence everywhere says more about this host than about the domain.
        (
            CheckStatus::Error,
            format!(
                "No MX host answered on port {} within {}s, nor refused: most likely this \
                 host's outbound port {} is blocked, so this cannot be decided from here; left \
                 out of the score.",
                options.relay_port,
                options.connect_timeout.as_secs(),
                options.relay_port
            ),
            Some("Run warmup diagnose <domain> from this host to confirm, or check the domain from a host that may use port 25.".into()),
        )
    } else {
        (
            CheckStatus::Fail,
            "No MX host works (see items): mail to the domain, replies and bounces included, cannot be delivered.".to_string(),
            Some("Point the MX records at servers that resolve to public addresses and accept SMTP on port 25.".into()),
        )
    };
    CheckResult::new(CheckKind::Mx, status, explanation, fix).with(records, items)
}

/// One MX host: it resolves to a public address that answers on the relay port.
async fn host_item(host: &str, r: &Resolver, options: &HealthOptions) -> CheckItem {
    let addrs = match r.addresses(host).await {
        Ok(a) => a,
        Err(e @ DnsError::Failed(_)) => {
            return item(
                host,
                CheckStatus::Error,
                format!("could not be resolved: {e}"),
            );
        }
        Err(e) => return item(host, CheckStatus::Fail, format!("does not resolve: {e}")),
    };
    let ip = addrs
        .iter()
        .copied()
        .find(|a| a.is_ipv4())
        .unwrap_or(addrs[0]);
    if !options.allow_private_hosts && !is_public_ip(ip) {
        return item(
            host,
            CheckStatus::Fail,
            format!(
                "resolves to {ip}, a loopback or private address that other servers cannot reach"
            ),
        );
    }
    let addr = SocketAddr::new(ip, options.relay_port);
    let started = Instant::now();
    let port = options.relay_port;
    match tokio::time::timeout(
        options.connect_timeout,
        tokio::net::TcpStream::connect(addr),
    )
    .await
    {
        Ok(Ok(_)) => item(
            host,
            CheckStatus::Pass,
            format!("{ip} answers on port {port} ({} ms)", elapsed_ms(started)),
        ),
        Ok(Err(e)) => item(
            host,
            CheckStatus::Fail,
            format!("{ip} does not answer on port {port}: {e}"),
        ),
        // No answer decides nothing: a firewall on this side looks the same.
        Err(_) => item(
            host,
            CheckStatus::Error,
            format!(
                "{ip} does not answer on port {port} within {}s (a firewall here or there, or the server is down)",
                options.connect_timeout.as_secs()
            ),
        ),
    }
}
