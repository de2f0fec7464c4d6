//! The recovery journal's file format: JSON lines, a header and then one action a line.
//!
//! ```text
//! {"format":1,"document":{"path":…,"dialect":…},"base":{"path":…,"dialect":…,"fingerprint":…}}
//! {"seq":1,"action":{"Edits":[{"SetCell":{"row":0,"column":2,"value":"Asha"}}]}}
//! {"seq":2,"action":"Undo"}
//! ```
//!
//! Lines are only ever added at the end, so a crash can at worst cut the last one short; a
//! line that does not parse ends the journal, and everything before it still replays.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::recovery::{Base, DocumentInfo, RecoveryError};
use crate::table::{Action, Recorded};

/// The file name ending of journals.
pub const EXTENSION: &str = "journal";

/// The ending of the lock file a running app holds beside its journal.
pub const LOCK_EXTENSION: &str = "lock";

/// The version of the format written now.
const FORMAT: u32 = 1;

/// The first line of a journal.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Header {
    /// The format version.
    pub format: u32,
    /// Where the document is saved to.
    pub document: DocumentInfo,
    /// The file the edits start from.
    pub base: Base,
}

impl Header {
    /// A header in the current format.
    pub fn new(document: DocumentInfo, base: Base) -> Self {
        Self {
            format: FORMAT,
            document,
            base,
        }
    }

    /// The header as a line of the journal, with its line feed.
    pub fn to_line(&self) -> String {
        to_line(self)
    }
}

/// One action as a line of the journal.
#[derive(serde::Serialize, serde::Deserialize)]
struct ActionLine {
    seq: u64,
    action: Action,
}

/// A recorded action as a line of the journal, with its line feed.
pub fn action_line(recorded: &Recorded) -> String {
    to_line(&ActionLine {
        seq: recorded.seq,
        action: recorded.action.clone(),
    })
}

fn to_line(value: &impl serde::Serialize) -> String {
    // Our own plain structs and enums with string keys always serialize.
    let mut line = serde_json::to_string(value).unwrap_or_default();
    line.push('\n');
    line
}

/// A journal left behind by an earlier run.
#[derive(Clone, Debug)]
pub struct Found {
    /// The journal file.
    pub journal_path: PathBuf,
    /// Its first line.
    pub header: Header,
    /// How many edits, undos and redos it holds.
    pub num_actions: usize,
    /// When it was last written.
    pub written_at: SystemTime,
}

impl Found {
    /// Reads the journal at `path`. `None` when a running app is still writing it, when it
    /// holds no edits, or when it was written by a newer version.
    ///
    /// # Errors
    /// When the file cannot be read.
    pub fn read(path: &Path) -> Result<Option<Self>, RecoveryError> {
        if is_in_use(path) {
            return Ok(None);
        }
        let failed = |source| RecoveryError::Io {
            path: path.to_owned(),
            source,
        };
        let text = std::fs::read_to_string(path).map_err(failed)?;
        let written_at = std::fs::metadata(path)
            .and_then(|metadata| metadata.modified())
            .map_err(failed)?;
        let mut lines = text.lines();
        let Some(header) = lines
            .next()
            .and_then(|line| serde_json::from_str::<Header>(line).ok())
            .filter(|header| header.format == FORMAT)
        else {
            return Ok(None);
        };
        let num_actions = parse_actions(lines).count();
        Ok((num_actions > 0).then(|| Self {
            journal_path: path.to_owned(),
            header,
            num_actions,
            written_at,
        }))
    }

    /// The journal's actions, oldest first, up to the first line that does not parse.
    ///
    /// # Errors
    /// When the file cannot be read.
    pub fn read_actions(&self) -> Result<Vec<Action>, RecoveryError> {
        let text =
            std::fs::read_to_string(&self.journal_path).map_err(|source| RecoveryError::Io {
                path: self.journal_path.clone(),
                source,
            })?;
        Ok(parse_actions(text.lines().skip(1)).collect())
    }
}

fn parse_actions<'a>(lines: impl Iterator<Item = &'a str>) -> impl Iterator<Item = Action> {
    lines
        .map_while(|line| serde_json::from_str::<ActionLine>(line).ok())
        .map(|line| line.action)
}

/// The lock file beside a journal.
pub fn lock_path(journal_path: &Path) -> PathBuf {
    journal_path.with_extension(LOCK_EXTENSION)
}

/// Whether a running app holds the journal's lock.
fn is_in_use(journal_path: &Path) -> bool {
    let Ok(file) = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock_path(journal_path))
    else {
        return false;
    };
    // The lock is let go when `file` is dropped at the end of this function.
    matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_io::Dialect;
    use crate::recovery::Fingerprint;
    use crate::table::Edit;

    fn header() -> Header {
        let dialect = Dialect::default();
        Header::new(
            DocumentInfo {
                path: "leads.csv".into(),
                dialect,
            },
            Base {
                path: "leads.csv".into(),
                dialect,
                fingerprint: Fingerprint {
                    len: 10,
                    modified_ns: 7,
                },
            },
        )
    }

    fn set(value: &str, seq: u64) -> Recorded {
        Recorded {
            seq,
            step_id: seq,
            action: Action::Edits(vec![Edit::SetCell {
                row: 0,
                column: 0,
                value: value.into(),
            }]),
        }
    }

    #[test]
    fn a_journal_reads_back_and_a_line_cut_short_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.journal");
        let mut text = header().to_line();
        text.push_str(&action_line(&set("Asha, \"Ravi\"\nनाम", 1)));
        text.push_str(&action_line(&Recorded {
            seq: 2,
            step_id: 1,
            action: Action::Undo,
        }));
        text.push_str(r#"{"seq":3,"action":{"Edi"#);
        std::fs::write(&path, text).unwrap();

        let found = Found::read(&path).unwrap().unwrap();
        assert_eq!(found.header, header());
        assert_eq!(found.num_actions, 2);
        let actions = found.read_actions().unwrap();
        assert_eq!(actions[0], set("Asha, \"Ravi\"\nनाम", 1).action);
        assert_eq!(actions[1], Action::Undo);
    }

    #[test]
    fn a_journal_without_edits_or_from_a_newer_version_is_not_offered() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.journal");
        std::fs::write(&empty, header().to_line()).unwrap();
        assert!(Found::read(&empty).unwrap().is_none());

        let newer = dir.path().join("newer.journal");
        let line = header().to_line().replace("\"format\":1", "\"format\":2");
        std::fs::write(&newer, line + &action_line(&set("A", 1))).unwrap();
        assert!(Found::read(&newer).unwrap().is_none());
    }

    #[test]
    fn a_journal_whose_lock_is_held_is_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.journal");
        std::fs::write(&path, header().to_line() + &action_line(&set("A", 1))).unwrap();
        let lock = File::create(lock_path(&path)).unwrap();
        lock.lock().unwrap();
        assert!(Found::read(&path).unwrap().is_none());
        drop(lock);
        assert!(Found::read(&path).unwrap().is_some());
    }
}
