//! CSV in and out: a round trip loses nothing (on the example and on random
//! ledgers with awkward text), and bad rows are named by line.

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
use truce_ledger::*;

fn example() -> String {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/ukraine-2025.ledger.jsonl");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_example_round_trips_through_csv() {
    let records = read_jsonl(&example()).unwrap();
    let csv = write_csv(&records).unwrap();
    assert!(
        csv.starts_with("event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,notes")
    );
    assert_eq!(read_csv(&csv).unwrap(), records);
}

/// Text with the characters that break naive CSV: commas, quotes, new
/// lines, semicolons, spaces at the ends, non-ASCII.
fn awkward_text() -> impl Strategy<Value = String> {
    prop::string::string_regex("[a-zA-Z ,;\"\n¶–é]{1,12}").unwrap()
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(awkward_text())
}

fn date() -> impl Strategy<Value = Date> {
    (2020i16..2030, 1i8..13, 1i8..29).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

/// A date in each form it may take, from a day and a pick.
fn when(d: Date, pick: usize) -> When {
    let text = match pick % 5 {
        0 => d.to_string(),
        1 => d.to_string()[..7].to_string(),
        2 => format!("{d}/{}", d.plus_days(1).unwrap()),
        3 => format!("{d}T18:00+03:00"),
        _ => format!("{d}T18:00:30Z/{}T00:00-05:30", d.plus_days(2).unwrap()),
    };
    text.parse().unwrap()
}

/// Fields for one record; which are used depends on the kind drawn.
#[derive(Debug, Clone)]
struct Draw {
    kind: usize,
    pick: usize,
    texts: [String; 3],
    opts: [Option<String>; 3],
    date: Date,
    days: Option<u32>,
    flag: bool,
}

fn draw() -> impl Strategy<Value = Draw> {
    (
        0usize..14,
        any::<usize>(),
        [awkward_text(), awkward_text(), awkward_text()],
        [opt_text(), opt_text(), opt_text()],
        date(),
        prop::option::of(0u32..400),
        any::<bool>(),
    )
        .prop_map(|(kind, pick, texts, opts, date, days, flag)| Draw {
            kind,
            pick,
            texts,
            opts,
            date,
            days,
            flag,
        })
}

/// A ledger whose references all point at earlier records of the right
/// kind: a source, a report and a commitment come first.
fn ledger(draws: Vec<Draw>) -> Vec<Record> {
    let mut out: Vec<Record> = Vec::new();
    let ids_of = |out: &[Record], k: RecordKind| -> Vec<String> {
        out.iter()
            .filter(|r| r.kind() == k)
            .map(|r| r.id().to_string())
            .collect()
    };
    let base = [0usize, 1, 2];
    for (i, d) in base
        .iter()
        .map(|&k| Draw {
            kind: k,
            ..d_default()
        })
        .chain(draws)
        .enumerate()
    {
        let id = format!("r{i}");
        let pick = |ids: Vec<String>| ids[d.pick % ids.len()].clone();
        let reports = || {
            let all = ids_of(&out, RecordKind::Report);
            all.into_iter().take(d.pick % 3).collect::<Vec<_>>()
        };
        let [t0, t1, t2] = d.texts.clone();
        let [o0, o1, o2] = d.opts.clone();
        let rec = match d.kind {
            0 => Record::Source {
                id,
                outlet: o0,
                title: o1,
                url: o2,
                published: d.flag.then_some(d.date),
            },
            1 => Record::Report {
                id,
                source: pick(ids_of(&out, RecordKind::Source)),
                speaker: if d.flag {
                    Speaker::Named { name: t0, role: o0 }
                } else {
                    Speaker::Unnamed { description: t0 }
                },
                via: o1,
                said_on: d.flag.then(|| when(d.date, d.pick)),
                words: o2,
                at: Some(t1),
            },
            2 => Record::Commitment {
                id,
                date: d.date,
                party: Parties::several((0..1 + d.pick % 2).map(|k| format!("p{k}")).collect())
                    .unwrap(),
                with: (0..d.pick % 3).map(|k| format!("party {k}")).collect(),
                scope: t1,
                from: when(d.date, d.pick / 3 * 3),
                days: d.days,
                until: d.flag.then(|| when(d.date.plus_days(3).unwrap(), 3)),
                condition: match (d.flag, d.pick % 3) {
                    (false, _) => None,
                    (true, 2) => Some(Condition::Rule {
                        rule: "lifted(\"a measure\") or not sanctions_lifted(russia, eu)".into(),
                    }),
                    (true, _) => Some(Condition::SanctionsLifted {
                        against: t2.clone(),
                        by: o0.clone(),
                    }),
                },
                consequence: (!d.flag).then(|| Consequence {
                    by: t2,
                    action: ConsequenceAction::Sanctions,
                    reports: reports(),
                }),
                covers: (d.pick % 3 > 0).then(|| Coverage {
                    categories: ["*", "Air/drone strike"][..d.pick % 3]
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                    keywords: vec!["energy".into()],
                }),
                concerns: concerns(&d),
                reports: reports(),
                basis: o1,
            },
            3 => Record::Violation {
                id,
                commitment: pick(ids_of(&out, RecordKind::Commitment)),
                date: when(d.date, d.pick),
                reported_by: Parties::several(
                    (0..1 + d.pick % 3).map(|k| format!("side {k}")).collect(),
                )
                .unwrap(),
                by: o1.clone(),
                reports: reports(),
                denied_by: reports().into_iter().rev().collect(),
                basis: o0,
            },
            4 => Record::Sanction {
                id,
                date: d.date,
                by: t0,
                against: t1,
                action: if d.flag {
                    SanctionAction::Imposed
                } else {
                    SanctionAction::Lifted
                },
                measure: o2,
                concerns: concerns(&d),
                reports: reports(),
                basis: o0,
                fulfils: d.flag.then(|| pick(ids_of(&out, RecordKind::Commitment))),
            },
            5 => Record::Deadline {
                id,
                date: d.date,
                set_by: t0,
                label: t1,
                concerns: concerns(&d),
                reports: reports(),
                basis: o0,
            },
            6 => Record::Event {
                id,
                kind: [
                    EventKind::Statement,
                    EventKind::Proposal,
                    EventKind::Meeting,
                    EventKind::Agreement,
                    EventKind::Incident,
                    EventKind::Rejection,
                    EventKind::Threat,
                    EventKind::Exchange,
                ][d.pick % 8],
                date: when(d.date, d.pick / 8),
                parties: ids_of(&out, RecordKind::Source),
                summary: t0,
                category: o1.clone(),
                concerns: concerns(&d),
                reports: reports(),
                basis: o0,
                fulfils: (!d.flag).then(|| pick(ids_of(&out, RecordKind::Commitment))),
            },
            7 => Record::Withdrawal {
                id,
                commitment: pick(ids_of(&out, RecordKind::Commitment)),
                date: d.date,
                reports: reports(),
                basis: o0,
            },
            8 => Record::Corroboration {
                id,
                supports: out[d.pick % out.len()].id().to_string(),
                date: d.date,
                reports: reports(),
                basis: o0,
            },
            9 => Record::Denial {
                id,
                denies: out[d.pick % out.len()].id().to_string(),
                date: d.date,
                by: o0,
                reports: reports(),
                basis: o1,
            },
            10 => Record::Promise {
                id,
                date: d.date,
                by: t0,
                against: o0,
                action: [
                    ConsequenceAction::Sanctions,
                    ConsequenceAction::MilitaryResponse,
                    ConsequenceAction::MediationWithdrawn,
                    ConsequenceAction::Other,
                ][d.pick % 4],
                label: o1,
                in_response_to: pick(ids_of(&out, RecordKind::Commitment)),
                reports: reports(),
                basis: o2,
            },
            11 => Record::Terms {
                id,
                commitment: pick(ids_of(&out, RecordKind::Commitment)),
                date: d.date,
                from: d.flag.then(|| when(d.date, 3)),
                until: d.flag.then(|| when(d.date, 0)),
                days: d.days,
                reports: reports(),
                basis: o0,
            },
            12 => Record::Person {
                id,
                name: t0,
                role: o0,
                roles: (0..d.pick % 3)
                    .map(|k| Office {
                        role: t1.clone(),
                        from: (k > 0).then_some(d.date),
                        until: d.flag.then(|| d.date.plus_days(10).unwrap()),
                    })
                    .collect(),
                // List cells hold no `;`: aliases of plain words.
                aliases: (0..d.pick % 3).map(|k| format!("alias {k}")).collect(),
                reports: reports(),
                basis: o1,
            },
            _ => Record::Retraction {
                id,
                retracts: out[d.pick % out.len()].id().to_string(),
                date: d.date,
                reason: t0,
                reports: reports(),
                basis: o0,
            },
        };
        out.push(rec);
    }
    out
}

fn concerns(d: &Draw) -> Vec<String> {
    ["crimea", "sanctions=lifted", "truce_duration=days_30"][..d.pick % 4]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn d_default() -> Draw {
    Draw {
        kind: 0,
        pick: 0,
        texts: ["a".into(), "b".into(), "c".into()],
        opts: [None, None, None],
        date: "2025-01-01".parse().unwrap(),
        days: Some(30),
        flag: false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_ledgers_round_trip_through_csv_and_json_lines(draws in prop::collection::vec(draw(), 0..25)) {
        let records = ledger(draws);
        let csv = write_csv(&records).unwrap();
        prop_assert_eq!(read_csv(&csv).unwrap(), records.clone());
        let jsonl: String = records
            .iter()
            .map(|r| serde_json::to_string(r).unwrap() + "\n")
            .collect();
        prop_assert_eq!(read_jsonl(&jsonl).unwrap(), records);
    }
}

#[test]
fn bad_rows_are_named_by_line_and_nothing_is_returned() {
    let text = "event_id_cnty,event_type,event_date,start_date,actor1,notes,reports,refers_to,speaker_description\n\
                src,source,,,,,,,\n\
                rep,report,,,,,,src,an official\n\
                c1,commitment,2025-01-01,2025-01-01,ukraine,\"a scope\nover two lines\",rep,,\n\
                c2,commitment,2025-02-30,2025-01-01,ukraine,scope,rep,,\n\
                c3,pledge,2025-02-01,2025-01-01,ukraine,scope,rep,,\n\
                v1,violation,2025-02-01,,us,,rep,nowhere,\n\
                c4,commitment,2025-01-01,2025-01-01,ukraine,scope,rep,src,\n\
                r2,report,,,,,,src,\n";
    let errors = read_csv(text).unwrap_err();
    let lines: Vec<usize> = errors.iter().filter_map(|e| e.line).collect();
    // The quoted scope spans lines 4-5, so the rows after it start a line later.
    assert_eq!(lines, vec![6, 7, 8, 9, 10], "{errors:#?}");
    assert!(errors[0].message.contains("not a date"));
    assert!(errors[1]
        .message
        .contains("`pledge` is not a kind of record"));
    assert!(errors[2].message.contains("`nowhere` is not a commitment"));
    assert!(errors[3]
        .message
        .contains("column `refers_to` does not apply to a commitment"));
    assert!(
        errors[4]
            .message
            .contains("`speaker_name` or `speaker_role` or `speaker_description`"),
        "{}",
        errors[4].message
    );
}

#[test]
fn the_header_must_name_known_columns() {
    let errors = read_csv("event_id_cnty,event_type,fatalities\n").unwrap_err();
    assert_eq!(errors[0].line, Some(1));
    assert!(errors[0].message.contains("unknown column `fatalities`"));
    let errors = read_csv("event_id_cnty,notes\nx,y\n").unwrap_err();
    assert!(errors[0].message.contains("no `event_type` column"));
    // Columns may come in any order, and unused ones may be left out.
    let ok = read_csv("notes,event_type,event_id_cnty\nA title,source,s\n").unwrap();
    assert!(
        matches!(&ok[0], Record::Source { title: Some(t), outlet: None, .. } if t == "A title")
    );
}

#[test]
fn a_list_item_a_cell_cannot_hold_is_refused_on_writing() {
    let records = read_jsonl(
        r#"{"type":"event","id":"e","kind":"meeting","date":"2025-01-01","parties":["us; europe"],"summary":"s","reports":[]}"#,
    )
    .unwrap();
    let err = write_csv(&records).unwrap_err();
    assert_eq!(err.id, "e");
    assert!(err.reason.contains("`;`"));
}

#[test]
fn empty_optional_text_is_refused_so_absent_has_one_spelling() {
    let errors = read_jsonl(
        r#"{"type":"source","id":"s","outlet":"","title":null,"url":null,"published":null}"#,
    )
    .unwrap_err();
    assert!(
        errors[0].message.contains("`outlet` is empty"),
        "{errors:?}"
    );
}
