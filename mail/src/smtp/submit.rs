//! Submitting a message through an account's SMTP server with lettre: one conversation, its
//! answer classified by RFC 3463.

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::Tls;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use warmup_domain::Security;
use warmup_domain::smtp_reply::{SmtpReply, classify, classify_raw};

use crate::connect::{ConnectOptions, resolve_allowed};
use crate::message::Built;
use crate::steps::ServerLogin;
use crate::tls::TlsTrust;

/// One SMTP conversation submitting `message`, or its DKIM-signed bytes when given. Never an
/// error: what went wrong is the reply (code 0 when the server never answered).
pub async fn submit(
    account: &ServerLogin,
    trust: &TlsTrust,
    options: &ConnectOptions,
    message: &Built,
    signed: Option<&[u8]>,
) -> SmtpReply {
    let host = account.host.as_str();
    if let Err(e) = resolve_allowed(host, account.port, options.allow_private_hosts).await {
        return SmtpReply::unanswered(&e.to_string());
    }
    let tls = match account.security {
        Security::None => Tls::None,
        sec => match trust.lettre_parameters(host) {
            Ok(p) if sec == Security::Tls => Tls::Wrapper(p),
            Ok(p) => Tls::Required(p),
            Err(e) => return SmtpReply::unanswered(&format!("TLS setup failed: {e}")),
        },
    };
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(account.port)
        .tls(tls)
        .hello_name(ClientId::Domain(options.helo_name.clone()))
        .credentials(Credentials::new(
            account.username.clone(),
            account.password.expose().to_string(),
        ))
        .timeout(Some(options.timeout))
        .build();
    let bytes = match signed {
        Some(b) => b.to_vec(),
        None => message.bytes(),
    };
    match transport.send_raw(message.message.envelope(), &bytes).await {
        Ok(r) => classify(
            u16::from(r.code()),
            None,
            &r.message().collect::<Vec<_>>().join(" "),
        ),
        Err(e) => reply_of(&e),
    }
}

/// The reply inside a lettre error, classified; errors without a reply (refused connections,
/// TLS failures, timeouts) are transient with code 0.
fn reply_of(e: &lettre::transport::smtp::Error) -> SmtpReply {
    let text = e.to_string();
    match e.status() {
        Some(code) => {
            let rest = text.split_once("): ").map_or(text.as_str(), |(_, t)| t);
            classify_raw(&format!("{} {rest}", u16::from(code)))
                .unwrap_or_else(|| classify(u16::from(code), None, rest))
        }
        None => SmtpReply::unanswered(&text),
    }
}
