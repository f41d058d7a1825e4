//! `truce ledger extract`: the seed report's claims as candidate records,
//! the scores on annotated reports, and review before import.
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

fn truce() -> Command {
    Command::cargo_bin("truce").unwrap()
}

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else if std::env::var_os("CI").is_some() {
        panic!("{} is missing", p.display());
    } else {
        None
    }
}

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/ukraine-2025.toml")
}

fn seed_records() -> Option<(PathBuf, Vec<Value>, String)> {
    let seed = shared("seed/000_01867d802962e3a7.txt")?;
    let out = truce()
        .args(["ledger", "extract"])
        .arg(&seed)
        .arg("--scenario")
        .arg(example())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let records = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Some((seed, records, text))
}

fn speaker(r: &Value) -> String {
    let s = &r["speaker"];
    s["name"]
        .as_str()
        .or(s["description"].as_str())
        .unwrap_or("")
        .to_string()
}

/// The claims the issue names, each with speaker, via, date and issues.
#[test]
fn the_seed_reports_claims_are_proposed() {
    let Some((_, records, _)) = seed_records() else {
        return;
    };
    assert_eq!(records[0]["type"], "source");
    let reports: Vec<&Value> = records.iter().filter(|r| r["type"] == "report").collect();
    let find = |f: &dyn Fn(&Value) -> bool, what: &str| -> Value {
        (*reports
            .iter()
            .find(|r| f(r))
            .unwrap_or_else(|| panic!("no report of {what}")))
        .clone()
    };
    for r in &reports {
        assert_eq!(r["review"]["status"], "candidate");
        let [a, b] = [
            r["review"]["span"][0].as_u64().unwrap(),
            r["review"]["span"][1].as_u64().unwrap(),
        ];
        assert!(a < b);
        let c = r["review"]["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
    // The New York Post, citing a senior administration official: the plan
    // with its "best and final offer".
    let offer = find(
        &|r| {
            r["words"]
                .as_str()
                .is_some_and(|w| w.contains("best and final offer"))
        },
        "the best and final offer",
    );
    assert!(speaker(&offer).contains("official"), "{offer}");
    assert_eq!(offer["via"], "New York Post");
    // Umerov's "90%", through the same official.
    let umerov = find(&|r| speaker(r).contains("Umerov"), "Umerov");
    assert_eq!(umerov["words"], "90%");
    assert_eq!(umerov["via"], "New York Post");
    assert_eq!(umerov["review"]["affiliation"], "ukraine");
    // Bloomberg's report of the Paris proposal.
    let paris = find(
        &|r| r["via"] == "Bloomberg" && r["review"]["text"].as_str().unwrap().contains("Paris"),
        "Bloomberg on Paris",
    );
    assert!(speaker(&paris).contains("Bloomberg"));
    // Zelensky's red line.
    let red = find(
        &|r| {
            speaker(r).contains("Zelensky")
                && r["review"]["text"].as_str().unwrap().contains("red lines")
        },
        "Zelensky's red line",
    );
    assert_eq!(red["review"]["kind"], "rejection");
    assert!(
        red["review"]["concerns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "occupied_territory"),
        "{red}"
    );
    // Kyiv's and Moscow's commitments, and Moscow's condition.
    let kyiv = find(&|r| speaker(r) == "Kyiv", "Kyiv's commitment");
    assert!(matches!(
        kyiv["review"]["kind"].as_str(),
        Some("agreement" | "commitment")
    ));
    let moscow: Vec<&&Value> = reports.iter().filter(|r| speaker(r) == "Moscow").collect();
    let kinds: Vec<&str> = moscow
        .iter()
        .map(|r| r["review"]["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"commitment") && kinds.contains(&"condition"),
        "{kinds:?}"
    );
    let condition = moscow
        .iter()
        .find(|r| r["review"]["kind"] == "condition")
        .unwrap();
    assert!(
        condition["review"]["concerns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "sanctions=lifted"),
        "{condition}"
    );
    // Rubio on violations (April 18) and Trump's confirmation.
    let rubio = find(
        &|r| speaker(r) == "Marco Rubio" && r["review"]["kind"] == "violation_report",
        "Rubio on violations",
    );
    assert_eq!(rubio["said_on"], "2025-04-18");
    assert!(rubio["review"]["parties"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "russia"));
    let confirm = find(
        &|r| {
            speaker(r) == "Donald Trump"
                && r["review"]["text"].as_str().unwrap().contains("confirmed")
        },
        "Trump's confirmation",
    );
    assert_eq!(confirm["said_on"], "2025-04-18");
    // Trump's promise of sanctions, not kept.
    let promise = find(
        &|r| {
            speaker(r) == "Donald Trump"
                && r["review"]["text"].as_str().unwrap().contains("promised")
        },
        "Trump's promise",
    );
    assert_eq!(promise["review"]["kind"], "commitment");
    assert!(promise["review"]["concerns"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c.as_str().unwrap().starts_with("sanctions")));
}

#[test]
fn candidates_are_refused_until_reviewed_and_a_review_survives_re_extraction() {
    let Some((seed, records, text)) = seed_records() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    let db = db.to_str().unwrap();
    let candidates = dir.path().join("c.jsonl");
    std::fs::write(&candidates, &text).unwrap();
    truce()
        .args(["ledger", "init", "--db", db])
        .assert()
        .success();
    // Unreviewed: refused, each by line, with the reason.
    truce()
        .args(["ledger", "import"])
        .arg(&candidates)
        .args(["--db", db])
        .assert()
        .failure()
        .stderr(predicate::str::contains("c.jsonl:2:"))
        .stderr(predicate::str::contains("candidate nobody has reviewed"));
    // Reviewed: one accepted as edited, one rejected, the rest accepted.
    let mut reviewed: Vec<Value> = records.clone();
    for r in &mut reviewed {
        r["review"]["status"] = "accepted".into();
    }
    reviewed[1]["speaker"] = serde_json::json!({"description": "an official (reviewed)"});
    reviewed[2]["review"]["status"] = "rejected".into();
    let reviewed_text: String = reviewed.iter().map(|r| format!("{r}\n")).collect();
    let reviewed_file = dir.path().join("r.jsonl");
    std::fs::write(&reviewed_file, &reviewed_text).unwrap();
    truce()
        .args(["ledger", "import"])
        .arg(&reviewed_file)
        .args(["--db", db])
        .assert()
        .success();
    let export = truce()
        .args(["ledger", "export", "--db", db])
        .output()
        .unwrap();
    let exported = String::from_utf8(export.stdout).unwrap();
    assert_eq!(
        exported.lines().count(),
        records.len() - 1,
        "the rejected one stays out"
    );
    assert!(exported.contains("an official (reviewed)"));
    assert!(
        !exported.contains("\"review\""),
        "review marks do not enter the ledger"
    );
    assert!(
        exported.contains("characters "),
        "each report keeps its span"
    );
    // Re-extraction keeps the reviewer's edits and adds nothing twice.
    let out = truce()
        .args(["ledger", "extract"])
        .arg(&seed)
        .arg("--scenario")
        .arg(example())
        .arg("--reviewed")
        .arg(&reviewed_file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let merged = String::from_utf8(out.stdout).unwrap();
    assert_eq!(merged.lines().count(), records.len());
    assert!(merged.contains("an official (reviewed)"));
    // With --accept-candidates the raw file goes in as it is.
    let db2 = dir.path().join("m.db");
    let db2 = db2.to_str().unwrap();
    truce()
        .args(["ledger", "init", "--db", db2])
        .assert()
        .success();
    truce()
        .args(["ledger", "import"])
        .arg(&candidates)
        .args(["--db", db2, "--accept-candidates"])
        .assert()
        .success();
}

#[test]
fn evaluate_scores_the_development_set() {
    let Some(dir) = shared("news-dev") else {
        return;
    };
    let out = truce()
        .args(["ledger", "extract", "--evaluate"])
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["articles"].as_array().unwrap().len(), 4);
    let o = &v["overall"];
    for k in ["precision", "recall", "f1"] {
        let x = o[k].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&x), "{k} {x}");
    }
    for f in ["speaker", "affiliation", "via", "date", "kind"] {
        assert!(o["fields"][f]["accuracy"].is_number(), "{f}");
    }
    truce()
        .args(["ledger", "extract", "--evaluate"])
        .arg(&dir)
        .args(["--format", "text"])
        .assert()
        .success()
        .stdout(predicate::str::contains("overall"))
        .stdout(predicate::str::contains("speaker"));
}

#[test]
fn bad_input_is_refused_with_how_to_fix_it() {
    truce()
        .args(["ledger", "extract", "nowhere.txt"])
        .assert()
        .failure();
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    std::fs::write(&a, "Putin said on Monday that he would talk.").unwrap();
    truce()
        .args(["ledger", "extract"])
        .arg(&a)
        .args(["--published", "19 April"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("YYYY-MM-DD"));
    // A plain text without header: still read, Monday resolved from --published.
    let out = truce()
        .args(["ledger", "extract"])
        .arg(&a)
        .args(["--published", "2025-04-19", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reports"][0]["said_on"], "2025-04-14");
    assert_eq!(v["reports"][0]["speaker"]["name"], "Vladimir Putin");
}

#[test]
fn a_folder_is_read_report_by_report_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        "Peskov said on Monday the Kremlin would not sign.",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Title A\nDate: 2025-04-19\n\nRubio told CNN the talks were over.",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.md"), "Trump said nothing.").unwrap();
    let out = truce()
        .args(["ledger", "extract"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["a", "a_c1", "b", "b_c1"],
        "only .txt files, in name order"
    );
    assert_eq!(lines[1]["via"], "CNN");
    assert_eq!(lines[0]["published"], "2025-04-19");
}
