//! MTA-STS and TLS-RPT: the `_mta-sts` record announcing a policy and the `_smtp._tls` record
//! asking for TLS reports. Both protect mail to the domain; their absence only warns.

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::mta_sts::{MtaSts, TlsRpt};
use warmup_domain::health::{CheckKind, CheckResult, CheckStatus};

use super::{item, records_with, undecided, worst};
use crate::dns::{DnsError, Resolver};

pub(super) async fn check(domain: &str, r: &Resolver) -> CheckResult {
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
    items.push(match sts.as_slice() {
        [] => item(
            &sts_name,
            CheckStatus::Warn,
            "no MTA-STS record: senders may deliver without TLS or to a forged MX",
        ),
        [one] => {
            records.push(format!("{sts_name}: {one}"));
            match MtaSts::parse(one.as_bytes()) {
                Ok(p) => item(
                    &sts_name,
                    CheckStatus::Pass,
                    format!("announces policy id {}", p.id),
                ),
                Err(e) => item(&sts_name, CheckStatus::Warn, format!("not valid ({e:?})")),
            }
        }
        many => item(
            &sts_name,
            CheckStatus::Warn,
            format!("{} records: senders ignore them", many.len()),
        ),
    });
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
    let status = worst(&items);
    let (explanation, fix) = match status {
        CheckStatus::Pass => ("MTA-STS and TLS-RPT are published.".to_string(), None),
        _ => (
            "MTA-STS or TLS-RPT is missing or not valid (see items); this only warns.".to_string(),
            Some("Publish \"v=STSv1; id=<date>\" at _mta-sts.<domain> with a policy at https://mta-sts.<domain>/.well-known/mta-sts.txt, and \"v=TLSRPTv1; rua=mailto:<address>\" at _smtp._tls.<domain>.".to_string()),
        ),
    };
    CheckResult::new(CheckKind::MtaSts, status, explanation, fix).with(records, items)
}
