//! The IMAP operations that engagement, report filing and send recovery share: folders with
//! their roles, finding a message by Message-ID, reading it, flagging it, and moving it (MOVE,
//! or COPY + `\Deleted` + UID EXPUNGE where the server has no MOVE).

use async_imap::types::NameAttribute;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use warmup_domain::folder::{FolderRole, classify_folder, decode_mailbox_name};

use crate::imap_probe::Session;

/// What the server offers after login (servers add MOVE and UIDPLUS only then).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Caps {
    pub has_move: bool,
    pub uidplus: bool,
    /// Gmail's extensions: labels such as `\Important`.
    pub gmail: bool,
}

pub async fn capabilities(session: &mut Session) -> Result<Caps, String> {
    let caps = session
        .capabilities()
        .await
        .map_err(|e| format!("CAPABILITY failed: {e}"))?;
    Ok(Caps {
        has_move: caps.has_str("MOVE"),
        uidplus: caps.has_str("UIDPLUS"),
        gmail: caps.has_str("X-GM-EXT-1"),
    })
}

/// A selectable folder: its name on the wire (modified UTF-7), as people read it, and its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    pub wire: String,
    pub name: String,
    pub role: FolderRole,
}

fn attribute_name(a: &NameAttribute<'_>) -> String {
    match a {
        NameAttribute::NoInferiors => "\\Noinferiors".into(),
        NameAttribute::NoSelect => "\\Noselect".into(),
        NameAttribute::Marked => "\\Marked".into(),
        NameAttribute::Unmarked => "\\Unmarked".into(),
        NameAttribute::All => "\\All".into(),
        NameAttribute::Archive => "\\Archive".into(),
        NameAttribute::Drafts => "\\Drafts".into(),
        NameAttribute::Flagged => "\\Flagged".into(),
        NameAttribute::Junk => "\\Junk".into(),
        NameAttribute::Sent => "\\Sent".into(),
        NameAttribute::Trash => "\\Trash".into(),
        NameAttribute::Extension(s) => s.to_string(),
        // A newer attribute this code does not know: no role can come from it.
        _ => String::new(),
    }
}

/// Every selectable folder, in the order a lookup visits them (inbox, spam, categories, the
/// rest, "all mail" last).
pub async fn folders(session: &mut Session) -> Result<Vec<Folder>, String> {
    let names: Vec<_> = session
        .list(None, Some("*"))
        .await
        .map_err(|e| format!("LIST failed: {e}"))?
        .try_collect()
        .await
        .map_err(|e| format!("LIST failed: {e}"))?;
    let mut out: Vec<Folder> = names
        .iter()
        .filter(|n| {
            !n.attributes()
                .iter()
                .any(|a| matches!(a, NameAttribute::NoSelect))
        })
        .map(|n| {
            let attributes: Vec<String> = n.attributes().iter().map(attribute_name).collect();
            let attributes: Vec<&str> = attributes.iter().map(String::as_str).collect();
            Folder {
                wire: n.name().to_string(),
                name: decode_mailbox_name(n.name()),
                role: classify_folder(n.name(), &attributes, n.delimiter()),
            }
        })
        .collect();
    out.sort_by_key(|f| f.role.search_rank());
    Ok(out)
}

/// The first folder with `role`.
pub fn with_role(folders: &[Folder], role: FolderRole) -> Option<&Folder> {
    folders.iter().find(|f| f.role == role)
}

/// Where a message is: its folder and UID there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub folder: Folder,
    pub uid: u32,
}

fn message_id_query(message_id: &str) -> String {
    // A quoted string: the id has no quotes or backslashes we did not put there ourselves.
    // UNDELETED: a copy left flagged `\Deleted` (moved without UIDPLUS) is not the message.
    format!(
        "UNDELETED HEADER Message-ID \"<{}>\"",
        message_id.replace(['"', '\\', '<', '>'], "")
    )
}

/// Searches `folders` (those where received mail can be) for `message_id`, without angle
/// brackets.
pub async fn find(
    session: &mut Session,
    folders: &[Folder],
    message_id: &str,
) -> Result<Option<Located>, String> {
    let query = message_id_query(message_id);
    for folder in folders.iter().filter(|f| f.role.searched()) {
        match session.examine(&folder.wire).await {
            Ok(_) => {}
            // The server refuses this folder (it went away, or cannot be opened): look on.
            Err(async_imap::error::Error::No(_)) => continue,
            // A broken connection is not "not found": that would resend or call it missing.
            Err(e) => return Err(format!("EXAMINE {} failed: {e}", folder.name)),
        }
        let uids = session
            .uid_search(&query)
            .await
            .map_err(|e| format!("SEARCH in {} failed: {e}", folder.name))?;
        if let Some(uid) = uids.into_iter().min() {
            return Ok(Some(Located {
                folder: folder.clone(),
                uid,
            }));
        }
    }
    Ok(None)
}

/// A message as read from the server.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub raw: Vec<u8>,
    pub internal_date: Option<DateTime<Utc>>,
}

/// Reads a message without marking it read; `None` when it is gone.
pub async fn fetch(session: &mut Session, at: &Located) -> Result<Option<Fetched>, String> {
    session
        .examine(&at.folder.wire)
        .await
        .map_err(|e| format!("EXAMINE {} failed: {e}", at.folder.name))?;
    let fetched: Vec<_> = session
        .uid_fetch(at.uid.to_string(), "(UID INTERNALDATE BODY.PEEK[])")
        .await
        .map_err(|e| format!("FETCH failed: {e}"))?
        .try_collect()
        .await
        .map_err(|e| format!("FETCH failed: {e}"))?;
    Ok(fetched
        .into_iter()
        .find(|f| f.uid == Some(at.uid))
        .and_then(|f| {
            Some(Fetched {
                raw: f.body()?.to_vec(),
                internal_date: f.internal_date().map(|d| d.with_timezone(&Utc)),
            })
        }))
}

/// Adds flags (e.g. `\Seen`) to a message.
pub async fn add_flags(session: &mut Session, at: &Located, flags: &str) -> Result<(), String> {
    session
        .select(&at.folder.wire)
        .await
        .map_err(|e| format!("SELECT {} failed: {e}", at.folder.name))?;
    let _: Vec<_> = session
        .uid_store(at.uid.to_string(), format!("+FLAGS.SILENT ({flags})"))
        .await
        .map_err(|e| format!("STORE failed: {e}"))?
        .try_collect()
        .await
        .map_err(|e| format!("STORE failed: {e}"))?;
    Ok(())
}

/// Gives a message Gmail's `\Important` label.
pub async fn label_important(session: &mut Session, at: &Located) -> Result<(), String> {
    session
        .select(&at.folder.wire)
        .await
        .map_err(|e| format!("SELECT {} failed: {e}", at.folder.name))?;
    let _: Vec<_> = session
        .uid_store(at.uid.to_string(), "+X-GM-LABELS (\\Important)")
        .await
        .map_err(|e| format!("STORE X-GM-LABELS failed: {e}"))?
        .try_collect()
        .await
        .map_err(|e| format!("STORE X-GM-LABELS failed: {e}"))?;
    Ok(())
}

/// Moves messages of `from` into the folder `to` (on the wire).
pub async fn move_uids(
    session: &mut Session,
    caps: Caps,
    from: &Folder,
    uids: &[u32],
    to: &str,
) -> Result<(), String> {
    if uids.is_empty() {
        return Ok(());
    }
    let set = uids
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    session
        .select(&from.wire)
        .await
        .map_err(|e| format!("SELECT {} failed: {e}", from.name))?;
    if caps.has_move {
        return session
            .uid_mv(&set, to)
            .await
            .map_err(|e| format!("MOVE failed: {e}"));
    }
    session
        .uid_copy(&set, to)
        .await
        .map_err(|e| format!("COPY failed: {e}"))?;
    let _: Vec<_> = session
        .uid_store(&set, "+FLAGS.SILENT (\\Deleted)")
        .await
        .map_err(|e| format!("STORE \\Deleted failed: {e}"))?
        .try_collect()
        .await
        .map_err(|e| format!("STORE \\Deleted failed: {e}"))?;
    // Without UIDPLUS the only EXPUNGE would also remove messages the owner marked deleted:
    // the original stays, flagged `\Deleted`, for the owner's client to expunge.
    if caps.uidplus {
        let _: Vec<_> = session
            .uid_expunge(&set)
            .await
            .map_err(|e| format!("UID EXPUNGE failed: {e}"))?
            .try_collect()
            .await
            .map_err(|e| format!("UID EXPUNGE failed: {e}"))?;
    }
    Ok(())
}

/// Creates a folder unless it exists.
pub async fn ensure_folder(session: &mut Session, wire: &str) {
    // Creating a folder that exists fails harmlessly.
    let _ = session.create(wire).await;
}
