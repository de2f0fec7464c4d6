//! naam-enrich puts caller names next to the mobile numbers in a spreadsheet.
//!
//! The library holds the whole core — the table document, CSV reading and writing, phone
//! numbers, the Naam client and the enrichment jobs — so the desktop app, the command line and
//! the tests all drive the same code. Only `app` knows about egui.

pub mod app;
pub mod cli;
pub mod csv_io;
pub mod diagnostics;
pub mod enrich;
pub mod logging;
pub mod naam;
pub mod phone;
pub mod recovery;
pub mod secrets;
pub mod settings;
pub mod table;
