//! `truce simulate` on the shipped example: the readable answer, the JSON
//! contract, variations, minutes, and bad input.

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

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/ukraine-2025.toml")
}

fn simulate(args: &[&str]) -> Command {
    let mut c = Command::cargo_bin("truce").unwrap();
    c.arg("simulate").arg(example()).args(args);
    c
}

fn json(args: &[&str]) -> Value {
    let out = simulate(&[args, &["--format", "json"]].concat())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_example_answers_how_likely_a_deal_is_and_what_moves_the_odds() {
    simulate(&["--runs", "2000"])
        .assert()
        .success()
        .stdout(predicate::str::contains("A DEAL BEFORE THE DEADLINE:"))
        .stdout(predicate::str::contains(
            "United States walks away after round 7",
        ))
        .stdout(predicate::str::contains("MOST LIKELY DEALS"))
        .stdout(predicate::str::contains("WHAT MOVES THE ODDS"))
        .stdout(predicate::str::contains("fix.sanctions=free,unchanged"))
        .stdout(predicate::str::contains("deadline=7,30"));
}

#[test]
fn json_has_the_contracted_keys_and_consistent_numbers() {
    let v = json(&["--runs", "1500", "--seed", "9"]);
    for key in [
        "runs",
        "seed",
        "p_agreement",
        "p_agreement_before_deadline",
        "mean_rounds",
        "expected_utility",
        "outcomes",
        "variants",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["runs"], 1500);
    assert_eq!(v["seed"], 9);
    let p = v["p_agreement"].as_f64().unwrap();
    assert!(v["p_agreement_before_deadline"].as_f64().unwrap() <= p);
    for party in ["us", "russia", "ukraine", "europe"] {
        let u = v["expected_utility"][party].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&u), "{party}: {u}");
    }
    // Each issue's shares add up to the share of runs with a deal.
    for (issue, options) in v["outcomes"].as_object().unwrap() {
        let sum: f64 = options
            .as_object()
            .unwrap()
            .values()
            .map(|x| x.as_f64().unwrap())
            .sum();
        assert!((sum - p).abs() < 1e-9, "{issue}: {sum} vs {p}");
    }
    let variants = v["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 4);
    let values: Vec<&str> = variants
        .iter()
        .map(|x| x["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["free", "unchanged", "7", "30"]);
    // Holding sanctions unchanged means no deal lifts or eases them.
    let unchanged = &variants[1];
    assert_eq!(
        unchanged["outcomes"]["sanctions"]["unchanged"],
        unchanged["p_agreement"]
    );
    assert!(unchanged["outcomes"]["sanctions"].get("lifted").is_none());
    // The same seed gives the same answer, on any number of threads.
    assert_eq!(
        v,
        json(&["--runs", "1500", "--seed", "9", "--threads", "1"])
    );
}

#[test]
fn flags_override_the_scenario() {
    let v = json(&[
        "--runs",
        "300",
        "--protocol",
        "ultimatum",
        "--vary",
        "reservation.ukraine=0.4,1",
        "--strategy",
        "ukraine=hardliner",
    ]);
    assert_eq!(v["protocol"], "ultimatum");
    let variants = v["variants"].as_array().unwrap();
    assert_eq!(variants[0]["parameter"], "reservation.ukraine=0.4,1");
    // Kyiv valuing no deal above anything it can get leaves the mediator no
    // offer to make.
    assert_eq!(variants[1]["p_agreement"], 0.0);
    assert_eq!(variants[1]["endings"]["no_offer"], 1.0);
    let v = json(&[
        "--runs",
        "200",
        "--no-vary",
        "--fix",
        "sanctions=unchanged",
        "--deadline",
        "3",
    ]);
    assert_eq!(v["variants"].as_array().unwrap().len(), 0);
    assert_eq!(v["fixed"]["sanctions"], "unchanged");
    assert_eq!(v["deadline_round"], 3);
}

#[test]
fn the_trace_reads_like_minutes() {
    simulate(&[
        "--runs",
        "10",
        "--no-vary",
        "--trace",
        "--protocol",
        "mediated",
    ])
    .assert()
    .success()
    .stdout(predicate::str::contains(
        "MINUTES OF RUN 0 (mediated protocol)",
    ))
    .stdout(predicate::str::contains("Round 1"))
    .stdout(predicate::str::contains("United States tables:"));
    let v = json(&["--runs", "10", "--no-vary", "--trace", "3"]);
    assert_eq!(v["trace"]["run"], 3);
    assert!(!v["trace"]["events"].as_array().unwrap().is_empty());
}

#[test]
fn bad_settings_say_what_and_exit_2() {
    simulate(&["--strategy", "ukraine=stubborn"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown strategy `stubborn`"));
    simulate(&["--vary", "fix.sanctions=relaxed"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has no option `relaxed`"));
    simulate(&["--strategy", "poland=linear"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no party `poland`"));
    simulate(&["--protocol", "auction"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown protocol"));
}

#[test]
fn staged_talks_open_a_stage_only_once_the_last_is_agreed() {
    let out = simulate(&[
        "--runs",
        "5",
        "--no-vary",
        "--trace",
        "--protocol",
        "sequenced",
    ])
    .output()
    .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let at = |needle: &str| text.find(needle);
    let opens1 = at("Stage 1 opens: ceasefire_scope, truce_duration, monitoring").unwrap();
    if let Some(opens2) = at("Stage 2 opens: sanctions, frozen_assets") {
        let agreed1 = at("Stage 1 agreed:").unwrap();
        assert!(opens1 < agreed1 && agreed1 < opens2, "{text}");
    }
    let v = json(&["--runs", "500", "--no-vary", "--protocol", "sequenced"]);
    assert_eq!(v["protocol"], "sequenced");
}

/// Option ids holding the separator are named in quotes, and reports write
/// them back quoted.
#[test]
fn options_with_commas_are_named_in_quotes() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/comma-options.toml");
    let run = |vary: &str| {
        let mut c = Command::cargo_bin("truce").unwrap();
        c.arg("simulate")
            .arg(&file)
            .args(["--runs", "20", "--format", "json", "--vary", vary]);
        c.output().unwrap()
    };
    let out = run(r#"fix.army_cap="800,000","1,000,000""#);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let variants = v["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[0]["value"], "800,000");
    assert_eq!(
        variants[0]["parameter"],
        r#"fix.army_cap="800,000","1,000,000""#
    );
    assert_eq!(variants[0]["fixed"]["army_cap"], "800,000");
    // Unquoted, the comma splits the id, and the message shows how to quote.
    let out = run("fix.army_cap=800,000");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(r#""800,000", "1,000,000""#), "{err}");
}

/// With no mediator, nothing speaks of one: the deadline is the party's
/// that set it, and it ends the talks.
#[test]
fn talks_without_a_mediator_speak_of_none() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/no-mediator.toml");
    for args in [
        vec!["analyze"],
        vec!["simulate", "--runs", "20", "--trace"],
        vec!["report"],
    ] {
        let out = Command::cargo_bin("truce")
            .unwrap()
            .arg(args[0])
            .arg(&file)
            .args(&args[1..])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout).to_lowercase();
        assert!(
            !text.contains("the mediator") && !text.contains("mediator withdr"),
            "{args:?} speaks of a mediator:\n{text}"
        );
    }
}
