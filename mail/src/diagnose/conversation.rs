//! The troubleshooter's SMTP conversation, spoken line by line as an administrator would with
//! `telnet host 25` or `openssl s_client -starttls smtp`: greeting, EHLO, STARTTLS, the TLS
//! handshake and the certificate, and (when asked) MAIL FROM and RCPT TO without DATA. Each
//! step is timed and kept apart, which a client library that folds greeting and EHLO into one
//! call cannot give.

use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio_rustls::TlsConnector;
use warmup_domain::diagnosis::{PortRole, StepFact, StepFailure, StepKind};
use warmup_domain::smtp_reply::parse_reply;

use super::certificate::Inspecting;
use super::{DiagnoseOptions, Probe};
use crate::dns::elapsed_ms;
use crate::steps::{Socket, shown_server_text};
use crate::tls::TlsTrust;

/// Lines one reply may have (EHLO lists a few dozen extensions at most).
const MAX_REPLY_LINES: usize = 100;

/// A reply as read.
struct Reply {
    code: u16,
    enhanced: Option<String>,
    text: String,
    /// The lines after the first (EHLO's extensions).
    lines: Vec<String>,
}

/// Why a reply could not be read.
struct NoReply(StepFailure, String);

async fn read_reply<S: AsyncRead + Unpin>(
    s: &mut BufReader<S>,
    limit: Duration,
) -> Result<Reply, NoReply> {
    let read = async {
        let mut raw = String::new();
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            let n = s.read_line(&mut line).await.map_err(|e| {
                let failure = if e.kind() == std::io::ErrorKind::TimedOut {
                    StepFailure::Timeout
                } else {
                    StepFailure::Closed
                };
                NoReply(failure, format!("connection lost: {e}"))
            })?;
            if n == 0 {
                return Err(NoReply(
                    StepFailure::Closed,
                    "the server closed the connection".into(),
                ));
            }
            let line = line.trim_end().to_string();
            let last = line.as_bytes().get(3) != Some(&b'-');
            raw.push_str(&line);
            raw.push('\n');
            lines.push(line);
            if last {
                break;
            }
            if lines.len() >= MAX_REPLY_LINES {
                // The rest would be read as the next reply: the conversation is lost.
                return Err(NoReply(
                    StepFailure::Other,
                    format!("a reply of more than {MAX_REPLY_LINES} lines"),
                ));
            }
        }
        let (code, enhanced, text) = parse_reply(&raw).ok_or_else(|| {
            NoReply(
                StepFailure::Other,
                format!("not an SMTP reply: {}", shown_server_text(&raw)),
            )
        })?;
        Ok(Reply {
            code,
            enhanced: enhanced.map(|e| e.to_string()),
            text: shown_server_text(&text),
            lines: lines.into_iter().skip(1).collect(),
        })
    };
    match tokio::time::timeout(limit, read).await {
        Ok(r) => r,
        Err(_) => Err(NoReply(
            StepFailure::Timeout,
            format!("no answer within {}s", limit.as_secs()),
        )),
    }
}

/// The steps so far.
pub(crate) struct Recorder {
    pub steps: Vec<StepFact>,
    timeout: Duration,
}

impl Recorder {
    fn push(&mut self, step: StepKind, started: Instant, outcome: Result<String, NoReply>) -> bool {
        let duration_ms = elapsed_ms(started);
        let ok = outcome.is_ok();
        self.steps.push(match outcome {
            Ok(detail) => StepFact {
                step,
                ok: true,
                duration_ms,
                reply_code: None,
                enhanced: None,
                failure: None,
                detail,
            },
            Err(NoReply(failure, detail)) => StepFact {
                step,
                ok: false,
                duration_ms,
                reply_code: None,
                enhanced: None,
                failure: Some(failure),
                detail,
            },
        });
        ok
    }

    /// Records a reply: `ok` when its code is `expected`'s class (2 or 3).
    fn reply(
        &mut self,
        step: StepKind,
        started: Instant,
        reply: Result<Reply, NoReply>,
        expected: u16,
    ) -> Option<Reply> {
        match reply {
            Ok(r) => {
                let ok = r.code / 100 == expected;
                self.steps.push(StepFact {
                    step,
                    ok,
                    duration_ms: elapsed_ms(started),
                    reply_code: Some(r.code),
                    enhanced: r.enhanced.clone(),
                    failure: (!ok).then_some(StepFailure::Reply),
                    detail: r.text.clone(),
                });
                ok.then_some(r)
            }
            Err(e) => {
                self.push(step, started, Err(e));
                None
            }
        }
    }

    async fn command<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        s: &mut BufReader<S>,
        step: StepKind,
        line: &str,
        expected: u16,
    ) -> Option<Reply> {
        let started = Instant::now();
        let sent = async {
            s.get_mut()
                .write_all(format!("{line}\r\n").as_bytes())
                .await?;
            s.get_mut().flush().await
        };
        if let Err(e) = tokio::time::timeout(self.timeout, sent)
            .await
            .unwrap_or_else(|_| Err(std::io::ErrorKind::TimedOut.into()))
        {
            self.push(
                step,
                started,
                Err(NoReply(
                    StepFailure::Closed,
                    format!("cannot send {line}: {e}"),
                )),
            );
            return None;
        }
        let reply = read_reply(s, self.timeout).await;
        self.reply(step, started, reply, expected)
    }
}

/// Greeting and EHLO; the EHLO extensions (upper-case keywords) when both succeeded.
async fn greet<S: AsyncRead + AsyncWrite + Unpin>(
    rec: &mut Recorder,
    s: &mut BufReader<S>,
    helo: &str,
) -> Option<Vec<String>> {
    let started = Instant::now();
    let banner = read_reply(s, rec.timeout).await;
    rec.reply(StepKind::Banner, started, banner, 2)?;
    let ehlo = rec
        .command(s, StepKind::Ehlo, &format!("EHLO {helo}"), 2)
        .await?;
    Some(
        ehlo.lines
            .iter()
            .filter_map(|l| l.get(4..))
            .map(|e| {
                e.split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_uppercase()
            })
            .collect(),
    )
}

/// The handshake and the certificate, two steps; the TLS stream when the handshake worked.
async fn handshake(
    rec: &mut Recorder,
    host: &str,
    tcp: Socket,
    trust: &TlsTrust,
) -> Option<tokio_rustls::client::TlsStream<Socket>> {
    let started = Instant::now();
    let inspecting = match Inspecting::new(trust) {
        Ok(i) => i,
        Err(why) => {
            rec.push(
                StepKind::Tls,
                started,
                Err(NoReply(StepFailure::Other, why)),
            );
            return None;
        }
    };
    let name = match ServerName::try_from(host.to_string()) {
        Ok(n) => n,
        Err(e) => {
            rec.push(
                StepKind::Tls,
                started,
                Err(NoReply(
                    StepFailure::TlsFailed,
                    format!("{host} is not a TLS server name: {e}"),
                )),
            );
            return None;
        }
    };
    let connect = TlsConnector::from(std::sync::Arc::clone(&inspecting.config)).connect(name, tcp);
    let tls = match tokio::time::timeout(rec.timeout, connect).await {
        Ok(Ok(tls)) => tls,
        Ok(Err(e)) => {
            rec.push(
                StepKind::Tls,
                started,
                Err(NoReply(
                    StepFailure::TlsFailed,
                    format!("TLS handshake failed: {e}"),
                )),
            );
            return None;
        }
        Err(_) => {
            rec.push(
                StepKind::Tls,
                started,
                Err(NoReply(
                    StepFailure::Timeout,
                    format!("no TLS handshake within {}s", rec.timeout.as_secs()),
                )),
            );
            return None;
        }
    };
    let version = tls
        .get_ref()
        .1
        .protocol_version()
        .map(|v| format!("{v:?}"))
        .unwrap_or_default();
    rec.push(StepKind::Tls, started, Ok(format!("negotiated {version}")));
    let checked = Instant::now();
    let verdict = inspecting
        .verdict()
        .map(|()| format!("trusted, valid for {host} and not expired"))
        .map_err(|(failure, why)| NoReply(failure, why));
    rec.push(StepKind::Certificate, checked, verdict);
    Some(tls)
}

/// MAIL FROM and RCPT TO: the server's verdict on the envelope; QUIT follows, nothing is
/// sent.
async fn probe<S: AsyncRead + AsyncWrite + Unpin>(
    rec: &mut Recorder,
    s: &mut BufReader<S>,
    probe: &Probe,
) {
    if rec
        .command(
            s,
            StepKind::MailFrom,
            &format!("MAIL FROM:<{}>", probe.mail_from),
            2,
        )
        .await
        .is_some()
    {
        rec.command(
            s,
            StepKind::RcptTo,
            &format!("RCPT TO:<{}>", probe.rcpt_to),
            2,
        )
        .await;
    }
}

async fn quit<S: AsyncRead + AsyncWrite + Unpin>(s: &mut BufReader<S>) {
    // What QUIT answers changes nothing; a server that does not answer is not waited for.
    let bye = async {
        s.get_mut().write_all(b"QUIT\r\n").await?;
        s.get_mut().flush().await?;
        let mut line = String::new();
        s.read_line(&mut line).await.map(|_| ())
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), bye).await;
}

/// The conversation on a connected socket, as steps.
pub(crate) async fn converse(
    tcp: Socket,
    host: &str,
    role: PortRole,
    options: &DiagnoseOptions,
    trust: &TlsTrust,
) -> Vec<StepFact> {
    let mut rec = Recorder {
        steps: Vec::new(),
        timeout: options.timeout,
    };
    let helo = options.helo_name.as_str();
    if role == PortRole::Submissions {
        let Some(tls) = handshake(&mut rec, host, tcp, trust).await else {
            return rec.steps;
        };
        let mut s = BufReader::new(tls);
        if greet(&mut rec, &mut s, helo).await.is_some() {
            quit(&mut s).await;
        }
        return rec.steps;
    }
    let mut s = BufReader::new(tcp);
    let Some(extensions) = greet(&mut rec, &mut s, helo).await else {
        return rec.steps;
    };
    if !extensions.iter().any(|e| e == "STARTTLS") {
        let started = Instant::now();
        rec.push(
            StepKind::Starttls,
            started,
            Err(NoReply(
                StepFailure::NotOffered,
                "STARTTLS is not among the EHLO extensions".into(),
            )),
        );
        quit(&mut s).await;
        return rec.steps;
    }
    if rec
        .command(&mut s, StepKind::Starttls, "STARTTLS", 2)
        .await
        .is_none()
    {
        quit(&mut s).await;
        return rec.steps;
    }
    // Whatever the server sent ahead of the handshake is dropped with the buffer, as RFC 3207
    // requires of a client.
    let Some(tls) = handshake(&mut rec, host, s.into_inner(), trust).await else {
        return rec.steps;
    };
    let mut s = BufReader::new(tls);
    let again = rec
        .command(&mut s, StepKind::Ehlo, &format!("EHLO {helo}"), 2)
        .await;
    if again.is_some() {
        // The second EHLO is a step of its own only when it fails.
        rec.steps.pop();
        if role == PortRole::Relay
            && let Some(p) = &options.probe
        {
            probe(&mut rec, &mut s, p).await;
        }
    }
    quit(&mut s).await;
    rec.steps
}
