//! The languages warmup mail is written in (ISO 639-1 codes).

use std::fmt;
use std::str::FromStr;

/// Every language the content generator writes, by ISO 639-1 code: the codes of its banks.
pub const SUPPORTED: [&str; 36] = crate::content::lang::codes();

/// A supported language's code, for the document: the closed set of [`SUPPORTED`] codes.
pub struct LanguageCode;

impl utoipa::PartialSchema for LanguageCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(SUPPORTED))
            .description(Some(
                "An ISO 639-1 code of a language warmup mail is written in.",
            ))
            .into()
    }
}

impl utoipa::ToSchema for LanguageCode {}

/// A supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language(&'static str);

/// A code that is not ISO 639-1 or not supported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{} is not a supported ISO 639-1 language code",
    crate::violations::shown(.0)
)]
pub struct UnknownLanguage(pub String);

impl Language {
    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        self.0
    }

    /// English, the default.
    pub fn english() -> Self {
        Language("en")
    }
}

impl FromStr for Language {
    type Err = UnknownLanguage;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        SUPPORTED
            .iter()
            .find(|c| **c == lower)
            .map(|c| Language(c))
            .ok_or_else(|| UnknownLanguage(s.to_string()))
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl serde::Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Language {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        raw.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_or_more_distinct_two_letter_codes() {
        let mut codes = SUPPORTED.to_vec();
        codes.sort_unstable();
        codes.dedup();
        assert!(codes.len() >= 30);
        assert_eq!(codes.len(), SUPPORTED.len());
        assert!(codes.iter().all(|c| c.len() == 2));
    }

    #[test]
    fn parses_case_insensitively_and_refuses_the_unknown() {
        assert_eq!("DE".parse::<Language>().map(Language::code), Ok("de"));
        assert!("xx".parse::<Language>().is_err());
        assert!("eng".parse::<Language>().is_err());
    }
}
