//! The SMTP troubleshooter against the lab: a healthy MX, one that refuses, one that stalls,
//! one that drops the connection, one with an expired certificate, a greylisting one, a domain
//! without MX, and two resolvers that disagree or of which one is down. Each verdict must name
//! the step and the cause the lab was built to show.

use std::net::SocketAddr;

use serde_json::{Value, json};
use warmup_domain::diagnosis::Ports;

use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::on_both_databases;
use crate::support::{Lab, lab_dns, var};

on_both_databases!(a_healthy_domain_passes_every_step,);

fn main_dns() -> SocketAddr {
    lab_dns()
}

fn alt_dns() -> SocketAddr {
    format!(
        "{}:{}",
        var("MAILLAB_DNS_HOST"),
        var("MAILLAB_DNS_ALT_PORT")
    )
    .parse()
    .unwrap_or_else(|e| panic!("lab DNS: {e}"))
}

/// A port on loopback where no resolver answers.
fn dead_dns() -> SocketAddr {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let addr = socket.local_addr().unwrap_or_else(|e| panic!("{e}"));
    drop(socket);
    addr
}

fn lab_ports() -> Ports {
    Ports::parse(&var("MAILLAB_DIAGNOSE_PORTS")).unwrap_or_else(|| panic!("MAILLAB_DIAGNOSE_PORTS"))
}

async fn diagnosing_app(backend: Backend, resolvers: Vec<SocketAddr>) -> TestApp {
    spawn_app_with(backend, move |s| {
        s.dns_servers = resolvers;
        s.diagnose_ports = lab_ports();
        // The stalling MX is waited for this long.
        s.probe_timeout_secs = 2;
    })
    .await
}

async fn diagnose(app: &TestApp, key: &str, body: Value) -> Value {
    app.post("/v1/diagnostics/smtp", key, &body)
        .await
        .expect(200)
        .json
}

fn verdict(d: &Value) -> (String, String, String) {
    let v = &d["verdict"];
    let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    (s("status"), s("step"), s("cause"))
}

fn relay_steps(d: &Value) -> Vec<(String, bool)> {
    d["hosts"][0]["ports"][0]["steps"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    (
                        s["step"].as_str().unwrap_or_default().to_string(),
                        s["ok"] == true,
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn a_healthy_domain_passes_every_step(app: &TestApp) {
    // The default app has no lab resolver: this one does.
    let app_with_lab = diagnosing_app(app.backend, vec![main_dns()]).await;
    let key = app_with_lab.new_org("Diagnose").await;
    let d = diagnose(&app_with_lab, &key, json!({"domain": "gmail.test"})).await;
    assert_eq!(
        verdict(&d),
        ("ok".into(), "certificate".into(), "none".into()),
        "{d:#}"
    );
    assert_eq!(
        d["mx"],
        json!([{"preference": 10, "host": "mx.gmail.test"}])
    );
    assert_eq!(d["resolvers"][0]["outcome"], "answered");
    let relay = &d["hosts"][0]["ports"][0];
    assert_eq!(relay["port"], lab_ports().relay);
    assert_eq!(relay["role"], "relay");
    let tries = relay["tries"].as_array().cloned().unwrap_or_default();
    assert_eq!(tries.len(), 5);
    assert!(
        tries.iter().all(|t| t["result"] == "connected"),
        "{relay:#}"
    );
    assert_eq!(
        relay_steps(&d),
        ["banner", "ehlo", "starttls", "tls", "certificate"]
            .map(|s| (s.to_string(), true))
            .to_vec()
    );
    // The lab's MX listens on the relay port only: the submission ports refuse.
    assert_eq!(d["hosts"][0]["ports"][1]["tries"][0]["result"], "refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_broken_server_is_given_its_step_and_cause() {
    let lab = Lab::get();
    let app = diagnosing_app(Backend::Sqlite, vec![main_dns()]).await;
    let key = app.new_org("Diagnose").await;
    let greylisted = lab.unique("t", "yahoo.test");
    let cases = [
        (
            json!({"domain": "refused.test"}),
            ("failed", "connect", "server_misconfigured"),
            "refused every connection",
        ),
        (
            json!({"domain": "stall.test"}),
            ("failed", "banner", "server_overloaded"),
            "sent no greeting within 2s",
        ),
        (
            json!({"domain": "dropped.test"}),
            ("failed", "banner", "server_overloaded"),
            "closed the connection",
        ),
        (
            // Between servers TLS is opportunistic: a warning, with who refuses anyway.
            json!({"domain": "expired.test"}),
            ("warning", "certificate", "server_misconfigured"),
            "has expired",
        ),
        (
            json!({"domain": "nomx.test"}),
            ("failed", "resolve", "dns"),
            "no MX record and no address",
        ),
        (
            json!({"domain": "no-such-domain.test"}),
            ("failed", "resolve", "dns"),
            "NXDOMAIN",
        ),
        (
            json!({"domain": "yahoo.test", "probe": {"mail_from": lab.unique("s", "sender.test"), "rcpt_to": greylisted}}),
            ("warning", "rcpt_to", "greylisting"),
            "greylists",
        ),
    ];
    for (body, (status, step, cause), words) in cases {
        let d = diagnose(&app, &key, body.clone()).await;
        assert_eq!(
            verdict(&d),
            (status.into(), step.into(), cause.into()),
            "{body}: {d:#}"
        );
        let summary = d["verdict"]["summary"].as_str().unwrap_or_default();
        assert!(summary.contains(words), "{body}: {summary}");
        assert!(!d["verdict"]["fix"].as_str().unwrap_or_default().is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolvers_that_disagree_or_do_not_answer_are_named() {
    let app = diagnosing_app(Backend::Sqlite, vec![main_dns(), alt_dns()]).await;
    let key = app.new_org("Diagnose").await;
    let d = diagnose(&app, &key, json!({"domain": "moved.test"})).await;
    assert_eq!(
        verdict(&d),
        ("warning".into(), "resolve".into(), "dns".into()),
        "{d:#}"
    );
    let summary = d["verdict"]["summary"].as_str().unwrap_or_default();
    for words in [
        "disagree",
        &var("MAILLAB_MOVED_MX_MAIN"),
        &var("MAILLAB_MOVED_MX_ALT"),
    ] {
        assert!(summary.contains(words), "{summary}");
    }
    let records: Vec<Value> = d["resolvers"]
        .as_array()
        .map(|a| a.iter().map(|r| r["records"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(
        records,
        [
            json!([format!("10 {}", var("MAILLAB_MOVED_MX_MAIN"))]),
            json!([format!("10 {}", var("MAILLAB_MOVED_MX_ALT"))])
        ]
    );

    let dead = dead_dns();
    let app = diagnosing_app(Backend::Sqlite, vec![dead, main_dns()]).await;
    let key = app.new_org("Diagnose").await;
    let d = diagnose(&app, &key, json!({"domain": "gmail.test"})).await;
    assert_eq!(
        verdict(&d),
        ("warning".into(), "resolve".into(), "dns".into()),
        "{d:#}"
    );
    let summary = d["verdict"]["summary"].as_str().unwrap_or_default();
    assert!(summary.contains(&format!("Resolver {dead}")), "{summary}");
    assert_eq!(d["resolvers"][0]["outcome"], "failed");
    assert_eq!(d["resolvers"][1]["outcome"], "answered");
    // The answer of the one that works is used: the MX was probed and is healthy.
    assert_eq!(
        relay_steps(&d).last(),
        Some(&("certificate".to_string(), true))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_mail_server_is_refused_unless_the_operator_allows_it() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.dns_servers = vec![main_dns()];
        s.diagnose_ports = lab_ports();
        s.allow_private_mail_hosts = false;
    })
    .await;
    let key = app.new_org("Diagnose").await;
    let d = diagnose(&app, &key, json!({"domain": "gmail.test"})).await;
    assert_eq!(
        verdict(&d),
        ("failed".into(), "resolve".into(), "dns".into()),
        "{d:#}"
    );
    let summary = d["verdict"]["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("WARMUP_ALLOW_PRIVATE_MAIL_HOSTS"),
        "{summary}"
    );
    assert!(
        d["hosts"][0]["ports"].as_array().is_some_and(Vec::is_empty),
        "nothing was connected to"
    );
    let r = app
        .post(
            "/v1/diagnostics/smtp",
            &key,
            &json!({"host": "127.0.0.11", "port": 25}),
        )
        .await
        .expect(422);
    assert_eq!(r.json["errors"][0]["field"], "host", "{}", r.text);
}

/// `warmup diagnose` as a user runs it: the same settings from the environment, text for
/// people, the API's document with `--json`, and exit status 2 on a failed verdict.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_prints_the_verdict_and_exits_2_when_delivery_fails() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_warmup"))
            .args(args)
            .env("WARMUP_DNS_SERVERS", main_dns().to_string())
            .env("WARMUP_DIAGNOSE_PORTS", var("MAILLAB_DIAGNOSE_PORTS"))
            .env("WARMUP_ALLOW_PRIVATE_MAIL_HOSTS", "true")
            .env("WARMUP_EXTRA_CA_FILE", var("MAILLAB_CA_FILE"))
            .env("WARMUP_PROBE_TIMEOUT_SECS", "2")
            .output()
            .unwrap_or_else(|e| panic!("warmup diagnose: {e}"))
    };
    let out = run(&["diagnose", "stall.test"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("Verdict: FAILED at banner"), "{text}");
    assert!(text.contains("likely cause: server_overloaded"), "{text}");
    assert!(text.contains("Fix: Try again later"), "{text}");
    // A warning is no failure: the status is 0.
    let out = run(&["diagnose", "expired.test"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("Verdict: WARNING at certificate"), "{text}");
    assert!(
        text.contains("Fix: Renew or replace the certificate"),
        "{text}"
    );
    // What goes into MAIL FROM must be an address and nothing more.
    let out = run(&[
        "diagnose",
        "gmail.test",
        "--mail-from",
        "a@b.test\r\nRSET",
        "--rcpt-to",
        "t@gmail.test",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an email address"));

    let out = run(&["diagnose", "gmail.test", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        verdict(&d),
        ("ok".into(), "certificate".into(), "none".into()),
        "{d:#}"
    );

    let out = run(&[
        "diagnose",
        "--host",
        "127.0.0.21",
        "--port",
        &var("MAILLAB_RELAY_PORT"),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let d: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        verdict(&d),
        (
            "failed".into(),
            "connect".into(),
            "server_misconfigured".into()
        ),
        "{d:#}"
    );
    assert_eq!(
        d["target"],
        json!({"host": "127.0.0.21", "port": lab_ports().relay})
    );
}
