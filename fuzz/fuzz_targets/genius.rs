//! GENIUS XML: the input is one file, or several separated by a 0xFF byte
//! (never in UTF-8 text); the first is named domain.xml.
#![no_main]
use libfuzzer_sys::fuzz_target;
use truce_genius::{import, GeniusFile, ImportOptions};

fuzz_target!(|data: &[u8]| {
    let mut files = Vec::new();
    for (k, part) in data.split(|&b| b == 0xFF).enumerate().take(8) {
        let Ok(text) = std::str::from_utf8(part) else {
            return;
        };
        let name = if k == 0 {
            "domain.xml".to_string()
        } else {
            format!("party{k}.xml")
        };
        files.push(GeniusFile {
            name,
            text: text.to_string(),
        });
    }
    let options = ImportOptions {
        name: "fuzz".into(),
        real_steps: 10,
    };
    if let Ok(imported) = import(&files, &options) {
        let written = truce_engine::write::to_toml(&imported.scenario)
            .expect("an imported scenario can be written");
        truce_engine::parse_scenario(&written).expect("an imported scenario reads back");
        let _ = truce_genius::export(&imported.scenario);
    }
});
