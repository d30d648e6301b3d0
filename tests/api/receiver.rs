//! A webhook receiver for tests: HTTP/1.1 on loopback, plain or over TLS, answering scripted
//! statuses and keeping every request; and a Standard Webhooks signature check written apart
//! from the service's own.

use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// HMAC-SHA256 written out from RFC 2104, apart from the service's own (ring).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// Verifies a request by the Standard Webhooks convention: some `v1,` signature in the header
/// is the HMAC of `id.timestamp.body` under the secret's key.
pub fn verifies(secret: &str, r: &Received) -> bool {
    let key = STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .unwrap_or_default();
    let signed = format!(
        "{}.{}.{}",
        r.header("webhook-id"),
        r.header("webhook-timestamp"),
        r.body
    );
    let expected = STANDARD.encode(hmac_sha256(&key, signed.as_bytes()));
    r.header("webhook-signature")
        .split(' ')
        .any(|s| s.strip_prefix("v1,") == Some(expected.as_str()))
}

/// One request as the receiver got it.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A receiver on loopback answering the scripted statuses in turn (the last one for every
/// request after).
pub struct Receiver {
    pub port: u16,
    got: Arc<Mutex<Vec<Received>>>,
    scheme: &'static str,
}

impl Receiver {
    /// Plain HTTP.
    pub async fn start(statuses: Vec<u16>) -> Self {
        Self::serve(statuses, None).await
    }

    /// HTTPS with this server configuration (a certificate the service trusts).
    pub async fn start_tls(statuses: Vec<u16>, tls: Arc<rustls::ServerConfig>) -> Self {
        Self::serve(statuses, Some(tokio_rustls::TlsAcceptor::from(tls))).await
    }

    async fn serve(statuses: Vec<u16>, tls: Option<tokio_rustls::TlsAcceptor>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let got = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&got);
        let scheme = if tls.is_some() { "https" } else { "http" };
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let seen = Arc::clone(&seen);
                let statuses = statuses.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(tcp).await {
                                answer(stream, &seen, &statuses).await;
                            }
                        }
                        None => answer(tcp, &seen, &statuses).await,
                    }
                });
            }
        });
        Self { port, got, scheme }
    }

    /// The receiver's URL under `host` (a name its certificate holds, for HTTPS).
    pub fn url_at(&self, host: &str) -> String {
        format!("{}://{host}:{}/hook", self.scheme, self.port)
    }

    pub fn url(&self) -> String {
        self.url_at("127.0.0.1")
    }

    pub fn requests(&self) -> Vec<Received> {
        self.got.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

async fn answer<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    seen: &Mutex<Vec<Received>>,
    statuses: &[u16],
) {
    let Some(r) = read_request(&mut stream).await else {
        return;
    };
    let n = {
        let mut all = seen.lock().unwrap_or_else(|e| e.into_inner());
        all.push(r);
        all.len()
    };
    let status = statuses
        .get(n - 1)
        .or(statuses.last())
        .copied()
        .unwrap_or(200);
    let reply = format!("HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
}

async fn read_request<S: AsyncRead + Unpin>(stream: &mut S) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        headers,
        body: String::from_utf8_lossy(&buf[head_end..]).to_string(),
    })
}
