//! Property tests: no input makes loading panic, and any table survives a save and a load.

use std::path::Path;

use naam_enrich::csv_io::{
    Delimiter, Dialect, LineEnding, SaveOptions, TextEncoding, load_bytes, save_as_bytes,
    save_bytes, sniff_bytes,
};
use naam_enrich::table::{Edit, Table};
use proptest::prelude::*;

fn every_cell(table: &Table) -> Vec<Vec<String>> {
    (0..table.num_rows())
        .map(|row| {
            (0..table.num_columns())
                .map(|col| table.cell(row, col).into_owned())
                .collect()
        })
        .collect()
}

fn encoding() -> impl Strategy<Value = TextEncoding> {
    prop_oneof![
        Just(TextEncoding::Utf8),
        Just(TextEncoding::Utf16Le),
        Just(TextEncoding::Utf16Be),
        Just(TextEncoding::Windows1252),
    ]
}

fn dialect() -> impl Strategy<Value = Dialect> {
    (
        encoding(),
        any::<bool>(),
        prop::sample::select(Delimiter::ALL.to_vec()),
        any::<bool>(),
        prop::sample::select(vec![LineEnding::CrLf, LineEnding::Lf, LineEnding::Cr]),
        any::<bool>(),
    )
        .prop_map(
            |(encoding, bom, delimiter, has_header, line_ending, trailing_newline)| Dialect {
                encoding,
                bom,
                delimiter,
                has_header,
                line_ending,
                trailing_newline,
            },
        )
}

/// Bytes that look a little like CSV often enough to reach the parser's corners.
fn csvish_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            4 => any::<u8>(),
            2 => prop::sample::select(b",;\t|\"\r\n a=0".to_vec()),
        ],
        0..400,
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn loading_any_bytes_never_panics(bytes in csvish_bytes(), forced in dialect()) {
        let name = Path::new("fuzz.csv");
        let mut dialects = vec![forced];
        if let Ok(sniffed) = sniff_bytes(&bytes, name) {
            dialects.push(sniffed);
        }
        for dialect in dialects {
            if let Ok(loaded) = load_bytes(&bytes, &dialect, name) {
                let mut table = loaded.table;
                let _ = every_cell(&table);
                let _ = save_bytes(&table, &loaded.dialect, &SaveOptions::default());
                let _ = table.apply(Edit::SortRows {
                    column: 0,
                    kind: naam_enrich::table::SortKind::Natural,
                    descending: true,
                });
                let _ = save_as_bytes(&table, &dialect, &SaveOptions { guarded_columns: vec![0, 9] });
            }
        }
    }

    #[test]
    fn untouched_utf8_loads_back_byte_for_byte(bytes in csvish_bytes(), forced in dialect()) {
        let dialect = Dialect { encoding: TextEncoding::Utf8, ..forced };
        if let Ok(loaded) = load_bytes(&bytes, &dialect, Path::new("x.csv")) {
            let written = loaded.dialect;
            prop_assert_eq!(
                save_bytes(&loaded.table, &written, &SaveOptions::default()),
                bytes
            );
        }
    }

    #[test]
    fn any_table_survives_save_as_and_load(
        rows in prop::collection::vec(
            prop::collection::vec("[a-z0-9 ,;|\"=\t\r\n\u{e9}\u{928}-]{0,6}", 0..5),
            1..6,
        ),
        dialect in dialect(),
    ) {
        let has_text = rows.iter().flatten().any(|cell| !cell.trim().is_empty());
        prop_assume!(has_text);
        let table = Table::from_rows(None, &rows);
        let dialect = Dialect { has_header: false, ..dialect };
        let bytes = save_as_bytes(&table, &dialect, &SaveOptions::default());
        let written = dialect.for_saving();
        let loaded = load_bytes(&bytes, &written, Path::new("x.csv")).map_err(|err| {
            TestCaseError::fail(format!("{err}"))
        })?;
        let mut expected = every_cell(&table);
        let mut actual = every_cell(&loaded.table);
        // A last column that is blank everywhere may not be written; compare what is there.
        let width = loaded.table.num_columns();
        for row in &mut expected {
            prop_assert!(row[width..].iter().all(String::is_empty));
            row.truncate(width);
        }
        for row in &mut actual {
            row.truncate(width);
        }
        prop_assert_eq!(actual, expected);
    }
}
