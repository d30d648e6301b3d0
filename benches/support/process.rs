//! What the benchmarks read of processes they start (or of themselves) on Linux: CPU time and
//! memory from `/proc`.
#![allow(dead_code, reason = "each benchmark reads what it needs of it")]

use std::collections::{HashMap, HashSet};
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

/// The fields of `/proc/<pid>/stat` after the command name (which may hold spaces): state,
/// ppid, … utime (index 11), stime, cutime, cstime.
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.rsplit_once(')')?.1;
    Some(rest.split_whitespace().map(str::to_string).collect())
}

/// Seconds in the fields `range` of `fields`: the kernel counts CPU in ticks of 1/100 s.
fn seconds(fields: &[String], range: std::ops::Range<usize>) -> f64 {
    range
        .filter_map(|i| fields.get(i).and_then(|v| v.parse::<f64>().ok()))
        .sum::<f64>()
        / 100.0
}

/// CPU seconds a process has spent so far (user and system), from `/proc/<pid>/stat`; 0 when
/// it cannot be read.
pub fn cpu_seconds(pid: u32) -> f64 {
    stat_fields(pid).map_or(0.0, |f| seconds(&f, 11..13))
}

/// CPU seconds of a process tree: each live process's own time and that of its reaped
/// children, so a child that came and went since the last reading is counted once.
pub fn tree_cpu_seconds(root: u32) -> f64 {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut times: HashMap<u32, f64> = HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|p| p.parse().ok()) else {
            continue;
        };
        let Some(fields) = stat_fields(pid) else {
            continue;
        };
        let Some(ppid) = fields.get(1).and_then(|v| v.parse::<u32>().ok()) else {
            continue;
        };
        children.entry(ppid).or_default().push(pid);
        times.insert(pid, seconds(&fields, 11..15));
    }
    let mut total = 0.0;
    let mut todo = vec![root];
    let mut seen = HashSet::new();
    while let Some(pid) = todo.pop() {
        if seen.insert(pid) {
            total += times.get(&pid).copied().unwrap_or(0.0);
            todo.extend(children.get(&pid).into_iter().flatten().copied());
        }
    }
    total
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
