//! Replies: `Re: ` once before the original subject, a short answer signed by the replier, then
//! a localized attribution line and the original body quoted line by line.

use chrono::{DateTime, Utc};
use rand::Rng;

use super::Draft;
use super::bank::{Fill, pick};
use super::compose::{greeting, signature};
use super::lang;
use crate::email::plain_first_name;
use crate::language::Language;

/// The prefix of every reply subject, whatever the language.
pub const REPLY_PREFIX: &str = "Re: ";

/// Reply and forward-free answer prefixes used by mail clients, lower case, without the colon.
const KNOWN_PREFIXES: [&str; 16] = [
    "re", "aw", "sv", "vs", "antw", "odp", "ynt", "res", "rif", "r", "vá", "atb", "回复", "答复",
    "回覆", "답장",
];

/// A reply in the same language: subject with the reply prefix (`Re: ` — kept exactly `Re: `
/// for every language, added once, never `Re: Re: `), a short natural answer, the replier's
/// name, then a localized attribution line ("On {date}, {name} wrote:" in that language) and
/// the original body quoted with "> " on each line. Names show as plain first names, as in
/// `compose`; the quoted body is the caller's to vouch for.
pub fn compose_reply(
    language: Language,
    original_subject: &str,
    original_body: &str,
    original_sender_name: &str,
    original_date: DateTime<Utc>,
    replier_name: &str,
    rng: &mut impl Rng,
) -> Draft {
    let bank = lang::bank(language.code());
    let original_sender = plain_first_name(original_sender_name);
    let replier = plain_first_name(replier_name);
    let fill = Fill::draw(&bank.slots, rng);

    let answer = [pick(bank.acks, rng), pick(bank.answers, rng)]
        .iter()
        .map(|t| fill.render(t, ""))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(bank.space);
    let date = original_date.format(bank.date_format).to_string();
    let attribution = if original_sender.is_empty() {
        bank.attribution_anon.replace("{date}", &date)
    } else {
        bank.attribution
            .replace("{date}", &date)
            .replace("{name}", &original_sender)
    };

    let mut body = greeting(bank, &original_sender, rng);
    body.push_str("\n\n");
    body.push_str(&answer);
    body.push_str("\n\n");
    body.push_str(&signature(bank, &replier, rng));
    body.push_str("\n\n");
    body.push_str(&attribution);
    body.push('\n');
    body.push_str(&quote(original_body));

    Draft {
        subject: reply_subject(original_subject),
        body,
        language,
    }
}

/// `Re: ` and the subject without any reply prefixes it already had ("Re: Re: x", "AW: x").
pub fn reply_subject(original: &str) -> String {
    let one_line = original.split_whitespace().collect::<Vec<_>>().join(" ");
    let base = strip_reply_prefixes(&one_line);
    if base.is_empty() {
        REPLY_PREFIX.trim_end().to_string()
    } else {
        format!("{REPLY_PREFIX}{base}")
    }
}

/// The subject with leading reply prefixes ("Re:", "RE[2]:", "Aw:", "回复：") removed.
fn strip_reply_prefixes(subject: &str) -> &str {
    let mut rest = subject.trim();
    while let Some((head, tail)) = rest.split_once([':', '：']) {
        let word = head
            .trim()
            .trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '[' | ']' | '(' | ')'))
            .to_lowercase();
        if !KNOWN_PREFIXES.contains(&word.as_str()) {
            break;
        }
        rest = tail.trim_start();
    }
    rest
}

/// Every line of `body` with "> " in front (a line that was already quoted gets "> > ").
pub fn quote(body: &str) -> String {
    body.lines()
        .map(|line| format!("> {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_subject_adds_one_prefix_and_drops_older_ones() {
        assert_eq!(reply_subject("Lunch on Friday?"), "Re: Lunch on Friday?");
        assert_eq!(reply_subject("Re: Lunch"), "Re: Lunch");
        assert_eq!(reply_subject("RE: re:Re: Lunch"), "Re: Lunch");
        assert_eq!(reply_subject("Re[2]: AW: Sv: Lunch"), "Re: Lunch");
        assert_eq!(reply_subject("回复：午饭"), "Re: 午饭");
        assert_eq!(
            reply_subject("Budget: next steps"),
            "Re: Budget: next steps"
        );
        assert_eq!(reply_subject("  "), "Re:");
        assert_eq!(reply_subject("Re: two\r\nlines"), "Re: two lines");
    }

    #[test]
    fn quote_prefixes_every_line() {
        assert_eq!(quote("Hi,\n\nThanks\r\nAnn"), "> Hi,\n> \n> Thanks\n> Ann");
        assert_eq!(quote("> old"), "> > old");
    }
}
