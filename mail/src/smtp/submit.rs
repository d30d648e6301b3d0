//! Submitting a message through an account's SMTP server: one conversation over a socket we
//! connected to the checked address, every step and the whole bounded in time, every answer in
//! size; the answer classified by RFC 3463.

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
    let talk = async {
        let mut conn = conversation::open(account, trust, options, &mut steps).await?;
        let send = async {
            conn.send(envelope, &bytes)
                .await
                .map(|r| (r, StepOutcome::ok("accepted")))
                .map_err(|e| smtp_failure(&e))
        };
        let answer = steps.run("send", send).await;
        Some((conn, answer))
    };
    let (conn, answer) = match tokio::time::timeout(limit, talk).await {
        Ok(Some((conn, answer))) => (Some(conn), answer),
        Ok(None) => (None, None),
        Err(_) => {
            return SmtpReply::unanswered(&format!(
                "the SMTP conversation took longer than {}s",
                limit.as_secs()
            ));
        }
    };
    // Outside the conversation's limit: an answer already given must not turn into a timeout.
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
