//! Rows for the worker's unit tests: a sender mailbox and a sent message with its placement,
//! as the store would hand them over.

use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;
use warmup_entity::store::engagement::Work;
use warmup_entity::{mailbox, placement, send};

pub fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A sender mailbox shown as `display_name`.
pub fn mailbox(display_name: &str) -> mailbox::Model {
    mailbox::Model {
        email: "sender@tenant.example".into(),
        display_name: display_name.into(),
        provider: "other".into(),
        smtp_host: "smtp.tenant.example".into(),
        smtp_port: 587,
        smtp_security: "starttls".into(),
        smtp_username: "sender".into(),
        imap_host: "imap.tenant.example".into(),
        imap_port: 993,
        imap_security: "tls".into(),
        imap_username: "sender".into(),
        ..mailbox::Model::blank(Uuid::now_v7(), at())
    }
}

/// `m`'s sent message to a seed, with its placement: located, nothing done yet.
pub fn work(m: &mailbox::Model, subject: &str, body: &str) -> Work {
    let mut s = send::Model::planned(
        send::Draft {
            organization_id: m.organization_id,
            mailbox_id: m.id,
            seed_id: Some(Uuid::now_v7()),
            seed_email: "jonas.berg@seeds.example".into(),
            provider: "gmail".into(),
            plan_date: "2026-03-14".into(),
            message_id: "original@tenant.example".into(),
            language: "en".into(),
            subject: subject.into(),
            body: body.into(),
        },
        at(),
        at(),
    );
    s.state = "sent".into();
    s.sent_at = Some(at());
    let placement = placement::Model {
        send_id: s.id,
        organization_id: s.organization_id,
        mailbox_id: s.mailbox_id,
        seed_id: s.seed_id,
        seed_email: s.seed_email.clone(),
        provider: s.provider.clone(),
        domain: "example.com".into(),
        plan_date: s.plan_date.clone(),
        message_id: s.message_id.clone(),
        sent_at: at(),
        stage: "engaging".into(),
        class: Some("inbox".into()),
        folder: Some("INBOX".into()),
        uid: Some(1),
        arrived_at: Some(at()),
        arrival_seconds: Some(0),
        spf: None,
        dkim: None,
        dmarc: None,
        sending_ip: None,
        lookups: 1,
        next_check_at: at(),
        plan: None,
        opened_at: None,
        flagged_at: None,
        rescued_at: None,
        replied_at: None,
        archived_at: None,
        reply_message_id: None,
        reply_subject: None,
        reply_body: None,
        reply_class: None,
        reply_folder: None,
        reply_seen_at: None,
        last_error: None,
        errors: 0,
        lease_owner: None,
        lease_until: None,
        created_at: at(),
        updated_at: at(),
    };
    Work { placement, send: s }
}
