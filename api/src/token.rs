//! What the API keeps of a bearer token in memory: its digest.

use sha2::{Digest, Sha256};

/// SHA-256 of a bearer token: what the rate limits remember of an API key, and how the metrics
/// token is compared (digests have one length, so comparing them reveals no token's length).
pub fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}
