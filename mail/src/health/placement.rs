//! Placement: how much of the domain's mail the seeds found in the inbox over the last 7 days,
//! warmup and seed-list mail together.

use warmup_domain::health::{CheckKind, CheckResult, CheckStatus};

use super::percent;

/// `(inbox, decided)`: messages found in the inbox or a category, and messages whose place is
/// known.
pub(super) fn check((inbox, decided): (u64, u64)) -> CheckResult {
    if decided == 0 {
        return CheckResult::new(
            CheckKind::Placement,
            CheckStatus::Error,
            "No message of the domain was placed at a seed in the last 7 days: left out of the score.",
            Some("Start a warmup or a placement test from one of the domain's mailboxes.".into()),
        );
    }
    let rate = percent(inbox, decided);
    let (status, fix) = if rate >= 90.0 {
        (CheckStatus::Pass, None)
    } else if rate >= 70.0 {
        (CheckStatus::Warn, Some("Look at which providers junk the mail (GET /v1/reports/placement?group_by=provider) and at the other checks; keep the warmup's volume where it is until the rate recovers.".to_string()))
    } else {
        (CheckStatus::Fail, Some("Most mail misses the inbox: fix the failing checks first, then lower the daily volume and let engagement rebuild the reputation.".to_string()))
    };
    CheckResult::new(
        CheckKind::Placement,
        status,
        format!(
            "{rate}% of {decided} messages placed at seeds in the last 7 days reached the inbox ({inbox})."
        ),
        fix,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_decides_the_status() {
        assert_eq!(check((0, 0)).status, CheckStatus::Error);
        assert_eq!(check((95, 100)).status, CheckStatus::Pass);
        assert_eq!(check((80, 100)).status, CheckStatus::Warn);
        assert_eq!(check((10, 100)).status, CheckStatus::Fail);
        assert!(check((80, 100)).explanation.contains("80% of 100"));
    }
}
