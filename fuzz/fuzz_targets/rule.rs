//! The rule language of red lines and linkages, against fixed issues.
#![no_main]
use libfuzzer_sys::fuzz_target;
use truce_engine::model::{Issue, IssueOption};

fn issue(id: &str, ordered: bool, deferrable: bool, options: &[&str]) -> Issue {
    let mut options: Vec<IssueOption> = options
        .iter()
        .map(|o| IssueOption {
            id: o.to_string(),
            label: o.to_string(),
            basis: None,
        })
        .collect();
    if deferrable {
        options.push(IssueOption {
            id: "deferred".into(),
            label: "later".into(),
            basis: None,
        });
    }
    Issue {
        id: id.into(),
        question: id.into(),
        ordered,
        deferrable,
        options,
        basis: None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let issues = vec![
        issue(
            "crimea",
            false,
            true,
            &["not_recognised", "de_facto", "de_jure"],
        ),
        issue(
            "sanctions",
            true,
            false,
            &["tightened", "unchanged", "eased", "lifted"],
        ),
        issue(
            "scope",
            true,
            false,
            &["energy", "energy_black_sea", "full"],
        ),
    ];
    if let Ok(c) = truce_engine::expr::compile(text, &issues) {
        // Every package can be tested.
        for a in 0..4u16 {
            for b in 0..4u16 {
                for d in 0..3u16 {
                    let _ = c.holds(&[a, b, d]);
                }
            }
        }
        let _ = c.issues(issues.len());
    }
});
