//! The desktop app: egui only, no I/O on the UI thread.

pub mod fonts;
pub mod table_view;
