//! The banks, one file per language.

mod ar;
mod bg;
mod cs;
mod da;
mod de;
mod el;
mod en;
mod es;
mod et;
mod fi;
mod fr;
mod he;
mod hi;
mod hr;
mod hu;
mod id;
mod it;
mod ja;
mod ko;
mod lt;
mod lv;
mod ms;
mod nl;
mod no;
mod pl;
mod pt;
mod ro;
mod ru;
mod sk;
mod sl;
mod sv;
mod th;
mod tr;
mod uk;
mod vi;
mod zh;

use super::bank::Bank;
use crate::language::Language;

/// The bank of `language`, by its ISO 639-1 code.
pub(crate) fn bank(language: Language) -> &'static Bank {
    let bank = by_code(language.code());
    debug_assert_eq!(bank.code, language.code(), "no bank for {language}");
    bank
}

/// The bank written in the language with this code; English for an unknown code.
fn by_code(code: &str) -> &'static Bank {
    match code {
        "ar" => &ar::BANK,
        "bg" => &bg::BANK,
        "cs" => &cs::BANK,
        "da" => &da::BANK,
        "de" => &de::BANK,
        "el" => &el::BANK,
        "es" => &es::BANK,
        "et" => &et::BANK,
        "fi" => &fi::BANK,
        "fr" => &fr::BANK,
        "he" => &he::BANK,
        "hi" => &hi::BANK,
        "hr" => &hr::BANK,
        "hu" => &hu::BANK,
        "id" => &id::BANK,
        "it" => &it::BANK,
        "ja" => &ja::BANK,
        "ko" => &ko::BANK,
        "lt" => &lt::BANK,
        "lv" => &lv::BANK,
        "ms" => &ms::BANK,
        "nl" => &nl::BANK,
        "no" => &no::BANK,
        "pl" => &pl::BANK,
        "pt" => &pt::BANK,
        "ro" => &ro::BANK,
        "ru" => &ru::BANK,
        "sk" => &sk::BANK,
        "sl" => &sl::BANK,
        "sv" => &sv::BANK,
        "th" => &th::BANK,
        "tr" => &tr::BANK,
        "uk" => &uk::BANK,
        "vi" => &vi::BANK,
        "zh" => &zh::BANK,
        _ => &en::BANK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::SUPPORTED;

    #[test]
    fn every_supported_code_has_its_own_bank() {
        for code in SUPPORTED {
            assert_eq!(by_code(code).code, code);
        }
        assert_eq!(by_code("xx").code, "en");
        assert_eq!(bank(Language::english()).code, "en");
    }
}
