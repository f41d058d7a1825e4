//! Import, export and round trip, on small fixtures of our own and on the
//! real ANAC domains in ../shared/anac (skipped, saying so, where absent).

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
use truce_engine::utility::Evaluator;
use truce_engine::Scenario;
use truce_genius::{export, import, GeniusFile, ImportOptions};

fn read_dir(dir: &Path) -> Vec<GeniusFile> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| GeniusFile {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            text: std::fs::read_to_string(&p).unwrap(),
        })
        .collect()
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn options(name: &str) -> ImportOptions {
    ImportOptions {
        name: name.into(),
        ..Default::default()
    }
}

fn utility(s: &Scenario, party: &str, package: &[(&str, &str)]) -> f64 {
    let ev = Evaluator::new(s);
    let p = s.party_index(party).unwrap();
    let k = ev.valued_pos[p].unwrap();
    let mut pkg = vec![0u16; s.issues.len()];
    for (issue, option) in package {
        let i = s.issue_index(issue).unwrap();
        pkg[i] = s.issues[i].option_index(option).unwrap() as u16;
    }
    ev.evaluate(&pkg).utilities[k]
}

#[test]
fn the_fixture_follows_genius_semantics() {
    let imported = import(&read_dir(&fixtures().join("small")), &options("small")).unwrap();
    let s = &imported.scenario;
    assert_eq!(s.parties.len(), 2);
    assert_eq!(s.issues.len(), 3);
    assert_eq!(s.issues[1].id, "Delivery_days");
    assert_eq!(s.issues[1].question, "Delivery (days)");
    assert_eq!(s.issues[0].options[0].label, "high");
    // The real issue is cut into 10 steps of 0.1, and the note says so.
    assert_eq!(s.issues[2].options.len(), 11);
    assert!(imported.notes.iter().any(|n| n.contains("step 0.1")));
    assert!(imported
        .notes
        .iter()
        .any(|n| n.contains("similarity_function")));
    let pkg = [
        ("Price", "$3.98"),
        ("Delivery_days", "11"),
        ("Quality", "1"),
    ];
    // Buyer: 0.5 × 4/8 + 0.3 × (1 − 0.4) + 0.2 × (0.2 + 0.5 × 1).
    assert!((utility(s, "buyer", &pkg) - 0.57).abs() < 1e-12);
    // Seller: 0.6 × 10/20 + 0.2 × (0.1 + 0.5) + 0.2 × 0.5.
    assert!((utility(s, "seller", &pkg) - 0.52).abs() < 1e-12);
    // Clamped: delivery 13 is worth 1 − 1.2 < 0 → 0 to the buyer.
    let pkg = [
        ("Price", "$3.47"),
        ("Delivery_days", "13"),
        ("Quality", "0"),
    ];
    assert!((utility(s, "buyer", &pkg) - (0.5 + 0.0 + 0.2 * 0.2)).abs() < 1e-12);
    let b = &s.preferences[0].as_ref().unwrap();
    assert_eq!(b.reservation.value, 0.25);
    assert_eq!(b.discount.as_ref().unwrap().value, 0.9);
    assert_eq!(s.preferences[1].as_ref().unwrap().reservation.value, 0.1);
}

#[test]
fn discrete_and_integer_issues_round_trip_exactly() {
    let s = import(
        &read_dir(&fixtures().join("discrete_integer")),
        &options("di"),
    )
    .unwrap()
    .scenario;
    let exported = export(&s).unwrap();
    let back = import(&exported.files, &options("di")).unwrap().scenario;
    assert_eq!(without_description(back), without_description(s));
}

#[test]
fn what_genius_would_read_differently_is_not_exported() {
    // Discretised real issues become discrete ones, which GENIUS rescales
    // to a best value of 1: the buyer's best quality is worth 0.7.
    let s = import(&read_dir(&fixtures().join("small")), &options("small"))
        .unwrap()
        .scenario;
    let e = export(&s).unwrap_err();
    assert!(e.0.contains("buyer") && e.0.contains("Quality"), "{e}");
}

#[test]
fn malformed_and_unsupported_files_are_refused_with_a_place() {
    let good = read_dir(&fixtures().join("small"));
    let with = |file: &str, text: String| -> Vec<GeniusFile> {
        good.iter()
            .map(|f| {
                if f.name == file {
                    GeniusFile {
                        name: f.name.clone(),
                        text: text.clone(),
                    }
                } else {
                    f.clone()
                }
            })
            .collect()
    };
    let buyer = good
        .iter()
        .find(|f| f.name == "buyer.xml")
        .unwrap()
        .text
        .clone();

    let e = import(
        &with(
            "buyer.xml",
            buyer.replace(
                "</issue>\n  <issue index=\"2\"",
                "</isue>\n  <issue index=\"2\"",
            ),
        ),
        &options("x"),
    )
    .unwrap_err();
    assert_eq!(e.file.as_deref(), Some("buyer.xml"));
    assert!(e.message.contains("malformed"), "{e}");
    assert!(e.span.is_some());

    let e = import(
        &with(
            "buyer.xml",
            buyer.replace("ftype=\"linear\" offset", "ftype=\"exponential\" offset"),
        ),
        &options("x"),
    )
    .unwrap_err();
    assert!(e.message.contains("exponential"), "{e}");
    let span = e.span.clone().unwrap();
    let text = with(
        "buyer.xml",
        buyer.replace("ftype=\"linear\" offset", "ftype=\"exponential\" offset"),
    );
    let t = &text.iter().find(|f| f.name == "buyer.xml").unwrap().text;
    assert!(t[span].starts_with("<evaluator"));

    let e = import(
        &with(
            "buyer.xml",
            buyer.replace("<reservation value=\"0.25\"/>", "<constraint value=\"1\"/>"),
        ),
        &options("x"),
    )
    .unwrap_err();
    assert!(e.message.contains("<constraint>"), "{e}");

    let e = import(
        &with(
            "buyer.xml",
            buyer.replace("value=\"0.2\"/>", "value=\"0.4\"/>"),
        ),
        &options("x"),
    )
    .unwrap_err();
    assert!(e.message.contains("sum"), "{e}");

    let profiles: Vec<GeniusFile> = good
        .iter()
        .filter(|f| f.name != "domain.xml")
        .cloned()
        .collect();
    let e = import(&profiles, &options("x")).unwrap_err();
    assert!(e.message.contains("one domain file"), "{e}");
}

fn anac() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/anac");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} is absent (it sits beside the clone in CI)",
            dir.display()
        );
        None
    }
}

fn without_description(s: Scenario) -> Scenario {
    let mut parts = s.into_parts();
    parts.description = None;
    Scenario::new(parts).unwrap()
}

#[test]
fn every_anac_domain_imports_round_trips_and_analyses() {
    let Some(dir) = anac() else { return };
    let mut domains: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    domains.sort();
    assert_eq!(domains.len(), 20);
    for d in domains {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        let imported =
            import(&read_dir(&d), &options(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let s = imported.scenario;
        assert!(s.parties.len() >= 2, "{name}");
        // The written TOML reads back as the same scenario.
        let toml = truce_engine::write::to_toml(&s).unwrap();
        assert_eq!(
            truce_engine::parse_scenario(&toml).unwrap(),
            s,
            "{name}: TOML round trip"
        );
        // import → export → import gives the same scenario.
        let exported = export(&s).unwrap_or_else(|e| panic!("{name}: {e}"));
        let back =
            import(&exported.files, &options(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            without_description(back.scenario),
            without_description(s.clone()),
            "{name}: GENIUS round trip"
        );
        // Small domains are analysed here; the largest in the NegMAS comparison.
        if s.package_count().as_u64().is_some_and(|n| n <= 400_000) {
            let a = analyze(&s, &AnalysisOptions::default()).unwrap();
            assert!(a.feasible_count > 0 || !a.conflicts.is_empty(), "{name}");
            assert!(
                a.solutions.nash.is_none() == (a.feasible_count == 0),
                "{name}"
            );
        }
    }
}

#[test]
fn anac_itex_vs_cypress_utilities_match_a_hand_computation() {
    let Some(dir) = anac() else { return };
    let s = import(
        &read_dir(&dir.join("anac2010_ItexvsCypress")),
        &options("itex"),
    )
    .unwrap()
    .scenario;
    // Itex's evaluations: Price $4.37 → 30 of max 30, Delivery 45 days → 20
    // of 20, Payment 30 days after → 25 of 25, Returns 5% → 30 of 30: every
    // issue at its best, so the utility is the sum of the weights, 1.
    let pkg = [
        ("Price", "$4.37"),
        ("Delivery", "45 days"),
        ("Payment", "30 days after delivery"),
        ("Returns", "5% spoilage allowed"),
    ];
    let itex = s
        .parties
        .iter()
        .find(|p| p.id.ends_with("Itex"))
        .unwrap()
        .id
        .clone();
    assert!((utility(&s, &itex, &pkg) - 1.0).abs() < 1e-12);
}
