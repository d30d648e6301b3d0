//! The building blocks of warmup mail in one language, and how a template's slots are filled.
//!
//! Templates are plain text with placeholders: `{to}` (the addressee, greetings only) and the
//! slots `{day}`, `{time}`, `{place}`, `{food}`, `{project}`, `{activity}`, `{item}`. Each language
//! writes its slot values in the one grammatical form its own templates need (an English `{day}`
//! is "on Friday", a Russian `{project}` is in the genitive), so no inflection happens here.

use rand::Rng;
use rand::seq::IndexedRandom;

/// Slot names, in the order of `Slots::lists` and `Fill::values`.
pub(crate) const SLOT_NAMES: [&str; 7] = [
    "day", "time", "place", "food", "project", "activity", "item",
];

/// One thing to write about: subject lines, a first sentence and a second sentence.
pub(crate) struct Topic {
    pub subjects: &'static [&'static str],
    pub leads: &'static [&'static str],
    pub follows: &'static [&'static str],
}

/// Word lists for the slots, each value in the form the language's templates use.
pub(crate) struct Slots {
    /// When, with a day: "on Friday", "tomorrow".
    pub day: &'static [&'static str],
    /// When, within a day: "around noon", "after lunch".
    pub time: &'static [&'static str],
    /// Where: "at the café on the corner".
    pub place: &'static [&'static str],
    /// Something to eat or drink.
    pub food: &'static [&'static str],
    /// A piece of work: "the quarterly report".
    pub project: &'static [&'static str],
    /// Something done at the weekend.
    pub activity: &'static [&'static str],
    /// Something to recommend: a book, a film, a podcast.
    pub item: &'static [&'static str],
}

impl Slots {
    /// The lists in `SLOT_NAMES` order.
    pub(crate) fn lists(&self) -> [&'static [&'static str]; 7] {
        [
            self.day,
            self.time,
            self.place,
            self.food,
            self.project,
            self.activity,
            self.item,
        ]
    }
}

/// Everything one language needs to write a message or a reply.
pub(crate) struct Bank {
    /// ISO 639-1 code of the language the bank is written in.
    pub code: &'static str,
    /// Greetings with `{to}`.
    pub greetings: &'static [&'static str],
    /// Greetings without a name.
    pub plain_greetings: &'static [&'static str],
    /// Optional first sentence: small talk.
    pub openers: &'static [&'static str],
    pub topics: &'static [Topic],
    /// Optional line before the sign-off: "Have a good week!".
    pub wishes: &'static [&'static str],
    /// Sign-off lines, followed by the sender's name on the next line.
    pub signoffs: &'static [&'static str],
    /// First sentence of a reply.
    pub acks: &'static [&'static str],
    /// Second sentence of a reply; may use slots.
    pub answers: &'static [&'static str],
    /// Attribution above a quote, with `{date}` and `{name}`.
    pub attribution: &'static str,
    /// Attribution when the original sender has no name, with `{date}`.
    pub attribution_anon: &'static str,
    /// chrono format of `{date}` in attributions.
    pub date_format: &'static str,
    /// What goes between two sentences: a space, or nothing in Chinese and Japanese.
    pub space: &'static str,
    pub slots: Slots,
}

/// One value per slot, drawn once per draft so that subject and body agree.
pub(crate) struct Fill {
    values: [&'static str; 7],
}

impl Fill {
    /// Draws a value for every slot.
    pub(crate) fn draw(slots: &Slots, rng: &mut impl Rng) -> Self {
        let lists = slots.lists();
        let mut values = [""; 7];
        for (value, list) in values.iter_mut().zip(lists) {
            *value = pick(list, rng);
        }
        Self { values }
    }

    /// The template with its placeholders replaced; `{to}` becomes `to`, unknown ones stay.
    pub(crate) fn render(&self, template: &str, to: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open..];
            let Some(close) = after.find('}') else {
                out.push_str(after);
                return out;
            };
            let name = &after[1..close];
            match self.value(name) {
                Some(v) => out.push_str(v),
                None if name == "to" => out.push_str(to),
                None => out.push_str(&after[..=close]),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    fn value(&self, name: &str) -> Option<&'static str> {
        SLOT_NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| self.values[i])
    }
}

/// A uniformly chosen element, or "" from an empty list.
pub(crate) fn pick(list: &[&'static str], rng: &mut impl Rng) -> &'static str {
    list.choose(rng).copied().unwrap_or("")
}

/// The placeholder names a template uses, in order of appearance.
#[cfg(test)]
pub(crate) fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            break;
        };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}

/// Checks and counts over a whole bank, for the tests.
#[cfg(test)]
impl Bank {
    /// Every template and slot value of the bank, for checks over the whole text.
    pub(crate) fn all_texts(&self) -> Vec<&'static str> {
        let mut all: Vec<&'static str> = Vec::new();
        for list in [
            self.greetings,
            self.plain_greetings,
            self.openers,
            self.wishes,
            self.signoffs,
            self.acks,
            self.answers,
        ] {
            all.extend_from_slice(list);
        }
        for t in self.topics {
            all.extend_from_slice(t.subjects);
            all.extend_from_slice(t.leads);
            all.extend_from_slice(t.follows);
        }
        for list in self.slots.lists() {
            all.extend_from_slice(list);
        }
        all.push(self.attribution);
        all.push(self.attribution_anon);
        all
    }

    /// Size of the slot list behind a placeholder name; 1 for anything that is not a slot.
    fn slot_size(&self, name: &str) -> u128 {
        SLOT_NAMES
            .iter()
            .position(|n| *n == name)
            .map_or(1, |i| self.slots.lists()[i].len() as u128)
    }

    /// Distinct (subject, body) pairs `compose` can write with a named addressee and sender:
    /// the frame around the content times the content itself.
    pub(crate) fn combinations(&self) -> u128 {
        self.frame_combinations() * self.content_combinations()
    }

    /// Ways to frame the content: greeting, optional opener, optional wish, sign-off.
    pub(crate) fn frame_combinations(&self) -> u128 {
        let len = |l: &[&str]| l.len() as u128;
        len(self.greetings) * (len(self.openers) + 1) * (len(self.wishes) + 1) * len(self.signoffs)
    }

    /// Distinct (subject, first sentence, second sentence) texts with their slots filled, slots
    /// shared by subject and sentences counted once.
    pub(crate) fn content_combinations(&self) -> u128 {
        let mut content: u128 = 0;
        for t in self.topics {
            for s in t.subjects {
                for l in t.leads {
                    for f in t.follows {
                        let mut names: Vec<&str> = placeholders(s);
                        names.extend(placeholders(l));
                        names.extend(placeholders(f));
                        names.sort_unstable();
                        names.dedup();
                        content += names.iter().map(|n| self.slot_size(n)).product::<u128>();
                    }
                }
            }
        }
        content
    }

    /// Every subject line `compose` can write, rendered.
    pub(crate) fn all_subjects(&self) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        for t in self.topics {
            for s in t.subjects {
                let mut partial = vec![(*s).to_string()];
                for (i, name) in SLOT_NAMES.iter().enumerate() {
                    let key = format!("{{{name}}}");
                    if !s.contains(&key) {
                        continue;
                    }
                    let list = self.slots.lists()[i];
                    partial = partial
                        .iter()
                        .flat_map(|p| list.iter().map(|v| p.replace(&key, v)))
                        .collect();
                }
                out.extend(partial);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    const SLOTS: Slots = Slots {
        day: &["on Monday", "on Friday"],
        time: &["at ten"],
        place: &["in the park"],
        food: &["soup"],
        project: &["the report", "the site", "the plan"],
        activity: &["swam"],
        item: &["a book"],
    };

    const TOPICS: &[Topic] = &[Topic {
        subjects: &["Coffee {day}?", "Hello"],
        leads: &["Coffee {day} {time}?"],
        follows: &["About {project}.", "Fine."],
    }];

    const BANK: Bank = Bank {
        code: "en",
        greetings: &["Hi {to},"],
        plain_greetings: &["Hi,"],
        openers: &["Hope you are well."],
        topics: TOPICS,
        wishes: &[],
        signoffs: &["Best,", "Cheers,"],
        acks: &["Thanks!"],
        answers: &["Sure."],
        attribution: "On {date}, {name} wrote:",
        attribution_anon: "On {date}:",
        date_format: "%Y-%m-%d",
        space: " ",
        slots: SLOTS,
    };

    #[test]
    fn render_fills_slots_and_the_addressee_and_keeps_unknown_placeholders() {
        let mut rng = StdRng::seed_from_u64(1);
        let fill = Fill::draw(&SLOTS, &mut rng);
        let text = fill.render("Hi {to}, {time} {place} {nope} {", "Ann");
        assert_eq!(text, "Hi Ann, at ten in the park {nope} {");
    }

    #[test]
    fn pick_from_an_empty_list_is_empty() {
        let mut rng = StdRng::seed_from_u64(1);
        assert_eq!(pick(&[], &mut rng), "");
        assert_eq!(pick(&["a"], &mut rng), "a");
    }

    #[test]
    fn placeholders_are_listed_in_order() {
        assert_eq!(placeholders("{a} x {b}{c} {"), ["a", "b", "c"]);
        assert!(placeholders("none").is_empty());
    }

    #[test]
    fn lists_follow_slot_names() {
        assert_eq!(SLOTS.lists()[4].len(), 3);
        assert_eq!(SLOT_NAMES[4], "project");
    }

    #[test]
    fn all_texts_covers_every_list() {
        let all = BANK.all_texts();
        assert!(all.contains(&"Coffee {day}?"));
        assert!(all.contains(&"the plan"));
        assert!(all.contains(&"On {date}:"));
    }

    #[test]
    fn combinations_multiply_choices_and_count_shared_slots_once() {
        // frame: 1 greeting * 2 (opener or not) * 1 (no wishes) * 2 sign-offs = 4
        assert_eq!(BANK.frame_combinations(), 4);
        // content: the lead always draws day and time (2 * 1); the first follow adds the
        // project (3), the second nothing; both subjects reuse the lead's day: 2 * (6 + 2)
        assert_eq!(BANK.content_combinations(), 16);
        assert_eq!(BANK.combinations(), 4 * 16);
    }

    #[test]
    fn all_subjects_are_rendered() {
        let subjects = BANK.all_subjects();
        assert_eq!(subjects.len(), 3);
        assert!(subjects.contains("Coffee on Friday?"));
    }
}
