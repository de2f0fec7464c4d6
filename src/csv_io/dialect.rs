//! How a CSV file is written: its encoding, delimiter, header and line endings.
//!
//! The sniffer guesses a [`Dialect`] from the file, the UI shows each guess and lets the user
//! change it, loading follows it, and saving writes the file back the same way.

/// The character encoding of a file's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum TextEncoding {
    /// UTF-8, the usual encoding today (with or without a byte-order mark).
    Utf8,
    /// UTF-16 little-endian, what Excel calls "Unicode Text".
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
    /// The Windows Western European code page, for older files that are not UTF-8.
    /// Files read this way are saved as UTF-8 with a byte-order mark.
    Windows1252,
}

impl TextEncoding {
    /// A short name to show the user.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf16Le => "UTF-16 LE",
            Self::Utf16Be => "UTF-16 BE",
            Self::Windows1252 => "Windows-1252",
        }
    }
}

/// The character that separates the cells of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Delimiter {
    /// `,` — the usual separator.
    Comma,
    /// `;` — what Excel writes where the comma is the decimal mark.
    Semicolon,
    /// A tab character.
    Tab,
    /// `|`.
    Pipe,
}

impl Delimiter {
    /// Every delimiter the app reads, in the order it prefers them when a file fits several.
    pub const ALL: [Self; 4] = [Self::Comma, Self::Semicolon, Self::Tab, Self::Pipe];

    /// The delimiter as a byte of text.
    #[must_use]
    pub fn as_byte(self) -> u8 {
        match self {
            Self::Comma => b',',
            Self::Semicolon => b';',
            Self::Tab => b'\t',
            Self::Pipe => b'|',
        }
    }

    /// The delimiter as a character.
    #[must_use]
    pub fn as_char(self) -> char {
        char::from(self.as_byte())
    }

    /// A short name to show the user.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Comma => "Comma",
            Self::Semicolon => "Semicolon",
            Self::Tab => "Tab",
            Self::Pipe => "Pipe",
        }
    }
}

/// The characters that end a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum LineEnding {
    /// Carriage return and line feed, as Windows and Excel write.
    CrLf,
    /// Line feed alone, as macOS and Linux tools write.
    Lf,
    /// Carriage return alone, as very old Mac programs wrote.
    Cr,
}

impl LineEnding {
    /// The line ending as text.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CrLf => "\r\n",
            Self::Lf => "\n",
            Self::Cr => "\r",
        }
    }
}

/// Everything needed to read a CSV file and to write it back the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Dialect {
    /// The text encoding.
    pub encoding: TextEncoding,
    /// Whether the file starts with a byte-order mark (UTF-8 and UTF-16 only).
    pub bom: bool,
    /// The cell separator.
    pub delimiter: Delimiter,
    /// Whether the first line holds the column names.
    pub has_header: bool,
    /// The line ending for lines the app writes anew.
    pub line_ending: LineEnding,
    /// Whether the last line ends with a line ending.
    pub trailing_newline: bool,
}

impl Default for Dialect {
    /// UTF-8 without a byte-order mark, commas, a header, CRLF line endings and a final one.
    fn default() -> Self {
        Self {
            encoding: TextEncoding::Utf8,
            bom: false,
            delimiter: Delimiter::Comma,
            has_header: true,
            line_ending: LineEnding::CrLf,
            trailing_newline: true,
        }
    }
}

impl Dialect {
    /// The dialect a file read with `self` is saved in: the same, except that a Windows-1252 file
    /// becomes UTF-8 with a byte-order mark, because names the app adds may not fit the old code
    /// page and Excel needs the mark to read UTF-8.
    #[must_use]
    pub fn for_saving(&self) -> Self {
        let mut dialect = *self;
        match dialect.encoding {
            TextEncoding::Windows1252 => {
                dialect.encoding = TextEncoding::Utf8;
                dialect.bom = true;
            }
            TextEncoding::Utf8 | TextEncoding::Utf16Le | TextEncoding::Utf16Be => {}
        }
        dialect
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_saved_as_utf8_with_bom() {
        let read = Dialect {
            encoding: TextEncoding::Windows1252,
            bom: false,
            ..Dialect::default()
        };
        let saved = read.for_saving();
        assert_eq!(saved.encoding, TextEncoding::Utf8);
        assert!(saved.bom);
        let utf16 = Dialect {
            encoding: TextEncoding::Utf16Le,
            bom: true,
            ..Dialect::default()
        };
        assert_eq!(utf16.for_saving(), utf16);
    }
}
