//! Ledger CSV (ACLED-like columns): reading, and writing back what was read.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(records) = truce_ledger::read_csv(text) else {
        return;
    };
    if let Ok(written) = truce_ledger::write_csv(&records) {
        assert_eq!(
            truce_ledger::read_csv(&written).expect("written CSV reads back"),
            records
        );
    }
    let status = truce_ledger::status_at(&records, "2025-04-19".parse().unwrap());
    truce_present::ledger::write_status(&mut std::io::sink(), &status).unwrap();
});
