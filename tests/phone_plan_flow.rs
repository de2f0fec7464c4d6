//! The whole phone step on a small CSV, as the dry run does it: read the file, find the phone
//! column (or take the user's choice), clean every row, leave out cached numbers, and print
//! the plan as JSON and as words.

use naam_enrich::phone::{
    Confidence, Number, Plan, Region, clean, detect_column, mask, resolve_column,
};

/// A file as office staff have them: a name column, a messy mobile column, an alternate
/// number, a pin code, and a row with two numbers.
const CSV: &str = "\
Name,Mobile No.,Alt Phone,Pincode
Asha,+91 98765 43210,,560001
Ravi,098765-43210,9765432109,110011
Meena,9.65432109E+09,,600001
Joseph,080 2345 6789,,560034
Farah,9.87654E+09,,400001
Kiran,,,500001
Sunil,97654 32109 / 96543 21098,,380001
Priya,N/A,,700001
Arjun,+44 7911 123456,,682001
Neha,(+91) 93456-78901,,122001
";

/// Reads the CSV into headers and columns.
fn read(csv_text: &str) -> Result<(Vec<String>, Vec<Vec<String>>), csv::Error> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
    let mut columns = vec![Vec::new(); headers.len()];
    for record in reader.records() {
        for (column, cell) in columns.iter_mut().zip(record?.iter()) {
            column.push(cell.to_owned());
        }
    }
    Ok((headers, columns))
}

#[test]
fn dry_run_plan_from_a_messy_csv() {
    let (headers, columns) = read(CSV).unwrap();
    let guess = detect_column(&headers, |index| columns[index].clone(), Region::INDIA).unwrap();
    assert_eq!(guess.index, 1);
    assert_eq!(guess.header, "Mobile No.");
    assert_eq!(guess.confidence, Confidence::Medium);
    assert_eq!((guess.valid, guess.sampled), (5, 9));

    let mut plan =
        Plan::from_cells(&columns[guess.index], Region::INDIA).with_column(&guess.header);
    let cache = ["9765432109"];
    plan.exclude_cached(|national| cache.contains(&national));

    let to_submit: Vec<&str> = plan.to_submit().iter().map(Number::national).collect();
    assert_eq!(to_submit, ["9876543210", "9654321090", "9345678901"]);
    let json = serde_json::to_string(&plan).unwrap();
    assert_eq!(
        json,
        r#"{"rows":10,"column":"Mobile No.","valid":5,"invalid":{"empty":1,"landline":1,"other_country":1,"placeholder":1,"rounded_by_spreadsheet":1},"duplicates":1,"cached":1,"to_submit":3}"#
    );
    assert_eq!(
        plan.summary().to_string(),
        "10 rows in column “Mobile No.”: 5 valid mobile numbers (1 repeated), 5 cells that \
         cannot be used (1 empty, 1 landline, 1 another country's number, 1 placeholder, \
         1 digits lost to spreadsheet rounding), 1 already known. 3 numbers to look up \
         (3 credits)."
    );

    // Each row's status is what the Lookup Status column will explain.
    let sunil = plan.rows()[6].as_ref().unwrap();
    assert_eq!(sunil.national(), "9765432109");
    assert!(sunil.note().unwrap().contains("2 numbers"));
    let farah = plan.rows()[4].as_ref().unwrap_err();
    assert_eq!(
        format!("invalid number: {farah}"),
        "invalid number: some digits were lost when a spreadsheet rounded the number; \
         take it from the original file"
    );
}

#[test]
fn the_user_can_choose_another_column() {
    let (headers, columns) = read(CSV).unwrap();
    let index = resolve_column("alt phone", &headers).unwrap();
    assert_eq!(index, 2);
    assert_eq!(resolve_column("3", &headers).unwrap(), 2);
    let plan = Plan::from_cells(&columns[index], Region::INDIA).with_column(&headers[index]);
    assert_eq!(plan.num_valid(), 1);
    assert_eq!(plan.invalid_by_reason().get("empty"), Some(&9));
}

#[test]
fn logs_see_only_masked_numbers() {
    let number = clean("+91 98765 43210", Region::INDIA).unwrap();
    assert_eq!(mask(number.national()), "98******10");
}
