//! What the lab tests share: the lab's address book (from `scripts/maillab env`), unique
//! addresses per test, sending through submission or straight to an MX, reading mailboxes over
//! IMAP, and the lab's own ground truth (`scripts/maillab where`). A wait that times out fails
//! with the tail of the lab's logs.

use std::process::Command;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::Tls;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde_json::{Value, json};
use uuid::Uuid;
use warmup_mail::TlsTrust;

use crate::helpers::{TestApp, evening_zone};

/// The running lab, as `scripts/maillab env` describes it.
pub struct Lab {
    trust: TlsTrust,
}

/// One copy of a message: who has it, in which folder, with which flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    pub user: String,
    pub folder: String,
    pub flags: String,
}

/// An SMTP reply: its code and the text after it (starting with the enhanced status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub text: String,
}

pub fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: the mail lab must be running and its env loaded \
             (scripts/test does both; by hand: scripts/maillab up && set -a && \
             source <(scripts/maillab env) && set +a)"
        )
    })
}

/// The lab's DNS server (`MAILLAB_DNS_HOST`:`MAILLAB_DNS_PORT`).
pub fn lab_dns() -> std::net::SocketAddr {
    format!("{}:{}", var("MAILLAB_DNS_HOST"), var("MAILLAB_DNS_PORT"))
        .parse()
        .unwrap_or_else(|e| panic!("lab DNS address: {e}"))
}

fn port(name: &str) -> u16 {
    var(name)
        .parse()
        .unwrap_or_else(|_| panic!("{name} is not a port"))
}

impl Lab {
    pub fn get() -> Self {
        warmup::install_crypto_provider();
        let trust =
            TlsTrust::load(Some(&var("MAILLAB_CA_FILE"))).unwrap_or_else(|e| panic!("lab CA: {e}"));
        Lab { trust }
    }

    pub fn password(&self) -> String {
        var("MAILLAB_PASSWORD")
    }

    pub fn tls_name(&self) -> String {
        var("MAILLAB_TLS_SERVER_NAME")
    }

    /// A fresh address at `domain` that no other test uses.
    pub fn unique(&self, prefix: &str, domain: &str) -> String {
        format!(
            "{prefix}-{}@{domain}",
            &Uuid::new_v4().simple().to_string()[..12]
        )
    }

    /// The MX listener of a provider (`GMAIL`) or fault (`FAULT_FLAKY`).
    pub fn mx(&self, key: &str) -> (String, u16) {
        (
            var(&format!("MAILLAB_{key}_MX_HOST")),
            port(&format!("MAILLAB_{key}_MX_PORT")),
        )
    }

    /// A plain RFC 5322 message with a fresh Message-ID; returns (message id, bytes).
    pub fn message(
        &self,
        from: &str,
        to: &str,
        subject: &str,
        extra_headers: &[(&str, &str)],
    ) -> (String, Vec<u8>) {
        let domain = from.rsplit('@').next().unwrap_or("lab.test");
        let id = format!("{}@{domain}", Uuid::new_v4().simple());
        let mut text = format!(
            "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
             Date: {}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n",
            chrono::Utc::now().to_rfc2822()
        );
        for (name, value) in extra_headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str("\r\nHello from the lab tests.\r\n");
        (id, text.into_bytes())
    }

    fn envelope(from: &str, to: &[&str]) -> Envelope {
        let parse = |a: &str| a.parse::<Address>().unwrap_or_else(|e| panic!("{a}: {e}"));
        Envelope::new(Some(parse(from)), to.iter().map(|a| parse(a)).collect())
            .unwrap_or_else(|e| panic!("envelope: {e}"))
    }

    /// Sends through the submission service as `from` (AUTH after STARTTLS).
    pub async fn submit(&self, from: &str, to: &[&str], message: &[u8]) -> Result<(), Reply> {
        let params = self
            .trust
            .lettre_parameters(&self.tls_name())
            .unwrap_or_else(|e| panic!("TLS parameters: {e}"));
        let transport =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(var("MAILLAB_SUBMISSION_HOST"))
                .port(port("MAILLAB_SUBMISSION_PORT"))
                .tls(Tls::Required(params))
                .credentials(Credentials::new(from.to_string(), self.password()))
                .timeout(Some(Duration::from_secs(20)))
                .build();
        transport
            .send_raw(&Self::envelope(from, to), message)
            .await
            .map(|_| ())
            .map_err(|e| reply_of(&e))
    }

    /// Talks to an MX directly, as another provider's server would (no AUTH, no TLS).
    pub async fn deliver_direct(
        &self,
        mx: &(String, u16),
        from: &str,
        to: &str,
        message: &[u8],
    ) -> Result<Reply, Reply> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(mx.0.clone())
            .port(mx.1)
            .tls(Tls::None)
            .timeout(Some(Duration::from_secs(20)))
            .build();
        match transport
            .send_raw(&Self::envelope(from, &[to]), message)
            .await
        {
            Ok(r) => Ok(Reply {
                code: u16::from(r.code()),
                text: r.message().collect::<Vec<_>>().join(" "),
            }),
            Err(e) => Err(reply_of(&e)),
        }
    }

    /// Every copy of a message in the lab, by Dovecot's own account.
    pub fn where_is(&self, message_id: &str) -> Vec<Copy> {
        let out = Command::new(var("MAILLAB_SCRIPT"))
            .args(["where", message_id])
            .output()
            .unwrap_or_else(|e| panic!("scripts/maillab where: {e}"));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some(Copy {
                    user: f.next()?.to_string(),
                    folder: f.next()?.to_string(),
                    flags: f.next().unwrap_or_default().to_string(),
                })
            })
            .collect()
    }

    /// Waits until the message is somewhere in the lab; fails with the logs after `timeout`.
    pub async fn wait_for(&self, message_id: &str, timeout: Duration) -> Copy {
        let started = Instant::now();
        loop {
            if let Some(c) = self.where_is(message_id).into_iter().next() {
                return c;
            }
            if started.elapsed() > timeout {
                panic!(
                    "message <{message_id}> did not arrive within {timeout:?}\n{}",
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// Switches a fault (`scripts/maillab fault ...`).
    pub fn fault(&self, args: &[&str]) {
        let status = Command::new(var("MAILLAB_SCRIPT"))
            .arg("fault")
            .args(args)
            .status()
            .unwrap_or_else(|e| panic!("scripts/maillab fault: {e}"));
        assert!(status.success(), "scripts/maillab fault {args:?} failed");
    }

    /// Where the lab's delivery agent filed a message, by its own log: `(user, folder)` for
    /// each recipient, before anyone moved it.
    pub fn delivered_to(&self, message_id: &str) -> Vec<(String, String)> {
        self.stored_messages()
            .into_iter()
            .filter(|s| s.message_id == message_id)
            .map(|s| (s.user, s.folder))
            .collect()
    }

    /// How many times the delivery agent stored each Message-ID, by its own log (the chaos
    /// tests judge by it).
    #[allow(dead_code)]
    pub fn stored_counts(&self) -> std::collections::HashMap<String, usize> {
        let mut n = std::collections::HashMap::new();
        for s in self.stored_messages() {
            *n.entry(s.message_id).or_insert(0) += 1;
        }
        n
    }

    /// Every message the delivery agent stored, by its own log: Message-ID, user and folder.
    pub fn stored_messages(&self) -> Vec<StoredMessage> {
        let log = std::fs::read_to_string(var("MAILLAB_DOVECOT_LOG")).unwrap_or_default();
        log.lines()
            .filter_map(stored)
            .map(|s| StoredMessage {
                message_id: s.message_id.to_string(),
                user: s.user.to_string(),
                folder: s.folder.to_string(),
            })
            .collect()
    }

    /// The last lines of Postfix's and Dovecot's logs.
    pub fn log_tail(&self) -> String {
        let mut out = String::new();
        for log in ["MAILLAB_POSTFIX_LOG", "MAILLAB_DOVECOT_LOG"] {
            let text = std::fs::read_to_string(var(log)).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            out.push_str(&format!("--- {log} ---\n"));
            for l in &lines[lines.len().saturating_sub(30)..] {
                out.push_str(l);
                out.push('\n');
            }
        }
        out
    }

    /// Every message of `user`'s `folder`, raw, read over IMAPS.
    pub async fn read_folder(&self, user: &str, folder: &str) -> Vec<String> {
        let tcp =
            tokio::net::TcpStream::connect((var("MAILLAB_IMAP_HOST"), port("MAILLAB_IMAPS_PORT")))
                .await
                .unwrap_or_else(|e| panic!("IMAPS connect: {e}"));
        let tls = self
            .trust
            .connect(&self.tls_name(), tcp)
            .await
            .unwrap_or_else(|e| panic!("IMAPS TLS: {e}"));
        let mut client = async_imap::Client::new(tls);
        let _ = client.read_response().await;
        let mut session = client
            .login(user, self.password())
            .await
            .unwrap_or_else(|(e, _)| panic!("IMAP login {user}: {e}"));
        let mailbox = session
            .select(folder)
            .await
            .unwrap_or_else(|e| panic!("SELECT {folder}: {e}"));
        let mut out = Vec::new();
        if mailbox.exists > 0 {
            let fetches: Vec<_> = session
                .fetch("1:*", "BODY.PEEK[]")
                .await
                .unwrap_or_else(|e| panic!("FETCH: {e}"))
                .try_collect()
                .await
                .unwrap_or_else(|e| panic!("FETCH: {e}"));
            for f in fetches {
                out.push(String::from_utf8_lossy(f.body().unwrap_or_default()).into_owned());
            }
        }
        let _ = session.logout().await;
        out
    }

    /// Waits until `user`'s INBOX holds a message containing every one of `needles`.
    pub async fn wait_for_text(&self, user: &str, needles: &[&str], timeout: Duration) -> String {
        let started = Instant::now();
        loop {
            let found = self
                .read_folder(user, "INBOX")
                .await
                .into_iter()
                .find(|m| needles.iter().all(|n| m.contains(n)));
            if let Some(m) = found {
                return m;
            }
            if started.elapsed() > timeout {
                panic!(
                    "no message with {needles:?} reached {user} within {timeout:?}\n{}",
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

/// The reply inside a lettre error: code and text (enhanced status first).
pub fn reply_of(e: &lettre::transport::smtp::Error) -> Reply {
    let text = e.to_string();
    let text = text
        .split_once("): ")
        .map_or(text.as_str(), |(_, t)| t)
        .to_string();
    Reply {
        code: e.status().map(u16::from).unwrap_or(0),
        text,
    }
}

/// An account on the lab's submission (STARTTLS) and IMAPS servers, as the API takes it.
pub fn lab_account(lab: &Lab, email: &str, provider: &str, password: &str) -> Value {
    let submission: u16 = var("MAILLAB_SUBMISSION_PORT").parse().unwrap_or(0);
    let imaps: u16 = var("MAILLAB_IMAPS_PORT").parse().unwrap_or(0);
    json!({
        "email": email, "provider": provider,
        "smtp": {"host": lab.tls_name(), "port": submission, "security": "starttls", "password": password},
        "imap": {"host": lab.tls_name(), "port": imaps, "security": "tls", "password": password},
    })
}

/// A sender mailbox in a time zone where it is evening now; returns its id.
pub async fn add_mailbox(
    app: &TestApp,
    lab: &Lab,
    key: &str,
    email: &str,
    password: &str,
) -> String {
    let mut body = lab_account(lab, email, "smtp", password);
    body["display_name"] = json!("Wendy Warm");
    body["timezone"] = json!(evening_zone());
    let m = app.create_mailbox(key, &body).await;
    m["id"].as_str().unwrap_or_default().to_string()
}

/// Seeds of the shared pool at `<provider>.test`, `n` of each provider, named `prefix-…`;
/// returns how many.
#[allow(
    dead_code,
    reason = "the chaos test and the cost benchmark use it, the lab tests not"
)]
pub async fn shared_seeds(app: &TestApp, lab: &Lab, prefix: &str, each: &[(&str, usize)]) -> usize {
    let mut seeds = 0;
    for (provider, n) in each {
        for _ in 0..*n {
            let seed = lab.unique(prefix, &format!("{provider}.test"));
            let mut body = lab_account(lab, &seed, provider, &lab.password());
            body["shared"] = json!(true);
            app.post("/v1/seeds", crate::helpers::ADMIN_KEY, &body)
                .await
                .expect(201);
            seeds += 1;
        }
    }
    seeds
}

/// `count` organizations (`Name n`) of one sender mailbox each at sender.test with warmup
/// `preferences`, not started; returns each one's API key and mailbox id.
#[allow(
    dead_code,
    reason = "the chaos test and the cost benchmark use it, the lab tests not"
)]
pub async fn warmup_senders(
    app: &TestApp,
    lab: &Lab,
    name: &str,
    count: usize,
    preferences: &Value,
) -> Vec<(String, String)> {
    let mut senders = Vec::new();
    for o in 0..count {
        let key = app.new_org(&format!("{name} {o}")).await;
        let email = lab.unique(&name.to_lowercase(), "sender.test");
        let id = add_mailbox(app, lab, &key, &email, &lab.password()).await;
        app.patch(&format!("/v1/mailboxes/{id}/warmup"), &key, preferences)
            .await
            .expect(200);
        senders.push((key, id));
    }
    senders
}

/// Starts the warmup of `mailbox`.
pub async fn start_warmup(app: &TestApp, key: &str, mailbox: &str) {
    app.post(
        &format!("/v1/mailboxes/{mailbox}/warmup/start"),
        key,
        &json!({}),
    )
    .await
    .expect(200);
}

/// One message stored by the lab's delivery agent.
#[allow(dead_code)]
pub struct StoredMessage {
    pub message_id: String,
    /// The address it was stored for.
    pub user: String,
    pub folder: String,
}

/// One message stored by the lab's delivery agent, as its log line tells.
struct Stored<'a> {
    message_id: &'a str,
    user: &'a str,
    folder: &'a str,
}

/// Reads "lmtp(USER)...: msgid=<ID>: ... stored mail into mailbox 'FOLDER'" (after "fileinto
/// action: " when a rule filed it).
fn stored(line: &str) -> Option<Stored<'_>> {
    let (head, rest) = line.split_once("msgid=<")?;
    let (message_id, rest) = rest.split_once(">: ")?;
    let (_, quoted) = rest.split_once("stored mail into mailbox '")?;
    let folder = quoted.strip_suffix('\'')?;
    let user = head.split_once("lmtp(")?.1.split_once(')')?.0;
    Some(Stored {
        message_id,
        user,
        folder,
    })
}
