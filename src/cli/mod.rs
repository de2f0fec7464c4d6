//! The headless commands: the same core as the window, for IT staff, scripts and tests.
//!
//! Results a script may read go to standard output through [`output`]; progress and messages go
//! to standard error.

pub mod enrich;
pub mod fake_server;
pub mod output;
pub mod token;
