//! The SMTP half of the connection test, on lettre's low-level connection so that each
//! protocol step is observed separately.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream};
use lettre::transport::smtp::extension::ClientId;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use warmup_domain::Security;

use crate::connect::ConnectOptions;
use crate::steps::{ConnectionReport, ServerLogin, StepOutcome, Steps, tcp_connect, tls_handshake};
use crate::tls::TlsTrust;

/// An implicit-TLS socket that lettre can drive as its transport.
#[derive(Debug)]
struct ImplicitTls(TlsStream<TcpStream>);

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
fn smtp_failure(e: &lettre::transport::smtp::Error) -> StepOutcome {
    StepOutcome::failed(e.status().map(u16::from), e.to_string())
}

pub(crate) async fn probe(
    login: &ServerLogin,
    trust: &TlsTrust,
    options: &ConnectOptions,
) -> ConnectionReport {
    let mut steps = Steps::new(options.timeout);
    let host = login.host.as_str();
    let hello = ClientId::Domain(options.helo_name.clone());

    let Some(tcp) = steps
        .run(
            "connect",
            tcp_connect(host, login.port, options.allow_private_hosts),
        )
        .await
    else {
        return steps.report(host, login.port);
    };
    let transport: Box<dyn AsyncTokioStream> = if login.security == Security::Tls {
        let Some(tls) = steps.run("tls", tls_handshake(trust, host, tcp)).await else {
            return steps.report(host, login.port);
        };
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
    let Some(mut conn) = steps.run("ehlo", ehlo).await else {
        return steps.report(host, login.port);
    };

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
        if steps.run("starttls", upgrade).await.is_none() {
            conn.abort().await;
            return steps.report(host, login.port);
        }
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
    steps.run("auth", auth).await;
    let _ = conn.quit().await;
    steps.report(host, login.port)
}
