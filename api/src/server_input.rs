//! The `smtp` and `imap` objects of mailboxes and seeds: provider presets fill what the user
//! leaves out, passwords are sealed on the way in and never come back out.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use warmup_domain::mail_server::{parse_host, parse_port};
use warmup_domain::{Provider, Secret, Security, Violations};
use warmup_entity::secret_box::SecretBox;
use warmup_mail::{ConnectionReport, ServerLogin};

use crate::state::AppState;

use crate::error::ApiError;

/// Server settings of a new account. Omitted fields fall back to the provider's published
/// settings; the password is always needed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewServer {
    /// Host name or IP address. Defaults to the provider's server; for `smtp`, to `smtp.` or
    /// `imap.` before the address's domain.
    #[schema(value_type = Option<crate::schema::HostName>)]
    pub host: Option<String>,
    /// TCP port. Defaults to the provider's port, or 465/993 for `tls` and 587/143 otherwise.
    #[schema(minimum = 1, maximum = 65535, example = 587)]
    pub port: Option<i64>,
    /// Defaults to the provider's setting, or by port (465 and 993 mean `tls`).
    pub security: Option<Security>,
    /// Login name; defaults to the email address.
    #[schema(
        min_length = 1,
        max_length = 320,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub username: Option<String>,
    /// Write-only: stored encrypted, never returned.
    // Optional here only so that a missing password is named beside every other bad field
    // rather than ending the parse; `apply` requires it when creating.
    #[schema(value_type = String, required = true, format = Password, write_only, min_length = 1, max_length = 1024)]
    pub password: Option<Secret>,
}

impl From<&NewServer> for ServerInput {
    fn from(s: &NewServer) -> Self {
        ServerInput {
            host: s.host.clone(),
            port: s.port,
            security: s.security,
            username: s.username.clone(),
            password: s.password.clone(),
        }
    }
}

/// A change to server settings. Omitted fields keep their value; a new host, port, security or
/// username needs the password again, so a stored password never goes to a new server.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServerInput {
    #[schema(value_type = Option<crate::schema::HostName>)]
    pub host: Option<String>,
    #[schema(minimum = 1, maximum = 65535, example = 587)]
    pub port: Option<i64>,
    pub security: Option<Security>,
    #[schema(
        min_length = 1,
        max_length = 320,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub username: Option<String>,
    /// Write-only: stored encrypted, never returned.
    #[schema(value_type = Option<String>, format = Password, write_only, min_length = 1, max_length = 1024)]
    pub password: Option<Secret>,
}

/// The longest password accepted; real ones are far shorter, and an unbounded one would be
/// sealed and stored whatever its size.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// Server settings as returned: everything but the password.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServerOutput {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    /// Always true: a password is stored (it is never returned).
    pub password_set: bool,
}

/// SMTP or IMAP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Smtp,
    Imap,
}

impl Protocol {
    pub fn field(self) -> &'static str {
        match self {
            Protocol::Smtp => "smtp",
            Protocol::Imap => "imap",
        }
    }

    fn preset(self, provider: Provider) -> Option<warmup_domain::MailServer> {
        match self {
            Protocol::Smtp => provider.smtp_preset(),
            Protocol::Imap => provider.imap_preset(),
        }
    }

    fn default_port(self, security: Security) -> u16 {
        match (self, security) {
            (Protocol::Smtp, Security::Tls) => 465,
            (Protocol::Smtp, _) => 587,
            (Protocol::Imap, Security::Tls) => 993,
            (Protocol::Imap, _) => 143,
        }
    }
}

/// The columns of one server in a row (mailboxes and seeds store them alike).
pub struct ServerColumns<'a> {
    pub host: &'a mut String,
    pub port: &'a mut i32,
    pub security: &'a mut String,
    pub username: &'a mut String,
    pub password: &'a mut String,
}

/// A row that stores SMTP and IMAP settings.
pub trait HasServers {
    fn id(&self) -> uuid::Uuid;
    /// The kind of row, bound into the ciphertext so it cannot be moved between tables.
    fn kind(&self) -> &'static str;
    fn columns(&mut self, protocol: Protocol) -> ServerColumns<'_>;

    /// Where a sealed password of this row and protocol belongs.
    fn secret_context(&self, protocol: Protocol) -> String {
        warmup_entity::secret_box::context(self.kind(), self.id(), protocol.field())
    }
}

/// Stored settings as returned to clients.
pub fn output<R: HasServers + Clone>(row: &R, protocol: Protocol) -> ServerOutput {
    let mut copy = row.clone();
    let c = copy.columns(protocol);
    ServerOutput {
        host: c.host.clone(),
        port: u16::try_from(*c.port).unwrap_or_default(),
        security: Security::parse(c.security).unwrap_or(Security::Tls),
        username: c.username.clone(),
        password_set: !c.password.is_empty(),
    }
}

/// What fills the fields a client left out, and the key that seals passwords.
#[derive(Clone, Copy)]
pub struct Defaults<'a> {
    pub provider: Provider,
    /// The account's address, the default login name.
    pub email: &'a str,
    /// Creating takes presets and needs a password; updating keeps what is stored.
    pub creating: bool,
    pub secrets: &'a SecretBox,
}

/// Validates `input` and writes it into `row`. On create (`creating`), missing values come from
/// the provider's presets and a password is required; on update, from what is stored.
pub fn apply<R: HasServers>(
    row: &mut R,
    protocol: Protocol,
    input: Option<&ServerInput>,
    defaults: &Defaults<'_>,
    v: &mut Violations,
) {
    let Defaults {
        provider,
        email,
        creating,
        secrets,
    } = *defaults;
    let f = protocol.field();
    let context = row.secret_context(protocol);
    let empty = ServerInput::default();
    let input = match (input, creating) {
        (Some(i), _) => i,
        (None, true) => {
            v.add(f, "is required (at least the password)");
            return;
        }
        (None, false) => &empty,
    };
    let preset = creating.then(|| protocol.preset(provider)).flatten();
    let cols = row.columns(protocol);

    let host = match (&input.host, &preset) {
        (Some(h), _) => v.check(&format!("{f}.host"), parse_host(h)),
        (None, Some(p)) => Some(p.host.clone()),
        // A private server's names are most often `smtp.` and `imap.` before the address's
        // domain; the connection test tells when they are not.
        (None, None) if creating => email
            .rsplit_once('@')
            .map(|(_, domain)| domain.trim_end_matches('.').to_ascii_lowercase())
            .filter(|domain| !domain.is_empty())
            .map(|domain| format!("{f}.{domain}")),
        (None, None) => Some(cols.host.clone()),
    };
    let port_given = match input.port {
        Some(p) => v.check(&format!("{f}.port"), parse_port(p)).map(Some),
        None => Some(None),
    };
    let (security, port) = if creating {
        // An explicit port says more about the security than the provider's default does.
        let security = input
            .security
            .or(match port_given {
                Some(Some(465 | 993)) => Some(Security::Tls),
                Some(Some(_)) => Some(Security::Starttls),
                _ => None,
            })
            .or(preset.as_ref().map(|p| p.security))
            .unwrap_or(Security::Tls);
        let port = port_given.map(|given| {
            given.unwrap_or_else(|| match &preset {
                Some(p) if p.security == security => p.port,
                _ => protocol.default_port(security),
            })
        });
        (Some(security), port)
    } else {
        let security = input.security.or(Security::parse(cols.security));
        let port = port_given.map(|given| given.or(u16::try_from(*cols.port).ok()));
        (security, port.flatten())
    };
    let username = match &input.username {
        Some(u)
            if u.trim().is_empty()
                || u.chars().count() > 320
                || u.chars().any(char::is_control) =>
        {
            v.add(
                format!("{f}.username"),
                "must be 1 to 320 characters without control characters",
            );
            None
        }
        Some(u) => Some(u.trim().to_string()),
        None if creating => Some(email.to_string()),
        None => Some(cols.username.clone()),
    };
    let password = match &input.password {
        Some(p) if p.expose().is_empty() || p.expose().chars().count() > MAX_PASSWORD_CHARS => {
            v.add(
                format!("{f}.password"),
                format!("must be 1 to {MAX_PASSWORD_CHARS} characters"),
            );
            None
        }
        Some(p) => Some(Some(p)),
        None if creating => {
            v.add(format!("{f}.password"), "is required");
            None
        }
        None => Some(None),
    };
    if let (Some(host), Some(port), Some(security), Some(username), Some(password)) =
        (host, port, security, username, password)
    {
        let moved = *cols.host != host
            || *cols.port != i32::from(port)
            || *cols.security != security.as_str()
            || *cols.username != username;
        if !creating && moved && password.is_none() {
            // Otherwise anyone allowed to edit could send the stored password to a server of
            // their choosing with a connection test.
            v.add(
                format!("{f}.password"),
                "is required when host, port, security or username change",
            );
            return;
        }
        *cols.host = host;
        *cols.port = i32::from(port);
        *cols.security = security.as_str().to_string();
        *cols.username = username;
        if let Some(p) = password {
            *cols.password = secrets.seal(p, &context);
        }
    }
}

/// Decrypts a row's settings for one protocol, to log in with.
pub fn login<R: HasServers + Clone>(
    row: &R,
    protocol: Protocol,
    secrets: &SecretBox,
) -> Result<ServerLogin, ApiError> {
    let context = row.secret_context(protocol);
    let mut copy = row.clone();
    let c = copy.columns(protocol);
    let password = secrets.open(c.password, &context).map_err(|e| {
        ApiError::Conflict(format!(
            "the stored {} password cannot be read ({e}); set it again",
            protocol.field()
        ))
    })?;
    Ok(ServerLogin {
        host: c.host.clone(),
        port: u16::try_from(*c.port).unwrap_or_default(),
        security: Security::parse(c.security).unwrap_or(Security::Tls),
        username: c.username.clone(),
        password,
    })
}

impl HasServers for warmup_entity::mailbox::Model {
    fn id(&self) -> uuid::Uuid {
        self.id
    }
    fn kind(&self) -> &'static str {
        "mailbox"
    }
    fn columns(&mut self, protocol: Protocol) -> ServerColumns<'_> {
        match protocol {
            Protocol::Smtp => ServerColumns {
                host: &mut self.smtp_host,
                port: &mut self.smtp_port,
                security: &mut self.smtp_security,
                username: &mut self.smtp_username,
                password: &mut self.smtp_password,
            },
            Protocol::Imap => ServerColumns {
                host: &mut self.imap_host,
                port: &mut self.imap_port,
                security: &mut self.imap_security,
                username: &mut self.imap_username,
                password: &mut self.imap_password,
            },
        }
    }
}

impl HasServers for warmup_entity::seed::Model {
    fn id(&self) -> uuid::Uuid {
        self.id
    }
    fn kind(&self) -> &'static str {
        "seed"
    }
    fn columns(&mut self, protocol: Protocol) -> ServerColumns<'_> {
        match protocol {
            Protocol::Smtp => ServerColumns {
                host: &mut self.smtp_host,
                port: &mut self.smtp_port,
                security: &mut self.smtp_security,
                username: &mut self.smtp_username,
                password: &mut self.smtp_password,
            },
            Protocol::Imap => ServerColumns {
                host: &mut self.imap_host,
                port: &mut self.imap_port,
                security: &mut self.imap_security,
                username: &mut self.imap_username,
                password: &mut self.imap_password,
            },
        }
    }
}

/// The result of `POST /v1/mailboxes/{id}/connection-test`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionTest {
    /// True when both servers passed every step.
    pub ok: bool,
    pub smtp: ConnectionReport,
    pub imap: ConnectionReport,
}

/// Tests both servers of a mailbox or seed concurrently.
pub async fn run_connection_test<R: HasServers + Clone>(
    state: &AppState,
    row: &R,
) -> Result<ConnectionTest, ApiError> {
    let smtp = login(row, Protocol::Smtp, &state.secrets)?;
    let imap = login(row, Protocol::Imap, &state.secrets)?;
    let options = &state.settings.probe;
    let (smtp, imap) = futures::join!(
        warmup_mail::connection_test::test_smtp(&smtp, &state.tls, options),
        warmup_mail::connection_test::test_imap(&imap, &state.tls, options),
    );
    Ok(ConnectionTest {
        ok: smtp.ok && imap.ok,
        smtp,
        imap,
    })
}
