//! The one way the app talks to Naam's Bulk Number API.
//!
//! [`Client`] sends a batch of numbers ([`Client::submit`]) and fetches pages of results
//! ([`Client::results`]), with timeouts, retries and logging built in. Its retry rules follow
//! from what a lookup costs: reading results is free and safe to repeat, but a submit is paid
//! for, so it is only sent again when it certainly never reached Naam (no connection could be
//! made) or Naam certainly refused it (throttling). Any other failure after sending becomes
//! [`NaamError::OutcomeUnknown`] and the caller decides, usually by asking the user.

use std::fmt;
use std::time::Duration;

use rand::RngExt as _;
use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use tokio::time::Instant;

use super::base_url::ApiBaseUrl;
use super::error::{NaamError, NetworkFailure};
use super::mask::mask_number;
use super::reply::{results_reply, submit_reply};
use super::retry::RetryPolicy;
use super::token::ApiToken;
use super::wire::{EnrichmentId, ResultsPage, SubmitRequest};

/// The user agent sent with every request: the app's name and version.
pub const USER_AGENT: &str = concat!("naam-enrich/", env!("CARGO_PKG_VERSION"));

/// The header that carries the API token.
const TOKEN_HEADER: &str = "x-access-token";

/// The largest answer body read; anything bigger is not a Naam answer.
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The longest `Retry-After` taken at its word; longer values are treated as this.
const MAX_RETRY_AFTER: Duration = Duration::from_hours(24);

/// Paths as they appear in logs.
const SUBMIT_LOG_PATH: &str = "/api/v1/prospect/bulk";
const RESULTS_LOG_PATH: &str = "/api/v1/prospect/bulk/enrich";

/// An enrichment id that no job has, used to check the token without spending a credit.
const CONNECTION_CHECK_ID: &str = "naam-enrich-connection-check";

/// How long to wait for Naam at each stage of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Time allowed to open a connection (including the TLS handshake).
    pub connect: Duration,
    /// Time allowed between two pieces of the answer arriving.
    pub read: Duration,
    /// Time allowed for one whole request, from sending to the last byte of the answer.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            read: Duration::from_secs(30),
            total: Duration::from_mins(1),
        }
    }
}

/// Everything needed to build a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Where the API lives.
    pub base_url: ApiBaseUrl,
    /// The account's API token.
    pub token: ApiToken,
    /// Connect, read and total timeouts.
    pub timeouts: Timeouts,
    /// How transient failures are retried.
    pub retry: RetryPolicy,
}

impl ClientConfig {
    /// A configuration with default timeouts and retry policy.
    #[must_use]
    pub fn new(base_url: ApiBaseUrl, token: ApiToken) -> Self {
        Self {
            base_url,
            token,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
        }
    }
}

/// A client for Naam's Bulk Number API. Cheap to clone; clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: ApiBaseUrl,
    submit_url: String,
    results_url: String,
    token_header: HeaderValue,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds a client. No request is sent yet.
    ///
    /// # Errors
    /// [`NaamError::ClientSetup`] when the HTTP stack cannot be set up (on some systems this
    /// happens when no root certificates are installed), [`NaamError::MalformedToken`] when the
    /// token cannot be put in a header.
    pub fn new(config: ClientConfig) -> Result<Self, NaamError> {
        let token_header = config.token.header_value()?;
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(config.timeouts.connect)
            .read_timeout(config.timeouts.read)
            .timeout(config.timeouts.total);
        if config.base_url.is_loopback() {
            // A company proxy must not see (or break) requests to this computer.
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|err| NaamError::ClientSetup {
            detail: error_chain(&err),
        })?;
        Ok(Self {
            http,
            submit_url: config.base_url.submit_url(),
            results_url: config.base_url.results_url(),
            base_url: config.base_url,
            token_header,
            retry: config.retry,
        })
    }

    /// Where this client sends its requests.
    #[must_use]
    pub fn base_url(&self) -> &ApiBaseUrl {
        &self.base_url
    }

    /// Submits numbers for enrichment and returns the id to poll for their results.
    ///
    /// `numbers` are sent as given (the caller cleans and de-duplicates them; Naam charges per
    /// number). `callback_url` is passed on only when set.
    ///
    /// # Errors
    /// The documented refusals ([`NaamError::CreditsExhausted`],
    /// [`NaamError::QuantityExceedsLimit`], …), [`NaamError::Throttled`] or
    /// [`NaamError::Network`] once retries are used up (in both cases nothing was accepted),
    /// and [`NaamError::OutcomeUnknown`] when the batch may have reached Naam but no clear
    /// answer came back.
    pub async fn submit(
        &self,
        numbers: &[String],
        callback_url: Option<&str>,
    ) -> Result<EnrichmentId, NaamError> {
        if numbers.is_empty() {
            return Err(NaamError::NothingToSubmit);
        }
        let body = serde_json::to_vec(&SubmitRequest {
            query: numbers,
            callback_url,
        })
        .map_err(|err| NaamError::Malformed {
            detail: format!("could not write the request: {err}"),
        })?;
        tracing::debug!(
            num_numbers = numbers.len(),
            sample = ?numbers.iter().take(3).map(|number| mask_number(number)).collect::<Vec<_>>(),
            has_callback = callback_url.is_some(),
            "submitting numbers to Naam"
        );
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let err = match self.submit_once(&body, attempt).await {
                Ok(id) => {
                    tracing::debug!(enrichment_id = %id, attempt, "Naam accepted the batch");
                    return Ok(id);
                }
                Err(err) => err,
            };
            // Only failures that prove the batch was not accepted may be sent again.
            let is_certainly_refused = matches!(
                err,
                NaamError::Throttled { .. }
                    | NaamError::Network {
                        failure: NetworkFailure::Connect,
                        ..
                    }
            );
            if !is_certainly_refused {
                return Err(err);
            }
            let Some(delay) = self.next_delay(attempt, &err, started) else {
                return Err(err);
            };
            tracing::debug!(
                attempt,
                delay_ms = delay.as_millis(),
                reason = %err,
                "retrying the submit, which Naam did not accept"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// Fetches one page of results for `enrichment_id`; `page` starts at 1. A `page` or
    /// `limit` of 0 is sent as 1.
    ///
    /// Transient failures (throttling, server errors, network problems, unreadable answers)
    /// are retried according to the policy; fetching results costs nothing and changes
    /// nothing, so repeating it is safe.
    ///
    /// # Errors
    /// [`NaamError::InvalidEnrichmentId`] for an id Naam does not know, the account errors,
    /// and the last transient error once retries are used up.
    pub async fn results(
        &self,
        enrichment_id: &EnrichmentId,
        page: u32,
        limit: u32,
    ) -> Result<ResultsPage, NaamError> {
        let (page, limit) = (page.max(1), limit.max(1));
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let err = match self.results_once(enrichment_id, page, limit, attempt).await {
                Ok(results) => return Ok(results),
                Err(err) => err,
            };
            if !err.is_retryable() {
                return Err(err);
            }
            let Some(delay) = self.next_delay(attempt, &err, started) else {
                return Err(err);
            };
            tracing::debug!(
                attempt,
                delay_ms = delay.as_millis(),
                reason = %err,
                "retrying the results request"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// Checks that Naam can be reached and accepts the token, without spending a credit.
    ///
    /// It asks for the results of a job that does not exist: "Invalid Enrichment Id" means the
    /// token was accepted. This assumes Naam checks the token before the id, as services
    /// normally do; the public reference does not say.
    ///
    /// # Errors
    /// [`NaamError::Unauthorised`] for a refused token, and any network or service error.
    pub async fn check_connection(&self) -> Result<(), NaamError> {
        let probe = EnrichmentId::new(CONNECTION_CHECK_ID)?;
        match self.results(&probe, 1, 1).await {
            Ok(_) | Err(NaamError::InvalidEnrichmentId { .. }) => Ok(()),
            Err(err) => Err(err),
        }
    }

    /// One submit request, without retries.
    async fn submit_once(&self, body: &[u8], attempt: u32) -> Result<EnrichmentId, NaamError> {
        let request = self
            .http
            .post(&self.submit_url)
            .header(TOKEN_HEADER, self.token_header.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_vec());
        let response = match request.send().await {
            Ok(response) => response,
            Err(err) => {
                let err = transport_error(&err);
                log_failed_request("POST", SUBMIT_LOG_PATH, attempt, &err);
                return Err(match err {
                    NaamError::Network {
                        failure: NetworkFailure::Connect,
                        ..
                    }
                    | NaamError::ClientSetup { .. } => err,
                    other => NaamError::OutcomeUnknown {
                        cause: Box::new(other),
                    },
                });
            }
        };
        let status = response.status().as_u16();
        tracing::debug!(
            method = "POST",
            path = SUBMIT_LOG_PATH,
            status,
            attempt,
            "Naam answered"
        );
        let retry_after = retry_after(response.headers());
        let body = read_body(response)
            .await
            .map_err(|err| NaamError::OutcomeUnknown {
                cause: Box::new(err),
            })?;
        submit_reply(status, retry_after, &body)
    }

    /// One results request, without retries.
    async fn results_once(
        &self,
        enrichment_id: &EnrichmentId,
        page: u32,
        limit: u32,
        attempt: u32,
    ) -> Result<ResultsPage, NaamError> {
        let url = Url::parse_with_params(
            &self.results_url,
            [
                ("page", page.to_string().as_str()),
                ("limit", limit.to_string().as_str()),
                ("enrichmentId", enrichment_id.as_str()),
            ],
        )
        .map_err(|err| NaamError::ClientSetup {
            detail: format!("could not build the results address: {err}"),
        })?;
        let request = self
            .http
            .get(url)
            .header(TOKEN_HEADER, self.token_header.clone());
        let response = match request.send().await {
            Ok(response) => response,
            Err(err) => {
                let err = transport_error(&err);
                log_failed_request("GET", RESULTS_LOG_PATH, attempt, &err);
                return Err(err);
            }
        };
        let status = response.status().as_u16();
        tracing::debug!(
            method = "GET",
            path = RESULTS_LOG_PATH,
            page,
            limit,
            status,
            attempt,
            "Naam answered"
        );
        let retry_after = retry_after(response.headers());
        let body = read_body(response).await?;
        let results = results_reply(status, retry_after, &body, enrichment_id)?;
        tracing::debug!(
            num_records = results.records.len(),
            is_processing = results.is_processing,
            "read a results page"
        );
        Ok(results)
    }

    /// The wait before the next attempt, or `None` when the policy says to give up.
    fn next_delay(
        &self,
        attempts_made: u32,
        err: &NaamError,
        started: Instant,
    ) -> Option<Duration> {
        let jitter_unit = if self.retry.has_jitter {
            rand::rng().random::<f64>()
        } else {
            0.0
        };
        self.retry.delay_before_retry(
            attempts_made,
            err.retry_after(),
            started.elapsed(),
            jitter_unit,
        )
    }
}

/// Logs a request that got no answer.
fn log_failed_request(method: &str, path: &str, attempt: u32, err: &NaamError) {
    let detail = match err {
        NaamError::Network { detail, .. } | NaamError::ClientSetup { detail } => detail.as_str(),
        _ => "",
    };
    tracing::debug!(method, path, attempt, detail, "no answer from Naam");
}

/// Reads the `Retry-After` header when it holds a number of seconds.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER))
}

/// Reads the whole answer body, refusing bodies no Naam answer could need.
async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, NaamError> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| transport_error(&err))?
    {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(NaamError::Malformed {
                detail: format!("the answer is larger than {MAX_BODY_BYTES} bytes"),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Turns a failure of the HTTP stack into a [`NaamError`].
fn transport_error(err: &reqwest::Error) -> NaamError {
    let detail = error_chain(err);
    if err.is_builder() {
        return NaamError::ClientSetup { detail };
    }
    // A connect error (even a connect timeout) means nothing was sent.
    let failure = if err.is_connect() {
        NetworkFailure::Connect
    } else if err.is_timeout() {
        NetworkFailure::Timeout
    } else {
        NetworkFailure::Dropped
    };
    NaamError::Network { failure, detail }
}

/// An error and all its sources on one line, for details in logs.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_the_app_and_version() {
        assert_eq!(
            USER_AGENT,
            format!("naam-enrich/{}", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn retry_after_reads_seconds_only() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static(" 7 "));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("99999999"));
        assert_eq!(retry_after(&headers), Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn debug_output_shows_no_token() {
        let token = ApiToken::new("tok-debug-5c1f").unwrap();
        let client = Client::new(ClientConfig::new(ApiBaseUrl::default(), token)).unwrap();
        let shown = format!("{client:?}");
        assert!(shown.contains("app.naam.ai"), "{shown}");
        assert!(!shown.contains("tok-debug-5c1f"), "{shown}");
    }
}
