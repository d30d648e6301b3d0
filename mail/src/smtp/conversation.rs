//! One SMTP conversation up to an authenticated session, as timed steps: connect to the
//! checked address, TLS, greeting and EHLO, STARTTLS, AUTH. The connection test reports the
//! steps; submission goes on to send. Each step has the step time limit and each answer the
//! size limit of `bounded`, whatever lettre itself would wait for or buffer.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream};
use lettre::transport::smtp::extension::ClientId;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_rustls::client::TlsStream;
use warmup_domain::Security;

use crate::bounded::SMTP_ANSWER_LIMIT;
use crate::connect::ConnectOptions;
use crate::steps::{ServerLogin, Socket, StepOutcome, Steps, tcp_connect, tls_handshake};
use crate::tls::TlsTrust;

impl AsyncTokioStream for Socket {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        Socket::peer_addr(self)
    }
}

/// An implicit-TLS socket that lettre can drive as its transport.
#[derive(Debug)]
struct ImplicitTls(TlsStream<Socket>);

impl AsyncRead for ImplicitTls {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for ImplicitTls {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for ImplicitTls {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

/// A lettre error as a failed step: the reply code when the server sent one, and its text.
pub(crate) fn smtp_failure(e: &lettre::transport::smtp::Error) -> StepOutcome {
    StepOutcome::failed(e.status().map(u16::from), e.to_string())
}

/// Connects, secures and authenticates, one timed step each; `None` when a step failed (the
/// last of `steps` says which and why).
pub(crate) async fn open(
    login: &ServerLogin,
    trust: &TlsTrust,
    options: &ConnectOptions,
    steps: &mut Steps,
) -> Option<AsyncSmtpConnection> {
    let host = login.host.as_str();
    let hello = ClientId::Domain(options.helo_name.clone());

    let tcp = steps
        .run(
            "connect",
            tcp_connect(
                host,
                login.port,
                options,
                SMTP_ANSWER_LIMIT,
                // Every SMTP step has its own limit; the longest, the message's verdict, is this.
                options.conversation_limit,
            ),
        )
        .await?;
    let transport: Box<dyn AsyncTokioStream> = if login.security == Security::Tls {
        let tls = steps.run("tls", tls_handshake(trust, host, tcp)).await?;
        Box::new(ImplicitTls(tls))
    } else {
        Box::new(tcp)
    };

    let ehlo = async {
        match AsyncSmtpConnection::connect_with_transport(transport, &hello).await {
            Ok(conn) => {
                let info = conn.server_info().to_string();
                Ok((
                    conn,
                    StepOutcome::ok(format!("greeting and EHLO accepted by {info}")),
                ))
            }
            Err(e) => Err(smtp_failure(&e)),
        }
    };
    let mut conn = steps.run("ehlo", ehlo).await?;

    if login.security == Security::Starttls {
        let upgrade = async {
            if !conn.can_starttls() {
                return Err(StepOutcome::failed(
                    None,
                    "the server does not offer STARTTLS; choose security \"tls\" or \"none\"",
                ));
            }
            let params = trust
                .lettre_parameters(host)
                .map_err(|e| StepOutcome::failed(None, e.to_string()))?;
            conn.starttls(params, &hello)
                .await
                .map(|()| {
                    (
                        (),
                        StepOutcome::ok(format!("TLS established, certificate valid for {host}")),
                    )
                })
                .map_err(|e| smtp_failure(&e))
        };
        steps.run("starttls", upgrade).await?;
    }

    let credentials = Credentials::new(login.username.clone(), login.password.expose().to_string());
    let auth = async {
        conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
            .await
            .map(|r| {
                let text = r.message().collect::<Vec<_>>().join(" ");
                let code = u16::from(r.code());
                (
                    (),
                    StepOutcome {
                        ok: true,
                        reply_code: Some(code),
                        detail: text,
                    },
                )
            })
            .map_err(|e| smtp_failure(&e))
    };
    steps.run("auth", auth).await?;
    Some(conn)
}

/// Ends the conversation politely, but never waits long for a server that does not answer.
pub(crate) async fn close(mut conn: AsyncSmtpConnection, options: &ConnectOptions) {
    let wait = options.timeout.min(std::time::Duration::from_secs(5));
    // What QUIT answers changes nothing: the message was accepted or refused before it.
    let _ = tokio::time::timeout(wait, conn.quit()).await;
}
