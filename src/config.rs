//! Settings: defaults, then an optional TOML file, then environment variables. Unknown keys in
//! the file stop the start-up: a typo must not silently fall back to a default.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// Every setting, as the file spells it. Environment variables use the `WARMUP_` prefix and the
/// upper-case name (`listen` → `WARMUP_LISTEN`); `DATABASE_URL` is read without the prefix too.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub secret_key: Option<String>,
    pub extra_ca_file: Option<String>,
    pub bootstrap_api_key: Option<String>,
    pub rate_limit_per_minute: Option<u32>,
    pub rate_limit_org_multiple: Option<u32>,
    pub rate_limit_unauthenticated_per_minute: Option<u32>,
    pub max_api_keys_per_org: Option<u64>,
    pub metrics_token: Option<String>,
    pub body_limit_bytes: Option<usize>,
    pub probe_timeout_secs: Option<u64>,
    pub smtp_timeout_secs: Option<u64>,
    pub helo_name: Option<String>,
    pub allow_private_mail_hosts: Option<bool>,
    pub require_mailbox_verification: Option<bool>,
    pub clock_speedup: Option<f64>,
    pub http_workers: Option<usize>,
    pub log: Option<String>,
    pub dns_server: Option<String>,
    pub dns_servers: Option<String>,
    pub diagnose_ports: Option<String>,
    pub dnsbl_ip: Option<String>,
    pub dnsbl_domain: Option<String>,
    pub mta_sts_port: Option<u16>,
    pub missing_after_secs: Option<u64>,
    pub seed_max_splits: Option<u32>,
    pub database_max_connections: Option<u32>,
}

/// Resolved settings.
#[derive(Clone, PartialEq)]
pub struct Settings {
    pub listen: String,
    pub database_url: String,
    pub secret_key: Option<String>,
    pub extra_ca_file: Option<String>,
    pub bootstrap_api_key: Option<String>,
    /// Requests per API key per minute.
    pub rate_limit_per_minute: u32,
    /// An organization's requests per minute (all its keys) as a multiple of the key's limit.
    pub rate_limit_org_multiple: u32,
    /// Requests per minute from one client network without a valid API key.
    pub rate_limit_unauthenticated_per_minute: u32,
    /// Live API keys an organization may have.
    pub max_api_keys_per_org: u64,
    /// The bearer token `/metrics` wants; without one, metrics are off.
    pub metrics_token: Option<String>,
    pub body_limit_bytes: usize,
    pub probe_timeout_secs: u64,
    pub smtp_timeout_secs: u64,
    pub helo_name: String,
    pub allow_private_mail_hosts: bool,
    /// A warmup starts only on a mailbox whose address was shown to be read (a seed's code
    /// found over its IMAP).
    pub require_mailbox_verification: bool,
    pub clock_speedup: f64,
    pub http_workers: usize,
    pub log: String,
    /// The DNS servers (`IP:port`, in order of preference) the service's own lookups use: SPF,
    /// DKIM and DMARC of mail found at seeds, domain health, the troubleshooter. Empty uses the
    /// system's resolver configuration.
    pub dns_servers: Vec<std::net::SocketAddr>,
    /// The relay, submissions and submission ports the troubleshooter tries.
    pub diagnose_ports: warmup_domain::diagnosis::Ports,
    /// DNS blocklist zones sending addresses are looked up in.
    pub dnsbl_ip: Vec<String>,
    /// DNS blocklist zones domains are looked up in.
    pub dnsbl_domain: Vec<String>,
    /// The port MTA-STS policies are fetched from (443; a lab's stand-in).
    pub mta_sts_port: u16,
    /// Real seconds after which a message not found at its seed counts as missing.
    pub missing_after_secs: u64,
    /// Seed-list splits one seed may be in.
    pub seed_max_splits: u32,
    /// Postgres connections one process holds at most; `serve` splits them between its API's
    /// pool and its worker's.
    pub database_max_connections: u32,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("database", &redact_url(&self.database_url))
            .field("secret_key", &self.secret_key.as_ref().map(|_| "***"))
            .field("extra_ca_file", &self.extra_ca_file)
            .field(
                "bootstrap_api_key",
                &self.bootstrap_api_key.as_ref().map(|_| "***"),
            )
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("rate_limit_org_multiple", &self.rate_limit_org_multiple)
            .field(
                "rate_limit_unauthenticated_per_minute",
                &self.rate_limit_unauthenticated_per_minute,
            )
            .field("max_api_keys_per_org", &self.max_api_keys_per_org)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "***"))
            .field("body_limit_bytes", &self.body_limit_bytes)
            .field("probe_timeout_secs", &self.probe_timeout_secs)
            .field("smtp_timeout_secs", &self.smtp_timeout_secs)
            .field("helo_name", &self.helo_name)
            .field("allow_private_mail_hosts", &self.allow_private_mail_hosts)
            .field(
                "require_mailbox_verification",
                &self.require_mailbox_verification,
            )
            .field("clock_speedup", &self.clock_speedup)
            .field("http_workers", &self.http_workers)
            .field("log", &self.log)
            .field("dns_servers", &self.dns_servers)
            .field("diagnose_ports", &self.diagnose_ports)
            .field("dnsbl_ip", &self.dnsbl_ip)
            .field("dnsbl_domain", &self.dnsbl_domain)
            .field("mta_sts_port", &self.mta_sts_port)
            .field("missing_after_secs", &self.missing_after_secs)
            .field("seed_max_splits", &self.seed_max_splits)
            .field("database_max_connections", &self.database_max_connections)
            .finish()
    }
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://warmup.sqlite?mode=rwc";
/// Postgres connections a process holds at most unless told otherwise.
pub const DEFAULT_DATABASE_MAX_CONNECTIONS: u32 = 20;
/// The fewest Postgres connections a process may be given: `serve` needs two pools of two, one
/// for a long statement and one beside it.
pub const MIN_DATABASE_MAX_CONNECTIONS: u32 = 4;

/// A bad configuration, reported before anything starts.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: String, message: String },
    #[error("environment variable {name}: {message}")]
    Env { name: String, message: String },
    /// Settings each valid alone that do not hold together.
    #[error("{0}")]
    Inconsistent(String),
}

/// The machine's host name, the usual EHLO name of a mail client.
fn default_helo_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| warmup_domain::mail_server::is_host_name(h))
        .unwrap_or_else(|| "localhost".to_string())
}

/// Hides the password of a database URL for log lines.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

fn env_value(env: &dyn Fn(&str) -> Option<String>, key: &str) -> Option<String> {
    env(&format!("WARMUP_{}", key.to_ascii_uppercase())).filter(|v| !v.is_empty())
}

fn env_number<T: std::str::FromStr>(
    env: &dyn Fn(&str) -> Option<String>,
    key: &str,
) -> Result<Option<T>, ConfigError> {
    env_value(env, key)
        .map(|raw| {
            raw.trim().parse::<T>().map_err(|_| ConfigError::Env {
                name: format!("WARMUP_{}", key.to_ascii_uppercase()),
                message: format!("{raw:?} is not a valid number"),
            })
        })
        .transpose()
}

fn env_bool(env: &dyn Fn(&str) -> Option<String>, key: &str) -> Result<Option<bool>, ConfigError> {
    env_value(env, key)
        .map(|raw| match raw.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(ConfigError::Env {
                name: format!("WARMUP_{}", key.to_ascii_uppercase()),
                message: format!("{raw:?} is not true or false"),
            }),
        })
        .transpose()
}

/// A secret an operator chooses (the bootstrap key, the metrics token): long, no spaces.
fn check_password(name: &str, value: Option<&str>) -> Result<(), ConfigError> {
    match value {
        Some(v)
            if v.chars().count() < 32 || v.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Err(ConfigError::Env {
                name: name.into(),
                message: "must be at least 32 characters without spaces (it is a password)".into(),
            })
        }
        _ => Ok(()),
    }
}

/// DNS zones separated by commas or spaces; `none` (or only spaces) turns the lists off.
fn parse_zones(raw: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    if raw.trim().eq_ignore_ascii_case("none") {
        return Ok(out);
    }
    for zone in raw
        .split([',', ' '])
        .map(str::trim)
        .filter(|z| !z.is_empty())
    {
        let zone = zone.trim_end_matches('.').to_ascii_lowercase();
        if !warmup_domain::mail_server::is_host_name(&zone) || !zone.contains('.') {
            return Err(format!(
                "{zone:?} is not a DNS zone such as zen.spamhaus.org"
            ));
        }
        if !out.contains(&zone) {
            out.push(zone);
        }
    }
    Ok(out)
}

/// `IP[:port]` items separated by commas or spaces; the port defaults to 53.
fn parse_dns_servers(raw: &str) -> Result<Vec<std::net::SocketAddr>, String> {
    let mut out = Vec::new();
    for item in raw
        .split([',', ' '])
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        let addr = item
            .parse::<std::net::SocketAddr>()
            .or_else(|_| item.parse::<std::net::IpAddr>().map(|ip| (ip, 53).into()))
            .map_err(|_| format!("{item:?} is not an IP address or IP:port"))?;
        if !out.contains(&addr) {
            out.push(addr);
        }
    }
    if out.len() > warmup_mail::dns::MAX_SERVERS {
        return Err(format!(
            "{} servers given; at most {}",
            out.len(),
            warmup_mail::dns::MAX_SERVERS
        ));
    }
    Ok(out)
}

impl Settings {
    /// Loads settings from `file` (if any) and the process environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load_from(file, &|k| std::env::var(k).ok())
    }

    /// Loads settings with an injectable environment, for tests.
    pub fn load_from(
        file: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let path: Option<PathBuf> = file
            .map(Path::to_path_buf)
            .or_else(|| env_value(env, "config").map(PathBuf::from));
        let f = match &path {
            None => FileSettings::default(),
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
                    path: p.display().to_string(),
                    source,
                })?;
                toml::from_str(&text).map_err(|e| ConfigError::Parse {
                    path: p.display().to_string(),
                    message: e.message().to_string(),
                })?
            }
        };
        let text = |key: &str, file_value: Option<String>| env_value(env, key).or(file_value);
        let database_url = env_value(env, "database_url")
            .or_else(|| env("DATABASE_URL").filter(|v| !v.is_empty()))
            .or(f.database_url)
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        let http_workers = env_number(env, "http_workers")?
            .or(f.http_workers)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from));
        let bootstrap_api_key = text("bootstrap_api_key", f.bootstrap_api_key);
        check_password("WARMUP_BOOTSTRAP_API_KEY", bootstrap_api_key.as_deref())?;
        let metrics_token = text("metrics_token", f.metrics_token);
        check_password("WARMUP_METRICS_TOKEN", metrics_token.as_deref())?;
        // `dns_server` (one) was the setting's first name; it still works.
        let dns_servers = match text("dns_servers", f.dns_servers.clone())
            .map(|v| ("WARMUP_DNS_SERVERS", v))
            .or_else(|| text("dns_server", f.dns_server.clone()).map(|v| ("WARMUP_DNS_SERVER", v)))
        {
            None => Vec::new(),
            Some((name, raw)) => parse_dns_servers(&raw).map_err(|message| ConfigError::Env {
                name: name.into(),
                message,
            })?,
        };
        let diagnose_ports = match text("diagnose_ports", f.diagnose_ports.clone()) {
            None => warmup_domain::diagnosis::Ports::default(),
            Some(raw) => {
                warmup_domain::diagnosis::Ports::parse(&raw).ok_or_else(|| ConfigError::Env {
                    name: "WARMUP_DIAGNOSE_PORTS".into(),
                    message: format!(
                        "{raw:?} is not three ports: relay, submissions, submission (25,465,587)"
                    ),
                })?
            }
        };
        let dnsbl_ip = match text("dnsbl_ip", f.dnsbl_ip.clone()) {
            None => warmup_mail::health::DEFAULT_IP_LISTS
                .map(String::from)
                .to_vec(),
            Some(raw) => parse_zones(&raw).map_err(|message| ConfigError::Env {
                name: "WARMUP_DNSBL_IP".into(),
                message,
            })?,
        };
        let dnsbl_domain = match text("dnsbl_domain", f.dnsbl_domain.clone()) {
            None => warmup_mail::health::DEFAULT_DOMAIN_LISTS
                .map(String::from)
                .to_vec(),
            Some(raw) => parse_zones(&raw).map_err(|message| ConfigError::Env {
                name: "WARMUP_DNSBL_DOMAIN".into(),
                message,
            })?,
        };
        let settings = Settings {
            listen: text("listen", f.listen).unwrap_or_else(|| DEFAULT_LISTEN.to_string()),
            database_url,
            secret_key: text("secret_key", f.secret_key),
            extra_ca_file: text("extra_ca_file", f.extra_ca_file),
            bootstrap_api_key,
            rate_limit_per_minute: env_number(env, "rate_limit_per_minute")?
                .or(f.rate_limit_per_minute)
                .unwrap_or(600)
                .max(1),
            rate_limit_org_multiple: env_number(env, "rate_limit_org_multiple")?
                .or(f.rate_limit_org_multiple)
                .unwrap_or(4)
                .max(1),
            rate_limit_unauthenticated_per_minute: env_number(
                env,
                "rate_limit_unauthenticated_per_minute",
            )?
            .or(f.rate_limit_unauthenticated_per_minute)
            .unwrap_or(60)
            .max(1),
            max_api_keys_per_org: env_number(env, "max_api_keys_per_org")?
                .or(f.max_api_keys_per_org)
                .unwrap_or(100)
                .max(1),
            metrics_token,
            body_limit_bytes: env_number(env, "body_limit_bytes")?
                .or(f.body_limit_bytes)
                .unwrap_or(64 * 1024),
            probe_timeout_secs: env_number(env, "probe_timeout_secs")?
                .or(f.probe_timeout_secs)
                .unwrap_or(15),
            // An hour per step is beyond any server's patience; more would only overflow.
            smtp_timeout_secs: env_number(env, "smtp_timeout_secs")?
                .or(f.smtp_timeout_secs)
                .unwrap_or(60)
                .clamp(1, 3600),
            helo_name: text("helo_name", f.helo_name).unwrap_or_else(default_helo_name),
            allow_private_mail_hosts: env_bool(env, "allow_private_mail_hosts")?
                .or(f.allow_private_mail_hosts)
                .unwrap_or(false),
            require_mailbox_verification: env_bool(env, "require_mailbox_verification")?
                .or(f.require_mailbox_verification)
                .unwrap_or(true),
            clock_speedup: env_number(env, "clock_speedup")?
                .or(f.clock_speedup)
                .unwrap_or(1.0),
            http_workers,
            log: text("log", f.log).unwrap_or_else(|| "info".to_string()),
            dns_servers,
            diagnose_ports,
            dnsbl_ip,
            dnsbl_domain,
            mta_sts_port: env_number(env, "mta_sts_port")?
                .or(f.mta_sts_port)
                .filter(|p| *p > 0)
                .unwrap_or(443),
            missing_after_secs: env_number(env, "missing_after_secs")?
                .or(f.missing_after_secs)
                .unwrap_or(4 * 3600)
                .max(1),
            seed_max_splits: env_number(env, "seed_max_splits")?
                .or(f.seed_max_splits)
                .unwrap_or(warmup_domain::seed_split::DEFAULT_MAX_SPLITS_PER_SEED)
                .max(1),
            database_max_connections: env_number(env, "database_max_connections")?
                .or(f.database_max_connections)
                .unwrap_or(DEFAULT_DATABASE_MAX_CONNECTIONS),
        };
        settings.check()?;
        Ok(settings)
    }

    /// Whether the settings hold together; every start checks it.
    ///
    /// A send interrupted mid-conversation is sent again only once its message counts as
    /// missing, counted from its claim; the claim lasts as long as the longest submission. A
    /// missing window shorter than that claim would send again a message its first worker may
    /// still have been handing over: a duplicate.
    pub fn check(&self) -> Result<(), ConfigError> {
        let lease = warmup_mail::ConnectOptions::with_step_timeout(Duration::from_secs(
            self.smtp_timeout_secs,
        ))
        .send_lease()
        .as_secs();
        if !self.is_sqlite() && self.database_max_connections < MIN_DATABASE_MAX_CONNECTIONS {
            return Err(ConfigError::Inconsistent(format!(
                "database_max_connections ({}) must be at least {MIN_DATABASE_MAX_CONNECTIONS}: \
                 `serve` gives half to its API and the rest to its worker, and each needs two",
                self.database_max_connections
            )));
        }
        if self.missing_after_secs < lease {
            return Err(ConfigError::Inconsistent(format!(
                "missing_after_secs ({}) must be at least {lease}: with smtp_timeout_secs = {} \
                 a send is claimed for {lease} s, and a message must not count as missing \
                 before its send's claim could have ended (raise missing_after_secs or lower \
                 smtp_timeout_secs)",
                self.missing_after_secs, self.smtp_timeout_secs
            )));
        }
        Ok(())
    }

    /// True when the database is SQLite (the embedded default).
    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    /// The SQLite file's path, when the database is a SQLite file.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let rest = self.database_url.strip_prefix("sqlite:")?;
        let rest = rest.trim_start_matches("//");
        let path = rest.split('?').next().unwrap_or_default();
        (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(map: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = map
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn a_missing_window_shorter_than_a_send_s_claim_is_refused() {
        let with = |missing: &str, smtp: &str| {
            Settings::load_from(
                None,
                &env(&[
                    ("WARMUP_MISSING_AFTER_SECS", missing),
                    ("WARMUP_SMTP_TIMEOUT_SECS", smtp),
                ]),
            )
        };
        // Five steps of 5 s: the claim lasts 25 s.
        assert!(with("25", "5").is_ok());
        let short = with("24", "5");
        assert!(
            matches!(&short, Err(ConfigError::Inconsistent(m)) if m.contains("must be at least 25")),
            "{short:?}"
        );
        // The defaults (60 s steps, 4 hours) hold together.
        assert!(with("", "").is_ok());
        assert!(with("299", "").is_err());
    }

    #[test]
    fn the_postgres_connection_budget_is_a_setting_with_a_floor() {
        let with = |n: &str| {
            Settings::load_from(
                None,
                &env(&[
                    ("WARMUP_DATABASE_MAX_CONNECTIONS", n),
                    ("DATABASE_URL", "postgres://warmup@db.example/warmup"),
                ]),
            )
        };
        assert_eq!(
            with("").map(|s| s.database_max_connections).ok(),
            Some(DEFAULT_DATABASE_MAX_CONNECTIONS)
        );
        assert_eq!(with("6").map(|s| s.database_max_connections).ok(), Some(6));
        assert!(matches!(with("3"), Err(ConfigError::Inconsistent(m)) if m.contains("at least 4")));
        assert!(matches!(
            with("many"),
            Err(ConfigError::Env { name, .. }) if name == "WARMUP_DATABASE_MAX_CONNECTIONS"
        ));
        // SQLite does not use it, so it refuses nothing there.
        let sqlite = Settings::load_from(None, &env(&[("WARMUP_DATABASE_MAX_CONNECTIONS", "1")]));
        assert!(sqlite.is_ok_and(|s| s.is_sqlite()));
    }

    #[test]
    fn defaults_need_no_configuration() {
        let s = Settings::load_from(None, &env(&[])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.listen, "127.0.0.1:8080");
        assert!(s.is_sqlite());
        assert_eq!(s.sqlite_path(), Some(PathBuf::from("warmup.sqlite")));
    }

    #[test]
    fn environment_overrides_file_and_database_url_is_read_plain() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("w.toml");
        std::fs::write(&file, "listen = \"0.0.0.0:1\"\nrate_limit_per_minute = 5\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let s = Settings::load_from(
            Some(&file),
            &env(&[
                ("WARMUP_LISTEN", "127.0.0.1:9"),
                ("DATABASE_URL", "postgres://u:p@h/db"),
            ]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.listen, "127.0.0.1:9");
        assert_eq!(s.rate_limit_per_minute, 5);
        assert!(!s.is_sqlite());
        assert!(
            !format!("{s:?}").contains(":p@"),
            "password must not be printed"
        );
    }

    #[test]
    fn unknown_file_keys_and_bad_numbers_are_errors() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("w.toml");
        std::fs::write(&file, "lisen = \"x\"\n").unwrap_or_else(|e| panic!("{e}"));
        let err = Settings::load_from(Some(&file), &env(&[]))
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("lisen")));
        let err = Settings::load_from(None, &env(&[("WARMUP_RATE_LIMIT_PER_MINUTE", "lots")]));
        assert!(matches!(err, Err(ConfigError::Env { .. })));
    }

    #[test]
    fn short_bootstrap_keys_are_refused() {
        let err = Settings::load_from(None, &env(&[("WARMUP_BOOTSTRAP_API_KEY", "changeme")]));
        assert!(matches!(err, Err(ConfigError::Env { .. })));
        let ok = Settings::load_from(None, &env(&[("WARMUP_BOOTSTRAP_API_KEY", &"k".repeat(32))]));
        assert!(ok.is_ok());
    }

    #[test]
    fn limits_and_the_metrics_token_are_read_and_checked() {
        let s = Settings::load_from(None, &env(&[])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (
                s.rate_limit_org_multiple,
                s.rate_limit_unauthenticated_per_minute,
                s.max_api_keys_per_org,
                s.metrics_token.as_deref(),
            ),
            (4, 60, 100, None)
        );
        let token = "m".repeat(32);
        let s = Settings::load_from(
            None,
            &env(&[
                ("WARMUP_RATE_LIMIT_ORG_MULTIPLE", "2"),
                ("WARMUP_RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE", "10"),
                ("WARMUP_MAX_API_KEYS_PER_ORG", "5"),
                ("WARMUP_METRICS_TOKEN", &token),
            ]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.rate_limit_org_multiple, 2);
        assert_eq!(s.rate_limit_unauthenticated_per_minute, 10);
        assert_eq!(s.max_api_keys_per_org, 5);
        assert_eq!(s.metrics_token.as_deref(), Some(token.as_str()));
        assert!(
            !format!("{s:?}").contains(&token),
            "the token is never printed"
        );
        let short = Settings::load_from(None, &env(&[("WARMUP_METRICS_TOKEN", "secret")]));
        assert!(
            matches!(&short, Err(ConfigError::Env { name, .. }) if name == "WARMUP_METRICS_TOKEN"),
            "{short:?}"
        );
    }

    #[test]
    fn redacts_database_passwords() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
    }

    #[test]
    fn dns_servers_are_ips_with_an_optional_port_and_the_old_name_still_works() {
        let s = Settings::load_from(
            None,
            &env(&[(
                "WARMUP_DNS_SERVERS",
                "127.0.0.1:5353, 9.9.9.9 127.0.0.1:5353",
            )]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let want: Vec<std::net::SocketAddr> = ["127.0.0.1:5353", "9.9.9.9:53"]
            .iter()
            .filter_map(|a| a.parse().ok())
            .collect();
        assert_eq!(s.dns_servers, want, "in order, once each");
        assert_eq!(s.missing_after_secs, 4 * 3600);
        let old = Settings::load_from(None, &env(&[("WARMUP_DNS_SERVER", "127.0.0.1:5353")]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(old.dns_servers, want[..1]);
        let bad = Settings::load_from(None, &env(&[("WARMUP_DNS_SERVERS", "dns.example")]));
        assert!(
            matches!(&bad, Err(ConfigError::Env { name, message }) if name == "WARMUP_DNS_SERVERS" && message.contains("dns.example")),
            "{bad:?}"
        );
        let none = Settings::load_from(None, &env(&[])).unwrap_or_else(|e| panic!("{e}"));
        assert!(none.dns_servers.is_empty(), "the system's resolvers");
    }

    #[test]
    fn blocklists_default_to_the_usual_ones_and_can_be_set() {
        let s = Settings::load_from(None, &env(&[])).unwrap_or_else(|e| panic!("{e}"));
        assert!(s.dnsbl_ip.contains(&"zen.spamhaus.org".to_string()));
        assert_eq!(s.dnsbl_domain, ["dbl.spamhaus.org"]);
        let s = Settings::load_from(
            None,
            &env(&[
                ("WARMUP_DNSBL_IP", "bl.test, Other.Test."),
                ("WARMUP_DNSBL_DOMAIN", " "),
            ]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.dnsbl_ip, ["bl.test", "other.test"]);
        assert!(s.dnsbl_domain.is_empty(), "blank: no lists");
        let off = Settings::load_from(None, &env(&[("WARMUP_DNSBL_DOMAIN", "none")]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(off.dnsbl_domain.is_empty());
        let bad = Settings::load_from(None, &env(&[("WARMUP_DNSBL_IP", "not a zone!")]));
        assert!(
            matches!(&bad, Err(ConfigError::Env { name, .. }) if name == "WARMUP_DNSBL_IP"),
            "{bad:?}"
        );
    }

    #[test]
    fn diagnose_ports_are_three_numbers() {
        let s = Settings::load_from(None, &env(&[("WARMUP_DIAGNOSE_PORTS", "2525,2465,2587")]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.diagnose_ports.relay, 2525);
        assert_eq!(s.diagnose_ports.submission, 2587);
        let bad = Settings::load_from(None, &env(&[("WARMUP_DIAGNOSE_PORTS", "25")]));
        assert!(
            matches!(&bad, Err(ConfigError::Env { name, .. }) if name == "WARMUP_DIAGNOSE_PORTS"),
            "{bad:?}"
        );
    }
}

/// Settings come from operators' files and environments: any value of any setting, and any
/// text as the file, ends in settings or an error, never a panic.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    const KEYS: [&str; 30] = [
        "listen",
        "database_url",
        "secret_key",
        "extra_ca_file",
        "bootstrap_api_key",
        "rate_limit_per_minute",
        "rate_limit_org_multiple",
        "rate_limit_unauthenticated_per_minute",
        "max_api_keys_per_org",
        "metrics_token",
        "body_limit_bytes",
        "probe_timeout_secs",
        "smtp_timeout_secs",
        "helo_name",
        "allow_private_mail_hosts",
        "require_mailbox_verification",
        "clock_speedup",
        "http_workers",
        "log",
        "dns_server",
        "dns_servers",
        "diagnose_ports",
        "dnsbl_ip",
        "dnsbl_domain",
        "mta_sts_port",
        "missing_after_secs",
        "seed_max_splits",
        "database_max_connections",
        "config",
        "unknown_setting",
    ];

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\PC{0,40}",
            "-?[0-9]{1,25}(\\.[0-9]{0,5})?",
            "(true|false|yes|no|on|off|1|0|TRUE)",
            "[0-9.:\\[\\], a-f]{0,60}",
            Just("NaN".to_string()),
            Just("inf".to_string()),
            Just("1e308".to_string()),
        ]
    }

    proptest! {
        // The cases run in a child process, stopped when one of them passes 10 s: a hang
        // fails the test instead of stalling the run.
        #![proptest_config(ProptestConfig { timeout: 10_000, ..ProptestConfig::default() })]

        #[test]
        fn any_environment_loads_or_is_refused(
            values in proptest::collection::vec((0..KEYS.len(), value()), 0..8),
        ) {
            let env = move |k: &str| {
                values
                    .iter()
                    .find(|(i, _)| format!("WARMUP_{}", KEYS[*i].to_ascii_uppercase()) == k)
                    .map(|(_, v)| v.clone())
                    // `config` names a file that does not exist: a readable error.
                    .filter(|_| k != "WARMUP_CONFIG")
            };
            let _ = Settings::load_from(None, &env);
        }

        #[test]
        fn any_file_loads_or_is_refused(
            text in prop_oneof![
                "\\PC{0,300}",
                proptest::collection::vec((0..KEYS.len(), value()), 0..6).prop_map(|kv| {
                    kv.iter()
                        .map(|(i, v)| format!("{} = {v}\n", KEYS[*i]))
                        .collect::<String>()
                }),
                proptest::collection::vec((0..KEYS.len(), value()), 0..6).prop_map(|kv| {
                    kv.iter()
                        .map(|(i, v)| format!("{} = {:?}\n", KEYS[*i], v))
                        .collect::<String>()
                }),
            ],
        ) {
            let dir = tempfile::tempdir();
            prop_assume!(dir.is_ok());
            let dir = dir.unwrap_or_else(|_| unreachable!());
            let path = dir.path().join("warmup.toml");
            prop_assume!(std::fs::write(&path, &text).is_ok());
            let _ = Settings::load_from(Some(&path), &|_| None);
        }
    }
}
