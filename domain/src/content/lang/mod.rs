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

/// Every bank, registered once and ordered by code: the supported languages are their codes.
pub(crate) const BANKS: [&Bank; 36] = [
    &ar::BANK,
    &bg::BANK,
    &cs::BANK,
    &da::BANK,
    &de::BANK,
    &el::BANK,
    &en::BANK,
    &es::BANK,
    &et::BANK,
    &fi::BANK,
    &fr::BANK,
    &he::BANK,
    &hi::BANK,
    &hr::BANK,
    &hu::BANK,
    &id::BANK,
    &it::BANK,
    &ja::BANK,
    &ko::BANK,
    &lt::BANK,
    &lv::BANK,
    &ms::BANK,
    &nl::BANK,
    &no::BANK,
    &pl::BANK,
    &pt::BANK,
    &ro::BANK,
    &ru::BANK,
    &sk::BANK,
    &sl::BANK,
    &sv::BANK,
    &th::BANK,
    &tr::BANK,
    &uk::BANK,
    &vi::BANK,
    &zh::BANK,
];

/// The codes of [`BANKS`], in its order.
pub(crate) const fn codes() -> [&'static str; 36] {
    let mut out = [""; 36];
    let mut i = 0;
    while i < BANKS.len() {
        out[i] = BANKS[i].code;
        i += 1;
    }
    out
}

/// The bank of a supported language, by its ISO 639-1 code.
pub(crate) fn bank(code: &str) -> &'static Bank {
    let bank = by_code(code);
    debug_assert_eq!(bank.code, code, "no bank for {code}");
    bank
}

/// The bank written in the language with this code; English for an unknown code.
fn by_code(code: &str) -> &'static Bank {
    BANKS
        .iter()
        .copied()
        .find(|b| b.code == code)
        .unwrap_or(&en::BANK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_own_bank() {
        for code in codes() {
            assert_eq!(by_code(code).code, code);
        }
        assert_eq!(by_code("xx").code, "en");
        assert_eq!(bank("en").code, "en");
    }
}
