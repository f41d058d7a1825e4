//! Every kind of bad scenario gets a typed error located at the problem.

// A failing test unwraps, expects or panics: that is how it fails; and it
// may tell the runner what it covered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use proptest::prelude::*;
use truce_engine::diag::line_column;
use truce_engine::{parse_scenario, ErrorKind};

const BASE: &str = r#"
[scenario]
name = "base"

[[parties]]
id = "ukraine"
name = "Ukraine"
role = "party"

[[parties]]
id = "russia"
name = "Russia"
role = "party"

[[issues]]
id = "crimea"
question = "Status of Crimea?"
deferrable = true
options = [{ id = "ukrainian", label = "u" }, { id = "de_jure", label = "r" }]

[[issues]]
id = "sanctions"
question = "Sanctions?"
ordered = true
options = [{ id = "kept", label = "k" }, { id = "lifted", label = "l" }]

[[preferences]]
party = "ukraine"
reservation = 0.3
issues = [
  { issue = "crimea", weight = 0.6, values = { ukrainian = 1, de_jure = 0, deferred = 0.5 } },
  { issue = "sanctions", weight = 0.4, ideal = "kept" },
]

[[preferences]]
party = "russia"
reservation = { value = 0.4, basis = "assumption" }
issues = [
  { issue = "crimea", weight = 0.5, values = { ukrainian = 0, de_jure = 1, deferred = 0.5 } },
  { issue = "sanctions", weight = 0.5, ideal = "lifted", tolerance = 1 },
]

[[red_lines]]
id = "no_recognition"
party = "ukraine"
label = "no de jure recognition"
rule = 'crimea != "de_jure"'

[[plans]]
id = "paris"
name = "Paris"
deferred = ["crimea"]
provisions = { sanctions = "lifted" }
"#;

/// Applies one textual edit to the base scenario and returns the single
/// error's kind, the text under its span, and its line.
fn error(from: &str, to: &str) -> (ErrorKind, String, usize, String) {
    assert!(BASE.contains(from), "edit target not found: {from}");
    let text = BASE.replacen(from, to, 1);
    let err = parse_scenario(&text).expect_err("the edit should make the scenario invalid");
    let d = &err.diagnostics[0];
    let span = d.span.clone().expect("errors are located");
    let (line, _) = line_column(&text, span.start);
    (
        d.kind,
        text[span].to_string(),
        line,
        d.help.clone().unwrap_or_default(),
    )
}

#[test]
fn the_base_scenario_is_valid() {
    let s = parse_scenario(BASE).unwrap();
    assert_eq!(s.issues[0].options.len(), 3, "deferrable adds `deferred`");
    assert_eq!(
        s.preferences[1].as_ref().unwrap().issues[1].values[0].value,
        0.5
    );
}

#[test]
fn unknown_ids() {
    let (kind, at, _, help) = error(
        r#"party = "russia"
reservation"#,
        r#"party = "rusia"
reservation"#,
    );
    assert_eq!(kind, ErrorKind::UnknownId);
    assert_eq!(at, "\"rusia\"");
    assert!(help.contains("russia"));

    let (kind, at, ..) = error(
        r#"{ issue = "sanctions", weight = 0.4"#,
        r#"{ issue = "sanction", weight = 0.4"#,
    );
    assert_eq!(kind, ErrorKind::UnknownId);
    assert_eq!(at, "\"sanction\"");

    let (kind, at, ..) = error("ukrainian = 1, de_jure = 0,", "ukrainian = 1, dejure = 0,");
    assert_eq!(kind, ErrorKind::UnknownId);
    assert_eq!(at, "dejure");

    let (kind, at, ..) = error(
        r#"provisions = { sanctions = "lifted" }"#,
        r#"provisions = { sanctions = "eased" }"#,
    );
    assert_eq!(kind, ErrorKind::UnknownId);
    assert_eq!(at, "\"eased\"");
}

#[test]
fn duplicate_ids() {
    let (kind, at, line, help) = error(r#"id = "russia""#, r#"id = "ukraine""#);
    assert_eq!(kind, ErrorKind::DuplicateId);
    assert_eq!(at, "\"ukraine\"");
    assert_eq!(line, 11);
    assert!(help.contains("line 6"), "{help}");

    let (kind, at, ..) = error(
        r#"{ id = "lifted", label = "l" }"#,
        r#"{ id = "kept", label = "l" }"#,
    );
    assert_eq!(kind, ErrorKind::DuplicateId);
    assert_eq!(at, "\"kept\"");
}

#[test]
fn values_out_of_range() {
    let (kind, at, ..) = error("reservation = 0.3", "reservation = 1.3");
    assert_eq!(kind, ErrorKind::OutOfRange);
    assert_eq!(at, "1.3");
    let (kind, at, ..) = error(
        "ukrainian = 1, de_jure = 0,",
        "ukrainian = -1, de_jure = 0,",
    );
    assert_eq!(kind, ErrorKind::OutOfRange);
    assert_eq!(at, "-1");
}

#[test]
fn weights_must_sum_to_one() {
    let (kind, _, line, help) = error(
        r#"{ issue = "sanctions", weight = 0.4"#,
        r#"{ issue = "sanctions", weight = 0.2"#,
    );
    assert_eq!(kind, ErrorKind::WeightSum);
    assert_eq!(line, 30, "points at the party's issue list");
    assert!(help.contains("0.750"), "suggests rescaled weights: {help}");
}

#[test]
fn rule_syntax_errors_point_inside_the_rule() {
    let (kind, at, line, _) = error(
        r#"rule = 'crimea != "de_jure"'"#,
        r#"rule = 'crimea !! "de_jure"'"#,
    );
    assert_eq!(kind, ErrorKind::Expression);
    assert_eq!(at, "!");
    assert_eq!(line, 47);

    let (kind, at, ..) = error(
        r#"rule = 'crimea != "de_jure"'"#,
        r#"rule = 'crimea != "de_jure" and'"#,
    );
    assert_eq!(kind, ErrorKind::Expression);
    assert_eq!(
        at, "'",
        "the end of the rule is marked at the closing quote"
    );
}

#[test]
fn red_lines_naming_unknown_options_or_issues() {
    let (kind, at, _, help) = error(
        r#"rule = 'crimea != "de_jure"'"#,
        r#"rule = 'crimea != "dejure"'"#,
    );
    assert_eq!(kind, ErrorKind::Expression);
    assert_eq!(at, "\"dejure\"");
    assert!(help.contains("de_jure"));

    let (kind, at, ..) = error(
        r#"rule = 'crimea != "de_jure"'"#,
        r#"rule = 'krim != "de_jure"'"#,
    );
    assert_eq!(kind, ErrorKind::Expression);
    assert_eq!(at, "krim");

    let (kind, at, ..) = error(
        r#"rule = 'crimea != "de_jure"'"#,
        r#"rule = 'crimea > "ukrainian"'"#,
    );
    assert_eq!(kind, ErrorKind::Expression);
    assert_eq!(at, ">");
}

#[test]
fn toml_syntax_and_unknown_fields() {
    let (kind, at, ..) = error(r#"role = "party""#, r#"rol = "party""#);
    assert_eq!(kind, ErrorKind::Syntax);
    assert!(at.contains("rol"), "{at}");

    let (kind, _, line, _) = error(r#"name = "Russia""#, r#"name = "Russia"#);
    assert_eq!(kind, ErrorKind::Syntax);
    assert_eq!(line, 12);
}

#[test]
fn missing_and_invalid_structure() {
    let (kind, ..) = error(
        r#"provisions = { sanctions = "lifted" }"#,
        "provisions = { }",
    );
    assert_eq!(kind, ErrorKind::Missing);

    let (kind, at, ..) = error(r#"deferred = ["crimea"]"#, r#"deferred = ["sanctions"]"#);
    assert_eq!(kind, ErrorKind::Invalid);
    assert_eq!(at, "\"sanctions\"");

    let (kind, at, ..) = error(
        "ukrainian = 1, de_jure = 0, deferred = 0.5",
        "ukrainian = 1, de_jure = 0",
    );
    assert_eq!(kind, ErrorKind::Missing);
    assert!(at.starts_with("ukrainian = 1"), "{at}");

    let (kind, at, ..) = error(r#"role = "party""#, r#"role = "guarantor""#);
    assert_eq!(kind, ErrorKind::Invalid);
    assert_eq!(at, "\"guarantor\"");

    let (kind, at, ..) = error(
        r#"{ issue = "sanctions", weight = 0.4, ideal = "kept" }"#,
        r#"{ issue = "crimea", weight = 0.4, ideal = "kept" }"#,
    );
    assert_eq!(kind, ErrorKind::DuplicateId);
    assert_eq!(at, "\"crimea\"");
}

#[test]
fn every_problem_is_reported_in_file_order() {
    let text = BASE
        .replacen("reservation = 0.3", "reservation = 2", 1)
        .replacen(
            r#"rule = 'crimea != "de_jure"'"#,
            r#"rule = 'crimea != "x"'"#,
            1,
        );
    let err = parse_scenario(&text).unwrap_err();
    let kinds: Vec<ErrorKind> = err.diagnostics.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, vec![ErrorKind::OutOfRange, ErrorKind::Expression]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// No input makes the parser panic: random bytes spliced into a valid file.
    #[test]
    fn parsing_never_panics(at in 0usize..BASE.len(), cut in 0usize..40, junk in "\\PC{0,12}") {
        let mut at = at;
        while !BASE.is_char_boundary(at) { at -= 1; }
        let mut end = (at + cut).min(BASE.len());
        while !BASE.is_char_boundary(end) { end -= 1; }
        let text = format!("{}{}{}", &BASE[..at], junk, &BASE[end..]);
        let _ = parse_scenario(&text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = parse_scenario(&text);
    }
}

#[test]
fn dates_may_be_bare_toml_dates_but_not_date_times() {
    let text = BASE.replacen(
        r#"name = "Paris""#,
        "name = \"Paris\"\ndate = 2025-04-17",
        1,
    );
    let s = parse_scenario(&text).unwrap();
    assert_eq!(
        s.plans[0].date.map(|d| d.to_string()).as_deref(),
        Some("2025-04-17")
    );
    let text = BASE.replacen(
        r#"name = "Paris""#,
        "name = \"Paris\"\ndate = 2025-04-17T10:00:00",
        1,
    );
    let err = parse_scenario(&text).unwrap_err();
    assert_eq!(err.diagnostics[0].kind, ErrorKind::Invalid);
}

#[test]
fn uncertain_estimates_parse_round_trip_and_are_checked() {
    use truce_engine::model::Spread;
    let text = BASE
        .replace(
            "reservation = 0.3",
            "reservation = { value = 0.3, range = [0.2, 0.5], basis = \"assumption\" }",
        )
        .replace(
            "{ issue = \"crimea\", weight = 0.6,",
            "{ issue = \"crimea\", weight = { value = 0.6, range = [0.5, 0.7], dist = \"triangular\" },",
        )
        .replace(
            "values = { ukrainian = 0, de_jure = 1,",
            "values = { ukrainian = 0, de_jure = { value = 0.9, sd = 0.05 },",
        );
    let s = parse_scenario(&text).unwrap();
    let ua = s.preferences[0].as_ref().unwrap();
    assert_eq!(
        ua.reservation.spread,
        Some(Spread::Uniform { lo: 0.2, hi: 0.5 })
    );
    assert_eq!(
        ua.issues[0].weight.spread,
        Some(Spread::Triangular { lo: 0.5, hi: 0.7 })
    );
    let ru = s.preferences[1].as_ref().unwrap();
    assert_eq!(
        ru.issues[0].values[1].spread,
        Some(Spread::Normal {
            sd: 0.05,
            lo: 0.0,
            hi: 1.0
        })
    );
    let again = parse_scenario(&truce_engine::write::to_toml(&s).unwrap()).unwrap();
    assert_eq!(again, s);

    for (bad, says) in [
        ("range = [0.4, 0.5]", "must hold the value"),
        ("range = [0.2, 1.5]", "within [0, 1]"),
        ("sd = -1", "must be a number >= 0"),
        (
            "range = [0.2, 0.5], dist = \"lognormal\"",
            "unknown distribution",
        ),
    ] {
        let text = BASE.replace(
            "reservation = 0.3",
            &format!("reservation = {{ value = 0.3, {bad} }}"),
        );
        let err = parse_scenario(&text).unwrap_err();
        assert!(
            err.diagnostics.iter().any(|d| d.message.contains(says)),
            "{bad}: {:?}",
            err.diagnostics
                .iter()
                .map(|d| &d.message)
                .collect::<Vec<_>>()
        );
    }
}

/// Found by fuzzing: the shipped example, written back, must read back as
/// itself (the writer once produced a file the parser refused).
#[test]
fn the_example_is_written_back_as_itself() {
    let text = include_str!("../../../examples/ukraine-2025.toml");
    let s = parse_scenario(text).unwrap();
    let written = truce_engine::write::to_toml(&s).unwrap();
    let again = parse_scenario(&written).unwrap_or_else(|e| panic!("{e:?}\n{written}"));
    assert_eq!(again, s);
}

/// Provisions and option values may be written as tables with headers as
/// well as inline: the same data in another TOML form.
#[test]
fn provisions_and_values_read_in_table_form() {
    let headed = BASE.replace(
        "provisions = { sanctions = \"lifted\" }",
        "[plans.provisions.sanctions]\noption = \"lifted\"\nbasis = \"seed\"",
    );
    let s = parse_scenario(&headed).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(s.plans[0].provisions[1].basis.as_deref(), Some("seed"));
    let headed = BASE.replace(
        "provisions = { sanctions = \"lifted\" }",
        "[plans.provisions]\nsanctions = \"lifted\"",
    );
    parse_scenario(&headed).unwrap_or_else(|e| panic!("{e:?}"));
}
