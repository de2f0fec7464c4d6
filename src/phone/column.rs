//! Finding the column that holds the mobile numbers, and reading the user's choice of column.
//!
//! Staff should not have to say which column holds the numbers: each column is scored by its
//! header (`Mobile No.`, `phone_number`, `Contact #`, `मोबाइल`) and by how many of its first
//! cells clean to valid numbers, and the best one is pre-selected with a word on how sure the
//! pick is. The user can always override it by header name or position.

use super::clean::clean;
use super::invalid::Invalid;
use super::region::Region;

/// How many non-empty cells of each column are cleaned to judge it.
pub const SAMPLE_SIZE: usize = 200;

/// How many cells of a column are looked at, empty ones included, before judging it on what
/// was found: a column that is mostly empty is not read to the end of a big file.
const MAX_SCANNED: usize = 5 * SAMPLE_SIZE;

/// How sure the detector is about the column it picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// Worth a second look: the header or the cells only partly fit.
    Low,
    /// Probably right.
    Medium,
    /// Header and cells both say mobile numbers.
    High,
}

impl Confidence {
    /// The confidence in words, for the screen.
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            Self::High => "sure",
            Self::Medium => "fairly sure; please check",
            Self::Low => "unsure; please check it is the right column",
        }
    }
}

/// The column the detector picked, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnGuess {
    /// Zero-based position of the column.
    pub index: usize,
    /// The column's header as the file has it.
    pub header: String,
    /// How sure the pick is.
    pub confidence: Confidence,
    /// How many non-empty cells were cleaned to judge the column.
    pub sampled: usize,
    /// How many of those were valid mobile numbers.
    pub valid: usize,
    /// Whether the header reads like a phone column.
    pub header_matches: bool,
}

impl ColumnGuess {
    /// A sentence saying which column was picked and why, for the screen and the command line.
    #[must_use]
    pub fn explain(&self) -> String {
        let header = if self.header.trim().is_empty() {
            "(no name)"
        } else {
            self.header.as_str()
        };
        let cells = if self.sampled == 0 {
            "it has no cells filled in yet".to_owned()
        } else {
            format!(
                "{} of the first {} filled cells are mobile numbers",
                self.valid, self.sampled
            )
        };
        format!(
            "Using column {} “{}” for the phone numbers ({}): {}.",
            self.index + 1,
            header,
            self.confidence.describe(),
            cells
        )
    }
}

/// No column looks like it holds phone numbers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "None of the {columns} columns in this file looks like it holds mobile numbers. \
     Choose the column with the numbers yourself."
)]
pub struct NoPhoneColumn {
    /// How many columns were looked at.
    pub columns: usize,
}

/// Why the user's choice of column could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColumnSpecError {
    /// Nothing was given.
    #[error("No column was given. Give the column's name or its position, counting from 1.")]
    Empty,
    /// A position past the last column, or 0.
    #[error("There is no column {position}: the file has {columns} columns, counted from 1.")]
    OutOfRange {
        /// The position given.
        position: usize,
        /// How many columns the file has.
        columns: usize,
    },
    /// No header has that name.
    #[error("No column is called “{name}”. The columns are: {available}.")]
    NotFound {
        /// The name given.
        name: String,
        /// The file's headers, listed for the user.
        available: String,
    },
    /// More than one header has that name.
    #[error(
        "More than one column is called “{name}” (columns {positions}). \
         Give the position of the one you mean instead."
    )]
    Ambiguous {
        /// The name given.
        name: String,
        /// The 1-based positions of the columns with that name, listed for the user.
        positions: String,
    },
}

/// Finds the column most likely to hold mobile numbers.
///
/// `headers` are the column names; `column_cells(index)` gives the cells of a column from the
/// top (only the first [`SAMPLE_SIZE`] non-empty ones are read, so it may be lazy).
///
/// # Errors
///
/// Returns [`NoPhoneColumn`] when no column has a phone-like header or enough valid numbers.
pub fn detect_column<H, F, I, S>(
    headers: &[H],
    mut column_cells: F,
    region: Region,
) -> Result<ColumnGuess, NoPhoneColumn>
where
    H: AsRef<str>,
    F: FnMut(usize) -> I,
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut scored: Vec<(f64, ColumnGuess, Stats)> = Vec::with_capacity(headers.len());
    for (index, header) in headers.iter().enumerate() {
        let header = header.as_ref();
        let header_points = header_points(header);
        let stats = Stats::of(column_cells(index), region);
        let plausible = stats.phone_share() >= 0.2 || header_points >= 2;
        if !plausible {
            continue;
        }
        let score = stats.evidence() + 0.1 * f64::from(header_points);
        let guess = ColumnGuess {
            index,
            header: header.to_owned(),
            confidence: Confidence::Low,
            sampled: stats.sampled,
            valid: stats.valid,
            header_matches: header_points >= 2,
        };
        scored.push((score, guess, stats));
    }
    // The highest score wins; on a tie the leftmost column does.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.index.cmp(&b.1.index)));
    let mut ranked = scored.into_iter();
    let Some((best_score, mut guess, stats)) = ranked.next() else {
        return Err(NoPhoneColumn {
            columns: headers.len(),
        });
    };
    let close_runner_up = ranked
        .next()
        .is_some_and(|(score, _, _)| best_score - score < 0.15);
    guess.confidence = confidence(&stats, guess.header_matches, close_runner_up);
    Ok(guess)
}

/// Turns the user's choice of column — a header name (any case) or a 1-based position — into
/// a zero-based index.
///
/// A header that is itself a number (`2024`) is matched by name before positions are tried.
///
/// # Errors
///
/// Returns a [`ColumnSpecError`] when the choice is empty, names no column or more than one,
/// or is a position outside the file.
pub fn resolve_column<H: AsRef<str>>(spec: &str, headers: &[H]) -> Result<usize, ColumnSpecError> {
    let wanted = spec.trim();
    if wanted.is_empty() {
        return Err(ColumnSpecError::Empty);
    }
    let matches: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, header)| header.as_ref().trim().to_lowercase() == wanted.to_lowercase())
        .map(|(index, _)| index)
        .collect();
    match matches.as_slice() {
        [index] => return Ok(*index),
        [] => {}
        several => {
            return Err(ColumnSpecError::Ambiguous {
                name: wanted.to_owned(),
                positions: list_positions(several),
            });
        }
    }
    if wanted.bytes().all(|byte| byte.is_ascii_digit()) {
        let position = wanted.parse::<usize>().unwrap_or(usize::MAX);
        return if (1..=headers.len()).contains(&position) {
            Ok(position - 1)
        } else {
            Err(ColumnSpecError::OutOfRange {
                position,
                columns: headers.len(),
            })
        };
    }
    Err(ColumnSpecError::NotFound {
        name: wanted.to_owned(),
        available: list_headers(headers),
    })
}

/// "2 and 5" or "2, 5 and 7".
fn list_positions(indices: &[usize]) -> String {
    let positions: Vec<String> = indices
        .iter()
        .map(|index| (index + 1).to_string())
        .collect();
    match positions.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => positions.concat(),
    }
}

/// The headers for an error message, shortened when there are many.
fn list_headers<H: AsRef<str>>(headers: &[H]) -> String {
    const SHOWN: usize = 20;
    let mut listed: Vec<&str> = headers.iter().take(SHOWN).map(AsRef::as_ref).collect();
    if listed.is_empty() {
        return "(none)".to_owned();
    }
    let more = headers.len().saturating_sub(SHOWN);
    let more_text = format!("and {more} more");
    if more > 0 {
        listed.push(&more_text);
    }
    listed.join(", ")
}

/// What the sample of a column's cells showed.
#[derive(Debug, Default)]
struct Stats {
    /// Cells looked at, empty ones included.
    scanned: usize,
    /// Non-empty cells cleaned.
    sampled: usize,
    /// Cells that were valid mobile numbers.
    valid: usize,
    /// Valid cells plus cells that are clearly phone numbers but unusable: landlines, rounded
    /// by a spreadsheet, another country's. Short or long digit runs are not counted: pin codes
    /// and account numbers are like that too.
    phone_like: usize,
}

impl Stats {
    /// Cleans the first [`SAMPLE_SIZE`] non-empty cells.
    fn of<I, S>(cells: I, region: Region) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut stats = Self::default();
        for cell in cells {
            if stats.scanned == MAX_SCANNED {
                break;
            }
            stats.scanned += 1;
            match clean(cell.as_ref(), region) {
                Err(Invalid::Empty) => continue,
                Ok(_) => {
                    stats.valid += 1;
                    stats.phone_like += 1;
                }
                Err(
                    Invalid::NotMobile { .. }
                    | Invalid::RoundedBySpreadsheet
                    | Invalid::OtherCountry { .. },
                ) => stats.phone_like += 1,
                Err(_) => {}
            }
            stats.sampled += 1;
            if stats.sampled == SAMPLE_SIZE {
                break;
            }
        }
        stats
    }

    /// The share of sampled cells that are valid, 0 when nothing was sampled.
    fn valid_share(&self) -> f64 {
        share(self.valid, self.sampled)
    }

    /// How strongly the cells say "phone numbers", from 0 to nearly 1: valid numbers count
    /// fully and unusable phone numbers half, over every cell looked at (so a column that is
    /// mostly empty counts for less) plus two, so that one lucky cell is not a certainty.
    fn evidence(&self) -> f64 {
        let unusable_phones = self.phone_like - self.valid;
        (self.valid as f64 + 0.5 * unusable_phones as f64) / (self.scanned as f64 + 2.0)
    }

    /// The share of sampled cells that look like phone numbers.
    fn phone_share(&self) -> f64 {
        share(self.phone_like, self.sampled)
    }
}

/// `part / whole`, or 0 for an empty whole.
fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// How sure we are of the best column.
fn confidence(stats: &Stats, header_matches: bool, close_runner_up: bool) -> Confidence {
    let valid = stats.valid_share();
    let level = if valid >= 0.8 && (header_matches || stats.sampled >= 20) {
        Confidence::High
    } else if valid >= 0.5 || (header_matches && valid >= 0.3) {
        Confidence::Medium
    } else {
        Confidence::Low
    };
    if close_runner_up {
        level.min(Confidence::Medium)
    } else {
        level
    }
}

/// Words that make a "number" column some other number: an order, an account, a pin code.
const OTHER_NUMBER_WORDS: &[&str] = &[
    "id",
    "pin",
    "pincode",
    "zip",
    "code",
    "amount",
    "invoice",
    "order",
    "account",
    "acct",
    "date",
    "aadhaar",
    "aadhar",
    "pan",
    "gst",
    "gstin",
    "serial",
    "sr",
    "roll",
    "policy",
    "employee",
    "emp",
    "ref",
    "reference",
    "bill",
    "loan",
];

/// Points for a header: 3 for a mobile word, 2 for a phone word, 1 for a word such as
/// `contact` or `number` that often goes with one, 0 for anything else.
fn header_points(header: &str) -> u8 {
    // Devanagari: मोबाइल / मोबाईल (mobile), फ़ोन / फोन (phone), with the nukta composed or not.
    if header.contains("मोबाइल") || header.contains("मोबाईल") {
        return 3;
    }
    if header.contains("फोन") || header.contains("फ़ोन") || header.contains("\u{95e}ोन")
    {
        return 2;
    }
    let words = words(header);
    let has = |wanted: &[&str]| words.iter().any(|word| wanted.contains(&word.as_str()));
    // Joined forms such as `WhatsApp`, `cellphone` or `PhoneNumber` hold the word inside.
    let lower = header.to_lowercase();
    let has_part = |part: &str| lower.contains(part);
    if has(&["fax", "landline", "email", "mail", "name", "address"]) {
        return 0;
    }
    let mut points: u8 =
        if has_part("mobile") || has_part("whatsapp") || has(&["mob", "cell", "msisdn"]) {
            3
        } else if has_part("phone") || has(&["tel", "ph", "telephone", "contactno"]) {
            2
        } else {
            let is_contact = has(&["contact", "contacts"]);
            let is_number = has(&["number", "no", "num", "nr", "#"]) && !has(OTHER_NUMBER_WORDS);
            u8::from(is_contact || is_number)
        };
    // A second or office number is less likely to be the one wanted.
    if points > 1
        && (has(&[
            "alt",
            "alternate",
            "other",
            "secondary",
            "office",
            "work",
            "2",
        ]) || header.trim_end().ends_with('2'))
    {
        points -= 1;
    }
    points
}

/// The lower-case words of a header, split at spaces, punctuation and camel case (`phoneNo`);
/// a `#` is kept as a word of its own.
fn words(header: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in header.chars() {
        if c == '#' {
            flush(&mut words, &mut current);
            words.push("#".to_owned());
            previous_lower = false;
        } else if c.is_alphanumeric() {
            if c.is_uppercase() && previous_lower {
                flush(&mut words, &mut current);
            }
            previous_lower = c.is_lowercase() || c.is_ascii_digit();
            current.extend(c.to_lowercase());
        } else {
            flush(&mut words, &mut current);
            previous_lower = false;
        }
    }
    flush(&mut words, &mut current);
    words
}

/// Ends the current word, if any.
fn flush(words: &mut Vec<String>, current: &mut String) {
    if !current.is_empty() {
        words.push(std::mem::take(current));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Detects over columns given as lists of cells.
    fn detect(headers: &[&str], columns: &[&[&str]]) -> Result<ColumnGuess, NoPhoneColumn> {
        detect_column(
            headers,
            |index| columns.get(index).copied().unwrap_or_default().to_vec(),
            Region::INDIA,
        )
    }

    #[test]
    fn header_words_are_recognised_in_any_case_and_punctuation() {
        let cases = [
            ("Mobile", 3),
            ("MOBILE NO.", 3),
            ("mobile_number", 3),
            ("MobileNumber", 3),
            ("Mob", 3),
            ("Cell", 3),
            ("WhatsApp No", 3),
            ("मोबाइल नंबर", 3),
            ("फ़ोन", 2),
            ("फोन नंबर", 2),
            ("Phone", 2),
            ("phone_number", 2),
            ("phoneNo", 2),
            ("Tel.", 2),
            ("Ph #", 2),
            ("Contact", 1),
            ("Contact #", 1),
            ("Number", 1),
            ("Alternate Mobile", 2),
            ("Mobile 2", 2),
            ("Office Phone", 1),
            ("Order Number", 0),
            ("Account No", 0),
            ("Contact Name", 0),
            ("Fax", 0),
            ("Hotel", 0),
            ("Telugu", 0),
            ("City", 0),
            ("", 0),
        ];
        for (header, points) in cases {
            assert_eq!(header_points(header), points, "{header:?}");
        }
    }

    #[test]
    fn picks_the_column_with_numbers_under_a_phone_header() {
        let guess = detect(
            &["Name", "Mobile No.", "City"],
            &[
                &["Asha", "Ravi", "Meena"],
                &["9876543210", "+91 97654 32109", "096543-21098"],
                &["Pune", "Delhi", "Chennai"],
            ],
        )
        .unwrap();
        assert_eq!(guess.index, 1);
        assert_eq!(guess.header, "Mobile No.");
        assert_eq!(guess.confidence, Confidence::High);
        assert_eq!((guess.valid, guess.sampled), (3, 3));
        assert_eq!(
            guess.explain(),
            "Using column 2 “Mobile No.” for the phone numbers (sure): \
             3 of the first 3 filled cells are mobile numbers."
        );
    }

    #[test]
    fn finds_numbers_under_an_unhelpful_header() {
        let cells: Vec<String> = (0..30).map(|i| format!("98765432{i:02}")).collect();
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        let guess = detect(&["Name", "Column B"], &[&["Asha"; 30], &cells]).unwrap();
        assert_eq!(guess.index, 1);
        assert!(!guess.header_matches);
        assert_eq!(guess.confidence, Confidence::High);

        let few = detect(&["Name", "Column B"], &[&["Asha"], &["9876543210"]]).unwrap();
        assert_eq!(few.index, 1);
        assert_eq!(few.confidence, Confidence::Medium);
    }

    #[test]
    fn numbers_beat_a_header_without_numbers() {
        let guess = detect(
            &["Mobile", "Contact"],
            &[&["", "", ""], &["9876543210", "9765432109", "9654321098"]],
        )
        .unwrap();
        assert_eq!(guess.index, 1);
    }

    #[test]
    fn prefers_the_main_mobile_over_the_alternate_and_says_it_is_close() {
        let numbers: &[&str] = &["9876543210", "9765432109", "9654321098"];
        let guess = detect(&["Alt Mobile", "Mobile"], &[numbers, numbers]).unwrap();
        assert_eq!(guess.index, 1);
        assert_eq!(guess.confidence, Confidence::Medium);
    }

    #[test]
    fn a_rounded_column_is_still_found() {
        let guess = detect(
            &["Name", "Phone"],
            &[&["Asha", "Ravi"], &["9.87654E+09", "9.76543E+09"]],
        )
        .unwrap();
        assert_eq!(guess.index, 1);
        assert_eq!(guess.valid, 0);
        assert_eq!(guess.confidence, Confidence::Low);
    }

    #[test]
    fn an_empty_mobile_column_is_a_low_confidence_pick() {
        let guess = detect(&["Name", "Mobile"], &[&["Asha"], &[]]).unwrap();
        assert_eq!(guess.index, 1);
        assert_eq!(guess.confidence, Confidence::Low);
        assert!(guess.explain().ends_with("it has no cells filled in yet."));
    }

    #[test]
    fn a_sparse_alternate_column_does_not_beat_the_main_one() {
        let guess = detect(
            &["Alt Phone", "Mobile"],
            &[
                &["", "", "9876543210", "", ""],
                &[
                    "9765432109",
                    "Ravi",
                    "9654321098",
                    "08023456789",
                    "9543210987",
                ],
            ],
        )
        .unwrap();
        assert_eq!(guess.index, 1);
    }

    #[test]
    fn no_plausible_column_is_a_clear_error() {
        let err = detect(
            &["Name", "Pincode", "Amount"],
            &[&["Asha", "Ravi"], &["560001", "110011"], &["1200.50", "99"]],
        )
        .unwrap_err();
        assert_eq!(err, NoPhoneColumn { columns: 3 });
        assert_eq!(
            err.to_string(),
            "None of the 3 columns in this file looks like it holds mobile numbers. \
             Choose the column with the numbers yourself."
        );
        assert_eq!(detect(&[], &[]).unwrap_err(), NoPhoneColumn { columns: 0 });
    }

    #[test]
    fn reads_only_a_sample_of_each_column() {
        let counter = std::cell::Cell::new(0);
        let asked = &counter;
        let guess = detect_column(
            &["Mobile"],
            move |_| {
                std::iter::repeat_n("9876543210", 100_000)
                    .inspect(move |_| asked.set(asked.get() + 1))
            },
            Region::INDIA,
        )
        .unwrap();
        assert_eq!(guess.sampled, SAMPLE_SIZE);
        assert_eq!(counter.get(), SAMPLE_SIZE);
    }

    #[test]
    fn resolves_names_and_positions() {
        let headers = ["Name", "Mobile No.", "City", "2024"];
        assert_eq!(resolve_column("mobile no.", &headers), Ok(1));
        assert_eq!(resolve_column("  CITY ", &headers), Ok(2));
        assert_eq!(resolve_column("1", &headers), Ok(0));
        assert_eq!(resolve_column("3", &headers), Ok(2));
        assert_eq!(resolve_column("2024", &headers), Ok(3));
    }

    #[test]
    fn explains_choices_that_do_not_fit() {
        let headers = ["Name", "Mobile", "mobile"];
        assert_eq!(resolve_column(" ", &headers), Err(ColumnSpecError::Empty));
        let err = resolve_column("7", &headers).unwrap_err();
        assert_eq!(
            err.to_string(),
            "There is no column 7: the file has 3 columns, counted from 1."
        );
        assert!(matches!(
            resolve_column("0", &headers),
            Err(ColumnSpecError::OutOfRange { position: 0, .. })
        ));
        assert!(resolve_column("99999999999999999999999", &headers).is_err());
        let err = resolve_column("Phone", &headers).unwrap_err();
        assert_eq!(
            err.to_string(),
            "No column is called “Phone”. The columns are: Name, Mobile, mobile."
        );
        let err = resolve_column("MOBILE", &headers).unwrap_err();
        assert_eq!(
            err.to_string(),
            "More than one column is called “MOBILE” (columns 2 and 3). \
             Give the position of the one you mean instead."
        );
    }

    #[test]
    fn long_header_lists_are_shortened() {
        let headers: Vec<String> = (1..=25).map(|i| format!("C{i}")).collect();
        let listed = list_headers(&headers);
        assert!(listed.ends_with("C20, and 5 more"), "{listed}");
        assert_eq!(list_positions(&[1, 4, 6]), "2, 5 and 7");
    }
}
