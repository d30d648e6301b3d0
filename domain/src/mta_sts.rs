//! MTA-STS policies (RFC 8461 §3.2): the file a domain serves at
//! `https://mta-sts.<domain>/.well-known/mta-sts.txt`, and whether its MX hosts match it.

/// A parsed policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// `enforce`, `testing` or `none`.
    pub mode: String,
    /// Host patterns (`mx.example.com`, `*.example.net`), lower-case.
    pub mx: Vec<String>,
    pub max_age: u64,
}

/// Largest `max_age` the RFC allows (a year).
pub const MAX_AGE_LIMIT: u64 = 31_557_600;

/// Parses a policy file: `key: value` lines; `version`, `mode` and `max_age` once each, `mx`
/// once or more (except with mode `none`). Unknown keys are ignored, as the RFC asks.
pub fn parse_policy(text: &str) -> Result<Policy, String> {
    let mut version = None;
    let mut mode = None;
    let mut max_age = None;
    let mut mx = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!("{line:?} is not a key: value line"));
        };
        let value = value.trim();
        match key.trim() {
            "version" => version = Some(value.to_string()),
            "mode" => mode = Some(value.to_string()),
            "max_age" => {
                max_age = Some(
                    value
                        .parse::<u64>()
                        .map_err(|_| format!("max_age {value:?} is not a number of seconds"))?,
                )
            }
            "mx" => mx.push(value.to_ascii_lowercase()),
            _ => {}
        }
    }
    if version.as_deref() != Some("STSv1") {
        return Err("version is not STSv1".into());
    }
    let mode = mode.ok_or("no mode")?;
    if !matches!(mode.as_str(), "enforce" | "testing" | "none") {
        return Err(format!("mode {mode:?} is not enforce, testing or none"));
    }
    let max_age = max_age.ok_or("no max_age")?;
    if max_age > MAX_AGE_LIMIT {
        return Err(format!("max_age {max_age} is over a year"));
    }
    if mx.is_empty() && mode != "none" {
        return Err("no mx line".into());
    }
    Ok(Policy { mode, mx, max_age })
}

/// Whether `host` matches a policy's `mx` pattern: exactly, or `*.` standing for one label.
pub fn mx_matches(pattern: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => host == pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_reads_its_keys_and_refuses_what_the_rfc_refuses() {
        let p = parse_policy("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.mode, "enforce");
        assert_eq!(p.mx, ["mail.example.com", "*.example.net"]);
        assert_eq!(p.max_age, 604_800);
        for (bad, why) in [
            ("mode: enforce\nmx: a\nmax_age: 1", "version"),
            ("version: STSv1\nmode: strict\nmx: a\nmax_age: 1", "mode"),
            ("version: STSv1\nmode: enforce\nmax_age: 1", "mx"),
            (
                "version: STSv1\nmode: enforce\nmx: a\nmax_age: soon",
                "max_age",
            ),
            (
                "version: STSv1\nmode: enforce\nmx: a\nmax_age: 99999999",
                "year",
            ),
            ("<html>not found</html>", "key: value"),
        ] {
            let e = parse_policy(bad).err().unwrap_or_default();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
        assert!(parse_policy("version: STSv1\nmode: none\nmax_age: 1").is_ok());
    }

    #[test]
    fn wildcards_stand_for_one_label() {
        assert!(mx_matches("mx.example.com", "MX.example.com."));
        assert!(mx_matches("*.example.net", "mx1.example.net"));
        assert!(!mx_matches("*.example.net", "a.b.example.net"));
        assert!(!mx_matches("*.example.net", "example.net"));
        assert!(!mx_matches("mx.example.com", "mx2.example.com"));
    }
}
