//! Domain health: one module per check, each reading DNS (hickory, through the service's own
//! resolvers) and parsing records (mail-auth), answering a status, its points, an explanation
//! and a fix. What the seeds saw (sending addresses, authentication results, placements) comes
//! in as inputs; nothing here reads the database.

use std::time::Duration;

use warmup_domain::health::{CheckItem, CheckKind, CheckResult, CheckStatus};
pub use warmup_domain::health::{DkimKey, HealthInputs, SeenAtSeeds};

use crate::auth::AuthVerifier;
use crate::dns::{DnsError, Resolvers};
use crate::tls::TlsTrust;

mod blocklists;
mod dkim;
mod dmarc;
mod mta_sts;
mod mx;
mod placement;
mod reverse_dns;
mod spf;

pub use warmup_domain::health::MAX_SENDING_IPS;

/// Real time one check may take; a check that takes longer is an `error`, so a slow list or
/// server never holds a report (or an API request) for long.
pub const CHECK_LIMIT: Duration = Duration::from_secs(30);

/// Spamhaus ZEN, SpamCop and Barracuda: the usual IP lists.
pub const DEFAULT_IP_LISTS: [&str; 3] = [
    "zen.spamhaus.org",
    "bl.spamcop.net",
    "b.barracudacentral.org",
];

/// Spamhaus DBL: the usual domain list.
pub const DEFAULT_DOMAIN_LISTS: [&str; 1] = ["dbl.spamhaus.org"];

/// How checks run.
#[derive(Debug, Clone)]
pub struct HealthOptions {
    /// DNS blocklists for addresses (zones).
    pub ip_lists: Vec<String>,
    /// DNS blocklists for domains (zones).
    pub domain_lists: Vec<String>,
    /// The port MX hosts must answer on (25; a lab's stand-in).
    pub relay_port: u16,
    /// The port MTA-STS policies are fetched from (443; a lab's stand-in).
    pub https_port: u16,
    pub connect_timeout: Duration,
    pub helo_name: String,
    pub allow_private_hosts: bool,
}

impl Default for HealthOptions {
    fn default() -> Self {
        Self {
            ip_lists: DEFAULT_IP_LISTS.map(String::from).to_vec(),
            domain_lists: DEFAULT_DOMAIN_LISTS.map(String::from).to_vec(),
            relay_port: 25,
            https_port: 443,
            connect_timeout: Duration::from_secs(5),
            helo_name: "localhost".into(),
            allow_private_hosts: false,
        }
    }
}

/// Runs every check at once; the results in the order of [`CheckKind::ALL`].
pub async fn check_domain(
    inputs: &HealthInputs,
    resolvers: &Resolvers,
    auth: &AuthVerifier,
    trust: &TlsTrust,
    options: &HealthOptions,
) -> Vec<CheckResult> {
    let r = resolvers.pool();
    let domain = inputs.domain.as_str();
    let ips = &inputs.sending_ips[..inputs.sending_ips.len().min(MAX_SENDING_IPS)];
    let (mx, spf, dkim, dmarc, rdns, sts, lists) = tokio::join!(
        limited(CheckKind::Mx, mx::check(domain, r, options)),
        limited(CheckKind::Spf, spf::check(domain, ips, r, auth, options)),
        limited(CheckKind::Dkim, dkim::check(inputs, r)),
        limited(CheckKind::Dmarc, dmarc::check(domain, &inputs.seen, r)),
        limited(CheckKind::ReverseDns, reverse_dns::check(ips, r)),
        limited(CheckKind::MtaSts, mta_sts::check(domain, r, trust, options)),
        limited(
            CheckKind::Blocklists,
            blocklists::check(domain, ips, r, options)
        ),
    );
    vec![
        mx,
        spf,
        dkim,
        dmarc,
        rdns,
        sts,
        lists,
        placement::check(inputs.inbox),
    ]
}

/// A check under [`CHECK_LIMIT`].
async fn limited(
    check: CheckKind,
    run: impl std::future::Future<Output = CheckResult>,
) -> CheckResult {
    match tokio::time::timeout(CHECK_LIMIT, run).await {
        Ok(r) => r,
        Err(_) => CheckResult::new(
            check,
            CheckStatus::Error,
            format!(
                "The check took longer than {}s and was stopped: left out of the score.",
                CHECK_LIMIT.as_secs()
            ),
            Some("Check again later; slow answers come from the resolvers, a list or the servers named.".into()),
        ),
    }
}

/// The worst status of some items; `error` when there are none.
fn worst(items: &[CheckItem]) -> CheckStatus {
    items
        .iter()
        .map(|i| i.status)
        .reduce(CheckStatus::worst)
        .unwrap_or(CheckStatus::Error)
}

fn item(subject: impl Into<String>, status: CheckStatus, detail: impl Into<String>) -> CheckItem {
    CheckItem {
        subject: subject.into(),
        status,
        detail: detail.into(),
    }
}

/// A check that could not read what it needs.
fn undecided(check: CheckKind, what: &str, e: &DnsError) -> CheckResult {
    CheckResult::new(
        check,
        CheckStatus::Error,
        format!("The {what} could not be read: {e}. The check is left out of the score."),
        Some("Check again later; if it persists, check the resolvers (WARMUP_DNS_SERVERS).".into()),
    )
}

/// The TXT records at `name` that start with `prefix` (case-insensitive, as a whole tag).
fn records_with(txt: &[String], prefix: &str) -> Vec<String> {
    txt.iter()
        .filter(|t| {
            // Bytes, not characters: a record may hold any text, and a slice of a `str` at a
            // byte inside a character would panic.
            let t = t.trim_start().as_bytes();
            t.get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
                && t.get(prefix.len())
                    .is_none_or(|c| *c == b';' || c.is_ascii_whitespace())
        })
        .cloned()
        .collect()
}

/// How often something passed at seeds, as an item: pass from 95%, warn from 50%, else fail;
/// nothing when no message was seen.
fn seen_rate(subject: &str, pass: u64, total: u64, what: &str) -> Option<CheckItem> {
    if total == 0 {
        return None;
    }
    let rate = percent(pass, total);
    let status = if rate >= 95.0 {
        CheckStatus::Pass
    } else if rate >= 50.0 {
        CheckStatus::Warn
    } else {
        CheckStatus::Fail
    };
    Some(item(
        subject,
        status,
        format!("{rate}% of {total} messages {what}"),
    ))
}

/// A rate in percent, one decimal.
fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_chosen_by_their_version_tag_only() {
        let txt = vec![
            "v=spf1 -all".to_string(),
            "V=SPF1 include:x ~all".to_string(),
            "v=spf10 nonsense".to_string(),
            "google-site-verification=abc".to_string(),
            // A multi-byte character where the tag would end.
            "v=spf\u{e9} x".to_string(),
            "v=DMAR\u{fffd}".to_string(),
        ];
        assert_eq!(records_with(&txt, "v=spf1").len(), 2);
        assert!(records_with(&txt, "v=DMARC1").is_empty());
        assert!(records_with(&txt, "v=STSv1").is_empty());
        assert_eq!(percent(1, 3), 33.3);
        assert_eq!(percent(0, 0), 0.0);
    }
}
