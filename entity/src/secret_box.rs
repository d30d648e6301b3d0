//! Authenticated encryption of credentials at rest: XChaCha20-Poly1305 with a random nonce per
//! value, and the row and field bound in as associated data so a ciphertext cannot be moved to
//! another row.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use warmup_domain::Secret;

const VERSION: &str = "v1.";
const NONCE_LEN: usize = 24;

/// The associated data that binds a stored password to its row and field, e.g.
/// `mailbox:<id>:smtp`.
pub fn context(kind: &str, id: uuid::Uuid, field: &str) -> String {
    format!("{kind}:{id}:{field}")
}

/// The process's data-encryption key.
#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

/// A key or ciphertext that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretBoxError {
    #[error("the secret key must be 32 bytes encoded as base64")]
    BadKey,
    #[error("a stored secret could not be decrypted with the configured key")]
    Undecryptable,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(***)")
    }
}

impl SecretBox {
    /// Builds the box from a base64-encoded 32-byte key.
    pub fn from_base64(key: &str) -> Result<Self, SecretBoxError> {
        let bytes = STANDARD
            .decode(key.trim())
            .map_err(|_| SecretBoxError::BadKey)?;
        let cipher =
            XChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| SecretBoxError::BadKey)?;
        Ok(Self { cipher })
    }

    /// A fresh random key, base64-encoded.
    pub fn generate_key() -> String {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        STANDARD.encode(key)
    }

    /// Encrypts `secret`, binding it to `context` (for example `mailbox:<id>:smtp`).
    pub fn seal(&self, secret: &Secret, context: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let payload = Payload {
            msg: secret.expose().as_bytes(),
            aad: context.as_bytes(),
        };
        // Encryption with a valid key and in-memory buffers has no failure mode but length
        // overflow, which a password cannot reach.
        let ciphertext = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ciphertext);
        format!("{VERSION}{}", STANDARD.encode(out))
    }

    /// Decrypts what [`SecretBox::seal`] produced for the same `context`.
    pub fn open(&self, sealed: &str, context: &str) -> Result<Secret, SecretBoxError> {
        let raw = sealed
            .strip_prefix(VERSION)
            .and_then(|b| STANDARD.decode(b).ok())
            .filter(|b| b.len() > NONCE_LEN)
            .ok_or(SecretBoxError::Undecryptable)?;
        let (nonce, ciphertext) = raw.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SecretBoxError::Undecryptable)?;
        String::from_utf8(plain)
            .map(Secret::new)
            .map_err(|_| SecretBoxError::Undecryptable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sb() -> SecretBox {
        SecretBox::from_base64(&SecretBox::generate_key()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn round_trips_and_hides_the_plaintext() {
        let b = sb();
        let sealed = b.seal(&Secret::new("correct horse"), "mailbox:1:smtp");
        assert!(!sealed.contains("correct horse"));
        assert_eq!(
            b.open(&sealed, "mailbox:1:smtp")
                .map(|s| s.expose().to_string()),
            Ok("correct horse".into())
        );
    }

    #[test]
    fn same_value_encrypts_differently_each_time() {
        let b = sb();
        let s = Secret::new("x");
        assert_ne!(b.seal(&s, "c"), b.seal(&s, "c"));
    }

    #[test]
    fn refuses_another_context_another_key_or_tampering() {
        let b = sb();
        let sealed = b.seal(&Secret::new("pw"), "mailbox:1:smtp");
        assert_eq!(
            b.open(&sealed, "mailbox:2:smtp"),
            Err(SecretBoxError::Undecryptable)
        );
        assert_eq!(
            sb().open(&sealed, "mailbox:1:smtp"),
            Err(SecretBoxError::Undecryptable)
        );
        let mut raw = STANDARD
            .decode(sealed.trim_start_matches(VERSION))
            .unwrap_or_default();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        let tampered = format!("{VERSION}{}", STANDARD.encode(raw));
        assert_eq!(
            b.open(&tampered, "mailbox:1:smtp"),
            Err(SecretBoxError::Undecryptable)
        );
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        assert_eq!(
            SecretBox::from_base64("short").err(),
            Some(SecretBoxError::BadKey)
        );
        assert_eq!(
            SecretBox::from_base64(&STANDARD.encode([0u8; 16])).err(),
            Some(SecretBoxError::BadKey)
        );
    }
}
