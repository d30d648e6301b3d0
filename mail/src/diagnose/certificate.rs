//! TLS for the troubleshooter: the handshake goes on whatever the certificate, and the
//! certificate's verdict (the same verification every other connection of the service makes)
//! is kept for its own step. A diagnosis sends no secret, so seeing past a bad certificate
//! costs nothing and tells "TLS works, the certificate expired" from "TLS is broken".

use std::sync::{Arc, Mutex};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, Error, SignatureScheme};
use warmup_domain::diagnosis::StepFailure;

use crate::tls::TlsTrust;

/// What the verification said; `None` until a handshake asked.
type Verdict = Arc<Mutex<Option<Result<(), Error>>>>;

#[derive(Debug)]
struct Recording {
    inner: Arc<WebPkiServerVerifier>,
    verdict: Verdict,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let result = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ());
        if let Ok(mut v) = self.verdict.lock() {
            *v = Some(result);
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// A client configuration for one handshake, and where its certificate verdict lands.
pub(crate) struct Inspecting {
    pub config: Arc<ClientConfig>,
    verdict: Verdict,
}

impl Inspecting {
    pub fn new(trust: &TlsTrust) -> Result<Self, String> {
        let inner = WebPkiServerVerifier::builder(trust.roots())
            .build()
            .map_err(|e| format!("cannot build the certificate verifier: {e}"))?;
        let verdict: Verdict = Arc::new(Mutex::new(None));
        let config = ClientConfig::builder()
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Recording {
                inner,
                verdict: Arc::clone(&verdict),
            }))
            .with_no_client_auth();
        Ok(Self {
            config: Arc::new(config),
            verdict,
        })
    }

    /// The certificate's verdict: `Ok` when trusted and valid for the name, else why not.
    pub fn verdict(&self) -> Result<(), (StepFailure, String)> {
        let seen = self.verdict.lock().ok().and_then(|v| v.clone());
        match seen {
            Some(Ok(())) => Ok(()),
            Some(Err(e)) => Err(describe(&e)),
            None => Err((
                StepFailure::CertificateInvalid,
                "the server presented no certificate".into(),
            )),
        }
    }
}

/// A verification error as a failure kind and plain words.
fn describe(e: &Error) -> (StepFailure, String) {
    match e {
        Error::InvalidCertificate(c) => {
            let kind = match c {
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    StepFailure::CertificateExpired
                }
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => {
                    StepFailure::CertificateWrongName
                }
                CertificateError::UnknownIssuer => StepFailure::CertificateUntrusted,
                _ => StepFailure::CertificateInvalid,
            };
            (kind, e.to_string())
        }
        other => (StepFailure::CertificateInvalid, other.to_string()),
    }
}
