//! What the seed list reads of a received message's header: who sent it, where a reply goes,
//! and what tells its campaign apart.

use mail_parser::MessageParser;

/// Longest Message-ID read; longer ones are not recorded.
pub const MAX_MESSAGE_ID: usize = 250;

/// A received message's header, as far as seed-list mail needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedHeader {
    /// Without angle brackets.
    pub message_id: String,
    /// The first `From` address, lower-cased.
    pub from: String,
    /// `Reply-To`'s first address, else `from`.
    pub reply_to: String,
    pub subject: String,
    pub list_id: Option<String>,
    pub campaign_id: Option<String>,
    /// The `X-Warmup-Test` header: a placement test's message, never campaign mail.
    pub warmup_test: Option<String>,
}

/// Reads a header; `None` when it has no Message-ID or no From address (such a message cannot
/// be recorded once per seed, nor told to be from an approved sender).
pub fn read_header(raw: &[u8]) -> Option<ReceivedHeader> {
    let parsed = MessageParser::default().parse_headers(raw)?;
    let message_id = parsed.message_id()?.trim().to_string();
    // Real ids are short; a sender's 2 KB id is not one to key rows on.
    if message_id.is_empty() || message_id.len() > MAX_MESSAGE_ID {
        return None;
    }
    let first = |a: Option<&mail_parser::Address<'_>>| {
        a.and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(|a| a.trim().to_lowercase())
            .filter(|a| !a.is_empty())
    };
    let from = first(parsed.from())?;
    let reply_to = first(parsed.reply_to()).unwrap_or_else(|| from.clone());
    let text = |name: &str| {
        parsed
            .header_raw(name)
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|v| !v.is_empty())
    };
    Some(ReceivedHeader {
        message_id,
        from,
        reply_to,
        subject: parsed.subject().unwrap_or_default().trim().to_string(),
        list_id: text("List-ID"),
        campaign_id: text("X-Campaign-ID"),
        warmup_test: text("X-Warmup-Test"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sender_reply_address_and_campaign_headers() {
        let raw = b"From: \"Acme News\" <News@Acme.Example>\r\n\
            Reply-To: support@acme.example\r\n\
            Subject: =?utf-8?q?Sp=C3=A4ter?= deals\r\n\
            Message-ID: <abc.123@esp.example>\r\n\
            List-ID: Acme news\r\n <news.acme.example>\r\n\
            X-Campaign-ID: c-42\r\n\r\nbody";
        let h = read_header(raw).unwrap_or_else(|| panic!("unread"));
        assert_eq!(h.message_id, "abc.123@esp.example");
        assert_eq!(h.from, "news@acme.example");
        assert_eq!(h.reply_to, "support@acme.example");
        assert_eq!(h.subject, "Später deals");
        assert_eq!(h.list_id.as_deref(), Some("Acme news <news.acme.example>"));
        assert_eq!(h.campaign_id.as_deref(), Some("c-42"));
    }

    #[test]
    fn without_an_id_or_a_sender_it_is_not_read() {
        assert!(read_header(b"From: a@b.example\r\nSubject: x\r\n\r\n").is_none());
        assert!(read_header(b"Message-ID: <x@y>\r\nSubject: x\r\n\r\n").is_none());
        let h = read_header(b"From: a@b.example\r\nMessage-ID: <x@y>\r\n\r\n");
        assert_eq!(
            h.map(|h| (h.reply_to, h.list_id)),
            Some(("a@b.example".into(), None))
        );
    }
}

/// Whether a message carries a placement test's `code` where a user may put it: its subject,
/// an `X-Warmup-Test` header, or its text or HTML body (IMAP SEARCH matches loosely, so what
/// it found is confirmed here).
pub fn carries_test_code(raw: &[u8], code: &str) -> bool {
    let Some(parsed) = MessageParser::default().parse(raw) else {
        return false;
    };
    let header = parsed.header_raw("X-Warmup-Test").map(str::trim);
    let mut body = String::new();
    for i in 0..parsed.text_body_count() {
        body.extend(parsed.body_text(i));
    }
    for i in 0..parsed.html_body_count() {
        body.extend(parsed.body_html(i));
    }
    warmup_domain::placement_test::carries_code(
        parsed.subject().unwrap_or_default(),
        header,
        &body,
        code,
    )
}

/// The header block of a raw message (up to the blank line), at most `max` bytes.
pub fn header_block(raw: &[u8], max: usize) -> String {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .or_else(|| raw.windows(2).position(|w| w == b"\n\n"))
        .unwrap_or(raw.len());
    String::from_utf8_lossy(&raw[..end.min(max)]).into_owned()
}

#[cfg(test)]
mod test_code_tests {
    use super::*;

    #[test]
    fn a_code_is_found_in_the_subject_the_header_or_the_body_only() {
        let msg = |headers: &str, body: &str| {
            format!("From: a@b.example\r\nMessage-ID: <1@b>\r\n{headers}\r\n\r\n{body}")
        };
        let code = "wt-7f3k9q";
        assert!(carries_test_code(
            msg("Subject: Launch wt-7f3k9q", "hi").as_bytes(),
            code
        ));
        assert!(carries_test_code(
            msg("Subject: Launch\r\nX-Warmup-Test: wt-7f3k9q", "hi").as_bytes(),
            code
        ));
        assert!(carries_test_code(
            msg("Subject: Launch", "ref WT-7F3K9Q").as_bytes(),
            code
        ));
        assert!(!carries_test_code(
            msg("Subject: Launch", "wt-7f3k9").as_bytes(),
            code
        ));
        let raw = msg("Subject: Launch", "body");
        assert_eq!(
            header_block(raw.as_bytes(), 1000),
            "From: a@b.example\r\nMessage-ID: <1@b>\r\nSubject: Launch"
        );
        assert_eq!(header_block(raw.as_bytes(), 4), "From");
    }
}

/// Headers and bodies found at seeds are anyone's: arbitrary bytes never make the readers
/// panic, and a message built with a code and an id is read back with them.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // The cases run in a child process, stopped when one of them passes 10 s: a hang
        // fails the test instead of stalling the run.
        #![proptest_config(ProptestConfig { timeout: 10_000, ..ProptestConfig::default() })]

        #[test]
        fn any_bytes_are_read_or_refused(
            raw in proptest::collection::vec(any::<u8>(), 0..2000),
            code in "\\PC{0,20}",
            max in 0usize..3000,
        ) {
            if let Some(h) = read_header(&raw) {
                prop_assert!(!h.message_id.is_empty() && h.message_id.len() <= MAX_MESSAGE_ID);
                prop_assert!(!h.from.is_empty());
            }
            let _ = carries_test_code(&raw, &code);
            let block = header_block(&raw, max);
            prop_assert!(block.len() <= max.max(1) * 3, "lossy UTF-8 at most triples");
        }

        #[test]
        fn arbitrary_header_values_never_panic(
            subject in "\\PC{0,200}",
            list_id in "\\PC{0,100}",
            from in "\\PC{0,100}",
            body in "\\PC{0,300}",
        ) {
            let raw = format!(
                "Message-ID: <x@y.example>\r\nFrom: {from}\r\nSubject: {subject}\r\n\
                 List-ID: {list_id}\r\nX-Warmup-Test: {list_id}\r\n\r\n{body}\r\n"
            );
            let _ = read_header(raw.as_bytes());
            let _ = carries_test_code(raw.as_bytes(), "wt-abc123");
        }

        #[test]
        fn a_message_with_a_code_and_an_id_is_read_back(
            local in "[a-z0-9]{1,30}",
            sender in "[a-z]{1,12}",
            code in "wt-[a-z0-9]{6}",
            words in "[a-zA-Z ]{0,60}",
        ) {
            let raw = format!(
                "Message-ID: <{local}@sender.example>\r\nFrom: Someone <{sender}@sender.example>\r\n\
                 Subject: {words} {code}\r\nContent-Type: text/plain\r\n\r\n{words}\r\n"
            );
            let h = read_header(raw.as_bytes());
            prop_assert!(h.is_some());
            let h = h.unwrap_or_else(|| unreachable!());
            prop_assert_eq!(h.message_id, format!("{local}@sender.example"));
            prop_assert_eq!(h.from, format!("{sender}@sender.example"));
            prop_assert!(carries_test_code(raw.as_bytes(), &code));
        }
    }
}
