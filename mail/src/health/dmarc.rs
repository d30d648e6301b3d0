//! DMARC: a record at `_dmarc.<domain>` (or at the organizational domain), its policy, whether
//! aggregate reports (`rua`) go somewhere, and how often mail passed DMARC at seeds.

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::dmarc::{Dmarc, Policy};
use warmup_domain::health::{CheckKind, CheckResult, CheckStatus};

use super::{SeenAtSeeds, item, records_with, seen_rate, undecided, worst};
use crate::dns::{DnsError, Resolver};

/// The domain whose record applies when the domain has none: its last two labels (a public
/// suffix list would be exact for `co.uk`-style suffixes; those publish at the domain itself).
fn organizational(domain: &str) -> Option<String> {
    let labels: Vec<&str> = domain.split('.').collect();
    (labels.len() > 2).then(|| labels[labels.len() - 2..].join("."))
}

async fn records_at(r: &Resolver, domain: &str) -> Result<Vec<String>, DnsError> {
    match r.txt(&format!("_dmarc.{domain}")).await {
        Ok(t) => Ok(records_with(&t, "v=DMARC1")),
        Err(DnsError::NoRecords | DnsError::NxDomain) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

pub(super) async fn check(domain: &str, seen: &SeenAtSeeds, r: &Resolver) -> CheckResult {
    let mut found = match records_at(r, domain).await {
        Ok(f) => f,
        Err(e) => return undecided(CheckKind::Dmarc, "DMARC record", &e),
    };
    let mut at = domain.to_string();
    if found.is_empty()
        && let Some(org) = organizational(domain)
        && let Ok(f) = records_at(r, &org).await
    {
        found = f;
        at = org;
    }
    let fail = |explanation: String, fix: &str, records: Vec<String>| {
        CheckResult::new(
            CheckKind::Dmarc,
            CheckStatus::Fail,
            explanation,
            Some(fix.into()),
        )
        .with(records, Vec::new())
    };
    let record = match found.len() {
        0 => {
            return fail(
                format!(
                    "{domain} publishes no DMARC record: Gmail and Yahoo require one from bulk senders, and nothing tells receivers what to do with mail that fails authentication."
                ),
                "Publish a TXT record at _dmarc.<domain>, starting with \"v=DMARC1; p=none; rua=mailto:<address>\" and moving to p=quarantine once the reports are clean.",
                Vec::new(),
            );
        }
        1 => found[0].clone(),
        n => {
            return fail(
                format!("_dmarc.{at} holds {n} DMARC records: receivers ignore them all."),
                "Keep exactly one.",
                found,
            );
        }
    };
    let shown = format!("_dmarc.{at}: {record}");
    let dmarc = match Dmarc::parse(record.as_bytes()) {
        Ok(d) => d,
        Err(e) => {
            return fail(
                format!("The DMARC record of {at} is not valid ({e:?}): receivers ignore it."),
                "Correct the record (RFC 7489): tags separated by semicolons, v=DMARC1 first, p= second.",
                vec![shown],
            );
        }
    };
    let mut items = Vec::new();
    items.push(match dmarc.p {
        Policy::Reject => item(
            "policy",
            CheckStatus::Pass,
            "p=reject: mail failing DMARC is refused",
        ),
        Policy::Quarantine => item(
            "policy",
            CheckStatus::Pass,
            "p=quarantine: mail failing DMARC goes to spam",
        ),
        Policy::None | Policy::Unspecified => item(
            "policy",
            CheckStatus::Warn,
            "p=none: receivers only report; spoofed mail is still delivered",
        ),
    });
    items.push(if dmarc.rua.is_empty() {
        item(
            "rua",
            CheckStatus::Warn,
            "no rua: nobody receives the aggregate reports that show who sends as the domain",
        )
    } else {
        item(
            "rua",
            CheckStatus::Pass,
            format!("aggregate reports go to {} address(es)", dmarc.rua.len()),
        )
    });
    if at != domain {
        items.push(item(
            "location",
            CheckStatus::Pass,
            format!("applies from the organizational domain {at}"),
        ));
    }
    items.extend(seen_rate(
        "alignment at seeds, last 7 days",
        seen.dmarc_pass,
        seen.dmarc_total,
        "passed DMARC (SPF or DKIM aligned with From)",
    ));
    let status = worst(&items);
    let (explanation, fix) = match status {
        CheckStatus::Pass => (format!("{at} publishes an enforcing DMARC policy with reporting, and mail aligns at seeds."), None),
        _ => (
            format!(
                "DMARC of {domain}: {}.",
                items.iter().filter(|i| i.status != CheckStatus::Pass).map(|i| format!("{} {}", i.subject, i.detail)).collect::<Vec<_>>().join("; ")
            ),
            Some("Add rua=mailto:<address> to receive reports; once SPF or DKIM pass aligned for all your senders, raise p to quarantine or reject.".to_string()),
        ),
    };
    CheckResult::new(CheckKind::Dmarc, status, explanation, fix).with(vec![shown], items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organizational_domain_is_the_last_two_labels() {
        assert_eq!(
            organizational("mail.example.com").as_deref(),
            Some("example.com")
        );
        assert_eq!(organizational("example.com"), None);
    }
}
