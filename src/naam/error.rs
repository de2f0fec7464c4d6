//! Everything that can go wrong when talking to Naam, in words office staff understand.
//!
//! Each documented answer of the Bulk Number API has its own variant, so the enrichment job can
//! react to it (stop on exhausted credits, split batches on a quantity limit, wait when
//! throttled) and the app can show its message as it is. Messages are plain sentences that say
//! what happened and what to do; none of them contains the API token.

use std::fmt;
use std::time::Duration;

/// How a request failed to get an answer from Naam at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkFailure {
    /// No connection could be made, so the request certainly did not reach Naam.
    Connect,
    /// Naam took longer to answer than the configured timeouts allow.
    Timeout,
    /// The connection broke off after the request was sent, before the whole answer arrived.
    Dropped,
}

impl fmt::Display for NetworkFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => {
                "Could not connect to Naam. Please check the internet connection and try again."
            }
            Self::Timeout => "Naam took too long to answer. Please try again in a few minutes.",
            Self::Dropped => {
                "The connection to Naam broke off before its answer arrived. Please try again."
            }
        })
    }
}

/// An error from the Naam client: a documented answer from Naam, a network problem, or a
/// setting that cannot work.
#[derive(Debug, Clone, thiserror::Error)]
pub enum NaamError {
    /// Status 713 "Performance Threshold Exceeded" (or 429): Naam wants fewer requests.
    #[error("Naam is busy and asked us to slow down. Please wait a few minutes and try again.")]
    Throttled {
        /// How long Naam asked us to wait, from its `Retry-After` header, if it said.
        retry_after: Option<Duration>,
    },

    /// Status 406 "Not Acceptable": Naam did not accept the request as sent.
    #[error(
        "Naam did not accept the request as it was sent. If this keeps happening, please \
         report it to the naam-enrich team."
    )]
    NotAcceptable,

    /// Status 402 "Bulk functionality is disabled".
    #[error(
        "Bulk lookups are switched off for your Naam account. Please ask Naam to switch them on."
    )]
    BulkDisabled,

    /// Status 402 "Credits exhausted".
    #[error(
        "Your Naam credits are used up. Buy more credits in your Naam dashboard, then try again."
    )]
    CreditsExhausted,

    /// Status 402 "Daily limit exhausted".
    #[error("Your Naam account has reached its daily limit. Please try again tomorrow.")]
    DailyLimitExhausted,

    /// Status 401 "Quantity exceeds bulk limit": the batch holds more numbers than allowed.
    #[error(
        "Naam refused the batch because it holds more numbers than your account may send at \
         once. Smaller batches are needed."
    )]
    QuantityExceedsLimit,

    /// Status 400 "Invalid Enrichment Id": Naam does not know the job being polled.
    #[error(
        "Naam does not recognise this lookup job. It may have expired, or it was started with \
         a different API token."
    )]
    InvalidEnrichmentId {
        /// The id that was asked for, when the request had one.
        enrichment_id: Option<String>,
    },

    /// A 401 or 403 that is not about the batch size: the token was refused.
    #[error(
        "Naam did not accept your API token. Please paste the token again from your Naam \
         dashboard."
    )]
    Unauthorised {
        /// The HTTP status Naam answered with.
        status: u16,
    },

    /// A 5xx answer: Naam's side has a problem.
    #[error("Naam's service is having trouble right now (error {status}). Please try again later.")]
    Server {
        /// The HTTP status Naam answered with.
        status: u16,
    },

    /// No answer arrived: the connection failed, timed out or broke off.
    #[error("{failure}")]
    Network {
        /// What kind of failure it was.
        failure: NetworkFailure,
        /// The technical description, for logs and bug reports.
        detail: String,
    },

    /// The answer was not in the documented shape (not JSON, or missing fields).
    #[error(
        "Naam sent an answer naam-enrich could not understand. Please try again later; if it \
         keeps happening, naam-enrich may need an update."
    )]
    Malformed {
        /// What was wrong with the answer, for logs and bug reports.
        detail: String,
    },

    /// An answer the documentation does not list; its own message is shown.
    #[error("Naam answered with an unexpected error (status {status}): \"{message}\"")]
    Unknown {
        /// The HTTP status Naam answered with.
        status: u16,
        /// Naam's own message, or an empty string when it gave none.
        message: String,
        /// The body's `code` field, when there was one.
        code: Option<String>,
    },

    /// A submit may or may not have reached Naam (timeout, broken connection, server error or
    /// an unreadable answer after sending). It is never sent again automatically, because
    /// Naam may already have charged for it.
    #[error(
        "naam-enrich could not tell whether Naam received the numbers. To avoid paying twice, \
         they were not sent again. Please check your Naam dashboard before trying again."
    )]
    OutcomeUnknown {
        /// What went wrong while waiting for the answer.
        #[source]
        cause: Box<NaamError>,
    },

    /// A submit with no numbers in it.
    #[error("There are no numbers to look up.")]
    NothingToSubmit,

    /// No API token was given.
    #[error("No Naam API token is set. Please paste your token from the Naam dashboard.")]
    MissingToken,

    /// The API token holds characters no token can contain.
    #[error(
        "The Naam API token contains characters a token cannot have, such as spaces or line \
         breaks inside it. Please copy it again from your Naam dashboard."
    )]
    MalformedToken,

    /// The Naam address cannot be used.
    #[error(
        "The Naam address cannot be used because {reason}. Use an address such as \
         https://app.naam.ai instead of {url}"
    )]
    InvalidBaseUrl {
        /// The address as given (or a placeholder when it held a password).
        url: String,
        /// Why it cannot be used.
        reason: String,
    },

    /// A plain `http://` address that is not this computer.
    #[error(
        "The Naam address must start with https:// so that your token and numbers travel \
         encrypted; plain http:// is only allowed for this computer: {url}"
    )]
    InsecureBaseUrl {
        /// The address as given.
        url: String,
    },

    /// The HTTP client could not be set up (usually missing root certificates).
    #[error(
        "naam-enrich could not prepare its secure connection to Naam. On Linux, installing the \
         ca-certificates package usually fixes this. ({detail})"
    )]
    ClientSetup {
        /// The technical description, for logs and bug reports.
        detail: String,
    },
}

impl NaamError {
    /// Whether trying the same request again later can help.
    ///
    /// True for throttling, server errors, network problems and unreadable answers. False for
    /// everything about the account, the token or the settings, and for
    /// [`NaamError::OutcomeUnknown`], where sending again could mean paying twice.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Throttled { .. }
                | Self::Server { .. }
                | Self::Network { .. }
                | Self::Malformed { .. }
        )
    }

    /// How long Naam asked us to wait, when it was throttling us and said so.
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Throttled { retry_after } => *retry_after,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_errors_are_the_transient_ones() {
        let retryable = [
            NaamError::Throttled { retry_after: None },
            NaamError::Server { status: 503 },
            NaamError::Network {
                failure: NetworkFailure::Timeout,
                detail: String::new(),
            },
            NaamError::Malformed {
                detail: String::new(),
            },
        ];
        for err in &retryable {
            assert!(err.is_retryable(), "{err:?}");
        }
        let final_ones = [
            NaamError::CreditsExhausted,
            NaamError::DailyLimitExhausted,
            NaamError::BulkDisabled,
            NaamError::QuantityExceedsLimit,
            NaamError::NotAcceptable,
            NaamError::Unauthorised { status: 401 },
            NaamError::InvalidEnrichmentId {
                enrichment_id: None,
            },
            NaamError::Unknown {
                status: 418,
                message: String::from("teapot"),
                code: None,
            },
            NaamError::OutcomeUnknown {
                cause: Box::new(NaamError::Server { status: 502 }),
            },
        ];
        for err in &final_ones {
            assert!(!err.is_retryable(), "{err:?}");
        }
    }

    #[test]
    fn messages_are_plain_sentences() {
        assert_eq!(
            NaamError::CreditsExhausted.to_string(),
            "Your Naam credits are used up. Buy more credits in your Naam dashboard, then try \
             again."
        );
        let unknown = NaamError::Unknown {
            status: 409,
            message: String::from("Duplicate job"),
            code: Some(String::from("4090")),
        };
        assert_eq!(
            unknown.to_string(),
            "Naam answered with an unexpected error (status 409): \"Duplicate job\""
        );
        let network = NaamError::Network {
            failure: NetworkFailure::Connect,
            detail: String::from("tcp connect error"),
        };
        assert!(
            network
                .to_string()
                .starts_with("Could not connect to Naam.")
        );
        assert!(!network.to_string().contains("tcp"));
    }

    #[test]
    fn outcome_unknown_keeps_its_cause() {
        use std::error::Error as _;
        let err = NaamError::OutcomeUnknown {
            cause: Box::new(NaamError::Server { status: 504 }),
        };
        let cause = err.source().map(ToString::to_string).unwrap_or_default();
        assert!(cause.contains("504"), "{cause}");
        assert!(err.to_string().contains("paying twice"));
    }

    #[test]
    fn retry_after_is_only_reported_for_throttling() {
        let throttled = NaamError::Throttled {
            retry_after: Some(Duration::from_secs(7)),
        };
        assert_eq!(throttled.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(NaamError::Server { status: 500 }.retry_after(), None);
    }
}
