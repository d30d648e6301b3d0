//! Answers as CSV: the `format` parameter several reads accept, and the writing of rows.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// How a read answers: `json` (the default) or `csv` (`text/csv` with a header row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResponseFormat {
    Json,
    Csv,
}

impl ResponseFormat {
    /// The `format` query parameter; a field error when it is neither.
    pub fn parse(raw: Option<&str>) -> Result<Self, ApiError> {
        match raw {
            None | Some("json") => Ok(Self::Json),
            Some("csv") => Ok(Self::Csv),
            Some(_) => Err(ApiError::invalid("format", "must be json or csv")),
        }
    }
}

pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// A cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a `'` in front: subjects, folders and senders come from outside.
fn inert(cell: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match cell.first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => {
            let mut out = Vec::with_capacity(cell.len() + 1);
            out.push(b'\'');
            out.extend_from_slice(cell);
            out.into()
        }
        _ => cell.into(),
    }
}

/// Rows as CSV text, quoted where a field needs it; `header` first when given.
pub fn write<R, F>(header: Option<&[&str]>, rows: R) -> Result<Vec<u8>, ApiError>
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    let fail = |e: ::csv::Error| ApiError::Internal(format!("writing CSV: {e}"));
    let mut w = ::csv::Writer::from_writer(Vec::new());
    if let Some(h) = header {
        w.write_record(h).map_err(fail)?;
    }
    for r in rows {
        w.write_record(r.iter().map(|c| inert(c.as_ref())))
            .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::Internal(format!("writing CSV: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_inert_and_other_cells_kept() {
        let out = write(
            Some(&["a", "b"]),
            [vec!["=HYPERLINK(1)", "plain"], vec!["@x", "12.5"]],
        )
        .unwrap_or_default();
        let text = String::from_utf8_lossy(&out);
        assert_eq!(text, "a,b\n'=HYPERLINK(1),plain\n'@x,12.5\n");
    }
}
