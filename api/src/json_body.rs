//! The JSON body extractor: malformed JSON is a 400, a wrong or unknown field a 422 that names
//! the field's path, an oversize body a 413, another content type a 415.

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::{FromRequest, HttpRequest, web};
use futures::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;

/// A deserialized request body and the digest of its meaning (for idempotency fingerprints):
/// the same JSON with other key order or spacing has the same digest.
pub struct Body<T> {
    pub value: T,
    pub digest: String,
}

fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || m.ends_with("+json")
        })
        .unwrap_or(false)
}

/// Turns a serde failure into the right client error without echoing secret values.
fn deserialize_error(err: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    use serde_json::error::Category;
    let inner = err.inner();
    match inner.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            ApiError::MalformedJson(inner.to_string())
        }
        Category::Data => {
            let mut path = err.path().to_string();
            if path == "." {
                path.clear();
            }
            let message = inner.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_string();
            // A map key that does not parse has no place in serde's path (`provider_split.?`);
            // the key is in the message (`unknown variant `hotmail``), so name it there.
            if let Some(parent) = path.strip_suffix(".?") {
                let key = message
                    .strip_prefix("unknown variant `")
                    .and_then(|rest| rest.split('`').next())
                    .map(|key| {
                        key.chars()
                            .take(warmup_domain::violations::SHOWN_CHARS)
                            .collect::<String>()
                    });
                path = match key {
                    Some(key) => format!("{parent}.{key}"),
                    None => parent.to_string(),
                };
            }
            // Missing and unknown fields are reported on the parent; point at the field itself.
            let named = ["missing field `", "unknown field `"]
                .iter()
                .find_map(|p| message.strip_prefix(p))
                .and_then(|rest| rest.split('`').next())
                .map(str::to_string);
            let field = match named {
                Some(name) if path.is_empty() || path == name => name,
                Some(name) if path.ends_with(&format!(".{name}")) => path,
                Some(name) => format!("{path}.{name}"),
                None if path.is_empty() => "body".to_string(),
                None => path,
            };
            // serde quotes the offending value ("invalid type: string \"hunter2\", expected
            // u16"); only the expectation goes back, so no value a client sent is echoed.
            let expected = message
                .split_once(", expected ")
                .map(|(_, e)| e.to_string());
            let message = if field.ends_with("password") {
                "must be a string".to_string()
            } else if message.starts_with("unknown field") {
                "is not a known field".to_string()
            } else if let Some(expected) = expected {
                format!("must be {}", in_plain_words(&expected))
            } else if message.starts_with("missing field") {
                "is required".to_string()
            } else {
                message
            };
            ApiError::invalid(field, message)
        }
    }
}

/// serde names what it expected in Rust's terms (`i64`, `struct CreateMailbox with 8 elements`,
/// `a sequence`); a client should read JSON's.
fn in_plain_words(expected: &str) -> String {
    let words = match expected {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
        "u8" => "a whole number from 0 to 255",
        "u16" => "a whole number from 0 to 65535",
        "u32" | "u64" | "u128" | "usize" => "a whole number of 0 or more",
        "f32" | "f64" => "a number",
        "a boolean" | "bool" => "true or false",
        "a sequence" => "a list",
        "a map" => "a JSON object",
        "a string" | "a borrowed string" | "char" => "a string",
        e if e.starts_with("struct ") => "a JSON object",
        e if e.starts_with("a sequence") => "a list",
        other => return other.to_string(),
    };
    words.to_string()
}

/// Parses JSON bytes into `T` with path-aware errors. The syntax is checked over the whole
/// body first, so that trailing garbage is malformed JSON even when the first value is invalid.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    parse_with_digest(bytes).map(|(value, _)| value)
}

/// Parses like [`parse`] and digests the body's canonical form (keys sorted, no spacing), so
/// only the meaning reaches the digest.
fn parse_with_digest<T: DeserializeOwned>(bytes: &[u8]) -> Result<(T, String), ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::MalformedJson(format!(
            "{} at line {} column {}",
            describe(&e),
            e.line(),
            e.column()
        ))
    })?;
    // serde reads a struct from a list too, field by field; every body of this API is an object.
    if !value.is_object() {
        return Err(ApiError::invalid("body", "must be a JSON object"));
    }
    let value = integral_numbers_as_integers(value);
    let canonical = serde_json::to_vec(&sorted(&value)).unwrap_or_default();
    let parsed = serde_path_to_error::deserialize(value).map_err(deserialize_error)?;
    Ok((
        parsed,
        warmup_entity::store::api_keys::sha256_hex(&canonical),
    ))
}

/// JSON Schema counts `587.0` as an integer, and so do clients that keep every number as a
/// float; serde would refuse it for an integer field. No field of this API takes a fraction.
fn integral_numbers_as_integers(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            // Within ±2^53 a float holds every integer exactly, so nothing is rounded here.
            Some(f) if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 => {
                Value::from(f as i64)
            }
            _ => Value::Number(n),
        },
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(integral_numbers_as_integers)
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, integral_numbers_as_integers(v)))
                .collect(),
        ),
        other => other,
    }
}

/// The value with every object's keys in order, whatever order the map type keeps.
fn sorted(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

fn describe(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Eof => "unexpected end of input",
        _ => "syntax error",
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.body_limit)
            .unwrap_or(64 * 1024);
        let json = is_json(req);
        let encoded = req
            .headers()
            .get(actix_web::http::header::CONTENT_ENCODING)
            .is_some_and(|v| !v.as_bytes().eq_ignore_ascii_case(b"identity"));
        // Refused before a byte is read: the body is never decompressed.
        if encoded {
            return Box::pin(async { Err(ApiError::UnsupportedEncoding) });
        }
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !json {
                return Err(ApiError::UnsupportedMediaType);
            }
            let bytes = bytes.await.map_err(|e| {
                let overflow = e
                    .as_error::<PayloadError>()
                    .is_some_and(|p| matches!(p, PayloadError::Overflow))
                    || e.to_string().contains("overflow")
                    || e.error_response().status()
                        == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE;
                if overflow {
                    ApiError::PayloadTooLarge(limit)
                } else {
                    ApiError::BadRequest(format!("could not read the request body: {e}"))
                }
            })?;
            if bytes.len() > limit {
                return Err(ApiError::PayloadTooLarge(limit));
            }
            let (value, digest) = parse_with_digest(&bytes)?;
            Ok(Body { value, digest })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        port: u16,
        password: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        email: String,
        smtp: Inner,
    }

    fn field_and_message(body: &str) -> (u16, String, String) {
        match parse::<Outer>(body.as_bytes()) {
            Ok(_) => (200, String::new(), String::new()),
            Err(e) => {
                let p = e.problem();
                let (f, m) = p
                    .errors
                    .first()
                    .map(|v| (v.field.clone(), v.message.clone()))
                    .unwrap_or_default();
                (p.status, f, m)
            }
        }
    }

    #[test]
    fn syntax_errors_are_400_and_data_errors_422_with_paths() {
        assert_eq!(field_and_message("{").0, 400);
        assert_eq!(field_and_message("{} x").0, 400);
        let (s, f, _) = field_and_message(r#"{"email":"a","smtp":{"port":"x","password":"p"}}"#);
        assert_eq!((s, f.as_str()), (422, "smtp.port"));
        let (s, f, m) = field_and_message(r#"{"smtp":{"port":1,"password":"p"}}"#);
        assert_eq!((s, f.as_str(), m.as_str()), (422, "email", "is required"));
        let (s, f, m) =
            field_and_message(r#"{"email":"a","smtp":{"port":1,"password":"p","x":1}}"#);
        assert_eq!(
            (s, f.as_str(), m.as_str()),
            (422, "smtp.x", "is not a known field")
        );
    }

    #[test]
    fn integral_floats_count_as_integers_and_fractions_do_not() {
        let body = r#"{"email":"a","smtp":{"port":587.0,"password":"p"}}"#;
        assert_eq!(field_and_message(body).0, 200);
        let (s, f, m) = field_and_message(r#"{"email":"a","smtp":{"port":587.5,"password":"p"}}"#);
        assert_eq!((s, f.as_str()), (422, "smtp.port"));
        assert_eq!(m, "must be a whole number from 0 to 65535");
        let (s, _, _) = field_and_message(r#"{"email":"a","smtp":{"port":1e300,"password":"p"}}"#);
        assert_eq!(s, 422);
    }

    #[test]
    fn equal_json_has_an_equal_digest() {
        let a = parse_with_digest::<serde_json::Value>(br#"{"a": 1, "b": [1, {"y": 2, "x": 1}]}"#);
        let b = parse_with_digest::<serde_json::Value>(br#"{"b":[1,{"x":1,"y":2}],"a":1}"#);
        let c = parse_with_digest::<serde_json::Value>(br#"{"b":[{"x":1,"y":2},1],"a":1}"#);
        let digest = |r: Result<(serde_json::Value, String), ApiError>| r.map(|(_, d)| d).ok();
        let b2 = parse_with_digest::<serde_json::Value>(br#"{"b":[1,{"x":1,"y":2}],"a":1}"#);
        assert_eq!(digest(a), digest(b));
        assert_ne!(digest(b2), digest(c));
    }

    #[test]
    fn values_sent_are_never_echoed_in_messages() {
        let (s, f, m) = field_and_message(r#"{"email":"a","smtp":"hunter2"}"#);
        assert_eq!((s, f.as_str()), (422, "smtp"));
        assert!(!m.contains("hunter2"), "{m}");
        assert!(m.starts_with("must be"), "{m}");
    }

    #[test]
    fn a_mistyped_password_is_not_echoed() {
        let (s, f, m) =
            field_and_message(r#"{"email":"a","smtp":{"port":1,"password":987654321}}"#);
        assert_eq!((s, f.as_str()), (422, "smtp.password"));
        assert!(!m.contains("987654321"));
    }
}
