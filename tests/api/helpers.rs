//! `spawn_app`: each test gets its own database (a temporary SQLite file, or a fresh Postgres
//! database on `WARMUP_TEST_POSTGRES`) and the real application on a random port.

use std::path::PathBuf;

use reqwest::{Method, Response};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use uuid::Uuid;
use warmup::config::Settings;
use warmup::startup::Application;

#[path = "../support/zones.rs"]
mod zones;

pub const ADMIN_KEY: &str = "wu_test_bootstrap_admin_key_0123456789";
/// What `/metrics` wants from test apps (unless a test takes it away).
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789abcdef";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named test once on SQLite and once on Postgres.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await;
                super::$name(&app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await;
                super::$name(&app).await;
            }
        }
    )*};
}

fn postgres_admin_url() -> String {
    std::env::var("WARMUP_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// The URL of another database on the same server as `url`.
fn with_database(url: &str, db: &str) -> String {
    let base = url.split('?').next().unwrap_or(url);
    let cut = base
        .rfind('/')
        .filter(|i| *i > base.find("://").map_or(0, |s| s + 2));
    match cut {
        Some(i) => format!("{}/{db}", &base[..i]),
        None => format!("{base}/{db}"),
    }
}

/// Drops a test's Postgres database when the test ends, even when it fails.
struct PostgresDrop {
    name: String,
}

impl Drop for PostgresDrop {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs inside the test's runtime, which cannot be blocked on: use a thread.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(db) = Database::connect(postgres_admin_url()).await {
                    let _ = db
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                }
            });
        })
        .join();
    }
}

pub struct TestApp {
    pub address: String,
    pub settings: Settings,
    pub db: DatabaseConnection,
    pub client: reqwest::Client,
    pub backend: Backend,
    /// The in-process server; `None` when the API is a process of its own.
    handle: std::sync::Mutex<Option<actix_web::dev::ServerHandle>>,
    _dir: tempfile::TempDir,
    _pg: Option<PostgresDrop>,
}

/// Settings for a test app on `backend`, with a fresh database.
async fn test_settings(
    backend: Backend,
    dir: &tempfile::TempDir,
) -> (Settings, Option<PostgresDrop>) {
    let (url, guard) = match backend {
        Backend::Sqlite => {
            let path: PathBuf = dir.path().join("warmup.sqlite");
            (format!("sqlite://{}?mode=rwc", path.display()), None)
        }
        Backend::Postgres => {
            let name = format!("warmup_test_{}", Uuid::new_v4().simple());
            let admin = Database::connect(postgres_admin_url())
                .await
                .unwrap_or_else(|e| {
                    panic!("Postgres at {} is required: {e}", postgres_admin_url())
                });
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap_or_else(|e| panic!("cannot create test database: {e}"));
            let url = with_database(&postgres_admin_url(), &name);
            (url, Some(PostgresDrop { name }))
        }
    };
    let key = warmup_entity::secret_box::SecretBox::generate_key();
    let env = move |k: &str| -> Option<String> {
        match k {
            "DATABASE_URL" => Some(url.clone()),
            "WARMUP_LISTEN" => Some("127.0.0.1:0".into()),
            "WARMUP_SECRET_KEY" => Some(key.clone()),
            "WARMUP_BOOTSTRAP_API_KEY" => Some(ADMIN_KEY.into()),
            "WARMUP_METRICS_TOKEN" => Some(METRICS_TOKEN.into()),
            "WARMUP_HTTP_WORKERS" => Some("1".into()),
            "WARMUP_PROBE_TIMEOUT_SECS" => Some("5".into()),
            "WARMUP_SMTP_TIMEOUT_SECS" => Some("5".into()),
            // Test servers (closed ports, the mail lab) are on loopback.
            "WARMUP_ALLOW_PRIVATE_MAIL_HOSTS" => Some("true".into()),
            // Tests of other features start warmups at once; verification's own tests turn
            // it on.
            "WARMUP_REQUIRE_MAILBOX_VERIFICATION" => Some("false".into()),
            "WARMUP_EXTRA_CA_FILE" => std::env::var("MAILLAB_CA_FILE").ok(),
            _ => None,
        }
    };
    let settings = Settings::load_from(None, &env).unwrap_or_else(|e| panic!("settings: {e}"));
    (settings, guard)
}

async fn start(settings: &Settings) -> (String, actix_web::dev::ServerHandle, DatabaseConnection) {
    warmup::install_crypto_provider();
    let app = Application::build(settings)
        .await
        .unwrap_or_else(|e| panic!("application failed to start: {e:#}"));
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    let db = app.db().clone();
    tokio::spawn(app.run_until_stopped());
    (address, handle, db)
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Like [`spawn_app`], with settings changed before the start.
pub async fn spawn_app_with(backend: Backend, change: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let (mut settings, pg) = test_settings(backend, &dir).await;
    change(&mut settings);
    let (address, handle, db) = start(&settings).await;
    TestApp {
        address,
        settings,
        db,
        client: reqwest::Client::new(),
        backend,
        handle: std::sync::Mutex::new(Some(handle)),
        _dir: dir,
        _pg: pg,
    }
}

/// A response read whole: status, headers and JSON body (Null when empty or not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Reply {
    pub async fn from(res: Response) -> Self {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            json,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status, showing the body when it differs.
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// Asserts an RFC 9457 problem with this status and code.
    pub fn expect_problem(self, status: u16, code: &str) -> Self {
        let this = self.expect(status);
        assert_eq!(
            this.header("content-type"),
            Some("application/problem+json"),
            "{}",
            this.text
        );
        assert_eq!(this.json["code"], code, "{}", this.text);
        assert_eq!(this.json["status"], status, "{}", this.text);
        assert!(this.json["type"].as_str().is_some_and(|t| !t.is_empty()));
        this
    }

    /// The dotted paths of the fields a validation problem names.
    pub fn fields(&self) -> Vec<String> {
        self.json["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    /// What a worker process of this app would send and read with, on the database's clock.
    pub async fn warmup_deps(&self) -> warmup_worker::SendDeps {
        let secrets = warmup_entity::secret_box::SecretBox::from_base64(
            self.settings.secret_key.as_deref().unwrap_or_default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let tls = warmup_mail::TlsTrust::load(self.settings.extra_ca_file.as_deref())
            .unwrap_or_else(|e| panic!("{e}"));
        let clock = warmup_entity::Clock::anchored(&self.db, self.settings.clock_speedup)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        warmup::startup::worker_options(&self.settings, secrets, tls, clock)
            .unwrap_or_else(|e| panic!("{e}"))
            .warmup
            .unwrap_or_else(|| panic!("no warmup in the worker options"))
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let mut req = self
            .client
            .request(method, format!("{}{}", self.address, path));
        if let Some(k) = key {
            req = req.bearer_auth(k);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        Reply::from(
            req.send()
                .await
                .unwrap_or_else(|e| panic!("request failed: {e}")),
        )
        .await
    }

    /// The `data` of every event of `kind` raised so far (any organization).
    pub async fn events_of(&self, kind: &str) -> Vec<Value> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        warmup_entity::event::Entity::find()
            .filter(warmup_entity::event::Column::Kind.eq(kind))
            .all(&self.db)
            .await
            .unwrap_or_default()
            .iter()
            .filter_map(|e| serde_json::from_str(&e.data).ok())
            .collect()
    }

    /// The `/metrics` text, with the metrics token.
    pub async fn metrics_text(&self) -> String {
        self.request(Method::GET, "/metrics", Some(METRICS_TOKEN), None)
            .await
            .expect(200)
            .text
    }

    pub async fn get(&self, path: &str, key: &str) -> Reply {
        self.request(Method::GET, path, Some(key), None).await
    }

    pub async fn post(&self, path: &str, key: &str, body: &Value) -> Reply {
        self.request(Method::POST, path, Some(key), Some(body))
            .await
    }

    pub async fn patch(&self, path: &str, key: &str, body: &Value) -> Reply {
        self.request(Method::PATCH, path, Some(key), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, key: &str) -> Reply {
        self.request(Method::DELETE, path, Some(key), None).await
    }

    /// A new organization; returns its (non-admin) API key.
    pub async fn new_org(&self, name: &str) -> String {
        let r = self
            .post("/v1/organizations", ADMIN_KEY, &json!({ "name": name }))
            .await
            .expect(201);
        r.json["api_key"].as_str().unwrap_or_default().to_string()
    }

    /// Creates a mailbox; returns its JSON.
    pub async fn create_mailbox(&self, key: &str, body: &Value) -> Value {
        self.post("/v1/mailboxes", key, body).await.expect(201).json
    }

    /// A mailbox's id (as the API gave it) and its organization, read from the store.
    /// A mailbox of the organization of `key`, in a zone where the B2C windows are open now,
    /// warming up to a Gmail seed of that organization: its warmup set to B2C, all to Gmail,
    /// no variance, then `preferences` over that, and started. Returns its id and zone.
    pub async fn warming_mailbox(
        &self,
        key: &str,
        email: &str,
        preferences: &Value,
    ) -> (String, String) {
        let zone = evening_zone();
        let mut body = mailbox_body(email, "pw-123456");
        body["timezone"] = zone.clone().into();
        let id = self.create_mailbox(key, &body).await["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut seed = seed_body("seed@gmail.example", "pw-123456");
        seed["provider"] = "gmail".into();
        self.post("/v1/seeds", key, &seed).await.expect(201);
        let mut warmup = json!({"pattern": "b2c", "provider_split": {"gmail": 100}, "daily_variance_percent": 0});
        if let (Some(w), Some(extra)) = (warmup.as_object_mut(), preferences.as_object()) {
            w.extend(extra.clone());
        }
        self.patch(&format!("/v1/mailboxes/{id}/warmup"), key, &warmup)
            .await
            .expect(200);
        self.post(&format!("/v1/mailboxes/{id}/warmup/start"), key, &json!({}))
            .await
            .expect(200);
        (id, zone)
    }

    /// Which of the engagement loop's occasional features the worker would read now.
    pub async fn in_use(&self) -> warmup_entity::store::in_use::InUse {
        warmup_entity::store::in_use::in_use(&self.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn mailbox_and_org(&self, id: &str) -> (Uuid, Uuid) {
        use sea_orm::EntityTrait;
        let mailbox_id: Uuid = id.parse().unwrap_or_else(|e| panic!("{id}: {e}"));
        let org = warmup_entity::mailbox::Entity::find_by_id(mailbox_id)
            .one(&self.db)
            .await
            .ok()
            .flatten()
            .map(|m| m.organization_id)
            .unwrap_or_else(|| panic!("mailbox {mailbox_id}"));
        (mailbox_id, org)
    }

    /// Stops the server and starts the same application again on the same database.
    pub async fn restart(&mut self) {
        let old = self.handle.lock().ok().and_then(|h| h.clone());
        if let Some(h) = old {
            h.stop(true).await;
        }
        let (address, handle, db) = start(&self.settings).await;
        self.address = address;
        self.db = db;
        if let Ok(mut h) = self.handle.lock() {
            *h = Some(handle);
        }
    }
}

/// The environment that gives a process of the built binary `settings`: those the tests
/// change (the others are the defaults, as in [`test_settings`]), on a clean slate otherwise.
pub fn settings_env(s: &Settings) -> Vec<(&'static str, String)> {
    let dns: Vec<String> = s.dns_servers.iter().map(ToString::to_string).collect();
    let mut env = vec![
        ("PATH", std::env::var("PATH").unwrap_or_default()),
        ("DATABASE_URL", s.database_url.clone()),
        (
            "WARMUP_SECRET_KEY",
            s.secret_key.clone().unwrap_or_default(),
        ),
        ("WARMUP_CLOCK_SPEEDUP", s.clock_speedup.to_string()),
        ("WARMUP_SMTP_TIMEOUT_SECS", s.smtp_timeout_secs.to_string()),
        (
            "WARMUP_PROBE_TIMEOUT_SECS",
            s.probe_timeout_secs.to_string(),
        ),
        (
            "WARMUP_MISSING_AFTER_SECS",
            s.missing_after_secs.to_string(),
        ),
        (
            "WARMUP_ALLOW_PRIVATE_MAIL_HOSTS",
            s.allow_private_mail_hosts.to_string(),
        ),
        (
            "WARMUP_REQUIRE_MAILBOX_VERIFICATION",
            s.require_mailbox_verification.to_string(),
        ),
        (
            "WARMUP_RATE_LIMIT_PER_MINUTE",
            s.rate_limit_per_minute.to_string(),
        ),
        (
            "WARMUP_RATE_LIMIT_ORG_MULTIPLE",
            s.rate_limit_org_multiple.to_string(),
        ),
        ("WARMUP_HTTP_WORKERS", "1".to_string()),
        (
            "WARMUP_LOG",
            std::env::var("WARMUP_TEST_PROCESS_LOG_LEVEL").unwrap_or_else(|_| "warn".into()),
        ),
    ];
    if !dns.is_empty() {
        env.push(("WARMUP_DNS_SERVERS", dns.join(",")));
    }
    for (name, value) in [
        ("WARMUP_BOOTSTRAP_API_KEY", &s.bootstrap_api_key),
        ("WARMUP_EXTRA_CA_FILE", &s.extra_ca_file),
        ("WARMUP_METRICS_TOKEN", &s.metrics_token),
    ] {
        if let Some(v) = value {
            env.push((name, v.clone()));
        }
    }
    env
}

/// `warmup <args>` of the built binary with `settings` and nothing else from the environment,
/// killed when dropped. The lab cost benchmark, which starts its services through these
/// helpers, runs another build's binary instead when `WARMUP_BENCH_BINARY` names one (to
/// compare two builds with one benchmark, as the other benchmarks do); tests never set it.
pub fn warmup_command(settings: &Settings, args: &[&str]) -> tokio::process::Command {
    let binary = std::env::var_os("WARMUP_BENCH_BINARY").map_or_else(
        || env!("CARGO_BIN_EXE_warmup").into(),
        std::path::PathBuf::from,
    );
    let mut cmd = tokio::process::Command::new(binary);
    cmd.args(args)
        .env_clear()
        .envs(settings_env(settings))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .kill_on_drop(true);
    cmd
}

/// Starts `cmd` and waits (60 s at most) for the line of its output that starts with `prefix`;
/// returns the process and the rest of that line. Later output is read (and dropped unless
/// kept), so a full pipe never stalls the process.
pub async fn start_until_line(
    mut cmd: tokio::process::Command,
    prefix: &str,
) -> (tokio::process::Child, String) {
    use tokio::io::AsyncBufReadExt;
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start warmup: {e}"));
    let stdout = child
        .stdout
        .take()
        .unwrap_or_else(|| panic!("no stdout of warmup"));
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let find = async {
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(rest) = line.strip_prefix(prefix) {
                return Some(rest.to_string());
            }
        }
        None
    };
    let rest = tokio::time::timeout(std::time::Duration::from_secs(60), find)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("warmup never said {prefix:?}"));
    // WARMUP_TEST_PROCESS_LOG names a file that keeps the rest, each line after its pid: what
    // the processes of a failed chaos run logged.
    let keep = std::env::var_os("WARMUP_TEST_PROCESS_LOG").and_then(|path| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()
    });
    let pid = child.id().unwrap_or_default();
    tokio::spawn(async move {
        use std::io::Write;
        let mut keep = keep;
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(file) = keep.as_mut() {
                let _ = writeln!(file, "{pid} {line}");
            }
        }
    });
    (child, rest)
}

/// A `warmup api` process of the built binary on a test app's database, stopped when dropped.
pub struct ApiProcess {
    pub address: String,
    /// Held so the process lives as long as this; only the lab cost benchmark asks its pid.
    #[allow(dead_code)]
    child: tokio::process::Child,
}

/// Starts `warmup api` with `settings`; returns it with the address it listens on.
pub async fn start_api_process(settings: &Settings) -> ApiProcess {
    let mut cmd = warmup_command(settings, &["api"]);
    cmd.env("WARMUP_LISTEN", "127.0.0.1:0");
    let (child, rest) = start_until_line(cmd, "warmup listening on ").await;
    ApiProcess {
        address: rest
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string(),
        child,
    }
}

impl ApiProcess {
    /// Its process id, while it runs.
    #[allow(
        dead_code,
        reason = "the lab cost benchmark reads it; the tests do not"
    )]
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }
}

impl TestApp {
    /// Starts another API process, the way a scale-out deployment runs several, on this app's
    /// database with its settings and `extra` environment variables.
    pub async fn api_process(&self, extra: &[(&str, String)]) -> ApiProcess {
        let mut settings = self.settings.clone();
        for (k, v) in extra {
            match *k {
                "WARMUP_RATE_LIMIT_PER_MINUTE" => {
                    settings.rate_limit_per_minute =
                        v.parse().unwrap_or_else(|_| panic!("{k}={v:?}"))
                }
                "WARMUP_RATE_LIMIT_ORG_MULTIPLE" => {
                    settings.rate_limit_org_multiple =
                        v.parse().unwrap_or_else(|_| panic!("{k}={v:?}"))
                }
                other => panic!("no such setting in api_process: {other}"),
            }
        }
        start_api_process(&settings).await
    }
}

/// A fresh database and settings for it, nothing started: for tests that run the built
/// binary's own processes (`migrate`, `api`, `worker`, `serve`). Only the lab's tests use it.
#[allow(dead_code)]
pub struct Fresh {
    pub settings: Settings,
    pub backend: Backend,
    dir: tempfile::TempDir,
    pg: Option<PostgresDrop>,
}

#[allow(dead_code)]
impl Fresh {
    pub async fn new(backend: Backend, change: impl FnOnce(&mut Settings)) -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let (mut settings, pg) = test_settings(backend, &dir).await;
        change(&mut settings);
        Fresh {
            settings,
            backend,
            dir,
            pg,
        }
    }

    /// A test app that talks to the API process at `address` and reads the database itself.
    pub async fn app_at(self, address: String) -> TestApp {
        let db = sea_orm::Database::connect(&self.settings.database_url)
            .await
            .unwrap_or_else(|e| panic!("cannot open the test database: {e}"));
        TestApp {
            address,
            settings: self.settings,
            db,
            client: reqwest::Client::new(),
            backend: self.backend,
            handle: std::sync::Mutex::new(None),
            _dir: self.dir,
            _pg: self.pg,
        }
    }
}

/// A mailbox body for a private SMTP server.
pub fn mailbox_body(email: &str, password: &str) -> Value {
    json!({
        "email": email,
        "provider": "smtp",
        "smtp": { "host": "smtp.example.net", "port": 587, "password": password },
        "imap": { "host": "imap.example.net", "port": 993, "password": password },
        "timezone": "Europe/Berlin"
    })
}

/// A time zone in which it is now between 18:00 and 18:59, inside the B2C pattern's windows
/// on every day of the week.
pub fn evening_zone() -> String {
    zones::where_it_is(18)
}

/// A seed body for a private server.
pub fn seed_body(email: &str, password: &str) -> Value {
    json!({
        "email": email,
        "provider": "smtp",
        "imap": { "host": "imap.example.net", "port": 993, "password": password },
        "smtp": { "host": "smtp.example.net", "port": 465, "password": password }
    })
}

#[test]
fn database_urls_swap_only_the_database_name() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_database("postgres://u@h:1/db?sslmode=disable", "t"),
        "postgres://u@h:1/t"
    );
}
