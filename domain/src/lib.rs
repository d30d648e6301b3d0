//! Pure rules of warmup: validation of what users send us and the decisions the workers make.
//! Nothing here does I/O or reads the clock; callers pass `now` where time matters.

pub mod account;
pub mod alerts;
pub mod auto_adjust;
pub mod content;
pub mod diagnosis;
pub mod email;
pub mod engagement;
pub mod folder;
pub mod health;
pub mod language;
pub mod log_text;
pub mod mail_server;
pub mod mta_sts;
pub mod pattern;
pub mod placement;
pub mod placement_test;
pub mod plan_date;
pub mod planner;
pub mod preferences;
pub mod provider;
pub mod ramp;
pub mod retry;
pub mod secret;
pub mod seed_split;
pub mod send_errors;
pub mod smtp_reply;
pub mod split;
pub mod state;
pub mod timezone;
pub mod verification;
pub mod violations;
pub mod webhook;
pub mod weekday;

pub use account::{MailboxStatus, SeedGroup, WarmupStatus};
pub use email::EmailAddress;
pub use mail_server::{MailServer, Security};
pub use placement::PlacementClass;
pub use provider::Provider;
pub use secret::Secret;
pub use violations::{Violation, Violations};
