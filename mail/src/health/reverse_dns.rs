//! Reverse DNS: each address the seeds saw the domain's mail come from has a PTR name, and that
//! name resolves back to the address (forward-confirmed). Gmail and others refuse or junk mail
//! from addresses without it.

use std::net::IpAddr;

use warmup_domain::health::{CheckKind, CheckResult, CheckStatus};

use super::{item, worst};
use crate::dns::Resolver;

pub(super) async fn check(sending_ips: &[IpAddr], r: &Resolver) -> CheckResult {
    if sending_ips.is_empty() {
        return CheckResult::new(
            CheckKind::ReverseDns,
            CheckStatus::Error,
            "No message of the domain has reached a seed yet, so no sending address is known: left out of the score.",
            Some("Let the warmup run; the addresses come from the Received headers the seeds record.".into()),
        );
    }
    let mut items = Vec::new();
    let mut records = Vec::new();
    for ip in sending_ips {
        let names = match r.reverse(*ip).await {
            Ok(n) => n,
            Err(e) => {
                let status = if matches!(e, crate::dns::DnsError::Failed(_)) {
                    CheckStatus::Error
                } else {
                    CheckStatus::Fail
                };
                items.push(item(ip.to_string(), status, format!("no PTR record ({e})")));
                continue;
            }
        };
        records.push(format!("{ip} PTR {}", names.join(", ")));
        let mut confirmed = None;
        for name in &names {
            if r.addresses(name).await.is_ok_and(|a| a.contains(ip)) {
                confirmed = Some(name.clone());
                break;
            }
        }
        items.push(match confirmed {
            Some(name) => item(
                ip.to_string(),
                CheckStatus::Pass,
                format!("{name}, which resolves back to it"),
            ),
            None => item(
                ip.to_string(),
                CheckStatus::Fail,
                format!(
                    "PTR {} does not resolve back to {ip} (not forward-confirmed)",
                    names.join(", ")
                ),
            ),
        });
    }
    let status = worst(&items);
    let (explanation, fix) = match status {
        CheckStatus::Pass => ("Every sending address has a forward-confirmed PTR name.".to_string(), None),
        _ => (
            "Some sending addresses lack a forward-confirmed PTR name (see items).".to_string(),
            Some("Ask whoever runs the sending server (your provider, or your hosting company for your own server) to set a PTR name that resolves back to the address.".to_string()),
        ),
    };
    CheckResult::new(CheckKind::ReverseDns, status, explanation, fix).with(records, items)
}
