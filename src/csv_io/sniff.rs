//! Guessing how a file is written: encoding, delimiter, header and line endings.
//!
//! Every guess is made from the start of the file and can be overridden by the user, so the
//! rules stay simple and explainable: the delimiter is the one that splits the most lines into
//! the same number of cells; the first row is a header when it is all text, has no blanks, and
//! none of its cells repeats below it.

use std::ops::ControlFlow;
use std::path::Path;

use super::dialect::{Delimiter, Dialect, LineEnding, TextEncoding};
use super::encoding::{check_signature, decode_sample, ends_with_newline, sniff_encoding};
use super::error::CsvError;
use super::parse::parse_rows;
use crate::table::raw::RawRows;

/// Bytes of the file looked at for the guesses.
const SAMPLE_BYTES: usize = 64 * 1024;

/// Rows looked at for the guesses.
const SAMPLE_ROWS: usize = 100;

/// Guesses the dialect of a whole file held in memory. `name` is only used in error messages.
///
/// # Errors
/// The file is empty, binary, or a workbook rather than CSV text.
pub fn sniff_bytes(bytes: &[u8], name: &Path) -> Result<Dialect, CsvError> {
    if bytes.is_empty() {
        return Err(CsvError::Empty {
            path: name.to_owned(),
        });
    }
    check_signature(bytes, name)?;
    let binary = || CsvError::Binary {
        path: name.to_owned(),
    };
    let (encoding, bom) = sniff_encoding(bytes).ok_or_else(binary)?;
    let truncated = bytes.len() > SAMPLE_BYTES;
    let mut sample_len = SAMPLE_BYTES.min(bytes.len());
    if matches!(encoding, TextEncoding::Utf16Le | TextEncoding::Utf16Be) {
        sample_len &= !1; // keep UTF-16 pairs whole
    }
    let sample = decode_sample(bytes.get(..sample_len).unwrap_or(bytes), encoding);
    if sample.trim().is_empty() && !truncated {
        return Err(CsvError::Empty {
            path: name.to_owned(),
        });
    }
    if looks_binary(&sample) {
        return Err(binary());
    }
    let delimiter = guess_delimiter(&sample, truncated);
    let rows = sample_rows(&sample, delimiter, truncated);
    Ok(Dialect {
        encoding,
        bom,
        delimiter,
        has_header: guess_header(&rows),
        line_ending: guess_line_ending(&rows),
        trailing_newline: ends_with_newline(bytes, encoding),
    })
}

/// Whether decoded text has the control characters of a binary file (text files have almost
/// none beyond tabs and line breaks).
fn looks_binary(sample: &str) -> bool {
    let is_binary =
        |c: char| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C' | '\x1A');
    let controls = sample.chars().filter(|&c| is_binary(c)).count();
    controls > 0 && controls * 100 > sample.chars().count()
}

/// Parses the sample into rows, dropping a last row that may be cut off.
fn sample_rows(sample: &str, delimiter: Delimiter, truncated: bool) -> RawRows {
    let mut rows = RawRows {
        text: sample.to_owned(),
        ..RawRows::default()
    };
    // An unclosed quote in a cut-off sample is expected; the rows before it are still good.
    let _ = parse_rows(
        sample,
        0,
        delimiter.as_byte(),
        SAMPLE_ROWS,
        &mut rows.spans,
        &mut rows.ends,
        &mut |_| ControlFlow::Continue(()),
    );
    if truncated && rows.spans.len() > 1 {
        rows.spans.pop();
    }
    rows
}

/// Picks the delimiter that splits the sample's rows most consistently into more than one
/// cell: the highest share of rows with the most common cell count, then the most cells, then
/// the order of [`Delimiter::ALL`].
fn guess_delimiter(sample: &str, truncated: bool) -> Delimiter {
    let mut best = (Delimiter::Comma, 0, 0);
    for delimiter in Delimiter::ALL {
        let rows = sample_rows(sample, delimiter, truncated);
        let counts: Vec<usize> = (0..rows.num_rows())
            .map(|row| rows.num_fields(row))
            .filter(|&count| count > 0)
            .collect();
        let mut tally: Vec<(usize, usize)> = Vec::new();
        for &count in &counts {
            match tally.iter_mut().find(|(seen, _)| *seen == count) {
                Some((_, times)) => *times += 1,
                None => tally.push((count, 1)),
            }
        }
        let Some(&(modal, times)) = tally
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)))
        else {
            continue;
        };
        if modal < 2 {
            continue;
        }
        // Consistency in thousandths, so that shares compare exactly.
        let share = times * 1000 / counts.len();
        if (share, modal) > (best.1, best.2) {
            best = (delimiter, share, modal);
        }
    }
    best.0
}

/// Whether a cell looks like a number, a date or a phone number rather than a name.
fn looks_numeric(cell: &str) -> bool {
    let cell = cell.trim();
    cell.chars().any(|c| c.is_ascii_digit())
        && cell.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    '+' | '-' | '.' | ',' | '(' | ')' | ' ' | '/' | ':' | 'e' | 'E' | '%'
                )
        })
}

/// Decides whether the first row is a header: every cell non-blank text that is not a number,
/// and no cell repeated further down its column.
fn guess_header(rows: &RawRows) -> bool {
    let first: Vec<String> = (0..rows.num_fields(0))
        .filter_map(|field| rows.field(0, field))
        .map(|cell| cell.trim().to_lowercase())
        .collect();
    if first.is_empty()
        || first
            .iter()
            .any(|cell| cell.is_empty() || looks_numeric(cell))
    {
        return false;
    }
    let repeated = (1..rows.num_rows()).any(|row| {
        first.iter().enumerate().any(|(field, name)| {
            rows.field(row, field)
                .is_some_and(|cell| cell.trim().to_lowercase() == *name)
        })
    });
    !repeated
}

/// The most common line ending among the sample's rows; CRLF when no row has one.
fn guess_line_ending(rows: &RawRows) -> LineEnding {
    let (mut crlf, mut lf, mut cr) = (0, 0, 0);
    for row in 0..rows.num_rows() {
        match rows.terminator(row) {
            "\r\n" => crlf += 1,
            "\n" => lf += 1,
            "\r" => cr += 1,
            _ => {}
        }
    }
    if lf > crlf && lf >= cr {
        LineEnding::Lf
    } else if cr > crlf && cr > lf {
        LineEnding::Cr
    } else {
        LineEnding::CrLf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff(bytes: &[u8]) -> Dialect {
        sniff_bytes(bytes, Path::new("test.csv")).unwrap()
    }

    #[test]
    fn excel_semicolons_bom_crlf() {
        let dialect = sniff(b"\xEF\xBB\xBFName;Amount\r\nM\xC3\xBCller;1,50\r\nSchmidt;2,75\r\n");
        assert_eq!(dialect.encoding, TextEncoding::Utf8);
        assert!(dialect.bom);
        assert_eq!(dialect.delimiter, Delimiter::Semicolon);
        assert!(dialect.has_header);
        assert_eq!(dialect.line_ending, LineEnding::CrLf);
        assert!(dialect.trailing_newline);
    }

    #[test]
    fn commas_lf_no_final_newline() {
        let dialect = sniff(b"name,phone\nAsha,9876543210\nRavi,9123456789");
        assert_eq!(dialect.delimiter, Delimiter::Comma);
        assert_eq!(dialect.line_ending, LineEnding::Lf);
        assert!(!dialect.trailing_newline);
        assert!(dialect.has_header);
    }

    #[test]
    fn tabs_in_utf16() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(
            "Name\tMobile\r\nAsha\t98765 43210\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let dialect = sniff(&bytes);
        assert_eq!(dialect.encoding, TextEncoding::Utf16Le);
        assert_eq!(dialect.delimiter, Delimiter::Tab);
        assert!(dialect.has_header);
    }

    #[test]
    fn pipes() {
        assert_eq!(sniff(b"a|b|c\n1|2|3\n").delimiter, Delimiter::Pipe);
    }

    #[test]
    fn delimiters_inside_quotes_do_not_count() {
        let dialect = sniff(b"\"Name, full\";Phone\n\"Rao, Asha\";98765\n\"Iyer, R\";91234\n");
        assert_eq!(dialect.delimiter, Delimiter::Semicolon);
    }

    #[test]
    fn most_consistent_delimiter_wins() {
        // Commas appear as decimal marks in some rows only.
        let dialect = sniff(b"x;y\n1,5;2\n3;4,5\n6;7\n");
        assert_eq!(dialect.delimiter, Delimiter::Semicolon);
    }

    #[test]
    fn single_column_defaults_to_comma() {
        let dialect = sniff(b"9876543210\n9123456789\n");
        assert_eq!(dialect.delimiter, Delimiter::Comma);
        assert!(!dialect.has_header);
    }

    #[test]
    fn header_detection() {
        assert!(sniff(b"Mobile\n9876543210\n").has_header);
        assert!(!sniff(b"Asha,9876543210\nRavi,9123456789\n").has_header);
        // A blank header cell: not a header.
        assert!(!sniff(b"Name,\nAsha,Pune\n").has_header);
        // A value that repeats below is data, not a name.
        assert!(!sniff(b"Asha,Pune\nRavi,Pune\n").has_header);
        assert!(sniff(b"Name,City\nAsha,Pune\nRavi,Pune\n").has_header);
        // Dates and amounts are not names.
        assert!(!sniff(b"2024-01-05,Asha\n2024-01-06,Ravi\n").has_header);
    }

    #[test]
    fn old_mac_line_endings() {
        assert_eq!(sniff(b"a,b\r1,2\r").line_ending, LineEnding::Cr);
    }

    #[test]
    fn windows_1252() {
        let dialect = sniff(b"Name;Stadt\r\nM\xFCller;K\xF6ln\r\n");
        assert_eq!(dialect.encoding, TextEncoding::Windows1252);
        assert!(!dialect.bom);
        assert_eq!(dialect.delimiter, Delimiter::Semicolon);
    }

    #[test]
    fn refusals() {
        let name = Path::new("f.csv");
        assert!(matches!(
            sniff_bytes(b"", name),
            Err(CsvError::Empty { .. })
        ));
        assert!(matches!(
            sniff_bytes(b"\r\n\n  \n", name),
            Err(CsvError::Empty { .. })
        ));
        assert!(matches!(
            sniff_bytes(b"\xEF\xBB\xBF", name),
            Err(CsvError::Empty { .. })
        ));
        assert!(matches!(
            sniff_bytes(b"\x7FELF\x02\x01\x01\x00\x00", name),
            Err(CsvError::Binary { .. })
        ));
        assert!(matches!(
            sniff_bytes(b"\x01\x02\x03\x04abc\x05\x06", name),
            Err(CsvError::Binary { .. })
        ));
        assert!(matches!(
            sniff_bytes(b"PK\x03\x04\x14\x00", name),
            Err(CsvError::Workbook { .. })
        ));
    }

    #[test]
    fn cut_off_sample_still_sniffs() {
        let mut text = String::from("id;name\r\n");
        while text.len() < SAMPLE_BYTES + 100 {
            text.push_str("12;\"a long, quoted; name\"\r\n");
        }
        let dialect = sniff(text.as_bytes());
        assert_eq!(dialect.delimiter, Delimiter::Semicolon);
        assert!(dialect.has_header);
    }
}
