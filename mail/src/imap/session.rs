//! The IMAP half of the connection test, on async-imap.

use std::fmt::Debug;

use futures::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use warmup_domain::Security;

use crate::MailError;
use crate::bounded::IMAP_ANSWER_LIMIT;
use crate::connect::ConnectOptions;
use crate::steps::{ConnectionReport, ServerLogin, StepOutcome, Steps, tcp_connect, tls_handshake};
use crate::tls::TlsTrust;

/// Any byte stream async-imap can run over: plain TCP or TLS.
pub trait ImapIo: AsyncRead + AsyncWrite + Unpin + Send + Debug {}
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

/// An IMAP session over plain TCP or TLS.
pub type Session = async_imap::Session<Box<dyn ImapIo>>;

/// Connects, secures and logs in, recording each step; `None` when a step failed.
pub(crate) async fn login_steps(
    login: &ServerLogin,
    trust: &TlsTrust,
    options: &ConnectOptions,
    steps: &mut Steps,
) -> Option<Session> {
    let host = login.host.as_str();
    let tcp = steps
        .run(
            "connect",
            tcp_connect(
                host,
                login.port,
                options,
                IMAP_ANSWER_LIMIT,
                options.timeout,
            ),
        )
        .await?;
    let client = match login.security {
        Security::Tls => {
            let tls = steps.run("tls", tls_handshake(trust, host, tcp)).await?;
            let boxed: Box<dyn ImapIo> = Box::new(tls);
            steps
                .run("greeting", greeting(async_imap::Client::new(boxed)))
                .await?
        }
        Security::None => {
            let boxed: Box<dyn ImapIo> = Box::new(tcp);
            steps
                .run("greeting", greeting(async_imap::Client::new(boxed)))
                .await?
        }
        Security::Starttls => {
            let mut plain = steps
                .run("greeting", greeting(async_imap::Client::new(tcp)))
                .await?;
            let upgrade = async {
                plain
                    .run_command_and_check_ok("STARTTLS", None)
                    .await
                    .map_err(|e| StepOutcome::failed(None, format!("STARTTLS refused: {e}")))?;
                let (tls, outcome) = tls_handshake(trust, host, plain.into_inner()).await?;
                let boxed: Box<dyn ImapIo> = Box::new(tls);
                Ok((async_imap::Client::new(boxed), outcome))
            };
            steps.run("starttls", upgrade).await?
        }
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
    steps.run("login", logged_in).await
}

/// Logs in for a job (no report): the failed step's detail is the error, a login error when
/// the server refused the credentials, a connection error before that.
pub async fn open(
    login: &ServerLogin,
    trust: &TlsTrust,
    options: &ConnectOptions,
) -> Result<Session, MailError> {
    let mut steps = Steps::new(options.timeout);
    if let Some(session) = login_steps(login, trust, options, &mut steps).await {
        return Ok(session);
    }
    Err(match steps.steps.last() {
        // A refusal, not a login step that ran out of time.
        Some(s) if s.step == "login" && s.detail.starts_with("login refused") => {
            MailError::Login(format!("IMAP login: {}", s.detail))
        }
        Some(s) => MailError::Connect(format!("IMAP {}: {}", s.step, s.detail)),
        None => MailError::Connect("IMAP login failed".to_string()),
    })
}

pub(crate) async fn probe(
    login: &ServerLogin,
    trust: &TlsTrust,
    options: &ConnectOptions,
) -> ConnectionReport {
    let mut steps = Steps::new(options.timeout);
    let Some(mut session) = login_steps(login, trust, options, &mut steps).await else {
        return steps.report(&login.host, login.port);
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
        // The first names only: the step's detail is cut anyway, the count is what tells.
        let shown: Vec<&str> = names.iter().take(20).map(String::as_str).collect();
        let more = if names.len() > shown.len() {
            ", …"
        } else {
            ""
        };
        let detail = format!("{} folders: {}{more}", names.len(), shown.join(", "));
        Ok(((), StepOutcome::ok(detail)))
    };
    steps.run("list", list).await;
    let _ = session.logout().await;
    steps.report(&login.host, login.port)
}
