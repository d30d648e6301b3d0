//! Field-level validation failures, collected so that one response names every bad field.

use serde::Serialize;

/// The most of a client's value that an error message repeats.
pub const SHOWN_CHARS: usize = 40;

/// A value a client sent, quoted for an error message and cut to [`SHOWN_CHARS`], so that an
/// error or a log line never carries a whole oversized input back.
pub fn shown(raw: &str) -> String {
    let mut cut: String = raw.chars().take(SHOWN_CHARS).collect();
    if raw.chars().nth(SHOWN_CHARS).is_some() {
        cut.push('…');
    }
    format!("{cut:?}")
}

/// One invalid field: its path in the request (`smtp.port`, `languages[0]`,
/// `provider_split.gmail`) and a human message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Violation {
    /// Path of the offending field: object keys joined by dots, list positions in brackets, e.g.
    /// `smtp.port`, `languages[0]`, `provider_split.gmail`; a query parameter or header by name.
    pub field: String,
    /// What is wrong and what is expected.
    pub message: String,
}

/// An accumulator of [`Violation`]s; empty means valid.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// Starts an empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `field` is invalid for `message`.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Violation {
            field: field.into(),
            message: message.into(),
        });
    }

    /// Runs a parse and records its error under `field`, returning the value when it parsed.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was recorded, otherwise every violation.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<Violation>> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self.0)
        }
    }

    /// The recorded violations.
    pub fn into_vec(self) -> Vec<Violation> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_records_errors_with_their_path_and_passes_values_through() {
        let mut v = Violations::new();
        let ok: Option<u8> = v.check("a", Ok::<u8, String>(3));
        let bad: Option<u8> = v.check("b.c", Err::<u8, String>("too big".into()));
        assert_eq!(ok, Some(3));
        assert_eq!(bad, None);
        let list = v.into_vec();
        assert_eq!(
            list,
            vec![Violation {
                field: "b.c".into(),
                message: "too big".into()
            }]
        );
    }

    #[test]
    fn finish_is_ok_only_when_empty() {
        assert_eq!(Violations::new().finish(|| 1), Ok(1));
        let mut v = Violations::new();
        v.add("x", "bad");
        assert!(v.finish(|| 1).is_err());
    }
}
