//! A second front end that calls the library gets the bytes the command
//! line prints: the golden files of `truce-cli` are reproduced here from
//! library calls alone, with no binary in between.

// A failing test unwraps, expects or panics: that is how it fails; and it
// may tell the runner what it covered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};
use truce_engine::analysis::{analyze, AnalysisOptions};
use truce_engine::simulation::Setting;
use truce_engine::Scenario;
use truce_present::analysis_json::{AnalysisJson, PlanJson};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn golden(name: &str) -> Vec<u8> {
    let path = root().join("crates/truce-cli/tests/golden").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn example() -> Scenario {
    let text = std::fs::read_to_string(root().join("examples/ukraine-2025.toml")).unwrap();
    truce_engine::parse_scenario(&text).unwrap()
}

fn same(name: &str, bytes: Vec<u8>) {
    let expected = golden(name);
    assert!(
        bytes == expected,
        "{name}: the library's bytes differ from the command line's\n--- library ---\n{}",
        String::from_utf8_lossy(&bytes)
    );
}

#[test]
fn analysis_explanation_and_check_are_the_command_lines_bytes() {
    let s = example();
    let a = analyze(&s, &AnalysisOptions::default()).unwrap();
    let mut out = Vec::new();
    truce_present::analysis::write_analysis(&mut out, &s, &a, 10, false).unwrap();
    same("analyze.out", out);
    let mut out = Vec::new();
    truce_present::write_json(&mut out, &AnalysisJson::new(&s, &a, None)).unwrap();
    same("analyze_json.out", out);
    let paris = s.plan_index("paris").unwrap();
    let mut out = Vec::new();
    truce_present::analysis::write_explanation(&mut out, &s, &a, paris).unwrap();
    same("explain_paris.out", out);
    let mut out = Vec::new();
    truce_present::write_json(&mut out, &PlanJson::new(&s, &a, &a.plans[paris])).unwrap();
    same("explain_paris_json.out", out);
    let mut out = Vec::new();
    truce_present::check::write_check(&mut out, Path::new("examples/ukraine-2025.toml"), &s)
        .unwrap();
    same("check.out", out);
}

#[test]
fn a_simulation_is_the_command_lines_bytes() {
    let s = example();
    let mut config = truce_sim::Config::from_scenario(&s);
    config.set(&Setting::runs(300).unwrap());
    let table = truce_sim::Table::new(&s, config).unwrap();
    let report = truce_sim::simulate_table(&table, &s.simulation.vary, &|_| {}).unwrap();
    let mut out = Vec::new();
    truce_present::simulation::write_summary(&mut out, &s, &report).unwrap();
    same("simulate.out", out);
    let mut out = Vec::new();
    truce_present::write_json(
        &mut out,
        &truce_present::simulation::SimulationJson::new(&report, None),
    )
    .unwrap();
    same("simulate_json.out", out);
}

#[test]
fn the_ledger_status_is_the_command_lines_bytes() {
    let text = std::fs::read_to_string(root().join("examples/ukraine-2025.ledger.jsonl")).unwrap();
    let records = truce_ledger::read_jsonl(&text).unwrap();
    let status = truce_ledger::status_at(&records, "2025-04-19".parse().unwrap());
    let mut out = Vec::new();
    truce_present::ledger::write_status(&mut out, &status).unwrap();
    same("ledger_status_2025-04-19.out", out);
    let mut out = Vec::new();
    truce_present::write_json(&mut out, &status).unwrap();
    same("ledger_status_2025-04-19_json.out", out);
}
