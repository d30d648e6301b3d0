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
            .enum_values(Some(crate::routes::warmup::EVENT_OUTCOMES))
            .description(Some(
                "`sent`, `deferred` or `failed` (an attempt), `bounced` or `delayed` (a \
                 delivery report).",
            ))
            .build()
    )
);
