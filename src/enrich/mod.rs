//! Enrichment: from a plan of numbers to names in the table, without paying twice.

pub mod store;
