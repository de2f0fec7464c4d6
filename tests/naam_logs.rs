//! The token and the phone numbers never reach the logs.
//!
//! A whole exchange with the fake service (submits, retries, polls, refusals, a cut connection)
//! runs under a subscriber that records everything at TRACE level, including what other crates
//! log through the `log` facade, the way the app's own logging is set up. This file is its own
//! test program because the subscriber is global to the process.

#![allow(
    clippy::unwrap_used,
    reason = "helpers outside #[test] functions fail the test by panicking"
)]

use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use naam_enrich::naam::fake::{FakeConfig, FakeNaam, FakeProfile, FaultTarget};
use naam_enrich::naam::{ApiToken, Client, ClientConfig, NaamError, RetryPolicy};
use tracing_subscriber::fmt::MakeWriter;

const TOKEN: &str = "tok-logs-9e41b7d2c0";
const WRONG_TOKEN: &str = "tok-wrong-5a5a17";

/// Log output collected in memory.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

fn client(fake_url: &naam_enrich::naam::ApiBaseUrl, token: &str) -> Client {
    let mut config = ClientConfig::new(fake_url.clone(), ApiToken::new(token).unwrap());
    config.retry = RetryPolicy {
        max_attempts: 5,
        initial_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_total: Duration::from_secs(10),
        has_jitter: true,
    };
    Client::new(config).unwrap()
}

#[tokio::test]
async fn a_full_exchange_logs_neither_the_token_nor_the_numbers() {
    let buffer = Buffer::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(buffer.clone())
        .try_init()
        .unwrap();

    let sent: Vec<String> = (0..12).map(|idx| format!("98765{idx:05}")).collect();

    // Throttling on both endpoints: retried submits and polls, then every page.
    let mut config = FakeConfig::new(ApiToken::new(TOKEN).unwrap(), FakeProfile::ThrottleBursts);
    config.faults.rate_percent = 50;
    let fake = FakeNaam::start(config).await.unwrap();
    let naam = client(fake.base_url(), TOKEN);
    let id = naam
        .submit(&sent, Some("https://hooks.example.com/x"))
        .await
        .unwrap();
    let mut num_received = 0;
    for _poll in 0..10 {
        num_received = 0;
        for page in 1..=10 {
            let results = naam.results(&id, page, 5).await.unwrap();
            if results.records.is_empty() {
                break;
            }
            num_received += results.records.len();
        }
        if num_received == sent.len() {
            break;
        }
    }
    assert_eq!(num_received, sent.len());
    naam.check_connection().await.unwrap();
    let err = client(fake.base_url(), WRONG_TOKEN)
        .submit(&sent, None)
        .await
        .unwrap_err();
    assert!(matches!(err, NaamError::Unauthorised { .. }));
    fake.shutdown().await;

    // A submit whose connection is cut after it was accepted.
    let mut config = FakeConfig::new(
        ApiToken::new(TOKEN).unwrap(),
        FakeProfile::DroppedConnections,
    );
    config.faults.rate_percent = 100;
    config.faults.target = FaultTarget::Both;
    let fake = FakeNaam::start(config).await.unwrap();
    let err = client(fake.base_url(), TOKEN)
        .submit(&sent, None)
        .await
        .unwrap_err();
    assert!(matches!(err, NaamError::OutcomeUnknown { .. }));
    fake.shutdown().await;

    let logs = buffer.text();
    assert!(logs.contains("POST"), "the exchange was logged");
    assert!(logs.contains("/api/v1/prospect/bulk/enrich"));
    assert!(logs.contains("retrying"));
    assert!(logs.contains("98******00"), "numbers appear masked");
    assert!(!logs.contains(TOKEN), "the token leaked into the logs");
    assert!(
        !logs.contains(WRONG_TOKEN),
        "a refused token leaked into the logs"
    );
    for number in &sent {
        assert!(!logs.contains(number.as_str()), "{number} appears unmasked");
    }
}
