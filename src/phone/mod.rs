//! Phone numbers: cleaning cells, explaining the bad ones, finding the column, planning a job.
//!
//! Every number sent to Naam costs a credit, so this module turns a column of messy cells into
//! exactly the numbers worth paying for: [`clean`] reads one cell as a mobile number of a
//! [`Region`] or gives the [`Invalid`] reason it cannot be used; [`detect_column`] finds the
//! column that holds the numbers; [`Plan`] counts what a job would send; [`mask`] hides numbers
//! in logs.

mod clean;
mod column;
mod india;
mod invalid;
mod number;
mod plan;
mod region;
mod table;

pub use clean::clean;
pub use column::{
    ColumnGuess, ColumnSpecError, Confidence, NoPhoneColumn, detect_column, resolve_column,
};
pub use invalid::{Invalid, LineKind};
pub use number::Number;
pub use plan::{Plan, PlanSummary};
pub use region::{Region, RegionError};
pub use table::{detect_in_table, resolve_in_table};

/// Hides the middle digits of a phone number for logs: `9876543210` becomes `98******10`.
///
/// The first two and last two digits stay, so a person can still tell two logged numbers
/// apart; everything else that is a digit becomes `*`. Numbers of four digits or fewer are
/// hidden entirely. Characters that are not digits are kept as they are.
#[must_use]
pub fn mask(number: &str) -> String {
    let total = number.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    number
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            let shown = total > 4 && (seen <= 2 || seen > total - 2);
            if shown { c } else { '*' }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_the_ends() {
        assert_eq!(mask("9876543210"), "98******10");
        assert_eq!(mask("+919876543210"), "+91********10");
        assert_eq!(mask("98765 43210"), "98*** ***10");
        assert_eq!(mask("12345"), "12*45");
        assert_eq!(mask("1234"), "****");
        assert_eq!(mask(""), "");
        assert_eq!(mask("n/a"), "n/a");
    }
}
