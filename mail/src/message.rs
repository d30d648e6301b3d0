//! Building a plain-text message: warmup mail, the sender's continuation of a thread and a
//! seed's reply all come out of this one builder, so their headers agree.

use chrono::{DateTime, Utc};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message, MessageBuilder, MultiPart};

use crate::MailError;

/// An address with its display name, if any.
#[derive(Debug, Clone, Copy)]
pub struct Address<'a> {
    pub name: Option<&'a str>,
    pub email: &'a str,
}

/// What a message says and where it belongs in its conversation.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    pub from: Address<'a>,
    pub to: Address<'a>,
    pub subject: &'a str,
    /// Without angle brackets.
    pub message_id: &'a str,
    /// The Message-ID this message answers, without angle brackets.
    pub in_reply_to: Option<&'a str>,
    /// The `References` value: the conversation's Message-IDs in angle brackets.
    pub references: Option<&'a str>,
    pub date: DateTime<Utc>,
    pub body: &'a str,
}

/// A message ready to sign and submit.
#[derive(Debug, Clone)]
pub struct Built {
    pub(crate) message: Message,
}

impl Built {
    /// The message as it goes on the wire (what DKIM signs).
    pub fn bytes(&self) -> Vec<u8> {
        self.message.formatted()
    }
}

fn mailbox(role: &str, a: Address<'_>) -> Result<Mailbox, MailError> {
    let email = a
        .email
        .parse()
        .map_err(|e| MailError::Message(format!("{role} {}: {e}", a.email)))?;
    Ok(Mailbox::new(
        a.name.filter(|n| !n.is_empty()).map(str::to_string),
        email,
    ))
}

/// Builds the message; the error names the address or part that cannot be written.
pub fn build(o: &Outgoing<'_>) -> Result<Built, MailError> {
    let message = headers(o)?
        .header(ContentType::TEXT_PLAIN)
        .body(o.body.to_string())
        .map_err(|e| MailError::Message(e.to_string()))?;
    Ok(Built { message })
}

/// The `X-Warmup-Test` header: the placement test a message belongs to.
#[derive(Debug, Clone)]
struct WarmupTest(String);

impl Header for WarmupTest {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-Warmup-Test")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// A placement test's message: `o.body` as its text, `html` beside it (multipart/alternative)
/// or alone when the text is empty, and the test's code in `X-Warmup-Test`.
pub fn build_test(o: &Outgoing<'_>, html: Option<&str>, code: &str) -> Result<Built, MailError> {
    let builder = headers(o)?.header(WarmupTest(code.to_string()));
    let failed = |e: lettre::error::Error| MailError::Message(e.to_string());
    let message = match html {
        Some(html) if o.body.is_empty() => builder
            .header(ContentType::TEXT_HTML)
            .body(html.to_string())
            .map_err(failed)?,
        Some(html) => builder
            .multipart(MultiPart::alternative_plain_html(
                o.body.to_string(),
                html.to_string(),
            ))
            .map_err(failed)?,
        None => builder
            .header(ContentType::TEXT_PLAIN)
            .body(o.body.to_string())
            .map_err(failed)?,
    };
    Ok(Built { message })
}

/// The headers every message has: addresses, subject, ids, date and thread.
fn headers(o: &Outgoing<'_>) -> Result<MessageBuilder, MailError> {
    let mut builder = Message::builder()
        .from(mailbox("sender", o.from)?)
        .to(mailbox("recipient", o.to)?)
        .subject(o.subject)
        .message_id(Some(format!("<{}>", o.message_id)))
        .date(o.date.into());
    if let Some(parent) = o.in_reply_to {
        builder = builder.in_reply_to(format!("<{parent}>"));
    }
    if let Some(refs) = o.references {
        builder = builder.references(refs.to_string());
    }
    Ok(builder)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(b: &Built) -> String {
        String::from_utf8_lossy(&b.bytes()).into_owned()
    }

    fn outgoing<'a>() -> Outgoing<'a> {
        Outgoing {
            from: Address {
                name: Some("Ann Example"),
                email: "ann@example.com",
            },
            to: Address {
                name: None,
                email: "seed@example.org",
            },
            subject: "Lunch",
            message_id: "abc@example.com",
            in_reply_to: None,
            references: None,
            date: DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
            body: "See you at noon.",
        }
    }

    #[test]
    fn a_test_message_carries_its_code_and_both_bodies() {
        let t = text(
            &build_test(&outgoing(), Some("<p>See you</p>"), "wt-abc123")
                .unwrap_or_else(|e| panic!("{e}")),
        );
        assert!(t.contains("X-Warmup-Test: wt-abc123"), "{t}");
        assert!(t.contains("multipart/alternative"), "{t}");
        assert!(
            t.contains("See you at noon.") && t.contains("<p>See you</p>"),
            "{t}"
        );
        let mut html_only = outgoing();
        html_only.body = "";
        let t = text(
            &build_test(&html_only, Some("<b>Hi</b>"), "wt-abc123")
                .unwrap_or_else(|e| panic!("{e}")),
        );
        assert!(t.contains("Content-Type: text/html"), "{t}");
        assert!(!t.contains("multipart"), "{t}");
    }

    #[test]
    fn a_first_message_has_no_thread_headers() {
        let t = text(&build(&outgoing()).unwrap_or_else(|e| panic!("{e}")));
        assert!(t.contains("Message-ID: <abc@example.com>"), "{t}");
        assert!(t.contains("From: \"Ann Example\" <ann@example.com>"), "{t}");
        assert!(t.contains("To: seed@example.org"), "{t}");
        assert!(!t.contains("In-Reply-To"), "{t}");
        assert!(!t.contains("References"), "{t}");
    }

    #[test]
    fn an_answer_names_its_parent_and_the_conversation() {
        let mut o = outgoing();
        o.in_reply_to = Some("parent@example.org");
        o.references = Some("<root@example.com> <parent@example.org>");
        let t = text(&build(&o).unwrap_or_else(|e| panic!("{e}")));
        assert!(t.contains("In-Reply-To: <parent@example.org>"), "{t}");
        assert!(
            t.contains("References: <root@example.com> <parent@example.org>"),
            "{t}"
        );
    }

    #[test]
    fn a_built_message_reads_back() {
        let built = build(&outgoing()).unwrap_or_else(|e| panic!("{e}"));
        let bytes = built.bytes();
        let read = mail_parser::MessageParser::default()
            .parse(&bytes)
            .unwrap_or_else(|| panic!("unreadable"));
        assert_eq!(read.subject(), Some("Lunch"));
        assert_eq!(
            read.body_text(0).as_deref().map(str::trim_end),
            Some("See you at noon.")
        );
    }

    #[test]
    fn an_unwritable_address_is_named() {
        let mut o = outgoing();
        o.to.email = "not an address";
        let err = build(&o).err().unwrap_or_else(|| panic!("built"));
        assert!(
            matches!(&err, MailError::Message(m) if m.starts_with("recipient not an address")),
            "{err}"
        );
    }
}
