//! The Naam client against the fake Naam service, over real HTTP on a loopback port.
//!
//! These tests show what a user would see or lose: every documented error arrives as the right
//! variant with its plain message, every profile of the fake delivers every record exactly
//! once, a submit is retried only when it certainly did not reach Naam, and nothing is ever paid
//! for twice.

#![allow(
    clippy::unwrap_used,
    reason = "helpers outside #[test] functions fail the test by panicking"
)]

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use naam_enrich::naam::fake::{
    FakeConfig, FakeHandle, FakeNaam, FakeProfile, FaultTarget, RateLimit,
};
use naam_enrich::naam::{
    ApiBaseUrl, ApiToken, Client, ClientConfig, EnrichmentId, NaamError, NetworkFailure,
    ResultRecord, RetryPolicy, Timeouts,
};

const TOKEN: &str = "tok-itest-3f9a2c71";

fn token() -> ApiToken {
    ApiToken::new(TOKEN).unwrap()
}

/// Tiny waits so retries cost milliseconds.
fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 5,
        initial_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_total: Duration::from_secs(10),
        has_jitter: true,
    }
}

fn client_with(base_url: &ApiBaseUrl, token: ApiToken, retry: RetryPolicy) -> Client {
    Client::new(ClientConfig {
        base_url: base_url.clone(),
        token,
        timeouts: Timeouts {
            connect: Duration::from_secs(2),
            read: Duration::from_secs(2),
            total: Duration::from_secs(5),
        },
        retry,
    })
    .unwrap()
}

fn client_for(fake: &FakeHandle) -> Client {
    client_with(fake.base_url(), token(), fast_retries())
}

fn config(profile: FakeProfile) -> FakeConfig {
    FakeConfig::new(token(), profile)
}

/// A fault profile that hits `target` on every request, up to `max_in_a_row` times in a row.
fn always_faulty(profile: FakeProfile, target: FaultTarget, max_in_a_row: u32) -> FakeConfig {
    let mut config = config(profile);
    config.faults.rate_percent = 100;
    config.faults.target = target;
    config.faults.max_in_a_row = max_in_a_row;
    config
}

/// Distinct ten-digit mobile numbers.
fn numbers(count: u64) -> Vec<String> {
    (0..count)
        .map(|idx| format!("9{:09}", 123_457 * idx + 80_000_000))
        .collect()
}

fn assert_token_hidden(err: &NaamError) {
    assert!(!err.to_string().contains(TOKEN), "{err}");
    assert!(!format!("{err:?}").contains(TOKEN), "{err:?}");
}

/// Polls `id` page by page, sweep after sweep, until a sweep that is not "processing" holds
/// `num_listed` records. Panics if a sweep holds a number twice or too many sweeps pass.
async fn collect_all(
    client: &Client,
    id: &EnrichmentId,
    limit: u32,
    num_listed: usize,
) -> Vec<ResultRecord> {
    for _sweep in 0..30 {
        let mut records: Vec<ResultRecord> = Vec::new();
        let mut is_processing = false;
        for page in 1..=1000 {
            let results = client.results(id, page, limit).await.unwrap();
            assert_eq!(results.num_unreadable, 0);
            is_processing |= results.is_processing;
            if results.records.is_empty() {
                break;
            }
            records.extend(results.records);
        }
        let distinct: HashSet<&str> = records.iter().map(|r| r.mobile.as_str()).collect();
        assert_eq!(
            distinct.len(),
            records.len(),
            "a number came twice in one sweep"
        );
        if !is_processing && records.len() == num_listed {
            return records;
        }
        assert!(records.len() <= num_listed, "more records than numbers");
    }
    panic!("the results never became complete");
}

#[tokio::test]
async fn every_profile_delivers_every_record_exactly_once() {
    let sent = numbers(25);
    let num_known = sent
        .iter()
        .filter(|number| FakeNaam::expected_name(number).is_some())
        .count();
    assert!(
        num_known > 0 && num_known < sent.len(),
        "the sample needs both kinds"
    );
    for profile in FakeProfile::all().iter().copied() {
        let fake = FakeNaam::start(config(profile)).await.unwrap();
        let client = client_for(&fake);
        let id = client.submit(&sent, None).await.unwrap();
        let num_listed = if profile == FakeProfile::OmitUnknown {
            num_known
        } else {
            sent.len()
        };
        let records = collect_all(&client, &id, 10, num_listed).await;
        let by_number: HashMap<&str, &ResultRecord> =
            records.iter().map(|r| (r.mobile.as_str(), r)).collect();
        for number in &sent {
            let expected = FakeNaam::expected_name(number);
            match by_number.get(number.as_str()) {
                Some(record) => assert_eq!(
                    record.known_name(),
                    expected.as_deref(),
                    "{profile}: {number}"
                ),
                None => assert!(expected.is_none(), "{profile}: {number} is missing"),
            }
        }
        let stats = fake.stats();
        assert_eq!(stats.submissions, 1, "{profile}");
        assert_eq!(stats.max_submits_per_number(), 1, "{profile}");
        assert_eq!(stats.numbers_submitted, 25, "{profile}");
        fake.shutdown().await;
    }
}

#[tokio::test]
async fn awkward_names_arrive_unchanged() {
    let fake = FakeNaam::start(FakeConfig {
        polls_before_done: 0,
        ..config(FakeProfile::Standard)
    })
    .await
    .unwrap();
    let client = client_for(&fake);
    let sent = numbers(400);
    let id = client.submit(&sent, None).await.unwrap();
    let records = collect_all(&client, &id, 100, sent.len()).await;
    let names: Vec<&str> = records
        .iter()
        .filter_map(ResultRecord::known_name)
        .collect();
    assert!(names.iter().any(|name| name.contains('\n')));
    assert!(names.iter().any(|name| name.starts_with('=')));
    assert!(
        names
            .iter()
            .any(|name| name.contains("शर्मा") || name.contains("वर्मा"))
    );
    for record in &records {
        assert_eq!(
            record.known_name().map(str::to_owned),
            FakeNaam::expected_name(&record.mobile)
        );
    }
}

#[tokio::test]
async fn documented_account_refusals_arrive_as_their_variants() {
    let sent = numbers(5);

    let fake = FakeNaam::start(FakeConfig {
        is_bulk_enabled: false,
        ..config(FakeProfile::Standard)
    })
    .await
    .unwrap();
    let err = client_for(&fake).submit(&sent, None).await.unwrap_err();
    assert!(matches!(err, NaamError::BulkDisabled), "{err:?}");
    assert!(err.to_string().starts_with("Bulk lookups are switched off"));
    assert_token_hidden(&err);

    let fake = FakeNaam::start(FakeConfig {
        credits: Some(3),
        ..config(FakeProfile::Standard)
    })
    .await
    .unwrap();
    let err = client_for(&fake).submit(&sent, None).await.unwrap_err();
    assert!(matches!(err, NaamError::CreditsExhausted), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("Your Naam credits are used up.")
    );
    assert_eq!(
        fake.credits_left(),
        Some(3),
        "a refused batch costs nothing"
    );
    assert_eq!(fake.submissions(), 0);
    assert!(!err.is_retryable());

    let fake = FakeNaam::start(FakeConfig {
        daily_limit: Some(4),
        ..config(FakeProfile::Standard)
    })
    .await
    .unwrap();
    let err = client_for(&fake).submit(&sent, None).await.unwrap_err();
    assert!(matches!(err, NaamError::DailyLimitExhausted), "{err:?}");
    assert!(err.to_string().contains("daily limit"));

    let fake = FakeNaam::start(FakeConfig {
        bulk_limit: 4,
        ..config(FakeProfile::Standard)
    })
    .await
    .unwrap();
    let client = client_for(&fake);
    let err = client.submit(&sent, None).await.unwrap_err();
    assert!(matches!(err, NaamError::QuantityExceedsLimit), "{err:?}");
    assert!(
        err.to_string()
            .contains("more numbers than your account may send at once")
    );
    client.submit(&sent[..4], None).await.unwrap();
    assert_eq!(fake.submissions(), 1);
}

#[tokio::test]
async fn unknown_enrichment_id_is_reported() {
    let fake = FakeNaam::start(config(FakeProfile::Standard))
        .await
        .unwrap();
    let client = client_for(&fake);
    let id = EnrichmentId::new("000000000000000000000000").unwrap();
    let err = client.results(&id, 1, 10).await.unwrap_err();
    let NaamError::InvalidEnrichmentId { enrichment_id } = &err else {
        panic!("expected InvalidEnrichmentId, got {err:?}");
    };
    assert_eq!(enrichment_id.as_deref(), Some(id.as_str()));
    assert!(
        err.to_string()
            .starts_with("Naam does not recognise this lookup job.")
    );
    assert_eq!(fake.stats().results_requests, 1, "not retried");
}

#[tokio::test]
async fn a_request_naam_cannot_accept_is_not_acceptable() {
    let fake = FakeNaam::start(config(FakeProfile::Standard))
        .await
        .unwrap();
    let client = client_for(&fake);
    let err = client
        .submit(&[String::from("9876543210"), String::from("n/a")], None)
        .await
        .unwrap_err();
    assert!(matches!(err, NaamError::NotAcceptable), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("Naam did not accept the request")
    );
    assert_eq!(fake.submissions(), 0);
    let err = client.submit(&[], None).await.unwrap_err();
    assert!(matches!(err, NaamError::NothingToSubmit));
    assert_eq!(
        fake.stats().submit_requests,
        1,
        "an empty batch is never sent"
    );
}

#[tokio::test]
async fn a_wrong_token_is_unauthorised_not_a_quantity_problem() {
    let fake = FakeNaam::start(config(FakeProfile::Standard))
        .await
        .unwrap();
    let wrong = ApiToken::new("tok-wrong-88d1e0").unwrap();
    let client = client_with(fake.base_url(), wrong, fast_retries());
    let err = client.submit(&numbers(2), None).await.unwrap_err();
    assert!(
        matches!(err, NaamError::Unauthorised { status: 401 }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("Naam did not accept your API token.")
    );
    assert!(!err.to_string().contains("tok-wrong"));
    assert!(!format!("{err:?}").contains("tok-wrong"));
    let err = client.check_connection().await.unwrap_err();
    assert!(matches!(err, NaamError::Unauthorised { .. }), "{err:?}");
    client_for(&fake).check_connection().await.unwrap();
    assert_eq!(fake.submissions(), 0);
}

#[tokio::test]
async fn an_unknown_status_shows_the_servers_message() {
    let fake = FakeNaam::start(config(FakeProfile::Standard))
        .await
        .unwrap();
    let wrong_path = ApiBaseUrl::parse(&format!("{}not-naam/", fake.base_url())).unwrap();
    let client = client_with(&wrong_path, token(), fast_retries());
    let err = client.submit(&numbers(1), None).await.unwrap_err();
    let NaamError::Unknown {
        status, message, ..
    } = &err
    else {
        panic!("expected Unknown, got {err:?}");
    };
    assert_eq!((*status, message.as_str()), (404, "Not Found"));
    assert_eq!(
        err.to_string(),
        "Naam answered with an unexpected error (status 404): \"Not Found\""
    );
}

#[tokio::test]
async fn a_throttled_submit_is_retried_and_paid_once() {
    let fake = FakeNaam::start(always_faulty(
        FakeProfile::ThrottleBursts,
        FaultTarget::Submit,
        2,
    ))
    .await
    .unwrap();
    let sent = numbers(3);
    client_for(&fake).submit(&sent, None).await.unwrap();
    let stats = fake.stats();
    assert_eq!(
        stats.submit_requests, 3,
        "two throttled attempts, then success"
    );
    assert_eq!(stats.submissions, 1);
    assert_eq!(stats.max_submits_per_number(), 1);
}

#[tokio::test]
async fn throttling_that_outlasts_the_retries_is_reported() {
    let fake = FakeNaam::start(always_faulty(
        FakeProfile::ThrottleBursts,
        FaultTarget::Both,
        10,
    ))
    .await
    .unwrap();
    let retry = RetryPolicy {
        max_attempts: 3,
        ..fast_retries()
    };
    let err = client_with(fake.base_url(), token(), retry)
        .submit(&numbers(1), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, NaamError::Throttled { retry_after: None }),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("Naam is busy"));
    assert!(err.is_retryable());
    assert_eq!(fake.stats().submit_requests, 3);
    assert_eq!(fake.submissions(), 0);
}

#[tokio::test]
async fn a_submit_whose_connection_drops_after_sending_is_not_resent() {
    let fake = FakeNaam::start(always_faulty(
        FakeProfile::DroppedConnections,
        FaultTarget::Submit,
        10,
    ))
    .await
    .unwrap();
    let sent = numbers(4);
    let err = client_for(&fake).submit(&sent, None).await.unwrap_err();
    let NaamError::OutcomeUnknown { cause } = &err else {
        panic!("expected OutcomeUnknown, got {err:?}");
    };
    assert!(
        matches!(
            **cause,
            NaamError::Network {
                failure: NetworkFailure::Dropped,
                ..
            }
        ),
        "{cause:?}"
    );
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("To avoid paying twice"));
    let stats = fake.stats();
    assert_eq!(stats.submit_requests, 1, "the submit was not sent again");
    assert_eq!(
        stats.submissions, 1,
        "the fake accepted and charged it once"
    );
    assert_eq!(stats.max_submits_per_number(), 1);
}

#[tokio::test]
async fn a_submit_answered_with_a_server_error_is_not_resent() {
    let fake = FakeNaam::start(always_faulty(
        FakeProfile::ServerErrors,
        FaultTarget::Submit,
        10,
    ))
    .await
    .unwrap();
    let err = client_for(&fake)
        .submit(&numbers(2), None)
        .await
        .unwrap_err();
    let NaamError::OutcomeUnknown { cause } = &err else {
        panic!("expected OutcomeUnknown, got {err:?}");
    };
    assert!(
        matches!(**cause, NaamError::Server { status: 500..=599 }),
        "{cause:?}"
    );
    assert_eq!(fake.stats().submit_requests, 1);
}

#[tokio::test]
async fn a_submit_with_a_cut_off_answer_is_not_resent() {
    let fake = FakeNaam::start(always_faulty(
        FakeProfile::MalformedJson,
        FaultTarget::Submit,
        10,
    ))
    .await
    .unwrap();
    let err = client_for(&fake)
        .submit(&numbers(2), None)
        .await
        .unwrap_err();
    let NaamError::OutcomeUnknown { cause } = &err else {
        panic!("expected OutcomeUnknown, got {err:?}");
    };
    assert!(matches!(**cause, NaamError::Malformed { .. }), "{cause:?}");
    assert_eq!(fake.stats().submit_requests, 1);
    assert_eq!(fake.submissions(), 1);
}

#[tokio::test]
async fn a_submit_that_times_out_is_not_resent() {
    let mut config = always_faulty(FakeProfile::SlowResponses, FaultTarget::Submit, 10);
    config.slow_delay = Duration::from_millis(800);
    let fake = FakeNaam::start(config).await.unwrap();
    let client = Client::new(ClientConfig {
        base_url: fake.base_url().clone(),
        token: token(),
        timeouts: Timeouts {
            connect: Duration::from_secs(2),
            read: Duration::from_millis(150),
            total: Duration::from_millis(300),
        },
        retry: fast_retries(),
    })
    .unwrap();
    let err = client.submit(&numbers(2), None).await.unwrap_err();
    let NaamError::OutcomeUnknown { cause } = &err else {
        panic!("expected OutcomeUnknown, got {err:?}");
    };
    assert!(
        matches!(
            **cause,
            NaamError::Network {
                failure: NetworkFailure::Timeout,
                ..
            }
        ),
        "{cause:?}"
    );
    assert_eq!(fake.stats().submit_requests, 1);
}

#[tokio::test]
async fn a_submit_that_cannot_connect_is_retried_then_reported() {
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let base_url = ApiBaseUrl::parse(&format!("http://127.0.0.1:{closed_port}")).unwrap();
    let err = client_with(&base_url, token(), fast_retries())
        .submit(&numbers(1), None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            NaamError::Network {
                failure: NetworkFailure::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("Could not connect to Naam."));
    assert!(
        err.is_retryable(),
        "nothing was sent, so the caller may try again"
    );
}

#[tokio::test]
async fn polls_survive_transient_faults() {
    for profile in [
        FakeProfile::ServerErrors,
        FakeProfile::DroppedConnections,
        FakeProfile::MalformedJson,
        FakeProfile::SlowResponses,
        FakeProfile::ThrottleBursts,
    ] {
        let mut config = always_faulty(profile, FaultTarget::Results, 2);
        config.polls_before_done = 0;
        let fake = FakeNaam::start(config).await.unwrap();
        let client = client_for(&fake);
        let sent = numbers(3);
        let id = client.submit(&sent, None).await.unwrap();
        let page = client.results(&id, 1, 10).await.unwrap();
        assert_eq!(page.records.len(), 3, "{profile}");
        // A slow answer within the timeouts is still an answer.
        let expected_requests = if profile == FakeProfile::SlowResponses {
            1
        } else {
            3
        };
        assert_eq!(
            fake.stats().results_requests,
            expected_requests,
            "{profile}"
        );
    }
}

#[tokio::test]
async fn polls_that_time_out_are_retried() {
    let mut config = always_faulty(FakeProfile::SlowResponses, FaultTarget::Results, 2);
    config.polls_before_done = 0;
    config.slow_delay = Duration::from_millis(600);
    let fake = FakeNaam::start(config).await.unwrap();
    let client = Client::new(ClientConfig {
        base_url: fake.base_url().clone(),
        token: token(),
        timeouts: Timeouts {
            connect: Duration::from_secs(2),
            read: Duration::from_millis(150),
            total: Duration::from_millis(300),
        },
        retry: fast_retries(),
    })
    .unwrap();
    let id = client.submit(&numbers(2), None).await.unwrap();
    let page = client.results(&id, 1, 10).await.unwrap();
    assert_eq!(page.records.len(), 2);
    assert_eq!(
        fake.stats().results_requests,
        3,
        "two timeouts, then an answer"
    );
}

#[tokio::test]
async fn polls_give_up_after_the_attempt_limit() {
    let fake = FakeNaam::start(always_faulty(
        FakeProfile::ServerErrors,
        FaultTarget::Results,
        10,
    ))
    .await
    .unwrap();
    let retry = RetryPolicy {
        max_attempts: 3,
        ..fast_retries()
    };
    let client = client_with(fake.base_url(), token(), retry);
    let id = client.submit(&numbers(1), None).await.unwrap();
    let err = client.results(&id, 1, 10).await.unwrap_err();
    assert!(
        matches!(err, NaamError::Server { status: 500..=599 }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("Naam's service is having trouble right now")
    );
    assert_eq!(fake.stats().results_requests, 3);
}

#[tokio::test]
async fn retry_after_longer_than_the_budget_means_giving_up_at_once() {
    let fake = FakeNaam::start(FakeConfig {
        rate_limit: Some(RateLimit {
            max_requests: 1,
            window: Duration::from_mins(1),
        }),
        ..config(FakeProfile::Standard)
    })
    .await
    .unwrap();
    let retry = RetryPolicy {
        max_total: Duration::from_secs(2),
        ..fast_retries()
    };
    let client = client_with(fake.base_url(), token(), retry);
    client.submit(&numbers(1), None).await.unwrap();
    let err = client.submit(&numbers(1), None).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_mins(1)), "{err:?}");
    assert_eq!(
        fake.stats().submit_requests,
        2,
        "with tiny backoff and no regard for Retry-After there would be 5 attempts"
    );
}

#[tokio::test]
async fn retry_after_is_waited_for_before_the_next_attempt() {
    let fake = FakeNaam::start(FakeConfig {
        rate_limit: Some(RateLimit {
            max_requests: 1,
            window: Duration::from_secs(1),
        }),
        ..config(FakeProfile::Standard)
    })
    .await
    .unwrap();
    let client = client_for(&fake);
    client.submit(&numbers(1), None).await.unwrap();
    client.submit(&numbers(2)[1..], None).await.unwrap();
    // A tiny backoff would have used all five attempts inside the one-second window; waiting
    // as Naam asked needs exactly one retry.
    assert_eq!(fake.stats().submit_requests, 3);
    assert_eq!(fake.submissions(), 2);
}

#[tokio::test]
async fn a_callback_url_is_passed_through() {
    let fake = FakeNaam::start(config(FakeProfile::Standard))
        .await
        .unwrap();
    let client = client_for(&fake);
    client
        .submit(&numbers(2), Some("https://hooks.example.com/naam"))
        .await
        .unwrap();
    assert_eq!(fake.submissions(), 1);
}

#[test]
fn plain_http_is_refused_except_on_this_computer() {
    for url in [
        "http://app.naam.ai",
        "http://10.0.0.5:8080",
        "http://naam.example.com",
    ] {
        let err = ApiBaseUrl::parse(url).unwrap_err();
        assert!(
            matches!(err, NaamError::InsecureBaseUrl { .. }),
            "{url}: {err:?}"
        );
        assert!(
            err.to_string().contains("must start with https://"),
            "{err}"
        );
    }
    for url in ["http://127.0.0.1:9", "http://localhost", "http://[::1]:80"] {
        let base_url = ApiBaseUrl::parse(url).unwrap();
        Client::new(ClientConfig::new(base_url, token())).unwrap();
    }
}
