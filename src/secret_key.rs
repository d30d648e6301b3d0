//! Where the credential-encryption key comes from: `WARMUP_SECRET_KEY`, or, for the embedded
//! SQLite default only, a key file created beside the database on first start.

use std::io::Write;
use std::path::{Path, PathBuf};

use warmup_entity::secret_box::SecretBox;

use crate::config::Settings;

/// The key file used with a SQLite database at `db_path`.
pub fn key_file_for(db_path: &Path) -> PathBuf {
    let dir = db_path.parent().filter(|p| !p.as_os_str().is_empty());
    dir.unwrap_or_else(|| Path::new(".")).join("warmup.key")
}

fn create_key_file(path: &Path) -> anyhow::Result<String> {
    let key = SecretBox::generate_key();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot create key file {}: {e}", path.display()))?;
    file.write_all(key.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()?;
    Ok(key)
}

/// Loads (or, for SQLite, creates) the key.
pub fn load(settings: &Settings) -> anyhow::Result<SecretBox> {
    if let Some(key) = &settings.secret_key {
        return SecretBox::from_base64(key).map_err(|e| {
            anyhow::anyhow!("WARMUP_SECRET_KEY: {e} (generate one with `openssl rand -base64 32`)")
        });
    }
    let Some(db_path) = settings.sqlite_path() else {
        anyhow::bail!(
            "WARMUP_SECRET_KEY is required with this database: set it to 32 random bytes in \
             base64 (for example `openssl rand -base64 32`), the same on every process"
        );
    };
    let path = key_file_for(&db_path);
    let key = if path.exists() {
        std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("cannot read key file {}: {e}", path.display()))?
    } else if std::fs::metadata(&db_path).is_ok_and(|m| m.len() > 0) {
        anyhow::bail!(
            "the database {} exists but its key file {} does not: without the key stored \
             passwords cannot be read. Restore the key file, or set WARMUP_SECRET_KEY",
            db_path.display(),
            path.display()
        );
    } else {
        let key = create_key_file(&path)?;
        tracing::warn!(
            key_file = %path.display(),
            "no WARMUP_SECRET_KEY set: created a key file to encrypt credentials; back it up \
             with the database, without it stored passwords cannot be read"
        );
        key
    };
    SecretBox::from_base64(&key).map_err(|e| anyhow::anyhow!("key file {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_sits_beside_the_database() {
        assert_eq!(
            key_file_for(Path::new("data/w.sqlite")),
            PathBuf::from("data/warmup.key")
        );
        assert_eq!(
            key_file_for(Path::new("w.sqlite")),
            PathBuf::from("./warmup.key")
        );
    }

    #[test]
    fn creates_a_private_key_file_once_and_reuses_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let db = dir.path().join("w.sqlite");
        let settings = Settings::load_from(None, &|k: &str| {
            (k == "DATABASE_URL").then(|| format!("sqlite://{}?mode=rwc", db.display()))
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let first = load(&settings).map(|b| b.seal(&warmup_domain::Secret::new("x"), "c"));
        let second = load(&settings);
        let (Ok(sealed), Ok(again)) = (first, second) else {
            panic!("key file could not be created or read");
        };
        assert_eq!(
            again.open(&sealed, "c").map(|s| s.expose().to_string()),
            Ok("x".into())
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("warmup.key"))
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or_default();
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn a_database_without_its_key_file_refuses_to_start() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let db = dir.path().join("w.sqlite");
        std::fs::write(&db, b"SQLite format 3\0").unwrap_or_else(|e| panic!("{e}"));
        let settings = Settings::load_from(None, &|k: &str| {
            (k == "DATABASE_URL").then(|| format!("sqlite://{}?mode=rwc", db.display()))
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let err = load(&settings)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("key file"), "{err}");
        assert!(
            !dir.path().join("warmup.key").exists(),
            "no new key may be made up"
        );
    }

    #[test]
    fn postgres_without_a_key_refuses_to_start() {
        let settings = Settings::load_from(None, &|k: &str| {
            (k == "DATABASE_URL").then(|| "postgres://x@127.0.0.1/db".to_string())
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(load(&settings).is_err());
    }
}
