//! Chaos against the real mail lab: the service's processes killed with SIGKILL while they
//! work. A test binary of its own, so it never runs beside the lab's timing-sensitive tests
//! (cargo runs test binaries one after another), started like them by `scripts/test`.

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
#[path = "../lab/support.rs"]
#[allow(dead_code)]
mod support;

mod killed;
