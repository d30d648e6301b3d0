//! The SMTP session a message arrived in, read back from its trace headers: the topmost
//! `Received:` header that names a bracketed client IP and the topmost `Return-Path:`.

use std::net::IpAddr;

/// The SMTP session a message arrived in, as its trace headers record it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SessionFacts {
    pub client_ip: IpAddr,
    pub helo: String,
    /// The envelope sender; empty for the null sender (`<>`, bounces).
    pub mail_from: String,
    /// The host that wrote the `Received:` header (SPF's `%{r}`).
    pub receiver: String,
}

/// Which trace header SPF would need and the message lacks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum MissingTrace {
    #[error("no Received header records a bracketed client IP")]
    ClientAddress,
    #[error("no Return-Path header gives the envelope sender")]
    ReturnPath,
    #[error("unreadable Return-Path '{0}'")]
    UnreadableReturnPath(String),
}

/// Client and HELO from the topmost `Received:` header with a bracketed client IP, envelope
/// sender from the topmost `Return-Path:`; the error says what is missing.
pub(super) fn session_facts(headers: &[(&[u8], &[u8])]) -> Result<SessionFacts, MissingTrace> {
    let mut client = None;
    let mut return_path = None;
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value);
        if client.is_none() && name.eq_ignore_ascii_case(b"Received") {
            client = received_client(&value);
        } else if return_path.is_none() && name.eq_ignore_ascii_case(b"Return-Path") {
            return_path = Some(
                envelope_sender(&value)
                    .ok_or_else(|| MissingTrace::UnreadableReturnPath(value.trim().to_string())),
            );
        }
    }
    let client = client.ok_or(MissingTrace::ClientAddress)?;
    let mail_from = return_path.ok_or(MissingTrace::ReturnPath)??;
    Ok(SessionFacts {
        client_ip: client.ip,
        helo: client.helo,
        mail_from,
        receiver: client.receiver,
    })
}

/// The client of one SMTP hop, from a `Received:` header.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ReceivedClient {
    ip: IpAddr,
    helo: String,
    receiver: String,
}

/// A top-level piece of a `Received:` header value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Word(String),
    /// The text inside a parenthesized comment, nested parentheses kept, escapes resolved.
    Comment(String),
}

/// Splits a `Received:` header value into words and comments, up to the `;` before the date.
fn parts(value: &str) -> Vec<Part> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut comment = String::new();
    let mut depth = 0usize;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if depth > 0 {
            match c {
                '\\' => comment.extend(chars.next()),
                '(' => {
                    depth += 1;
                    comment.push(c);
                }
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        out.push(Part::Comment(std::mem::take(&mut comment)));
                    } else {
                        comment.push(c);
                    }
                }
                c if c.is_whitespace() => comment.push(' '),
                c => comment.push(c),
            }
            continue;
        }
        if c == '(' || c == ';' || c.is_whitespace() {
            if !word.is_empty() {
                out.push(Part::Word(std::mem::take(&mut word)));
            }
            match c {
                '(' => depth = 1,
                ';' => return out,
                _ => {}
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push(Part::Word(word));
    }
    out
}

/// Words that end the `from` clause of a `Received:` header (RFC 5321 section 4.4).
const CLAUSES: [&str; 5] = ["by", "via", "with", "id", "for"];

fn is_clause(word: &str) -> bool {
    CLAUSES.iter().any(|k| word.eq_ignore_ascii_case(k))
}

/// The client of a `Received:` header of the `from HELO (rdns [IP])` family: Postfix,
/// sendmail, Gmail, Exim (`from [IP] (helo=HELO)`), old Exchange (`from HELO ([IP])`). Headers
/// without a bracketed client IP (`by ...` only, or current Exchange's `from HELO (IP)`) give
/// `None`: an unbracketed address there is not reliably the client's.
fn received_client(value: &str) -> Option<ReceivedClient> {
    let parts = parts(value);
    let mut iter = parts.iter();
    match iter.next() {
        Some(Part::Word(w)) if w.eq_ignore_ascii_case("from") => {}
        _ => return None,
    }
    let clause: Vec<&Part> = iter
        .take_while(|p| !matches!(p, Part::Word(w) if is_clause(w)))
        .collect();
    let name = clause.iter().find_map(|p| match p {
        Part::Word(w) => Some(w.as_str()),
        Part::Comment(_) => None,
    })?;
    let comments = || {
        clause.iter().filter_map(|p| match p {
            Part::Comment(c) => Some(c.as_str()),
            Part::Word(_) => None,
        })
    };
    // The comment holds the address the MTA saw; a bracketed name is only the client's own
    // claim (an address-literal HELO), except for Exim, which puts the address there itself.
    let ip = comments()
        .find_map(bracketed_ip)
        .or_else(|| bracketed_ip(name))?;
    let helo = comments().find_map(helo_parameter).unwrap_or(name);
    let receiver = parts
        .windows(2)
        .find_map(|w| match w {
            [Part::Word(by), Part::Word(host)] if by.eq_ignore_ascii_case("by") => {
                Some(host.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| "unknown".to_string());
    Some(ReceivedClient {
        ip,
        helo: helo.to_string(),
        receiver,
    })
}

/// The first `[address]` in a text (`[192.0.2.1]`, `[IPv6:2001:db8::1]`, `[192.0.2.1]:25`).
fn bracketed_ip(text: &str) -> Option<IpAddr> {
    let mut rest = text;
    while let Some(start) = rest.find('[') {
        let after = &rest[start + 1..];
        let end = after.find(']')?;
        let literal = &after[..end];
        let literal = match literal.get(..5) {
            Some(tag) if tag.eq_ignore_ascii_case("IPv6:") => &literal[5..],
            _ => literal,
        };
        if let Ok(ip) = literal.parse() {
            return Some(ip);
        }
        rest = &after[end + 1..];
    }
    None
}

/// The HELO name when a comment states it apart from the host name: Exim's `helo=NAME`, or a
/// comment `(EHLO NAME)` / `(HELO NAME)` as Yahoo and qmail write it.
fn helo_parameter(comment: &str) -> Option<&str> {
    let mut words = comment.split_whitespace();
    if let Some(first) = words.next()
        && (first.eq_ignore_ascii_case("EHLO") || first.eq_ignore_ascii_case("HELO"))
    {
        return words.next();
    }
    comment.split_whitespace().find_map(|t| {
        let value = match t.get(..5) {
            Some(key) if key.eq_ignore_ascii_case("helo=") => &t[5..],
            _ => return None,
        };
        Some(value.trim_end_matches([',', ')'])).filter(|v| !v.is_empty())
    })
}

/// The address of a `Return-Path:` value: `<a@b>`, `<>` (empty: the null sender), a bare
/// `a@b`, or `<@relay:a@b>` (a source route, dropped).
fn envelope_sender(value: &str) -> Option<String> {
    let value = value.trim();
    let inner = match value.strip_prefix('<') {
        Some(rest) => rest.split_once('>')?.0.trim(),
        None => value.split_whitespace().next()?,
    };
    let address = if inner.starts_with('@') {
        inner.split_once(':')?.1
    } else {
        inner
    };
    if address.is_empty() {
        return Some(String::new());
    }
    let (local, domain) = address.rsplit_once('@')?;
    let plausible = !local.is_empty()
        && !domain.is_empty()
        && !address.contains(|c: char| c.is_whitespace() || c == '<' || c == '>');
    plausible.then(|| address.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_auth::AuthenticatedMessage;

    fn facts(raw: &str) -> Result<SessionFacts, MissingTrace> {
        let message =
            AuthenticatedMessage::parse(raw.as_bytes()).unwrap_or_else(|| panic!("not a message"));
        session_facts(&message.headers)
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn postfix_records_helo_and_the_client_address_in_its_comment() {
        let raw = "Return-Path: <s-1@sender.test>\r\n\
            Delivered-To: seed@corp.test\r\n\
            Received: from smtp.sender.test (unknown [127.0.0.1])\r\n\
            \tby mx.corp.test (Postfix) with ESMTPS id 4XyZ1k2Q3rz9sWj\r\n\
            \tfor <seed@corp.test>; Fri, 28 Nov 2025 09:14:02 +0000 (UTC)\r\n\
            From: s-1@sender.test\r\n\r\nbody\r\n";
        assert_eq!(
            facts(raw),
            Ok(SessionFacts {
                client_ip: ip("127.0.0.1"),
                helo: "smtp.sender.test".into(),
                mail_from: "s-1@sender.test".into(),
                receiver: "mx.corp.test".into(),
            })
        );
    }

    #[test]
    fn an_address_literal_helo_is_the_helo_and_the_comment_is_the_client() {
        let client = received_client(
            "from [192.168.1.10] (dsl-203-0-113-5.example.net [203.0.113.5])\r\n\
             \tby mail.example.org (Postfix) with ESMTPSA id 1A2B3C; Mon, 3 Mar 2025 10:00:00 +0100",
        );
        assert_eq!(
            client,
            Some(ReceivedClient {
                ip: ip("203.0.113.5"),
                helo: "[192.168.1.10]".into(),
                receiver: "mail.example.org".into(),
            })
        );
    }

    #[test]
    fn ipv6_clients_are_read_with_or_without_their_tag() {
        let tagged = received_client(
            "from mail.example.com (mail.example.com [IPv6:2001:db8::25])\r\n\
             \tby mx.example.org (Postfix) with ESMTPS id 4Q; Mon, 3 Mar 2025 10:00:00 +0000",
        );
        assert_eq!(tagged.map(|c| c.ip), Some(ip("2001:db8::25")));
        let bare = received_client(
            "from mail.example.com (mail.example.com [2001:db8::26]) by mx.example.org",
        );
        assert_eq!(bare.map(|c| c.ip), Some(ip("2001:db8::26")));
    }

    #[test]
    fn gmail_s_own_hops_without_a_client_address_are_skipped() {
        let raw = "Delivered-To: seed@gmail.com\r\n\
            Received: by 2002:a05:6a10:a4c8:b0:5a1:1234:abcd with SMTP id ab12csp1234567pxb;\r\n\
            \x20       Mon, 14 Oct 2024 05:12:35 -0700 (PDT)\r\n\
            X-Received: by 2002:a17:907:7ea5:b0:a99:fe71:bd76 with SMTP id x5mr1234567ejc.1.1728907955;\r\n\
            \x20       Mon, 14 Oct 2024 05:12:35 -0700 (PDT)\r\n\
            Return-Path: <jane@example.com>\r\n\
            Received: from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])\r\n\
            \x20       by mx.google.com with SMTPS id a640c23a62f3a-a9a0f2b1c3esor123456766b.8.2024.10.14.05.12.34\r\n\
            \x20       for <seed@gmail.com>\r\n\
            \x20       (Google Transport Security);\r\n\
            \x20       Mon, 14 Oct 2024 05:12:34 -0700 (PDT)\r\n\
            Received-SPF: pass (google.com: domain of jane@example.com designates 209.85.220.41 as permitted sender) client-ip=209.85.220.41;\r\n\
            Received: by mail-sor-f41.google.com with SMTP id a640c23a62f3a-a9a0f2b1c3esor1234567b.8\r\n\
            \x20       for <seed@gmail.com>; Mon, 14 Oct 2024 05:12:34 -0700 (PDT)\r\n\
            From: Jane <jane@example.com>\r\n\r\nbody\r\n";
        assert_eq!(
            facts(raw),
            Ok(SessionFacts {
                client_ip: ip("209.85.220.41"),
                helo: "mail-sor-f41.google.com".into(),
                mail_from: "jane@example.com".into(),
                receiver: "mx.google.com".into(),
            })
        );
    }

    #[test]
    fn exim_names_the_helo_as_a_parameter() {
        let unnamed = received_client(
            "from [198.51.100.7] (helo=mta.example.net)\r\n\
             \tby mx.example.org with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384\r\n\
             \t(Exim 4.96) (envelope-from <a@example.net>) id 1tABCD-000123-4x\r\n\
             \tfor b@example.org; Mon, 03 Mar 2025 10:00:00 +0000",
        );
        assert_eq!(
            unnamed,
            Some(ReceivedClient {
                ip: ip("198.51.100.7"),
                helo: "mta.example.net".into(),
                receiver: "mx.example.org".into(),
            })
        );
        let named = received_client(
            "from host7.example.net ([198.51.100.7]:41234 helo=mta.example.net) by mx.example.org",
        );
        assert_eq!(named.map(|c| c.helo), Some("mta.example.net".to_string()));
    }

    #[test]
    fn yahoo_states_the_ehlo_in_its_own_comment_below_an_unbracketed_internal_hop() {
        let raw = "Received: from 10.217.150.241\r\n\
            \x20by atlas321.free.mail.ne1.yahoo.com with HTTP; Mon, 14 Oct 2024 12:00:01 +0000\r\n\
            Return-Path: <jane@example.com>\r\n\
            Received: from mail-wr1-f41.google.com (EHLO mail-wr1-f41.google.com) ([209.85.221.41])\r\n\
            \x20         by 10.217.150.241 (VZM Hermes SMTP Server) with ESMTPS ID 0123abcd;\r\n\
            \x20         Mon, 14 Oct 2024 12:00:00 +0000 (UTC)\r\n\
            From: jane@example.com\r\n\r\nbody\r\n";
        assert_eq!(
            facts(raw),
            Ok(SessionFacts {
                client_ip: ip("209.85.221.41"),
                helo: "mail-wr1-f41.google.com".into(),
                mail_from: "jane@example.com".into(),
                receiver: "10.217.150.241".into(),
            })
        );
        let other_helo = received_client(
            "from host.example.net (HELO relay.example.net) ([198.51.100.9]) by mx",
        );
        assert_eq!(
            other_helo.map(|c| c.helo),
            Some("relay.example.net".to_string())
        );
    }

    #[test]
    fn old_exchange_brackets_the_address_without_a_name() {
        let client = received_client(
            "from mail.example.com ([192.0.2.1]) by exch01.corp.example with Microsoft SMTPSVC(6.0.3790.4675);\r\n\
             \t Mon, 3 Mar 2025 10:00:00 +0100",
        );
        assert_eq!(
            client,
            Some(ReceivedClient {
                ip: ip("192.0.2.1"),
                helo: "mail.example.com".into(),
                receiver: "exch01.corp.example".into(),
            })
        );
    }

    #[test]
    fn current_exchange_hops_carry_no_bracketed_client_and_give_no_facts() {
        // Exchange Online writes its own internal hops above the edge's record; none brackets
        // an address, and the topmost unbracketed one is an internal relay, not the sender.
        let raw = "Received: from BY5PR17MB3907.namprd17.prod.outlook.com (2603:10b6:a03:23c::13)\r\n\
            \x20by SJ0PR17MB5512.namprd17.prod.outlook.com with HTTPS; Tue, 2 Jan 2024 10:00:00 +0000\r\n\
            Received: from DM6NAM11FT034.eop-nam11.prod.protection.outlook.com\r\n\
            \x20(2603:10b6:5:1b4:cafe::6a) by DM6PR02CA0123.outlook.office365.com\r\n\
            \x20(2603:10b6:5:1b4::25) with Microsoft SMTP Server (version=TLS1_2,\r\n\
            \x20cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7159.14 via Frontend\r\n\
            \x20Transport; Tue, 2 Jan 2024 10:00:00 +0000\r\n\
            Received: from mail-wm1-f41.google.com (209.85.128.41) by\r\n\
            \x20DM6NAM11FT034.mail.protection.outlook.com (10.13.173.29) with Microsoft SMTP\r\n\
            \x20Server (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.7159.9 via\r\n\
            \x20Frontend Transport; Tue, 2 Jan 2024 10:00:00 +0000\r\n\
            Return-Path: jane@example.com\r\n\
            From: jane@example.com\r\n\r\nbody\r\n";
        assert_eq!(facts(raw), Err(MissingTrace::ClientAddress));
    }

    #[test]
    fn brackets_outside_the_from_clause_do_not_count() {
        assert_eq!(
            received_client("by mx.example.org ([10.0.0.1]) with LMTP; Mon, 3 Mar 2025"),
            None
        );
        assert_eq!(
            received_client("from relay.example.net by mx.example.org ([10.0.0.1]) with SMTP"),
            None
        );
        assert_eq!(
            received_client("from relay.example.net (relay [not an address]) by mx"),
            None
        );
    }

    #[test]
    fn nested_comments_and_escapes_stay_inside_their_comment() {
        let client = received_client(
            "from a.example (comment (nested \\) by x) a.example [192.0.2.9]) by b.example",
        );
        assert_eq!(client.map(|c| c.ip), Some(ip("192.0.2.9")));
    }

    #[test]
    fn return_paths_in_every_shape() {
        assert_eq!(
            envelope_sender(" <a@example.com>\r\n"),
            Some("a@example.com".into())
        );
        assert_eq!(envelope_sender("<>"), Some(String::new()));
        assert_eq!(envelope_sender(" < > "), Some(String::new()));
        assert_eq!(
            envelope_sender("a@example.com"),
            Some("a@example.com".into())
        );
        assert_eq!(
            envelope_sender("<@relay.example:a@example.com>"),
            Some("a@example.com".into())
        );
        assert_eq!(
            envelope_sender("<bounce+x=y@example.com> (comment)"),
            Some("bounce+x=y@example.com".into())
        );
        assert_eq!(envelope_sender(""), None);
        assert_eq!(envelope_sender("<no-at-sign>"), None);
        assert_eq!(envelope_sender("<a@example.com"), None);
    }

    #[test]
    fn the_topmost_return_path_and_received_win() {
        let raw = "Return-Path: <>\r\n\
            Received: from first.example (first.example [192.0.2.1]) by mx.example.org\r\n\
            Return-Path: <older@example.com>\r\n\
            Received: from second.example (second.example [192.0.2.2]) by relay.example.org\r\n\
            From: MAILER-DAEMON@example.org\r\n\r\nbody\r\n";
        let f = facts(raw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.mail_from, "");
        assert_eq!(f.client_ip, ip("192.0.2.1"));
    }

    #[test]
    fn missing_facts_are_named() {
        let no_received = "Return-Path: <a@example.com>\r\nFrom: a@example.com\r\n\r\nx\r\n";
        assert_eq!(facts(no_received), Err(MissingTrace::ClientAddress));
        let no_return_path = "Received: from a.example (a.example [192.0.2.1]) by b.example\r\n\
            From: a@example.com\r\n\r\nx\r\n";
        assert_eq!(facts(no_return_path), Err(MissingTrace::ReturnPath));
        let bad = "Return-Path: nonsense\r\n\
            Received: from a.example (a.example [192.0.2.1]) by b.example\r\n\
            From: a@example.com\r\n\r\nx\r\n";
        assert_eq!(
            facts(bad),
            Err(MissingTrace::UnreadableReturnPath("nonsense".into()))
        );
    }
}

/// Trace headers are written by every hop a message passed, and forged by some: arbitrary
/// values never make the reader panic, and a Received header with a bracketed address always
/// yields that address.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // The cases run in a child process, stopped when one of them passes 10 s: a hang
        // fails the test instead of stalling the run.
        #![proptest_config(ProptestConfig { timeout: 10_000, ..ProptestConfig::default() })]

        #[test]
        fn any_trace_values_are_read_or_refused(
            received in proptest::collection::vec(any::<u8>(), 0..400),
            return_path in proptest::collection::vec(any::<u8>(), 0..200),
            nested in "[()\\\\a-z \\[\\]0-9.;:]{0,200}",
        ) {
            let headers: Vec<(&[u8], &[u8])> = vec![
                (b"Received", received.as_slice()),
                (b"Received", nested.as_bytes()),
                (b"Return-Path", return_path.as_slice()),
            ];
            let _ = session_facts(&headers);
        }

        #[test]
        fn a_bracketed_client_address_is_found(
            a in 1u8..255, b in 0u8..255, c in 0u8..255, d in 1u8..255,
            helo in "[a-z]{1,10}\\.[a-z]{2,6}",
            noise in "[a-z ]{0,30}",
            sender in "[a-z0-9]{1,12}",
        ) {
            let value = format!(
                "from {helo} ({noise} [{a}.{b}.{c}.{d}]) by mx.example (Postfix) with ESMTPS id X; Fri, 28 Nov 2025 09:14:02 +0000"
            );
            let path = format!("<{sender}@sender.example>");
            let headers: Vec<(&[u8], &[u8])> = vec![
                (b"Received", value.as_bytes()),
                (b"Return-Path", path.as_bytes()),
            ];
            let facts = session_facts(&headers);
            prop_assert!(facts.is_ok(), "{value}: {facts:?}");
            if let Ok(f) = facts {
                prop_assert_eq!(f.client_ip, IpAddr::from([a, b, c, d]));
                prop_assert_eq!(f.mail_from, format!("{sender}@sender.example"));
            }
        }
    }
}
