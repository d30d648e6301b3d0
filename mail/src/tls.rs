//! One trust configuration for every TLS connection to a mail server: the system roots plus
//! the certificates of `WARMUP_EXTRA_CA_FILE`. Certificate and host-name checks are never off.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::MailError;

/// Roots trusted for SMTP and IMAP TLS.
#[derive(Clone)]
pub struct TlsTrust {
    extra_pem: Arc<Vec<u8>>,
    roots: Arc<RootCertStore>,
    config: Arc<ClientConfig>,
    /// lettre's parameters per host: lettre reads the system's roots from disk each time it
    /// builds them, which cost more CPU than the rest of a send.
    lettre: Arc<Mutex<HashMap<String, lettre::transport::smtp::client::TlsParameters>>>,
}

/// Hosts whose lettre parameters are kept; past that one is dropped for each new one.
const LETTRE_HOSTS: usize = 256;

impl std::fmt::Debug for TlsTrust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsTrust")
            .field("extra_pem_bytes", &self.extra_pem.len())
            .finish()
    }
}

impl TlsTrust {
    /// System roots, plus the PEM certificates in `extra_ca_file` when given.
    pub fn load(extra_ca_file: Option<&str>) -> Result<Self, MailError> {
        let mut roots = RootCertStore::empty();
        let native = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(native.certs);
        let mut extra_pem = Vec::new();
        if let Some(path) = extra_ca_file {
            extra_pem = std::fs::read(path)
                .map_err(|e| MailError::Setup(format!("cannot read CA file {path}: {e}")))?;
            let certs: Vec<CertificateDer<'static>> =
                rustls_pemfile::certs(&mut extra_pem.as_slice())
                    .filter_map(Result::ok)
                    .collect();
            if certs.is_empty() {
                return Err(MailError::Setup(format!(
                    "CA file {path} holds no PEM certificate"
                )));
            }
            roots.add_parsable_certificates(certs);
        }
        let roots = Arc::new(roots);
        let config = ClientConfig::builder()
            .with_root_certificates(Arc::clone(&roots))
            .with_no_client_auth();
        Ok(Self {
            extra_pem: Arc::new(extra_pem),
            roots,
            config: Arc::new(config),
            lettre: Arc::default(),
        })
    }

    /// Wraps a connected socket in TLS, verifying the certificate for `host`.
    pub async fn connect<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        host: &str,
        tcp: S,
    ) -> std::io::Result<TlsStream<S>> {
        let name = ServerName::try_from(host.to_string())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        TlsConnector::from(Arc::clone(&self.config))
            .connect(name, tcp)
            .await
    }

    /// The client configuration every TLS connection uses, for a client that builds its own
    /// connections (HTTPS).
    pub(crate) fn client_config(&self) -> ClientConfig {
        (*self.config).clone()
    }

    /// The trusted roots, for a verifier that reports instead of refusing (the troubleshooter).
    pub(crate) fn roots(&self) -> Arc<RootCertStore> {
        Arc::clone(&self.roots)
    }

    /// The same trust for lettre's STARTTLS, which builds its own rustls configuration. Kept
    /// per host: one configuration per host also lets SMTP sessions resume TLS, as IMAP's do.
    pub fn lettre_parameters(
        &self,
        host: &str,
    ) -> Result<lettre::transport::smtp::client::TlsParameters, lettre::transport::smtp::Error>
    {
        use lettre::transport::smtp::client::{Certificate, TlsParameters};
        if let Some(known) = self.lettre.lock().ok().and_then(|c| c.get(host).cloned()) {
            return Ok(known);
        }
        let mut builder = TlsParameters::builder(host.to_string());
        if !self.extra_pem.is_empty() {
            for block in split_pem(&self.extra_pem) {
                builder = builder.add_root_certificate(Certificate::from_pem(&block)?);
            }
        }
        let built = builder.build_rustls()?;
        if let Ok(mut cache) = self.lettre.lock() {
            if cache.len() >= LETTRE_HOSTS
                && let Some(old) = cache.keys().next().cloned()
            {
                cache.remove(&old);
            }
            cache.insert(host.to_string(), built.clone());
        }
        Ok(built)
    }
}

/// lettre's `Certificate::from_pem` reads one certificate; a bundle is split first.
fn split_pem(pem: &[u8]) -> Vec<Vec<u8>> {
    let text = String::from_utf8_lossy(pem);
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.starts_with("-----BEGIN CERTIFICATE-----") {
            current.clear();
        }
        current.push_str(line);
        current.push('\n');
        if line.starts_with("-----END CERTIFICATE-----") {
            out.push(current.clone().into_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_split_into_single_certificates() {
        let pem = "junk\n-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n\
                   -----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----\n";
        let parts = split_pem(pem.as_bytes());
        assert_eq!(parts.len(), 2);
        assert!(String::from_utf8_lossy(&parts[1]).contains("BBB"));
        assert!(!String::from_utf8_lossy(&parts[0]).contains("junk"));
    }

    #[test]
    fn a_missing_or_empty_ca_file_is_an_error_not_ignored() {
        assert!(matches!(
            TlsTrust::load(Some("/nonexistent/ca.pem")),
            Err(MailError::Setup(m)) if m.starts_with("cannot read CA file")
        ));
        let dir = std::env::temp_dir().join(format!("warmup-tls-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let empty = dir.join("empty.pem");
        let _ = std::fs::write(&empty, "not a certificate");
        assert!(matches!(
            TlsTrust::load(empty.to_str()),
            Err(MailError::Setup(m)) if m.ends_with("holds no PEM certificate")
        ));
    }

    #[test]
    fn lettre_parameters_are_built_once_per_host_and_the_cache_is_bounded() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let trust = TlsTrust::load(None).unwrap_or_else(|e| panic!("{e}"));
        let cached = |t: &TlsTrust| t.lettre.lock().map(|c| c.len()).unwrap_or(usize::MAX);
        for _ in 0..3 {
            let p = trust
                .lettre_parameters("smtp.example.com")
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(p.domain(), "smtp.example.com");
        }
        let other = trust
            .lettre_parameters("smtp.example.org")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(other.domain(), "smtp.example.org", "never another host's");
        assert_eq!(cached(&trust), 2);
        for n in 0..LETTRE_HOSTS + 10 {
            let _ = trust.lettre_parameters(&format!("smtp{n}.example.com"));
        }
        assert!(cached(&trust) <= LETTRE_HOSTS);
    }
}
