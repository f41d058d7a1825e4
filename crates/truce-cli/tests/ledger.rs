//! `truce ledger` on the shipped example, once per database: a SQLite file
//! always, and PostgreSQL when TRUCE_TEST_POSTGRES names a server (CI).

// A failing test unwraps, expects or panics: that is how it fails; and it
// may tell the runner what it covered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::PathBuf;
use truce_store::testing::{scratch_ledgers, Scratch};

/// How many entries the example ledger holds (one per non-empty line).
fn example_entries() -> usize {
    std::fs::read_to_string(example_ledger())
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count()
}

fn example_ledger() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/ukraine-2025.ledger.jsonl")
}

/// `truce ledger ARGS --db DB`.
fn ledger(args: &[&str], db: &Scratch) -> Command {
    let mut c = Command::cargo_bin("truce").unwrap();
    c.arg("ledger").args(args).arg("--db").arg(db.arg());
    c
}

fn on_each_backend(test: impl Fn(&Scratch, &std::path::Path)) {
    let dir = tempfile::tempdir().unwrap();
    for db in scratch_ledgers(dir.path(), "l").unwrap() {
        eprintln!("-- {}", db.backend());
        test(&db, dir.path());
    }
}

fn imported(db: &Scratch) {
    ledger(&["init"], db).assert().success();
    let src = example_ledger();
    ledger(&["import", src.to_str().unwrap()], db)
        .assert()
        .success();
}

#[test]
fn the_ledger_answers_what_holds_on_19_april() {
    on_each_backend(|db, dir| {
        imported(db);
        ledger(&["status", "--at", "2025-04-19"], db)
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "ukraine — no hostilities in the Black Sea: in force [ua_black_sea]",
            ))
            .stdout(predicate::str::contains(
                "russia (with ukraine) — no strikes on the other side's energy facilities: in force, VIOLATED [energy_moratorium]",
            ))
            .stdout(predicate::str::contains(
                "violation reported 2025-03-19 by ukraine, outside its term: not counted [strike_reported_19_march]",
            ))
            .stdout(predicate::str::contains(
                "violation reported 2025-04-18 by us: Marco Rubio (US Secretary of State)",
            ))
            .stdout(predicate::str::contains("waits for: sanctions_lifted(russia)"))
            .stdout(predicate::str::contains(
                "us promised sanctions if russia broke energy_moratorium",
            ))
            .stdout(predicate::str::contains(
                "us promised tough sanctions against russia in response to energy_moratorium (2025-03-30): OVERDUE since 2025-04-18 [us_sanctions_promise]",
            ))
            .stdout(predicate::str::contains("2025-04-25 (in 6 days"));
        let out = ledger(&["status", "--at", "2025-04-19", "--format", "json"], db)
            .output()
            .unwrap();
        assert!(out.status.success());
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["at"], "2025-04-19");
        let commitment = |id: &str| {
            v["commitments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == id)
                .unwrap()
                .clone()
        };
        assert_eq!(commitment("ua_black_sea")["state"], "in_force");
        assert_eq!(commitment("ru_black_sea")["state"], "pending");
        assert_eq!(
            commitment("ru_black_sea")["condition"]["rule"],
            "sanctions_lifted(russia)"
        );
        let ru = commitment("energy_moratorium");
        assert_eq!(ru["state"], "violated");
        assert_eq!(ru["party"], "russia");
        assert_eq!(ru["with"][0], "ukraine");
        assert_eq!(
            ru["reports_outside_term"][0]["id"],
            "strike_reported_19_march"
        );
        assert_eq!(ru["terms"][1]["claim"], "energy_moratorium_from_18_march");
        assert_eq!(v["promises"][0]["promised_on"], "2025-03-30");
        assert_eq!(v["promises"][0]["state"], "overdue");
        assert_eq!(ru["in_force"], true);
        assert_eq!(ru["violations"][0]["reported_by"], "us");
        assert_eq!(ru["violations"][0]["date"], "2025-04-18");
        assert_eq!(ru["violations"][0]["sources"][0], "seed");
        assert_eq!(
            ru["violations"][0]["speakers"][0],
            "Marco Rubio (US Secretary of State)"
        );
        assert_eq!(v["unfulfilled_promises"][0]["promised_by"], "us");
        assert_eq!(v["deadlines"][0]["id"], "us_walk_away");
        assert_eq!(v["deadlines"][0]["days_left"], 6);
        ledger(&["verify"], db)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "{} entries, hash chain intact",
                example_entries()
            )));
        // A malformed batch is rejected with its line, exit 2, nothing written.
        let bad = dir.join("bad.jsonl");
        std::fs::write(&bad, "{\"type\":\"sanction\"}\n").unwrap();
        ledger(&["import", bad.to_str().unwrap()], db)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("bad.jsonl:1: missing field `id`"))
            .stderr(predicate::str::contains("nothing was written"));
        let bad = dir.join("bad.csv");
        std::fs::write(
            &bad,
            "event_id_cnty,event_type,event_date\nx,sanction,2025-04-31\n",
        )
        .unwrap();
        ledger(&["import", bad.to_str().unwrap()], db)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("bad.csv:2: "));
        ledger(&["verify"], db)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "{} entries",
                example_entries()
            )));
    });
}

#[test]
fn sources_tell_on_whose_word_an_entry_rests() {
    on_each_backend(|db, _| {
        imported(db);
        ledger(&["sources", "us_walk_away"], db)
            .assert()
            .success()
            .stdout(predicate::str::contains("3 report(s)"))
            .stdout(predicate::str::contains(
                "a senior Trump administration official, via New York Post",
            ))
            .stdout(predicate::str::contains("assumption: the date"));
        let out = ledger(&["sources", "ru_energy_violated", "--format", "json"], db)
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["kind"], "violation");
        assert_eq!(v["independent_sources"], 1);
        assert_eq!(v["supporting"][0]["id"], "r_rubio_violations");
        ledger(&["sources", "nothing"], db)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("no entry `nothing`"));
    });
}

/// Exports a ledger in `format`, imports that into a fresh ledger, exports
/// again: the two exports are the same bytes and hold the example's records.
#[test]
fn exports_in_json_lines_and_csv_import_into_the_same_ledger() {
    for ext in ["jsonl", "csv"] {
        on_each_backend(|db, dir| {
            imported(db);
            let out = dir.join(format!("out.{ext}"));
            ledger(&["export", "-o", out.to_str().unwrap()], db)
                .assert()
                .success();
            let copy = scratch_ledgers(dir, &format!("copy_{ext}"))
                .unwrap()
                .into_iter()
                .find(|s| s.backend() == db.backend())
                .unwrap();
            ledger(&["init"], &copy).assert().success();
            ledger(&["import", out.to_str().unwrap()], &copy)
                .assert()
                .success();
            let again = dir.join(format!("again.{ext}"));
            ledger(&["export", "-o", again.to_str().unwrap()], &copy)
                .assert()
                .success();
            let (x, y) = (
                std::fs::read_to_string(&out).unwrap(),
                std::fs::read_to_string(&again).unwrap(),
            );
            assert_eq!(x, y);
            let from_export = match ext {
                "csv" => truce_ledger::read_csv(&x).unwrap(),
                _ => truce_ledger::read_jsonl(&x).unwrap(),
            };
            let original =
                truce_ledger::read_jsonl(&std::fs::read_to_string(example_ledger()).unwrap())
                    .unwrap();
            assert_eq!(from_export, original);
        });
    }
}

#[test]
fn a_missing_file_ledger_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    Command::cargo_bin("truce")
        .unwrap()
        .args(["ledger", "status", "--at", "2025-04-19", "--db"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("truce ledger init"));
}

#[test]
fn check_ties_the_ledger_to_the_scenario() {
    let scenario =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/ukraine-2025.toml");
    on_each_backend(|db, dir| {
        imported(db);
        ledger(&["check", "--scenario", scenario.to_str().unwrap()], db)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "{} entries; every party and issue",
                example_entries()
            )));
        let typo = dir.join("typo.jsonl");
        std::fs::write(
            &typo,
            r#"{"type":"sanction","id":"s1","date":"2025-05-01","by":"us","against":"rusia","action":"imposed","concerns":["sanctions=tightend"],"reports":["r_trump_sanctions"]}"#,
        )
        .unwrap();
        ledger(&["import", typo.to_str().unwrap()], db)
            .assert()
            .success();
        ledger(&["check", "--scenario", scenario.to_str().unwrap()], db)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "entry `s1`, against: no party `rusia` in the scenario (did you mean `russia`?)",
            ))
            .stderr(predicate::str::contains("did you mean `tightened`?"));
        let out = ledger(
            &[
                "check",
                "--scenario",
                scenario.to_str().unwrap(),
                "--format",
                "json",
            ],
            db,
        )
        .output()
        .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["ok"], false);
        assert_eq!(v["problems"].as_array().unwrap().len(), 2);
    });
}

#[test]
fn import_and_verify_report_in_json_too() {
    on_each_backend(|db, dir| {
        ledger(&["init"], db).assert().success();
        let src = example_ledger();
        let out = ledger(&["import", src.to_str().unwrap(), "--format", "json"], db)
            .output()
            .unwrap();
        assert!(out.status.success());
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["imported"], example_entries());
        let bad = dir.join("bad.txt");
        std::fs::write(&bad, "event_id_cnty,event_type\nx,pledge\n").unwrap();
        let out = ledger(
            &[
                "import",
                bad.to_str().unwrap(),
                "--from",
                "csv",
                "--format",
                "json",
            ],
            db,
        )
        .output()
        .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["rejected"][0]["line"], 2);
        let out = ledger(&["verify", "--format", "json"], db)
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["entries"], example_entries());
        assert_eq!(v["intact"], true);
    });
}

#[test]
fn status_shows_disputes_and_later_corroboration() {
    on_each_backend(|db, dir| {
        imported(db);
        let more = dir.join("more.jsonl");
        std::fs::write(
            &more,
            concat!(
                r#"{"type":"source","id":"wire","outlet":"A wire service","published":"2025-04-19"}"#, "\n",
                r#"{"type":"report","id":"r_kremlin","source":"wire","speaker":{"name":"Dmitry Peskov","role":"Kremlin spokesman"}}"#, "\n",
                r#"{"type":"report","id":"r_monitors","source":"wire","speaker":{"description":"monitors on the ground"}}"#, "\n",
                r#"{"type":"denial","id":"d_ru","denies":"ru_energy_violated","date":"2025-04-19","by":"russia","reports":["r_kremlin"]}"#, "\n",
                r#"{"type":"corroboration","id":"k_mon","supports":"ru_energy_violated","date":"2025-04-19","reports":["r_monitors"]}"#, "\n",
                r#"{"type":"denial","id":"d_ru_bs","denies":"ru_black_sea","date":"2025-04-19","by":"russia","reports":["r_kremlin"]}"#, "\n",
            ),
        )
        .unwrap();
        ledger(&["import", more.to_str().unwrap()], db)
            .assert()
            .success();
        ledger(&["status", "--at", "2025-04-19"], db)
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "2 report(s), 2 source(s), 2 independent; denied in 1 report(s) by russia",
            ))
            .stdout(predicate::str::contains(
                "DISPUTED: 1 report(s), 1 source(s), 1 independent; denied in 1 report(s) by russia",
            ));
        // The day before, neither the denial nor the corroboration was known.
        ledger(&["status", "--at", "2025-04-18"], db)
            .assert()
            .success()
            .stdout(predicate::str::contains("DISPUTED").not())
            .stdout(predicate::str::contains(
                "1 report(s), 1 source(s), 1 independent\n",
            ));
    });
}

/// Issue 10: `ledger head` prints the chain's length and head; `verify
/// --expect-head` passes on that head and fails on any other.
#[test]
fn the_head_is_printed_and_verified_against() {
    on_each_backend(|db, _| {
        imported(db);
        let out = ledger(&["head", "--format", "json"], db).output().unwrap();
        assert!(out.status.success());
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["entries"], example_entries());
        let head = v["head"].as_str().unwrap().to_string();
        assert_eq!(head.len(), 64);
        ledger(&["head"], db)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "{} entries, head {head}",
                example_entries()
            )));
        ledger(&["verify", "--expect-head", &head], db)
            .assert()
            .success()
            .stdout(predicate::str::contains("hash chain intact"));
        let other = "0".repeat(64);
        ledger(&["verify", "--expect-head", &other], db)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not at the expected head"));
        let out = ledger(&["verify", "--expect-head", &other, "--format", "json"], db)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["intact"], false);
        assert_eq!(v["head"], head.as_str());
        assert_eq!(v["expected_head"], other.as_str());
    });
}

/// An ACLED export with its published columns (rows written for this test:
/// the events are invented, the format is ACLED's).
const ACLED: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp
UKR1001,20 March 2025,2025,1,Political violence,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),,8,,,,80,,804,Europe,Ukraine,Odesa,Odeskyi,,Odesa,46.48,30.72,1,Ukrainska Pravda,National,Drone strike hit an energy substation in Odesa.,0,,1742500000
UKR1002,28 March 2025,2025,1,Political violence,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),,8,,,,80,,804,Europe,Ukraine,Kharkiv,Kharkivskyi,,Kharkiv,49.99,36.23,1,Suspilne,National,Drone strike on a power plant in Kharkiv; energy supply cut.,1,,1742500000
UKR1003,29 March 2025,2025,1,Political violence,Battles,Armed clash,Military Forces of Russia (2000-),,8,Military Forces of Ukraine (2019-),,8,88,,804,Europe,Ukraine,Donetsk,Pokrovskyi,,Pokrovsk,48.28,37.18,1,Suspilne,National,Clashes near Pokrovsk; energy not involved.,3,,1742500000
UKR1004,30 March 2025,2025,1,Political violence,Explosions/Remote violence,Air/drone strike,Military Forces of Ukraine (2019-),,8,,,,80,,643,Europe,Russia,Krasnodar,,,Kropotkin,45.43,40.57,1,TASS,National,Drone strike on an oil pumping station in Kropotkin; energy facility hit.,0,,1742500000
";

#[test]
fn acled_incidents_are_imported_and_matched_to_commitments() {
    on_each_backend(|db, dir| {
        ledger(&["init"], db).assert().success();
        let base = dir.join("base.jsonl");
        std::fs::write(
            &base,
            r#"{"type":"source","id":"s","outlet":"o","title":null,"url":null,"published":null}
{"type":"report","id":"r","source":"s","speaker":{"description":"an official"},"via":null,"said_on":null,"words":null,"at":null}
{"type":"commitment","id":"ru_energy","date":"2025-03-18","party":"russia","scope":"no strikes on energy","from":"2025-03-25","days":30,"condition":null,"consequence":null,"covers":{"categories":["Air/drone strike"],"keywords":["energy","power"]},"reports":["r"],"basis":null}
"#,
        )
        .unwrap();
        ledger(&["import", base.to_str().unwrap()], db)
            .assert()
            .success();
        let acled = dir.join("acled.csv");
        std::fs::write(&acled, ACLED).unwrap();
        let a = acled.to_str().unwrap();
        let actors = [
            "--actor",
            "Military Forces of Russia (2000-)=russia",
            "--actor",
            "Military Forces of Ukraine (2019-)=ukraine",
        ];
        let mut args = vec!["import", a, "--from", "acled"];
        args.extend(actors);
        ledger(&args, db).assert().success();
        // The same rows again are refused: their ids are taken.
        ledger(&args, db)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("acled-UKR1001"));
        let out = ledger(&["match", "--format", "json"], db).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let events: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["event"].as_str().unwrap())
            .collect();
        // 1001 is before the term, 1003 is a clash, 1004 is Ukraine's.
        assert_eq!(events, vec!["acled-UKR1002"], "{v}");
        assert_eq!(v[0]["commitment"], "ru_energy");
        assert_eq!(v[0]["date"], "2025-03-28");
        ledger(&["match"], db)
            .assert()
            .success()
            .stdout(predicate::str::contains("russia — ru_energy"))
            .stdout(predicate::str::contains(
                "2025-03-28 [Explosions/Remote violence: Air/drone strike] acled-UKR1002",
            ));
        // Nothing was recorded as a violation.
        ledger(&["status", "--at", "2025-04-01", "--format", "json"], db)
            .assert()
            .success()
            .stdout(predicate::str::contains("\"violations\": []"));
        // A file that is not an ACLED export is refused, and nothing written.
        ledger(&["import", base.to_str().unwrap(), "--from", "acled"], db)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not an ACLED export"));
    });
}
