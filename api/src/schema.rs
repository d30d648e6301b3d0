//! String types of the document whose rules a plain `String` cannot state: the closed sets
//! (time zones, languages) and the formats (addresses, host names) the server checks, so that a
//! client or a test generator knows the rule from the document alone.
//!
//! They exist only for the document: fields keep their Rust types and refer here with
//! `#[schema(value_type = ...)]`.

use std::borrow::Cow;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, SchemaFormat, Type};
use warmup_domain::MailboxStatus;
use warmup_domain::smtp_reply::ReplyCategory;

/// A constant's name for a zone in generated clients. Generators make names by dropping
/// punctuation, which folds aliases together (`GMT+0` and `GMT0`, `Etc/GMT+0` and `Etc/GMT0`);
/// these keep every zone apart: `Etc/GMT-5` is `ETC_GMT_MINUS_5`, `Europe/Berlin`
/// `EUROPE_BERLIN`.
pub fn time_zone_constant(zone: &str) -> String {
    let mut out = String::with_capacity(zone.len() + 8);
    let mut chars = zone.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' => out.push('_'),
            '+' => out.push_str("_PLUS_"),
            '-' if chars.peek().is_some_and(char::is_ascii_digit) => out.push_str("_MINUS_"),
            '-' => out.push('_'),
            c => out.push(c.to_ascii_uppercase()),
        }
    }
    out
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

macro_rules! component {
    ($(#[$doc:meta])* $name:ident, $build:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                RefOr::T($build)
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

component!(
    /// An email address (RFC 5321 mailbox, no quoted local part).
    EmailAddress,
    Schema::Object(
        string()
            .format(Some(SchemaFormat::Custom("email".into())))
            .max_length(Some(254))
            .description(Some(
                "An email address such as `jane@acme.com` (at most 254 characters, no quoted \
                 local part). Compared case-insensitively; stored as given.",
            ))
            .examples([serde_json::json!("jane@acme.com")])
            .build()
    )
);

component!(
    /// A mail server's host name or IP address.
    HostName,
    Schema::AnyOf(
        AnyOfBuilder::new()
            .item(string().format(Some(SchemaFormat::Custom("hostname".into()))).max_length(Some(253)))
            .item(string().format(Some(SchemaFormat::Custom("ipv4".into()))))
            .item(string().format(Some(SchemaFormat::Custom("ipv6".into()))))
            .description(Some("A host name such as `smtp.acme.com`, or an IP address."))
            .build()
    )
);

component!(
    /// An IANA time zone name.
    TimeZone,
    Schema::Object(
        string()
            .enum_values(Some(chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())))
            .extensions(Some(
                utoipa::openapi::extensions::Extensions::builder()
                    .add(
                        "x-enum-varnames",
                        chrono_tz::TZ_VARIANTS
                            .iter()
                            .map(|tz| time_zone_constant(tz.name()))
                            .collect::<Vec<_>>(),
                    )
                    .build()
            ))
            .description(Some(
                "An IANA time zone name such as `Europe/Berlin`; decides when the mailbox's day \
                 starts and when its recipients work.",
            ))
            .examples([serde_json::json!("Europe/Berlin")])
            .build()
    )
);

component!(
    /// The statuses a client may set on a mailbox.
    SettableMailboxStatus,
    Schema::Object(
        string()
            .enum_values(Some(
                [MailboxStatus::Active, MailboxStatus::Paused, MailboxStatus::Error]
                    .into_iter()
                    .filter(|s| s.settable_by_user())
                    .map(MailboxStatus::as_str)
            ))
            .description(Some(
                "`active` or `paused`; `error` is set only by the service.",
            ))
            .build()
    )
);

component!(
    /// The class filter of the placement list.
    PlacementClassFilter,
    Schema::Object(
        string()
            .enum_values(Some(
                warmup_domain::PlacementClass::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .chain(["pending"])
            ))
            .description(Some(
                "A placement class, or `pending` for messages still looked for.",
            ))
            .build()
    )
);

component!(
    /// What became of one delivery attempt or report.
    EventOutcome,
    Schema::Object(
        string()
            .enum_values(Some(warmup_domain::state::EventOutcome::words()))
            .description(Some(
                "`sent`, `deferred` or `failed` (an attempt), `bounced` or `delayed` (a \
                 delivery report).",
            ))
            .build()
    )
);

component!(
    /// How a delivery attempt's answer was classified.
    AttemptCategory,
    Schema::Object(
        string()
            .enum_values(Some(
                ReplyCategory::ALL
                .into_iter()
                .map(ReplyCategory::as_str)
                .chain(warmup_domain::state::EventSource::words())
            ))
            .description(Some(
                "What the answer meant: `accepted`, `greylisted`, `rate_limited`, \
                 `bad_connection` (`4.4.2`), `routing`, `auth_failed`, `mailbox_full`, \
                 `unknown_recipient`, `policy_block`, `message_rejected`, \
                 `service_unavailable`, `other`; `recovered` for an interrupted send found at \
                 its seed, `dsn` for a delivery report.",
            ))
            .build()
    )
);

component!(
    /// What a seed did or found for a message.
    PlacementActionKind,
    Schema::Object(
        string()
            .enum_values(Some(warmup_domain::state::PlacementEvent::words()))
            .description(Some(
                "`located` (found, and where), `missing`, the seed's actions (`rescue`, `open`, \
                 `flag`, `reply`, `archive`), `reply_seen` (the answer found at the sender) or \
                 `error`.",
            ))
            .build()
    )
);

component!(
    /// Where a send of the queue stands.
    QueueState,
    Schema::Object(
        string()
            .enum_values(Some(
                warmup_entity::store::send_queue::QUEUE_STATES.map(|s| s.as_str())
            ))
            .description(Some(
                "`planned` (waits for its time), `queued` (due, waiting for a worker), \
                 `sending` (a worker holds it) or `deferred` (refused for now, tried again at \
                 `next_attempt_at`).",
            ))
            .build()
    )
);

component!(
    /// The states a send can be deleted from.
    DeletableQueueState,
    Schema::Object(
        string()
            .enum_values(Some(
                warmup_entity::store::send_queue::DELETABLE.map(|s| s.as_str())
            ))
            .description(Some(
                "`planned`, `queued` or `deferred`: a `sending` send cannot be deleted.",
            ))
            .build()
    )
);

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_time_zone_has_a_constant_of_its_own() {
        let names: BTreeSet<String> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| time_zone_constant(tz.name()))
            .collect();
        assert_eq!(names.len(), chrono_tz::TZ_VARIANTS.len());
        for name in &names {
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{name}"
            );
        }
        assert_eq!(time_zone_constant("Etc/GMT-5"), "ETC_GMT_MINUS_5");
        assert_eq!(time_zone_constant("GMT+0"), "GMT_PLUS_0");
        assert_eq!(
            time_zone_constant("America/Port-au-Prince"),
            "AMERICA_PORT_AU_PRINCE"
        );
    }
}

component!(
    /// What a webhook can be told of.
    WebhookEventType,
    Schema::Object(
        string()
            .enum_values(Some(warmup_domain::state::EventType::words()))
            .description(Some(
                "`mailbox.stopped`, `mailbox.warmup_adjusted`, `send.errors_spike`, \
                 `placement.dropped`, `placement_test.finished`, `domain.health_changed`, \
                 `domain.blocklisted`, `seed.unreachable`, `webhook.disabled`, `webhook.test`.",
            ))
            .build()
    )
);

component!(
    /// Where a webhook delivery stands.
    WebhookDeliveryState,
    Schema::Object(
        string()
            .enum_values(Some(warmup_domain::state::DeliveryState::words()))
            .description(Some(
                "`pending` (waits for its next try), `queued` (due, waiting for a worker), \
                 `delivering` (a worker sends it), `delivered` (the receiver answered 2xx) or \
                 `failed` (no more tries).",
            ))
            .build()
    )
);

component!(
    /// What one try of a webhook delivery ended in.
    WebhookAttemptOutcome,
    Schema::Object(
        string()
            .enum_values(Some(warmup_domain::state::DeliveryOutcome::words()))
            .description(Some(
                "`delivered` (2xx), `retry` (timeout, connection error, 408, 429 or 5xx: tried \
                 again with backoff for up to 24 hours) or `failed` (another answer, an \
                 address refused, or out of time).",
            ))
            .build()
    )
);
