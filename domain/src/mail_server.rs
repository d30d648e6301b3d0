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

/// A domain name as a user types it: lower-cased and without a final dot; `None` unless it is
/// a host name with at least one dot and a letter-only last label (so not an IP address).
pub fn parse_domain_name(raw: &str) -> Option<String> {
    let d = raw.trim().trim_end_matches('.').to_ascii_lowercase();
    let tld_ok = d
        .rsplit('.')
        .next()
        .is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
    (is_host_name(&d) && d.contains('.') && tld_ok).then_some(d)
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

/// True for an address on the public internet: not loopback, private, link-local, shared,
/// documentation, multicast or reserved. Mail servers of tenants must be public unless the
/// operator allows private ones, so that the service cannot be aimed at its own network.
pub fn is_public_ip(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || (a == 192 && b == 0 && c == 0)
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_ip(IpAddr::V4(v4));
            }
            let s = v6.segments();
            let embedded = |hi: u16, lo: u16| {
                let [a, b] = hi.to_be_bytes();
                let [c, d] = lo.to_be_bytes();
                std::net::Ipv4Addr::new(a, b, c, d)
            };
            // 6to4 carries an IPv4 address: as public as that address.
            if s[0] == 0x2002 {
                return is_public_ip(IpAddr::V4(embedded(s[1], s[2])));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // Unique local, link-local and the deprecated site-local ranges.
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] & 0xffc0) == 0xfec0
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                // IPv4-compatible (::/96): an IPv4 host by another name.
                || s[..6] == [0; 6]
                // NAT64, well-known (64:ff9b::/96) and local-use (64:ff9b:1::/48): a
                // gateway's way into IPv4 networks, private ones included.
                || (s[0] == 0x0064 && s[1] == 0xff9b)
                // Discard-only (100::/64).
                || (s[0] == 0x0100 && s[1..4] == [0; 3]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_names_need_a_dot_and_a_word_at_the_end() {
        assert_eq!(
            parse_domain_name(" Example.COM. ").as_deref(),
            Some("example.com")
        );
        for bad in [
            "null",
            "localhost",
            "127.0.0.1",
            "a_b.example",
            "-x.example",
            "x.1",
            "",
        ] {
            assert_eq!(parse_domain_name(bad), None, "{bad}");
        }
    }

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
    fn only_public_addresses_count_as_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "192.0.2.1",
            "2001:db8::1",
            "240.0.0.1",
            // NAT64 (well-known and local-use prefixes) reaches IPv4 hosts behind a gateway.
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::1",
            // IPv4-compatible, site-local, 6to4 of a private address, discard-only.
            "::127.0.0.1",
            "::169.254.169.254",
            "fec0::1",
            "2002:7f00:1::1",
            "2002:a9fe:a9fe::1",
            "100::1",
        ] {
            let ip: std::net::IpAddr = private
                .parse()
                .unwrap_or(std::net::Ipv4Addr::LOCALHOST.into());
            assert!(!is_public_ip(ip), "{private}");
        }
        for public in ["8.8.8.8", "142.250.1.1", "2a00:1450::1", "2002:808:808::1"] {
            let ip: std::net::IpAddr = public
                .parse()
                .unwrap_or(std::net::Ipv4Addr::LOCALHOST.into());
            assert!(is_public_ip(ip), "{public}");
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
