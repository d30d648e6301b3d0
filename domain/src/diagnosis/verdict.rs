//! From facts to findings: the DNS findings first, then each host's in preference order; the
//! verdict is the first of the most severe, and a host that fails while a later one works only
//! warns (mail falls over to it).

use super::{
    Cause, Facts, Finding, HostFacts, LookupOutcome, PortFacts, PortRole, ResolverView,
    SLOW_CONNECT_MS, Status, StepFact, StepFailure, StepKind, TryResult,
};
use crate::smtp_reply::{EnhancedStatus, ReplyCategory, classify};

/// The verdict and the other findings that are not `ok`, most severe first.
pub fn verdict(facts: &Facts) -> (Finding, Vec<Finding>) {
    let (mut findings, resolver_down) = dns_findings(facts);
    let dns_failed = findings.iter().any(|f| f.status == Status::Failed);
    if dns_failed {
        // Nothing was probed: the records are the problem.
    } else if let Some(f) = every_mx_silent(facts) {
        findings.push(f);
    } else {
        findings.extend(host_verdicts(facts));
    }
    // A resolver of ours that is down says nothing about the destination: it comes after
    // what does, among findings as severe.
    findings.extend(resolver_down);
    findings.sort_by_key(|f| std::cmp::Reverse(f.status));
    let mut rest = findings.into_iter().filter(|f| f.status != Status::Ok);
    match rest.next() {
        Some(first) => (first, rest.collect()),
        None => (all_good(facts), Vec::new()),
    }
}

/// Each host's findings in preference order; a host that fails while another works only warns,
/// since senders fall back to the working one.
fn host_verdicts(facts: &Facts) -> Vec<Finding> {
    let per_host: Vec<Vec<Finding>> = facts
        .hosts
        .iter()
        .map(|h| host_findings(h, facts))
        .collect();
    let works = |fs: &Vec<Finding>| fs.iter().all(|f| f.status != Status::Failed);
    let working = per_host
        .iter()
        .position(works)
        .map(|i| facts.hosts[i].host.clone());
    let mut out = Vec::new();
    for mut fs in per_host {
        if let Some(fallback) = working.as_deref()
            && !works(&fs)
        {
            // A broken MX with a working one delays mail; it does not stop it.
            // A refusal of the envelope (5xx) bounces: senders do not try another MX for it.
            let refused_envelope = |f: &Finding| {
                matches!(f.step.as_str(), "mail_from" | "rcpt_to")
                    && f.cause == Cause::ServerMisconfigured
            };
            for f in fs
                .iter_mut()
                .filter(|f| f.status == Status::Failed && !refused_envelope(f))
            {
                f.status = Status::Warning;
                f.summary = format!(
                    "{} Senders fall back to another MX ({fallback}), which works, so mail is \
                     delayed rather than lost.",
                    f.summary
                );
            }
        }
        out.extend(fs);
    }
    out
}

/// Port 25 timing out at every one of several MX hosts says more about this host than about
/// them: its outbound port 25 is blocked (common at cloud and residential providers).
fn every_mx_silent(facts: &Facts) -> Option<Finding> {
    let relay: Vec<&PortFacts> = facts
        .hosts
        .iter()
        .filter_map(|h| h.ports.first())
        .filter(|p| p.role == PortRole::Relay)
        .collect();
    let silent = relay.len() >= 2
        && relay.len() == facts.hosts.len()
        && relay
            .iter()
            .all(|p| !p.tries.is_empty() && p.count(TryResult::TimedOut) == p.tries.len());
    if !silent {
        return None;
    }
    let port = relay[0].port;
    let domain = facts.domain.clone().unwrap_or_default();
    Some(Finding {
        status: Status::Failed,
        step: "connect".into(),
        host: None,
        port: Some(port),
        cause: Cause::Firewall,
        summary: format!(
            "Port {port} timed out at all {} MX hosts of {domain} probed ({} tries each, none \
             answered within {}s): a firewall blocks outbound port {port} from this host.",
            relay.len(),
            relay[0].tries.len(),
            facts.connect_timeout_secs
        ),
        fix: "Send through your provider's submission service (port 587 or 465) instead of \
              delivering directly, or ask your hosting provider to open outbound port 25."
            .into(),
    })
}

fn all_good(facts: &Facts) -> Finding {
    let target = facts
        .domain
        .clone()
        .or_else(|| facts.hosts.first().map(|h| h.host.clone()))
        .unwrap_or_default();
    let how = facts
        .hosts
        .first()
        .and_then(|h| h.ports.first().map(|p| (h, p)))
        .map(|(h, p)| {
            let tls = if p
                .steps
                .iter()
                .any(|s| s.step == StepKind::Certificate && s.ok)
            {
                " and secured the session with a valid certificate"
            } else {
                ""
            };
            format!(
                ": {} answered on port {} {}/{} times, greeted, accepted EHLO{tls}",
                h.host,
                p.port,
                p.connected(),
                p.tries.len()
            )
        })
        .unwrap_or_default();
    let last_step = facts
        .hosts
        .first()
        .and_then(|h| h.ports.first())
        .and_then(|p| p.steps.last())
        .map_or("connect", |s| s.step.as_str());
    Finding {
        status: Status::Ok,
        step: last_step.into(),
        host: None,
        port: None,
        cause: Cause::None,
        summary: format!("Mail to {target} can be delivered from this host{how}."),
        fix: "Nothing to fix.".into(),
    }
}

fn finding(status: Status, step: &str, cause: Cause, summary: String, fix: &str) -> Finding {
    Finding {
        status,
        step: step.into(),
        host: None,
        port: None,
        cause,
        summary,
        fix: fix.into(),
    }
}

/// The findings about the domain's records, and the one about resolvers that did not answer.
fn dns_findings(facts: &Facts) -> (Vec<Finding>, Option<Finding>) {
    let Some(domain) = facts.domain.as_deref() else {
        return (Vec::new(), None);
    };
    let mut out = Vec::new();
    let mut resolver_down = None;
    let views = &facts.resolvers;
    let answered: Vec<&ResolverView> = views
        .iter()
        .filter(|v| v.outcome != LookupOutcome::Failed)
        .collect();
    let down: Vec<&ResolverView> = views
        .iter()
        .filter(|v| v.outcome == LookupOutcome::Failed)
        .collect();
    if answered.is_empty() {
        let why = down
            .iter()
            .map(|v| {
                format!(
                    "{} ({})",
                    v.server,
                    v.error.as_deref().unwrap_or("no answer")
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        out.push(finding(
            Status::Failed,
            "resolve",
            Cause::Dns,
            format!("No DNS resolver answered the MX question for {domain}: {why}."),
            "Check that this host reaches its resolvers (WARMUP_DNS_SERVERS, or the system's \
             resolv.conf) on port 53 over UDP and TCP, and that they are running.",
        ));
        return (out, None);
    }
    if !down.is_empty() {
        let names: Vec<String> = down
            .iter()
            .map(|v| {
                format!(
                    "{} ({})",
                    v.server,
                    v.error.as_deref().unwrap_or("no answer")
                )
            })
            .collect();
        let ok: Vec<&str> = answered.iter().map(|v| v.server.as_str()).collect();
        resolver_down = Some(finding(
            Status::Warning,
            "resolve",
            Cause::Dns,
            format!(
                "Resolver {} did not answer; {} did, so lookups fail over and still work, \
                 more slowly.",
                names.join(", "),
                ok.join(", ")
            ),
            "Repair the resolver that did not answer, or remove it from WARMUP_DNS_SERVERS.",
        ));
    }
    let shown = |v: &ResolverView| match v.outcome {
        LookupOutcome::Answered => v.records.join(", "),
        LookupOutcome::NoRecords => "no MX".into(),
        LookupOutcome::NxDomain => "NXDOMAIN".into(),
        LookupOutcome::Failed => "no answer".into(),
    };
    let first = answered[0];
    if answered
        .iter()
        .any(|v| v.outcome != first.outcome || v.records != first.records)
    {
        let each: Vec<String> = answered
            .iter()
            .map(|v| format!("{} answers {}", v.server, shown(v)))
            .collect();
        out.push(finding(
            Status::Warning,
            "resolve",
            Cause::Dns,
            format!(
                "The resolvers disagree on the MX of {domain}: {}. Either a recent change has \
                 not reached every resolver yet, or a resolver answers from another view of \
                 the zone (split horizon, a stale or poisoned cache).",
                each.join("; ")
            ),
            "If the zone changed lately, wait for the old records' TTL to pass. Otherwise ask \
             the domain's authoritative name servers directly and fix or flush the resolver \
             that answers differently.",
        ));
    }
    match first.outcome {
        LookupOutcome::NxDomain => out.push(finding(
            Status::Failed,
            "resolve",
            Cause::Dns,
            format!("{domain} does not exist in DNS (NXDOMAIN), so no mail can reach it."),
            "Check the spelling of the domain; if it is yours, check its registration and that \
             its name servers serve the zone.",
        )),
        _ if facts.null_mx => out.push(finding(
            Status::Failed,
            "resolve",
            Cause::Dns,
            format!("{domain} publishes a null MX (\"0 .\"): it declares that it accepts no mail (RFC 7505)."),
            "If the domain should receive mail, replace the null MX with MX records naming its \
             mail servers.",
        )),
        LookupOutcome::NoRecords if facts.hosts.is_empty() => out.push(finding(
            Status::Failed,
            "resolve",
            Cause::Dns,
            format!("{domain} has no MX record and no address record: no server receives its mail."),
            "Publish MX records naming the domain's mail servers (and an A record for each).",
        )),
        LookupOutcome::NoRecords => out.push(finding(
            Status::Warning,
            "resolve",
            Cause::Dns,
            format!(
                "{domain} has no MX record; senders fall back to its own address record \
                 (implicit MX, RFC 5321 §5.1), which many treat as a sign of a misconfigured \
                 domain."
            ),
            "Publish an MX record naming the domain's mail server.",
        )),
        _ => {}
    }
    (out, resolver_down)
}

fn host_findings(host: &HostFacts, facts: &Facts) -> Vec<Finding> {
    let at = |mut f: Finding, port: Option<u16>| {
        f.host = Some(host.host.clone());
        f.port = port;
        f
    };
    if let Some(why) = &host.resolve_error {
        return vec![at(
            finding(
                Status::Failed,
                "resolve",
                Cause::Dns,
                format!("The mail server {} cannot be used: {why}.", host.host),
                "Make the MX name resolve to the mail server's public address (an A or AAAA \
                 record), or point the MX at a name that does.",
            ),
            None,
        )];
    }
    let Some(main) = host.ports.first() else {
        return Vec::new();
    };
    let others = &host.ports[1..];
    let mut out: Vec<Finding> =
        connect_findings(&host.host, main, others, facts.connect_timeout_secs)
            .into_iter()
            .map(|f| at(f, Some(main.port)))
            .collect();
    // Every failed step: the conversation goes on past a certificate that only warns.
    for step in main.steps.iter().filter(|s| !s.ok) {
        let f = step_finding(&host.host, main, step, facts.timeout_secs);
        out.push(at(f, Some(main.port)));
    }
    out
}

fn connect_findings(
    host: &str,
    main: &PortFacts,
    others: &[PortFacts],
    timeout_secs: u64,
) -> Vec<Finding> {
    let tries = main.tries.len().max(1);
    let refused = main.count(TryResult::Refused);
    let timed_out = main.count(TryResult::TimedOut);
    let connected = main.connected();
    let port = main.port;
    let answered: Vec<u16> = others
        .iter()
        .filter(|p| p.connected() > 0)
        .map(|p| p.port)
        .collect();
    let answered_words = answered
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(" and ");
    // A port that refused at once shows the host is there: a timeout elsewhere is a filter.
    let reachable: Vec<String> = others
        .iter()
        .filter_map(|p| {
            if p.connected() > 0 {
                Some(format!("{} answered", p.port))
            } else if p.count(TryResult::Refused) > 0 {
                Some(format!(
                    "{} refused at once (so the host is reachable)",
                    p.port
                ))
            } else {
                None
            }
        })
        .collect();
    let mut out = Vec::new();
    if connected == 0 {
        let f = if refused == tries && !answered.is_empty() {
            finding(
                Status::Failed,
                "connect",
                Cause::ServerMisconfigured,
                format!(
                    "Port {port} of {host} refused the connection {refused}/{tries} times \
                     while {answered_words} answered: the server does not take mail from other \
                     servers on port {port}."
                ),
                "The server's administrator must run its SMTP service on this port (and let \
                 it through the server's firewall); if the MX points at the wrong host, fix \
                 the MX.",
            )
        } else if refused == tries {
            finding(
                Status::Failed,
                "connect",
                Cause::ServerMisconfigured,
                format!(
                    "{host} refused every connection ({refused}/{tries} on port {port}{}): no \
                     mail service listens at that address; the server is down or the record \
                     points at the wrong host.",
                    if others.is_empty() {
                        String::new()
                    } else {
                        ", and on the other ports".into()
                    }
                ),
                "Start the mail service on the server, or correct the DNS record that names it.",
            )
        } else if timed_out == tries && !reachable.is_empty() {
            finding(
                Status::Failed,
                "connect",
                Cause::Firewall,
                format!(
                    "Port {port} of {host} timed out {timed_out}/{tries} times while {}: a \
                     firewall blocks outbound port {port} from this host.",
                    reachable.join(" and ")
                ),
                "Use the submission port (587 or 465) through your provider's relay, or ask \
                 your hosting provider to open outbound port 25.",
            )
        } else if timed_out == tries {
            finding(
                Status::Failed,
                "connect",
                Cause::Firewall,
                format!(
                    "No connection to {host} was answered within {timeout_secs}s \
                     ({timed_out}/{tries} on port {port}{}): a firewall drops the traffic, or \
                     the host is unreachable from here.",
                    if others.is_empty() {
                        String::new()
                    } else {
                        ", none on the other ports".into()
                    }
                ),
                "Check the outbound firewall of this host and its network; try from another \
                 network to tell a local block from a server that is down.",
            )
        } else {
            let why = main
                .tries
                .iter()
                .find_map(|t| t.error.clone())
                .unwrap_or_else(|| "no connection".into());
            finding(
                Status::Failed,
                "connect",
                Cause::NetworkCongestion,
                format!(
                    "No connection to port {port} of {host} succeeded ({refused} refused, \
                     {timed_out} timed out of {tries}; {why})."
                ),
                "Check this host's network connection and routes; try again later.",
            )
        };
        out.push(f);
        return out;
    }
    let average = main.average_connect_ms().unwrap_or(0);
    if connected < tries {
        let (cause, why) = if refused > 0 && timed_out == 0 {
            (
                Cause::ServerOverloaded,
                "the server turns connections away at times: it is at its connection limit",
            )
        } else {
            (
                Cause::NetworkCongestion,
                "packets are lost on the way: congestion or a flaky link",
            )
        };
        out.push(finding(
            Status::Warning,
            "connect",
            cause,
            format!(
                "{} of {tries} connections to port {port} of {host} failed ({refused} refused, \
                 {timed_out} timed out) and the others took {average} ms on average: {why}. \
                 Sends see this as intermittent 4.4.x errors.",
                tries - connected
            ),
            "Warmup retries deferred sends with backoff. If it persists, compare with a \
             traceroute from this host and ask the network or the server's administrator.",
        ));
    } else if average > SLOW_CONNECT_MS {
        out.push(finding(
            Status::Warning,
            "connect",
            Cause::NetworkCongestion,
            format!(
                "Connections to port {port} of {host} took {average} ms on average: the path is \
                 slow or congested."
            ),
            "Nothing breaks yet; if sends start timing out, check this host's network.",
        ));
    }
    out
}

fn reply_words(step: &StepFact) -> String {
    match step.reply_code {
        Some(code) => {
            let enhanced = step
                .enhanced
                .as_deref()
                .map(|e| format!(" {e}"))
                .unwrap_or_default();
            format!("{code}{enhanced} {}", step.detail)
        }
        None => step.detail.clone(),
    }
}

fn step_finding(host: &str, main: &PortFacts, step: &StepFact, timeout_secs: u64) -> Finding {
    let port = main.port;
    // Between servers TLS is opportunistic: most senders deliver in the clear, or over TLS
    // without checking the certificate, when it fails. Submission clients do not.
    let (tls_status, relay_note) = if main.role == PortRole::Relay {
        (
            Status::Warning,
            " Most senders still deliver (TLS is opportunistic between servers); those that \
             enforce MTA-STS or DANE do not.",
        )
    } else {
        (Status::Failed, "")
    };
    let name = step.step.as_str();
    let said = reply_words(step);
    let category = step.reply_code.map(|code| {
        classify(
            code,
            step.enhanced.as_deref().and_then(EnhancedStatus::parse),
            &step.detail,
        )
        .category
    });
    match (step.step, step.failure) {
        (StepKind::Banner | StepKind::Ehlo, Some(StepFailure::Timeout)) => finding(
            Status::Failed,
            name,
            Cause::ServerOverloaded,
            format!(
                "{host} accepted the connection on port {port} but sent no {} within \
                 {timeout_secs}s: the server is overloaded, or it holds back clients it \
                 distrusts (tarpitting).",
                if step.step == StepKind::Banner {
                    "greeting"
                } else {
                    "answer to EHLO"
                }
            ),
            "Try again later. If it persists, check this host's IP address on the blocklists \
             and ask the receiving side's administrator.",
        ),
        (StepKind::Banner | StepKind::Ehlo, Some(StepFailure::Closed)) => finding(
            Status::Failed,
            name,
            Cause::ServerOverloaded,
            format!(
                "{host} closed the connection on port {port} before {}: it is overloaded or \
                 refuses this client at connection time (what senders log as \"4.4.2 Bad \
                 connection\").",
                if step.step == StepKind::Banner {
                    "greeting"
                } else {
                    "answering EHLO"
                }
            ),
            "Try again later. If it persists, check this host's IP address on the blocklists \
             and whether the server limits connections per client.",
        ),
        (StepKind::Banner | StepKind::Ehlo, _) if step.reply_code.is_some_and(|c| c / 100 == 4) => {
            finding(
                Status::Failed,
                name,
                Cause::ServerOverloaded,
                format!("{host} turned the session away on port {port}: {said}."),
                "Temporary: senders retry. If it lasts for hours, contact the receiving side.",
            )
        }
        (StepKind::Banner | StepKind::Ehlo, _) => finding(
            Status::Failed,
            name,
            Cause::ServerMisconfigured,
            format!("{host} refused the session on port {port}: {said}."),
            "A permanent refusal at greeting or EHLO means the server does not serve this \
             client: check this host's IP address on the blocklists and its reverse DNS, or \
             ask the receiving side's administrator.",
        ),
        (StepKind::Starttls, Some(StepFailure::NotOffered)) if main.role == PortRole::Relay => {
            finding(
                Status::Warning,
                name,
                Cause::ServerMisconfigured,
                format!(
                    "{host} does not offer STARTTLS on port {port}: mail to it travels \
                     unencrypted, and senders that require TLS will not deliver."
                ),
                "The server's administrator should enable STARTTLS with a valid certificate.",
            )
        }
        (StepKind::Starttls, Some(StepFailure::NotOffered)) => finding(
            Status::Failed,
            name,
            Cause::ServerMisconfigured,
            format!(
                "{host} does not offer STARTTLS on submission port {port}: clients cannot log \
                 in without sending the password in the clear."
            ),
            "Enable STARTTLS on the submission service, or use port 465 with TLS.",
        ),
        (StepKind::Starttls | StepKind::Tls, _) => finding(
            tls_status,
            name,
            Cause::ServerMisconfigured,
            format!("TLS with {host} on port {port} could not be negotiated: {said}.{relay_note}"),
            "The server's TLS setup is broken (protocol versions, ciphers, or its key and \
             certificate files); its administrator must fix it.",
        ),
        (StepKind::Certificate, failure) => {
            let what = match failure {
                Some(StepFailure::CertificateExpired) => "has expired",
                Some(StepFailure::CertificateWrongName) => "is not valid for that name",
                Some(StepFailure::CertificateUntrusted) => {
                    "is not issued by a trusted authority (self-signed or unknown issuer)"
                }
                _ => "is not valid",
            };
            finding(
                tls_status,
                name,
                Cause::ServerMisconfigured,
                format!(
                    "The certificate {host} presents on port {port} {what}: {said}. Senders \
                     that verify certificates (MTA-STS, DANE, submission clients) refuse to \
                     deliver.{relay_note}"
                ),
                "Renew or replace the certificate so that it covers the server's name and is \
                 issued by a public authority (an ACME client does both), then reload the mail \
                 server.",
            )
        }
        (StepKind::MailFrom | StepKind::RcptTo, _)
            if category == Some(ReplyCategory::Greylisted) =>
        {
            finding(
                Status::Warning,
                name,
                Cause::Greylisting,
                format!(
                    "{host} greylists: it answered {said}. The first try of a new sender is \
                     deferred on purpose and a retry after a few minutes is accepted."
                ),
                "Nothing to fix: warmup retries deferred sends. If retries keep being deferred \
                 for hours, ask the receiving side to whitelist your sending IP address.",
            )
        }
        (StepKind::MailFrom | StepKind::RcptTo, _)
            if matches!(
                category,
                Some(ReplyCategory::ServiceUnavailable | ReplyCategory::RateLimited)
            ) || step.failure == Some(StepFailure::Timeout) =>
        {
            finding(
                Status::Failed,
                name,
                Cause::ServerOverloaded,
                format!("{host} could not take the message now: {said}."),
                "Temporary: slow down and retry later; warmup does so on its own.",
            )
        }
        (StepKind::MailFrom | StepKind::RcptTo, _) => finding(
            if step.reply_code.is_some_and(|c| c / 100 == 4) {
                Status::Warning
            } else {
                Status::Failed
            },
            name,
            Cause::ServerMisconfigured,
            format!(
                "{host} refused the probe's {}: {said}.",
                if step.step == StepKind::MailFrom {
                    "sender"
                } else {
                    "recipient"
                }
            ),
            "Read the server's words: a 5.1.x code names an address that does not exist, 5.7.x \
             a policy or reputation block (check SPF, DKIM, DMARC and the blocklists).",
        ),
    }
}

#[cfg(test)]
mod tests;
