//! Tests of the public content API over every supported language.

use std::collections::HashSet;

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::bank::{SLOT_NAMES, placeholders};
use super::reply::{REPLY_PREFIX, reply_subject};
use super::*;
use crate::language::SUPPORTED;

const SENDER: &str = "Mira";
const RECIPIENT: &str = "Jonas";

fn lang(code: &str) -> Language {
    code.parse()
        .unwrap_or_else(|e| panic!("{code} should parse: {e}"))
}

fn languages() -> impl Iterator<Item = Language> {
    SUPPORTED.iter().map(|c| lang(c))
}

/// Why a text would not pass as warmup mail, if it would not.
fn problem(text: &str, allow_quotes: bool) -> Option<String> {
    let lower = text.to_lowercase();
    for bad in ["http", "www", "@", "$", "{", "}", "<"] {
        if lower.contains(bad) {
            return Some(format!("contains {bad:?}"));
        }
    }
    for line in text.lines() {
        let rest = if allow_quotes {
            line.trim_start_matches("> ")
        } else {
            line
        };
        if rest.contains('>') {
            return Some(format!("'>' outside a quote prefix in {line:?}"));
        }
    }
    let shouting = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_uppercase()));
    if let Some(word) = shouting {
        return Some(format!("ALL-CAPS word {word:?}"));
    }
    None
}

#[test]
fn fingerprint_is_fnv1a_64() {
    assert_eq!(fingerprint(""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fingerprint("a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fingerprint("foobar"), 0x8594_4171_f739_67e8);
    assert_ne!(fingerprint("Lunch?"), fingerprint("Lunch!"));
}

#[test]
fn every_language_has_its_own_complete_bank() {
    for language in languages() {
        let bank = lang::bank(language.code());
        assert_eq!(bank.code, language.code());
        assert!(!bank.greetings.is_empty() && !bank.plain_greetings.is_empty());
        assert!(!bank.openers.is_empty() && !bank.wishes.is_empty());
        assert!(!bank.signoffs.is_empty() && !bank.acks.is_empty() && !bank.answers.is_empty());
        assert!(bank.topics.len() >= 8, "{language}: few topics");
        for t in bank.topics {
            assert!(
                !t.subjects.is_empty() && !t.leads.is_empty() && !t.follows.is_empty(),
                "{language}: empty topic part"
            );
        }
        for list in bank.slots.lists() {
            assert!(list.len() >= 5, "{language}: short slot list {list:?}");
            let distinct: HashSet<_> = list.iter().collect();
            assert_eq!(
                distinct.len(),
                list.len(),
                "{language}: repeated slot value"
            );
        }
        assert!(bank.attribution.contains("{date}") && bank.attribution.contains("{name}"));
        assert!(bank.attribution_anon.contains("{date}"));
    }
}

#[test]
fn templates_use_only_known_placeholders() {
    for language in languages() {
        let bank = lang::bank(language.code());
        for g in bank.greetings {
            assert_eq!(placeholders(g), ["to"], "{language}: {g}");
        }
        for text in bank.all_texts() {
            for name in placeholders(text) {
                let known = SLOT_NAMES.contains(&name)
                    || name == "to"
                    || ((name == "date" || name == "name") && text.contains("{date}"));
                assert!(known, "{language}: unknown {{{name}}} in {text:?}");
            }
            if !bank.greetings.contains(&text) {
                assert!(!text.contains("{to}"), "{language}: {{to}} in {text:?}");
            }
            let stripped = text
                .replace("{date}", "")
                .replace("{name}", "")
                .replace("{to}", "");
            let clean = SLOT_NAMES
                .iter()
                .fold(stripped, |t, n| t.replace(&format!("{{{n}}}"), ""));
            assert_eq!(problem(&clean, false), None, "{language}: {text:?}");
            assert_eq!(text.trim(), text, "{language}: stray space in {text:?}");
        }
    }
}

#[test]
fn banks_avoid_spam_words() {
    let spam: &[(&str, &[&str])] = &[
        (
            "en",
            &[
                "free",
                "offer",
                "discount",
                "click",
                "winner",
                "prize",
                "cash",
                "buy ",
                "urgent",
                "guarantee",
                "deal",
            ],
        ),
        (
            "de",
            &[
                "gratis",
                "kostenlos",
                "angebot",
                "rabatt",
                "klick",
                "gewinn",
            ],
        ),
        (
            "fr",
            &["gratuit", "offre", "remise", "cliqu", "gagnant", "promo"],
        ),
        (
            "es",
            &[
                "gratis",
                "oferta",
                "descuento",
                "clic",
                "ganador",
                "promoción",
            ],
        ),
        (
            "pt",
            &[
                "grátis",
                "oferta",
                "desconto",
                "clique",
                "vencedor",
                "promoção",
            ],
        ),
        (
            "it",
            &[
                "gratis",
                "offerta",
                "sconto",
                "clicca",
                "vincitore",
                "promozione",
            ],
        ),
    ];
    for (code, words) in spam {
        let bank = lang::bank(lang(code).code());
        for text in bank.all_texts() {
            let lower = text.to_lowercase();
            for w in *words {
                assert!(!lower.contains(w), "{code}: {w:?} in {text:?}");
            }
        }
    }
}

#[test]
fn every_subject_is_short() {
    let mut long = Vec::new();
    for language in languages() {
        for subject in lang::bank(language.code()).all_subjects() {
            let words = subject
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            // Chinese and Japanese do not put spaces between words, Thai only between phrases,
            // and Vietnamese between syllables.
            let short = match language.code() {
                "ja" | "zh" => subject.chars().count() <= 24 && words <= 3,
                "th" => subject.chars().count() <= 45 && words <= 4,
                "vi" => (2..=12).contains(&words),
                _ => (2..=8).contains(&words),
            };
            if !short || subject.ends_with(['.', ',', ':']) {
                long.push(format!("{language}: {subject:?} ({words} words)"));
            }
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}

#[test]
fn every_language_composes_clean_text_signed_by_the_sender() {
    for language in languages() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..300 {
            let d = compose(language, SENDER, RECIPIENT, &mut rng);
            assert_eq!(d.language, language);
            assert!(!d.subject.trim().is_empty(), "{language}: empty subject");
            assert!(!d.body.trim().is_empty(), "{language}: empty body");
            assert!(
                d.body.contains(SENDER),
                "{language}: no sender in {}",
                d.body
            );
            assert!(
                d.body.contains(RECIPIENT),
                "{language}: no recipient in {}",
                d.body
            );
            assert!(
                d.body.trim_end().ends_with(SENDER),
                "{language}: {}",
                d.body
            );
            assert_eq!(
                problem(&d.subject, false),
                None,
                "{language}: {}",
                d.subject
            );
            assert_eq!(problem(&d.body, false), None, "{language}: {}", d.body);
            assert!(!d.subject.contains('\n'));
            assert!(!d.body.contains("\n\n\n"), "{language}: {:?}", d.body);
        }
    }
}

#[test]
fn without_names_the_greeting_is_neutral_and_there_is_no_signature_name() {
    for language in languages() {
        let bank = lang::bank(language.code());
        let mut rng = StdRng::seed_from_u64(11);
        for _ in 0..20 {
            let d = compose(language, "", "", &mut rng);
            let first = d.body.lines().next().unwrap_or_default();
            assert!(
                bank.plain_greetings.contains(&first),
                "{language}: {first:?}"
            );
            let last = d.body.lines().last().unwrap_or_default();
            assert!(
                bank.signoffs
                    .iter()
                    .any(|s| s.starts_with(last) && !last.is_empty()),
                "{language}: {last:?}"
            );
        }
    }
}

#[test]
fn fifty_unique_drafts_per_language_have_distinct_subjects_and_bodies() {
    for language in languages() {
        for seed in [1u64, 2, 3, 42, 2026] {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut used = HashSet::new();
            let mut subjects = HashSet::new();
            let mut bodies = HashSet::new();
            for _ in 0..50 {
                let d = compose_unique(language, SENDER, RECIPIENT, &mut used, &mut rng);
                assert!(used.contains(&fingerprint(&d.subject)));
                assert!(used.contains(&fingerprint(&d.body)));
                subjects.insert(d.subject);
                bodies.insert(d.body);
            }
            assert_eq!(
                subjects.len(),
                50,
                "{language}, seed {seed}: repeated subject"
            );
            assert_eq!(bodies.len(), 50, "{language}, seed {seed}: repeated body");
        }
    }
}

#[test]
fn every_language_has_well_over_ten_thousand_combinations() {
    let mut table = Vec::new();
    for language in languages() {
        let bank = lang::bank(language.code());
        let combinations = bank.combinations();
        let content = bank.content_combinations();
        let frame = bank.frame_combinations();
        let subjects = bank.all_subjects().len();
        table.push(format!(
            "{language}: {combinations} combinations ({content} contents x {frame} frames), \
             {subjects} subjects"
        ));
        assert!(content >= 10_000, "{language}: {content} contents");
        assert!(combinations >= 1_000_000, "{language}: {combinations}");
        assert!(subjects >= 100, "{language}: {subjects} subjects");
    }
    eprintln!("{}", table.join("\n"));
}

fn original() -> (String, String) {
    let mut rng = StdRng::seed_from_u64(5);
    let d = compose(Language::english(), "Ada", "Ben", &mut rng);
    (d.subject, d.body)
}

#[test]
fn replies_quote_the_original_and_prefix_the_subject_once() {
    let date = Utc
        .with_ymd_and_hms(2026, 3, 14, 9, 26, 0)
        .single()
        .unwrap_or_else(|| panic!("valid date"));
    for language in languages() {
        let mut rng = StdRng::seed_from_u64(9);
        let first = compose(language, "Ada", "Ben", &mut rng);
        let reply = compose_reply(
            language,
            &first.subject,
            &first.body,
            "Ada",
            date,
            "Ben",
            &mut rng,
        );
        assert_eq!(reply.language, language);
        assert!(reply.subject.starts_with(REPLY_PREFIX), "{}", reply.subject);
        assert!(!reply.subject[REPLY_PREFIX.len()..].starts_with("Re:"));
        assert_eq!(reply.subject, format!("Re: {}", first.subject));
        for line in first.body.lines() {
            assert!(
                reply.body.contains(&format!("> {line}")),
                "{language}: {line:?} not quoted"
            );
        }
        let (head, quoted) = reply
            .body
            .split_once("\n> ")
            .unwrap_or_else(|| panic!("{language}: no quote in {}", reply.body));
        assert!(head.contains("Ada"), "{language}: no original sender");
        assert!(head.contains("Ben"), "{language}: no replier");
        assert!(head.contains("2026"), "{language}: no date");
        assert!(format!("> {quoted}").lines().all(|l| l.starts_with("> ")));
        assert_eq!(
            problem(&reply.body, true),
            None,
            "{language}: {}",
            reply.body
        );

        let again = compose_reply(
            language,
            &reply.subject,
            &reply.body,
            "Ben",
            date,
            "Ada",
            &mut rng,
        );
        assert_eq!(again.subject, reply.subject, "{language}: Re: Re:");
        assert!(again.body.contains("> > "), "{language}: nested quote");
    }
    assert_eq!(reply_subject("RE: Re: Aw: x"), "Re: x");
}

#[test]
fn reply_to_an_unnamed_sender_uses_a_neutral_attribution() {
    let (subject, body) = original();
    let date = Utc
        .timestamp_opt(1_700_000_000, 0)
        .single()
        .unwrap_or_default();
    for language in languages() {
        let mut rng = StdRng::seed_from_u64(13);
        let reply = compose_reply(language, &subject, &body, "", date, "", &mut rng);
        let bank = lang::bank(language.code());
        let first = reply.body.lines().next().unwrap_or_default();
        assert!(
            bank.plain_greetings.contains(&first),
            "{language}: {first:?}"
        );
        let stamp = date.format(bank.date_format).to_string();
        let attribution = bank.attribution_anon.replace("{date}", &stamp);
        assert!(
            reply.body.contains(&format!("\n\n{attribution}\n> ")),
            "{language}: {}",
            reply.body
        );
        assert!(!reply.body.contains("{name}"), "{language}");
        let first_original = body.lines().next().unwrap_or_default();
        assert!(
            reply.body.contains(&format!("> {first_original}")),
            "{language}: original not quoted"
        );
        assert_eq!(problem(&reply.body, true), None, "{language}");
    }
}

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    ranges
        .iter()
        .any(|(a, b)| (*a..=*b).contains(&u32::from(c)))
}

const LATIN: &[(u32, u32)] = &[(0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF)];
const CYRILLIC: &[(u32, u32)] = &[(0x400, 0x4FF)];
const HAN: &[(u32, u32)] = &[(0x3400, 0x4DBF), (0x4E00, 0x9FFF)];
const KANA: &[(u32, u32)] = &[(0x3040, 0x30FF)];

/// The script a language is written in, as ranges of code points.
fn script(code: &str) -> Vec<(u32, u32)> {
    match code {
        "ar" => vec![(0x600, 0x6FF)],
        "he" => vec![(0x590, 0x5FF)],
        "el" => vec![(0x370, 0x3FF), (0x1F00, 0x1FFF)],
        "bg" | "ru" | "uk" => CYRILLIC.to_vec(),
        "hi" => vec![(0x900, 0x97F)],
        "th" => vec![(0xE00, 0xE7F)],
        "zh" => HAN.to_vec(),
        "ja" => [HAN, KANA].concat(),
        "ko" => vec![(0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3130, 0x318F)],
        _ => LATIN.to_vec(),
    }
}

/// Letters a text in the language is likely to contain at least once over a few messages.
fn markers(code: &str) -> &'static [&'static str] {
    match code {
        "cs" => &["ě", "ř", "ů", "č"],
        "da" | "no" => &["æ", "ø", "å"],
        "de" => &["ä", "ö", "ü", "ß"],
        "en" => &[" the ", " you"],
        "es" => &["ñ", "¿", "á", "é", "ó"],
        "et" => &["õ", "ä", "ü"],
        "fi" => &["ä", "ö"],
        "fr" => &["é", "è", "ç", "ê", "à"],
        "hr" => &["č", "ć", "đ", "ž", "š"],
        "hu" => &["ő", "ű", "á", "é"],
        "id" | "ms" => &[" yang ", " kita", " saya", " dan "],
        "it" => &["à", "è", "ò", "ù", " che "],
        "lt" => &["ą", "ė", "į", "ų", "ū", "š"],
        "lv" => &["ā", "ē", "ī", "ū", "ņ", "ļ"],
        "nl" => &["ij", " de ", " het "],
        "pl" => &["ą", "ę", "ł", "ś", "ż"],
        "pt" => &["ã", "õ", "ç", "é"],
        "ro" => &["ă", "ș", "ț", "î", "â"],
        "sk" => &["ä", "ľ", "ô", "ý", "č"],
        "sl" => &["č", "š", "ž"],
        "sv" => &["å", "ä", "ö"],
        "tr" => &["ğ", "ş", "ı", "ç"],
        "vi" => &["ơ", "ư", "đ", "ạ", "ố"],
        "ja" => &["の", "す", "ま"],
        _ => &[""],
    }
}

#[test]
fn text_is_written_in_the_script_of_its_language() {
    for language in languages() {
        let code = language.code();
        let ranges = script(code);
        let mut rng = StdRng::seed_from_u64(17);
        let mut all = String::new();
        for _ in 0..40 {
            let d = compose(language, "", "", &mut rng);
            let text = format!("{}\n{}", d.subject, d.body);
            let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
            let native = letters.iter().filter(|c| in_ranges(**c, &ranges)).count();
            assert!(
                native * 100 >= letters.len() * 90,
                "{code}: only {native} of {} letters in script: {text}",
                letters.len()
            );
            all.push_str(&text);
        }
        let found = markers(code).iter().any(|m| all.contains(m));
        assert!(found, "{code}: none of {:?} in {all}", markers(code));
        if code == "zh" {
            assert!(!all.chars().any(|c| in_ranges(c, KANA)), "zh with kana");
        }
        if code == "ja" {
            assert!(all.chars().any(|c| in_ranges(c, KANA)), "ja without kana");
        }
    }
}

proptest! {
    #[test]
    fn compose_never_panics(
        seed in any::<u64>(),
        index in 0usize..SUPPORTED.len(),
        sender in ".{0,24}",
        recipient in ".{0,24}",
        subject in ".{0,40}",
        body in ".{0,200}",
    ) {
        let language = lang(SUPPORTED[index]);
        let mut rng = StdRng::seed_from_u64(seed);
        let d = compose(language, &sender, &recipient, &mut rng);
        prop_assert!(!d.subject.is_empty() && !d.body.is_empty());
        let mut used = HashSet::new();
        let u = compose_unique(language, &sender, &recipient, &mut used, &mut rng);
        prop_assert_eq!(used.len(), 2 - usize::from(u.subject == u.body));
        let date = Utc.timestamp_opt(i64::from(seed as u32), 0).single().unwrap_or_default();
        let r = compose_reply(language, &subject, &body, &sender, date, &recipient, &mut rng);
        prop_assert!(r.subject.starts_with("Re:"));
        prop_assert!(!r.subject.contains("Re: Re:"));
    }
}

/// Display names are the tenant's free text: whatever one says, a message shows at most its
/// plain first name, so seeds that quote a thread never carry a link or a slogan.
#[test]
fn a_display_name_shows_only_as_a_plain_first_name() {
    let date = Utc
        .timestamp_opt(1_700_000_000, 0)
        .single()
        .unwrap_or_default();
    let cases = [
        ("Visit https://evil.example now", Some("Visit")),
        ("https://evil.example/x", None),
        ("Buy now at evil.example", Some("Buy")),
        ("evil.example", None),
        ("Anna-Lena Berg", None),
        ("Zoë\u{202e}", None),
    ];
    for language in languages() {
        for (name, shown) in cases {
            let mut rng = StdRng::seed_from_u64(21);
            let first = compose(language, name, name, &mut rng);
            let reply = compose_reply(
                language,
                &first.subject,
                "Hello",
                name,
                date,
                name,
                &mut rng,
            );
            for text in [&first.body, &reply.body] {
                for word in ["evil", "http", "Buy now", "Lena"] {
                    assert!(!text.contains(word), "{language} {name:?}: {text}");
                }
                if let Some(shown) = shown {
                    assert!(text.contains(shown), "{language} {name:?}: {text}");
                }
            }
        }
    }
}
