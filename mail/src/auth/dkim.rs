//! DKIM's results in words: one summary for the message, one clause per signature.

use mail_auth::{DkimOutput, DkimResult};

fn word(result: &DkimResult) -> &'static str {
    match result {
        DkimResult::Pass => "pass",
        DkimResult::Neutral(_) => "neutral",
        DkimResult::Fail(_) => "fail",
        DkimResult::PermError(_) => "permerror",
        DkimResult::TempError(_) => "temperror",
        DkimResult::None => "none",
    }
}

pub(super) fn summary(outputs: &[DkimOutput<'_>]) -> &'static str {
    if outputs.iter().any(|o| *o.result() == DkimResult::Pass) {
        return "pass";
    }
    outputs
        .iter()
        .map(|o| word(o.result()))
        .find(|w| *w != "none")
        .unwrap_or("none")
}

pub(super) fn describe(outputs: &[DkimOutput<'_>]) -> String {
    if outputs.is_empty() {
        return "dkim none: no signature".to_string();
    }
    let signatures: Vec<String> = outputs
        .iter()
        .map(|o| {
            let who = o
                .signature()
                .map_or("malformed signature".to_string(), |s| {
                    format!("d={} s={}", s.d, s.s)
                });
            match o.result() {
                DkimResult::Pass | DkimResult::None => format!("{who} {}", word(o.result())),
                DkimResult::Neutral(e)
                | DkimResult::Fail(e)
                | DkimResult::PermError(e)
                | DkimResult::TempError(e) => format!("{who} {} ({e})", word(o.result())),
            }
        })
        .collect();
    format!("dkim {}: {}", summary(outputs), signatures.join(", "))
}
