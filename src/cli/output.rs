//! The only place the headless commands print to standard output.
//!
//! Keeping every `println!` here makes it easy to see what a script reading our output can rely
//! on, and lets the `print_stdout` lint guard the rest of the crate.

use std::io::Write;

/// Prints one line of a command's result to standard output.
///
/// A closed pipe (`naam-enrich … | head`) is not an error worth reporting, so write failures
/// are ignored here.
#[allow(
    clippy::print_stdout,
    reason = "this module is the command line's output channel"
)]
pub fn line(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{text}");
}

/// Prints one line of progress or explanation to standard error, where it never mixes with
/// a result a script reads from standard output.
pub fn note(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{text}");
}
