//! Issue-limited consent (`veto = ["frozen_assets"]`) against its
//! definition, computed straight from the preferences: a package is
//! feasible when it crosses no red line of a party with a veto, gives each
//! such party its reservation value, crosses no red line of a consenting
//! party that mentions only its consent issues, and gives each consenting
//! party its reservation value over those issues alone (weights there
//! renormalised).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use truce_engine::analysis::{analyze, AnalysisOptions};
use truce_engine::generate::{generate, Shape};
use truce_engine::parse_scenario;
use truce_engine::utility::Evaluator;
use truce_engine::write::to_toml;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_feasible_set_is_the_definitions(
        seed in 0u64..100_000,
        options in prop::collection::vec(2u16..5, 2..6),
        parties in 1usize..4,
        consent_parties in 1usize..3,
    ) {
        let s = generate(&Shape { parties, options, consent_parties, red_lines: 1, ..Shape::default() }, seed).unwrap();
        let ev = Evaluator::new(&s);
        let n = s.issues.len();
        let mut count = 0u64;
        let mut package = vec![0u16; n];
        loop {
            let mut ok = true;
            for line in s.red_lines.iter().filter(|r| !r.derived) {
                let party = &s.parties[line.party];
                let binds = party.veto
                    || line.constraint.issues(n).iter().all(|i| party.consent.contains(i));
                ok &= !binds || line.constraint.holds(&package);
            }
            for (p, party) in s.parties.iter().enumerate() {
                let Some(prefs) = &s.preferences[p] else { continue };
                if party.veto {
                    let k = ev.valued_pos[p].unwrap();
                    ok &= ev.evaluate(&package).utilities[k] >= prefs.reservation.value;
                } else if !party.consent.is_empty() {
                    let (mut sum, mut weight) = (0.0, 0.0);
                    for &i in &party.consent {
                        let ip = &prefs.issues[i];
                        sum += ip.weight.value * ip.values[package[i] as usize].value;
                        weight += ip.weight.value;
                    }
                    ok &= sum / weight >= prefs.reservation.value - 1e-12;
                }
            }
            count += u64::from(ok);
            if !ev.space.advance(&mut package) {
                break;
            }
        }
        let a = analyze(&s, &AnalysisOptions::default()).unwrap();
        prop_assert_eq!(a.feasible_count as u64, count);
        // Consenting parties do not bargain.
        for &p in &a.bargaining {
            prop_assert!(s.parties[p].veto);
        }
    }
}

#[test]
fn an_issue_limited_veto_reads_back_as_written_without_its_derived_red_line() {
    let s = generate(
        &Shape {
            consent_parties: 2,
            ..Shape::default()
        },
        5,
    )
    .unwrap();
    assert!(s.red_lines.iter().any(|r| r.derived));
    let text = to_toml(&s).unwrap();
    assert!(text.contains("veto = [\"i"), "{text}");
    assert!(
        !text.contains("_consent"),
        "a derived red line was written: {text}"
    );
    let back = parse_scenario(&text).unwrap();
    assert_eq!(back.parties, s.parties);
    assert_eq!(back.red_lines, s.red_lines);
}

#[test]
fn a_bad_issue_limited_veto_is_refused_where_it_is() {
    let base = r#"
[scenario]
name = "t"

[[parties]]
id = "a"
name = "A"
role = "party"

[[parties]]
id = "allies"
name = "Allies"
role = "ally"
veto = VETO

[[issues]]
id = "assets"
question = "Assets?"
options = [{ id = "frozen", label = "frozen" }, { id = "released", label = "released" }]

[[preferences]]
party = "a"
reservation = 0.1
issues = [{ issue = "assets", weight = 1.0, values = { frozen = 0.0, released = 1.0 } }]
"#;
    for (veto, says) in [
        (r#"["asets"]"#, "unknown issue `asets`"),
        ("[]", "names no issue"),
    ] {
        let text = base.replace("VETO", veto);
        let e = parse_scenario(&text).unwrap_err();
        let shown = format!("{:?}", e.diagnostics);
        assert!(shown.contains(says), "{veto}: {shown}");
        let at = e.diagnostics[0].span.as_ref().map(|s| s.start).unwrap();
        assert_eq!(
            &text[at..at + veto.len()],
            veto,
            "{veto}: not located at the list"
        );
    }
}
