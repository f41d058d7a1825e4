//! The ledger in each database (SQLite always; PostgreSQL when
//! TRUCE_TEST_POSTGRES names a server, as in CI): imports are all or
//! nothing, rows cannot be changed through SQL, and a change made behind
//! truce's back is caught by verify.

// A failing test unwraps, expects or panics: that is how it fails; and it
// may tell the runner what it covered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use truce_ledger::{read_jsonl, status_at, BatchFormat};
use truce_store::testing::{scratch_ledgers, Scratch};
use truce_store::{Ledger, Location, StoreError};

fn example() -> String {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/ukraine-2025.ledger.jsonl");
    std::fs::read_to_string(path).unwrap()
}

/// Runs `test` once per backend, each on a fresh ledger.
fn on_each_backend(test: impl Fn(&Scratch)) {
    let dir = tempfile::tempdir().unwrap();
    for db in scratch_ledgers(dir.path(), "l").unwrap() {
        eprintln!("-- {}", db.backend());
        test(&db);
    }
}

#[test]
fn import_verify_and_status_match_the_file() {
    on_each_backend(|db| {
        let mut ledger = Ledger::open(&db.location).unwrap();
        let n = ledger.import(&example()).unwrap();
        assert_eq!(
            n,
            example().lines().filter(|l| !l.trim().is_empty()).count()
        );
        assert_eq!(ledger.verify().unwrap(), n);
        let (stored, read) = (
            ledger.status_records().unwrap(),
            read_jsonl(&example()).unwrap(),
        );
        assert_eq!(
            status_at(&stored, "2025-04-19".parse().unwrap()),
            status_at(&read, "2025-04-19".parse().unwrap())
        );
        assert_eq!(ledger.records().unwrap(), read_jsonl(&example()).unwrap());
        // Reopening keeps everything; a second batch may cite the first.
        drop(ledger);
        let mut ledger = Ledger::open(&db.location).unwrap();
        let more = r#"{"type":"violation","id":"again","commitment":"energy_moratorium","date":"2025-04-19","reported_by":"ukraine","reports":["r_rubio_violations"],"denied_by":[],"basis":"test"}"#;
        assert_eq!(ledger.import(more).unwrap(), 1);
        assert_eq!(ledger.verify().unwrap(), n + 1);
    });
}

#[test]
fn csv_batches_land_like_json_lines() {
    on_each_backend(|db| {
        let records = read_jsonl(&example()).unwrap();
        let csv = truce_ledger::write_csv(&records).unwrap();
        let mut ledger = Ledger::open(&db.location).unwrap();
        assert_eq!(
            ledger.import_as(&csv, BatchFormat::Csv).unwrap(),
            records.len()
        );
        assert_eq!(ledger.records().unwrap(), records);
        assert_eq!(ledger.verify().unwrap(), records.len());
        // A bad CSV row rejects the batch, naming the row's line.
        let bad = "event_id_cnty,event_type,event_date,actor1,actor2,sub_event_type,reports\n\
                   s9,sanction,2025-05-01,us,russia,imposed,r_trump_sanctions\n\
                   s10,sanction,2025-05-32,us,russia,imposed,r_trump_sanctions\n";
        match ledger.import_as(bad, BatchFormat::Csv) {
            Err(StoreError::Rejected(errors)) => {
                assert_eq!(errors.len(), 1, "{errors:?}");
                assert_eq!(errors[0].line, Some(3));
                assert!(errors[0].message.contains("not a date"));
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
        assert_eq!(ledger.records().unwrap().len(), records.len());
    });
}

#[test]
fn a_batch_with_one_bad_line_writes_nothing() {
    on_each_backend(|db| {
        let mut ledger = Ledger::open(&db.location).unwrap();
        ledger.import(&example()).unwrap();
        let before = ledger.records().unwrap().len();
        let batch = "{\"type\":\"sanction\",\"id\":\"s1\",\"date\":\"2025-05-01\",\"by\":\"us\",\"against\":\"russia\",\"action\":\"imposed\",\"reports\":[\"r_trump_sanctions\"],\"basis\":null}\n{\"type\":\"sanction\",\"id\":\"ua_black_sea\"}";
        match ledger.import(batch) {
            Err(StoreError::Rejected(errors)) => {
                assert_eq!(errors.len(), 1);
                assert_eq!(errors[0].line, Some(2));
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
        assert_eq!(ledger.records().unwrap().len(), before);
        // An id already in the ledger is refused too.
        let dup = r#"{"type":"sanction","id":"ua_black_sea","date":"2025-05-01","by":"us","against":"russia","action":"imposed","reports":[],"basis":null}"#;
        match ledger.import(dup) {
            Err(StoreError::Rejected(errors)) => {
                assert!(errors[0].message.contains("already used in the ledger"))
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
        assert_eq!(ledger.verify().unwrap(), before);
    });
}

/// Runs SQL on the database directly, as someone with the file or the
/// server's password could.
fn raw_sql(location: &Location, sql: &str) -> Result<(), String> {
    match location {
        Location::File(path) => rusqlite::Connection::open(path)
            .and_then(|c| c.execute_batch(sql))
            .map_err(|e| e.to_string()),
        Location::Postgres(url) => postgres::Client::connect(url, postgres::NoTls)
            .and_then(|mut c| c.batch_execute(sql))
            .map_err(|e| StoreError::from(e).to_string()),
    }
}

#[test]
fn rows_cannot_be_changed_through_sql_and_tampering_is_detected() {
    on_each_backend(|db| {
        let mut ledger = Ledger::open(&db.location).unwrap();
        ledger.import(&example()).unwrap();
        drop(ledger);
        let refused = raw_sql(
            &db.location,
            "UPDATE entries SET body = '{}' WHERE id = 'energy_moratorium'",
        )
        .unwrap_err();
        assert!(refused.contains("append-only"), "{refused}");
        assert!(raw_sql(
            &db.location,
            "DELETE FROM entries WHERE id = 'energy_moratorium'"
        )
        .is_err());
        if db.backend() == "PostgreSQL" {
            assert!(raw_sql(&db.location, "TRUNCATE entries").is_err());
        }
        // Someone who drops the triggers and edits a row is still caught.
        raw_sql(
            &db.location,
            "DROP TRIGGER entries_no_update ON entries;
             UPDATE entries SET body = replace(body, '\"days\":30', '\"days\":300') WHERE id = 'energy_moratorium';"
                .replace(
                    " ON entries",
                    if db.backend() == "SQLite" { "" } else { " ON entries" },
                )
                .as_str(),
        )
        .unwrap();
        let mut ledger = Ledger::open(&db.location).unwrap();
        match ledger.verify() {
            Err(StoreError::Tampered { id, .. }) => assert_eq!(id, "energy_moratorium"),
            other => panic!("expected tampering to be found, got {other:?}"),
        }
    });
}

#[test]
fn reopening_an_up_to_date_ledger_changes_nothing_and_a_newer_schema_is_refused() {
    on_each_backend(|db| {
        Ledger::open(&db.location).unwrap();
        Ledger::open(&db.location)
            .unwrap()
            .import(&example())
            .unwrap();
        let sql = if db.backend() == "SQLite" {
            "PRAGMA user_version = 99"
        } else {
            "UPDATE truce_schema SET version = 99"
        };
        raw_sql(&db.location, sql).unwrap();
        match Ledger::open(&db.location) {
            Err(StoreError::NewerSchema { found: 99, .. }) => {}
            Err(other) => panic!("expected NewerSchema, got {other}"),
            Ok(_) => panic!("expected NewerSchema, got a ledger"),
        }
    });
}

#[test]
fn passwords_stay_out_of_messages() {
    let l = Location::parse("postgres://ana:s3cret@db.example:5432/ledger");
    assert_eq!(l.to_string(), "postgres://ana:***@db.example:5432/ledger");
    assert_eq!(
        Location::parse("postgresql://ana@db/ledger").to_string(),
        "postgresql://ana@db/ledger"
    );
    assert!(matches!(Location::parse("ledger.db"), Location::File(_)));
}

#[test]
fn the_chain_hash_is_sha256_of_the_previous_hash_a_newline_and_the_body() {
    // sha256("0…0\n{}"), computed independently with coreutils' sha256sum.
    assert_eq!(
        truce_store::chain_hash(truce_store::GENESIS, "{}"),
        EXPECTED_GENESIS_EMPTY_OBJECT
    );
}

const EXPECTED_GENESIS_EMPTY_OBJECT: &str =
    "5649d09ed68c17156095d175eef152856c5b1a81c117c409c1e00f096aa6838e";

/// Issue 10: an edited `id` or `kind` column fails verify too (the body is
/// hashed, and verify checks both columns against it), and a chain cut at
/// its end fails `verify` against the head kept before.
#[test]
fn edited_ids_and_kinds_and_a_cut_chain_are_caught() {
    // Drops the triggers, so edits and deletions go through.
    fn unguard(db: &truce_store::testing::Scratch) {
        let sql = if db.backend() == "SQLite" {
            "DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete;"
        } else {
            "DROP TRIGGER entries_no_update ON entries; DROP TRIGGER entries_no_delete ON entries;"
        };
        raw_sql(&db.location, sql).unwrap();
    }
    for edit in [
        "UPDATE entries SET id = 'energy_moratorium_2' WHERE id = 'energy_moratorium'",
        "UPDATE entries SET kind = 'event' WHERE id = 'energy_moratorium'",
    ] {
        on_each_backend(|db| {
            let mut ledger = Ledger::open(&db.location).unwrap();
            ledger.import(&example()).unwrap();
            drop(ledger);
            unguard(db);
            raw_sql(&db.location, edit).unwrap();
            let mut ledger = Ledger::open(&db.location).unwrap();
            match ledger.verify() {
                Err(StoreError::Tampered { seq, .. }) => assert!(seq > 0),
                other => panic!("{edit}: expected tampering to be found, got {other:?}"),
            }
        });
    }
    on_each_backend(|db| {
        let mut ledger = Ledger::open(&db.location).unwrap();
        ledger.import(&example()).unwrap();
        let kept = ledger.head().unwrap();
        assert_eq!(ledger.verify_chain().unwrap(), kept);
        drop(ledger);
        unguard(db);
        raw_sql(
            &db.location,
            "DELETE FROM entries WHERE seq = (SELECT MAX(seq) FROM entries)",
        )
        .unwrap();
        let mut ledger = Ledger::open(&db.location).unwrap();
        // The shorter chain is still a valid chain …
        let now = ledger.verify_chain().unwrap();
        assert_eq!(now.entries, kept.entries - 1);
        // … but it no longer reaches the head kept elsewhere.
        assert_ne!(now.head, kept.head);
        assert_eq!(ledger.head().unwrap(), now);
    });
}

/// The events status leaves unread make no difference: the status from
/// `status_records` equals the status from every record, on dates around
/// events that carry out a promise, agreements, imprecise dates and events
/// a condition names.
#[test]
fn status_records_give_the_status_of_every_record() {
    let extra = [
        r#"{"type":"event","id":"plain","kind":"statement","date":"2025-04-02","parties":["us"],"summary":"says \"date\":\"2025-04\", and \"fulfils\": nothing","reports":[],"basis":null}"#,
        r#"{"type":"event","id":"talks","kind":"meeting","date":"2025-04-11","parties":["us","russia"],"summary":"talks","reports":[],"basis":null}"#,
        r#"{"type":"event","id":"deal","kind":"agreement","date":"2025-04-21","parties":["us","russia"],"summary":"deal","concerns":["sanctions=lifted"],"reports":[],"basis":null}"#,
        r#"{"type":"event","id":"week","kind":"statement","date":"2025-04-14/2025-04-18","parties":["us"],"summary":"this week","reports":[],"basis":null}"#,
        r#"{"type":"event","id":"month","kind":"statement","date":"2025-04","parties":["us"],"summary":"earlier in April","reports":[],"basis":null}"#,
        r#"{"type":"event","id":"hour","kind":"statement","date":"2025-04-19T18:00+03:00","parties":["russia"],"summary":"Easter truce announced","reports":[],"basis":null}"#,
        r#"{"type":"event","id":"carried_out","kind":"statement","date":"2025-04-23","parties":["us"],"summary":"sanctions announced","fulfils":"us_sanctions_promise","reports":[],"basis":null}"#,
        r#"{"type":"commitment","id":"c_met","date":"2025-04-01","party":"russia","scope":"x","from":"2025-04-01","days":null,"condition":{"requires":"rule","rule":"happened(talks) or agreed(sanctions == lifted)"},"consequence":null,"reports":[],"basis":null}"#,
        r#"{"type":"commitment","id":"c_deal","date":"2025-04-01","party":"ukraine","scope":"y","from":"2025-04-01","days":null,"condition":{"requires":"rule","rule":"agreed(sanctions == lifted) and in_force(c_met)"},"consequence":null,"reports":[],"basis":null}"#,
    ];
    let text = format!("{}{}\n", example(), extra.join("\n"));
    on_each_backend(|db| {
        let mut ledger = Ledger::open(&db.location).unwrap();
        ledger.import(&text).unwrap();
        let all = ledger.records().unwrap();
        let some = ledger.status_records().unwrap();
        assert!(some.len() < all.len(), "plain statements are left out");
        assert!(!some.iter().any(|r| r.id() == "plain"));
        for at in [
            "2025-04-10",
            "2025-04-11",
            "2025-04-16",
            "2025-04-19T17:00+03:00",
            "2025-04-19",
            "2025-04-22",
            "2025-04-24",
            "2025-05",
        ] {
            let at = at.parse().unwrap();
            assert_eq!(status_at(&some, at), status_at(&all, at), "on {at}");
        }
    });
}

/// The rows of the ledger an earlier truce made (tests/fixtures/README.md):
/// (id, kind, body, prev_hash, hash), in order.
fn rows_made_by_an_earlier_truce() -> Vec<[String; 5]> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ledger-made-by-93ba33b.rows.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            ["id", "kind", "body", "prev_hash", "hash"].map(|k| v[k].as_str().unwrap().to_string())
        })
        .collect()
}

/// What the earlier ledger says, read by today's truce.
fn check_the_earlier_ledger(ledger: &mut Ledger, rows: &[[String; 5]]) {
    let chain = ledger.verify_chain().unwrap();
    assert_eq!(chain.entries, rows.len());
    assert_eq!(chain.head, rows.last().unwrap()[4], "history was re-hashed");
    let records = ledger.records().unwrap();
    let bodies: Vec<truce_ledger::Record> = rows
        .iter()
        .map(|r| serde_json::from_str(&r[2]).unwrap())
        .collect();
    assert_eq!(records, bodies);
    let needed = ledger.status_records().unwrap();
    let s = status_at(&needed, "2025-04-19".parse().unwrap());
    let ru = s.commitments.iter().find(|c| c.id == "ru_energy").unwrap();
    assert_eq!(ru.state, truce_ledger::CommitmentState::Violated);
    assert_eq!(s.unfulfilled_promises[0].commitment, "ru_energy");
    // New kinds of record go on the end of the old chain.
    let promise = r#"{"type":"promise","id":"p","date":"2025-04-20","by":"us","against":"russia","action":"mediation_withdrawn","label":null,"in_response_to":"us_walk_away","reports":[],"basis":"test"}"#;
    ledger.import(promise).unwrap();
    assert_eq!(ledger.verify().unwrap(), rows.len() + 1);
}

/// Issue 10: the SQLite file the truce before issue 10 made opens, verifies
/// with its own hashes, and answers.
#[test]
fn a_ledger_file_made_by_an_earlier_truce_opens_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    std::fs::copy(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/ledger-made-by-93ba33b.db"),
        &path,
    )
    .unwrap();
    let mut ledger = Ledger::open(&Location::File(path)).unwrap();
    check_the_earlier_ledger(&mut ledger, &rows_made_by_an_earlier_truce());
}

/// Issue 10: a ledger at schema version 1 holding the earlier truce's rows
/// is migrated on opening, on both databases, without changing or
/// re-hashing a row.
#[test]
fn a_ledger_at_an_older_schema_migrates_without_rehashing() {
    use truce_store::testing::{create_at_schema_version, schema_version};
    let rows = rows_made_by_an_earlier_truce();
    on_each_backend(|db| {
        create_at_schema_version(&db.location, 1).unwrap();
        assert_eq!(schema_version(&db.location).unwrap(), 1);
        // The rows as the earlier truce wrote them.
        match &db.location {
            Location::File(path) => {
                let c = rusqlite::Connection::open(path).unwrap();
                for r in &rows {
                    c.execute(
                        "INSERT INTO entries (id, kind, body, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
                        rusqlite::params![r[0], r[1], r[2], r[3], r[4]],
                    )
                    .unwrap();
                }
            }
            Location::Postgres(url) => {
                let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
                for r in &rows {
                    c.execute(
                        "INSERT INTO entries (id, kind, body, prev_hash, hash) VALUES ($1, $2, $3, $4, $5)",
                        &[&r[0], &r[1], &r[2], &r[3], &r[4]],
                    )
                    .unwrap();
                }
            }
        }
        let mut ledger = Ledger::open(&db.location).unwrap();
        assert!(schema_version(&db.location).unwrap() > 1, "not migrated");
        check_the_earlier_ledger(&mut ledger, &rows);
    });
}

/// Issue 10's rules, through each database: what is stored and read back
/// gives the answers the rules promise.
#[test]
fn the_rules_of_issue_10_hold_through_each_database() {
    on_each_backend(|db| {
        let mut ledger = Ledger::open(&db.location).unwrap();
        ledger.import(&example()).unwrap();
        let status = |ledger: &mut Ledger, at: &str, check: &dyn Fn(&truce_ledger::Status)| {
            let records = ledger.status_records().unwrap();
            check(&status_at(&records, at.parse().unwrap()));
        };
        fn moratorium<'a>(
            s: &'a truce_ledger::Status<'a>,
        ) -> &'a truce_ledger::CommitmentStatus<'a> {
            s.commitments
                .iter()
                .find(|c| c.id == "energy_moratorium")
                .unwrap()
        }
        // A report before the term does not violate; the two sources'
        // start dates give two versions.
        status(&mut ledger, "2025-03-20", &|s| {
            let c = moratorium(s);
            assert_eq!(c.state, truce_ledger::CommitmentState::Pending);
            assert_eq!(c.reports_outside_term[0].id, "strike_reported_19_march");
            assert_eq!(c.terms.len(), 2);
            assert!(c.terms_disputed);
        });
        // A promise appears only from its own date.
        status(&mut ledger, "2025-03-29", &|s| {
            assert!(s.promises.is_empty())
        });
        status(&mut ledger, "2025-03-30", &|s| {
            assert_eq!(s.promises.len(), 1)
        });
        // An unrelated sanction fulfils no promise; one that names it does.
        ledger
            .import(r#"{"type":"sanction","id":"rosneft","date":"2025-10-22","by":"us","against":"russia","action":"imposed","measure":"rosneft_lukoil","reports":[],"basis":"test"}"#)
            .unwrap();
        status(&mut ledger, "2025-10-30", &|s| {
            assert_eq!(s.promises[0].state, truce_ledger::PromiseState::Overdue);
        });
        ledger
            .import(r#"{"type":"sanction","id":"named","date":"2025-11-01","by":"us","against":"russia","action":"imposed","fulfils":"us_sanctions_promise","reports":[],"basis":"test"}"#)
            .unwrap();
        status(&mut ledger, "2025-11-02", &|s| {
            assert_eq!(s.promises[0].state, truce_ledger::PromiseState::Fulfilled);
            assert_eq!(s.promises[0].fulfilled_by, Some("named"));
        });
        // Retraction cycles are refused; retracting a retraction restores.
        let cycle = "{\"type\":\"retraction\",\"id\":\"a\",\"retracts\":\"b\",\"date\":\"2025-04-20\",\"reason\":\"x\",\"reports\":[],\"basis\":null}\n{\"type\":\"retraction\",\"id\":\"b\",\"retracts\":\"a\",\"date\":\"2025-04-20\",\"reason\":\"x\",\"reports\":[],\"basis\":null}";
        assert!(matches!(ledger.import(cycle), Err(StoreError::Rejected(_))));
        ledger
            .import(r#"{"type":"retraction","id":"r1","retracts":"ru_energy_violated","date":"2025-04-20","reason":"misattributed","reports":[],"basis":"test"}"#)
            .unwrap();
        status(&mut ledger, "2025-04-21", &|s| {
            assert!(moratorium(s).violations.is_empty());
        });
        ledger
            .import(r#"{"type":"retraction","id":"r2","retracts":"r1","date":"2025-04-22","reason":"confirmed after all","reports":[],"basis":"test"}"#)
            .unwrap();
        status(&mut ledger, "2025-04-22", &|s| {
            assert_eq!(moratorium(s).violations[0].id, "ru_energy_violated");
        });
        assert!(ledger.verify().is_ok());
    });
}
