//! IMAP folders by role: which folder of a recipient's mailbox is the inbox, the spam folder,
//! a category tab and so on, so a placement lookup knows where it found a message and in which
//! order to look. Servers announce roles with SPECIAL-USE attributes (RFC 6154) when they can;
//! older ones only name the folder, in the account's language, so names are matched too.

use serde::{Deserialize, Serialize};

use crate::placement::PlacementClass;

/// Decodes a mailbox name from IMAP's modified UTF-7 (RFC 3501 §5.1.3). A sequence that is not
/// valid modified UTF-7 is kept as it was on the wire, so a name is never lost, only undecoded.
pub fn decode_mailbox_name(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len());
    let mut rest = wire;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let run = after
            .find(|c: char| base64_value(c).is_none())
            .unwrap_or(after.len());
        let (encoded, tail) = after.split_at(run);
        match tail.strip_prefix('-') {
            Some(tail) => {
                if encoded.is_empty() {
                    out.push('&');
                } else if let Some(text) = decode_utf16_run(encoded) {
                    out.push_str(&text);
                } else {
                    out.push_str(&rest[amp..amp + 1 + run + 1]);
                }
                rest = tail;
            }
            // Without the closing `-` nothing says where the encoded text ends.
            None => {
                out.push_str(&rest[amp..amp + 1 + run]);
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

fn base64_value(c: char) -> Option<u32> {
    match c {
        'A'..='Z' => Some(c as u32 - 'A' as u32),
        'a'..='z' => Some(c as u32 - 'a' as u32 + 26),
        '0'..='9' => Some(c as u32 - '0' as u32 + 52),
        '+' => Some(62),
        ',' => Some(63),
        _ => None,
    }
}

/// The text of one `&...-` run, or `None` when its bits are not whole UTF-16 code units.
fn decode_utf16_run(encoded: &str) -> Option<String> {
    let mut units = Vec::with_capacity(encoded.len() * 6 / 16);
    let mut bits: u32 = 0;
    let mut count = 0u32;
    for c in encoded.chars() {
        bits = (bits << 6) | base64_value(c)?;
        count += 6;
        if count >= 16 {
            count -= 16;
            units.push((bits >> count) as u16);
            bits &= (1 << count) - 1;
        }
    }
    // A whole base64 character of padding, or padding bits that are not zero, means the run
    // was cut short or mangled (RFC 2152 requires zero bits).
    if count >= 6 || bits != 0 || units.is_empty() {
        return None;
    }
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

/// What a folder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FolderRole {
    Inbox,
    Spam,
    /// A tab or folder that sorts mail by kind: promotions, social, updates, Outlook's Other.
    Category,
    Sent,
    Drafts,
    Trash,
    Archive,
    /// A view of every message, such as Gmail's All Mail.
    All,
    Other,
}

impl FolderRole {
    pub const ALL: [FolderRole; 9] = [
        FolderRole::Inbox,
        FolderRole::Spam,
        FolderRole::Category,
        FolderRole::Sent,
        FolderRole::Drafts,
        FolderRole::Trash,
        FolderRole::Archive,
        FolderRole::All,
        FolderRole::Other,
    ];

    /// The stable name, for logs and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            FolderRole::Inbox => "inbox",
            FolderRole::Spam => "spam",
            FolderRole::Category => "category",
            FolderRole::Sent => "sent",
            FolderRole::Drafts => "drafts",
            FolderRole::Trash => "trash",
            FolderRole::Archive => "archive",
            FolderRole::All => "all",
            FolderRole::Other => "other",
        }
    }

    /// The placement a message found in such a folder is reported as.
    pub fn placement(self) -> PlacementClass {
        match self {
            FolderRole::Inbox => PlacementClass::Inbox,
            FolderRole::Spam => PlacementClass::Spam,
            FolderRole::Category => PlacementClass::Category,
            FolderRole::Sent
            | FolderRole::Drafts
            | FolderRole::Trash
            | FolderRole::Archive
            | FolderRole::All
            | FolderRole::Other => PlacementClass::Other,
        }
    }

    /// False for folders received mail never lands in, which a lookup can skip.
    pub fn searched(self) -> bool {
        !matches!(self, FolderRole::Sent | FolderRole::Drafts)
    }

    /// The order in which a lookup visits folders, lowest first. The folders that decide the
    /// placement come first; All comes last because it also holds the message when it sits in
    /// the inbox, so finding it there first would misreport the placement. Folders that are not
    /// searched rank after everything.
    pub fn search_rank(self) -> u8 {
        match self {
            FolderRole::Inbox => 0,
            FolderRole::Spam => 1,
            FolderRole::Category => 2,
            FolderRole::Other | FolderRole::Archive | FolderRole::Trash => 3,
            FolderRole::All => 4,
            FolderRole::Sent | FolderRole::Drafts => 5,
        }
    }
}

/// Roles by SPECIAL-USE attribute (RFC 6154), with the older names of Gmail's XLIST
/// (`\Spam`, `\AllMail`, `\Inbox`). `\Flagged` and `\Important` are left to the name: they
/// are views too, but counting them as All would let a lookup for the all-mail folder (where
/// archiving moves mail) pick Starred instead.
const ATTRIBUTE_ROLES: [(&str, FolderRole); 9] = [
    ("\\junk", FolderRole::Spam),
    ("\\spam", FolderRole::Spam),
    ("\\trash", FolderRole::Trash),
    ("\\sent", FolderRole::Sent),
    ("\\drafts", FolderRole::Drafts),
    ("\\archive", FolderRole::Archive),
    ("\\all", FolderRole::All),
    ("\\allmail", FolderRole::All),
    ("\\inbox", FolderRole::Inbox),
];

/// Spam folder names, lower case, as providers and mail clients spell them in many languages.
const SPAM_NAMES: &[&str] = &[
    // English
    "spam",
    "junk",
    "junk email",
    "junk e-mail",
    "junk mail",
    "bulk",
    "bulk mail",
    "[gmail]/spam",
    "[google mail]/spam",
    // French
    "courrier indésirable",
    "courriers indésirables",
    "pourriel",
    "pourriels",
    "indésirables",
    "indésirable",
    // German
    "junk-e-mail",
    "spamverdacht",
    // Spanish
    "correo no deseado",
    "no deseado",
    // Italian
    "posta indesiderata",
    "indesiderata",
    // Portuguese
    "lixo eletrônico",
    "lixo eletrónico",
    "lixo electrónico",
    // Dutch
    "ongewenste e-mail",
    "ongewenste mail",
    // Swedish
    "skräppost",
    // Norwegian
    "søppelpost",
    // Danish
    "uønsket post",
    "uønsket e-mail",
    "uønsket mail",
    // Finnish
    "roskaposti",
    // Polish
    "wiadomości-śmieci",
    // Czech
    "nevyžádaná pošta",
    // Slovak
    "nevyžiadaná pošta",
    // Hungarian
    "levélszemét",
    // Romanian
    "mesaje nedorite",
    // Greek
    "ανεπιθύμητα",
    "ανεπιθύμητη αλληλογραφία",
    // Russian
    "спам",
    "нежелательная почта",
    // Ukrainian
    "небажана пошта",
    // Turkish
    "gereksiz",
    "gereksiz e-posta",
    "önemsiz e-posta",
    // Japanese
    "迷惑メール",
    // Chinese
    "垃圾邮件",
    "垃圾郵件",
    // Korean
    "스팸",
    "스팸메일함",
    "정크 메일",
];

const SENT_NAMES: &[&str] = &[
    "sent",
    "sent items",
    "sent mail",
    "sent messages",
    "sent-mail",
    "[gmail]/sent mail",
    "[google mail]/sent mail",
    "éléments envoyés",
    "messages envoyés",
    "envoyés",
    "gesendet",
    "gesendete elemente",
    "gesendete objekte",
    "enviados",
    "elementos enviados",
    "correo enviado",
    "posta inviata",
    "elementi inviati",
    "inviata",
    "itens enviados",
    "mensagens enviadas",
    "verzonden",
    "verzonden items",
    "skickat",
    "skickade objekt",
    "sendt",
    "sendte elementer",
    "sendt post",
    "lähetetyt",
    "lähetetyt kohteet",
    "wysłane",
    "elementy wysłane",
    "odeslané",
    "odeslaná pošta",
    "elküldött elemek",
    "отправленные",
    "надіслані",
    "gönderilenler",
    "gönderilmiş öğeler",
    "送信済みアイテム",
    "送信済み",
    "已发送",
    "已发送邮件",
    "寄件備份",
    "보낸 편지함",
];

const DRAFTS_NAMES: &[&str] = &[
    "drafts",
    "draft",
    "[gmail]/drafts",
    "[google mail]/drafts",
    "brouillons",
    "entwürfe",
    "borradores",
    "bozze",
    "rascunhos",
    "concepten",
    "utkast",
    "kladd",
    "kladder",
    "luonnokset",
    "kopie robocze",
    "koncepty",
    "piszkozatok",
    "черновики",
    "чернетки",
    "taslaklar",
    "下書き",
    "草稿",
    "草稿箱",
    "임시 보관함",
];

const TRASH_NAMES: &[&str] = &[
    "trash",
    "deleted items",
    "deleted messages",
    "deleted",
    "bin",
    "[gmail]/trash",
    "[gmail]/bin",
    "[google mail]/trash",
    "[google mail]/bin",
    "corbeille",
    "éléments supprimés",
    "papierkorb",
    "gelöschte elemente",
    "gelöschte objekte",
    "papelera",
    "elementos eliminados",
    "cestino",
    "posta eliminata",
    "elementi eliminati",
    "lixeira",
    "itens excluídos",
    "prullenbak",
    "verwijderde items",
    "papperskorgen",
    "borttagna objekt",
    "papirkurv",
    "slettede elementer",
    "slettet post",
    "roskakori",
    "poistetut",
    "kosz",
    "elementy usunięte",
    "koš",
    "odstraněná pošta",
    "törölt elemek",
    "корзина",
    "удаленные",
    "удалённые",
    "кошик",
    "çöp kutusu",
    "silinmiş öğeler",
    "ゴミ箱",
    "削除済みアイテム",
    "已删除",
    "已删除邮件",
    "垃圾箱",
    "휴지통",
];

const ARCHIVE_NAMES: &[&str] = &[
    "archive",
    "archives",
    "archiv",
    "archivio",
    "archivo",
    "arquivo",
    "archief",
    "arkiv",
    "arkisto",
    "archiwum",
    "архив",
    "arşiv",
    "アーカイブ",
    "归档",
    "存档",
];

/// Gmail localises its system folders. These count only as whole names under the `[Gmail]`
/// prefix, where they cannot be a user's own folder: archiving moves mail to the All folder,
/// so a wrong match would file messages away in someone's "All Mail" project folder.
const ALL_NAMES: &[&str] = &[
    "[gmail]/all mail",
    "[google mail]/all mail",
    "[google mail]/alle nachrichten",
    "[gmail]/tous les messages",
    "[gmail]/todos",
    "[gmail]/tutti i messaggi",
    "[gmail]/todos os e-mails",
];

const CATEGORY_NAMES: &[&str] = &[
    "promotions",
    "social",
    "updates",
    "forums",
    "[gmail]/promotions",
    "[gmail]/social",
    "[gmail]/updates",
    "[gmail]/forums",
    // Outlook's Focused/Other split, where a server exposes it as a folder.
    "other",
    "newsletters",
    "offers",
    "promociones",
    "promozioni",
    "promoções",
    "réseaux sociaux",
];

/// Name lists in the order they are tried; a name is never on two lists, so the order only
/// matters for readability.
const NAME_ROLES: [(&[&str], FolderRole); 7] = [
    (SPAM_NAMES, FolderRole::Spam),
    (CATEGORY_NAMES, FolderRole::Category),
    (SENT_NAMES, FolderRole::Sent),
    (DRAFTS_NAMES, FolderRole::Drafts),
    (TRASH_NAMES, FolderRole::Trash),
    (ARCHIVE_NAMES, FolderRole::Archive),
    (ALL_NAMES, FolderRole::All),
];

/// The role of a folder from its LIST response: its name as on the wire (modified UTF-7), its
/// attributes (`\Junk`, `\Sent`, ..., any case) and the hierarchy delimiter. A SPECIAL-USE
/// attribute decides; otherwise the last component of the name, then the whole name, is
/// compared with known spellings, so `INBOX.Junk` is spam but `Projects/Spam reports` is not.
pub fn classify_folder(
    wire_name: &str,
    attributes: &[&str],
    delimiter: Option<&str>,
) -> FolderRole {
    for (attribute, role) in ATTRIBUTE_ROLES {
        if attributes.iter().any(|a| a.eq_ignore_ascii_case(attribute)) {
            return role;
        }
    }
    if wire_name.eq_ignore_ascii_case("INBOX") {
        return FolderRole::Inbox;
    }
    let leaf = match delimiter.filter(|d| !d.is_empty()) {
        Some(d) => wire_name.rsplit(d).next().unwrap_or(wire_name),
        None => wire_name,
    };
    let leaf = normalize(&decode_mailbox_name(leaf));
    let whole = normalize(&decode_mailbox_name(wire_name));
    NAME_ROLES
        .iter()
        .find(|(names, _)| names.contains(&leaf.as_str()) || names.contains(&whole.as_str()))
        .map_or(FolderRole::Other, |(_, role)| *role)
}

/// Lower case with runs of white space made single, as names are compared.
fn normalize(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// False for folders that exist only as a level of the hierarchy (`\Noselect`, `\NonExistent`)
/// and so cannot be opened to search.
pub fn selectable(attributes: &[&str]) -> bool {
    !attributes
        .iter()
        .any(|a| a.eq_ignore_ascii_case("\\Noselect") || a.eq_ignore_ascii_case("\\NonExistent"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_modified_utf7() {
        assert_eq!(
            decode_mailbox_name("Courrier ind&AOk-sirable"),
            "Courrier indésirable"
        );
        assert_eq!(
            decode_mailbox_name("&AMk-l&AOk-ments envoy&AOk-s"),
            "Éléments envoyés"
        );
        assert_eq!(decode_mailbox_name("&BB8EMAQ,BDoEMA-"), "Папка");
        assert_eq!(
            decode_mailbox_name("&BB0ENQQ2BDUEOwQwBEIENQQ7BEwEPQQwBE8- &BD8EPgRHBEIEMA-"),
            "Нежелательная почта"
        );
        assert_eq!(decode_mailbox_name("&U,BTFw-"), "台北");
        assert_eq!(
            decode_mailbox_name("~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
            "~peter/mail/台北/日本語"
        );
        assert_eq!(decode_mailbox_name("Tom &- Jerry"), "Tom & Jerry");
        assert_eq!(decode_mailbox_name("&-&-"), "&&");
        assert_eq!(decode_mailbox_name("INBOX"), "INBOX");
        assert_eq!(decode_mailbox_name(""), "");
    }

    #[test]
    fn surrogate_pairs_decode_to_one_character() {
        // U+1F4E7 (e-mail symbol) is D83D DCE7 in UTF-16.
        assert_eq!(decode_mailbox_name("&2D3c5w-"), "\u{1F4E7}");
    }

    #[test]
    fn invalid_sequences_stay_as_on_the_wire() {
        for garbage in [
            "&",
            "a&",
            "&AOk",         // no closing dash
            "&A-",          // six bits, not a code unit
            "&AOl-",        // non-zero padding bits
            "&AOkA-",       // a whole extra character of padding
            "&2D0-",        // a lone high surrogate
            "&3ec-",        // a lone low surrogate
            "&!-",          // not base64
            "Spam & Eggs",  // a bare ampersand
            "&AOk!sirable", // the run ends without a dash
        ] {
            assert_eq!(decode_mailbox_name(garbage), garbage, "{garbage}");
        }
        assert_eq!(
            decode_mailbox_name("&A- ind&AOk-"),
            "&A- indé",
            "valid runs still decode"
        );
    }

    #[test]
    fn special_use_attributes_win_in_any_case() {
        assert_eq!(
            classify_folder("Whatever", &["\\Junk"], Some("/")),
            FolderRole::Spam
        );
        assert_eq!(
            classify_folder("Whatever", &["\\JUNK"], Some("/")),
            FolderRole::Spam
        );
        assert_eq!(
            classify_folder("Junk", &["\\HasNoChildren", "\\Trash"], Some("/")),
            FolderRole::Trash,
            "the attribute beats the name"
        );
        assert_eq!(classify_folder("X", &["\\sent"], None), FolderRole::Sent);
        assert_eq!(
            classify_folder("X", &["\\Drafts"], None),
            FolderRole::Drafts
        );
        assert_eq!(
            classify_folder("X", &["\\Archive"], None),
            FolderRole::Archive
        );
        assert_eq!(classify_folder("X", &["\\All"], None), FolderRole::All);
        assert_eq!(
            classify_folder("[Gmail]/Starred", &["\\Flagged"], Some("/")),
            FolderRole::Other,
            "one folder only is All, the one archiving moves mail to"
        );
        assert_eq!(
            classify_folder("X", &["\\HasChildren"], None),
            FolderRole::Other
        );
    }

    #[test]
    fn lab_folders_classify_by_attribute_or_name() {
        let cases: [(&str, &[&str], FolderRole); 14] = [
            // gmail.test
            ("INBOX", &[], FolderRole::Inbox),
            (
                "[Gmail]/Spam",
                &["\\HasNoChildren", "\\Junk"],
                FolderRole::Spam,
            ),
            ("[Gmail]/Spam", &[], FolderRole::Spam),
            ("Promotions", &[], FolderRole::Category),
            ("[Gmail]/Sent Mail", &[], FolderRole::Sent),
            ("[Gmail]/All Mail", &["\\All"], FolderRole::All),
            // outlook.test
            ("Junk Email", &["\\Junk"], FolderRole::Spam),
            ("Sent Items", &[], FolderRole::Sent),
            ("Deleted Items", &[], FolderRole::Trash),
            // yahoo.test, corp.test
            ("Bulk", &[], FolderRole::Spam),
            ("Junk", &[], FolderRole::Spam),
            // oldmail.test: no SPECIAL-USE, French names in modified UTF-7
            ("Courrier ind&AOk-sirable", &[], FolderRole::Spam),
            ("&AMk-l&AOk-ments envoy&AOk-s", &[], FolderRole::Sent),
            ("Brouillons", &[], FolderRole::Drafts),
        ];
        for (name, attributes, role) in cases {
            assert_eq!(classify_folder(name, attributes, Some("/")), role, "{name}");
        }
        assert_eq!(
            classify_folder("Corbeille", &[], Some(".")),
            FolderRole::Trash
        );
    }

    #[test]
    fn names_match_the_last_component_or_the_whole_name_never_a_substring() {
        assert_eq!(
            classify_folder("Projects/Spam reports", &[], Some("/")),
            FolderRole::Other
        );
        assert_eq!(
            classify_folder("Spam reports", &[], None),
            FolderRole::Other
        );
        assert_eq!(
            classify_folder("Junkyard", &[], Some("/")),
            FolderRole::Other
        );
        assert_eq!(
            classify_folder("INBOX.Junk", &[], Some(".")),
            FolderRole::Spam
        );
        assert_eq!(
            classify_folder("INBOX/Sent", &[], Some("/")),
            FolderRole::Sent
        );
        assert_eq!(classify_folder("inbox", &[], Some("/")), FolderRole::Inbox);
        assert_eq!(
            classify_folder("Work/Inbox", &[], Some("/")),
            FolderRole::Other
        );
        assert_eq!(
            classify_folder("[Gmail]/Spam", &[], None),
            FolderRole::Spam,
            "whole name"
        );
        assert_eq!(
            classify_folder("[Gmail]/Promotions", &[], None),
            FolderRole::Category
        );
        assert_eq!(classify_folder("JUNK  E-MAIL", &[], None), FolderRole::Spam);
        assert_eq!(
            classify_folder("[Gmail]/Todos", &[], Some("/")),
            FolderRole::All
        );
        assert_eq!(classify_folder("Todos", &[], Some("/")), FolderRole::Other);
        assert_eq!(
            classify_folder("Old/All Mail", &[], Some("/")),
            FolderRole::Other
        );
        assert_eq!(classify_folder("", &[], Some("/")), FolderRole::Other);
    }

    #[test]
    fn names_in_many_languages() {
        let cases = [
            ("Pourriel", FolderRole::Spam),
            ("Indésirables", FolderRole::Spam),
            ("Junk-E-Mail", FolderRole::Spam),
            ("Spamverdacht", FolderRole::Spam),
            ("Correo no deseado", FolderRole::Spam),
            ("Posta indesiderata", FolderRole::Spam),
            ("Lixo eletrônico", FolderRole::Spam),
            ("Lixo Eletrónico", FolderRole::Spam),
            ("Ongewenste e-mail", FolderRole::Spam),
            ("Skräppost", FolderRole::Spam),
            ("Søppelpost", FolderRole::Spam),
            ("Uønsket post", FolderRole::Spam),
            ("Roskaposti", FolderRole::Spam),
            ("Wiadomości-śmieci", FolderRole::Spam),
            ("Nevyžádaná pošta", FolderRole::Spam),
            ("Спам", FolderRole::Spam),
            ("Нежелательная почта", FolderRole::Spam),
            ("Gereksiz", FolderRole::Spam),
            ("迷惑メール", FolderRole::Spam),
            ("垃圾邮件", FolderRole::Spam),
            ("Junk Mail", FolderRole::Spam),
            ("Bulk Mail", FolderRole::Spam),
            ("Junk E-mail", FolderRole::Spam),
            ("Sent", FolderRole::Sent),
            ("Sent Mail", FolderRole::Sent),
            ("Gesendet", FolderRole::Sent),
            ("Enviados", FolderRole::Sent),
            ("Posta inviata", FolderRole::Sent),
            ("Drafts", FolderRole::Drafts),
            ("Draft", FolderRole::Drafts),
            ("Entwürfe", FolderRole::Drafts),
            ("Borradores", FolderRole::Drafts),
            ("Bozze", FolderRole::Drafts),
            ("Trash", FolderRole::Trash),
            ("Deleted Messages", FolderRole::Trash),
            ("Bin", FolderRole::Trash),
            ("Papierkorb", FolderRole::Trash),
            ("Papelera", FolderRole::Trash),
            ("Cestino", FolderRole::Trash),
            ("Archive", FolderRole::Archive),
            ("Archives", FolderRole::Archive),
            ("Archiv", FolderRole::Archive),
            ("Archivio", FolderRole::Archive),
            ("Archivo", FolderRole::Archive),
            ("Social", FolderRole::Category),
            ("Updates", FolderRole::Category),
            ("Forums", FolderRole::Category),
            ("Other", FolderRole::Category),
            ("Newsletters", FolderRole::Category),
            ("Offers", FolderRole::Category),
            ("Invoices", FolderRole::Other),
        ];
        for (name, role) in cases {
            assert_eq!(classify_folder(name, &[], Some("/")), role, "{name}");
        }
    }

    #[test]
    fn name_lists_are_lower_case_and_disjoint() {
        let mut seen = std::collections::HashSet::new();
        for (names, role) in NAME_ROLES {
            for name in names {
                assert_eq!(*name, normalize(name), "{name}");
                assert!(seen.insert(*name), "{name} is on two lists, last {role:?}");
            }
        }
    }

    #[test]
    fn roles_map_to_placements() {
        assert_eq!(FolderRole::Inbox.placement(), PlacementClass::Inbox);
        assert_eq!(FolderRole::Spam.placement(), PlacementClass::Spam);
        assert_eq!(FolderRole::Category.placement(), PlacementClass::Category);
        for role in [
            FolderRole::Sent,
            FolderRole::Drafts,
            FolderRole::Trash,
            FolderRole::Archive,
            FolderRole::All,
            FolderRole::Other,
        ] {
            assert_eq!(role.placement(), PlacementClass::Other, "{role:?}");
        }
    }

    #[test]
    fn lookups_skip_sent_and_drafts_and_visit_all_mail_last() {
        let searched: Vec<FolderRole> = FolderRole::ALL
            .into_iter()
            .filter(|r| r.searched())
            .collect();
        assert!(!searched.contains(&FolderRole::Sent) && !searched.contains(&FolderRole::Drafts));
        assert_eq!(searched.len(), 7);
        let mut order = searched.clone();
        order.sort_by_key(|r| r.search_rank());
        assert_eq!(
            &order[..3],
            [FolderRole::Inbox, FolderRole::Spam, FolderRole::Category]
        );
        assert_eq!(order.last(), Some(&FolderRole::All));
        assert_eq!(
            FolderRole::Trash.search_rank(),
            FolderRole::Other.search_rank()
        );
        assert_eq!(
            FolderRole::Archive.search_rank(),
            FolderRole::Other.search_rank()
        );
        for r in FolderRole::ALL {
            if !r.searched() {
                assert!(searched.iter().all(|s| s.search_rank() < r.search_rank()));
            }
        }
    }

    #[test]
    fn role_names_are_stable_and_distinct() {
        let names: std::collections::HashSet<&str> =
            FolderRole::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(names.len(), FolderRole::ALL.len());
        assert_eq!(FolderRole::Spam.as_str(), "spam");
        assert_eq!(
            serde_json::to_string(&FolderRole::Category).unwrap_or_default(),
            "\"category\""
        );
    }

    #[test]
    fn hierarchy_levels_are_not_selectable() {
        assert!(!selectable(&["\\Noselect", "\\HasChildren"]));
        assert!(!selectable(&["\\NoSelect"]));
        assert!(!selectable(&["\\NonExistent"]));
        assert!(selectable(&["\\HasNoChildren", "\\Junk"]));
        assert!(selectable(&[]));
    }
}
