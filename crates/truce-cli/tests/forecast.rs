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

fn ktab_dir() -> Option<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/forecast/ktab");
    if d.is_dir() {
        Some(d)
    } else if std::env::var_os("CI").is_some() {
        panic!("KTAB's inputs are missing from {}", d.display());
    } else {
        None
    }
}

#[test]
fn ktab_joins_all_with_rounds_and_probabilities_of_prevailing() {
    let v = json(&["forecast", example().to_str().unwrap(), "--model", "all"]);
    let f = &v["forecasts"]["ktab"]["sanctions"];
    assert!(f["option"].is_string(), "{f}");
    let rounds = v["rounds"]["ktab"].as_array().unwrap();
    assert!(rounds.len() >= 3, "KTAB's model runs at least two turns");
    let prevailing = v["prevailing"]["ktab"].as_array().unwrap();
    assert_eq!(prevailing.len(), rounds.len(), "one per round");
    for round in prevailing {
        for (_, p) in round.as_object().unwrap() {
            let p = p.as_f64().unwrap();
            assert!((0.0..=1.0).contains(&p), "{round}");
        }
    }
    // The text says how the run ended.
    truce()
        .arg("forecast")
        .arg(example())
        .args(["--model", "ktab"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "ktab: probability that each actor's position prevails",
        ));
}

#[test]
fn ktab_takes_a_ktab_files_settings_and_the_command_lines() {
    let Some(d) = ktab_dir() else { return };
    let xml = d.join("smpExample.xml");
    let xml = xml.to_str().unwrap();
    // The file asks for stochastic transitions with its own seed: the
    // answer replays, and another seed gives another path.
    let a = json(&["forecast", xml, "--model", "ktab"]);
    assert_eq!(json(&["forecast", xml, "--model", "ktab"]), a);
    let b = json(&["forecast", xml, "--model", "ktab", "--seed", "12345"]);
    assert_ne!(
        a["rounds"], b["rounds"],
        "a different seed, a different draw"
    );
    // Deterministic transitions ignore the seed.
    let det = [
        "forecast",
        xml,
        "--model",
        "ktab",
        "--ktab",
        "StateTransitions=Deterministic",
    ];
    let c = json(&det);
    let mut with_seed = det.to_vec();
    with_seed.extend(["--seed", "12345"]);
    assert_eq!(json(&with_seed)["rounds"], c["rounds"]);
    // A bad parameter names what is accepted.
    truce()
        .args([
            "forecast",
            xml,
            "--model",
            "ktab",
            "--ktab",
            "VotingRule=Loud",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("PropCbc"));
    truce()
        .args(["forecast", xml, "--model", "ktab", "--ktab", "Volume=2"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("VictoryProbModel"));
}

#[test]
fn ktab_runs_replay_on_any_thread_count() {
    let file = example();
    let file = file.to_str().unwrap();
    let args = [
        "forecast", file, "--model", "ktab", "--runs", "40", "--seed", "3",
    ];
    let v = json(&args);
    let f = &v["forecasts"]["ktab"]["sanctions"];
    assert!(f["interval"][0].as_f64().unwrap() <= f["interval"][1].as_f64().unwrap());
    let mut one = args.to_vec();
    one.extend(["--threads", "1"]);
    assert_eq!(json(&one), v, "one thread or two, same answer");
}
