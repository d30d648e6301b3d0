//! Reading delivery status notifications (RFC 3464): a `multipart/report` whose
//! `message/delivery-status` part says, per recipient, what happened, and which quotes the
//! original message (whole, or its headers) so that it can be matched by Message-ID.

use mail_parser::{MessageParser, MimeHeaders};

/// What a DSN reports about one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DsnRecipient {
    pub final_recipient: Option<String>,
    /// `failed`, `delayed`, `delivered`, `relayed` or `expanded`.
    pub action: String,
    /// The RFC 3463 status, e.g. `5.1.1`.
    pub status: Option<String>,
    pub diagnostic: Option<String>,
}

/// A parsed DSN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dsn {
    /// The Message-ID of the message it reports on, without angle brackets.
    pub original_message_id: Option<String>,
    pub recipients: Vec<DsnRecipient>,
}

impl DsnRecipient {
    /// The message was not delivered and will not be: a bounce.
    pub fn is_failure(&self) -> bool {
        self.action.eq_ignore_ascii_case("failed")
    }

    /// Delivery is still being tried: a delay notice.
    pub fn is_delay(&self) -> bool {
        self.action.eq_ignore_ascii_case("delayed")
    }
}

impl Dsn {
    /// The most serious action reported: `failed` over `delayed` over anything else.
    pub fn worst_action(&self) -> Option<&DsnRecipient> {
        self.recipients
            .iter()
            .find(|r| r.is_failure())
            .or_else(|| self.recipients.iter().find(|r| r.is_delay()))
            .or_else(|| self.recipients.first())
    }
}

fn strip_id(raw: &str) -> String {
    raw.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

/// Header-style fields with folded continuation lines joined, grouped into blocks.
fn field_blocks(text: &str) -> Vec<Vec<(String, String)>> {
    let mut blocks = Vec::new();
    let mut current: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = current.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            current.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

fn field(block: &[(String, String)], name: &str) -> Option<String> {
    block
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// The value of an address-type field (`rfc822; user@example.com`) without its type.
fn typed_value(v: String) -> String {
    v.split_once(';')
        .map_or(v.clone(), |(_, rest)| rest.trim().to_string())
}

/// Parses a DSN; `None` when the message is not one.
pub fn parse(raw: &[u8]) -> Option<Dsn> {
    let message = MessageParser::default().parse(raw)?;
    let mut status_text = None;
    let mut original = None;
    for part in &message.parts {
        let Some(ct) = part.content_type() else {
            continue;
        };
        let kind = (
            ct.ctype().to_ascii_lowercase(),
            ct.subtype().unwrap_or_default().to_ascii_lowercase(),
        );
        match (kind.0.as_str(), kind.1.as_str()) {
            ("message", "delivery-status" | "global-delivery-status") => {
                status_text = part.text_contents().map(str::to_string);
            }
            ("message", "rfc822" | "global") => {
                if let Some(id) = part.message().and_then(|m| m.message_id()) {
                    original = Some(strip_id(id));
                }
            }
            ("text", "rfc822-headers" | "global-headers") if original.is_none() => {
                let text = part.text_contents().unwrap_or_default();
                original = field_blocks(text)
                    .first()
                    .and_then(|b| field(b, "message-id"))
                    .map(|v| strip_id(&v));
            }
            _ => {}
        }
    }
    let status_text = status_text?;
    let blocks = field_blocks(&status_text);
    let recipients = blocks
        .iter()
        .filter(|b| field(b, "action").is_some())
        .map(|b| DsnRecipient {
            final_recipient: field(b, "final-recipient").map(typed_value),
            action: field(b, "action").unwrap_or_default().to_ascii_lowercase(),
            status: field(b, "status")
                .map(|s| s.split_whitespace().next().unwrap_or_default().to_string()),
            diagnostic: field(b, "diagnostic-code").map(typed_value),
        })
        .collect();
    Some(Dsn {
        original_message_id: original,
        recipients,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipient(action: &str) -> DsnRecipient {
        DsnRecipient {
            final_recipient: None,
            action: action.to_string(),
            status: None,
            diagnostic: None,
        }
    }

    #[test]
    fn a_failure_outranks_a_delay_and_success_is_neither() {
        let dsn = |actions: &[&str]| Dsn {
            original_message_id: None,
            recipients: actions.iter().map(|a| recipient(a)).collect(),
        };
        let worst = |d: &Dsn| d.worst_action().map(|r| r.action.clone());
        assert_eq!(
            worst(&dsn(&["delayed", "Failed"])).as_deref(),
            Some("Failed")
        );
        assert_eq!(
            worst(&dsn(&["delivered", "delayed"])).as_deref(),
            Some("delayed")
        );
        let delivered = recipient("delivered");
        assert!(!delivered.is_failure() && !delivered.is_delay());
        assert!(recipient("FAILED").is_failure() && recipient("Delayed").is_delay());
    }

    const BOUNCE: &str = "From: MAILER-DAEMON@sender.test (Mail Delivery System)\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
To: w@sender.test\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B1\"\r\n\
\r\n\
--B1\r\n\
Content-Type: text/plain; charset=us-ascii\r\n\
\r\n\
I'm sorry to have to inform you that your message could not be delivered.\r\n\
\r\n\
--B1\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; mail.sender.test\r\n\
Arrival-Date: Sat, 28 Nov 2026 07:00:00 +0000 (UTC)\r\n\
\r\n\
Final-Recipient: rfc822; nouser-1@corp.test\r\n\
Original-Recipient: rfc822;nouser-1@corp.test\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
Remote-MTA: dns; 127.0.0.14\r\n\
Diagnostic-Code: smtp; 550 5.1.1 <nouser-1@corp.test>: Recipient address\r\n\
\x20   rejected: User unknown in virtual mailbox table\r\n\
\r\n\
--B1\r\n\
Content-Type: message/rfc822\r\n\
\r\n\
From: w@sender.test\r\n\
To: nouser-1@corp.test\r\n\
Subject: Hello\r\n\
Message-ID: <abc123@sender.test>\r\n\
\r\n\
Hello\r\n\
\r\n\
--B1--\r\n";

    #[test]
    fn reads_a_postfix_bounce() {
        let dsn = parse(BOUNCE.as_bytes()).unwrap_or_else(|| panic!("not parsed as a DSN"));
        assert_eq!(
            dsn.original_message_id.as_deref(),
            Some("abc123@sender.test")
        );
        let r = dsn.worst_action().unwrap_or_else(|| panic!("no recipient"));
        assert_eq!(r.action, "failed");
        assert_eq!(r.status.as_deref(), Some("5.1.1"));
        assert_eq!(r.final_recipient.as_deref(), Some("nouser-1@corp.test"));
        let diag = r.diagnostic.clone().unwrap_or_default();
        assert!(
            diag.starts_with("550 5.1.1") && diag.contains("User unknown"),
            "{diag}"
        );
    }

    #[test]
    fn reads_a_delay_notice_quoting_only_headers() {
        let raw = BOUNCE
            .replace("Action: failed", "Action: delayed")
            .replace("Status: 5.1.1", "Status: 4.4.1")
            .replace(
                "Content-Type: message/rfc822",
                "Content-Type: text/rfc822-headers",
            );
        let dsn = parse(raw.as_bytes()).unwrap_or_else(|| panic!("not parsed"));
        assert_eq!(
            dsn.original_message_id.as_deref(),
            Some("abc123@sender.test")
        );
        assert_eq!(
            dsn.worst_action().map(|r| r.action.as_str()),
            Some("delayed")
        );
    }

    #[test]
    fn ordinary_mail_is_not_a_dsn() {
        let raw = b"From: a@b.test\r\nSubject: hi\r\nMessage-ID: <x@b.test>\r\n\r\nHello\r\n";
        assert_eq!(parse(raw), None);
    }
}

/// Delivery reports come from any server on the internet: arbitrary bytes and reports with
/// arbitrary fields never make the parser panic, and a well-formed report keeps its fields.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn report(
        action: &str,
        status: &str,
        diagnostic: &str,
        id: &str,
        headers_only: bool,
    ) -> Vec<u8> {
        let original = if headers_only {
            format!("Content-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{id}>\r\nSubject: x\r\n")
        } else {
            format!(
                "Content-Type: message/rfc822\r\n\r\nMessage-ID: <{id}>\r\nSubject: x\r\n\r\nbody\r\n"
            )
        };
        format!(
            "From: MAILER-DAEMON@mx.example\r\nTo: a@b.example\r\nSubject: failure\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; \
             boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsorry\r\n--b1\r\n\
             Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n\
             Final-Recipient: rfc822; t@c.example\r\nAction: {action}\r\nStatus: {status}\r\n\
             Diagnostic-Code: smtp; {diagnostic}\r\n\r\n--b1\r\n{original}--b1--\r\n"
        )
        .into_bytes()
    }

    proptest! {
        // The cases run in a child process, stopped when one of them passes 10 s: a hang
        // fails the test instead of stalling the run.
        #![proptest_config(ProptestConfig { timeout: 10_000, ..ProptestConfig::default() })]

        #[test]
        fn any_bytes_parse_or_are_refused(raw in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = parse(&raw);
        }

        #[test]
        fn reports_with_arbitrary_fields_never_panic(
            action in "\\PC{0,30}",
            status in "\\PC{0,30}",
            diagnostic in "\\PC{0,200}",
            id in "\\PC{0,60}",
            headers_only in any::<bool>(),
        ) {
            let _ = parse(&report(&action, &status, &diagnostic, &id, headers_only));
        }

        #[test]
        fn a_well_formed_report_keeps_its_fields(
            action in prop::sample::select(vec!["failed", "delayed", "delivered", "relayed", "expanded"]),
            class in 2u8..6,
            subject in 0u16..8,
            detail in 0u16..30,
            local in "[a-z0-9]{1,20}",
            headers_only in any::<bool>(),
        ) {
            let status = format!("{class}.{subject}.{detail}");
            let id = format!("{local}@sender.example");
            let dsn = parse(&report(action, &status, "550 5.1.1 no such user", &id, headers_only));
            prop_assert!(dsn.is_some());
            let dsn = dsn.unwrap_or(Dsn { original_message_id: None, recipients: Vec::new() });
            prop_assert_eq!(dsn.original_message_id.as_deref(), Some(id.as_str()));
            prop_assert_eq!(dsn.recipients.len(), 1);
            prop_assert_eq!(dsn.recipients[0].action.as_str(), action);
            prop_assert_eq!(dsn.recipients[0].status.as_deref(), Some(status.as_str()));
        }
    }
}
