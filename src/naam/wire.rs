//! The data exchanged with the Bulk Number API, as the rest of the app sees it.
//!
//! Requests are serialised exactly as the public reference shows them. Answers are read
//! leniently where the reference is vague: a `mobile` written as a JSON number is accepted, a
//! missing or `null` name means "no name", and any field the reference does not list is kept in
//! [`ResultRecord::extra`], so that a future `spam` or `email` field can become a column without
//! a change here.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, de};
use serde_json::{Map, Value};

use super::error::NaamError;

/// The longest enrichment id accepted, far above the 24 characters Naam uses today.
const MAX_ID_LEN: usize = 512;

/// The body of `POST /api/v1/prospect/bulk`.
#[derive(Debug, Serialize)]
pub(crate) struct SubmitRequest<'a> {
    /// The numbers to look up, as strings.
    pub(crate) query: &'a [String],
    /// Where Naam should post the results; only sent when the user set one.
    #[serde(rename = "callbackUrl", skip_serializing_if = "Option::is_none")]
    pub(crate) callback_url: Option<&'a str>,
}

/// The id Naam gives a submitted batch, used to poll for its results.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EnrichmentId(String);

impl EnrichmentId {
    /// Wraps an id, for example one read back from the job store.
    ///
    /// # Errors
    /// [`NaamError::InvalidEnrichmentId`] for an empty id, one with control characters, or one
    /// longer than any id Naam could plausibly give.
    pub fn new(id: impl Into<String>) -> Result<Self, NaamError> {
        let id = id.into();
        let is_usable =
            !id.trim().is_empty() && id.len() <= MAX_ID_LEN && !id.chars().any(char::is_control);
        if is_usable {
            Ok(Self(id))
        } else {
            Err(NaamError::InvalidEnrichmentId {
                enrichment_id: Some(id),
            })
        }
    }

    /// The id as Naam wrote it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EnrichmentId {
    type Error = NaamError;

    fn try_from(id: String) -> Result<Self, Self::Error> {
        Self::new(id)
    }
}

impl From<EnrichmentId> for String {
    fn from(id: EnrichmentId) -> Self {
        id.0
    }
}

impl fmt::Display for EnrichmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One enriched number from a results page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRecord {
    /// The number as Naam echoes it back (normally exactly as it was submitted).
    #[serde(deserialize_with = "text_or_number")]
    pub mobile: String,
    /// The caller name; `None` when Naam sent `null` or left the field out.
    #[serde(default)]
    pub name: Option<String>,
    /// Every other field of the record, kept as Naam sent it.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ResultRecord {
    /// The name, or `None` when Naam has no name for the number (missing, `null` or blank).
    #[must_use]
    pub fn known_name(&self) -> Option<&str> {
        self.name.as_deref().filter(|name| !name.trim().is_empty())
    }
}

/// One page of results for an enrichment id.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResultsPage {
    /// The records on this page, in Naam's order.
    pub records: Vec<ResultRecord>,
    /// True when Naam said the job is still being processed (a 200 answer whose message is
    /// "processing" or similar). False does not prove the job is finished: a server may also
    /// answer an empty page while it works.
    pub is_processing: bool,
    /// Entries of the page that were not records (no `mobile`, not an object). They are
    /// skipped rather than failing the page, so one odd entry cannot block a whole job.
    pub num_unreadable: usize,
}

/// Reads a JSON string or number as text, for fields like `mobile`.
fn text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(text) => Ok(text),
        Value::Number(number) => Ok(number.to_string()),
        // The value itself is left out of the message: it may be a phone number.
        _ => Err(de::Error::custom("expected text or a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submit_body_matches_the_reference() {
        let numbers = vec![String::from("1234567890")];
        let body = SubmitRequest {
            query: &numbers,
            callback_url: Some("https://example.com/hook"),
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"query":["1234567890"],"callbackUrl":"https://example.com/hook"}"#
        );
        let without_callback = SubmitRequest {
            query: &numbers,
            callback_url: None,
        };
        assert_eq!(
            serde_json::to_string(&without_callback).unwrap(),
            r#"{"query":["1234567890"]}"#
        );
    }

    #[test]
    fn record_keeps_unknown_fields() {
        let record: ResultRecord = serde_json::from_str(
            r#"{"mobile":"9876543210","name":"Asha Rao","spam":true,"email":"a@b.in"}"#,
        )
        .unwrap();
        assert_eq!(record.mobile, "9876543210");
        assert_eq!(record.known_name(), Some("Asha Rao"));
        assert_eq!(record.extra.get("spam"), Some(&Value::Bool(true)));
        assert_eq!(
            record.extra.get("email").and_then(Value::as_str),
            Some("a@b.in")
        );
        assert_eq!(record.extra.len(), 2);
    }

    #[test]
    fn missing_null_and_blank_names_mean_no_name() {
        for text in [
            r#"{"mobile":"9876543210"}"#,
            r#"{"mobile":"9876543210","name":null}"#,
            r#"{"mobile":"9876543210","name":"  "}"#,
        ] {
            let record: ResultRecord = serde_json::from_str(text).unwrap();
            assert_eq!(record.known_name(), None, "{text}");
        }
    }

    #[test]
    fn numeric_mobile_is_read_as_text() {
        let record: ResultRecord =
            serde_json::from_str(r#"{"mobile":9876543210,"name":"X"}"#).unwrap();
        assert_eq!(record.mobile, "9876543210");
        assert!(serde_json::from_str::<ResultRecord>(r#"{"mobile":[1],"name":"X"}"#).is_err());
        assert!(serde_json::from_str::<ResultRecord>(r#"{"name":"X"}"#).is_err());
    }

    #[test]
    fn enrichment_id_round_trips_and_refuses_junk() {
        let id = EnrichmentId::new("69955adfde174bb61e0ffc46").unwrap();
        assert_eq!(id.as_str(), "69955adfde174bb61e0ffc46");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, r#""69955adfde174bb61e0ffc46""#);
        assert_eq!(serde_json::from_str::<EnrichmentId>(&json).unwrap(), id);
        assert!(EnrichmentId::new("").is_err());
        assert!(EnrichmentId::new("  ").is_err());
        assert!(EnrichmentId::new("ab\ncd").is_err());
        assert!(EnrichmentId::new("x".repeat(MAX_ID_LEN + 1)).is_err());
        assert!(serde_json::from_str::<EnrichmentId>(r#""""#).is_err());
    }
}
