//! Database rows (sea-orm entities), the organization-scoped queries over them, and the
//! encryption that keeps credentials unreadable at rest.

pub mod alert_rule;
pub mod api_key;
pub mod clock;
pub mod clock_anchor;
pub mod domain;
pub mod domain_check;
pub mod engagement_action;
pub mod event;
pub mod idempotency_key;
pub mod lease;
pub mod mailbox;
pub mod metric_count;
pub mod organization;
pub mod placement;
pub mod placement_month_rollup;
pub mod placement_org_rollup;
pub mod placement_rollup;
pub mod placement_test;
pub mod placement_test_schedule;
pub mod placement_test_seed;
pub mod plan_day;
pub mod rate_window;
pub mod secret_box;
pub mod seed;
pub mod seed_list_campaign;
pub mod seed_list_message;
pub mod seed_split;
pub mod seed_split_member;
pub mod seed_split_sender;
pub mod send;
pub mod send_attempt;
pub mod store;
pub mod warmup_defaults;
pub mod warmup_settings;
pub mod webhook;
pub mod webhook_attempt;
pub mod webhook_delivery;
pub mod worker_process;

pub use clock::Clock;
pub use store::{OrgId, StoreError};
