//! The job store and the results cache: one SQLite file in the app's data folder.
//!
//! Every chunk of numbers is written down *before* it is sent, and its enrichment id the moment
//! the service answers, so a crash, a closed window or a power cut never loses a paid-for job:
//! the next start polls the chunks that were submitted and never sends them again. Names that
//! arrive go to the cache at once, keyed by number and by the service address they came from;
//! the cache is what fills the table, and what keeps a number from being paid for twice.
//!
//! The store is used from background tasks only. Its calls are short writes, so a `Mutex`
//! around one connection is enough.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension as _, params};

/// The file name of the store inside the data folder.
pub const STORE_FILE_NAME: &str = "naam-enrich.sqlite3";

/// Each entry is one migration; entry `n` takes the schema from version `n` to `n + 1`.
/// Never edit a released migration: add a new one.
const MIGRATIONS: &[&str] = &[
    // Version 1: jobs, their chunks, and the results cache.
    "CREATE TABLE jobs (
         id          INTEGER PRIMARY KEY,
         created_at  INTEGER NOT NULL,
         api_base    TEXT NOT NULL,
         source_path TEXT,
         state       TEXT NOT NULL,
         stop_reason TEXT
     );
     CREATE TABLE chunks (
         id            INTEGER PRIMARY KEY,
         job_id        INTEGER NOT NULL REFERENCES jobs(id),
         state         TEXT NOT NULL,
         numbers       TEXT NOT NULL,
         enrichment_id TEXT,
         created_at    INTEGER NOT NULL,
         updated_at    INTEGER NOT NULL
     );
     CREATE INDEX chunks_by_state ON chunks(state);
     CREATE TABLE cache (
         number     TEXT NOT NULL,
         api_base   TEXT NOT NULL,
         name       TEXT,
         extra      TEXT,
         fetched_at INTEGER NOT NULL,
         PRIMARY KEY (number, api_base)
     );",
];

/// Something went wrong with the store file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened, read or written.
    #[error("The app's job store could not be used ({source}): {}", path.display())]
    Database {
        /// The store file (`:memory:` for an in-memory store).
        path: PathBuf,
        /// What SQLite reported.
        source: rusqlite::Error,
    },
    /// The file was written by a newer version of the app.
    #[error(
        "The app's job store was made by a newer version of Naam Enrich (schema {found}, this \
         version knows {known}); update the app: {}",
        path.display()
    )]
    TooNew {
        /// The store file.
        path: PathBuf,
        /// The schema version in the file.
        found: i64,
        /// The newest schema this build knows.
        known: i64,
    },
}

/// Where a chunk of numbers stands with the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChunkState {
    /// Written down, never sent: safe to send.
    Planned,
    /// A submit is on its way. Found at start-up, it means the app stopped mid-submit.
    Submitting,
    /// The service accepted it and gave an enrichment id: poll it, never send it again.
    Submitted,
    /// Every number in it is accounted for.
    Done,
    /// A submit may or may not have reached the service; it is never sent again on its own.
    OutcomeUnknown,
    /// The job stopped (credits, limit, cancel) before this chunk was sent, or the service
    /// refused it outright.
    NotSent,
    /// Replaced by smaller chunks after the service said it was too big; never accepted.
    Split,
    /// Was `OutcomeUnknown` until the user chose to send its numbers again.
    Superseded,
}

impl ChunkState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Submitting => "submitting",
            Self::Submitted => "submitted",
            Self::Done => "done",
            Self::OutcomeUnknown => "outcome_unknown",
            Self::NotSent => "not_sent",
            Self::Split => "split",
            Self::Superseded => "superseded",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "planned" => Self::Planned,
            "submitting" => Self::Submitting,
            "submitted" => Self::Submitted,
            "done" => Self::Done,
            "outcome_unknown" => Self::OutcomeUnknown,
            "not_sent" => Self::NotSent,
            "split" => Self::Split,
            "superseded" => Self::Superseded,
            _ => return None,
        })
    }
}

/// The row id of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub i64);

/// The row id of a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChunkId(pub i64);

/// A chunk as the store holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkRecord {
    /// Its row id.
    pub id: ChunkId,
    /// The job it belongs to.
    pub job_id: JobId,
    /// Where it stands.
    pub state: ChunkState,
    /// The 10-digit national numbers in it, in the order they were sent.
    pub numbers: Vec<String>,
    /// The service's id for it, once submitted.
    pub enrichment_id: Option<String>,
}

/// A job left unfinished, as offered for resuming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnfinishedJob {
    /// Its row id.
    pub id: JobId,
    /// The service it was sent to.
    pub api_base: String,
    /// The file it was started for, when known.
    pub source_path: Option<PathBuf>,
    /// Seconds since the Unix epoch when it started.
    pub created_at: i64,
    /// Its chunks that were submitted and still need polling.
    pub chunks: Vec<ChunkRecord>,
}

/// What the cache knows about one number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedLookup {
    /// The name, or `None` when the service had no name for the number.
    pub name: Option<String>,
    /// Fields the service sent beside the name, as a JSON object, if any.
    pub extra: Option<String>,
    /// Seconds since the Unix epoch when it was fetched.
    pub fetched_at: i64,
}

/// The job store and results cache.
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Seconds since the Unix epoch, now.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

impl Store {
    /// Opens (or creates) the store at `path` and brings its schema up to date.
    ///
    /// # Errors
    /// When the file cannot be opened or migrated, or was made by a newer version.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(|source| StoreError::Database {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_connection(conn, path.to_path_buf())
    }

    /// Opens the store in `data_dir` under its usual file name.
    ///
    /// # Errors
    /// As [`Store::open`].
    pub fn open_in(data_dir: &Path) -> Result<Self, StoreError> {
        Self::open(&data_dir.join(STORE_FILE_NAME))
    }

    /// A store that lives in memory only, for tests and `--no-cache`.
    ///
    /// # Errors
    /// When SQLite cannot start, which does not happen in practice.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Database {
            path: path.clone(),
            source,
        })?;
        Self::from_connection(conn, path)
    }

    fn from_connection(mut conn: Connection, path: PathBuf) -> Result<Self, StoreError> {
        let wrap = |source| StoreError::Database {
            path: path.clone(),
            source,
        };
        // Another instance of the app may hold the file for a moment; wait rather than fail.
        conn.busy_timeout(Duration::from_secs(5)).map_err(wrap)?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
            .map_err(wrap)?;
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(wrap)?;
        let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
        if found > known {
            return Err(StoreError::TooNew { path, found, known });
        }
        let tx = conn.transaction().map_err(wrap)?;
        for (version, migration) in MIGRATIONS
            .iter()
            .enumerate()
            .skip(usize::try_from(found).unwrap_or(0))
        {
            tx.execute_batch(migration).map_err(wrap)?;
            tx.pragma_update(
                None,
                "user_version",
                i64::try_from(version + 1).unwrap_or(i64::MAX),
            )
            .map_err(wrap)?;
        }
        tx.commit().map_err(wrap)?;
        Ok(Self {
            path,
            conn: Mutex::new(conn),
        })
    }

    /// The file behind the store.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written: every change below
        // is a single statement or a transaction. Carry on with the connection.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wrap(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Database {
            path: self.path.clone(),
            source,
        }
    }

    /// Records a new job and its chunks, all `Planned`, in one transaction.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn create_job(
        &self,
        api_base: &str,
        source_path: Option<&Path>,
        chunks: &[Vec<String>],
    ) -> Result<(JobId, Vec<ChunkId>), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|err| self.wrap(err))?;
        let now = unix_now();
        tx.execute(
            "INSERT INTO jobs (created_at, api_base, source_path, state) VALUES (?1, ?2, ?3, 'running')",
            params![now, api_base, source_path.map(|path| path.to_string_lossy().into_owned())],
        )
        .map_err(|err| self.wrap(err))?;
        let job_id = JobId(tx.last_insert_rowid());
        let mut chunk_ids = Vec::with_capacity(chunks.len());
        for numbers in chunks {
            tx.execute(
                "INSERT INTO chunks (job_id, state, numbers, created_at, updated_at) VALUES (?1, 'planned', ?2, ?3, ?3)",
                params![job_id.0, numbers.join("\n"), now],
            )
            .map_err(|err| self.wrap(err))?;
            chunk_ids.push(ChunkId(tx.last_insert_rowid()));
        }
        tx.commit().map_err(|err| self.wrap(err))?;
        Ok((job_id, chunk_ids))
    }

    /// Adds a `Planned` chunk to a job (used when the service asks for smaller chunks).
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn add_chunk(&self, job_id: JobId, numbers: &[String]) -> Result<ChunkId, StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO chunks (job_id, state, numbers, created_at, updated_at) VALUES (?1, 'planned', ?2, ?3, ?3)",
            params![job_id.0, numbers.join("\n"), unix_now()],
        )
        .map_err(|err| self.wrap(err))?;
        Ok(ChunkId(conn.last_insert_rowid()))
    }

    /// The job a chunk belongs to.
    ///
    /// # Errors
    /// When the store cannot be read or has no such chunk.
    pub fn job_of_chunk(&self, chunk: ChunkId) -> Result<JobId, StoreError> {
        self.conn()
            .query_row(
                "SELECT job_id FROM chunks WHERE id = ?1",
                params![chunk.0],
                |row| Ok(JobId(row.get(0)?)),
            )
            .map_err(|err| self.wrap(err))
    }

    /// Moves a chunk to `state`.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn set_chunk_state(&self, chunk: ChunkId, state: ChunkState) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "UPDATE chunks SET state = ?1, updated_at = ?2 WHERE id = ?3",
                params![state.as_str(), unix_now(), chunk.0],
            )
            .map_err(|err| self.wrap(err))?;
        Ok(())
    }

    /// Records the enrichment id the service gave a chunk; the chunk becomes `Submitted`.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn set_submitted(&self, chunk: ChunkId, enrichment_id: &str) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "UPDATE chunks SET state = 'submitted', enrichment_id = ?1, updated_at = ?2 WHERE id = ?3",
                params![enrichment_id, unix_now(), chunk.0],
            )
            .map_err(|err| self.wrap(err))?;
        Ok(())
    }

    /// Marks every `Planned` chunk of a job `NotSent` and records why the job stopped.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn stop_job(&self, job_id: JobId, reason: &str) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|err| self.wrap(err))?;
        tx.execute(
            "UPDATE chunks SET state = 'not_sent', updated_at = ?1 WHERE job_id = ?2 AND state = 'planned'",
            params![unix_now(), job_id.0],
        )
        .map_err(|err| self.wrap(err))?;
        tx.execute(
            "UPDATE jobs SET state = 'stopped', stop_reason = ?1 WHERE id = ?2",
            params![reason, job_id.0],
        )
        .map_err(|err| self.wrap(err))?;
        tx.commit().map_err(|err| self.wrap(err))
    }

    /// Marks a job finished when none of its chunks needs more polling.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn finish_job_if_settled(&self, job_id: JobId) -> Result<bool, StoreError> {
        let conn = self.conn();
        let open: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM chunks WHERE job_id = ?1 AND state IN ('planned', 'submitting', 'submitted')",
                params![job_id.0],
                |row| row.get(0),
            )
            .map_err(|err| self.wrap(err))?;
        if open > 0 {
            return Ok(false);
        }
        conn.execute(
            "UPDATE jobs SET state = 'finished' WHERE id = ?1 AND state = 'running'",
            params![job_id.0],
        )
        .map_err(|err| self.wrap(err))?;
        Ok(true)
    }

    /// The chunks of a job, in the order they were planned.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn chunks(&self, job_id: JobId) -> Result<Vec<ChunkRecord>, StoreError> {
        let conn = self.conn();
        let mut statement = conn
            .prepare_cached(
                "SELECT id, job_id, state, numbers, enrichment_id FROM chunks WHERE job_id = ?1 ORDER BY id",
            )
            .map_err(|err| self.wrap(err))?;
        let rows = statement
            .query_map(params![job_id.0], chunk_from_row)
            .map_err(|err| self.wrap(err))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|err| self.wrap(err))
    }

    /// Finds jobs left unfinished by a crash or a closed window, and turns any chunk caught
    /// mid-submit into `OutcomeUnknown` (it may have been charged; it is never sent again on its
    /// own). Each job comes with the chunks that still need polling.
    ///
    /// # Errors
    /// When the store cannot be read or written.
    pub fn unfinished_jobs(&self) -> Result<Vec<UnfinishedJob>, StoreError> {
        {
            let conn = self.conn();
            conn.execute(
                "UPDATE chunks SET state = 'outcome_unknown', updated_at = ?1 WHERE state = 'submitting'",
                params![unix_now()],
            )
            .map_err(|err| self.wrap(err))?;
        }
        let jobs: Vec<(JobId, String, Option<String>, i64)> = {
            let conn = self.conn();
            let mut statement = conn
                .prepare_cached(
                    "SELECT DISTINCT j.id, j.api_base, j.source_path, j.created_at FROM jobs j
                     JOIN chunks c ON c.job_id = j.id WHERE c.state = 'submitted' ORDER BY j.id",
                )
                .map_err(|err| self.wrap(err))?;
            let rows = statement
                .query_map([], |row| {
                    Ok((JobId(row.get(0)?), row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .map_err(|err| self.wrap(err))?;
            rows.collect::<Result<_, _>>()
                .map_err(|err| self.wrap(err))?
        };
        let mut unfinished = Vec::with_capacity(jobs.len());
        for (id, api_base, source_path, created_at) in jobs {
            let chunks = self
                .chunks(id)?
                .into_iter()
                .filter(|chunk| chunk.state == ChunkState::Submitted)
                .collect();
            unfinished.push(UnfinishedJob {
                id,
                api_base,
                source_path: source_path.map(PathBuf::from),
                created_at,
                chunks,
            });
        }
        Ok(unfinished)
    }

    /// Numbers from `numbers` that sit in a chunk sent to `api_base` within `max_age` whose
    /// submit may have reached the service (an interrupted send, or a crash mid-submit). They
    /// may already be paid for, so they are not sent again unless the user says so.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn unclear_numbers(
        &self,
        api_base: &str,
        max_age: Duration,
    ) -> Result<HashSet<String>, StoreError> {
        let oldest =
            unix_now().saturating_sub(i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX));
        let conn = self.conn();
        let mut statement = conn
            .prepare_cached(
                "SELECT c.numbers FROM chunks c JOIN jobs j ON j.id = c.job_id
                 WHERE c.state = 'outcome_unknown' AND j.api_base = ?1 AND c.updated_at >= ?2",
            )
            .map_err(|err| self.wrap(err))?;
        let rows = statement
            .query_map(params![api_base, oldest], |row| row.get::<_, String>(0))
            .map_err(|err| self.wrap(err))?;
        let mut unclear = HashSet::new();
        for numbers in rows {
            let numbers = numbers.map_err(|err| self.wrap(err))?;
            unclear.extend(
                numbers
                    .split('\n')
                    .filter(|number| !number.is_empty())
                    .map(str::to_owned),
            );
        }
        Ok(unclear)
    }

    /// Takes `resent` out of every unclear chunk sent to `api_base`, because the user chose to
    /// send them again; a chunk left empty becomes `Superseded`. The other numbers in those
    /// chunks stay protected.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn release_unclear(
        &self,
        api_base: &str,
        resent: &HashSet<String>,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|err| self.wrap(err))?;
        let chunks: Vec<(i64, String)> = {
            let mut statement = tx
                .prepare_cached(
                    "SELECT c.id, c.numbers FROM chunks c JOIN jobs j ON j.id = c.job_id
                     WHERE c.state = 'outcome_unknown' AND j.api_base = ?1",
                )
                .map_err(|err| self.wrap(err))?;
            let rows = statement
                .query_map(params![api_base], |row| Ok((row.get(0)?, row.get(1)?)))
                .map_err(|err| self.wrap(err))?;
            rows.collect::<Result<_, _>>()
                .map_err(|err| self.wrap(err))?
        };
        let now = unix_now();
        for (id, numbers) in chunks {
            let all: Vec<&str> = numbers
                .split('\n')
                .filter(|number| !number.is_empty())
                .collect();
            let kept: Vec<&str> = all
                .iter()
                .copied()
                .filter(|number| !resent.contains(*number))
                .collect();
            if kept.len() == all.len() {
                continue;
            }
            if kept.is_empty() {
                tx.execute(
                    "UPDATE chunks SET state = 'superseded', updated_at = ?1 WHERE id = ?2",
                    params![now, id],
                )
            } else {
                // The chunk's time stays, so what is left still ages out with the cache.
                tx.execute(
                    "UPDATE chunks SET numbers = ?1 WHERE id = ?2",
                    params![kept.join("\n"), id],
                )
            }
            .map_err(|err| self.wrap(err))?;
        }
        tx.commit().map_err(|err| self.wrap(err))
    }

    /// Stores what the service said about `number`: its name, or `None` for no name.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn cache_put(
        &self,
        api_base: &str,
        number: &str,
        name: Option<&str>,
        extra: Option<&str>,
    ) -> Result<(), StoreError> {
        self.cache_put_many(api_base, &[(number, name, extra)])
    }

    /// Stores several results in one transaction.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn cache_put_many(
        &self,
        api_base: &str,
        results: &[(&str, Option<&str>, Option<&str>)],
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|err| self.wrap(err))?;
        {
            let mut statement = tx
                .prepare_cached(
                    "INSERT INTO cache (number, api_base, name, extra, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (number, api_base) DO UPDATE SET
                         name = excluded.name, extra = excluded.extra, fetched_at = excluded.fetched_at",
                )
                .map_err(|err| self.wrap(err))?;
            let now = unix_now();
            for (number, name, extra) in results {
                statement
                    .execute(params![number, api_base, name, extra, now])
                    .map_err(|err| self.wrap(err))?;
            }
        }
        tx.commit().map_err(|err| self.wrap(err))
    }

    /// What the cache knows about `number` from `api_base`, if it is younger than `max_age`.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn cache_get(
        &self,
        api_base: &str,
        number: &str,
        max_age: Duration,
    ) -> Result<Option<CachedLookup>, StoreError> {
        let oldest =
            unix_now().saturating_sub(i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX));
        self.conn()
            .query_row(
                "SELECT name, extra, fetched_at FROM cache WHERE number = ?1 AND api_base = ?2 AND fetched_at >= ?3",
                params![number, api_base, oldest],
                |row| {
                    Ok(CachedLookup {
                        name: row.get(0)?,
                        extra: row.get(1)?,
                        fetched_at: row.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(|err| self.wrap(err))
    }

    /// How many numbers the cache holds.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn cache_len(&self) -> Result<u64, StoreError> {
        let count: i64 = self
            .conn()
            .query_row("SELECT COUNT(*) FROM cache", [], |row| row.get(0))
            .map_err(|err| self.wrap(err))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Forgets every cached name; the next job looks every number up again.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn clear_cache(&self) -> Result<(), StoreError> {
        self.conn()
            .execute("DELETE FROM cache", [])
            .map_err(|err| self.wrap(err))?;
        Ok(())
    }
}

fn chunk_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ChunkRecord> {
    let state_text: String = row.get(2)?;
    let state = ChunkState::parse(&state_text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            2,
            rusqlite::types::Type::Text,
            format!("unknown chunk state {state_text:?}").into(),
        )
    })?;
    let numbers: String = row.get(3)?;
    Ok(ChunkRecord {
        id: ChunkId(row.get(0)?),
        job_id: JobId(row.get(1)?),
        state,
        numbers: numbers
            .split('\n')
            .filter(|number| !number.is_empty())
            .map(str::to_owned)
            .collect(),
        enrichment_id: row.get(4)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = "https://app.naam.ai";

    fn numbers(list: &[&str]) -> Vec<String> {
        list.iter().map(|number| (*number).to_owned()).collect()
    }

    /// A job of two chunks: two numbers, then one.
    fn two_chunk_job(store: &Store) -> (JobId, Vec<ChunkId>) {
        store
            .create_job(
                API,
                None,
                &[
                    numbers(&["9876543210", "9876543211"]),
                    numbers(&["9123456789"]),
                ],
            )
            .unwrap()
    }

    fn states(store: &Store, job: JobId) -> Vec<ChunkState> {
        store
            .chunks(job)
            .unwrap()
            .iter()
            .map(|chunk| chunk.state)
            .collect()
    }

    #[test]
    fn a_new_job_is_planned_and_not_offered_for_resuming() {
        let store = Store::open_in_memory().unwrap();
        let (job, chunks) = two_chunk_job(&store);
        assert_eq!(chunks.len(), 2);
        let records = store.chunks(job).unwrap();
        assert_eq!(records[0].numbers, numbers(&["9876543210", "9876543211"]));
        assert!(
            records
                .iter()
                .all(|chunk| chunk.state == ChunkState::Planned)
        );
        assert!(store.unfinished_jobs().unwrap().is_empty());
    }

    #[test]
    fn submitted_chunks_are_resumed_and_a_chunk_caught_mid_submit_is_never_resent() {
        let store = Store::open_in_memory().unwrap();
        let (job, chunks) = store
            .create_job(
                API,
                Some(Path::new("/tmp/leads.csv")),
                &[
                    numbers(&["9876543210"]),
                    numbers(&["9123456789"]),
                    numbers(&["9000000001"]),
                ],
            )
            .unwrap();
        store
            .set_chunk_state(chunks[0], ChunkState::Submitting)
            .unwrap();
        store.set_submitted(chunks[0], "abc123").unwrap();
        store
            .set_chunk_state(chunks[1], ChunkState::Submitting)
            .unwrap();
        // The app stops here: chunk 1 was on its way, chunk 2 never left.

        let unfinished = store.unfinished_jobs().unwrap();
        assert_eq!(unfinished.len(), 1);
        assert_eq!(
            unfinished[0].source_path.as_deref(),
            Some(Path::new("/tmp/leads.csv"))
        );
        assert_eq!(unfinished[0].chunks.len(), 1);
        assert_eq!(
            unfinished[0].chunks[0].enrichment_id.as_deref(),
            Some("abc123")
        );

        assert_eq!(
            states(&store, job),
            [
                ChunkState::Submitted,
                ChunkState::OutcomeUnknown,
                ChunkState::Planned
            ]
        );
    }

    #[test]
    fn numbers_whose_submit_is_unclear_are_held_until_the_user_releases_them() {
        let store = Store::open_in_memory().unwrap();
        let (job, chunks) = two_chunk_job(&store);
        store
            .set_chunk_state(chunks[0], ChunkState::OutcomeUnknown)
            .unwrap();
        store.set_submitted(chunks[1], "id-2").unwrap();
        let week = Duration::from_hours(24 * 7);
        let unclear = store.unclear_numbers(API, week).unwrap();
        assert_eq!(
            unclear,
            HashSet::from(["9876543210".to_owned(), "9876543211".to_owned()])
        );
        assert!(
            store
                .unclear_numbers("https://other.example", week)
                .unwrap()
                .is_empty()
        );

        store
            .release_unclear(API, &HashSet::from(["9876543211".to_owned()]))
            .unwrap();
        assert_eq!(
            store.unclear_numbers(API, week).unwrap(),
            HashSet::from(["9876543210".to_owned()])
        );
        store
            .release_unclear(API, &HashSet::from(["9876543210".to_owned()]))
            .unwrap();
        assert!(store.unclear_numbers(API, week).unwrap().is_empty());
        assert_eq!(states(&store, job)[0], ChunkState::Superseded);
    }

    #[test]
    fn stopping_a_job_marks_unsent_chunks_and_finishing_needs_every_chunk_settled() {
        let store = Store::open_in_memory().unwrap();
        let (job, chunks) = store
            .create_job(
                API,
                None,
                &[numbers(&["9876543210"]), numbers(&["9123456789"])],
            )
            .unwrap();
        store.set_submitted(chunks[0], "id-1").unwrap();
        store.stop_job(job, "credits exhausted").unwrap();
        assert!(!store.finish_job_if_settled(job).unwrap());
        store.set_chunk_state(chunks[0], ChunkState::Done).unwrap();
        assert!(store.finish_job_if_settled(job).unwrap());
        assert_eq!(states(&store, job), [ChunkState::Done, ChunkState::NotSent]);
    }

    #[test]
    fn the_cache_keeps_names_and_unknowns_per_service_and_respects_age() {
        let store = Store::open_in_memory().unwrap();
        store
            .cache_put(API, "9876543210", Some("Asha Rao"), None)
            .unwrap();
        store
            .cache_put(API, "9123456789", None, Some(r#"{"spam":true}"#))
            .unwrap();
        let day = Duration::from_hours(24);

        let found = store.cache_get(API, "9876543210", day).unwrap().unwrap();
        assert_eq!(found.name.as_deref(), Some("Asha Rao"));
        let unknown = store.cache_get(API, "9123456789", day).unwrap().unwrap();
        assert_eq!(unknown.name, None);
        assert_eq!(unknown.extra.as_deref(), Some(r#"{"spam":true}"#));
        // Another service's answers are not ours.
        assert_eq!(
            store
                .cache_get("http://127.0.0.1:9", "9876543210", day)
                .unwrap(),
            None
        );
        assert_eq!(store.cache_len().unwrap(), 2);

        // Overwriting keeps one entry; clearing forgets everything.
        store
            .cache_put(API, "9876543210", Some("Asha R."), None)
            .unwrap();
        assert_eq!(store.cache_len().unwrap(), 2);
        store.clear_cache().unwrap();
        assert_eq!(store.cache_get(API, "9876543210", day).unwrap(), None);
    }

    #[test]
    fn an_entry_older_than_the_allowed_age_is_not_used() {
        let store = Store::open_in_memory().unwrap();
        store
            .cache_put(API, "9876543210", Some("Asha Rao"), None)
            .unwrap();
        store
            .conn()
            .execute("UPDATE cache SET fetched_at = fetched_at - 100", [])
            .unwrap();
        assert_eq!(
            store
                .cache_get(API, "9876543210", Duration::from_secs(50))
                .unwrap(),
            None
        );
        assert!(
            store
                .cache_get(API, "9876543210", Duration::from_secs(500))
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn the_store_survives_reopening_and_refuses_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open_in(dir.path()).unwrap();
            store
                .cache_put(API, "9876543210", Some("Asha Rao"), None)
                .unwrap();
        }
        let store = Store::open_in(dir.path()).unwrap();
        assert_eq!(store.cache_len().unwrap(), 1);
        store
            .conn()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        drop(store);
        let err = Store::open_in(dir.path()).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
        assert!(err.to_string().contains("newer version"));
    }
}
