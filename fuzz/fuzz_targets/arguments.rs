//! The values the command line passes to the libraries: variations
//! (`--vary`), fixed issues (`--fix`), strategies (`--strategy`), dates
//! (`--at`), against the shipped example.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use truce_engine::simulation::{parse_fix, parse_strategy_of, parse_variation, Strategy};
use truce_engine::Scenario;

fn example() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| {
        truce_engine::parse_scenario(include_str!("../../examples/ukraine-2025.toml"))
            .expect("the example is valid")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let s = example();
    if let Ok(v) = parse_variation(s, text) {
        // The canonical text reads back as the same variation.
        assert_eq!(
            parse_variation(s, &v.text).expect("canonical text parses"),
            v
        );
    }
    let _ = parse_fix(s, text);
    let _ = parse_strategy_of(s, text);
    if let Ok(st) = Strategy::parse(text) {
        assert_eq!(
            Strategy::parse(&st.to_string()).expect("printed strategy parses"),
            st
        );
    }
    let _ = truce_engine::parse::is_date(text);
});
