//! `truce forecast` on the shipped example and on tables of decisions:
//! the readable answer, the JSON contract, runs, and bad input.

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

fn truce() -> Command {
    Command::cargo_bin("truce").unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = truce()
        .args(args)
        .args(["--format", "json"])
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
fn the_example_is_forecast_by_every_model_readably() {
    truce()
        .arg("forecast")
        .arg(example())
        .args(["--model", "all"])
        .assert()
        .success()
        .stdout(predicate::str::contains("FORECAST"))
        .stdout(predicate::str::contains("ceasefire_scope"))
        .stdout(predicate::str::contains("compromise"))
        .stdout(predicate::str::contains("median"))
        .stdout(predicate::str::contains("unordered"));
}

#[test]
fn the_json_has_forecasts_per_model_and_issue_and_rounds() {
    let v = json(&["forecast", example().to_str().unwrap(), "--model", "all"]);
    for model in ["compromise", "median"] {
        let f = &v["forecasts"][model]["sanctions"];
        let p = f["position"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&p), "{f}");
        assert!(f["option"].is_string(), "{f}");
        assert!(f["interval"].is_null(), "no runs, no interval: {f}");
        let rounds = v["rounds"][model].as_array().unwrap();
        assert_eq!(rounds.len(), 1, "baselines have one round: the input");
        assert!(rounds[0]["ukraine"]["ceasefire_scope"].is_number());
    }
    // Crimea is an unordered issue: no forecast on it.
    assert!(v["forecasts"]["compromise"]["crimea"].is_null());
    assert_eq!(v["actors"]["us"], 100.0);
}

#[test]
fn runs_give_each_issue_an_interval_around_the_forecast_and_replay() {
    let file = example();
    let file = file.to_str().unwrap();
    let args = [
        "forecast",
        file,
        "--model",
        "compromise",
        "--runs",
        "300",
        "--seed",
        "7",
    ];
    let v = json(&args);
    let f = &v["forecasts"]["compromise"]["sanctions"];
    let [lo, hi] = [
        f["interval"][0].as_f64().unwrap(),
        f["interval"][1].as_f64().unwrap(),
    ];
    let mean = f["mean"].as_f64().unwrap();
    assert!(lo < hi, "capabilities and weights vary in the example: {f}");
    assert!(lo <= mean && mean <= hi, "{f}");
    assert_eq!(v["runs"]["runs"], 300);
    assert_eq!(json(&args), v, "same seed, same answer");
    let w = json(&[
        "forecast",
        file,
        "--model",
        "compromise",
        "--runs",
        "300",
        "--seed",
        "7",
        "--threads",
        "1",
    ]);
    assert_eq!(w, v, "one thread or two, same answer");
}

#[test]
fn evaluate_scores_every_model_against_known_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("decisions.csv");
    // The compromise of (20, weight 60×50) and (80, weight 40×50) is 44;
    // the median is 20. Outcomes 44 and 20: compromise right on the first,
    // median on the second.
    std::fs::write(&table, "issue,outcome,pA,sA,pB,sB\ncapability,,60,,40,\nfirst,44,20,50,80,50\nsecond,20,20,50,80,50\n").unwrap();
    let v = json(&["forecast", "--evaluate", table.to_str().unwrap()]);
    assert_eq!(v["decisions"], 2);
    let c = &v["models"]["compromise"];
    assert!(
        (c["mean_abs_error"].as_f64().unwrap() - 12.0).abs() < 1e-9,
        "{c}"
    );
    assert!((c["within_10"].as_f64().unwrap() - 0.5).abs() < 1e-9, "{c}");
    let m = &v["models"]["median"];
    assert!(
        (m["mean_abs_error"].as_f64().unwrap() - 12.0).abs() < 1e-9,
        "{m}"
    );
    assert!(
        (m["median_abs_error"].as_f64().unwrap() - 12.0).abs() < 1e-9,
        "{m}"
    );
    truce()
        .args(["forecast", "--evaluate", table.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("ACCURACY on 2 decisions"));
}

#[test]
fn bad_inputs_say_where_and_fail() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("bad.csv");
    std::fs::write(&table, "issue,outcome,pA,sA\nx,50,150,30\n").unwrap();
    truce()
        .args(["forecast", "--evaluate", table.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("bad.csv:2:3"))
        .stderr(predicate::str::contains("between 0 and 100"));
    truce()
        .arg("forecast")
        .arg(example())
        .args(["--model", "oracle"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("unknown model"));
}

#[test]
fn analyze_reports_the_forecast_package_beside_nash_and_the_offer() {
    let file = example();
    let file = file.to_str().unwrap();
    let v = json(&["analyze", file, "--forecast", "median"]);
    let f = &v["forecast"];
    assert_eq!(f["model"], "median");
    assert!(f["package"]["sanctions"].is_string(), "{f}");
    assert!(
        f["package"]["crimea"].is_null(),
        "unordered: not forecast: {f}"
    );
    // The package's option is the nearest to the forecast position, the
    // same as `truce forecast` reports.
    let direct = json(&["forecast", file, "--model", "median"]);
    assert_eq!(
        f["package"]["sanctions"],
        direct["forecasts"]["median"]["sanctions"]["option"]
    );
    assert_eq!(
        f["positions"]["sanctions"],
        direct["forecasts"]["median"]["sanctions"]["position"]
    );
    assert!(
        json(&["analyze", file])["forecast"].is_null(),
        "only when asked"
    );
    truce()
        .args(["analyze", file, "--forecast", "compromise"])
        .assert()
        .success()
        .stdout(predicate::str::contains("FORECAST (compromise model"))
        .stdout(predicate::str::contains("not forecast (no scale)"));
}
