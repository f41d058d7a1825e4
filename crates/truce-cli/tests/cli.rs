//! The command line on the shipped example and on bad input.

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

fn truce() -> Command {
    Command::cargo_bin("truce").unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = truce().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn analyze_answers_the_five_questions_readably() {
    truce()
        .arg("analyze")
        .arg(example())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "IS THERE A DEAL THAT CROSSES NO RED LINE?",
        ))
        .stdout(predicate::str::contains("Paris proposal, April 2025"))
        .stdout(predicate::str::contains("Support"))
        .stdout(predicate::str::contains("Blocked by:"))
        .stdout(predicate::str::contains(
            "Ukraine: no recognition of occupied territory as Russian",
        ))
        .stdout(predicate::str::contains("What must change"))
        .stdout(predicate::str::contains("BEST AND FINAL OFFER"))
        .stdout(predicate::str::contains("United States's best package"));
}

#[test]
fn analyze_json_has_the_contracted_keys() {
    let v = json(&["analyze", example().to_str().unwrap(), "--format", "json"]);
    for key in [
        "outcomes",
        "feasible",
        "conflicts",
        "pareto",
        "solutions",
        "plans",
        "best_offer",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(v["outcomes"], 4608);
    assert_eq!(v["feasible"]["exists"], true);
    assert!(v["feasible"]["count"].as_u64().unwrap() > 0);
    for s in ["nash", "kalai_smorodinsky", "utilitarian", "egalitarian"] {
        assert!(v["solutions"][s]["outcome"].is_object(), "{s}");
        assert!(v["solutions"][s]["utilities"]["ukraine"].is_number(), "{s}");
    }
    let pareto = v["pareto"].as_array().unwrap();
    assert_eq!(pareto.len() as u64, v["pareto_count"].as_u64().unwrap());
    assert!(pareto[0]["outcome"]["crimea"].is_string());

    let paris = v["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "paris")
        .unwrap();
    assert_eq!(paris["name"], "Paris proposal, April 2025");
    let support = paris["support"]["ukraine"].as_f64().unwrap();
    assert!((0.0..=100.0).contains(&support));
    assert_eq!(paris["acceptable"]["ukraine"], false);
    assert_eq!(paris["acceptable"]["europe"], true);
    let crossed: Vec<&str> = paris["red_lines_crossed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(crossed.contains(&"no_recognition"));
    // Ukraine's first caveat is the provision that crosses its red line.
    assert_eq!(paris["caveats"]["ukraine"][0], "crimea");
    let nearest = &paris["nearest_acceptable"];
    assert!(nearest["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "crimea"));
    assert_ne!(nearest["outcome"]["crimea"], "de_jure");

    assert_eq!(v["best_offer"]["rule"], "mediator_utility");
    assert_eq!(v["best_offer"]["mediator"], "us");
    assert_ne!(v["best_offer"]["outcome"]["crimea"], "de_jure");
}

#[test]
fn analyze_timings_are_reported_on_request() {
    let v = json(&[
        "analyze",
        example().to_str().unwrap(),
        "--format",
        "json",
        "--timings",
    ]);
    assert!(v["timings"]["analysis_ms"].as_f64().unwrap() >= 0.0);
}

#[test]
fn explain_reads_like_a_brief() {
    truce()
        .args(["explain", example().to_str().unwrap(), "--plan", "paris"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Ukraine supports it"))
        .stdout(predicate::str::contains("cannot be signed as it stands"))
        .stdout(predicate::str::contains(
            "What must change for everyone to sign",
        ));
    // By name as well as id.
    truce()
        .args([
            "explain",
            example().to_str().unwrap(),
            "--plan",
            "Paris proposal, April 2025",
        ])
        .assert()
        .success();
    truce()
        .args(["explain", example().to_str().unwrap(), "--plan", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("paris"));
}

#[test]
fn check_accepts_the_example() {
    truce()
        .arg("check")
        .arg(example())
        .assert()
        .success()
        .stdout(predicate::str::contains("valid scenario"));
    let v = json(&["check", example().to_str().unwrap(), "--format", "json"]);
    assert_eq!(v["valid"], true);
}

fn bad_file(edit_from: &str, edit_to: &str) -> (tempfile::TempDir, PathBuf) {
    let text = std::fs::read_to_string(example()).unwrap();
    assert!(text.contains(edit_from));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, text.replacen(edit_from, edit_to, 1)).unwrap();
    (dir, path)
}

#[test]
fn bad_input_gets_file_line_column_a_caret_and_exit_code_2() {
    let (_d, path) = bad_file(r#"crimea != "de_jure"'"#, r#"crimea != "dejure"'"#);
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text.lines().position(|l| l.contains("\"dejure\"")).unwrap() + 1;
    let col = text
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("\"dejure\"")
        .unwrap()
        + 1;
    for cmd in ["check", "analyze"] {
        truce()
            .arg(cmd)
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("bad.toml:{line}:{col}")))
            .stderr(predicate::str::contains(
                "issue `crimea` has no option \"dejure\"",
            ))
            .stderr(predicate::str::contains("did you mean \"de_jure\""))
            .stderr(predicate::str::contains("──┬"));
    }
}

#[test]
fn check_json_lists_located_errors() {
    let (_d, path) = bad_file(
        "reservation = { value = 0.50",
        "reservation = { value = 1.50",
    );
    let out = truce()
        .args(["check", path.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["kind"], "truce::out_of_range");
    assert!(v["errors"][0]["line"].as_u64().unwrap() > 1);
}

#[test]
fn each_kind_of_bad_file_exits_2() {
    let cases = [
        (r#"party = "russia""#, r#"party = "rusia""#, "unknown party"),
        (
            r#"id = "europe""#,
            r#"id = "ukraine""#,
            "duplicate party id",
        ),
        (
            "weight = { value = 0.30, basis = \"assumption: a full",
            "weight = { value = 0.35, basis = \"assumption: a full",
            "sum to",
        ),
        (
            r#"rule = 'occupied_territory != "de_jure" and"#,
            r#"rule = 'occupied_territory != "de_jure" &"#,
            "unexpected character",
        ),
        (
            "role = \"ally\"",
            "role = \"ally\"\nflag = true",
            "unknown field",
        ),
    ];
    for (from, to, message) in cases {
        let (_d, path) = bad_file(from, to);
        truce()
            .arg("check")
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message))
            .stderr(predicate::str::contains("bad.toml:"));
    }
}

#[test]
fn a_missing_file_is_a_clear_error() {
    truce()
        .args(["analyze", "no/such/file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read no/such/file.toml"));
}

#[test]
fn generated_scenarios_are_valid_and_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    for p in [&a, &b] {
        truce()
            .args([
                "generate",
                "--parties",
                "3",
                "--issues",
                "4",
                "--options",
                "3",
                "--seed",
                "7",
                "--mediator",
                "-o",
            ])
            .arg(p)
            .assert()
            .success();
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    truce().arg("check").arg(&a).assert().success();
    let v = json(&["analyze", a.to_str().unwrap(), "--format", "json"]);
    assert_eq!(v["outcomes"], 81);
}

fn genius_fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../truce-genius/tests/fixtures/discrete_integer")
}

#[test]
fn genius_import_export_and_analyze_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("di.toml");
    truce()
        .args(["import", "genius"])
        .arg(genius_fixture())
        .arg("-o")
        .arg(&toml)
        .assert()
        .success()
        .stderr(predicate::str::contains("similarity_function"));
    truce().arg("check").arg(&toml).assert().success();
    let out = dir.path().join("out");
    truce()
        .args(["export", "genius"])
        .arg(&toml)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("domain.xml").is_file());
    assert!(out.join("buyer.xml").is_file());
    // analyze takes a GENIUS folder directly, and both read the same.
    let a = json(&[
        "analyze",
        genius_fixture().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let b = json(&["analyze", out.to_str().unwrap(), "--format", "json"]);
    assert_eq!(a["outcomes"], 12);
    assert_eq!(a["pareto"], b["pareto"]);
    assert_eq!(a["solutions"], b["solutions"]);
}

#[test]
fn malformed_genius_xml_is_located_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["domain.xml", "buyer.xml", "seller.xml"] {
        let text = std::fs::read_to_string(genius_fixture().join(f)).unwrap();
        let text = if f == "buyer.xml" {
            text.replace("</issue>", "</isue>")
        } else {
            text
        };
        std::fs::write(dir.path().join(f), text).unwrap();
    }
    truce()
        .args(["import", "genius"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("buyer.xml:"))
        .stderr(predicate::str::contains("malformed XML"));
}

#[test]
fn exporting_what_genius_cannot_hold_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // The example has linkages, which make utility non-additive.
    truce()
        .args(["export", "genius"])
        .arg(example())
        .arg("-o")
        .arg(dir.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("linkage"));
}

/// A solution or the offer that crosses a red line of a party without a
/// veto says so, in text and JSON; the example's do not.
#[test]
fn nonbinding_red_lines_crossed_are_named() {
    let file =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/nonbinding.toml");
    let out = assert_cmd::Command::cargo_bin("truce")
        .unwrap()
        .arg("analyze")
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Nash crosses a red line of a party without a veto (binding no one): Allies: the frozen assets stay frozen"),
        "{text}"
    );
    assert!(
        text.contains("  It crosses a red line of a party without a veto"),
        "{text}"
    );
    let out = assert_cmd::Command::cargo_bin("truce")
        .unwrap()
        .args(["analyze", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["nash", "kalai_smorodinsky", "utilitarian", "egalitarian"] {
        assert_eq!(
            v["solutions"][key]["nonbinding_red_lines_crossed"],
            serde_json::json!(["assets_stay_frozen"]),
            "{key}"
        );
    }
    assert_eq!(
        v["best_offer"]["nonbinding_red_lines_crossed"],
        serde_json::json!(["assets_stay_frozen"])
    );
}

/// Packages that tie for every bargaining party are listed once, with
/// their count; `--all-ties` lists every one.
#[test]
fn tied_frontier_packages_are_listed_once_unless_asked() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/ties.toml");
    let json = |extra: &[&str]| -> Value {
        let out = truce()
            .arg("analyze")
            .arg(&file)
            .args(["--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let v = json(&[]);
    assert_eq!(v["pareto_count"], 6);
    assert_eq!(v["pareto_vectors"], 3);
    let listed = v["pareto"].as_array().unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|p| p["ties"] == 2));
    // The first package of each pair, by package number.
    assert!(
        listed.iter().all(|p| p["outcome"]["venue"] == "geneva"),
        "{listed:?}"
    );
    let all = json(&["--all-ties"]);
    let listed = all["pareto"].as_array().unwrap();
    assert_eq!(listed.len(), 6);
    assert!(listed.iter().all(|p| p["ties"] == 2));
    truce()
        .arg("analyze")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "6 packages on 3 utility vectors (one package listed per vector; --all-ties lists them all)",
        ));
}

/// The analysis says how it found the frontier, and `--timings` how long
/// each step took.
#[test]
fn the_method_and_each_steps_time_are_reported() {
    let ties = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/ties.toml");
    for (file, method) in [(example(), "enumerated"), (ties, "merged_by_issue")] {
        let out = truce()
            .arg("analyze")
            .arg(&file)
            .args(["--format", "json", "--timings"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["frontier_method"], method);
        let steps = v["timings"]["steps"].as_object().unwrap();
        let names: Vec<&str> = steps.keys().map(String::as_str).collect();
        assert_eq!(names, ["enumeration", "frontier", "solutions", "plans"]);
        assert!(steps
            .values()
            .all(|ms| ms.as_f64().is_some_and(|x| x >= 0.0)));
    }
}
