//! KTAB's reference runs (../shared/forecast/ktab): the fractional change
//! per turn, each actor's probability of prevailing per turn and the final
//! history of positions, to the precision KTAB prints them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::path::PathBuf;
use truce_forecast::ktab::{run, settings_of};
use truce_forecast::read::{ktab_csv, ktab_xml};

fn dir() -> Option<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/forecast/ktab");
    if d.is_dir() {
        Some(d)
    } else if std::env::var_os("CI").is_some() {
        panic!("KTAB's reference runs are missing from {}", d.display());
    } else {
        None
    }
}

/// The lines KTAB's own comparison script checks, in order.
fn compared(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.contains("Fractional") || l.contains("prob :"))
        .map(|l| l.trim_end().to_string())
        .collect()
}

/// Per turn, the order in which actors' challenges were laid on the table
/// (KTAB's thread order): the one order consistent with every "Bargains
/// involving actor k" list of the log (each list holds the status quo,
/// then the bargains involving k in the order they were added).
fn initiator_order(log: &str) -> Vec<Vec<usize>> {
    let mut turns: Vec<Vec<Vec<usize>>> = Vec::new();
    for l in log.lines() {
        if l.starts_with("Bargains to be resolved") {
            turns.push(Vec::new());
        }
        let Some(rest) = l.strip_prefix("Bargains involving actor") else {
            continue;
        };
        let (_, list) = rest.split_once(':').unwrap();
        let initiators = list
            .split('[')
            .skip(1)
            .filter_map(|b| {
                let (_, pair) = b.split_once(',').unwrap();
                let (i, j) = pair
                    .trim()
                    .trim_end_matches([']', ' '])
                    .split_once(':')
                    .unwrap();
                let (i, j): (usize, usize) = (i.parse().unwrap(), j.parse().unwrap());
                (i != j).then_some(i)
            })
            .collect();
        turns.last_mut().unwrap().push(initiators);
    }
    turns
        .into_iter()
        .map(|lists| {
            // Kahn's algorithm over "came before" in any list.
            let n = lists.len();
            let mut after = vec![Vec::new(); n];
            let mut before = vec![0usize; n];
            let mut present = vec![false; n];
            for list in &lists {
                for w in list.windows(2) {
                    after[w[0]].push(w[1]);
                    before[w[1]] += 1;
                }
                for &i in list {
                    present[i] = true;
                }
            }
            let mut order = Vec::new();
            let mut ready: Vec<usize> = (0..n).filter(|&i| present[i] && before[i] == 0).collect();
            while let Some(i) = ready.pop() {
                order.push(i);
                for &k in &after[i] {
                    before[k] -= 1;
                    if before[k] == 0 {
                        ready.push(k);
                    }
                }
            }
            assert_eq!(
                order.len(),
                present.iter().filter(|&&p| p).count(),
                "the lists agree on one order"
            );
            order
        })
        .collect()
}

/// Per turn, the order in which actors picked their bargains (and so drew
/// their random numbers): the log's "Doing scalarPCE for the N bargains of
/// actor k" lines.
fn selection_order(log: &str) -> Vec<Vec<usize>> {
    let mut turns: Vec<Vec<usize>> = Vec::new();
    for l in log.lines() {
        if l.starts_with("Starting Model::run iteration") {
            turns.push(Vec::new());
        }
        if let Some(rest) = l.strip_prefix("Doing scalarPCE for the ") {
            let k = rest.split("of actor ").nth(1).unwrap();
            let k: usize = k.split_whitespace().next().unwrap().parse().unwrap();
            turns.last_mut().unwrap().push(k);
        }
    }
    turns
}

/// Final position history: per actor and dimension, the printed numbers.
fn history(log: &str) -> Vec<Vec<f64>> {
    let mut on = false;
    let mut rows = Vec::new();
    for l in log.lines() {
        if l.starts_with("History of actor positions") {
            on = true;
            continue;
        }
        if on {
            if l.starts_with("History of actors' winning") {
                break;
            }
            let (_, nums) = l.split_once(':').unwrap();
            rows.push(
                nums.split_whitespace()
                    .map(|x| x.parse().unwrap())
                    .collect(),
            );
        }
    }
    rows
}

/// The XML run's log records every coordinate KTAB read; each must match
/// the file, except a coordinate the file leaves blank, which takes the
/// log's value (the shared smpExample.xml blanks Alice's first coordinate,
/// which KTAB's reference run read as 52.80).
fn fill_from_log(p: &mut truce_forecast::Problem, log: &str) {
    let read = |what: &str| -> Vec<f64> {
        log.lines()
            .filter_map(|l| l.strip_prefix(what))
            .map(|l| l.split_once(':').unwrap().1.trim().parse().unwrap())
            .collect()
    };
    let (coordinates, saliences) = (read("Read dimension "), read("Read salience "));
    let m = p.dimensions.len();
    assert_eq!(
        coordinates.len(),
        p.actors.len() * m,
        "the log reads every coordinate"
    );
    for (x, (value, salience)) in coordinates.into_iter().zip(saliences).enumerate() {
        let (a, d) = (x / m, x % m);
        match p.positions[a][d] {
            Some(v) => {
                assert!(
                    (v - value).abs() < 1e-9,
                    "coordinate {x} differs from the log"
                );
                assert!(
                    (p.saliences[a][d] - salience).abs() < 1e-9,
                    "salience {x} differs"
                );
            }
            // A blank coordinate carries no salience in truce; the log
            // gives both.
            None => {
                p.positions[a][d] = Some(value);
                p.saliences[a][d] = salience;
            }
        }
    }
}

fn check(input: &str, reference: &str, replay_order: bool) {
    let Some(d) = dir() else {
        eprintln!("skipping: no reference data here");
        return;
    };
    let text = std::fs::read_to_string(d.join(input)).unwrap();
    let log = std::fs::read_to_string(d.join(reference)).unwrap();
    let k = if input.ends_with(".xml") {
        ktab_xml(&text).unwrap()
    } else {
        ktab_csv(&text).unwrap()
    };
    let mut k = k;
    if input.ends_with(".xml") {
        fill_from_log(&mut k.problem, &log);
    }
    let mut settings = settings_of(&k).unwrap();
    if replay_order {
        settings.initiator_order = initiator_order(&log);
        settings.selection_order = selection_order(&log);
    }
    let r = run(&k.problem, &settings).unwrap();
    let mut ours = Vec::new();
    for t in &r.turns[1..] {
        ours.push(format!(
            "Fractional change compared to first step: {:.4}  (target=0.0200)",
            t.fractional_change.unwrap()
        ));
    }
    for (i, a) in k.problem.actors.iter().enumerate() {
        let mut l = format!("{}, prob :", a.name);
        for t in &r.turns {
            l.push_str(&format!(" {:.4}", t.prevailing[i]));
        }
        ours.push(l);
    }
    let theirs = compared(&log);
    assert_eq!(ours, theirs, "{input}: compared lines differ");
    let h = history(&log);
    let m = r.dimensions.len();
    assert_eq!(h.len(), k.problem.actors.len() * m);
    for (row, printed) in h.iter().enumerate() {
        let (i, d) = (row / m, row % m);
        let ours: Vec<String> = r
            .turns
            .iter()
            .map(|t| format!("{:.1}", t.positions[i][d]))
            .collect();
        let theirs: Vec<String> = printed.iter().map(|x| format!("{x:.1}")).collect();
        assert_eq!(
            ours, theirs,
            "{input}: history of actor {i} on dimension {d}"
        );
    }
}

#[test]
fn dummy_data_3dim() {
    check(
        "dummyData_3Dim.csv",
        "20170530_ref-dummyData_3Dim.txt",
        false,
    );
}

#[test]
fn soe_pol_comp() {
    check("SOE-Pol-Comp.csv", "20170530_ref-SOE-Pol-Comp.txt", false);
}

#[test]
fn smp_example() {
    check("smpExample.xml", "20170530_ref-smpExample.txt", true);
}
