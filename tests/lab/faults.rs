//! Each fault answers with its exact reply, and Postfix's own deferrals and bounces come back
//! to the sender as real DSNs.

use std::time::Duration;

use crate::support::{Lab, var};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn greylisting_refuses_a_new_triplet_then_accepts_the_retry() {
    let lab = Lab::get();
    let mx = lab.mx("YAHOO");
    let from = lab.unique("s", "sender.test");
    let to = lab.unique("t", "yahoo.test");
    let (id, msg) = lab.message(&from, &to, "Greylist me", &[]);
    let first = lab
        .deliver_direct(&mx, &from, &to, &msg)
        .await
        .err()
        .unwrap_or_else(|| panic!("first try was accepted"));
    assert_eq!(first.code, 450, "{first:?}");
    assert!(first.text.starts_with("4.2.0"), "{first:?}");
    assert!(first.text.contains("Greylisted"), "{first:?}");
    let delay: u64 = var("MAILLAB_GREYLIST_DELAY_SECONDS").parse().unwrap_or(4);
    tokio::time::sleep(Duration::from_secs(delay + 1)).await;
    let second = lab
        .deliver_direct(&mx, &from, &to, &msg)
        .await
        .unwrap_or_else(|r| panic!("retry refused: {r:?}"));
    assert_eq!(second.code, 250);
    assert_eq!(
        lab.wait_for(&id, Duration::from_secs(20)).await.folder,
        "INBOX"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faulty_mx_listeners_answer_their_exact_codes() {
    let lab = Lab::get();
    let from = lab.unique("s", "sender.test");
    let cases = [
        (
            "FAULT_FLAKY",
            "flaky.test",
            451,
            "4.4.2",
            "Bad connection to remote mail server",
        ),
        (
            "FAULT_UNKNOWN",
            "unknown.test",
            550,
            "5.1.1",
            "User unknown",
        ),
        (
            "FAULT_CLOSING",
            "closing.test",
            421,
            "4.7.0",
            "closing transmission channel",
        ),
        ("CORP", "corp.test", 550, "5.1.1", "User unknown"),
    ];
    for (key, domain, code, enhanced, words) in cases {
        let prefix = if key == "CORP" { "nouser" } else { "t" };
        let to = lab.unique(prefix, domain);
        let (_, msg) = lab.message(&from, &to, "Fault", &[]);
        let reply = lab
            .deliver_direct(&lab.mx(key), &from, &to, &msg)
            .await
            .err()
            .unwrap_or_else(|| panic!("{domain} accepted"));
        assert_eq!(reply.code, code, "{domain}: {reply:?}");
        assert!(reply.text.starts_with(enhanced), "{domain}: {reply:?}");
        assert!(reply.text.contains(words), "{domain}: {reply:?}");
        let classified = warmup_domain::smtp_reply::classify(
            reply.code,
            warmup_domain::smtp_reply::EnhancedStatus::parse(enhanced),
            &reply.text,
        );
        assert_eq!(classified.permanent, code >= 500, "{domain}");
    }
    // Nothing listens on refused.test's MX address.
    let (host, port) = lab.mx("FAULT_REFUSED");
    let refused = tokio::net::TcpStream::connect((host.as_str(), port)).await;
    assert!(refused.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_users_bounce_with_a_dsn_quoting_the_original() {
    let lab = Lab::get();
    let from = lab.unique("s", "sender.test");
    let to = lab.unique("nouser", "corp.test");
    let (id, msg) = lab.message(&from, &to, "Will bounce", &[]);
    lab.submit(&from, &[&to], &msg)
        .await
        .unwrap_or_else(|r| panic!("{r:?}"));
    let dsn = lab
        .wait_for_text(
            &from,
            &["multipart/report", "Action: failed", "Status: 5.1.1"],
            Duration::from_secs(30),
        )
        .await;
    assert!(dsn.contains("message/delivery-status"));
    assert!(
        dsn.contains(&format!("Message-ID: <{id}>")),
        "the DSN must quote the original: {dsn}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_mx_hosts_defer_with_4_4_1_and_4_4_2_and_send_delay_notices() {
    let lab = Lab::get();
    for (domain, status) in [("refused.test", "4.4.1"), ("dropped.test", "4.4.2")] {
        let from = lab.unique("s", "sender.test");
        let to = lab.unique("t", domain);
        let (id, msg) = lab.message(&from, &to, "Delayed", &[]);
        lab.submit(&from, &[&to], &msg)
            .await
            .unwrap_or_else(|r| panic!("{r:?}"));
        let notice = lab
            .wait_for_text(
                &from,
                &["Action: delayed", &format!("Status: {status}"), &id],
                Duration::from_secs(60),
            )
            .await;
        assert!(notice.contains("message/delivery-status"), "{domain}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_451_4_4_2_is_retried_by_postfix_and_delivered_once_cleared() {
    let lab = Lab::get();
    let from = lab.unique("s", "sender.test");
    let to = lab.unique("t", "corp.test");
    // A fault of this test's own, on its own address, so parallel tests are not affected.
    lab.fault(&["set", &to, "451 4.4.2 Bad connection to remote mail server"]);
    let (id, msg) = lab.message(&from, &to, "Retry me", &[]);
    lab.submit(&from, &[&to], &msg)
        .await
        .unwrap_or_else(|r| panic!("{r:?}"));
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(lab.where_is(&id).is_empty(), "delivered despite the fault");
    let log = std::fs::read_to_string(var("MAILLAB_POSTFIX_LOG")).unwrap_or_default();
    assert!(
        log.lines()
            .any(|l| l.contains(&to) && l.contains("status=deferred") && l.contains("4.4.2")),
        "Postfix did not defer with 4.4.2\n{}",
        lab.log_tail()
    );
    lab.fault(&["clear", &to]);
    assert_eq!(
        lab.wait_for(&id, Duration::from_secs(40)).await.folder,
        "INBOX"
    );
}
