//! New messages: greeting, one to three sentences on one topic, an optional wish, a sign-off
//! and the sender's name.

use std::collections::HashSet;

use rand::Rng;

use super::bank::{Bank, Fill, pick};
use super::lang;
use super::{Draft, MAX_UNIQUE_TRIES, fingerprint};
use crate::email::plain_first_name;
use crate::language::Language;

/// A new message in `language`, signed with `sender_name` and addressed to `recipient_name`,
/// each shown as its plain first name (`email::plain_first_name`); an empty one, or one that is
/// no such name, gives a neutral greeting / no signature name.
pub fn compose(
    language: Language,
    sender_name: &str,
    recipient_name: &str,
    rng: &mut impl Rng,
) -> Draft {
    let bank = lang::bank(language.code());
    let sender = plain_first_name(sender_name);
    let recipient = plain_first_name(recipient_name);
    let fill = Fill::draw(&bank.slots, rng);
    let topic = bank
        .topics
        .get(rng.random_range(0..bank.topics.len().max(1)));

    let subject = topic
        .map(|t| fill.render(pick(t.subjects, rng), ""))
        .unwrap_or_default();
    let mut sentences = Vec::with_capacity(3);
    if rng.random_bool(0.5) {
        sentences.push(fill.render(pick(bank.openers, rng), ""));
    }
    if let Some(t) = topic {
        sentences.push(fill.render(pick(t.leads, rng), ""));
        sentences.push(fill.render(pick(t.follows, rng), ""));
    }
    sentences.retain(|s| !s.is_empty());

    let mut body = greeting(bank, &recipient, rng);
    body.push_str("\n\n");
    body.push_str(&sentences.join(bank.space));
    if rng.random_bool(0.5) {
        let wish = pick(bank.wishes, rng);
        if !wish.is_empty() {
            body.push_str("\n\n");
            body.push_str(wish);
        }
    }
    body.push_str("\n\n");
    body.push_str(&signature(bank, &sender, rng));

    Draft {
        subject,
        body,
        language,
    }
}

/// Composes until a draft's subject AND body fingerprints are both absent from `used`
/// (at most `MAX_UNIQUE_TRIES` tries, then returns the last), and inserts them.
pub fn compose_unique(
    language: Language,
    sender_name: &str,
    recipient_name: &str,
    used: &mut HashSet<u64>,
    rng: &mut impl Rng,
) -> Draft {
    let mut draft = compose(language, sender_name, recipient_name, rng);
    for _ in 1..MAX_UNIQUE_TRIES {
        if !used.contains(&fingerprint(&draft.subject)) && !used.contains(&fingerprint(&draft.body))
        {
            break;
        }
        draft = compose(language, sender_name, recipient_name, rng);
    }
    used.insert(fingerprint(&draft.subject));
    used.insert(fingerprint(&draft.body));
    draft
}

/// A greeting line for `to`, or a neutral one when `to` is empty.
pub(crate) fn greeting(bank: &Bank, to: &str, rng: &mut impl Rng) -> String {
    if to.is_empty() {
        pick(bank.plain_greetings, rng).to_string()
    } else {
        pick(bank.greetings, rng).replace("{to}", to)
    }
}

/// A sign-off line and, when there is one, the name under it.
pub(crate) fn signature(bank: &Bank, name: &str, rng: &mut impl Rng) -> String {
    let signoff = pick(bank.signoffs, rng);
    if name.is_empty() {
        signoff
            .trim_end_matches([',', '，', '、', '،', ' '])
            .to_string()
    } else {
        format!("{signoff}\n{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn english() -> &'static Bank {
        lang::bank(Language::english().code())
    }

    #[test]
    fn greeting_uses_the_name_or_a_neutral_line() {
        let mut rng = StdRng::seed_from_u64(3);
        assert!(greeting(english(), "Maya", &mut rng).contains("Maya"));
        let plain = greeting(english(), "", &mut rng);
        assert!(english().plain_greetings.contains(&plain.as_str()));
    }

    #[test]
    fn signature_without_a_name_drops_the_trailing_comma() {
        let mut rng = StdRng::seed_from_u64(4);
        let named = signature(english(), "Maya", &mut rng);
        assert!(named.ends_with("\nMaya"));
        let bare = signature(english(), "", &mut rng);
        assert!(!bare.contains('\n') && !bare.ends_with(','), "{bare:?}");
    }
}
