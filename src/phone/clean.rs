//! Turning one spreadsheet cell into a valid mobile number, or into the reason it is not one.
//!
//! Cells come typed by people and mangled by exports: `+91 98765 43210`, `(+91) 98765-43210`,
//! `098765 43210`, `9876543210.0`, `9.87654321E+09`, two numbers in one cell, a name typed in
//! the wrong column. The cleaner accepts every honest shape, never guesses digits (letters are
//! not turned into keypad digits), and gives every other cell a reason staff can act on.
//!
//! For India a plain 10-digit cell takes a fast path with no parsing and no library call; other
//! shapes are reduced to their digits and then checked by the same rule, so a number gets the
//! same verdict however it was written. Other regions are checked by the library.

use rlibphonenumber::{PHONE_NUMBER_UTIL, ParseError, PhoneNumberType, ValidationError};

use super::india;
use super::invalid::{Invalid, LineKind};
use super::number::Number;
use super::region::Region;

/// Characters that separate two numbers written in one cell.
const SEPARATORS: &[char] = &['/', ',', ';', '|', '\n', '\r', '&', '\\'];

/// The fewest significant digits a number in scientific notation must show for us to trust it.
///
/// Fixed-precision exports show 6 or 7 (Excel's General format gives `9.87654E+09`, C's `%g`
/// gives `9.87654e+09`): the digits after those are gone. Shortest round-trip exports (Java,
/// JavaScript) show every digit but drop trailing zeros, so `9.87654321E+09` is 9876543210.
/// Between the two we cannot tell a dropped zero from a rounded digit, and looking up the
/// wrong person costs as much as the right one, so we trust at most one missing zero.
const MIN_TRUSTED_SIGNIFICANT: usize = 9;

/// The most trailing zeros we fill in for a number in scientific notation.
const MAX_FILLED_ZEROS: usize = 1;

/// Words people put in a phone column when they have no number.
const PLACEHOLDER_WORDS: &[&str] = &[
    "na",
    "n/a",
    "n.a",
    "n.a.",
    "#n/a",
    "nil",
    "none",
    "null",
    "nan",
    "not available",
    "unknown",
    "tbd",
    "x",
    "xx",
    "xxx",
    "xxxxxxxxxx",
];

/// Cleans one cell as a mobile number of `region`.
///
/// Returns the number (national and E.164 forms; if the cell held several, the first usable
/// one, with a note) or the reason the cell cannot be looked up.
///
/// # Errors
///
/// Returns an [`Invalid`] reason when the cell is empty, not a phone number, too short or too
/// long, rounded by a spreadsheet, a landline or service number, a placeholder, or another
/// country's number.
pub fn clean(cell: &str, region: Region) -> Result<Number, Invalid> {
    let cell = trim_cell(cell);
    if cell.is_empty() {
        return Err(Invalid::Empty);
    }
    // The fast path: most cells in Indian files are already plain 10-digit numbers.
    if region.is_india() && cell.len() == india::NATIONAL_LEN {
        let bytes = cell.as_bytes();
        if bytes.iter().all(u8::is_ascii_digit) {
            return india::check_national(bytes);
        }
    }
    clean_shaped(cell, region)
}

/// Cleans a trimmed, non-empty cell that is not a plain 10-digit number.
fn clean_shaped(cell: &str, region: Region) -> Result<Number, Invalid> {
    if let Some(spreadsheet) = spreadsheet_number(cell) {
        return spreadsheet.and_then(|digits| interpret(&digits, false, region));
    }
    if is_placeholder_word(cell) {
        return Err(Invalid::Placeholder);
    }
    if !cell.contains(SEPARATORS) {
        return clean_part(cell, false, region);
    }

    // Several numbers in one cell: the first usable one is taken, and the others counted.
    let mut first_reason = None;
    let mut found = None;
    let mut parts_with_digits = 0_usize;
    for part in cell.split(SEPARATORS) {
        if !part.chars().any(|c| digit_value(c).is_some()) {
            continue;
        }
        parts_with_digits += 1;
        if found.is_some() {
            continue;
        }
        match clean_part(part, false, region) {
            Ok(number) => found = Some(number),
            Err(reason) => {
                first_reason.get_or_insert(reason);
            }
        }
    }
    if let Some(number) = found {
        return Ok(number.with_other_numbers(parts_with_digits.saturating_sub(1)));
    }
    // No part was usable on its own; perhaps the separators were formatting inside one number,
    // as in `98765/43210`.
    match clean_part(cell, true, region) {
        Ok(number) => Ok(number),
        Err(whole_reason) => Err(first_reason.unwrap_or(whole_reason)),
    }
}

/// Cleans one number written with the usual formatting: an optional leading `+`, digits (in
/// any Indian script, Arabic or full-width), spaces, dashes, dots and brackets.
fn clean_part(
    part: &str,
    separators_are_formatting: bool,
    region: Region,
) -> Result<Number, Invalid> {
    let mut digits = DigitBuf::default();
    let mut has_plus = false;
    for c in part.chars() {
        if let Some(value) = digit_value(c) {
            digits.push(value);
        } else if c == '+' || c == '\u{FF0B}' {
            if has_plus || digits.count > 0 {
                return Err(Invalid::NotANumber);
            }
            has_plus = true;
        } else if is_formatting(c) || (separators_are_formatting && SEPARATORS.contains(&c)) {
            // Spaces, dashes, dots and brackets carry no digits.
        } else {
            return Err(Invalid::NotANumber);
        }
    }
    if digits.count == 0 {
        return Err(if has_plus {
            Invalid::NotANumber
        } else {
            Invalid::Empty
        });
    }
    interpret(&digits, has_plus, region)
}

/// Decides what a run of digits is, given whether it was written after a `+`.
fn interpret(digits: &DigitBuf, has_plus: bool, region: Region) -> Result<Number, Invalid> {
    let Some(all) = digits.as_slice() else {
        return Err(Invalid::TooLong {
            digits: digits.count,
            expected: region.mobile_len(),
        });
    };
    if all.iter().all(|&digit| digit == b'0') || (all.len() >= 5 && india::is_placeholder(all)) {
        return Err(Invalid::Placeholder);
    }
    if region.is_india() {
        interpret_indian(all, has_plus)
    } else {
        interpret_with_library(all, has_plus, region)
    }
}

/// Removes India's prefixes (`+91`, `0091`, `91`, `091`, a trunk `0`) and checks the rest.
fn interpret_indian(digits: &[u8], has_plus: bool) -> Result<Number, Invalid> {
    let national = if has_plus {
        match digits.strip_prefix(b"91") {
            Some(rest) => strip_trunk_zero(rest),
            None => return Err(other_country(digits)),
        }
    } else if let Some(international) = digits.strip_prefix(b"00") {
        match international.strip_prefix(b"91") {
            Some(rest) => strip_trunk_zero(rest),
            None => return Err(other_country(international)),
        }
    } else {
        match digits.len() {
            11 => digits.strip_prefix(b"0").unwrap_or(digits),
            12 => digits.strip_prefix(b"91").unwrap_or(digits),
            13 => digits.strip_prefix(b"091").unwrap_or(digits),
            _ => digits,
        }
    };
    if national.len() >= 5 && india::is_placeholder(national) {
        return Err(Invalid::Placeholder);
    }
    india::check_national(national)
}

/// People write `+91 0 98765 43210`; the `0` after the country code is dropped.
fn strip_trunk_zero(national: &[u8]) -> &[u8] {
    if national.len() == india::NATIONAL_LEN + 1 {
        national.strip_prefix(b"0").unwrap_or(national)
    } else {
        national
    }
}

/// The reason for digits written after `+` or `00` that do not start with our calling code.
fn other_country(international: &[u8]) -> Invalid {
    let mut calling_code: u16 = 0;
    for &digit in international.iter().take(3) {
        calling_code = calling_code * 10 + u16::from(digit - b'0');
        if PHONE_NUMBER_UTIL
            .get_region_for_country_code(i32::from(calling_code))
            .is_some()
        {
            return Invalid::OtherCountry { calling_code };
        }
    }
    Invalid::NotANumber
}

/// Checks digits for a region other than India with the library.
fn interpret_with_library(
    digits: &[u8],
    has_plus: bool,
    region: Region,
) -> Result<Number, Invalid> {
    let expected = region.mobile_len();
    let mut text = String::with_capacity(digits.len() + 1);
    if has_plus {
        text.push('+');
    }
    text.extend(digits.iter().map(|&digit| char::from(digit)));
    let number = match PHONE_NUMBER_UTIL.parse(&text, Some(region.lib())) {
        Ok(number) => number,
        Err(ParseError::TooShortNsn | ParseError::TooShortAfterIdd) => {
            return Err(Invalid::TooShort {
                digits: digits.len(),
                expected,
            });
        }
        Err(ParseError::TooLongNsn) => {
            return Err(Invalid::TooLong {
                digits: digits.len(),
                expected,
            });
        }
        Err(ParseError::InvalidCountryCode | ParseError::NotANumber(_)) => {
            return Err(Invalid::NotANumber);
        }
    };
    let calling_code = u16::try_from(number.country_code).map_err(|_| Invalid::NotANumber)?;
    if calling_code != region.calling_code() {
        return Err(Invalid::OtherCountry { calling_code });
    }
    let national = number.get_national_significant_number();
    let length_reason = |digits: usize| {
        if digits < expected {
            Invalid::TooShort { digits, expected }
        } else {
            Invalid::TooLong { digits, expected }
        }
    };
    match number.is_possible_with_reason() {
        Ok(_) => {}
        Err(ValidationError::TooShort) => {
            return Err(Invalid::TooShort {
                digits: national.len(),
                expected,
            });
        }
        Err(ValidationError::TooLong) => {
            return Err(Invalid::TooLong {
                digits: national.len(),
                expected,
            });
        }
        Err(ValidationError::InvalidLength) => return Err(length_reason(national.len())),
        Err(ValidationError::InvalidCountryCode) => return Err(Invalid::NotANumber),
    }
    if national.len() >= 5 && india::is_placeholder(national.as_bytes()) {
        return Err(Invalid::Placeholder);
    }
    if !number.is_valid() {
        // A length the country allows for some number but no valid one: say how far off it
        // is from a mobile number when the length differs, as that is what staff can check.
        return Err(match national.len().cmp(&expected) {
            std::cmp::Ordering::Equal => Invalid::NotANumber,
            _ => length_reason(national.len()),
        });
    }
    match number.get_type() {
        PhoneNumberType::Mobile | PhoneNumberType::FixedLineOrMobile => {
            Number::new(calling_code, national.as_bytes()).ok_or(Invalid::NotANumber)
        }
        PhoneNumberType::FixedLine => Err(Invalid::NotMobile {
            kind: LineKind::Landline,
        }),
        _ => Err(Invalid::NotMobile {
            kind: LineKind::Service,
        }),
    }
}

/// Reads the shapes spreadsheets give numbers: a float export (`9876543210.0`) or scientific
/// notation (`9.87654321E+09`, `9,87654E+09` from a German Excel).
///
/// Returns `None` when the cell is neither, so the usual rules apply.
fn spreadsheet_number(cell: &str) -> Option<Result<DigitBuf, Invalid>> {
    let bytes = cell.as_bytes();
    let is_decimal_mark = |byte: &u8| *byte == b'.' || *byte == b',';
    match bytes.iter().position(|byte| *byte == b'e' || *byte == b'E') {
        None => {
            // A float export: at least 7 digits, a decimal mark, and only zeros after it.
            let mark = bytes.iter().position(is_decimal_mark)?;
            let (whole, fraction) = (bytes.get(..mark)?, bytes.get(mark + 1..)?);
            let is_float = whole.len() >= 7
                && whole.iter().all(u8::is_ascii_digit)
                && !fraction.is_empty()
                && fraction.iter().all(|byte| *byte == b'0');
            is_float.then(|| Ok(DigitBuf::from_ascii(whole)))
        }
        Some(e_at) => scientific(bytes.get(..e_at)?, bytes.get(e_at + 1..)?),
    }
}

/// Reads scientific notation from its mantissa (`9.87654321`) and exponent (`+09`).
fn scientific(mantissa: &[u8], exponent: &[u8]) -> Option<Result<DigitBuf, Invalid>> {
    let exponent_digits = exponent.strip_prefix(b"+").unwrap_or(exponent);
    if exponent_digits.is_empty()
        || exponent_digits.len() > 3
        || !exponent_digits.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let exponent = exponent_digits.iter().fold(0_usize, |value, digit| {
        value * 10 + usize::from(digit - b'0')
    });
    let (whole, fraction) = match mantissa.iter().position(|b| *b == b'.' || *b == b',') {
        Some(mark) => (mantissa.get(..mark)?, mantissa.get(mark + 1..)?),
        None => (mantissa, &[][..]),
    };
    if whole.is_empty()
        || whole.len() > 3
        || !whole.iter().all(u8::is_ascii_digit)
        || !fraction.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    // Digits of the fraction beyond the exponent would be a fraction of the number itself;
    // phone numbers have none, unless they are zeros.
    let (shown_fraction, beyond) = fraction.split_at(fraction.len().min(exponent));
    if beyond.iter().any(|digit| *digit != b'0') {
        return Some(Err(Invalid::NotANumber));
    }
    let shown = whole.len() + shown_fraction.len();
    let filled = exponent - shown_fraction.len();
    if shown + filled > DigitBuf::CAPACITY {
        return Some(Err(Invalid::TooLong {
            digits: shown + filled,
            expected: india::NATIONAL_LEN,
        }));
    }
    if filled > 0 && (shown < MIN_TRUSTED_SIGNIFICANT || filled > MAX_FILLED_ZEROS) {
        return Some(Err(Invalid::RoundedBySpreadsheet));
    }
    let mut digits = DigitBuf::from_ascii(whole);
    for &digit in shown_fraction {
        digits.push(digit - b'0');
    }
    for _ in 0..filled {
        digits.push(0);
    }
    Some(Ok(digits))
}

/// Trims spaces and invisible characters, and the marks spreadsheets use to keep a number as
/// text: a leading `'` and the `="…"` formula wrapper.
fn trim_cell(cell: &str) -> &str {
    let cell = cell.trim_matches(is_blank);
    let cell = match cell
        .strip_prefix("=\"")
        .and_then(|rest| rest.strip_suffix('"'))
    {
        Some(inner) => inner,
        None => cell.strip_prefix('\'').unwrap_or(cell),
    };
    cell.trim_matches(is_blank)
}

/// True for the placeholder words people type instead of a number (`N/A`, `nil`, `none`).
fn is_placeholder_word(cell: &str) -> bool {
    cell.len() <= 16
        && PLACEHOLDER_WORDS
            .iter()
            .any(|word| cell.eq_ignore_ascii_case(word))
}

/// Spaces and characters that take no room: the non-breaking and zero-width spaces, joiners,
/// direction marks, soft hyphens and byte-order marks that pasted cells carry.
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Characters people put between the digits of one number.
fn is_formatting(c: char) -> bool {
    is_blank(c)
        || matches!(
            c,
            '-' | '.' | '(' | ')' | '[' | ']' | '{' | '}' | '_' | '\'' | '"' | '\u{2010}'
                ..='\u{2015}' | '\u{2212}' | '\u{FF08}' | '\u{FF09}' | '\u{FF0D}' | '\u{FF0E}'
        )
}

/// The value of a decimal digit in the scripts Indian and Gulf offices type: ASCII,
/// Arabic-Indic, Devanagari, Bengali, Gurmukhi, Gujarati, Odia, Tamil, Telugu, Kannada,
/// Malayalam, and full-width digits.
fn digit_value(c: char) -> Option<u8> {
    if let Some(value) = c.to_digit(10) {
        return u8::try_from(value).ok();
    }
    let code = u32::from(c);
    let zero = match code {
        0x0660..=0x0669 => 0x0660,
        0x06F0..=0x06F9 => 0x06F0,
        0x0966..=0x096F => 0x0966,
        0x09E6..=0x09EF => 0x09E6,
        0x0A66..=0x0A6F => 0x0A66,
        0x0AE6..=0x0AEF => 0x0AE6,
        0x0B66..=0x0B6F => 0x0B66,
        0x0BE6..=0x0BEF => 0x0BE6,
        0x0C66..=0x0C6F => 0x0C66,
        0x0CE6..=0x0CEF => 0x0CE6,
        0x0D66..=0x0D6F => 0x0D66,
        0xFF10..=0xFF19 => 0xFF10,
        _ => return None,
    };
    u8::try_from(code - zero).ok()
}

/// The digits of a cell as ASCII, without allocating; counts past its capacity so an
/// overly long cell can say how long it was.
#[derive(Debug, Default)]
struct DigitBuf {
    /// ASCII digits; only the first `count` (at most `CAPACITY`) are used.
    bytes: [u8; Self::CAPACITY],
    /// How many digits were pushed, including those that did not fit.
    count: usize,
}

impl DigitBuf {
    /// More digits than any phone number with every prefix written out.
    const CAPACITY: usize = 24;

    /// A buffer holding `ascii`, which must be ASCII digits.
    fn from_ascii(ascii: &[u8]) -> Self {
        let mut digits = Self::default();
        for &digit in ascii {
            digits.push(digit.wrapping_sub(b'0'));
        }
        digits
    }

    /// Appends a digit given by its value, 0 to 9.
    fn push(&mut self, value: u8) {
        if let Some(slot) = self.bytes.get_mut(self.count) {
            *slot = b'0' + value;
        }
        self.count += 1;
    }

    /// The digits, or `None` if there were more than fit.
    fn as_slice(&self) -> Option<&[u8]> {
        self.bytes.get(..self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cleans for India and gives the national form, or the reason's code.
    fn india(cell: &str) -> Result<String, &'static str> {
        clean(cell, Region::INDIA)
            .map(|number| number.national().to_owned())
            .map_err(|reason| reason.code())
    }

    #[test]
    fn accepts_every_shape_people_and_exports_write() {
        let cases = [
            ("9876543210", "plain"),
            ("+91 98765 43210", "international with spaces"),
            ("+91-98765-43210", "international with dashes"),
            ("(+91) 98765 43210", "country code in brackets"),
            ("+91 (98765) 43210", "brackets inside"),
            ("0091 98765 43210", "international prefix 00"),
            ("00919876543210", "international prefix 00, no spaces"),
            ("919876543210", "country code without plus"),
            ("91 98765 43210", "country code without plus, spaced"),
            ("09876543210", "trunk zero"),
            ("098765-43210", "trunk zero with dash"),
            ("091 98765 43210", "091"),
            ("+91 0 98765 43210", "plus, country code and trunk zero"),
            ("98765 43210", "spaces"),
            ("98765.43210", "dots"),
            ("987-654-3210", "dashes"),
            ("[98765] 43210", "square brackets"),
            ("  9876543210  ", "padding"),
            ("\u{a0}98765\u{a0}43210\u{a0}", "non-breaking spaces"),
            ("\u{200b}9876543210\u{200b}", "zero-width spaces"),
            ("98765\u{200b}43210", "zero-width space inside"),
            ("\u{feff}9876543210", "byte-order mark"),
            ("98765\u{2013}43210", "en dash"),
            ("9876543210.0", "float export"),
            ("9876543210.00", "float export, two zeros"),
            ("9876543210,0", "float export, decimal comma"),
            ("9.876543210E+09", "scientific, all digits"),
            ("9.87654321E+09", "scientific, trailing zero dropped"),
            ("9.87654321e9", "scientific, lower case, bare exponent"),
            ("9,87654321E+09", "scientific, decimal comma"),
            ("9.1987654321E+11", "scientific with country code"),
            ("'9876543210", "text marker"),
            ("=\"9876543210\"", "formula wrapper"),
            ("९८७६५४३२१०", "Devanagari digits"),
            ("+९१ ९८७६५ ४३२१०", "Devanagari with country code"),
            ("９８７６５４３２１０", "full-width digits"),
            ("＋91 98765 43210", "full-width plus"),
        ];
        for (cell, shape) in cases {
            assert_eq!(
                india(cell),
                Ok("9876543210".to_owned()),
                "{shape}: {cell:?}"
            );
        }
    }

    #[test]
    fn gives_the_e164_form_too() {
        let number = clean("098765 43210", Region::INDIA).unwrap();
        assert_eq!(number.e164(), "+919876543210");
        assert_eq!(number.other_numbers(), 0);
    }

    #[test]
    fn gives_a_reason_for_every_unusable_cell() {
        let cases = [
            ("", "empty"),
            ("   ", "empty"),
            ("\u{a0}\u{200b}", "empty"),
            ("-", "empty"),
            ("( )", "empty"),
            ("Ramesh Kumar", "not_a_number"),
            ("ABCDEFGHIJ", "not_a_number"),
            ("1-800-FLOWERS", "not_a_number"),
            ("98765 43210 ext 5", "not_a_number"),
            ("Mob: 9876543210", "not_a_number"),
            ("98765#43210", "not_a_number"),
            ("98765+43210", "not_a_number"),
            ("+", "not_a_number"),
            ("9.87654321E-09", "not_a_number"),
            ("987654321", "too_short"),
            ("98765", "too_short"),
            ("+91 98765", "too_short"),
            ("98765432101", "too_long"),
            ("9198765432101", "too_long"),
            ("98765432109876543210987654321", "too_long"),
            ("9.87654E+09", "rounded_by_spreadsheet"),
            ("9,87654E+09", "rounded_by_spreadsheet"),
            ("9.8765432E+09", "rounded_by_spreadsheet"),
            ("1E+10", "rounded_by_spreadsheet"),
            ("08023456789", "landline"),
            ("080 2345 6789", "landline"),
            ("8023456789", "landline"),
            ("+91 11 2345 6789", "landline"),
            ("011-23456789", "landline"),
            ("1800 123 456", "service_number"),
            ("9999999999", "placeholder"),
            ("0000000000", "placeholder"),
            ("+91 99999 99999", "placeholder"),
            ("0", "placeholder"),
            ("00000", "placeholder"),
            ("N/A", "placeholder"),
            ("na", "placeholder"),
            ("#N/A", "placeholder"),
            ("nil", "placeholder"),
            ("+44 7911 123456", "other_country"),
            ("0044 7911 123456", "other_country"),
            ("+1 415 555 2671", "other_country"),
            ("+971 50 123 4567", "other_country"),
        ];
        for (cell, reason) in cases {
            assert_eq!(india(cell), Err(reason), "{cell:?}");
        }
    }

    #[test]
    fn length_reasons_say_how_many_digits() {
        assert_eq!(
            clean("98765-4321", Region::INDIA),
            Err(Invalid::TooShort {
                digits: 9,
                expected: 10
            })
        );
        assert_eq!(
            clean("98765 432 101", Region::INDIA),
            Err(Invalid::TooLong {
                digits: 11,
                expected: 10
            })
        );
        assert_eq!(
            clean("+44 7911 123456", Region::INDIA),
            Err(Invalid::OtherCountry { calling_code: 44 })
        );
    }

    #[test]
    fn two_numbers_in_a_cell_use_the_first_and_say_so() {
        for cell in [
            "9876543210 / 9765432109",
            "9876543210, 9765432109",
            "9876543210;9765432109",
            "9876543210 | 9765432109",
            "9876543210\n9765432109",
            "+91 98765 43210 / +91 97654 32109",
        ] {
            let number = clean(cell, Region::INDIA).unwrap();
            assert_eq!(number.national(), "9876543210", "{cell:?}");
            assert_eq!(number.other_numbers(), 1, "{cell:?}");
            assert!(number.note().is_some(), "{cell:?}");
        }
        let three = clean("9876543210, 9765432109, 9654321098", Region::INDIA).unwrap();
        assert_eq!(three.other_numbers(), 2);
    }

    #[test]
    fn a_landline_then_a_mobile_uses_the_mobile() {
        let number = clean("080 2345 6789 / 9876543210", Region::INDIA).unwrap();
        assert_eq!(number.national(), "9876543210");
        assert_eq!(number.other_numbers(), 1);
    }

    #[test]
    fn separators_inside_one_number_are_formatting() {
        assert_eq!(india("98765/43210"), Ok("9876543210".to_owned()));
        assert_eq!(india("N/A / -"), Err("not_a_number"));
        assert_eq!(india("987654321 / 98765"), Err("too_short"));
    }

    #[test]
    fn other_regions_use_the_library() {
        let emirates: Region = "AE".parse().unwrap();
        let number = clean("+971 50 123 4567", emirates).unwrap();
        assert_eq!(number.national(), "501234567");
        assert_eq!(number.e164(), "+971501234567");
        assert_eq!(
            clean("050 123 4567", emirates).unwrap().national(),
            "501234567"
        );
        assert_eq!(
            clean("04 234 5678", emirates),
            Err(Invalid::NotMobile {
                kind: LineKind::Landline
            })
        );
        assert_eq!(
            clean("+91 98765 43210", emirates),
            Err(Invalid::OtherCountry { calling_code: 91 })
        );
        let short = clean("050 123", emirates);
        assert!(
            matches!(short, Err(Invalid::TooShort { expected: 9, .. })),
            "{short:?}"
        );
        assert_eq!(clean("05O 123 4567", emirates), Err(Invalid::NotANumber));
        let britain: Region = "GB".parse().unwrap();
        assert_eq!(
            clean("07911 123456", britain).unwrap().national(),
            "7911123456"
        );
        assert_eq!(clean("", britain), Err(Invalid::Empty));
    }

    #[test]
    fn plain_ten_digits_in_other_regions_are_not_taken_as_indian() {
        let britain: Region = "GB".parse().unwrap();
        assert!(clean("9876543210", britain).is_err());
    }

    #[test]
    fn digits_of_indian_scripts_are_read() {
        assert_eq!(digit_value('०'), Some(0));
        assert_eq!(digit_value('৯'), Some(9));
        assert_eq!(digit_value('௫'), Some(5));
        assert_eq!(digit_value('７'), Some(7));
        assert_eq!(digit_value('a'), None);
        assert_eq!(digit_value('½'), None);
    }
}
