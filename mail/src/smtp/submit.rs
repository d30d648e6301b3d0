//! Submitting a message through an account's SMTP server: one conversation over a socket we
//! connected to the checked address, every step and the whole bounded in time, every answer in
//! size; the answer classified by RFC 3463.

use lettre::address::Envelope;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{Extension, MailBodyParameter, MailParameter};
use warmup_domain::smtp_reply::{SmtpReply, classify, classify_raw};

use crate::connect::ConnectOptions;
use crate::message::Built;
use crate::smtp::conversation::{self, smtp_failure};
use crate::steps::{ProbeStep, ServerLogin, StepOutcome, Steps, shown_server_text};
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
    let bytes = match signed {
        Some(b) => b.to_vec(),
        None => message.bytes(),
    };
    let envelope = message.message.envelope();
    let limit = options.conversation_limit;
    let mut steps = Steps::new(options.timeout);
    // Up to the server's go-ahead for the message, under the conversation's limit: nothing has
    // been handed over yet, so giving up here can never lose or double a message.
    let talk = async {
        let mut conn = conversation::open(account, trust, options, &mut steps).await?;
        let ready = steps
            .run("envelope", envelope_commands(&mut conn, envelope, &bytes))
            .await;
        Some((conn, ready))
    };
    let (mut conn, ready) = match tokio::time::timeout(limit, talk).await {
        Ok(Some((conn, ready))) => (Some(conn), ready),
        Ok(None) => (None, None),
        Err(_) => {
            return SmtpReply::unanswered(&format!(
                "the SMTP conversation took longer than {}s",
                limit.as_secs()
            ));
        }
    };
    // The message itself and the server's verdict: one step of its own, outside the
    // conversation's limit, so that a server that accepts late (a content scan) is not taken
    // for a silent one and sent the message again.
    let mut answer = None;
    if let (Some(c), Some(())) = (conn.as_mut(), ready) {
        let data = async {
            c.message(&bytes)
                .await
                .map(|r| (r, StepOutcome::ok("accepted")))
                .map_err(|e| smtp_failure(&e))
        };
        answer = steps
            .run_within("data", options.conversation_limit, data)
            .await;
    }
    if let Some(conn) = conn {
        conversation::close(conn, options).await;
    }
    match answer {
        Some(r) => classify(
            u16::from(r.code()),
            None,
            &shown_server_text(&r.message().collect::<Vec<_>>().join(" ")),
        ),
        None => steps
            .steps
            .last()
            .map_or_else(|| SmtpReply::unanswered("no SMTP step ran"), reply_of),
    }
}

/// MAIL FROM, RCPT TO for each recipient, and DATA, as lettre's own `send` does them (with
/// SMTPUTF8 and 8BITMIME where the addresses or the message need them).
async fn envelope_commands(
    conn: &mut AsyncSmtpConnection,
    envelope: &Envelope,
    bytes: &[u8],
) -> Result<((), StepOutcome), StepOutcome> {
    let info = conn.server_info();
    let mut params = Vec::new();
    let non_ascii = envelope
        .from()
        .into_iter()
        .chain(envelope.to())
        .any(|a: &lettre::Address| !AsRef::<str>::as_ref(a).is_ascii());
    if non_ascii {
        if !info.supports_feature(Extension::SmtpUtfEight) {
            return Err(StepOutcome::failed(
                None,
                "the addresses are not ASCII and the server does not offer SMTPUTF8",
            ));
        }
        params.push(MailParameter::SmtpUtfEight);
    }
    if !bytes.is_ascii() {
        if !info.supports_feature(Extension::EightBitMime) {
            return Err(StepOutcome::failed(
                None,
                "the message is not ASCII and the server does not offer 8BITMIME",
            ));
        }
        params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    let failed = |e: lettre::transport::smtp::Error| smtp_failure(&e);
    conn.command(Mail::new(envelope.from().cloned(), params))
        .await
        .map_err(failed)?;
    for to in envelope.to() {
        conn.command(Rcpt::new(to.clone(), vec![]))
            .await
            .map_err(failed)?;
    }
    conn.command(Data).await.map_err(failed)?;
    Ok(((), StepOutcome::ok("ready for the message")))
}

/// The reply a failed step carries, classified; steps without a reply (refused connections,
/// TLS failures, timeouts, oversized answers) are transient with code 0.
fn reply_of(step: &ProbeStep) -> SmtpReply {
    let text = step.detail.as_str();
    match step.reply_code {
        Some(code) => {
            // lettre's text is "permanent error (550): 5.1.1 ..."; keep what the server said.
            let rest = text.split_once("): ").map_or(text, |(_, t)| t);
            classify_raw(&format!("{code} {rest}")).unwrap_or_else(|| classify(code, None, rest))
        }
        None => SmtpReply::unanswered(&format!("{} ({} step)", text, step.step)),
    }
}
