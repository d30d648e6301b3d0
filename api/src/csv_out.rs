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
        w.write_record(&r).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::Internal(format!("writing CSV: {e}")))
}
