//! What support needs to know, in one block of text a user can paste into an email.
//!
//! Help → "Copy diagnostics" puts this on the clipboard: the version, the operating system,
//! the settings (none of them secret), and the warnings and errors logged lately. The token is
//! never part of it, and log lines already mask phone numbers.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;

use crate::settings::Settings;

/// How many recent warnings and errors are kept.
const MAX_RECENT_PROBLEMS: usize = 20;

/// The latest warnings and errors, oldest first.
static RECENT_PROBLEMS: Mutex<VecDeque<String>> = Mutex::new(VecDeque::new());

/// A logging layer that keeps the latest warnings and errors for the report.
pub struct RecentProblems;

impl<S: tracing::Subscriber> Layer<S> for RecentProblems {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        let level = *event.metadata().level();
        // Levels grow towards TRACE: anything above WARN is routine.
        if level > tracing::Level::WARN {
            return;
        }
        let mut line = format!("{} {level} ", utc_time_of_day(SystemTime::now()));
        event.record(&mut MessageText(&mut line));
        remember(line);
    }
}

fn remember(line: String) {
    let mut recent = RECENT_PROBLEMS
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if recent.len() == MAX_RECENT_PROBLEMS {
        recent.pop_front();
    }
    recent.push_back(line);
}

/// Writes an event's message and fields as text.
struct MessageText<'a>(&'a mut String);

impl Visit for MessageText<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}

/// `HH:MM:SS UTC`: enough to match a line with the log file of the same day.
fn utc_time_of_day(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let of_day = secs % 86_400;
    format!(
        "{:02}:{:02}:{:02} UTC",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// The report: version, system, settings and recent problems.
pub fn report(settings: &Settings, is_demo: bool) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "Naam Enrich {}", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(
        text,
        "System: {} {} ({})",
        std::env::consts::OS,
        std::env::consts::ARCH,
        std::env::consts::FAMILY
    );
    let _ = writeln!(
        text,
        "Service: {}{}",
        settings.api_url,
        if is_demo {
            " (demo: the built-in pretend service)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        text,
        "Settings: region {}, {} numbers a batch, names kept {} days, confirm jobs over {} \
         credits",
        settings.region,
        settings.bulk_size,
        settings.cache_max_age_days,
        settings.confirm_over_credits
    );
    let recent = RECENT_PROBLEMS
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if recent.is_empty() {
        text.push_str("Recent warnings and errors: none\n");
    } else {
        text.push_str("Recent warnings and errors (oldest first):\n");
        for line in recent.iter() {
            let _ = writeln!(text, "  {line}");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::layer::SubscriberExt as _;

    /// The kept lines are shared by the whole process, so these tests take turns.
    static TURNS: Mutex<()> = Mutex::new(());

    #[test]
    fn the_report_holds_the_settings_and_recent_problems_but_no_routine_lines() {
        let _turn = TURNS.lock().unwrap_or_else(PoisonError::into_inner);
        let subscriber = tracing_subscriber::registry().with(RecentProblems);
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!("opened a file");
            tracing::warn!(chunk = 3, "a poll was throttled");
            tracing::error!("the job store could not be opened");
        });
        let settings = Settings::default();
        let text = report(&settings, false);
        assert!(text.starts_with("Naam Enrich "), "{text}");
        assert!(text.contains("Service: https://app.naam.ai\n"), "{text}");
        assert!(text.contains("region IN, 500 numbers a batch"), "{text}");
        assert!(text.contains("WARN a poll was throttled chunk=3"), "{text}");
        assert!(
            text.contains("ERROR the job store could not be opened"),
            "{text}"
        );
        assert!(!text.contains("opened a file"), "{text}");
    }

    #[test]
    fn only_the_latest_problems_are_kept() {
        let _turn = TURNS.lock().unwrap_or_else(PoisonError::into_inner);
        for index in 0..MAX_RECENT_PROBLEMS + 5 {
            remember(format!("line {index}"));
        }
        let recent = RECENT_PROBLEMS
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        assert_eq!(recent.len(), MAX_RECENT_PROBLEMS);
        assert!(!recent.iter().any(|line| line == "line 0"));
    }

    #[test]
    fn times_of_day_are_in_utc() {
        let time = UNIX_EPOCH + std::time::Duration::from_secs(86_400 * 3 + 3_723);
        assert_eq!(utc_time_of_day(time), "01:02:03 UTC");
    }
}
