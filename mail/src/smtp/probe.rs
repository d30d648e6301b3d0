//! The SMTP half of the connection test: the conversation's steps, reported one by one.

use crate::connect::ConnectOptions;
use crate::smtp::conversation;
use crate::steps::{ConnectionReport, ServerLogin, Steps};
use crate::tls::TlsTrust;

pub(crate) async fn probe(
    login: &ServerLogin,
    trust: &TlsTrust,
    options: &ConnectOptions,
) -> ConnectionReport {
    let mut steps = Steps::new(options.timeout);
    if let Some(conn) = conversation::open(login, trust, options, &mut steps).await {
        conversation::close(conn, options).await;
    }
    steps.report(&login.host, login.port)
}
