//! Email addresses as we accept them from users: an RFC 5321 mailbox without comments or
//! quoted local parts, which every provider we talk to accepts.

use std::fmt;

/// A syntactically valid address; the domain is lower-cased so lookups compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

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
    /// Parses and normalizes an address (trimmed, domain lower-cased).
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
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
    }
}

fn is_atext_or_dot(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!#$%&'*+-/=?^_`{|}~.".contains(c)
        || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_addresses_and_lowercases_the_domain() {
        let a = EmailAddress::parse(" Jane.Doe+warm@Example.COM ").map(|a| a.to_string());
        assert_eq!(a, Ok("Jane.Doe+warm@example.com".to_string()));
        assert_eq!(
            EmailAddress::parse("a@b.co").map(|a| a.domain().to_string()),
            Ok("b.co".into())
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
