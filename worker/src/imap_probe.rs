//! The IMAP half of the connection test, on async-imap.

use std::fmt::Debug;

use futures::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use warmup_domain::Security;

use crate::connection_test::{
    ConnectionReport, ProbeOptions, ServerLogin, StepOutcome, Steps, tcp_connect, tls_handshake,
};
use crate::tls::TlsTrust;

/// Any byte stream async-imap can run over: plain TCP or TLS.
pub(crate) trait ImapIo: AsyncRead + AsyncWrite + Unpin + Send + Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + Debug> ImapIo for T {}

async fn greeting<T: ImapIo>(
    mut client: async_imap::Client<T>,
) -> Result<(async_imap::Client<T>, StepOutcome), StepOutcome> {
    match client.read_response().await {
        Ok(Some(resp)) => {
            let text = format!("{:?}", resp.parsed());
            Ok((client, StepOutcome::ok(text)))
        }
        Ok(None) => Err(StepOutcome::failed(
            None,
            "the server closed the connection before greeting",
        )),
        Err(e) => Err(StepOutcome::failed(
            None,
            format!("reading the greeting failed: {e}"),
        )),
    }
}

pub(crate) async fn probe(
    login: &ServerLogin,
    trust: &TlsTrust,
    options: &ProbeOptions,
) -> ConnectionReport {
    let mut steps = Steps::new(options.timeout);
    let host = login.host.as_str();
    let port = login.port;

    let Some(tcp) = steps
        .run(
            "connect",
            tcp_connect(host, port, options.allow_private_hosts),
        )
        .await
    else {
        return steps.report(host, port);
    };
    let greeted = match login.security {
        Security::Tls => {
            let Some(tls) = steps.run("tls", tls_handshake(trust, host, tcp)).await else {
                return steps.report(host, port);
            };
            let boxed: Box<dyn ImapIo> = Box::new(tls);
            steps
                .run("greeting", greeting(async_imap::Client::new(boxed)))
                .await
        }
        Security::None => {
            let boxed: Box<dyn ImapIo> = Box::new(tcp);
            steps
                .run("greeting", greeting(async_imap::Client::new(boxed)))
                .await
        }
        Security::Starttls => {
            let Some(mut plain) = steps
                .run("greeting", greeting(async_imap::Client::new(tcp)))
                .await
            else {
                return steps.report(host, port);
            };
            let upgrade = async {
                plain
                    .run_command_and_check_ok("STARTTLS", None)
                    .await
                    .map_err(|e| StepOutcome::failed(None, format!("STARTTLS refused: {e}")))?;
                let (tls, outcome) = tls_handshake(trust, host, plain.into_inner()).await?;
                let boxed: Box<dyn ImapIo> = Box::new(tls);
                Ok((async_imap::Client::new(boxed), outcome))
            };
            steps.run("starttls", upgrade).await
        }
    };
    let Some(client) = greeted else {
        return steps.report(host, port);
    };

    let logged_in = async {
        match client.login(&login.username, login.password.expose()).await {
            Ok(session) => Ok((
                session,
                StepOutcome::ok(format!("logged in as {}", login.username)),
            )),
            Err((e, _)) => Err(StepOutcome::failed(None, format!("login refused: {e}"))),
        }
    };
    let Some(mut session) = steps.run("login", logged_in).await else {
        return steps.report(host, port);
    };

    let list = async {
        let names: Vec<String> = session
            .list(None, Some("*"))
            .await
            .map_err(|e| StepOutcome::failed(None, format!("LIST failed: {e}")))?
            .map_ok(|n| n.name().to_string())
            .try_collect()
            .await
            .map_err(|e| StepOutcome::failed(None, format!("LIST failed: {e}")))?;
        let detail = format!("{} folders: {}", names.len(), names.join(", "));
        Ok(((), StepOutcome::ok(detail)))
    };
    steps.run("list", list).await;
    let _ = session.logout().await;
    steps.report(host, port)
}
