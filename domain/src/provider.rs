//! Mailbox providers and the server settings they publish, so users need only type a password.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::mail_server::{MailServer, Security};

/// The provider behind a mailbox or seed account.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    Gmail,
    GoogleWorkspace,
    Outlook,
    #[serde(rename = "microsoft_365")]
    Microsoft365,
    Yahoo,
    Aol,
    Zoho,
    /// Any other SMTP/IMAP server; host and port must be given.
    Smtp,
}

impl Provider {
    /// Every provider, in the order the API documents them.
    pub const ALL: [Provider; 8] = [
        Provider::Gmail,
        Provider::GoogleWorkspace,
        Provider::Outlook,
        Provider::Microsoft365,
        Provider::Yahoo,
        Provider::Aol,
        Provider::Zoho,
        Provider::Smtp,
    ];

    /// The stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Gmail => "gmail",
            Provider::GoogleWorkspace => "google_workspace",
            Provider::Outlook => "outlook",
            Provider::Microsoft365 => "microsoft_365",
            Provider::Yahoo => "yahoo",
            Provider::Aol => "aol",
            Provider::Zoho => "zoho",
            Provider::Smtp => "smtp",
        }
    }

    /// The provider's published submission server, if it has one everybody uses.
    pub fn smtp_preset(self) -> Option<MailServer> {
        let host = match self {
            Provider::Gmail | Provider::GoogleWorkspace => "smtp.gmail.com",
            Provider::Outlook | Provider::Microsoft365 => "smtp.office365.com",
            Provider::Yahoo => "smtp.mail.yahoo.com",
            Provider::Aol => "smtp.aol.com",
            Provider::Zoho => "smtp.zoho.com",
            Provider::Smtp => return None,
        };
        // Office 365 only offers STARTTLS on 587; the others accept implicit TLS on 465.
        let (port, security) = match self {
            Provider::Outlook | Provider::Microsoft365 => (587, Security::Starttls),
            _ => (465, Security::Tls),
        };
        Some(MailServer {
            host: host.into(),
            port,
            security,
        })
    }

    /// The provider's published IMAP server, if it has one everybody uses.
    pub fn imap_preset(self) -> Option<MailServer> {
        let host = match self {
            Provider::Gmail | Provider::GoogleWorkspace => "imap.gmail.com",
            Provider::Outlook | Provider::Microsoft365 => "outlook.office365.com",
            Provider::Yahoo => "imap.mail.yahoo.com",
            Provider::Aol => "imap.aol.com",
            Provider::Zoho => "imap.zoho.com",
            Provider::Smtp => return None,
        };
        Some(MailServer {
            host: host.into(),
            port: 993,
            security: Security::Tls,
        })
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown provider name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown provider {}", crate::violations::shown(.0))]
pub struct UnknownProvider(pub String);

impl FromStr for Provider {
    type Err = UnknownProvider;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Provider::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownProvider(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_json() {
        for p in Provider::ALL {
            assert_eq!(p.as_str().parse::<Provider>(), Ok(p));
            let json = serde_json::to_string(&p).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", p.as_str()));
        }
        assert!("hotmail".parse::<Provider>().is_err());
    }

    #[test]
    fn every_named_provider_has_presets_and_private_smtp_has_none() {
        for p in Provider::ALL {
            assert_eq!(p.smtp_preset().is_some(), p != Provider::Smtp, "{p}");
            assert_eq!(p.imap_preset().is_some(), p != Provider::Smtp, "{p}");
        }
        let outlook = Provider::Outlook.smtp_preset();
        assert_eq!(
            outlook.map(|s| (s.port, s.security)),
            Some((587, Security::Starttls))
        );
    }
}
