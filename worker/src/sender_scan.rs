//! Reads the sender's inbox for delivery reports on warmup mail: each DSN is parsed, matched to
//! its send by the quoted Message-ID, recorded, and filed out of the inbox into the warmup
//! folder so the user's inbox stays clean. Reports on other mail are left alone.

use futures::TryStreamExt;
use sea_orm::DatabaseConnection;
use warmup_entity::mailbox;
use warmup_entity::secret_box::context;
use warmup_entity::store::StoreError;
use warmup_entity::store::sends::{self, Report};

use crate::dsn;
use crate::imap_probe::Session;
use crate::sender::SendDeps;

/// Where warmup mail and its reports are filed in the sender's mailbox.
pub const WARMUP_FOLDER: &str = "Warmup";

/// Scans every sender mailbox with a warmup; returns how many reports were recorded.
pub async fn scan_all(db: &DatabaseConnection, deps: &SendDeps) -> Result<u32, StoreError> {
    let mut recorded = 0;
    for m in sends::scan_targets(db).await? {
        match scan_mailbox(db, deps, &m).await {
            Ok(n) => recorded += n,
            Err(ScanError::Store(e)) => return Err(e),
            // One unreachable mailbox must not stop the others.
            Err(ScanError::Imap(e)) => {
                tracing::warn!(mailbox = %m.id, error = %e, "inbox scan failed")
            }
        }
    }
    Ok(recorded)
}

enum ScanError {
    Store(StoreError),
    Imap(String),
}

impl From<StoreError> for ScanError {
    fn from(e: StoreError) -> Self {
        ScanError::Store(e)
    }
}

async fn scan_mailbox(
    db: &DatabaseConnection,
    deps: &SendDeps,
    m: &mailbox::Model,
) -> Result<u32, ScanError> {
    let mut session = deps
        .open_imap(
            &context("mailbox", m.id, "imap"),
            &m.imap_host,
            m.imap_port,
            &m.imap_security,
            &m.imap_username,
            &m.imap_password,
        )
        .await
        .map_err(ScanError::Imap)?;
    let result = scan_inbox(db, deps, m, &mut session).await;
    let _ = session.logout().await;
    result
}

async fn scan_inbox(
    db: &DatabaseConnection,
    deps: &SendDeps,
    m: &mailbox::Model,
    session: &mut Session,
) -> Result<u32, ScanError> {
    let imap = |e: async_imap::error::Error| ScanError::Imap(e.to_string());
    session.select("INBOX").await.map_err(imap)?;
    let mut uids: Vec<u32> = session
        .uid_search("OR HEADER Content-Type \"report\" FROM \"MAILER-DAEMON\"")
        .await
        .map_err(imap)?
        .into_iter()
        .collect();
    uids.sort_unstable();
    let mut ours = Vec::new();
    let mut recorded = 0;
    for uid in uids {
        let fetched: Vec<_> = session
            .uid_fetch(uid.to_string(), "BODY.PEEK[]")
            .await
            .map_err(imap)?
            .try_collect()
            .await
            .map_err(imap)?;
        let Some(raw) = fetched.first().and_then(|f| f.body()) else {
            continue;
        };
        let Some(report) = dsn::parse(raw) else {
            continue;
        };
        let (Some(id), Some(worst)) =
            (report.original_message_id.as_deref(), report.worst_action())
        else {
            continue;
        };
        let Some(send) = sends::by_message_id(db, m.id, id).await? else {
            continue;
        };
        ours.push(uid);
        let r = Report {
            action: worst.action.clone(),
            status: worst.status.clone(),
            diagnostic: worst.diagnostic.clone(),
        };
        if sends::record_report(db, &send, r, deps.clock.now()).await? {
            recorded += 1;
        }
    }
    if !ours.is_empty() {
        file_away(session, &ours).await.map_err(ScanError::Imap)?;
    }
    Ok(recorded)
}

/// Moves messages of the selected folder into the warmup folder (MOVE, or COPY, flag and
/// expunge where the server has no MOVE).
async fn file_away(session: &mut Session, uids: &[u32]) -> Result<(), String> {
    // Creating a folder that exists fails harmlessly.
    let _ = session.create(WARMUP_FOLDER).await;
    let set = uids
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let caps = session.capabilities().await.map_err(|e| e.to_string())?;
    if caps.has_str("MOVE") {
        session
            .uid_mv(&set, WARMUP_FOLDER)
            .await
            .map_err(|e| e.to_string())?;
    } else {
        session
            .uid_copy(&set, WARMUP_FOLDER)
            .await
            .map_err(|e| e.to_string())?;
        let _: Vec<_> = session
            .uid_store(&set, "+FLAGS.SILENT (\\Deleted)")
            .await
            .map_err(|e| e.to_string())?
            .try_collect()
            .await
            .map_err(|e| e.to_string())?;
        let _: Vec<_> = session
            .uid_expunge(&set)
            .await
            .map_err(|e| e.to_string())?
            .try_collect()
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
