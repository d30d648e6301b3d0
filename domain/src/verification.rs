//! Mailbox verification: whoever connects a mailbox must read its address. A seed of the pool
//! sends a code there through its own provider and the service must find it over the
//! mailbox's IMAP; until then the mailbox does not warm up, so the seed pool never answers an
//! address on behalf of someone who cannot read it.

use serde::{Deserialize, Serialize};

/// Where a mailbox's verification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerificationStatus {
    /// Never verified, or its address or servers changed since.
    Unverified,
    /// A code is on its way or being looked for.
    Pending,
    Verified,
    /// The code did not arrive, or could not be sent (see the reason).
    Failed,
}

impl VerificationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::Pending => "pending",
            Self::Verified => "verified",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Unverified,
            Self::Pending,
            Self::Verified,
            Self::Failed,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// A warmup starts only on a verified mailbox, where the operator requires verification.
pub fn may_start_warmup(stored: &str, reason: Option<&str>, required: bool) -> Result<(), String> {
    if !required || VerificationStatus::parse(stored) == Some(VerificationStatus::Verified) {
        return Ok(());
    }
    let because = reason.map(|r| format!(" ({r})")).unwrap_or_default();
    Err(format!(
        "the mailbox is {stored}{because}: verify it first with POST \
         /v1/mailboxes/{{id}}/verify, which has a seed send a code to its address and finds it \
         over its IMAP"
    ))
}

/// What identifies where a mailbox's mail goes and is read: a change to any of it needs a new
/// verification (a password alone does not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity<'a> {
    pub email: &'a str,
    pub smtp: (&'a str, i32, &'a str, &'a str),
    pub imap: (&'a str, i32, &'a str, &'a str),
}

/// Why a change of identity makes the mailbox unverified, or `None` when nothing that matters
/// changed. Addresses compare without regard to case.
pub fn change_needs_verification(before: &Identity<'_>, after: &Identity<'_>) -> Option<String> {
    if !before.email.eq_ignore_ascii_case(after.email) {
        return Some("the address changed: verify the mailbox again".to_string());
    }
    let same = |a: &(&str, i32, &str, &str), b: &(&str, i32, &str, &str)| {
        a.0.eq_ignore_ascii_case(b.0) && a.1 == b.1 && a.2 == b.2 && a.3 == b.3
    };
    if !same(&before.smtp, &after.smtp) || !same(&before.imap, &after.imap) {
        return Some("the SMTP or IMAP server changed: verify the mailbox again".to_string());
    }
    None
}

/// The subject that carries a code; the code is also the Message-ID's local part.
pub fn subject(code: &str) -> String {
    format!("Mailbox verification {code}")
}

/// The body of the code's message, written by the service alone.
pub fn body(code: &str, address: &str) -> String {
    format!(
        "This message verifies that {address} is read by whoever connected it to the warmup \
         service.\n\nVerification code: {code}\n\nNothing needs to be done: the service finds \
         this message by itself. If you did not connect this address, you can ignore it.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id<'a>(email: &'a str, smtp_host: &'a str, imap_user: &'a str) -> Identity<'a> {
        Identity {
            email,
            smtp: (smtp_host, 587, "starttls", "u"),
            imap: ("imap.example.com", 993, "tls", imap_user),
        }
    }

    #[test]
    fn a_changed_address_or_server_needs_a_new_verification() {
        let before = id("jane@example.com", "smtp.example.com", "jane");
        assert_eq!(
            change_needs_verification(&before, &id("JANE@example.com", "SMTP.example.com", "jane")),
            None
        );
        assert!(
            change_needs_verification(&before, &id("john@example.com", "smtp.example.com", "jane"))
                .is_some_and(|r| r.contains("address"))
        );
        assert!(
            change_needs_verification(&before, &id("jane@example.com", "evil.example", "jane"))
                .is_some_and(|r| r.contains("server"))
        );
        assert!(
            change_needs_verification(&before, &id("jane@example.com", "smtp.example.com", "eve"))
                .is_some()
        );
    }

    #[test]
    fn only_a_verified_mailbox_starts_when_verification_is_required() {
        assert_eq!(may_start_warmup("verified", None, true), Ok(()));
        assert_eq!(may_start_warmup("unverified", None, false), Ok(()));
        let err = may_start_warmup("failed", Some("the code did not arrive"), true)
            .err()
            .unwrap_or_default();
        assert!(err.starts_with("the mailbox is failed (the code did not arrive): verify"));
        assert!(may_start_warmup("pending", None, true).is_err());
    }

    #[test]
    fn statuses_round_trip() {
        for s in ["unverified", "pending", "verified", "failed"] {
            assert_eq!(VerificationStatus::parse(s).map(|v| v.as_str()), Some(s));
        }
        assert_eq!(VerificationStatus::parse("ok"), None);
    }
}
