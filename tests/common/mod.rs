//! Helpers the window tests share: stepping the real app until something happens, and reading
//! its cells.

#![allow(
    dead_code,
    reason = "each test file uses some of these helpers, not all"
)]

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use naam_enrich::app::NaamApp;

/// How long a test waits for the app before it fails; generous, as CI machines are shared.
const PATIENCE: Duration = Duration::from_secs(30);

/// Steps the app until `is_done` holds for the harness, then two frames more so what changed
/// is drawn.
pub fn wait_until(
    harness: &mut Harness<'_, NaamApp>,
    what: &str,
    is_done: impl Fn(&Harness<'_, NaamApp>) -> bool,
) {
    let deadline = Instant::now() + PATIENCE;
    while !is_done(harness) {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run_steps(2);
}

/// Steps the app until `is_done` holds for its state.
pub fn run_until(
    harness: &mut Harness<'_, NaamApp>,
    what: &str,
    is_done: impl Fn(&NaamApp) -> bool,
) {
    wait_until(harness, what, |harness| is_done(harness.state()));
}

/// The text of a cell of the open document.
pub fn cell(harness: &Harness<'_, NaamApp>, row: usize, column: usize) -> String {
    harness
        .state()
        .document()
        .expect("a document is open")
        .table
        .cell(row, column)
        .into_owned()
}
