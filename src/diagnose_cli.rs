//! `warmup diagnose`: the SMTP troubleshooter from a shell, with the service's own settings
//! (resolvers, ports, time limits, EHLO name). Human output by default; `--json` prints the
//! document `POST /v1/diagnostics/smtp` answers.

use std::fmt::Write as _;

use warmup_domain::diagnosis::{
    Finding, HostFacts, LookupOutcome, PortFacts, PortRole, Status, TryResult,
};
use warmup_mail::TlsTrust;
use warmup_mail::diagnose::{Diagnosis, Probe, Target, diagnose};
use warmup_mail::dns::Resolvers;

use crate::config::Settings;
use crate::startup::diagnose_options;

/// What the command was asked.
pub struct Request {
    pub target: Target,
    pub probe: Option<Probe>,
    pub json: bool,
}

/// Runs the diagnosis and prints it; the exit status is 2 when the verdict is `failed`.
pub async fn run(settings: &Settings, request: Request) -> anyhow::Result<u8> {
    let trust = TlsTrust::load(settings.extra_ca_file.as_deref())?;
    let resolvers = Resolvers::new(&settings.dns_servers)
        .map_err(|e| anyhow::anyhow!("cannot set up the DNS resolvers: {e}"))?;
    let options = warmup_mail::diagnose::DiagnoseOptions {
        probe: request.probe,
        ..diagnose_options(settings)
    };
    let d = diagnose(&request.target, &resolvers, &trust, &options).await;
    if request.json {
        println!("{}", serde_json::to_string_pretty(&d)?);
    } else {
        print!("{}", render(&d));
    }
    Ok(if d.verdict.status == Status::Failed {
        2
    } else {
        0
    })
}

/// Wraps `text` at 92 columns: the first line after `first`, the others under it.
fn wrapped(out: &mut String, first: &str, text: &str) {
    let pad = " ".repeat(first.chars().count());
    let mut indent = first.to_string();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + 1 + word.len() > 92 {
            let _ = writeln!(out, "{indent}{line}");
            indent.clone_from(&pad);
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{line}");
    }
}

fn mark(ok: bool) -> &'static str {
    if ok { "ok  " } else { "FAIL" }
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Ok => "OK",
        Status::Warning => "WARNING",
        Status::Failed => "FAILED",
    }
}

fn role_word(r: PortRole) -> &'static str {
    match r {
        PortRole::Relay => "relay",
        PortRole::Submissions => "submissions, TLS",
        PortRole::Submission => "submission",
    }
}

fn finding(out: &mut String, f: &Finding) {
    let place = match (&f.host, f.port) {
        (Some(h), Some(p)) => format!(" ({h}, port {p})"),
        (Some(h), None) => format!(" ({h})"),
        _ => String::new(),
    };
    let cause = serde_json::to_value(f.cause)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} at {}{place}; likely cause: {cause}",
        status_word(f.status),
        f.step
    );
    wrapped(out, "  ", &f.summary);
    wrapped(out, "  Fix: ", &f.fix);
}

fn port(out: &mut String, p: &PortFacts) {
    let connected = p.connected();
    let mut counts = format!("connected {connected}/{}", p.tries.len());
    for (result, word) in [
        (TryResult::Refused, "refused"),
        (TryResult::TimedOut, "timed out"),
        (TryResult::Failed, "failed"),
    ] {
        let n = p.count(result);
        if n > 0 {
            let _ = write!(counts, ", {word} {n}");
        }
    }
    if let Some(avg) = p.average_connect_ms() {
        let _ = write!(counts, ", {avg} ms on average");
    }
    let _ = writeln!(out, "  port {} ({}): {counts}", p.port, role_word(p.role));
    for s in &p.steps {
        let code = s.reply_code.map(|c| format!("{c} ")).unwrap_or_default();
        let _ = writeln!(
            out,
            "    {} {:<12} {code}{} ({} ms)",
            mark(s.ok),
            s.step.as_str(),
            s.detail,
            s.duration_ms
        );
    }
}

fn host(out: &mut String, h: &HostFacts) {
    let pref = h
        .preference
        .map(|p| format!("preference {p}, "))
        .unwrap_or_default();
    let addrs = if h.addresses.is_empty() {
        "no address".to_string()
    } else {
        h.addresses.join(", ")
    };
    let _ = writeln!(out, "\n{} ({pref}{addrs})", h.host);
    if let Some(why) = &h.resolve_error {
        wrapped(out, "  FAIL resolve: ", why);
    }
    for p in &h.ports {
        port(out, p);
    }
}

/// The diagnosis as a person reads it.
pub fn render(d: &Diagnosis) -> String {
    let mut out = String::new();
    let what = match (&d.target.domain, &d.target.host, d.target.port) {
        (Some(domain), _, _) => domain.clone(),
        (None, Some(h), Some(p)) => format!("{h} port {p}"),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "Diagnosis of {what} ({:.1} s)",
        d.duration_ms as f64 / 1000.0
    );
    if !d.resolvers.is_empty() {
        let _ = writeln!(out, "\nMX, asked of every resolver");
        for r in &d.resolvers {
            let answer = match r.outcome {
                LookupOutcome::Answered => r.records.join(", "),
                LookupOutcome::NoRecords => "no MX record".into(),
                LookupOutcome::NxDomain => "no such domain (NXDOMAIN)".into(),
                LookupOutcome::Failed => r.error.clone().unwrap_or_else(|| "no answer".into()),
            };
            let _ = writeln!(
                out,
                "  {} {:<22} {answer} ({} ms)",
                mark(r.outcome != LookupOutcome::Failed),
                r.server,
                r.duration_ms
            );
        }
    }
    for h in &d.hosts {
        host(&mut out, h);
    }
    let _ = write!(out, "\nVerdict: ");
    finding(&mut out, &d.verdict);
    if !d.notes.is_empty() {
        let _ = writeln!(out, "\nAlso:");
        for n in &d.notes {
            finding(&mut out, n);
        }
    }
    out
}
