//! Servers a tenant may point the service at that never answer, answer without end, or answer
//! slowly: every conversation ends within its limits, and no answer is buffered past its cap.
//! Each server is a listener the test runs itself on loopback.

use std::future::Future;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use warmup_domain::{Secret, Security};
use warmup_mail::message::{self, Address, Built, Outgoing};
use warmup_mail::{ConnectOptions, ServerLogin, TlsTrust};

/// Far beyond every limit the tests set: reaching it means a conversation was not bounded.
const TEST_DEADLINE: Duration = Duration::from_secs(60);

async fn within<T>(what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(TEST_DEADLINE, fut)
        .await
        .unwrap_or_else(|_| panic!("{what} still running after {TEST_DEADLINE:?}"))
}

/// A listener whose every connection is handed to `serve`.
async fn server<F, Fut>(serve: F) -> u16
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("addr: {e}"))
        .port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket));
        }
    });
    port
}

fn login(port: u16) -> ServerLogin {
    ServerLogin {
        host: "127.0.0.1".into(),
        port,
        security: Security::None,
        username: "user".into(),
        password: Secret::new("pw"),
    }
}

fn options(step: Duration, total: Duration) -> ConnectOptions {
    ConnectOptions {
        timeout: step,
        conversation_limit: total,
        allow_private_hosts: true,
        ..ConnectOptions::default()
    }
}

fn trust() -> TlsTrust {
    TlsTrust::load(None).unwrap_or_else(|e| panic!("trust: {e}"))
}

fn warmup_message() -> Built {
    message::build(&Outgoing {
        from: Address {
            name: None,
            email: "sender@example.com",
        },
        to: Address {
            name: None,
            email: "seed@example.org",
        },
        subject: "Hello",
        message_id: "m1@example.com",
        in_reply_to: None,
        references: None,
        date: chrono::Utc::now(),
        body: "Hi",
    })
    .unwrap_or_else(|e| panic!("build: {e}"))
}

/// Writes `chunk` again and again until the peer goes away.
async fn stream_forever(socket: &mut TcpStream, chunk: &[u8]) {
    while socket.write_all(chunk).await.is_ok() {}
}

#[tokio::test]
async fn an_smtp_server_that_never_answers_costs_one_step_limit() {
    let port = server(|socket| async move {
        // Holds the connection open and says nothing.
        let _kept = socket;
        std::future::pending::<()>().await;
    })
    .await;
    let opts = options(Duration::from_secs(1), Duration::from_secs(30));
    let reply = within(
        "submission to a silent server",
        warmup_mail::smtp::submit(&login(port), &trust(), &opts, &warmup_message(), None),
    )
    .await;
    assert_eq!(reply.code, 0, "{reply:?}");
    assert!(reply.transient(), "{reply:?}");
    assert!(
        reply.text.contains("no answer within 1s") && reply.text.contains("ehlo"),
        "{reply:?}"
    );
}

#[tokio::test]
async fn an_smtp_greeting_without_end_is_cut_at_the_greeting_limit() {
    let port = server(|mut socket| async move {
        // A greeting line that never ends: no newline, ever.
        let _ = socket.write_all(b"220 ").await;
        stream_forever(&mut socket, &[b'a'; 16 * 1024]).await;
    })
    .await;
    // Step and total limits far away: only the size cap can end this.
    let opts = options(Duration::from_secs(50), Duration::from_secs(55));
    let reply = within(
        "submission to an endless greeting",
        warmup_mail::smtp::submit(&login(port), &trust(), &opts, &warmup_message(), None),
    )
    .await;
    assert_eq!(reply.code, 0, "{reply:?}");
    assert!(
        reply
            .text
            .contains("the server sent more than 64 KiB in its greeting"),
        "{reply:?}"
    );
}

#[tokio::test]
async fn an_smtp_reply_without_end_is_cut_at_the_answer_limit() {
    let port = server(|socket| async move {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let _ = write.write_all(b"220 endless.test ESMTP\r\n").await;
        // The EHLO, answered by one reply line that never ends.
        let _ = lines.next_line().await;
        let _ = write.write_all(b"250-endless.test ").await;
        while write.write_all(&[b'a'; 16 * 1024]).await.is_ok() {}
    })
    .await;
    let opts = options(Duration::from_secs(50), Duration::from_secs(55));
    let reply = within(
        "submission to an endless EHLO reply",
        warmup_mail::smtp::submit(&login(port), &trust(), &opts, &warmup_message(), None),
    )
    .await;
    assert_eq!(reply.code, 0, "{reply:?}");
    assert!(
        reply
            .text
            .contains("the server sent more than 64 KiB without waiting for a command"),
        "{reply:?}"
    );
}

/// When a scripted SMTP server answers: its greeting, each command, and the verdict on the
/// message, each after its delay.
#[derive(Clone, Copy)]
struct Pace {
    greeting: Duration,
    command: Duration,
    verdict: Duration,
}

impl Pace {
    fn even(delay: Duration) -> Self {
        Self {
            greeting: delay,
            command: delay,
            verdict: delay,
        }
    }
}

/// Answers every SMTP command at `pace` and accepts the message.
async fn paced_smtp(socket: TcpStream, pace: Pace) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    tokio::time::sleep(pace.greeting).await;
    let _ = write.write_all(b"220 paced.test ESMTP\r\n").await;
    let mut in_data = false;
    while let Ok(Some(line)) = lines.next_line().await {
        if in_data {
            if line == "." {
                in_data = false;
                tokio::time::sleep(pace.verdict).await;
                let _ = write.write_all(b"250 2.0.0 queued\r\n").await;
            }
            continue;
        }
        let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
        tokio::time::sleep(pace.command).await;
        let answer: &[u8] = match verb.as_str() {
            "EHLO" => b"250-paced.test\r\n250 AUTH PLAIN\r\n",
            "AUTH" => b"235 2.7.0 ok\r\n",
            "DATA" => {
                in_data = true;
                b"354 go on\r\n"
            }
            "QUIT" => b"221 bye\r\n",
            _ => b"250 ok\r\n",
        };
        let _ = write.write_all(answer).await;
    }
}

#[tokio::test]
async fn a_slow_smtp_server_is_left_at_the_conversation_limit() {
    // Each answer comes quickly enough for its step, but the conversation has about ten.
    let port = server(|socket| paced_smtp(socket, Pace::even(Duration::from_millis(400)))).await;
    let opts = options(Duration::from_secs(20), Duration::from_secs(2));
    let reply = within(
        "submission to a slow server",
        warmup_mail::smtp::submit(&login(port), &trust(), &opts, &warmup_message(), None),
    )
    .await;
    assert_eq!(reply.code, 0, "{reply:?}");
    assert!(
        reply
            .text
            .contains("the SMTP conversation took longer than 2s"),
        "{reply:?}"
    );
}

#[tokio::test]
async fn the_same_slow_server_delivers_when_its_answers_fit_the_limits() {
    // Guards the test above: the slow server itself works, the limit is what stopped it.
    let port = server(|socket| paced_smtp(socket, Pace::even(Duration::from_millis(10)))).await;
    let opts = options(Duration::from_secs(20), Duration::from_secs(40));
    let reply = within(
        "submission to a prompt server",
        warmup_mail::smtp::submit(&login(port), &trust(), &opts, &warmup_message(), None),
    )
    .await;
    assert!(reply.accepted(), "{reply:?}");
}

#[tokio::test]
async fn a_huge_imap_greeting_is_cut_by_size_not_by_time() {
    let port = server(|mut socket| async move {
        let _ = socket.write_all(b"* OK ").await;
        // 100 MB, or until the client leaves.
        let chunk = [b'x'; 64 * 1024];
        for _ in 0..1600 {
            if socket.write_all(&chunk).await.is_err() {
                return;
            }
        }
    })
    .await;
    // A step limit far away: only the size cap can end this soon.
    let opts = options(Duration::from_secs(50), Duration::from_secs(55));
    let report = within(
        "an IMAP connection test",
        warmup_mail::connection_test::test_imap(&login(port), &trust(), &opts),
    )
    .await;
    assert!(!report.ok);
    let last = report
        .steps
        .last()
        .unwrap_or_else(|| panic!("no step: {report:?}"));
    assert_eq!(last.step, "greeting", "{report:?}");
    assert!(
        last.detail
            .contains("the server sent more than 64 KiB in its greeting"),
        "{report:?}"
    );
    assert!(last.detail.chars().count() <= 301, "{}", last.detail);
}

/// An IMAP server that logs anyone in and answers LIST with folders without end.
async fn endless_list(socket: TcpStream) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    if write.write_all(b"* OK ready\r\n").await.is_err() {
        return;
    }
    while let Ok(Some(line)) = lines.next_line().await {
        let mut words = line.split(' ');
        let tag = words.next().unwrap_or("*").to_string();
        let verb = words.next().unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "LIST" => {
                for n in 0u64.. {
                    let folder = format!("* LIST () \"/\" folder{n}\r\n");
                    if write.write_all(folder.as_bytes()).await.is_err() {
                        return;
                    }
                }
            }
            _ => {
                let done = format!("{tag} OK done\r\n");
                if write.write_all(done.as_bytes()).await.is_err() {
                    return;
                }
            }
        }
    }
}

#[tokio::test]
async fn an_endless_folder_list_is_refused_at_the_answer_limit() {
    let port = server(endless_list).await;
    let opts = options(Duration::from_secs(50), Duration::from_secs(55));
    let mut session = within(
        "an IMAP login",
        warmup_mail::imap::open(&login(port), &trust(), &opts),
    )
    .await
    .unwrap_or_else(|e| panic!("login: {e}"));
    let folders = within("listing folders", warmup_mail::imap::folders(&mut session)).await;
    let err = folders
        .err()
        .unwrap_or_else(|| panic!("an endless LIST was taken whole"));
    assert!(
        err.to_string()
            .contains("more than 2 MiB without waiting for a command"),
        "{err}"
    );
}

#[tokio::test]
async fn reading_a_message_asks_for_a_bounded_part_only() {
    // The FETCH command itself carries the limit, so an honest server never sends more.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let port = server(move |socket| {
        let tx = tx.clone();
        async move {
            let (read, mut write) = socket.into_split();
            let mut reader = BufReader::new(read);
            let _ = write.write_all(b"* OK ready\r\n").await;
            let mut line = String::new();
            loop {
                line.clear();
                match reader.read_line(&mut line).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                let _ = tx.send(line.trim_end().to_string());
                let tag = line.split(' ').next().unwrap_or("*").to_string();
                let _ = write
                    .write_all(format!("{tag} OK done\r\n").as_bytes())
                    .await;
            }
        }
    })
    .await;
    let opts = options(Duration::from_secs(20), Duration::from_secs(40));
    let mut session = within(
        "an IMAP login",
        warmup_mail::imap::open(&login(port), &trust(), &opts),
    )
    .await
    .unwrap_or_else(|e| panic!("login: {e}"));
    let _ = within("a fetch", warmup_mail::imap::fetch_raw(&mut session, 7)).await;
    let mut seen = Vec::new();
    while let Ok(l) = rx.try_recv() {
        seen.push(l);
    }
    let fetch = seen
        .iter()
        .find(|l| l.contains("FETCH"))
        .unwrap_or_else(|| panic!("no FETCH sent: {seen:?}"));
    assert!(
        fetch.ends_with(&format!(
            "UID FETCH 7 (BODY.PEEK[]<0.{}>)",
            warmup_mail::imap::FETCH_LIMIT
        )),
        "{fetch}"
    );
}

#[tokio::test]
async fn a_verdict_that_comes_late_is_still_taken_as_the_answer() {
    // Slow to greet and slow to judge: together past the conversation's limit, each within its
    // own. Taking this for silence would have the message sent again.
    let pace = Pace {
        greeting: Duration::from_secs(3),
        command: Duration::ZERO,
        verdict: Duration::from_secs(4),
    };
    let port = server(move |socket| paced_smtp(socket, pace)).await;
    let opts = options(Duration::from_secs(5), Duration::from_secs(6));
    let reply = within(
        "submission to a server that judges slowly",
        warmup_mail::smtp::submit(&login(port), &trust(), &opts, &warmup_message(), None),
    )
    .await;
    assert!(reply.accepted(), "{reply:?}");
}

#[tokio::test]
async fn an_imap_server_silent_after_login_costs_one_step_per_command() {
    // Logs in, then never answers again.
    let port = server(|socket| async move {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let _ = write.write_all(b"* OK ready\r\n").await;
        if let Ok(Some(line)) = lines.next_line().await {
            let tag = line.split(' ').next().unwrap_or("*").to_string();
            let _ = write
                .write_all(format!("{tag} OK logged in\r\n").as_bytes())
                .await;
        }
        while let Ok(Some(_)) = lines.next_line().await {}
    })
    .await;
    let opts = options(Duration::from_secs(1), Duration::from_secs(2));
    let mut session = within(
        "an IMAP login",
        warmup_mail::imap::open(&login(port), &trust(), &opts),
    )
    .await
    .unwrap_or_else(|e| panic!("login: {e}"));
    let listed = within(
        "a LIST nobody answers",
        warmup_mail::imap::folders(&mut session),
    )
    .await;
    let err = listed
        .err()
        .unwrap_or_else(|| panic!("a silent LIST was answered"));
    assert!(err.to_string().contains("no answer within 1s"), "{err}");
}

/// DNS rebinding: a name that answers a public address to the private-address check and
/// loopback to any later lookup. The name is looked up once, and the connection goes to the
/// address that was checked. (Before, lettre looked the name up again to connect, out of the
/// check's reach.)
#[tokio::test]
async fn a_name_is_looked_up_once_and_the_checked_address_is_the_one_connected() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    // What a rebound answer would reach: a listener on loopback that counts connections.
    let reached = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&reached);
    let port = server(move |socket| {
        counter.fetch_add(1, Ordering::SeqCst);
        async move { drop(socket) }
    })
    .await;
    let asked = Arc::new(AtomicUsize::new(0));
    let lookups = Arc::clone(&asked);
    let lookup = warmup_mail::connect::Lookup(Arc::new(move |_host: &str, port: u16| {
        let first = lookups.fetch_add(1, Ordering::SeqCst) == 0;
        let ip: std::net::IpAddr = if first {
            std::net::Ipv4Addr::new(1, 1, 1, 1).into()
        } else {
            std::net::Ipv4Addr::LOCALHOST.into()
        };
        Box::pin(async move { Ok(vec![std::net::SocketAddr::new(ip, port)]) })
    }));
    let opts = ConnectOptions {
        timeout: Duration::from_secs(1),
        conversation_limit: Duration::from_secs(2),
        allow_private_hosts: false,
        lookup: Some(lookup),
        ..ConnectOptions::default()
    };
    let mut account = login(port);
    account.host = "rebind.example".into();
    let reply = within(
        "submission to a rebinding name",
        warmup_mail::smtp::submit(&account, &trust(), &opts, &warmup_message(), None),
    )
    .await;
    assert!(!reply.accepted(), "{reply:?}");
    assert_eq!(asked.load(Ordering::SeqCst), 1, "looked up more than once");
    assert_eq!(
        reached.load(Ordering::SeqCst),
        0,
        "the rebound loopback address was connected to"
    );
    let report = within(
        "an IMAP connection test to a rebinding name",
        warmup_mail::connection_test::test_imap(&account, &trust(), &opts),
    )
    .await;
    assert!(!report.ok);
    assert_eq!(asked.load(Ordering::SeqCst), 2, "one lookup per connection");
    assert_eq!(reached.load(Ordering::SeqCst), 0);
}
