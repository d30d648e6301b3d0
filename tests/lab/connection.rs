//! The API's connection test against the lab's real submission and IMAP servers.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::support::{Lab, var};

on_both_databases!(
    connection_test_passes_every_step_with_valid_credentials,
    connection_test_names_the_refused_login,
);

fn lab_mailbox(
    lab: &Lab,
    email: &str,
    password: &str,
    smtp_security: &str,
    imap_security: &str,
) -> Value {
    let smtp_port = if smtp_security == "tls" {
        var("MAILLAB_SUBMISSIONS_PORT")
    } else {
        var("MAILLAB_SUBMISSION_PORT")
    };
    let imap_port = if imap_security == "tls" {
        var("MAILLAB_IMAPS_PORT")
    } else {
        var("MAILLAB_IMAP_PORT")
    };
    json!({
        "email": email,
        "provider": "smtp",
        // The certificate names `localhost`; the lab listens on 127.0.0.1.
        "smtp": {"host": lab.tls_name(), "port": smtp_port.parse::<u16>().unwrap_or(0), "security": smtp_security, "password": password},
        "imap": {"host": lab.tls_name(), "port": imap_port.parse::<u16>().unwrap_or(0), "security": imap_security, "password": password},
    })
}

fn steps(v: &Value) -> Vec<(String, bool)> {
    v["steps"]
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

async fn connection_test_passes_every_step_with_valid_credentials(app: &TestApp) {
    let lab = Lab::get();
    let key = app.new_org("Lab").await;
    for (smtp_sec, imap_sec) in [("starttls", "tls"), ("tls", "starttls")] {
        let email = lab.unique("s", "sender.test");
        let m = app
            .create_mailbox(
                &key,
                &lab_mailbox(&lab, &email, &lab.password(), smtp_sec, imap_sec),
            )
            .await;
        let id = m["id"].as_str().unwrap_or_default();
        let r = app
            .post(
                &format!("/v1/mailboxes/{id}/connection-test"),
                &key,
                &json!({}),
            )
            .await
            .expect(200);
        assert_eq!(r.json["ok"], true, "{}", r.text);
        let smtp: Vec<String> = steps(&r.json["smtp"]).into_iter().map(|(s, _)| s).collect();
        let imap: Vec<String> = steps(&r.json["imap"]).into_iter().map(|(s, _)| s).collect();
        if smtp_sec == "starttls" {
            assert_eq!(smtp, ["connect", "ehlo", "starttls", "auth"]);
            assert_eq!(imap, ["connect", "tls", "greeting", "login", "list"]);
        } else {
            assert_eq!(smtp, ["connect", "tls", "ehlo", "auth"]);
            assert_eq!(imap, ["connect", "greeting", "starttls", "login", "list"]);
        }
        assert_eq!(r.json["smtp"]["steps"][3]["reply_code"], 235, "{}", r.text);
        assert!(!r.text.contains(&lab.password()));
    }
}

async fn connection_test_names_the_refused_login(app: &TestApp) {
    let lab = Lab::get();
    let key = app.new_org("Lab").await;
    let email = lab.unique("s", "sender.test");
    let m = app
        .create_mailbox(
            &key,
            &lab_mailbox(&lab, &email, "wrong-password", "starttls", "tls"),
        )
        .await;
    let id = m["id"].as_str().unwrap_or_default();
    let r = app
        .post(
            &format!("/v1/mailboxes/{id}/connection-test"),
            &key,
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(r.json["ok"], false);
    let smtp = steps(&r.json["smtp"]);
    assert_eq!(
        smtp.last(),
        Some(&("auth".to_string(), false)),
        "{}",
        r.text
    );
    assert_eq!(r.json["smtp"]["steps"][3]["reply_code"], 535, "{}", r.text);
    let imap = steps(&r.json["imap"]);
    assert_eq!(
        imap.last(),
        Some(&("login".to_string(), false)),
        "{}",
        r.text
    );
    assert!(!r.text.contains("wrong-password"));
}
