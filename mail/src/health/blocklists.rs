//! Blocklists: each sending address against the IP lists, the domain against the domain lists.
//! An answer in 127.0.0.0/8 is a listing, with its return code shown, except 127.0.0.1 and
//! 127.255.255.0/24, which lists use for their own errors (Spamhaus: 252 a typo in the list's
//! name, 254 a query through a public resolver, 255 too many queries): those are errors of the
//! list, never listings.

use std::net::{IpAddr, Ipv4Addr};

use warmup_domain::health::{CheckItem, CheckKind, CheckResult, CheckStatus};

use super::{HealthOptions, item};
use crate::dns::{DnsError, Resolver, blocklist_query};

/// What one answer address of a list means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Answer {
    Listed,
    /// The list answered with one of its error codes.
    ListError(&'static str),
    /// Not a list answer at all (a resolver that invents answers).
    Unexpected,
}

/// Classifies one answer address.
pub(super) fn classify(a: Ipv4Addr) -> Answer {
    let o = a.octets();
    if o[0] != 127 {
        return Answer::Unexpected;
    }
    if o[1] == 255 && o[2] == 255 {
        return Answer::ListError(match o[3] {
            252 => "the list's name is mistyped (127.255.255.252)",
            254 => {
                "the list refuses queries that come through public or open resolvers (127.255.255.254): use a resolver of your own, or the list's paid access"
            }
            255 => "the list is rate-limiting these queries (127.255.255.255)",
            _ => "the list answered with an error code in 127.255.255.0/24",
        });
    }
    if a == Ipv4Addr::LOCALHOST {
        return Answer::ListError(
            "the list answered 127.0.0.1, which is not a listing (a list that no longer works, or a wildcard)",
        );
    }
    Answer::Listed
}

/// The meaning of a listing code where the list is well known.
fn meaning(zone: &str, a: Ipv4Addr) -> Option<&'static str> {
    let last = a.octets()[3];
    if zone.ends_with("zen.spamhaus.org") {
        return Some(match last {
            2 => "SBL: a known spam source",
            3 => "CSS: snowshoe spam",
            4..=7 => "XBL: an infected or hijacked machine",
            9 => "DROP: a hijacked network",
            10 | 11 => "PBL: an address that should not send mail directly",
            _ => return None,
        });
    }
    if zone.ends_with("dbl.spamhaus.org") {
        return Some(match last {
            2 => "spam domain",
            4 => "phishing domain",
            5 => "malware domain",
            6 => "botnet command domain",
            102..=106 => "abused legitimate domain",
            _ => return None,
        });
    }
    None
}

async fn ask(r: &Resolver, zone: &str, query: &str, subject: String) -> CheckItem {
    match r.ipv4(query).await {
        Err(DnsError::NxDomain | DnsError::NoRecords) => {
            item(subject, CheckStatus::Pass, "not listed")
        }
        Err(DnsError::Failed(why)) => item(
            subject,
            CheckStatus::Error,
            format!("the list did not answer: {why}"),
        ),
        Ok(answers) => {
            let listed: Vec<Ipv4Addr> = answers
                .iter()
                .copied()
                .filter(|a| classify(*a) == Answer::Listed)
                .collect();
            if !listed.is_empty() {
                let reason = r.txt(query).await.ok().and_then(|t| t.into_iter().next());
                let codes: Vec<String> = listed
                    .iter()
                    .map(|a| match meaning(zone, *a) {
                        Some(m) => format!("{a} ({m})"),
                        None => a.to_string(),
                    })
                    .collect();
                let why = reason.map(|t| format!(": {t}")).unwrap_or_default();
                return item(
                    subject,
                    CheckStatus::Fail,
                    format!("listed, return code {}{why}", codes.join(", ")),
                );
            }
            let error = answers.iter().find_map(|a| match classify(*a) {
                Answer::ListError(e) => Some(format!("{a}: {e}")),
                Answer::Unexpected => Some(format!(
                    "{a}: not a list answer (a resolver that answers for names that do not exist?)"
                )),
                Answer::Listed => None,
            });
            item(
                subject,
                CheckStatus::Error,
                format!(
                    "error of the list, not a listing: {}",
                    error.unwrap_or_default()
                ),
            )
        }
    }
}

pub(super) async fn check(
    domain: &str,
    sending_ips: &[IpAddr],
    r: &Resolver,
    options: &HealthOptions,
) -> CheckResult {
    let mut queries = Vec::new();
    for ip in sending_ips {
        for zone in &options.ip_lists {
            queries.push((
                zone.clone(),
                blocklist_query(*ip, zone),
                format!("{ip} on {zone}"),
            ));
        }
    }
    for zone in &options.domain_lists {
        queries.push((
            zone.clone(),
            format!("{domain}.{zone}"),
            format!("{domain} on {zone}"),
        ));
    }
    let items: Vec<CheckItem> = futures::future::join_all(
        queries
            .iter()
            .map(|(zone, query, subject)| ask(r, zone, query, subject.clone())),
    )
    .await;
    let listed: Vec<&CheckItem> = items
        .iter()
        .filter(|i| i.status == CheckStatus::Fail)
        .collect();
    let decided = items
        .iter()
        .filter(|i| i.status != CheckStatus::Error)
        .count();
    let (status, explanation, fix) = if !listed.is_empty() {
        (
            CheckStatus::Fail,
            format!(
                "Listed: {}.",
                listed.iter().map(|i| format!("{} ({})", i.subject, i.detail)).collect::<Vec<_>>().join("; ")
            ),
            Some("Find and stop the cause (a compromised account, a bad list, too much volume), then ask each list for removal through its lookup page; warmup should pause until then.".to_string()),
        )
    } else if decided == 0 {
        (
            CheckStatus::Error,
            if items.is_empty() {
                "No blocklist is configured.".to_string()
            } else {
                "No blocklist gave an answer that decides anything (see items): left out of the score.".to_string()
            },
            Some("Query the lists through a resolver of your own (WARMUP_DNS_SERVERS), not a public one; check WARMUP_DNSBL_IP and WARMUP_DNSBL_DOMAIN.".to_string()),
        )
    } else {
        let ips = if sending_ips.is_empty() {
            " (no sending address seen at seeds yet: only the domain was looked up)"
        } else {
            ""
        };
        (
            CheckStatus::Pass,
            format!("Not listed on the {decided} list answers that decide{ips}."),
            None,
        )
    };
    CheckResult::new(CheckKind::Blocklists, status, explanation, fix).with(Vec::new(), items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_error_codes_are_never_listings() {
        let a = |s: &str| s.parse::<Ipv4Addr>().unwrap_or(Ipv4Addr::UNSPECIFIED);
        assert_eq!(classify(a("127.0.0.2")), Answer::Listed);
        assert_eq!(classify(a("127.0.1.4")), Answer::Listed);
        assert!(
            matches!(classify(a("127.255.255.254")), Answer::ListError(e) if e.contains("public"))
        );
        assert!(
            matches!(classify(a("127.255.255.255")), Answer::ListError(e) if e.contains("rate"))
        );
        assert!(matches!(
            classify(a("127.255.255.252")),
            Answer::ListError(_)
        ));
        assert!(matches!(classify(a("127.255.255.1")), Answer::ListError(_)));
        assert!(matches!(classify(a("127.0.0.1")), Answer::ListError(_)));
        assert_eq!(classify(a("192.0.2.1")), Answer::Unexpected);
        assert_eq!(
            meaning("zen.spamhaus.org", a("127.0.0.4")),
            Some("XBL: an infected or hijacked machine")
        );
    }
}
