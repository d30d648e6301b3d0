//! Scratch databases for the benchmarks that also measure on Postgres: made on the server at
//! `WARMUP_TEST_POSTGRES` (the local one by default) and dropped afterwards.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use uuid::Uuid;

/// The server and the databases made on it.
pub struct Scratch {
    admin: String,
    server: DatabaseConnection,
    names: Vec<String>,
}

impl Scratch {
    /// The server; `None` when none answers, which is said on stderr (the benchmark then
    /// measures SQLite only).
    pub async fn connect() -> Option<Self> {
        let admin = std::env::var("WARMUP_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        match Database::connect(&admin).await {
            Ok(server) => Some(Self {
                admin,
                server,
                names: Vec::new(),
            }),
            Err(e) => {
                eprintln!("no Postgres at {admin} ({e}): SQLite only");
                None
            }
        }
    }

    /// The URL of a new, empty database.
    pub async fn database(&mut self) -> anyhow::Result<String> {
        let name = format!("warmup_bench_{}", Uuid::new_v4().simple());
        self.server
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await?;
        self.names.push(name.clone());
        Ok(match self.admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => self.admin.clone(),
        })
    }

    /// Drops every database made, or with `keep` leaves them and says where they are.
    pub async fn finish(self, keep: bool) -> anyhow::Result<()> {
        for name in &self.names {
            if keep {
                eprintln!("kept: database {name} on {}", self.admin);
            } else {
                self.server
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await?;
            }
        }
        Ok(())
    }
}
