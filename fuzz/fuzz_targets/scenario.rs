//! Scenario text: parsing, writing back, and (for small spaces) the whole
//! analysis and its reports must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use truce_engine::analysis::{analyze, AnalysisOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(s) = truce_engine::parse_scenario(text) else {
        return;
    };
    // What truce writes, truce reads back.
    let written = truce_engine::write::to_toml(&s).expect("a valid scenario can be written");
    let again = truce_engine::parse_scenario(&written).expect("a written scenario parses");
    assert_eq!(again, s);
    let options = AnalysisOptions {
        max_outcomes: 20_000,
        ..Default::default()
    };
    if let Ok(a) = analyze(&s, &options) {
        let mut sink = std::io::sink();
        truce_present::analysis::write_analysis(&mut sink, &s, &a, 5).unwrap();
        for p in 0..s.plans.len() {
            truce_present::analysis::write_explanation(&mut sink, &s, &a, p).unwrap();
        }
        truce_present::write_json(
            &mut sink,
            &truce_present::analysis_json::AnalysisJson::new(&s, &a, None),
        )
        .unwrap();
    }
});
