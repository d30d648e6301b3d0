//! `limit` and `after` query parameters, and the `{items, next}` page shape.

use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use warmup_domain::Violations;
use warmup_entity::store::page::PageRequest;

use crate::error::ApiError;

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;

/// Cursor pagination parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// The `next` value of the previous page.
    #[param(value_type = Option<String>, format = Uuid)]
    pub after: Option<String>,
}

impl PageQuery {
    /// Validates the parameters; both problems are reported at once.
    pub fn parse(&self) -> Result<PageRequest, ApiError> {
        let mut v = Violations::new();
        let limit = match &self.limit {
            None => Some(DEFAULT_LIMIT),
            Some(raw) => v.check(
                "limit",
                raw.parse::<u64>()
                    .ok()
                    .filter(|l| (1..=MAX_LIMIT).contains(l))
                    .ok_or(format!("must be a whole number from 1 to {MAX_LIMIT}")),
            ),
        };
        let after = match &self.after {
            None => Some(None),
            Some(raw) => v
                .check(
                    "after",
                    Uuid::parse_str(raw).map_err(|_| "must be the `next` value of a previous page"),
                )
                .map(Some),
        };
        match (limit, after) {
            (Some(limit), Some(after)) if v.is_empty() => Ok(PageRequest { after, limit }),
            _ => Err(ApiError::Validation(v.into_vec())),
        }
    }
}

/// Declares the page type of a list: `{items, next}` with `items` referring to the item's own
/// schema, so a generated client has one `Mailbox` type rather than a copy per page (utoipa
/// inlines the argument of a generic schema, hence one concrete type per list).
#[macro_export]
macro_rules! page_of {
    ($(#[$attr:meta])* $name:ident, $item:ty) => {
        $(#[$attr])*
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            /// The page's items, in cursor order.
            pub items: Vec<$item>,
            /// Pass as `after` to get the next page; absent on the last page.
            #[serde(skip_serializing_if = "Option::is_none")]
            #[schema(nullable = false)]
            pub next: Option<uuid::Uuid>,
        }

        impl From<warmup_entity::store::page::Page<$item>> for $name {
            fn from(p: warmup_entity::store::page::Page<$item>) -> Self {
                Self {
                    items: p.items,
                    next: p.next,
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(limit: Option<&str>, after: Option<&str>) -> PageQuery {
        PageQuery {
            limit: limit.map(str::to_string),
            after: after.map(str::to_string),
        }
    }

    #[test]
    fn defaults_and_bounds() {
        assert!(matches!(
            q(None, None).parse(),
            Ok(PageRequest {
                limit: 50,
                after: None
            })
        ));
        assert!(q(Some("200"), None).parse().is_ok());
        for bad in ["0", "201", "-1", "ten"] {
            assert!(q(Some(bad), None).parse().is_err(), "{bad}");
        }
    }

    #[test]
    fn both_bad_parameters_are_named() {
        match q(Some("0"), Some("nope")).parse() {
            Err(ApiError::Validation(v)) => {
                let fields: Vec<_> = v.iter().map(|x| x.field.as_str()).collect();
                assert_eq!(fields, ["limit", "after"]);
            }
            other => panic!("expected validation error, got {other:?}"),
        }
    }
}
