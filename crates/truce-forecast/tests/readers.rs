//! The readers on KTAB's own inputs (../shared/forecast/ktab) and on
//! tables of decisions, good and bad.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::path::PathBuf;
use truce_forecast::read::{decisions, ktab_csv, ktab_xml};

/// KTAB's reference inputs; in CI their absence is a failure, elsewhere a
/// skip that says so.
fn ktab_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/forecast/ktab");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is absent; CI must have it beside the clone",
        dir.display()
    );
    eprintln!("skipped: {} is absent", dir.display());
    None
}

#[test]
fn every_ktab_csv_reads_with_its_announced_shape() {
    let Some(dir) = ktab_dir() else { return };
    let cases = [
        ("dummyData_3Dim.csv", 7, 3),
        ("dummyData_6Dim.csv", 27, 6),
        ("dummyData-a040.csv", 40, 1),
        ("dummyData-a080.csv", 80, 1),
        ("SOE-Pol-Comp.csv", 13, 2),
    ];
    for (file, actors, dims) in cases {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let input = ktab_csv(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let p = &input.problem;
        assert_eq!(
            (p.actors.len(), p.dimensions.len()),
            (actors, dims),
            "{file}"
        );
        assert!(
            p.positions.iter().flatten().all(|x| x.is_some()),
            "{file}: every position given"
        );
    }
    // Spot values, as KTAB's own log echoes them.
    let text = std::fs::read_to_string(dir.join("dummyData_3Dim.csv")).unwrap();
    let p = ktab_csv(&text).unwrap().problem;
    assert_eq!(p.actors[0].name, "SActor-00");
    assert_eq!(p.actors[0].capability, 102.543);
    assert_eq!(p.positions[2][1], Some(90.89));
    assert_eq!(p.saliences[6][2], 26.03);
    assert_eq!(p.dimensions[1].id, "Pstn2");
}

#[test]
fn the_ktab_xml_example_reads_with_its_settings_and_a_blank_position() {
    let Some(dir) = ktab_dir() else { return };
    let text = std::fs::read_to_string(dir.join("smpExample.xml")).unwrap();
    let input = ktab_xml(&text).unwrap();
    let p = &input.problem;
    assert_eq!(p.name, "DummyData_3Dim");
    assert_eq!(p.dimensions.len(), 3);
    assert_eq!(p.dimensions[2].id, "YADN");
    assert_eq!(p.actors[0].name, "Alice");
    assert_eq!(p.actors[0].capability, 117.7);
    assert_eq!(p.positions[0][0], None, "Alice's empty first coordinate");
    assert_eq!(p.saliences[0][0], 0.0);
    assert_eq!(p.positions[1][2], Some(72.0));
    assert_eq!(input.settings.seed, Some(3507583219545544127));
    assert!(input
        .settings
        .parameters
        .contains(&("VotingRule".to_string(), "PropCbc".to_string())));
}

#[test]
fn a_ktab_csv_error_names_its_line() {
    let text = "S, d, 2, 1,\nActor,Desc,Power,P,S,\nA, a, 10, 50, 20,\nB, b, ten, 40, 20,\n";
    let e = ktab_csv(text).unwrap_err();
    assert_eq!(e.line, 4, "{e}");
    assert!(e.message.contains("capability `ten`"), "{e}");
    let e = ktab_csv("S, d, 3, 1,\nActor,Desc,Power,P,S,\nA, a, 10, 50, 20,\n").unwrap_err();
    assert!(e.message.contains("announces 3 actors"), "{e}");
    let e = ktab_csv("S, d, 1, 1,\nActor,Desc,Power,P,S,\nA, a, 10, 150, 20,\n").unwrap_err();
    assert!(e.message.contains("between 0 and 100"), "{e}");
}

#[test]
fn a_table_of_decisions_reads_capabilities_blanks_and_outcomes() {
    let text =
        "issue,outcome,pA,sA,pB,sB\ncapability,,60,,40,\nfirst,30,20,50,80,50\nsecond,70,,,70,90\n";
    let d = decisions(text).unwrap();
    assert_eq!(d.problems.len(), 2);
    let first = &d.problems[0];
    assert_eq!(first.actors[0].capability, 60.0);
    assert_eq!(first.dimensions[0].outcome, Some(30.0));
    assert_eq!(first.positions, vec![vec![Some(20.0)], vec![Some(80.0)]]);
    let second = &d.problems[1];
    assert_eq!(second.positions[0], vec![None], "a blank: no position");
    assert_eq!(second.saliences[0], vec![0.0]);
    let e = decisions("issue,outcome,pA,sA\nx,,20,30\n").unwrap_err();
    assert!(e.message.contains("no outcome"), "{e}");
    assert_eq!(e.line, 2);
    let e = decisions("issue,outcome,pA,sA\nx,50,120,30\n").unwrap_err();
    assert_eq!((e.line, e.column), (2, 3), "{e}");
    let e = decisions("issue,pA\nx,1\n").unwrap_err();
    assert!(e.message.contains("`outcome`"), "{e}");
}
