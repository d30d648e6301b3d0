//! Webhooks by the Standard Webhooks convention: which addresses may receive events, the
//! signing secret and signature, how a receiver's answer is judged, and when the next try is.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Duration;
use rand::Rng;
use ring::hmac;

use crate::mail_server::is_public_ip;
use crate::state::DeliveryOutcome;

/// Retries of one delivery end this long after it was first due.
pub const RETRY_FOR_HOURS: i64 = 24;
/// An endpoint whose every attempt failed for this long is turned off.
pub const DISABLE_AFTER_DAYS: i64 = 5;
/// The most a receiver gets to answer.
pub const TIMEOUT_SECONDS: u64 = 10;
/// Bytes of a receiver's answer read (and kept) at most.
pub const RESPONSE_LIMIT: usize = 4096;
/// After a rotation the old secret signs too for this long, so receivers can switch.
pub const PREVIOUS_SECRET_HOURS: i64 = 24;
/// The prefix of a secret as Standard Webhooks libraries take it.
pub const SECRET_PREFIX: &str = "whsec_";
const MAX_URL_LEN: usize = 2000;

/// A checked webhook address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    pub url: String,
    pub host: String,
    pub port: u16,
}

/// Checks an address given for a webhook: `https` (or `http` where private receivers are
/// allowed, for tests), a host, no credentials or fragment, and no private address written
/// as a literal. Names are checked again when delivering, after DNS.
pub fn check_url(raw: &str, allow_private: bool) -> Result<WebhookUrl, String> {
    if raw.len() > MAX_URL_LEN {
        return Err(format!("must be at most {MAX_URL_LEN} characters"));
    }
    let url = url::Url::parse(raw).map_err(|e| format!("not a URL: {e}"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        "http" => return Err("must use https".into()),
        other => return Err(format!("must use https, not {other}")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not hold a user name or password".into());
    }
    if url.fragment().is_some() {
        return Err("must not have a fragment (#...)".into());
    }
    let host = match url.host() {
        Some(url::Host::Domain(d)) => d.trim_end_matches('.').to_ascii_lowercase(),
        Some(url::Host::Ipv4(ip)) => check_ip(IpAddr::V4(ip), allow_private)?,
        Some(url::Host::Ipv6(ip)) => check_ip(IpAddr::V6(ip), allow_private)?,
        None => return Err("must name a host".into()),
    };
    if host.is_empty() {
        return Err("must name a host".into());
    }
    if !allow_private && (host == "localhost" || host.ends_with(".localhost")) {
        return Err("must not be a loopback, private or link-local address".into());
    }
    let port = url
        .port_or_known_default()
        .ok_or("must have a port or a known scheme")?;
    Ok(WebhookUrl {
        url: url.to_string(),
        host,
        port,
    })
}

fn check_ip(ip: IpAddr, allow_private: bool) -> Result<String, String> {
    if allow_private || is_public_ip(ip) {
        Ok(ip.to_string())
    } else {
        Err("must not be a loopback, private or link-local address".into())
    }
}

/// A new signing secret, `whsec_` and 32 random bytes in base64.
pub fn new_secret(rng: &mut impl Rng) -> String {
    let mut key = [0u8; 32];
    rng.fill(&mut key);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(key))
}

/// The key bytes of a secret (with or without its prefix).
pub fn secret_key(secret: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret))
        .ok()
        .filter(|k| !k.is_empty())
}

/// One signature: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`.
pub fn sign(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    let mut ctx = hmac::Context::with_key(&key);
    ctx.update(format!("{id}.{timestamp}.").as_bytes());
    ctx.update(body);
    format!("v1,{}", STANDARD.encode(ctx.sign().as_ref()))
}

/// The `webhook-signature` header: one signature per key in force, separated by spaces.
pub fn signature_header(keys: &[Vec<u8>], id: &str, timestamp: i64, body: &[u8]) -> String {
    keys.iter()
        .map(|k| sign(k, id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a receiver's HTTP status means for the delivery: 2xx delivered; 408, 429 and 5xx
/// tried again; anything else (a refusal, `410 Gone`, a redirect, which is never followed)
/// ends it.
pub fn judge(status: u16) -> DeliveryOutcome {
    match status {
        200..=299 => DeliveryOutcome::Delivered,
        408 | 429 | 500..=599 => DeliveryOutcome::Retry,
        _ => DeliveryOutcome::Failed,
    }
}

/// The wait before try `attempt + 1` after `attempt` tries failed: 5 s doubled each time,
/// at most two hours, with ±20 % jitter so that receivers coming back are not hit at once.
pub fn retry_delay(attempt: u32, rng: &mut impl Rng) -> Duration {
    let base = 5i64.saturating_mul(1i64 << attempt.saturating_sub(1).min(20));
    let capped = base.min(2 * 3600) as f64;
    let jittered = capped * rng.random_range(0.8..=1.2);
    Duration::milliseconds((jittered * 1000.0) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn addresses_are_https_public_and_plain() {
        let ok = check_url("https://hooks.example.com/in?x=1", false);
        assert_eq!(
            ok.as_ref().map(|u| (u.host.as_str(), u.port)),
            Ok(("hooks.example.com", 443))
        );
        for (raw, why) in [
            ("http://hooks.example.com/", "https"),
            ("ftp://hooks.example.com/", "https, not ftp"),
            ("https://user:pw@hooks.example.com/", "user name"),
            ("https://hooks.example.com/#x", "fragment"),
            ("https://127.0.0.1/", "private"),
            ("https://[::1]:8443/", "private"),
            ("https://10.1.2.3/", "private"),
            ("https://169.254.169.254/latest", "private"),
            ("https://localhost:8443/", "private"),
            ("not a url", "not a URL"),
        ] {
            let err = check_url(raw, false).err().unwrap_or_default();
            assert!(err.contains(why), "{raw}: {err}");
        }
        assert!(check_url("http://127.0.0.1:9000/", true).is_ok(), "tests");
    }

    #[test]
    fn signatures_match_the_convention() {
        // The example of the Standard Webhooks specification.
        let key = secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap_or_default();
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            sign(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        let two = signature_header(&[key.clone(), vec![1, 2, 3]], "id", 1, b"{}");
        assert_eq!(two.split(' ').count(), 2);
        assert!(two.starts_with(&sign(&key, "id", 1, b"{}")));
        let fresh = new_secret(&mut StdRng::seed_from_u64(1));
        assert!(fresh.starts_with(SECRET_PREFIX));
        assert_eq!(secret_key(&fresh).map(|k| k.len()), Some(32));
    }

    #[test]
    fn answers_are_judged_and_retries_back_off() {
        use DeliveryOutcome::*;
        for (status, want) in [
            (200, Delivered),
            (204, Delivered),
            (301, Failed),
            (400, Failed),
            (408, Retry),
            (410, Failed),
            (429, Retry),
            (500, Retry),
            (503, Retry),
        ] {
            assert_eq!(judge(status), want, "{status}");
        }
        let mut rng = StdRng::seed_from_u64(7);
        let mut secs = |a| retry_delay(a, &mut rng).num_milliseconds() as f64 / 1000.0;
        let first = secs(1);
        assert!((4.0..=6.0).contains(&first), "{first}");
        let fifth = secs(5);
        assert!((64.0..=96.0).contains(&fifth), "{fifth}");
        let late = secs(40);
        assert!((5760.0..=8640.0).contains(&late), "{late}");
        // The schedule reaches 24 hours in about twenty tries.
        let mut total = 0.0;
        let mut tries = 0;
        while total < 24.0 * 3600.0 {
            tries += 1;
            total += secs(tries);
        }
        assert!((15..=30).contains(&tries), "{tries}");
    }
}
