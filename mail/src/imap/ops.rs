//! The IMAP operations that engagement, report filing and send recovery share: folders with
//! their roles, finding a message by Message-ID, reading it, flagging it, and moving it (MOVE,
//! or COPY + `\Deleted` + UID EXPUNGE where the server has no MOVE).

use async_imap::types::NameAttribute;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use warmup_domain::folder::{FolderRole, classify_folder, decode_mailbox_name};

use super::session::Session;
use crate::MailError;

/// Bytes of a message read at most (`BODY.PEEK[]<0.N>`): warmup mail and delivery reports are
/// far smaller, and headers (all that placement reads) come first.
pub const FETCH_LIMIT: usize = 1024 * 1024;

/// Folders taken from a server at most, those a lookup visits first kept: mailboxes with
/// thousands of folders exist, but warmup mail lands in the inbox, spam or a category.
pub const MAX_FOLDERS: usize = 500;

/// UIDs taken from one search at most, the highest (newest) kept: what matters arrived last,
/// and old messages the service leaves alone (a tenant's own reports) must not hide it.
pub const MAX_UIDS: usize = 1000;

fn fetch_query(items: &str) -> String {
    format!("({items}BODY.PEEK[]<0.{FETCH_LIMIT}>)")
}

/// What the server offers after login (servers add MOVE and UIDPLUS only then).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Caps {
    pub has_move: bool,
    pub uidplus: bool,
    /// Gmail's extensions: labels such as `\Important`.
    pub gmail: bool,
}

pub async fn capabilities(session: &mut Session) -> Result<Caps, MailError> {
    let caps = session
        .capabilities()
        .await
        .map_err(|e| MailError::Command(format!("CAPABILITY failed: {e}")))?;
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
pub async fn folders(session: &mut Session) -> Result<Vec<Folder>, MailError> {
    let failed = |e: async_imap::error::Error| MailError::Command(format!("LIST failed: {e}"));
    let mut names = session.list(None, Some("*")).await.map_err(failed)?;
    let mut out: Vec<Folder> = Vec::new();
    while let Some(n) = names.try_next().await.map_err(failed)? {
        if n.attributes()
            .iter()
            .any(|a| matches!(a, NameAttribute::NoSelect))
        {
            continue;
        }
        let attributes: Vec<String> = n.attributes().iter().map(attribute_name).collect();
        let attributes: Vec<&str> = attributes.iter().map(String::as_str).collect();
        out.push(Folder {
            wire: n.name().to_string(),
            name: decode_mailbox_name(n.name()),
            role: classify_folder(n.name(), &attributes, n.delimiter()),
        });
        // Only the first MAX_FOLDERS in lookup order are kept, so a server listing without
        // end costs no more than that (the answer's size is capped too).
        if out.len() >= 2 * MAX_FOLDERS {
            out.sort_by_key(|f| f.role.search_rank());
            out.truncate(MAX_FOLDERS);
        }
    }
    out.sort_by_key(|f| f.role.search_rank());
    out.truncate(MAX_FOLDERS);
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
) -> Result<Option<Located>, MailError> {
    let query = message_id_query(message_id);
    for folder in folders.iter().filter(|f| f.role.searched()) {
        match session.examine(&folder.wire).await {
            Ok(_) => {}
            // The server refuses this folder (it went away, or cannot be opened): look on.
            Err(async_imap::error::Error::No(_)) => continue,
            // A broken connection is not "not found": that would resend or call it missing.
            Err(e) => {
                return Err(MailError::Command(format!(
                    "EXAMINE {} failed: {e}",
                    folder.name
                )));
            }
        }
        let uids = search(session, &query)
            .await
            .map_err(|e| MailError::Command(format!("SEARCH in {} failed: {e}", folder.name)))?;
        if let Some(uid) = uids.into_iter().min() {
            return Ok(Some(Located {
                folder: folder.clone(),
                uid,
            }));
        }
    }
    Ok(None)
}

/// UID SEARCH that fails on NO or BAD. async-imap's `uid_search` (0.12) does not check the
/// tagged status, so a refused search would read as "no such message": a message called
/// missing, or an interrupted send sent twice.
async fn search(session: &mut Session, query: &str) -> Result<Vec<u32>, MailError> {
    use async_imap::imap_proto::{MailboxDatum, Response, Status};
    let tag = session
        .run_command(format!("UID SEARCH {query}"))
        .await
        .map_err(|e| MailError::Command(e.to_string()))?;
    let mut uids = Vec::new();
    loop {
        let Some(reply) = session
            .read_response()
            .await
            .map_err(|e| MailError::Command(e.to_string()))?
        else {
            return Err(MailError::Connect("the connection closed".into()));
        };
        match reply.parsed() {
            Response::MailboxData(MailboxDatum::Search(found)) => uids.extend(found),
            Response::Done {
                tag: done,
                status,
                outcome,
            } if *done == tag => {
                return match status {
                    Status::Ok => Ok(newest(uids)),
                    other => Err(MailError::Command(format!(
                        "{other:?} {}",
                        outcome.information.as_deref().unwrap_or_default()
                    ))),
                };
            }
            // Untagged news (EXISTS, FETCH of flags, ...) is not this search's answer.
            _ => {}
        }
    }
}

/// The highest [`MAX_UIDS`] of `uids`, ascending.
fn newest(mut uids: Vec<u32>) -> Vec<u32> {
    uids.sort_unstable();
    uids.dedup();
    let cut = uids.len().saturating_sub(MAX_UIDS);
    uids.split_off(cut)
}

/// `OR FROM "a" OR FROM "b" FROM "c"`: a message from any of `texts` (substrings of the From
/// header, so callers check what is found).
fn from_any_query(texts: &[String]) -> String {
    let quoted: Vec<String> = texts
        .iter()
        .map(|t| format!("FROM \"{}\"", t.replace(['"', '\\', '\r', '\n'], "")))
        .collect();
    let mut query = quoted.last().cloned().unwrap_or_default();
    for q in quoted.iter().rev().skip(1) {
        query = format!("OR {q} {query}");
    }
    query
}

/// Senders asked for in one SEARCH: servers limit the length of a command line.
const SENDERS_PER_SEARCH: usize = 20;

/// UIDs of the messages of `folder` from any of `senders` (substrings of the From header) that
/// arrived on or after `since`, newest [`MAX_UIDS`] kept. The folder is examined, not
/// selected: nothing about it changes, `\Recent` included.
pub async fn search_from(
    session: &mut Session,
    folder: &Folder,
    senders: &[String],
    since: chrono::NaiveDate,
) -> Result<Vec<u32>, MailError> {
    if senders.is_empty() {
        return Ok(Vec::new());
    }
    match session.examine(&folder.wire).await {
        Ok(_) => {}
        Err(async_imap::error::Error::No(_)) => return Ok(Vec::new()),
        Err(e) => {
            return Err(MailError::Command(format!(
                "EXAMINE {} failed: {e}",
                folder.name
            )));
        }
    }
    let mut uids = Vec::new();
    for chunk in senders.chunks(SENDERS_PER_SEARCH) {
        let query = format!(
            "UNDELETED SINCE {} {}",
            since.format("%-d-%b-%Y"),
            from_any_query(chunk)
        );
        uids.extend(
            search(session, &query).await.map_err(|e| {
                MailError::Command(format!("SEARCH in {} failed: {e}", folder.name))
            })?,
        );
    }
    Ok(newest(uids))
}

/// Every message of `folders` that arrived on or after `since` and carries `text` in its
/// subject, an `X-Warmup-Test` header or its body, in lookup order (the first folder's
/// first). SEARCH matches loosely (substrings, and some servers match words), so callers
/// confirm each on the message itself. Folders are examined, not selected.
pub async fn find_text(
    session: &mut Session,
    folders: &[Folder],
    text: &str,
    since: chrono::NaiveDate,
) -> Result<Vec<Located>, MailError> {
    let t = text.replace(['"', '\\', '\r', '\n'], "");
    let query = format!(
        "UNDELETED SINCE {} OR OR SUBJECT \"{t}\" HEADER X-Warmup-Test \"{t}\" BODY \"{t}\"",
        since.format("%-d-%b-%Y")
    );
    let mut out = Vec::new();
    for folder in folders.iter().filter(|f| f.role.searched()) {
        match session.examine(&folder.wire).await {
            Ok(_) => {}
            Err(async_imap::error::Error::No(_)) => continue,
            Err(e) => {
                return Err(MailError::Command(format!(
                    "EXAMINE {} failed: {e}",
                    folder.name
                )));
            }
        }
        let uids = search(session, &query)
            .await
            .map_err(|e| MailError::Command(format!("SEARCH in {} failed: {e}", folder.name)))?;
        out.extend(uids.into_iter().map(|uid| Located {
            folder: folder.clone(),
            uid,
        }));
    }
    Ok(out)
}

/// Whether `uid` in `folder` still is the message `message_id`: UIDs are the server's, and a
/// folder can be recreated with new ones, so a step confirms its target before acting.
pub async fn confirm(
    session: &mut Session,
    folder: &Folder,
    uid: u32,
    message_id: &str,
) -> Result<bool, MailError> {
    session
        .examine(&folder.wire)
        .await
        .map_err(|e| MailError::Command(format!("EXAMINE {} failed: {e}", folder.name)))?;
    let query = format!("UID {uid} {}", message_id_query(message_id));
    Ok(search(session, &query).await?.contains(&uid))
}

/// The newest message of `folder` with `message_id` from `sender` (a message just moved there
/// has the highest UID; anyone may send another with the same Message-ID, but not as the
/// sender the seed approved, unless forging it).
pub async fn find_from(
    session: &mut Session,
    folder: &Folder,
    message_id: &str,
    sender: &str,
) -> Result<Option<u32>, MailError> {
    session
        .examine(&folder.wire)
        .await
        .map_err(|e| MailError::Command(format!("EXAMINE {} failed: {e}", folder.name)))?;
    let query = format!(
        "{} {}",
        message_id_query(message_id),
        from_any_query(&[sender.to_string()])
    );
    Ok(search(session, &query).await?.into_iter().max())
}

/// A message's header as read from the examined folder.
#[derive(Debug, Clone)]
pub struct FetchedHeader {
    pub uid: u32,
    pub header: Vec<u8>,
    pub internal_date: Option<DateTime<Utc>>,
}

/// Messages fetched per command when reading headers.
const HEADERS_PER_FETCH: usize = 50;

/// The headers of `uids` in `folder`, without marking anything read.
pub async fn fetch_headers(
    session: &mut Session,
    folder: &Folder,
    uids: &[u32],
) -> Result<Vec<FetchedHeader>, MailError> {
    let failed = |e: async_imap::error::Error| MailError::Command(format!("FETCH failed: {e}"));
    session
        .examine(&folder.wire)
        .await
        .map_err(|e| MailError::Command(format!("EXAMINE {} failed: {e}", folder.name)))?;
    let mut out = Vec::new();
    for chunk in uids.chunks(HEADERS_PER_FETCH) {
        let set = chunk
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let fetched: Vec<_> = session
            .uid_fetch(set, "(UID INTERNALDATE BODY.PEEK[HEADER])")
            .await
            .map_err(failed)?
            .try_collect()
            .await
            .map_err(failed)?;
        for f in fetched {
            let (Some(uid), Some(header)) = (f.uid, f.header()) else {
                continue;
            };
            if chunk.contains(&uid) {
                out.push(FetchedHeader {
                    uid,
                    header: header.to_vec(),
                    internal_date: f.internal_date().map(|d| d.with_timezone(&Utc)),
                });
            }
        }
    }
    Ok(out)
}

/// A message as read from the server.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub raw: Vec<u8>,
    pub internal_date: Option<DateTime<Utc>>,
}

/// Reads a message without marking it read; `None` when it is gone.
pub async fn fetch(session: &mut Session, at: &Located) -> Result<Option<Fetched>, MailError> {
    session
        .examine(&at.folder.wire)
        .await
        .map_err(|e| MailError::Command(format!("EXAMINE {} failed: {e}", at.folder.name)))?;
    let fetched: Vec<_> = session
        .uid_fetch(at.uid.to_string(), fetch_query("UID INTERNALDATE "))
        .await
        .map_err(|e| MailError::Command(format!("FETCH failed: {e}")))?
        .try_collect()
        .await
        .map_err(|e| MailError::Command(format!("FETCH failed: {e}")))?;
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
pub async fn add_flags(session: &mut Session, at: &Located, flags: &str) -> Result<(), MailError> {
    session
        .select(&at.folder.wire)
        .await
        .map_err(|e| MailError::Command(format!("SELECT {} failed: {e}", at.folder.name)))?;
    checked(
        session,
        format!("UID STORE {} +FLAGS.SILENT ({flags})", at.uid),
        "STORE",
    )
    .await
}

/// Runs a command whose answer is only OK or not, and fails on NO or BAD: async-imap's
/// streaming `uid_store` and `uid_expunge` stop at the tagged reply without checking its
/// status, so a refused STORE would pass for done. Untagged replies go to the session's
/// unsolicited queue.
async fn checked(session: &mut Session, command: String, what: &str) -> Result<(), MailError> {
    session
        .run_command_and_check_ok(&command)
        .await
        .map_err(|e| MailError::Command(format!("{what} failed: {e}")))
}

/// Gives a message Gmail's `\Important` label.
pub async fn label_important(session: &mut Session, at: &Located) -> Result<(), MailError> {
    session
        .select(&at.folder.wire)
        .await
        .map_err(|e| MailError::Command(format!("SELECT {} failed: {e}", at.folder.name)))?;
    checked(
        session,
        format!("UID STORE {} +X-GM-LABELS (\\Important)", at.uid),
        "STORE X-GM-LABELS",
    )
    .await
}

/// Moves messages of `from` into the folder `to` (on the wire).
pub async fn move_uids(
    session: &mut Session,
    caps: Caps,
    from: &Folder,
    uids: &[u32],
    to: &str,
) -> Result<(), MailError> {
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
        .map_err(|e| MailError::Command(format!("SELECT {} failed: {e}", from.name)))?;
    if caps.has_move {
        return session
            .uid_mv(&set, to)
            .await
            .map_err(|e| MailError::Command(format!("MOVE failed: {e}")));
    }
    session
        .uid_copy(&set, to)
        .await
        .map_err(|e| MailError::Command(format!("COPY failed: {e}")))?;
    checked(
        session,
        format!("UID STORE {set} +FLAGS.SILENT (\\Deleted)"),
        "STORE \\Deleted",
    )
    .await?;
    // Without UIDPLUS the only EXPUNGE would also remove messages the owner marked deleted:
    // the original stays, flagged `\Deleted`, for the owner's client to expunge.
    if caps.uidplus {
        checked(session, format!("UID EXPUNGE {set}"), "UID EXPUNGE").await?;
    }
    Ok(())
}

/// Selects INBOX and returns the UIDs, ascending, of the messages that may be delivery
/// reports (a report content type, or from MAILER-DAEMON).
pub async fn inbox_report_uids(session: &mut Session) -> Result<Vec<u32>, MailError> {
    let failed = |e: async_imap::error::Error| MailError::Command(e.to_string());
    session.select("INBOX").await.map_err(failed)?;
    search(
        session,
        "UNDELETED OR HEADER Content-Type \"report\" FROM \"MAILER-DAEMON\"",
    )
    .await
}

/// One message of the selected folder, raw, without marking it read; `None` when it is gone.
pub async fn fetch_raw(session: &mut Session, uid: u32) -> Result<Option<Vec<u8>>, MailError> {
    let failed = |e: async_imap::error::Error| MailError::Command(e.to_string());
    let fetched: Vec<_> = session
        .uid_fetch(uid.to_string(), fetch_query(""))
        .await
        .map_err(failed)?
        .try_collect()
        .await
        .map_err(failed)?;
    Ok(fetched.first().and_then(|f| f.body()).map(<[u8]>::to_vec))
}

/// Creates a folder unless it exists.
pub async fn ensure_folder(session: &mut Session, wire: &str) {
    // Creating a folder that exists fails harmlessly.
    let _ = session.create(wire).await;
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::tcp::OwnedWriteHalf;
    use tokio::net::{TcpListener, TcpStream};
    use tokio::task::JoinHandle;
    use warmup_domain::folder::{FolderRole, classify_folder, decode_mailbox_name};

    use super::*;
    use crate::imap::session::ImapIo;

    /// What the fake server says, beyond the fixed LOGIN/SELECT/LOGOUT answers.
    struct Script {
        /// Post-login CAPABILITY list. The greeting never carries X-GM-EXT-1, so a gmail verdict
        /// can only come from asking after login, as real servers add extensions only then.
        capability: &'static str,
        /// Untagged lines answering UID STORE.
        store_untagged: &'static [&'static str],
        /// The tagged completion of UID STORE, after the tag.
        store_completion: &'static str,
        /// Untagged lines answering UID SEARCH.
        search_untagged: &'static [&'static str],
        /// The tagged completion of UID SEARCH, after the tag.
        search_completion: &'static str,
    }

    impl Default for Script {
        fn default() -> Self {
            Self {
                capability: "IMAP4rev1 UIDPLUS MOVE SPECIAL-USE",
                store_untagged: &[],
                store_completion: "BAD not expected",
                search_untagged: &[],
                search_completion: "BAD not expected",
            }
        }
    }

    async fn send(write: &mut OwnedWriteHalf, line: &str) {
        write
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .unwrap_or_else(|e| panic!("fake server write: {e}"));
    }

    /// One client connection: answers each command under the client's own tag and returns every
    /// command line (tag stripped) once the client hangs up.
    async fn serve(stream: TcpStream, script: Script) -> Vec<String> {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut seen = Vec::new();
        send(
            &mut write,
            "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake ready",
        )
        .await;
        while let Some(line) = lines
            .next_line()
            .await
            .unwrap_or_else(|e| panic!("fake server read: {e}"))
        {
            let (tag, command) = line
                .split_once(' ')
                .unwrap_or_else(|| panic!("no tag in {line:?}"));
            assert!(
                !tag.is_empty() && tag.bytes().all(|b| b.is_ascii_alphanumeric()),
                "not an IMAP tag: {line:?}"
            );
            seen.push(command.to_string());
            let upper = command.to_ascii_uppercase();
            let (untagged, completion): (Vec<String>, &str) = if upper.starts_with("LOGIN ") {
                // No [CAPABILITY] code here: the client has to send CAPABILITY itself.
                (Vec::new(), "OK LOGIN completed")
            } else if upper == "CAPABILITY" {
                (
                    vec![format!("* CAPABILITY {}", script.capability)],
                    "OK CAPABILITY completed",
                )
            } else if upper.starts_with("SELECT ") || upper.starts_with("EXAMINE ") {
                (
                    [
                        "* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen)",
                        "* OK [PERMANENTFLAGS (\\Flagged \\Deleted \\Seen \\*)] Limited",
                        "* OK [UIDVALIDITY 7] UIDs valid.",
                        "* 1 EXISTS",
                        "* 0 RECENT",
                        "* OK [UIDNEXT 43] Predicted next UID.",
                    ]
                    .map(String::from)
                    .to_vec(),
                    "OK [READ-WRITE] selected",
                )
            } else if upper.starts_with("UID STORE ") {
                (
                    script
                        .store_untagged
                        .iter()
                        .map(|l| l.to_string())
                        .collect(),
                    script.store_completion,
                )
            } else if upper.starts_with("UID SEARCH ") {
                (
                    script
                        .search_untagged
                        .iter()
                        .map(|l| l.to_string())
                        .collect(),
                    script.search_completion,
                )
            } else if upper == "LOGOUT" {
                (vec!["* BYE logging out".into()], "OK LOGOUT completed")
            } else {
                // Anything this fake was not written for must fail the client, not pass quietly.
                (Vec::new(), "BAD unknown command")
            };
            for u in &untagged {
                send(&mut write, u).await;
            }
            send(&mut write, &format!("{tag} {completion}")).await;
        }
        seen
    }

    /// A client left waiting for a tag the fake never sends would hang the test run instead of
    /// failing it.
    async fn within<T>(step: impl Future<Output = T>) -> T {
        tokio::time::timeout(std::time::Duration::from_secs(10), step)
            .await
            .unwrap_or_else(|_| panic!("no answer within 10s"))
    }

    /// A logged-in session against a fake server on loopback, and the server's task.
    async fn session_with(script: Script) -> (Session, JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("local address: {e}"));
        let server = tokio::spawn(async move {
            let (stream, _) = listener
                .accept()
                .await
                .unwrap_or_else(|e| panic!("accept: {e}"));
            serve(stream, script).await
        });
        let tcp = TcpStream::connect(addr)
            .await
            .unwrap_or_else(|e| panic!("connect: {e}"));
        let boxed: Box<dyn ImapIo> = Box::new(tcp);
        let mut client = async_imap::Client::new(boxed);
        client
            .read_response()
            .await
            .unwrap_or_else(|e| panic!("greeting: {e}"))
            .unwrap_or_else(|| panic!("closed before greeting"));
        let session = client
            .login("warmup@example.test", "secret")
            .await
            .unwrap_or_else(|(e, _)| panic!("login: {e}"));
        (session, server)
    }

    /// Hangs up and returns what the client sent after LOGIN.
    async fn commands_after_login(
        session: Session,
        server: JoinHandle<Vec<String>>,
    ) -> Vec<String> {
        // Dropping the session closes the socket, which ends the fake's read loop.
        drop(session);
        let seen = within(server)
            .await
            .unwrap_or_else(|e| panic!("fake server: {e}"));
        assert_eq!(
            seen.first().map(String::as_str),
            Some("LOGIN \"warmup@example.test\" \"secret\"")
        );
        seen[1..].to_vec()
    }

    /// Gmail's All Mail, built the way `folders` builds it from Gmail's LIST line
    /// `* LIST (\All \HasNoChildren) "/" "[Gmail]/All Mail"`.
    fn gmail_all_mail() -> Folder {
        let wire = "[Gmail]/All Mail";
        let folder = Folder {
            wire: wire.to_string(),
            name: decode_mailbox_name(wire),
            role: classify_folder(wire, &["\\All", "\\HasNoChildren"], Some("/")),
        };
        assert_eq!(folder.role, FolderRole::All);
        folder
    }

    const GMAIL_CAPS: &str = "IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN \
        X-GM-EXT-1 UIDPLUS COMPRESS=DEFLATE ENABLE MOVE CONDSTORE ESEARCH UTF8=ACCEPT LIST-EXTENDED \
        LIST-STATUS LITERAL- SPECIAL-USE APPENDLIMIT=35651584";

    #[tokio::test]
    async fn capabilities_reports_gmail_when_x_gm_ext_1_is_advertised_after_login() {
        let (mut session, server) = within(session_with(Script {
            capability: GMAIL_CAPS,
            store_untagged: &[],
            store_completion: "BAD not expected",
            ..Script::default()
        }))
        .await;
        let caps = within(capabilities(&mut session))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            caps,
            Caps {
                has_move: true,
                uidplus: true,
                gmail: true,
            }
        );
        assert_eq!(commands_after_login(session, server).await, ["CAPABILITY"]);
    }

    #[tokio::test]
    async fn capabilities_reports_no_gmail_without_x_gm_ext_1() {
        let (mut session, server) = within(session_with(Script {
            capability: "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT THREAD=REFERENCES \
                MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 \
                CONDSTORE QRESYNC ESEARCH SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS \
                SPECIAL-USE MOVE",
            store_untagged: &[],
            store_completion: "BAD not expected",
            ..Script::default()
        }))
        .await;
        let caps = within(capabilities(&mut session))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!caps.gmail, "{caps:?}");
        assert!(caps.has_move && caps.uidplus, "{caps:?}");
        assert_eq!(commands_after_login(session, server).await, ["CAPABILITY"]);
    }

    #[tokio::test]
    async fn label_important_selects_the_folder_and_stores_the_important_label_by_uid() {
        let (mut session, server) = within(session_with(Script {
            capability: GMAIL_CAPS,
            store_untagged: &["* 1 FETCH (X-GM-LABELS (\\Important) UID 42)"],
            store_completion: "OK Success",
            ..Script::default()
        }))
        .await;
        let at = Located {
            folder: gmail_all_mail(),
            uid: 42,
        };
        let result = within(label_important(&mut session, &at)).await;
        assert_eq!(result, Ok(()));
        assert_eq!(
            commands_after_login(session, server).await,
            [
                "SELECT \"[Gmail]/All Mail\"",
                "UID STORE 42 +X-GM-LABELS (\\Important)",
            ]
        );
    }

    #[tokio::test]
    async fn label_important_fails_when_the_server_refuses_the_label() {
        let (mut session, server) = within(session_with(Script {
            capability: GMAIL_CAPS,
            store_untagged: &[],
            store_completion: "NO STORE attempt on READ-ONLY folder (Failure)",
            ..Script::default()
        }))
        .await;
        let at = Located {
            folder: gmail_all_mail(),
            uid: 42,
        };
        let result = within(label_important(&mut session, &at)).await;
        let err = result
            .err()
            .unwrap_or_else(|| panic!("a refused X-GM-LABELS store reported success"));
        assert!(err.to_string().contains("X-GM-LABELS failed"), "{err}");
        assert_eq!(
            commands_after_login(session, server).await,
            [
                "SELECT \"[Gmail]/All Mail\"",
                "UID STORE 42 +X-GM-LABELS (\\Important)",
            ]
        );
    }

    fn inbox() -> Folder {
        Folder {
            wire: "INBOX".into(),
            name: "INBOX".into(),
            role: classify_folder("INBOX", &["\\HasNoChildren"], Some("/")),
        }
    }

    #[tokio::test]
    async fn find_returns_the_message_s_uid_in_the_folder_it_is_in() {
        let (mut session, server) = within(session_with(Script {
            search_untagged: &["* SEARCH 42"],
            search_completion: "OK SEARCH completed",
            ..Script::default()
        }))
        .await;
        let found = within(find(&mut session, &[inbox()], "abc@example.net"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            found,
            Some(Located {
                folder: inbox(),
                uid: 42
            })
        );
        assert_eq!(
            commands_after_login(session, server).await,
            [
                "EXAMINE \"INBOX\"",
                "UID SEARCH UNDELETED HEADER Message-ID \"<abc@example.net>\"",
            ]
        );
    }

    /// A refused search is an error, never "not there": that would call a message missing,
    /// or send an interrupted send a second time.
    #[tokio::test]
    async fn find_fails_when_the_server_refuses_the_search() {
        let (mut session, server) = within(session_with(Script {
            search_untagged: &[],
            search_completion: "NO [SERVERBUG] Internal error occurred",
            ..Script::default()
        }))
        .await;
        let result = within(find(&mut session, &[inbox()], "abc@example.net")).await;
        let err = result
            .err()
            .unwrap_or_else(|| panic!("a refused SEARCH reported the message absent"));
        assert!(err.to_string().contains("SEARCH in INBOX failed"), "{err}");
        assert!(err.to_string().contains("Internal error"), "{err}");
        drop(commands_after_login(session, server).await);
    }
}
