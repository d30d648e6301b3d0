//! Finding a message by its Message-ID in every folder of a mailbox over IMAP: how a send whose
//! worker died mid-conversation is checked at the seed before it is retried, and (next) how
//! engagement finds where a message landed.

use futures::TryStreamExt;

use crate::imap_probe::Session;

/// Where a message was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub folder: String,
    pub uid: u32,
}

/// Searches every selectable folder for `message_id` (without angle brackets).
pub(crate) async fn find_message(
    session: &mut Session,
    message_id: &str,
) -> Result<Option<Found>, String> {
    let folders: Vec<String> = session
        .list(None, Some("*"))
        .await
        .map_err(|e| format!("LIST failed: {e}"))?
        .try_filter(|n| {
            let selectable = !n
                .attributes()
                .iter()
                .any(|a| matches!(a, async_imap::types::NameAttribute::NoSelect));
            futures::future::ready(selectable)
        })
        .map_ok(|n| n.name().to_string())
        .try_collect()
        .await
        .map_err(|e| format!("LIST failed: {e}"))?;
    // Quoted string: the id has no quotes or backslashes we did not put there ourselves.
    let query = format!(
        "HEADER Message-ID \"<{}>\"",
        message_id.replace(['"', '\\'], "")
    );
    for folder in folders {
        if session.examine(&folder).await.is_err() {
            continue;
        }
        let uids = session
            .uid_search(&query)
            .await
            .map_err(|e| format!("SEARCH in {folder} failed: {e}"))?;
        if let Some(uid) = uids.into_iter().min() {
            return Ok(Some(Found { folder, uid }));
        }
    }
    Ok(None)
}
