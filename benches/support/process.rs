//! What the benchmarks read of processes they start (or of themselves) on Linux: CPU time and
//! memory from `/proc`.
#![allow(dead_code, reason = "each benchmark reads what it needs of it")]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A process that is killed when dropped.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// CPU seconds a process has spent so far (user and system), from `/proc/<pid>/stat`; 0 when
/// it cannot be read.
pub fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the command name, which may hold spaces, start after its ')'.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name; the
    // kernel counts them in ticks of 1/100 s on Linux.
    match (ticks(11), ticks(12)) {
        (Some(u), Some(s)) => (u + s) / 100.0,
        _ => 0.0,
    }
}

/// A figure in kB of `/proc/<pid>/status`, such as `VmRSS` or `VmHWM` (the peak resident set);
/// 0 when it cannot be read.
pub fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The `warmup` binary the benchmarks run: this build's, or `WARMUP_BENCH_BINARY` (another
/// build's, to compare two versions with the same benchmark).
pub fn warmup_binary() -> PathBuf {
    std::env::var_os("WARMUP_BENCH_BINARY")
        .map_or_else(|| env!("CARGO_BIN_EXE_warmup").into(), PathBuf::from)
}

/// `warmup <subcommand>` on the database at `url` with the secret key `key`, in an environment
/// of its own (nothing else of ours leaks in), logging warnings only, its output dropped.
pub fn warmup(subcommand: &str, url: &str, key: &str) -> Command {
    let mut cmd = Command::new(warmup_binary());
    cmd.arg(subcommand)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", url)
        .env("WARMUP_SECRET_KEY", key)
        .env("WARMUP_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    cmd
}
