//! End-to-end tests of the HTTP API, each on SQLite and on Postgres.

mod helpers;

mod alerts;
mod auth;
mod auto_adjust;
mod clock;
mod concurrency;
mod contract;
mod diagnostics;
mod domains;
mod limits;
mod mailboxes;
mod persistence;
mod placement_tests;
mod placements;
mod queue;
#[allow(dead_code)]
mod receiver;
mod reports;
mod secrets;
mod seed_splits;
mod seeds;
mod tenancy;
mod warmup;
mod webhooks;
mod worker;
