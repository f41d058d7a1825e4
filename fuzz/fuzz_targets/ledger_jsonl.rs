//! Ledger JSON Lines: reading, then everything derived from the records.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(records) = truce_ledger::read_jsonl(text) else {
        return;
    };
    let written = truce_ledger::write_jsonl(&records).expect("records can be written");
    assert_eq!(
        truce_ledger::read_jsonl(&written).expect("written records read back"),
        records
    );
    let mut sink = std::io::sink();
    for at in [
        "2025-01-01",
        "2025-04-19",
        "2025-04",
        "2025-04-19T17:00+03:00",
        "2030-12-31",
    ] {
        let status = truce_ledger::status_at(&records, at.parse().unwrap());
        truce_present::ledger::write_status(&mut sink, &status).unwrap();
        truce_present::write_json(&mut sink, &status).unwrap();
        let found = truce_ledger::candidates(&records, &status);
        truce_present::ledger::write_candidates(&mut sink, status.at, &found).unwrap();
    }
    for r in records.iter().take(20) {
        if let Some(found) = truce_ledger::sources_of(&records, r.id()) {
            truce_present::ledger::write_sources(&mut sink, &found).unwrap();
        }
    }
    let rows = truce_ledger::timeline(&records);
    truce_present::ledger::write_timeline(&mut sink, &rows).unwrap();
    let _ = truce_ledger::write_csv(&records);
});
