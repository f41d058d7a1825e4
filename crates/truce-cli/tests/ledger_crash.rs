//! A kill -9 in the middle of a large import leaves the whole batch or
//! none of it, and the hash chain intact.

// A failing test unwraps, expects or panics: that is how it fails; and it
// may tell the runner what it covered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::io::Write;
use std::process::Command;
use std::time::Duration;
use truce_ledger::generate::{synthetic_jsonl, LedgerShape};
use truce_store::testing::scratch_ledgers;

fn big_batch(n: usize) -> String {
    synthetic_jsonl(LedgerShape {
        records: n + 2,
        commitments: 0,
        violations: 0,
    })
}

#[test]
fn a_killed_import_leaves_all_or_nothing() {
    let bin = assert_cmd::cargo::cargo_bin("truce");
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("big.jsonl");
    let n = 100_000;
    std::fs::File::create(&batch)
        .unwrap()
        .write_all(big_batch(n).as_bytes())
        .unwrap();
    for (round, delay_ms) in [5u64, 40, 120, 300, 800, 2500].into_iter().enumerate() {
        // A fresh ledger per round and per database.
        for db in scratch_ledgers(dir.path(), &format!("l{round}")).unwrap() {
            let run = |args: &[&str]| {
                let mut c = Command::new(&bin);
                c.arg("ledger").args(args).arg("--db").arg(db.arg());
                c
            };
            assert!(run(&["init"]).status().unwrap().success());
            let mut child = run(&["import", batch.to_str().unwrap()]).spawn().unwrap();
            std::thread::sleep(Duration::from_millis(delay_ms));
            let _ = child.kill(); // SIGKILL on Unix
            let _ = child.wait();
            let out = run(&["verify"]).output().unwrap();
            assert!(
                out.status.success(),
                "{}: {}",
                db.backend(),
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let ending = if text.contains(" 0 entries") {
                "none"
            } else {
                assert!(
                    text.contains(&format!(" {} entries", n + 2)),
                    "{}: partial import: {text}",
                    db.backend()
                );
                "all"
            };
            // Both endings occur across the delays on any machine that is
            // neither instantaneous nor glacial; each is checked either way.
            eprintln!("{} killed after {delay_ms} ms: {ending}", db.backend());
        }
    }
}
