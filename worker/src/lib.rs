//! Background work: the job runner and its loops. Planning, the send queue and send job,
//! recovery of interrupted sends, seed engagement, reading sender mailboxes, housekeeping.
//! Mail servers are reached through `warmup-mail`, the database through `warmup-entity`.

pub mod alerts;
pub mod deps;
pub mod domain_health;
pub mod engagement;
mod error;
mod fair;
pub mod heartbeat;
pub mod housekeeping;
mod job_fetch;
pub mod placement_tests;
pub mod planner;
mod poll_timer;
pub mod recovery;
pub mod runner;
pub mod seed_list;
pub mod send_queue;
pub mod sender;
pub mod sender_scan;
#[cfg(test)]
mod test_rows;
pub mod verification;
pub mod webhooks;

pub use deps::SendDeps;
pub use error::Error;
pub use runner::{WorkerOptions, run_until};
