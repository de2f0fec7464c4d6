//! Turning Naam's answers into results or [`NaamError`]s.
//!
//! Naam reports errors both through the HTTP status and through the body's `message` (402 and
//! 401 each carry several meanings, told apart only by the message), and its 713 status is
//! outside the 4xx/5xx ranges that HTTP libraries treat as errors. Everything here is a pure
//! function of status, `Retry-After` and body bytes, so each documented case is tested with a
//! tiny inline answer.

use std::time::Duration;

use serde_json::Value;

use super::error::NaamError;
use super::mask::mask_number;
use super::wire::{EnrichmentId, ResultRecord, ResultsPage};

/// Naam's "Performance Threshold Exceeded" status.
pub(crate) const STATUS_THROTTLED: u16 = 713;

/// The parts of an answer body that every Naam answer shares.
#[derive(Debug, Default)]
struct Envelope {
    message: Option<String>,
    code: Option<String>,
    result: Option<Value>,
}

/// Reads the common envelope, or says why the body is not one.
fn read_envelope(body: &[u8]) -> Result<Envelope, String> {
    let value: Value = serde_json::from_slice(body).map_err(|err| {
        format!(
            "the answer is not JSON ({err}); it starts with {}",
            preview(body)
        )
    })?;
    let Value::Object(mut fields) = value else {
        return Err(String::from("the answer is JSON but not an object"));
    };
    let message = ["message", "error"]
        .iter()
        .find_map(|key| fields.get(*key).and_then(Value::as_str))
        .map(str::to_owned);
    let code = fields.get("code").and_then(|code| match code {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    });
    Ok(Envelope {
        message,
        code,
        result: fields.remove("result"),
    })
}

/// The first bytes of a body, for error details, with any phone-number-like run of digits
/// masked: error details end up in logs.
fn preview(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body.get(..60).unwrap_or(body));
    let mut shown = String::with_capacity(text.len());
    let mut digits = String::new();
    for ch in text.chars().chain(std::iter::once(' ')) {
        if ch.is_ascii_digit() {
            digits.push(ch);
            continue;
        }
        if digits.len() >= 5 {
            shown.push_str(&mask_number(&digits));
        } else {
            shown.push_str(&digits);
        }
        digits.clear();
        shown.push(ch);
    }
    shown.pop();
    format!("{shown:?}")
}

/// Whether a status is in the 2xx range.
fn is_success_status(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Whether the body's message says the request succeeded.
fn says_success(message: Option<&str>) -> bool {
    message.is_some_and(|text| text.trim().eq_ignore_ascii_case("success"))
}

/// Whether a message says the job is not finished yet.
fn says_processing(message: &str) -> bool {
    let lower = message.to_lowercase();
    [
        "process",
        "pending",
        "progress",
        "queue",
        "not ready",
        "not yet",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

/// Recognises the documented error messages, whatever status they came with.
fn error_from_message(
    message: &str,
    retry_after: Option<Duration>,
    enrichment_id: Option<&EnrichmentId>,
) -> Option<NaamError> {
    let lower = message.trim().to_lowercase();
    let err = if lower.contains("performance threshold") || lower.contains("too many requests") {
        NaamError::Throttled { retry_after }
    } else if lower == "not acceptable" {
        NaamError::NotAcceptable
    } else if lower.contains("bulk") && lower.contains("disabled") {
        NaamError::BulkDisabled
    } else if lower.contains("credit") {
        NaamError::CreditsExhausted
    } else if lower.contains("daily limit") {
        NaamError::DailyLimitExhausted
    } else if lower.contains("quantity") || lower.contains("bulk limit") {
        NaamError::QuantityExceedsLimit
    } else if lower.contains("enrichment id") || lower.contains("enrichmentid") {
        NaamError::InvalidEnrichmentId {
            enrichment_id: enrichment_id.map(|id| id.as_str().to_owned()),
        }
    } else {
        return None;
    };
    Some(err)
}

/// Classifies an answer that is not a success, from its status and (if readable) its body.
fn failure(
    status: u16,
    retry_after: Option<Duration>,
    envelope: &Envelope,
    enrichment_id: Option<&EnrichmentId>,
) -> NaamError {
    // Some services answer 200 and put the real status in the body's `code`; when that code is
    // an error status, it is the one to go by.
    let effective = if is_success_status(status) {
        envelope
            .code
            .as_deref()
            .and_then(|code| code.trim().parse::<u16>().ok())
            .filter(|code| (400..1000).contains(code))
            .unwrap_or(status)
    } else {
        status
    };
    match effective {
        STATUS_THROTTLED | 429 => return NaamError::Throttled { retry_after },
        500..=599 => return NaamError::Server { status: effective },
        406 => return NaamError::NotAcceptable,
        _ => {}
    }
    let message = envelope.message.as_deref().unwrap_or_default();
    if let Some(err) = error_from_message(message, retry_after, enrichment_id) {
        return err;
    }
    match effective {
        401 | 403 => NaamError::Unauthorised { status: effective },
        _ => NaamError::Unknown {
            status: effective,
            message: message.trim().to_owned(),
            code: envelope.code.clone(),
        },
    }
}

/// Interprets the answer to a submit.
///
/// A submit that Naam may have accepted and charged for is never reported as a plain,
/// retryable error: a 5xx, an unreadable 2xx or a 2xx with an unexpected message becomes
/// [`NaamError::OutcomeUnknown`]. Throttling and the documented refusals are certain not to have
/// been accepted and are returned as they are.
pub(crate) fn submit_reply(
    status: u16,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Result<EnrichmentId, NaamError> {
    let outcome_unknown = |cause: NaamError| NaamError::OutcomeUnknown {
        cause: Box::new(cause),
    };
    let envelope = match read_envelope(body) {
        Ok(envelope) => envelope,
        Err(detail) if is_success_status(status) => {
            return Err(outcome_unknown(NaamError::Malformed { detail }));
        }
        Err(_) => Envelope::default(),
    };
    if is_success_status(status) && says_success(envelope.message.as_deref()) {
        return enrichment_id_from(envelope.result.as_ref())
            .map_err(|detail| outcome_unknown(NaamError::Malformed { detail }));
    }
    let err = failure(status, retry_after, &envelope, None);
    let may_have_been_accepted = matches!(err, NaamError::Server { .. })
        || (is_success_status(status) && matches!(err, NaamError::Unknown { .. }));
    Err(if may_have_been_accepted {
        outcome_unknown(err)
    } else {
        err
    })
}

/// Reads `result.enrichmentId` from a successful submit.
fn enrichment_id_from(result: Option<&Value>) -> Result<EnrichmentId, String> {
    let id = match result.and_then(|result| result.get("enrichmentId")) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        Some(other) => return Err(format!("the enrichmentId is not text but {other}")),
        None => return Err(String::from("the answer has no result.enrichmentId")),
    };
    EnrichmentId::new(id).map_err(|_| String::from("the enrichmentId is empty or unreadable"))
}

/// Interprets the answer to a results request.
pub(crate) fn results_reply(
    status: u16,
    retry_after: Option<Duration>,
    body: &[u8],
    enrichment_id: &EnrichmentId,
) -> Result<ResultsPage, NaamError> {
    let envelope = match read_envelope(body) {
        Ok(envelope) => envelope,
        Err(detail) if is_success_status(status) => return Err(NaamError::Malformed { detail }),
        Err(_) => Envelope::default(),
    };
    if is_success_status(status) {
        let message = envelope.message.as_deref();
        if says_success(message) {
            return page_from(envelope.result, false);
        }
        if message.is_some_and(says_processing) {
            return page_from(envelope.result, true);
        }
    }
    Err(failure(status, retry_after, &envelope, Some(enrichment_id)))
}

/// Builds a page from the `result` field: an array of records, or nothing at all.
fn page_from(result: Option<Value>, is_processing: bool) -> Result<ResultsPage, NaamError> {
    let entries = match result {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(entries)) => entries,
        Some(other) => {
            return Err(NaamError::Malformed {
                detail: format!("result is not a list but {}", kind_of(&other)),
            });
        }
    };
    let mut page = ResultsPage {
        records: Vec::with_capacity(entries.len()),
        is_processing,
        num_unreadable: 0,
    };
    for entry in entries {
        // serde's message can quote the value, which may be a phone number: log the kind only.
        let kind = kind_of(&entry);
        if let Ok(record) = serde_json::from_value::<ResultRecord>(entry) {
            page.records.push(record);
        } else {
            tracing::warn!(kind, "skipped an unreadable record in a Naam results page");
            page.num_unreadable += 1;
        }
    }
    Ok(page)
}

/// A short description of a JSON value's type, for error details.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> EnrichmentId {
        EnrichmentId::new("69955adfde174bb61e0ffc46").unwrap()
    }

    fn submit(status: u16, body: &str) -> Result<EnrichmentId, NaamError> {
        submit_reply(status, None, body.as_bytes())
    }

    fn results(status: u16, body: &str) -> Result<ResultsPage, NaamError> {
        results_reply(status, None, body.as_bytes(), &id())
    }

    #[test]
    fn documented_submit_success() {
        let got = submit(
            200,
            r#"{"message":"success","result":{"enrichmentId":"69955adfde174bb61e0ffc46"}}"#,
        );
        assert_eq!(got.unwrap(), id());
    }

    #[test]
    fn documented_results_success() {
        let page = results(
            200,
            r#"{"message":"success","result":[{"mobile":"1234567890","name":"John Doe"}]}"#,
        )
        .unwrap();
        assert!(!page.is_processing);
        assert_eq!(page.records.len(), 1);
        assert_eq!(page.records[0].mobile, "1234567890");
        assert_eq!(page.records[0].known_name(), Some("John Doe"));
    }

    /// A documented error: status, message, and a check that the right variant came out.
    type DocumentedCase = (u16, &'static str, fn(&NaamError) -> bool);

    #[test]
    fn every_documented_error_is_told_apart() {
        let cases: [DocumentedCase; 7] = [
            (713, "Performance Threshold Exceeded", |err| {
                matches!(err, NaamError::Throttled { .. })
            }),
            (406, "Not Acceptable", |err| {
                matches!(err, NaamError::NotAcceptable)
            }),
            (402, "Bulk functionality is disabled", |err| {
                matches!(err, NaamError::BulkDisabled)
            }),
            (402, "Credits exhausted", |err| {
                matches!(err, NaamError::CreditsExhausted)
            }),
            (402, "Daily limit exhausted", |err| {
                matches!(err, NaamError::DailyLimitExhausted)
            }),
            (401, "Quantity exceeds bulk limit", |err| {
                matches!(err, NaamError::QuantityExceedsLimit)
            }),
            (400, "Invalid Enrichment Id", |err| {
                matches!(err, NaamError::InvalidEnrichmentId { .. })
            }),
        ];
        for (status, message, is_expected) in cases {
            let body = format!(r#"{{"message":"{message}"}}"#);
            let from_results = results(status, &body).unwrap_err();
            assert!(
                is_expected(&from_results),
                "results {status}: {from_results:?}"
            );
            let from_submit = submit(status, &body).unwrap_err();
            assert!(
                is_expected(&from_submit),
                "submit {status}: {from_submit:?}"
            );
        }
    }

    #[test]
    fn unauthorised_is_not_the_quantity_message() {
        let err = results(401, r#"{"message":"Unauthorized"}"#).unwrap_err();
        assert!(matches!(err, NaamError::Unauthorised { status: 401 }));
        let err = results(403, "Forbidden").unwrap_err();
        assert!(matches!(err, NaamError::Unauthorised { status: 403 }));
        let err = results(401, r#"{"message":"Quantity exceeds bulk limit"}"#).unwrap_err();
        assert!(matches!(err, NaamError::QuantityExceedsLimit));
    }

    #[test]
    fn throttling_keeps_retry_after_and_needs_no_body() {
        let err = results_reply(713, Some(Duration::from_secs(3)), b"", &id()).unwrap_err();
        assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
        let err = submit_reply(429, None, b"<html>slow down</html>").unwrap_err();
        assert!(matches!(err, NaamError::Throttled { retry_after: None }));
    }

    #[test]
    fn unknown_402_shows_the_servers_message() {
        let err = results(402, r#"{"message":"Account frozen","code":"E42"}"#).unwrap_err();
        let NaamError::Unknown {
            status,
            message,
            code,
        } = &err
        else {
            panic!("expected Unknown, got {err:?}");
        };
        assert_eq!((*status, message.as_str()), (402, "Account frozen"));
        assert_eq!(code.as_deref(), Some("E42"));
        assert!(err.to_string().contains("Account frozen"));
    }

    #[test]
    fn a_200_that_is_not_success_is_never_success() {
        let err = results(200, r#"{"message":"Credits exhausted","result":[]}"#).unwrap_err();
        assert!(matches!(err, NaamError::CreditsExhausted));
        let err = results(200, r#"{"message":"failure","result":[]}"#).unwrap_err();
        assert!(matches!(err, NaamError::Unknown { status: 200, .. }));
        let err = results(200, r#"{"result":[]}"#).unwrap_err();
        assert!(matches!(err, NaamError::Unknown { status: 200, .. }));
        let err = submit(
            200,
            r#"{"message":"failure","result":{"enrichmentId":"69955adfde174bb61e0ffc46"}}"#,
        )
        .unwrap_err();
        assert!(matches!(err, NaamError::OutcomeUnknown { .. }), "{err:?}");
    }

    #[test]
    fn error_status_in_the_code_field_of_a_200_is_honoured() {
        let err = results(200, r#"{"message":"","code":713}"#).unwrap_err();
        assert!(matches!(err, NaamError::Throttled { .. }));
        let err = results(200, r#"{"message":"denied","code":"401"}"#).unwrap_err();
        assert!(matches!(err, NaamError::Unauthorised { status: 401 }));
        let page = results(200, r#"{"message":"success","code":2001,"result":[]}"#).unwrap();
        assert!(page.records.is_empty());
    }

    #[test]
    fn server_errors_are_retryable_for_results_but_ambiguous_for_submits() {
        let err = results(503, "<html>Service Unavailable</html>").unwrap_err();
        assert!(matches!(err, NaamError::Server { status: 503 }));
        assert!(err.is_retryable());
        let err = submit(502, r#"{"message":"Bad Gateway"}"#).unwrap_err();
        let NaamError::OutcomeUnknown { cause } = &err else {
            panic!("expected OutcomeUnknown, got {err:?}");
        };
        assert!(matches!(**cause, NaamError::Server { status: 502 }));
        assert!(!err.is_retryable());
    }

    #[test]
    fn unreadable_success_is_malformed_and_ambiguous_for_submits() {
        let err = results(200, r#"{"message":"success","result":[{"mobile":"#).unwrap_err();
        assert!(matches!(err, NaamError::Malformed { .. }));
        let err = results(200, r#"{"message":"success","result":{"rows":[]}}"#).unwrap_err();
        assert!(matches!(err, NaamError::Malformed { .. }));
        for body in [
            r#"{"message":"success""#,
            r#"{"message":"success","result":{}}"#,
            r#"{"message":"success","result":{"enrichmentId":""}}"#,
            r#"["success"]"#,
        ] {
            let err = submit(200, body).unwrap_err();
            let NaamError::OutcomeUnknown { cause } = &err else {
                panic!("{body}: expected OutcomeUnknown, got {err:?}");
            };
            assert!(matches!(**cause, NaamError::Malformed { .. }), "{body}");
        }
    }

    #[test]
    fn processing_answers_are_pages_not_errors() {
        for body in [
            r#"{"message":"processing"}"#,
            r#"{"message":"Processing","result":null}"#,
            r#"{"message":"Job is in progress","result":[]}"#,
        ] {
            let page = results(200, body).unwrap();
            assert!(page.is_processing, "{body}");
            assert!(page.records.is_empty(), "{body}");
        }
        let partial = results(
            200,
            r#"{"message":"pending","result":[{"mobile":"1","name":"A"}]}"#,
        )
        .unwrap();
        assert!(partial.is_processing);
        assert_eq!(partial.records.len(), 1);
    }

    #[test]
    fn odd_entries_are_skipped_and_counted() {
        let page = results(
            200,
            r#"{"message":"success","result":[{"mobile":"1","name":"A"},42,{"name":"B"}]}"#,
        )
        .unwrap();
        assert_eq!(page.records.len(), 1);
        assert_eq!(page.num_unreadable, 2);
    }

    #[test]
    fn malformed_details_mask_numbers() {
        let err = results(
            200,
            r#"{"message":"success","result":[{"mobile":"9876543210","na"#,
        )
        .unwrap_err();
        let NaamError::Malformed { detail } = &err else {
            panic!("expected Malformed, got {err:?}");
        };
        assert!(detail.contains("98******10"), "{detail}");
        assert!(!detail.contains("9876543210"), "{detail}");
    }

    #[test]
    fn an_empty_success_page_is_a_valid_page() {
        let page = results(200, r#"{"message":"success","result":[]}"#).unwrap();
        assert_eq!(page, ResultsPage::default());
    }
}
