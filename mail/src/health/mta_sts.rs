//! MTA-STS and TLS-RPT: the `_mta-sts` record announcing a policy, the policy itself (fetched
//! from `https://mta-sts.<domain>/.well-known/mta-sts.txt` and checked against the MX hosts),
//! and the `_smtp._tls` record asking for TLS reports. Both protect mail to the domain; what is
//! missing or inconsistent only warns.

use std::net::SocketAddr;

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::mta_sts::{MtaSts, TlsRpt};
use warmup_domain::health::{CheckItem, CheckKind, CheckResult, CheckStatus};
use warmup_domain::mail_server::is_public_ip;
use warmup_domain::mta_sts::{mx_matches, parse_policy};

use super::{HealthOptions, item, records_with, undecided, worst};
use crate::dns::{DnsError, Resolver};
use crate::tls::TlsTrust;

/// Bytes of a policy file read at most (real ones are a few hundred).
const POLICY_LIMIT: usize = 64 * 1024;

/// Fetches the policy file over HTTPS, from the address checked under the private-address
/// rule, without following redirects (RFC 8461 §3.3).
async fn fetch_policy(
    domain: &str,
    r: &Resolver,
    trust: &TlsTrust,
    options: &HealthOptions,
) -> Result<String, String> {
    let host = format!("mta-sts.{domain}");
    let addrs = r
        .addresses(&host)
        .await
        .map_err(|e| format!("{host} does not resolve: {e}"))?;
    let ip = addrs
        .iter()
        .copied()
        .find(|a| a.is_ipv4())
        .unwrap_or(addrs[0]);
    if !options.allow_private_hosts && !is_public_ip(ip) {
        return Err(format!(
            "{host} resolves to {ip}, a loopback or private address"
        ));
    }
    let port = options.https_port;
    let client = crate::https::pinned_client(
        trust,
        &host,
        &[SocketAddr::new(ip, port)],
        options.connect_timeout * 2,
    )?;
    let url = if port == 443 {
        format!("https://{host}/.well-known/mta-sts.txt")
    } else {
        format!("https://{host}:{port}/.well-known/mta-sts.txt")
    };
    let mut response = client
        .get(&url)
        .send()
        .await
        .map_err(|e| format!("{url} cannot be fetched: {e}"))?;
    if response.status() != reqwest::StatusCode::OK {
        return Err(format!("{url} answered {}", response.status()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("{url} broke off: {e}"))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > POLICY_LIMIT {
            return Err(format!("{url} is longer than {POLICY_LIMIT} bytes"));
        }
    }
    String::from_utf8(body).map_err(|_| format!("{url} is not text"))
}

/// The policy's item and whether each MX host is in it.
async fn policy_items(
    domain: &str,
    r: &Resolver,
    trust: &TlsTrust,
    options: &HealthOptions,
) -> Vec<CheckItem> {
    let subject = format!("https://mta-sts.{domain}/.well-known/mta-sts.txt");
    let text = match fetch_policy(domain, r, trust, options).await {
        Ok(t) => t,
        Err(why) => {
            return vec![item(
                subject,
                CheckStatus::Warn,
                format!("the record announces a policy, but {why}: senders cannot use it"),
            )];
        }
    };
    let policy = match parse_policy(&text) {
        Ok(p) => p,
        Err(why) => {
            return vec![item(
                subject,
                CheckStatus::Warn,
                format!("not valid: {why}"),
            )];
        }
    };
    let mut items = vec![item(
        &subject,
        if policy.mode == "none" {
            CheckStatus::Warn
        } else {
            CheckStatus::Pass
        },
        format!(
            "mode {}, mx {}, max_age {}",
            policy.mode,
            policy.mx.join(", "),
            policy.max_age
        ),
    )];
    if let Ok(mx) = r.mx(domain).await {
        for m in mx.iter().filter(|m| !m.host.is_empty()) {
            let listed = policy.mx.iter().any(|p| mx_matches(p, &m.host));
            items.push(if listed {
                item(&m.host, CheckStatus::Pass, "in the policy")
            } else {
                item(
                    &m.host,
                    CheckStatus::Warn,
                    "an MX host the policy does not list: senders that enforce it refuse to deliver there",
                )
            });
        }
    }
    items
}

pub(super) async fn check(
    domain: &str,
    r: &Resolver,
    trust: &TlsTrust,
    options: &HealthOptions,
) -> CheckResult {
    let sts_name = format!("_mta-sts.{domain}");
    let rpt_name = format!("_smtp._tls.{domain}");
    let (sts, rpt) = tokio::join!(r.txt(&sts_name), r.txt(&rpt_name));
    let read = |answer: Result<Vec<String>, DnsError>, prefix: &str| match answer {
        Ok(t) => Ok(records_with(&t, prefix)),
        Err(DnsError::NoRecords | DnsError::NxDomain) => Ok(Vec::new()),
        Err(e) => Err(e),
    };
    let (sts, rpt) = match (read(sts, "v=STSv1"), read(rpt, "v=TLSRPTv1")) {
        (Ok(s), Ok(r)) => (s, r),
        (Err(e), _) | (_, Err(e)) => {
            return undecided(CheckKind::MtaSts, "MTA-STS or TLS-RPT record", &e);
        }
    };
    let mut items = Vec::new();
    let mut records = Vec::new();
    match sts.as_slice() {
        [] => items.push(item(
            &sts_name,
            CheckStatus::Warn,
            "no MTA-STS record: senders may deliver without TLS or to a forged MX",
        )),
        [one] => {
            records.push(format!("{sts_name}: {one}"));
            match MtaSts::parse(one.as_bytes()) {
                Ok(p) => {
                    items.push(item(
                        &sts_name,
                        CheckStatus::Pass,
                        format!("announces policy id {}", p.id),
                    ));
                    items.extend(policy_items(domain, r, trust, options).await);
                }
                Err(e) => items.push(item(
                    &sts_name,
                    CheckStatus::Warn,
                    format!("not valid ({e:?})"),
                )),
            }
        }
        many => items.push(item(
            &sts_name,
            CheckStatus::Warn,
            format!("{} records: senders ignore them", many.len()),
        )),
    }
    items.push(match rpt.as_slice() {
        [] => item(
            &rpt_name,
            CheckStatus::Warn,
            "no TLS-RPT record: nobody hears of TLS failures delivering to the domain",
        ),
        [one] => {
            records.push(format!("{rpt_name}: {one}"));
            match TlsRpt::parse(one.as_bytes()) {
                Ok(p) if !p.rua.is_empty() => item(
                    &rpt_name,
                    CheckStatus::Pass,
                    format!("reports go to {} address(es)", p.rua.len()),
                ),
                Ok(_) => item(
                    &rpt_name,
                    CheckStatus::Warn,
                    "names no rua to send reports to",
                ),
                Err(e) => item(&rpt_name, CheckStatus::Warn, format!("not valid ({e:?})")),
            }
        }
        many => item(
            &rpt_name,
            CheckStatus::Warn,
            format!("{} records: senders ignore them", many.len()),
        ),
    });
    // Warn only: a domain without them is common and not a sending problem.
    let status = match worst(&items) {
        CheckStatus::Fail => CheckStatus::Warn,
        s => s,
    };
    let (explanation, fix) = match status {
        CheckStatus::Pass => (
            "MTA-STS (its record and a policy that lists every MX host) and TLS-RPT are published."
                .to_string(),
            None,
        ),
        _ => (
            format!(
                "MTA-STS or TLS-RPT is missing or inconsistent; this only warns: {}.",
                items
                    .iter()
                    .filter(|i| i.status != CheckStatus::Pass)
                    .map(|i| format!("{} {}", i.subject, i.detail))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Some("Publish \"v=STSv1; id=<date>\" at _mta-sts.<domain> with a policy listing every MX host at https://mta-sts.<domain>/.well-known/mta-sts.txt, and \"v=TLSRPTv1; rua=mailto:<address>\" at _smtp._tls.<domain>.".to_string()),
        ),
    };
    CheckResult::new(CheckKind::MtaSts, status, explanation, fix).with(records, items)
}
