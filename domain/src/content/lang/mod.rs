//! The banks, one file per language.

mod de;
mod en;
mod es;
mod fr;
mod it;
mod pt;

use super::bank::Bank;
use crate::language::Language;

/// The bank of `language`; English for a code without one (none, once every language is in).
pub(crate) fn bank(language: Language) -> &'static Bank {
    match language.code() {
        "de" => &de::BANK,
        "es" => &es::BANK,
        "fr" => &fr::BANK,
        "it" => &it::BANK,
        "pt" => &pt::BANK,
        _ => &en::BANK,
    }
}
