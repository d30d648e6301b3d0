//! Email addresses as we accept them from users: an RFC 5321 mailbox without comments or
//! quoted local parts, which every provider we talk to accepts.

use std::fmt;

/// A syntactically valid address, kept as the user wrote it (trimmed). Providers treat the
/// whole address case-insensitively, so two addresses name the same mailbox when their
/// [`key`](EmailAddress::key)s are equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress {
    address: String,
    /// The domain lower-cased, for DNS and DKIM.
    domain: String,
}

/// Why an address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("must be an email address like name@example.com")]
    Shape,
    #[error("the part before @ must be 1 to 64 characters without spaces or quotes")]
    LocalPart,
    #[error("the domain must be a host name such as example.com")]
    Domain,
    #[error("must be at most 254 characters")]
    TooLong,
}

impl EmailAddress {
    /// Parses an address; surrounding whitespace is dropped, the case is kept.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let raw = raw.trim();
        if raw.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = raw.rsplit_once('@').ok_or(EmailError::Shape)?;
        if local.is_empty()
            || local.len() > 64
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
            || !local.chars().all(is_atext_or_dot)
        {
            return Err(EmailError::LocalPart);
        }
        if !crate::mail_server::is_host_name(domain) || !domain.contains('.') {
            return Err(EmailError::Domain);
        }
        Ok(Self {
            address: raw.to_string(),
            domain: domain.to_ascii_lowercase(),
        })
    }

    /// The address as given.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The part after `@`, lower-cased (host names are compared without case).
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// What the address is unique under: the whole address lower-cased, so `SP@GMAIL.COM` and
    /// `sp@gmail.com` have one key.
    pub fn key(&self) -> String {
        self.address.to_lowercase()
    }
}

fn is_atext_or_dot(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!#$%&'*+-/=?^_`{|}~.".contains(c)
        || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_address_as_given_and_lowercases_the_domain_for_dns() {
        let a = EmailAddress::parse(" Jane.Doe+warm@Example.COM ");
        assert_eq!(
            a.as_ref().map(|a| a.to_string()),
            Ok("Jane.Doe+warm@Example.COM".to_string())
        );
        assert_eq!(
            a.as_ref().map(EmailAddress::as_str),
            Ok("Jane.Doe+warm@Example.COM")
        );
        assert_eq!(a.as_ref().map(EmailAddress::domain), Ok("example.com"));
        assert_eq!(
            EmailAddress::parse("a@b.co").map(|a| a.domain().to_string()),
            Ok("b.co".into())
        );
    }

    #[test]
    fn addresses_differing_only_in_case_share_a_key() {
        let key = |raw: &str| EmailAddress::parse(raw).map(|a| a.key());
        assert_eq!(key("SP@GMAIL.COM"), Ok("sp@gmail.com".to_string()));
        assert_eq!(key("SP@GMAIL.COM"), key(" sp@gmail.com "));
        assert_eq!(key("Sp@Gmail.Com"), key("sP@gMAIL.cOM"));
        assert_ne!(key("sp1@gmail.com"), key("sp@gmail.com"));
        // Letters beyond ASCII fold too.
        assert_eq!(key("JÖRG@example.de"), Ok("jörg@example.de".to_string()));
        // Case is not identity: the two stay distinct values, each as written.
        assert_ne!(
            EmailAddress::parse("SP@GMAIL.COM"),
            EmailAddress::parse("sp@gmail.com")
        );
    }

    #[test]
    fn refuses_malformed_addresses() {
        for bad in [
            "",
            "plain",
            "@example.com",
            "a b@example.com",
            "a@",
            "a@localhost",
            "a..b@example.com",
            ".a@example.com",
            "a@-bad-.com",
            "a@exa mple.com",
        ] {
            assert!(
                EmailAddress::parse(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
        let long = format!("{}@example.com", "a".repeat(65));
        assert_eq!(EmailAddress::parse(&long), Err(EmailError::LocalPart));
    }
}

/// The domain of an address as reports group it: after its last `@`, lower-cased; empty for
/// a string without one.
pub fn domain_of(address: &str) -> String {
    address
        .rsplit_once('@')
        .map(|(_, d)| d.to_ascii_lowercase())
        .unwrap_or_default()
}

/// A new Message-ID (without angle brackets) for mail from `address`: 128 random bits in hex
/// at the address's domain (`localhost` for an address without one), the shape large
/// providers use, unique without coordination between workers.
pub fn new_message_id(address: &str, rng: &mut impl rand::Rng) -> String {
    let domain = address
        .rsplit_once('@')
        .map(|(_, d)| d)
        .filter(|d| !d.is_empty())
        .unwrap_or("localhost");
    format!("{:032x}@{domain}", rng.random::<u128>())
}

/// A first name guessed from an address (`jonas.berg@…` → `Jonas`), or empty (a neutral
/// greeting) when the address does not start with one.
pub fn first_name(address: &str) -> String {
    let local = address.split('@').next().unwrap_or_default();
    let first = local.split(['.', '-', '_', '+']).next().unwrap_or_default();
    if !((2..=20).contains(&first.chars().count()) && first.chars().all(char::is_alphabetic)) {
        return String::new();
    }
    let mut chars = first.chars();
    chars
        .next()
        .map(|c| {
            c.to_uppercase()
                .chain(chars.flat_map(char::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

/// The longest first name a message shows; anything longer is not a name.
pub const MAX_FIRST_NAME: usize = 30;

/// A display name as the mail the service writes may show it: its first word when that word is
/// letters only and at most `MAX_FIRST_NAME` of them, else empty (a neutral greeting). A
/// display name is the tenant's free text, and seeds quote what the service writes: nothing
/// but a plain first name may pass, never a link, an address or a slogan.
pub fn plain_first_name(display_name: &str) -> String {
    let first = display_name.split_whitespace().next().unwrap_or_default();
    let letters = first.chars().count();
    if letters <= MAX_FIRST_NAME && first.chars().all(char::is_alphabetic) {
        first.to_string()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod naming_tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    #[test]
    fn greets_by_a_first_name_only_when_the_address_has_one() {
        assert_eq!(first_name("jonas.berg@example.com"), "Jonas");
        assert_eq!(first_name("ANNA@example.com"), "Anna");
        assert_eq!(first_name("3f2a9c-seed@corp.test"), "");
        assert_eq!(first_name("x@example.com"), "");
        assert_eq!(first_name("info2024@example.com"), "");
    }

    #[test]
    fn a_display_name_is_reduced_to_a_plain_first_name() {
        assert_eq!(plain_first_name("Anna"), "Anna");
        assert_eq!(plain_first_name("  Anna Lee "), "Anna");
        assert_eq!(plain_first_name("Anna Lee <anna@example.org>"), "Anna");
        assert_eq!(plain_first_name("Zoë Ångström"), "Zoë");
        assert_eq!(plain_first_name("Мария Иванова"), "Мария");
        assert_eq!(plain_first_name("李明"), "李明");
        assert_eq!(plain_first_name("Jo\nBcc: x@example.org"), "Jo");
        assert_eq!(plain_first_name("Visit https://evil.example now"), "Visit");
        assert_eq!(plain_first_name("Buy now at evil.example"), "Buy");
        let longest = "a".repeat(MAX_FIRST_NAME);
        assert_eq!(plain_first_name(&longest), longest);
        for not_a_name in [
            "",
            "   ",
            "https://evil.example/x",
            "evil.example",
            "anna@example.org",
            "<anna@example.org>",
            "\"Anna\"",
            "Anna-Lena",
            "O'Brien",
            "Dr. Anna Lee",
            "Anna,",
            "R2D2",
            "Anna\u{0}Lee",
            "Anna\u{7f}",
            "Zoë\u{202e}",
            "An\u{200b}na",
            &"a".repeat(MAX_FIRST_NAME + 1),
            &"Ä".repeat(40),
        ] {
            assert_eq!(plain_first_name(not_a_name), "", "{not_a_name:?}");
        }
    }

    #[test]
    fn message_ids_sit_at_the_sender_s_domain_and_do_not_repeat() {
        let mut rng = StdRng::seed_from_u64(7);
        let a = new_message_id("ann@example.com", &mut rng);
        let b = new_message_id("ann@example.com", &mut rng);
        assert_ne!(a, b);
        let (local, domain) = a.split_once('@').unwrap_or_default();
        assert_eq!(domain, "example.com");
        assert_eq!(local.len(), 32);
        assert!(local.chars().all(|c| c.is_ascii_hexdigit()), "{a}");
        assert!(new_message_id("nobody", &mut rng).ends_with("@localhost"));
    }
}
