//! Where log lines go: a daily file in the app's data folder, and standard error when asked.
//!
//! Levels follow STYLE.md: ERROR when something failed or data was lost, WARN when we
//! recovered, INFO for rare user-facing events, DEBUG for the steps of a job. The token is never
//! logged and phone numbers are masked by the code that logs them.

use std::path::Path;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Keeps the log file's background writer alive; logs written after it is dropped are lost, so
/// hold it until the program ends.
pub struct LogGuard {
    _file: Option<tracing_appender::non_blocking::WorkerGuard>,
}

/// Starts logging: to `<data dir>/logs/naam-enrich.log.<date>` at DEBUG when a data folder is
/// given, and to standard error at DEBUG when `verbose` (else only warnings and errors).
/// `RUST_LOG` overrides the standard error level.
pub fn init(data_dir: Option<&Path>, verbose: bool) -> LogGuard {
    let stderr_filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(if verbose {
            "naam_enrich=debug,warn"
        } else {
            "warn"
        })
    });
    let stderr_layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_filter(stderr_filter);

    let (file_layer, guard) = match data_dir {
        Some(dir) => {
            let appender = tracing_appender::rolling::daily(dir.join("logs"), "naam-enrich.log");
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = tracing_subscriber::fmt::layer()
                .with_writer(writer)
                .with_ansi(false)
                .with_filter(EnvFilter::new("naam_enrich=debug,warn"));
            (Some(layer), Some(guard))
        }
        None => (None, None),
    };

    // A second call (tests) keeps the first subscriber; that is fine.
    let _ = tracing_subscriber::registry()
        .with(stderr_layer)
        .with(file_layer)
        .with(crate::diagnostics::RecentProblems)
        .try_init();
    LogGuard { _file: guard }
}
