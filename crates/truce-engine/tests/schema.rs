//! schema/scenario.schema.json agrees with what the parser accepts.

// A failing test unwraps, expects or panics: that is how it fails; and it
// may tell the runner what it covered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use serde_json::Value;
use truce_engine::generate::{generate, Shape};
use truce_engine::parse_scenario;
use truce_engine::write::to_toml;

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schema/scenario.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn as_json(toml_text: &str) -> Value {
    toml::from_str(toml_text).unwrap()
}

#[test]
fn the_example_satisfies_the_schema_and_the_parser() {
    let text = std::fs::read_to_string(root().join("examples/ukraine-2025.toml")).unwrap();
    parse_scenario(&text).unwrap();
    let v = validator();
    let errors: Vec<String> = v
        .iter_errors(&as_json(&text))
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn generated_scenarios_satisfy_the_schema() {
    let v = validator();
    for seed in 0..20 {
        let shape = Shape {
            mediator: seed % 2 == 0,
            deferrable: true,
            linkages: 2,
            plans: 2,
            numeric_issues: (seed % 3) as usize,
            consent_parties: (seed % 2) as usize,
            ..Default::default()
        };
        let text = to_toml(&generate(&shape, seed).unwrap()).unwrap();
        assert!(v.is_valid(&as_json(&text)), "seed {seed}");
        if shape.consent_parties > 0 {
            assert!(text.contains("veto = [\"i"), "{text}");
        }
        if shape.numeric_issues > 0 {
            assert!(
                text.contains("numeric") && text.contains("points"),
                "{text}"
            );
        }
    }
}

#[test]
fn the_schema_rejects_what_the_parser_rejects_structurally() {
    let text = std::fs::read_to_string(root().join("examples/ukraine-2025.toml")).unwrap();
    let v = validator();
    for (from, to) in [
        ("role = \"ally\"", "role = \"guarantor\""),
        ("role = \"ally\"", "role = \"ally\"\nflag = 1"),
        (
            "reservation = { value = 0.50",
            "reservation = { value = 1.50",
        ),
        ("date = \"2025-04-25\"", "date = \"25 April\""),
    ] {
        let bad = text.replacen(from, to, 1);
        assert!(parse_scenario(&bad).is_err(), "{to}");
        assert!(!v.is_valid(&as_json(&bad)), "{to}");
    }
}
