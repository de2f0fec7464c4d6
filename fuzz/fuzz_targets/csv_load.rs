//! Fuzzes the CSV sniffer and loader with arbitrary bytes: they must never panic, and whatever
//! loads must be readable cell by cell and savable again.
//!
//! Run with `cargo +nightly fuzz run csv_load` from the repository root.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use naam_enrich::csv_io::{
    Delimiter, SaveOptions, TextEncoding, load_bytes, save_as_bytes, save_bytes, sniff_bytes,
};

fuzz_target!(|data: &[u8]| {
    let name = Path::new("fuzz.csv");
    let Ok(sniffed) = sniff_bytes(data, name) else {
        return;
    };
    // The sniffed dialect, and the same with every other delimiter, as a user could choose.
    for delimiter in Delimiter::ALL {
        let mut dialect = sniffed;
        dialect.delimiter = delimiter;
        let Ok(loaded) = load_bytes(data, &dialect, name) else {
            continue;
        };
        let table = &loaded.table;
        for row in 0..table.num_rows().min(64) {
            for column in 0..table.num_columns().min(64) {
                let _ = table.cell(row, column);
            }
        }
        let options = SaveOptions::default();
        let saved = save_bytes(table, &loaded.dialect, &options);
        if delimiter == sniffed.delimiter && loaded.dialect.encoding == TextEncoding::Utf8 {
            // Saving untouched UTF-8 gives back the bytes that were read.
            assert_eq!(saved, data);
        }
        let _ = save_as_bytes(table, &loaded.dialect, &options);
    }
});
