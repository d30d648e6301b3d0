//! The troubleshooter's request: what it refuses and how it names the field. (The diagnoses
//! themselves run against the mail lab, in the lab suite.)

use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(a_request_names_each_bad_field,);

async fn a_request_names_each_bad_field(app: &TestApp) {
    let key = app.new_org("Diagnose").await;
    let cases = [
        (json!({}), "domain"),
        (
            json!({"domain": "example.com", "host": "mx.example.com"}),
            "domain",
        ),
        (json!({"domain": "not a domain"}), "domain"),
        (json!({"domain": "localhost"}), "domain"),
        (json!({"domain": "example.com", "port": 25}), "port"),
        (json!({"host": "mx.example.com", "port": 0}), "port"),
        (json!({"host": "mx.example.com", "port": 70000}), "port"),
        (json!({"host": "-bad-.example"}), "host"),
        (
            json!({"domain": "example.com", "probe": {"mail_from": "", "rcpt_to": "nobody"}}),
            "probe.rcpt_to",
        ),
        (
            json!({"domain": "example.com", "probe": {"mail_from": "x@", "rcpt_to": "a@example.com"}}),
            "probe.mail_from",
        ),
    ];
    for (body, field) in cases {
        let r = app
            .post("/v1/diagnostics/smtp", &key, &body)
            .await
            .expect(422);
        let fields: Vec<&str> = r.json["errors"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
            .unwrap_or_default();
        assert!(fields.contains(&field), "{body}: {}", r.text);
    }
    let r = app
        .post(
            "/v1/diagnostics/smtp",
            &key,
            &json!({"domain": "example.com", "extra": 1}),
        )
        .await
        .expect(422);
    assert_eq!(r.json["errors"][0]["field"], "extra", "{}", r.text);
}
