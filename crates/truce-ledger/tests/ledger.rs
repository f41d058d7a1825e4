//! The ledger model on the shipped example and on bad input.

// A failing test unwraps, expects or panics: that is how it fails; and it
// may tell the runner what it covered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use truce_ledger::{read_jsonl, sources_of, status_at, write_jsonl, CommitmentState};

fn example() -> String {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/ukraine-2025.ledger.jsonl");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_example_answers_the_status_question_of_19_april() {
    let records = read_jsonl(&example()).unwrap();
    let s = status_at(&records, "2025-04-19".parse().unwrap());
    let state = |id: &str| s.commitments.iter().find(|c| c.id == id).unwrap();
    assert_eq!(state("ua_black_sea").state, CommitmentState::InForce);
    let ru = state("energy_moratorium");
    assert_eq!(ru.party, "russia");
    assert_eq!(ru.with, vec!["ukraine"]);
    assert_eq!(ru.state, CommitmentState::Violated);
    assert!(ru.in_force, "violated but still in force");
    assert_eq!(ru.violations[0].reported_by.to_string(), "us");
    assert_eq!(ru.violations[0].support.sources, vec!["seed"]);
    assert_eq!(
        ru.violations[0].support.speaker_names(),
        vec!["Marco Rubio (US Secretary of State)"]
    );
    assert_eq!(state("ru_black_sea").state, CommitmentState::Pending);
    assert!(!state("ru_black_sea").condition_met);
    assert_eq!(s.unfulfilled_promises.len(), 1);
    assert_eq!(s.unfulfilled_promises[0].promised_by, "us");
    assert_eq!(s.unfulfilled_promises[0].broken_by, "russia");
    assert_eq!(s.deadlines[0].id, "us_walk_away");
    assert_eq!(s.deadlines[0].days_left, 6);
    assert_eq!(s.parties["russia"].broken, vec!["energy_moratorium"]);
    // Kyiv is bound by the moratorium too, and nobody reports it breaking
    // or keeping it.
    assert_eq!(
        s.parties["ukraine"].unverified,
        vec!["ua_black_sea", "energy_moratorium"]
    );
    // A strike reported before the term as recorded is not counted.
    assert_eq!(ru.reports_outside_term[0].id, "strike_reported_19_march");
    // Both versions of the start date give a violation by 19 April.
    assert_eq!(ru.terms.len(), 2);
    assert!(!ru.terms_disputed);
    // The promise of sanctions, from its own date, overdue.
    assert_eq!(s.promises[0].id, "us_sanctions_promise");
    assert_eq!(s.promises[0].promised_on.to_string(), "2025-03-30");
    assert_eq!(s.promises[0].state, truce_ledger::PromiseState::Overdue);
    // Zelensky's two spellings in the seed are one speaker.
    let red_line = sources_of(&records, "ua_red_line").unwrap();
    assert_eq!(
        red_line.support.speaker_names(),
        vec!["Volodymyr Zelensky (President of Ukraine)"]
    );
}

/// Issue 10: the example's start date in dispute shows on 20 March: not
/// begun as recorded, violated if it began on 18 March.
#[test]
fn the_example_shows_the_start_date_in_dispute() {
    let records = read_jsonl(&example()).unwrap();
    let s = status_at(&records, "2025-03-20".parse().unwrap());
    let c = &s.commitments[0];
    assert_eq!(c.id, "energy_moratorium");
    assert_eq!(c.state, CommitmentState::Pending);
    assert!(c.terms_disputed);
    let states: Vec<_> = c.terms.iter().map(|v| (v.claim, v.state)).collect();
    assert_eq!(
        states,
        vec![
            (None, CommitmentState::Pending),
            (
                Some("energy_moratorium_from_18_march"),
                CommitmentState::Violated
            )
        ]
    );
    // The promise is not yet known on 20 March.
    assert!(s.promises.is_empty());
}

#[test]
fn dates_move_the_answer() {
    let records = read_jsonl(&example()).unwrap();
    // Before the reported violation, Russia's energy commitment held.
    let s = status_at(&records, "2025-04-10".parse().unwrap());
    let ru = s
        .commitments
        .iter()
        .find(|c| c.id == "energy_moratorium")
        .unwrap();
    assert_eq!(ru.state, CommitmentState::InForce);
    assert!(s.unfulfilled_promises.is_empty());
    // After the 30 days, Kyiv's commitments have expired.
    let s = status_at(&records, "2025-04-30".parse().unwrap());
    let ua = s
        .commitments
        .iter()
        .find(|c| c.id == "ua_black_sea")
        .unwrap();
    assert_eq!(ua.state, CommitmentState::Expired);
    assert_eq!(
        ua.until.map(|d| d.to_string()).as_deref(),
        Some("2025-04-24")
    );
    assert!(s.deadlines.is_empty());
    // Lifting sanctions meets Moscow's condition.
    let mut text = example();
    text.push_str(r#"{"type":"sanction","id":"lift","date":"2025-04-20","by":"us","against":"russia","action":"lifted","reports":["r_trump_sanctions"],"basis":"hypothetical"}"#);
    let records = read_jsonl(&text).unwrap();
    let s = status_at(&records, "2025-04-21".parse().unwrap());
    let rb = s
        .commitments
        .iter()
        .find(|c| c.id == "ru_black_sea")
        .unwrap();
    assert_eq!(rb.state, CommitmentState::InForce);
}

#[test]
fn a_retraction_takes_a_violation_report_back() {
    let mut text = example();
    text.push_str(r#"{"type":"retraction","id":"x","retracts":"ru_energy_violated","date":"2025-04-19","reason":"test","reports":["r_rubio_violations"]}"#);
    let records = read_jsonl(&text).unwrap();
    let s = status_at(&records, "2025-04-19".parse().unwrap());
    let ru = s
        .commitments
        .iter()
        .find(|c| c.id == "energy_moratorium")
        .unwrap();
    assert_eq!(ru.state, CommitmentState::InForce);
    // Before the retraction date it still counts.
    let s = status_at(&records, "2025-04-18".parse().unwrap());
    let ru = s
        .commitments
        .iter()
        .find(|c| c.id == "energy_moratorium")
        .unwrap();
    assert_eq!(ru.state, CommitmentState::Violated);
}

#[test]
fn bad_lines_are_named_and_nothing_is_returned() {
    let mut lines: Vec<String> = example().lines().map(str::to_string).collect();
    lines[3] = "{not json".into();
    lines[13] = lines[13].replace("2025-03-25", "2025-13-25");
    lines[22] = lines[22].replace("\"energy_moratorium\"", "\"no_such_commitment\"");
    let errors = read_jsonl(&lines.join("\n")).unwrap_err();
    let mut at: Vec<usize> = errors.iter().filter_map(|e| e.line).collect();
    at.dedup();
    // Line 22 cites the report that line 4 no longer defines.
    assert_eq!(at, vec![4, 14, 22, 23], "{errors:#?}");
    assert!(errors
        .iter()
        .any(|e| e.line == Some(14) && e.message.contains("not a date")));
    assert!(errors
        .iter()
        .any(|e| e.line == Some(22) && e.message.contains("r_umerov_support")));
    assert!(errors
        .iter()
        .any(|e| e.line == Some(23) && e.message.contains("no_such_commitment")));
}

#[test]
fn corroboration_counts_independent_origins_and_denials_dispute() {
    let mut text = example();
    // Two outlets reprinting one wire story are one origin; a third outlet
    // with its own sources is another. Moscow's denial disputes the report.
    for line in [
        r#"{"type":"source","id":"paper_a","outlet":"Paper A","title":null,"url":null,"published":"2025-04-18"}"#,
        r#"{"type":"source","id":"paper_b","outlet":"Paper B","title":null,"url":null,"published":"2025-04-18"}"#,
        r#"{"type":"source","id":"paper_c","outlet":"Paper C","title":null,"url":null,"published":"2025-04-19"}"#,
        r#"{"type":"report","id":"ra","source":"paper_a","speaker":{"description":"officials"},"via":"Wire","said_on":null,"words":null,"at":null}"#,
        r#"{"type":"report","id":"rb","source":"paper_b","speaker":{"description":"officials"},"via":"Wire","said_on":null,"words":null,"at":null}"#,
        r#"{"type":"report","id":"rc","source":"paper_c","speaker":{"name":"A monitor"},"via":null,"said_on":null,"words":null,"at":null}"#,
        r#"{"type":"report","id":"rd","source":"paper_c","speaker":{"name":"Dmitry Peskov","role":"Kremlin spokesman"},"via":null,"said_on":null,"words":"no strikes","at":null}"#,
        r#"{"type":"corroboration","id":"k1","supports":"ru_energy_violated","date":"2025-04-18","reports":["ra","rb"]}"#,
        r#"{"type":"corroboration","id":"k2","supports":"ru_energy_violated","date":"2025-04-21","reports":["rc"]}"#,
        r#"{"type":"denial","id":"d1","denies":"ru_energy_violated","date":"2025-04-19","by":"russia","reports":["rd"]}"#,
    ] {
        text.push('\n');
        text.push_str(line);
    }
    let records = read_jsonl(&text).unwrap();
    let violation = |at: &str| {
        let s = status_at(&records, at.parse().unwrap());
        let c = s
            .commitments
            .into_iter()
            .find(|c| c.id == "energy_moratorium")
            .unwrap();
        c.violations[0].support.clone()
    };
    let s = violation("2025-04-18");
    // The seed (relaying no one for Rubio) and the wire: two origins.
    assert_eq!(s.reports, ["r_rubio_violations", "ra", "rb"]);
    assert_eq!(s.sources, ["paper_a", "paper_b", "seed"]);
    assert_eq!(s.independent_sources, 2);
    assert!(s.denied_by.is_empty());
    let s = violation("2025-04-21");
    assert_eq!(s.independent_sources, 3);
    assert_eq!(s.denied_by, ["rd"]);
    assert_eq!(s.disputed_by, ["russia"]);
    // A disputed violation is still a reported violation.
    let st = status_at(&records, "2025-04-21".parse().unwrap());
    assert_eq!(st.parties["russia"].broken, vec!["energy_moratorium"]);
    // The whole story of one entry, whatever the date.
    let found = sources_of(&records, "ru_energy_violated").unwrap();
    assert_eq!(found.supporting.len(), 4);
    assert_eq!(
        found.denying[0].speaker,
        "Dmitry Peskov (Kremlin spokesman)"
    );
    assert_eq!(found.denying[0].outlet, "Paper C");
    assert!(sources_of(&records, "no_such_entry").is_none());
}

#[test]
fn entries_name_the_scenario_parties_and_options() {
    let scenario_path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/ukraine-2025.toml");
    let scenario =
        truce_engine::parse_scenario(&std::fs::read_to_string(scenario_path).unwrap()).unwrap();
    let records = read_jsonl(&example()).unwrap();
    assert_eq!(truce_ledger::check_links(&records, &scenario), vec![]);
    let mut text = example();
    text.push_str(r#"{"type":"event","id":"typo","kind":"statement","date":"2025-04-19","parties":["rusia"],"summary":"s","concerns":["crimea=dejure","sanction","monitoring"],"reports":[]}"#);
    let problems = truce_ledger::check_links(&read_jsonl(&text).unwrap(), &scenario);
    let found: Vec<(&str, &str, Option<&str>)> = problems
        .iter()
        .map(|p| {
            (
                p.field.as_str(),
                p.value.as_str(),
                p.did_you_mean.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("parties", "rusia", Some("russia")),
            ("concerns", "crimea=dejure", Some("de_jure")),
            ("concerns", "sanction", Some("sanctions")),
        ]
    );
}

#[test]
fn a_speaker_is_named_or_described_not_both() {
    let line = |speaker: &str| {
        format!(
            r#"{{"type":"source","id":"s"}}
{{"type":"report","id":"r","source":"s","speaker":{speaker}}}"#
        )
    };
    assert!(read_jsonl(&line(r#"{"name":"A","role":"B"}"#)).is_ok());
    assert!(read_jsonl(&line(r#"{"description":"an official"}"#)).is_ok());
    let errors = read_jsonl(&line(r#"{"name":"A","description":"an official"}"#)).unwrap_err();
    assert_eq!(errors[0].line, Some(2));
}

/// Issue 9: a bad field is named by its path, nested fields included.
#[test]
fn a_bad_field_is_named_by_its_path() {
    let line = r#"{"type":"report","id":"r","source":"s","speaker":{"name":7},"via":null,"said_on":null,"words":null,"at":null}"#;
    let text = format!("{{\"type\":\"source\",\"id\":\"s\",\"title\":\"t\"}}\n{line}\n");
    let errors = truce_ledger::read_jsonl(&text).unwrap_err();
    assert_eq!(errors[0].line, Some(2));
    // A speaker is named or described: the field is the speaker.
    assert_eq!(errors[0].path.as_deref(), Some("speaker"), "{errors:?}");
    assert!(errors[0].column.is_some());
}

/// Issue 10: a violation counts only within the commitment's term: after
/// it starts and its condition is met, before it ends or is withdrawn.
/// Reports outside the term are listed apart and change nothing.
#[test]
fn violations_count_only_within_the_term() {
    let base = r#"{"type":"source","id":"s","outlet":"o","title":null,"url":null,"published":null}
{"type":"report","id":"r","source":"s","speaker":{"description":"an official"},"via":null,"said_on":null,"words":null,"at":null}
{"type":"commitment","id":"c","date":"2025-03-18","party":"russia","scope":"energy strikes","from":"2025-03-25","days":30,"condition":null,"consequence":null,"reports":["r"],"basis":null}
"#;
    let violation = |id: &str, date: &str| {
        format!(
            r#"{{"type":"violation","id":"{id}","commitment":"c","date":"{date}","reported_by":"ukraine","reports":["r"],"basis":null}}"#
        )
    };
    let status_of = |extra: &[String], at: &str| {
        let text = format!("{base}{}\n", extra.join("\n"));
        let records = read_jsonl(&text).unwrap();
        let s = status_at(&records, at.parse().unwrap());
        let c = s.commitments.iter().find(|c| c.id == "c").unwrap().clone();
        (
            c.state,
            c.violations
                .iter()
                .map(|v| v.id.to_string())
                .collect::<Vec<_>>(),
            c.reports_outside_term
                .iter()
                .map(|v| v.id.to_string())
                .collect::<Vec<_>>(),
            s.parties.get("russia").map(|p| p.broken.len()),
        )
    };
    // A strike on 19 March, before the term began on 25 March.
    let (state, inside, outside, broken) =
        status_of(&[violation("v_early", "2025-03-19")], "2025-04-01");
    assert_eq!(state, CommitmentState::InForce);
    assert!(inside.is_empty());
    assert_eq!(outside, vec!["v_early"]);
    assert_eq!(broken, Some(0));
    // A strike within the term breaks it; one after the 30 days does not.
    let (state, inside, outside, _) = status_of(
        &[
            violation("v_in", "2025-04-02"),
            violation("v_late", "2025-04-25"),
        ],
        "2025-05-01",
    );
    assert_eq!(state, CommitmentState::Violated);
    assert_eq!(inside, vec!["v_in"]);
    assert_eq!(outside, vec!["v_late"]);
    // After a withdrawal, reports no longer count.
    let withdrawal = r#"{"type":"withdrawal","id":"w","commitment":"c","date":"2025-04-01","reports":["r"],"basis":null}"#.to_string();
    let (state, inside, outside, _) = status_of(
        &[withdrawal, violation("v_after", "2025-04-03")],
        "2025-04-05",
    );
    assert_eq!(state, CommitmentState::Withdrawn);
    assert!(inside.is_empty());
    assert_eq!(outside, vec!["v_after"]);
}

/// Issue 10: before its condition is met, a commitment cannot be broken.
#[test]
fn violations_before_the_condition_is_met_do_not_count() {
    let text = r#"{"type":"source","id":"s","outlet":"o","title":null,"url":null,"published":null}
{"type":"report","id":"r","source":"s","speaker":{"description":"an official"},"via":null,"said_on":null,"words":null,"at":null}
{"type":"commitment","id":"c","date":"2025-03-25","party":"russia","scope":"Black Sea","from":"2025-03-25","days":null,"condition":{"requires":"sanctions_lifted","against":"russia","by":null},"consequence":null,"reports":["r"],"basis":null}
{"type":"violation","id":"v_before","commitment":"c","date":"2025-04-05","reported_by":"ukraine","reports":["r"],"basis":null}
{"type":"sanction","id":"l","date":"2025-04-10","by":"eu","against":"russia","action":"lifted","reports":["r"],"basis":null}
{"type":"violation","id":"v_after","commitment":"c","date":"2025-04-12","reported_by":"ukraine","reports":["r"],"basis":null}
"#;
    let records = read_jsonl(text).unwrap();
    let s = status_at(&records, "2025-04-08".parse().unwrap());
    let c = &s.commitments[0];
    assert_eq!(c.state, CommitmentState::Pending);
    assert_eq!(c.reports_outside_term[0].id, "v_before");
    let s = status_at(&records, "2025-04-20".parse().unwrap());
    let c = &s.commitments[0];
    assert_eq!(c.state, CommitmentState::Violated);
    assert_eq!(c.violations.len(), 1);
    assert_eq!(c.violations[0].id, "v_after");
    assert_eq!(c.reports_outside_term[0].id, "v_before");
}

const ONE_COMMITMENT: &str = r#"{"type":"source","id":"s","outlet":"o","title":null,"url":null,"published":null}
{"type":"report","id":"r","source":"s","speaker":{"description":"an official"},"via":null,"said_on":null,"words":null,"at":null}
{"type":"commitment","id":"c","date":"2025-03-25","party":"russia","scope":"energy","from":"2025-03-25","days":null,"condition":null,"consequence":null,"reports":["r"],"basis":null}
"#;

fn retraction(id: &str, retracts: &str, date: &str) -> String {
    format!(
        r#"{{"type":"retraction","id":"{id}","retracts":"{retracts}","date":"{date}","reason":"x","reports":["r"],"basis":null}}"#
    )
}

/// Issue 10: a retraction cannot take itself back or form a cycle.
#[test]
fn retractions_of_themselves_and_cycles_are_refused() {
    let text = format!("{ONE_COMMITMENT}{}\n", retraction("x", "x", "2025-04-01"));
    let errors = read_jsonl(&text).unwrap_err();
    assert!(
        errors.iter().any(|e| e.message.contains("retracts itself")),
        "{errors:?}"
    );
    let text = format!(
        "{ONE_COMMITMENT}{}\n{}\n{}\n",
        retraction("a", "b", "2025-04-01"),
        retraction("b", "c2", "2025-04-01"),
        retraction("c2", "a", "2025-04-01")
    );
    let errors = read_jsonl(&text).unwrap_err();
    assert_eq!(
        errors
            .iter()
            .filter(|e| e.message.contains("in a cycle"))
            .count(),
        1,
        "{errors:?}"
    );
}

/// Issue 10: retracting a retraction restores the record, from its date.
#[test]
fn retracting_a_retraction_restores_the_record() {
    let text = format!(
        "{ONE_COMMITMENT}{}\n{}\n",
        retraction("x1", "c", "2025-04-01"),
        retraction("x2", "x1", "2025-04-10")
    );
    let records = read_jsonl(&text).unwrap();
    let has_c = |at: &str| {
        status_at(&records, at.parse().unwrap())
            .commitments
            .iter()
            .any(|c| c.id == "c")
    };
    assert!(has_c("2025-03-30"));
    assert!(!has_c("2025-04-05"), "retracted on 1 April");
    assert!(has_c("2025-04-15"), "restored on 10 April");
    assert_eq!(sources_of(&records, "c").unwrap().retracted_by, None);
    assert_eq!(
        sources_of(&records, "x1").unwrap().retracted_by.as_deref(),
        Some("x2")
    );
}

/// A chain of retractions as long as a ledger can hold is resolved without
/// recursion.
#[test]
fn a_long_chain_of_retractions_is_resolved() {
    let mut text = ONE_COMMITMENT.to_string();
    let n = 200_000;
    text.push_str(&retraction("x0", "c", "2025-04-01"));
    text.push('\n');
    for k in 1..n {
        text.push_str(&retraction(
            &format!("x{k}"),
            &format!("x{}", k - 1),
            "2025-04-01",
        ));
        text.push('\n');
    }
    let records = read_jsonl(&text).unwrap();
    let s = status_at(&records, "2025-04-02".parse().unwrap());
    // The last retraction of the chain counts, so every other one does:
    // x0 counts (and the commitment falls) exactly when n is odd.
    assert_eq!(s.commitments.iter().any(|c| c.id == "c"), n % 2 == 0);
}

/// Issue 10: promises are records of their own, dated; only a record that
/// names one (`fulfils`) carries it out, never an unrelated sanction.
#[test]
fn promises_have_their_own_date_and_are_fulfilled_only_by_name() {
    let base = format!(
        "{ONE_COMMITMENT}{}\n{}\n",
        r#"{"type":"promise","id":"p","date":"2025-03-27","by":"us","against":"russia","action":"sanctions","label":null,"in_response_to":"c","reports":["r"],"basis":null}"#,
        r#"{"type":"violation","id":"v","commitment":"c","date":"2025-04-05","reported_by":"ukraine","reports":["r"],"basis":null}"#
    );
    let promise = |text: &str, at: &str| {
        let records = read_jsonl(text).unwrap();
        status_at(&records, at.parse().unwrap())
            .promises
            .iter()
            .find(|p| p.id == "p")
            .map(|p| {
                (
                    p.state,
                    p.fulfilled_by.map(str::to_string),
                    p.triggered_on.map(|d| d.to_string()),
                )
            })
    };
    // Not known before its own date.
    assert_eq!(promise(&base, "2025-03-26"), None);
    assert_eq!(
        promise(&base, "2025-04-01"),
        Some((truce_ledger::PromiseState::Pending, None, None))
    );
    assert_eq!(
        promise(&base, "2025-04-10"),
        Some((
            truce_ledger::PromiseState::Overdue,
            None,
            Some("2025-04-05".into())
        ))
    );
    // An overdue promise is a promised consequence that never came.
    let records = read_jsonl(&base).unwrap();
    let s = status_at(&records, "2025-04-10".parse().unwrap());
    assert_eq!(s.unfulfilled_promises.len(), 1);
    assert_eq!(s.unfulfilled_promises[0].commitment, "c");
    assert_eq!(s.unfulfilled_promises[0].broken_by, "russia");
    assert_eq!(s.unfulfilled_promises[0].promised_by, "us");
    // Sanctions against Russia months later, for something else: still overdue.
    let unrelated = format!(
        "{base}{}\n",
        r#"{"type":"sanction","id":"rosneft","date":"2025-10-22","by":"us","against":"russia","action":"imposed","reports":["r"],"basis":null}"#
    );
    assert_eq!(
        promise(&unrelated, "2025-11-01").unwrap().0,
        truce_ledger::PromiseState::Overdue
    );
    // A sanction that names the promise fulfils it.
    let named = format!(
        "{base}{}\n",
        r#"{"type":"sanction","id":"s1","date":"2025-04-20","by":"us","against":"russia","action":"imposed","fulfils":"p","reports":["r"],"basis":null}"#
    );
    assert_eq!(
        promise(&named, "2025-04-21"),
        Some((
            truce_ledger::PromiseState::Fulfilled,
            Some("s1".into()),
            Some("2025-04-05".into())
        ))
    );
    // `fulfils` must name a promise or a commitment.
    let wrong = format!(
        "{base}{}\n",
        r#"{"type":"sanction","id":"s1","date":"2025-04-20","by":"us","against":"russia","action":"imposed","fulfils":"v","reports":["r"],"basis":null}"#
    );
    let errors = read_jsonl(&wrong).unwrap_err();
    assert_eq!(errors[0].path.as_deref(), Some("fulfils"), "{errors:?}");
}

/// The example's promise of sanctions (made with the commitment) is no
/// longer fulfilled by a later, unrelated sanction.
#[test]
fn an_unrelated_sanction_fulfils_no_consequence_promised_with_a_commitment() {
    let text = format!(
        "{}{}\n",
        example(),
        r#"{"type":"sanction","id":"later","date":"2025-04-18","by":"us","against":"russia","action":"imposed","reports":["r_rubio_violations"],"basis":null}"#
    );
    let records = read_jsonl(&text).unwrap();
    let s = status_at(&records, "2025-04-19".parse().unwrap());
    assert_eq!(
        s.unfulfilled_promises.len(),
        1,
        "{:?}",
        s.unfulfilled_promises
    );
}

/// Issue 10: "kept" only when some source reported the commitment holding;
/// a commitment nobody reported on is "unverified", not kept.
#[test]
fn kept_needs_a_report_that_it_held() {
    let records = read_jsonl(ONE_COMMITMENT).unwrap();
    let s = status_at(&records, "2025-04-01".parse().unwrap());
    assert!(s.parties["russia"].kept.is_empty());
    assert_eq!(s.parties["russia"].unverified, vec!["c"]);
    assert!(!s.commitments[0].monitored);
    let text = format!(
        "{ONE_COMMITMENT}{}\n",
        r#"{"type":"corroboration","id":"held","supports":"c","date":"2025-03-30","reports":["r"],"basis":null}"#
    );
    let records = read_jsonl(&text).unwrap();
    // Not before the report is known.
    let s = status_at(&records, "2025-03-28".parse().unwrap());
    assert_eq!(s.parties["russia"].unverified, vec!["c"]);
    let s = status_at(&records, "2025-04-01".parse().unwrap());
    assert_eq!(s.parties["russia"].kept, vec!["c"]);
    assert!(s.parties["russia"].unverified.is_empty());
}

/// Issue 10: one ledger, several scenarios: a concern names its scenario
/// (`scenario_id:issue=option`) and is checked only against that one.
#[test]
fn concerns_name_their_scenario() {
    let scenario_text = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/ukraine-2025.toml"),
    )
    .unwrap();
    let scenario = truce_engine::parse_scenario(&scenario_text).unwrap();
    assert_eq!(scenario.id.as_deref(), Some("ukraine-2025-04"));
    let event = |id: &str, concerns: &str| {
        format!(
            r#"{{"type":"event","id":"{id}","kind":"meeting","date":"2025-04-17","parties":["us"],"summary":"s","concerns":[{concerns}],"reports":["r"],"basis":null}}"#
        )
    };
    let text = format!(
        "{ONE_COMMITMENT}{}\n{}\n{}\n",
        event("mine", r#""ukraine-2025-04:sanctions=lifted", "crimea""#),
        event("theirs", r#""gaza-2025:hostages=released""#),
        event("wrong", r#""ukraine-2025-04:sanctionz""#),
    );
    let records = read_jsonl(&text).unwrap();
    let problems = truce_ledger::check_links(&records, &scenario);
    let about: Vec<&str> = problems.iter().map(|p| p.entry.as_str()).collect();
    assert_eq!(about, vec!["wrong"], "{problems:?}");
    assert_eq!(problems[0].did_you_mean.as_deref(), Some("sanctions"));
}

/// Issue 10: sources disagree on a commitment's terms (Moscow dating the
/// energy moratorium from 18 March, Washington and Kyiv from 25 March):
/// status judges it under each version and says they differ; the tally
/// counts the pledge once, by its own record.
#[test]
fn terms_claimed_differently_are_judged_each_way() {
    let text = r#"{"type":"source","id":"kremlin","outlet":"Kremlin","title":null,"url":null,"published":null}
{"type":"source","id":"wh","outlet":"White House","title":null,"url":null,"published":null}
{"type":"report","id":"r_wh","source":"wh","speaker":{"description":"the White House"},"via":null,"said_on":null,"words":null,"at":null}
{"type":"report","id":"r_kr","source":"kremlin","speaker":{"description":"the Kremlin"},"via":null,"said_on":null,"words":null,"at":null}
{"type":"commitment","id":"c","date":"2025-03-18","party":"russia","scope":"energy strikes","from":"2025-03-25","days":30,"condition":null,"consequence":null,"reports":["r_wh"],"basis":null}
{"type":"terms","id":"c_kremlin","commitment":"c","date":"2025-03-18","from":"2025-03-18","days":null,"reports":["r_kr"],"basis":null}
{"type":"violation","id":"v","commitment":"c","date":"2025-03-19","reported_by":"ukraine","reports":["r_wh"],"basis":null}
"#;
    let records = read_jsonl(text).unwrap();
    let s = status_at(&records, "2025-03-20".parse().unwrap());
    let c = &s.commitments[0];
    assert_eq!(
        c.state,
        CommitmentState::Pending,
        "as recorded, not yet in force"
    );
    assert!(c.terms_disputed);
    assert_eq!(c.terms.len(), 2);
    assert_eq!(c.terms[0].claim, None);
    assert_eq!(c.terms[0].sources, vec!["wh"]);
    assert_eq!(c.terms[1].claim, Some("c_kremlin"));
    assert_eq!(c.terms[1].state, CommitmentState::Violated);
    assert_eq!(c.terms[1].sources, vec!["kremlin"]);
    // Counted once: by the commitment's own record, pending.
    let russia = &s.parties["russia"];
    assert_eq!(
        russia.broken.len() + russia.kept.len() + russia.unverified.len(),
        0
    );
    // Where the versions agree, nothing is in dispute.
    let s = status_at(&records, "2025-03-17".parse().unwrap());
    assert!(s.commitments.is_empty() || !s.commitments[0].terms_disputed);
}

/// Issue 10: the spellings of one person count once, under their name.
#[test]
fn a_person_spelled_three_ways_counts_once() {
    let reports = ["Volodymyr Zelensky", "Volodymyr Zelenskiy", "Volodymyr Zelenskyy"]
        .iter()
        .enumerate()
        .map(|(k, name)| {
            format!(r#"{{"type":"report","id":"z{k}","source":"s","speaker":{{"name":"{name}","role":null}},"via":null,"said_on":null,"words":null,"at":null}}"#)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let text = |person: &str| {
        format!(
            r#"{{"type":"source","id":"s","outlet":"o","title":null,"url":null,"published":null}}
{reports}
{person}
{{"type":"commitment","id":"c","date":"2025-03-25","party":"ukraine","scope":"energy","from":"2025-03-25","days":null,"condition":null,"consequence":null,"reports":["z0","z1","z2"],"basis":null}}
"#
        )
    };
    let speakers = |t: &str| {
        let records = read_jsonl(t).unwrap();
        let s = status_at(&records, "2025-04-01".parse().unwrap());
        s.commitments[0].support.speaker_names()
    };
    assert_eq!(speakers(&text("")).len(), 3);
    let person = r#"{"type":"person","id":"zelensky","name":"Volodymyr Zelensky","role":"President of Ukraine","aliases":["Volodymyr Zelenskiy","Volodymyr Zelenskyy"],"reports":[],"basis":"assumption: one person"}"#;
    assert_eq!(
        speakers(&text(person)),
        vec!["Volodymyr Zelensky (President of Ukraine)"]
    );
}

/// Issue 10: a commitment several parties made ("all parties agreed"):
/// each keeps or breaks it on its own, and a violation names who broke it.
#[test]
fn a_commitment_of_several_parties_is_kept_or_broken_by_each() {
    let text = r#"{"type":"source","id":"s","outlet":"o","title":null,"url":null,"published":null}
{"type":"report","id":"r","source":"s","speaker":{"description":"an official"},"via":null,"said_on":null,"words":null,"at":null}
{"type":"commitment","id":"easter","date":"2025-04-19","party":"russia","with":["ukraine"],"scope":"Easter truce","from":"2025-04-19","days":2,"condition":null,"consequence":null,"reports":["r"],"basis":null}
{"type":"violation","id":"v_ru","commitment":"easter","date":"2025-04-20","reported_by":"ukraine","by":"russia","reports":["r"],"basis":null}
{"type":"corroboration","id":"held","supports":"easter","date":"2025-04-21","reports":["r"],"basis":null}
"#;
    let records = read_jsonl(text).unwrap();
    let s = status_at(&records, "2025-04-22".parse().unwrap());
    let c = &s.commitments[0];
    assert_eq!(c.state, CommitmentState::Violated);
    assert_eq!(c.with, ["ukraine".to_string()]);
    assert_eq!(c.violations[0].by, "russia");
    assert_eq!(s.parties["russia"].broken, vec!["easter"]);
    assert_eq!(s.parties["ukraine"].kept, vec!["easter"]);
    assert!(s.parties["ukraine"].broken.is_empty());
}

const HEAD: &str = r#"{"type":"source","id":"s","outlet":"o","title":null,"url":null,"published":null}
{"type":"report","id":"r","source":"s","speaker":{"description":"an official"},"via":null,"said_on":null,"words":null,"at":null}
"#;

fn commitment(id: &str, party: &str, from: &str, condition: Option<&str>) -> String {
    let condition = condition.map_or("null".to_string(), |c| {
        format!(
            r#"{{"requires":"rule","rule":{}}}"#,
            serde_json::to_string(c).unwrap()
        )
    });
    format!(
        r#"{{"type":"commitment","id":"{id}","date":"{from}","party":"{party}","scope":"x","from":"{from}","days":null,"condition":{condition},"consequence":null,"reports":["r"],"basis":null}}"#
    )
}

/// Issue 10: a condition names the sanction that must be lifted (Moscow's
/// Rosselkhozbank/SWIFT demand), not any sanction.
#[test]
fn a_rule_condition_waits_for_the_named_measure() {
    let text = format!(
        "{HEAD}{}\n{}\n{}\n",
        commitment(
            "ru_bs",
            "russia",
            "2025-03-25",
            Some("lifted(rosselkhozbank_swift)")
        ),
        r#"{"type":"sanction","id":"other","date":"2025-04-01","by":"eu","against":"russia","action":"lifted","measure":"aeroflot_flights","reports":["r"],"basis":null}"#,
        r#"{"type":"sanction","id":"swift","date":"2025-04-10","by":"eu","against":"russia","action":"lifted","measure":"rosselkhozbank_swift","reports":["r"],"basis":null}"#,
    );
    let records = read_jsonl(&text).unwrap();
    let at = |d: &str| status_at(&records, d.parse().unwrap()).commitments[0].clone();
    assert_eq!(at("2025-04-05").state, CommitmentState::Pending);
    assert!(!at("2025-04-05").condition_met);
    let later = at("2025-04-12");
    assert_eq!(later.state, CommitmentState::InForce);
    assert_eq!(
        later.term_from.map(|d| d.to_string()).as_deref(),
        Some("2025-04-10")
    );
}

/// Issue 10: reciprocity ("if Russia is ready, we are ready"): Ukraine's
/// pledge holds while Russia's does, and ends when Russia withdraws.
#[test]
fn a_reciprocal_commitment_follows_the_other() {
    let text = format!(
        "{HEAD}{}\n{}\n{}\n{}\n",
        commitment("ru", "russia", "2025-03-25", None),
        commitment("ua", "ukraine", "2025-03-20", Some("in_force(ru)")),
        r#"{"type":"withdrawal","id":"w","commitment":"ru","date":"2025-04-16","reports":["r"],"basis":null}"#,
        r#"{"type":"violation","id":"v","commitment":"ua","date":"2025-03-22","reported_by":"russia","reports":["r"],"basis":null}"#,
    );
    let records = read_jsonl(&text).unwrap();
    let s = status_at(&records, "2025-04-01".parse().unwrap());
    let ua = s.commitments.iter().find(|c| c.id == "ua").unwrap();
    assert_eq!(ua.state, CommitmentState::InForce);
    assert_eq!(
        ua.term_from.map(|d| d.to_string()).as_deref(),
        Some("2025-03-25")
    );
    // The strike on 22 March came before Russia's pledge applied.
    assert_eq!(ua.reports_outside_term[0].id, "v");
    let s = status_at(&records, "2025-04-20".parse().unwrap());
    let ua = s.commitments.iter().find(|c| c.id == "ua").unwrap();
    assert!(!ua.in_force);
    assert_eq!(ua.state, CommitmentState::Expired);
    assert_eq!(
        ua.term_until.map(|d| d.to_string()).as_deref(),
        Some("2025-04-16")
    );
}

/// Issue 10: two pledges conditional on each other are in force together.
#[test]
fn mutual_conditions_are_in_force_together() {
    let text = format!(
        "{HEAD}{}\n{}\n",
        commitment("a", "russia", "2025-03-25", Some("in_force(b)")),
        commitment("b", "ukraine", "2025-03-27", Some("in_force(a)")),
    );
    let records = read_jsonl(&text).unwrap();
    let s = status_at(&records, "2025-04-01".parse().unwrap());
    for c in &s.commitments {
        assert_eq!(c.state, CommitmentState::InForce, "{}", c.id);
        assert_eq!(
            c.term_from.map(|d| d.to_string()).as_deref(),
            Some("2025-03-27")
        );
    }
}

/// Issue 10: conditions over scenario options and other records, with
/// `or`, `and` and `not`.
#[test]
fn conditions_combine_agreements_and_events() {
    let text = format!(
        "{HEAD}{}\n{}\n{}\n",
        commitment(
            "c",
            "russia",
            "2025-03-25",
            Some("agreed(sanctions == lifted) or (happened(m) and not sanctions_lifted(russia))")
        ),
        r#"{"type":"event","id":"m","kind":"meeting","date":"2025-04-11","parties":["us","russia"],"summary":"talks","reports":["r"],"basis":null}"#,
        r#"{"type":"event","id":"deal","kind":"agreement","date":"2025-04-20","parties":["us","russia"],"summary":"deal","concerns":["ukraine-2025:sanctions=lifted"],"reports":["r"],"basis":null}"#,
    );
    let records = read_jsonl(&text).unwrap();
    let at = |d: &str| status_at(&records, d.parse().unwrap()).commitments[0].clone();
    assert_eq!(at("2025-04-10").state, CommitmentState::Pending);
    assert_eq!(
        at("2025-04-12").term_from.map(|d| d.to_string()).as_deref(),
        Some("2025-04-11")
    );
}

/// Issue 10: conditions are checked on import: syntax, tests, references.
#[test]
fn bad_conditions_are_refused_on_import_with_the_field() {
    for (rule, says) in [
        ("lifed(x)", "unknown test"),
        ("lifted(x) and", "the end of the rule"),
        ("in_force(nothing)", "`nothing` is not a commitment"),
        ("in_force(r)", "`r` is not a commitment"),
        ("in_force(c)", "its own commitment"),
        ("happened(nowhere)", "`nowhere` is not a record"),
        ("", "empty rule"),
    ] {
        let text = format!(
            "{HEAD}{}\n",
            commitment("c", "russia", "2025-03-25", Some(rule))
        );
        let errors = read_jsonl(&text).unwrap_err();
        assert!(
            errors.iter().any(|e| e.message.contains(says)
                && e.path.as_deref() == Some("condition.rule")
                && e.line == Some(3)),
            "{rule}: {errors:?}"
        );
    }
}

fn violation(id: &str, commitment: &str, date: &str) -> String {
    format!(
        r#"{{"type":"violation","id":"{id}","commitment":"{commitment}","date":"{date}","reported_by":"ukraine","reports":["r"],"basis":null}}"#
    )
}

/// Issue 10: the 30-hour Easter truce, from 18:00 Saturday to 00:00 Monday
/// Moscow time; reports at a time, on a day, or in a month fall inside,
/// outside or across its edge, and status says which.
#[test]
fn dates_with_precision_are_judged_at_the_finest_precision_given() {
    let easter = r#"{"type":"commitment","id":"easter","date":"2025-04-19","party":"russia","scope":"Easter truce","from":"2025-04-19T18:00+03:00","until":"2025-04-21T00:00+03:00","days":null,"condition":null,"consequence":null,"reports":["r"],"basis":null}"#;
    let text = format!(
        "{HEAD}{easter}\n{}\n{}\n{}\n{}\n{}\n",
        violation("before", "easter", "2025-04-19T17:30+03:00"),
        violation("same_day", "easter", "2025-04-19"),
        violation("month", "easter", "2025-04"),
        violation("utc", "easter", "2025-04-19T16:30Z"),
        violation("after", "easter", "2025-04-21"),
    );
    let records = read_jsonl(&text).unwrap();
    let s = status_at(&records, "2025-04-22".parse().unwrap());
    let c = &s.commitments[0];
    let ids =
        |v: &[truce_ledger::Violation]| v.iter().map(|x| x.id.to_string()).collect::<Vec<_>>();
    // 16:30 UTC is 19:30 in Moscow: inside.
    assert_eq!(ids(&c.violations), vec!["utc"]);
    assert_eq!(ids(&c.reports_outside_term), vec!["before", "after"]);
    assert_eq!(ids(&c.reports_across_term_edge), vec!["same_day", "month"]);
    assert_eq!(c.state, CommitmentState::Violated);
    assert_eq!(c.from.to_string(), "2025-04-19T18:00+03:00");
    assert_eq!(c.until.unwrap().to_string(), "2025-04-21T00:00+03:00");
    // At 17:00 Moscow time the truce had not begun; at 19:00 it had.
    let s = status_at(&records, "2025-04-19T17:00+03:00".parse().unwrap());
    assert_eq!(s.commitments[0].state, CommitmentState::Pending);
    let s = status_at(&records, "2025-04-19T19:00+03:00".parse().unwrap());
    assert!(s.commitments[0].in_force);
    // The month-dated report may fall after 10 April: status says so.
    let s = status_at(&records, "2025-04-10".parse().unwrap());
    assert_eq!(
        s.dated_across_at.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec!["month"]
    );
    assert_eq!(s.dated_across_at[0].date.to_string(), "2025-04");
}

/// Issue 10: a two-day meeting is one event over a range of days.
#[test]
fn a_range_of_days_is_known_from_its_first_day() {
    let text = format!(
        "{HEAD}{}\n",
        r#"{"type":"event","id":"m","kind":"meeting","date":"2025-04-11/2025-04-12","parties":["us","russia"],"summary":"talks","reports":["r"],"basis":null}"#
    );
    let records = read_jsonl(&text).unwrap();
    let s = status_at(&records, "2025-04-11".parse().unwrap());
    assert_eq!(s.dated_across_at.len(), 1);
    let s = status_at(&records, "2025-04-12".parse().unwrap());
    assert!(s.dated_across_at.is_empty());
    let bad = text.replace("2025-04-11/2025-04-12", "2025-04-12/2025-04-11");
    let errors = read_jsonl(&bad).unwrap_err();
    assert!(errors[0].message.contains("is not a date"), "{errors:?}");
}

/// Issue 10: several parties commit or accuse in one record; a party field
/// that is neither a string nor a list is named with what it expects.
#[test]
fn several_parties_commit_and_accuse_in_one_record() {
    let text = format!(
        "{HEAD}{}\n{}\n",
        r#"{"type":"commitment","id":"all","date":"2025-03-25","party":["russia","ukraine"],"scope":"energy","from":"2025-03-25","days":30,"condition":null,"consequence":null,"reports":["r"],"basis":null}"#,
        r#"{"type":"violation","id":"v","commitment":"all","date":"2025-04-01","reported_by":["ukraine","us"],"by":"russia","reports":["r"],"basis":null}"#,
    );
    let records = read_jsonl(&text).unwrap();
    let s = status_at(&records, "2025-04-02".parse().unwrap());
    let c = &s.commitments[0];
    assert_eq!(c.party, "russia");
    assert_eq!(c.with, vec!["ukraine"]);
    assert_eq!(c.violations[0].reported_by.to_string(), "ukraine and us");
    assert_eq!(s.parties["russia"].broken, vec!["all"]);
    assert_eq!(s.parties["ukraine"].unverified, vec!["all"]);
    // One accuser is still written as a plain string.
    let one = read_jsonl(&text.replace(r#"["ukraine","us"]"#, r#""ukraine""#)).unwrap();
    assert!(write_jsonl(&one)
        .unwrap()
        .contains(r#""reported_by":"ukraine""#));
    let bad = text.replace(r#""party":["russia","ukraine"]"#, r#""party":7"#);
    let errors = read_jsonl(&bad).unwrap_err();
    assert_eq!(errors[0].line, Some(3));
    assert_eq!(errors[0].path.as_deref(), Some("party"));
    assert!(
        errors[0]
            .message
            .contains("expected a string or a list of party ids"),
        "{errors:?}"
    );
    let empty = text.replace(r#""party":["russia","ukraine"]"#, r#""party":[]"#);
    assert!(read_jsonl(&empty).is_err());
}

/// Issue 10: a person's office over time: each report shows the office
/// held on the day it was said.
#[test]
fn a_person_is_shown_with_the_office_held_on_the_day() {
    let text = r#"{"type":"source","id":"s","outlet":"o","title":null,"url":null,"published":"2025-04-18"}
{"type":"person","id":"umerov","name":"Rustem Umerov","role":"Ukrainian official","roles":[{"role":"Minister of Defence of Ukraine","from":"2023-09-06","until":"2025-07-17"},{"role":"Secretary of the National Security and Defense Council of Ukraine","from":"2025-07-17"}],"aliases":["Umerov"]}
{"type":"report","id":"r1","source":"s","speaker":{"name":"Umerov"},"via":null,"said_on":"2025-04-18","words":null,"at":null}
{"type":"report","id":"r2","source":"s","speaker":{"name":"Rustem Umerov"},"via":null,"said_on":"2025-08","words":null,"at":null}
{"type":"report","id":"r3","source":"s","speaker":{"name":"Umerov"},"via":null,"said_on":"2020-01-01","words":null,"at":null}
{"type":"event","id":"e","kind":"statement","date":"2025-04-18","parties":["ukraine"],"summary":"x","reports":["r1","r2","r3"],"basis":null}
"#;
    let records = read_jsonl(text).unwrap();
    let s = sources_of(&records, "e").unwrap();
    // One person, counted once, under the office of the first report.
    assert_eq!(
        s.support.speaker_names(),
        vec!["Rustem Umerov (Minister of Defence of Ukraine)"]
    );
    let each: Vec<&str> = s.supporting.iter().map(|r| r.speaker.as_str()).collect();
    assert_eq!(
        each,
        vec![
            "Rustem Umerov (Minister of Defence of Ukraine)",
            "Rustem Umerov (Secretary of the National Security and Defense Council of Ukraine)",
            "Rustem Umerov (Ukrainian official)",
        ]
    );
}

/// Issue 10: a violation dated "between 1 and 15 April" does not break the
/// commitment on 10 April (it may not have happened yet); on 16 April it
/// does.
#[test]
fn a_violation_that_may_fall_after_the_date_asked_is_not_counted_yet() {
    let text = format!(
        "{HEAD}{}\n{}\n",
        commitment("c", "russia", "2025-03-25", None),
        violation("v", "c", "2025-04-01/2025-04-15"),
    );
    let records = read_jsonl(&text).unwrap();
    let s = status_at(&records, "2025-04-10".parse().unwrap());
    assert_eq!(s.commitments[0].state, CommitmentState::InForce);
    assert_eq!(s.commitments[0].reports_across_term_edge[0].id, "v");
    assert_eq!(s.dated_across_at[0].id, "v");
    let s = status_at(&records, "2025-04-16".parse().unwrap());
    assert_eq!(s.commitments[0].state, CommitmentState::Violated);
    assert!(s.dated_across_at.is_empty());
}

/// Issue 10: what a condition names is checked against the scenario too.
#[test]
fn conditions_name_the_scenario_parties_and_options() {
    let scenario_path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/ukraine-2025.toml");
    let scenario =
        truce_engine::parse_scenario(&std::fs::read_to_string(scenario_path).unwrap()).unwrap();
    let text = format!(
        "{}{}\n",
        example(),
        commitment(
            "c",
            "russia",
            "2025-03-25",
            Some("sanctions_lifted(rusia, us) and agreed(sanctions == lift)")
        )
        .replace(r#"["r"]"#, r#"["r_partial_truce"]"#)
    );
    let problems = truce_ledger::check_links(&read_jsonl(&text).unwrap(), &scenario);
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.field.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("condition.rule", "rusia"),
            ("condition.rule", "sanctions=lift")
        ]
    );
}
