//! DMARC's result in words, with the policy and what aligned.

use mail_auth::{DmarcOutput, DmarcResult};

pub(super) fn word(result: &DmarcResult) -> &'static str {
    match result {
        DmarcResult::Pass => "pass",
        DmarcResult::Fail(_) => "fail",
        DmarcResult::TempError(_) => "temperror",
        DmarcResult::PermError(_) => "permerror",
        DmarcResult::None => "none",
    }
}

pub(super) fn describe(out: &DmarcOutput) -> String {
    let result = out.result();
    let mut text = format!("dmarc {}", word(&result));
    if out.domain().is_empty() {
        text.push_str(": no single From domain");
        return text;
    }
    text.push_str(&format!(" for {}", out.domain()));
    if out.dmarc_record().is_none() {
        if let DmarcResult::TempError(e) | DmarcResult::PermError(e) = &result {
            text.push_str(&format!(": {e}"));
        } else {
            text.push_str(": no DMARC record");
        }
        return text;
    }
    text.push_str(&format!(
        ": policy {}, spf {}, dkim {}",
        out.policy(),
        aligned(out.spf_result()),
        aligned(out.dkim_result()),
    ));
    text
}

fn aligned(result: &DmarcResult) -> String {
    match result {
        DmarcResult::Pass => "aligned pass".to_string(),
        DmarcResult::Fail(e) | DmarcResult::TempError(e) | DmarcResult::PermError(e) => {
            format!("{} ({e})", word(result))
        }
        DmarcResult::None => "none".to_string(),
    }
}
