//! The `warmup` binary as a library, so that tests start exactly what users run.

pub mod config;
pub mod database;
pub mod diagnose_cli;
pub mod secret_key;
pub mod startup;

/// Installs the process-wide rustls crypto provider. Two providers end up linked through the
/// dependency tree, and rustls refuses to guess between them.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
