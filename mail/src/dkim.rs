//! DKIM signing of outgoing warmup mail with the mailbox's own key (RSA, PKCS#1 or PKCS#8 PEM).

use mail_auth::common::crypto::{RsaKey, Sha256};
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::DkimSigner;
use rustls::pki_types::PrivateKeyDer;
use rustls::pki_types::pem::PemObject;

use crate::MailError;

/// Headers covered by the signature.
const SIGNED_HEADERS: [&str; 6] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
];

fn key(pem: &str) -> Result<RsaKey<Sha256>, MailError> {
    let der = PrivateKeyDer::from_pem_slice(pem.as_bytes())
        .map_err(|e| MailError::Message(format!("not a PEM private key: {e}")))?;
    RsaKey::<Sha256>::from_key_der(der)
        .map_err(|e| MailError::Message(format!("not an RSA private key: {e}")))
}

/// Checks that a PEM text is an RSA private key this service can sign with.
pub fn validate_key(pem: &str) -> Result<(), MailError> {
    key(pem).map(|_| ())
}

/// The public half of a stored key, as DER `RSAPublicKey` (PKCS#1): what a DKIM record's `p=`
/// holds, or ends with when it is a `SubjectPublicKeyInfo`.
pub fn public_key_der(pem: &str) -> Result<Vec<u8>, MailError> {
    Ok(key(pem)?.public_key())
}

/// Signs a whole message; returns it with the DKIM-Signature header in front.
pub fn sign(message: &[u8], pem: &str, domain: &str, selector: &str) -> Result<Vec<u8>, MailError> {
    let signature = DkimSigner::from_key(key(pem)?)
        .domain(domain)
        .selector(selector)
        .headers(SIGNED_HEADERS)
        .sign(message)
        .map_err(|e| MailError::Message(format!("DKIM signing failed: {e}")))?;
    let mut out = signature.to_header().into_bytes();
    out.extend_from_slice(message);
    Ok(out)
}
