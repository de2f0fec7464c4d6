//! Enrichment: from a plan of numbers to names in the table, without paying twice.
//!
//! [`job::Job`] submits numbers in chunks and polls for their names in the background;
//! [`store::Store`] keeps every chunk and every answer on disk so a crash loses nothing and a
//! number is never paid for twice; [`merge`] puts the answers into the table; [`outcome`] says
//! what became of each number in words.

pub mod job;
pub mod merge;
pub mod outcome;
pub mod progress;
pub mod store;
