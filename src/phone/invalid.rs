//! Why a cell cannot be looked up, in words office staff understand.
//!
//! Every cell that is not sent to Naam gets one of these reasons, shown in the plan and written
//! to the `Lookup Status` column as `invalid number: <reason>`.

/// The kind of number that is valid but not a mobile, so Naam cannot name its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    /// A fixed line at an address.
    Landline,
    /// A toll-free, premium, shared-cost, internet or other service number.
    Service,
}

/// The reason a cell holds no usable mobile number.
///
/// `Display` gives a short phrase that completes "invalid number: …"; [`Invalid::code`] gives a
/// stable name for counting and for JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Invalid {
    /// Nothing in the cell (or only spaces and dashes).
    #[error("the cell is empty")]
    Empty,
    /// Letters or symbols that a phone number does not have.
    #[error("not a phone number")]
    NotANumber,
    /// Fewer digits than a mobile number has.
    #[error("too short ({digits} digits; a mobile number has {expected})")]
    TooShort {
        /// How many digits the cell held once prefixes were removed.
        digits: usize,
        /// How many a mobile number has in this country.
        expected: usize,
    },
    /// More digits than a mobile number has.
    #[error("too long ({digits} digits; a mobile number has {expected})")]
    TooLong {
        /// How many digits the cell held once prefixes were removed.
        digits: usize,
        /// How many a mobile number has in this country.
        expected: usize,
    },
    /// A spreadsheet turned the number into `9.87654E+09` and dropped its last digits.
    #[error(
        "some digits were lost when a spreadsheet rounded the number; \
         take it from the original file"
    )]
    RoundedBySpreadsheet,
    /// A valid number, but not a mobile one.
    #[error("{}", match kind {
        LineKind::Landline => "not a mobile number (landline)",
        LineKind::Service => "not a mobile number (toll-free or service number)",
    })]
    NotMobile {
        /// What kind of line it is.
        kind: LineKind,
    },
    /// A filler such as `9999999999`, `0000000000` or `N/A`.
    #[error("a placeholder, not a real number")]
    Placeholder,
    /// A number with another country's calling code.
    #[error("a number from another country (+{calling_code})")]
    OtherCountry {
        /// The other country's calling code, such as 44.
        calling_code: u16,
    },
}

impl Invalid {
    /// A stable short name for the reason, used as a key when counting and in JSON output.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::NotANumber => "not_a_number",
            Self::TooShort { .. } => "too_short",
            Self::TooLong { .. } => "too_long",
            Self::RoundedBySpreadsheet => "rounded_by_spreadsheet",
            Self::NotMobile {
                kind: LineKind::Landline,
            } => "landline",
            Self::NotMobile {
                kind: LineKind::Service,
            } => "service_number",
            Self::Placeholder => "placeholder",
            Self::OtherCountry { .. } => "other_country",
        }
    }
}

/// Short labels for each reason code, for summaries that count reasons.
const LABELS: &[(&str, &str)] = &[
    ("empty", "empty"),
    ("not_a_number", "not a phone number"),
    ("too_short", "too short"),
    ("too_long", "too long"),
    (
        "rounded_by_spreadsheet",
        "digits lost to spreadsheet rounding",
    ),
    ("landline", "landline"),
    ("service_number", "toll-free or service number"),
    ("placeholder", "placeholder"),
    ("other_country", "another country's number"),
];

impl Invalid {
    /// A short label for a reason code from [`Invalid::code`], such as "too short", for
    /// summaries that count cells by reason. Unknown codes are returned as they are.
    #[must_use]
    pub fn label_of_code(code: &str) -> &str {
        LABELS
            .iter()
            .find(|(known, _)| *known == code)
            .map_or(code, |(_, label)| label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_words_and_a_code() {
        let cases = [
            (Invalid::Empty, "empty", "the cell is empty"),
            (Invalid::NotANumber, "not_a_number", "not a phone number"),
            (
                Invalid::TooShort {
                    digits: 7,
                    expected: 10,
                },
                "too_short",
                "too short (7 digits; a mobile number has 10)",
            ),
            (
                Invalid::TooLong {
                    digits: 11,
                    expected: 10,
                },
                "too_long",
                "too long (11 digits; a mobile number has 10)",
            ),
            (
                Invalid::RoundedBySpreadsheet,
                "rounded_by_spreadsheet",
                "some digits were lost when a spreadsheet rounded the number; \
                 take it from the original file",
            ),
            (
                Invalid::NotMobile {
                    kind: LineKind::Landline,
                },
                "landline",
                "not a mobile number (landline)",
            ),
            (
                Invalid::NotMobile {
                    kind: LineKind::Service,
                },
                "service_number",
                "not a mobile number (toll-free or service number)",
            ),
            (
                Invalid::Placeholder,
                "placeholder",
                "a placeholder, not a real number",
            ),
            (
                Invalid::OtherCountry { calling_code: 44 },
                "other_country",
                "a number from another country (+44)",
            ),
        ];
        for (reason, code, words) in cases {
            assert_eq!(reason.code(), code);
            assert_eq!(reason.to_string(), words);
            assert!(
                LABELS.iter().any(|(known, _)| *known == code),
                "{code} has no label"
            );
        }
        assert_eq!(LABELS.len(), cases.len());
        assert_eq!(Invalid::label_of_code("too_short"), "too short");
        assert_eq!(Invalid::label_of_code("mystery"), "mystery");
    }
}
