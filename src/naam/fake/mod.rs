//! A fake Naam service, faithful enough to test and demo against.
//!
//! It implements both endpoints of the Bulk Number API on a loopback port: the token header,
//! body checks (406), the bulk limit (401), credits, a daily limit and a disabled-bulk account
//! (402), rate limiting (713), unknown ids (400) and paging. Names are derived from the digits
//! of each number ([`FakeNaam::expected_name`]), so tests can check every merged cell. Where
//! the public reference is silent, [`FakeProfile`] picks one plausible behaviour, and fault
//! profiles add the troubles of real networks, injected deterministically from a seed.
//!
//! It runs in-process for the tests and the app's demo mode ([`FakeNaam::start`]) and on its
//! own for `naam-enrich fake-server` ([`run_standalone`]).

mod conn;
mod names;
mod profile;
mod server;
mod state;

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use profile::{FakeProfile, FaultTarget, UnknownProfileError};
pub use state::FakeStats;

use super::base_url::ApiBaseUrl;
use super::error::NaamError;
use super::token::ApiToken;
use conn::{ConnectionCutter, CuttableListener};
use state::FakeState;

/// How long [`FakeHandle::shutdown`] lets open requests finish before cutting them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// A limit on requests per time window; requests beyond it get 713 with `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in each window.
    pub max_requests: u32,
    /// The length of a window.
    pub window: Duration,
}

/// How a fault profile injects its fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultSettings {
    /// The chance, in percent, that a request gets the fault (100 means every one, within
    /// `max_in_a_row`).
    pub rate_percent: u8,
    /// The seed of the decisions: the same seed and the same requests give the same faults.
    pub seed: u64,
    /// Which endpoints get faults.
    pub target: FaultTarget,
    /// The most faulty answers in a row; the next request then always succeeds. Throttling
    /// comes in bursts of exactly this length.
    pub max_in_a_row: u32,
}

/// How a fake service instance behaves.
#[derive(Debug, Clone)]
pub struct FakeConfig {
    /// The only token accepted.
    pub token: ApiToken,
    /// The behaviour for what the reference leaves open, and any fault to inject.
    pub profile: FakeProfile,
    /// How long a job takes before all its results are ready.
    pub processing_delay: Duration,
    /// How many polls of a job see it unfinished, whatever the delay; with a zero delay this
    /// lets tests see the not-ready answers without waiting.
    pub polls_before_done: u32,
    /// The most numbers one submit may hold ("Quantity exceeds bulk limit" above it).
    pub bulk_limit: usize,
    /// Credits left, one per number submitted; `None` for unlimited.
    pub credits: Option<u64>,
    /// Numbers allowed in total while the service runs (its "day"); `None` for no limit.
    pub daily_limit: Option<u64>,
    /// Whether the account may use the bulk API ("Bulk functionality is disabled" if not).
    pub is_bulk_enabled: bool,
    /// An optional rate limit on all requests.
    pub rate_limit: Option<RateLimit>,
    /// How fault profiles inject their fault.
    pub faults: FaultSettings,
    /// The pause of the slow-responses fault.
    pub slow_delay: Duration,
}

impl FakeConfig {
    /// Settings for tests: no processing delay (jobs finish after `polls_before_done` = 2
    /// polls), a bulk limit of 500, no credit or daily limit, faults on 30 % of requests at
    /// most 2 in a row, and a 50 ms pause for slow answers.
    #[must_use]
    pub fn new(token: ApiToken, profile: FakeProfile) -> Self {
        Self {
            token,
            profile,
            processing_delay: Duration::ZERO,
            polls_before_done: 2,
            bulk_limit: 500,
            credits: None,
            daily_limit: None,
            is_bulk_enabled: true,
            rate_limit: None,
            faults: FaultSettings {
                rate_percent: 30,
                seed: 7,
                target: profile.default_fault_target(),
                max_in_a_row: 2,
            },
            slow_delay: Duration::from_millis(50),
        }
    }

    /// Settings for the demo and `naam-enrich fake-server`: jobs take 1.5 s, slow answers
    /// take 2 s, everything else as in [`FakeConfig::new`].
    #[must_use]
    pub fn demo(token: ApiToken, profile: FakeProfile) -> Self {
        Self {
            processing_delay: Duration::from_millis(1500),
            polls_before_done: 0,
            slow_delay: Duration::from_secs(2),
            ..Self::new(token, profile)
        }
    }
}

/// A problem starting or running the fake service.
#[derive(Debug, thiserror::Error)]
pub enum FakeError {
    /// The port could not be opened.
    #[error(
        "The fake Naam service could not listen on port {port} of this computer. Another \
         program may be using it; choose another port."
    )]
    Bind {
        /// The port asked for (0 means any free port).
        port: u16,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The address the service listens on could not be used as a Naam address.
    #[error("The fake Naam service started on an address the client cannot use.")]
    Address {
        /// Why the address was refused.
        #[source]
        source: NaamError,
    },
    /// Ctrl+C could not be listened for.
    #[error("The fake Naam service could not listen for Ctrl+C, so it stopped.")]
    Signal {
        /// What the system said.
        #[source]
        source: io::Error,
    },
}

/// Starts fake Naam services.
#[derive(Debug, Clone, Copy)]
pub struct FakeNaam;

impl FakeNaam {
    /// Starts a fake service on a free loopback port, inside the current tokio runtime.
    ///
    /// # Errors
    /// [`FakeError::Bind`] when no port can be opened.
    pub async fn start(config: FakeConfig) -> Result<FakeHandle, FakeError> {
        Self::start_on_port(0, config).await
    }

    /// Starts a fake service on `127.0.0.1:port` (0 for any free port).
    ///
    /// # Errors
    /// [`FakeError::Bind`] when the port cannot be opened.
    pub async fn start_on_port(port: u16, config: FakeConfig) -> Result<FakeHandle, FakeError> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .await
            .map_err(|source| FakeError::Bind { port, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| FakeError::Bind { port, source })?;
        let base_url = ApiBaseUrl::parse(&format!("http://{addr}"))
            .map_err(|source| FakeError::Address { source })?;
        let profile = config.profile;
        let state = Arc::new(FakeState::new(config));
        let service = server::router(Arc::clone(&state))
            .into_make_service_with_connect_info::<ConnectionCutter>();
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let serving = axum::serve(CuttableListener::new(listener), service).with_graceful_shutdown(
            async move {
                // Either a shutdown request or the handle being gone ends the service.
                let _ = shutdown_rx.await;
            },
        );
        let task = tokio::spawn(async move {
            if let Err(err) = serving.await {
                tracing::warn!(%err, "the fake Naam service stopped with an error");
            }
        });
        tracing::debug!(%addr, %profile, "fake Naam service started");
        Ok(FakeHandle {
            addr,
            base_url,
            state,
            shutdown: Some(shutdown_tx),
            task: Some(task),
        })
    }

    /// The name the fake service gives `number`, or `None` when it has none. Only the digits
    /// of `number` count.
    #[must_use]
    pub fn expected_name(number: &str) -> Option<String> {
        names::expected_name(number)
    }
}

/// A running fake service. It stops when this handle is dropped or [`FakeHandle::shutdown`]
/// is called.
pub struct FakeHandle {
    addr: SocketAddr,
    base_url: ApiBaseUrl,
    state: Arc<FakeState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl FakeHandle {
    /// The address to give the client, e.g. `http://127.0.0.1:41234/`.
    #[must_use]
    pub fn base_url(&self) -> &ApiBaseUrl {
        &self.base_url
    }

    /// The socket address the service listens on.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A snapshot of everything the service has counted.
    #[must_use]
    pub fn stats(&self) -> FakeStats {
        self.state.stats()
    }

    /// Submits accepted (and charged) so far.
    #[must_use]
    pub fn submissions(&self) -> u64 {
        self.state.stats().submissions
    }

    /// Numbers in accepted submits so far, counting repeats.
    #[must_use]
    pub fn numbers_submitted(&self) -> u64 {
        self.state.stats().numbers_submitted
    }

    /// How many accepted submits held `number` (more than 1 means it was paid for twice).
    #[must_use]
    pub fn submit_count(&self, number: &str) -> u32 {
        self.state
            .stats()
            .submit_counts
            .get(number)
            .copied()
            .unwrap_or(0)
    }

    /// Requests that reached the service, answered or not.
    #[must_use]
    pub fn requests_served(&self) -> u64 {
        self.state.stats().requests_served
    }

    /// Credits left; `None` when unlimited.
    #[must_use]
    pub fn credits_left(&self) -> Option<u64> {
        self.state.credits_left()
    }

    /// Stops the service, letting open requests finish for up to two seconds.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // An error means the service already stopped.
            let _ = shutdown.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl fmt::Debug for FakeHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeHandle")
            .field("addr", &self.addr)
            .field("is_running", &self.shutdown.is_some())
            .finish_non_exhaustive()
    }
}

impl Drop for FakeHandle {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // An error means the service already stopped.
            let _ = shutdown.send(());
        }
    }
}

/// Runs a fake service on `127.0.0.1:port` until Ctrl+C, for `naam-enrich fake-server`.
///
/// It accepts only `token`, uses the demo timings ([`FakeConfig::demo`]) and calls
/// `on_listening` with its address once it is ready, so the caller can print it.
///
/// # Errors
/// [`FakeError::Bind`] when the port cannot be opened, [`FakeError::Signal`] when Ctrl+C
/// cannot be listened for.
pub async fn run_standalone(
    port: u16,
    token: ApiToken,
    profile: FakeProfile,
    on_listening: impl FnOnce(&ApiBaseUrl),
) -> Result<(), FakeError> {
    run_until(
        port,
        FakeConfig::demo(token, profile),
        on_listening,
        tokio::signal::ctrl_c(),
    )
    .await
}

/// Runs a fake service until `stop` completes; the body of [`run_standalone`].
async fn run_until(
    port: u16,
    config: FakeConfig,
    on_listening: impl FnOnce(&ApiBaseUrl),
    stop: impl Future<Output = io::Result<()>>,
) -> Result<(), FakeError> {
    let handle = FakeNaam::start_on_port(port, config).await?;
    on_listening(handle.base_url());
    let stopped = stop.await;
    handle.shutdown().await;
    stopped.map_err(|source| FakeError::Signal { source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::naam::{Client, ClientConfig, RetryPolicy};

    /// A client that does not retry, so a stopped service is noticed at once.
    fn impatient_client(url: &ApiBaseUrl) -> Client {
        let mut config = ClientConfig::new(url.clone(), ApiToken::demo());
        config.retry = RetryPolicy::no_retries();
        Client::new(config).unwrap()
    }

    #[tokio::test]
    async fn standalone_service_serves_until_told_to_stop() {
        let (url_tx, url_rx) = oneshot::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let config = FakeConfig::new(ApiToken::demo(), FakeProfile::Standard);
        let server = tokio::spawn(run_until(
            0,
            config,
            move |url: &ApiBaseUrl| {
                let _ = url_tx.send(url.clone());
            },
            async move {
                let _ = stop_rx.await;
                Ok(())
            },
        ));
        let url = url_rx.await.unwrap();
        assert!(url.as_str().starts_with("http://127.0.0.1:"), "{url}");
        let client = impatient_client(&url);
        client.check_connection().await.unwrap();
        stop_tx.send(()).unwrap();
        server.await.unwrap().unwrap();
        assert!(
            client.check_connection().await.is_err(),
            "the service stopped"
        );
    }

    #[tokio::test]
    async fn a_port_in_use_is_reported_plainly() {
        let first = FakeNaam::start(FakeConfig::new(ApiToken::demo(), FakeProfile::Standard))
            .await
            .unwrap();
        let port = first.addr().port();
        let err = FakeNaam::start_on_port(
            port,
            FakeConfig::new(ApiToken::demo(), FakeProfile::Standard),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, FakeError::Bind { port: p, .. } if p == port),
            "{err:?}"
        );
        assert!(err.to_string().contains(&format!("port {port}")), "{err}");
    }

    #[tokio::test]
    async fn dropping_the_handle_stops_the_service() {
        let handle = FakeNaam::start(FakeConfig::new(ApiToken::demo(), FakeProfile::Standard))
            .await
            .unwrap();
        let client = impatient_client(handle.base_url());
        client.check_connection().await.unwrap();
        drop(handle);
        // The stop is asynchronous; give the server task a moment to wind down.
        let mut has_stopped = false;
        for _ in 0..100 {
            if client.check_connection().await.is_err() {
                has_stopped = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(has_stopped);
    }
}
