//! How long one frame of the table view takes over a million-row, eight-column table scrolled to
//! the middle, and how long the quick filter takes to work out over the same table.
//!
//! Run with `cargo bench --bench frame`. Frames are stepped through an `egui_kittest` harness,
//! which also builds the accessibility tree every frame (a real window does so only while a
//! screen reader is on), so the figure is on the high side.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use naam_enrich::app::table_view::TableView;
use naam_enrich::csv_io::{self, Dialect};
use naam_enrich::table::Table;

const NUM_ROWS: usize = 1_000_000;

/// A million rows of eight columns, loaded the way a file is.
fn million_rows() -> Table {
    let statuses = ["found", "not found", "invalid number: too short", "pending"];
    let mut text = String::with_capacity(90 * NUM_ROWS);
    text.push_str("Name,Phone,City,State,Email,Company,Notes,Lookup Status\n");
    for i in 0..NUM_ROWS {
        let _ = writeln!(
            text,
            "Person {i},98{i:08},City {},State {},person{i}@example.com,Company {},\"Note, number {}\",{}",
            i % 500,
            i % 30,
            i % 1000,
            i % 97,
            statuses[i % statuses.len()],
        );
    }
    match csv_io::load_bytes(text.as_bytes(), &Dialect::default(), Path::new("bench.csv")) {
        Ok(loaded) => loaded.table,
        Err(err) => panic!("the generated table does not load: {err}"),
    }
}

fn bench_table_view(c: &mut Criterion) {
    let table = million_rows();
    assert_eq!(table.num_rows(), NUM_ROWS);
    let mut view = TableView::default();
    view.set_status_column(Some(7));
    view.scroll_to_row(NUM_ROWS / 2);
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_ui_state(
            |ui, (view, table): &mut (TableView, Table)| view.ui(ui, table),
            (view, table),
        );
    harness.run_steps(4);
    let middle = format!("Row {}", NUM_ROWS / 2 + 1);
    assert!(
        harness
            .query_by_role_and_label(Role::RowHeader, &middle)
            .is_some(),
        "the view did not scroll to the middle"
    );

    let mut group = c.benchmark_group("table_view");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("frame_1m_rows_scrolled_to_middle", |b| {
        b.iter(|| harness.step());
    });

    let mut flip = false;
    group.sample_size(10);
    group.bench_function("quick_filter_1m_rows_8_columns", |b| {
        b.iter(|| {
            // A new filter text each time, so the cached list is never reused.
            flip = !flip;
            let (view, table) = harness.state_mut();
            view.set_quick_filter(if flip { "city 7" } else { "city 8" });
            black_box(view.visible_row_count(table))
        });
    });
    group.finish();
}

criterion_group!(benches, bench_table_view);
criterion_main!(benches);
