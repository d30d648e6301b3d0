//! SPF: exactly one record, valid (mail-auth parses it), at most 10 DNS lookups with its
//! includes followed, ending in `~all` or `-all`, and passing for every address the seeds saw
//! the domain's mail come from.

use std::collections::BTreeSet;
use std::net::IpAddr;

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::spf::{Macro, Mechanism, Qualifier, Spf};
use warmup_domain::health::{CheckItem, CheckKind, CheckResult, CheckStatus};

use super::{HealthOptions, item, records_with, undecided, worst};
use crate::auth::AuthVerifier;
use crate::dns::{DnsError, Resolver};

/// RFC 7208 §4.6.4: more than this many lookups is a permanent error at receivers.
pub(super) const MAX_LOOKUPS: usize = 10;

/// Records fetched at most while following includes (a loop or a huge tree stops here).
const MAX_FETCHES: usize = 25;

fn literal(m: &Macro) -> Option<String> {
    match m {
        Macro::Literal(bytes) => Some(String::from_utf8_lossy(bytes).to_ascii_lowercase()),
        _ => None,
    }
}

/// Mechanisms that cost a DNS lookup, and the domains to follow (includes, redirect).
fn cost(spf: &Spf) -> (usize, Vec<String>) {
    let mut lookups = 0;
    let mut follow = Vec::new();
    for d in spf.directives.iter() {
        match &d.mechanism {
            Mechanism::Include { macro_string } => {
                lookups += 1;
                follow.extend(literal(macro_string));
            }
            Mechanism::A { .. }
            | Mechanism::Mx { .. }
            | Mechanism::Ptr { .. }
            | Mechanism::Exists { .. } => lookups += 1,
            _ => {}
        }
    }
    if let Some(r) = &spf.redirect {
        lookups += 1;
        follow.extend(literal(r));
    }
    (lookups, follow)
}

/// The lookups of a record with its includes and redirect followed, and what went wrong on
/// the way.
async fn count_lookups(first: &Spf, r: &Resolver) -> (usize, Vec<CheckItem>) {
    let (mut total, mut queue) = cost(first);
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    let mut fetched = 0;
    while let Some(name) = queue.pop() {
        if total > MAX_LOOKUPS || fetched >= MAX_FETCHES || !seen.insert(name.clone()) {
            continue;
        }
        fetched += 1;
        let txt = match r.txt(&name).await {
            Ok(t) => t,
            Err(e) => {
                problems.push(item(
                    format!("include:{name}"),
                    CheckStatus::Fail,
                    format!("cannot be read: {e}"),
                ));
                continue;
            }
        };
        let Some(record) = records_with(&txt, "v=spf1").into_iter().next() else {
            problems.push(item(
                format!("include:{name}"),
                CheckStatus::Fail,
                "has no SPF record",
            ));
            continue;
        };
        match Spf::parse(record.as_bytes()) {
            Ok(spf) => {
                let (n, more) = cost(&spf);
                total += n;
                queue.extend(more);
            }
            Err(e) => problems.push(item(
                format!("include:{name}"),
                CheckStatus::Fail,
                format!("invalid: {e:?}"),
            )),
        }
    }
    (total, problems)
}

/// How the record ends: the qualifier of `all`, if it has one.
fn ending(spf: &Spf) -> Option<Qualifier> {
    spf.directives
        .iter()
        .rev()
        .find(|d| d.mechanism == Mechanism::All)
        .map(|d| d.qualifier.clone())
}

pub(super) async fn check(
    domain: &str,
    sending_ips: &[IpAddr],
    r: &Resolver,
    auth: &AuthVerifier,
    options: &HealthOptions,
) -> CheckResult {
    let txt = match r.txt(domain).await {
        Ok(t) => t,
        Err(DnsError::NoRecords | DnsError::NxDomain) => Vec::new(),
        Err(e) => return undecided(CheckKind::Spf, "SPF record", &e),
    };
    let spf_records = records_with(&txt, "v=spf1");
    let fail = |explanation: String, fix: &str| {
        CheckResult::new(
            CheckKind::Spf,
            CheckStatus::Fail,
            explanation,
            Some(fix.to_string()),
        )
    };
    match spf_records.len() {
        0 => {
            return fail(
                format!(
                    "{domain} publishes no SPF record: receivers cannot tell which servers may send its mail."
                ),
                "Publish one TXT record such as \"v=spf1 include:<your provider's SPF> -all\" naming every service that sends for the domain.",
            );
        }
        1 => {}
        n => {
            return fail(
                format!("{domain} publishes {n} SPF records; receivers treat that as a permanent error (permerror) and SPF fails."),
                "Merge them into one record.",
            )
            .with(spf_records, Vec::new());
        }
    }
    let record = spf_records[0].clone();
    let spf = match Spf::parse(record.as_bytes()) {
        Ok(s) => s,
        Err(e) => {
            return fail(
                format!("The SPF record of {domain} is not valid ({e:?}): receivers treat it as a permanent error."),
                "Correct the record's syntax (RFC 7208); an SPF checker names the bad term.",
            )
            .with(vec![record], Vec::new());
        }
    };
    let mut items = Vec::new();
    let (lookups, problems) = count_lookups(&spf, r).await;
    items.extend(problems);
    items.push(if lookups > MAX_LOOKUPS {
        item("lookups", CheckStatus::Fail, format!("{lookups} DNS lookups (more than {MAX_LOOKUPS}): receivers stop and answer permerror"))
    } else {
        item("lookups", CheckStatus::Pass, format!("{lookups} DNS lookups of at most {MAX_LOOKUPS}"))
    });
    if spf
        .directives
        .iter()
        .any(|d| matches!(d.mechanism, Mechanism::Ptr { .. }))
    {
        items.push(item(
            "ptr",
            CheckStatus::Warn,
            "uses the ptr mechanism, which RFC 7208 says not to use (slow, unreliable)",
        ));
    }
    items.push(match (ending(&spf), &spf.redirect) {
        (Some(Qualifier::Fail), _) => {
            item("all", CheckStatus::Pass, "ends in -all: other servers fail")
        }
        (Some(Qualifier::SoftFail), _) => item(
            "all",
            CheckStatus::Pass,
            "ends in ~all: other servers soft-fail",
        ),
        (Some(Qualifier::Neutral), _) => item(
            "all",
            CheckStatus::Warn,
            "ends in ?all: other servers are neutral, which protects nothing",
        ),
        (Some(Qualifier::Pass), _) => item(
            "all",
            CheckStatus::Fail,
            "ends in +all: every server on the internet may send as the domain",
        ),
        (None, Some(_)) => item(
            "all",
            CheckStatus::Pass,
            "ends in a redirect to another record",
        ),
        (None, None) => item(
            "all",
            CheckStatus::Warn,
            "has no all: other servers are neutral",
        ),
    });
    if sending_ips.is_empty() {
        items.push(item(
            "sending addresses",
            CheckStatus::Pass,
            "none seen at seeds yet: only the record itself was checked",
        ));
    }
    let verdicts = futures::future::join_all(
        sending_ips
            .iter()
            .map(|ip| auth.spf_for(*ip, domain, &options.helo_name)),
    )
    .await;
    for (ip, result) in sending_ips.iter().zip(verdicts) {
        items.push(match result.as_str() {
            "pass" => item(ip.to_string(), CheckStatus::Pass, "authorized (pass)"),
            "temperror" => item(
                ip.to_string(),
                CheckStatus::Error,
                "could not be evaluated (temperror)",
            ),
            other => item(
                ip.to_string(),
                CheckStatus::Fail,
                format!("seen sending the domain's mail at seeds, but SPF says {other}"),
            ),
        });
    }
    let status = worst(&items);
    let (explanation, fix) = match status {
        CheckStatus::Pass => (format!("One valid SPF record with {lookups} lookups that authorizes the addresses seen sending."), None),
        _ => (
            format!("The SPF record of {domain} has problems: {}.", items.iter().filter(|i| i.status != CheckStatus::Pass).map(|i| format!("{} {}", i.subject, i.detail)).collect::<Vec<_>>().join("; ")),
            Some("Authorize every sending service (an include: of its SPF, or ip4:/ip6:), keep lookups at 10 or fewer (flatten includes), and end with ~all or -all.".to_string()),
        ),
    };
    CheckResult::new(CheckKind::Spf, status, explanation, fix).with(vec![record], items)
}
