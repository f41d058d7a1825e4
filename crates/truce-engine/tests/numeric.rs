//! Numeric issues: a scale of steps, values as points, rules by value.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use truce_engine::analysis::{analyze, AnalysisOptions, Method};
use truce_engine::parse::parse_scenario;
use truce_engine::write::to_toml;

const FILE: &str = include_str!("../../truce-cli/tests/data/numeric.toml");

fn scenario(text: &str) -> truce_engine::Scenario {
    parse_scenario(text).expect("the numeric test scenario parses")
}

#[test]
fn a_numeric_issue_has_one_option_per_step_labelled_with_its_unit() {
    let s = scenario(FILE);
    let cap = &s.issues[0];
    assert_eq!(cap.options.len(), 51);
    assert!(cap.ordered);
    assert_eq!(cap.options[30].id, "800000");
    assert_eq!(cap.options[30].label, "800,000 troops");
    assert_eq!(cap.option_index("800_000"), Some(30));
    assert_eq!(cap.option_index("8e5"), Some(30));
    assert_eq!(cap.option_index("805000"), None);
    let plan = s.plans[0].package();
    assert_eq!(plan[0], 30);
    assert_eq!(s.describe_package(&plan)[0], ("army_cap", "800,000 troops"));
}

#[test]
fn points_are_interpolated_and_flat_beyond_the_ends() {
    let s = scenario(FILE);
    let ua = s.preferences[1].as_ref().unwrap();
    let v = |o: usize| ua.issues[0].values[o].value;
    // Points (600k, 0), (800k, 0.7), (1M, 1).
    assert_eq!(v(0), 0.0);
    assert_eq!(v(10), 0.0);
    assert!((v(20) - 0.35).abs() < 1e-12);
    assert!((v(30) - 0.7).abs() < 1e-12);
    assert!((v(40) - 0.85).abs() < 1e-12);
    assert_eq!(v(50), 1.0);
}

#[test]
fn rules_compare_by_value_between_steps_too() {
    let s = scenario(FILE);
    // Russia: army_cap <= 855000 keeps 850,000 and drops 860,000.
    let rule = &s.red_lines[1].constraint;
    let at = |o: u16| rule.holds(&[o, 0]);
    assert!(at(35));
    assert!(!at(36));
    // Ukraine: army_cap >= 600000 keeps the step itself.
    let rule = &s.red_lines[0].constraint;
    assert!(!rule.holds(&[9, 0]));
    assert!(rule.holds(&[10, 0]));
}

#[test]
fn a_numeric_scenario_reads_back_as_written() {
    let s = scenario(FILE);
    let text = to_toml(&s).unwrap();
    assert!(
        text.contains("numeric = {") || text.contains("[issues.numeric]"),
        "{text}"
    );
    assert!(text.contains("points"), "{text}");
    let again = scenario(&text);
    assert_eq!(s, again);
}

#[test]
fn search_and_enumeration_agree_on_a_numeric_scenario() {
    let s = scenario(FILE);
    let with = |method| AnalysisOptions {
        method,
        ..AnalysisOptions::default()
    };
    let a = analyze(&s, &with(Method::Enumerate)).unwrap();
    let b = analyze(&s, &with(Method::Search)).unwrap();
    assert_eq!(a.solutions, b.solutions);
    assert_eq!(a.best_offer, b.best_offer);
    assert_eq!(a.feasible_count, b.feasible_count);
    assert_eq!(a.feasible_count, 19);
}

#[test]
fn a_bad_scale_is_refused_where_it_is() {
    let bad = FILE.replace("step = 10000", "step = -5");
    let e = parse_scenario(&bad).unwrap_err();
    let d = &e.diagnostics[0];
    assert!(d.message.contains("scale"), "{}", d.message);
    assert!(d.line.is_some());
    let both = FILE.replace(
        "numeric = { min",
        "options = [{ id = \"a\", label = \"a\" }]\nnumeric = { min",
    );
    let e = parse_scenario(&both).unwrap_err();
    assert!(e.diagnostics[0].message.contains("lists options too"));
    let points = FILE.replace(
        "[800000, 0.7], [1000000, 1.0]",
        "[1000000, 0.7], [800000, 1.0]",
    );
    let e = parse_scenario(&points).unwrap_err();
    assert!(e.diagnostics[0].message.contains("rising"));
}
