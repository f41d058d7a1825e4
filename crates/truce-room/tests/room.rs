//! The room's model on the shipped example: a party's positions read from
//! its own blocks of the scenario file, with located errors; the combined
//! scenario; drafts, answers and the board.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use truce_engine::parse_scenario;
use truce_room::*;

fn example_text() -> String {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/ukraine-2025.toml");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn a_party_enters_its_own_blocks_and_the_room_recombines_the_scenario() {
    let text = example_text();
    let full = parse_scenario(&text).unwrap();
    let public = public_part(&full);
    assert!(public.preferences.iter().all(Option::is_none));
    assert!(public.red_lines.is_empty() && public.linkages.is_empty());
    let mut entered = Vec::new();
    for p in &full.parties {
        let fragment = blocks_of(&text, &p.id);
        if fragment.is_empty() {
            entered.push(None);
            continue;
        }
        let positions = read_positions(&public, &p.id, &fragment, PositionsFormat::Toml)
            .unwrap_or_else(|e| panic!("{}: {e:#?}\n{fragment}", p.id));
        entered.push(Some(positions));
    }
    let (combined, sources) = combine(&public, &entered, &[]).unwrap();
    assert_eq!(combined.preferences, full.preferences);
    let ids = |s: &truce_engine::Scenario| {
        let mut v: Vec<String> = s.red_lines.iter().map(|r| r.id.clone()).collect();
        v.extend(s.linkages.iter().map(|l| l.id.clone()));
        v.sort();
        v
    };
    assert_eq!(ids(&combined), ids(&full));
    assert!(sources.iter().all(|s| *s == PositionsSource::Entered));
}

#[test]
fn errors_are_placed_in_the_fragment_and_name_the_field() {
    let text = example_text();
    let full = parse_scenario(&text).unwrap();
    let public = public_part(&full);
    let fragment = blocks_of(&text, "ukraine").replace("issue = \"crimea\"", "issue = \"krimea\"");
    let errors = read_positions(&public, "ukraine", &fragment, PositionsFormat::Toml).unwrap_err();
    let line = fragment.lines().position(|l| l.contains("krimea")).unwrap() + 1;
    assert!(
        errors
            .iter()
            .any(|e| e.line == Some(line) && e.message.contains("krimea")),
        "{errors:#?}"
    );
    // Another party's blocks cannot be entered as one's own.
    let russia = blocks_of(&text, "russia");
    let errors = read_positions(&public, "ukraine", &russia, PositionsFormat::Toml).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("`ukraine`'s positions")),
        "{errors:#?}"
    );
    // A stray key or a syntax error is placed in the fragment.
    let errors =
        read_positions(&public, "ukraine", "\nx = 1\n", PositionsFormat::Toml).unwrap_err();
    assert_eq!(
        (errors[0].line, errors[0].path.as_deref()),
        (Some(2), Some("x"))
    );
    let errors = read_positions(
        &public,
        "ukraine",
        "[[preferences]\n",
        PositionsFormat::Toml,
    )
    .unwrap_err();
    assert_eq!(errors[0].line, Some(1), "{errors:?}");
    // Preferences are required.
    let errors = read_positions(&public, "ukraine", "", PositionsFormat::Toml).unwrap_err();
    assert_eq!(errors[0].path.as_deref(), Some("preferences"));
    // A party the room lacks.
    assert!(read_positions(&public, "nobody", "", PositionsFormat::Toml).is_err());
    // Too large.
    let big = "#".repeat(positions::MAX_POSITIONS_BYTES + 1);
    assert!(read_positions(&public, "ukraine", &big, PositionsFormat::Toml).is_err());
}

#[test]
fn positions_may_come_as_json() {
    let full = parse_scenario(&example_text()).unwrap();
    let public = public_part(&full);
    let json = r#"{"preferences": {"party": "europe", "reservation": 0.3,
        "issues": [{"issue": "sanctions", "weight": 0.6, "values": {"tightened": 1.0, "unchanged": 0.5, "eased": 0.2, "lifted": 0.0}},
                   {"issue": "frozen_assets", "weight": 0.4, "values": {"frozen": 1.0, "unfrozen": 0.0}}]}}"#;
    let p = read_positions(&public, "europe", json, PositionsFormat::Json).unwrap();
    assert_eq!(p.preferences.reservation.value, 0.3);
    let bad = json.replace("0.4,", "0.5,");
    let errors = read_positions(&public, "europe", &bad, PositionsFormat::Json).unwrap_err();
    assert!(
        errors.iter().any(|e| e.message.contains("sum")),
        "{errors:#?}"
    );
    assert!(errors.iter().all(|e| e.line.is_none()));
}

#[test]
fn a_draft_is_checked_answered_and_shown_on_the_board() {
    let full = parse_scenario(&example_text()).unwrap();
    let public = public_part(&full);
    let draft = Draft::new(
        &public,
        1,
        serde_json::from_str(r#"{"plan": "paris", "provisions": {"crimea": "not_recognised"}}"#)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(draft.provisions.len(), public.issues.len());
    assert!(draft.package(&public).is_some());
    let bad = Draft::new(
        &public,
        2,
        serde_json::from_str(r#"{"provisions": {"crimea": "nope", "moon": "x"}}"#).unwrap(),
    )
    .unwrap_err();
    let paths: Vec<_> = bad.iter().filter_map(|d| d.path.clone()).collect();
    assert!(paths.contains(&"provisions.crimea".to_string()));
    assert!(paths.contains(&"provisions.moon".to_string()));
    assert!(
        paths.contains(&"provisions.sanctions".to_string()),
        "unset issues are named"
    );
    let answer: ResponseInput = serde_json::from_str(
        r#"{"provisions": {"demarcation_line": {"answer": "caveat", "option": "adjusted", "note": "the line"}}, "overall": "accept_with_caveats"}"#,
    )
    .unwrap();
    let r = Response::new(&public, &draft, "ukraine", answer).unwrap();
    assert_eq!(r.provisions.len(), public.issues.len());
    let contradictory: ResponseInput = serde_json::from_str(
        r#"{"provisions": {"sanctions": {"answer": "reject"}}, "overall": "accept"}"#,
    )
    .unwrap();
    assert!(Response::new(&public, &draft, "russia", contradictory).is_err());
    let parties: Vec<String> = public.parties.iter().map(|p| p.id.clone()).collect();
    let board = Board::new(draft, &[r], &parties);
    assert!(board.answers.contains_key("ukraine"));
    assert!(board.waiting_for.contains(&"russia".to_string()));
}

#[test]
fn access_is_denied_by_default() {
    let ua = Role::Party("ukraine".into());
    let a = Access(&ua);
    assert!(a.read_positions("ukraine") && a.write_positions("ukraine"));
    assert!(!a.read_positions("russia") && !a.write_positions("russia"));
    assert!(!a.estimates() && !a.run_the_text() && !a.read_record());
    assert!(!a.read_answers("russia", false) && a.read_answers("russia", true));
    let m = Role::Mediator;
    assert!(Access(&m).read_positions("russia") && !Access(&m).write_positions("russia"));
    let o = Role::Observer;
    assert!(!Access(&o).read_board(false) && Access(&o).read_board(true));
}

#[test]
fn improvements_leave_no_party_worse_off_than_the_draft() {
    let full = parse_scenario(&example_text()).unwrap();
    let public = public_part(&full);
    let draft = Draft::new(
        &public,
        1,
        serde_json::from_str(r#"{"plan": "partial_truce"}"#).unwrap(),
    )
    .unwrap();
    let s = truce_room::analysis::with_drafts(full, std::slice::from_ref(&draft)).unwrap();
    let a = truce_engine::analysis::analyze(&s, &Default::default()).unwrap();
    let found = truce_room::analysis::improvements(&s, &a, &draft, 5);
    assert!(
        !found.is_empty(),
        "the partial truce leaves room for improvement"
    );
    let ev = truce_engine::utility::Evaluator::new(&s);
    let base = ev.evaluate(&draft.package(&s).unwrap()).utilities;
    let mut last = f64::INFINITY;
    for imp in &found {
        let package: Vec<u16> = imp
            .provisions
            .iter()
            .map(|(i, o)| {
                let issue = &s.issues[s.issue_index(i).unwrap()];
                issue.option_index(o).unwrap() as u16
            })
            .collect();
        let u = ev.evaluate(&package).utilities;
        let gains: Vec<f64> = u.iter().zip(&base).map(|(x, b)| x - b).collect();
        assert!(gains.iter().all(|g| *g >= -1e-9), "{gains:?}");
        assert!(gains.iter().any(|g| *g > 1e-9));
        let total: f64 = gains.iter().sum();
        assert!(total <= last + 1e-12, "largest total gain first");
        last = total;
        assert_eq!(imp.gains.len(), a.valued.len());
    }
}

/// The positions form, filled from each party's entered positions and sent
/// back unchanged, gives the same positions (linkages aside, which the
/// form does not edit); a field that is not a number is refused by name.
#[test]
fn the_positions_form_gives_back_what_it_was_filled_with() {
    use truce_room::form::PositionsForm;
    let text = example_text();
    let full = parse_scenario(&text).unwrap();
    let public = public_part(&full);
    for p in full
        .parties
        .iter()
        .filter(|p| full.preferences[full.party_index(&p.id).unwrap()].is_some())
    {
        let entered = read_positions(
            &public,
            &p.id,
            &blocks_of(&text, &p.id),
            PositionsFormat::Toml,
        )
        .unwrap();
        let form = PositionsForm::from_positions(&public, &entered);
        // As a browser sends it: every field by name.
        let mut fields: Vec<(String, String)> =
            vec![("reservation".into(), form.reservation.clone())];
        fields.extend(
            form.weights
                .iter()
                .map(|(i, w)| (format!("weight.{i}"), w.clone())),
        );
        fields.extend(
            form.values
                .iter()
                .map(|((i, o), v)| (format!("value.{i}.{o}"), v.clone())),
        );
        for (k, (label, rule)) in form.red_lines.iter().enumerate() {
            fields.push((format!("red_label.{k}"), label.clone()));
            fields.push((format!("red_rule.{k}"), rule.clone()));
        }
        let sent = PositionsForm::from_fields(&public, &fields);
        assert_eq!(sent.reservation, form.reservation);
        let toml = sent.to_toml(&public, &p.id).unwrap();
        let back = read_positions(&public, &p.id, &toml, PositionsFormat::Toml)
            .unwrap_or_else(|e| panic!("{}: {e:?}\n{toml}", p.id));
        assert_eq!(
            back.preferences.reservation.value,
            entered.preferences.reservation.value
        );
        for (x, y) in back
            .preferences
            .issues
            .iter()
            .zip(&entered.preferences.issues)
        {
            assert_eq!(x.weight.value, y.weight.value, "{}", p.id);
        }
        let value = |pos: &truce_room::Positions, i: usize, o: usize| {
            let ip = &pos.preferences.issues[i];
            ip.values
                .get(o)
                .map(|v| v.value)
                .or_else(|| ip.implied_value(&full.issues[i], o))
        };
        for (i, issue) in full.issues.iter().enumerate() {
            for o in 0..issue.options.len() {
                assert_eq!(
                    value(&back, i, o),
                    value(&entered, i, o),
                    "{} {} {o}",
                    p.id,
                    issue.id
                );
            }
        }
        let rules = |pos: &truce_room::Positions| {
            pos.red_lines
                .iter()
                .map(|r| (r.label.clone(), r.rule.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(rules(&back), rules(&entered));
    }
    let bad = PositionsForm::from_fields(
        &public,
        &[
            ("reservation".into(), "lots".into()),
            ("weight.crimea".into(), "0.5".into()),
        ],
    );
    let problems = bad.to_toml(&public, "ukraine").unwrap_err();
    assert_eq!(problems[0].path.as_deref(), Some("reservation"));
    assert!(problems[0].message.contains("`lots` is not a number"));
}
