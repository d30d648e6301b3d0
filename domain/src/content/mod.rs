//! Warmup mail content: short, plain-text messages between colleagues and acquaintances, in
//! every supported language, with replies that quote the original. Pure: the caller passes the
//! random number generator (and the original date for replies), nothing here does I/O.
//!
//! Each language has a bank of building blocks (greetings, openers, topics with subject and
//! sentence templates, wishes, sign-offs, reply sentences and slot word lists); a draft picks one
//! of each and fills the slots, so that subject and body talk about the same day, place or project.

mod bank;
mod compose;
pub(crate) mod lang;
mod reply;

use serde::{Deserialize, Serialize};

use crate::language::Language;

pub use compose::{compose, compose_unique};
pub use reply::compose_reply;

/// How many drafts `compose_unique` tries before it settles for the last one.
pub const MAX_UNIQUE_TRIES: usize = 64;

/// A message ready to be sent: plain UTF-8 text, lines separated by `\n`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub subject: String,
    pub body: String,
    pub language: Language,
}

/// Stable 64-bit FNV-1a fingerprint of a text's UTF-8 bytes, used for "no repeats within a day".
pub fn fingerprint(text: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    text.bytes()
        .fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests;
