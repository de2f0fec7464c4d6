//! Turning a file's bytes into text, and guessing which encoding they are in.
//!
//! Office files come as UTF-8 (with or without the byte-order mark Excel adds), as UTF-16 from
//! Excel's "Unicode Text", or in the old Windows code page. Each is decoded into one `String` so
//! the rest of the app only deals with UTF-8.

use std::path::Path;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::dialect::TextEncoding;
use super::error::CsvError;

/// The UTF-8 byte-order mark.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Bytes looked at when guessing whether a file without a byte-order mark is UTF-16.
const UTF16_SAMPLE: usize = 4096;

/// A file's text after decoding.
#[derive(Debug)]
pub(crate) struct Decoded {
    /// The text; for UTF-8 with a byte-order mark the mark is still at the start.
    pub text: String,
    /// Where the first row starts in `text` (after a byte-order mark kept in it).
    pub start: usize,
    /// Whether the file started with a byte-order mark.
    pub bom: bool,
}

/// Refuses files whose first bytes show they are workbooks rather than text.
pub(crate) fn check_signature(bytes: &[u8], path: &Path) -> Result<(), CsvError> {
    // Zip archives (.xlsx, .ods, .docx) and the older OLE compound files (.xls, .doc).
    const SIGNATURES: [&[u8]; 2] = [b"PK\x03\x04", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"];
    if SIGNATURES
        .iter()
        .any(|signature| bytes.starts_with(signature))
    {
        return Err(CsvError::Workbook {
            path: path.to_owned(),
        });
    }
    Ok(())
}

/// The line (from 1) that byte `offset` of `bytes` is on, for text where lines end in `\n`.
fn line_at(bytes: &[u8], offset: usize) -> usize {
    let before = bytes.get(..offset).unwrap_or(bytes);
    memchr::memchr_iter(b'\n', before).count() + 1
}

/// Guesses the encoding of a whole file from its bytes; `None` when it looks binary.
pub(crate) fn sniff_encoding(bytes: &[u8]) -> Option<(TextEncoding, bool)> {
    if bytes.starts_with(UTF8_BOM) {
        return Some((TextEncoding::Utf8, true));
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Some((TextEncoding::Utf16Le, true));
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some((TextEncoding::Utf16Be, true));
    }
    if let Some(encoding) = bomless_utf16(bytes) {
        return Some((encoding, false));
    }
    if memchr::memchr(0, bytes).is_some() {
        return None;
    }
    if std::str::from_utf8(bytes).is_ok() {
        Some((TextEncoding::Utf8, false))
    } else {
        Some((TextEncoding::Windows1252, false))
    }
}

/// Recognises UTF-16 without a byte-order mark: mostly-Latin text then has a zero byte in every
/// other position, and hardly any in the others.
fn bomless_utf16(bytes: &[u8]) -> Option<TextEncoding> {
    let sample = bytes.get(..UTF16_SAMPLE.min(bytes.len()))?;
    let pairs = sample.len() / 2;
    if pairs < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let (mut zero_even, mut zero_odd) = (0, 0);
    for pair in sample.chunks_exact(2) {
        if let [even, odd] = pair {
            zero_even += usize::from(*even == 0);
            zero_odd += usize::from(*odd == 0);
        }
    }
    if zero_odd * 10 >= pairs * 7 && zero_even * 20 <= pairs {
        Some(TextEncoding::Utf16Le)
    } else if zero_even * 10 >= pairs * 7 && zero_odd * 20 <= pairs {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// Decodes a whole file in the given encoding.
///
/// UTF-8 takes over the buffer without copying. A byte-order mark of the chosen encoding is
/// recognised whether or not the caller expected one.
pub(crate) fn decode(
    bytes: Vec<u8>,
    encoding: TextEncoding,
    path: &Path,
) -> Result<Decoded, CsvError> {
    let not_text = |line| CsvError::NotText {
        path: path.to_owned(),
        line,
        encoding: encoding.label(),
    };
    match encoding {
        TextEncoding::Utf8 => {
            let bom = bytes.starts_with(UTF8_BOM);
            let start = if bom { UTF8_BOM.len() } else { 0 };
            match String::from_utf8(bytes) {
                Ok(text) => Ok(Decoded { text, start, bom }),
                Err(err) => {
                    let offset = err.utf8_error().valid_up_to();
                    Err(not_text(line_at(err.as_bytes(), offset)))
                }
            }
        }
        TextEncoding::Windows1252 => Ok(Decoded {
            text: WINDOWS_1252
                .decode_without_bom_handling(&bytes)
                .0
                .into_owned(),
            start: 0,
            bom: false,
        }),
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let (decoder, mark): (_, &[u8]) = if encoding == TextEncoding::Utf16Le {
                (UTF_16LE, b"\xFF\xFE")
            } else {
                (UTF_16BE, b"\xFE\xFF")
            };
            let bom = bytes.starts_with(mark);
            let body = bytes.get(if bom { 2 } else { 0 }..).unwrap_or_default();
            let Some(text) = decoder.decode_without_bom_handling_and_without_replacement(body)
            else {
                let (lossy, _) = decoder.decode_without_bom_handling(body);
                let offset = lossy.find('\u{FFFD}').unwrap_or(lossy.len());
                return Err(not_text(line_at(lossy.as_bytes(), offset)));
            };
            Ok(Decoded {
                text: text.into_owned(),
                start: 0,
                bom,
            })
        }
    }
}

/// Decodes the start of a file for guessing; broken characters become U+FFFD and a byte-order
/// mark is dropped.
pub(crate) fn decode_sample(bytes: &[u8], encoding: TextEncoding) -> String {
    let text = match encoding {
        TextEncoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
        TextEncoding::Windows1252 => WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
        TextEncoding::Utf16Le => UTF_16LE.decode_with_bom_removal(bytes).0.into_owned(),
        TextEncoding::Utf16Be => UTF_16BE.decode_with_bom_removal(bytes).0.into_owned(),
    };
    match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

/// Whether the file's last character ends its last line: a line feed, or a carriage return in a
/// file without line feeds. This is a guess for the sniffer; loading reads the answer from the
/// rows.
pub(crate) fn ends_with_newline(bytes: &[u8], encoding: TextEncoding) -> bool {
    let (last, has_lf) = match encoding {
        TextEncoding::Utf8 | TextEncoding::Windows1252 => (
            bytes.last().copied(),
            memchr::memchr(b'\n', bytes).is_some(),
        ),
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let unit = |pair: &[u8]| match (encoding, pair) {
                (TextEncoding::Utf16Le, [low, 0]) | (TextEncoding::Utf16Be, [0, low]) => Some(*low),
                _ => None,
            };
            let last = bytes.rchunks_exact(2).next().and_then(unit);
            let has_lf = bytes.chunks_exact(2).any(|pair| unit(pair) == Some(b'\n'));
            (last, has_lf)
        }
    };
    match last {
        Some(b'\n') => true,
        Some(b'\r') => !has_lf,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    fn utf16be(text: &str) -> Vec<u8> {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        bytes
    }

    #[test]
    fn sniffs_each_encoding() {
        assert_eq!(sniff_encoding(b"a,b\n"), Some((TextEncoding::Utf8, false)));
        assert_eq!(
            sniff_encoding(b"\xEF\xBB\xBFa;b\r\n"),
            Some((TextEncoding::Utf8, true))
        );
        assert_eq!(
            sniff_encoding(&utf16le("a\tb\r\n", true)),
            Some((TextEncoding::Utf16Le, true))
        );
        assert_eq!(
            sniff_encoding(&utf16be("a\tb\r\n")),
            Some((TextEncoding::Utf16Be, true))
        );
        assert_eq!(
            sniff_encoding(&utf16le("name,phone\n", false)),
            Some((TextEncoding::Utf16Le, false))
        );
        assert_eq!(
            sniff_encoding(b"caf\xE9,na\xEFve\n"),
            Some((TextEncoding::Windows1252, false))
        );
        assert_eq!(sniff_encoding(b"a,b\n\x00\x01\x02\x03\x04"), None);
    }

    #[test]
    fn decodes_utf8_keeping_the_bom_in_place() {
        let decoded = decode(
            b"\xEF\xBB\xBFa,b".to_vec(),
            TextEncoding::Utf8,
            Path::new("x"),
        )
        .unwrap();
        assert_eq!(decoded.text.get(decoded.start..), Some("a,b"));
        assert!(decoded.bom);
    }

    #[test]
    fn decodes_windows_1252_and_utf16() {
        let decoded = decode(
            b"caf\xE9".to_vec(),
            TextEncoding::Windows1252,
            Path::new("x"),
        )
        .unwrap();
        assert_eq!(decoded.text, "café");
        let decoded = decode(
            utf16le("नाम\r\n", true),
            TextEncoding::Utf16Le,
            Path::new("x"),
        )
        .unwrap();
        assert_eq!(decoded.text, "नाम\r\n");
        assert!(decoded.bom);
        let decoded = decode(utf16be("x"), TextEncoding::Utf16Be, Path::new("x")).unwrap();
        assert_eq!(decoded.text, "x");
    }

    #[test]
    fn refuses_bad_bytes_naming_the_line() {
        let err = decode(
            b"a\nb\n\xFFc".to_vec(),
            TextEncoding::Utf8,
            Path::new("x.csv"),
        )
        .unwrap_err();
        assert!(matches!(err, CsvError::NotText { line: 3, .. }), "{err:?}");
        // An unpaired surrogate on line 2.
        let mut bytes = utf16le("a\nb", true);
        bytes.extend([0x00, 0xD8]);
        let err = decode(bytes, TextEncoding::Utf16Le, Path::new("x.csv")).unwrap_err();
        assert!(matches!(err, CsvError::NotText { line: 2, .. }), "{err:?}");
        // An odd number of bytes cannot be UTF-16.
        let err = decode(
            vec![0xFF, 0xFE, 0x41],
            TextEncoding::Utf16Le,
            Path::new("x"),
        )
        .unwrap_err();
        assert!(matches!(err, CsvError::NotText { line: 1, .. }), "{err:?}");
    }

    #[test]
    fn recognises_workbooks() {
        assert!(check_signature(b"PK\x03\x04rest", Path::new("a.xlsx")).is_err());
        assert!(check_signature(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Path::new("a.xls")).is_err());
        assert!(check_signature(b"PK,name\n", Path::new("a.csv")).is_ok());
    }

    #[test]
    fn final_newline_in_each_encoding() {
        assert!(ends_with_newline(b"a\r\n", TextEncoding::Utf8));
        assert!(!ends_with_newline(b"a", TextEncoding::Utf8));
        assert!(ends_with_newline(
            &utf16le("a\n", true),
            TextEncoding::Utf16Le
        ));
        assert!(!ends_with_newline(
            &utf16le("a", true),
            TextEncoding::Utf16Le
        ));
        assert!(ends_with_newline(&utf16be("a\r"), TextEncoding::Utf16Be));
        assert!(ends_with_newline(b"a\rb\r", TextEncoding::Utf8));
        // In a file with line feeds a final lone carriage return is part of the last cell.
        assert!(!ends_with_newline(b"a\nb\r", TextEncoding::Utf8));
    }
}
