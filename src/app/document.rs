//! The open spreadsheet: its table, where it came from, and how it was written.

use std::path::{Path, PathBuf};

use crate::csv_io::Dialect;
use crate::table::Table;

/// The spreadsheet the window shows.
pub struct Document {
    /// The cells and their edit history.
    pub table: Table,
    /// The file it was read from and is saved to.
    pub path: PathBuf,
    /// The dialect the file was read in; a save writes it back the same way.
    pub dialect: Dialect,
}

impl Document {
    /// The file name for the title bar and messages.
    pub fn file_name(&self) -> String {
        display_name(&self.path)
    }
}

/// The last part of a path, or the whole path when it has none.
pub fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}
