use super::*;
use crate::diagnosis::ConnectTry;

fn tries(results: &[TryResult], ms: u64) -> Vec<ConnectTry> {
    results
        .iter()
        .map(|r| ConnectTry {
            result: *r,
            duration_ms: ms,
            error: (*r != TryResult::Connected).then(|| format!("{r:?}")),
        })
        .collect()
}

fn ok_step(step: StepKind) -> StepFact {
    StepFact {
        step,
        ok: true,
        duration_ms: 5,
        reply_code: None,
        enhanced: None,
        failure: None,
        detail: "ok".into(),
    }
}

fn failed(
    step: StepKind,
    failure: StepFailure,
    code: Option<u16>,
    enhanced: Option<&str>,
    detail: &str,
) -> StepFact {
    StepFact {
        step,
        ok: false,
        duration_ms: 5,
        reply_code: code,
        enhanced: enhanced.map(str::to_string),
        failure: Some(failure),
        detail: detail.into(),
    }
}

fn conversation() -> Vec<StepFact> {
    [
        StepKind::Banner,
        StepKind::Ehlo,
        StepKind::Starttls,
        StepKind::Tls,
        StepKind::Certificate,
    ]
    .into_iter()
    .map(ok_step)
    .collect()
}

fn port(port: u16, role: PortRole, t: &[TryResult], steps: Vec<StepFact>) -> PortFacts {
    PortFacts {
        port,
        role,
        tries: tries(t, 20),
        steps,
    }
}

use TryResult::{Connected as C, Refused as R, TimedOut as T};

fn host(name: &str, ports: Vec<PortFacts>) -> HostFacts {
    HostFacts {
        host: name.into(),
        preference: Some(10),
        addresses: vec!["192.0.2.1".into()],
        resolve_error: None,
        ports,
    }
}

fn healthy(name: &str) -> HostFacts {
    host(
        name,
        vec![
            port(25, PortRole::Relay, &[C; 5], conversation()),
            port(465, PortRole::Submissions, &[R; 5], vec![]),
            port(587, PortRole::Submission, &[R; 5], vec![]),
        ],
    )
}

fn view(server: &str, outcome: LookupOutcome, records: &[&str]) -> ResolverView {
    ResolverView {
        server: server.into(),
        outcome,
        records: records.iter().map(|r| r.to_string()).collect(),
        error: (outcome == LookupOutcome::Failed).then(|| "request timed out".into()),
        duration_ms: 3,
    }
}

fn facts(resolvers: Vec<ResolverView>, hosts: Vec<HostFacts>) -> Facts {
    Facts {
        domain: Some("example.com".into()),
        resolvers,
        null_mx: false,
        implicit_mx: false,
        hosts,
        timeout_secs: 10,
        connect_timeout_secs: 10,
    }
}

fn one_resolver() -> Vec<ResolverView> {
    vec![view(
        "10.0.0.53:53",
        LookupOutcome::Answered,
        &["10 mx1.example.com"],
    )]
}

/// (case, facts, status, step, cause, words the summary must hold)
fn table() -> Vec<(
    &'static str,
    Facts,
    Status,
    &'static str,
    Cause,
    &'static str,
)> {
    let port25_blocked = host(
        "mx1.example.com",
        vec![
            port(25, PortRole::Relay, &[T; 5], vec![]),
            port(465, PortRole::Submissions, &[T; 5], vec![]),
            port(587, PortRole::Submission, &[C; 5], conversation()),
        ],
    );
    let refused_25_open_587 = host(
        "mx1.example.com",
        vec![
            port(25, PortRole::Relay, &[R; 5], vec![]),
            port(465, PortRole::Submissions, &[R; 5], vec![]),
            port(587, PortRole::Submission, &[C; 5], conversation()),
        ],
    );
    let all_refused = host(
        "mx1.example.com",
        vec![
            port(25, PortRole::Relay, &[R; 5], vec![]),
            port(465, PortRole::Submissions, &[R; 5], vec![]),
            port(587, PortRole::Submission, &[R; 5], vec![]),
        ],
    );
    let all_silent = host(
        "mx1.example.com",
        vec![
            port(25, PortRole::Relay, &[T; 5], vec![]),
            port(465, PortRole::Submissions, &[T; 5], vec![]),
            port(587, PortRole::Submission, &[T; 5], vec![]),
        ],
    );
    let lossy = host(
        "mx1.example.com",
        vec![port(25, PortRole::Relay, &[C, T, C, T, C], conversation())],
    );
    let stalls = host(
        "mx1.example.com",
        vec![port(
            25,
            PortRole::Relay,
            &[C; 5],
            vec![failed(
                StepKind::Banner,
                StepFailure::Timeout,
                None,
                None,
                "no answer within 10s",
            )],
        )],
    );
    let drops = host(
        "mx1.example.com",
        vec![port(
            25,
            PortRole::Relay,
            &[C; 5],
            vec![failed(
                StepKind::Banner,
                StepFailure::Closed,
                None,
                None,
                "connection closed",
            )],
        )],
    );
    let busy = host(
        "mx1.example.com",
        vec![port(
            25,
            PortRole::Relay,
            &[C; 5],
            vec![failed(
                StepKind::Banner,
                StepFailure::Reply,
                Some(421),
                Some("4.3.2"),
                "Too busy",
            )],
        )],
    );
    let mut expired_steps = conversation();
    expired_steps[4] = failed(
        StepKind::Certificate,
        StepFailure::CertificateExpired,
        None,
        None,
        "certificate expired",
    );
    let expired = host(
        "mx1.example.com",
        vec![port(25, PortRole::Relay, &[C; 5], expired_steps)],
    );
    let mut no_tls = conversation();
    no_tls.truncate(2);
    no_tls.push(failed(
        StepKind::Starttls,
        StepFailure::NotOffered,
        None,
        None,
        "not offered",
    ));
    let plain = host(
        "mx1.example.com",
        vec![port(25, PortRole::Relay, &[C; 5], no_tls)],
    );
    let mut grey_steps = conversation();
    grey_steps.push(ok_step(StepKind::MailFrom));
    grey_steps.push(failed(
        StepKind::RcptTo,
        StepFailure::Reply,
        Some(450),
        Some("4.2.0"),
        "<t@example.com>: Recipient address rejected: Greylisted, retry in 300 seconds",
    ));
    let greylists = host(
        "mx1.example.com",
        vec![port(25, PortRole::Relay, &[C; 5], grey_steps)],
    );
    let unresolvable = HostFacts {
        resolve_error: Some("mx1.example.com has no address".into()),
        addresses: vec![],
        ports: vec![],
        ..healthy("mx1.example.com")
    };

    vec![
        (
            "healthy",
            facts(one_resolver(), vec![healthy("mx1.example.com")]),
            Status::Ok,
            "certificate",
            Cause::None,
            "can be delivered",
        ),
        (
            "firewall on 25",
            facts(one_resolver(), vec![port25_blocked]),
            Status::Failed,
            "connect",
            Cause::Firewall,
            "timed out 5/5 times while 587 answered: a firewall blocks outbound port 25",
        ),
        (
            "refuses 25, 587 open",
            facts(one_resolver(), vec![refused_25_open_587]),
            Status::Failed,
            "connect",
            Cause::ServerMisconfigured,
            "refused the connection 5/5 times while 587 answered",
        ),
        (
            "nothing listens",
            facts(one_resolver(), vec![all_refused]),
            Status::Failed,
            "connect",
            Cause::ServerMisconfigured,
            "refused every connection",
        ),
        (
            "unreachable",
            facts(one_resolver(), vec![all_silent]),
            Status::Failed,
            "connect",
            Cause::Firewall,
            "within 10s",
        ),
        (
            "lossy path",
            facts(one_resolver(), vec![lossy]),
            Status::Warning,
            "connect",
            Cause::NetworkCongestion,
            "2 of 5 connections",
        ),
        (
            "greeting never comes",
            facts(one_resolver(), vec![stalls]),
            Status::Failed,
            "banner",
            Cause::ServerOverloaded,
            "sent no greeting within 10s",
        ),
        (
            "closed before greeting",
            facts(one_resolver(), vec![drops]),
            Status::Failed,
            "banner",
            Cause::ServerOverloaded,
            "closed the connection",
        ),
        (
            "421 at greeting",
            facts(one_resolver(), vec![busy]),
            Status::Failed,
            "banner",
            Cause::ServerOverloaded,
            "421 4.3.2 Too busy",
        ),
        (
            "expired certificate on an MX: senders deliver anyway",
            facts(one_resolver(), vec![expired]),
            Status::Warning,
            "certificate",
            Cause::ServerMisconfigured,
            "has expired",
        ),
        (
            "no STARTTLS on an MX",
            facts(one_resolver(), vec![plain]),
            Status::Warning,
            "starttls",
            Cause::ServerMisconfigured,
            "does not offer STARTTLS",
        ),
        (
            "greylisting",
            facts(one_resolver(), vec![greylists]),
            Status::Warning,
            "rcpt_to",
            Cause::Greylisting,
            "greylists",
        ),
        (
            "MX name without address",
            facts(one_resolver(), vec![unresolvable]),
            Status::Failed,
            "resolve",
            Cause::Dns,
            "has no address",
        ),
        (
            "no such domain",
            facts(
                vec![view("10.0.0.53:53", LookupOutcome::NxDomain, &[])],
                vec![],
            ),
            Status::Failed,
            "resolve",
            Cause::Dns,
            "NXDOMAIN",
        ),
        (
            "no MX, no address",
            facts(
                vec![view("10.0.0.53:53", LookupOutcome::NoRecords, &[])],
                vec![],
            ),
            Status::Failed,
            "resolve",
            Cause::Dns,
            "no MX record and no address",
        ),
        (
            "no resolver answers",
            facts(
                vec![
                    view("10.0.0.53:53", LookupOutcome::Failed, &[]),
                    view("10.0.0.54:53", LookupOutcome::Failed, &[]),
                ],
                vec![],
            ),
            Status::Failed,
            "resolve",
            Cause::Dns,
            "No DNS resolver answered",
        ),
        (
            "one resolver down",
            facts(
                vec![
                    view(
                        "10.0.0.53:53",
                        LookupOutcome::Answered,
                        &["10 mx1.example.com"],
                    ),
                    view("10.0.0.54:53", LookupOutcome::Failed, &[]),
                ],
                vec![healthy("mx1.example.com")],
            ),
            Status::Warning,
            "resolve",
            Cause::Dns,
            "Resolver 10.0.0.54:53 (request timed out) did not answer",
        ),
        (
            "resolvers disagree",
            facts(
                vec![
                    view(
                        "10.0.0.53:53",
                        LookupOutcome::Answered,
                        &["10 mx1.example.com"],
                    ),
                    view(
                        "10.0.0.54:53",
                        LookupOutcome::Answered,
                        &["10 mx.other.example"],
                    ),
                ],
                vec![healthy("mx1.example.com")],
            ),
            Status::Warning,
            "resolve",
            Cause::Dns,
            "disagree",
        ),
        (
            "first MX down, second works",
            facts(
                one_resolver(),
                vec![
                    host(
                        "mx1.example.com",
                        vec![port(25, PortRole::Relay, &[R; 5], vec![])],
                    ),
                    healthy("mx2.example.com"),
                ],
            ),
            Status::Warning,
            "connect",
            Cause::ServerMisconfigured,
            "fall back to another MX (mx2.example.com)",
        ),
    ]
}

#[test]
fn each_situation_gets_its_step_cause_and_words() {
    for (case, facts, status, step, cause, words) in table() {
        let (v, _) = verdict(&facts);
        assert_eq!(v.status, status, "{case}: {v:?}");
        assert_eq!(v.step, step, "{case}: {v:?}");
        assert_eq!(v.cause, cause, "{case}: {v:?}");
        assert!(
            v.summary.contains(words),
            "{case}: {:?} lacks {words:?}",
            v.summary
        );
        assert!(!v.fix.is_empty(), "{case}: a fix");
        assert!(
            !v.summary.contains("  "),
            "{case}: no runs of spaces: {:?}",
            v.summary
        );
    }
}

#[test]
fn a_finding_about_the_destination_comes_before_a_resolver_of_ours_that_is_down() {
    let mut greylisting = table()
        .into_iter()
        .find(|t| t.0 == "greylisting")
        .map(|t| t.1)
        .unwrap_or_else(|| panic!("case"));
    greylisting
        .resolvers
        .push(view("10.0.0.54:53", LookupOutcome::Failed, &[]));
    let (v, notes) = verdict(&greylisting);
    assert_eq!(v.cause, Cause::Greylisting);
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].summary.starts_with("Resolver 10.0.0.54:53"),
        "{:?}",
        notes[0]
    );
}

#[test]
fn port_25_silent_at_every_mx_is_this_host_s_outbound_firewall() {
    let silent = |name: &str| {
        host(
            name,
            vec![
                port(25, PortRole::Relay, &[T; 5], vec![]),
                port(465, PortRole::Submissions, &[T; 5], vec![]),
                port(587, PortRole::Submission, &[T; 5], vec![]),
            ],
        )
    };
    let f = facts(
        one_resolver(),
        vec![
            silent("gmail-smtp-in.l.google.com"),
            silent("alt1.gmail-smtp-in.l.google.com"),
        ],
    );
    let (v, notes) = verdict(&f);
    assert_eq!(
        (v.status, v.cause, v.port),
        (Status::Failed, Cause::Firewall, Some(25))
    );
    assert!(
        v.summary
            .contains("timed out at all 2 MX hosts of example.com probed")
            && v.summary.contains("firewall blocks outbound port 25"),
        "{}",
        v.summary
    );
    assert!(notes.is_empty(), "{notes:?}");
    // One host that refuses on 587 at once is reachable: its silent port 25 is filtered.
    let one = facts(
        one_resolver(),
        vec![host(
            "mx1.example.com",
            vec![
                port(25, PortRole::Relay, &[T; 5], vec![]),
                port(465, PortRole::Submissions, &[T; 5], vec![]),
                port(587, PortRole::Submission, &[R; 5], vec![]),
            ],
        )],
    );
    let (v, _) = verdict(&one);
    assert_eq!(v.cause, Cause::Firewall);
    assert!(v.summary.contains("587 refused at once"), "{}", v.summary);
}

#[test]
fn a_bad_certificate_fails_a_submission_port_and_an_envelope_refusal_is_not_delayed() {
    let mut steps = conversation();
    steps[4] = failed(
        StepKind::Certificate,
        StepFailure::CertificateExpired,
        None,
        None,
        "expired",
    );
    let f = Facts {
        domain: None,
        resolvers: vec![],
        null_mx: false,
        implicit_mx: false,
        hosts: vec![host(
            "smtp.example.com",
            vec![port(587, PortRole::Submission, &[C; 5], steps)],
        )],
        timeout_secs: 9,
        connect_timeout_secs: 3,
    };
    let (v, _) = verdict(&f);
    assert_eq!((v.status, v.step.as_str()), (Status::Failed, "certificate"));

    let mut refused = conversation();
    refused.push(ok_step(StepKind::MailFrom));
    refused.push(failed(
        StepKind::RcptTo,
        StepFailure::Reply,
        Some(550),
        Some("5.1.1"),
        "User unknown",
    ));
    let f = facts(
        one_resolver(),
        vec![
            host(
                "mx1.example.com",
                vec![port(25, PortRole::Relay, &[C; 5], refused)],
            ),
            healthy("mx2.example.com"),
        ],
    );
    let (v, _) = verdict(&f);
    assert_eq!(
        (v.status, v.step.as_str()),
        (Status::Failed, "rcpt_to"),
        "{v:?}"
    );
    assert!(!v.summary.contains("fall back"), "{}", v.summary);
}

#[test]
fn a_refusal_after_a_certificate_that_only_warns_is_the_verdict() {
    let mut steps = conversation();
    steps[4] = failed(
        StepKind::Certificate,
        StepFailure::CertificateUntrusted,
        None,
        None,
        "unknown issuer",
    );
    steps.push(failed(
        StepKind::MailFrom,
        StepFailure::Reply,
        Some(501),
        Some("5.1.7"),
        "Bad sender address syntax",
    ));
    let f = facts(
        one_resolver(),
        vec![host(
            "mx1.example.com",
            vec![port(25, PortRole::Relay, &[C; 5], steps)],
        )],
    );
    let (v, notes) = verdict(&f);
    assert_eq!(
        (v.status, v.step.as_str()),
        (Status::Failed, "mail_from"),
        "{v:?}"
    );
    assert_eq!(notes.len(), 1);
    assert_eq!(
        (notes[0].status, notes[0].step.as_str()),
        (Status::Warning, "certificate")
    );
}

#[test]
fn a_failure_outranks_warnings_which_are_kept_as_notes() {
    let f = facts(
        vec![
            view(
                "10.0.0.53:53",
                LookupOutcome::Answered,
                &["10 mx1.example.com"],
            ),
            view("10.0.0.54:53", LookupOutcome::Failed, &[]),
        ],
        vec![host(
            "mx1.example.com",
            vec![port(25, PortRole::Relay, &[R; 5], vec![])],
        )],
    );
    let (v, notes) = verdict(&f);
    assert_eq!(
        (v.status, v.cause),
        (Status::Failed, Cause::ServerMisconfigured)
    );
    assert_eq!(v.host.as_deref(), Some("mx1.example.com"));
    assert_eq!(v.port, Some(25));
    assert_eq!(notes.len(), 1);
    assert_eq!(
        (notes[0].status, notes[0].cause),
        (Status::Warning, Cause::Dns)
    );
}

#[test]
fn a_host_given_directly_is_judged_on_its_one_port() {
    let f = Facts {
        domain: None,
        resolvers: vec![],
        null_mx: false,
        implicit_mx: false,
        hosts: vec![host(
            "smtp.example.com",
            vec![port(587, PortRole::Submission, &[T; 5], vec![])],
        )],
        timeout_secs: 9,
        connect_timeout_secs: 3,
    };
    let (v, _) = verdict(&f);
    assert_eq!(
        (v.status, v.cause, v.port),
        (Status::Failed, Cause::Firewall, Some(587))
    );
    assert!(v.summary.contains("within 3s"), "{}", v.summary);
}

#[test]
fn ports_parse_as_three_numbers() {
    assert_eq!(
        crate::diagnosis::Ports::parse("25, 465,587"),
        Some(crate::diagnosis::Ports::default())
    );
    assert_eq!(crate::diagnosis::Ports::parse("25,465"), None);
    assert_eq!(crate::diagnosis::Ports::parse("25,0,587"), None);
    let p = crate::diagnosis::Ports::parse("24025,24465,24587").unwrap_or_default();
    assert_eq!(p.role_of(24465), PortRole::Submissions);
    assert_eq!(p.role_of(2525), PortRole::Relay);
}
