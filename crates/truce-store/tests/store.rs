//! The SQLite ledger: imports are all or nothing, rows cannot be changed
//! through SQL, and a change made behind truce's back is caught by verify.

use rusqlite::Connection;
use truce_ledger::{read_jsonl, status_at};
use truce_store::{Ledger, StoreError};

fn example() -> String {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/ukraine-2025.ledger.jsonl");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn import_verify_and_status_match_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let mut ledger = Ledger::open(&path).unwrap();
    let n = ledger.import(&example()).unwrap();
    assert_eq!(
        n,
        example().lines().filter(|l| !l.trim().is_empty()).count()
    );
    assert_eq!(ledger.verify().unwrap(), n);
    let from_db = status_at(&ledger.status_records().unwrap(), "2025-04-19");
    let from_file = status_at(&read_jsonl(&example()).unwrap(), "2025-04-19");
    assert_eq!(from_db, from_file);
    // Reopening keeps everything; a second batch may cite the first.
    drop(ledger);
    let mut ledger = Ledger::open(&path).unwrap();
    let more = r#"{"type":"violation","id":"again","commitment":"ru_energy","date":"2025-04-19","reported_by":"ukraine","reports":["r_rubio_violations"],"denied_by":[],"basis":"test"}"#;
    assert_eq!(ledger.import(more).unwrap(), 1);
    assert_eq!(ledger.verify().unwrap(), n + 1);
}

#[test]
fn a_batch_with_one_bad_line_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("l.db")).unwrap();
    ledger.import(&example()).unwrap();
    let before = ledger.records().unwrap().len();
    let batch = "{\"type\":\"sanction\",\"id\":\"s1\",\"date\":\"2025-05-01\",\"by\":\"us\",\"against\":\"russia\",\"action\":\"imposed\",\"reports\":[\"r_trump_sanctions\"],\"basis\":null}\n{\"type\":\"sanction\",\"id\":\"ua_energy\"}";
    match ledger.import(batch) {
        Err(StoreError::Rejected(errors)) => {
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].line, 2);
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert_eq!(ledger.records().unwrap().len(), before);
    // An id already in the ledger is refused too.
    let dup = r#"{"type":"sanction","id":"ua_energy","date":"2025-05-01","by":"us","against":"russia","action":"imposed","reports":[],"basis":null}"#;
    assert!(matches!(ledger.import(dup), Err(StoreError::Rejected(_))));
}

#[test]
fn rows_cannot_be_changed_through_sql_and_tampering_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let mut ledger = Ledger::open(&path).unwrap();
    ledger.import(&example()).unwrap();
    drop(ledger);
    let raw = Connection::open(&path).unwrap();
    assert!(raw
        .execute("UPDATE entries SET body = '{}' WHERE id = 'ru_energy'", [])
        .is_err());
    assert!(raw
        .execute("DELETE FROM entries WHERE id = 'ru_energy'", [])
        .is_err());
    // Someone who drops the triggers and edits a row is still caught.
    raw.execute_batch(
        "DROP TRIGGER entries_no_update;
         UPDATE entries SET body = replace(body, '\"days\":30', '\"days\":300') WHERE id = 'ru_energy';",
    )
    .unwrap();
    drop(raw);
    let ledger = Ledger::open(&path).unwrap();
    match ledger.verify() {
        Err(StoreError::Tampered { id, .. }) => assert_eq!(id, "ru_energy"),
        other => panic!("expected tampering to be found, got {other:?}"),
    }
}
