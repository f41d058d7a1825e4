//! `truce report` on the shipped example: one self-contained HTML file
//! with every picture, on each database; the flags' mistakes refused with
//! a message that says how to fix them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;
use truce_store::testing::scratch_ledgers;

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

fn truce() -> Command {
    Command::cargo_bin("truce").unwrap()
}

#[test]
fn the_example_report_holds_every_picture_and_needs_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    for db in scratch_ledgers(dir.path(), "report").unwrap() {
        truce()
            .args(["ledger", "init", "--db", &db.arg()])
            .assert()
            .success();
        truce()
            .args(["ledger", "import"])
            .arg(example("ukraine-2025.ledger.jsonl"))
            .args(["--db", &db.arg()])
            .assert()
            .success();
        let out = dir.path().join(format!("report-{}.html", db.backend()));
        truce()
            .arg("report")
            .arg(example("ukraine-2025.toml"))
            .args(["--ledger", &db.arg(), "--simulate", "--runs", "400", "-o"])
            .arg(&out)
            .assert()
            .success();
        let html = std::fs::read_to_string(&out).unwrap();
        for picture in [
            "frontier-picture",
            "support-picture",
            "compare-picture",
            "odds-picture",
            "outcomes-picture",
            "variations-picture",
            "timeline-picture",
        ] {
            assert!(html.contains(picture), "{}: no {picture}", db.backend());
        }
        // Self-contained: no script, nothing fetched, no link off the page
        // (the SVG namespace is a name, not a fetch).
        assert!(!html.contains("<script"));
        assert!(!html.contains(" src="));
        assert!(!html.contains("href=\"http"));
        assert!(!html.contains("@import"));
        assert!(!html.contains("url("));
        // The ledger's date defaults to its latest, and the password of a
        // database URL never reaches the page.
        assert!(html.contains("The record on 2025-04-"), "{}", db.backend());
        assert!(!html.contains("truce-test"));
    }
}

#[test]
fn the_report_without_ledger_or_simulation_says_only_what_it_knows() {
    let out = truce()
        .arg("report")
        .arg(example("ukraine-2025.toml"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("frontier-picture"));
    assert!(!html.contains("odds-picture"));
    assert!(!html.contains("timeline-picture"));
}

#[test]
fn a_chosen_pair_is_drawn_and_a_wrong_one_refused() {
    let out = truce()
        .arg("report")
        .arg(example("ukraine-2025.toml"))
        .args(["--pair", "us,ukraine"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains(r#"data-x-party="us" data-y-party="ukraine""#));
    truce()
        .arg("report")
        .arg(example("ukraine-2025.toml"))
        .args(["--pair", "us,narnia"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no party `narnia`").and(predicate::str::contains("ukraine")),
        );
    truce()
        .arg("report")
        .arg(example("ukraine-2025.toml"))
        .args(["--pair", "ukraine"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("two different party ids"));
    truce()
        .arg("report")
        .arg(example("ukraine-2025.toml"))
        .args(["--ledger", "/nonexistent/ledger.db"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no ledger at"));
}
