//! States and classes of the mail accounts the service logs into.

use serde::{Deserialize, Serialize};

/// Whether a sender mailbox takes part in warmup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailboxStatus {
    Active,
    Paused,
    /// Set by the service when the mailbox cannot be used (see `status_reason`).
    Error,
}

impl MailboxStatus {
    /// The stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            MailboxStatus::Active => "active",
            MailboxStatus::Paused => "paused",
            MailboxStatus::Error => "error",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            MailboxStatus::Active,
            MailboxStatus::Paused,
            MailboxStatus::Error,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }

    /// Users may pause and resume; only the service puts a mailbox into `error`.
    pub fn settable_by_user(self) -> bool {
        self != MailboxStatus::Error
    }
}

/// Why a warmup cannot start: its mailbox is not active.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the mailbox is {status}{}: set its status to active first",
    reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
)]
pub struct NotActive {
    pub status: String,
    pub reason: Option<String>,
}

/// A warmup starts only on an active mailbox: a paused one is the user's choice to keep, and
/// one in `error` would fail again.
pub fn may_start_warmup(stored_status: &str, reason: Option<&str>) -> Result<(), NotActive> {
    if MailboxStatus::parse(stored_status) == Some(MailboxStatus::Active) {
        return Ok(());
    }
    Err(NotActive {
        status: stored_status.to_string(),
        reason: reason.map(str::to_string),
    })
}

/// Where a mailbox's warmup stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarmupStatus {
    NotStarted,
    Running,
    Paused,
}

impl WarmupStatus {
    /// The stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            WarmupStatus::NotStarted => "not_started",
            WarmupStatus::Running => "running",
            WarmupStatus::Paused => "paused",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            WarmupStatus::NotStarted,
            WarmupStatus::Running,
            WarmupStatus::Paused,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// The quality tier of a seed account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SeedGroup {
    Standard,
    Premium,
}

impl SeedGroup {
    /// The stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SeedGroup::Standard => "standard",
            SeedGroup::Premium => "premium",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        [SeedGroup::Standard, SeedGroup::Premium]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_active_mailbox_starts_warming_up_and_the_refusal_says_why() {
        assert_eq!(may_start_warmup("active", None), Ok(()));
        let err = may_start_warmup("error", Some("the SMTP server refused the login"))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "the mailbox is error (the SMTP server refused the login): set its status to \
                 active first"
            )
        );
        assert!(may_start_warmup("paused", None).is_err());
    }

    #[test]
    fn names_round_trip_and_error_is_reserved_to_the_service() {
        for s in [
            MailboxStatus::Active,
            MailboxStatus::Paused,
            MailboxStatus::Error,
        ] {
            assert_eq!(MailboxStatus::parse(s.as_str()), Some(s));
        }
        assert!(!MailboxStatus::Error.settable_by_user());
        assert!(MailboxStatus::Paused.settable_by_user());
        for g in [SeedGroup::Standard, SeedGroup::Premium] {
            assert_eq!(SeedGroup::parse(g.as_str()), Some(g));
        }
        assert_eq!(SeedGroup::parse("gold"), None);
        for w in [
            WarmupStatus::NotStarted,
            WarmupStatus::Running,
            WarmupStatus::Paused,
        ] {
            assert_eq!(WarmupStatus::parse(w.as_str()), Some(w));
        }
    }
}
