//! DKIM: each mailbox's selector is published, its key is the one stored (the public half of
//! the private key warmup signs with), of at least 1024 bits (2048 recommended), and the seeds
//! saw signatures pass.

use warmup_domain::health::{CheckKind, CheckResult, CheckStatus};

use super::{HealthInputs, item, seen_rate, worst};
use crate::dns::{DnsError, Resolver};

/// The tags of a DKIM key record (`v=DKIM1; k=rsa; p=...`).
fn tags(record: &str) -> Vec<(String, String)> {
    record
        .split(';')
        .filter_map(|t| t.split_once('='))
        .map(|(k, v)| {
            (
                k.trim().to_ascii_lowercase(),
                v.split_whitespace().collect(),
            )
        })
        .collect()
}

/// Reads one DER length; returns it and the bytes after it.
fn der_length(bytes: &[u8]) -> Option<(usize, &[u8])> {
    let (&first, rest) = bytes.split_first()?;
    if first < 0x80 {
        return Some((usize::from(first), rest));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 || rest.len() < n {
        return None;
    }
    let len = rest[..n]
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
    Some((len, &rest[n..]))
}

/// One DER element: its tag, its content, and what follows it.
fn der_element(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    let (len, rest) = der_length(rest)?;
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The size in bits of an RSA public key given as `SubjectPublicKeyInfo` or `RSAPublicKey`.
pub(super) fn modulus_bits(der: &[u8]) -> Option<u32> {
    let (tag, body, _) = der_element(der)?;
    if tag != 0x30 {
        return None;
    }
    let (first, content, rest) = der_element(body)?;
    let modulus = match first {
        // SubjectPublicKeyInfo: the algorithm, then a BIT STRING holding an RSAPublicKey.
        0x30 => {
            let (bit_tag, bits, _) = der_element(rest)?;
            if bit_tag != 0x03 {
                return None;
            }
            let (seq, inner, _) = der_element(bits.get(1..)?)?;
            if seq != 0x30 {
                return None;
            }
            let (int, m, _) = der_element(inner)?;
            (int == 0x02).then_some(m)?
        }
        0x02 => content,
        _ => return None,
    };
    let significant: Vec<u8> = modulus.iter().copied().skip_while(|b| *b == 0).collect();
    let top = *significant.first()?;
    let len = u32::try_from(significant.len()).ok()?;
    Some(len * 8 - top.leading_zeros())
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

pub(super) async fn check(inputs: &HealthInputs, r: &Resolver) -> CheckResult {
    let domain = inputs.domain.as_str();
    let mut items = Vec::new();
    let mut records = Vec::new();
    for key in &inputs.keys {
        let name = format!("{}._domainkey.{}", key.selector, key.domain);
        let subject = format!("{name} ({})", key.mailbox);
        let txt = match r.txt(&name).await {
            Ok(t) => t,
            Err(DnsError::NoRecords | DnsError::NxDomain) => Vec::new(),
            Err(e) => {
                items.push(item(
                    subject,
                    CheckStatus::Error,
                    format!("could not be read: {e}"),
                ));
                continue;
            }
        };
        let Some(record) = txt.iter().find(|t| t.contains("p=")).cloned() else {
            items.push(item(
                subject,
                CheckStatus::Fail,
                "not published: receivers cannot verify the mailbox's signatures",
            ));
            continue;
        };
        records.push(format!("{name}: {record}"));
        let tags = tags(&record);
        let p = tags
            .iter()
            .find(|(k, _)| k == "p")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        if p.is_empty() {
            items.push(item(
                subject,
                CheckStatus::Fail,
                "the key is revoked (empty p=)",
            ));
            continue;
        }
        let Some(published) = decode_base64(&p) else {
            items.push(item(subject, CheckStatus::Fail, "p= is not valid base64"));
            continue;
        };
        let stored = match crate::dkim::public_key_der(&key.private_pem) {
            Ok(s) => s,
            Err(e) => {
                items.push(item(
                    subject,
                    CheckStatus::Error,
                    format!("the stored key cannot be read: {e}"),
                ));
                continue;
            }
        };
        if published != stored && !published.ends_with(&stored) {
            items.push(item(
                subject,
                CheckStatus::Fail,
                "the published key is not the one stored for the mailbox: its signatures fail at receivers",
            ));
            continue;
        }
        match modulus_bits(&published) {
            Some(bits) if bits < 1024 => items.push(item(subject, CheckStatus::Fail, format!("matches the stored key, but {bits} bits is too short (receivers ignore keys under 1024 bits)"))),
            Some(bits) if bits < 2048 => items.push(item(subject, CheckStatus::Warn, format!("matches the stored key; {bits} bits works, 2048 is recommended"))),
            Some(bits) => items.push(item(subject, CheckStatus::Pass, format!("published and matches the stored key ({bits} bits)"))),
            None => items.push(item(subject, CheckStatus::Warn, "matches the stored key; its size could not be read")),
        }
    }
    let seen = inputs.seen;
    items.extend(seen_rate(
        "seeds, last 7 days",
        seen.dkim_pass,
        seen.dkim_total,
        "passed DKIM",
    ));
    if items.is_empty() {
        return CheckResult::new(
            CheckKind::Dkim,
            CheckStatus::Error,
            format!("No mailbox of {domain} has a DKIM key stored and no message of it reached a seed in the last 7 days: nothing to check yet."),
            Some("Store each mailbox's DKIM key (selector and private key) so warmup signs with it, or let the warmup run a day.".into()),
        );
    }
    let status = worst(&items);
    let (explanation, fix) = match status {
        CheckStatus::Pass => ("Every selector is published with the stored key, and signatures pass at seeds.".to_string(), None),
        _ => (
            format!(
                "DKIM of {domain} has problems: {}.",
                items.iter().filter(|i| i.status != CheckStatus::Pass).map(|i| format!("{}: {}", i.subject, i.detail)).collect::<Vec<_>>().join("; ")
            ),
            Some("Publish each selector's public key as a TXT record at <selector>._domainkey.<domain> (the key pair's public half, 2048-bit RSA), and check that the mail provider signs with the same key.".to_string()),
        ),
    };
    CheckResult::new(CheckKind::Dkim, status, explanation, fix).with(records, items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_sizes_are_read_from_both_key_forms() {
        // A 16-bit toy modulus 0x00C1F3 in RSAPublicKey: SEQUENCE { INTEGER, INTEGER 65537 }.
        let pkcs1 = [
            0x30, 0x0a, 0x02, 0x03, 0x00, 0xc1, 0xf3, 0x02, 0x03, 0x01, 0x00, 0x01,
        ];
        assert_eq!(modulus_bits(&pkcs1), Some(16));
        // The same in SubjectPublicKeyInfo: the algorithm, then BIT STRING { 0, RSAPublicKey }.
        let mut spki = vec![0x30, 0x1e, 0x30, 0x0d, 0x06, 0x09];
        spki.extend([
            0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
        ]);
        spki.extend([0x03, 0x0d, 0x00]);
        spki.extend(pkcs1);
        assert_eq!(modulus_bits(&spki), Some(16));
        assert!(spki.ends_with(&pkcs1));
        assert_eq!(modulus_bits(&[0x30, 0x05, 0x02]), None);
        assert_eq!(modulus_bits(b"not der"), None);
    }

    #[test]
    fn tags_are_read_without_their_spaces() {
        let t = tags("v=DKIM1; k=rsa; p=MIIB IjAN\tBgkq");
        assert!(t.contains(&("p".to_string(), "MIIBIjANBgkq".to_string())));
    }
}
