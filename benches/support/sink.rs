//! Postfix's `smtp-sink` on loopback, for the benchmarks that send (Debian's `postfix`;
//! `scripts/maillab up` installs it).
#![allow(dead_code, reason = "each benchmark uses what it needs of it")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::process;

/// A Postfix tool (`smtp-sink`, `smtp-source`) on the path or in the system's `sbin`.
pub fn postfix_tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/usr/local/sbin".into()])
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Starts `smtp-sink` on a free loopback port with `args` and waits until it answers.
pub fn start(sink: &Path, args: &[&str]) -> anyhow::Result<(process::Running, u16)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut cmd = Command::new(sink);
    // Run as root it must drop to a user of its own.
    if std::fs::metadata("/proc/self").is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0) {
        cmd.args(["-u", "nobody"]);
    }
    let child = cmd
        .args(args)
        .args([&format!("127.0.0.1:{port}"), "1024"])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let running = process::Running(child);
    let until = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        anyhow::ensure!(Instant::now() < until, "smtp-sink did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok((running, port))
}
