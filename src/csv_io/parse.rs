//! Splitting decoded text into rows and fields.
//!
//! Most lines of a real file have no quotes, so each line is first looked at with fast byte
//! searches: if it holds no quote and no stray carriage return, its fields are just the pieces
//! between delimiters. Only lines with quotes go through the byte-by-byte reader, which handles
//! quoted delimiters, doubled quotes and line breaks inside quotes. Either way the parser only
//! records where fields end; the text itself stays where it is (see [`crate::table`]).
//!
//! Reading rules, the same as [`crate::table::raw::unquote`] applies to a field: a quote opens a
//! quoted section only at the start of a field; inside it, two quotes stand for one and a single
//! quote closes it; text after the closing quote belongs to the field. A line with no characters
//! at all is a row with no fields.

use std::ops::ControlFlow;

use memchr::{memchr, memchr_iter, memchr2};

use crate::table::raw::{MAX_LINE_LEN, QUOTED_FLAG, RowSpan};

/// How often (in bytes of text) parsing reports progress and checks for cancellation.
const REPORT_EVERY: usize = 1 << 20;

/// Why parsing stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseError {
    /// A quoted field runs to the end of the text; `line` is where its quote opened.
    UnterminatedQuote { line: usize },
    /// A line is longer than a field end can describe.
    LineTooLong { line: usize },
    /// More fields than the position tables can count.
    TooLarge,
    /// The progress callback asked to stop.
    Cancelled,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Parses `text` from byte `start`, appending up to `max_rows` rows to `spans` and `ends`.
///
/// `progress` receives the byte offset reached about every megabyte. On an error the rows parsed
/// so far stay in `spans` and `ends`, which the sniffer uses on a cut-off sample.
pub(crate) fn parse_rows(
    text: &str,
    start: usize,
    delimiter: u8,
    max_rows: usize,
    spans: &mut Vec<RowSpan>,
    ends: &mut Vec<u32>,
    progress: &mut dyn FnMut(usize) -> ControlFlow<()>,
) -> Result<(), ParseError> {
    let bytes = text.as_bytes();
    let mut pos = start;
    let mut line = 1;
    let mut next_report = 0;
    let mut parsed = 0;
    while pos < bytes.len() && parsed < max_rows {
        if pos >= next_report {
            if progress(pos).is_break() {
                return Err(ParseError::Cancelled);
            }
            next_report = pos.saturating_add(REPORT_EVERY);
        }
        let rest = bytes.get(pos..).unwrap_or_default();
        let first_field = u32::try_from(ends.len()).map_err(|_| ParseError::TooLarge)?;
        let consumed = if let Some((content_len, consumed)) = plain_line(rest) {
            let content = rest.get(..content_len).unwrap_or_default();
            if content_len > MAX_LINE_LEN {
                return Err(ParseError::LineTooLong { line });
            }
            if content_len > 0 {
                // Both fit: content_len <= MAX_LINE_LEN < u32::MAX.
                ends.extend(
                    memchr_iter(delimiter, content).filter_map(|end| u32::try_from(end).ok()),
                );
                ends.extend(u32::try_from(content_len).ok());
            }
            line += 1;
            consumed
        } else {
            quoted_record(rest, delimiter, ends, &mut line)?
        };
        let num_fields = u32::try_from(ends.len())
            .map_err(|_| ParseError::TooLarge)?
            .saturating_sub(first_field);
        spans.push(RowSpan {
            start: pos,
            first_field,
            num_fields,
        });
        pos += consumed;
        parsed += 1;
    }
    Ok(())
}

/// Looks at the next line; if it has no quote and no stray carriage return, returns the length
/// of its content and the bytes it takes with its line terminator.
fn plain_line(rest: &[u8]) -> Option<(usize, usize)> {
    let (line_len, has_lf) = match memchr(b'\n', rest) {
        Some(at) => (at, true),
        None => (rest.len(), false),
    };
    let line = rest.get(..line_len)?;
    match memchr2(b'"', b'\r', line) {
        None => Some((line_len, line_len + usize::from(has_lf))),
        Some(at) if has_lf && at + 1 == line_len && line.get(at) == Some(&b'\r') => {
            Some((at, line_len + 1))
        }
        Some(_) => None,
    }
}

/// Records a field ending at `end` (relative to the row start).
fn push_end(ends: &mut Vec<u32>, end: usize, quoted: bool, line: usize) -> Result<(), ParseError> {
    if end > MAX_LINE_LEN {
        return Err(ParseError::LineTooLong { line });
    }
    let end = u32::try_from(end).map_err(|_| ParseError::LineTooLong { line })?;
    ends.push(if quoted { end | QUOTED_FLAG } else { end });
    Ok(())
}

/// Reads one record byte by byte; returns the bytes it takes with its line terminator.
fn quoted_record(
    rest: &[u8],
    delimiter: u8,
    ends: &mut Vec<u32>,
    line: &mut usize,
) -> Result<usize, ParseError> {
    let row_line = *line;
    let first = ends.len();
    let mut state = State::Start;
    let mut quoted = false;
    let mut quote_line = *line;
    let mut at = 0;
    loop {
        let Some(&byte) = rest.get(at) else {
            if state == State::Quoted {
                return Err(ParseError::UnterminatedQuote { line: quote_line });
            }
            if ends.len() > first || at > 0 {
                push_end(ends, at, quoted, row_line)?;
            }
            return Ok(at);
        };
        match state {
            State::Quoted => {
                if byte == b'"' {
                    state = State::QuoteInQuoted;
                } else if byte == b'\n' || (byte == b'\r' && rest.get(at + 1) != Some(&b'\n')) {
                    *line += 1;
                }
            }
            _ if byte == delimiter => {
                push_end(ends, at, quoted, row_line)?;
                quoted = false;
                state = State::Start;
            }
            _ if byte == b'\n' || byte == b'\r' => {
                if ends.len() > first || at > 0 {
                    push_end(ends, at, quoted, row_line)?;
                }
                *line += 1;
                let terminator = if byte == b'\r' && rest.get(at + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                return Ok(at + terminator);
            }
            State::Start if byte == b'"' => {
                state = State::Quoted;
                quoted = true;
                quote_line = *line;
            }
            State::Start | State::Unquoted => state = State::Unquoted,
            State::QuoteInQuoted => {
                state = if byte == b'"' {
                    State::Quoted
                } else {
                    State::Unquoted
                };
            }
        }
        at += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::raw::RawRows;

    fn parse(text: &str, delimiter: u8) -> Result<RawRows, ParseError> {
        let mut rows = RawRows {
            text: text.to_owned(),
            ..RawRows::default()
        };
        parse_rows(
            text,
            0,
            delimiter,
            usize::MAX,
            &mut rows.spans,
            &mut rows.ends,
            &mut |_| ControlFlow::Continue(()),
        )?;
        Ok(rows)
    }

    fn cells(rows: &RawRows) -> Vec<Vec<String>> {
        (0..rows.num_rows())
            .map(|row| {
                (0..rows.num_fields(row))
                    .map(|field| rows.field(row, field).unwrap().into_owned())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn plain_lines_crlf_and_lf() {
        let rows = parse("a,b\r\nc,d\ne,", b',').unwrap();
        assert_eq!(cells(&rows), [["a", "b"], ["c", "d"], ["e", ""]]);
        assert_eq!(rows.terminator(0), "\r\n");
        assert_eq!(rows.terminator(1), "\n");
        assert_eq!(rows.terminator(2), "");
    }

    #[test]
    fn quoted_delimiters_quotes_and_line_breaks() {
        let rows = parse("\"a;1\";\"say \"\"hi\"\"\"\n\"two\r\nlines\";x\r\n", b';').unwrap();
        assert_eq!(
            cells(&rows),
            [vec!["a;1", "say \"hi\""], vec!["two\r\nlines", "x"]]
        );
        assert_eq!(rows.content(1), "\"two\r\nlines\";x");
        assert_eq!(rows.terminator(1), "\r\n");
    }

    #[test]
    fn blank_lines_are_rows_without_fields() {
        let rows = parse("a\n\n\r\nb\n", b',').unwrap();
        let lens: Vec<usize> = (0..rows.num_rows()).map(|r| rows.num_fields(r)).collect();
        assert_eq!(lens, [1, 0, 0, 1]);
    }

    #[test]
    fn bare_carriage_returns_end_lines() {
        let rows = parse("a,b\rc,d\r", b',').unwrap();
        assert_eq!(cells(&rows), [["a", "b"], ["c", "d"]]);
        assert_eq!(rows.terminator(0), "\r");
    }

    #[test]
    fn ragged_rows_are_kept() {
        let rows = parse("a\tb\tc\nd\ne\tf\tg\th\n", b'\t').unwrap();
        let lens: Vec<usize> = (0..rows.num_rows()).map(|r| rows.num_fields(r)).collect();
        assert_eq!(lens, [3, 1, 4]);
    }

    #[test]
    fn unterminated_quote_names_its_line() {
        let err = parse("a,b\nc,\"d\ne\nf\n", b',').unwrap_err();
        assert_eq!(err, ParseError::UnterminatedQuote { line: 2 });
    }

    #[test]
    fn line_numbers_count_breaks_inside_quotes() {
        let err = parse("\"x\ny\",1\n\"open\n", b',').unwrap_err();
        assert_eq!(err, ParseError::UnterminatedQuote { line: 3 });
    }

    #[test]
    fn cancelling_stops_parsing() {
        let mut spans = Vec::new();
        let mut ends = Vec::new();
        let err = parse_rows(
            "a\nb\n",
            0,
            b',',
            usize::MAX,
            &mut spans,
            &mut ends,
            &mut |_| ControlFlow::Break(()),
        )
        .unwrap_err();
        assert_eq!(err, ParseError::Cancelled);
    }

    #[test]
    fn max_rows_stops_early() {
        let mut spans = Vec::new();
        let mut ends = Vec::new();
        parse_rows("a\nb\nc\n", 0, b',', 2, &mut spans, &mut ends, &mut |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(spans.len(), 2);
    }
}
