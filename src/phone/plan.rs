//! The plan for a job: what each row's cell is, and exactly which numbers would be paid for.
//!
//! The plan is what staff see before anything is sent, and what `naam-enrich enrich
//! --dry-run` prints: rows, valid numbers, repeats, unusable cells by reason, numbers already
//! known from the local cache, and the numbers (and so credits) the job would send. Building it
//! needs no token and no network.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::{Serialize, Serializer};

use super::clean::clean;
use super::invalid::Invalid;
use super::number::Number;
use super::region::Region;

/// What one column of cells would cost to look up, row by row.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The header of the phone column, for the summary.
    column: String,
    /// One entry per row: the cleaned number or the reason the cell cannot be used.
    rows: Vec<Result<Number, Invalid>>,
    /// Each valid number once, in the order first seen.
    unique: Vec<Number>,
    /// Rows with a valid number, repeats included.
    valid: usize,
    /// Rows whose number already appeared in an earlier row.
    duplicates: usize,
    /// Unusable rows counted by reason code.
    invalid: BTreeMap<&'static str, usize>,
    /// How many unique numbers the cache already knows.
    cached: usize,
    /// The unique numbers still to send, in the order first seen.
    to_submit: Vec<Number>,
}

/// The plan in numbers: what the dry run prints, and (as JSON) exactly the keys `rows`,
/// `column`, `valid`, `invalid`, `duplicates`, `cached` and `to_submit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanSummary {
    /// Rows in the file.
    pub rows: usize,
    /// The header of the phone column.
    pub column: String,
    /// Rows with a valid mobile number, repeats included.
    pub valid: usize,
    /// Unusable rows by reason code (see [`Invalid::code`]).
    pub invalid: BTreeMap<&'static str, usize>,
    /// Rows whose number already appeared in an earlier row (not sent again).
    pub duplicates: usize,
    /// Unique numbers already known from the local cache (not sent again).
    pub cached: usize,
    /// How many numbers would be sent: one credit each.
    pub to_submit: usize,
}

impl Plan {
    /// Cleans every cell of a column, one per row, as numbers of `region`.
    pub fn from_cells<I, S>(cells: I, region: Region) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells = cells.into_iter();
        let mut rows = Vec::with_capacity(cells.size_hint().0);
        let mut seen = HashSet::new();
        let mut unique = Vec::new();
        let mut valid = 0;
        let mut duplicates = 0;
        let mut invalid = BTreeMap::new();
        for cell in cells {
            let outcome = clean(cell.as_ref(), region);
            match &outcome {
                Ok(number) => {
                    valid += 1;
                    if seen.insert(number.identity()) {
                        unique.push(number.identity());
                    } else {
                        duplicates += 1;
                    }
                }
                Err(reason) => *invalid.entry(reason.code()).or_insert(0) += 1,
            }
            rows.push(outcome);
        }
        Self {
            column: String::new(),
            rows,
            to_submit: unique.clone(),
            unique,
            valid,
            duplicates,
            invalid,
            cached: 0,
        }
    }

    /// Names the phone column, for the summary.
    #[must_use]
    pub fn with_column(mut self, header: impl Into<String>) -> Self {
        self.column = header.into();
        self
    }

    /// Leaves out the numbers a local cache already knows, so they are not paid for again.
    ///
    /// `is_cached` is asked about each unique valid number by its national form (what is sent
    /// to Naam). Calling this again starts over from all unique numbers.
    pub fn exclude_cached(&mut self, mut is_cached: impl FnMut(&str) -> bool) {
        self.to_submit = self
            .unique
            .iter()
            .filter(|number| !is_cached(number.national()))
            .copied()
            .collect();
        self.cached = self.unique.len() - self.to_submit.len();
    }

    /// The header of the phone column (empty until [`Plan::with_column`] names it).
    #[must_use]
    pub fn column(&self) -> &str {
        &self.column
    }

    /// One entry per row: the cleaned number or the reason the cell cannot be used.
    pub fn rows(&self) -> &[Result<Number, Invalid>] {
        &self.rows
    }

    /// How many rows the column has.
    #[must_use]
    pub fn num_rows(&self) -> usize {
        self.rows.len()
    }

    /// Rows with a valid number, repeats included.
    #[must_use]
    pub fn num_valid(&self) -> usize {
        self.valid
    }

    /// Rows whose number already appeared in an earlier row.
    #[must_use]
    pub fn num_duplicates(&self) -> usize {
        self.duplicates
    }

    /// Rows that cannot be used.
    #[must_use]
    pub fn num_invalid(&self) -> usize {
        self.rows.len() - self.valid
    }

    /// Unusable rows counted by reason code (see [`Invalid::code`]).
    #[must_use]
    pub fn invalid_by_reason(&self) -> &BTreeMap<&'static str, usize> {
        &self.invalid
    }

    /// Each valid number once, in the order first seen.
    #[must_use]
    pub fn unique(&self) -> &[Number] {
        &self.unique
    }

    /// How many unique numbers the cache already knows.
    #[must_use]
    pub fn num_cached(&self) -> usize {
        self.cached
    }

    /// The numbers to send, in the order first seen: one credit each.
    #[must_use]
    pub fn to_submit(&self) -> &[Number] {
        &self.to_submit
    }

    /// The plan in numbers.
    #[must_use]
    pub fn summary(&self) -> PlanSummary {
        PlanSummary {
            rows: self.rows.len(),
            column: self.column.clone(),
            valid: self.valid,
            invalid: self.invalid.clone(),
            duplicates: self.duplicates,
            cached: self.cached,
            to_submit: self.to_submit.len(),
        }
    }
}

impl Serialize for Plan {
    /// A plan serializes as its [`PlanSummary`], the object `--dry-run --json` prints.
    fn serialize<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        self.summary().serialize(serializer)
    }
}

impl fmt::Display for PlanSummary {
    /// The plan in one paragraph of plain words, for the command line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |count: usize, one: &str, many: &str| {
            format!("{count} {}", if count == 1 { one } else { many })
        };
        write!(
            f,
            "{} in column “{}”: {}",
            plural(self.rows, "row", "rows"),
            self.column,
            plural(self.valid, "valid mobile number", "valid mobile numbers"),
        )?;
        if self.duplicates > 0 {
            write!(f, " ({} repeated)", self.duplicates)?;
        }
        let invalid: usize = self.invalid.values().sum();
        if invalid > 0 {
            let reasons: Vec<String> = self
                .invalid
                .iter()
                .map(|(code, count)| format!("{count} {}", Invalid::label_of_code(code)))
                .collect();
            write!(
                f,
                ", {} ({})",
                plural(
                    invalid,
                    "cell that cannot be used",
                    "cells that cannot be used"
                ),
                reasons.join(", ")
            )?;
        }
        if self.cached > 0 {
            write!(f, ", {} already known", self.cached)?;
        }
        write!(
            f,
            ". {} to look up ({}).",
            plural(self.to_submit, "number", "numbers"),
            plural(self.to_submit, "credit", "credits")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(cells: &[&str]) -> Plan {
        Plan::from_cells(cells, Region::INDIA).with_column("Mobile")
    }

    #[test]
    fn one_entry_per_row_with_the_number_or_the_reason() {
        let plan = plan(&["9876543210", "", "Ravi", "+91 97654 32109"]);
        assert_eq!(plan.num_rows(), 4);
        let nationals: Vec<Result<&str, &str>> = plan
            .rows()
            .iter()
            .map(|row| row.as_ref().map(Number::national).map_err(Invalid::code))
            .collect();
        assert_eq!(
            nationals,
            [
                Ok("9876543210"),
                Err("empty"),
                Err("not_a_number"),
                Ok("9765432109")
            ]
        );
        assert_eq!(plan.column(), "Mobile");
    }

    #[test]
    fn counts_duplicates_and_keeps_first_seen_order() {
        let plan = plan(&[
            "9765432109",
            "9876543210",
            "+91 97654 32109",
            "9876543210 / 9654321098",
            "098765 43210",
        ]);
        assert_eq!(plan.num_valid(), 5);
        assert_eq!(plan.num_duplicates(), 3);
        let unique: Vec<&str> = plan.unique().iter().map(Number::national).collect();
        assert_eq!(unique, ["9765432109", "9876543210"]);
        assert_eq!(plan.to_submit().len(), 2);
        assert_eq!(plan.num_invalid(), 0);
    }

    #[test]
    fn counts_invalid_rows_by_reason() {
        let plan = plan(&["", "", "9.87654E+09", "08023456789", "12345", "9999999999"]);
        let expected: BTreeMap<&str, usize> = [
            ("empty", 2),
            ("rounded_by_spreadsheet", 1),
            ("landline", 1),
            ("too_short", 1),
            ("placeholder", 1),
        ]
        .into_iter()
        .collect();
        assert_eq!(plan.invalid_by_reason(), &expected);
        assert_eq!(plan.num_invalid(), 6);
        assert!(plan.to_submit().is_empty());
    }

    #[test]
    fn excluding_cached_numbers_is_repeatable() {
        let mut plan = plan(&["9876543210", "9765432109", "9654321098", "9876543210"]);
        plan.exclude_cached(|national| national == "9765432109");
        assert_eq!(plan.num_cached(), 1);
        let to_submit: Vec<&str> = plan.to_submit().iter().map(Number::national).collect();
        assert_eq!(to_submit, ["9876543210", "9654321098"]);
        plan.exclude_cached(|national| national.starts_with("98"));
        assert_eq!(plan.num_cached(), 1);
        assert_eq!(plan.to_submit().len(), 2);
        plan.exclude_cached(|_| false);
        assert_eq!(plan.num_cached(), 0);
        assert_eq!(plan.to_submit().len(), 3);
    }

    #[test]
    fn json_has_exactly_the_documented_keys() {
        let mut plan = plan(&["9876543210", "9876543210", "", "Ravi", "9765432109"]);
        plan.exclude_cached(|national| national == "9765432109");
        let json = serde_json::to_value(&plan).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "rows": 5,
                "column": "Mobile",
                "valid": 3,
                "invalid": {"empty": 1, "not_a_number": 1},
                "duplicates": 1,
                "cached": 1,
                "to_submit": 1,
            })
        );
    }

    #[test]
    fn summary_reads_as_plain_words() {
        let mut plan = plan(&["9876543210", "9876543210", "", "Ravi", "9765432109"]);
        plan.exclude_cached(|national| national == "9765432109");
        assert_eq!(
            plan.summary().to_string(),
            "5 rows in column “Mobile”: 3 valid mobile numbers (1 repeated), 2 cells that \
             cannot be used (1 empty, 1 not a phone number), 1 already known. \
             1 number to look up (1 credit)."
        );
        let empty = Plan::from_cells(Vec::<String>::new(), Region::INDIA).with_column("Phone");
        assert_eq!(
            empty.summary().to_string(),
            "0 rows in column “Phone”: 0 valid mobile numbers. 0 numbers to look up (0 credits)."
        );
    }
}
