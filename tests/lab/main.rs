//! Tests against the real mail lab (Postfix, Dovecot, postgrey, dnsmasq on loopback), started
//! by `scripts/test`: each provider personality, each fault, DSNs, and the API's connection test.

// The API harness is shared; the lab tests use only part of it.
#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
#[path = "../api/receiver.rs"]
#[allow(dead_code)]
mod receiver;
mod support;

mod auth_check;
mod connection;
mod diagnostics;
mod engagement;
mod fairness;
mod faults;
mod health;
mod inbox_rest;
mod placement_tests;
mod providers;
mod queue;
mod seed_list;
mod verification;
mod warmup;
mod webhooks;
