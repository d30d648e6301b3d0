//! SPF's result in words, and the identities it checked.

use mail_auth::{SpfOutput, SpfResult};

use super::received::SessionFacts;

pub(super) fn word(result: SpfResult) -> &'static str {
    match result {
        SpfResult::Pass => "pass",
        SpfResult::Fail => "fail",
        SpfResult::SoftFail => "softfail",
        SpfResult::Neutral => "neutral",
        SpfResult::TempError => "temperror",
        SpfResult::PermError => "permerror",
        SpfResult::None => "none",
    }
}

pub(super) fn describe(facts: &SessionFacts, out: &SpfOutput) -> String {
    let sender = if facts.mail_from.is_empty() {
        "<>"
    } else {
        &facts.mail_from
    };
    let mut text = format!(
        "spf {} for {}: client {}, helo {}, mail from {sender}",
        word(out.result()),
        out.domain(),
        facts.client_ip,
        facts.helo,
    );
    if let Some(explanation) = out.explanation() {
        text.push_str(&format!(" ({explanation})"));
    }
    text
}
