//! Where a mailbox's SMTP or IMAP server is and how to secure the connection.

use serde::{Deserialize, Serialize};

/// Transport security of a mail server connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// TLS from the first byte (SMTPS 465, IMAPS 993).
    Tls,
    /// Plain connection upgraded with STARTTLS before authenticating.
    Starttls,
    /// No encryption; only sensible on a private network.
    None,
}

impl Security {
    /// The stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Security::Tls => "tls",
            Security::Starttls => "starttls",
            Security::None => "none",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        [Security::Tls, Security::Starttls, Security::None]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A validated server address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailServer {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// Why a host or port was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServerError {
    #[error("must be a host name (mail.example.com) or an IP address")]
    Host,
    #[error("must be a port from 1 to 65535")]
    Port,
}

/// Validates a host name or IP literal as typed by a user.
pub fn parse_host(raw: &str) -> Result<String, ServerError> {
    let host = raw.trim();
    if host.parse::<std::net::IpAddr>().is_ok() || is_host_name(host) {
        Ok(host.to_ascii_lowercase())
    } else {
        Err(ServerError::Host)
    }
}

/// Validates a TCP port.
pub fn parse_port(port: i64) -> Result<u16, ServerError> {
    u16::try_from(port)
        .ok()
        .filter(|p| *p != 0)
        .ok_or(ServerError::Port)
}

/// True for an RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
pub fn is_host_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.trim_end_matches('.').split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_accept_names_and_ips_and_refuse_garbage() {
        assert_eq!(
            parse_host("SMTP.Example.com"),
            Ok("smtp.example.com".into())
        );
        assert_eq!(parse_host("127.0.0.1"), Ok("127.0.0.1".into()));
        assert_eq!(parse_host("::1"), Ok("::1".into()));
        assert_eq!(parse_host("localhost"), Ok("localhost".into()));
        for bad in ["", "a b", "-a.com", "a..com", "http://x", "x_y.com"] {
            assert_eq!(parse_host(bad), Err(ServerError::Host), "{bad:?}");
        }
    }

    #[test]
    fn ports_must_fit_in_1_to_65535() {
        assert_eq!(parse_port(587), Ok(587));
        assert_eq!(parse_port(65535), Ok(65535));
        for bad in [0, -1, 65536] {
            assert_eq!(parse_port(bad), Err(ServerError::Port));
        }
    }

    #[test]
    fn security_names_round_trip() {
        for s in [Security::Tls, Security::Starttls, Security::None] {
            assert_eq!(Security::parse(s.as_str()), Some(s));
        }
        assert_eq!(Security::parse("ssl"), None);
    }
}
