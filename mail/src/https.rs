//! HTTPS to other parties' servers (webhook receivers, MTA-STS policy hosts) under the same
//! rules as mail servers: the name resolved once and checked against the private-address rule,
//! the connection pinned to that address, no proxy (it would resolve the name again), no
//! redirects, a time limit, and at most so many bytes of the answer read.

use std::net::SocketAddr;
use std::time::Duration;

use crate::connect::{ConnectOptions, first_private, resolve};
use crate::tls::TlsTrust;

/// A client that connects `host` only to `addrs`.
pub(crate) fn pinned_client(
    trust: &TlsTrust,
    host: &str,
    addrs: &[SocketAddr],
    timeout: Duration,
) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .use_preconfigured_tls(trust.client_config())
        .no_proxy()
        .resolve_to_addrs(host, addrs)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .build()
        .map_err(|e| format!("cannot build an HTTPS client: {e}"))
}

/// What the receiver answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpAnswer {
    pub status: u16,
    /// The start of the body, at most the limit asked for (lossy UTF-8).
    pub body: String,
}

/// Why no answer came.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// The address may never be used (not a URL, or a loopback, private or link-local
    /// address): no connection was made, and trying again changes nothing.
    #[error("{0}")]
    Refused(String),
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The name did not resolve, or the connection or the exchange failed: worth another try.
    #[error("{0}")]
    Failed(String),
}

/// POSTs `body` to `url` with `headers`; reads at most `limit` bytes of the answer. The whole
/// exchange, name lookup included, ends within `timeout`.
pub async fn post(
    url: &str,
    headers: &[(&str, String)],
    body: Vec<u8>,
    trust: &TlsTrust,
    options: &ConnectOptions,
    timeout: Duration,
    limit: usize,
) -> Result<HttpAnswer, HttpError> {
    tokio::time::timeout(
        timeout,
        exchange(url, headers, body, trust, options, timeout, limit),
    )
    .await
    .unwrap_or(Err(HttpError::Timeout(timeout)))
}

async fn exchange(
    url: &str,
    headers: &[(&str, String)],
    body: Vec<u8>,
    trust: &TlsTrust,
    options: &ConnectOptions,
    timeout: Duration,
    limit: usize,
) -> Result<HttpAnswer, HttpError> {
    let parsed = reqwest::Url::parse(url).map_err(|e| HttpError::Refused(e.to_string()))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| HttpError::Refused(format!("{url} names no host")))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = parsed
        .port_or_known_default()
        .ok_or_else(|| HttpError::Refused(format!("{url} has no port")))?;
    let addrs = resolve(&host, port, options)
        .await
        .map_err(|e| HttpError::Failed(e.to_string()))?;
    if let Some(ip) = first_private(&addrs, options) {
        // The address stays in the log: shown to a tenant it would map the operator's
        // network name by name.
        tracing::warn!(host = %host, %ip, "refused an HTTPS request to a non-public address");
        return Err(HttpError::Refused(format!(
            "{host} resolves to a loopback, private or link-local address"
        )));
    }
    let client = pinned_client(trust, &host, &addrs, timeout).map_err(HttpError::Failed)?;
    let mut request = client.post(parsed).body(body);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let mut response = request.send().await.map_err(|e| failure(e, timeout))?;
    let status = response.status().as_u16();
    let mut read = Vec::new();
    while read.len() < limit {
        match response.chunk().await {
            Ok(Some(chunk)) => read.extend_from_slice(&chunk),
            Ok(None) => break,
            // The status is what counts; a body cut short is kept as far as it came.
            Err(_) => break,
        }
    }
    read.truncate(limit);
    Ok(HttpAnswer {
        status,
        body: String::from_utf8_lossy(&read).into_owned(),
    })
}

fn failure(e: reqwest::Error, timeout: Duration) -> HttpError {
    if e.is_timeout() {
        return HttpError::Timeout(timeout);
    }
    // reqwest's own message is generic; the causes say what happened.
    let mut words = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        words.push_str(": ");
        words.push_str(&s.to_string());
        source = s.source();
    }
    HttpError::Failed(words)
}
