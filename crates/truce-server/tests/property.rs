//! Random sequences of API calls by random roles, on each database: each
//! party's positions carry a marker of its own, and no response to a
//! party ever holds another party's marker (nor the mediator's estimates'
//! marker), whatever came before.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::sync::atomic::{AtomicUsize, Ordering};
use truce_store::testing::scratch_ledgers;
use truce_store::Ledger;

const PARTIES: [&str; 3] = ["ukraine", "russia", "europe"];

fn example_text() -> String {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/ukraine-2025.toml");
    std::fs::read_to_string(path).unwrap()
}

/// A party's blocks of the example with `marker` in every basis.
fn positions_of(text: &str, party: &str, marker: &str) -> String {
    truce_room::blocks_of(text, party).replace("basis = \"", &format!("basis = \"{marker} "))
}

/// Who acts: the mediator (0) or a party (1..=3).
#[derive(Debug, Clone)]
enum Call {
    PutPositions { actor: usize, party: usize },
    GetPositions { actor: usize, party: usize },
    PutEstimate { actor: usize, party: usize },
    GetEstimate { actor: usize, party: usize },
    PostDraft { actor: usize, plan: usize },
    GetDraft { actor: usize, n: u32 },
    Answer { actor: usize, n: u32, caveat: bool },
    GetResponses { actor: usize, n: u32 },
    GetBoard { actor: usize, n: u32 },
    Publish { actor: usize, n: u32 },
    Analysis { actor: usize },
    Room { actor: usize },
}

fn call_strategy() -> impl Strategy<Value = Call> {
    let actor = 0usize..4;
    let party = 0usize..3;
    let n = 1u32..4;
    prop_oneof![
        (actor.clone(), party.clone())
            .prop_map(|(actor, party)| Call::PutPositions { actor, party }),
        (actor.clone(), party.clone())
            .prop_map(|(actor, party)| Call::GetPositions { actor, party }),
        (actor.clone(), party.clone())
            .prop_map(|(actor, party)| Call::PutEstimate { actor, party }),
        (actor.clone(), party).prop_map(|(actor, party)| Call::GetEstimate { actor, party }),
        (actor.clone(), 0usize..3).prop_map(|(actor, plan)| Call::PostDraft { actor, plan }),
        (actor.clone(), n.clone()).prop_map(|(actor, n)| Call::GetDraft { actor, n }),
        (actor.clone(), n.clone(), any::<bool>()).prop_map(|(actor, n, caveat)| Call::Answer {
            actor,
            n,
            caveat
        }),
        (actor.clone(), n.clone()).prop_map(|(actor, n)| Call::GetResponses { actor, n }),
        (actor.clone(), n.clone()).prop_map(|(actor, n)| Call::GetBoard { actor, n }),
        (actor.clone(), n).prop_map(|(actor, n)| Call::Publish { actor, n }),
        actor.clone().prop_map(|actor| Call::Analysis { actor }),
        actor.prop_map(|actor| Call::Room { actor }),
    ]
}

fn request(method: &str, url: &str, token: &str, body: Option<(&str, &str)>) -> String {
    let req = ureq::request(method, url).set("Authorization", &format!("Bearer {token}"));
    let result = match body {
        Some((ct, text)) => req.set("Content-Type", ct).send_string(text),
        None => req.call(),
    };
    match result {
        Ok(r) => r.into_string().unwrap(),
        Err(ureq::Error::Status(_, r)) => r.into_string().unwrap(),
        Err(e) => panic!("{method} {url}: {e}"),
    }
}

#[test]
fn no_response_to_a_party_holds_another_partys_marker() {
    let text = example_text();
    let scenario = truce_engine::parse_scenario(&text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for db in scratch_ledgers(dir.path(), "prop").unwrap() {
        eprintln!("-- {}", db.backend());
        let server = common::start(&db);
        let base = server.base.clone();
        let case = AtomicUsize::new(0);
        let mut runner = TestRunner::new(Config {
            cases: 24,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&prop::collection::vec(call_strategy(), 1..25), |calls| {
            let k = case.fetch_add(1, Ordering::Relaxed);
            // A fresh room per case, its tokens by actor.
            let made = {
                let mut l = Ledger::open(&db.location).unwrap();
                truce_server::create_room(&mut l, &scenario, None).unwrap()
            };
            let mut tokens = vec![made.mediator_token.clone()];
            tokens.extend(PARTIES.iter().map(|p| made.tokens[*p].clone()));
            let mark = |who: &str| format!("MARK-{k}-{who}");
            let r = format!("{base}/rooms/{}", made.room);
            let plans = ["paris", "partial_truce", "ceasefire_without_territories"];
            for c in calls {
                let (actor, body) = match c {
                    Call::PutPositions { actor, party } => {
                        let p = PARTIES[party];
                        // Each actor writes the marker of the party it names;
                        // only the party's own writes are accepted.
                        let who = if actor == party + 1 { p.to_string() } else { format!("forged-{p}") };
                        let text = positions_of(&text, p, &mark(&who));
                        (actor, request("PUT", &format!("{r}/parties/{p}/preferences"), &tokens[actor], Some(("application/toml", &text))))
                    }
                    Call::GetPositions { actor, party } => (actor, request("GET", &format!("{r}/parties/{}/preferences", PARTIES[party]), &tokens[actor], None)),
                    Call::PutEstimate { actor, party } => {
                        let p = PARTIES[party];
                        let text = positions_of(&text, p, &mark("estimate"));
                        (actor, request("PUT", &format!("{r}/parties/{p}/estimates"), &tokens[actor], Some(("application/toml", &text))))
                    }
                    Call::GetEstimate { actor, party } => (actor, request("GET", &format!("{r}/parties/{}/estimates", PARTIES[party]), &tokens[actor], None)),
                    Call::PostDraft { actor, plan } => (actor, request("POST", &format!("{r}/drafts"), &tokens[actor], Some(("application/json", &format!(r#"{{"plan": "{}"}}"#, plans[plan]))))),
                    Call::GetDraft { actor, n } => (actor, request("GET", &format!("{r}/drafts/{n}"), &tokens[actor], None)),
                    Call::Answer { actor, n, caveat } => {
                        let body = if caveat {
                            r#"{"provisions": {"monitoring": {"answer": "caveat", "option": "none"}}, "overall": "accept_with_caveats"}"#
                        } else {
                            r#"{"overall": "reject"}"#
                        };
                        (actor, request("POST", &format!("{r}/drafts/{n}/responses"), &tokens[actor], Some(("application/json", body))))
                    }
                    Call::GetResponses { actor, n } => (actor, request("GET", &format!("{r}/drafts/{n}/responses"), &tokens[actor], None)),
                    Call::GetBoard { actor, n } => (actor, request("GET", &format!("{r}/drafts/{n}/board"), &tokens[actor], None)),
                    Call::Publish { actor, n } => (actor, request("POST", &format!("{r}/drafts/{n}/publish"), &tokens[actor], None)),
                    Call::Analysis { actor } => (actor, request("GET", &format!("{r}/analysis"), &tokens[actor], None)),
                    Call::Room { actor } => (actor, request("GET", &r, &tokens[actor], None)),
                };
                if actor == 0 {
                    continue;
                }
                let me = PARTIES[actor - 1];
                for other in PARTIES.iter().filter(|p| **p != me) {
                    prop_assert!(!body.contains(&mark(other)), "{me} saw {other}'s positions: {body}");
                }
                prop_assert!(!body.contains(&mark("estimate")), "{me} saw an estimate: {body}");
                prop_assert!(!body.contains(&format!("MARK-{k}-forged")), "a forged entry was stored and shown: {body}");
            }
            Ok::<(), TestCaseError>(())
        });
        if let Err(e) = result {
            panic!("{}: {e}", db.backend());
        }
    }
}
