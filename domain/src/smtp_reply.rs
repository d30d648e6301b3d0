//! What an SMTP reply means for a send: its RFC 3463 enhanced status, whether trying again can
//! help, and what kind of trouble it names. Real servers are loose with codes, so the text
//! counts too: Yahoo's `421 4.7.0 [TSS04]` and "550 connection frequency limited" are
//! deferrals, and plenty of replies carry no enhanced code at all.

use std::fmt;

use serde::Serialize;

/// An RFC 3463 enhanced status code, `class.subject.detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EnhancedStatus {
    pub class: u8,
    pub subject: u16,
    pub detail: u16,
}

impl fmt::Display for EnhancedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

impl EnhancedStatus {
    /// Parses `4.4.2`; the class must be 2, 4 or 5 and each part at most three digits.
    pub fn parse(raw: &str) -> Option<Self> {
        let mut parts = raw.split('.');
        let class: u8 = parts.next()?.parse().ok()?;
        let subject = parts
            .next()
            .filter(|p| (1..=3).contains(&p.len()))?
            .parse()
            .ok()?;
        let detail = parts
            .next()
            .filter(|p| (1..=3).contains(&p.len()))?
            .parse()
            .ok()?;
        (parts.next().is_none() && matches!(class, 2 | 4 | 5)).then_some(Self {
            class,
            subject,
            detail,
        })
    }
}

/// The kind of trouble a reply names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyCategory {
    Accepted,
    Greylisted,
    RateLimited,
    /// The connection to the next hop broke (`4.4.2`).
    BadConnection,
    /// No route or no answer from the next hop (`4.4.1`, DNS, loops).
    Routing,
    AuthFailed,
    MailboxFull,
    UnknownRecipient,
    /// Refused by policy, reputation or spam filtering (`5.7.x`).
    PolicyBlock,
    /// The message itself was refused (size, content, headers: `x.6.x`, `5.3.4`).
    MessageRejected,
    /// The server is unavailable or overloaded (`421`, `4.3.x`).
    ServiceUnavailable,
    Other,
}

impl ReplyCategory {
    /// Every category, in the order the API lists them.
    pub const ALL: [ReplyCategory; 12] = [
        ReplyCategory::Accepted,
        ReplyCategory::Greylisted,
        ReplyCategory::RateLimited,
        ReplyCategory::BadConnection,
        ReplyCategory::Routing,
        ReplyCategory::AuthFailed,
        ReplyCategory::MailboxFull,
        ReplyCategory::UnknownRecipient,
        ReplyCategory::PolicyBlock,
        ReplyCategory::MessageRejected,
        ReplyCategory::ServiceUnavailable,
        ReplyCategory::Other,
    ];

    /// The stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyCategory::Accepted => "accepted",
            ReplyCategory::Greylisted => "greylisted",
            ReplyCategory::RateLimited => "rate_limited",
            ReplyCategory::BadConnection => "bad_connection",
            ReplyCategory::Routing => "routing",
            ReplyCategory::AuthFailed => "auth_failed",
            ReplyCategory::MailboxFull => "mailbox_full",
            ReplyCategory::UnknownRecipient => "unknown_recipient",
            ReplyCategory::PolicyBlock => "policy_block",
            ReplyCategory::MessageRejected => "message_rejected",
            ReplyCategory::ServiceUnavailable => "service_unavailable",
            ReplyCategory::Other => "other",
        }
    }
}

/// A classified reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SmtpReply {
    pub code: u16,
    pub enhanced: Option<EnhancedStatus>,
    pub text: String,
    /// False when trying again later can succeed.
    pub permanent: bool,
    pub category: ReplyCategory,
}

impl SmtpReply {
    /// True when the message was accepted.
    pub fn accepted(&self) -> bool {
        self.category == ReplyCategory::Accepted
    }

    /// No reply at all (unreachable, refused by our own rules, a message that could not be
    /// built): transient, code 0, the reason as its text.
    pub fn unanswered(reason: &str) -> Self {
        classify(0, None, reason)
    }

    /// True when a later retry can succeed.
    pub fn transient(&self) -> bool {
        !self.accepted() && !self.permanent
    }

    /// Why this answer stops the sending mailbox, or `None`: a permanent refusal of the login
    /// or a block of the mailbox, which no retry and no other message can get past.
    pub fn stops_the_mailbox(&self) -> Option<String> {
        if !self.permanent {
            return None;
        }
        let why = match self.category {
            ReplyCategory::AuthFailed => "the SMTP server refused the login",
            ReplyCategory::PolicyBlock => "the mailbox is blocked",
            _ => return None,
        };
        let said = match self.enhanced {
            Some(e) => format!("{} {} {}", self.code, e, self.text),
            None => format!("{} {}", self.code, self.text).trim().to_string(),
        };
        Some(format!("{why}: {said}"))
    }
}

fn contains_any(haystack: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| haystack.contains(n))
}

/// Authentication replies: the AUTH codes, the `5.7.8`-family statuses, or words that say so.
fn is_auth_failure(code: u16, subject_detail: Option<(u16, u16)>, lower: &str) -> bool {
    let auth_code = matches!(code, 530 | 534 | 535 | 454)
        && (subject_detail.is_none_or(|(s, _)| s == 7)
            || contains_any(lower, &["auth", "credential", "password", "login"]));
    auth_code
        || matches!(subject_detail, Some((7, 8)) | Some((7, 9)) | Some((7, 14)))
        || contains_any(
            lower,
            &[
                "authentication failed",
                "invalid credentials",
                "username and password not accepted",
            ],
        )
}

/// Splits `"451 4.4.2 Bad connection"` (also multi-line, `451-...`) into code, enhanced status
/// and text. `None` when it does not start with a three-digit code.
pub fn parse_reply(raw: &str) -> Option<(u16, Option<EnhancedStatus>, String)> {
    let mut code = None;
    let mut enhanced = None;
    let mut texts = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let digits = line.get(..3)?;
        let c: u16 = digits.parse().ok().filter(|c| (200..600).contains(c))?;
        code.get_or_insert(c);
        let rest = line[3..].trim_start_matches(['-', ' ']);
        let (first, tail) = rest.split_once(' ').unwrap_or((rest, ""));
        match EnhancedStatus::parse(first) {
            Some(e) => {
                enhanced.get_or_insert(e);
                texts.push(tail.trim().to_string());
            }
            None => texts.push(rest.trim().to_string()),
        }
    }
    Some((code?, enhanced, texts.join(" ")))
}

/// Classifies a reply by its code, enhanced status and text.
pub fn classify(code: u16, enhanced: Option<EnhancedStatus>, text: &str) -> SmtpReply {
    let lower = text.to_ascii_lowercase();
    let subject_detail = enhanced.map(|e| (e.subject, e.detail));
    let category = if (200..400).contains(&code) {
        ReplyCategory::Accepted
    } else if contains_any(&lower, &["greylist", "graylist", "grey-list", "gray-list"])
        || (code / 100 == 4
            && subject_detail == Some((7, 1))
            && contains_any(&lower, &["try again later", "please retry"]))
    {
        ReplyCategory::Greylisted
    } else if contains_any(
        &lower,
        &[
            "rate limit",
            "ratelimit",
            "too many",
            "frequency limited",
            "[tss0",
            "throttl",
            "slow down",
        ],
    ) || matches!(subject_detail, Some((7, 28)) | Some((4, 5)))
    {
        ReplyCategory::RateLimited
    } else if is_auth_failure(code, subject_detail, &lower) {
        ReplyCategory::AuthFailed
    } else if matches!(subject_detail, Some((2, 2)))
        || contains_any(
            &lower,
            &[
                "mailbox full",
                "over quota",
                "quota exceeded",
                "mailbox is full",
            ],
        )
    {
        ReplyCategory::MailboxFull
    } else if matches!(subject_detail, Some((1, 1)) | Some((1, 10)) | Some((2, 1)))
        || contains_any(
            &lower,
            &[
                "user unknown",
                "unknown user",
                "no such user",
                "does not exist",
                "recipient not found",
                "no mailbox",
            ],
        )
    {
        ReplyCategory::UnknownRecipient
    } else if subject_detail == Some((4, 2)) {
        ReplyCategory::BadConnection
    } else if matches!(
        subject_detail,
        Some((4, 1)) | Some((4, 3)) | Some((4, 4)) | Some((4, 6)) | Some((4, 0))
    ) || contains_any(
        &lower,
        &[
            "no route",
            "host not found",
            "connection refused",
            "mail loop",
        ],
    ) {
        ReplyCategory::Routing
    } else if enhanced.is_some_and(|e| e.subject == 7)
        || contains_any(
            &lower,
            &[
                "spam",
                "blocked",
                "blacklist",
                "blocklist",
                "policy",
                "reputation",
                "dmarc",
            ],
        )
    {
        ReplyCategory::PolicyBlock
    } else if enhanced.is_some_and(|e| e.subject == 6)
        || matches!(subject_detail, Some((3, 4)))
        || code == 552
    {
        ReplyCategory::MessageRejected
    } else if code == 421 || enhanced.is_some_and(|e| e.subject == 3) {
        ReplyCategory::ServiceUnavailable
    } else {
        ReplyCategory::Other
    };
    // The reply code decides, except where providers are known to send 5xx for deferrals.
    let permanent = match category {
        ReplyCategory::Accepted => false,
        ReplyCategory::Greylisted | ReplyCategory::RateLimited => false,
        _ => code >= 500 || enhanced.is_some_and(|e| e.class == 5),
    };
    SmtpReply {
        code,
        enhanced,
        text: text.to_string(),
        permanent,
        category,
    }
}

/// Parses and classifies a whole reply as a server sent it.
pub fn classify_raw(raw: &str) -> Option<SmtpReply> {
    let (code, enhanced, text) = parse_reply(raw)?;
    Some(classify(code, enhanced, &text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReplyCategory::*;

    #[test]
    fn only_a_permanent_login_refusal_or_block_stops_the_mailbox() {
        let stop = |raw: &str| {
            classify_raw(raw)
                .unwrap_or_else(|| panic!("unparsed: {raw}"))
                .stops_the_mailbox()
        };
        assert_eq!(
            stop("535 5.7.8 Authentication credentials invalid").as_deref(),
            Some("the SMTP server refused the login: 535 5.7.8 Authentication credentials invalid")
        );
        assert!(
            stop("554 5.7.1 Your account has been blocked for spam")
                .is_some_and(|r| r.starts_with("the mailbox is blocked: 554 5.7.1"))
        );
        assert_eq!(stop("454 4.7.0 Temporary authentication failure"), None);
        assert_eq!(stop("550 5.1.1 User unknown"), None);
        assert_eq!(stop("250 2.0.0 OK"), None);
    }

    fn check(raw: &str, permanent: bool, category: ReplyCategory) {
        let r = classify_raw(raw).unwrap_or_else(|| panic!("unparsed: {raw}"));
        assert_eq!((r.permanent, r.category), (permanent, category), "{raw}");
    }

    #[test]
    fn real_replies_classify_as_operators_would() {
        let table: &[(&str, bool, ReplyCategory)] = &[
            ("250 2.0.0 Ok: queued as 4F3A2", false, Accepted),
            (
                "451 4.4.2 <a@corp.test>: Recipient address rejected: Bad connection to remote mail server",
                false,
                BadConnection,
            ),
            (
                "450 4.2.0 <a@yahoo.test>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/yahoo.test.html",
                false,
                Greylisted,
            ),
            ("451 4.7.1 Please try again later", false, Greylisted),
            (
                "421 4.7.0 [TSS04] Messages from 203.0.113.9 temporarily deferred due to unexpected volume or user complaints",
                false,
                RateLimited,
            ),
            ("550 connection frequency limited", false, RateLimited),
            (
                "421-4.7.28 Our system has detected an unusual rate of\n421 4.7.28 unsolicited mail",
                false,
                RateLimited,
            ),
            (
                "550 5.1.1 <nobody@corp.test>: Recipient address rejected: User unknown in virtual mailbox table",
                true,
                UnknownRecipient,
            ),
            (
                "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
                true,
                PolicyBlock,
            ),
            (
                "535 5.7.8 Error: authentication failed: authentication failure",
                true,
                AuthFailed,
            ),
            ("535 Incorrect authentication data", true, AuthFailed),
            ("530 5.7.0 Authentication required", true, AuthFailed),
            ("452 4.2.2 Mailbox full", false, MailboxFull),
            (
                "552 5.2.2 The email account that you tried to reach is over quota",
                true,
                MailboxFull,
            ),
            ("550 User unknown", true, UnknownRecipient),
            (
                "421 Service not available, closing transmission channel",
                false,
                ServiceUnavailable,
            ),
            (
                "451 Requested action aborted: local error in processing",
                false,
                Other,
            ),
            (
                "550 5.7.26 This message does not pass authentication checks (SPF and DKIM both do not pass) and has DMARC policy of reject",
                true,
                PolicyBlock,
            ),
            ("554 Message rejected as spam", true, PolicyBlock),
            (
                "552 Message size exceeds fixed maximum message size",
                true,
                MessageRejected,
            ),
            (
                "554 5.6.0 Message contains invalid header",
                true,
                MessageRejected,
            ),
            ("451 4.4.1 No answer from host", false, Routing),
            ("452 4.5.3 Too many recipients", false, RateLimited),
        ];
        for (raw, permanent, category) in table {
            check(raw, *permanent, *category);
        }
    }

    #[test]
    fn parses_enhanced_codes_and_multiline_text() {
        let (code, e, text) =
            parse_reply("250-first\n250 2.1.5 Ok").unwrap_or((0, None, String::new()));
        assert_eq!(code, 250);
        assert_eq!(e.map(|e| e.to_string()), Some("2.1.5".into()));
        assert_eq!(text, "first Ok");
        assert_eq!(EnhancedStatus::parse("4.4.2").map(|e| e.detail), Some(2));
        assert_eq!(EnhancedStatus::parse("3.1.1"), None);
        assert_eq!(EnhancedStatus::parse("4.4"), None);
        assert_eq!(EnhancedStatus::parse("4.4444.1"), None);
        assert!(parse_reply("hello").is_none());
        assert!(parse_reply("999 nope").is_none());
    }

    #[test]
    fn category_names_match_their_serde_names() {
        for c in [
            Accepted,
            Greylisted,
            RateLimited,
            BadConnection,
            Routing,
            AuthFailed,
            MailboxFull,
            UnknownRecipient,
            PolicyBlock,
            MessageRejected,
            ServiceUnavailable,
            Other,
        ] {
            assert_eq!(
                serde_json::to_value(c).ok(),
                Some(serde_json::Value::from(c.as_str()))
            );
        }
    }

    #[test]
    fn transient_means_neither_accepted_nor_permanent() {
        let greylisted = classify(450, EnhancedStatus::parse("4.2.0"), "Greylisted");
        assert!(greylisted.transient());
        let ok = classify(250, None, "Ok");
        assert!(ok.accepted() && !ok.transient());
        assert!(!classify(550, EnhancedStatus::parse("5.1.1"), "User unknown").transient());
    }
}

/// Whatever a server or a middlebox sends: never a panic, and what parses keeps its rules.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // The cases run in a child process, stopped when one of them passes 10 s: a hang
        // fails the test instead of stalling the run.
        #![proptest_config(ProptestConfig { timeout: 10_000, ..ProptestConfig::default() })]

        #[test]
        fn any_bytes_parse_or_are_refused(raw in proptest::collection::vec(any::<u8>(), 0..400)) {
            let text = String::from_utf8_lossy(&raw);
            if let Some((code, _, _)) = parse_reply(&text) {
                prop_assert!((200..600).contains(&code));
                let r = classify_raw(&text);
                prop_assert!(r.is_some());
            }
        }

        #[test]
        fn reply_shaped_lines_keep_code_status_and_text(
            code in 200u16..600,
            class in 2u8..6,
            subject in 0u16..1000,
            detail in 0u16..1000,
            text in "[ -~]{0,80}",
            lines in 1usize..4,
        ) {
            let status = format!("{class}.{subject}.{detail}");
            let raw = (0..lines)
                .map(|i| {
                    let sep = if i + 1 == lines { ' ' } else { '-' };
                    format!("{code}{sep}{status} {text}\r\n")
                })
                .collect::<String>();
            let parsed = parse_reply(&raw);
            prop_assert!(parsed.is_some(), "{raw:?}");
            let (c, _, _) = parsed.unwrap_or((0, None, String::new()));
            prop_assert_eq!(c, code);
            let r = classify(code, EnhancedStatus::parse(&status), &text);
            prop_assert_eq!(r.code, code);
        }
    }
}
